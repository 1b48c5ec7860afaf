/* radlab: unit tests of the statistical tests, correlation, ICC and mutual information.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Expected values come from R's help-page examples with well-known outputs
 * (t.test and wilcox.test on the sleep data, wilcox.test's own example,
 * fisher.test's "Tea tasting", chisq.test's party-by-gender table),
 * Shrout & Fleiss (1979) Table 2, and small cases computed by hand (noted
 * next to each check).
 */
#include <math.h>

#include "rad.h"
#include "tap.h"

static const double sleep1[] = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
static const double sleep2[] = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

static void test_ttest(void)
{
    RadTTest t;
    double a3[] = {1, NAN, 2, 3};
    double c[] = {1, 1, 1};
    tap_ok(rad_ttest_welch(sleep1, 10, sleep2, 10, &t) == 0, "Welch t test on sleep runs");
    tap_near(t.t, -1.8608, 5e-5, "sleep: t = -1.8608 (R t.test)");
    tap_near(t.df, 17.776, 5e-4, "sleep: df = 17.776");
    tap_near(t.p, 0.07939, 5e-6, "sleep: p = 0.07939");
    tap_near(t.mean1, 0.75, 1e-12, "sleep: mean of group 1 = 0.75");
    tap_near(t.mean2, 2.33, 1e-12, "sleep: mean of group 2 = 2.33");
    /* missing values are dropped: {1,2,3} vs sleep2 */
    tap_ok(rad_ttest_welch(a3, 4, sleep2, 10, &t) == 0 && t.n1 == 3 && t.mean1 == 2, "t test drops missing values");
    tap_ok(rad_ttest_welch(a3, 1, sleep2, 10, &t) < 0, "t test with one value fails");
    tap_contains(rad_error_message(), "at least 2 non-missing", "message says how many values are needed");
    tap_ok(rad_ttest_welch(c, 3, c, 3, &t) < 0, "t test on constant data fails");
    tap_contains(rad_error_message(), "essentially constant", "constant data message");
}

static void test_wilcox(void)
{
    /* R ?wilcox.test: x, y "permeability constants"; one-sided p = 0.1272, W = 35 */
    double x[] = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
    double y[] = {1.15, 0.88, 0.90, 0.74, 1.21};
    double a[] = {1, 2}, b[] = {3, 4}, same[] = {5, 5, 5};
    RadWilcox w;
    tap_ok(rad_wilcox_test(x, 10, y, 5, &w) == 0, "Wilcoxon exact runs");
    tap_near(w.w, 35, 0, "W = 35 (R wilcox.test example)");
    tap_ok(w.exact == 1, "no ties, small samples: exact");
    tap_near(w.p, 0.2544, 1e-4, "two-sided exact p = 2 x 0.1272");
    /* by hand: U = 0 has probability 1 / choose(4, 2) = 1/6; two-sided 1/3 */
    tap_ok(rad_wilcox_test(a, 2, b, 2, &w) == 0 && w.w == 0, "W = 0 for separated samples");
    tap_near(w.p, 1.0 / 3, 1e-14, "exact p = 1/3 by hand");
    tap_ok(rad_wilcox_test(b, 2, a, 2, &w) == 0 && w.w == 4, "W = 4 swapped");
    tap_near(w.p, 1.0 / 3, 1e-14, "exact p symmetric");
    /* by hand: U for 3 + 3 values has counts 1 1 2 3 3 3 3 2 1 1 (of 20); U = 1 -> 2 x 2/20 */
    {
        double p3[] = {1, 2, 4}, q3[] = {3, 5, 6};
        tap_ok(rad_wilcox_test(p3, 3, q3, 3, &w) == 0 && w.w == 1 && w.exact, "3 + 3: W = 1, exact");
        tap_near(w.p, 0.2, 1e-14, "3 + 3: p = 0.2 by hand");
    }
    /* 49 + 49 without ties: exact.  2 P(W <= 1176) under H0, counted over all
     * C(98, 49) splits (the recurrence c(m, n, u) = c(m - 1, n, u - n) +
     * c(m, n - 1, u) in exact integer arithmetic): 0.8652103571528191 (the
     * normal approximation with continuity correction would give 0.8674) */
    {
        double a49[49], b49[49];
        for (int i = 0; i < 49; i++) {
            a49[i] = 2 * i + 0.25 * (i % 3);
            b49[i] = 2 * i + 1.5;
        }
        tap_ok(rad_wilcox_test(a49, 49, b49, 49, &w) == 0 && w.exact && w.w == 1176, "49 + 49: exact, W = 1176");
        tap_near(w.p, 0.8652103571528191, 1e-12, "49 + 49: exact p = 2 P(W <= 1176) = 0.86521036");
    }
    /* sleep data has ties: R wilcox.test(extra ~ group) gives W = 25.5, p = 0.06933 */
    tap_ok(rad_wilcox_test(sleep1, 10, sleep2, 10, &w) == 0, "Wilcoxon with ties runs");
    tap_near(w.w, 25.5, 0, "sleep: W = 25.5");
    tap_ok(w.exact == 0, "ties: normal approximation");
    tap_near(w.p, 0.06933, 5e-6, "sleep: p = 0.06933");
    tap_ok(rad_wilcox_test(same, 3, same, 3, &w) < 0, "all values tied fails");
    tap_contains(rad_error_message(), "tied", "message says tied");
    tap_ok(rad_wilcox_test(a, 0, b, 2, &w) < 0, "empty sample fails");
}

