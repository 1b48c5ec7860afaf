/* radlab: unit tests of the DICOM SEG reader (rad_dicom_segments,
 * rad_dicom_seg_read) on segmentations written by DCMTK's dcmseg from known
 * masks (the test-only entry point rad_dicomimpl_write_seg).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   test_dicom_seg            run the tests
 *   test_dicom_seg --write D  write the fixtures seg_binary.dcm and
 *                             seg_fractional.dcm into folder D (tests/dicom/)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/dicom.h"
#include "util/error.h"
#include "tap.h"

typedef int (*WriteSeg)(const char *, const RadMask *, int, const char *const *, int, const char *);

#define FOR_UID "1.2.826.0.1.3680043.2.1125.9.7"

/* 12 x 10 x 6 at 0.8 x 0.9 x 2.5 mm: segment 1 a box on slices 1..3, segment 2 a
 * smaller box on slices 3..4 (slice 3 has both: the labels do not overlap). */
static RadMask *known_mask(void)
{
    RadGeometry g;
    rad_geometry_init(&g, 3, 12, 10, 6);
    g.spacing[0] = 0.8;
    g.spacing[1] = 0.9;
    g.spacing[2] = 2.5;
    g.origin[0] = -5;
    g.origin[1] = 3;
    g.origin[2] = 10;
    RadMask *m = rad_mask_new(&g);
    for (size_t k = 0; k < 6; k++)
        for (size_t j = 0; j < 10; j++)
            for (size_t i = 0; i < 12; i++) {
                uint8_t *v = &m->data[i + 12 * (j + 10 * k)];
                if (k >= 1 && k <= 3 && i >= 2 && i <= 7 && j >= 1 && j <= 6)
                    *v = 1;
                if (k >= 3 && k <= 4 && i >= 8 && i <= 10 && j >= 5 && j <= 8)
                    *v = 2;
            }
    /* a hole in segment 1 */
    m->data[4 + 12 * (3 + 10 * 2)] = 0;
    return m;
}

/* Voxels where `got` (0/1) differs from (want == label) (label 0: want != 0). */
static size_t differ(const RadMask *got, const RadMask *want, int label)
{
    size_t n = rad_geometry_nvox(&got->geom), d = 0;
    for (size_t v = 0; v < n; v++)
        d += (got->data[v] != 0) != (label ? want->data[v] == label : want->data[v] != 0);
    return d;
}

static int write_fixtures(WriteSeg w, const char *dir)
{
    char p[4096];
    const char *labels[] = {"Tumour", "Node"};
    RadMask *m = known_mask();
    snprintf(p, sizeof p, "%s/seg_binary.dcm", dir);
    if (w(p, m, 2, labels, 0, FOR_UID) < 0)
        return fprintf(stderr, "%s\n", rad_error_message()), 1;
    for (size_t v = 0; v < rad_mask_nvox(m); v++)
        m->data[v] = (uint8_t)(m->data[v] ? (v % 5) * 50 : 0);
    snprintf(p, sizeof p, "%s/seg_fractional.dcm", dir);
    if (w(p, m, 1, labels, 1, FOR_UID) < 0)
        return fprintf(stderr, "%s\n", rad_error_message()), 1;
    rad_mask_free(m);
    return 0;
}

