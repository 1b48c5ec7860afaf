/* radlab: unit tests of NIfTI reading and writing.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nifti2_io.h>

#include "rad.h"
#include "tap.h"

static char dir[] = "/tmp/radlab-nifti.XXXXXX";

static const char *tpath(const char *name)
{
    static char buf[8][512];
    static int slot;
    slot = (slot + 1) % 8;
    snprintf(buf[slot], sizeof buf[slot], "%s/%s", dir, name);
    return buf[slot];
}

/* stderr goes to a file while `quiet` runs, so that we can assert silence */
static int err_fd = -1, saved_fd = -1;
static void capture_stderr(void)
{
    fflush(stderr);
    saved_fd = dup(2);
    err_fd = open(tpath("stderr.txt"), O_CREAT | O_TRUNC | O_WRONLY, 0600);
    dup2(err_fd, 2);
}
static long release_stderr(void)
{
    struct stat st;
    fflush(stderr);
    dup2(saved_fd, 2);
    close(saved_fd);
    close(err_fd);
    stat(tpath("stderr.txt"), &st);
    return (long)st.st_size;
}

static void fill(RadRaw *r, RadDType t, size_t n)
{
    unsigned char *p = malloc(n * rad_dtype_size(t));
    /* a byte pattern that exercises every byte of every element, including
     * sign bits; floats get finite values so NaN payloads don't matter */
    for (size_t i = 0; i < n * rad_dtype_size(t); i++)
        p[i] = (unsigned char)(i * 37 + 11);
    if (t == RAD_F32)
        for (size_t i = 0; i < n; i++)
            ((float *)(void *)p)[i] = (float)i * 0.37f - 5.5f;
    if (t == RAD_F64)
        for (size_t i = 0; i < n; i++)
            ((double *)(void *)p)[i] = (double)i * 1e-3 - 1e10;
    r->data = p;
    r->dtype = t;
}

static void test_round_trips(void)
{
    static const char *exts[] = {".nii", ".nii.gz"};
    for (int e = 0; e < 2; e++)
        for (int t = RAD_U8; t <= RAD_F64; t++) {
            RadRaw w, r;
            char name[64];
            size_t n;
            int same_geom = 1;
            rad_geometry_init(&w.geom, 3, 7, 5, 3);
            w.geom.spacing[0] = 0.75;
            w.geom.spacing[1] = 0.8;
            w.geom.spacing[2] = 2.5;
            w.geom.origin[0] = -120.5;
            w.geom.origin[1] = 33.25;
            w.geom.origin[2] = -7;
            /* a rotation of 90 degrees about z: i -> +y, j -> -x */
            memcpy(w.geom.direction, (double[9]){0, -1, 0, 1, 0, 0, 0, 0, 1}, sizeof w.geom.direction);
            n = rad_geometry_nvox(&w.geom);
            fill(&w, (RadDType)t, n);
            w.slope = 1;
            w.inter = 0;
            snprintf(name, sizeof name, "rt_%s%s", rad_dtype_name((RadDType)t), exts[e]);
            if (!tap_ok(rad_nifti_write(tpath(name), &w) == 0, "write %s", name))
                tap_diag("%s", rad_error_message());
            if (!tap_ok(rad_nifti_read(tpath(name), &r) == 0, "read %s", name)) {
                tap_diag("%s", rad_error_message());
                free(w.data);
                continue;
            }
            tap_ok(r.dtype == (RadDType)t && memcmp(r.data, w.data, n * rad_dtype_size((RadDType)t)) == 0,
                   "%s: voxels bit-exact", name);
            for (int c = 0; c < 3; c++) {
                same_geom &= r.geom.dim[c] == w.geom.dim[c];
                same_geom &= fabs(r.geom.spacing[c] - w.geom.spacing[c]) < 1e-6;
                same_geom &= fabs(r.geom.origin[c] - w.geom.origin[c]) < 1e-4; /* float32 in the header */
            }
            for (int i = 0; i < 9; i++)
                same_geom &= fabs(r.geom.direction[i] - w.geom.direction[i]) < 1e-6;
            tap_ok(same_geom, "%s: geometry round trip (LPS, rotated)", name);
            free(w.data);
            rad_raw_free(&r);
        }
}

/* A NIfTI written by nifticlib itself, with chosen header fields. */
static nifti_image *make_nim(int ndim, const int64_t *dims, int dtype)
{
    int64_t d[8] = {ndim, 1, 1, 1, 1, 1, 1, 1};
    for (int i = 0; i < ndim; i++)
        d[i + 1] = dims[i];
    return nifti_make_new_nim(d, dtype, 1);
}

static void write_nim(nifti_image *nim, const char *path, int version)
{
    nim->nifti_type = version == 2 ? NIFTI_FTYPE_NIFTI2_1 : NIFTI_FTYPE_NIFTI1_1;
    nifti_set_filenames(nim, path, 0, 1);
    nifti_image_write(nim);
    nifti_image_free(nim);
}

