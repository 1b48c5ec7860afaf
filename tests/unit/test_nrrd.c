/* radlab: tests of NRRD reading and writing.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "image/image.h"
#include "io/io.h"
#include "util/error.h"
#include "tap.h"

static char tmpdir[64];

/* tmpdir/name in one of a few rotating buffers. */
static const char *tmp(const char *name)
{
    static char buf[4][512];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", tmpdir, name);
    return p;
}

/* Write header text followed by n bytes of data into tmpdir/name. */
static void put_file(const char *name, const char *text, const void *data, size_t n)
{
    FILE *fp = fopen(tmp(name), "wb");
    if (!fp) {
        perror(name);
        exit(99);
    }
    fputs(text, fp);
    if (n)
        fwrite(data, 1, n, fp);
    fclose(fp);
}

/* gzip-compress n bytes; *out is malloc'd. */
static size_t gzip_bytes(const void *data, size_t n, unsigned char **out)
{
    z_stream zs;
    size_t cap = compressBound((uLong)n) + 64;
    memset(&zs, 0, sizeof zs);
    *out = malloc(cap);
    if (!*out || deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        exit(99);
    zs.next_in = (unsigned char *)data;
    zs.avail_in = (uInt)n;
    zs.next_out = *out;
    zs.avail_out = (uInt)cap;
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        exit(99);
    n = cap - zs.avail_out;
    deflateEnd(&zs);
    return n;
}

/* Deterministic pseudo-random bytes (every bit pattern, NaNs included). */
static void fill_bytes(unsigned char *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (unsigned char)(seed >> 24);
    }
}

static int geometry_identical(const RadGeometry *a, const RadGeometry *b)
{
    if (a->ndim != b->ndim)
        return 0;
    for (int c = 0; c < 3; c++)
        if (a->dim[c] != b->dim[c] || a->spacing[c] != b->spacing[c] || a->origin[c] != b->origin[c])
            return 0;
    for (int i = 0; i < 9; i++)
        if (a->direction[i] != b->direction[i])
            return 0;
    return 1;
}

static void print_geometry(const char *what, const RadGeometry *g)
{
    const double *d = g->direction;
    tap_diag("%s: ndim %d, %zux%zux%zu, spacing %.17g %.17g %.17g, origin %.17g %.17g %.17g", what, g->ndim,
             g->dim[0], g->dim[1], g->dim[2], g->spacing[0], g->spacing[1], g->spacing[2], g->origin[0],
             g->origin[1], g->origin[2]);
    tap_diag("  direction %.17g %.17g %.17g / %.17g %.17g %.17g / %.17g %.17g %.17g", d[0], d[1], d[2], d[3], d[4],
             d[5], d[6], d[7], d[8]);
}

/* An axis-permuted, flipped 3D geometry with awkward spacings and origin:
 * exact through NRRD's "space directions" (direction * spacing). */
static void sample_geometry(RadGeometry *g, int ndim)
{
    static const double d3[9] = {0, -1, 0, 1, 0, 0, 0, 0, 1};
    static const double d2[9] = {-1, 0, 0, 0, 1, 0, 0, 0, 1};
    rad_geometry_init(g, ndim, 5, 4, ndim == 3 ? 3 : 1);
    g->spacing[0] = 0.7;
    g->spacing[1] = 1.0 / 3.0;
    if (ndim == 3)
        g->spacing[2] = 2.5e-3 + 3.1;
    g->origin[0] = -123.456789012345678;
    g->origin[1] = 1e-7 / 3;
    g->origin[2] = 77.0 / 9.0;
    memcpy(g->direction, ndim == 3 ? d3 : d2, sizeof g->direction);
}

