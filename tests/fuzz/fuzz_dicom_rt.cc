/* radlab: libFuzzer target for the DICOM RTSTRUCT and SEG readers.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built by `make fuzz-build` (clang++, DCMTK) with src/io/dicom_rt.cc and
 * src/io/dicom_series.cc (the shared DCMTK helpers) compiled in, so the
 * entry points of librad-dicom are called directly rather than through
 * dlopen.  Each input is written to x.dcm in a folder of this process under
 * /dev/shm; then, as rad.read_rtstruct and rad.read_dicom_seg do: the ROI
 * list, the first ROI's contours rasterised on the fixtures' grid
 * (tests/dicom/README.md: 12 x 10 x 6 voxels of 0.8 x 0.9 x 2.5 mm at
 * (-5, 3, 10)), the segment list and the first segment on that grid.  Each
 * call must succeed or fail with a message; a crash, a sanitizer report or a
 * hang is a finding.
 */
#include "fuzz_file.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" {
#include "image/contour.h"
#include "image/image.h"
#include "io/dicom.h"
#include "util/error.h"
int rad_dicomimpl_rois(const char *path, RadDicomRoi **rois, size_t *n);
int rad_dicomimpl_rt_contours(const char *path, const char *name, int number, RadDicomContours *out);
int rad_dicomimpl_segments(const char *path, RadDicomSegment **segs, size_t *n);
int rad_dicomimpl_seg_read(const char *path, const char *label, int number, const RadGeometry *grid,
                           const char *for_uid, RadMask **out, RadSegInfo *info);
}

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_file_init("rt", "x.dcm");
    return 0;
}

/* a failed call must leave a message */
static void failed(void)
{
    if (!rad_error_message()[0])
        abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file_write(data, size);
    RadGeometry g;
    memset(&g, 0, sizeof g);
    g.ndim = 3;
    g.dim[0] = 12, g.dim[1] = 10, g.dim[2] = 6;
    g.spacing[0] = 0.8, g.spacing[1] = 0.9, g.spacing[2] = 2.5;
    g.origin[0] = -5, g.origin[1] = 3, g.origin[2] = 10;
    g.direction[0] = g.direction[4] = g.direction[8] = 1;

    RadDicomRoi *rois = NULL;
    size_t n = 0;
    rad_error_clear();
    if (rad_dicomimpl_rois(path, &rois, &n) == 0) {
        if (n > 0) {
            RadDicomContours dc;
            memset(&dc, 0, sizeof dc);
            rad_error_clear();
            if (rad_dicomimpl_rt_contours(path, NULL, rois[0].number, &dc) == 0) {
                RadMask *m = rad_contours_rasterise(&g, dc.c, dc.n, "fuzz");
                if (!m)
                    failed();
                rad_mask_free(m);
                rad_dicom_contours_free(&dc);
            } else
                failed();
        }
        free(rois);
    } else
        failed();

    RadDicomSegment *segs = NULL;
    rad_error_clear();
    if (rad_dicomimpl_segments(path, &segs, &n) == 0) {
        if (n > 0) {
            RadMask *m = NULL;
            RadSegInfo info;
            rad_error_clear();
            if (rad_dicomimpl_seg_read(path, NULL, segs[0].number, &g, NULL, &m, &info) == 0) {
                if (!m)
                    abort(); /* success must give a mask */
                rad_mask_free(m);
            } else if (m)
                abort();
            else
                failed();
        }
        free(segs);
    } else
        failed();
    return 0;
}
