/* radlab: format dispatch and conversion of raw voxel data.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <libdeflate.h>

#include "io/dicom.h"
#include "io/io.h"
#include "util/error.h"
#include "util/file.h"
#include "util/pool.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (m > n)
        return 0;
    for (size_t i = 0; i < m; i++)
        if (tolower((unsigned char)s[n - m + i]) != suffix[i])
            return 0;
    return 1;
}

RadFormat rad_format_from_name(const char *path)
{
    if (ends_with(path, ".nii") || ends_with(path, ".nii.gz"))
        return RAD_FORMAT_NIFTI;
    if (ends_with(path, ".nrrd") || ends_with(path, ".nhdr"))
        return RAD_FORMAT_NRRD;
    if (ends_with(path, ".png"))
        return RAD_FORMAT_PNG;
    return RAD_FORMAT_UNKNOWN;
}

/* Stored value v of element `i` as a double. */
static double raw_value(const RadRaw *r, size_t i)
{
    const void *d = r->data;
    switch (r->dtype) {
    case RAD_U8: return ((const uint8_t *)d)[i];
    case RAD_I8: return ((const int8_t *)d)[i];
    case RAD_U16: return ((const uint16_t *)d)[i];
    case RAD_I16: return ((const int16_t *)d)[i];
    case RAD_U32: return ((const uint32_t *)d)[i];
    case RAD_I32: return ((const int32_t *)d)[i];
    case RAD_U64: return (double)((const uint64_t *)d)[i];
    case RAD_I64: return (double)((const int64_t *)d)[i];
    case RAD_F32: return ((const float *)d)[i];
    case RAD_F64: return ((const double *)d)[i];
    }
    return NAN;
}

/* out[i] = slope * stored + inter as float, one loop per stored type (the
 * same arithmetic as raw_value, without a switch per voxel). */
#define RAW_TO_FLOAT(T)                                                                                      \
    do {                                                                                                     \
        const T *s = r->data;                                                                                \
        for (size_t i = 0; i < n; i++)                                                                       \
            out[i] = (float)(r->slope * (double)s[i] + r->inter);                                           \
    } while (0)
static void raw_to_float(const RadRaw *r, float *out, size_t n)
{
    switch (r->dtype) {
    case RAD_U8: RAW_TO_FLOAT(uint8_t); break;
    case RAD_I8: RAW_TO_FLOAT(int8_t); break;
    case RAD_U16: RAW_TO_FLOAT(uint16_t); break;
    case RAD_I16: RAW_TO_FLOAT(int16_t); break;
    case RAD_U32: RAW_TO_FLOAT(uint32_t); break;
    case RAD_I32: RAW_TO_FLOAT(int32_t); break;
    case RAD_U64: RAW_TO_FLOAT(uint64_t); break;
    case RAD_I64: RAW_TO_FLOAT(int64_t); break;
    case RAD_F32: RAW_TO_FLOAT(float); break;
    case RAD_F64: RAW_TO_FLOAT(double); break;
    }
}
#undef RAW_TO_FLOAT

/* Labels from stored integers without scaling, one loop per type: 1 when
 * every value is in 0..255, else 0 (floats, or a value out of range: the
 * caller's general loop then finds and names the voxel). */
#define LABELS_FROM(T)                                                                                       \
    do {                                                                                                     \
        const T *s = r->data;                                                                                \
        for (size_t i = 0; i < n; i++) {                                                                     \
            int64_t v = (int64_t)s[i];                                                                       \
            if (v < 0 || v > 255)                                                                            \
                return 0;                                                                                    \
            out[i] = (uint8_t)v;                                                                             \
        }                                                                                                    \
    } while (0)
