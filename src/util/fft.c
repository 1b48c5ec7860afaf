/* radlab: one lock for FFTW's planner (see fft.h).  SPDX-License-Identifier: GPL-3.0-or-later */
#include <fftw3.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/pool.h"

#include "util/fft.h"

static pthread_mutex_t fft_planner_lock = PTHREAD_MUTEX_INITIALIZER;

void rad_fft_plan_lock(void) { pthread_mutex_lock(&fft_planner_lock); }

void rad_fft_plan_unlock(void) { pthread_mutex_unlock(&fft_planner_lock); }

/* ---- a Fourier-domain filter of a volume, staged on the thread pool ---------- */

#define COL_BLOCK 16 /* columns along z transformed together */

typedef struct Fft3 {
    const float *in;
    float *out;
    size_t d[3], hx, ncol;   /* ncol = hx * d[1]: columns along z */
    fftwf_complex *C;        /* the half spectrum, slice after slice */
    fftwf_plan fwd, inv;     /* slice transforms */
    fftwf_plan zf, zi;       /* COL_BLOCK transforms along z */
    RadFftMultiplier mul;
    void *ctx;
    const char *what;
} Fft3;

/* stage 1: slice z into the half spectrum */
static int fft3_slice_fwd(size_t z, void *arg)
{
    const Fft3 *j = arg;
    size_t n = j->d[0] * j->d[1], nh = j->hx * j->d[1];
    float *r = fftwf_malloc(n * sizeof *r);
    fftwf_complex *c = fftwf_malloc(nh * sizeof *c);
    if (r && c) {
        memcpy(r, j->in + z * n, n * sizeof *r);
        fftwf_execute_dft_r2c(j->fwd, r, c);
        memcpy(j->C + z * nh, c, nh * sizeof *c);
    }
    fftwf_free(r);
    fftwf_free(c);
    return r && c ? 0 : rad_error_set("%s: out of memory", j->what);
}

/* stage 2: columns b COL_BLOCK .. along z: transform, multiply, inverse */
static int fft3_columns(size_t b, void *arg)
{
    const Fft3 *j = arg;
    size_t nz = j->d[2], q0 = b * COL_BLOCK, nq = j->ncol - q0 < COL_BLOCK ? j->ncol - q0 : COL_BLOCK;
    float scale = (float)(1.0 / ((double)j->d[0] * (double)j->d[1] * (double)nz));
    fftwf_complex *t = fftwf_malloc(COL_BLOCK * nz * sizeof *t);
    if (!t)
        return rad_error_set("%s: out of memory", j->what);
    memset(t, 0, COL_BLOCK * nz * sizeof *t);
    for (size_t z = 0; z < nz; z++)
        for (size_t l = 0; l < nq; l++)
            memcpy(t[l * nz + z], j->C[z * j->ncol + q0 + l], sizeof *t);
    fftwf_execute_dft(j->zf, t, t);
    for (size_t l = 0; l < nq; l++) {
        size_t q = q0 + l, x = q % j->hx, y = q / j->hx;
        for (size_t z = 0; z < nz; z++) {
            float *c = t[l * nz + z];
            c[0] *= scale, c[1] *= scale;
            j->mul(j->ctx, x, y, z, c);
        }
    }
    fftwf_execute_dft(j->zi, t, t);
    for (size_t z = 0; z < nz; z++)
        for (size_t l = 0; l < nq; l++)
            memcpy(j->C[z * j->ncol + q0 + l], t[l * nz + z], sizeof *t);
    fftwf_free(t);
    return 0;
}

/* stage 3: the inverse of slice z */
static int fft3_slice_inv(size_t z, void *arg)
{
    const Fft3 *j = arg;
    size_t n = j->d[0] * j->d[1], nh = j->hx * j->d[1];
    float *r = fftwf_malloc(n * sizeof *r);
    fftwf_complex *c = fftwf_malloc(nh * sizeof *c);
    if (r && c) {
        memcpy(c, j->C + z * nh, nh * sizeof *c);
        fftwf_execute_dft_c2r(j->inv, c, r);
        memcpy(j->out + z * n, r, n * sizeof *r);
    }
    fftwf_free(r);
    fftwf_free(c);
    return r && c ? 0 : rad_error_set("%s: out of memory", j->what);
}

