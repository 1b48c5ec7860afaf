/* radlab: unit tests of the thread pool and the cohort extraction.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "rad.h"
#include "cohort/cache.h"
#include "util/hash.h"
#include "tap.h"

static char dir[] = "/tmp/radlab-cohort.XXXXXX";

static const char *tpath(const char *name)
{
    static char buf[8][512];
    static int slot;
    slot = (slot + 1) % 8;
    snprintf(buf[slot], sizeof buf[slot], "%s/%s", dir, name);
    return buf[slot];
}

/* ---- the pool ---- */

static int square_job(size_t i, void *ctx)
{
    ((size_t *)ctx)[i] = i * i;
    return 0;
}

static int fail_odd(size_t i, void *ctx)
{
    ((int *)ctx)[i] = 1;
    return (int)(i & 1);
}

static void test_pool(void)
{
    size_t out[1000], done = 0, bad = 0;
    int ran[100], r;
    memset(out, 0xff, sizeof out);
    r = rad_pool_run(1000, 4, square_job, out, 0, &done);
    for (size_t i = 0; i < 1000; i++)
        bad += out[i] != i * i;
    tap_ok(r == 0 && done == 1000 && bad == 0, "1000 jobs on 4 threads: each slot written once (%zu wrong)", bad);
    tap_ok(rad_pool_run(0, 4, square_job, out, 0, &done) == 0 && done == 0, "no jobs: nothing runs");

    memset(ran, 0, sizeof ran);
    r = rad_pool_run(100, 1, fail_odd, ran, 1, &done);
    tap_ok(r == 1 && done == 2 && ran[0] && ran[1] && !ran[2], "one thread, stop on error: jobs 0 and 1 ran, then stop");

    rad_interrupt_set();
    r = rad_pool_run(1000, 2, square_job, out, 0, &done);
    rad_interrupt_clear();
    tap_ok(r == 1 && done == 0, "interrupt flag set: no job taken (done %zu)", done);
    tap_ok(rad_pool_cpus() >= 1, "rad_pool_cpus() >= 1");
}

/* Nested runs: `outer` jobs on every processor each run `inner` jobs and
 * record which threads ran them; the barriers keep every outer job running
 * until all inner runs have started, so no processor is spare. */
typedef struct Nest {
    pthread_barrier_t b;
    pthread_t outer_tid[64];
    pthread_t inner_tid[64][8];
    int nested[64];
    size_t k;
} Nest;

static int inner_job(size_t i, void *ctx)
{
    Nest *n = ctx;
    n->inner_tid[n->k][i] = pthread_self();
    return 0;
}

static int outer_job(size_t k, void *ctx)
{
    Nest *n = ctx;
    Nest *mine = calloc(1, sizeof *mine);
    n->outer_tid[k] = pthread_self();
    n->nested[k] = rad_pool_nested();
    pthread_barrier_wait(&n->b);
    /* each inner run writes to its own record (row 0), copied to row k */
    if (!mine)
        return 1;
    rad_pool_run(8, 8, inner_job, mine, 0, NULL);
    memcpy(n->inner_tid[k], mine->inner_tid[0], sizeof mine->inner_tid[0]);
    free(mine);
    pthread_barrier_wait(&n->b);
    return 0;
}

/* every processor busy in a barrier of `count` jobs: only completes when
 * that many threads run at once */
static int wait_job(size_t i, void *ctx)
{
    (void)i;
    pthread_barrier_wait(ctx);
    return 0;
}

static int spare_call(size_t i, void *ctx)
{
    (void)i;
    return rad_pool_run((size_t)rad_pool_cpus(), 0, wait_job, ctx, 0, NULL);
}

