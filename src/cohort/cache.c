/* radlab: the feature cache of cohort extractions.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Entry format (text, one field per line, values with 17 significant digits
 * so that they read back bit for bit):
 *
 *   radlab-cache 1
 *   key <64 hex>
 *   radlab <version>
 *   settings <64 hex>
 *   features <n>
 *   <tag> <value or nan>          (n lines)
 *   warning <text>                (only when the feature set has one)
 *   sha256 <64 hex of every byte above>
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cohort/cache.h"
#include "util/error.h"
#include "util/file.h"
#include "util/hash.h"
#include "util/version.h"

struct RadCache {
    char *dir;
};

/* mkdir -p; 0 or -1 with a message. */
static int make_dirs(const char *dir)
{
    char *p = rad_strdup(dir);
    if (!p)
        return -1;
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                rad_error_errno("cannot create the cache folder '%s'", p);
                free(p);
                return -1;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    free(p);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return rad_error_set("the cache folder '%s' is not a folder", dir);
    return 0;
}

RadCache *rad_cache_open(const char *dir)
{
    static const char tag[] = "Signature: 8a477f597d28d172789f06886806bc55\n"
                              "# This folder is a radlab feature cache (radlab extract --cohort).\n"
                              "# It can be deleted at any time; entries are recomputed when missing.\n";
    RadCache *c;
    RadAtomicFile af;
    char *path;
    size_t n;

    if (!dir || !*dir) {
        rad_error_set("the cache folder name is empty");
        return NULL;
    }
    if (make_dirs(dir) != 0)
        return NULL;
    /* writing the tag file proves the folder can be written */
    n = strlen(dir) + 32;
    path = rad_malloc(n, "the cache tag path");
    if (!path)
        return NULL;
    snprintf(path, n, "%s/CACHEDIR.TAG", dir);
    if (rad_atomic_open(&af, path) != 0) {
        rad_error_prefix("cache folder '%s'", dir);
        free(path);
        return NULL;
    }
    fputs(tag, af.fp);
    free(path);
    if (rad_atomic_commit(&af) != 0) {
        rad_error_prefix("cache folder");
        return NULL;
    }
    c = rad_calloc(1, sizeof *c, "a cache");
    if (c && !(c->dir = rad_strdup(dir))) {
        free(c);
        c = NULL;
    }
    return c;
}

void rad_cache_close(RadCache *c)
{
    if (!c)
        return;
    free(c->dir);
    free(c);
}

const char *rad_cache_dir(const RadCache *c) { return c->dir; }

int rad_cache_key(const char *image, const char *mask, int label, const char *roi, const char *settings_digest,
                  char key[65])
{
    char di[65], dm[65], dr[65], text[480];
    int n;
    if (rad_sha256_path(image, di) != 0 || rad_sha256_path(mask, dm) != 0)
        return -1;
    if (roi) { /* a contour's name: any bytes, so hashed */
        rad_sha256_hex(roi, strlen(roi), dr);
        n = snprintf(text, sizeof text, "radlab-case-1\nimage %s\nmask %s\nlabel %d\nroi %s\nsettings %s\nradlab %s\n",
                     di, dm, label, dr, settings_digest, RAD_VERSION);
    } else /* the key of a case without a named region is what it always was */
        n = snprintf(text, sizeof text, "radlab-case-1\nimage %s\nmask %s\nlabel %d\nsettings %s\nradlab %s\n", di,
                     dm, label, settings_digest, RAD_VERSION);
    rad_sha256_hex(text, (size_t)n, key);
    return 0;
}

/* DIR/v1/ab/<key>; with mkdir the fan-out folder is created.  Caller frees. */
static char *entry_path(const RadCache *c, const char key[65], int mkdirs)
{
    size_t n = strlen(c->dir) + 80;
    char *p = rad_malloc(n, "a cache path");
    if (!p)
        return NULL;
    if (mkdirs) {
        snprintf(p, n, "%s/v1/%.2s", c->dir, key);
        if (make_dirs(p) != 0) {
            free(p);
            return NULL;
        }
    }
    snprintf(p, n, "%s/v1/%.2s/%s", c->dir, key, key);
    return p;
}

/* The next line of *s (NUL-terminated in place), or NULL at the end. */
static char *next_line(char **s)
{
    char *line = *s, *nl;
    if (!line || !*line)
        return NULL;
    nl = strchr(line, '\n');
    if (!nl)
        return NULL; /* every line ends with a newline */
    *nl = '\0';
    *s = nl + 1;
    return line;
}

/* The value after "<name> " on line, or NULL. */
static const char *field(const char *line, const char *name)
{
    size_t k = strlen(name);
    if (!line || strncmp(line, name, k) != 0 || line[k] != ' ')
        return NULL;
    return line + k + 1;
}

