/* radlab: PNG reading and writing (libpng).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libpng reports errors by longjmp.  That stays inside this file: every
 * libpng call that can fail runs in a small "body" function that calls
 * setjmp itself and returns -1 when libpng jumps back.  Whatever the body
 * allocates is kept in a context struct that lives in the caller's frame (not
 * in the body's), so its contents are well defined after the jump, and the
 * caller frees them on both paths.  Nothing outside this file ever sees a
 * longjmp.
 *
 * Reading.  Grey (1, 2, 4, 8, 16 bits), grey+alpha, RGB, RGBA and palette
 * images are read.  Grey below 8 bits is expanded to 8 bits (libpng scales the
 * samples to 0..255, so a 1-bit image reads as 0 and 255) and a palette is
 * expanded to its colours.  8-bit grey gives RAD_U8 and 16-bit grey RAD_U16,
 * bit-exact.  Colour is converted to grey with the ITU-R BT.601 luma weights
 *     Y = 0.299 R + 0.587 G + 0.114 B
 * on the stored samples (0..255 or 0..65535) and kept unrounded as RAD_F32,
 * so no information is invented.  Alpha (an alpha channel or a tRNS chunk) is
 * ignored: the colour samples are used as they are stored.  No gamma or
 * colour-space correction is applied.  Row 0 of the PNG (its top) is j = 0.
 * The spacing is 1 mm unless a pHYs chunk gives pixels per metre.
 *
 * Writing.  8-bit grey, row j = 0 at the top, with a pHYs chunk from the
 * in-plane spacing and "Software" / "Comment" text chunks; no time chunk, so
 * the same image and window always give the same bytes.  Files are written to
 * a temporary name and renamed into place (util/file.h).
 */
#include <math.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/version.h"
#include "util/error.h"
#include "util/file.h"
#include "io/io.h"

#define PNGIO_MSG_MAX 256

/* ---- libpng callbacks ------------------------------------------------------ */

/* libpng error handler: keep the message in the buffer given as error pointer
 * and jump back to the body's setjmp.  Never returns. */
static void pngio_error(png_structp png, png_const_charp msg)
{
    char *buf = png_get_error_ptr(png);
    if (buf)
        snprintf(buf, PNGIO_MSG_MAX, "%s", msg ? msg : "unknown error");
    png_longjmp(png, 1);
}

/* libpng warning handler: warnings (a damaged ancillary chunk, an odd but
 * readable header) are not the user's business and must not reach stderr. */
static void pngio_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* ---- reading ----------------------------------------------------------------- */

typedef struct PngRead {
    FILE *fp;
    png_structp png;
    png_infop info;
    png_bytep pix;         /* decoded samples, rowbytes * height */
    png_bytepp rows;       /* row pointers into pix */
    png_uint_32 width, height;
    int depth;             /* bits per sample after the transforms: 8 or 16 */
    int channels;          /* samples per pixel after the transforms: 1..4 */
    double spacing[2];     /* mm */
    long long fsize;       /* bytes in the file */
    char msg[PNGIO_MSG_MAX]; /* libpng's error message */
} PngRead;

/* Resource limits of a read.  A PNG may declare up to 2^31 - 1 pixels per
 * side; radlab reads at most 2^31 pixels in all, as for NIfTI and NRRD, and
 * no more pixel bytes than the file's compressed data can hold (deflate
 * expands at most 1032:1), so a header of a few hundred bytes cannot make
 * it allocate gigabytes.  Ancillary chunks (text, ICC profiles) are capped
 * at 1 MiB each and 64 in number: radlab only uses pHYs. */
#define PNGIO_MAX_SIDE 1000000u
#define PNGIO_MAX_PIXELS (UINT64_C(1) << 31)
#define PNGIO_MAX_RATIO 1032
#define PNGIO_CHUNK_MALLOC_MAX (1u << 20)
#define PNGIO_CHUNK_CACHE_MAX 64