static void test_pool_nested(void)
{
    int cpus = rad_pool_cpus() > 64 ? 64 : rad_pool_cpus();
    Nest *n = calloc(1, sizeof *n);
    size_t same = 0, nested = 0;
    pthread_barrier_t all;
    tap_ok(rad_pool_nested() == 0, "outside a pool: not nested");
    pthread_barrier_init(&n->b, NULL, (unsigned)cpus);
    rad_pool_run((size_t)cpus, cpus, outer_job, n, 0, NULL);
    pthread_barrier_destroy(&n->b);
    for (int k = 0; k < cpus; k++) {
        nested += n->nested[k] == 1;
        for (int i = 0; i < 8; i++)
            same += pthread_equal(n->inner_tid[k][i], n->outer_tid[k]) != 0;
    }
    tap_ok(nested == (size_t)cpus, "inside a job: nested (%zu of %d)", nested, cpus);
    tap_ok(same == (size_t)cpus * 8,
           "%d outer jobs on %d processors: every inner job ran on its outer job's thread (%zu of %d)", cpus, cpus,
           same, cpus * 8);
    tap_ok(rad_pool_nested() == 0, "after the run: not nested");
    free(n);
    /* the threads were given back: a nested run inside a lone job gets
     * every processor (a barrier of cpus jobs completes) */
    if (cpus <= rad_pool_cpus()) {
        pthread_barrier_init(&all, NULL, (unsigned)rad_pool_cpus());
        tap_ok(rad_pool_run(1, 1, spare_call, &all, 0, NULL) == 0,
               "a nested run inside the only job runs %d jobs at once", rad_pool_cpus());
        pthread_barrier_destroy(&all);
    }
}

/* ---- the cohort ---- */

/* A 4x4x2 image, value x + 4y + 16z; mask label 1 on slice 0, 2 on slice 1. */
static void write_case(void)
{
    RadGeometry g, g2;
    RadImage *img;
    RadMask *m, *m2;
    rad_geometry_init(&g, 3, 4, 4, 2);
    img = rad_image_new(&g);
    m = rad_mask_new(&g);
    for (size_t v = 0; v < 32; v++) {
        img->data[v] = (float)v;
        m->data[v] = v < 16 ? 1 : 2;
    }
    rad_geometry_init(&g2, 3, 4, 4, 3);
    m2 = rad_mask_new(&g2);
    memset(m2->data, 1, 48);
    tap_ok(rad_image_write(img, tpath("img.nii.gz")) == 0 && rad_mask_write(m, tpath("seg.nii.gz")) == 0 &&
               rad_mask_write(m2, tpath("other.nii.gz")) == 0,
           "test case written");
    rad_image_free(img);
    rad_mask_free(m);
    rad_mask_free(m2);
}

static double value(const RadFeatureSet *fs, const char *tag)
{
    long k = fs ? rad_featureset_find(fs, tag) : -1;
    return k < 0 ? NAN : fs->values[k];
}

static int run(const RadCohortCase *cases, size_t n, const RadSettings *s, int threads, int strict, const char *cache,
               RadCohortResult *r)
{
    RadCohortOptions o = {threads, strict, cache, NULL, NULL};
    return rad_cohort_extract(cases, n, s, &o, r);
}

