/* radlab: SHA-256 digests of files.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <stdio.h>

#include <nettle/sha2.h>

#include "util/digest.h"
#include "util/error.h"
#include "util/file.h"

/* The file is read in blocks, so a digest never holds a whole image in
 * memory. */
int rad_file_sha256(const char *path, char out[65])
{
    uint8_t buf[65536], d[SHA256_DIGEST_SIZE];
    struct sha256_ctx ctx;
    size_t got;
    FILE *fp = rad_file_open_read(path, "a file to digest");
    if (!fp)
        return -1;
    sha256_init(&ctx);
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
        sha256_update(&ctx, got, buf);
    if (ferror(fp)) {
        rad_error_errno("read error on '%s'", path);
        fclose(fp);
        return -1;
    }
    fclose(fp);
    sha256_digest(&ctx, sizeof d, d);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    return 0;
}