RadFeatureSet *rad_cache_get(RadCache *c, const char key[65], const char *settings_digest, int *corrupt)
{
    char *path, *text, *s, *line, *end, *sum;
    const char *v;
    char digest[65];
    size_t len, nfeat, i;
    RadFeatureSet *fs = NULL;
    struct stat st;

    if (corrupt)
        *corrupt = 0;
    path = entry_path(c, key, 0);
    if (!path)
        return NULL;
    if (stat(path, &st) != 0) { /* no entry: the usual miss */
        free(path);
        return NULL;
    }
    text = rad_file_slurp(path, &len);
    free(path);
    if (corrupt)
        *corrupt = 1; /* until every check passed */
    if (!text)
        return NULL;
    /* the checksum line is the last one and covers every byte before it */
    sum = len >= 73 ? text + len - 72 : NULL;
    if (!sum || strlen(text) != len || strncmp(sum, "sha256 ", 7) != 0 || text[len - 1] != '\n' ||
        (sum > text && sum[-1] != '\n'))
        goto bad;
    rad_sha256_hex(text, (size_t)(sum - text), digest);
    if (memcmp(digest, sum + 7, 64) != 0)
        goto bad;
    *sum = '\0';
    s = text;
    if (!(line = next_line(&s)) || strcmp(line, "radlab-cache 1") != 0)
        goto bad;
    if (!(v = field(next_line(&s), "key")) || strcmp(v, key) != 0)
        goto bad;
    if (!(v = field(next_line(&s), "radlab")) || strcmp(v, RAD_VERSION) != 0)
        goto bad;
    if (!(v = field(next_line(&s), "settings")) || strcmp(v, settings_digest) != 0)
        goto bad;
    if (!(v = field(next_line(&s), "features")))
        goto bad;
    errno = 0;
    nfeat = strtoul(v, &end, 10);
    if (errno || *end || end == v || nfeat > 1000000)
        goto bad;
    if (!(fs = rad_featureset_new()))
        goto bad;
    for (i = 0; i < nfeat; i++) {
        char *sp;
        double x;
        if (!(line = next_line(&s)) || !(sp = strrchr(line, ' ')) || sp == line)
            goto bad;
        *sp = '\0';
        if (strcmp(sp + 1, "nan") == 0)
            x = NAN;
        else {
            x = strtod(sp + 1, &end);
            if (*end || end == sp + 1 || !isfinite(x))
                goto bad;
        }
        if (rad_featureset_add(fs, line, x) != 0)
            goto bad;
    }
    if ((line = next_line(&s)) != NULL) {
        if (!(v = field(line, "warning")) || next_line(&s) != NULL || !(fs->warning = rad_strdup(v)))
            goto bad;
    }
    memcpy(fs->digest, settings_digest, 65);
    free(text);
    if (corrupt)
        *corrupt = 0;
    return fs;
bad:
    rad_featureset_free(fs);
    free(text);
    rad_error_clear();
    return NULL;
}

/* Append printf output to a growing buffer; -1 when out of memory. */
static int put(char **buf, size_t *len, size_t *cap, const char *fmt, ...) RAD_PRINTF(4, 5);
static int put(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    int n;
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(*buf ? *buf + *len : NULL, *buf ? *cap - *len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return rad_error_set("cannot format a cache entry");
        if (*buf && *len + (size_t)n < *cap) {
            *len += (size_t)n;
            return 0;
        }
        size_t nc = (*cap ? *cap : 4096);
        while (nc <= *len + (size_t)n)
            nc *= 2;
        char *b = realloc(*buf, nc);
        if (!b)
            return rad_error_set("out of memory (cache entry)");
        *buf = b;
        *cap = nc;
    }
}

int rad_cache_put(RadCache *c, const char key[65], const RadFeatureSet *fs)
{
    char *buf = NULL, *path;
    size_t len = 0, cap = 0, i;
    char digest[65];
    RadAtomicFile af;
    int rc = -1;

    if (put(&buf, &len, &cap, "radlab-cache 1\nkey %s\nradlab %s\nsettings %s\nfeatures %zu\n", key, RAD_VERSION,
            fs->digest, fs->n) != 0)
        goto out;
    for (i = 0; i < fs->n; i++) {
        if (strchr(fs->tags[i], '\n') || !fs->tags[i][0]) {
            rad_error_set("feature tag '%s' cannot be cached", fs->tags[i]);
            goto out;
        }
        if (isnan(fs->values[i]) ? put(&buf, &len, &cap, "%s nan\n", fs->tags[i])
                                 : put(&buf, &len, &cap, "%s %.17g\n", fs->tags[i], fs->values[i]))
            goto out;
    }
    if (fs->warning) {
        if (put(&buf, &len, &cap, "warning ") != 0)
            goto out;
        for (const char *w = fs->warning; *w; w++) /* one line */
            if (put(&buf, &len, &cap, "%c", *w == '\n' || *w == '\r' ? ' ' : *w) != 0)
                goto out;
        if (put(&buf, &len, &cap, "\n") != 0)
            goto out;
    }
    rad_sha256_hex(buf, len, digest);
    if (put(&buf, &len, &cap, "sha256 %s\n", digest) != 0)
        goto out;
    if (!(path = entry_path(c, key, 1)))
        goto out;
    if (rad_atomic_open(&af, path) == 0) {
        if (fwrite(buf, 1, len, af.fp) == len)
            rc = rad_atomic_commit(&af);
        else {
            rad_error_errno("cannot write the cache entry '%s'", path);
            rad_atomic_abort(&af);
        }
    }
    free(path);
out:
    free(buf);
    return rc;
}