static void test_cohort(void)
{
    char img[512], seg[512], other[512], missing[512];
    RadCohortCase cases[5];
    RadCohortResult r1, r2;
    RadSettings s;
    RadTable *t;
    int same = 1;

    write_case();
    snprintf(img, sizeof img, "%s", tpath("img.nii.gz"));
    snprintf(seg, sizeof seg, "%s", tpath("seg.nii.gz"));
    snprintf(other, sizeof other, "%s", tpath("other.nii.gz"));
    snprintf(missing, sizeof missing, "%s", tpath("nothere.nii.gz"));
    cases[0] = (RadCohortCase){"all", img, seg, 0};
    cases[1] = (RadCohortCase){"top", img, seg, 2};
    cases[2] = (RadCohortCase){"grid", img, other, 0};
    cases[3] = (RadCohortCase){"gone", missing, seg, 0};
    cases[4] = (RadCohortCase){"empty", img, seg, 3};
    rad_settings_default(&s);
    s.families = RAD_FAM_MORPH | RAD_FAM_STAT;

    tap_ok(run(cases, 5, &s, 1, 0, NULL, &r1) == 0, "5 cases on 1 thread run to the end");
    tap_ok(r1.nok == 2 && r1.nfailed == 3, "2 ok, 3 failed (%zu, %zu)", r1.nok, r1.nfailed);
    /* means worked by hand: 0..31 -> 15.5; 16..31 -> 23.5 */
    tap_ok(value(r1.fs[0], "stat_mean") == 15.5, "label 0: every non-zero voxel, stat_mean 15.5");
    tap_ok(value(r1.fs[1], "stat_mean") == 23.5, "label 2: slice 1, stat_mean 23.5");
    tap_ok(value(r1.fs[1], "stat_min") == 16, "label 2: stat_min 16");
    tap_contains(r1.error[2], "geometr", "mask on another grid: the geometry message");
    tap_contains(r1.error[3], "nothere.nii.gz", "missing image: the message names the file");
    tap_ok(r1.error[4] != NULL && r1.fs[4] == NULL, "absent label: failed");
    tap_ok(r1.error[0] == NULL && r1.error[1] == NULL, "ok cases carry no message");

    tap_ok(run(cases, 5, &s, 3, 0, NULL, &r2) == 0, "the same on 3 threads");
    for (size_t i = 0; i < 5; i++) {
        if (!r1.fs[i] != !r2.fs[i] || !r1.error[i] != !r2.error[i])
            same = 0;
        else if (r1.fs[i])
            same &= r1.fs[i]->n == r2.fs[i]->n &&
                    memcmp(r1.fs[i]->values, r2.fs[i]->values, r1.fs[i]->n * sizeof(double)) == 0;
        else
            same &= strcmp(r1.error[i], r2.error[i]) == 0;
    }
    tap_ok(same, "1 and 3 threads: identical values and messages");

    t = rad_cohort_table(NULL, &r1);
    tap_ok(t && t->nrow == 5 && t->ncol == 2 + r1.fs[0]->n, "table: status, error and one column per feature");
    if (t) {
        const RadColumn *st = rad_table_get(t, "status"), *er = rad_table_get(t, "error"),
                        *mean = rad_table_get(t, "stat_mean");
        tap_ok(st && strcmp(st->str[0], "ok") == 0 && strcmp(st->str[2], "failed") == 0, "status ok / failed");
        tap_ok(er && er->str[0] == NULL && er->str[3] && strcmp(er->str[3], r1.error[3]) == 0,
               "error: missing when ok, the message when failed");
        tap_ok(mean && mean->num[1] == 23.5 && isnan(mean->num[2]), "features: value, or missing when failed");
        tap_ok(strcmp(t->cols[2].name, r1.fs[0]->tags[0]) == 0, "features in the feature set's order");
    }
    rad_table_free(t);
    rad_cohort_result_free(&r1);
    rad_cohort_result_free(&r2);

    tap_ok(run(cases, 5, &s, 2, 1, NULL, &r1) == -1, "strict: fails");
    tap_contains(rad_error_message(), "case 'grid' (row 3): ", "strict: the first failing case named");
    rad_cohort_result_free(&r1);

    rad_interrupt_set();
    tap_ok(run(cases, 2, &s, 2, 0, NULL, &r1) == -1, "interrupted: fails");
    rad_interrupt_clear();
    tap_contains(rad_error_message(), "interrupted", "interrupted: says so");
    rad_cohort_result_free(&r1);

    s.bins = 0;
    tap_ok(run(cases, 5, &s, 2, 0, NULL, &r1) == -1 && r1.n == 0, "bad settings: fail before any case");
    rad_cohort_result_free(&r1);
}

