/* radlab: NIfTI-1 and NIfTI-2 reading and writing (nifticlib).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading: radlab parses and validates the header itself (see "reading"
 * below; nifticlib's header conversion crashed on crafted files) and reads
 * the voxel data through zlib, so that a truncated file is an error instead
 * of zero-filled voxels.  Writing: nifticlib builds the NIfTI-1 header from
 * a nifti_image; radlab writes header and data through znzlib, atomically.
 *
 * World coordinates: NIfTI matrices map to RAS+; radlab works in LPS (see
 * image.h), so the first two rows of the matrix are negated on read and on
 * write.  Of the two NIfTI transforms, the sform is used when its code is
 * positive, else the qform when its code is positive, else the "method 1"
 * matrix diag(pixdim), as nifticlib and nibabel do.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>
#include <nifti2_io.h>
#include <zlib.h>

#include "io/io.h"
#include "util/error.h"
#include "util/file.h"

/* Silence nifticlib's own diagnostics (the writer still uses it). */
static void nifti_quiet(void)
{
    nifti_set_debug_level(0);
    nifti_set_skip_blank_ext(1);
}

/* ---- reading --------------------------------------------------------------------
 *
 * radlab parses the 348-byte NIfTI-1 and 540-byte NIfTI-2 headers itself,
 * field by field at their offsets in the standard (nifti1.h, nifti2.h), and
 * validates every field it uses before using it: nifticlib's header
 * conversion trusts dim[] and crashes on crafted headers (radlab issue 10).
 * Of nifticlib only the quaternion-to-matrix arithmetic is used.  The header
 * is read through zlib, which reads uncompressed files transparently, so .nii
 * and .nii.gz take the same path.  The voxels of a .nii.gz are then inflated
 * by libdeflate (2-3 times faster than zlib) from the mapped file straight
 * into the voxel buffer; when it cannot (damaged, truncated or unusual data)
 * the zlib path reads them instead, so that the messages stay those of the
 * zlib reader (how many bytes a truncated file holds). */

#define NIFTI_MAX_VOXELS (UINT64_C(1) << 31)
/* Deflate expands at most 1032:1, so a gzip file of n bytes holds at most
 * 1032 n + a little bytes; anything a header promises beyond that is not
 * there, and is refused before anything is allocated. */
#define GZIP_MAX_RATIO 1032

typedef struct NiftiHeader {
    int version;               /* 1 or 2 */
    int swap;                  /* the file's byte order is not the host's */
    int hsize;                 /* 348 or 540 */
    int64_t dim[8];
    double pixdim[8];
    int datatype, bitpix;
    double vox_offset;         /* a float in NIfTI-1, an int64 in NIfTI-2 */
    double scl_slope, scl_inter;
    int qform_code, sform_code;
    double quatern[6];         /* b, c, d, offset x, y, z */
    double srow[3][4];
} NiftiHeader;

static void bytes_get(const unsigned char *p, int n, int swap, void *out)
{
    unsigned char b[8];
    for (int i = 0; i < n; i++)
        b[i] = swap ? p[n - 1 - i] : p[i];
    memcpy(out, b, (size_t)n);
}
static int16_t get_i16(const unsigned char *p, int swap) { int16_t v; bytes_get(p, 2, swap, &v); return v; }
static int32_t get_i32(const unsigned char *p, int swap) { int32_t v; bytes_get(p, 4, swap, &v); return v; }
static int64_t get_i64(const unsigned char *p, int swap) { int64_t v; bytes_get(p, 8, swap, &v); return v; }
static double get_f32(const unsigned char *p, int swap) { float v; bytes_get(p, 4, swap, &v); return v; }
static double get_f64(const unsigned char *p, int swap) { double v; bytes_get(p, 8, swap, &v); return v; }

/* Header size and magic of a single-file NIfTI in the first `got` bytes of
 * buf; fills version, swap and hsize.  0 or -1 with a message. */
