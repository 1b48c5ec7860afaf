/* radlab: PyRadiomics' 3D local binary patterns (getLBP3DImage).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Banerjee et al., "3D LBP-based rotationally invariant region description"
 * (ACCV 2012 workshops), as PyRadiomics computes it:
 *  - the neighbours are the vertices of an icosphere of radius R voxels:
 *    the icosahedron subdivided S times (trimesh's icosphere: each edge
 *    split at its midpoint, every vertex then moved to radius R along its
 *    direction, also for S = 0 as current trimesh does; 12, 42, 162, ...
 *    vertices).  PyRadiomics adds vertex
 *    column j to numpy index j of the voxel, and numpy's index order is
 *    (z, y, x): column 0 offsets z, column 2 offsets x.
 *  - each neighbour is sampled by scipy's map_coordinates with order 3 and
 *    mode "constant": a cubic B-spline whose coefficients come from the
 *    image by scipy's spline prefilter (mirror-symmetric initial
 *    conditions), read with the coefficient index mirrored about the edge
 *    voxels; a sample with any coordinate outside [0, n - 1] is 0.  The
 *    sample is rounded to float, as scipy writes it into a float array.
 *  - output k: the kurtosis of the neighbour samples, m4 / m2^2 - 3 (biased
 *    moments, scipy.stats.kurtosis; NaN when all samples are equal).
 *  - output m<j>: with b_v = 1 when sample v >= the centre voxel, else 0, and
 *    Y_nm scipy's sph_harm(m, n, theta_v, phi_v) where theta_v =
 *    acos(c2 / R) and phi_v = atan2(c1, c0) (PyRadiomics passes the polar
 *    angle where scipy expects the azimuth and the reverse),
 *      c_m = sum_v b_v Y_nm(v),  g(v) = sum_m c_m Y_nm(v),
 *      m<j> = sqrt(sum_v g(v)^2)  for n = j - 1.
 * PyRadiomics computes these inside the mask only; radlab filters every
 * voxel of the image (PyRadiomics with a mask of ones gives the same).
 */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image/filters/filter.h"
#include "image/filters/pyrad.h"
#include "util/error.h"
#include "util/pool.h"

/* ---- the icosphere ---------------------------------------------------------------- */

/* trimesh's icosahedron (creation.json): unit vertices and faces */
static const double ICO_A = 0.5257311121191336, ICO_B = 0.85065080835204;
static const int ICO_FACES[20][3] = {
    {0, 11, 5}, {0, 5, 1},  {0, 1, 7},   {0, 7, 10}, {0, 10, 11}, {1, 5, 9}, {5, 11, 4},
    {11, 10, 2}, {10, 7, 6}, {7, 1, 8},  {3, 9, 4},  {3, 4, 2},   {3, 2, 6}, {3, 6, 8},
    {3, 8, 9},  {4, 9, 5},  {2, 4, 11}, {6, 2, 10}, {8, 6, 7},   {9, 8, 1}};

/* move every vertex to radius r along its direction, as trimesh does */
static void to_radius(double (*v)[3], int nv, double r)
{
    for (int i = 0; i < nv; i++) {
        double s = sqrt(v[i][0] * v[i][0] + v[i][1] * v[i][1] + v[i][2] * v[i][2]);
        for (int a = 0; a < 3; a++)
            v[i][a] += v[i][a] / s * (r - s);
    }
}

/* The vertices of the icosphere (10 * 4^s + 2 of them) in a
 * new array, *nv their number; NULL with a message when out of memory. */
