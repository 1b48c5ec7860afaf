/* radlab: rad.extract, FeatureSet userdata, settings tables, the feature
 * registry from Lua.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Settings are a Lua table validated here into a RadSettings; every unknown
 * key, wrong type or bad value is an error naming the key path and the
 * allowed values.  The same table shape is what rad.settings.defaults()
 * returns, so a user can print it, edit it and pass it back.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"

#define RADL_FEATURESET "rad.FeatureSet"

/* ---- settings: Lua table -> RadSettings ------------------------------------------- */


/* The compat = "pyradiomics" part: settings.pyradiomics by PyRadiomics'
 * option names (normalisation, re-segmentation and resampling read back
 * from the radlab fields they were mapped to). */
static void push_pyradiomics(lua_State *L, const RadSettings *s)
{
    const RadPyrSettings *p = &s->pyr;
    lua_newtable(L);
    if (p->bin_count > 0) {
        lua_pushinteger(L, p->bin_count);
        lua_setfield(L, -2, "binCount");
    } else {
        lua_pushnumber(L, p->bin_width);
        lua_setfield(L, -2, "binWidth");
    }
    lua_pushnumber(L, p->shift);
    lua_setfield(L, -2, "voxelArrayShift");
    lua_pushboolean(L, p->force2d);
    lua_setfield(L, -2, "force2D");
    lua_pushinteger(L, p->force2d_dim);
    lua_setfield(L, -2, "force2Ddimension");
    lua_pushboolean(L, s->norm == RAD_NORM_ZSCORE);
    lua_setfield(L, -2, "normalize");
    if (s->norm == RAD_NORM_ZSCORE) {
        lua_pushnumber(L, s->norm_scale);
        lua_setfield(L, -2, "normalizeScale");
        if (s->norm_outliers > 0) {
            lua_pushnumber(L, s->norm_outliers);
            lua_setfield(L, -2, "removeOutliers");
        }
    }
    if (s->outlier_sigma > 0) {
        double r[2] = {-s->outlier_sigma, s->outlier_sigma};
        radl_push_numbers(L, r, 2);
        lua_setfield(L, -2, "resegmentRange");
        lua_pushstring(L, "sigma");
        lua_setfield(L, -2, "resegmentMode");
    } else if (s->reseg_range) {
        double r[2] = {s->reseg_lo, s->reseg_hi};
        radl_push_numbers(L, r, isinf(s->reseg_hi) ? 1 : 2);
        lua_setfield(L, -2, "resegmentRange");
        lua_pushstring(L, "absolute");
        lua_setfield(L, -2, "resegmentMode");
    }
    if (s->resample) {
        radl_push_numbers(L, s->spacing, 3);
        lua_setfield(L, -2, "resampledPixelSpacing");
        lua_pushstring(L, radl_pyr_interp_names[s->interp]);
        lua_setfield(L, -2, "interpolator");
    }
    lua_pushinteger(L, p->pad);
    lua_setfield(L, -2, "padDistance");
    lua_pushinteger(L, p->min_dims);
    lua_setfield(L, -2, "minimumROIDimensions");
    if (p->min_size > 0) {
        lua_pushinteger(L, p->min_size);
        lua_setfield(L, -2, "minimumROISize");
    }
    {
        double d = s->distance;
        radl_push_numbers(L, &d, 1);
        lua_setfield(L, -2, "distances");
    }
    lua_pushboolean(L, p->symmetric);
    lua_setfield(L, -2, "symmetricalGLCM");
    if (p->weighting != RAD_PYR_WEIGHT_NONE) {
        lua_pushstring(L, radl_pyr_weight_names[p->weighting - 1]);
        lua_setfield(L, -2, "weightingNorm");
    }
    lua_pushinteger(L, s->ngldm_alpha);
    lua_setfield(L, -2, "gldm_a");
    lua_pushboolean(L, p->original);
    lua_setfield(L, -2, "original");
    if (p->select_classes[0]) {
        /* every computed class: its list, or rad.NA (all its features) */
        static const struct {
            const char *name;
            unsigned bits;
        } cls[] = {{"shape", RAD_FAM_MORPH}, {"firstorder", RAD_FAM_STAT | RAD_FAM_IH}, {"glcm", RAD_FAM_CM},
                   {"glrlm", RAD_FAM_RLM},   {"glszm", RAD_FAM_SZM},                    {"gldm", RAD_FAM_NGL},
                   {"ngtdm", RAD_FAM_NGT}};
        lua_newtable(L);
        for (size_t c = 0; c < sizeof cls / sizeof cls[0]; c++) {
            char key[64];
            int n = 0;
            if (!(s->families & cls[c].bits))
                continue;
            snprintf(key, sizeof key, ";%s;", cls[c].name);
            if (!strstr(p->select_classes, key)) {
                radl_push_na(L);
                lua_setfield(L, -2, cls[c].name);
                continue;
            }
            lua_newtable(L);
            snprintf(key, sizeof key, ";%s_", cls[c].name);
            for (const char *q = strstr(p->select, key); q; q = strstr(q + 1, key)) {
                const char *f = q + strlen(key), *e = strchr(f, ';');
                lua_pushlstring(L, f, e ? (size_t)(e - f) : strlen(f));
                lua_rawseti(L, -2, ++n);
            }
            lua_setfield(L, -2, cls[c].name);
        }
        lua_setfield(L, -2, "featureClass");
    }
    lua_setfield(L, -2, "pyradiomics");
}