static int nifti_magic(const char *path, const unsigned char *buf, size_t got, NiftiHeader *h)
{
    int32_t sz, sw;
    if (got < 4)
        return rad_error_set("'%s' is not a NIfTI file (only %zu bytes)", path, got);
    sz = get_i32(buf, 0);
    sw = get_i32(buf, 1);
    if (sz == 348 || sw == 348) {
        h->version = 1;
        h->hsize = 348;
        h->swap = sz != 348;
        if (got < 348)
            return rad_error_set("'%s' is truncated: the NIfTI-1 header needs 348 bytes, the file holds %zu", path, got);
        if (memcmp(buf + 344, "n+1", 4) == 0)
            return 0;
        if (memcmp(buf + 344, "ni1", 4) == 0)
            return rad_error_set("'%s' is the header of a .hdr/.img pair; radlab reads single-file NIfTI "
                                 "(.nii, .nii.gz): convert it, e.g. with nifti_tool or fslchfiletype", path);
        return rad_error_set("'%s' is not a NIfTI-1 file (bad magic string; an old ANALYZE 7.5 header?)", path);
    }
    if (sz == 540 || sw == 540) {
        h->version = 2;
        h->hsize = 540;
        h->swap = sz != 540;
        if (got < 540)
            return rad_error_set("'%s' is truncated: the NIfTI-2 header needs 540 bytes, the file holds %zu", path, got);
        if (memcmp(buf + 4, "n+2", 4) == 0)
            return 0;
        if (memcmp(buf + 4, "ni2", 4) == 0)
            return rad_error_set("'%s' is the header of a NIfTI-2 .hdr/.img pair; radlab reads single-file "
                                 "NIfTI (.nii, .nii.gz): convert it, e.g. with nifti_tool", path);
        return rad_error_set("'%s' is not a single-file NIfTI-2 file (bad magic string)", path);
    }
    return rad_error_set("'%s' is not a NIfTI file (its first bytes are not a NIfTI header; "
                         "is it a text file or another format with a .nii name?)", path);
}

/* The fields radlab uses, at their offsets in nifti1.h / nifti2.h. */
static void nifti_fields(const unsigned char *b, NiftiHeader *h)
{
    int s = h->swap;
    if (h->version == 1) {
        for (int i = 0; i < 8; i++) {
            h->dim[i] = get_i16(b + 40 + 2 * i, s);
            h->pixdim[i] = get_f32(b + 76 + 4 * i, s);
        }
        h->datatype = get_i16(b + 70, s);
        h->bitpix = get_i16(b + 72, s);
        h->vox_offset = get_f32(b + 108, s);
        h->scl_slope = get_f32(b + 112, s);
        h->scl_inter = get_f32(b + 116, s);
        h->qform_code = get_i16(b + 252, s);
        h->sform_code = get_i16(b + 254, s);
        for (int i = 0; i < 6; i++)
            h->quatern[i] = get_f32(b + 256 + 4 * i, s);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
                h->srow[r][c] = get_f32(b + 280 + 16 * r + 4 * c, s);
    } else {
        h->datatype = get_i16(b + 12, s);
        h->bitpix = get_i16(b + 14, s);
        for (int i = 0; i < 8; i++) {
            h->dim[i] = get_i64(b + 16 + 8 * i, s);
            h->pixdim[i] = get_f64(b + 104 + 8 * i, s);
        }
        h->vox_offset = (double)get_i64(b + 168, s);
        h->scl_slope = get_f64(b + 176, s);
        h->scl_inter = get_f64(b + 184, s);
        h->qform_code = get_i32(b + 344, s);
        h->sform_code = get_i32(b + 348, s);
        for (int i = 0; i < 6; i++)
            h->quatern[i] = get_f64(b + 352 + 8 * i, s);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
                h->srow[r][c] = get_f64(b + 400 + 32 * r + 8 * c, s);
    }
}