static int same_values(const RadCohortResult *a, const RadCohortResult *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        if (!a->fs[i] != !b->fs[i])
            return 0;
        if (a->fs[i] && (a->fs[i]->n != b->fs[i]->n ||
                         memcmp(a->fs[i]->values, b->fs[i]->values, a->fs[i]->n * sizeof(double)) != 0))
            return 0;
        for (size_t k = 0; a->fs[i] && k < a->fs[i]->n; k++)
            if (strcmp(a->fs[i]->tags[k], b->fs[i]->tags[k]) != 0)
                return 0;
    }
    return 1;
}

/* The path of the one cache entry of dir/v1 whose file name starts with
 * nothing in particular: the first found (there are two). */
static int entry_of(const char *cache, char *out, size_t len, int which)
{
    char cmd[700];
    FILE *p;
    int ok;
    snprintf(cmd, sizeof cmd, "find '%s/v1' -type f | sort | sed -n %dp", cache, which);
    p = popen(cmd, "r");
    if (!p)
        return 0;
    ok = fgets(out, (int)len, p) != NULL;
    pclose(p);
    if (ok)
        out[strcspn(out, "\n")] = '\0';
    return ok && *out;
}

static void progress_count(const RadCohortProgress *p, void *ctx)
{
    size_t *seen = ctx;
    seen[0]++;
    seen[1] = p->done;
    seen[2] = p->total;
    seen[3] = p->failed;
}

