/* radlab: a minimal TAP producer for C unit tests.  SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef RAD_TAP_H
#define RAD_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAD_TAP_UNUSED __attribute__((unused))

static int tap_n, tap_failed;

static RAD_TAP_UNUSED int tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;
    tap_n++;
    if (!cond)
        tap_failed++;
    printf("%sok %d - ", cond ? "" : "not ", tap_n);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    return cond;
}

static RAD_TAP_UNUSED void tap_diag(const char *fmt, ...)
{
    va_list ap;
    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static RAD_TAP_UNUSED void tap_skip(int n, const char *why)
{
    for (int i = 0; i < n; i++)
        printf("ok %d # SKIP %s\n", ++tap_n, why);
}

/* `s` contains `sub`; prints both when not. */
static RAD_TAP_UNUSED int tap_contains(const char *s, const char *sub, const char *what)
{
    int ok = s && strstr(s, sub) != NULL;
    tap_ok(ok, "%s", what);
    if (!ok)
        tap_diag("expected message containing \"%s\", got \"%s\"", sub, s ? s : "(null)");
    return ok;
}

static RAD_TAP_UNUSED int tap_near(double got, double want, double tol, const char *what)
{
    int ok = fabs(got - want) <= tol;
    tap_ok(ok, "%s", what);
    if (!ok)
        tap_diag("got %.17g, want %.17g (tolerance %g)", got, want, tol);
    return ok;
}

static RAD_TAP_UNUSED int tap_done(void)
{
    printf("1..%d\n# %d tests, %d failed\n", tap_n, tap_n, tap_failed);
    return tap_failed ? 1 : 0;
}

/* The reference data folder, or NULL (then tests skip loudly). */
static RAD_TAP_UNUSED const char *tap_data_dir(void)
{
    const char *d = getenv("RADLAB_DATA");
    static char buf[4096];
    FILE *fp;
    if (!d)
        return NULL;
    snprintf(buf, sizeof buf, "%s/README.md", d);
    fp = fopen(buf, "r");
    if (!fp)
        return NULL;
    fclose(fp);
    return d;
}

#endif