static void test_chisq_fisher(void)
{
    /* R ?chisq.test: M <- as.table(rbind(c(762, 327, 468), c(484, 239, 477))) */
    double m[] = {762, 327, 468, 484, 239, 477};
    double t2[] = {12, 5, 3, 10}, tea[] = {3, 1, 1, 3}, bad[] = {1, -1, 2, 3}, zero[] = {0, 0, 2, 3};
    double edge[] = {5, 0, 2, 3}, frac[] = {1.5, 1, 1, 1};
    RadChisq c;
    RadFisher f;
    tap_ok(rad_chisq_test(m, 2, 3, 1, &c) == 0, "chi-square 2x3 runs");
    tap_near(c.stat, 30.070149095754672, 1e-9, "X-squared = 30.07 (R chisq.test example)");
    tap_near(c.df, 2, 0, "df = 2");
    tap_near(c.p, 2.953589183211757e-07, 1e-15, "p = 2.954e-07");
    tap_ok(c.yates == 0, "no Yates correction beyond 2x2");
    tap_near(c.min_expected, 246.35473340587595, 1e-9, "smallest expected count");
    /* 2x2 with Yates, by hand: sum (|O - E| - 0.5)^2 / E */
    tap_ok(rad_chisq_test(t2, 2, 2, 1, &c) == 0 && c.yates, "2x2 uses Yates' correction");
    tap_near(c.stat, 4.886877828054299, 1e-10, "Yates chi-square by hand");
    tap_near(c.p, 0.027061581911647137, 1e-12, "p = erfc(sqrt(x / 2))");
    tap_ok(rad_chisq_test(t2, 2, 2, 0, &c) == 0 && !c.yates, "correction can be turned off");
    tap_ok(rad_chisq_test(bad, 2, 2, 1, &c) < 0, "negative count fails");
    tap_contains(rad_error_message(), "row 1, column 2", "message names the cell");
    tap_ok(rad_chisq_test(zero, 2, 2, 1, &c) < 0, "empty row fails");
    tap_contains(rad_error_message(), "row 1", "message names the row");
    tap_ok(rad_chisq_test(m, 1, 6, 1, &c) < 0, "one-row table fails");

    tap_ok(rad_fisher_test(tea, &f) == 0, "Fisher on tea tasting runs");
    tap_near(f.p, 0.4857142857, 1e-9, "tea tasting: p = 0.4857 (R fisher.test, = 34/70)");
    tap_near(f.odds_ratio, 6.408309, 1e-4, "tea tasting: conditional MLE odds ratio 6.408309");
    tap_ok(rad_fisher_test(edge, &f) == 0 && isinf(f.odds_ratio), "zero cell: odds ratio Inf");
    /* by hand: margins 5/5 rows, 7/3 cols, support 2..5, P(a = 5) = choose(7,5) choose(3,0) / choose(10,5) = 21/252;
     * P(2) = 21/252 too, P(3) = 105/252, P(4) = 105/252 -> two-sided p = 42/252 */
    tap_near(f.p, 42.0 / 252, 1e-12, "zero cell: p by hand");
    tap_ok(rad_fisher_test(frac, &f) < 0, "non-integer count fails");
    tap_contains(rad_error_message(), "non-negative integers", "message says integers");
    tap_ok(rad_fisher_test(zero, &f) < 0, "empty row fails");
}