static void test_cache(void)
{
    char img[512], seg[512], cache[512], entry[600], text[64];
    RadCohortCase cases[3];
    RadCohortResult r0, r1;
    RadSettings s;
    RadCohortOptions o;
    size_t seen[4] = {0, 0, 0, 0};
    FILE *fp;
    long len;
    int rc;

    snprintf(img, sizeof img, "%s", tpath("img.nii.gz"));
    snprintf(seg, sizeof seg, "%s", tpath("seg.nii.gz"));
    snprintf(cache, sizeof cache, "%s", tpath("cache/deeper"));
    cases[0] = (RadCohortCase){"all", img, seg, 0};
    cases[1] = (RadCohortCase){"top", img, seg, 2};
    cases[2] = (RadCohortCase){"empty", img, seg, 3};
    rad_settings_default(&s);
    s.families = RAD_FAM_MORPH | RAD_FAM_STAT | RAD_FAM_CM;

    rc = run(cases, 3, &s, 2, 0, NULL, &r0);
    tap_ok(rc == 0, "cache: reference run without a cache");
    rc = run(cases, 3, &s, 2, 0, cache, &r1);
    tap_ok(rc == 0 && r1.ncached == 0 && r1.nok == 2 && !r1.cache_warning,
           "cache: first run computes all (%zu cached), creates the folder", r1.ncached);
    tap_ok(same_values(&r0, &r1), "cache: first run values = run without cache");
    rad_cohort_result_free(&r1);
    rc = run(cases, 3, &s, 1, 0, cache, &r1);
    tap_ok(rc == 0 && r1.ncached == 2 && r1.cached[0] && r1.cached[1] &&
               !r1.cached[2] && r1.nfailed == 1,
           "cache: re-run serves both ok cases (%zu), the failed one is recomputed", r1.ncached);
    tap_ok(same_values(&r0, &r1), "cache: served values bit-identical, tags in order");
    tap_ok(r1.fs[0] && strcmp(r1.fs[0]->digest, r0.fs[0]->digest) == 0, "cache: served set carries the settings digest");
    rad_cohort_result_free(&r1);

    /* a truncated entry */
    tap_ok(entry_of(cache, entry, sizeof entry, 1), "cache: an entry file exists under v1/");
    fp = fopen(entry, "r+b");
    len = -1;
    if (fp) {
        fseek(fp, 0, SEEK_END);
        len = ftell(fp);
        fclose(fp);
    }
    tap_ok(len > 100 && truncate(entry, len / 2) == 0, "cache: entry truncated to half");
    rc = run(cases, 3, &s, 2, 0, cache, &r1);
    tap_ok(rc == 0 && r1.ncorrupt == 1 && r1.ncached == 1,
           "cache: truncated entry detected (%zu corrupt), recomputed (%zu cached)", r1.ncorrupt, r1.ncached);
    tap_ok(same_values(&r0, &r1), "cache: recomputed values identical");
    rad_cohort_result_free(&r1);
    rc = run(cases, 3, &s, 2, 0, cache, &r1);
    tap_ok(rc == 0 && r1.ncorrupt == 0 && r1.ncached == 2,
           "cache: the recomputed entry was written back");
    rad_cohort_result_free(&r1);

    /* one digit of a value changed, same length: the checksum catches it */
    fp = fopen(entry, "r+b");
    if (fp) {
        char buf[8192];
        size_t got = fread(buf, 1, sizeof buf - 1, fp);
        char *v;
        buf[got] = 0;
        v = strstr(buf, "\nstat_mean ");
        if (v) {
            v += strlen("\nstat_mean ");
            *v = *v == '1' ? '2' : '1';
            fseek(fp, 0, SEEK_SET);
            fwrite(buf, 1, got, fp);
        }
        fclose(fp);
        tap_ok(v != NULL, "cache: stat_mean of an entry edited");
    } else
        tap_ok(0, "cache: entry opened for editing");
    rc = run(cases, 3, &s, 2, 0, cache, &r1);
    tap_ok(rc == 0 && r1.ncorrupt == 1 && same_values(&r0, &r1),
           "cache: edited entry never served (%zu corrupt), values right", r1.ncorrupt);
    rad_cohort_result_free(&r1);

    /* other settings: other keys */
    s.bins = 16;
    rc = run(cases, 3, &s, 2, 0, cache, &r1);
    tap_ok(rc == 0 && r1.ncached == 0 && r1.ncorrupt == 0,
           "cache: changed settings miss every entry");
    rad_cohort_result_free(&r1);
    s.bins = 32;

    /* a cache folder that cannot be made: the run goes on without it */
    snprintf(text, sizeof text, "%s", "x");
    fp = fopen(tpath("afile"), "w");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
    rc = run(cases, 3, &s, 2, 0, tpath("afile/cache"), &r1);
    tap_ok(rc == 0 && r1.nok == 2 && r1.cache_warning,
           "cache: unusable folder: the run completes, with a warning");
    tap_contains(r1.cache_warning, "afile/cache", "cache: the warning names the folder");
    tap_ok(same_values(&r0, &r1), "cache: values without the cache identical");
    rad_cohort_result_free(&r1);

    /* progress: one call per case, the last says all done */
    memset(&o, 0, sizeof o);
    o.threads = 2;
    o.progress = progress_count;
    o.progress_ctx = seen;
    rc = rad_cohort_extract(cases, 3, &s, &o, &r1);
    tap_ok(rc == 0 && seen[0] == 3 && seen[1] == 3 && seen[2] == 3 &&
               seen[3] == 1,
           "progress: 3 calls, last 3/3 with 1 failed (%zu calls, %zu/%zu, %zu failed)", seen[0], seen[1], seen[2],
           seen[3]);
    rad_cohort_result_free(&r1);

    /* interrupted before any case: rows say so */
    rad_interrupt_set();
    rc = run(cases, 3, &s, 2, 0, cache, &r1);
    tap_ok(rc == -1 && r1.interrupted && r1.nok == 0 && r1.nfailed == 0,
           "interrupt: flagged, nothing recorded as failed");
    rad_interrupt_clear();
    {
        RadTable *t = rad_cohort_table(NULL, &r1);
        const RadColumn *st = t ? rad_table_get(t, "status") : NULL, *er = t ? rad_table_get(t, "error") : NULL;
        tap_ok(st && strcmp(st->str[0], "interrupted") == 0 && er && strstr(er->str[0], "interrupted"),
               "interrupt: status 'interrupted', error says why");
        rad_table_free(t);
    }
    rad_cohort_result_free(&r1);
    rad_cohort_result_free(&r0);
}