static int nifti_dtype(const char *path, int dt, RadDType *out)
{
    switch (dt) {
    case DT_UINT8: *out = RAD_U8; return 0;
    case DT_INT8: *out = RAD_I8; return 0;
    case DT_UINT16: *out = RAD_U16; return 0;
    case DT_INT16: *out = RAD_I16; return 0;
    case DT_UINT32: *out = RAD_U32; return 0;
    case DT_INT32: *out = RAD_I32; return 0;
    case DT_UINT64: *out = RAD_U64; return 0;
    case DT_INT64: *out = RAD_I64; return 0;
    case DT_FLOAT32: *out = RAD_F32; return 0;
    case DT_FLOAT64: *out = RAD_F64; return 0;
    default:
        if (nifti_is_valid_datatype(dt))
            return rad_error_set("'%s': unsupported NIfTI datatype %s (code %d); radlab reads scalar "
                                 "integer and floating-point images (convert colour or complex data first)",
                                 path, nifti_datatype_string(dt), dt);
        return rad_error_set("'%s': datatype = %d is not a NIfTI datatype code; the header is damaged", path, dt);
    }
}

/* dim[], datatype and bitpix: the size of the voxel data. */
static int nifti_check_dims(const char *path, const NiftiHeader *h, uint64_t *nvox)
{
    int ndim = (int)h->dim[0];
    if (h->dim[0] < 1 || h->dim[0] > 7)
        return rad_error_set("'%s': dim[0] = %lld; the NIfTI number of dimensions must be 1 to 7 "
                             "(the header is damaged)", path, (long long)h->dim[0]);
    *nvox = 1;
    for (int d = 1; d <= ndim; d++) {
        if (h->dim[d] < 1)
            return rad_error_set("'%s': dim[%d] = %lld; a NIfTI dimension must be at least 1", path, d,
                                 (long long)h->dim[d]);
        if (d >= 4 && h->dim[d] > 1)
            return rad_error_set("'%s' is a %dD image (dimension %d has %lld %s); radlab reads 2D and 3D "
                                 "images: extract one volume first (e.g. fslroi or nibabel)",
                                 path, ndim, d, (long long)h->dim[d], d == 4 ? "time points" : "components");
        if ((uint64_t)h->dim[d] > NIFTI_MAX_VOXELS / *nvox)
            return rad_error_set("'%s': dim[1..%d] = %lld x %lld x %lld is more than 2^31 voxels, which radlab "
                                 "does not read (crop or split the image)", path, ndim < 3 ? ndim : 3,
                                 (long long)h->dim[1], ndim >= 2 ? (long long)h->dim[2] : 1LL,
                                 ndim >= 3 ? (long long)h->dim[3] : 1LL);
        *nvox *= (uint64_t)h->dim[d];
    }
    return 0;
}