static double (*icosphere(int subdivision, double r, int *nv))[3]
{
    const double ico[12][3] = {{-ICO_A, ICO_B, 0}, {ICO_A, ICO_B, 0},   {-ICO_A, -ICO_B, 0}, {ICO_A, -ICO_B, 0},
                               {0, -ICO_A, ICO_B}, {0, ICO_A, ICO_B},   {0, -ICO_A, -ICO_B}, {0, ICO_A, -ICO_B},
                               {ICO_B, 0, -ICO_A}, {ICO_B, 0, ICO_A},   {-ICO_B, 0, -ICO_A}, {-ICO_B, 0, ICO_A}};
    int maxv = 10 * (1 << (2 * subdivision)) + 2, maxf = 20 * (1 << (2 * subdivision));
    int n = 12, nf = 20;
    double(*v)[3] = malloc((size_t)maxv * sizeof *v);
    int(*f)[3] = malloc((size_t)maxf * sizeof *f), (*g)[3] = malloc((size_t)maxf * sizeof *g);
    int *mid = NULL;
    if (!v || !f || !g)
        goto oom;
    memcpy(v, ico, sizeof ico);
    memcpy(f, ICO_FACES, sizeof ICO_FACES);
    for (int s = 0; s < subdivision; s++) {
        const int n0 = n;
        /* mid[a * n0 + b]: the vertex made at the middle of edge a-b */
        if (!(mid = malloc((size_t)n0 * (size_t)n0 * sizeof *mid)))
            goto oom;
        for (size_t i = 0; i < (size_t)n0 * (size_t)n0; i++)
            mid[i] = -1;
        for (int k = 0; k < nf; k++) {
            int m[3];
            for (int e = 0; e < 3; e++) {
                int a = f[k][e], b = f[k][(e + 1) % 3];
                int *slot = &mid[a < b ? a * n0 + b : b * n0 + a];
                if (*slot < 0) {
                    for (int c = 0; c < 3; c++)
                        v[n][c] = (v[a][c] + v[b][c]) / 2;
                    *slot = n++;
                }
                m[e] = *slot;
            }
            /* the corner triangles and the middle one */
            g[4 * k][0] = f[k][0], g[4 * k][1] = m[0], g[4 * k][2] = m[2];
            g[4 * k + 1][0] = m[0], g[4 * k + 1][1] = f[k][1], g[4 * k + 1][2] = m[1];
            g[4 * k + 2][0] = m[2], g[4 * k + 2][1] = m[1], g[4 * k + 2][2] = f[k][2];
            g[4 * k + 3][0] = m[0], g[4 * k + 3][1] = m[1], g[4 * k + 3][2] = m[2];
        }
        free(mid);
        mid = NULL;
        nf *= 4;
        memcpy(f, g, (size_t)nf * sizeof *f);
        to_radius(v, n, r);
    }
    if (subdivision == 0)
        to_radius(v, n, r);
    free(f);
    free(g);
    *nv = n;
    return v;
oom:
    free(v);
    free(f);
    free(g);
    free(mid);
    rad_error_set("lbp3d filter: out of memory building the icosphere");
    return NULL;
}

/* ---- spherical harmonics, as scipy.special.sph_harm -------------------------------- */

/* the associated Legendre function P_n^m(x), m >= 0, with the Condon-Shortley phase */
static double legendre(int n, int m, double x)
{
    double pmm = 1, s = sqrt((1 - x) * (1 + x)), p1, p2;
    for (int i = 1; i <= m; i++)
        pmm *= -(2 * i - 1) * s;
    if (n == m)
        return pmm;
    p1 = pmm;
    p2 = x * (2 * m + 1) * pmm;
    for (int l = m + 2; l <= n; l++) {
        double p = ((2 * l - 1) * x * p2 - (l + m - 1) * p1) / (l - m);
        p1 = p2;
        p2 = p;
    }
    return p2;
}

/* scipy's sph_harm(m, n, azimuth, polar) */
static double complex sph_harm(int m, int n, double azimuth, double polar)
{
    int am = m < 0 ? -m : m;
    double ratio = 1; /* (n - |m|)! / (n + |m|)! */
    double complex y;
    for (int i = n - am + 1; i <= n + am; i++)
        ratio /= i;
    y = sqrt((2 * n + 1) / (4 * M_PI) * ratio) * legendre(n, am, cos(polar)) * cexp(I * am * azimuth);
    /* Y_n^{-m} = (-1)^m conj(Y_n^m) */
    return m < 0 ? (am % 2 ? -1 : 1) * conj(y) : y;
}