/* Write raw to name, read it back and compare bit for bit. */
static void round_trip(const char *name, RadDType t, int ndim)
{
    RadRaw raw, back;
    size_t nbytes;
    int rc;
    memset(&raw, 0, sizeof raw);
    sample_geometry(&raw.geom, ndim);
    raw.dtype = t;
    raw.slope = 1;
    nbytes = rad_geometry_nvox(&raw.geom) * rad_dtype_size(t);
    raw.data = malloc(nbytes);
    fill_bytes(raw.data, nbytes, (uint32_t)t * 7919u + (uint32_t)ndim);
    rc = rad_nrrd_write(tmp(name), &raw);
    if (!tap_ok(rc == 0, "%s %s %dD: write", name, rad_dtype_name(t), ndim))
        tap_diag("%s", rad_error_message());
    rc = rad_nrrd_read(tmp(name), &back);
    if (!tap_ok(rc == 0 && back.dtype == t && back.slope == 1 && back.inter == 0, "%s %s %dD: read back", name,
                rad_dtype_name(t), ndim))
        tap_diag("%s", rad_error_message());
    if (rc == 0) {
        if (!tap_ok(geometry_identical(&raw.geom, &back.geom), "%s %s %dD: geometry identical", name,
                    rad_dtype_name(t), ndim)) {
            print_geometry("wrote", &raw.geom);
            print_geometry("read", &back.geom);
        }
        tap_ok(memcmp(raw.data, back.data, nbytes) == 0, "%s %s %dD: data identical", name, rad_dtype_name(t), ndim);
    } else
        tap_skip(2, "read failed");
    rad_raw_free(&back);
    free(raw.data);
}

static void test_round_trips(void)
{
    char name[64];
    for (int t = RAD_U8; t <= RAD_F64; t++) {
        snprintf(name, sizeof name, "rt_%s.nrrd", rad_dtype_name((RadDType)t));
        round_trip(name, (RadDType)t, 3);
        snprintf(name, sizeof name, "rt_%s.nhdr", rad_dtype_name((RadDType)t));
        round_trip(name, (RadDType)t, 3);
    }
    round_trip("rt2d.nrrd", RAD_F32, 2);
    round_trip("rt2d.nhdr", RAD_I16, 2);
    tap_ok(access(tmp("rt_int16.raw.gz"), F_OK) == 0, "a .nhdr write leaves its data file x.raw.gz beside it");
}

/* An oblique direction is stored as direction * spacing: the read back
 * geometry agrees to rounding, not bit for bit. */
static void test_oblique(void)
{
    RadRaw raw, back;
    const double c = 0.6, s = 0.8;
    float v[60];
    memset(&raw, 0, sizeof raw);
    memset(&back, 0, sizeof back);
    rad_geometry_init(&raw.geom, 3, 5, 4, 3);
    double d[9] = {c, -s, 0, s, c, 0, 0, 0, 1};
    memcpy(raw.geom.direction, d, sizeof d);
    raw.geom.spacing[0] = 0.9;
    raw.geom.spacing[1] = 1.1;
    raw.geom.spacing[2] = 2.0;
    for (int i = 0; i < 60; i++)
        v[i] = (float)i / 7.0f;
    raw.dtype = RAD_F32;
    raw.data = v;
    tap_ok(rad_nrrd_write(tmp("oblique.nrrd"), &raw) == 0 && rad_nrrd_read(tmp("oblique.nrrd"), &back) == 0,
           "oblique geometry: write and read");
    if (back.data) {
        double worst = 0;
        for (int i = 0; i < 9; i++)
            worst = fmax(worst, fabs(back.geom.direction[i] - d[i]));
        for (int i = 0; i < 3; i++)
            worst = fmax(worst, fabs(back.geom.spacing[i] - raw.geom.spacing[i]));
        tap_near(worst, 0, 1e-14, "oblique geometry: direction and spacing to rounding");
    } else
        tap_skip(1, "read failed");
    rad_raw_free(&back);
}

/* Read name; 0 on success, with diagnostics on failure. */
static int read_ok(const char *name, RadRaw *raw, const char *what)
{
    int rc = rad_nrrd_read(tmp(name), raw);
    if (!tap_ok(rc == 0, "%s: reads", what))
        tap_diag("%s", rad_error_message());
    return rc;
}