static int finite_all(const double *v, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* Geometry from the header's dims and best transform, in LPS.  The matrix
 * is the sform when its code is positive, else the qform when its code is
 * positive, else diag(pixdim) ("method 1"), as nifticlib computes them. */
static int nifti_geometry(const char *path, const NiftiHeader *h, RadGeometry *g)
{
    int ndim = (int)h->dim[0], nsp = ndim < 3 ? ndim : 3;
    double m[3][4];
    const char *which = h->sform_code > 0 ? "sform" : "qform";
    memset(m, 0, sizeof m);
    if (h->sform_code > 0) {
        for (int r = 0; r < 3; r++)
            if (!finite_all(h->srow[r], 4))
                return rad_error_set("'%s': srow_%c holds a value that is not a finite number; the header "
                                     "is damaged", path, "xyz"[r]);
        memcpy(m, h->srow, sizeof m);
    } else {
        for (int d = 1; d <= nsp; d++)
            if (!isfinite(h->pixdim[d]))
                return rad_error_set("'%s': pixdim[%d] = %s; a NIfTI voxel size must be a finite number", path,
                                     d, isnan(h->pixdim[d]) ? "NaN" : h->pixdim[d] > 0 ? "Inf" : "-Inf");
        if (h->qform_code > 0) {
            nifti_dmat44 q;
            if (!finite_all(h->quatern, 6) || !isfinite(h->pixdim[0]))
                return rad_error_set("'%s': the qform quaternion or offset (quatern_b..qoffset_z, pixdim[0]) "
                                     "holds a value that is not a finite number; the header is damaged", path);
            q = nifti_quatern_to_dmat44(h->quatern[0], h->quatern[1], h->quatern[2], h->quatern[3],
                                        h->quatern[4], h->quatern[5], h->pixdim[1],
                                        nsp >= 2 ? h->pixdim[2] : 1, nsp >= 3 ? h->pixdim[3] : 1,
                                        h->pixdim[0] < 0 ? -1.0 : 1.0);
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 4; c++)
                    m[r][c] = q.m[r][c];
        } else {
            for (int d = 0; d < 3; d++)
                m[d][d] = d < nsp ? h->pixdim[d + 1] : d == 2 ? 0 : 1;
        }
    }
    rad_geometry_init(g, ndim <= 2 ? 2 : 3, (size_t)h->dim[1], ndim >= 2 ? (size_t)h->dim[2] : 1,
                      ndim >= 3 ? (size_t)h->dim[3] : 1);
    for (int c = 0; c < 3; c++) {
        double col[3], norm;
        for (int r = 0; r < 3; r++)
            col[r] = (r < 2 ? -1.0 : 1.0) * m[r][c]; /* RAS -> LPS */
        norm = sqrt(col[0] * col[0] + col[1] * col[1] + col[2] * col[2]);
        if (!(norm > 0) || !isfinite(norm)) {
            /* A 2D file's third column may be empty: make it the normal. */
            if (c == 2 && g->ndim == 2) {
                g->direction[8] = 1;
                g->spacing[2] = 1;
                continue;
            }
            return rad_error_set("'%s': the NIfTI %s matrix has a zero column %d (voxel size pixdim[%d] = %g?)",
                                 path, which, c, c + 1, h->pixdim[c + 1]);
        }
        g->spacing[c] = norm;
        for (int r = 0; r < 3; r++)
            g->direction[r * 3 + c] = col[r] / norm;
    }
    g->origin[0] = -m[0][3];
    g->origin[1] = -m[1][3];
    g->origin[2] = m[2][3];
    if (rad_geometry_check(g) != 0)
        return rad_error_prefix("'%s'", path);
    return 0;
}

/* The size of the open file, or -1 after a message (a device or a pipe is
 * not an image file). */
static long long nifti_file_size(const char *path, FILE *fp)
{
    struct stat st;
    if (fstat(fileno(fp), &st) != 0)
        return rad_error_errno("cannot read '%s'", path);
    if (!S_ISREG(st.st_mode))
        return rad_error_set("'%s' is not a regular file; give %s", path, RAD_IMAGE_FILE_KINDS);
    return (long long)st.st_size;
}

/* Read up to n bytes, as many as the stream holds; -1 when zlib reports
 * damaged data (gzread returns a partial count first and the error on the
 * next call).  A gzip stream that just ends early is a short count. */
static long long gz_read_full(gzFile gz, unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        unsigned chunk = n - got > (1u << 30) ? (1u << 30) : (unsigned)(n - got);
        int k = gzread(gz, buf + got, chunk), zerr = Z_OK;
        if (k < 0)
            return -1;
        if (k == 0) {
            gzerror(gz, &zerr);
            return zerr == Z_OK || zerr == Z_BUF_ERROR ? (long long)got : -1;
        }
        got += (size_t)k;
    }
    return (long long)got;
}

