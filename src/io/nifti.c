/* radlab: NIfTI-1 and NIfTI-2 reading and writing (nifticlib).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * nifticlib parses headers and computes the qform/sform matrices; radlab
 * checks the magic bytes before nifticlib sees a file (so a text file named
 * .nii gets our message, not the library's stderr chatter) and reads and
 * writes the voxel data itself through znzlib, so that a truncated file is an
 * error instead of zero-filled voxels.
 *
 * World coordinates: NIfTI matrices map to RAS+; radlab works in LPS (see
 * image.h), so the first two rows of the matrix are negated on read and on
 * write.  Of the two NIfTI transforms, the sform is used when its code is
 * non-zero, else the qform (nifticlib turns qform code 0 into the "method 1"
 * matrix diag(pixdim)), as nibabel does.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nifti2_io.h>

#include "io/io.h"
#include "util/error.h"
#include "util/file.h"

/* Silence nifticlib's own diagnostics once per process. */
static void nifti_quiet(void)
{
    nifti_set_debug_level(0);
    nifti_set_skip_blank_ext(1);
}

static uint32_t swap32(uint32_t x)
{
    return (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) | (x << 24);
}

/* Check the header size field and the magic string of a single-file NIfTI.
 * Returns the NIfTI version (1 or 2) or -1 with a message. */
static int nifti_probe(const char *path)
{
    unsigned char buf[540];
    size_t got;
    uint32_t sz;
    znzFile fp = znzopen(path, "rb", nifti_is_gzfile(path));
    if (znz_isnull(fp))
        return rad_error_errno("cannot open '%s'", path);
    got = znzread(buf, 1, sizeof buf, fp);
    znzclose(fp);
    if (got == (size_t)-1 || got > sizeof buf)
        return rad_error_set("'%s' is not a NIfTI file (it cannot be decompressed: corrupt gzip data)", path);
    if (got < 4)
        return rad_error_set("'%s' is not a NIfTI file (only %zu bytes)", path, got);
    memcpy(&sz, buf, 4);
    if (sz == 348 || swap32(sz) == 348) {
        if (got < 348)
            return rad_error_set("'%s' is truncated: the NIfTI-1 header needs 348 bytes, the file holds %zu", path, got);
        if (memcmp(buf + 344, "n+1", 4) == 0)
            return 1;
        if (memcmp(buf + 344, "ni1", 4) == 0)
            return rad_error_set("'%s' is the header of a .hdr/.img pair; radlab reads single-file NIfTI "
                                 "(.nii, .nii.gz): convert it, e.g. with nifti_tool or fslchfiletype", path);
        return rad_error_set("'%s' is not a NIfTI-1 file (bad magic string; an old ANALYZE 7.5 header?)", path);
    }
    if (sz == 540 || swap32(sz) == 540) {
        if (got < 540)
            return rad_error_set("'%s' is truncated: the NIfTI-2 header needs 540 bytes, the file holds %zu", path, got);
        if (memcmp(buf + 4, "n+2", 4) == 0)
            return 2;
        return rad_error_set("'%s' is not a single-file NIfTI-2 file (bad magic string)", path);
    }
    return rad_error_set("'%s' is not a NIfTI file (its first bytes are not a NIfTI header; "
                         "is it a text file or another format with a .nii name?)", path);
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
        return rad_error_set("'%s': unsupported NIfTI datatype %s (code %d); radlab reads scalar "
                             "integer and floating-point images (convert colour or complex data first)",
                             path, nifti_datatype_string(dt), dt);
    }
}

