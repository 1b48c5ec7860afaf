/* radlab: images, masks and their geometry.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * World convention.  Physical coordinates are in millimetres in the LPS
 * patient frame (x grows to the patient's Left, y to Posterior, z to
 * Superior), as in DICOM, ITK and PyRadiomics.  NIfTI stores RAS, so its
 * readers and writers negate the first two world axes.
 *
 * Index order is x fastest (as NIfTI and NRRD): voxel (i, j, k), 0-based in C,
 * is data[i + nx * (j + ny * k)].  Its physical position is
 *     p = origin + D * diag(spacing) * (i, j, k)^T
 * where D (direction, row-major 3x3) has unit columns: column c is the world
 * direction of index axis c.  A 2D image has nz = 1 and ndim = 2.
 */
#ifndef RAD_IMAGE_IMAGE_H
#define RAD_IMAGE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

typedef struct RadGeometry {
    int ndim;            /* 2 or 3 */
    size_t dim[3];       /* nx, ny, nz (nz = 1 when ndim = 2) */
    double spacing[3];   /* mm */
    double origin[3];    /* mm, LPS, position of voxel (0,0,0) */
    double direction[9]; /* row-major; column c = direction of index axis c */
} RadGeometry;

typedef struct RadImage {
    RadGeometry geom;
    float *data;
} RadImage;

/* A mask holds uint8 labels.  `label` is the selected label: voxel v is in the
 * region of interest when data[v] == label, or data[v] != 0 when label is 0. */
typedef struct RadMask {
    RadGeometry geom;
    uint8_t *data;
    int label;
} RadMask;

typedef struct RadBox {
    size_t lo[3], hi[3]; /* inclusive, 0-based */
} RadBox;

/* ---- interpolation (src/image/resample.c) ------------------------------ */

typedef enum RadInterp {
    RAD_INTERP_NEAREST = 0,
    RAD_INTERP_LINEAR,  /* bilinear in 2D, trilinear in 3D */
    RAD_INTERP_CUBIC    /* cubic B-spline (IBSI "tricubic spline") */
} RadInterp;

/* The IBSI interpolation grid (IBSI 1 section 2.4, "align grid centres",
 * 3WE3): n_new = ceil(n * s / s_new) per axis, the new grid centred on the
 * old one.  With in_plane set, z keeps its size and spacing. */
int rad_resample_grid(const RadGeometry *in, const double spacing[3], int in_plane, RadGeometry *out);
/* Image values interpolated onto `grid` (same direction as img; points
 * outside the image take the nearest boundary value). */
RadImage *rad_image_resample(const RadImage *img, const RadGeometry *grid, RadInterp interp);
/* The selected label as 0/1, interpolated onto `grid` and kept where the
 * interpolated value >= delta (partial-volume fraction).  Result label 1. */
RadMask *rad_mask_resample(const RadMask *m, const RadGeometry *grid, RadInterp interp, double delta);
/* Every label of the mask moved onto `grid` by nearest neighbour (0 outside
 * the mask; any direction; the selected label kept): put a segmentation made
 * on another grid onto its image's grid. */
RadMask *rad_mask_resample_to(const RadMask *m, const RadGeometry *grid);

/* ---- geometry ---------------------------------------------------------- */

/* Identity direction, unit spacing, zero origin for the given size. */
void rad_geometry_init(RadGeometry *g, int ndim, size_t nx, size_t ny, size_t nz);
size_t rad_geometry_nvox(const RadGeometry *g);
/* Check sizes, spacing (> 0, finite) and that direction columns are unit and
 * independent.  Returns 0 or -1 with a message. */
int rad_geometry_check(const RadGeometry *g);
void rad_geometry_index_to_point(const RadGeometry *g, const double idx[3], double p[3]);
/* Returns -1 when the direction matrix is singular. */
int rad_geometry_point_to_index(const RadGeometry *g, const double p[3], double idx[3]);
/* Same size and physical placement within `tol` mm (origin, spacing, and the
 * corner of the grid).  Returns 1 when equal, 0 otherwise. */