/* Known ancillary chunks that radlab ignores (5 bytes each: name and NUL). */
static const png_byte pngio_ignored_chunks[] = "tEXt\0zTXt\0iTXt\0iCCP\0sPLT\0hIST\0eXIf\0sBIT\0sRGB\0"
                                               "cHRM\0gAMA\0bKGD\0tIME\0oFFs\0pCAL\0sCAL\0";

/* Spacing from the pHYs chunk when its unit is the metre, else 1 mm. */
static void pngio_read_spacing(PngRead *c)
{
    png_uint_32 rx = 0, ry = 0;
    int unit = PNG_RESOLUTION_UNKNOWN;
    c->spacing[0] = c->spacing[1] = 1.0;
    if (png_get_pHYs(c->png, c->info, &rx, &ry, &unit) && unit == PNG_RESOLUTION_METER &&
        rx > 0 && ry > 0) {
        c->spacing[0] = 1000.0 / rx;
        c->spacing[1] = 1000.0 / ry;
    }
}

/* All libpng work of a read: header, transforms, pixels, trailing chunks.
 * Returns 0; -1 when libpng failed (message in c->msg); -2 when an
 * allocation failed (message recorded with rad_error_set); -3 when a
 * resource limit was hit (message in c->msg). */
static int pngio_read_body(PngRead *c)
{
    if (setjmp(png_jmpbuf(c->png)))
        return -1;

    png_init_io(c->png, c->fp);
    png_set_sig_bytes(c->png, 8);
    png_set_user_limits(c->png, PNGIO_MAX_SIDE, PNGIO_MAX_SIDE);
    png_set_chunk_cache_max(c->png, PNGIO_CHUNK_CACHE_MAX);
    png_set_chunk_malloc_max(c->png, PNGIO_CHUNK_MALLOC_MAX);
    /* Skip, without reading them into memory, every chunk radlab does not
     * use: libpng 1.6.39 allocates and clears a text chunk's declared length
     * (up to 2 GiB) before it finds the file too short. */
#ifdef RAD_FUZZING
    /* `make fuzz` only: let mutated bytes past the checksums into the parser */
    png_set_crc_action(c->png, PNG_CRC_QUIET_USE, PNG_CRC_QUIET_USE);
#ifdef PNG_IGNORE_ADLER32
    png_set_option(c->png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
#endif
    png_set_keep_unknown_chunks(c->png, PNG_HANDLE_CHUNK_NEVER, NULL, 0);
    png_set_keep_unknown_chunks(c->png, PNG_HANDLE_CHUNK_NEVER, pngio_ignored_chunks,
                                (int)(sizeof pngio_ignored_chunks / 5));
    png_read_info(c->png, c->info);
    if ((uint64_t)png_get_image_width(c->png, c->info) * png_get_image_height(c->png, c->info) > PNGIO_MAX_PIXELS) {
        snprintf(c->msg, sizeof c->msg, "%u x %u is more than 2^31 pixels, which radlab does not read",
                 (unsigned)png_get_image_width(c->png, c->info), (unsigned)png_get_image_height(c->png, c->info));
        return -3;
    }

    int ctype = png_get_color_type(c->png, c->info);
    if (ctype == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(c->png);
    else if (png_get_bit_depth(c->png, c->info) < 8)
        png_set_expand_gray_1_2_4_to_8(c->png);
    png_set_interlace_handling(c->png);
    png_read_update_info(c->png, c->info);

    c->width = png_get_image_width(c->png, c->info);
    c->height = png_get_image_height(c->png, c->info);
    c->depth = png_get_bit_depth(c->png, c->info);
    c->channels = png_get_channels(c->png, c->info);
    pngio_read_spacing(c);

    size_t rowbytes = png_get_rowbytes(c->png, c->info);
    if (c->height == 0 || rowbytes > SIZE_MAX / c->height)
        png_error(c->png, "image size overflows memory");
    if ((uint64_t)rowbytes * c->height > (uint64_t)c->fsize * PNGIO_MAX_RATIO + 65536) {
        snprintf(c->msg, sizeof c->msg, "the header declares %u x %u pixels (%llu bytes), more than the file's "
                 "%lld bytes can hold; the file is truncated or damaged", (unsigned)c->width, (unsigned)c->height,
                 (unsigned long long)rowbytes * c->height, c->fsize);
        return -3;
    }
    c->pix = rad_malloc(rowbytes * c->height, "PNG pixels");
    c->rows = rad_calloc(c->height, sizeof *c->rows, "PNG row pointers");
    if (!c->pix || !c->rows)
        return -2;
    for (png_uint_32 j = 0; j < c->height; j++)
        c->rows[j] = c->pix + (size_t)j * rowbytes;

    png_read_image(c->png, c->rows);
    png_read_end(c->png, NULL);
    return 0;
}

/* Grey value of one colour pixel: ITU-R BT.601 luma. */
static double pngio_luma(double r, double g, double b)
{
    return 0.299 * r + 0.587 * g + 0.114 * b;
}

/* Sample s of the pixel at p (16-bit samples are big-endian in PNG). */
static unsigned pngio_sample(const png_byte *p, int s, int depth)
{
    return depth == 16 ? (unsigned)p[2 * s] << 8 | p[2 * s + 1] : p[s];
}

/* Turn the decoded rows into raw voxels: U8 / U16 grey, F32 luma. */
static int pngio_convert(const PngRead *c, RadRaw *raw)
{
    size_t w = c->width, h = c->height;
    int colour = c->channels >= 3;
    RadDType t = colour ? RAD_F32 : c->depth == 16 ? RAD_U16 : RAD_U8;
    size_t vsize = t == RAD_F32 ? 4 : t == RAD_U16 ? 2 : 1;
    size_t stride = (size_t)c->channels * (c->depth / 8);
    void *out = rad_calloc(w * h, vsize, "PNG voxels");
    if (!out)
        return -1;

    for (size_t j = 0; j < h; j++) {
        for (size_t i = 0; i < w; i++) {
            const png_byte *p = c->rows[j] + i * stride;
            size_t v = i + w * j;
            if (colour)
                ((float *)out)[v] = (float)pngio_luma(pngio_sample(p, 0, c->depth),
                                                      pngio_sample(p, 1, c->depth),
                                                      pngio_sample(p, 2, c->depth));
            else if (t == RAD_U16)
                ((uint16_t *)out)[v] = (uint16_t)pngio_sample(p, 0, 16);
            else
                ((uint8_t *)out)[v] = p[0];
        }
    }

    rad_geometry_init(&raw->geom, 2, w, h, 1);
    raw->geom.spacing[0] = c->spacing[0];
    raw->geom.spacing[1] = c->spacing[1];
    raw->dtype = t;
    raw->data = out;
    raw->slope = 1.0;
    raw->inter = 0.0;
    return 0;
}

/* Walk the chunk headers (length, type) from byte 8 to IEND before libpng
 * reads anything: a chunk whose declared length runs past the end of the
 * file is refused here, naming it, instead of libpng allocating the length
 * first.  Leaves fp at byte 8.  0, or -1 with a message. */
static int pngio_scan_chunks(FILE *fp, long long fsize, const char *path)
{
    long long off = 8;
    unsigned char h[8];
    while (off + 8 <= fsize) {
        if (fseeko(fp, (off_t)off, SEEK_SET) != 0 || fread(h, 1, 8, fp) != 8)
            break;
        unsigned long long len = ((unsigned long long)h[0] << 24) | ((unsigned long long)h[1] << 16) |
                                 ((unsigned long long)h[2] << 8) | h[3];
        char type[5];
        for (int i = 0; i < 4; i++)
            type[i] = (h[4 + i] >= 32 && h[4 + i] < 127) ? (char)h[4 + i] : '?';
        type[4] = '\0';
        if (len > 0x7fffffffULL || off + 12 + (long long)len > fsize)
            return rad_error_set("'%s': chunk '%s' at byte %lld declares %llu bytes of data, past the end of the "
                                 "file (%lld bytes); the file is truncated or corrupt",
                                 path, type, off, len, fsize);
        off += 12 + (long long)len;
        if (memcmp(h + 4, "IEND", 4) == 0)
            break;
    }
    /* a file cut inside a chunk header is left to libpng's own message */
    if (fseeko(fp, 8, SEEK_SET) != 0)
        return rad_error_errno("cannot read '%s'", path);
    return 0;
}

int rad_png_read(const char *path, RadRaw *raw)
{
    PngRead c;
    unsigned char sig[8];
    size_t got;
    int rc;

    memset(raw, 0, sizeof *raw);
    memset(&c, 0, sizeof c);
    c.fp = rad_file_open_read(path, RAD_IMAGE_FILE_KINDS);
    if (!c.fp)
        return -1;
    {
        struct stat st;
        c.fsize = fstat(fileno(c.fp), &st) == 0 ? (long long)st.st_size : 0;
    }
    got = fread(sig, 1, sizeof sig, c.fp);
    if (got != sizeof sig && ferror(c.fp)) {
        rad_error_errno("cannot read '%s'", path);
        fclose(c.fp);
        return -1;
    }
    if (got != sizeof sig || png_sig_cmp(sig, 0, sizeof sig) != 0) {
        fclose(c.fp);
        return rad_error_set("'%s' is not a PNG file (bad signature)", path);
    }

    if (c.fsize > 0 && pngio_scan_chunks(c.fp, c.fsize, path) < 0) {
        fclose(c.fp);
        return -1;
    }
    c.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, c.msg, pngio_error, pngio_warning);
    if (c.png)
        c.info = png_create_info_struct(c.png);
    if (!c.png || !c.info) {
        rc = rad_error_set("out of memory reading '%s' (libpng setup)", path);
    } else {
        rc = pngio_read_body(&c);
        if (rc == -1)
            rad_error_set("'%s': truncated or corrupt PNG (libpng: %s)", path, c.msg);
        else if (rc == -3)
            rad_error_set("'%s': %s", path, c.msg);
        else if (rc == -2)
            rad_error_prefix("'%s'", path);
    }
    png_destroy_read_struct(&c.png, &c.info, NULL);
    fclose(c.fp);

    if (rc == 0)
        rc = pngio_convert(&c, raw);
    free(c.rows);
    free(c.pix);
    return rc == 0 ? 0 : -1;
}

/* ---- writing ----------------------------------------------------------------- */

typedef struct PngWrite {
    FILE *fp;
    png_structp png;
    png_infop info;
    png_bytepp rows;           /* row pointers into the caller's pixels */
    png_uint_32 width, height;
    png_uint_32 ppm[2];        /* pHYs pixels per metre; 0 = no chunk */
    int color_type;            /* PNG_COLOR_TYPE_GRAY or _RGB */
    const RadPngText *text;    /* the caller's text chunks */
    size_t ntext;
    char msg[PNGIO_MSG_MAX];   /* libpng's error message */
} PngWrite;

/* Pixels per metre for a spacing in mm, or 0 when it does not fit a pHYs. */
static png_uint_32 pngio_ppm(double spacing_mm)
{
    double ppm;
    if (!(spacing_mm > 0) || !isfinite(spacing_mm))
        return 0;
    ppm = round(1000.0 / spacing_mm);
    if (!(ppm >= 1) || ppm > PNG_UINT_31_MAX)
        return 0;
    return (png_uint_32)ppm;
}

/* All libpng work of a write.  0, or -1 when libpng failed (c->msg). */
static int pngio_write_body(PngWrite *c)
{
    if (setjmp(png_jmpbuf(c->png)))
        return -1;

    png_init_io(c->png, c->fp);
    png_set_IHDR(c->png, c->info, c->width, c->height, 8, c->color_type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (c->ppm[0] && c->ppm[1])
        png_set_pHYs(c->png, c->info, c->ppm[0], c->ppm[1], PNG_RESOLUTION_METER);

    /* png_set_text copies the strings; the array comes from libpng's own
     * allocator so a longjmp in between cannot leak it */
    if (c->ntext > 0) {
        png_textp text = png_malloc(c->png, c->ntext * sizeof *text);
        memset(text, 0, c->ntext * sizeof *text);
        for (size_t i = 0; i < c->ntext; i++) {
            text[i].compression = PNG_TEXT_COMPRESSION_NONE;
            text[i].key = (png_charp)c->text[i].key;
            text[i].text = (png_charp)c->text[i].text;
        }
        png_set_text(c->png, c->info, text, (int)c->ntext);
        png_free(c->png, text);
    }

    png_write_info(c->png, c->info);
    png_write_image(c->png, c->rows);
    png_write_end(c->png, NULL);
    return 0;
}

int rad_png_write_pixels(const char *path, const uint8_t *pix, size_t w, size_t h, int channels,
                         double ppm_x, double ppm_y, const RadPngText *text, size_t ntext)
{
    PngWrite c;
    RadAtomicFile af;
    int rc;

    if (channels != 1 && channels != 3)
        return rad_error_set("cannot write '%s': PNG pixels have 1 (grey) or 3 (RGB) channels, not %d",
                             path, channels);
    if (w == 0 || h == 0 || w > PNG_UINT_31_MAX || h > PNG_UINT_31_MAX)
        return rad_error_set("cannot write '%s': a PNG is 1 to %lu pixels on a side, "
                             "this picture is %zux%zu", path, (unsigned long)PNG_UINT_31_MAX, w, h);
    for (size_t i = 0; i < ntext; i++) {
        size_t k = text[i].key ? strlen(text[i].key) : 0;
        if (k < 1 || k > 79 || !text[i].text)
            return rad_error_set("cannot write '%s': PNG text keyword %zu must be 1 to 79 characters "
                                 "with a text", path, i + 1);
    }
    memset(&c, 0, sizeof c);
    c.width = (png_uint_32)w;
    c.height = (png_uint_32)h;
    c.color_type = channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB;
    c.ppm[0] = ppm_x >= 1 && ppm_x <= PNG_UINT_31_MAX ? (png_uint_32)round(ppm_x) : 0;
    c.ppm[1] = ppm_y >= 1 && ppm_y <= PNG_UINT_31_MAX ? (png_uint_32)round(ppm_y) : 0;
    c.text = text;
    c.ntext = ntext;
    c.rows = rad_calloc(h, sizeof *c.rows, "PNG row pointers");
    if (!c.rows)
        return -1;
    for (size_t j = 0; j < h; j++)
        c.rows[j] = (png_bytep)(pix + j * w * (size_t)channels);

    if (rad_atomic_open(&af, path) != 0) {
        free(c.rows);
        return -1;
    }
    c.fp = af.fp;
    c.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, c.msg, pngio_error, pngio_warning);
    if (c.png)
        c.info = png_create_info_struct(c.png);
    if (!c.png || !c.info)
        rc = rad_error_set("out of memory writing '%s' (libpng setup)", path);
    else if (pngio_write_body(&c) != 0)
        rc = rad_error_set("cannot write PNG '%s' (libpng: %s)", path, c.msg);
    else
        rc = 0;
    png_destroy_write_struct(&c.png, &c.info);
    free(c.rows);

    if (rc != 0) {
        rad_atomic_abort(&af);
        return -1;
    }
    return rad_atomic_commit(&af);
}

/* Write w x h 8-bit grey pixels (row 0 at the top of the picture) to `path`
 * atomically, with pHYs from spacing[0..1] and the given comment. */
static int pngio_write_grey8(const char *path, const uint8_t *pix, size_t w, size_t h,
                             const double *spacing, const char *comment)
{
    RadPngText text[2] = {{"Software", "radlab " RAD_VERSION}, {"Comment", comment}};
    return rad_png_write_pixels(path, pix, w, h, 1, pngio_ppm(spacing[0]), pngio_ppm(spacing[1]), text, 2);
}

/* One value through the window [lo, hi] (hi - lo = width) to 0..255: at or
 * below lo is 0, at or above hi is 255, linear in between, rounded half up
 * (so the level itself, 127.5, gives 128); NaN is 0.  Multiplying before
 * dividing keeps values such as 76.5 exact. */
static uint8_t pngio_window(double v, double lo, double hi, double width)
{
    double t;
    if (!(v > lo))
        return 0;
    if (v >= hi)
        return 255;
    t = floor((v - lo) * 255.0 / width + 0.5);
    return t >= 255 ? 255 : t <= 0 ? 0 : (uint8_t)t;
}

int rad_png_write_slice(const RadImage *img, size_t k, double level, double width, const char *path)
{
    const RadGeometry *g;
    size_t nx, ny, off;
    double lo, hi;
    uint8_t *pix;
    char comment[PNGIO_MSG_MAX];
    int rc;

    if (!img || !img->data)
        return rad_error_set("cannot write '%s': no image given", path);
    g = &img->geom;
    nx = g->dim[0];
    ny = g->dim[1];
    if (k >= g->dim[2])
        return rad_error_set("cannot write '%s': slice %zu is out of range, the image has %zu "
                             "slice%s (valid 0..%zu)", path, k, g->dim[2],
                             g->dim[2] == 1 ? "" : "s", g->dim[2] ? g->dim[2] - 1 : 0);
    if (!(width > 0) || !isfinite(width) || !isfinite(level))
        return rad_error_set("cannot write '%s': the window needs a finite level and a width > 0 "
                             "(got level %g, width %g)", path, level, width);

    pix = rad_malloc(nx * ny, "PNG pixels");
    if (!pix)
        return -1;
    lo = level - width / 2;
    hi = level + width / 2;
    off = nx * ny * k;
    for (size_t v = 0; v < nx * ny; v++)
        pix[v] = pngio_window(img->data[off + v], lo, hi, width);

    snprintf(comment, sizeof comment, "window level %g width %g, slice %zu (1-based) of %zux%zux%zu",
             level, width, k + 1, nx, ny, g->dim[2]);
    rc = pngio_write_grey8(path, pix, nx, ny, g->spacing, comment);
    free(pix);
    return rc;
}

int rad_png_write_image(const RadImage *img, const char *path)
{
    double min = INFINITY, max = -INFINITY;
    size_t n;

    if (!img || !img->data)
        return rad_error_set("cannot write '%s': no image given", path);
    if (img->geom.dim[2] != 1)
        return rad_error_set("a PNG holds one 2D slice; '%s' would need %zu slices: write a slice "
                             "with a window (rad_png_write_slice) or use .nii.gz/.nrrd",
                             path, img->geom.dim[2]);
    n = img->geom.dim[0] * img->geom.dim[1];
    for (size_t v = 0; v < n; v++) {
        double x = img->data[v];
        if (!isfinite(x))
            continue;
        if (x < min)
            min = x;
        if (x > max)
            max = x;
    }
    if (min > max) /* no finite value: everything is written black */
        min = max = 0;
    if (max > min)
        return rad_png_write_slice(img, 0, (min + max) / 2, max - min, path);
    return rad_png_write_slice(img, 0, min, 1.0, path);
}

int rad_png_write_mask(const RadMask *m, const char *path)
{
    char comment[PNGIO_MSG_MAX];

    if (!m || !m->data)
        return rad_error_set("cannot write '%s': no mask given", path);
    if (m->geom.dim[2] != 1)
        return rad_error_set("a PNG holds one 2D slice; '%s' would need %zu slices: "
                             "use .nii.gz/.nrrd for a 3D mask", path, m->geom.dim[2]);
    snprintf(comment, sizeof comment, "mask labels as grey values, %zux%zu",
             m->geom.dim[0], m->geom.dim[1]);
    return pngio_write_grey8(path, m->data, m->geom.dim[0], m->geom.dim[1], m->geom.spacing,
                             comment);
}
