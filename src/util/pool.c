/* radlab: a small thread pool for independent jobs.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>

#include "util/error.h"
#include "util/pool.h"

typedef struct Pool {
    size_t n;
    RadPoolJob job;
    void *ctx;
    int stop_on_error;
    atomic_size_t next;  /* the next job index to take */
    atomic_size_t done;  /* jobs that ran */
    atomic_int stopped;  /* a failed job asked the others to stop */
} Pool;

/* Nesting (see pool.h): threads this process may still start for nested
 * runs, shared by all runs; INT_MIN until first used.  Top-level runs
 * subtract what they start (it may go below 0: an explicit request for more
 * threads than processors is honoured), nested runs start only what is
 * left, and every run gives back what it took. */
static atomic_int spare = INT_MIN;
/* > 0 while this thread runs jobs of a pool */
static _Thread_local int depth;

int rad_pool_cpus(void)
{
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    return c < 1 ? 1 : c > 1024 ? 1024 : (int)c;
}

/* Take up to `want` threads from the spare count; returns how many. */
static int spare_take(int want, int nested)
{
    int s = atomic_load(&spare), k;
    if (s == INT_MIN) {
        int expect = INT_MIN;
        atomic_compare_exchange_strong(&spare, &expect, rad_pool_cpus() - 1);
        s = atomic_load(&spare);
    }
    if (!nested) {
        atomic_fetch_sub(&spare, want);
        return want;
    }
    do {
        k = s < want ? s : want;
        if (k <= 0)
            return 0;
    } while (!atomic_compare_exchange_weak(&spare, &s, s - k));
    return k;
}

int rad_pool_nested(void)
{
    return depth > 0;
}

static void *worker(void *arg)
{
    Pool *p = arg;
    depth++;
    for (;;) {
        size_t i;
        /* polled before each case: Ctrl-C stops the run after the cases
         * already started (which poll the flag themselves) */
        if (rad_interrupted() || atomic_load(&p->stopped))
            break;
        i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            break;
        if (p->job(i, p->ctx) != 0 && p->stop_on_error)
            atomic_store(&p->stopped, 1);
        atomic_fetch_add(&p->done, 1);
    }
    depth--;
    return NULL;
}

/* A started thread gives its slot back as soon as it runs out of jobs, so
 * that the jobs still running may use it for their nested runs. */
static void *spawned(void *arg)
{
    worker(arg);
    atomic_fetch_add(&spare, 1);
    return NULL;
}

int rad_pool_run(size_t n, int threads, RadPoolJob job, void *ctx, int stop_on_error, size_t *done)
{
    Pool p;
    pthread_t tid[1024];
    size_t k, started = 0, want;
    int took;
    sigset_t intr, old;

    if (threads <= 0)
        threads = rad_pool_cpus();
    if (threads > 1024)
        threads = 1024;
    want = (size_t)threads < n ? (size_t)threads : n;
    /* extra threads: all asked for at the top level, what is spare when
     * nested (a case of a cohort already on every processor runs its
     * families on its own thread) */
    took = want > 1 ? spare_take((int)want - 1, depth > 0) : 0;
    want = (size_t)took + 1;
    p.n = n;
    p.job = job;
    p.ctx = ctx;
    p.stop_on_error = stop_on_error;
    atomic_init(&p.next, 0);
    atomic_init(&p.done, 0);
    atomic_init(&p.stopped, 0);
    /* the calling thread is worker 0; the others start with SIGINT
     * blocked, so it reaches the calling thread, whose handler may touch
     * its Lua state (the REPL's interrupt hook) */
    sigemptyset(&intr);
    sigaddset(&intr, SIGINT);
    pthread_sigmask(SIG_BLOCK, &intr, &old);
    for (k = 1; k < want; k++) {
        /* a thread that cannot start leaves its share to the others */
        if (pthread_create(&tid[k - 1], NULL, spawned, &p) != 0)
            break;
        started++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (n > 0)
        worker(&p);
    for (k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    if ((size_t)took > started) /* threads that could not start */
        atomic_fetch_add(&spare, took - (int)started);
    if (done)
        *done = atomic_load(&p.done);
    return atomic_load(&p.done) < n ? 1 : 0;
}
