/* radlab: synthetic abdominal CT volumes for demo cohorts.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A child's abdomen at the level of the kidneys, in HU: air, the body
 * outline with subcutaneous fat, muscle (back muscles, psoas), the spine
 * (cancellous bone in a cortical ring), aorta and IVC, both kidneys in
 * perirenal fat, the liver edge on the patient's right in the upper slices,
 * and an adrenal / retroperitoneal tumour: lobulated (smooth bumps on a
 * sphere, so the region is star-shaped about its centre and hence one
 * piece), heterogeneous enhancement (a sum of random plane waves), a
 * necrotic core and calcified foci.  The volume is then blurred (Gaussian
 * point spread: sd `blur` in-plane, 0.35 slice along z: partial volume),
 * Gaussian noise of sd `noise` is added, and values are rounded to whole HU.
 * The mask is the tumour before blurring, kept inside the body.
 *
 * World coordinates are LPS (as everywhere in radlab): +x towards the
 * patient's left, +y posterior, +z superior; the volume is centred on 0.
 * Random numbers: splitmix64 seeding xoshiro256** (the same pair as
 * stdlib/rad/rng.lua), so a seed gives the same volume on every platform.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image/synth.h"
#include "util/error.h"

typedef struct {
    uint64_t s[4];
} Rng;

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static void rng_seed(Rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z;
        seed += 0x9E3779B97F4A7C15ULL;
        z = seed;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        r->s[i] = z ^ (z >> 31);
    }
}

static uint64_t rng_next(Rng *r)
{
    uint64_t *s = r->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static double uniform(Rng *r) { return (double)(rng_next(r) >> 11) * 0x1p-53; }

#define NLOBE 5
#define NWAVE 8

typedef struct {
    double c[3], R;                   /* centre, radius (mm) */
    double lobe[NLOBE][3], lob;       /* lobe directions, depth */
    double wave[NWAVE][3], phase[NWAVE];
} Tumour;

/* Relative radius of the tumour in unit direction u. */
static double lobe_factor(const Tumour *t, const double u[3])
{
    double f = 1.0 - 0.25 * t->lob;
    for (int m = 0; m < NLOBE; m++) {
        double d = u[0] * t->lobe[m][0] + u[1] * t->lobe[m][1] + u[2] * t->lobe[m][2];
        f += t->lob * 0.3 * exp(4.0 * (d - 1.0));
    }
    return f;
}

/* Unit-variance texture: a sum of plane waves. */
static double texture(const Tumour *t, const double x[3])
{
    double s = 0;
    for (int m = 0; m < NWAVE; m++)
        s += cos(t->wave[m][0] * x[0] + t->wave[m][1] * x[1] + t->wave[m][2] * x[2] + t->phase[m]);
    return s * sqrt(2.0 / NWAVE);
}

static void random_direction(Rng *r, double u[3])
{
    double z = 2 * uniform(r) - 1, phi = 2 * M_PI * uniform(r), s = sqrt(1 - z * z);
    u[0] = s * cos(phi);
    u[1] = s * sin(phi);
    u[2] = z;
}

static int in_ellipse(double x, double y, double cx, double cy, double ax, double by)
{
    double dx = (x - cx) / ax, dy = (y - cy) / by;
    return dx * dx + dy * dy <= 1.0;
}