/* ---- scipy's cubic spline prefilter (mode "constant": mirror initial conditions) ---- */

static void spline_line(double *c, size_t n)
{
    const double z = sqrt(3.0) - 2, zn1 = pow(z, (double)(n - 1));
    double zi = z;
    if (n < 2)
        return;
    for (size_t i = 0; i < n; i++)
        c[i] *= (1 - z) * (1 - 1 / z);
    /* causal: c[0] as if the line were mirrored about its ends */
    c[0] += zn1 * c[n - 1];
    for (size_t i = 1; i + 1 < n; i++) {
        c[0] += zi * (c[i] + zn1 * c[n - 1 - i]);
        zi *= z;
    }
    c[0] /= 1 - zn1 * zn1;
    for (size_t i = 1; i < n; i++)
        c[i] += z * c[i - 1];
    c[n - 1] = (z * c[n - 2] + c[n - 1]) * z / (z * z - 1);
    for (size_t i = n - 1; i-- > 0;)
        c[i] = z * (c[i + 1] - c[i]);
}

static int spline_prefilter(double *d, const size_t dim[3])
{
    size_t nmax = dim[0] > dim[1] ? dim[0] : dim[1];
    double *line;
    nmax = nmax > dim[2] ? nmax : dim[2];
    if (!(line = malloc(nmax * sizeof *line)))
        return rad_error_set("lbp3d filter: out of memory");
    /* numpy's axis order (z, y, x), as scipy's spline_filter runs */
    for (int axis = 2; axis >= 0; axis--) {
        size_t n = dim[axis], stride = axis == 0 ? 1 : axis == 1 ? dim[0] : dim[0] * dim[1];
        size_t lines = dim[0] * dim[1] * dim[2] / n;
        for (size_t q = 0; q < lines; q++) {
            size_t start = axis == 0 ? q * dim[0] : axis == 1 ? (q / dim[0]) * dim[0] * dim[1] + q % dim[0] : q;
            for (size_t i = 0; i < n; i++)
                line[i] = d[start + i * stride];
            spline_line(line, n);
            for (size_t i = 0; i < n; i++)
                d[start + i * stride] = line[i];
        }
    }
    free(line);
    return 0;
}

/* index k of an axis of n coefficients, mirrored about the edge voxels */
static size_t mirror(long k, long n)
{
    long p = 2 * n - 2;
    if (n == 1)
        return 0;
    k %= p;
    if (k < 0)
        k += p;
    return (size_t)(k < n ? k : p - k);
}

/* the cubic B-spline weights of the 4 coefficients from floor(t) - 1 */
static void spline_weights(double t, double w[4])
{
    double x = t - floor(t), z = 1 - x;
    w[1] = (x * x * (x - 2) * 3 + 4) / 6;
    w[2] = (z * z * (z - 2) * 3 + 4) / 6;
    w[0] = z * z * z / 6;
    w[3] = 1 - w[0] - w[1] - w[2];
}

/* ---- the filter -------------------------------------------------------------------- */

typedef struct Lbp3dJob {
    const RadImage *img;
    const double *coef; /* spline coefficients, x fastest */
    RadImage *out;
    const double (*v)[3];
    int nv, output;
    int nm;                   /* 2n + 1 harmonics of degree n = output - 1 */
    const double *yr, *yi;    /* Y_nm of vertex v: [v * nm + (m + n)], real and imaginary parts */
    const size_t *mir[3];     /* mir[a][k + 1]: mirror(k, n) for k = -1 .. n + 1 along axis a */
} Lbp3dJob;