int rad_geometry_same(const RadGeometry *a, const RadGeometry *b, double tol);
/* Human summary "204x201x60 at 0.977x0.977x3 mm, origin (...)". */
void rad_geometry_describe(const RadGeometry *g, char *buf, size_t n);
/* Geometry of the box `b` cut from `g` (origin moves to the box corner). */
void rad_geometry_crop(const RadGeometry *g, const RadBox *b, RadGeometry *out);

/* ---- images -------------------------------------------------------------- */

/* A zero-filled image on `g` (validated). */
RadImage *rad_image_new(const RadGeometry *g);
/* The same with the voxels not initialised, for a caller that writes every
 * one (a copy, a resampled image): large images then come in huge pages. */
RadImage *rad_image_alloc(const RadGeometry *g);
RadImage *rad_image_copy(const RadImage *img);
void rad_image_free(RadImage *img);
static inline size_t rad_image_nvox(const RadImage *img) { return rad_geometry_nvox(&img->geom); }
/* Bounds-checked access with 0-based indices; -1 with a message when outside. */
int rad_image_get(const RadImage *img, size_t i, size_t j, size_t k, float *v);
int rad_image_set(RadImage *img, size_t i, size_t j, size_t k, float v);
/* Sub-image inside box `b` (inclusive, checked against the size). */
RadImage *rad_image_crop(const RadImage *img, const RadBox *b);

typedef struct RadStats {
    size_t n;            /* voxels counted */
    double min, max, mean, sd; /* sd: population (divide by n) */
} RadStats;
/* Statistics of the image, or of the voxels selected by `mask` (may be NULL;
 * its geometry must match).  Non-finite voxels are skipped. */
int rad_image_stats(const RadImage *img, const RadMask *mask, RadStats *st);

/* ---- masks --------------------------------------------------------------- */

RadMask *rad_mask_new(const RadGeometry *g);
RadMask *rad_mask_copy(const RadMask *m);
void rad_mask_free(RadMask *m);
static inline size_t rad_mask_nvox(const RadMask *m) { return rad_geometry_nvox(&m->geom); }
static inline int rad_mask_in(const RadMask *m, size_t v)
{
    return m->label ? m->data[v] == m->label : m->data[v] != 0;
}
/* Number of voxels in the selected label. */
size_t rad_mask_count(const RadMask *m);
/* Count of voxels for each label value 0..255. */
void rad_mask_histogram(const RadMask *m, size_t counts[256]);
/* A binary mask (values 0/1, label 1) of the voxels whose label is one of
 * labels[0..n-1]. */
RadMask *rad_mask_select(const RadMask *m, const int *labels, int n);
/* Bounding box of the selected voxels; -1 with a message when empty. */
int rad_mask_bbox(const RadMask *m, RadBox *b);
RadMask *rad_mask_crop(const RadMask *m, const RadBox *b);
/* Connected components of the selected voxels (connectivity 6, 18 or 26 in
 * 3D; 4 or 8 in 2D).  Writes a component number per voxel into `labels`
 * (0 = background, 1 = largest component, 2 = next, ... ties by first voxel)
 * when `labels` is not NULL, and the sizes in *sizes (malloc'd, caller frees)
 * when `sizes` is not NULL.  Returns the number of components or -1. */
long rad_mask_components(const RadMask *m, int connectivity, uint32_t *labels, size_t **sizes);
/* A binary mask of the largest component (ties: the one met first). */
RadMask *rad_mask_largest(const RadMask *m, int connectivity);

/* Image and mask must share a geometry within `tol` mm; otherwise -1 and a
 * message naming both geometries and suggesting resampling the mask. */
int rad_check_same_geometry(const RadImage *img, const RadMask *m, double tol);
/* The default tolerance (mm) used by the readers and the binding. */
#define RAD_GEOMETRY_TOL 1e-3

#endif