/* RadSettings -> the Lua table shape accepted above. */
static void push_filters(lua_State *L, const RadSettings *s, int families);

static void push_settings(lua_State *L, const RadSettings *s)
{
    lua_newtable(L);
    lua_pushstring(L, radl_compat_names[s->compat == RAD_COMPAT_PYRADIOMICS]);
    lua_setfield(L, -2, "compat");
    if (s->compat != RAD_COMPAT_PYRADIOMICS) { /* PyRadiomics never rounds */
        lua_pushboolean(L, s->round_input);
        lua_setfield(L, -2, "round");
    }
    lua_pushboolean(L, (s->families & RAD_FAM_DIAG) != 0);
    lua_setfield(L, -2, "diagnostics");
    {
        int n = 0;
        lua_newtable(L);
        for (const RadFamily *const *f = rad_families(); *f; f++)
            if (s->families & (*f)->bit & ~(unsigned)RAD_FAM_DIAG) {
                lua_pushstring(L, (*f)->prefix);
                lua_rawseti(L, -2, ++n);
            }
        lua_setfield(L, -2, "families");
    }
    if (s->compat == RAD_COMPAT_PYRADIOMICS) {
        push_pyradiomics(L, s);
        push_filters(L, s, 0); /* image types; no filter_families in compat mode */
        return;
    }
    if (s->norm != RAD_NORM_NONE) {
        lua_newtable(L);
        lua_pushstring(L, radl_norm_names[s->norm - 1]);
        lua_setfield(L, -2, "method");
        if (s->norm == RAD_NORM_ZSCORE || s->norm == RAD_NORM_PERCENTILE) {
            lua_pushstring(L, radl_norm_scope_names[s->norm_scope]);
            lua_setfield(L, -2, "scope");
        }
        if (s->norm == RAD_NORM_ZSCORE || (s->norm == RAD_NORM_REFERENCE && s->norm_ref_stat == RAD_NORM_STAT_ZSCORE)) {
            lua_pushstring(L, radl_norm_sd_names[s->norm_sd]);
            lua_setfield(L, -2, "sd");
        }
        if (s->norm == RAD_NORM_ZSCORE) {
            lua_pushnumber(L, s->norm_scale);
            lua_setfield(L, -2, "scale");
            if (s->norm_outliers > 0) {
                lua_pushnumber(L, s->norm_outliers);
                lua_setfield(L, -2, "remove_outliers");
            }
        } else if (s->norm == RAD_NORM_PERCENTILE) {
            double p[2] = {s->norm_p_lo, s->norm_p_hi}, r[2] = {s->norm_to_lo, s->norm_to_hi};
            radl_push_numbers(L, p, 2);
            lua_setfield(L, -2, "percentiles");
            radl_push_numbers(L, r, 2);
            lua_setfield(L, -2, "range");
        } else {
            lua_pushstring(L, radl_norm_stat_names[s->norm_ref_stat]);
            lua_setfield(L, -2, "statistic");
            if (s->norm_ref_label) {
                lua_pushinteger(L, s->norm_ref_label);
                lua_setfield(L, -2, "label");
            }
            if (s->norm_ref_mask[0]) {
                lua_pushstring(L, s->norm_ref_mask);
                lua_setfield(L, -2, "mask");
            }
        }
        lua_setfield(L, -2, "normalise");
    }
    if (s->resample) {
        lua_newtable(L);
        radl_push_numbers(L, s->spacing, s->resample_2d ? 2 : 3);
        lua_setfield(L, -2, "spacing");
        lua_pushboolean(L, s->resample_2d);
        lua_setfield(L, -2, "in_plane");
        lua_pushstring(L, radl_interp_names[s->interp]);
        lua_setfield(L, -2, "interpolator");
        lua_pushstring(L, radl_interp_names[s->mask_interp]);
        lua_setfield(L, -2, "mask_interpolator");
        lua_pushnumber(L, s->mask_threshold);
        lua_setfield(L, -2, "mask_threshold");
        lua_pushboolean(L, s->round_intensities);
        lua_setfield(L, -2, "round");
        lua_setfield(L, -2, "resample");
    }
    if (s->reseg_range || s->outlier_sigma > 0) {
        lua_newtable(L);
        if (s->reseg_range) {
            double r[2] = {s->reseg_lo, s->reseg_hi};
            radl_push_numbers(L, r, 2);
            lua_setfield(L, -2, "range");
        }
        if (s->outlier_sigma > 0) {
            lua_pushnumber(L, s->outlier_sigma);
            lua_setfield(L, -2, "outliers");
        }
        lua_setfield(L, -2, "resegment");
    }
    lua_newtable(L);
    lua_pushstring(L, radl_disc_names[s->disc]);
    lua_setfield(L, -2, "method");
    if (s->disc == RAD_DISC_FBN) {
        lua_pushinteger(L, s->bins);
        lua_setfield(L, -2, "bins");
    } else if (s->disc == RAD_DISC_FBS) {
        lua_pushnumber(L, s->bin_width);
        lua_setfield(L, -2, "width");
        if (s->has_disc_min) {
            lua_pushnumber(L, s->disc_min);
            lua_setfield(L, -2, "min");
        }
    }
    lua_setfield(L, -2, "discretise");
    lua_newtable(L);
    lua_pushstring(L, radl_ivh_names[s->ivh]);
    lua_setfield(L, -2, "method");
    if (s->ivh == RAD_IVH_FBS) {
        lua_pushnumber(L, s->ivh_width);
        lua_setfield(L, -2, "width");
    } else if (s->ivh == RAD_IVH_FBN) {
        lua_pushinteger(L, s->ivh_bins);
        lua_setfield(L, -2, "bins");
    }
    if (s->has_ivh_range) {
        double r[2] = {s->ivh_min, s->ivh_max};
        radl_push_numbers(L, r, 2);
        lua_setfield(L, -2, "range");
    }
    lua_setfield(L, -2, "ivh");
    lua_newtable(L);
    {
        int n = 0;
        lua_newtable(L);
        if (s->aggr & RAD_AGGR_2D) {
            lua_pushstring(L, "2D");
            lua_rawseti(L, -2, ++n);
        }
        if (s->aggr & RAD_AGGR_2_5D) {
            lua_pushstring(L, "2.5D");
            lua_rawseti(L, -2, ++n);
        }
        if (s->aggr & RAD_AGGR_3D) {
            lua_pushstring(L, "3D");
            lua_rawseti(L, -2, ++n);
        }
        lua_setfield(L, -2, "aggregation");
    }
    lua_pushinteger(L, s->distance);
    lua_setfield(L, -2, "distance");
    lua_pushinteger(L, s->ngldm_alpha);
    lua_setfield(L, -2, "ngldm_alpha");
    lua_setfield(L, -2, "texture");
    push_filters(L, s, 1);
}

