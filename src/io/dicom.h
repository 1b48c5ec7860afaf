/* radlab: DICOM input (series, RTSTRUCT, SEG).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DICOM is read with DCMTK, which is C++ and costs about 9 ms of library
 * loading per process; an extraction of a NIfTI case takes 40-100 ms, so the
 * DCMTK code lives in its own library, librad-dicom (src/io/dicom_*.cc, C++ behind
 * extern "C" entry points named rad_dicomimpl_*), which librad loads with
 * dlopen on the first DICOM call.  It is looked for next to librad itself (the
 * build tree's src/.libs, or $libdir once installed); no other path is
 * searched.  The functions here are the engine's C interface: plain C, errors
 * by rad_error_set and -1 (or NULL).
 */
#ifndef RAD_IO_DICOM_H
#define RAD_IO_DICOM_H

#include <stddef.h>

#include "image/image.h"
#include "image/contour.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the header of one DICOM file says about it (read up to the pixel
 * data, which is not read).  Strings are "" when the tag is absent. */
typedef struct RadDicomProbe {
    char sop_class[65], sop_instance[65];
    char modality[17];
    char study[65], series[65], frame_of_reference[65];
    char description[65];   /* SeriesDescription */
    long instance_number;   /* InstanceNumber, 0 when absent */
    unsigned rows, columns; /* 0 for objects without pixels (RTSTRUCT) */
    unsigned long frames;   /* NumberOfFrames, 1 when absent and the object has rows */
} RadDicomProbe;

/* Read the header of `path`; -1 with a message naming the file when it is
 * not a DICOM file, is truncated in its header, or librad-dicom cannot be
 * loaded. */
int rad_dicom_probe(const char *path, RadDicomProbe *out);

/* The entry point `name` of librad-dicom, loading it on the first call
 * (thread-safe); NULL with a message when the library or the name is
 * missing.  For the C wrappers of the DICOM readers. */
void *rad_dicom_sym(const char *name);

/* ---- image series (src/io/dicom_series.cc) ------------------------------- */

/* One series found in a folder. */
typedef struct RadDicomSeries {
    char uid[65];           /* SeriesInstanceUID */
    char modality[17];
    char description[65];   /* SeriesDescription */
    char frame_of_reference[65]; /* FrameOfReferenceUID of its first file ("" when absent) */
    size_t files;           /* DICOM files of the series in the folder */
    size_t nx, ny, nz;      /* columns, rows, slices (files x frames) */
    char first[4096];       /* one of its files (the first in path order) */
} RadDicomSeries;

/* Options of rad_dicom_read_series (zero = defaults). */
typedef struct RadDicomReadOptions {
    const char *series; /* which series: its SeriesInstanceUID, a prefix that only
                         * one series UID has, or its 1-based number in the list
                         * rad_dicom_list_series gives ("2"); NULL: the only one */
    int allow_uneven;   /* 1: uneven slice gaps (a missing slice) are resampled
                         * linearly onto a regular grid (see dicom_series.cc) */
    int suv;            /* -1: default (SUV for PET), 0: values as stored
                         * (rescaled), 1: SUV body weight (PET only) */
} RadDicomReadOptions;

/* What was read, and what was said about it: warnings (one line each, e.g. a
 * file skipped because it is not DICOM) are for the caller to show. */
typedef struct RadDicomInfo {
    RadDicomSeries series;
    int suv;                /* 1 when the values were converted to SUV (or are SUV: Units GML) */
    double suv_factor;      /* the factor applied (1 for GML, 0 when not PET) */
    char units[17];         /* Units (0054,1001) of a PET series, "" otherwise */
    char **warnings;
    size_t nwarnings;
} RadDicomInfo;
void rad_dicom_info_free(RadDicomInfo *info);

/* The series in `dir` (searched recursively), sorted by modality, then
 * description, then UID: 0 with *list (malloc'd, free()) and *n set; -1
 * with a message when the folder cannot be read.  Files that are not DICOM
 * are skipped with a warning in info (may be NULL). */
int rad_dicom_list_series(const char *dir, RadDicomSeries **list, size_t *n, RadDicomInfo *info);