/* Geometry from the header's dims and best transform, in LPS. */
static int nifti_geometry(const char *path, const nifti_image *nim, RadGeometry *g)
{
    nifti_dmat44 m = nim->sform_code > 0 ? nim->sto_xyz : nim->qto_xyz;
    int ndim = (int)nim->dim[0];
    if (ndim < 1 || ndim > 7)
        return rad_error_set("'%s': invalid NIfTI dim[0] = %d", path, ndim);
    for (int d = 4; d <= ndim; d++)
        if (nim->dim[d] > 1)
            return rad_error_set("'%s' is a %dD image (dimension %d has %lld %s); radlab reads 2D and 3D "
                                 "images: extract one volume first (e.g. fslroi or nibabel)",
                                 path, ndim, d, (long long)nim->dim[d], d == 4 ? "time points" : "components");
    for (int d = 1; d <= 3; d++)
        if (d <= ndim && nim->dim[d] < 1)
            return rad_error_set("'%s': invalid NIfTI size dim[%d] = %lld", path, d, (long long)nim->dim[d]);
    rad_geometry_init(g, ndim <= 2 && (ndim < 3 || nim->dim[3] <= 1) ? 2 : 3,
                      (size_t)nim->dim[1], ndim >= 2 ? (size_t)nim->dim[2] : 1,
                      ndim >= 3 ? (size_t)nim->dim[3] : 1);
    for (int c = 0; c < 3; c++) {
        double col[3], norm;
        for (int r = 0; r < 3; r++)
            col[r] = (r < 2 ? -1.0 : 1.0) * m.m[r][c]; /* RAS -> LPS */
        norm = sqrt(col[0] * col[0] + col[1] * col[1] + col[2] * col[2]);
        if (!(norm > 0) || !isfinite(norm)) {
            /* A 2D file's third column may be empty: make it the normal. */
            if (c == 2 && g->ndim == 2) {
                g->direction[8] = 1;
                g->spacing[2] = 1;
                continue;
            }
            return rad_error_set("'%s': the NIfTI %s matrix has a zero column %d (voxel size 0?)",
                                 path, nim->sform_code > 0 ? "sform" : "qform", c);
        }
        g->spacing[c] = norm;
        for (int r = 0; r < 3; r++)
            g->direction[r * 3 + c] = col[r] / norm;
    }
    g->origin[0] = -m.m[0][3];
    g->origin[1] = -m.m[1][3];
    g->origin[2] = m.m[2][3];
    if (rad_geometry_check(g) != 0)
        return rad_error_prefix("'%s'", path);
    return 0;
}

int rad_nifti_read(const char *path, RadRaw *raw)
{
    nifti_image *nim = NULL;
    znzFile fp = NULL;
    size_t need, got, esize;
    int rc = -1;

    memset(raw, 0, sizeof *raw);
    nifti_quiet();
    if (nifti_probe(path) < 0)
        return -1;
    nim = nifti_image_read(path, 0);
    if (!nim)
        return rad_error_set("'%s': the NIfTI header is invalid (nifticlib could not parse it)", path);
    if (nifti_dtype(path, nim->datatype, &raw->dtype) != 0 || nifti_geometry(path, nim, &raw->geom) != 0)
        goto done;
    esize = rad_dtype_size(raw->dtype);
    if ((size_t)nim->nbyper != esize) {
        rad_error_set("'%s': NIfTI bitpix %d does not match datatype %s", path, nim->nbyper * 8,
                      rad_dtype_name(raw->dtype));
        goto done;
    }
    need = rad_geometry_nvox(&raw->geom) * esize;
    raw->data = rad_malloc(need, "NIfTI voxel data");
    if (!raw->data)
        goto done;
    fp = znzopen(nim->iname, "rb", nifti_is_gzfile(nim->iname));
    if (znz_isnull(fp)) {
        rad_error_errno("cannot open '%s'", nim->iname);
        goto done;
    }
    if (znzseek(fp, (znz_off_t)nim->iname_offset, SEEK_SET) < 0) {
        rad_error_set("'%s' is truncated: voxel data should start at byte %lld", path, (long long)nim->iname_offset);
        goto done;
    }
    got = znzread(raw->data, 1, need, fp);
    if (got == (size_t)-1 || got > need) {
        rad_error_set("'%s': corrupt compressed data (gzip stream cannot be decoded)", path);
        goto done;
    }
    if (got < need) {
        rad_error_set("'%s' is truncated: the header promises %zu bytes of voxel data "
                      "(%zux%zux%zu %s), the file holds %zu", path, need, raw->geom.dim[0], raw->geom.dim[1],
                      raw->geom.dim[2], rad_dtype_name(raw->dtype), got);
        goto done;
    }
    if (nim->byteorder != nifti_short_order() && esize > 1)
        nifti_swap_Nbytes((int64_t)(need / esize), (int)esize, raw->data);
    raw->slope = 1;
    raw->inter = 0;
    if (nim->scl_slope != 0 && isfinite(nim->scl_slope)) {
        raw->slope = nim->scl_slope;
        raw->inter = isfinite(nim->scl_inter) ? nim->scl_inter : 0;
    }
    rc = 0;
done:
    if (fp)
        znzclose(fp);
    nifti_image_free(nim);
    if (rc != 0)
        rad_raw_free(raw);
    return rc;
}

static int nifti_code(RadDType t)
{
    static const int codes[] = {DT_UINT8, DT_INT8, DT_UINT16, DT_INT16, DT_UINT32, DT_INT32,
                                DT_UINT64, DT_INT64, DT_FLOAT32, DT_FLOAT64};
    return codes[t];
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
    fp = znzopen(tmp, RAD_GZIP_MODE, nifti_is_gzfile(path));
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