static void test_raw_little(void)
{
    const uint16_t v[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1000, 65535};
    RadRaw r;
    put_file("raw.nrrd",
             "NRRD0005\n# a comment\ntype: unsigned short\ndimension: 3\nspace: LPS\nsizes: 3 2 2\n"
             "space directions: (0.5,0,0) (0,0.75,0) (0,0,2.5)\nspace origin: (1.5,-2,3)\n"
             "endian: little\nencoding: raw\nkinds: domain domain domain\nmy key:=my: value\n\n",
             v, sizeof v); /* little endian on the hosts we build on; checked below */
    if (read_ok("raw.nrrd", &r, "raw little-endian uint16") == 0) {
        uint16_t one = 1;
        int little = *(unsigned char *)&one == 1;
        tap_ok(r.dtype == RAD_U16 && r.geom.ndim == 3 && r.geom.dim[0] == 3 && r.geom.dim[2] == 2,
               "raw: type and sizes");
        tap_ok(r.geom.spacing[0] == 0.5 && r.geom.spacing[1] == 0.75 && r.geom.spacing[2] == 2.5, "raw: spacing");
        tap_ok(r.geom.origin[0] == 1.5 && r.geom.origin[1] == -2 && r.geom.origin[2] == 3, "raw: origin");
        tap_ok(!little || memcmp(r.data, v, sizeof v) == 0, "raw: data");
    } else
        tap_skip(4, "read failed");
    rad_raw_free(&r);
}

static void test_big_endian(void)
{
    const int16_t want[6] = {-2, 300, 1, -32768, 32767, 0};
    unsigned char be[12];
    RadRaw r;
    for (int i = 0; i < 6; i++) {
        uint16_t u = (uint16_t)want[i];
        be[2 * i] = (unsigned char)(u >> 8);
        be[2 * i + 1] = (unsigned char)(u & 0xff);
    }
    put_file("big.nrrd", "NRRD0004\ntype: short\ndimension: 3\nsizes: 3 2 1\nendian: big\nencoding: raw\n\n",
             be, sizeof be);
    if (read_ok("big.nrrd", &r, "big-endian int16") == 0)
        tap_ok(r.dtype == RAD_I16 && memcmp(r.data, want, sizeof want) == 0, "big endian: values swapped to native");
    else
        tap_skip(1, "read failed");
    rad_raw_free(&r);
}

static void test_ras(void)
{
    const uint8_t v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const double want[9] = {-1, 0, 0, 0, -1, 0, 0, 0, 1};
    RadRaw r;
    put_file("ras.nrrd",
             "NRRD0004\ntype: uchar\ndimension: 3\nspace: right-anterior-superior\nsizes: 2 2 2\n"
             "space directions: (1,0,0) (0,2,0) (0,0,3)\nspace origin: (10,20,30)\nencoding: raw\n\n",
             v, sizeof v);
    if (read_ok("ras.nrrd", &r, "RAS space") == 0) {
        tap_ok(memcmp(r.geom.direction, want, sizeof want) == 0, "RAS: direction negated in x and y (LPS)");
        tap_ok(r.geom.origin[0] == -10 && r.geom.origin[1] == -20 && r.geom.origin[2] == 30,
               "RAS: origin (10,20,30) becomes LPS (-10,-20,30)");
        tap_ok(r.geom.spacing[0] == 1 && r.geom.spacing[1] == 2 && r.geom.spacing[2] == 3, "RAS: spacing");
    } else
        tap_skip(3, "read failed");
    rad_raw_free(&r);
}

