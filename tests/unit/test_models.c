/* radlab: unit tests of logistic regression, the penalised logistic path
 * and ROC / DeLong.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hand-checkable cases: a 2x2 table (the MLE slope is the log odds ratio, its
 * SE Woolf's sqrt(1/a + 1/b + 1/c + 1/d)); the AUC and DeLong variance of a
 * small example with ties worked out by hand; error messages for bad input;
 * properties of the glmnet path (all zero at lambda_max, one variable next,
 * the unpenalised fit at tiny lambda, reproducible CV).
 */
#include <math.h>
#include <stdint.h>

#include "rad.h"
#include "tap.h"

static double uniform(uint64_t *s)
{
    return (double)(rad_splitmix64(s) >> 11) * 0x1.0p-53;
}

static void test_two_by_two(void)
{
    /* x = 0: 3 events of 10; x = 1: 6 events of 8. */
    double x[18], y[18];
    RadLogistic f;
    for (int i = 0; i < 18; i++) {
        x[i] = i < 10 ? 0 : 1;
        y[i] = i < 10 ? (i < 3) : (i < 16);
    }
    const char *names[] = {"exposed"};
    tap_ok(rad_logistic_fit(x, 18, 1, y, names, &f) == 0, "2x2 logistic fits");
    tap_near(f.coef[0], log(3.0 / 7.0), 1e-9, "intercept = log odds of the unexposed");
    tap_near(f.coef[1], log((6.0 / 2.0) / (3.0 / 7.0)), 1e-9, "slope = log odds ratio (log 7)");
    /* SEs use the weights of the last IRLS step, as R (within the 1e-8 deviance tolerance) */
    tap_near(f.se[1], sqrt(1.0 / 3 + 1.0 / 7 + 1.0 / 6 + 1.0 / 2), 1e-5, "SE of the slope = Woolf's");
    tap_near(f.se[0], sqrt(1.0 / 3 + 1.0 / 7), 1e-5, "SE of the intercept");
    tap_near(f.or_[1], 7, 1e-8, "odds ratio 7");
    tap_near(f.or_lower[1], exp(log(7) - 1.959963984540054 * f.se[1]), 1e-9, "OR lower limit");
    /* deviance = -2 sum log-likelihood of the saturated 2x2 fit */
    double ll = 3 * log(0.3) + 7 * log(0.7) + 6 * log(0.75) + 2 * log(0.25);
    tap_near(f.deviance, -2 * ll, 1e-8, "deviance");
    tap_near(f.null_deviance, -2 * (9 * log(0.5) + 9 * log(0.5)), 1e-9, "null deviance");
    tap_near(f.aic, f.deviance + 4, 1e-12, "AIC = deviance + 2k");
    tap_ok(f.iterations >= 3 && f.iterations <= 10, "converged in %d iterations", f.iterations);
    double nx[2] = {0, 1}, out[2];
    rad_logistic_predict(&f, nx, 2, 1, out);
    tap_near(out[0], 0.3, 1e-9, "predicted probability, unexposed");
    tap_near(out[1], 0.75, 1e-9, "predicted probability, exposed");
    rad_logistic_free(&f);
}