static int labels_from_int(const RadRaw *r, uint8_t *out, size_t n)
{
    switch (r->dtype) {
    case RAD_U8: LABELS_FROM(uint8_t); break;
    case RAD_I8: LABELS_FROM(int8_t); break;
    case RAD_U16: LABELS_FROM(uint16_t); break;
    case RAD_I16: LABELS_FROM(int16_t); break;
    case RAD_U32: LABELS_FROM(uint32_t); break;
    case RAD_I32: LABELS_FROM(int32_t); break;
    case RAD_U64: LABELS_FROM(uint64_t); break;
    case RAD_I64: LABELS_FROM(int64_t); break;
    default: return 0;
    }
    return 1;
}
#undef LABELS_FROM

static int read_raw(const char *path, RadRaw *raw)
{
    FILE *fp;
    memset(raw, 0, sizeof *raw);
    /* A clear "cannot open" before any format-specific message. */
    fp = rad_file_open_read(path, RAD_IMAGE_FILE_KINDS);
    if (!fp)
        return -1;
    fclose(fp);
    switch (rad_format_from_name(path)) {
    case RAD_FORMAT_NIFTI: return rad_nifti_read(path, raw);
    case RAD_FORMAT_NRRD: return rad_nrrd_read(path, raw);
    case RAD_FORMAT_PNG: return rad_png_read(path, raw);
    default:
        return rad_error_set("'%s': unknown image format; radlab reads NIfTI (.nii, .nii.gz), NRRD (.nrrd, .nhdr), "
                             "PNG (.png) and DICOM (.dcm, or a folder that holds a series)", path);
    }
}

/* The voxel buffer of `raw` as the start of its own allocation (voxels that
 * follow a file's header are moved down within it: no new pages, no second
 * buffer), to be owned by an image or mask; raw is left empty.  NULL when
 * the geometry is invalid. */
static void *raw_adopt(RadRaw *raw, size_t nbytes)
{
    unsigned char *buf;
    if (rad_geometry_check(&raw->geom) != 0)
        return NULL;
    buf = raw->block ? raw->block : raw->data;
    if (buf != raw->data)
        memmove(buf, raw->data, nbytes);
    raw->data = raw->block = NULL;
    return buf;
}

/* A folder: the DICOM image series in it (the only one; see io/dicom.h);
 * a .dcm file: that one file.  The warnings (files skipped) go to stderr,
 * since a C caller has no other channel; the Lua rad.read routes them
 * through its warnings instead.  for_uid receives the series'
 * FrameOfReferenceUID. */
static RadImage *read_dicom(const char *path, int dir, char for_uid[65])
{
    RadImage *img;
    RadDicomInfo info;
    if ((dir ? rad_dicom_read_series(path, NULL, &img, &info) : rad_dicom_read_file(path, NULL, &img, &info)) != 0)
        return NULL;
    for (size_t i = 0; i < info.nwarnings; i++)
        fprintf(stderr, "radlab: warning: %s\n", info.warnings[i]);
    snprintf(for_uid, 65, "%s", info.series.frame_of_reference);
    rad_dicom_info_free(&info);
    return img;
}

RadImage *rad_image_read(const char *path)
{
    char for_uid[65];
    return rad_image_read_for(path, for_uid);
}

RadImage *rad_image_read_for(const char *path, char frame_of_reference[65])
{
    RadRaw raw;
    RadImage *img;
    size_t n;
    struct stat st;
    frame_of_reference[0] = '\0';
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return read_dicom(path, 1, frame_of_reference);
    if (strlen(path) > 4 && strcasecmp(path + strlen(path) - 4, ".dcm") == 0) /* one DICOM file */
        return read_dicom(path, 0, frame_of_reference);
    if (read_raw(path, &raw) != 0)
        return NULL;
    if (raw.dtype == RAD_F32 && raw.slope == 1 && raw.inter == 0) { /* the file's floats are the image */
        if (!(img = rad_malloc(sizeof *img, "an image")) ||
            !(img->data = raw_adopt(&raw, rad_geometry_nvox(&raw.geom) * sizeof(float)))) {
            rad_error_prefix("'%s'", path);
            free(img);
            rad_raw_free(&raw);
            return NULL;
        }
        img->geom = raw.geom;
        return img;
    }
    img = rad_image_new(&raw.geom);
    if (!img) {
        rad_error_prefix("'%s'", path);
        rad_raw_free(&raw);
        return NULL;
    }
    n = rad_image_nvox(img);
    raw_to_float(&raw, img->data, n);
    rad_raw_free(&raw);
    return img;
}