static void test_spacings(void)
{
    const uint8_t v[8] = {0};
    const double ident[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    RadRaw r;
    put_file("spacings.nrrd",
             "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 2 2\nspacings: 0.5 0.25 2\nencoding: raw\n\n", v,
             sizeof v);
    if (read_ok("spacings.nrrd", &r, "'spacings' without space directions") == 0) {
        tap_ok(r.geom.spacing[0] == 0.5 && r.geom.spacing[1] == 0.25 && r.geom.spacing[2] == 2, "spacings: spacing");
        tap_ok(memcmp(r.geom.direction, ident, sizeof ident) == 0 && r.geom.origin[0] == 0 && r.geom.origin[2] == 0,
               "spacings: identity direction, zero origin");
    } else
        tap_skip(2, "read failed");
    rad_raw_free(&r);
}

static void test_2d(void)
{
    const float v[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const double want[9] = {0.6, -0.8, 0, 0.8, 0.6, 0, 0, 0, 1};
    RadRaw r;
    put_file("flat.nrrd",
             "NRRD0004\ntype: float\ndimension: 2\nspace dimension: 2\nsizes: 4 3\n"
             "space directions: (0.3,0.4) (-0.4,0.3)\nspace origin: (1,2)\nendian: little\nencoding: raw\n\n",
             v, sizeof v);
    if (read_ok("flat.nrrd", &r, "2D image") == 0) {
        double worst = 0;
        for (int i = 0; i < 9; i++)
            worst = fmax(worst, fabs(r.geom.direction[i] - want[i]));
        tap_ok(r.geom.ndim == 2 && r.geom.dim[0] == 4 && r.geom.dim[1] == 3 && r.geom.dim[2] == 1,
               "2D: ndim 2, 4x3x1");
        tap_near(worst, 0, 1e-15, "2D: direction upper-left, third column (0,0,1)");
        tap_ok(fabs(r.geom.spacing[0] - 0.5) < 1e-15 && fabs(r.geom.spacing[1] - 0.5) < 1e-15 &&
                   r.geom.spacing[2] == 1,
               "2D: spacing 0.5 0.5 and 1");
        tap_ok(r.geom.origin[0] == 1 && r.geom.origin[1] == 2 && r.geom.origin[2] == 0, "2D: origin (1,2,0)");
    } else
        tap_skip(4, "read failed");
    rad_raw_free(&r);
}

static void test_4d_size1(void)
{
    const int32_t v[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -12};
    unsigned char *gz;
    size_t n = gzip_bytes(v, sizeof v, &gz);
    RadRaw r;
    put_file("four.nrrd",
             "NRRD0004\ntype: int\ndimension: 4\nspace: left-posterior-superior\nsizes: 3 2 2 1\n"
             "space directions: (1,0,0) (0,1,0) (0,0,1) none\nendian: little\nencoding: gzip\n\n", gz, n);
    if (read_ok("four.nrrd", &r, "4D with a last axis of size 1 (gzip)") == 0)
        tap_ok(r.geom.ndim == 3 && r.geom.dim[2] == 2 && r.dtype == RAD_I32 && ((int32_t *)r.data)[11] == -12,
               "4D size 1: read as 3x2x2 int32");
    else
        tap_skip(1, "read failed");
    rad_raw_free(&r);
    put_file("four2.nrrd",
             "NRRD0004\ntype: int32_t\ndimension: 4\nsizes: 3 2 2 1\nspacings: 1 1 1 nan\nendian: little\n"
             "encoding: gz\n\n", gz, n);
    if (read_ok("four2.nrrd", &r, "4D size 1 without space directions") == 0)
        tap_ok(r.geom.ndim == 3 && r.geom.dim[0] == 3 && r.geom.dim[2] == 2, "4D size 1 (spacings): 3x2x2");
    else
        tap_skip(1, "read failed");
    rad_raw_free(&r);
    free(gz);
}

static void test_ascii(void)
{
    RadRaw r;
    put_file("text.nrrd",
             "NRRD0004\ntype: double\ndimension: 3\nsizes: 2 2 1\nencoding: ascii\n\n1.5 -2\n3e2,\t0.25\n", "", 0);
    if (read_ok("text.nrrd", &r, "ascii encoding") == 0) {
        const double *d = r.data;
        tap_ok(d[0] == 1.5 && d[1] == -2 && d[2] == 300 && d[3] == 0.25, "ascii: values");
    } else
        tap_skip(1, "read failed");
    rad_raw_free(&r);
}

/* Detached header with a relative "datafile:", "line skip" and "byte skip". */
static void test_detached(void)
{
    const int8_t v[8] = {-1, 2, -3, 4, -5, 6, -7, 8};
    char data[64];
    RadRaw r;
    memcpy(data, "two\nlines\nXYZ", 13);
    memcpy(data + 13, v, sizeof v);
    put_file("det.dat", "", data, 13 + sizeof v);
    put_file("det.nhdr",
             "NRRD0004\ntype: signed char\ndimension: 3\nsizes: 2 2 2\nencoding: raw\nline skip: 2\n"
             "byte skip: 3\ndatafile: det.dat\n", "", 0);
    if (read_ok("det.nhdr", &r, "detached header, relative data file, line and byte skip") == 0)
        tap_ok(r.dtype == RAD_I8 && memcmp(r.data, v, sizeof v) == 0, "detached: values");
    else
        tap_skip(1, "read failed");
    rad_raw_free(&r);
    /* byte skip -1: the data are the last bytes of the file */
    put_file("tail.nrrd", "NRRD0004\ntype: int8\ndimension: 3\nsizes: 2 2 2\nencoding: raw\nbyte skip: -1\n\njunk",
             v, sizeof v);
    if (read_ok("tail.nrrd", &r, "byte skip -1") == 0)
        tap_ok(memcmp(r.data, v, sizeof v) == 0, "byte skip -1: the last bytes");
    else
        tap_skip(1, "read failed");
    rad_raw_free(&r);
}

/* The read fails, leaves no data, and the message holds `sub` and the file. */
static void expect_fail(const char *name, const char *sub, const char *what)
{
    RadRaw r;
    int rc;
    memset(&r, 0xff, sizeof r);
    rc = rad_nrrd_read(tmp(name), &r);
    tap_ok(rc == -1 && r.data == NULL, "%s: fails without data", what);
    tap_contains(rad_error_message(), sub, what);
    if (!strstr(rad_error_message(), name))
        tap_diag("message does not name the file: %s", rad_error_message());
    tap_ok(strstr(rad_error_message(), name) != NULL, "%s: message names the file", what);
    rad_raw_free(&r);
}

static void test_bad_input(void)
{
    unsigned char buf[8192], *gz;
    size_t n;
    expect_fail("missing.nrrd", "No such file", "missing file");
    put_file("text.txt.nrrd", "hello, I am not an image\n", "", 0);
    expect_fail("text.txt.nrrd", "not a NRRD file", "not NRRD");
    memset(buf, 7, sizeof buf);
    put_file("short.nrrd", "NRRD0004\ntype: uint16\ndimension: 3\nsizes: 4 4 4\nendian: little\nencoding: raw\n\n",
             buf, 100);
    expect_fail("short.nrrd", "truncated: expected 128 bytes of data, found 100", "truncated raw data");
    put_file("long.nrrd", "NRRD0004\ntype: uint16\ndimension: 3\nsizes: 4 4 4\nendian: little\nencoding: raw\n\n",
             buf, 130);
    expect_fail("long.nrrd", "expected 128 bytes of data, found more", "too much raw data");
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i % 13 + i / 1000);
    n = gzip_bytes(buf, 4096, &gz);
    put_file("shortgz.nrrd",
             "NRRD0004\ntype: float\ndimension: 3\nsizes: 16 16 8\nendian: little\nencoding: gzip\n\n", gz, n);
    expect_fail("shortgz.nrrd", "truncated: expected 8192 bytes of data, found 4096", "gzip data too short");
    put_file("cutgz.nrrd",
             "NRRD0004\ntype: float\ndimension: 3\nsizes: 16 16 8\nendian: little\nencoding: gzip\n\n", gz, n / 2);
    expect_fail("cutgz.nrrd", "truncated: expected 8192 bytes of data, found", "truncated gzip data");
    gz[n - 6] ^= 0x55; /* the CRC-32 in the gzip trailer */
    put_file("badgz.nrrd",
             "NRRD0004\ntype: float\ndimension: 3\nsizes: 16 16 4\nendian: little\nencoding: gzip\n\n", gz, n);
    expect_fail("badgz.nrrd", "corrupt gzip data", "corrupt gzip data");
    free(gz);
    put_file("notgz.nrrd", "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 4 4 4\nencoding: gzip\n\n", buf, 64);
    expect_fail("notgz.nrrd", "corrupt gzip data", "raw bytes labelled gzip");
    put_file("block.nrrd", "NRRD0004\ntype: block\nblock size: 4\ndimension: 3\nsizes: 2 2 2\nencoding: raw\n\n",
             buf, 32);
    expect_fail("block.nrrd", "unsupported type 'block'", "unsupported type");
    put_file("vol4.nrrd",
             "NRRD0004\ntype: uint8\ndimension: 4\nsizes: 3 2 2 5\nencoding: raw\n\n", buf, 60);
    expect_fail("vol4.nrrd", "dimension 4 with sizes 3 2 2 5", "4D with a 4th axis of size 5");
    put_file("vector.nrrd",
             "NRRD0004\ntype: uint8\ndimension: 4\nspace: LPS\nsizes: 3 2 2 2\n"
             "space directions: none (1,0,0) (0,1,0) (0,0,1)\nencoding: raw\n\n", buf, 24);
    expect_fail("vector.nrrd", "not spatial", "vector image");
    put_file("nosizes.nrrd", "NRRD0004\ntype: uint8\ndimension: 3\nencoding: raw\n\n", buf, 8);
    expect_fail("nosizes.nrrd", "no 'sizes' field", "missing sizes");
    put_file("negsizes.nrrd", "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 -2 2\nencoding: raw\n\n", buf, 8);
    expect_fail("negsizes.nrrd", "bad 'sizes: 2 -2 2'", "negative size");
    put_file("fewsizes.nrrd", "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 2\nencoding: raw\n\n", buf, 4);
    expect_fail("fewsizes.nrrd", "bad 'sizes: 2 2'", "too few sizes");
    put_file("bigsizes.nrrd", "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 99999999999999999999 2 2\n"
                              "encoding: raw\n\n", buf, 8);
    expect_fail("bigsizes.nrrd", "bad 'sizes", "size overflowing 64 bits");
    put_file("huge.nrrd", "NRRD0004\ntype: double\ndimension: 3\nsizes: 4096 4096 4096\nendian: little\n"
                          "encoding: gzip\n\n", buf, 8);
    expect_fail("huge.nrrd", "more than 2^31 voxels", "more than 2^31 voxels");
    put_file("bz.nrrd", "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 2 2\nencoding: bzip2\n\n", buf, 8);
    expect_fail("bz.nrrd", "unsupported encoding 'bzip2'", "bzip2 encoding");
    put_file("noendian.nrrd", "NRRD0004\ntype: int16\ndimension: 3\nsizes: 2 2 2\nencoding: raw\n\n", buf, 16);
    expect_fail("noendian.nrrd", "no 'endian' field", "missing endian for int16");
    put_file("nodata.nhdr", "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 2 2\nencoding: raw\n"
                            "data file: gone.raw\n", "", 0);
    expect_fail("nodata.nhdr", "cannot open the data file", "missing detached data file");
    put_file("list.nhdr", "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 2 2\nencoding: raw\n"
                          "data file: LIST\na.raw\nb.raw\n", "", 0);
    expect_fail("list.nhdr", "names several files", "data file LIST");
    put_file("baddir.nrrd", "NRRD0004\ntype: uint8\ndimension: 3\nspace: LPS\nsizes: 2 2 2\n"
                            "space directions: (1,0,0) (0,1) (0,0,1)\nencoding: raw\n\n", buf, 8);
    expect_fail("baddir.nrrd", "bad 'space directions", "space direction with 2 numbers in 3D space");
    put_file("flatdir.nrrd", "NRRD0004\ntype: uint8\ndimension: 3\nspace: LPS\nsizes: 2 2 2\n"
                             "space directions: (1,0,0) (2,0,0) (0,0,1)\nencoding: raw\n\n", buf, 8);
    expect_fail("flatdir.nrrd", "singular", "parallel space directions");
    put_file("noblank.nrrd", "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 2 2\nencoding: raw\n", buf, 8);
    expect_fail("noblank.nrrd", "blank line", "missing blank line before binary data");
    put_file("asciibad.nrrd", "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 1 1\nencoding: ascii\n\n1 256\n",
             "", 0);
    expect_fail("asciibad.nrrd", "ascii value 2 ('256') is not a valid uint8", "ascii value out of range");
    put_file("asciishort.nrrd", "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 2 1\nencoding: ascii\n\n1 2 3",
             "", 0);
    expect_fail("asciishort.nrrd", "truncated: expected 4 ascii values, found 3", "ascii too few values");
}

/* Writer failures leave no file and no temporary behind. */
static void test_write_errors(void)
{
    RadRaw raw;
    uint8_t v[8] = {0};
    memset(&raw, 0, sizeof raw);
    rad_geometry_init(&raw.geom, 3, 2, 2, 2);
    raw.dtype = RAD_U8;
    raw.data = v;
    tap_ok(rad_nrrd_write(tmp("nodir/x.nrrd"), &raw) == -1, "write into a missing folder fails");
    tap_contains(rad_error_message(), "nodir/x.nrrd", "write error names the file");
    raw.geom.spacing[1] = 0;
    tap_ok(rad_nrrd_write(tmp("badgeom.nrrd"), &raw) == -1 && access(tmp("badgeom.nrrd"), F_OK) != 0,
           "bad geometry is refused and nothing written");
    raw.geom.spacing[1] = 1;
    raw.data = NULL;
    tap_ok(rad_nrrd_write(tmp("nodata.nrrd"), &raw) == -1, "missing data is refused");
}

/* No ".rad-tmp" files remain in tmpdir. */
static void test_no_temporaries(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    int left = 0;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".rad-tmp"))
            left++;
    if (d)
        closedir(d);
    tap_ok(d && left == 0, "no temporary files left behind (%d)", left);
}

