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

/* Check that every key of the table at idx is in `allowed`; `path` names it. */
static void check_table_keys(lua_State *L, int idx, const char *path, const char *const *allowed)
{
    char fname[96];
    snprintf(fname, sizeof fname, "settings%s%s", *path ? "." : "", path);
    radl_check_keys(L, idx, fname, allowed);
}

/* Push field `key` of the table at idx; returns its type (nil when absent). */
static int field(lua_State *L, int idx, const char *key)
{
    return lua_getfield(L, idx, key);
}

static double num_field(lua_State *L, int idx, const char *path, const char *key, double def)
{
    int t = field(L, idx, key);
    double v = def;
    if (t != LUA_TNIL) {
        if (t != LUA_TNUMBER)
            luaL_error(L, "settings.%s.%s must be a number, got %s", path, key, luaL_typename(L, -1));
        v = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

static int int_field(lua_State *L, int idx, const char *path, const char *key, int def, int lo, int hi)
{
    int t = field(L, idx, key);
    lua_Integer v = def;
    if (t != LUA_TNIL) {
        int isint = 0;
        if (t == LUA_TNUMBER)
            v = lua_tointegerx(L, -1, &isint);
        if (!isint)
            luaL_error(L, "settings.%s.%s must be an integer, got %s", path, key, luaL_typename(L, -1));
        if (v < lo || v > hi)
            luaL_error(L, "settings.%s.%s must be %d..%d, got %d", path, key, lo, hi, (int)v);
    }
    lua_pop(L, 1);
    return (int)v;
}

static int bool_field(lua_State *L, int idx, const char *path, const char *key, int def)
{
    int t = field(L, idx, key), v = def;
    if (t != LUA_TNIL) {
        if (t != LUA_TBOOLEAN)
            luaL_error(L, "settings.%s%s%s must be true or false, got %s", path, *path ? "." : "", key,
                       luaL_typename(L, -1));
        v = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

/* One of `names` (NULL-terminated); returns its index or def when absent. */
static int enum_field(lua_State *L, int idx, const char *path, const char *key, const char *const *names, int def)
{
    int t = field(L, idx, key), v = def;
    if (t != LUA_TNIL) {
        const char *s = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        luaL_Buffer b;
        for (int i = 0; s && names[i]; i++)
            if (strcmp(s, names[i]) == 0) {
                lua_pop(L, 1);
                return i;
            }
        luaL_buffinit(L, &b);
        for (int i = 0; names[i]; i++) {
            luaL_addstring(&b, i ? ", " : "");
            luaL_addchar(&b, '"');
            luaL_addstring(&b, names[i]);
            luaL_addchar(&b, '"');
        }
        luaL_pushresult(&b);
        luaL_error(L, "settings.%s.%s must be one of %s, got %s", path, key, lua_tostring(L, -1),
                   s ? s : luaL_typename(L, -2));
    }
    lua_pop(L, 1);
    return v;
}

/* An array of n numbers (exactly n, or nmin..n). Returns the count (0 if absent). */
static int vec_field(lua_State *L, int idx, const char *path, const char *key, double *v, int nmin, int n)
{
    int t = field(L, idx, key), len;
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (t != LUA_TTABLE)
        luaL_error(L, "settings.%s.%s must be an array of %d numbers", path, key, n);
    len = (int)luaL_len(L, -1);
    if (len < nmin || len > n)
        luaL_error(L, "settings.%s.%s must have %s%d numbers, it has %d", path, key, nmin < n ? "up to " : "", n, len);
    for (int i = 0; i < len; i++) {
        if (lua_rawgeti(L, -1, i + 1) != LUA_TNUMBER)
            luaL_error(L, "settings.%s.%s[%d] must be a number", path, key, i + 1);
        v[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return len;
}

/* Sub-table `key` of the settings at idx pushed, or 0 when absent. */
static int sub_table(lua_State *L, int idx, const char *key)
{
    int t = field(L, idx, key);
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (t != LUA_TTABLE)
        luaL_error(L, "settings.%s must be a table, got %s", key, luaL_typename(L, -1));
    return lua_gettop(L);
}

static const char *const interp_names[] = {"nearest", "linear", "cubic", NULL};
static const char *const disc_names[] = {"none", "fbn", "fbs", NULL};
static const char *const ivh_names[] = {"discrete", "fbs", "fbn", NULL};

static unsigned family_bits(lua_State *L, int idx)
{
    unsigned bits = 0;
    int n = (int)luaL_len(L, idx);
    for (int i = 1; i <= n; i++) {
        const char *name;
        const RadFamily *const *f;
        if (lua_rawgeti(L, idx, i) != LUA_TSTRING)
            luaL_error(L, "settings.families[%d] must be a family name such as \"cm\"", i);
        name = lua_tostring(L, -1);
        for (f = rad_families(); *f; f++)
            if (strcmp((*f)->prefix, name) == 0)
                break;
        if (!*f) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (f = rad_families(); *f; f++) {
                luaL_addstring(&b, f == rad_families() ? "" : ", ");
                luaL_addstring(&b, (*f)->prefix);
            }
            luaL_pushresult(&b);
            luaL_error(L, "settings.families: unknown family '%s' (families: %s)", name, lua_tostring(L, -1));
        }
        bits |= (*f)->bit;
        lua_pop(L, 1);
    }
    return bits;
}

void radl_settings_from_table(lua_State *L, int idx, RadSettings *s)
{
    static const char *const top_keys[] = {"families", "round", "resample", "resegment", "discretise",
                                           "ivh", "texture", NULL};
    static const char *const resample_keys[] = {"spacing", "in_plane", "interpolator", "mask_interpolator",
                                                "mask_threshold", "round", NULL};
    static const char *const reseg_keys[] = {"range", "outliers", NULL};
    static const char *const disc_keys[] = {"method", "bins", "width", "min", NULL};
    static const char *const ivh_keys[] = {"method", "bins", "width", "range", NULL};
    static const char *const tex_keys[] = {"aggregation", "distance", "ngldm_alpha", NULL};
    int t;

    rad_settings_default(s);
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    idx = lua_absindex(L, idx);
    check_table_keys(L, idx, "", top_keys);

    if (field(L, idx, "families") != LUA_TNIL) {
        if (!lua_istable(L, -1))
            luaL_error(L, "settings.families must be an array of family names, e.g. {\"stat\", \"cm\"}");
        s->families = family_bits(L, lua_gettop(L)) | RAD_FAM_DIAG;
    }
    lua_pop(L, 1);
    s->round_input = bool_field(L, idx, "", "round", 0);

    if ((t = sub_table(L, idx, "resample"))) {
        double sp[3] = {0, 0, 0};
        int n;
        check_table_keys(L, t, "resample", resample_keys);
        s->resample = 1;
        s->resample_2d = bool_field(L, t, "resample", "in_plane", 0);
        n = vec_field(L, t, "resample", "spacing", sp, s->resample_2d ? 2 : 3, 3);
        if (n == 0)
            luaL_error(L, "settings.resample.spacing is required, e.g. {2, 2, 2} (mm)");
        memcpy(s->spacing, sp, sizeof sp);
        s->interp = (RadInterp)enum_field(L, t, "resample", "interpolator", interp_names, RAD_INTERP_LINEAR);
        s->mask_interp = (RadInterp)enum_field(L, t, "resample", "mask_interpolator", interp_names, RAD_INTERP_LINEAR);
        s->mask_threshold = num_field(L, t, "resample", "mask_threshold", 0.5);
        s->round_intensities = bool_field(L, t, "resample", "round", 0);
        lua_pop(L, 1);
    }
    if ((t = sub_table(L, idx, "resegment"))) {
        double r[2];
        check_table_keys(L, t, "resegment", reseg_keys);
        if (vec_field(L, t, "resegment", "range", r, 2, 2)) {
            s->reseg_range = 1;
            s->reseg_lo = r[0];
            s->reseg_hi = r[1];
        }
        s->outlier_sigma = num_field(L, t, "resegment", "outliers", 0);
        lua_pop(L, 1);
    }
    if ((t = sub_table(L, idx, "discretise"))) {
        check_table_keys(L, t, "discretise", disc_keys);
        int has_width, has_bins, has_min;
        s->disc = (RadDisc)enum_field(L, t, "discretise", "method", disc_names, RAD_DISC_FBN);
        has_width = field(L, t, "width") != LUA_TNIL;
        has_bins = field(L, t, "bins") != LUA_TNIL;
        has_min = field(L, t, "min") != LUA_TNIL;
        lua_pop(L, 3);
        if (s->disc == RAD_DISC_FBS && !has_width)
            luaL_error(L, "settings.discretise.width is required for method \"fbs\" (bin width, e.g. 25 HU)");
        if (s->disc != RAD_DISC_FBS && (has_width || has_min))
            luaL_error(L, "settings.discretise.width and .min apply to method \"fbs\" only");
        if (s->disc != RAD_DISC_FBN && has_bins)
            luaL_error(L, "settings.discretise.bins applies to method \"fbn\" only");
        s->bins = int_field(L, t, "discretise", "bins", 32, 1, 65535);
        s->bin_width = num_field(L, t, "discretise", "width", 25);
        s->has_disc_min = has_min;
        s->disc_min = num_field(L, t, "discretise", "min", 0);
        lua_pop(L, 1);
    }
    if ((t = sub_table(L, idx, "ivh"))) {
        double r[2];
        check_table_keys(L, t, "ivh", ivh_keys);
        s->ivh = (RadIvhMode)enum_field(L, t, "ivh", "method", ivh_names, RAD_IVH_DISCRETE);
        s->ivh_bins = int_field(L, t, "ivh", "bins", 1000, 1, 65535);
        s->ivh_width = num_field(L, t, "ivh", "width", 1);
        if (vec_field(L, t, "ivh", "range", r, 2, 2)) {
            s->has_ivh_range = 1;
            s->ivh_min = r[0];
            s->ivh_max = r[1];
        }
        lua_pop(L, 1);
    }
    if ((t = sub_table(L, idx, "texture"))) {
        check_table_keys(L, t, "texture", tex_keys);
        if (field(L, t, "aggregation") != LUA_TNIL) {
            static const char *const aggr_names[] = {"2D", "2.5D", "3D", NULL};
            static const unsigned aggr_bits[] = {RAD_AGGR_2D, RAD_AGGR_2_5D, RAD_AGGR_3D};
            int n, a = lua_gettop(L);
            if (!lua_istable(L, a))
                luaL_error(L, "settings.texture.aggregation must be an array such as {\"2D\", \"2.5D\"} or {\"3D\"}");
            n = (int)luaL_len(L, a);
            s->aggr = 0;
            for (int i = 1; i <= n; i++) {
                const char *name;
                int k;
                lua_rawgeti(L, a, i);
                name = lua_tostring(L, -1);
                for (k = 0; aggr_names[k] && !(name && strcmp(name, aggr_names[k]) == 0); k++)
                    ;
                if (!aggr_names[k])
                    luaL_error(L, "settings.texture.aggregation[%d] must be \"2D\", \"2.5D\" or \"3D\"", i);
                s->aggr |= aggr_bits[k];
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
        s->distance = int_field(L, t, "texture", "distance", 1, 1, 16);
        s->ngldm_alpha = int_field(L, t, "texture", "ngldm_alpha", 0, 0, 26);
        lua_pop(L, 1);
    }
    if (rad_settings_check(s) != 0)
        luaL_error(L, "settings: %s", rad_error_message());
}

/* RadSettings -> the Lua table shape accepted above. */
static void push_settings(lua_State *L, const RadSettings *s)
{
    lua_newtable(L);
    lua_pushboolean(L, s->round_input);
    lua_setfield(L, -2, "round");
    if (s->resample) {
        lua_newtable(L);
        radl_push_numbers(L, s->spacing, s->resample_2d ? 2 : 3);
        lua_setfield(L, -2, "spacing");
        lua_pushboolean(L, s->resample_2d);
        lua_setfield(L, -2, "in_plane");
        lua_pushstring(L, interp_names[s->interp]);
        lua_setfield(L, -2, "interpolator");
        lua_pushstring(L, interp_names[s->mask_interp]);
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
    lua_pushstring(L, disc_names[s->disc]);
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
    lua_pushstring(L, ivh_names[s->ivh]);
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
}

static int l_settings_defaults(lua_State *L)
{
    RadSettings s;
    rad_settings_default(&s);
    push_settings(L, &s);
    return 1;
}

static int l_settings_check(lua_State *L)
{
    RadSettings s;
    radl_settings_from_table(L, 1, &s);
    push_settings(L, &s);
    return 1;
}

/* ---- FeatureSet userdata ------------------------------------------------------------- */

static RadFeatureSet **fs_push(lua_State *L)
{
    RadFeatureSet **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    luaL_setmetatable(L, RADL_FEATURESET);
    return box;
}

static RadFeatureSet *fs_check(lua_State *L, int idx)
{
    RadFeatureSet **box = luaL_checkudata(L, idx, RADL_FEATURESET);
    if (!*box)
        luaL_error(L, "attempt to use a closed FeatureSet");
    return *box;
}

static int l_extract(lua_State *L)
{
    RadImage *img = radl_check_image(L, 1);
    RadMask *mask = radl_check_mask(L, 2);
    RadSettings s;
    RadFeatureSet **box;
    radl_settings_from_table(L, 3, &s);
    box = fs_push(L);
    *box = rad_extract(img, mask, &s);
    return *box ? 1 : radl_error(L);
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
    radl_push_numbers(L, fs->values, (int)fs->n);
    return 1;
}

static int fs_table(lua_State *L)
{
    RadFeatureSet *fs = fs_check(L, 1);
    lua_createtable(L, 0, (int)fs->n);
    for (size_t i = 0; i < fs->n; i++) {
        lua_pushnumber(L, fs->values[i]);
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

/* feature,value rows with full precision (%.17g round-trips a double). */
static int fs_write_csv(lua_State *L)
{
    RadFeatureSet *fs = fs_check(L, 1);
    const char *path = luaL_checkstring(L, 2);
    RadAtomicFile af;
    if (rad_atomic_open(&af, path) != 0)
        return radl_error(L);
    fprintf(af.fp, "feature,value\n");
    for (size_t i = 0; i < fs->n; i++)
        fprintf(af.fp, "%s,%.17g\n", fs->tags[i], fs->values[i]);
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
        lua_pushnumber(L, fs->values[i]);
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
            if (strncmp(tag, d->tag, n) == 0 && (tag[n] == '\0' || tag[n] == '_')) {
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

void radl_open_features(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"extract", l_extract, "rad.extract(img, mask [, settings]) -> FeatureSet: preprocess and compute the IBSI features of the mask's ROI"},
        {NULL, NULL, NULL}};
    static const RadlReg settings_funcs[] = {
        {"defaults", l_settings_defaults, "rad.settings.defaults() -> table: the default extraction settings, in the shape rad.extract accepts"},
        {"check", l_settings_check, "rad.settings.check(settings) -> table: validate settings (errors name the key) and return them completed with defaults"},
        {NULL, NULL, NULL}};
    static const RadlReg feature_funcs[] = {
        {"list", l_features_list, "rad.features.list([family]) -> {defs}: every feature (tag, ibsi_id, name, unit, family, aggregations)"},
        {"families", l_features_families, "rad.features.families() -> {families}: prefix, name and IBSI identifier of each family"},
        {"info", l_features_info, "rad.features.info(tag) -> def: what a tag (with or without aggregation suffix) means, or nil and a message"},
        {NULL, NULL, NULL}};
    static const RadlReg methods[] = {
        {"names", fs_names, "FeatureSet:names() -> {tags}: feature tags in computation order"},
        {"values", fs_values, "FeatureSet:values() -> {numbers}: values in the order of names()"},
        {"table", fs_table, "FeatureSet:table() -> {[tag] = value}: a plain Lua table"},
        {"count", fs_count, "FeatureSet:count() -> n: number of features"},
        {"digest", fs_digest, "FeatureSet:digest() -> hex: SHA-256 of the settings that made it"},
        {"write_csv", fs_write_csv, "FeatureSet:write_csv(path) -> FeatureSet: feature,value rows at full double precision"},
        {"close", fs_close, "FeatureSet:close(): free it now (also done by the garbage collector)"},
        {NULL, NULL, NULL}};

    radl_register(L, funcs, "rad.");
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
