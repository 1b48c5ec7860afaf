/* radlab: loading librad-dicom on first use (see dicom.h).  SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/dicom.h"
#include "util/error.h"

#define DICOM_LIB "librad-dicom.so.0"

static pthread_once_t dicom_once = PTHREAD_ONCE_INIT;
static void *dicom_handle;
static char dicom_why[PATH_MAX + 256];

/* librad-dicom is the file DICOM_LIB in the folder of the librad that holds
 * this function (dladdr names it). */
static void dicom_load(void)
{
    Dl_info info;
    char path[PATH_MAX];
    const char *slash;
    size_t dir;
    if (!dladdr((void *)rad_dicom_sym, &info) || !info.dli_fname || !(slash = strrchr(info.dli_fname, '/'))) {
        snprintf(dicom_why, sizeof dicom_why, "cannot tell which folder librad was loaded from");
        return;
    }
    dir = (size_t)(slash - info.dli_fname);
    if (dir + 1 + sizeof DICOM_LIB > sizeof path) {
        snprintf(dicom_why, sizeof dicom_why, "the folder of librad has too long a name");
        return;
    }
    memcpy(path, info.dli_fname, dir);
    snprintf(path + dir, sizeof path - dir, "/%s", DICOM_LIB);
    dicom_handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!dicom_handle) {
        const char *e = dlerror();
        snprintf(dicom_why, sizeof dicom_why, "%s", e ? e : path);
    }
}

void *rad_dicom_sym(const char *name)
{
    void *f;
    pthread_once(&dicom_once, dicom_load);
    if (!dicom_handle) {
        rad_error_set("DICOM support is not available: %s (librad-dicom is built with radlab and installed next to "
                      "librad; rebuild or reinstall radlab, with Debian's libdcmtk-dev present)", dicom_why);
        return NULL;
    }
    f = dlsym(dicom_handle, name);
    if (!f)
        rad_error_set("DICOM support: librad-dicom has no entry point %s (it is from another radlab version; "
                      "reinstall radlab)", name);
    return f;
}

int rad_dicom_probe(const char *path, RadDicomProbe *out)
{
    int (*fn)(const char *, RadDicomProbe *);
    memset(out, 0, sizeof *out);
    *(void **)&fn = rad_dicom_sym("rad_dicomimpl_probe");
    if (!fn)
        return -1;
    return fn(path, out);
}

/* ---- RTSTRUCT (dicom_rt.cc) ------------------------------------------------------ */

int rad_dicom_rois(const char *path, RadDicomRoi **rois, size_t *n)
{
    int (*fn)(const char *, RadDicomRoi **, size_t *);
    *rois = NULL;
    *n = 0;
    *(void **)&fn = rad_dicom_sym("rad_dicomimpl_rois");
    if (!fn)
        return -1;
    return fn(path, rois, n);
}

void rad_dicom_contours_free(RadDicomContours *dc)
{
    if (!dc)
        return;
    free(dc->type);
    free(dc->c);
    free(dc->pool);
    memset(dc, 0, sizeof *dc);
}

int rad_rtstruct_read(const char *path, const char *roi_name, int roi_number, const RadGeometry *grid,
                      const char *frame_of_reference, RadMask **out, RadRtstructInfo *info)
{
    int (*fn)(const char *, const char *, int, RadDicomContours *);
    RadDicomContours dc;
    RadContour *closed = NULL;
    RadMask *m = NULL;
    char label[PATH_MAX + 160];
    size_t nclosed = 0, voxels;
    *out = NULL;
    memset(info, 0, sizeof *info);
    memset(&dc, 0, sizeof dc);
    *(void **)&fn = rad_dicom_sym("rad_dicomimpl_rt_contours");
    if (!fn || fn(path, roi_name, roi_number, &dc) < 0)
        return -1;
    info->roi = dc.roi;
    snprintf(label, sizeof label, "%s' (number %d) of '%s", dc.roi.name, dc.roi.number, path);
    if (frame_of_reference && *frame_of_reference && dc.roi.frame_of_reference[0] &&
        strcmp(frame_of_reference, dc.roi.frame_of_reference) != 0) {
        rad_error_set("'%s': ROI '%s' is drawn in the frame of reference %s, but the image is in %s: the contours "
                      "belong to another scan (give the RTSTRUCT made on this image's series)",
                      path, dc.roi.name, dc.roi.frame_of_reference, frame_of_reference);
        goto fail;
    }
    closed = rad_malloc((dc.n ? dc.n : 1) * sizeof *closed, "contours");
    if (!closed)
        goto fail;
    for (size_t i = 0; i < dc.n; i++) {
        switch (dc.type[i]) {
        case RAD_CONTOUR_CLOSED_PLANAR:
            closed[nclosed++] = dc.c[i];
            break;
        case RAD_CONTOUR_OPEN_PLANAR:
            info->open++;
            break;
        case RAD_CONTOUR_POINT:
            info->point++;
            break;
        default:
            info->other++;
        }
    }
    info->closed = nclosed;
    if (!nclosed) {
        rad_error_set("'%s': ROI '%s' has no CLOSED_PLANAR contour (OPEN_PLANAR %zu, POINT %zu, other %zu): it "
                      "encloses no volume, so there is no mask to make",
                      path, dc.roi.name, info->open, info->point, info->other);
        goto fail;
    }
    m = rad_contours_rasterise(grid, closed, nclosed, label);
    if (!m)
        goto fail;
    voxels = rad_mask_count(m);
    if (!voxels) {
        rad_error_set("'%s': ROI '%s' encloses no voxel centre of the image (%zu closed contours): the ROI is empty "
                      "on this grid; check that the image is the one the contours were drawn on",
                      path, dc.roi.name, nclosed);
        goto fail;
    }
    {
        /* slices of the mask that hold voxels */
        size_t plane = grid->dim[0] * grid->dim[1];
        for (size_t k = 0; k < grid->dim[2]; k++)
            if (memchr(m->data + k * plane, 1, plane))
                info->slices++;
    }
    free(closed);
    rad_dicom_contours_free(&dc);
    *out = m;
    return 0;
fail:
    rad_mask_free(m);
    free(closed);
    rad_dicom_contours_free(&dc);
    return -1;
}

/* ---- SEG (dicom_rt.cc) ------------------------------------------------------------ */

int rad_dicom_segments(const char *path, RadDicomSegment **segs, size_t *n)
{
    int (*fn)(const char *, RadDicomSegment **, size_t *);
    *segs = NULL;
    *n = 0;
    *(void **)&fn = rad_dicom_sym("rad_dicomimpl_segments");
    if (!fn)
        return -1;
    return fn(path, segs, n);
}

int rad_dicom_seg_read(const char *path, const char *label, int number, const RadGeometry *grid,
                       const char *frame_of_reference, RadMask **out, RadSegInfo *info)
{
    int (*fn)(const char *, const char *, int, const RadGeometry *, const char *, RadMask **, RadSegInfo *);
    *out = NULL;
    memset(info, 0, sizeof *info);
    *(void **)&fn = rad_dicom_sym("rad_dicomimpl_seg_read");
    if (!fn || fn(path, label, number, grid, frame_of_reference, out, info) < 0)
        return -1;
    if (rad_mask_count(*out) == 0) {
        rad_error_set("'%s': segment %d '%s' has no voxel on the image's grid (%zu frames%s): the segment is empty "
                      "there; check that the image is the one the segmentation was made on",
                      path, info->segment.number, info->segment.label, info->frames,
                      info->resampled ? ", resampled by nearest neighbour" : "");
        rad_mask_free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}
