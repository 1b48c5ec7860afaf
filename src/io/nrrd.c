/* radlab: NRRD reading and writing.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NRRD ("nearly raw raster data", format spec:
 * http://teem.sourceforge.net/nrrd/format.html) is a text header of
 * "field: value" lines, ended by a blank line and followed by the data
 * (.nrrd), or a header alone whose "data file" field names the data
 * (.nhdr).  We read the scalar types, 2D and 3D images (a 4D file whose
 * extra axis has size 1 too), raw, gzip and ascii encodings, either byte
 * order, and the spaces LPS, RAS and LAS, which we convert to LPS.
 *
 * We write an attached header with gzip data (.nrrd), or a detached header
 * with a gzip file "<name>.raw.gz" beside it (.nhdr), always little endian
 * in the LPS space.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libdeflate.h>
#include <zlib.h>

#include "image/image.h"
#include "io/io.h"
#include "util/error.h"
#include "util/file.h"

#define NRRD_CHUNK (256 * 1024)    /* zlib and copy buffer (a multiple of 8) */
#define NRRD_MAX_AXES 16           /* teem's NRRD_DIM_MAX */
#define NRRD_MAX_VOXELS ((uint64_t)1 << 31)

/* ---- types ------------------------------------------------------------- */

/* Each scalar type with the spellings the spec allows ("type" field); the
 * first spelling is the one we write. */
typedef struct NrrdType {
    RadDType dtype;
    size_t size;
    const char *names; /* '|'-separated */
} NrrdType;

static const NrrdType nrrd_types[] = {
    {RAD_I8, 1, "int8|signed char|int8_t"},
    {RAD_U8, 1, "uint8|uchar|unsigned char|uint8_t"},
    {RAD_I16, 2, "int16|short|short int|signed short|signed short int|int16_t"},
    {RAD_U16, 2, "uint16|ushort|unsigned short|unsigned short int|uint16_t"},
    {RAD_I32, 4, "int32|int|signed int|int32_t"},
    {RAD_U32, 4, "uint32|uint|unsigned int|uint32_t"},
    {RAD_I64, 8, "int64|longlong|long long|long long int|signed long long|signed long long int|int64_t"},
    {RAD_U64, 8, "uint64|ulonglong|unsigned long long|unsigned long long int|uint64_t"},
    {RAD_F32, 4, "float"},
    {RAD_F64, 8, "double"},
};
#define NRRD_NTYPES (sizeof nrrd_types / sizeof nrrd_types[0])

/* Case-insensitive equality of s and the first n bytes of `word` (whole). */
static int word_is(const char *s, const char *word, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != tolower((unsigned char)word[i]))
            return 0;
    return 1;
}

static int same_word(const char *a, const char *b)
{
    return word_is(a, b, strlen(b));
}

/* Whether `s` is one of the '|'-separated spellings in `list`. */
static int in_list(const char *s, const char *list)
{
    while (*list) {
        const char *bar = strchr(list, '|');
        size_t n = bar ? (size_t)(bar - list) : strlen(list);
        if (word_is(s, list, n))
            return 1;
        list += n + (bar != NULL);
    }
    return 0;
}

static const NrrdType *type_by_name(const char *s)
{
    for (size_t i = 0; i < NRRD_NTYPES; i++)
        if (in_list(s, nrrd_types[i].names))
            return &nrrd_types[i];
    return NULL;
}

static const NrrdType *type_by_dtype(RadDType t)
{
    for (size_t i = 0; i < NRRD_NTYPES; i++)
        if (nrrd_types[i].dtype == t)
            return &nrrd_types[i];
    return NULL;
}

/* The name we write: the spelling before the first '|'. */
static void type_write_name(const NrrdType *t, char *buf, size_t n)
{
    const char *bar = strchr(t->names, '|');
    int len = bar ? (int)(bar - t->names) : (int)strlen(t->names);
    snprintf(buf, n, "%.*s", len, t->names);
}

static int host_big_endian(void)
{
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 0;
}

/* Reverse the bytes of each of the n / size elements of p. */
static void swap_elements(unsigned char *p, size_t n, size_t size)
{
    if (size < 2)
        return;
    for (size_t i = 0; i + size <= n; i += size)
        for (size_t a = i, b = i + size - 1; a < b; a++, b--) {
            unsigned char t = p[a];
            p[a] = p[b];
            p[b] = t;
        }
}

/* ---- the header, as text ------------------------------------------------ */

/* The fields we use, as the text after "field: " (trimmed); NULL if absent. */
typedef struct NrrdHeader {
    char *type, *dimension, *sizes, *encoding, *endian, *space, *space_dimension;
    char *space_directions, *space_origin, *spacings, *byte_skip, *line_skip, *data_file;
} NrrdHeader;

static const struct {
    const char *name;
    size_t offset;
} nrrd_fields[] = {
    {"type", offsetof(NrrdHeader, type)},
    {"dimension", offsetof(NrrdHeader, dimension)},
    {"sizes", offsetof(NrrdHeader, sizes)},
    {"encoding", offsetof(NrrdHeader, encoding)},
    {"endian", offsetof(NrrdHeader, endian)},
    {"space", offsetof(NrrdHeader, space)},
    {"space dimension", offsetof(NrrdHeader, space_dimension)},
    {"space directions", offsetof(NrrdHeader, space_directions)},
    {"space origin", offsetof(NrrdHeader, space_origin)},
    {"spacings", offsetof(NrrdHeader, spacings)},
    {"byte skip", offsetof(NrrdHeader, byte_skip)},
    {"byteskip", offsetof(NrrdHeader, byte_skip)},
    {"line skip", offsetof(NrrdHeader, line_skip)},
    {"lineskip", offsetof(NrrdHeader, line_skip)},
    {"data file", offsetof(NrrdHeader, data_file)},
    {"datafile", offsetof(NrrdHeader, data_file)},
};

