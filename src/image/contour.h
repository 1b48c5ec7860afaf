/* radlab: planar contours (RTSTRUCT) rasterised onto an image grid.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A contour is a closed polygon of points in world LPS millimetres (as
 * DICOM RTSTRUCT ContourData).  Rasterising maps every point into the index
 * space of the reference grid (the inverse of origin + D * diag(spacing),
 * so oblique grids work the same way) and fills slice by slice.
 *
 * Slice rule: all points of a contour must lie on one slice k of the grid,
 * within RAD_CONTOUR_SLICE_TOL of a slice spacing (|k - round(k)| <= 0.05
 * for every point), else the contour is an error naming the ROI, the
 * contour and its position.  5 %, not 1 %: real structure sets are written
 * with rounded positions (the IBSI's STS_002 PET RTSTRUCT has its contours
 * 0.02 to 0.04 mm, up to 1.2 % of its 3.27 mm spacing, off the slices of
 * its own series); a contour a tenth of a slice or more off is still an
 * error (drawn on another series, or the image was resampled).  A contour outside the grid's slices is an
 * error too (rasterise on the image the contours were drawn on).
 *
 * Fill rule: a voxel belongs to the mask when its centre is inside the
 * polygons of its slice by the EVEN-ODD rule (all polygons of a slice
 * together: a polygon inside another is a hole, overlapping parts cancel).
 * Edges are half-open in index space: along a row the crossing points x
 * of the polygons' edges (an edge counts for row j when one end is <= j
 * and the other > j) are sorted, and centre i is inside when it lies in
 * [x_2m, x_2m+1) for a pair of crossings.  So a centre exactly on a left
 * (lower i) edge is inside, on a right edge outside; on a horizontal edge
 * it is inside when the polygon lies on the larger-j side.  Index
 * coordinates within 1e-6 voxel of a whole number are taken as that number,
 * so that a centre on an edge in world coordinates gives the same answer
 * after rounding of the mapping.
 */
#ifndef RAD_IMAGE_CONTOUR_H
#define RAD_IMAGE_CONTOUR_H

#include <stddef.h>

#include "image/image.h"

#define RAD_CONTOUR_SLICE_TOL 0.05 /* of the slice spacing */

typedef struct RadContour {
    size_t npoints;
    const double *points; /* x, y, z of each point, world LPS mm */
} RadContour;

/* A mask on `grid` (values 0/1, label 1) of the closed polygons contours[0..n-1]
 * by the rules above.  `roi` names the region in messages.  NULL with a
 * message (ROI, contour number 1-based, position in mm) when a contour is
 * not on a slice of the grid or has a non-finite coordinate.  Contours of
 * fewer than 3 points enclose nothing.  An empty result is not an error
 * here (the caller decides). */
RadMask *rad_contours_rasterise(const RadGeometry *grid, const RadContour *contours, size_t n, const char *roi);

#endif
