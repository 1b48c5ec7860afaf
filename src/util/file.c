/* radlab: atomic file writes.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/file.h"

static atomic_uint rad_tmp_counter;

char *rad_tmpname(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dirlen;
    size_t n = strlen(path) + 64;
    char *t = rad_malloc(n, "a temporary file name");
    if (!t)
        return NULL;
    snprintf(t, n, "%.*s.rad-tmp-%ld-%u-%s", (int)dirlen, path, (long)getpid(),
             atomic_fetch_add(&rad_tmp_counter, 1u), base);
    return t;
}

int rad_tmp_commit(const char *tmp, const char *path)
{
    if (rename(tmp, path) != 0) {
        rad_error_errno("cannot move the written file into place as '%s'", path);
        remove(tmp);
        return -1;
    }
    return 0;
}

int rad_atomic_open(RadAtomicFile *af, const char *path)
{
    af->fp = NULL;
    af->path = NULL;
    af->tmp = rad_tmpname(path);
    if (!af->tmp)
        return -1;
    af->path = rad_strdup(path);
    if (!af->path) {
        free(af->tmp);
        af->tmp = NULL;
        return -1;
    }
    af->fp = fopen(af->tmp, "wb");
    if (!af->fp) {
        rad_error_errno("cannot write '%s' (check that the folder exists and is writable)", path);
        free(af->tmp);
        free(af->path);
        af->tmp = af->path = NULL;
        return -1;
    }
    return 0;
}

static void rad_atomic_release(RadAtomicFile *af)
{
    free(af->tmp);
    free(af->path);
    af->tmp = af->path = NULL;
    af->fp = NULL;
}

int rad_atomic_commit(RadAtomicFile *af)
{
    int bad = ferror(af->fp);
    if (fclose(af->fp) != 0)
        bad = 1;
    af->fp = NULL;
    if (bad) {
        rad_error_errno("write error on '%s'", af->path);
        remove(af->tmp);
        rad_atomic_release(af);
        return -1;
    }
    int rc = rad_tmp_commit(af->tmp, af->path);
    rad_atomic_release(af);
    return rc;
}

void rad_atomic_abort(RadAtomicFile *af)
{
    if (af->fp)
        fclose(af->fp);
    if (af->tmp)
        remove(af->tmp);
    rad_atomic_release(af);
}

FILE *rad_file_open_read(const char *path, const char *what)
{
    struct stat st;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        rad_error_errno("cannot open '%s'", path);
        return NULL;
    }
    /* fopen succeeds on a directory on Linux; reading it then fails with a
     * bare EISDIR (or, for ftell-based sizes, a nonsense length). */
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(fp);
        rad_error_set("'%s' is a directory; give %s", path, what);
        return NULL;
    }
    return fp;
}

char *rad_file_slurp(const char *path, size_t *len)
{
    FILE *fp = rad_file_open_read(path, "a file");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!fp)
        return NULL;
    for (;;) {
        if (n + 1 >= cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                fclose(fp);
                rad_error_set("out of memory reading '%s'", path);
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, fp);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        rad_error_errno("read error on '%s'", path);
        free(buf);
        fclose(fp);
        return NULL;
    }
    fclose(fp);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}