int rad_nifti_read(const char *path, RadRaw *raw)
{
    NiftiHeader h;
    unsigned char buf[540];
    FILE *fp;
    gzFile gz = NULL;
    long long fsize;
    uint64_t nvox = 0, avail;
    size_t need, got, esize;
    long long nread;
    int rc = -1, gzipped, fd = -1;

    memset(raw, 0, sizeof *raw);
    memset(&h, 0, sizeof h);
    if (!(fp = rad_file_open_read(path, RAD_IMAGE_FILE_KINDS)))
        return -1;
    fsize = nifti_file_size(path, fp);
    if (fsize < 0) {
        fclose(fp);
        return -1;
    }
    /* Magic bytes decide about compression, the name only helps the message. */
    gzipped = fread(buf, 1, 2, fp) == 2 && buf[0] == 0x1f && buf[1] == 0x8b;
    rewind(fp);
    if (!(gz = gzdopen(dup(fileno(fp)), "rb"))) {
        fclose(fp);
        return rad_error_set("out of memory opening '%s'", path);
    }
    if (gzipped)
        fd = dup(fileno(fp));
    fclose(fp);
    gzbuffer(gz, 1u << 16);
    nread = gz_read_full(gz, buf, sizeof buf);
    if (nread < 0) {
        rad_error_set("'%s' is not a NIfTI file (it cannot be decompressed: corrupt gzip data)", path);
        goto done;
    }
    got = (size_t)nread;
    if (nifti_magic(path, buf, got, &h) != 0)
        goto done;
    nifti_fields(buf, &h);
    if (nifti_check_dims(path, &h, &nvox) != 0 || nifti_dtype(path, h.datatype, &raw->dtype) != 0)
        goto done;
    esize = rad_dtype_size(raw->dtype);
    if (h.bitpix != (int)(8 * esize)) {
        rad_error_set("'%s': bitpix = %d does not match datatype %s (%d bits); the header is damaged", path,
                      h.bitpix, rad_dtype_name(raw->dtype), (int)(8 * esize));
        goto done;
    }
    /* vox_offset: where the voxel data start, after the header (and its
     * 4-byte extension flag and any extensions). */
    if (!isfinite(h.vox_offset)) {
        rad_error_set("'%s': vox_offset = %s; the voxel data must start at a whole byte after the %d-byte "
                      "NIfTI-%d header (the header is damaged)", path, isnan(h.vox_offset) ? "NaN" : "Inf",
                      h.hsize, h.version);
        goto done;
    }
    if (h.vox_offset != floor(h.vox_offset) || h.vox_offset < h.hsize) {
        rad_error_set("'%s': vox_offset = %g; the voxel data must start after the %d-byte NIfTI-%d header "
                      "(the header is damaged)", path, h.vox_offset, h.hsize, h.version);
        goto done;
    }
    need = (size_t)nvox * esize;
    /* What the file can hold, before allocating anything. */
    avail = gzipped ? (uint64_t)fsize * GZIP_MAX_RATIO + 65536 : (uint64_t)fsize;
    if (h.vox_offset > (double)avail) {
        rad_error_set("'%s': vox_offset = %.0f is past the end of the file (%lld bytes%s); the header is "
                      "damaged or the file truncated", path, h.vox_offset, fsize, gzipped ? " compressed" : "");
        goto done;
    }
    if ((uint64_t)h.vox_offset + need > avail) {
        if (gzipped)
            rad_error_set("'%s' is truncated: the header promises %zu bytes of voxel data (%lldx%lldx%lld %s) "
                          "after byte %.0f, more than its %lld compressed bytes can hold", path, need,
                          (long long)h.dim[1], h.dim[0] >= 2 ? (long long)h.dim[2] : 1LL,
                          h.dim[0] >= 3 ? (long long)h.dim[3] : 1LL, rad_dtype_name(raw->dtype), h.vox_offset,
                          fsize);
        else
            rad_error_set("'%s' is truncated: the header promises %zu bytes of voxel data (%lldx%lldx%lld %s), "
                          "the file holds %lld (after vox_offset = %.0f)", path, need, (long long)h.dim[1],
                          h.dim[0] >= 2 ? (long long)h.dim[2] : 1LL, h.dim[0] >= 3 ? (long long)h.dim[3] : 1LL,
                          rad_dtype_name(raw->dtype),
                          fsize > (long long)h.vox_offset ? fsize - (long long)h.vox_offset : 0LL, h.vox_offset);
        goto done;
    }
    if (nifti_geometry(path, &h, &raw->geom) != 0)
        goto done;
    if (fd >= 0 && rad_inflate_file(fd, 0, (size_t)h.vox_offset + need, 0, (unsigned char **)&raw->block) == 0) {
        unsigned char *block = raw->block;
        if ((size_t)h.vox_offset % 8 == 0) {
            raw->data = block + (size_t)h.vox_offset;
        } else { /* voxels at an unaligned offset: move them to the start */
            memmove(block, block + (size_t)h.vox_offset, need);
            raw->data = block;
            raw->block = NULL;
        }
        goto convert;
    }
    if (!(raw->data = rad_malloc(need ? need : 1, "NIfTI voxel data")))
        goto done;
    if (gzseek(gz, (z_off_t)h.vox_offset, SEEK_SET) < 0) {
        rad_error_set("'%s' is truncated or corrupt: the voxel data should start at byte %.0f", path, h.vox_offset);
        goto done;
    }
    nread = gz_read_full(gz, raw->data, need);
    if (nread < 0) {
        int zerr;
        const char *zmsg = gzerror(gz, &zerr);
        rad_error_set("'%s': corrupt compressed data (%s); the file is damaged", path,
                      zmsg && *zmsg ? zmsg : "the gzip stream cannot be decoded");
        goto done;
    }
    got = (size_t)nread;
    if (got < need) {
        rad_error_set("'%s' is truncated: the header promises %zu bytes of voxel data "
                      "(%zux%zux%zu %s), the file holds %zu", path, need, raw->geom.dim[0], raw->geom.dim[1],
                      raw->geom.dim[2], rad_dtype_name(raw->dtype), got);
        goto done;
    }
convert:
    if (h.swap && esize > 1)
        nifti_swap_Nbytes((int64_t)(need / esize), (int)esize, raw->data);
    raw->slope = 1;
    raw->inter = 0;
    if (h.scl_slope != 0 && isfinite(h.scl_slope)) {
        raw->slope = h.scl_slope;
        raw->inter = isfinite(h.scl_inter) ? h.scl_inter : 0;
    }
    rc = 0;
done:
    gzclose(gz);
    if (fd >= 0)
        close(fd);
    if (rc != 0)
        rad_raw_free(raw);
    return rc;
}

