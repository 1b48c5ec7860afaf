/* radlab: separable wavelet filters, IBSI 2 (see wavelet.h).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "image/filters/wavelet.h"
#include "image/filters/wavelet_coef.h"
#include "util/error.h"

/* The filters live in wavelet_coef.c. */
typedef RadWaveletCoef WaveletFamily;
#define KNOWN_FAMILIES RAD_WAVELET_FAMILIES

static const WaveletFamily *family_find(const char *name)
{
    return rad_wavelet_coef(name);
}

int rad_wavelet_filter(const char *family, double *k)
{
    const WaveletFamily *f = family_find(family);
    if (!f)
        return rad_error_set("wavelet: unknown family \"%s\" (known: " KNOWN_FAMILIES ")", family ? family : "(null)");
    for (int i = 0; k && i < f->m; i++)
        k[i] = f->h[f->m - 1 - i];
    return f->m;
}

/* decomposition filter of letter 'L' or 'H' */
static void dec_filter(const WaveletFamily *f, char letter, double *k)
{
    for (int i = 0; i < f->m; i++)
        k[i] = letter == 'L' ? f->h[f->m - 1 - i] : ((i % 2) ? f->h[i] : -f->h[i]);
}

/* ---- rotations ------------------------------------------------------------ */

/* A right-angle rotation: rotated voxel p takes the input voxel q with
 * q[perm[a]] = p[a], or n - 1 - p[a] when flip[a]. */
typedef struct Rotation {
    int perm[3], flip[3];
} Rotation;

/* The rotations of `nax` axes (3: 24, 2: 4): signed permutations with
 * determinant +1.  Returns their number. */
static int rotations(int nax, Rotation *r)
{
    static const int p3[6][4] = {{0, 1, 2, 1}, {0, 2, 1, -1}, {1, 0, 2, -1}, {1, 2, 0, 1}, {2, 0, 1, 1}, {2, 1, 0, -1}};
    static const int p2[2][4] = {{0, 1, 2, 1}, {1, 0, 2, -1}};
    int np = nax == 3 ? 6 : 2, n = 0;
    for (int i = 0; i < np; i++) {
        const int *p = nax == 3 ? p3[i] : p2[i];
        for (int s = 0; s < (1 << nax); s++) {
            int det = p[3];
            for (int a = 0; a < nax; a++)
                if (s >> a & 1)
                    det = -det;
            if (det != 1)
                continue;
            for (int a = 0; a < 3; a++) {
                r[n].perm[a] = p[a];
                r[n].flip[a] = a < nax ? (s >> a & 1) : 0;
            }
            n++;
        }
    }
    return n;
}

/* The inverse rotation. */
static Rotation rotation_inverse(const Rotation *r)
{
    Rotation v;
    for (int a = 0; a < 3; a++) {
        v.perm[r->perm[a]] = a;
        v.flip[r->perm[a]] = r->flip[a];
    }
    return v;
}

/* in (dims d) rotated by r into a new buffer; its dims in dout. */
static float *rotate(const float *in, const size_t d[3], const Rotation *r, size_t dout[3])
{
    size_t st[3] = {1, d[0], d[0] * d[1]}, n = d[0] * d[1] * d[2];
    float *out = rad_malloc((n ? n : 1) * sizeof *out, "a rotated image");
    if (!out)
        return NULL;
    for (int a = 0; a < 3; a++)
        dout[a] = d[r->perm[a]];
    size_t v = 0;
    for (size_t z = 0; z < dout[2]; z++)
        for (size_t y = 0; y < dout[1]; y++)
            for (size_t x = 0; x < dout[0]; x++, v++) {
                size_t p[3] = {x, y, z}, q = 0;
                for (int a = 0; a < 3; a++)
                    q += (r->flip[a] ? dout[a] - 1 - p[a] : p[a]) * st[r->perm[a]];
                out[v] = in[q];
            }
    return out;
}

/* ---- undecimated ---------------------------------------------------------- */

/* The composite 1-D kernel of one axis: level - 1 low-pass filters and the
 * letter's filter, each dilated by 2^(j-1), as a kernel for rad_filter_axis
 * (correlation, centre *c); flip: the image is flipped along the axis. */