static long count_label(const RadRaw *r, long label)
{
    size_t n = rad_geometry_nvox(&r->geom);
    long count = 0;
    for (size_t i = 0; i < n; i++) {
        long v;
        switch (r->dtype) {
        case RAD_U8: v = ((uint8_t *)r->data)[i]; break;
        case RAD_I16: v = ((int16_t *)r->data)[i]; break;
        case RAD_U16: v = ((uint16_t *)r->data)[i]; break;
        case RAD_I32: v = ((int32_t *)r->data)[i]; break;
        default: return -1;
        }
        count += v == label;
    }
    return count;
}

/* PyRadiomics' brain1 case: the image (int16) and its label map (int32). */
static void test_brain1(void)
{
    const int ntests = 9;
    const char *dir = tap_data_dir();
    char img_path[4096], lab_path[4096];
    RadRaw img, lab;
    if (!dir) {
        tap_skip(ntests, "reference data ../shared/data not found");
        return;
    }
    snprintf(img_path, sizeof img_path, "%s/pyradiomics/brain1_image.nrrd", dir);
    snprintf(lab_path, sizeof lab_path, "%s/pyradiomics/brain1_label.nrrd", dir);
    if (access(img_path, R_OK) != 0 || access(lab_path, R_OK) != 0) {
        tap_skip(ntests, "reference data ../shared/data not found");
        return;
    }
    if (!tap_ok(rad_nrrd_read(img_path, &img) == 0, "brain1 image reads"))
        tap_diag("%s", rad_error_message());
    if (!tap_ok(rad_nrrd_read(lab_path, &lab) == 0, "brain1 label reads"))
        tap_diag("%s", rad_error_message());
    if (!img.data || !lab.data) {
        tap_skip(ntests - 2, "brain1 read failed");
    } else {
        const RadGeometry *g = &img.geom;
        tap_ok(g->ndim == 3 && g->dim[0] == 256 && g->dim[1] == 256 && g->dim[2] == 25, "brain1: 256x256x25");
        tap_near(g->spacing[0], 0.78125, 1e-6, "brain1: spacing x 0.78125 mm");
        tap_near(g->spacing[1], 0.78125, 1e-6, "brain1: spacing y 0.78125 mm");
        tap_near(g->spacing[2], 6.5, 1e-6, "brain1: spacing z 6.5 mm");
        tap_ok(img.dtype == RAD_I16 && g->direction[4] == -1, "brain1: int16, y axis runs anterior");
        tap_ok(rad_geometry_same(&img.geom, &lab.geom, 1e-3), "brain1: image and label geometries agree (1e-3 mm)");
        long n = count_label(&lab, 1);
        if (!tap_ok(n == 4137, "brain1: 4137 voxels of label 1"))
            tap_diag("counted %ld", n);
    }
    rad_raw_free(&img);
    rad_raw_free(&lab);
}

static void remove_tmpdir(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    char path[512];
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
        remove(path);
    }
    if (d)
        closedir(d);
    rmdir(tmpdir);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/radlab-nrrd-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 99;
    }
    test_round_trips();
    test_oblique();
    test_raw_little();
    test_big_endian();
    test_ras();
    test_spacings();
    test_2d();
    test_4d_size1();
    test_ascii();
    test_detached();
    test_bad_input();
    test_write_errors();
    test_no_temporaries();
    test_brain1();
    remove_tmpdir();
    return tap_done();
}
