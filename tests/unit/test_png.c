/* radlab: tests of PNG reading and writing.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test PNGs are written here with libpng directly (in a fresh folder under
 * /tmp), read with rad_png_read, and the PNGs that radlab writes are read back
 * with libpng directly, so that neither side only checks itself.
 */
#include <dirent.h>
#include <fcntl.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rad.h"
#include "tap.h"

static char dir[64];

/* A path inside the test folder (static buffer rotated over 4 calls). */
static const char *tpath(const char *name)
{
    static char buf[4][256];
    static int n;
    char *p = buf[n++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

/* ---- writing test PNGs with libpng ----------------------------------------- */

typedef struct TestPng {
    png_uint_32 w, h;
    int depth, ctype, interlace;
    const png_byte *rows;     /* packed PNG rows, rowbytes each, top first */
    size_t rowbytes;
    const png_color *palette; /* for PNG_COLOR_TYPE_PALETTE */
    int npalette;
    png_uint_32 ppm_x, ppm_y; /* pHYs when nonzero */
    int phys_unit;
    const char *text;         /* a tEXt "Title" chunk when not NULL */
} TestPng;

static int write_test_png(const char *path, const TestPng *t)
{
    FILE *fp = fopen(path, "wb");
    png_structp png;
    png_infop info;
    png_bytep rows[256];
    if (!fp || t->h > 256)
        return -1;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(fp);
        return -1;
    }
    png_init_io(png, fp);
    png_set_IHDR(png, info, t->w, t->h, t->depth, t->ctype, t->interlace,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (t->palette)
        png_set_PLTE(png, info, t->palette, t->npalette);
    if (t->ppm_x)
        png_set_pHYs(png, info, t->ppm_x, t->ppm_y, t->phys_unit);
    if (t->text) {
        png_text tx;
        char key[] = "Title";
        memset(&tx, 0, sizeof tx);
        tx.compression = PNG_TEXT_COMPRESSION_NONE;
        tx.key = key;
        tx.text = (png_charp)t->text;
        png_set_text(png, info, &tx, 1);
    }
    png_write_info(png, info);
    for (png_uint_32 j = 0; j < t->h; j++)
        rows[j] = (png_bytep)(t->rows + j * t->rowbytes);
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return fclose(fp) == 0 ? 0 : -1;
}

/* ---- reading radlab's PNGs with libpng -------------------------------------- */

typedef struct Got {
    png_uint_32 w, h;
    int depth, ctype;
    png_byte pix[64 * 64];
    char software[128], comment[256];
    png_uint_32 ppm_x, ppm_y;
    int unit;
} Got;

static int read_back(const char *path, Got *g)
{
    FILE *fp = fopen(path, "rb");
    png_structp png;
    png_infop info;
    png_bytep rows[64];
    png_textp text;
    int ntext;
    memset(g, 0, sizeof *g);
    if (!fp)
        return -1;
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        fclose(fp);
        return -1;
    }
    png_init_io(png, fp);
    png_read_info(png, info);
    g->w = png_get_image_width(png, info);
    g->h = png_get_image_height(png, info);
    g->depth = png_get_bit_depth(png, info);
    g->ctype = png_get_color_type(png, info);
    if (g->w > 64 || g->h > 64 || g->depth != 8 || g->ctype != PNG_COLOR_TYPE_GRAY)
        png_error(png, "not what the test expects");
    for (png_uint_32 j = 0; j < g->h; j++)
        rows[j] = g->pix + j * g->w;
    png_read_image(png, rows);
    png_read_end(png, info);
    png_get_pHYs(png, info, &g->ppm_x, &g->ppm_y, &g->unit);
    if (png_get_text(png, info, &text, &ntext) > 0) {
        for (int t = 0; t < ntext; t++) {
            if (strcmp(text[t].key, "Software") == 0)
                snprintf(g->software, sizeof g->software, "%s", text[t].text);
            if (strcmp(text[t].key, "Comment") == 0)
                snprintf(g->comment, sizeof g->comment, "%s", text[t].text);
        }
    }
    png_destroy_read_struct(&png, &info, NULL);
    fclose(fp);
    return 0;
}

/* ---- small helpers ---------------------------------------------------------- */

/* " (last error message)", or "" when there is none; call after the call
 * under test (clear the message before it). */
static const char *why(void)
{
    static char buf[1100];
    const char *m = rad_error_message();
    if (!*m)
        return "";
    snprintf(buf, sizeof buf, " (%s)", m);
    return buf;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Number of leftover temporary files (".rad-tmp-...") in the test folder. */
static int count_tmp_files(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, ".rad-tmp", 8) == 0)
            n++;
    closedir(d);
    return n;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    return (unsigned char *)rad_file_slurp(path, len);
}