/* Read one image series of `dir` (see the options) as an image in radlab's
 * convention (image.h): x along the rows (ImageOrientationPatient's first
 * cosine), y down the columns, z along their cross product, slices ordered
 * by their position on it, whatever the file names or instance numbers.
 * Values: stored value * RescaleSlope + RescaleIntercept of each slice (CT:
 * HU), and SUV for PET unless opts->suv = 0.  0 with *img and *info set (free
 * info with rad_dicom_info_free), or -1 with a message and nothing to free. */
int rad_dicom_read_series(const char *dir, const RadDicomReadOptions *opts, RadImage **img, RadDicomInfo *info);

/* Read a single DICOM image file (one slice, or the frames of a multi-frame
 * file) as an image; the same rules as a series of one file. */
int rad_dicom_read_file(const char *path, const RadDicomReadOptions *opts, RadImage **img, RadDicomInfo *info);

/* Options of rad_dicom_write_series (zero = defaults). */
typedef struct RadDicomWriteOptions {
    const char *modality;        /* "CT" (default), "MR" or "PT" */
    double slope, intercept;     /* stored = round((value - intercept) / slope); slope 0 = 1 */
    const char *transfer_syntax; /* "explicit" (default), "implicit", "big", "rle", "jpeg-ls"
                                  * (lossless) or "jpeg-lossless" (process 14, SV1) */
    const char *description;     /* SeriesDescription, default "radlab export" */
    const char *patient_id;      /* PatientID and PatientName, default "anonymous" */
    /* PET only (all optional, written when set): */
    const char *units;           /* Units, default "BQML" */
    double weight_kg;            /* PatientWeight, 0 = not written */
    double dose_bq;              /* RadionuclideTotalDose, 0 = not written */
    double half_life_s;          /* RadionuclideHalfLife, 0 = not written */
    const char *injection_time;  /* RadiopharmaceuticalStartTime HHMMSS, NULL = not written */
    const char *series_time;     /* SeriesTime and AcquisitionTime HHMMSS, default "120000" */
    const char *decay_correction;/* DecayCorrection, default "START" */
    int enhanced;                /* 1: one Enhanced CT/MR multi-frame file ENH_00001.dcm (frames in
                                  * descending slice order; geometry in the functional groups) */
} RadDicomWriteOptions;

/* Write `img` (3D, or 2D as one slice) as a series of single-frame files
 * IMG_00001.dcm ... into `dir` (created when missing; must hold no .dcm
 * file), with new UIDs, the image's geometry (ImagePositionPatient per
 * slice, ImageOrientationPatient, PixelSpacing, SliceThickness), 16-bit
 * signed stored values (unsigned when needed to fit) and RescaleSlope /
 * RescaleIntercept (or, with enhanced, one multi-frame file).  -1 with a message when a value does not fit 16 bits
 * with the given slope and intercept, or on a write error (files are written
 * under temporary names and renamed, so no partial file is left). */
int rad_dicom_write_series(const RadImage *img, const char *dir, const RadDicomWriteOptions *opts);
/* ---- RTSTRUCT (src/io/dicom_rt.cc, wrappers in dicom_load.c) ------------------ */

/* One ROI of an RTSTRUCT: StructureSetROISequence (ROINumber, ROIName,
 * ReferencedFrameOfReferenceUID) and the number of items of its
 * ROIContourSequence's ContourSequence (0 when it has none). */
typedef struct RadDicomRoi {
    int number;
    char name[65];
    char frame_of_reference[65];
    size_t contours;
} RadDicomRoi;

/* The ROIs of the RTSTRUCT `path`, in file order: *rois malloc'd (caller
 * frees), *n of them.  -1 with a message when the file is not a readable
 * RTSTRUCT. */
int rad_dicom_rois(const char *path, RadDicomRoi **rois, size_t *n);

/* What rad_rtstruct_read did. */
typedef struct RadRtstructInfo {
    RadDicomRoi roi;          /* the ROI read */
    size_t closed;            /* CLOSED_PLANAR contours rasterised */
    size_t open, point, other; /* OPEN_PLANAR, POINT, other (OPEN_NONPLANAR) contours ignored */
    size_t slices;            /* slices of the mask that hold voxels */
} RadRtstructInfo;

