/* radlab: unit tests of the DICOM header probe and of loading librad-dicom on
 * first use.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The IBSI CT phantom as DICOM (RADLAB_DATA/dicom/ct_phantom, see its
 * README): 60 CT slices of 204 columns x 201 rows and one RTSTRUCT. */
#include <stdio.h>
#include <string.h>

#include "io/dicom.h"
#include "io/io.h"
#include "util/error.h"
#include "tap.h"

int main(void)
{
    RadDicomProbe p;
    char path[4096];
    const char *data = tap_data_dir();
    FILE *fp;

    /* not DICOM: a clear message naming the file, no crash */
    snprintf(path, sizeof path, "test_dicom_not_dicom.tmp");
    fp = fopen(path, "wb");
    if (fp) {
        fputs("this is a text file, not DICOM\n", fp);
        fclose(fp);
    }
    tap_ok(rad_dicom_probe(path, &p) < 0, "a text file is not DICOM");
    tap_contains(rad_error_message(), "test_dicom_not_dicom.tmp", "the message names the file");
    remove(path);
    tap_ok(rad_dicom_probe("no/such/file.dcm", &p) < 0, "a missing file is an error");
    tap_contains(rad_error_message(), "no/such/file.dcm", "the message names the missing file");
    tap_ok(rad_dicom_sym("rad_dicomimpl_no_such_entry") == NULL, "an unknown entry point is an error");
    tap_contains(rad_error_message(), "rad_dicomimpl_no_such_entry", "the message names it");

    if (!data) {
        tap_skip(14, "RADLAB_DATA not set or without README.md: the DICOM CT phantom was not probed or read");
        return tap_done();
    }
    snprintf(path, sizeof path, "%s/dicom/ct_phantom/image/DCM_IMG_00000.dcm", data);
    tap_ok(rad_dicom_probe(path, &p) == 0, "probe a CT slice");
    tap_ok(strcmp(p.modality, "CT") == 0, "modality CT (got '%s')", p.modality);
    tap_ok(strcmp(p.sop_class, "1.2.840.10008.5.1.4.1.1.2") == 0, "CT Image Storage SOP class (got '%s')",
           p.sop_class);
    tap_ok(p.rows == 201 && p.columns == 204 && p.frames == 1, "201 rows x 204 columns, one frame (got %u x %u, %lu)",
           p.rows, p.columns, p.frames);
    tap_ok(p.series[0] != '\0' && p.frame_of_reference[0] != '\0', "series and frame-of-reference UIDs read");
    RadDicomProbe q;
    snprintf(path, sizeof path, "%s/dicom/ct_phantom/image/DCM_IMG_00059.dcm", data);
    tap_ok(rad_dicom_probe(path, &q) == 0 && strcmp(p.series, q.series) == 0, "the last slice is of the same series");
    snprintf(path, sizeof path, "%s/dicom/ct_phantom/mask/DCM_RS_00060.dcm", data);
    tap_ok(rad_dicom_probe(path, &q) == 0, "probe the RTSTRUCT");
    tap_ok(strcmp(q.modality, "RTSTRUCT") == 0 && q.rows == 0, "modality RTSTRUCT, no pixels (got '%s', %u rows)",
           q.modality, q.rows);
    tap_ok(strcmp(q.frame_of_reference, "") == 0 || strcmp(q.frame_of_reference, p.frame_of_reference) == 0,
           "the RTSTRUCT's top-level frame of reference, when given, is the series'");

    /* rad_image_read on a folder reads the series in it (the C path of
     * rad.read and of cohort extraction) */
    snprintf(path, sizeof path, "%s/dicom/ct_phantom/image", data);
    RadImage *img = rad_image_read(path);
    tap_ok(img != NULL, "rad_image_read reads the CT phantom's folder (%s)", img ? "" : rad_error_message());
    if (img) {
        tap_ok(img->geom.dim[0] == 204 && img->geom.dim[1] == 201 && img->geom.dim[2] == 60, "204 x 201 x 60 voxels");
        tap_ok(img->geom.spacing[2] > 2.9999 && img->geom.spacing[2] < 3.0001, "3 mm between slices (got %.6g)",
               img->geom.spacing[2]);
        tap_ok(img->geom.direction[0] == 1 && img->geom.direction[4] == 1 && img->geom.direction[8] == 1,
               "identity direction (axial slices)");
        rad_image_free(img);
    } else
        tap_skip(3, "the folder could not be read");
    /* the parent folder: the image series is the only one with pixels (the
     * RTSTRUCT beside it is not chosen; LICENSE.md is skipped with a warning) */
    snprintf(path, sizeof path, "%s/dicom/ct_phantom", data);
    img = rad_image_read(path);
    tap_ok(img && img->geom.dim[2] == 60, "the parent folder (CT series + RTSTRUCT) reads the CT series (%s)",
           img ? "" : rad_error_message());
    rad_image_free(img);
    return tap_done();
}