static int spit(const char *path, const unsigned char *buf, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    fwrite(buf, 1, len, fp);
    return fclose(fp);
}

static RadImage *new_image(size_t nx, size_t ny, size_t nz)
{
    RadGeometry g;
    rad_geometry_init(&g, nz > 1 ? 3 : 2, nx, ny, nz);
    return rad_image_new(&g);
}

/* The geometry of a PNG read: 2D, w x h, unit origin/direction, given spacing. */
static void check_geometry(const RadRaw *r, size_t w, size_t h, double sx, double sy, const char *what)
{
    int ident = 1;
    for (int a = 0; a < 9; a++)
        ident &= r->geom.direction[a] == (a % 4 == 0 ? 1.0 : 0.0);
    tap_ok(r->geom.ndim == 2 && r->geom.dim[0] == w && r->geom.dim[1] == h && r->geom.dim[2] == 1,
           "%s: 2D, %zux%zu (got ndim %d, %zux%zux%zu)", what, w, h, r->geom.ndim,
           r->geom.dim[0], r->geom.dim[1], r->geom.dim[2]);
    tap_ok(fabs(r->geom.spacing[0] - sx) < 1e-9 && fabs(r->geom.spacing[1] - sy) < 1e-9 &&
               r->geom.origin[0] == 0 && r->geom.origin[1] == 0 && r->geom.origin[2] == 0 && ident &&
               r->slope == 1 && r->inter == 0,
           "%s: spacing %g x %g mm, origin 0, identity direction, slope 1, inter 0", what, sx, sy);
}

/* ---- reading ---------------------------------------------------------------- */

static void test_grey8(void)
{
    enum { W = 7, H = 5 };
    png_byte px[W * H];
    TestPng t = {W, H, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, px, W, NULL, 0, 0, 0, 0, NULL};
    RadRaw r;
    int rc;
    for (int v = 0; v < W * H; v++)
        px[v] = (png_byte)(v * 37 + 3);
    px[0] = 0;
    px[W * H - 1] = 255;
    write_test_png(tpath("g8.png"), &t);
    rad_error_clear();
    rc = rad_png_read(tpath("g8.png"), &r);
    tap_ok(rc == 0, "8-bit grey reads%s", why());
    tap_ok(r.dtype == RAD_U8, "8-bit grey is RAD_U8");
    check_geometry(&r, W, H, 1, 1, "8-bit grey");
    tap_ok(r.data && memcmp(r.data, px, sizeof px) == 0, "8-bit grey values bit-exact, row 0 on top");
    free(r.data);

    /* The same picture Adam7-interlaced reads the same. */
    t.interlace = PNG_INTERLACE_ADAM7;
    write_test_png(tpath("g8i.png"), &t);
    tap_ok(rad_png_read(tpath("g8i.png"), &r) == 0 && r.dtype == RAD_U8 &&
               memcmp(r.data, px, sizeof px) == 0,
           "interlaced 8-bit grey values bit-exact");
    free(r.data);
}

static void test_grey16(void)
{
    enum { W = 4, H = 3 };
    uint16_t want[W * H] = {0, 1, 255, 256, 4095, 32768, 65535, 1000, 12345, 54321, 2, 65534};
    png_byte px[W * H * 2];
    TestPng t = {W, H, 16, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, px, W * 2, NULL, 0, 0, 0, 0, NULL};
    RadRaw r;
    int rc;
    for (int v = 0; v < W * H; v++) {
        px[2 * v] = (png_byte)(want[v] >> 8);
        px[2 * v + 1] = (png_byte)(want[v] & 0xff);
    }
    write_test_png(tpath("g16.png"), &t);
    rad_error_clear();
    rc = rad_png_read(tpath("g16.png"), &r);
    tap_ok(rc == 0, "16-bit grey reads%s", why());
    tap_ok(r.dtype == RAD_U16, "16-bit grey is RAD_U16");
    check_geometry(&r, W, H, 1, 1, "16-bit grey");
    tap_ok(r.data && memcmp(r.data, want, sizeof want) == 0, "16-bit grey values bit-exact");
    free(r.data);
}