/* settings.filters (and filter_families) of s into the table on top */
static void push_filters(lua_State *L, const RadSettings *s, int families)
{
    if (s->n_filters > 0) {
        int n = 0;
        lua_createtable(L, s->n_filters, 0);
        for (int i = 0; i < s->n_filters; i++) {
            radl_push_filter_spec(L, &s->filters[i]);
            radl_push_pyr_override(L, &s->filter_pyr[i]);
            lua_rawseti(L, -2, i + 1);
        }
        lua_setfield(L, -2, "filters");
        if (!families)
            return;
        lua_newtable(L);
        for (const RadFamily *const *f = rad_families(); *f; f++)
            if (s->filter_families & (*f)->bit) {
                lua_pushstring(L, (*f)->prefix);
                lua_rawseti(L, -2, ++n);
            }
        lua_setfield(L, -2, "filter_families");
    }
}

static int l_settings_defaults(lua_State *L)
{
    RadSettings s;
    rad_settings_default(&s);
    push_settings(L, &s);
    return 1;
}

/* {path, type, default, range = {lo, hi} or choices, help} per settings key,
 * read from the same rows the checker uses. */
static int l_settings_keys(lua_State *L)
{
    int n = 0;
    lua_newtable(L);
    for (const RadlSetting *e = radl_settings; e->path; e++) {
        lua_createtable(L, 0, 5);
        lua_pushstring(L, e->path);
        lua_setfield(L, -2, "path");
        lua_pushstring(L, radl_setting_type_names[e->type]);
        lua_setfield(L, -2, "type");
        lua_pushstring(L, e->def);
        lua_setfield(L, -2, "default");
        lua_pushstring(L, e->help);
        lua_setfield(L, -2, "help");
        if (e->names) {
            int k = 0;
            lua_newtable(L);
            for (; e->names[k]; k++) {
                lua_pushstring(L, e->names[k]);
                lua_rawseti(L, -2, k + 1);
            }
            lua_setfield(L, -2, "choices");
        } else if (e->lo < e->hi || e->type == RADL_SET_NUMBERS) {
            double r[2] = {e->lo, e->hi};
            radl_push_numbers(L, r, 2);
            lua_setfield(L, -2, "range");
        }
        lua_rawseti(L, -2, ++n);
    }
    return 1;
}

