/* radlab: a small thread pool for independent jobs.  SPDX-License-Identifier: GPL-3.0-or-later */
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

int rad_pool_cpus(void)
{
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    return c < 1 ? 1 : c > 1024 ? 1024 : (int)c;
}

static void *worker(void *arg)
{
    Pool *p = arg;
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
    return NULL;
}

int rad_pool_run(size_t n, int threads, RadPoolJob job, void *ctx, int stop_on_error, size_t *done)
{
    Pool p;
    pthread_t tid[1024];
    size_t k, started = 0, want;
    sigset_t intr, old;

    if (threads <= 0)
        threads = rad_pool_cpus();
    if (threads > 1024)
        threads = 1024;
    want = (size_t)threads < n ? (size_t)threads : n;
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
        if (pthread_create(&tid[k - 1], NULL, worker, &p) != 0)
            break;
        started++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (n > 0)
        worker(&p);
    for (k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    if (done)
        *done = atomic_load(&p.done);
    return atomic_load(&p.done) < n ? 1 : 0;
}
