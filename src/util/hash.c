/* radlab: SHA-256 digests.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
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

/* The names in folder `dir` that do not start with "." (.DS_Store, ._x,
 * "." and ".."), sorted bytewise; NULL with a message on failure. */
static char **list_dir(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    *count = 0;
    if (!d) {
        rad_error_errno("cannot open the folder '%s'", dir);
        return NULL;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn)
                goto oom;
            names = nn;
            cap = nc;
        }
        if (!(names[n] = rad_strdup(e->d_name)))
            goto oom;
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    *count = n;
    if (!names)
        names = rad_malloc(sizeof *names, "a folder listing");
    return names;
oom:
    closedir(d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    rad_error_set("out of memory listing the folder '%s'", dir);
    return NULL;
}

/* Feed the folder `dir` into ctx: for each entry in sorted order its name
 * relative to the top (`rel`) and the digest of its content, folders
 * recursively (depth-limited against link loops). */
static int hash_dir(struct sha256_ctx *ctx, const char *dir, const char *rel, int depth)
{
    size_t n, i;
    int rc = 0;
    char **names;
    if (depth > 32)
        return rad_error_set("the folder '%s' is nested more than 32 levels deep (a link loop?)", dir);
    if (!(names = list_dir(dir, &n)))
        return -1;
    for (i = 0; i < n && rc == 0; i++) {
        size_t lp = strlen(dir) + strlen(names[i]) + 2, lr = strlen(rel) + strlen(names[i]) + 2;
        char *path = rad_malloc(lp, "a path"), *sub = rad_malloc(lr, "a path");
        struct stat st;
        char digest[65];
        if (!path || !sub) {
            free(path);
            free(sub);
            rc = -1;
            break;
        }
        snprintf(path, lp, "%s/%s", dir, names[i]);
        snprintf(sub, lr, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        if (stat(path, &st) != 0)
            rc = rad_error_errno("cannot read '%s'", path);
        else if (S_ISDIR(st.st_mode))
            rc = hash_dir(ctx, path, sub, depth + 1);
        else if (S_ISREG(st.st_mode) && (rc = rad_sha256_file(path, digest)) == 0) {
            sha256_update(ctx, strlen(sub) + 1, (const uint8_t *)sub);
            sha256_update(ctx, 64, (const uint8_t *)digest);
        }
        free(path);
        free(sub);
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int rad_sha256_path(const char *path, char out[65])
{
    struct stat st;
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return rad_sha256_file(path, out);
    static const char tag[] = "radlab-folder-1\n";
    sha256_init(&ctx);
    sha256_update(&ctx, sizeof tag - 1, (const uint8_t *)tag);
    if (hash_dir(&ctx, path, "", 0) != 0)
        return -1;
    sha256_digest(&ctx, sizeof d, d);
    to_hex(d, out);
    return 0;
}