static void test_header_semantics(void)
{
    int64_t dims[3] = {4, 3, 2};
    nifti_image *nim;
    RadImage *img;
    RadRaw r;

    /* scl_slope / scl_inter: stored int16 s -> 2 s - 1000 */
    nim = make_nim(3, dims, DT_INT16);
    for (int i = 0; i < 24; i++)
        ((int16_t *)nim->data)[i] = (int16_t)(i * 10);
    nim->scl_slope = 2;
    nim->scl_inter = -1000;
    write_nim(nim, tpath("scaled.nii"), 1);
    img = rad_image_read(tpath("scaled.nii"));
    tap_ok(img && img->data[0] == -1000 && img->data[23] == 2 * 230 - 1000, "scl_slope 2, scl_inter -1000 applied");
    rad_image_free(img);

    /* no transform codes: method 1 (pixdim only) is RAS identity -> LPS flips x and y */
    nim = make_nim(3, dims, DT_FLOAT32);
    nim->pixdim[1] = nim->dx = 1.5;
    nim->qform_code = nim->sform_code = 0;
    write_nim(nim, tpath("method1.nii.gz"), 1);
    tap_ok(rad_nifti_read(tpath("method1.nii.gz"), &r) == 0, "method-1 NIfTI reads");
    tap_ok(r.geom.direction[0] == -1 && r.geom.direction[4] == -1 && r.geom.direction[8] == 1 && r.geom.spacing[0] == 1.5,
           "RAS identity is LPS diag(-1,-1,1), spacing from pixdim");
    rad_raw_free(&r);

    /* sform preferred over qform */
    nim = make_nim(3, dims, DT_UINT8);
    nim->qform_code = 1;
    nim->sform_code = 2;
    nim->sto_xyz = (nifti_dmat44){{{2, 0, 0, 10}, {0, 3, 0, 20}, {0, 0, 4, 30}, {0, 0, 0, 1}}};
    write_nim(nim, tpath("sform.nii"), 1);
    tap_ok(rad_nifti_read(tpath("sform.nii"), &r) == 0 && r.geom.spacing[0] == 2 && r.geom.spacing[1] == 3 &&
               r.geom.spacing[2] == 4 && r.geom.origin[0] == -10 && r.geom.origin[1] == -20 && r.geom.origin[2] == 30,
           "sform used: spacing 2x3x4, origin (-10, -20, 30) LPS");
    rad_raw_free(&r);

    /* NIfTI-2 */
    nim = make_nim(3, dims, DT_FLOAT64);
    for (int i = 0; i < 24; i++)
        ((double *)nim->data)[i] = i / 7.0;
    write_nim(nim, tpath("two.nii"), 2);
    tap_ok(rad_nifti_read(tpath("two.nii"), &r) == 0 && r.dtype == RAD_F64 && ((double *)r.data)[22] == 22 / 7.0,
           "NIfTI-2 float64 reads exactly");
    rad_raw_free(&r);

    /* a 2D image */
    nim = make_nim(2, dims, DT_UINT16);
    write_nim(nim, tpath("flat.nii"), 1);
    tap_ok(rad_nifti_read(tpath("flat.nii"), &r) == 0 && r.geom.ndim == 2 && r.geom.dim[2] == 1, "2D NIfTI has ndim 2");
    rad_raw_free(&r);

    /* a 4D image with one volume is 3D */
    nim = make_nim(4, (int64_t[4]){4, 3, 2, 1}, DT_INT32);
    write_nim(nim, tpath("one_vol.nii"), 1);
    tap_ok(rad_nifti_read(tpath("one_vol.nii"), &r) == 0 && r.geom.ndim == 3, "4D with one volume reads as 3D");
    rad_raw_free(&r);
}

static void write_bytes(const char *path, const void *p, size_t n)
{
    FILE *fp = fopen(path, "wb");
    fwrite(p, 1, n, fp);
    fclose(fp);
}