static int l_settings_check(lua_State *L)
{
    RadSettings s;
    radl_settings_from_table(L, 1, &s);
    push_settings(L, &s);
    return 1;
}

/* rad.settings.from_pyradiomics / to_pyradiomics: the stdlib module rad.pyradiomics */
static int call_pyradiomics(lua_State *L, const char *fn, int nargs, int nresults)
{
    lua_getglobal(L, "require");
    lua_pushliteral(L, "rad.pyradiomics");
    lua_call(L, 1, 1);
    lua_getfield(L, -1, fn);
    for (int i = 1; i <= nargs; i++)
        lua_pushvalue(L, i);
    lua_call(L, nargs, nresults);
    return nresults;
}

static int l_settings_from_pyradiomics(lua_State *L)
{
    luaL_checkstring(L, 1);
    lua_settop(L, 1);
    return call_pyradiomics(L, "read", 1, 1); /* the settings alone: rad.extract(img, mask, from_pyradiomics(p)) */
}

static int l_settings_voxel_from_pyradiomics(lua_State *L)
{
    luaL_checkstring(L, 1);
    lua_settop(L, 1);
    call_pyradiomics(L, "read", 1, 2);
    return 1; /* the second result: the voxelSetting options */
}

static int l_settings_to_pyradiomics(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    return call_pyradiomics(L, "write", 2, 1);
}

static int l_settings_digest(lua_State *L)
{
    RadSettings s;
    char digest[65];
    radl_settings_from_table(L, 1, &s);
    rad_settings_digest(&s, digest);
    lua_pushstring(L, digest);
    return 1;
}

/* ---- FeatureSet userdata ------------------------------------------------------------- */

static RadFeatureSet **fs_push(lua_State *L)
{
    return (RadFeatureSet **)radl_box_push(L, RADL_FEATURESET);
}