/* the spline at numpy coordinates (t0, t1, t2) = (z, y, x); 0 outside */
static double sample(const Lbp3dJob *j, double tz, double ty, double tx)
{
    const long nx = (long)j->img->geom.dim[0], ny = (long)j->img->geom.dim[1], nz = (long)j->img->geom.dim[2];
    double wz[4], wy[4], wx[4], s = 0;
    long z0, y0, x0;
    if (!(tz >= 0 && tz <= nz - 1 && ty >= 0 && ty <= ny - 1 && tx >= 0 && tx <= nx - 1))
        return 0;
    spline_weights(tz, wz);
    spline_weights(ty, wy);
    spline_weights(tx, wx);
    /* the 4 coefficients from floor(t) - 1 lie in -1 .. n + 1: entries 0 .. n + 2 of mir */
    z0 = (long)floor(tz), y0 = (long)floor(ty), x0 = (long)floor(tx);
    for (int a = 0; a < 4; a++) {
        size_t zi = j->mir[2][z0 + a];
        for (int b = 0; b < 4; b++) {
            const double *row = j->coef + (zi * (size_t)ny + j->mir[1][y0 + b]) * (size_t)nx;
            const size_t *mx = j->mir[0] + x0;
            double r = 0;
            for (int c = 0; c < 4; c++)
                r += row[mx[c]] * wx[c];
            s += r * wz[a] * wy[b];
        }
    }
    return s;
}

static int lbp3d_slice(size_t k, void *arg)
{
    const Lbp3dJob *j = arg;
    const size_t nx = j->img->geom.dim[0], ny = j->img->geom.dim[1];
    double *f = malloc((size_t)j->nv * sizeof *f);
    double *c = malloc(2 * (size_t)j->nm * sizeof *c); /* c_m: real parts, then imaginary */
    if (!f || !c) {
        free(f);
        free(c);
        return rad_error_set("lbp3d filter: out of memory");
    }
    for (size_t y = 0; y < ny; y++)
        for (size_t x = 0; x < nx; x++) {
            size_t i = (k * ny + y) * nx + x;
            double centre = j->img->data[i], r = 0;
            for (int v = 0; v < j->nv; v++)
                /* scipy writes the sample into the input's (float) type */
                f[v] = (float)sample(j, (double)k + j->v[v][0], (double)y + j->v[v][1], (double)x + j->v[v][2]);
            if (j->output == 0) {
                double mean = 0, m2 = 0, m4 = 0;
                for (int v = 0; v < j->nv; v++)
                    mean += f[v];
                mean /= j->nv;
                for (int v = 0; v < j->nv; v++) {
                    double d = (f[v] - mean) * (f[v] - mean);
                    m2 += d;
                    m4 += d * d;
                }
                m2 /= j->nv;
                m4 /= j->nv;
                /* scipy: NaN when m2 <= (resolution * mean)^2, resolution 1e-6 for float data */
                r = m2 <= (1e-6 * mean) * (1e-6 * mean) ? NAN : m4 / (m2 * m2) - 3;
            } else {
                const int nm = j->nm;
                double *ci = c + nm;
                for (int m = 0; m < nm; m++)
                    c[m] = ci[m] = 0;
                for (int v = 0; v < j->nv; v++)
                    if (f[v] >= centre)
                        for (int m = 0; m < nm; m++) {
                            c[m] += j->yr[v * nm + m];
                            ci[m] += j->yi[v * nm + m];
                        }
                /* g(v) = sum_m c_m Y_nm(v); PyRadiomics sums g^2 (real in theory: take Re g^2) */
                for (int v = 0; v < j->nv; v++) {
                    double gr = 0, gi = 0;
                    for (int m = 0; m < nm; m++) {
                        gr += c[m] * j->yr[v * nm + m] - ci[m] * j->yi[v * nm + m];
                        gi += c[m] * j->yi[v * nm + m] + ci[m] * j->yr[v * nm + m];
                    }
                    r += gr * gr - gi * gi;
                }
                r = sqrt(r > 0 ? r : 0);
            }
            j->out->data[i] = (float)r;
        }
    free(f);
    free(c);
    return 0;
}