static double *composite_kernel(const WaveletFamily *f, char letter, int level, int flip, size_t *len, size_t *c)
{
    size_t m = (size_t)f->m, M = 1, S = 0, D = 1;
    for (int j = 1; j <= level; j++, D *= 2)
        M += D * (m - 1);
    double *K = calloc(M, sizeof *K), *T = calloc(M, sizeof *T), k[RAD_WAVELET_MAXLEN];
    if (!K || !T) {
        free(K);
        free(T);
        rad_error_set("wavelet: out of memory for a kernel of %zu taps", M);
        return NULL;
    }
    K[0] = 1;
    size_t cur = 1;
    D = 1;
    for (int j = 1; j <= level; j++, D *= 2) {
        dec_filter(f, j < level ? 'L' : letter, k);
        memset(T, 0, M * sizeof *T);
        for (size_t u = 0; u < cur; u++)
            for (size_t t = 0; t < m; t++)
                T[u + D * t] += K[u] * k[t];
        cur += D * (m - 1);
        memcpy(K, T, M * sizeof *K);
        S += D * m / 2;
    }
    /* K now gives out[i] = sum_u K[u] in[i + S - u] */
    if (flip) {
        *c = S; /* out[i] = sum_u K[u] in[i - S + u] */
    } else {
        for (size_t u = 0; u < M; u++)
            T[u] = K[M - 1 - u];
        memcpy(K, T, M * sizeof *K);
        *c = M - 1 - S;
    }
    free(T);
    *len = M;
    return K;
}

/* Rotation invariance without 24 filterings.  Rotation (perm, flip) filters
 * axis perm[a] with the letter band[a], flipped where flip[a]; the mean over
 * the rotations (determinant +1) is, summing over all sign patterns s with
 * the weight (1 + sgn(perm) prod s) / 2,
 *     1/(2 nrot) sum_perm [ (x)_a P_a  +  sgn(perm) (x)_a M_a ]
 * with per axis P = f + f_flipped and M = f - f_flipped (one 1-D kernel
 * each: both are correlations on the same boundary extension).  In 3D the M
 * terms cancel whenever two letters agree (always), leaving at most 3
 * distinct separable terms instead of 24. */
enum { KIND_PLAIN = 0, KIND_P, KIND_M };

typedef struct AxisOp {
    int letter, kind; /* letter: 0 L, 1 H */
} AxisOp;

typedef struct Term {
    AxisOp op[3];
    double coef;
} Term;

typedef struct Undec {
    int nax, threads;
    RadBoundary b;
    size_t dim[3];
    size_t nvox;
    double *kern[2][3]; /* [letter][kind] */
    size_t klen[2][3], kc[2][3];
    Term terms[16];
    int nterms;
    double *acc;
} Undec;

/* P (sign +1) or M (sign -1) of the unflipped and flipped kernels: offsets
 * -A..A around the output voxel. */
static double *pm_kernel(const double *ku, size_t cu, const double *kf, size_t cf, size_t m, double sign, size_t *len,
                         size_t *c)
{
    size_t A = cu > m - 1 - cu ? cu : m - 1 - cu;
    if (cf > A)
        A = cf;
    if (m - 1 - cf > A)
        A = m - 1 - cf;
    double *k = calloc(2 * A + 1, sizeof *k);
    if (!k)
        return NULL;
    for (size_t t = 0; t < m; t++) {
        k[A + t - cu] += ku[t];
        k[A + t - cf] += sign * kf[t];
    }
    *len = 2 * A + 1;
    *c = A;
    return k;
}