static void test_p_adjust(void)
{
    double p[] = {0.01, 0.02, 0.03, 0.04, 0.05}, q[5];
    double holm[] = {0.05, 0.08, 0.09, 0.09, 0.09}, bonf[] = {0.05, 0.1, 0.15, 0.2, 0.25};
    double pm[] = {0.04, NAN, 0.01}, qm[3], bad[] = {0.5, 1.5};
    int ok = 1;
    tap_ok(rad_p_adjust(p, 5, RAD_PADJ_BH, q) == 0, "BH runs");
    for (int i = 0; i < 5; i++)
        ok &= fabs(q[i] - 0.05) < 1e-15;
    tap_ok(ok, "BH of 0.01..0.05 is all 0.05 (R p.adjust)");
    tap_ok(rad_p_adjust(p, 5, RAD_PADJ_HOLM, q) == 0, "Holm runs");
    ok = 1;
    for (int i = 0; i < 5; i++)
        ok &= fabs(q[i] - holm[i]) < 1e-15;
    tap_ok(ok, "Holm by hand: 0.05 0.08 0.09 0.09 0.09");
    tap_ok(rad_p_adjust(p, 5, RAD_PADJ_BONFERRONI, q) == 0, "Bonferroni runs");
    ok = 1;
    for (int i = 0; i < 5; i++)
        ok &= fabs(q[i] - bonf[i]) < 1e-15;
    tap_ok(ok, "Bonferroni: n p");
    tap_ok(rad_p_adjust(pm, 3, RAD_PADJ_BONFERRONI, qm) == 0 && isnan(qm[1]) && qm[0] == 0.08 && qm[2] == 0.02,
           "missing p stays missing and is not counted");
    tap_ok(rad_p_adjust(bad, 2, RAD_PADJ_BH, q) < 0, "p above 1 fails");
    tap_contains(rad_error_message(), "p-value 2 is 1.5", "message names the value");
    tap_ok(rad_p_adjust_method("BY") < 0, "unknown method fails");
    tap_contains(rad_error_message(), "\"BH\"", "message lists methods");
}

static void test_cor(void)
{
    /* by hand: ranks x 1 2.5 2.5 4, y 1 3 2 4 -> 4.5 / sqrt(4.5 * 5) */
    double x[] = {1, 2, 2, 3}, y[] = {1, 3, 2, 4}, r, rank[4];
    double xm[] = {1, 2, NAN, 3, 4}, ym[] = {2, 4, 100, 6, 8.5};
    double c[] = {3, 3, 3, 3};
    double mat[4 * 3], out[9];
    tap_ok(rad_rank(x, 4, rank) == 4 && rank[1] == 2.5 && rank[2] == 2.5 && rank[3] == 4, "average ranks");
    tap_ok(rad_cor(x, y, 4, RAD_COR_SPEARMAN, &r) == 0, "Spearman runs");
    tap_near(r, 4.5 / sqrt(22.5), 1e-15, "Spearman with ties by hand");
    tap_ok(rad_cor(x, y, 4, RAD_COR_PEARSON, &r) == 0, "Pearson runs");
    /* by hand: x - 2 = -1 0 0 1, y - 2.5 = -1.5 .5 -.5 1.5 -> 3 / sqrt(2 * 5) */
    tap_near(r, 3 / sqrt(10), 1e-15, "Pearson by hand");
    tap_ok(rad_cor(xm, ym, 5, RAD_COR_SPEARMAN, &r) == 0 && fabs(r - 1) < 1e-15,
           "pairwise complete: the outlier row with a missing x is skipped");
    tap_ok(rad_cor(x, c, 4, RAD_COR_PEARSON, &r) < 0, "constant y fails");
    tap_contains(rad_error_message(), "y is constant", "message names y");
    tap_ok(rad_cor(x, y, 1, RAD_COR_PEARSON, &r) < 0, "one pair fails");
    tap_ok(rad_cor_method("kendall") < 0, "unknown method");
    tap_contains(rad_error_message(), "\"spearman\"", "message lists methods");
    /* matrix: columns x, y, y with a missing value */
    for (int i = 0; i < 4; i++) {
        mat[i] = x[i];
        mat[4 + i] = y[i];
        mat[8 + i] = y[i];
    }
    mat[8 + 2] = NAN;
    tap_ok(rad_cor_matrix(mat, 4, 3, RAD_COR_SPEARMAN, out) == 0, "Spearman matrix runs");
    tap_near(out[1], 4.5 / sqrt(22.5), 1e-15, "matrix [1,2] equals the pairwise value");
    tap_near(out[3], out[1], 0, "matrix is symmetric");
    tap_ok(out[0] == 1 && out[4] == 1 && out[8] == 1, "diagonal is 1");
    tap_near(out[5], 1, 1e-15, "column with a missing value: pairwise complete rows");
    {
        double xx[3] = {1, 2, 3}, yy[3] = {1, 2, 4}, want;
        rad_cor(xx, yy, 3, RAD_COR_SPEARMAN, &want);
        tap_near(out[2], want, 1e-15, "[1,3] uses rows 1, 2, 4 re-ranked");
    }
}