RadImage *rad_filter_lbp3d(const RadImage *img, int levels, double radius, int subdivision, int output,
                           int threads)
{
    Lbp3dJob j;
    double(*v)[3] = NULL, *coef = NULL;
    size_t *mir = NULL;
    double *y = NULL;
    RadImage *out = NULL;
    int nv = 0;
    if (levels < 1 || levels > 10) {
        rad_error_set("lbp3d filter: levels must be 1..10 (degrees of the spherical harmonics), got %d", levels);
        return NULL;
    }
    if (!(radius > 0) || !isfinite(radius)) {
        rad_error_set("lbp3d filter: radius must be > 0 voxels, got %g", radius);
        return NULL;
    }
    if (subdivision < 0 || subdivision > 4) {
        rad_error_set("lbp3d filter: subdivision must be 0..4 (12, 42, 162, 642 or 2562 neighbours), got %d",
                      subdivision);
        return NULL;
    }
    if (output < 0 || output > levels) {
        rad_error_set("lbp3d filter: output %d is not one of k (0) or m1..m%d", output, levels);
        return NULL;
    }
    if (img && img->data && (img->geom.ndim < 3 || img->geom.dim[2] < 2)) {
        rad_error_set("lbp3d filter: the image has a single slice; the filter samples a sphere in the volume and "
                      "needs a 3D image (PyRadiomics' LBP 3D refuses 2D images too; lbp2d works on slices)");
        return NULL;
    }
    if (rad_filter_check_image(img, 3, 0, "lbp3d filter") != 0)
        return NULL;
    if (img->geom.dim[0] < 2 || img->geom.dim[1] < 2) {
        rad_error_set("lbp3d filter: the image has %zu x %zu voxels in plane; the filter needs at least 2 along "
                      "each axis",
                      img->geom.dim[0], img->geom.dim[1]);
        return NULL;
    }
    if (!(v = icosphere(subdivision, radius, &nv)))
        return NULL;
    memset(&j, 0, sizeof j);
    j.nm = output > 0 ? 2 * output - 1 : 1;
    if (!(y = malloc(2 * (size_t)nv * (size_t)j.nm * sizeof *y)) || !(coef = rad_filter_to_double(img))) {
        if (!y)
            rad_error_set("lbp3d filter: out of memory");
        goto done;
    }
    if (output > 0) {
        const int n = output - 1;
        for (int k = 0; k < nv; k++) {
            /* PyRadiomics: theta = acos(c2 / R) goes where scipy takes the azimuth */
            double theta = acos(v[k][2] / radius), phi = atan2(v[k][1], v[k][0]);
            for (int m = -n; m <= n; m++) {
                double complex h = sph_harm(m, n, theta, phi);
                y[k * j.nm + m + n] = creal(h);
                y[(size_t)nv * (size_t)j.nm + (size_t)(k * j.nm + m + n)] = cimag(h);
            }
        }
    }
    if (spline_prefilter(coef, img->geom.dim) != 0)
        goto done;
    if (!(mir = malloc((img->geom.dim[0] + img->geom.dim[1] + img->geom.dim[2] + 9) * sizeof *mir))) {
        rad_error_set("lbp3d filter: out of memory");
        goto done;
    }
    for (size_t a = 0, at = 0; a < 3; a++) {
        long n = (long)img->geom.dim[a];
        j.mir[a] = mir + at;
        for (long k = -1; k <= n + 1; k++)
            mir[at++] = mirror(k, n);
    }
    if (!(out = rad_image_alloc(&img->geom)))
        goto done;
    j.img = img, j.coef = coef, j.out = out, j.v = (const double(*)[3])v, j.nv = nv, j.output = output;
    j.yr = y, j.yi = y + (size_t)nv * (size_t)j.nm;
    if (rad_pool_run(img->geom.dim[2], threads, lbp3d_slice, &j, 1, NULL) != 0) {
        rad_error_set("lbp3d filter: %s", rad_interrupted() ? "interrupted" : "out of memory");
        rad_image_free(out);
        out = NULL;
    }
done:
    free(v);
    free(mir);
    free(coef);
    free(y);
    return out;
}