static char **header_slot(NrrdHeader *h, const char *name)
{
    for (size_t i = 0; i < sizeof nrrd_fields / sizeof nrrd_fields[0]; i++)
        if (same_word(name, nrrd_fields[i].name))
            return (char **)((char *)h + nrrd_fields[i].offset);
    return NULL;
}

static void header_free(NrrdHeader *h)
{
    for (size_t i = 0; i < sizeof nrrd_fields / sizeof nrrd_fields[0]; i++) {
        char **slot = (char **)((char *)h + nrrd_fields[i].offset);
        free(*slot);
        *slot = NULL;
    }
}

/* Strip leading and trailing white space in place. */
static char *trim(char *s)
{
    size_t n;
    while (isspace((unsigned char)*s))
        s++;
    n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* The first line must be the magic "NRRD000X" with X in 1..5. */
static int check_magic(FILE *fp)
{
    char magic[8];
    int c;
    if (fread(magic, 1, 8, fp) != 8 || memcmp(magic, "NRRD000", 7) != 0 || magic[7] < '1' || magic[7] > '5')
        return rad_error_set("not a NRRD file: it does not start with the magic NRRD0001..NRRD0005 "
                             "(check the file's name and format)");
    c = getc(fp);
    if (c == '\r')
        c = getc(fp);
    if (c != '\n')
        return rad_error_set("not a NRRD file: the magic NRRD000%c is not alone on the first line", magic[7]);
    return 0;
}

/* One header line: a comment ("#"), a key/value pair ("key:=value", which
 * we ignore), or a field ("field: value"); unknown fields are ignored too. */
static int header_line(NrrdHeader *h, char *line, int lineno)
{
    char *colon, **slot;
    if (line[0] == '#')
        return 0;
    colon = strchr(line, ':');
    if (!colon)
        return rad_error_set("header line %d is neither 'field: value', 'key:=value' nor a '#' comment "
                             "(is the blank line between header and data missing?)", lineno);
    if (colon[1] == '=')
        return 0;
    *colon = '\0';
    slot = header_slot(h, trim(line));
    if (!slot)
        return 0;
    free(*slot);
    *slot = rad_strdup(trim(colon + 1));
    return *slot ? 0 : -1;
}

/* Read header lines up to the blank line (or the end of a detached header);
 * the file is left at the first byte after that blank line. */
static int header_read(FILE *fp, NrrdHeader *h)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 1, rc = 0;
    while ((len = getline(&line, &cap, fp)) > 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            break;
        if ((rc = header_line(h, line, lineno)) != 0)
            break;
        if (h->data_file && strncmp(h->data_file, "LIST", 4) == 0)
            break; /* the file names follow; data_path refuses the form */
    }
    free(line);
    if (rc == 0 && ferror(fp))
        rc = rad_error_errno("read error in the header");
    return rc;
}

/* ---- the header, parsed ---------------------------------------------------- */

enum { ENC_RAW, ENC_GZIP, ENC_ASCII };
enum { SPACE_NONE, SPACE_LPS, SPACE_RAS, SPACE_LAS, SPACE_PLAIN };

typedef struct NrrdInfo {
    const NrrdType *type;
    int dim;                            /* axes in the file */
    size_t sizes[NRRD_MAX_AXES];
    size_t nvox, nbytes;
    int encoding, big_endian;
    int space, space_dim;               /* space_dim 0: no space */
    int has_dirs, dir_none[NRRD_MAX_AXES];
    double dirs[NRRD_MAX_AXES][3];
    int has_origin;
    double origin[3];
    double spacings[NRRD_MAX_AXES];     /* NAN when not given */
    long long byte_skip, line_skip;
} NrrdInfo;

/* A whole-string integer. */
static int parse_ll(const char *s, long long *v)
{
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    if (end == s || errno)
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    return *end ? -1 : 0;
}

static int parse_type(const NrrdHeader *h, NrrdInfo *in)
{
    if (!h->type)
        return rad_error_set("the header has no 'type' field");
    in->type = type_by_name(h->type);
    if (!in->type)
        return rad_error_set("unsupported type '%s' (radlab reads the scalar types int8, uint8, int16, "
                             "uint16, int32, uint32, int64, uint64, float and double)", h->type);
    return 0;
}

/* "dimension" and "sizes": every size >= 1, at most 2^31 voxels in all. */
static int parse_sizes(const NrrdHeader *h, NrrdInfo *in)
{
    long long d;
    const char *s;
    uint64_t nvox = 1;
    if (!h->dimension)
        return rad_error_set("the header has no 'dimension' field");
    if (parse_ll(h->dimension, &d) || d < 1 || d > NRRD_MAX_AXES)
        return rad_error_set("bad 'dimension: %s' (expected a whole number from 1 to %d)", h->dimension,
                             NRRD_MAX_AXES);
    in->dim = (int)d;
    if (!h->sizes)
        return rad_error_set("the header has no 'sizes' field (expected %d sizes)", in->dim);
    s = h->sizes;
    for (int a = 0; a < in->dim; a++) {
        char *end;
        long long v;
        errno = 0;
        v = strtoll(s, &end, 10);
        if (end == s || errno || v < 1 || (*end && !isspace((unsigned char)*end)))
            return rad_error_set("bad 'sizes: %s' (expected %d whole numbers >= 1)", h->sizes, in->dim);
        if ((uint64_t)v > NRRD_MAX_VOXELS / nvox)
            return rad_error_set("'sizes: %s' is more than 2^31 voxels", h->sizes);
        nvox *= (uint64_t)v;
        in->sizes[a] = (size_t)v;
        s = end;
    }
    while (isspace((unsigned char)*s))
        s++;
    if (*s)
        return rad_error_set("bad 'sizes: %s' (expected %d sizes, as 'dimension' says)", h->sizes, in->dim);
    in->nvox = (size_t)nvox;
    in->nbytes = in->nvox * in->type->size;
    return 0;
}