/* The matrix agrees with the pairwise function on data with ties and
 * scattered missing values (a fixed linear congruential generator). */
static void test_cor_matrix_random(void)
{
    enum { N = 40, P = 7 };
    double x[N * P], out[P * P], r;
    unsigned long s = 12345;
    int ok[4] = {1, 1, 1, 1};
    static const char *const what[4] = {
        "Pearson matrix equals pairwise cor with missing values",
        "Spearman matrix equals pairwise cor with ties and missing values",
        "Pearson matrix equals pairwise cor on complete data (blocked pass)",
        "Spearman matrix equals pairwise cor on complete data with ties (blocked pass)"};
    for (int pass = 0; pass < 4; pass++) {
        RadCorMethod m = (RadCorMethod)(pass % 2);
        for (int i = 0; i < N * P; i++) {
            s = s * 6364136223846793005UL + 1442695040888963407UL;
            x[i] = (double)((s >> 33) % 9); /* many ties */
            if (pass < 2 && (s >> 20) % 11 == 0 && i / N % 2 == 1)
                x[i] = NAN; /* odd columns get missing values */
        }
        if (rad_cor_matrix(x, N, P, m, out) < 0)
            ok[pass] = 0;
        for (int j = 0; j < P; j++)
            for (int k = 0; k < P; k++) {
                if (j == k)
                    continue;
                if (rad_cor(x + j * N, x + k * N, N, m, &r) < 0 || fabs(r - out[j * P + k]) > 1e-13) {
                    ok[pass] = 0;
                    tap_diag("[%d,%d]: pairwise %.17g, matrix %.17g", j, k, r, out[j * P + k]);
                }
            }
        tap_ok(ok[pass], "%s", what[pass]);
    }
}

