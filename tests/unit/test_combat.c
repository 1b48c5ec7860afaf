/* radlab: unit tests of ComBat harmonisation.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A case worked by hand: two batches of two samples, two features, no
 * covariate.  f1 = (1, 3 | 5, 9): batch means 2 and 7, grand mean 4.5,
 * var_pooled = (1 + 1 + 4 + 4) / 4 = 2.5; f2 = (2, 4 | 4, 10): batch means 3
 * and 7, grand mean 5, var_pooled = (1 + 1 + 9 + 9) / 4 = 5.  So gamma_hat
 * = (-sqrt(2.5), sqrt(2.5)) for f1 and (-2, 2) / sqrt(5) for f2; delta_hat
 * = (2, 8) / 2.5 and (2, 18) / 5.  With two features the non-parametric
 * prior (sva's int.eprior) weighs only the other feature, so gamma* and
 * delta* of f1 are f2's gamma_hat and delta_hat, and the adjusted first
 * sample of f1 is (s - gamma*) / sqrt(delta*) sqrt(2.5) + 4.5 with
 * s = -3.5 / sqrt(2.5): (-3.5 + 2 sqrt(0.5)) / sqrt(0.4) + 4.5.
 * mean_only (parametric) shifts each batch by gamma* sqrt(var_pooled),
 * gamma* = (t2 gamma_hat + gamma_bar) / (t2 + 1).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "util/error.h"
#include "table/table.h"
#include "stats/combat.h"

static RadTable *example(void)
{
    const char *batch[] = {"A", "A", "B", "B"};
    const double f1[] = {1, 3, 5, 9}, f2[] = {2, 4, 4, 10};
    RadTable *t = rad_table_new(4);
    if (!t || rad_table_add_str(t, "batch", batch) < 0 || rad_table_add_num(t, "f1", f1) < 0 ||
        rad_table_add_num(t, "f2", f2) < 0)
        return NULL;
    return t;
}

int main(void)
{
    const char *feat[] = {"f1", "f2"};
    RadTable *t = example();
    RadCombatOptions np = {0, 0}, mo = {1, 1};
    RadCombat *c = t ? rad_combat_fit(t, "batch", feat, 2, NULL, 0, &np) : NULL;
    tap_ok(c != NULL, "non-parametric fit of the hand-worked case (%s)", c ? "ok" : rad_error_message());
    if (c) {
        tap_near(c->grand_mean[0], 4.5, 1e-14, "f1 grand mean 4.5");
        tap_near(c->var_pooled[0], 2.5, 1e-14, "f1 var_pooled 2.5");
        tap_near(c->var_pooled[1], 5.0, 1e-14, "f2 var_pooled 5");
        tap_near(c->gamma_hat[0], -sqrt(2.5), 1e-14, "gamma_hat A f1 = -sqrt(2.5)");
        tap_near(c->delta_hat[1 * 2 + 1], 3.6, 1e-14, "delta_hat B f2 = 18 / 5");
        tap_near(c->gamma_star[0], -2 / sqrt(5.0), 1e-14, "gamma* A f1 = f2's gamma_hat");
        tap_near(c->delta_star[0], 0.4, 1e-14, "delta* A f1 = f2's delta_hat 0.4");
        RadTable *a = rad_combat_apply(c, t);
        tap_ok(a != NULL, "apply");
        if (a) {
            const RadColumn *col = rad_table_get(a, "f1");
            tap_near(col->num[0], (-3.5 + 2 * sqrt(0.5)) / sqrt(0.4) + 4.5, 1e-13,
                     "adjusted f1 of sample 1 = (-3.5 + 2 sqrt(0.5)) / sqrt(0.4) + 4.5");
            tap_ok(strcmp(rad_table_get(a, "batch")->str[2], "B") == 0, "the batch column is carried along");
            rad_table_free(a);
        }
        rad_combat_free(c);
    }
    c = t ? rad_combat_fit(t, "batch", feat, 2, NULL, 0, &mo) : NULL;
    tap_ok(c != NULL, "parametric mean-only fit");
    if (c) {
        double g1 = -sqrt(2.5), g2 = -2 / sqrt(5.0), gbar = (g1 + g2) / 2, t2 = (g1 - g2) * (g1 - g2) / 2;
        tap_near(c->gamma_star[0], (t2 * g1 + gbar) / (t2 + 1), 1e-14, "mean-only gamma* A f1");
        tap_ok(c->delta_star[0] == 1 && c->delta_star[3] == 1, "mean-only delta* = 1");
        RadTable *a = rad_combat_apply(c, t);
        if (a) {
            const RadColumn *col = rad_table_get(a, "f1");
            tap_near(col->num[1] - col->num[0], 2, 1e-13, "mean-only keeps the within-batch differences");
            tap_near(col->num[0], 1 - c->gamma_star[0] * sqrt(2.5), 1e-13, "mean-only shift = gamma* sqrt(2.5)");
            rad_table_free(a);
        } else {
            tap_ok(0, "mean-only apply (%s)", rad_error_message());
        }
        rad_combat_free(c);
    }
    /* errors */
    {
        RadTable *u = rad_table_rows(t, (const size_t[]){0, 1, 2}, 3);
        c = u ? rad_combat_fit(u, "batch", feat, 2, NULL, 0, NULL) : NULL;
        tap_ok(c == NULL, "a batch of one sample is refused");
        tap_contains(rad_error_message(), "batch 'B' has only one sample (row 3)", "message names batch and row");
        rad_table_free(u);
        rad_combat_free(c);
        c = rad_combat_fit(t, "batch", feat, 1, NULL, 0, NULL);
        tap_ok(c == NULL, "one feature is refused");
        tap_contains(rad_error_message(), "needs at least 2 features", "message says why");
        rad_combat_free(c);
    }
    rad_table_free(t);
    return tap_done();
}