static int parse_encoding(const NrrdHeader *h, NrrdInfo *in)
{
    const char *e = h->encoding;
    if (!e)
        return rad_error_set("the header has no 'encoding' field");
    if (same_word(e, "raw"))
        in->encoding = ENC_RAW;
    else if (same_word(e, "gzip") || same_word(e, "gz"))
        in->encoding = ENC_GZIP;
    else if (same_word(e, "ascii") || same_word(e, "text") || same_word(e, "txt"))
        in->encoding = ENC_ASCII;
    else
        return rad_error_set("unsupported encoding '%s' (radlab reads raw, gzip and ascii; "
                             "convert the file, e.g. with 'unu save -e gzip')", e);
    return 0;
}

/* "endian" matters only for multi-byte binary data (spec: required then). */
static int parse_endian(const NrrdHeader *h, NrrdInfo *in)
{
    in->big_endian = 0;
    if (in->type->size == 1 || in->encoding == ENC_ASCII)
        return 0;
    if (!h->endian)
        return rad_error_set("the header has no 'endian' field, needed for %zu-byte values", in->type->size);
    if (same_word(h->endian, "big"))
        in->big_endian = 1;
    else if (!same_word(h->endian, "little"))
        return rad_error_set("bad 'endian: %s' (expected little or big)", h->endian);
    return 0;
}

/* "space" names the world frame (and implies space dimension 3); "space
 * dimension" gives an unnamed frame, which we take as it is. */
static int parse_space(const NrrdHeader *h, NrrdInfo *in)
{
    const char *s = h->space;
    in->space = SPACE_NONE;
    in->space_dim = 0;
    if (s && h->space_dimension)
        return rad_error_set("the header has both 'space' and 'space dimension' (the spec allows one)");
    if (s) {
        in->space_dim = 3;
        if (same_word(s, "left-posterior-superior") || same_word(s, "LPS"))
            in->space = SPACE_LPS;
        else if (same_word(s, "right-anterior-superior") || same_word(s, "RAS"))
            in->space = SPACE_RAS;
        else if (same_word(s, "left-anterior-superior") || same_word(s, "LAS"))
            in->space = SPACE_LAS;
        else if (same_word(s, "scanner-xyz") || same_word(s, "3D-right-handed"))
            in->space = SPACE_PLAIN;
        else
            return rad_error_set("unsupported 'space: %s' (radlab reads left-posterior-superior, "
                                 "right-anterior-superior, left-anterior-superior, scanner-xyz and "
                                 "3D-right-handed)", s);
    } else if (h->space_dimension) {
        long long d;
        if (parse_ll(h->space_dimension, &d) || d < 2 || d > 3)
            return rad_error_set("unsupported 'space dimension: %s' (radlab reads 2 or 3)", h->space_dimension);
        in->space = SPACE_PLAIN;
        in->space_dim = (int)d;
    }
    return 0;
}

/* One vector "(a,b,c)" at *s (white space allowed around the numbers);
 * *n receives the number of components (at most 3).  Advances *s. */
static int parse_vector(const char **s, double v[3], int *n)
{
    const char *p = *s;
    *n = 0;
    if (*p++ != '(')
        return -1;
    for (;;) {
        char *end;
        if (*n == 3)
            return -1;
        v[*n] = strtod(p, &end);
        if (end == p || !isfinite(v[*n]))
            return -1;
        (*n)++;
        p = end;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == ')')
            break;
        if (*p++ != ',')
            return -1;
    }
    *s = p + 1;
    return 0;
}

/* Check a vector's length against the space dimension, or set it from the
 * first vector when the header forgot the "space" field. */
static int vector_length_ok(NrrdInfo *in, int n)
{
    if (in->space_dim == 0 && (n == 2 || n == 3)) {
        in->space_dim = n;
        in->space = SPACE_PLAIN;
    }
    return n == in->space_dim;
}

/* "space directions": one vector or "none" per axis. */
static int parse_directions(const NrrdHeader *h, NrrdInfo *in)
{
    const char *s = h->space_directions;
    in->has_dirs = s != NULL;
    for (int a = 0; s && a < in->dim; a++) {
        int n;
        while (isspace((unsigned char)*s))
            s++;
        in->dir_none[a] = strncmp(s, "none", 4) == 0;
        memset(in->dirs[a], 0, sizeof in->dirs[a]);
        if (in->dir_none[a])
            s += 4;
        else if (parse_vector(&s, in->dirs[a], &n) || !vector_length_ok(in, n))
            return rad_error_set("bad 'space directions: %s' (expected %d vectors like (1.5,0,0) or 'none', "
                                 "each with %d finite numbers)", h->space_directions, in->dim,
                                 in->space_dim ? in->space_dim : 3);
    }
    while (s && isspace((unsigned char)*s))
        s++;
    if (s && *s)
        return rad_error_set("bad 'space directions: %s' (expected %d entries, as 'dimension' says)",
                             h->space_directions, in->dim);
    return 0;
}

static int parse_origin(const NrrdHeader *h, NrrdInfo *in)
{
    const char *s = h->space_origin;
    int n;
    memset(in->origin, 0, sizeof in->origin);
    in->has_origin = s != NULL;
    if (!s)
        return 0;
    if (parse_vector(&s, in->origin, &n) || !vector_length_ok(in, n))
        return rad_error_set("bad 'space origin: %s' (expected a vector like (0,0,0) with %d finite numbers)",
                             h->space_origin, in->space_dim ? in->space_dim : 3);
    while (isspace((unsigned char)*s))
        s++;
    return *s ? rad_error_set("bad 'space origin: %s' (expected one vector)", h->space_origin) : 0;
}