/* filter `in` along axis a with each distinct op among terms[sel] and recurse */
static int undec_recurse(Undec *u, const float *in, int a, const int *sel, int nsel)
{
    int done[2][3] = {{0, 0, 0}, {0, 0, 0}};
    float *buf = rad_malloc((u->nvox ? u->nvox : 1) * sizeof *buf, "a wavelet pass");
    int *sub = malloc((size_t)nsel * sizeof *sub);
    int rc = 0;
    if (!buf || !sub) {
        free(buf);
        free(sub);
        return rad_error_set("wavelet: out of memory (%zu voxels)", u->nvox);
    }
    for (int i = 0; i < nsel && rc == 0; i++) {
        AxisOp op = u->terms[sel[i]].op[a];
        if (done[op.letter][op.kind])
            continue;
        done[op.letter][op.kind] = 1;
        int ns = 0;
        double coef = 0;
        for (int j = i; j < nsel; j++)
            if (u->terms[sel[j]].op[a].letter == op.letter && u->terms[sel[j]].op[a].kind == op.kind) {
                sub[ns++] = sel[j];
                coef = u->terms[sel[j]].coef;
            }
        memcpy(buf, in, u->nvox * sizeof *buf);
        rc = rad_filter_axis(buf, u->dim, a, u->kern[op.letter][op.kind], u->klen[op.letter][op.kind],
                             u->kc[op.letter][op.kind], u->b, u->threads);
        if (rc)
            break;
        if (a + 1 < u->nax) {
            rc = undec_recurse(u, buf, a + 1, sub, ns);
        } else {
            /* the last axis: one term per distinct op */
            for (size_t v = 0; v < u->nvox; v++)
                u->acc[v] += coef * buf[v];
        }
    }
    free(buf);
    free(sub);
    return rc;
}

/* The separable terms of the (pooled) response. */
static int undec_terms(Undec *u, const RadWaveletOptions *o, int nax)
{
    Rotation rot[24];
    int nrot = rotations(nax, rot);
    u->nterms = 0;
    if (!o->rotation_invariant) {
        Term t;
        memset(&t, 0, sizeof t);
        for (int a = 0; a < nax; a++)
            t.op[a].letter = o->band[a] == 'H';
        t.coef = 1;
        u->terms[u->nterms++] = t;
        return 0;
    }
    /* the permutations (the rotations come in groups of 2^(nax-1) sign
     * patterns per permutation); sgn(perm) = det / prod(sign) */
    for (int r = 0; r < nrot; r += 1 << (nax - 1)) {
        int sgn = 1;
        for (int a = 0; a < nax; a++)
            if (rot[r].flip[a])
                sgn = -sgn;
        for (int pm = 0; pm < 2; pm++) {
            Term t;
            memset(&t, 0, sizeof t);
            for (int a = 0; a < nax; a++) {
                t.op[rot[r].perm[a]].letter = o->band[a] == 'H';
                t.op[rot[r].perm[a]].kind = pm ? KIND_M : KIND_P;
            }
            t.coef = (pm ? sgn : 1) / (2.0 * nrot);
            int k;
            for (k = 0; k < u->nterms; k++)
                if (memcmp(u->terms[k].op, t.op, sizeof t.op) == 0)
                    break;
            if (k == u->nterms)
                u->terms[u->nterms++] = t;
            else
                u->terms[k].coef += t.coef;
        }
    }
    /* drop the terms that cancel */
    int n = 0;
    for (int k = 0; k < u->nterms; k++)
        if (u->terms[k].coef != 0)
            u->terms[n++] = u->terms[k];
    u->nterms = n;
    return 0;
}

static RadImage *undecimated(const RadImage *img, const RadWaveletOptions *o, const WaveletFamily *f, int nax)
{
    Undec u;
    RadImage *out = NULL;
    int sel[16];
    double *flipped[2] = {NULL, NULL};
    size_t flen[2], fc[2];
    memset(&u, 0, sizeof u);
    u.nax = nax;
    u.threads = o->threads;
    u.b = o->boundary;
    memcpy(u.dim, img->geom.dim, sizeof u.dim);
    u.nvox = rad_image_nvox(img);
    undec_terms(&u, o, nax);
    for (int l = 0; l < 2; l++) {
        u.kern[l][KIND_PLAIN] = composite_kernel(f, l ? 'H' : 'L', o->level, 0, &u.klen[l][0], &u.kc[l][0]);
        flipped[l] = composite_kernel(f, l ? 'H' : 'L', o->level, 1, &flen[l], &fc[l]);
        if (!u.kern[l][KIND_PLAIN] || !flipped[l])
            goto done;
        for (int k = KIND_P; k <= KIND_M; k++) {
            u.kern[l][k] = pm_kernel(u.kern[l][0], u.kc[l][0], flipped[l], fc[l], u.klen[l][0], k == KIND_P ? 1 : -1,
                                     &u.klen[l][k], &u.kc[l][k]);
            if (!u.kern[l][k]) {
                rad_error_set("wavelet: out of memory");
                goto done;
            }
        }
    }
    u.acc = rad_malloc((u.nvox ? u.nvox : 1) * sizeof *u.acc, "a wavelet response");
    if (!u.acc) {
        rad_error_set("wavelet: out of memory (%zu voxels)", u.nvox);
        goto done;
    }
    for (size_t v = 0; v < u.nvox; v++)
        u.acc[v] = 0;
    for (int k = 0; k < u.nterms; k++)
        sel[k] = k;
    if (u.nterms > 0 && undec_recurse(&u, img->data, 0, sel, u.nterms) != 0)
        goto done;
    out = rad_image_alloc(&img->geom);
    if (out)
        for (size_t v = 0; v < u.nvox; v++)
            out->data[v] = (float)u.acc[v];
done:
    for (int l = 0; l < 2; l++) {
        free(flipped[l]);
        for (int k = 0; k < 3; k++)
            free(u.kern[l][k]);
    }
    free(u.acc);
    return out;
}