static void test_icc(void)
{
    /* Shrout & Fleiss (1979) Table 2: 6 targets x 4 judges.  Published:
     * ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71; psych::ICC prints
     * F = 1.8 (5, 18), p = 0.165, CI -0.13..0.72; F = 11 (5, 15), p = 0.00013,
     * CI 0.019..0.76 and 0.34..0.95. */
    double x[] = {9, 2, 5, 8, 6, 1, 3, 2, 8, 4, 6, 8, 7, 1, 2, 6, 10, 5, 6, 9, 6, 2, 4, 7};
    RadIcc r;
    tap_ok(rad_icc(x, 6, 4, RAD_ICC_1_1, 0.95, &r) == 0, "ICC(1,1) runs");
    tap_near(r.icc, 0.17, 0.005, "ICC(1,1) = .17");
    tap_near(r.f, 1.79, 0.01, "ICC(1,1) F = 1.8");
    tap_ok(r.df1 == 5 && r.df2 == 18, "ICC(1,1) df 5, 18");
    tap_near(r.p, 0.165, 0.001, "ICC(1,1) p = 0.165");
    tap_near(r.lower, -0.133, 0.001, "ICC(1,1) lower -0.133");
    tap_near(r.upper, 0.72, 0.005, "ICC(1,1) upper 0.72");
    tap_ok(rad_icc(x, 6, 4, RAD_ICC_2_1, 0.95, &r) == 0, "ICC(2,1) runs");
    tap_near(r.icc, 0.29, 0.005, "ICC(2,1) = .29");
    tap_near(r.f, 11.03, 0.01, "ICC(2,1) F = 11");
    tap_ok(r.df1 == 5 && r.df2 == 15, "ICC(2,1) df 5, 15");
    tap_near(r.p, 0.00013, 0.000005, "ICC(2,1) p = 0.00013");
    tap_near(r.lower, 0.019, 0.001, "ICC(2,1) lower 0.019");
    tap_near(r.upper, 0.76, 0.005, "ICC(2,1) upper 0.76");
    tap_ok(rad_icc(x, 6, 4, RAD_ICC_3_1, 0.95, &r) == 0, "ICC(3,1) runs");
    tap_near(r.icc, 0.71, 0.005, "ICC(3,1) = .71");
    tap_near(r.lower, 0.342, 0.001, "ICC(3,1) lower 0.342");
    tap_near(r.upper, 0.95, 0.005, "ICC(3,1) upper 0.95");
    x[5] = NAN;
    tap_ok(rad_icc(x, 6, 4, RAD_ICC_1_1, 0.95, &r) < 0, "missing rating fails");
    tap_contains(rad_error_message(), "case 2 by rater 2", "message names case and rater");
    tap_ok(rad_icc(x, 1, 4, RAD_ICC_1_1, 0.95, &r) < 0, "one case fails");
    tap_ok(rad_icc_type("2,2") < 0, "unknown type");
    tap_contains(rad_error_message(), "\"3,1\"", "message lists types");
}

static void test_mi(void)
{
    double a[] = {0, 0, 1, 1}, b[] = {0, 1, 0, 1}, mi;
    double x[100], y[100], z[100];
    tap_ok(rad_mutual_info(a, a, 4, 0, &mi) == 0, "MI runs");
    tap_near(mi, log(2), 1e-15, "MI of a fair binary variable with itself = log 2");
    tap_ok(rad_mutual_info(a, b, 4, 0, &mi) == 0 && fabs(mi) < 1e-15, "independent binary: 0");
    for (int i = 0; i < 100; i++) {
        x[i] = i * 0.37;
        y[i] = exp(x[i] / 10); /* monotone in x: same equal-frequency bins */
        z[i] = (i * 37) % 100;
    }
    tap_ok(rad_mutual_info(x, y, 100, 4, &mi) == 0, "MI continuous runs");
    tap_near(mi, log(4), 1e-12, "monotone relation, 4 bins: log 4");
    tap_ok(rad_mutual_info(x, y, 100, 0, &mi) == 0, "default bins");
    tap_near(mi, log(rad_mi_default_bins(100)), 1e-12, "default bins = floor(sqrt(100 / 5)) = 4");
    tap_ok(rad_mi_default_bins(100) == 4 && rad_mi_default_bins(10) == 2 && rad_mi_default_bins(100000) == 10,
           "default bin rule");
    /* z = 37 i mod 100 against x's quartiles: the 4 x 4 counts are 7 on the
     * diagonal and 6 elsewhere (by hand), margins 25:
     * MI = 4 (0.07 ln(0.07 / 0.0625)) + 12 (0.06 ln(0.06 / 0.0625)) */
    tap_ok(rad_mutual_info(x, z, 100, 4, &mi) == 0, "scrambled: MI runs");
    tap_near(mi, 0.28 * log(1.12) + 0.72 * log(0.96), 1e-12, "scrambled: MI = 0.28 ln 1.12 + 0.72 ln 0.96 = 0.00234");
    tap_ok(rad_mutual_info(x, y, 1, 4, &mi) < 0, "one pair fails");
    tap_ok(rad_mutual_info(x, y, 100, 1, &mi) < 0, "bins = 1 fails");
    tap_contains(rad_error_message(), "bins must be 2..1000", "message names bins");
}

int main(void)
{
    test_ttest();
    test_wilcox();
    test_chisq_fisher();
    test_p_adjust();
    test_cor();
    test_cor_matrix_random();
    test_icc();
    test_mi();
    return tap_done();
}