/* "spacings": one number per axis, "nan" for axes without one. */
static int parse_spacings(const NrrdHeader *h, NrrdInfo *in)
{
    const char *s = h->spacings;
    for (int a = 0; a < in->dim; a++) {
        char *end;
        in->spacings[a] = NAN;
        if (!s)
            continue;
        in->spacings[a] = strtod(s, &end);
        if (end == s || (*end && !isspace((unsigned char)*end)))
            return rad_error_set("bad 'spacings: %s' (expected %d numbers)", h->spacings, in->dim);
        s = end;
    }
    while (s && isspace((unsigned char)*s))
        s++;
    if (s && *s)
        return rad_error_set("bad 'spacings: %s' (expected %d numbers)", h->spacings, in->dim);
    return 0;
}

/* "line skip" (lines) and "byte skip" (bytes; -1 = the data are the last
 * bytes of a raw file) are skipped before the data. */
static int parse_skips(const NrrdHeader *h, NrrdInfo *in)
{
    in->line_skip = in->byte_skip = 0;
    if (h->line_skip && (parse_ll(h->line_skip, &in->line_skip) || in->line_skip < 0))
        return rad_error_set("bad 'line skip: %s' (expected a whole number >= 0)", h->line_skip);
    if (h->byte_skip && (parse_ll(h->byte_skip, &in->byte_skip) || in->byte_skip < -1))
        return rad_error_set("bad 'byte skip: %s' (expected a whole number >= 0, or -1)", h->byte_skip);
    if (in->byte_skip == -1 && in->encoding != ENC_RAW)
        return rad_error_set("'byte skip: -1' is only allowed with raw encoding");
    return 0;
}

static int parse_info(const NrrdHeader *h, NrrdInfo *in)
{
    memset(in, 0, sizeof *in);
    if (parse_type(h, in) || parse_sizes(h, in) || parse_encoding(h, in) || parse_endian(h, in)
        || parse_space(h, in) || parse_directions(h, in) || parse_origin(h, in) || parse_spacings(h, in)
        || parse_skips(h, in))
        return -1;
    return 0;
}

/* ---- geometry -------------------------------------------------------------- */