/* ---- writing -------------------------------------------------------------------- */

static int nifti_code(RadDType t)
{
    static const int codes[] = {DT_UINT8, DT_INT8, DT_UINT16, DT_INT16, DT_UINT32, DT_INT32,
                                DT_UINT64, DT_INT64, DT_FLOAT32, DT_FLOAT64};
    return codes[t];
}

/* Header, extension flag and voxels as one gzip member (libdeflate, level
 * RAD_GZIP_LEVEL) into `tmp`, then renamed to `path`. */
static int nifti_write_gz(const char *path, const char *tmp, const nifti_1_header *hdr, const char ext[4],
                          const void *data, size_t nbytes)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(RAD_GZIP_LEVEL);
    size_t hsize = sizeof *hdr + 4, n = hsize + nbytes, cap = 0, z = 0;
    unsigned char *in = NULL, *out = NULL;
    FILE *fp = NULL;
    int rc = -1;
    if (!c) {
        rad_error_set("'%s': out of memory (a gzip compressor)", path);
        goto done;
    }
    cap = libdeflate_gzip_compress_bound(c, n);
    if (!(in = rad_malloc(n, "NIfTI file")) || !(out = rad_malloc(cap, "gzip output"))) {
        rad_error_prefix("'%s'", path);
        goto done;
    }
    memcpy(in, hdr, sizeof *hdr);
    memcpy(in + sizeof *hdr, ext, 4);
    if (nbytes)
        memcpy(in + hsize, data, nbytes);
    if ((z = libdeflate_gzip_compress(c, in, n, out, cap)) == 0) {
        rad_error_set("'%s': gzip compression failed", path);
        goto done;
    }
    free(in);
    in = NULL;
    if (!(fp = fopen(tmp, "wb"))) {
        rad_error_errno("cannot write '%s' (check that the folder exists and is writable)", path);
        goto done;
    }
    if (fwrite(out, 1, z, fp) != z) {
        rad_error_errno("write error on '%s'", path);
        goto done;
    }
    if (fclose(fp) != 0) {
        fp = NULL;
        rad_error_errno("write error on '%s'", path);
        goto done;
    }
    fp = NULL;
    rc = rad_tmp_commit(tmp, path);
done:
    if (fp)
        fclose(fp);
    if (c)
        libdeflate_free_compressor(c);
    free(in);
    free(out);
    return rc;
}