int main(int argc, char **argv)
{
    WriteSeg w;
    *(void **)&w = rad_dicom_sym("rad_dicomimpl_write_seg");
    if (!w) {
        tap_ok(0, "librad-dicom has the test writer: %s", rad_error_message());
        return tap_done();
    }
    if (argc == 3 && strcmp(argv[1], "--write") == 0)
        return write_fixtures(w, argv[2]);

    const char *labels[] = {"Tumour", "Node", "Empty"};
    const char *path = "test_dicom_seg_binary.tmp";
    RadMask *m = known_mask(), *got = NULL;
    RadSegInfo info;
    tap_ok(w(path, m, 3, labels, 0, FOR_UID) == 0, "dcmseg writes a binary SEG of 3 segments (%s)",
           rad_error_message());

    RadDicomSegment *segs = NULL;
    size_t n = 0;
    tap_ok(rad_dicom_segments(path, &segs, &n) == 0 && n == 3, "three segments listed (got %zu)", n);
    tap_ok(n == 3 && segs[0].number == 1 && strcmp(segs[0].label, "Tumour") == 0 && segs[1].number == 2 &&
               strcmp(segs[1].label, "Node") == 0 && strcmp(segs[1].description, "segment Node") == 0,
           "numbers, labels and descriptions as written");
    free(segs);

    /* the same grid: pixels copied */
    tap_ok(rad_dicom_seg_read(path, "Node", 0, &m->geom, FOR_UID, &got, &info) == 0, "read segment 'Node' (%s)",
           rad_error_message());
    tap_ok(got && differ(got, m, 2) == 0 && rad_mask_count(got) == 24, "'Node' = the voxels of label 2 (24, got %zu)",
           got ? rad_mask_count(got) : 0);
    tap_ok(info.segment.number == 2 && info.frames == 2 && !info.resampled && !info.fractional && !info.outside,
           "segment 2, 2 frames, same grid, binary (frames %zu, resampled %d)", info.frames, info.resampled);
    tap_ok(strcmp(info.frame_of_reference, FOR_UID) == 0, "frame of reference read");
    rad_mask_free(got);
    got = NULL;
    tap_ok(rad_dicom_seg_read(path, NULL, 1, &m->geom, NULL, &got, &info) == 0, "read segment number 1");
    tap_ok(got && differ(got, m, 1) == 0 && rad_mask_count(got) == 3 * 36 - 1,
           "segment 1 = label 1, its hole too (107 voxels, got %zu)", got ? rad_mask_count(got) : 0);
    rad_mask_free(got);
    got = NULL;

    /* errors */
    tap_ok(rad_dicom_seg_read(path, "Liver", 0, &m->geom, NULL, &got, &info) < 0 && !got, "unknown segment: an error");
    tap_contains(rad_error_message(), "no segment labelled 'Liver'; its segments are: 1 'Tumour', 2 'Node', 3 'Empty'",
                 "the message lists the segments");
    tap_ok(rad_dicom_seg_read(path, NULL, 7, &m->geom, NULL, &got, &info) < 0, "unknown segment number: an error");
    tap_contains(rad_error_message(), "no segment number 7", "and says which");
    tap_ok(rad_dicom_seg_read(path, "Empty", 0, &m->geom, NULL, &got, &info) < 0, "a segment without frames: an error");
    tap_contains(rad_error_message(), "segment 3 'Empty' has no frames: it is empty", "the message says so");
    tap_ok(rad_dicom_seg_read(path, "Node", 0, &m->geom, "1.2.3.4", &got, &info) < 0,
           "another frame of reference: an error");
    tap_contains(rad_error_message(), "frame of reference " FOR_UID ", but the image is in 1.2.3.4",
                 "the message gives both UIDs");

    /* a reference grid that is a crop of the SEG's, shifted by whole voxels: still copied */
    RadGeometry crop = m->geom;
    RadBox box = {{3, 2, 1}, {11, 9, 4}};
    rad_geometry_crop(&m->geom, &box, &crop);
    tap_ok(rad_dicom_seg_read(path, "Tumour", 0, &crop, NULL, &got, &info) == 0, "read onto a cropped grid");
    RadMask *want = rad_mask_crop(m, &box);
    size_t out = 0;
    for (size_t v = 0; v < rad_mask_nvox(m); v++)
        out += m->data[v] == 1 && (v % 12 < 3 || v / 12 % 10 < 2);
    tap_ok(got && want && differ(got, want, 1) == 0 && !info.resampled && info.outside == out && out == 33,
           "the crop of segment 1, not resampled, 33 pixels outside counted (got %zu)", info.outside);
    rad_mask_free(want);
    rad_mask_free(got);
    got = NULL;

    /* a finer grid (half the spacing, centres a quarter voxel off): nearest neighbour */
    RadGeometry fine = m->geom;
    for (int c = 0; c < 3; c++) {
        fine.dim[c] = 2 * m->geom.dim[c];
        fine.spacing[c] = m->geom.spacing[c] / 2;
        fine.origin[c] = m->geom.origin[c] - m->geom.spacing[c] / 4;
    }
    tap_ok(rad_dicom_seg_read(path, "Tumour", 0, &fine, NULL, &got, &info) == 0, "read onto a finer grid");
    RadMask *one = rad_mask_select(m, (int[]){1}, 1);
    RadMask *nn = one ? rad_mask_resample_to(one, &fine) : NULL;
    tap_ok(got && nn && differ(got, nn, 0) == 0 && info.resampled && rad_mask_count(got) == 8 * 107,
           "resampled by nearest neighbour: as rad_mask_resample_to, 8 x 107 voxels (got %zu)",
           got ? rad_mask_count(got) : 0);
    rad_mask_free(one);
    rad_mask_free(nn);
    rad_mask_free(got);
    got = NULL;

    /* an oblique reference grid: still nearest neighbour, voxel centres checked one by one */
    RadGeometry obl = m->geom;
    double a = 0.3;
    obl.direction[0] = cos(a);
    obl.direction[1] = -sin(a);
    obl.direction[3] = sin(a);
    obl.direction[4] = cos(a);
    tap_ok(rad_dicom_seg_read(path, "Tumour", 0, &obl, NULL, &got, &info) == 0 && info.resampled,
           "read onto a rotated grid (resampled)");
    size_t agree = 0, nv = rad_geometry_nvox(&obl);
    for (size_t v = 0; v < nv && got; v++) {
        double idx[3] = {(double)(v % 12), (double)(v / 12 % 10), (double)(v / 120)}, p[3], q[3];
        rad_geometry_index_to_point(&obl, idx, p);
        rad_geometry_point_to_index(&m->geom, p, q);
        long i = (long)floor(q[0] + 0.5), j = (long)floor(q[1] + 0.5), k = (long)floor(q[2] + 0.5);
        int in = i >= 0 && j >= 0 && k >= 0 && i < 12 && j < 10 && k < 6 && m->data[i + 12 * (j + 10 * k)] == 1;
        agree += got->data[v] == in;
    }
    tap_ok(agree == nv, "every voxel as its nearest SEG pixel (%zu of %zu)", agree, nv);
    rad_mask_free(got);
    got = NULL;
    remove(path);

    /* fractional: in when the value >= half the maximum (200) */
    RadMask *frac = rad_mask_copy(m);
    size_t expect = 0;
    for (size_t v = 0; v < rad_mask_nvox(frac); v++) {
        frac->data[v] = (uint8_t)(frac->data[v] ? (v % 5) * 50 : 0); /* 0, 50, 100, 150, 200 */
        expect += frac->data[v] >= 100;
    }
    frac->data[0] = 99;
    frac->data[1] = 100;
    expect++;
    path = "test_dicom_seg_frac.tmp";
    tap_ok(w(path, frac, 1, labels, 1, FOR_UID) == 0, "dcmseg writes a fractional SEG (%s)", rad_error_message());
    tap_ok(rad_dicom_seg_read(path, NULL, 1, &m->geom, NULL, &got, &info) == 0 && info.fractional &&
               info.max_fractional == 200 && info.frames == 6,
           "read it: fractional, maximum 200, 6 frames");
    size_t bad = 0;
    for (size_t v = 0; got && v < rad_mask_nvox(frac); v++)
        bad += got->data[v] != (frac->data[v] >= 100);
    tap_ok(got && bad == 0 && rad_mask_count(got) == expect, "in exactly where value >= 100 (%zu voxels, %zu wrong)",
           expect, bad);
    rad_mask_free(got);
    got = NULL;

    /* truncated: the first half of the file */
    FILE *fp = fopen(path, "rb");
    static unsigned char buf[1 << 16];
    size_t len = fp ? fread(buf, 1, sizeof buf, fp) : 0;
    if (fp)
        fclose(fp);
    remove(path);
    path = "test_dicom_seg_cut.tmp";
    fp = fopen(path, "wb");
    if (fp) {
        fwrite(buf, 1, len / 2, fp);
        fclose(fp);
    }
    tap_ok(rad_dicom_seg_read(path, NULL, 1, &m->geom, NULL, &got, &info) < 0 && !got, "a truncated SEG: an error");
    tap_contains(rad_error_message(), "test_dicom_seg_cut.tmp", "naming the file");
    tap_diag("%s", rad_error_message());
    remove(path);
    tap_ok(rad_dicom_segments("no/such.dcm", &segs, &n) < 0, "a missing file: an error");

    rad_mask_free(frac);
    rad_mask_free(m);
    return tap_done();
}