static void sizes_text(const NrrdInfo *in, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int a = 0; a < in->dim && len < n; a++) {
        int w = snprintf(buf + len, n - len, a ? " %zu" : "%zu", in->sizes[a]);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

static int axis_none(const NrrdInfo *in, int a)
{
    return in->has_dirs && in->dir_none[a];
}

/* Choose the (2 or 3) spatial axes: non-spatial axes ("none" direction) of
 * size 1 are dropped, and so is a 4th axis of size 1. */
static int pick_axes(const NrrdInfo *in, int axes[NRRD_MAX_AXES], int *n)
{
    char sz[256];
    *n = 0;
    for (int a = 0; a < in->dim; a++)
        if (!(axis_none(in, a) && in->sizes[a] == 1))
            axes[(*n)++] = a;
    if (*n == 4 && in->sizes[axes[3]] == 1)
        (*n)--;
    sizes_text(in, sz, sizeof sz);
    for (int i = 0; i < *n; i++)
        if (axis_none(in, axes[i]))
            return rad_error_set("axis %d (dimension %d, sizes %s) is not spatial: vector, colour or "
                                 "multi-component images are not supported (split the components first)",
                                 axes[i] + 1, in->dim, sz);
    if (*n != 2 && *n != 3)
        return rad_error_set("dimension %d with sizes %s is not supported: radlab reads 2D and 3D images "
                             "(a 4th axis is allowed only with size 1)", in->dim, sz);
    if (*n > in->space_dim && in->has_dirs)
        return rad_error_set("%d spatial axes in a %d-dimensional space", *n, in->space_dim);
    return 0;
}

/* Direction column c and spacing of file axis a: from "space directions"
 * (spacing = vector length), else from "spacings" along index axis c. */
static int axis_geometry(const NrrdInfo *in, int a, int c, double col[3], double *spacing)
{
    col[0] = col[1] = col[2] = 0;
    if (in->has_dirs) {
        const double *v = in->dirs[a];
        double s = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (!(s > 0) || !isfinite(s))
            return rad_error_set("the space direction of axis %d is zero or not finite", a + 1);
        for (int r = 0; r < 3; r++)
            col[r] = v[r] / s;
        *spacing = s;
        return 0;
    }
    *spacing = isnan(in->spacings[a]) ? 1.0 : fabs(in->spacings[a]);
    if (!(*spacing > 0) || !isfinite(*spacing))
        return rad_error_set("the spacing of axis %d is %g (expected a positive number)", a + 1, in->spacings[a]);
    col[c] = in->spacings[a] < 0 ? -1.0 : 1.0; /* a negative spacing runs the axis backwards */
    return 0;
}

/* Third column of a 2D image: the slice normal, (0,0,1) when the slice lies
 * in the xy plane. */
static void slice_normal(double d[9])
{
    double n[3], len;
    if (d[6] == 0 && d[7] == 0) {
        d[2] = d[5] = 0;
        d[8] = 1;
        return;
    }
    n[0] = d[3] * d[7] - d[6] * d[4];
    n[1] = d[6] * d[1] - d[0] * d[7];
    n[2] = d[0] * d[4] - d[3] * d[1];
    len = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    for (int r = 0; r < 3; r++)
        d[r * 3 + 2] = len > 0 ? n[r] / len : 0;
}

/* Bring direction rows and origin from the file's frame to LPS. */
static void to_lps(int space, double d[9], double o[3])
{
    int flip_x = space == SPACE_RAS, flip_y = space == SPACE_RAS || space == SPACE_LAS;
    for (int c = 0; c < 3; c++) {
        if (flip_x && d[c] != 0)
            d[c] = -d[c];
        if (flip_y && d[3 + c] != 0)
            d[3 + c] = -d[3 + c];
    }
    if (flip_x && o[0] != 0)
        o[0] = -o[0];
    if (flip_y && o[1] != 0)
        o[1] = -o[1];
}

static int build_geometry(const NrrdInfo *in, RadGeometry *g)
{
    int axes[NRRD_MAX_AXES], n;
    if (pick_axes(in, axes, &n))
        return -1;
    rad_geometry_init(g, n, in->sizes[axes[0]], in->sizes[axes[1]], n == 3 ? in->sizes[axes[2]] : 1);
    for (int c = 0; c < n; c++) {
        double col[3];
        if (axis_geometry(in, axes[c], c, col, &g->spacing[c]))
            return -1;
        for (int r = 0; r < 3; r++)
            g->direction[r * 3 + c] = col[r];
    }
    if (n == 2)
        slice_normal(g->direction);
    memcpy(g->origin, in->origin, sizeof g->origin);
    to_lps(in->space, g->direction, g->origin);
    return rad_geometry_check(g);
}

/* ---- data -------------------------------------------------------------------- */

static int truncated(size_t want, size_t found)
{
    return rad_error_set("truncated: expected %zu bytes of data, found %zu", want, found);
}

static int too_much(size_t want)
{
    return rad_error_set("expected %zu bytes of data, found more (check 'sizes', 'type' and 'byte skip')", want);
}

/* Bytes from the current position to the end, or -1 if the stream cannot
 * tell (a pipe). */
static long long bytes_left(FILE *fp)
{
    long here = ftell(fp), end;
    if (here < 0 || fseek(fp, 0, SEEK_END) != 0)
        return -1;
    end = ftell(fp);
    if (end < 0 || fseek(fp, here, SEEK_SET) != 0)
        return -1;
    return end - here;
}

/* Skip n bytes (read them when the stream cannot seek); 0 or -1 at EOF. */
static int skip_bytes(FILE *fp, long long n)
{
    unsigned char buf[4096];
    if (n <= 0)
        return 0;
    if (n <= LONG_MAX && bytes_left(fp) >= n && fseek(fp, (long)n, SEEK_CUR) == 0)
        return 0;
    while (n > 0) {
        size_t want = n < (long long)sizeof buf ? (size_t)n : sizeof buf;
        size_t got = fread(buf, 1, want, fp);
        if (got == 0)
            return -1;
        n -= (long long)got;
    }
    return 0;
}

static void skip_lines(FILE *fp, long long n)
{
    int c;
    while (n > 0 && (c = getc(fp)) != EOF)
        if (c == '\n')
            n--;
}

/* Raw data: exactly nbytes after the skips, or the last nbytes of the file
 * when byte skip is -1.  The size is checked before allocating, so a lying
 * header cannot make us allocate gigabytes for a small file. */
static int read_raw(FILE *fp, const NrrdInfo *in, unsigned char **out)
{
    size_t want = in->nbytes, got;
    long long left;
    if (in->byte_skip == -1) {
        left = bytes_left(fp);
        if (left < 0)
            return rad_error_set("'byte skip: -1' needs a seekable data file");
        if ((unsigned long long)left < want)
            return truncated(want, (size_t)left);
        if (fseek(fp, -(long)want, SEEK_END) != 0)
            return rad_error_errno("cannot seek to the data");
    } else {
        if (skip_bytes(fp, in->byte_skip))
            return truncated(want, 0);
        left = bytes_left(fp);
        if (left >= 0 && (unsigned long long)left < want)
            return truncated(want, (size_t)left);
        if (left >= 0 && (unsigned long long)left > want)
            return too_much(want);
    }
    if (!(*out = rad_malloc(want, "NRRD data")))
        return -1;
    got = fread(*out, 1, want, fp);
    if (got < want)
        return ferror(fp) ? rad_error_errno("read error") : truncated(want, got);
    if (in->byte_skip != -1 && getc(fp) != EOF)
        return too_much(want);
    return 0;
}

/* Grow the output of read_gzip when `at` has reached its capacity. */
static int gzip_grow(unsigned char **buf, size_t *cap, size_t want)
{
    size_t ncap = *cap > want / 2 ? want : *cap * 2;
    unsigned char *nb = realloc(*buf, ncap);
    if (!nb)
        return rad_error_set("out of memory (%zu bytes for NRRD data)", ncap);
    *buf = nb;
    *cap = ncap;
    return 0;
}

/* Where inflate writes next: into the scratch buffer while skipping "byte
 * skip" bytes or when the data are complete (any more output is too much),
 * else into the data buffer. */
static int gzip_window(z_stream *zs, unsigned char *scratch, unsigned char **buf, size_t *cap,
                       size_t produced, size_t skip, size_t want)
{
    size_t room;
    if (produced < skip || produced >= skip + want) {
        room = produced < skip && skip - produced < NRRD_CHUNK ? skip - produced : NRRD_CHUNK;
        zs->next_out = scratch;
    } else {
        size_t at = produced - skip;
        if (at == *cap && gzip_grow(buf, cap, want))
            return -1;
        room = *cap - at;
        zs->next_out = *buf + at;
    }
    zs->avail_out = room > (1u << 30) ? (1u << 30) : (uInt)room;
    return 0;
}

/* Inflate gzip (or zlib) members until the input ends.  The output grows
 * as it comes, so a lying header over a small file allocates little. */
static int inflate_all(FILE *fp, z_stream *zs, unsigned char *in, unsigned char *scratch,
                       unsigned char **buf, size_t skip, size_t want)
{
    size_t cap = want < NRRD_CHUNK ? want : NRRD_CHUNK, produced = 0;
    int ended = 0;
    if (!(*buf = rad_malloc(cap, "NRRD data")))
        return -1;
    for (;;) {
        int rc;
        size_t room;
        if (zs->avail_in == 0) {
            size_t n = fread(in, 1, NRRD_CHUNK, fp);
            if (n == 0 && ferror(fp))
                return rad_error_errno("read error");
            if (n == 0)
                break;
            zs->next_in = in;
            zs->avail_in = (uInt)n;
        }
        if (ended && inflateReset(zs) != Z_OK) /* another gzip member follows */
            return rad_error_set("cannot reset zlib");
        ended = 0;
        if (gzip_window(zs, scratch, buf, &cap, produced, skip, want) || rad_interrupt_check())
            return -1;
        room = zs->avail_out;
        rc = inflate(zs, Z_NO_FLUSH);
        produced += room - zs->avail_out;
        if (produced > skip + want)
            return too_much(want);
        if (rc == Z_STREAM_END)
            ended = 1;
        else if (rc != Z_OK && rc != Z_BUF_ERROR)
            return rad_error_set("corrupt gzip data (%s); the file is damaged or not gzip-compressed",
                                 zs->msg ? zs->msg : "inflate failed");
    }
    if (produced < skip + want)
        return truncated(want, produced > skip ? produced - skip : 0);
    if (!ended)
        return rad_error_set("truncated: the gzip stream ends before its end marker");
    return 0;
}

/* Gzip data; "byte skip" counts bytes of the decompressed stream. */
static int read_gzip(FILE *fp, const NrrdInfo *in, unsigned char **out)
{
    z_stream zs;
    unsigned char *inbuf, *scratch;
    int rc = -1;
    long long at = ftello(fp);
    if (in->byte_skip == 0 && at >= 0 && rad_inflate_file(fileno(fp), (size_t)at, in->nbytes, 1, out) == 0)
        return 0;
    inbuf = rad_malloc(NRRD_CHUNK, "gzip input");
    scratch = rad_malloc(NRRD_CHUNK, "gzip output");
    memset(&zs, 0, sizeof zs);
    if (inbuf && scratch) {
        if (inflateInit2(&zs, 15 + 32) != Z_OK) /* 32: accept gzip and zlib headers */
            rc = rad_error_set("cannot initialise zlib");
        else {
            rc = inflate_all(fp, &zs, inbuf, scratch, out, (size_t)in->byte_skip, in->nbytes);
            inflateEnd(&zs);
        }
    }
    free(inbuf);
    free(scratch);
    return rc;
}

/* Numbers of the ascii encoding are separated by white space (or commas). */
static const char *next_token(const char *p)
{
    while (*p && (isspace((unsigned char)*p) || *p == ','))
        p++;
    return p;
}

static size_t count_tokens(const char *p)
{
    size_t n = 0;
    for (p = next_token(p); *p; p = next_token(p)) {
        n++;
        while (*p && !isspace((unsigned char)*p) && *p != ',')
            p++;
    }
    return n;
}

/* Store integer v as element i of an integer type; -1 when out of range. */
static int store_int(RadDType t, void *out, size_t i, long long v)
{
    static const long long lo[] = {0, INT8_MIN, 0, INT16_MIN, 0, INT32_MIN};
    static const long long hi[] = {UINT8_MAX, INT8_MAX, UINT16_MAX, INT16_MAX, UINT32_MAX, INT32_MAX};
    if (t <= RAD_I32 && (v < lo[t] || v > hi[t]))
        return -1;
    switch (t) {
    case RAD_U8: ((uint8_t *)out)[i] = (uint8_t)v; break;
    case RAD_I8: ((int8_t *)out)[i] = (int8_t)v; break;
    case RAD_U16: ((uint16_t *)out)[i] = (uint16_t)v; break;
    case RAD_I16: ((int16_t *)out)[i] = (int16_t)v; break;
    case RAD_U32: ((uint32_t *)out)[i] = (uint32_t)v; break;
    case RAD_I32: ((int32_t *)out)[i] = (int32_t)v; break;
    case RAD_I64: ((int64_t *)out)[i] = (int64_t)v; break;
    default: return -1;
    }
    return 0;
}

/* One ascii value at *p into element i of out, range-checked; advances *p. */
static int ascii_value(const char **p, const NrrdType *t, void *out, size_t i)
{
    char *end = (char *)*p, tname[32];
    int bad;
    errno = 0;
    if (t->dtype == RAD_F32)
        ((float *)out)[i] = strtof(*p, &end); /* overflow gives inf, as text "inf" would */
    else if (t->dtype == RAD_F64)
        ((double *)out)[i] = strtod(*p, &end);
    else if (t->dtype == RAD_U64 && **p != '-')
        ((uint64_t *)out)[i] = strtoull(*p, &end, 10);
    else if (t->dtype != RAD_U64) {
        long long v = strtoll(*p, &end, 10);
        if (end != *p && !errno && store_int(t->dtype, out, i, v))
            errno = ERANGE;
    }
    bad = end == *p || (*end && !isspace((unsigned char)*end) && *end != ',');
    if (bad || (errno && t->dtype != RAD_F32 && t->dtype != RAD_F64)) {
        type_write_name(t, tname, sizeof tname);
        return rad_error_set("ascii value %zu ('%.*s') is not a valid %s", i + 1,
                             (int)strcspn(*p, " \t\r\n,"), *p, tname);
    }
    *p = end;
    return 0;
}

/* Read the rest of the stream into a NUL-terminated buffer. */
static char *slurp_rest(FILE *fp, size_t *len)
{
    size_t cap = 65536, n = 0, got;
    char *buf = rad_malloc(cap, "NRRD ascii data");
    while (buf && (got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                rad_error_set("out of memory (%zu bytes for NRRD ascii data)", cap * 2);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

/* Ascii data: exactly nvox numbers, counted before anything is allocated. */
static int read_ascii(FILE *fp, const NrrdInfo *in, unsigned char **out)
{
    size_t len, n;
    char *text;
    const char *p;
    int rc = 0;
    if (skip_bytes(fp, in->byte_skip))
        return rad_error_set("truncated: 'byte skip: %lld' goes past the end of the data", in->byte_skip);
    if (!(text = slurp_rest(fp, &len)))
        return -1;
    n = count_tokens(text);
    if (n != in->nvox)
        rc = rad_error_set("%s: expected %zu ascii values, found %zu", n < in->nvox ? "truncated" : "too much data",
                           in->nvox, n);
    else if (!(*out = rad_malloc(in->nbytes, "NRRD data")))
        rc = -1;
    p = text;
    for (size_t i = 0; rc == 0 && i < in->nvox; i++) {
        p = next_token(p);
        rc = ascii_value(&p, in->type, *out, i);
    }
    free(text);
    return rc;
}

/* The data file of a detached header: "data file: NAME", relative to the
 * header's folder.  The multi-file forms (LIST, printf patterns) are not
 * supported. */
static char *data_path(const char *path, const char *name)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash && name[0] != '/' ? (size_t)(slash - path) + 1 : 0;
    char *p;
    if (strncmp(name, "LIST", 4) == 0 || strchr(name, '%')) {
        rad_error_set("'data file: %s' names several files, which radlab does not support "
                      "(join them into one data file)", name);
        return NULL;
    }
    if (!(p = rad_malloc(dirlen + strlen(name) + 1, "a file name")))
        return NULL;
    memcpy(p, path, dirlen);
    strcpy(p + dirlen, name);
    return p;
}

/* Read the data from fp (at the data, before line skip) into *out, in
 * native byte order. */
static int read_data(FILE *fp, const NrrdInfo *in, unsigned char **out)
{
    int rc;
    skip_lines(fp, in->line_skip);
    if (in->encoding == ENC_RAW)
        rc = read_raw(fp, in, out);
    else if (in->encoding == ENC_GZIP)
        rc = read_gzip(fp, in, out);
    else
        return read_ascii(fp, in, out);
    if (rc == 0 && in->big_endian != host_big_endian())
        swap_elements(*out, in->nbytes, in->type->size);
    return rc;
}

/* Data from the detached file named by the header, or after the header. */
static int read_data_from(FILE *fp, const char *path, const NrrdHeader *h, const NrrdInfo *in,
                          unsigned char **out)
{
    char *dpath;
    FILE *dfp;
    struct stat st;
    int rc;
    if (!h->data_file)
        return read_data(fp, in, out);
    if (!(dpath = data_path(path, h->data_file)))
        return -1;
    if (!(dfp = rad_file_open_read(dpath, "the file holding the data"))) {
        rc = rad_error_prefix("cannot open the data file named by 'data file: %s' (relative to the header's "
                              "folder)", h->data_file);
        free(dpath);
        return rc;
    }
    /* A device or a pipe (data file: /dev/zero) could feed an ascii reader
     * without end. */
    if (fstat(fileno(dfp), &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = rad_error_set("'data file: %s' is not a regular file; name the file holding the data", h->data_file);
        fclose(dfp);
        free(dpath);
        return rc;
    }
    rc = read_data(dfp, in, out);
    fclose(dfp);
    if (rc)
        rad_error_prefix("data file '%s'", dpath);
    free(dpath);
    return rc;
}

/* Header, geometry and data of an open file. */
static int nrrd_read_open(FILE *fp, const char *path, RadRaw *raw)
{
    NrrdHeader h;
    NrrdInfo in;
    unsigned char *data = NULL;
    int rc;
    memset(&h, 0, sizeof h);
    rc = check_magic(fp);
    if (rc == 0)
        rc = header_read(fp, &h);
    if (rc == 0)
        rc = parse_info(&h, &in);
    if (rc == 0)
        rc = build_geometry(&in, &raw->geom);
    if (rc == 0)
        rc = read_data_from(fp, path, &h, &in, &data);
    header_free(&h);
    if (rc) {
        free(data);
        return -1;
    }
    raw->dtype = in.type->dtype;
    raw->data = data;
    return 0;
}

/* Read a .nrrd or .nhdr file into *raw (spec: see the top of this file).
 * On failure raw->data is NULL and the message names the file. */
int rad_nrrd_read(const char *path, RadRaw *raw)
{
    FILE *fp;
    int rc;
    memset(raw, 0, sizeof *raw);
    raw->slope = 1;
    raw->inter = 0;
    if (!(fp = rad_file_open_read(path, RAD_IMAGE_FILE_KINDS)))
        return -1;
    rc = nrrd_read_open(fp, path, raw);
    fclose(fp);
    if (rc)
        return rad_error_prefix("cannot read NRRD file '%s'", path);
    return 0;
}

/* ---- writing -------------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && same_word(s + n - m, suffix);
}

/* The header of a little-endian gzip file; data_file is NULL when attached.
 * Space directions are the direction columns scaled by the spacing, printed
 * with 17 digits so that they read back exactly. */
static void write_header(FILE *fp, const RadRaw *raw, const char *data_file)
{
    const RadGeometry *g = &raw->geom;
    char tname[32];
    int n = g->ndim == 2 ? 2 : 3;
    type_write_name(type_by_dtype(raw->dtype), tname, sizeof tname);
    fprintf(fp, "NRRD0004\n# Complete NRRD file format specification at:\n"
                "# http://teem.sourceforge.net/nrrd/format.html\n");
    fprintf(fp, "type: %s\ndimension: %d\nspace: left-posterior-superior\nsizes:", tname, n);
    for (int c = 0; c < n; c++)
        fprintf(fp, " %zu", g->dim[c]);
    fprintf(fp, "\nspace directions:");
    for (int c = 0; c < n; c++)
        fprintf(fp, " (%.17g,%.17g,%.17g)", g->direction[c] * g->spacing[c], g->direction[3 + c] * g->spacing[c],
                g->direction[6 + c] * g->spacing[c]);
    fprintf(fp, "\nkinds:%s\nendian: little\nencoding: gzip\n", n == 2 ? " domain domain" : " domain domain domain");
    fprintf(fp, "space origin: (%.17g,%.17g,%.17g)\n", g->origin[0], g->origin[1], g->origin[2]);
    if (data_file)
        fprintf(fp, "data file: %s\n", data_file);
    else
        fprintf(fp, "\n");
}

/* The data as one gzip member (libdeflate, level RAD_GZIP_LEVEL; one member,
 * as readers that stop after the first one, such as pynrrd, need), little
 * endian. */
static int write_gzip(FILE *fp, const unsigned char *data, size_t nbytes, size_t size)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(RAD_GZIP_LEVEL);
    unsigned char *swapped = NULL, *out = NULL;
    size_t cap, n;
    int rc = -1;
    if (!c)
        return rad_error_set("out of memory (a gzip compressor)");
    if (host_big_endian()) {
        if (!(swapped = rad_malloc(nbytes ? nbytes : 1, "NRRD data")))
            goto done;
        memcpy(swapped, data, nbytes);
        swap_elements(swapped, nbytes, size);
        data = swapped;
    }
    cap = libdeflate_gzip_compress_bound(c, nbytes);
    if (!(out = rad_malloc(cap, "gzip output")))
        goto done;
    n = libdeflate_gzip_compress(c, data, nbytes, out, cap);
    if (n == 0) {
        rad_error_set("gzip compression failed");
        goto done;
    }
    if (fwrite(out, 1, n, fp) != n) {
        rad_error_errno("write error");
        goto done;
    }
    rc = 0;
done:
    libdeflate_free_compressor(c);
    free(swapped);
    free(out);
    return rc;
}

static int check_raw(const RadRaw *raw)
{
    const RadGeometry *g = &raw->geom;
    if (!raw->data)
        return rad_error_set("no voxel data to write");
    if (!type_by_dtype(raw->dtype))
        return rad_error_set("unknown voxel type %d", (int)raw->dtype);
    return rad_geometry_check(g);
}

/* Attached header and gzip data in one atomically written file. */
static int write_attached(const char *path, const RadRaw *raw, size_t nbytes, size_t size)
{
    RadAtomicFile af;
    if (rad_atomic_open(&af, path))
        return -1;
    write_header(af.fp, raw, NULL);
    if (write_gzip(af.fp, raw->data, nbytes, size)) {
        rad_atomic_abort(&af);
        return -1;
    }
    return rad_atomic_commit(&af);
}

/* Detached header "x.nhdr" and its data "x.raw.gz": both are written to
 * temporaries first; the data file is moved into place before the header,
 * and removed again if the header cannot be. */
static int write_detached(const char *path, const RadRaw *raw, size_t nbytes, size_t size)
{
    size_t stem = strlen(path) - strlen(".nhdr");
    char *dpath = rad_malloc(stem + sizeof ".raw.gz", "a file name");
    const char *slash;
    RadAtomicFile hf, df;
    int rc = -1;
    if (!dpath)
        return -1;
    snprintf(dpath, stem + sizeof ".raw.gz", "%.*s.raw.gz", (int)stem, path);
    slash = strrchr(dpath, '/');
    if (rad_atomic_open(&df, dpath) == 0) {
        if (write_gzip(df.fp, raw->data, nbytes, size) == 0 && rad_atomic_open(&hf, path) == 0) {
            write_header(hf.fp, raw, slash ? slash + 1 : dpath);
            if (fflush(hf.fp) != 0 || ferror(hf.fp)) {
                rad_error_errno("write error on '%s'", path);
                rad_atomic_abort(&hf);
            } else if (rad_atomic_commit(&df) == 0) {
                rc = rad_atomic_commit(&hf);
                if (rc)
                    remove(dpath);
            } else
                rad_atomic_abort(&hf);
        }
        if (df.fp)
            rad_atomic_abort(&df);
    }
    free(dpath);
    return rc;
}

/* Write raw as NRRD: "x.nhdr" gives a detached header and "x.raw.gz",
 * any other name (normally "x.nrrd") one file with the header attached.
 * Always gzip, little endian, LPS.  Atomic: no partial file on failure. */
int rad_nrrd_write(const char *path, const RadRaw *raw)
{
    size_t size, nbytes;
    int rc;
    if (check_raw(raw))
        return rad_error_prefix("cannot write NRRD file '%s'", path);
    size = type_by_dtype(raw->dtype)->size;
    nbytes = rad_geometry_nvox(&raw->geom) * size;
    if (ends_with(path, ".nhdr"))
        rc = write_detached(path, raw, nbytes, size);
    else
        rc = write_attached(path, raw, nbytes, size);
    return rc ? rad_error_prefix("cannot write NRRD file '%s'", path) : 0;
}