RadMask *rad_mask_read(const char *path)
{
    RadRaw raw;
    RadMask *m;
    size_t n;
    if (read_raw(path, &raw) != 0)
        return NULL;
    if (raw.dtype == RAD_U8 && raw.slope == 1 && raw.inter == 0) { /* every value is a label already */
        if (!(m = rad_malloc(sizeof *m, "a mask")) || !(m->data = raw_adopt(&raw, rad_geometry_nvox(&raw.geom)))) {
            rad_error_prefix("'%s'", path);
            free(m);
            rad_raw_free(&raw);
            return NULL;
        }
        m->geom = raw.geom;
        m->label = 0;
        return m;
    }
    m = rad_mask_new(&raw.geom);
    if (!m) {
        rad_error_prefix("'%s'", path);
        rad_raw_free(&raw);
        return NULL;
    }
    n = rad_mask_nvox(m);
    if (raw.slope == 1 && raw.inter == 0 && labels_from_int(&raw, m->data, n)) {
        rad_raw_free(&raw);
        return m;
    }
    for (size_t i = 0; i < n; i++) {
        double v = raw.slope * raw_value(&raw, i) + raw.inter;
        /* Masks saved as float often carry 0.9999999 for 1: round if close. */
        double r = nearbyint(v);
        if (!(fabs(v - r) < 1e-3) || r < 0 || r > 255) {
            size_t nx = m->geom.dim[0], ny = m->geom.dim[1];
            rad_error_set("'%s' is not a label mask: voxel (%zu, %zu, %zu) (1-based) holds %g (labels must be "
                          "integers 0..255); threshold or round the segmentation first", path, i % nx + 1,
                          i / nx % ny + 1, i / (nx * ny) + 1, v);
            rad_mask_free(m);
            rad_raw_free(&raw);
            return NULL;
        }
        m->data[i] = (uint8_t)r;
    }
    rad_raw_free(&raw);
    return m;
}

/* rad_case_read: job 0 reads the image, job 1 the mask; each keeps its own
 * message (messages are per thread). */
typedef struct CaseRead {
    const char *path[2];
    RadImage *img;
    RadMask *mask;
    char msg[2][1024];
} CaseRead;

static int case_read_job(size_t i, void *ctx)
{
    CaseRead *c = ctx;
    int failed;
    if (i == 0)
        failed = (c->img = rad_image_read(c->path[0])) == NULL;
    else
        failed = (c->mask = rad_mask_read(c->path[1])) == NULL;
    if (failed)
        snprintf(c->msg[i], sizeof c->msg[i], "%s", rad_error_message());
    return failed;
}

int rad_case_read(const char *image_path, const char *mask_path, RadImage **img, RadMask **mask)
{
    CaseRead *c = rad_calloc(1, sizeof *c, "reading a case");
    int failed;
    *img = NULL;
    *mask = NULL;
    if (!c)
        return -1;
    c->path[0] = image_path;
    c->path[1] = mask_path;
    rad_pool_run(2, 2, case_read_job, c, 0, NULL);
    failed = !c->img || !c->mask;
    if (failed) {
        const char *m = c->msg[c->img ? 1 : 0];
        rad_error_set("%s", *m ? m : "interrupted before the image and mask were read");
        rad_image_free(c->img);
        rad_mask_free(c->mask);
    } else {
        *img = c->img;
        *mask = c->mask;
    }
    free(c);
    return failed ? -1 : 0;
}