static void test_grey_alpha(void)
{
    png_byte px[] = {77, 0, 200, 255, 5, 128};
    TestPng t = {3, 1, 8, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_INTERLACE_NONE, px, 6, NULL, 0, 0, 0, 0, NULL};
    RadRaw r;
    const uint8_t *d;
    write_test_png(tpath("ga.png"), &t);
    tap_ok(rad_png_read(tpath("ga.png"), &r) == 0 && r.dtype == RAD_U8, "grey+alpha reads as RAD_U8");
    d = r.data;
    tap_ok(d && d[0] == 77 && d[1] == 200 && d[2] == 5, "grey+alpha: alpha ignored (77 200 5)");
    free(r.data);
}

static void test_rgb(void)
{
    /* Luma by hand: 0.299 R + 0.587 G + 0.114 B. */
    png_byte px[] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 255, 255, 255, 0, 0, 0};
    TestPng t = {3, 2, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, px, 9, NULL, 0, 0, 0, 0, NULL};
    RadRaw r;
    int rc;
    const float *d;
    write_test_png(tpath("rgb.png"), &t);
    rad_error_clear();
    rc = rad_png_read(tpath("rgb.png"), &r);
    tap_ok(rc == 0, "RGB reads%s", why());
    tap_ok(r.dtype == RAD_F32, "RGB is RAD_F32 (unrounded luma)");
    check_geometry(&r, 3, 2, 1, 1, "RGB");
    d = r.data;
    if (d) {
        tap_near(d[0], 76.245, 1e-4, "RGB (255,0,0) -> 76.245");
        tap_near(d[1], 149.685, 1e-4, "RGB (0,255,0) -> 149.685");
        tap_near(d[2], 29.07, 1e-4, "RGB (0,0,255) -> 29.07");
        tap_near(d[3], 18.15, 1e-4, "RGB (10,20,30) -> 2.99 + 11.74 + 3.42 = 18.15");
        tap_near(d[4], 255.0, 1e-4, "RGB (255,255,255) -> 255");
        tap_near(d[5], 0.0, 0, "RGB (0,0,0) -> 0");
    } else {
        tap_skip(6, "no data");
    }
    free(r.data);
}