/* One pass of a 1-D Gaussian blur along axis `axis`, in place via tmp; edge voxels repeat. */
static void blur_axis(float *v, const size_t dim[3], int axis, double sd_vox, float *tmp)
{
    int h = (int)ceil(3 * sd_vox);
    double w[64], sum = 0;
    size_t stride = axis == 0 ? 1 : axis == 1 ? dim[0] : dim[0] * dim[1], n = dim[axis];
    size_t nvox = dim[0] * dim[1] * dim[2], outer = nvox / (n * stride);
    if (sd_vox < 0.05 || n < 2)
        return;
    if (h > 31)
        h = 31;
    for (int d = -h; d <= h; d++)
        sum += w[d + h] = exp(-0.5 * d * d / (sd_vox * sd_vox));
    for (int d = 0; d <= 2 * h; d++)
        w[d] /= sum;
    memcpy(tmp, v, nvox * sizeof *v);
    for (size_t o = 0; o < outer; o++)
        for (size_t in = 0; in < stride; in++) {
            const float *line = tmp + o * n * stride + in;
            float *out = v + o * n * stride + in;
            for (size_t pos = 0; pos < n; pos++) {
                double acc = 0;
                if (pos >= (size_t)h && pos + (size_t)h < n) {
                    const float *c = line + (pos - (size_t)h) * stride;
                    for (int d = 0; d <= 2 * h; d++)
                        acc += w[d] * c[(size_t)d * stride];
                } else
                    for (int d = -h; d <= h; d++) {
                        long q = (long)pos + d;
                        q = q < 0 ? 0 : q >= (long)n ? (long)n - 1 : q;
                        acc += w[d + h] * line[(size_t)q * stride];
                    }
                out[pos * stride] = (float)acc;
            }
        }
}

static int check_params(const RadSynthParams *p)
{
    for (int a = 0; a < 3; a++) {
        if (p->dim[a] < 8 || p->dim[a] > 1024)
            return rad_error_set("synthetic image: size[%d] = %zu is out of range; use 8 to 1024 voxels", a + 1, p->dim[a]);
        if (!(p->spacing[a] > 0 && p->spacing[a] <= 20))
            return rad_error_set("synthetic image: spacing[%d] = %g is out of range; use a value in (0, 20] mm", a + 1, p->spacing[a]);
    }
#define RANGE(f, lo, hi)                                                                                     \
    if (!(p->f >= (lo) && p->f <= (hi)))                                                                     \
        return rad_error_set("synthetic image: %s = %g is out of range; use a value in [%g, %g]", #f, p->f, \
                             (double)(lo), (double)(hi));
    RANGE(lobulation, 0, 1)
    RANGE(heterogeneity, 0, 1)
    RANGE(necrosis, 0, 0.8)
    RANGE(calcification, 0, 1)
    RANGE(side, -1, 1)
    RANGE(noise, 0, 500)
    RANGE(blur, 0, 10)
#undef RANGE
    {
        double a = 0.45 * p->dim[0] * p->spacing[0], b = 0.36 * p->dim[1] * p->spacing[1];
        double zext = 0.5 * p->dim[2] * p->spacing[2], lim = fmin(fmin(a, b), zext) * 0.8;
        if (!(p->radius >= 2 && p->radius <= lim))
            return rad_error_set("synthetic image: tumour radius = %g mm does not fit the field of view; "
                                 "use 2 to %.1f mm or a larger size/spacing", p->radius, lim);
    }
    return 0;
}

