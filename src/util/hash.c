/* radlab: SHA-256 digests.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <nettle/sha2.h>

#include "util/error.h"
#include "util/file.h"
#include "util/hash.h"

static void to_hex(const uint8_t d[SHA256_DIGEST_SIZE], char out[65])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = '\0';
}

void rad_sha256_hex(const void *data, size_t n, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, n, data);
    sha256_digest(&ctx, sizeof d, d);
    to_hex(d, out);
}

int rad_sha256_file(const char *path, char out[65])
{
    enum { BLOCK = 1 << 16 };
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    uint8_t *buf;
    size_t got;
    FILE *fp = rad_file_open_read(path, "a file");
    if (!fp)
        return -1;
    buf = rad_malloc(BLOCK, "a hashing buffer");
    if (!buf) {
        fclose(fp);
        return -1;
    }
    sha256_init(&ctx);
    while ((got = fread(buf, 1, BLOCK, fp)) > 0)
        sha256_update(&ctx, got, buf);
    if (ferror(fp)) {
        rad_error_errno("cannot read '%s'", path);
        free(buf);
        fclose(fp);
        return -1;
    }
    free(buf);
    fclose(fp);
    sha256_digest(&ctx, sizeof d, d);
    to_hex(d, out);
    return 0;
}