/* ---- decimated ------------------------------------------------------------ */

/* One decimated transform of data (dims d, in place: the result is written
 * to a new buffer returned, dims updated). */
static float *decimate(float *data, size_t d[3], const WaveletFamily *f, const char *band, int level, int nax,
                       RadBoundary b, int threads)
{
    double k[RAD_WAVELET_MAXLEN], r[RAD_WAVELET_MAXLEN];
    size_t m = (size_t)f->m;
    for (int j = 1; j <= level; j++) {
        for (int a = 0; a < nax; a++) {
            dec_filter(f, j < level ? 'L' : band[a], k);
            for (size_t t = 0; t < m; t++)
                r[t] = k[m - 1 - t];
            /* out[i] = sum_j k[j] in[i + m/2 - j] */
            if (rad_filter_axis(data, d, a, r, m, m - 1 - m / 2, b, threads) != 0) {
                free(data);
                return NULL;
            }
            size_t e[3] = {d[0], d[1], d[2]};
            e[a] = (d[a] + 1) / 2;
            float *s = rad_malloc(e[0] * e[1] * e[2] * sizeof *s, "a decimated band");
            if (!s) {
                free(data);
                rad_error_set("wavelet: out of memory");
                return NULL;
            }
            for (size_t z = 0; z < e[2]; z++)
                for (size_t y = 0; y < e[1]; y++)
                    for (size_t x = 0; x < e[0]; x++) {
                        size_t p[3] = {x, y, z};
                        p[a] *= 2;
                        s[x + e[0] * (y + e[1] * z)] = data[p[0] + d[0] * (p[1] + d[1] * p[2])];
                    }
            free(data);
            data = s;
            memcpy(d, e, sizeof e);
        }
    }
    return data;
}