static void test_rgba(void)
{
    png_byte px[] = {100, 150, 200, 0, 100, 150, 200, 255, 1, 2, 3, 77};
    TestPng t = {3, 1, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE, px, 12, NULL, 0, 0, 0, 0, NULL};
    RadRaw r;
    const float *d;
    write_test_png(tpath("rgba.png"), &t);
    tap_ok(rad_png_read(tpath("rgba.png"), &r) == 0 && r.dtype == RAD_F32, "RGBA reads as RAD_F32");
    d = r.data;
    if (d) {
        tap_near(d[0], 140.75, 1e-4, "RGBA (100,150,200, alpha 0) -> 29.9 + 88.05 + 22.8 = 140.75");
        tap_near(d[1], 140.75, 1e-4, "RGBA (100,150,200, alpha 255) -> 140.75 (alpha ignored)");
        tap_near(d[2], 1.815, 1e-5, "RGBA (1,2,3) -> 0.299 + 1.174 + 0.342 = 1.815");
    } else {
        tap_skip(3, "no data");
    }
    free(r.data);

    /* 16-bit colour: luma on the 16-bit samples. */
    png_byte px16[] = {0x03, 0xe8, 0x07, 0xd0, 0x0b, 0xb8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    TestPng t16 = {2, 1, 16, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, px16, 12, NULL, 0, 0, 0, 0, NULL};
    write_test_png(tpath("rgb16.png"), &t16);
    tap_ok(rad_png_read(tpath("rgb16.png"), &r) == 0 && r.dtype == RAD_F32, "16-bit RGB reads as RAD_F32");
    d = r.data;
    if (d) {
        tap_near(d[0], 1815.0, 1e-3, "16-bit RGB (1000,2000,3000) -> 299 + 1174 + 342 = 1815");
        tap_near(d[1], 65535.0, 1e-2, "16-bit RGB white -> 65535");
    } else {
        tap_skip(2, "no data");
    }
    free(r.data);
}

static void test_palette(void)
{
    png_color pal[3] = {{0, 0, 0}, {255, 0, 0}, {100, 150, 200}};
    /* 4-bit indices, two per byte, high nibble first: row 0 = 1 0 2, row 1 = 2 2 1. */
    png_byte px[] = {0x10, 0x20, 0x22, 0x10};
    TestPng t = {3, 2, 4, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE, px, 2, pal, 3, 0, 0, 0, NULL};
    RadRaw r;
    int rc;
    const float *d;
    write_test_png(tpath("pal.png"), &t);
    rad_error_clear();
    rc = rad_png_read(tpath("pal.png"), &r);
    tap_ok(rc == 0 && r.dtype == RAD_F32,
           "4-bit palette reads as RAD_F32%s", why());
    d = r.data;
    if (d) {
        tap_ok(fabs(d[0] - 76.245) < 1e-4 && d[1] == 0 && fabs(d[2] - 140.75) < 1e-4,
               "palette row 0: red 76.245, black 0, (100,150,200) 140.75");
        tap_ok(fabs(d[3] - 140.75) < 1e-4 && fabs(d[4] - 140.75) < 1e-4 && fabs(d[5] - 76.245) < 1e-4,
               "palette row 1: 140.75 140.75 76.245");
    } else {
        tap_skip(2, "no data");
    }
    free(r.data);
}

static void test_grey1(void)
{
    /* 10 pixels a row, MSB first: row 0 = 1011000001, row 1 = 0100000010. */
    png_byte px[] = {0xb0, 0x40, 0x40, 0x80};
    const uint8_t want[20] = {255, 0, 255, 255, 0, 0, 0, 0, 0, 255,
                              0, 255, 0, 0, 0, 0, 0, 0, 255, 0};
    TestPng t = {10, 2, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, px, 2, NULL, 0, 0, 0, 0, NULL};
    RadRaw r;
    int rc;
    write_test_png(tpath("g1.png"), &t);
    rad_error_clear();
    rc = rad_png_read(tpath("g1.png"), &r);
    tap_ok(rc == 0 && r.dtype == RAD_U8,
           "1-bit grey reads as RAD_U8%s", why());
    tap_ok(r.data && memcmp(r.data, want, sizeof want) == 0, "1-bit grey expanded to 0/255, bit order MSB first");
    free(r.data);

    /* 2-bit grey: 0..3 scale to 0, 85, 170, 255. */
    png_byte px2[] = {0x1b};
    TestPng t2 = {4, 1, 2, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, px2, 1, NULL, 0, 0, 0, 0, NULL};
    const uint8_t *d;
    write_test_png(tpath("g2.png"), &t2);
    tap_ok(rad_png_read(tpath("g2.png"), &r) == 0 && r.dtype == RAD_U8, "2-bit grey reads");
    d = r.data;
    tap_ok(d && d[0] == 0 && d[1] == 85 && d[2] == 170 && d[3] == 255, "2-bit grey 0 1 2 3 -> 0 85 170 255");
    free(r.data);
}

static void test_phys(void)
{
    png_byte px[6] = {1, 2, 3, 4, 5, 6};
    TestPng t = {3, 2, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, px, 3, NULL, 0,
                 2000, 4000, PNG_RESOLUTION_METER, NULL};
    RadRaw r;
    write_test_png(tpath("phys.png"), &t);
    tap_ok(rad_png_read(tpath("phys.png"), &r) == 0, "pHYs PNG reads");
    check_geometry(&r, 3, 2, 0.5, 0.25, "pHYs 2000 x 4000 px/m");
    free(r.data);

    t.phys_unit = PNG_RESOLUTION_UNKNOWN;
    write_test_png(tpath("phys0.png"), &t);
    tap_ok(rad_png_read(tpath("phys0.png"), &r) == 0 && r.geom.spacing[0] == 1 && r.geom.spacing[1] == 1,
           "pHYs without a unit (aspect only) keeps 1 mm spacing");
    free(r.data);
}

/* A damaged ancillary chunk is a libpng warning: the read succeeds and
 * nothing is printed on stderr. */
static void test_quiet_warning(void)
{
    png_byte px[4] = {9, 8, 7, 6};
    TestPng t = {2, 2, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, px, 2, NULL, 0, 0, 0, 0, "hello"};
    unsigned char *buf;
    size_t len, at = 0;
    RadRaw r;
    int rc, saved, fd;
    struct stat st;

    write_test_png(tpath("warn.png"), &t);
    buf = slurp(tpath("warn.png"), &len);
    for (size_t p = 8; buf && p + 8 < len; p++)
        if (memcmp(buf + p, "tEXt", 4) == 0) {
            size_t n = (size_t)buf[p - 4] << 24 | buf[p - 3] << 16 | buf[p - 2] << 8 | buf[p - 1];
            at = p + 4 + n; /* first CRC byte */
            break;
        }
    tap_ok(at > 0 && at < len, "found the tEXt chunk's CRC");
    if (at > 0 && at < len) {
        buf[at] ^= 0xff;
        spit(tpath("warn.png"), buf, len);
    }
    free(buf);

    fflush(stderr);
    saved = dup(2);
    fd = open(tpath("stderr.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
    rc = rad_png_read(tpath("warn.png"), &r);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    tap_ok(rc == 0 && r.data && ((uint8_t *)r.data)[3] == 6,
           "PNG with a bad tEXt CRC still reads (%s)", rc ? rad_error_message() : "ok");
    tap_ok(stat(tpath("stderr.txt"), &st) == 0 && st.st_size == 0, "libpng warning did not reach stderr");
    free(r.data);
}

/* ---- read errors -------------------------------------------------------------- */

static void test_read_errors(void)
{
    RadRaw r;
    unsigned char *buf;
    size_t len;
    FILE *fp;
    png_byte px[64 * 64];
    TestPng t = {64, 64, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, px, 64, NULL, 0, 0, 0, 0, NULL};

    r.data = &r;
    tap_ok(rad_png_read(tpath("missing.png"), &r) == -1 && r.data == NULL, "missing file fails, data NULL");
    tap_contains(rad_error_message(), "cannot open", "missing file: 'cannot open'");
    tap_contains(rad_error_message(), "missing.png", "missing file: names the file");

    fp = fopen(tpath("text.png"), "w");
    fputs("this is not a picture\n", fp);
    fclose(fp);
    r.data = &r;
    tap_ok(rad_png_read(tpath("text.png"), &r) == -1 && r.data == NULL, "text file named .png fails");
    tap_contains(rad_error_message(), "is not a PNG file (bad signature)", "text file: bad signature");
    tap_contains(rad_error_message(), "text.png", "text file: names the file");

    fp = fopen(tpath("tiny.png"), "w");
    fputs("\x89PN", fp);
    fclose(fp);
    tap_ok(rad_png_read(tpath("tiny.png"), &r) == -1, "3-byte file fails");
    tap_contains(rad_error_message(), "bad signature", "3-byte file: bad signature");

    /* A noisy picture, so that half the file ends inside the pixel data. */
    srand(7);
    for (size_t v = 0; v < sizeof px; v++)
        px[v] = (png_byte)(rand() & 0xff);
    write_test_png(tpath("good.png"), &t);
    buf = slurp(tpath("good.png"), &len);
    tap_ok(buf && len > 4000, "noisy 64x64 PNG written (%zu bytes)", len);
    if (!buf)
        return;

    spit(tpath("half.png"), buf, len / 2);
    r.data = &r;
    tap_ok(rad_png_read(tpath("half.png"), &r) == -1 && r.data == NULL, "truncated PNG fails, data NULL");
    /* the chunk scan names the cut chunk before libpng reads it (the IDAT
     * starts at byte 33, after the signature and the 25-byte IHDR) */
    tap_contains(rad_error_message(), "half.png': chunk 'IDAT' at byte 33 declares ",
                 "truncated: the chunk cut short is named");
    tap_contains(rad_error_message(), "past the end of the file (", "truncated: ... past the end of the file");

    /* Cut just before IEND: all pixels present, the end chunk missing. */
    spit(tpath("noend.png"), buf, len - 12);
    tap_ok(rad_png_read(tpath("noend.png"), &r) == -1, "PNG without IEND fails");
    tap_contains(rad_error_message(), "truncated or corrupt PNG", "no IEND: truncated or corrupt");

    /* IHDR's CRC: 8 signature + 4 length + 4 type + 13 data = byte 29. */
    buf[29] ^= 0x55;
    spit(tpath("crc.png"), buf, len);
    tap_ok(rad_png_read(tpath("crc.png"), &r) == -1, "PNG with a bad IHDR CRC fails");
    tap_contains(rad_error_message(), "crc.png': truncated or corrupt PNG", "bad CRC: names the file");
    tap_contains(rad_error_message(), "CRC", "bad CRC: libpng's reason says CRC");
    buf[29] ^= 0x55;

    /* Damage inside the compressed pixel data (the IDAT CRC then fails). */
    buf[len / 2] ^= 0xff;
    spit(tpath("idat.png"), buf, len);
    tap_ok(rad_png_read(tpath("idat.png"), &r) == -1, "PNG with damaged IDAT fails");
    tap_contains(rad_error_message(), "idat.png': truncated or corrupt PNG", "damaged IDAT: corrupt");
    free(buf);
}

/* ---- writing ------------------------------------------------------------------ */

static void test_write_slice(void)
{
    /* 11 x 3 x 2; slice 1 row 0 is a ramp 0, 10, ..., 100, row 1 has the
     * special values, row 2 marks the orientation.  Window level 50 width
     * 100: 0 -> 0, 100 -> 255, v -> round_half_up(v * 255 / 100). */
    RadImage *img = new_image(11, 3, 2);
    const uint8_t ramp[11] = {0, 26, 51, 77, 102, 128, 153, 179, 204, 230, 255};
    const float row1[11] = {-5, 150, NAN, INFINITY, -INFINITY, 49.99f, 50.01f, 0.2f, 99.8f, 1e30f, -1e30f};
    const uint8_t want1[11] = {0, 255, 0, 255, 0, 127, 128, 1, 254, 255, 0};
    Got g;
    RadRaw r;
    int rc;
    int ok = 1;

    if (!tap_ok(img != NULL, "11x3x2 image made"))
        return;
    img->geom.spacing[0] = 0.5;
    img->geom.spacing[1] = 0.8;
    img->geom.spacing[2] = 3;
    for (size_t v = 0; v < 11 * 3 * 2; v++)
        img->data[v] = 1000; /* slice 0: all white under the window */
    for (int i = 0; i < 11; i++) {
        img->data[33 + i] = (float)(10 * i);
        img->data[33 + 11 + i] = row1[i];
        img->data[33 + 22 + i] = i == 0 ? 100.0f : 0.0f;
    }

    rad_error_clear();
    rc = rad_png_write_slice(img, 1, 50, 100, tpath("slice.png"));
    tap_ok(rc == 0,
           "write slice 1 with level 50 width 100%s", why());
    tap_ok(count_tmp_files() == 0, "no temporary file left after a write");
    tap_ok(read_back(tpath("slice.png"), &g) == 0, "written PNG reads back with libpng as 8-bit grey");
    tap_ok(g.w == 11 && g.h == 3 && g.depth == 8 && g.ctype == PNG_COLOR_TYPE_GRAY,
           "written PNG is 8-bit grey, 11x3 (got %ux%u, depth %d, colour type %d)",
           (unsigned)g.w, (unsigned)g.h, g.depth, g.ctype);
    for (int i = 0; i < 11; i++)
        ok &= g.pix[i] == ramp[i];
    tap_ok(ok, "ramp 0..100 -> 0 26 51 77 102 128 153 179 204 230 255 (halves round up)");
    tap_ok(g.pix[0] == 0 && g.pix[5] == 128 && g.pix[10] == 255,
           "level - width/2 -> 0, level -> 128 (127.5 rounded up), level + width/2 -> 255");
    ok = 1;
    for (int i = 0; i < 11; i++)
        ok &= g.pix[11 + i] == want1[i];
    tap_ok(ok, "below 0, above 255, NaN 0, +inf 255, -inf 0, 49.99 -> 127, 50.01 -> 128, 0.2 -> 1, 99.8 -> 254");
    tap_ok(g.pix[22] == 255 && g.pix[23] == 0 && g.pix[32] == 0, "row j = 2 is the third PNG row (j = 0 on top)");
    tap_ok(strcmp(g.software, "radlab " RAD_VERSION) == 0, "Software text chunk is 'radlab %s' (got '%s')",
           RAD_VERSION, g.software);
    tap_contains(g.comment, "window level 50 width 100, slice 2 (1-based) of 11x3x2", "Comment text chunk names window and slice");
    tap_ok(g.unit == PNG_RESOLUTION_METER && g.ppm_x == 2000 && g.ppm_y == 1250,
           "pHYs 2000 x 1250 px/m from spacing 0.5 x 0.8 mm (got %u x %u, unit %d)",
           (unsigned)g.ppm_x, (unsigned)g.ppm_y, g.unit);

    tap_ok(rad_png_read(tpath("slice.png"), &r) == 0 && r.dtype == RAD_U8, "radlab reads its own PNG");
    check_geometry(&r, 11, 3, 0.5, 0.8, "written slice");
    tap_ok(r.data && memcmp(r.data, g.pix, 33) == 0, "rad_png_read agrees with libpng on the pixels");
    free(r.data);

    /* Slice 0: everything at 1000 is white. */
    tap_ok(rad_png_write_slice(img, 0, 50, 100, tpath("slice0.png")) == 0 &&
               read_back(tpath("slice0.png"), &g) == 0 && g.pix[0] == 255 && g.pix[32] == 255,
           "slice 0 (all 1000) is white");
    tap_contains(g.comment, "slice 1 (1-based) of 11x3x2", "slice 0 comment says 1-based slice 1");

    /* Overwriting an existing file works (rename over it). */
    tap_ok(rad_png_write_slice(img, 1, 0, 1000, tpath("slice0.png")) == 0 &&
               read_back(tpath("slice0.png"), &g) == 0 && g.pix[0] == 128 && g.pix[10] == 153,
           "overwrite with level 0 width 1000: 0 -> 128 (127.5 up), 100 -> 153");

    /* Errors. */
    tap_ok(rad_png_write_slice(img, 2, 50, 100, tpath("bad.png")) == -1, "slice 2 of 2 fails");
    tap_contains(rad_error_message(), "slice 2 is out of range", "slice out of range: says so");
    tap_contains(rad_error_message(), "valid 0..1", "slice out of range: gives the valid range");
    tap_ok(rad_png_write_slice(img, 0, 50, 0, tpath("bad.png")) == -1, "width 0 fails");
    tap_contains(rad_error_message(), "width > 0", "width 0: asks for width > 0");
    tap_ok(rad_png_write_slice(img, 0, 50, -3, tpath("bad.png")) == -1, "width -3 fails");
    tap_ok(rad_png_write_slice(img, 0, 50, NAN, tpath("bad.png")) == -1, "width NaN fails");
    tap_ok(rad_png_write_slice(img, 0, NAN, 10, tpath("bad.png")) == -1, "level NaN fails");
    tap_ok(!file_exists(tpath("bad.png")) && count_tmp_files() == 0, "failed writes leave no file");

    tap_ok(rad_png_write_image(img, tpath("bad.png")) == -1, "3D image to rad_png_write_image fails");
    tap_contains(rad_error_message(), "a PNG holds one 2D slice", "3D image: one 2D slice");
    tap_contains(rad_error_message(), "bad.png' would need 2 slices", "3D image: names file and slice count");
    tap_contains(rad_error_message(), ".nii.gz/.nrrd", "3D image: suggests .nii.gz/.nrrd");

    tap_ok(rad_png_write_slice(img, 0, 50, 100, "/nonexistent-radlab-dir/x.png") == -1,
           "write into a nonexistent folder fails");
    tap_contains(rad_error_message(), "/nonexistent-radlab-dir/x.png", "nonexistent folder: names the file");
    tap_ok(!file_exists("/nonexistent-radlab-dir/x.png"), "nonexistent folder: no file");
    rad_image_free(img);
}

static void test_write_image(void)
{
    RadImage *img = new_image(4, 3, 1);
    const float vals[12] = {-10, 30, 10, 0, 20, NAN, -10, 30, 5, INFINITY, -INFINITY, 29};
    /* min -10, max 30 -> level 10, width 40: v -> round((v + 10) * 255 / 40). */
    const uint8_t want[12] = {0, 255, 128, 64, 191, 0, 0, 255, 96, 255, 0, 249};
    Got g;
    RadRaw r;
    int rc;
    int ok = 1;

    if (!tap_ok(img != NULL, "4x3 image made"))
        return;
    memcpy(img->data, vals, sizeof vals);
    rad_error_clear();
    rc = rad_png_write_image(img, tpath("img.png"));
    tap_ok(rc == 0, "rad_png_write_image%s", why());
    tap_ok(read_back(tpath("img.png"), &g) == 0 && g.w == 4 && g.h == 3, "image PNG is 4x3 8-bit grey");
    for (int v = 0; v < 12; v++)
        ok &= g.pix[v] == want[v];
    tap_ok(ok, "full finite range: -10 -> 0, 30 -> 255, 10 -> 128, 0 -> 64 (63.75), 5 -> 96 (95.625), 29 -> 249");
    tap_contains(g.comment, "window level 10 width 40, slice 1 (1-based) of 4x3x1", "image comment gives the window");
    rad_image_free(img);

    /* 0..255 integers round trip exactly. */
    img = new_image(16, 16, 1);
    for (int v = 0; v < 256; v++)
        img->data[v] = (float)((v * 97) % 256);
    tap_ok(rad_png_write_image(img, tpath("img256.png")) == 0 && rad_png_read(tpath("img256.png"), &r) == 0,
           "0..255 image written and read back");
    ok = r.data && r.dtype == RAD_U8 && r.geom.dim[0] == 16 && r.geom.dim[1] == 16;
    for (int v = 0; ok && v < 256; v++)
        ok &= ((uint8_t *)r.data)[v] == (v * 97) % 256;
    tap_ok(ok, "0..255 image round trip is exact, 16x16");
    free(r.data);

    /* Constant image: width 1 around the value -> mid grey. */
    for (int v = 0; v < 256; v++)
        img->data[v] = 7;
    tap_ok(rad_png_write_image(img, tpath("const.png")) == 0 && read_back(tpath("const.png"), &g) == 0 &&
               g.pix[0] == 128 && g.pix[255] == 128,
           "constant image is written mid grey (128)");
    tap_contains(g.comment, "window level 7 width 1", "constant image: width 1");
    rad_image_free(img);
}

static void test_write_mask(void)
{
    RadGeometry geom;
    RadMask *m;
    RadRaw r;
    int rc;
    Got g;
    rad_geometry_init(&geom, 2, 5, 2, 1);
    geom.spacing[0] = 2;
    geom.spacing[1] = 4;
    m = rad_mask_new(&geom);
    if (!tap_ok(m != NULL, "5x2 mask made"))
        return;
    const uint8_t lab[10] = {0, 1, 2, 3, 255, 0, 0, 7, 1, 1};
    memcpy(m->data, lab, sizeof lab);
    rad_error_clear();
    rc = rad_png_write_mask(m, tpath("mask.png"));
    tap_ok(rc == 0, "rad_png_write_mask%s", why());
    tap_ok(rad_png_read(tpath("mask.png"), &r) == 0 && r.dtype == RAD_U8 && r.data &&
               memcmp(r.data, lab, sizeof lab) == 0,
           "mask labels read back as they are");
    check_geometry(&r, 5, 2, 2, 4, "mask");
    free(r.data);
    tap_ok(read_back(tpath("mask.png"), &g) == 0 && strcmp(g.software, "radlab " RAD_VERSION) == 0,
           "mask PNG has the Software chunk");
    rad_mask_free(m);

    rad_geometry_init(&geom, 3, 5, 2, 3);
    m = rad_mask_new(&geom);
    tap_ok(m && rad_png_write_mask(m, tpath("mask3.png")) == -1, "3D mask fails");
    tap_contains(rad_error_message(), "mask3.png' would need 3 slices", "3D mask: names file and slices");
    tap_ok(!file_exists(tpath("mask3.png")), "3D mask: no file");
    rad_mask_free(m);
}

/* A failure inside libpng while writing (width over libpng's limit of a
 * million pixels) goes through the longjmp path and leaves no file. */
static void test_write_libpng_failure(void)
{
    RadImage *img = new_image(1000001, 1, 1);
    if (!tap_ok(img != NULL, "1000001x1 image made"))
        return;
    tap_ok(rad_png_write_image(img, tpath("wide.png")) == -1, "too wide for libpng: fails");
    tap_contains(rad_error_message(), "cannot write PNG '", "too wide: 'cannot write PNG'");
    tap_contains(rad_error_message(), "wide.png' (libpng: ", "too wide: names file, gives libpng's reason");
    tap_ok(!file_exists(tpath("wide.png")) && count_tmp_files() == 0, "too wide: no file, no temporary file");
    rad_image_free(img);
}

/* Remove the test folder and what is in it. */
static void cleanup(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            remove(tpath(e->d_name));
    closedir(d);
    rmdir(dir);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/radlab-png-XXXXXX");
    if (!mkdtemp(dir)) {
        printf("Bail out! cannot make a folder under /tmp\n");
        return 1;
    }
    (void)tap_data_dir; /* no reference data needed here */
    test_grey8();
    test_grey16();
    test_grey_alpha();
    test_rgb();
    test_rgba();
    test_palette();
    test_grey1();
    test_phys();
    test_quiet_warning();
    test_read_errors();
    test_write_slice();
    test_write_image();
    test_write_mask();
    test_write_libpng_failure();
    cleanup();
    return tap_done();
}