int rad_nifti_write(const char *path, const RadRaw *raw)
{
    const RadGeometry *g = &raw->geom;
    int64_t dims[8] = {g->ndim, (int64_t)g->dim[0], (int64_t)g->dim[1], (int64_t)g->dim[2], 1, 1, 1, 1};
    nifti_image *nim;
    nifti_1_header hdr;
    nifti_dmat44 R;
    char *tmp = NULL;
    znzFile fp = NULL;
    size_t esize = rad_dtype_size(raw->dtype), nbytes = rad_geometry_nvox(g) * esize;
    const char ext[4] = {0, 0, 0, 0};
    int rc = -1;

    nifti_quiet();
    for (int c = 0; c < 3; c++)
        if (g->dim[c] > 32767)
            return rad_error_set("'%s': axis %c has %zu voxels, more than NIfTI-1 holds (32767); write .nrrd instead",
                                 path, "xyz"[c], g->dim[c]);
    nim = nifti_make_new_nim(dims, nifti_code(raw->dtype), 0);
    if (!nim)
        return rad_error_set("'%s': nifticlib could not create a header", path);
    /* LPS geometry -> RAS matrix */
    memset(&R, 0, sizeof R);
    for (int r = 0; r < 3; r++) {
        double sign = r < 2 ? -1.0 : 1.0;
        for (int c = 0; c < 3; c++)
            R.m[r][c] = sign * g->direction[r * 3 + c] * g->spacing[c];
        R.m[r][3] = sign * g->origin[r];
    }
    R.m[3][3] = 1;
    nim->pixdim[1] = nim->dx = g->spacing[0];
    nim->pixdim[2] = nim->dy = g->spacing[1];
    nim->pixdim[3] = nim->dz = g->spacing[2];
    nim->xyz_units = NIFTI_UNITS_MM;
    nim->sform_code = NIFTI_XFORM_SCANNER_ANAT;
    nim->sto_xyz = R;
    nim->qform_code = NIFTI_XFORM_SCANNER_ANAT;
    nifti_dmat44_to_quatern(R, &nim->quatern_b, &nim->quatern_c, &nim->quatern_d, &nim->qoffset_x,
                            &nim->qoffset_y, &nim->qoffset_z, NULL, NULL, NULL, &nim->qfac);
    nim->qto_xyz = R;
    nim->scl_slope = raw->slope == 1 && raw->inter == 0 ? 0 : raw->slope;
    nim->scl_inter = raw->slope == 1 && raw->inter == 0 ? 0 : raw->inter;
    nim->nifti_type = NIFTI_FTYPE_NIFTI1_1;
    snprintf(nim->descrip, sizeof nim->descrip, "radlab");
    if (nifti_convert_nim2n1hdr(nim, &hdr) != 0) {
        rad_error_set("'%s': nifticlib could not build a NIfTI-1 header", path);
        goto done;
    }
    memcpy(hdr.magic, "n+1", 4);
    hdr.vox_offset = 352;
    tmp = rad_tmpname(path);
    if (!tmp)
        goto done;
    if (nifti_is_gzfile(path)) {
        rc = nifti_write_gz(path, tmp, &hdr, ext, raw->data, nbytes);
        goto done;
    }
    fp = znzopen(tmp, "wb", 0);
    if (znz_isnull(fp)) {
        rad_error_errno("cannot write '%s' (check that the folder exists and is writable)", path);
        goto done;
    }
    if (znzwrite(&hdr, 1, sizeof hdr, fp) != sizeof hdr || znzwrite(ext, 1, 4, fp) != 4
        || (nbytes && znzwrite(raw->data, 1, nbytes, fp) != nbytes)) {
        rad_error_errno("write error on '%s'", path);
        goto done;
    }
    if (znzclose(fp) != 0) {
        fp = NULL;
        rad_error_errno("write error on '%s'", path);
        goto done;
    }
    fp = NULL;
    rc = rad_tmp_commit(tmp, path);
done:
    if (fp)
        znzclose(fp);
    if (rc != 0 && tmp)
        remove(tmp);
    free(tmp);
    nifti_image_free(nim);
    return rc;
}
