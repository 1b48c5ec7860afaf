/* radlab: intraclass correlation coefficients with confidence intervals.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From the two-way ANOVA of an n x k matrix of ratings (n cases, k raters):
 *   BMS between-cases mean square     (df n - 1)
 *   JMS between-raters mean square    (df k - 1)
 *   WMS within-cases mean square      (df n (k - 1))
 *   EMS residual mean square          (df (n - 1)(k - 1))
 * Shrout & Fleiss (1979), Psychological Bulletin 86:420-428, and McGraw &
 * Wong (1996), Psychological Methods 1:30-46 (as R irr::icc and psych::ICC):
 *   ICC(1,1) = (BMS - WMS) / (BMS + (k-1) WMS),              F = BMS / WMS
 *   ICC(2,1) = (BMS - EMS) / (BMS + (k-1) EMS + k (JMS - EMS) / n),  F = BMS / EMS
 *   ICC(3,1) = (BMS - EMS) / (BMS + (k-1) EMS),              F = BMS / EMS
 * Confidence intervals: for ICC(1,1) and ICC(3,1) from the F distribution,
 *   FL = F / F(1-a/2; df1, df2), FU = F * F(1-a/2; df2, df1),
 *   bounds (FL - 1) / (FL + k - 1) and (FU - 1) / (FU + k - 1);
 * for ICC(2,1) with Satterthwaite's approximate degrees of freedom
 *   a = k r / (n (1 - r)), b = 1 + k r (n - 1) / (n (1 - r)),
 *   v = (a JMS + b EMS)^2 / ((a JMS)^2 / (k - 1) + (b EMS)^2 / ((n - 1)(k - 1))),
 *   FL = F(1-a/2; n - 1, v), FU = F(1-a/2; v, n - 1),
 *   lower = n (BMS - FL EMS) / (FL (k JMS + (k n - k - n) EMS) + n BMS),
 *   upper = n (FU BMS - EMS) / (k JMS + (k n - k - n) EMS + n FU BMS).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "util/error.h"
#include "stats/stats.h"

int rad_icc_type(const char *name)
{
    if (name && (strcmp(name, "1,1") == 0 || strcmp(name, "ICC1") == 0))
        return RAD_ICC_1_1;
    if (name && (strcmp(name, "2,1") == 0 || strcmp(name, "ICC2") == 0))
        return RAD_ICC_2_1;
    if (name && (strcmp(name, "3,1") == 0 || strcmp(name, "ICC3") == 0))
        return RAD_ICC_3_1;
    return rad_error_set("unknown ICC type '%s'; use \"1,1\", \"2,1\" or \"3,1\"", name ? name : "(null)");
}

int rad_icc(const double *x, size_t n, size_t k, RadIccType type, double conf, RadIcc *r)
{
    double gm = 0, sst = 0, ssr = 0, ssc = 0, bms, jms, wms, ems, dn = (double)n, dk = (double)k, q;
    memset(r, 0, sizeof *r);
    if (type != RAD_ICC_1_1 && type != RAD_ICC_2_1 && type != RAD_ICC_3_1)
        return rad_error_set("ICC: unknown type %d", (int)type);
    if (n < 2 || k < 2)
        return rad_error_set("ICC: needs at least 2 cases and 2 raters, got %zu cases x %zu raters", n, k);
    if (!(conf > 0 && conf < 1))
        return rad_error_set("ICC: confidence level must lie in (0, 1), got %g", conf);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++)
            if (!isfinite(x[i * k + j]))
                return rad_error_set("ICC: rating of case %zu by rater %zu is %s; the ICC needs complete ratings "
                                     "(drop incomplete cases first)",
                                     i + 1, j + 1, isnan(x[i * k + j]) ? "missing" : "infinite");
    for (size_t i = 0; i < n * k; i++)
        gm += x[i];
    gm /= dn * dk;
    for (size_t i = 0; i < n * k; i++)
        sst += (x[i] - gm) * (x[i] - gm);
    for (size_t i = 0; i < n; i++) {
        double m = 0;
        for (size_t j = 0; j < k; j++)
            m += x[i * k + j];
        m = m / dk - gm;
        ssr += dk * m * m;
    }
    for (size_t j = 0; j < k; j++) {
        double m = 0;
        for (size_t i = 0; i < n; i++)
            m += x[i * k + j];
        m = m / dn - gm;
        ssc += dn * m * m;
    }
    bms = ssr / (dn - 1);
    jms = ssc / (dk - 1);
    wms = (sst - ssr) / (dn * (dk - 1));
    ems = fmax(0, sst - ssr - ssc) / ((dn - 1) * (dk - 1));
    q = 1 - (1 - conf) / 2;
    if (type == RAD_ICC_1_1) {
        if (!(wms > 0))
            return rad_error_set("ICC(1,1): the within-case variance is 0 (every rater gives identical ratings); "
                                 "the ICC is undefined");
        r->icc = (bms - wms) / (bms + (dk - 1) * wms);
        r->f = bms / wms;
        r->df1 = dn - 1;
        r->df2 = dn * (dk - 1);
    } else {
        if (!(ems > 1e-12 * (sst > 0 ? sst : 1)))
            return rad_error_set("ICC(%s): the residual variance is 0 (ratings are perfectly additive); "
                                 "the ICC is undefined", type == RAD_ICC_2_1 ? "2,1" : "3,1");
        r->f = bms / ems;
        r->df1 = dn - 1;
        r->df2 = (dn - 1) * (dk - 1);
        if (type == RAD_ICC_2_1)
            r->icc = (bms - ems) / (bms + (dk - 1) * ems + dk * (jms - ems) / dn);
        else
            r->icc = (bms - ems) / (bms + (dk - 1) * ems);
    }
    r->p = gsl_cdf_fdist_Q(r->f, r->df1, r->df2);
    if (type == RAD_ICC_2_1) {
        double ic = r->icc, a, b, v, fl, fu, c = dk * jms + (dk * dn - dk - dn) * ems;
        if (ic >= 1 || ic <= -1)
            return rad_error_set("ICC(2,1): estimate %g outside (-1, 1); confidence interval undefined", ic);
        a = dk * ic / (dn * (1 - ic));
        b = 1 + dk * ic * (dn - 1) / (dn * (1 - ic));
        v = (a * jms + b * ems) * (a * jms + b * ems) /
            ((a * jms) * (a * jms) / (dk - 1) + (b * ems) * (b * ems) / ((dn - 1) * (dk - 1)));
        /* GSL's F quantiles need degrees of freedom >= 1 (below, its default
         * error handler aborts the process) */
        if (!(v >= 1))
            return rad_error_set("ICC(2,1): the Satterthwaite degrees of freedom of the confidence interval are %g, "
                                 "below 1 (%zu cases x %zu raters); the interval is undefined: use more cases, "
                                 "or ICC(3,1)", v, n, k);
        fl = gsl_cdf_fdist_Qinv(1 - q, dn - 1, v);
        fu = gsl_cdf_fdist_Qinv(1 - q, v, dn - 1);
        r->lower = dn * (bms - fl * ems) / (fl * c + dn * bms);
        r->upper = dn * (fu * bms - ems) / (c + dn * fu * bms);
    } else {
        double fl = r->f / gsl_cdf_fdist_Qinv(1 - q, r->df1, r->df2);
        double fu = r->f * gsl_cdf_fdist_Qinv(1 - q, r->df2, r->df1);
        r->lower = (fl - 1) / (fl + dk - 1);
        r->upper = (fu - 1) / (fu + dk - 1);
    }
    if (!isfinite(r->icc) || !isfinite(r->lower) || !isfinite(r->upper) || !isfinite(r->p))
        return rad_error_set("ICC: the estimate or its confidence interval is not finite (degenerate ratings)");
    return 0;
}