static RadFeatureSet *fs_check(lua_State *L, int idx)
{
    return radl_box_check(L, idx, RADL_FEATURESET);
}

static int l_extract(lua_State *L)
{
    RadImage *img = radl_check_image(L, 1);
    RadMask *mask = radl_check_mask(L, 2);
    static const char *const keys[] = {"threads", NULL};
    RadSettings s;
    RadFeatureSet **box;
    lua_Integer threads;
    lua_settop(L, 4);
    radl_check_keys(L, 4, "rad.extract", keys);
    threads = radl_opt_integer(L, 4, "threads", rad_pool_cpus());
    if (threads < 1 || threads > 1024)
        return radl_fail(L, "rad.extract: threads must be 1..1024, got %lld", (long long)threads);
    radl_settings_from_table(L, 3, &s);
    box = fs_push(L);
    *box = rad_extract_threads(img, mask, &s, (int)threads);
    if (!*box)
        return radl_error(L);
    /* one warning per case, as rad.cox does for a monotone likelihood */
    if ((*box)->warning)
        radl_warn(L, "rad.extract: %s", (*box)->warning);
    return 1;
}

static int fs_warning(lua_State *L)
{
    RadFeatureSet *fs = fs_check(L, 1);
    if (fs->warning)
        lua_pushstring(L, fs->warning);
    else
        lua_pushnil(L);
    return 1;
}

static int fs_names(lua_State *L)
{
    RadFeatureSet *fs = fs_check(L, 1);
    lua_createtable(L, (int)fs->n, 0);
    for (size_t i = 0; i < fs->n; i++) {
        lua_pushstring(L, fs->tags[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int fs_values(lua_State *L)
{
    RadFeatureSet *fs = fs_check(L, 1);
    radl_push_numbers_na(L, fs->values, fs->n);
    return 1;
}

/* A value, or rad.NA for a feature undefined for this ROI (NaN). */
static void push_value(lua_State *L, double v)
{
    if (isnan(v))
        radl_push_na(L);
    else
        lua_pushnumber(L, v);
}

static int fs_table(lua_State *L)
{
    RadFeatureSet *fs = fs_check(L, 1);
    lua_createtable(L, 0, (int)fs->n);
    for (size_t i = 0; i < fs->n; i++) {
        push_value(L, fs->values[i]);
        lua_setfield(L, -2, fs->tags[i]);
    }
    return 1;
}

static int fs_count(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)fs_check(L, 1)->n);
    return 1;
}

static int fs_digest(lua_State *L)
{
    lua_pushstring(L, fs_check(L, 1)->digest);
    return 1;
}

/* feature,value rows with full precision (%.17g round-trips a double); an
 * undefined feature (NaN) is NA, the missing value of rad.read_csv. */
static int fs_write_csv(lua_State *L)
{
    RadFeatureSet *fs = fs_check(L, 1);
    const char *path = luaL_checkstring(L, 2);
    RadAtomicFile af;
    if (rad_atomic_open(&af, path) != 0)
        return radl_error(L);
    fprintf(af.fp, "feature,value\n");
    for (size_t i = 0; i < fs->n; i++) {
        if (isnan(fs->values[i]))
            fprintf(af.fp, "%s,NA\n", fs->tags[i]);
        else
            fprintf(af.fp, "%s,%.17g\n", fs->tags[i], fs->values[i]);
    }
    if (rad_atomic_commit(&af) != 0)
        return radl_error(L);
    lua_settop(L, 1);
    return 1;
}

static int fs_close(lua_State *L)
{
    RadFeatureSet **box = luaL_checkudata(L, 1, RADL_FEATURESET);
    rad_featureset_free(*box);
    *box = NULL;
    return 0;
}

static int fs_len(lua_State *L)
{
    return fs_count(L);
}

/* fs.tag or fs["tag"] -> value; fs:method(...) -> the method */
static int fs_index(lua_State *L)
{
    RadFeatureSet *fs = fs_check(L, 1);
    const char *key = luaL_checkstring(L, 2);
    long i;
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "methods");
    if (lua_getfield(L, -1, key) != LUA_TNIL)
        return 1;
    i = rad_featureset_find(fs, key);
    if (i < 0)
        lua_pushnil(L);
    else
        push_value(L, fs->values[i]);
    return 1;
}

static int fs_tostring(lua_State *L)
{
    RadFeatureSet **box = luaL_checkudata(L, 1, RADL_FEATURESET);
    luaL_Buffer b;
    size_t width = 0;
    if (!*box) {
        lua_pushstring(L, "FeatureSet (closed)");
        return 1;
    }
    for (size_t i = 0; i < (*box)->n; i++)
        if (strlen((*box)->tags[i]) > width)
            width = strlen((*box)->tags[i]);
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "FeatureSet of %d features (settings %s)\n", (int)(*box)->n, (*box)->digest);
    luaL_addvalue(&b);
    for (size_t i = 0; i < (*box)->n; i++) {
        char line[256];
        if (isnan((*box)->values[i]))
            snprintf(line, sizeof line, "  %-*s  NA\n", (int)width, (*box)->tags[i]);
        else
            snprintf(line, sizeof line, "  %-*s  %.10g\n", (int)width, (*box)->tags[i], (*box)->values[i]);
        luaL_addstring(&b, line);
    }
    luaL_pushresult(&b);
    return 1;
}

