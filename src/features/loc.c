/* radlab: local intensity features (IBSI 9ST6).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What this file computes (IBSI 1, docs/03_Image_features.rst, section
 * "Local intensity features", 9ST6), in 3D by definition (DHQ4):
 *
 *   - local intensity peak VJGA: for each voxel of the intensity mask that
 *     holds the mask's maximum intensity, the mean intensity of the image
 *     voxels whose centres lie within a sphere of 1 cm^3, radius
 *     r = (3 / (4 pi))^(1/3) cm = 6.2035 mm, around it; the highest of these
 *     means;
 *   - global intensity peak 0F91: the highest such mean over every voxel of
 *     the intensity mask.
 *
 * The neighbourhood draws on all voxels of the image, inside the ROI or not
 * (9ST6).  Distances are in world millimetres (spacing and direction).  Near
 * the image border the sphere is clipped: the mean is taken over the voxels
 * of the sphere that exist in the image (no padding values are invented).
 * This is what the IBSI digital phantom values need: its 5x4x4 grid of 2 mm
 * voxels is smaller than the sphere, and it gives 2.6 and 3.1 only with the
 * clipped mean.
 *
 * The sphere is a set of runs along x, one per (dy, dz) offset.  With prefix
 * sums along each image row, the sum over a run costs one subtraction, so a
 * voxel costs one operation per run (about 60 runs for CT voxels of
 * 0.98 x 0.98 x 3 mm) instead of one per voxel of the sphere (about 350).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"
#include "util/error.h"

static const RadFeatureDef defs[] = {
    {"loc_peak_loc", "VJGA", "Local intensity peak", ""},
    {"loc_peak_glob", "0F91", "Global intensity peak", ""},
    {NULL, NULL, NULL, NULL}};

typedef struct Run {
    long dj, dk;     /* offset of the row */
    long di0, di1;   /* the run covers x offsets di0..di1 */
} Run;

/* Runs of the sphere of radius r (mm) for world step vectors ax[c]. */
static int sphere_runs(const double ax[3][3], double r, Run **out, size_t *nout)
{
    double G[3][3], Gi_diag[3], det;
    long B[3];
    size_t cap, n = 0;
    Run *runs;

    /* metric G = A^T A; |d|^2 = d^T G d, and |d_c| <= r sqrt((G^-1)_cc) */
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            G[a][b] = ax[a][0] * ax[b][0] + ax[a][1] * ax[b][1] + ax[a][2] * ax[b][2];
    det = G[0][0] * (G[1][1] * G[2][2] - G[1][2] * G[2][1]) - G[0][1] * (G[1][0] * G[2][2] - G[1][2] * G[2][0]) +
          G[0][2] * (G[1][0] * G[2][1] - G[1][1] * G[2][0]);
    if (!(det > 0.0))
        return rad_error_set("local intensity: degenerate voxel geometry");
    Gi_diag[0] = (G[1][1] * G[2][2] - G[1][2] * G[2][1]) / det;
    Gi_diag[1] = (G[0][0] * G[2][2] - G[0][2] * G[2][0]) / det;
    Gi_diag[2] = (G[0][0] * G[1][1] - G[0][1] * G[1][0]) / det;
    for (int c = 0; c < 3; c++) {
        double b = r * sqrt(Gi_diag[c]);
        if (!(b < 1e6))
            return rad_error_set("local intensity: voxels too small for a 1 cm^3 sphere (%g voxels across)", 2 * b);
        B[c] = (long)floor(b) + 1;
    }
    cap = (size_t)(2 * B[1] + 1) * (size_t)(2 * B[2] + 1);
    runs = rad_malloc(cap * sizeof *runs, "the sphere runs");
    if (!runs)
        return -1;
    for (long dk = -B[2]; dk <= B[2]; dk++)
        for (long dj = -B[1]; dj <= B[1]; dj++) {
            long first = 0, last = -1;
            int found = 0;
            for (long di = -B[0]; di <= B[0]; di++) {
                double p[3], d2;
                for (int c = 0; c < 3; c++)
                    p[c] = (double)di * ax[0][c] + (double)dj * ax[1][c] + (double)dk * ax[2][c];
                d2 = p[0] * p[0] + p[1] * p[1] + p[2] * p[2];
                if (d2 <= r * r) {
                    if (!found)
                        first = di;
                    found = 1;
                    last = di;
                }
            }
            if (!found)
                continue;
            runs[n].dj = dj;
            runs[n].dk = dk;
            runs[n].di0 = first;
            runs[n].di1 = last;
            n++;
        }
    *out = runs;
    *nout = n;
    return 0;
}