/* ---- the digest of a folder (a DICOM series in a manifest) ---- */

static void put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "wb");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

static void test_folder_digest(void)
{
    char a[512], b[512], p[700], d1[65], d2[65], d3[65], k1[65], k2[65], k3[65];
    snprintf(a, sizeof a, "%s", tpath("seriesA"));
    snprintf(b, sizeof b, "%s", tpath("seriesB"));
    mkdir(a, 0700);
    mkdir(b, 0700);
    snprintf(p, sizeof p, "%s/sub", a);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/sub", b);
    mkdir(p, 0700);
    /* the same files, written in another order */
    snprintf(p, sizeof p, "%s/IM1", a), put(p, "slice one");
    snprintf(p, sizeof p, "%s/IM2", a), put(p, "slice two");
    snprintf(p, sizeof p, "%s/sub/RS", a), put(p, "contours");
    snprintf(p, sizeof p, "%s/sub/RS", b), put(p, "contours");
    snprintf(p, sizeof p, "%s/IM2", b), put(p, "slice two");
    snprintf(p, sizeof p, "%s/IM1", b), put(p, "slice one");
    snprintf(p, sizeof p, "%s/.DS_Store", b), put(p, "finder noise");
    tap_ok(rad_sha256_path(a, d1) == 0 && rad_sha256_path(b, d2) == 0, "folder digest: computed");
    tap_ok(strcmp(d1, d2) == 0, "folder digest: the same files in another order (and a dot-file) give the same digest");
    snprintf(p, sizeof p, "%s/sub/RS", b), put(p, "contourz");
    tap_ok(rad_sha256_path(b, d3) == 0 && strcmp(d1, d3) != 0, "folder digest: one changed byte below changes it");
    snprintf(p, sizeof p, "%s/sub/RS", b), put(p, "contours");
    tap_ok(rad_sha256_path(b, d3) == 0 && strcmp(d1, d3) == 0, "folder digest: restored, restored");
    {
        char from[700], to[700];
        snprintf(from, sizeof from, "%s/IM2", b);
        snprintf(to, sizeof to, "%s/IM3", b);
        rename(from, to);
        tap_ok(rad_sha256_path(b, d3) == 0 && strcmp(d1, d3) != 0, "folder digest: a renamed file changes it");
        rename(to, from);
    }
    snprintf(p, sizeof p, "%s/IM1", a);
    tap_ok(rad_sha256_path(p, d2) == 0 && rad_sha256_file(p, d3) == 0 && strcmp(d2, d3) == 0,
           "folder digest: a regular file's digest is rad_sha256_file's");
    tap_ok(rad_sha256_path(tpath("no-such-folder"), d3) < 0, "folder digest: a missing path is an error");
    tap_contains(rad_error_message(), "no-such-folder", "folder digest: the message names it");
    /* the region's name is part of a case's key */
    snprintf(p, sizeof p, "%s/sub/RS", a);
    tap_ok(rad_cache_key(a, p, 0, NULL, "settings", k1) == 0 && rad_cache_key(a, p, 0, "GTV-1", "settings", k2) == 0 &&
               rad_cache_key(a, p, 0, "GTV-2", "settings", k3) == 0,
           "cache key: a folder image and a contour file");
    tap_ok(strcmp(k1, k2) != 0 && strcmp(k2, k3) != 0, "cache key: each ROI name gives its own key");
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_pool();
    test_pool_nested();
    test_cohort();
    test_cache();
    test_folder_digest();
    {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            tap_diag("could not remove %s", dir);
    }
    return tap_done();
}