static void test_bad_input(void)
{
    RadRaw r;
    RadImage *img;
    int64_t dims[3] = {8, 8, 8};
    nifti_image *nim;
    char *buf;
    size_t len;

    capture_stderr();
    img = rad_image_read(tpath("missing.nii.gz"));
    tap_ok(img == NULL, "missing file fails");
    tap_contains(rad_error_message(), "cannot open", "missing file: cannot open");
    tap_contains(rad_error_message(), "No such file", "missing file: says why");

    write_bytes(tpath("text.nii"), "this is not an image, just a text file with the wrong name\n", 59);
    tap_ok(rad_nifti_read(tpath("text.nii"), &r) != 0, "text file named .nii fails");
    tap_contains(rad_error_message(), "is not a NIfTI file", "text file: not a NIfTI file");

    write_bytes(tpath("empty.nii"), "", 0);
    tap_ok(rad_nifti_read(tpath("empty.nii"), &r) != 0, "empty file fails");
    tap_contains(rad_error_message(), "not a NIfTI file (only 0 bytes)", "empty file message");

    /* header/data size mismatch: cut the voxel data of an uncompressed file */
    nim = make_nim(3, dims, DT_INT16);
    write_nim(nim, tpath("whole.nii"), 1);
    buf = rad_file_slurp(tpath("whole.nii"), &len);
    write_bytes(tpath("short.nii"), buf, len - 100);
    tap_ok(rad_nifti_read(tpath("short.nii"), &r) != 0, "data shorter than the header says fails");
    tap_contains(rad_error_message(), "is truncated: the header promises 1024 bytes", "size mismatch message");
    tap_contains(rad_error_message(), "holds 924", "size mismatch gives the bytes found");
    write_bytes(tpath("cut_header.nii"), buf, 200);
    tap_ok(rad_nifti_read(tpath("cut_header.nii"), &r) != 0, "file cut inside the header fails");
    tap_contains(rad_error_message(), "header needs 348 bytes", "cut header message");
    free(buf);

    /* truncated .nii.gz: a gzip stream cut in the middle */
    nim = make_nim(3, dims, DT_FLOAT32);
    for (int i = 0; i < 512; i++)
        ((float *)nim->data)[i] = (float)rand() / 3.0f; /* incompressible-ish */
    write_nim(nim, tpath("whole.nii.gz"), 1);
    buf = rad_file_slurp(tpath("whole.nii.gz"), &len);
    write_bytes(tpath("cut.nii.gz"), buf, len / 2);
    free(buf);
    tap_ok(rad_nifti_read(tpath("cut.nii.gz"), &r) != 0, "truncated .nii.gz fails");
    tap_contains(rad_error_message(), "truncated", "truncated .nii.gz message");

    /* unsupported datatype */
    nim = make_nim(3, dims, DT_RGB24);
    write_nim(nim, tpath("rgb.nii"), 1);
    tap_ok(rad_nifti_read(tpath("rgb.nii"), &r) != 0, "RGB24 NIfTI fails");
    tap_contains(rad_error_message(), "unsupported NIfTI datatype RGB24 (code 128)", "datatype message names it");

    /* 4D */
    nim = make_nim(4, (int64_t[4]){8, 8, 8, 5}, DT_UINT8);
    write_nim(nim, tpath("fmri.nii.gz"), 1);
    tap_ok(rad_nifti_read(tpath("fmri.nii.gz"), &r) != 0, "4D image fails");
    tap_contains(rad_error_message(), "is a 4D image (dimension 4 has 5 time points)", "4D message names the dimension");

    /* masks must hold integer labels */
    nim = make_nim(3, dims, DT_FLOAT32);
    ((float *)nim->data)[9] = 0.5f;
    write_nim(nim, tpath("prob.nii"), 1);
    tap_ok(rad_mask_read(tpath("prob.nii")) == NULL, "probability map is not a mask");
    tap_contains(rad_error_message(), "voxel (2, 2, 1) (1-based) holds 0.5", "mask message names voxel (1-based) and value");

    /* a failed write leaves nothing behind */
    {
        RadGeometry g;
        RadImage *im;
        rad_geometry_init(&g, 3, 2, 2, 2);
        im = rad_image_new(&g);
        tap_ok(rad_image_write(im, tpath("no/such/dir/x.nii.gz")) != 0, "write into a missing folder fails");
        tap_contains(rad_error_message(), "cannot write", "write failure message");
        rad_image_free(im);
    }
    tap_ok(release_stderr() == 0, "nothing was printed to stderr by any of the failures above");
}

static void test_reference(void)
{
    const char *data = tap_data_dir();
    char path[1024];
    RadImage *img;
    RadMask *m;
    if (!data) {
        tap_skip(4, "reference data ../shared/data not found (set RADLAB_DATA)");
        return;
    }
    snprintf(path, sizeof path, "%s/ibsi1/digital_phantom/image.nii.gz", data);
    img = rad_image_read(path);
    snprintf(path, sizeof path, "%s/ibsi1/digital_phantom/mask.nii.gz", data);
    m = rad_mask_read(path);
    tap_ok(img && img->geom.dim[0] == 5 && img->geom.dim[1] == 4 && img->geom.dim[2] == 4,
           "IBSI digital phantom is 5x4x4");
    tap_ok(img && img->geom.spacing[0] == 2 && img->geom.spacing[1] == 2 && img->geom.spacing[2] == 2,
           "IBSI digital phantom has 2 mm voxels");
    tap_ok(m && rad_mask_count(m) == 74, "IBSI digital phantom mask has 74 voxels");
    tap_ok(img && m && rad_check_same_geometry(img, m, RAD_GEOMETRY_TOL) == 0, "phantom image and mask agree");
    rad_image_free(img);
    rad_mask_free(m);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_round_trips();
    test_header_semantics();
    test_bad_input();
    test_reference();
    {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            tap_diag("could not remove %s", dir);
    }
    return tap_done();
}