/* ---- a case whose mask is a DICOM RTSTRUCT or SEG ---------------------------- */

int rad_mask_is_dicom(const char *path, char modality[17])
{
    RadDicomProbe p;
    const char *ext = strrchr(path, '.');
    modality[0] = '\0';
    if (rad_format_from_name(path) != RAD_FORMAT_UNKNOWN && !(ext && strcmp(ext, ".dcm") == 0))
        return 0;
    if (rad_dicom_probe(path, &p) != 0) {
        rad_error_clear(); /* not DICOM: the mask reader says what it is */
        return 0;
    }
    snprintf(modality, 17, "%s", p.modality);
    return strcmp(p.modality, "RTSTRUCT") == 0 || strcmp(p.modality, "SEG") == 0;
}

/* All digits (a ROI or segment number)? */
static int roi_number(const char *s)
{
    long v = 0;
    if (!s || !*s)
        return -1;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9' || v > 1000000)
            return -1;
        v = 10 * v + (*c - '0');
    }
    return (int)v;
}

RadMask *rad_dicom_mask_read(const char *path, const char *roi, const RadGeometry *grid, const char *frame_of_reference)
{
    char modality[17];
    RadMask *m = NULL;
    if (!rad_mask_is_dicom(path, modality)) {
        if (modality[0])
            rad_error_set("'%s' is a DICOM %s object, not a mask: give an RTSTRUCT or SEG file (or a NIfTI/NRRD/PNG "
                          "mask)", path, modality);
        else
            rad_error_set("'%s' is not a DICOM RTSTRUCT or SEG file", path);
        return NULL;
    }
    if (strcmp(modality, "RTSTRUCT") == 0) {
        RadDicomRoi *rois = NULL;
        RadRtstructInfo info;
        size_t n = 0, k;
        const char *name = roi;
        int number = 0;
        if (rad_dicom_rois(path, &rois, &n) != 0)
            return NULL;
        if (!roi || !*roi) { /* no name: the only ROI */
            if (n != 1) {
                char list[1024];
                size_t len = 0;
                list[0] = '\0';
                for (k = 0; k < n && len + 80 < sizeof list; k++)
                    len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s' (%d)", k ? ", " : "",
                                            rois[k].name, rois[k].number);
                rad_error_set("'%s' holds %zu ROIs: %s; name one (the manifest's roi column, --roi, {roi =})", path,
                              n, n ? list : "none");
                free(rois);
                return NULL;
            }
            name = NULL;
            number = rois[0].number;
        } else {
            for (k = 0; k < n && strcmp(rois[k].name, roi) != 0; k++)
                ;
            if (k == n && roi_number(roi) >= 0) { /* not a name: a ROI number? */
                for (k = 0; k < n && rois[k].number != roi_number(roi); k++)
                    ;
                if (k < n) {
                    name = NULL;
                    number = rois[k].number;
                }
            }
        }
        free(rois);
        if (rad_rtstruct_read(path, name, number, grid, frame_of_reference, &m, &info) != 0)
            return NULL;
        return m;
    }
    {
        RadDicomSegment *segs = NULL;
        RadSegInfo info;
        size_t n = 0, k;
        const char *label = roi;
        int number = 0;
        if (rad_dicom_segments(path, &segs, &n) != 0)
            return NULL;
        if (!roi || !*roi) {
            if (n != 1) {
                rad_error_set("'%s' holds %zu segments; name one by its label or number (the manifest's roi column, "
                              "--roi, {segment =})", path, n);
                free(segs);
                return NULL;
            }
            label = NULL;
            number = segs[0].number;
        } else {
            for (k = 0; k < n && strcmp(segs[k].label, roi) != 0; k++)
                ;
            if (k == n && roi_number(roi) >= 0) {
                label = NULL;
                number = roi_number(roi);
            }
        }
        free(segs);
        if (rad_dicom_seg_read(path, label, number, grid, frame_of_reference, &m, &info) != 0)
            return NULL;
        return m;
    }
}