static void test_logistic_errors(void)
{
    double x[12] = {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, y[6] = {0, 0, 0, 1, 1, 1};
    double x2[12] = {1, 2, 3, 4, 5, 6, 2, 4, 6, 8, 10, 12};
    double c[6] = {5, 5, 5, 5, 5, 5};
    const char *names[] = {"dose", "dose2"};
    RadLogistic f;

    tap_ok(rad_logistic_fit(x, 6, 1, y, names, &f) < 0, "complete separation fails");
    tap_contains(rad_error_message(), "separated by 'dose'", "separation message names the variable");

    double yq[6] = {0, 0, 1, 0, 1, 1}, xq[6] = {1, 2, 3, 3, 4, 5};  /* quasi-complete at x = 3 */
    tap_ok(rad_logistic_fit(xq, 6, 1, yq, names, &f) < 0, "quasi-complete separation fails");
    tap_contains(rad_error_message(), "'dose'", "quasi-separation message names the variable");

    double yb[6] = {0, 1, 2, 1, 0, 1};
    tap_ok(rad_logistic_fit(x, 6, 1, yb, names, &f) < 0, "y = 2 fails");
    tap_contains(rad_error_message(), "row 3 has 2", "message names the value and row");

    tap_ok(rad_logistic_fit(c, 6, 1, yq, names, &f) < 0, "constant predictor fails");
    tap_contains(rad_error_message(), "'dose' is constant", "message names the constant column");

    double yl[6] = {0, 1, 0, 1, 1, 0};
    tap_ok(rad_logistic_fit(x2, 6, 2, yl, names, &f) < 0, "collinear columns fail");
    tap_contains(rad_error_message(), "'dose2' is collinear", "message names the collinear column");

    double y1[6] = {0, 0, 0, 0, 1, 0};
    tap_ok(rad_logistic_fit(x2, 6, 2, y1, names, &f) < 0, "more predictors than events fails");
    tap_contains(rad_error_message(), "2 predictors but only 1 events", "message gives the counts");
}

static void test_roc(void)
{
    /* positives 0.8 0.6 0.4, negatives 0.6 0.3 0.2 0.4:
     * psi sums 4 + 3.5 + 2.5 = 10 of 12 -> AUC = 5/6;
     * V10 = 1, 7/8, 5/8 -> S10 = 7/192; V01 = 1/2, 1, 1, 5/6 -> S01 = 1/18;
     * var = S10 / 3 + S01 / 4 = 7/576 + 8/576 = 15/576. */
    double y[8] = {1, 0, 1, 0, 0, 1, 0, NAN}, s[8] = {0.8, 0.6, 0.6, 0.3, 0.2, 0.4, 0.4, 0.9};
    RadRoc r, r2;
    RadRocAt at;
    RadRocTest t;
    tap_ok(rad_roc(y, s, 8, &r) == 0, "roc computes");
    tap_ok(r.n_pos == 3 && r.n_neg == 4, "the NaN pair is dropped (3 positive, 4 negative)");
    tap_near(r.auc, 5.0 / 6.0, 1e-15, "AUC with ties = 5/6");
    tap_near(r.var, 15.0 / 576.0, 1e-15, "DeLong variance = 15/576");
    tap_near(r.ci_lower, 5.0 / 6.0 - 1.959963984540054 * sqrt(15.0 / 576.0), 1e-12, "CI lower");
    tap_near(r.ci_upper, 1, 0, "CI upper clipped to 1");
    tap_ok(r.npoints == 6, "6 curve points (+Inf and 5 unique scores)");
    tap_near(r.tpr[2], 2.0 / 3, 1e-15, "tpr at 0.6");
    tap_near(r.fpr[2], 0.25, 1e-15, "fpr at 0.6");
    tap_near(r.tpr[5], 1, 0, "tpr at the lowest score");
    tap_near(r.fpr[5], 1, 0, "fpr at the lowest score");

    rad_roc_at(&r, 0.4, &at);
    tap_ok(at.tp == 3 && at.fp == 2 && at.tn == 2 && at.fn == 0, "confusion at 0.4 (score >= cut-off)");
    tap_near(at.ppv, 0.6, 1e-15, "PPV 3/5");
    tap_near(at.npv, 1, 0, "NPV 2/2");
    tap_near(at.accuracy, 5.0 / 7, 1e-15, "accuracy 5/7");
    rad_roc_youden(&r, &at);
    tap_near(at.cutoff, 0.4, 0, "Youden cut-off 0.4 (J = 1/2)");
    tap_near(at.j, 0.5, 1e-15, "Youden J");

    /* Paired test: a second score; the difference and its variance by the
     * placement covariances. */
    double s2[8] = {0.1, 0.6, 0.7, 0.3, 0.2, 0.4, 0.5, 0.9};
    tap_ok(rad_roc(y, s2, 8, &r2) == 0, "second roc");
    tap_ok(rad_roc_test(&r, &r2, &t) == 0, "paired DeLong test");
    tap_near(t.diff, r.auc - r2.auc, 1e-15, "difference of AUCs");
    tap_ok(t.p > 0 && t.p <= 1 && fabs(t.z - t.diff / sqrt(t.var)) < 1e-12, "z = diff / se, p in (0, 1]");
    tap_ok(rad_roc_test(&r, &r, &t) < 0, "a curve against itself is an error");
    double y3[8] = {1, 0, 1, 0, 0, 1, 1, 0};
    RadRoc r3;
    tap_ok(rad_roc(y3, s, 8, &r3) == 0, "third roc");
    tap_ok(rad_roc_test(&r, &r3, &t) < 0, "curves on different cases fail");
    tap_contains(rad_error_message(), "not on the same cases", "message says why");
    rad_roc_free(&r3);
    rad_roc_free(&r);
    rad_roc_free(&r2);

    double yy[3] = {1, 1, 1};
    tap_ok(rad_roc(yy, s, 3, &r) < 0, "one class only fails");
    tap_contains(rad_error_message(), "both classes", "message says both classes are needed");
}

static void test_glmnet(void)
{
    enum { N = 200, P = 5 };
    static double x[N * P], y[N];
    uint64_t st = 42;
    RadGlmnetOptions o;
    RadGlmnetPath path;
    RadLogistic f;

    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < P; j++)
            x[j * N + i] = uniform(&st) * 4 - 2 + (j == 2 ? 0.5 * x[i] : 0);
        double eta = 0.3 + 1.2 * x[i] - 0.7 * x[N + i] + 0.2 * x[2 * N + i];
        y[i] = uniform(&st) < 1 / (1 + exp(-eta));
    }
    rad_glmnet_options_default(&o);
    tap_ok(rad_glmnet_logistic(x, N, P, y, &o, &path) == 0, "lasso path fits");
    tap_ok(path.nlambda >= 5 && path.nlambda <= 100, "path length %zu", path.nlambda);
    tap_ok(path.df[0] == 0, "all coefficients are 0 at lambda_max");
    tap_ok(path.df[1] == 1 && path.beta[P + 0] != 0, "exactly one non-zero (x1) at the next lambda");
    tap_near(path.lambda[1] / path.lambda[0], pow(1e-4, 1.0 / 99), 1e-12, "log-spaced sequence, ratio 1e-4");
    tap_ok(path.dev_ratio[path.nlambda - 1] > path.dev_ratio[1], "deviance ratio grows along the path");
    /* lambda_max is the smallest lambda with all zeros: slightly below it, one enters */
    {
        RadGlmnetOptions u = o;
        RadGlmnetPath q;
        double l = path.lambda[0] * 0.999;
        u.lambda = &l;
        u.nuser = 1;
        tap_ok(rad_glmnet_logistic(x, N, P, y, &u, &q) == 0 && q.df[0] == 1, "just below lambda_max one coefficient enters");
        rad_glmnet_path_free(&q);
    }
    rad_glmnet_path_free(&path);

    /* Tiny lambda: the unpenalised fit. */
    tap_ok(rad_logistic_fit(x, N, P, y, NULL, &f) == 0, "IRLS fit for comparison");
    {
        RadGlmnetOptions u = o;
        double l = 1e-9;
        u.lambda = &l;
        u.nuser = 1;
        tap_ok(rad_glmnet_logistic(x, N, P, y, &u, &path) == 0, "lambda = 1e-9 fits");
        double worst = fabs(path.a0[0] - f.coef[0]);
        for (size_t j = 0; j < P; j++)
            worst = fmax(worst, fabs(path.beta[j] - f.coef[j + 1]));
        tap_ok(worst < 1e-4, "tiny lambda reproduces IRLS (max |diff| %.2g)", worst);
        rad_glmnet_path_free(&path);
    }
    rad_logistic_free(&f);

    /* Elastic net, no standardisation: runs, first all zero. */
    o.alpha = 0.5;
    o.standardize = 0;
    o.nlambda = 20;
    tap_ok(rad_glmnet_logistic(x, N, P, y, &o, &path) == 0 && path.df[0] == 0, "elastic net without standardisation");
    rad_glmnet_path_free(&path);

    /* CV: reproducible with the seed. */
    RadGlmnetCV a, b;
    rad_glmnet_options_default(&o);
    tap_ok(rad_glmnet_logistic_cv(x, N, P, y, &o, 10, 7, &a) == 0, "10-fold CV");
    tap_ok(rad_glmnet_logistic_cv(x, N, P, y, &o, 10, 7, &b) == 0, "10-fold CV again");
    int same = a.nlambda == b.nlambda;
    for (size_t k = 0; same && k < a.nlambda; k++)
        same = a.cvm[k] == b.cvm[k] && a.cvsd[k] == b.cvsd[k];
    tap_ok(same, "same seed, same cvm and cvsd");
    tap_ok(a.lambda_1se >= a.lambda_min, "lambda_1se >= lambda_min");
    tap_ok(a.cvm[a.index_1se] <= a.cvm[a.index_min] + a.cvsd[a.index_min], "lambda_1se within one SE");
    rad_glmnet_cv_free(&b);
    tap_ok(rad_glmnet_logistic_cv(x, N, P, y, &o, 10, 8, &b) == 0, "another seed");
    tap_ok(b.cvm[0] != a.cvm[a.nlambda - 1] || b.cvm[1] != a.cvm[1], "another seed, other folds");
    rad_glmnet_cv_free(&a);
    rad_glmnet_cv_free(&b);

    o.alpha = 2;
    tap_ok(rad_glmnet_logistic(x, N, P, y, &o, &path) < 0, "alpha = 2 fails");
    tap_contains(rad_error_message(), "alpha must be in [0, 1]", "message names alpha");
}

int main(void)
{
    test_two_by_two();
    test_logistic_errors();
    test_roc();
    test_glmnet();
    return tap_done();
}