static RadImage *decimated(const RadImage *img, const RadWaveletOptions *o, const WaveletFamily *f, int nax)
{
    Rotation rot[24];
    int nrot = rotations(nax, rot);
    size_t n = rad_image_nvox(img), ndec = 1, ddec[3];
    RadGeometry g = img->geom;
    double idx[3] = {0, 0, 0}, step = (double)(1u << o->level);
    if (!o->rotation_invariant)
        nrot = 1;
    for (int a = 0; a < 3; a++) {
        ddec[a] = img->geom.dim[a];
        if (a < nax) {
            for (int j = 0; j < o->level; j++)
                ddec[a] = (ddec[a] + 1) / 2;
            g.spacing[a] *= step;
            idx[a] = (step - 1) / 2;
        }
        g.dim[a] = ddec[a];
        ndec *= ddec[a];
    }
    rad_geometry_index_to_point(&img->geom, idx, g.origin);
    double *acc = rad_malloc(ndec * sizeof *acc, "a wavelet response");
    if (!acc) {
        rad_error_set("wavelet: out of memory");
        return NULL;
    }
    for (size_t v = 0; v < ndec; v++)
        acc[v] = 0;
    for (int r = 0; r < nrot; r++) {
        size_t dr[3], dback[3];
        float *w;
        if (r == 0) {
            w = rad_malloc(n * sizeof *w, "a wavelet pass");
            if (w)
                memcpy(w, img->data, n * sizeof *w);
            memcpy(dr, img->geom.dim, sizeof dr);
        } else {
            w = rotate(img->data, img->geom.dim, &rot[r], dr);
        }
        if (!w) {
            free(acc);
            rad_error_set("wavelet: out of memory");
            return NULL;
        }
        /* the rotated image is filtered with the same sub-band */
        w = decimate(w, dr, f, o->band, o->level, nax, o->boundary, o->threads);
        if (!w) {
            free(acc);
            return NULL;
        }
        Rotation inv = rotation_inverse(&rot[r]);
        float *back = r == 0 ? w : rotate(w, dr, &inv, dback);
        if (!back) {
            free(w);
            free(acc);
            rad_error_set("wavelet: out of memory");
            return NULL;
        }
        for (size_t v = 0; v < ndec; v++)
            acc[v] += back[v];
        if (back != w)
            free(back);
        free(w);
    }
    RadImage *out = rad_image_alloc(&g);
    if (out)
        for (size_t v = 0; v < ndec; v++)
            out->data[v] = (float)(acc[v] / nrot);
    free(acc);
    return out;
}

/* ---- entry ---------------------------------------------------------------- */

RadImage *rad_filter_wavelet(const RadImage *img, const RadWaveletOptions *o)
{
    const WaveletFamily *f;
    int nax;
    if (!img || !o) {
        rad_error_set("wavelet: no image or options");
        return NULL;
    }
    f = family_find(o->family);
    if (!f) {
        rad_error_set("wavelet: unknown family \"%.16s\" (known: " KNOWN_FAMILIES ")", o->family);
        return NULL;
    }
    if (o->dims != 2 && o->dims != 3) {
        rad_error_set("wavelet: dims must be 2 (slice by slice) or 3, not %d", o->dims);
        return NULL;
    }
    nax = o->dims;
    size_t bl = strnlen(o->band, sizeof o->band);
    int okband = bl == (size_t)nax;
    for (size_t i = 0; okband && i < bl; i++)
        okband = o->band[i] == 'L' || o->band[i] == 'H';
    if (!okband) {
        rad_error_set("wavelet: sub-band \"%.4s\" is not %d letters L or H (one per axis x, y%s, e.g. \"%s\")", o->band,
                      nax, nax == 3 ? ", z" : "", nax == 3 ? "LHL" : "LH");
        return NULL;
    }
    if (o->level < 1 || o->level > 10) {
        rad_error_set("wavelet: level %d is outside 1..10 (level 1 is the first decomposition)", o->level);
        return NULL;
    }
    if ((int)o->boundary < RAD_BOUNDARY_CONSTANT || (int)o->boundary > RAD_BOUNDARY_MIRROR) {
        rad_error_set("wavelet: unknown boundary condition %d (constant, nearest, periodic or mirror)", (int)o->boundary);
        return NULL;
    }
    if (nax == 3 && img->geom.dim[2] < 2) {
        rad_error_set("wavelet: a 3D sub-band of a single slice: use dims 2 and a 2-letter sub-band");
        return NULL;
    }
    /* each level halves the grid (the decimated transform) or doubles the
     * dilation (the undecimated one): 2^level voxels per filtered axis */
    for (int a = 0; a < nax; a++)
        if (img->geom.dim[a] < ((size_t)1 << o->level)) {
            int top = 0;
            while (((size_t)2 << top) <= img->geom.dim[a])
                top++;
            if (top == 0)
                rad_error_set("wavelet: the image has 1 voxel along axis %c, too few for any level: filter %s",
                              "xyz"[a], a == 2 ? "with dims 2" : "an image of at least 2 voxels along each axis");
            else
                rad_error_set("wavelet: the image has %zu voxels along axis %c, too few for level %d (needs %zu): "
                              "lower the level to %d or less",
                              img->geom.dim[a], "xyz"[a], o->level, (size_t)1 << o->level, top);
            return NULL;
        }
    return o->decimated ? decimated(img, o, f, nax) : undecimated(img, o, f, nax);
}