/* ---- registry ------------------------------------------------------------------------ */

static const RadFamily *family_of(const char *tag, const RadFeatureDef **def)
{
    for (const RadFamily *const *f = rad_families(); *f; f++)
        for (const RadFeatureDef *d = (*f)->defs; d->tag; d++) {
            size_t n = strlen(d->tag);
            if (strncmp(tag, d->tag, n) == 0 && tag[n] == '\0') { /* without its aggregation */
                *def = d;
                return *f;
            }
            if (strncmp(tag, d->tag, n) == 0 && tag[n] == '_') {
                const char *suffixes[6];
                int k = rad_aggr_suffixes((*f)->aggr_kind, RAD_AGGR_2D | RAD_AGGR_2_5D | RAD_AGGR_3D, suffixes);
                for (int i = 0; i < k; i++)
                    if (strcmp(tag + n, suffixes[i]) == 0) {
                        *def = d;
                        return *f;
                    }
            }
        }
    return NULL;
}

static void push_def(lua_State *L, const RadFamily *f, const RadFeatureDef *d)
{
    const char *suffixes[6];
    int k = rad_aggr_suffixes(f->aggr_kind, RAD_AGGR_2D | RAD_AGGR_2_5D | RAD_AGGR_3D, suffixes);
    lua_createtable(L, 0, 7);
    lua_pushstring(L, d->tag);
    lua_setfield(L, -2, "tag");
    lua_pushstring(L, d->ibsi_id);
    lua_setfield(L, -2, "ibsi_id");
    lua_pushstring(L, d->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, d->unit);
    lua_setfield(L, -2, "unit");
    lua_pushstring(L, f->prefix);
    lua_setfield(L, -2, "family");
    lua_pushstring(L, f->name);
    lua_setfield(L, -2, "family_name");
    lua_createtable(L, k, 0);
    for (int i = 0; i < k; i++) {
        lua_pushstring(L, suffixes[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "aggregations");
}

static int l_features_list(lua_State *L)
{
    const char *only = luaL_optstring(L, 1, NULL);
    int n = 0, found = only == NULL;
    lua_newtable(L);
    for (const RadFamily *const *f = rad_families(); *f; f++) {
        if (only && strcmp(only, (*f)->prefix) != 0)
            continue;
        found = 1;
        for (const RadFeatureDef *d = (*f)->defs; d->tag; d++) {
            push_def(L, *f, d);
            lua_rawseti(L, -2, ++n);
        }
    }
    if (!found)
        return luaL_error(L, "rad.features.list: unknown family '%s' (see rad.features.families())", only);
    return 1;
}

static int l_features_families(lua_State *L)
{
    int n = 0;
    lua_newtable(L);
    for (const RadFamily *const *f = rad_families(); *f; f++) {
        lua_createtable(L, 0, 3);
        lua_pushstring(L, (*f)->prefix);
        lua_setfield(L, -2, "prefix");
        lua_pushstring(L, (*f)->name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, (*f)->ibsi_id);
        lua_setfield(L, -2, "ibsi_id");
        lua_pushboolean(L, ((*f)->bit & RAD_FAM_ON_RESPONSE) != 0);
        lua_setfield(L, -2, "on_response");
        lua_rawseti(L, -2, ++n);
    }
    return 1;
}

static int l_features_info(lua_State *L)
{
    const char *tag = luaL_checkstring(L, 1);
    const RadFeatureDef *d = NULL;
    const RadFamily *f = family_of(tag, &d);
    if (!f) {
        lua_pushnil(L);
        lua_pushfstring(L, "unknown feature tag '%s' (see rad.features.list())", tag);
        return 2;
    }
    push_def(L, f, d);
    return 1;
}

/* rad.features.pyradiomics([class]): PyRadiomics' names beside radlab's tags */
static int l_features_pyradiomics(lua_State *L)
{
    const char *only = luaL_optstring(L, 1, NULL);
    int n = 0;
    lua_newtable(L);
    for (const RadPyrFeatureDef *d = rad_pyrad_features(); d->cls; d++) {
        if (only && strcmp(only, d->cls) != 0)
            continue;
        lua_createtable(L, 0, 5);
        lua_pushstring(L, d->cls);
        lua_setfield(L, -2, "class");
        lua_pushstring(L, d->name);
        lua_setfield(L, -2, "name");
        lua_pushfstring(L, "original_%s_%s", d->cls, d->name);
        lua_setfield(L, -2, "tag");
        if (d->ibsi_tag) {
            lua_pushstring(L, d->ibsi_tag);
            lua_setfield(L, -2, "ibsi_tag");
        }
        if (d->note) {
            lua_pushstring(L, d->note);
            lua_setfield(L, -2, "note");
        }
        lua_rawseti(L, -2, ++n);
    }
    if (only && n == 0)
        return luaL_error(L, "rad.features.pyradiomics: unknown class '%s' (classes: firstorder, shape, glcm, glrlm, "
                          "glszm, gldm, ngtdm)", only);
    return 1;
}

void radl_open_features(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"extract", l_extract, "rad.extract(img, mask [, settings [, {threads = processors}]]) -> FeatureSet: preprocess and compute the IBSI features of the mask's ROI (settings: radlab-lua(7) SETTINGS; diagnostics = true adds the diag_ rows) on up to threads threads (image and mask interpolation side by side, then the feature families; the values do not depend on threads); features undefined for the ROI are rad.NA, named in one warning"},
        {NULL, NULL, NULL}};
    static const RadlReg settings_funcs[] = {
        {"defaults", l_settings_defaults, "rad.settings.defaults() -> table: the default extraction settings, in the shape rad.extract accepts"},
        {"keys", l_settings_keys, "rad.settings.keys() -> {rows}: every settings key: path, type, default, range or choices, help"},
        {"digest", l_settings_digest,
         "rad.settings.digest(settings) -> string: the SHA-256 (64 hex digits) of the completed settings, as "
         "recorded with every extraction; equal settings (defaults filled in) give equal digests"},
        {"check", l_settings_check, "rad.settings.check(settings) -> table: validate settings (errors name the key) and return them completed with defaults"},
        {"from_pyradiomics", l_settings_from_pyradiomics,
         "rad.settings.from_pyradiomics(path) -> settings: a PyRadiomics parameter file (Params.yaml: setting, "
         "imageType, featureClass, voxelSetting) as radlab settings with compat = \"pyradiomics\"; an image type's own "
         "settings (LoG: {sigma: [1.0], binWidth: 5}) become its filters' pyradiomics tables, Wavelet start_level the "
         "filters' start_level, an imageType without Original pyradiomics.original = false; voxelSetting is checked "
         "here and read by rad.settings.voxel_from_pyradiomics; an option or image type radlab cannot reproduce is an "
         "error naming the file's line and the key"},
        {"voxel_from_pyradiomics", l_settings_voxel_from_pyradiomics,
         "rad.settings.voxel_from_pyradiomics(path) -> options: the voxelSetting of a PyRadiomics parameter file as "
         "rad.feature_map options {radius = kernelRadius, masked = maskedKernel, fill = initValue} (PyRadiomics' "
         "defaults 1, true, 0 where the file is silent; voxelBatch, a memory knob, is checked and ignored); the "
         "whole file is checked as rad.settings.from_pyradiomics checks it"},
        {"to_pyradiomics", l_settings_to_pyradiomics,
         "rad.settings.to_pyradiomics(settings [, path]) -> text: the PyRadiomics parameter file of compat settings "
         "(written to path atomically when given); the filters of one image type need the same pyradiomics table "
         "(one imageType entry each)"},
        {NULL, NULL, NULL}};
    static const RadlReg feature_funcs[] = {
        {"list", l_features_list, "rad.features.list([family]) -> {defs}: every feature (tag, ibsi_id, name, unit, family, aggregations)"},
        {"families", l_features_families, "rad.features.families() -> {families}: prefix, name and IBSI identifier of each family, and on_response: "
         "whether it may be computed on filter response maps (settings.filter_families)"},
        {"pyradiomics", l_features_pyradiomics,
         "rad.features.pyradiomics([class]) -> {defs}: every feature compat = \"pyradiomics\" computes (class, "
         "name, tag original_<class>_<name>, ibsi_tag of the corresponding IBSI feature at PyRadiomics' default "
         "aggregation or nil when the IBSI defines none, note on what differs)"},
        {"info", l_features_info, "rad.features.info(tag) -> def: what a tag (with or without aggregation suffix) means, or nil and a message"},
        {NULL, NULL, NULL}};
    static const RadlReg methods[] = {
        {"names", fs_names, "FeatureSet:names() -> {tags}: feature tags in computation order"},
        {"values", fs_values, "FeatureSet:values() -> {numbers}: values in the order of names(); rad.NA where a feature is undefined for this ROI"},
        {"table", fs_table, "FeatureSet:table() -> {[tag] = value}: a plain Lua table"},
        {"count", fs_count, "FeatureSet:count() -> n: number of features"},
        {"digest", fs_digest, "FeatureSet:digest() -> hex: SHA-256 of the settings that made it"},
        {"warning", fs_warning, "FeatureSet:warning() -> string or nil: the features undefined for this ROI (NaN values, NA in CSV), named in one line"},
        {"write_csv", fs_write_csv, "FeatureSet:write_csv(path) -> FeatureSet: feature,value rows at full double precision"},
        {"close", fs_close, "FeatureSet:close(): free it now (also done by the garbage collector)"},
        {NULL, NULL, NULL}};

    radl_register(L, funcs, "rad.");
    /* help(rad.extract): the call, then every settings key with its default */
    radl_push_help_table(L);
    lua_getfield(L, -2, "extract");
    lua_pushstring(L, funcs[0].help);
    lua_pushliteral(L, "\n");
    radl_push_settings_help(L);
    lua_concat(L, 3);
    lua_pushvalue(L, -1);
    lua_setfield(L, -4, "rad.extract");
    lua_rawset(L, -3);
    lua_pop(L, 1);
    radl_document_class(L, RADL_FEATURESET,
        "FeatureSet: the named feature values of one case (rad.extract) and the digest of its settings\n"
        "  fs.stat_mean or fs[\"cm_contrast_3D_avg\"]   one value by IBSI tag (nil if not computed)\n"
        "  #fs                                       the number of features\n"
        "  print(fs)                                 every tag and value\n"
        "  rad.features.info(tag)                    what a tag means");
    lua_newtable(L);
    radl_register(L, settings_funcs, "rad.settings.");
    lua_setfield(L, -2, "settings");
    lua_newtable(L);
    radl_register(L, feature_funcs, "rad.features.");
    lua_setfield(L, -2, "features");

    luaL_newmetatable(L, RADL_FEATURESET);
    lua_newtable(L);
    radl_register(L, methods, "FeatureSet:");
    lua_setfield(L, -2, "methods");
    lua_pushcfunction(L, fs_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, fs_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, fs_close);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, fs_close);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, fs_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
}