int rad_case_read_roi(const char *image_path, const char *mask_path, const char *roi, RadImage **img, RadMask **mask)
{
    char modality[17];
    *img = NULL;
    *mask = NULL;
    if (!rad_mask_is_dicom(mask_path, modality))
        return rad_case_read(image_path, mask_path, img, mask);
    /* an RTSTRUCT or SEG: rasterised on the image's grid, so after it; a
     * DICOM image's frame of reference must be the contours' */
    char for_uid[65];
    if (!(*img = rad_image_read_for(image_path, for_uid)))
        return -1;
    if (!(*mask = rad_dicom_mask_read(mask_path, roi, &(*img)->geom, for_uid[0] ? for_uid : NULL))) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", rad_error_message());
        rad_image_free(*img);
        *img = NULL;
        return rad_error_set("%s", msg);
    }
    return 0;
}

static int check_writable_format(const char *path, RadFormat f)
{
    if (f == RAD_FORMAT_UNKNOWN)
        return rad_error_set("'%s': unknown image format; write .nii, .nii.gz, .nrrd, .nhdr or .png", path);
    return 0;
}

int rad_image_write(const RadImage *img, const char *path)
{
    RadFormat f = rad_format_from_name(path);
    RadRaw raw;
    if (check_writable_format(path, f) != 0)
        return -1;
    if (f == RAD_FORMAT_PNG)
        return rad_png_write_image(img, path);
    raw.geom = img->geom;
    raw.dtype = RAD_F32;
    raw.data = img->data;
    raw.slope = 1;
    raw.inter = 0;
    raw.block = NULL;
    return f == RAD_FORMAT_NIFTI ? rad_nifti_write(path, &raw) : rad_nrrd_write(path, &raw);
}

int rad_mask_write(const RadMask *m, const char *path)
{
    RadFormat f = rad_format_from_name(path);
    RadRaw raw;
    if (check_writable_format(path, f) != 0)
        return -1;
    if (f == RAD_FORMAT_PNG)
        return rad_png_write_mask(m, path);
    raw.geom = m->geom;
    raw.dtype = RAD_U8;
    raw.data = m->data;
    raw.slope = 1;
    raw.inter = 0;
    raw.block = NULL;
    return f == RAD_FORMAT_NIFTI ? rad_nifti_write(path, &raw) : rad_nrrd_write(path, &raw);
}

int rad_inflate_file(int fd, size_t offset, size_t want, int whole, unsigned char **out)
{
    struct stat st;
    struct libdeflate_decompressor *d;
    const unsigned char *in;
    unsigned char *buf;
    size_t ipos = offset, opos = 0, insize;
    void *map;
    int rc = 1;

    *out = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || (size_t)st.st_size <= offset || want == 0)
        return 1;
    insize = (size_t)st.st_size;
    if (want / 1032 > insize - offset) /* deflate expands at most 1032:1 */
        return 1;
    map = mmap(NULL, insize, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED)
        return 1;
    in = map;
    buf = rad_malloc(want, "decompressed voxels");
    d = libdeflate_alloc_decompressor();
    if (buf && d) {
        while (ipos < insize && (whole || opos < want)) {
            size_t used = 0, made = 0;
            if (libdeflate_gzip_decompress_ex(d, in + ipos, insize - ipos, buf + opos, want - opos, &used,
                                              &made) != LIBDEFLATE_SUCCESS || used == 0)
                break;
            ipos += used;
            opos += made;
        }
        if (opos == want && (!whole || ipos == insize))
            rc = 0;
    }
    if (d)
        libdeflate_free_decompressor(d);
    munmap(map, insize);
    if (rc == 0)
        *out = buf;
    else
        free(buf);
    if (rc != 0)
        rad_error_clear(); /* the zlib path says what is wrong */
    return rc;
}