static int fft3_run(size_t n, int threads, RadPoolJob job, Fft3 *j)
{
    if (rad_pool_run(n, threads, job, j, 1, NULL) == 0)
        return 0;
    return rad_interrupted() ? rad_error_set("interrupted") : -1;
}

int rad_fft_filter3(const float *in, float *out, const size_t d[3], RadFftMultiplier mul, void *ctx, int threads,
                    const char *what)
{
    Fft3 j;
    float *r = NULL;
    fftwf_complex *c = NULL, *t = NULL;
    int rc = -1, nz = (int)d[2];
    memset(&j, 0, sizeof j);
    if (d[0] < 1 || d[1] < 1 || d[2] < 2 || d[0] > INT32_MAX || d[1] > INT32_MAX || d[2] > INT32_MAX)
        return rad_error_set("%s: cannot transform a volume of %zu x %zu x %zu voxels", what, d[0], d[1], d[2]);
    memcpy(j.d, d, sizeof j.d);
    j.in = in, j.out = out, j.mul = mul, j.ctx = ctx, j.what = what;
    j.hx = d[0] / 2 + 1;
    j.ncol = j.hx * d[1];
    j.C = rad_malloc_aligned(j.ncol * d[2] * sizeof *j.C, 64, "a half spectrum"); /* never an FFTW array */
    r = fftwf_malloc(d[0] * d[1] * sizeof *r);
    c = fftwf_malloc(j.ncol * sizeof *c);
    t = fftwf_malloc(COL_BLOCK * d[2] * sizeof *t);
    if (!j.C || !r || !c || !t) {
        rad_error_set("%s: out of memory (%zu voxels)", what, d[0] * d[1] * d[2]);
        goto done;
    }
    rad_fft_plan_lock();
    j.fwd = fftwf_plan_dft_r2c_2d((int)d[1], (int)d[0], r, c, FFTW_ESTIMATE);
    j.inv = fftwf_plan_dft_c2r_2d((int)d[1], (int)d[0], c, r, FFTW_ESTIMATE);
    j.zf = fftwf_plan_many_dft(1, &nz, COL_BLOCK, t, NULL, 1, nz, t, NULL, 1, nz, FFTW_FORWARD, FFTW_ESTIMATE);
    j.zi = fftwf_plan_many_dft(1, &nz, COL_BLOCK, t, NULL, 1, nz, t, NULL, 1, nz, FFTW_BACKWARD, FFTW_ESTIMATE);
    rad_fft_plan_unlock();
    if (!j.fwd || !j.inv || !j.zf || !j.zi) {
        rad_error_set("%s: FFTW could not plan a transform of %zu x %zu x %zu", what, d[0], d[1], d[2]);
        goto done;
    }
    if (fft3_run(d[2], threads, fft3_slice_fwd, &j) != 0 ||
        fft3_run((j.ncol + COL_BLOCK - 1) / COL_BLOCK, threads, fft3_columns, &j) != 0 ||
        fft3_run(d[2], threads, fft3_slice_inv, &j) != 0)
        goto done;
    rc = 0;
done:
    rad_fft_plan_lock();
    if (j.fwd)
        fftwf_destroy_plan(j.fwd);
    if (j.inv)
        fftwf_destroy_plan(j.inv);
    if (j.zf)
        fftwf_destroy_plan(j.zf);
    if (j.zi)
        fftwf_destroy_plan(j.zi);
    rad_fft_plan_unlock();
    fftwf_free(r);
    fftwf_free(c);
    fftwf_free(t);
    free(j.C);
    return rc;
}
