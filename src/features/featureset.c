/* radlab: feature sets (tag -> value, in computation order).  SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"
#include "util/error.h"

RadFeatureSet *rad_featureset_new(void)
{
    return rad_calloc(1, sizeof(RadFeatureSet), "a feature set");
}

void rad_featureset_free(RadFeatureSet *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->n; i++)
        free(fs->tags[i]);
    free(fs->tags);
    free(fs->values);
    free(fs->warning);
    free(fs);
}

int rad_featureset_add(RadFeatureSet *fs, const char *tag, double value)
{
    char *copy;
    if (fs->n == fs->cap) {
        size_t ncap = fs->cap ? 2 * fs->cap : 256;
        char **nt = realloc(fs->tags, ncap * sizeof *nt);
        double *nv;
        if (!nt)
            return rad_error_set("out of memory growing a feature set");
        fs->tags = nt;
        nv = realloc(fs->values, ncap * sizeof *nv);
        if (!nv)
            return rad_error_set("out of memory growing a feature set");
        fs->values = nv;
        fs->cap = ncap;
    }
    copy = rad_strdup(tag);
    if (!copy)
        return -1;
    fs->tags[fs->n] = copy;
    fs->values[fs->n] = value;
    fs->n++;
    return 0;
}

int rad_featureset_add2(RadFeatureSet *fs, const char *base, const char *suffix, double value)
{
    char tag[160];
    size_t nb = strlen(base), ns = strlen(suffix);
    if (nb + ns >= sizeof tag)
        return rad_error_set("feature tag '%s%s' is too long", base, suffix);
    memcpy(tag, base, nb);
    memcpy(tag + nb, suffix, ns + 1);
    return rad_featureset_add(fs, tag, value);
}

long rad_featureset_find(const RadFeatureSet *fs, const char *tag)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->tags[i], tag) == 0)
            return (long)i;
    return -1;
}

/* One line, so that a cohort log shows one warning per case; the list is
 * complete (a model built on these columns needs to know every one). */
int rad_featureset_note_undefined(RadFeatureSet *fs, size_t first, const char *why)
{
    size_t count = 0, len, at;
    char *w;
    for (size_t i = first; i < fs->n; i++)
        if (isnan(fs->values[i]))
            count++;
    if (!count)
        return 0;
    len = 96 + strlen(why);
    for (size_t i = first; i < fs->n; i++)
        if (isnan(fs->values[i]))
            len += strlen(fs->tags[i]) + 2;
    w = rad_malloc(len, "a feature set warning");
    if (!w)
        return -1;
    at = (size_t)snprintf(w, len, "%zu feature%s undefined for this ROI (%s): ", count, count == 1 ? "" : "s", why);
    for (size_t i = first, k = 0; i < fs->n; i++)
        if (isnan(fs->values[i]))
            at += (size_t)snprintf(w + at, len - at, "%s%s", k++ ? ", " : "", fs->tags[i]);
    free(fs->warning);
    fs->warning = w;
    return 0;
}