static int compute(const RadRoi *roi, const RadSettings *s, RadFeatureSet *fs)
{
    const RadGeometry *g = &roi->geom;
    const size_t *d = g->dim;
    /* IBSI VJGA: r = (3 / (4 pi))^(1/3) cm, in mm */
    const double radius = 10.0 * cbrt(3.0 / (4.0 * M_PI));
    double ax[3][3], *pre = NULL, vmax = -INFINITY, peak_loc = -INFINITY, peak_glob = -INFINITY;
    long lo[3], hi[3], ext;
    size_t nruns = 0, nx, ny, nz;
    Run *runs = NULL;
    int rc = -1;

    (void)s;
    for (int c = 0; c < 3; c++)
        for (int r = 0; r < 3; r++)
            ax[c][r] = g->direction[3 * r + c] * g->spacing[c];
    if (sphere_runs(ax, radius, &runs, &nruns) != 0)
        return -1;

    /* the part of the image the spheres around the box can reach */
    for (int c = 0; c < 3; c++) {
        long reach = 0;
        for (size_t q = 0; q < nruns; q++) {
            long m = c == 0 ? (labs(runs[q].di0) > labs(runs[q].di1) ? labs(runs[q].di0) : labs(runs[q].di1))
                   : c == 1 ? labs(runs[q].dj)
                            : labs(runs[q].dk);
            reach = m > reach ? m : reach;
        }
        lo[c] = (long)roi->box.lo[c] - reach;
        hi[c] = (long)roi->box.hi[c] + reach;
        lo[c] = lo[c] < 0 ? 0 : lo[c];
        hi[c] = hi[c] > (long)d[c] - 1 ? (long)d[c] - 1 : hi[c];
    }
    nx = (size_t)(hi[0] - lo[0] + 1);
    ny = (size_t)(hi[1] - lo[1] + 1);
    nz = (size_t)(hi[2] - lo[2] + 1);
    ext = (long)nx + 1;

    /* pre[row][m] = sum of the first m voxels of the row (within lo[0]..hi[0]) */
    pre = rad_malloc((size_t)ext * ny * nz * sizeof *pre, "the local intensity prefix sums");
    if (!pre)
        goto done;
    for (size_t k = 0; k < nz; k++)
        for (size_t j = 0; j < ny; j++) {
            const float *src = roi->image + d[0] * ((size_t)lo[1] + j + d[1] * ((size_t)lo[2] + k)) + lo[0];
            double *row = pre + (size_t)ext * (j + ny * k), acc = 0.0;
            row[0] = 0.0;
            for (size_t i = 0; i < nx; i++) {
                acc += src[i];
                row[i + 1] = acc;
            }
        }

    for (size_t k = roi->box.lo[2]; k <= roi->box.hi[2]; k++)
        for (size_t j = roi->box.lo[1]; j <= roi->box.hi[1]; j++)
            for (size_t i = roi->box.lo[0]; i <= roi->box.hi[0]; i++)
                if (roi->mask[i + d[0] * (j + d[1] * k)]) {
                    float x = roi->image[i + d[0] * (j + d[1] * k)];
                    vmax = x > vmax ? x : vmax;
                }

    for (size_t k = roi->box.lo[2]; k <= roi->box.hi[2]; k++) {
        if (rad_interrupt_check() != 0)
            goto done;
        for (size_t j = roi->box.lo[1]; j <= roi->box.hi[1]; j++)
            for (size_t i = roi->box.lo[0]; i <= roi->box.hi[0]; i++) {
                size_t v = i + d[0] * (j + d[1] * k);
                double sum = 0.0, cnt = 0.0, mean;
                if (!roi->mask[v])
                    continue;
                for (size_t q = 0; q < nruns; q++) {
                    long jj = (long)j + runs[q].dj, kk = (long)k + runs[q].dk;
                    long i0 = (long)i + runs[q].di0, i1 = (long)i + runs[q].di1;
                    const double *row;
                    if (jj < lo[1] || jj > hi[1] || kk < lo[2] || kk > hi[2])
                        continue;
                    i0 = i0 < lo[0] ? lo[0] : i0;
                    i1 = i1 > hi[0] ? hi[0] : i1;
                    if (i1 < i0)
                        continue;
                    row = pre + (size_t)ext * ((size_t)(jj - lo[1]) + ny * (size_t)(kk - lo[2]));
                    sum += row[i1 - lo[0] + 1] - row[i0 - lo[0]];
                    cnt += (double)(i1 - i0 + 1);
                }
                mean = sum / cnt; /* cnt >= 1: the centre voxel itself */
                if (mean > peak_glob)
                    peak_glob = mean;
                if (roi->image[v] == vmax && mean > peak_loc)
                    peak_loc = mean;
            }
    }
    if (rad_featureset_add(fs, "loc_peak_loc", peak_loc) != 0 ||
        rad_featureset_add(fs, "loc_peak_glob", peak_glob) != 0)
        goto done;
    rc = 0;
done:
    free(pre);
    free(runs);
    return rc;
}

const RadFamily rad_family_loc = {"loc", "Local intensity", "9ST6", RAD_FAM_LOC, RAD_AGGR_KIND_NONE, defs, compute, 0, NULL};