int rad_synth_abdomen(const RadSynthParams *p, uint64_t seed, RadImage **img_out, RadMask **mask_out)
{
    RadGeometry g;
    RadImage *img;
    RadMask *mask;
    float *tmp;
    Rng rng;
    Tumour t;
    size_t nx = p->dim[0], ny = p->dim[1], nz = p->dim[2], nvox;
    double sx = p->spacing[0], sy = p->spacing[1], sz = p->spacing[2];
    double a, b, zext, lo[3], hi[3];
    int ncalc;
    double calc[14][4];

    *img_out = NULL;
    *mask_out = NULL;
    if (check_params(p) != 0)
        return -1;
    rad_geometry_init(&g, 3, nx, ny, nz);
    for (int d = 0; d < 3; d++) {
        g.spacing[d] = p->spacing[d];
        g.origin[d] = -0.5 * (double)(p->dim[d] - 1) * p->spacing[d];
    }
    img = rad_image_new(&g);
    mask = img ? rad_mask_new(&g) : NULL;
    nvox = nx * ny * nz;
    tmp = mask ? rad_malloc(nvox * sizeof *tmp, "synthetic image blur buffer") : NULL;
    if (!tmp) {
        rad_image_free(img);
        rad_mask_free(mask);
        return -1;
    }
    rng_seed(&rng, seed);
    a = 0.45 * nx * sx;
    b = 0.36 * ny * sy;
    zext = 0.5 * nz * sz;

    /* the tumour: centre beside the spine, lobes, texture waves, calcified foci */
    t.c[0] = p->side * 0.28 * a;
    t.c[1] = 0.12 * b;
    t.c[2] = 0;
    t.R = p->radius;
    t.lob = p->lobulation;
    for (int m = 0; m < NLOBE; m++)
        random_direction(&rng, t.lobe[m]);
    for (int m = 0; m < NWAVE; m++) {
        double u[3], k = 2 * M_PI / (4.0 + 10.0 * uniform(&rng)); /* wavelength 4 to 14 mm */
        random_direction(&rng, u);
        for (int d = 0; d < 3; d++)
            t.wave[m][d] = k * u[d];
        t.phase[m] = 2 * M_PI * uniform(&rng);
    }
    ncalc = (int)floor(p->calcification * 14 + 0.5);
    for (int m = 0; m < ncalc; m++) {
        double u[3], rho = 0.15 + 0.7 * uniform(&rng), f;
        random_direction(&rng, u);
        f = lobe_factor(&t, u);
        for (int d = 0; d < 3; d++)
            calc[m][d] = t.c[d] + u[d] * rho * t.R * f * (d == 2 ? 1.15 : 1.0);
        calc[m][3] = 0.8 + 1.4 * uniform(&rng); /* radius, mm */
    }

    /* anatomy */
    for (size_t k = 0; k < nz; k++) {
        double z = g.origin[2] + (double)k * sz;
        double ab = a * (1 + 0.03 * sin(z / 20)), bb = b * (1 + 0.03 * cos(z / 25));
        double liver_r = 0.55 * a * fmin(1.0, fmax(0.0, (z + 0.2 * zext) / 20.0));
        double kid = 1 - (z / 35.0) * (z / 35.0); /* kidney ellipsoid's in-plane scale squared */
        for (size_t j = 0; j < ny; j++) {
            double y = g.origin[1] + (double)j * sy;
            for (size_t i = 0; i < nx; i++) {
                double x = g.origin[0] + (double)i * sx, v = -1000;
                if (in_ellipse(x, y, 0, 0, ab, bb)) {
                    v = in_ellipse(x, y, 0, 0, ab - 5, bb - 5) ? 35 : -100;
                    if (liver_r > 0 && in_ellipse(x, y, -0.55 * a, -0.05 * b, liver_r, liver_r) &&
                        in_ellipse(x, y, 0, 0, ab - 5, bb - 5))
                        v = 105;
                    if (in_ellipse(x, y, 0.22 * a, 0.76 * b, 0.17 * a, 0.13 * b) ||
                        in_ellipse(x, y, -0.22 * a, 0.76 * b, 0.17 * a, 0.13 * b) ||
                        in_ellipse(x, y, 0.2 * a, 0.42 * b, 0.09 * a, 0.09 * a) ||
                        in_ellipse(x, y, -0.2 * a, 0.42 * b, 0.09 * a, 0.09 * a))
                        v = 50;
                    if (kid > 0)
                        for (int s = -1; s <= 1; s += 2) {
                            double q = sqrt(kid), cx = s * 0.45 * a, cy = 0.42 * b;
                            if (in_ellipse(x, y, cx, cy, 0.2 * a * q, 0.26 * b * q))
                                v = -90; /* perirenal fat */
                            if (in_ellipse(x, y, cx, cy, 0.14 * a * q, 0.2 * b * q))
                                v = in_ellipse(x, y, cx, cy, 0.08 * a * q, 0.12 * b * q) ? 120 : 165;
                        }
                    if (in_ellipse(x, y, 0, 0.55 * b, 0.14 * a, 0.14 * a))
                        v = in_ellipse(x, y, 0, 0.55 * b, 0.14 * a - 1.5, 0.14 * a - 1.5) ? 300 : 800;
                    if (in_ellipse(x, y, 0.06 * a, 0.3 * b, 0.06 * a, 0.06 * a))
                        v = 170; /* aorta */
                    if (in_ellipse(x, y, -0.12 * a, 0.28 * b, 0.065 * a, 0.05 * a))
                        v = 140; /* IVC */
                }
                img->data[i + nx * (j + ny * k)] = (float)v;
            }
        }
    }

    /* the tumour, painted over the anatomy within the bounding box of 1.4 R */
    for (int d = 0; d < 3; d++) {
        double r = 1.4 * t.R * (d == 2 ? 1.15 : 1.0);
        lo[d] = fmax(0, floor((t.c[d] - r - g.origin[d]) / p->spacing[d]));
        hi[d] = fmin((double)p->dim[d] - 1, ceil((t.c[d] + r - g.origin[d]) / p->spacing[d]));
    }
    for (size_t k = (size_t)lo[2]; k <= (size_t)hi[2]; k++)
        for (size_t j = (size_t)lo[1]; j <= (size_t)hi[1]; j++)
            for (size_t i = (size_t)lo[0]; i <= (size_t)hi[0]; i++) {
                double x[3] = {g.origin[0] + (double)i * sx, g.origin[1] + (double)j * sy, g.origin[2] + (double)k * sz};
                double d[3] = {x[0] - t.c[0], x[1] - t.c[1], (x[2] - t.c[2]) / 1.15}, r, u[3], f, rho, tex, v;
                size_t idx = i + nx * (j + ny * k);
                double ab = a * (1 + 0.03 * sin(x[2] / 20)), bb = b * (1 + 0.03 * cos(x[2] / 25));
                r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                if (r > 0) {
                    u[0] = d[0] / r;
                    u[1] = d[1] / r;
                    u[2] = d[2] / r;
                } else {
                    u[0] = 1;
                    u[1] = u[2] = 0;
                }
                f = lobe_factor(&t, u);
                rho = r / (t.R * f);
                if (rho > 1 || !in_ellipse(x[0], x[1], 0, 0, ab - 6, bb - 6))
                    continue;
                tex = texture(&t, x);
                v = 60 + 40 * p->heterogeneity * tex;
                if (rho < p->necrosis * (1 + 0.25 * texture(&t, (double[3]){x[1], x[2], x[0]})))
                    v = 18 + 4 * tex;
                for (int m = 0; m < ncalc; m++) {
                    double dx = x[0] - calc[m][0], dy = x[1] - calc[m][1], dz = x[2] - calc[m][2];
                    if (dx * dx + dy * dy + dz * dz <= calc[m][3] * calc[m][3])
                        v = 350 + 450 * (1 - sqrt(dx * dx + dy * dy + dz * dz) / calc[m][3]);
                }
                img->data[idx] = (float)v;
                mask->data[idx] = 1;
            }

    /* partial volume, noise, whole HU */
    blur_axis(img->data, p->dim, 0, p->blur / sx, tmp);
    blur_axis(img->data, p->dim, 1, p->blur / sy, tmp);
    blur_axis(img->data, p->dim, 2, 0.35, tmp);
    free(tmp);
    for (size_t v = 0; v < nvox; v += 2) {
        /* Marsaglia's polar method: a pair of normal deviates, no trigonometry */
        double u1, u2, q, r;
        do {
            u1 = 2 * uniform(&rng) - 1;
            u2 = 2 * uniform(&rng) - 1;
            q = u1 * u1 + u2 * u2;
        } while (q >= 1 || q == 0);
        r = sqrt(-2.0 * log(q) / q) * p->noise;
        double hu = floor(img->data[v] + r * u1 + 0.5);
        img->data[v] = (float)fmax(-1024, fmin(3071, hu));
        if (v + 1 < nvox) {
            hu = floor(img->data[v + 1] + r * u2 + 0.5);
            img->data[v + 1] = (float)fmax(-1024, fmin(3071, hu));
        }
    }
    if (rad_mask_count(mask) == 0) {
        rad_image_free(img);
        rad_mask_free(mask);
        return rad_error_set("synthetic image: the tumour has no voxel on this grid; use a larger radius or finer spacing");
    }
    mask->label = 1;
    *img_out = img;
    *mask_out = mask;
    return 0;
}
