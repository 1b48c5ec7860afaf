/* radlab: reading and writing images and masks.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format is chosen by the file name's extension and confirmed by the
 * file's magic bytes: NIfTI-1/2 (.nii, .nii.gz), NRRD (.nrrd, .nhdr), PNG
 * (.png).  Every reader returns NULL with a message naming the file on
 * failure; every writer writes a temporary file beside the target and
 * renames it, so a failed write leaves no partial file.
 */
#ifndef RAD_IO_IO_H
#define RAD_IO_IO_H

#include <stdint.h>
#include "image/image.h"

/* Compression of written .nii.gz and .nrrd files (libdeflate, one gzip
 * member).  Level 1 compresses the IBSI CT phantom (9.8 MB of float32) to
 * 4.00 MB in 39 ms of CPU; libdeflate's level 6 gives 3.63 MB in 209 ms,
 * zlib's level 1 gave 4.31 MB in about 135 ms (tests/bench/io.lua).
 * RAD_GZIP_MODE: the same level for zlib's gzopen. */
#define RAD_GZIP_LEVEL 1
#define RAD_GZIP_MODE "wb1"

typedef enum RadFormat {
    RAD_FORMAT_UNKNOWN = 0,
    RAD_FORMAT_NIFTI,
    RAD_FORMAT_NRRD,
    RAD_FORMAT_PNG
} RadFormat;

/* What the readers accept, for messages. */
#define RAD_IMAGE_FILE_KINDS "an image file (.nii, .nii.gz, .nrrd, .nhdr, .png)"

/* Format from the extension (case-insensitive), or RAD_FORMAT_UNKNOWN. */
RadFormat rad_format_from_name(const char *path);

/* Raw voxel data as read from a file, before conversion: the readers below
 * fill one and the image/mask front ends convert it. */
typedef enum RadDType {
    RAD_U8, RAD_I8, RAD_U16, RAD_I16, RAD_U32, RAD_I32, RAD_U64, RAD_I64, RAD_F32, RAD_F64
} RadDType;
const char *rad_dtype_name(RadDType t);
size_t rad_dtype_size(RadDType t);

typedef struct RadRaw {
    RadGeometry geom;
    RadDType dtype;
    void *data;        /* nvox values of dtype, native byte order */
    double slope, inter; /* value = slope * stored + inter (slope 1, inter 0 if none) */
    void *block;       /* the allocation `data` points into, when not `data` itself (a
                        * decompressed file whose voxels follow its header); else NULL */
} RadRaw;
void rad_raw_free(RadRaw *r);

/* Generic front ends. */
RadImage *rad_image_read(const char *path);
/* rad_image_read that also gives a DICOM image's FrameOfReferenceUID (""
 * for other formats or when the series has none). */
RadImage *rad_image_read_for(const char *path, char frame_of_reference[65]);
int rad_image_write(const RadImage *img, const char *path);
/* Reads labels; stored values must be integers in 0..255 (scaling applied). */
RadMask *rad_mask_read(const char *path);
/* Reads an image and a mask at the same time (two threads): 0 with both
 * set, or -1 with neither and the message of the image's failure if it
 * failed, else of the mask's (the messages of rad_image_read and
 * rad_mask_read). */
int rad_case_read(const char *image_path, const char *mask_path, RadImage **img, RadMask **mask);
/* rad_case_read, where the mask may also be a DICOM RTSTRUCT or SEG file
 * (rad_mask_is_dicom): then the image is read first and the contour or
 * segment `roi` names (its name or label; a number when no name matches;
 * NULL: the only one) is rasterised on its grid (rad_dicom_mask_read). */
int rad_case_read_roi(const char *image_path, const char *mask_path, const char *roi, RadImage **img,
                      RadMask **mask);
/* Is the file at path a DICOM RTSTRUCT or SEG?  Not for NIfTI, NRRD or PNG
 * names; otherwise the header is read (modality receives its Modality, ""
 * when the file is not DICOM). */
int rad_mask_is_dicom(const char *path, char modality[17]);
/* The mask of an RTSTRUCT contour or SEG segment (roi as for
 * rad_case_read_roi) on grid; frame_of_reference: the image's UID when known
 * (NULL: not checked).  NULL with a message. */
RadMask *rad_dicom_mask_read(const char *path, const char *roi, const RadGeometry *grid, const char *frame_of_reference);
int rad_mask_write(const RadMask *m, const char *path);

/* Per-format raw readers (fill *raw; 0 or -1). */
/* The fast path of the gzip readers: libdeflate inflates the gzip members
 * that start at byte `offset` of the regular file open as `fd` (mapped, not
 * read), member after member (concatenated .gz files are valid gzip),
 * straight into one new buffer of exactly `want` bytes.  whole = 1: the
 * members must fill it and end exactly at the end of the file (NRRD);
 * whole = 0: bytes after the first `want` are ignored, as zlib's gzread
 * ignores them (NIfTI).  0 with *out set, or 1 with nothing allocated and no
 * message when the zlib path must read the data instead and say what is
 * wrong (damaged, short or long data, a zlib rather than gzip stream, a
 * size the file cannot hold, out of memory). */
int rad_inflate_file(int fd, size_t offset, size_t want, int whole, unsigned char **out);

int rad_nifti_read(const char *path, RadRaw *raw);
int rad_nrrd_read(const char *path, RadRaw *raw);
int rad_png_read(const char *path, RadRaw *raw);

/* Per-format writers of raw data (dtype as given; atomic). */
int rad_nifti_write(const char *path, const RadRaw *raw);
int rad_nrrd_write(const char *path, const RadRaw *raw);

/* PNG: 8-bit grey of one slice (k, 0-based) of `img` mapped through a window:
 * values <= level - width/2 are black, >= level + width/2 white. */
int rad_png_write_slice(const RadImage *img, size_t k, double level, double width, const char *path);
/* PNG of a 2D image (nz = 1), window = its full value range. */
int rad_png_write_image(const RadImage *img, const char *path);
/* PNG of a 2D mask: the label values written as 8-bit grey. */
int rad_png_write_mask(const RadMask *m, const char *path);

/* A PNG text chunk: keyword (1-79 Latin-1 characters) and text. */
typedef struct RadPngText {
    const char *key;
    const char *text;
} RadPngText;
/* Write w x h 8-bit pixels of 1 (grey) or 3 (RGB) channels, rows top-down,
 * atomically, with pHYs (pixels per metre; 0 = none) and text chunks. */
int rad_png_write_pixels(const char *path, const uint8_t *pix, size_t w, size_t h, int channels,
                         double ppm_x, double ppm_y, const RadPngText *text, size_t ntext);

#endif