/* The ROI `roi_name` (or, when roi_name is NULL, the ROI numbered
 * roi_number) of the RTSTRUCT `path` rasterised onto `grid`
 * (rad_contours_rasterise: even-odd rule, voxel centres, contours on the
 * grid's slices within 1/20 of the spacing; see image/contour.h).
 * frame_of_reference: the image's FrameOfReferenceUID when known (NULL or
 * "": not checked); a different UID on the ROI is an error naming both.
 * Only CLOSED_PLANAR contours are rasterised; the others are counted in
 * info (the caller warns).  Errors: unknown ROI (the message lists the
 * ROIs), an ROI without closed contours or whose mask is empty, a contour
 * off the grid, a file that is not an RTSTRUCT.  *out: mask (label 1). */
int rad_rtstruct_read(const char *path, const char *roi_name, int roi_number, const RadGeometry *grid,
                      const char *frame_of_reference, RadMask **out, RadRtstructInfo *info);

/* The contours of one ROI as librad-dicom reads them (for rad_rtstruct_read). */
enum { RAD_CONTOUR_CLOSED_PLANAR = 0, RAD_CONTOUR_OPEN_PLANAR, RAD_CONTOUR_POINT, RAD_CONTOUR_OTHER };
typedef struct RadDicomContours {
    RadDicomRoi roi;
    size_t n;
    int *type;       /* RAD_CONTOUR_* of each contour */
    RadContour *c;   /* points into pool */
    double *pool;
} RadDicomContours;
void rad_dicom_contours_free(RadDicomContours *dc);

/* ---- SEG (src/io/dicom_rt.cc, wrappers in dicom_load.c) ------------------------ */

/* One segment of a DICOM Segmentation: SegmentSequence (0062,0002) items'
 * SegmentNumber, SegmentLabel, SegmentDescription ("" when absent). */
typedef struct RadDicomSegment {
    int number;
    char label[65];
    char description[65];
} RadDicomSegment;

/* The segments of the SEG file `path`, in file order: *segs malloc'd
 * (caller frees), *n of them.  -1 with a message when the file is not a
 * readable DICOM Segmentation. */
int rad_dicom_segments(const char *path, RadDicomSegment **segs, size_t *n);

/* What rad_dicom_seg_read did. */
typedef struct RadSegInfo {
    RadDicomSegment segment; /* the segment read */
    int fractional;          /* 1: FRACTIONAL, thresholded at half the MaximumFractionalValue */
    unsigned max_fractional; /* MaximumFractionalValue (fractional only) */
    size_t frames;           /* frames of the segment */
    int resampled;           /* 1: the SEG's grid is not the reference grid (nearest neighbour) */
    size_t outside;          /* pixels of the segment outside the reference grid (lost; counted when not resampled) */
    char frame_of_reference[65];
} RadSegInfo;

/* Segment `label` (or, when label is NULL, segment number `number`) of the
 * SEG `path` as a mask on `grid` (label 1).  Frames are placed by their
 * PlanePositionSequence / ImagePositionPatient and the (shared or per-frame)
 * PlaneOrientationSequence and PixelMeasuresSequence, and chosen by their
 * SegmentIdentificationSequence's ReferencedSegmentNumber.  When every
 * frame's pixel grid is the reference grid's (same orientation and spacing,
 * positions on voxel centres) the pixels are copied; otherwise each
 * reference voxel takes the value of the nearest SEG pixel (nearest plane
 * within half the plane spacing, then nearest row and column) and
 * info->resampled is set.  BINARY: a set bit is in.  FRACTIONAL: a value
 * >= MaximumFractionalValue / 2 is in.  frame_of_reference as for
 * rad_rtstruct_read.  Errors: not a SEG, unknown segment (the message lists
 * the segments), a segment without frames or whose mask is empty on `grid`,
 * frames of mixed orientation, truncated pixel data. */
int rad_dicom_seg_read(const char *path, const char *label, int number, const RadGeometry *grid,
                       const char *frame_of_reference, RadMask **out, RadSegInfo *info);

#ifdef __cplusplus
}
#endif

#endif
