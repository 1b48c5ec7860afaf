/* radlab: rad.filter, the IBSI 2 image filters.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine is src/image/filters/ (filter.h: RadFilterSpec and
 * rad_filter_apply).  The options table is read into a plain spec before
 * the engine runs; unknown keys for the chosen filter are errors that list
 * the filter's options.
 */
#include <math.h>
#include <string.h>

#include "binding.h"
#include "image/filters/gabor.h"
#include "image/filters/filter.h"

#define FNAME "rad.filter"

static const char *const common_keys[] = {"dims", "boundary", "threads"};

typedef struct FilterKind {
    const char *name;
    RadFilterKind kind;
    const char *const keys[10]; /* its own options, NULL-terminated */
} FilterKind;

static const FilterKind kinds[] = {
    {"mean", RAD_FILTER_MEAN, {"support", NULL}},
    {"log", RAD_FILTER_LOG, {"sigma", "truncate", NULL}},
    {"laws", RAD_FILTER_LAWS, {"kernel", "energy", "rotation_invariant", "pooling", NULL}},
    {"gabor", RAD_FILTER_GABOR, {"sigma", "gamma", "lambda", "theta", "theta_step", "response", "pooling", NULL}},
    {"wavelet", RAD_FILTER_WAVELET, {"family", "band", "level", "decimated", "rotation_invariant", NULL}},
    {"simoncelli", RAD_FILTER_SIMONCELLI, {"level", NULL}},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* error for any key of the table at idx that is not 1, a common key or one of fk's */
static void check_keys(lua_State *L, int idx, const FilterKind *fk)
{
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        int ok = 0;
        if (lua_type(L, -2) == LUA_TNUMBER)
            ok = lua_tointeger(L, -2) == 1;
        else if (lua_type(L, -2) == LUA_TSTRING) {
            const char *k = lua_tostring(L, -2);
            for (size_t i = 0; i < sizeof common_keys / sizeof common_keys[0]; i++)
                ok |= strcmp(k, common_keys[i]) == 0;
            for (size_t i = 0; fk->keys[i]; i++)
                ok |= strcmp(k, fk->keys[i]) == 0;
        }
        if (!ok) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (size_t i = 0; fk->keys[i]; i++) {
                luaL_addstring(&b, fk->keys[i]);
                luaL_addstring(&b, ", ");
            }
            luaL_addstring(&b, "dims, boundary, threads");
            luaL_pushresult(&b);
            if (lua_type(L, -3) == LUA_TSTRING)
                lua_pushvalue(L, -3);
            else if (lua_isinteger(L, -3)) /* a positional value: [2] */
                lua_pushfstring(L, "[%I]", (LUAI_UACINT)lua_tointeger(L, -3));
            else
                lua_pushfstring(L, "a %s key", luaL_typename(L, -3));
            radl_fail(L, "%s: unknown option '%s' for the %s filter (its options: %s%s)", FNAME, lua_tostring(L, -1),
                      fk->name, lua_tostring(L, -2),
                      lua_type(L, -4) == LUA_TSTRING ? "" : "; only the filter's name goes first, unnamed");
        }
        lua_pop(L, 1);
    }
}

static lua_Integer int_field(lua_State *L, int idx, const char *key, lua_Integer def)
{
    lua_Integer v = def;
    int t = lua_getfield(L, idx, key);
    if (t != LUA_TNIL) {
        int isint;
        v = lua_tointegerx(L, -1, &isint);
        if (t != LUA_TNUMBER || !isint)
            radl_fail(L, "%s: option '%s' must be an integer, got %s", FNAME, key,
                      t == LUA_TNUMBER ? lua_tostring(L, -1) : luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    return v;
}

static double num_field(lua_State *L, int idx, const char *key, double def)
{
    double v = def;
    int t = lua_getfield(L, idx, key);
    if (t != LUA_TNIL) {
        if (t != LUA_TNUMBER)
            radl_fail(L, "%s: option '%s' must be a number, got %s", FNAME, key, luaL_typename(L, -1));
        v = lua_tonumber(L, -1);
        if (!isfinite(v))
            radl_fail(L, "%s: option '%s' must be finite, got %g", FNAME, key, v);
    }
    lua_pop(L, 1);
    return v;
}

static const char *str_field(lua_State *L, int idx, const char *key, const char *def)
{
    const char *v = def;
    int t = lua_getfield(L, idx, key);
    if (t != LUA_TNIL) {
        if (t != LUA_TSTRING)
            radl_fail(L, "%s: option '%s' must be a string, got %s", FNAME, key, luaL_typename(L, -1));
        v = lua_tostring(L, -1);
    }
    lua_pop(L, 1); /* the string stays alive: the options table holds it */
    return v;
}

static void read_spec(lua_State *L, int idx, const RadImage *img, RadFilterSpec *spec)
{
    const FilterKind *fk = NULL;
    const char *name, *s;
    lua_Integer v;
    int t;

    luaL_checktype(L, idx, LUA_TTABLE);
    if (lua_rawgeti(L, idx, 1) != LUA_TSTRING)
        radl_fail(L, "%s: the options table needs the filter's name first, e.g. {\"log\", sigma = 1.5}; filters: "
                     "mean, log, laws, gabor, wavelet, simoncelli",
                  FNAME);
    name = lua_tostring(L, -1);
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(name, kinds[i].name) == 0)
            fk = &kinds[i];
    if (!fk)
        radl_fail(L, "%s: unknown filter '%s' (filters: mean, log, laws, gabor, wavelet, simoncelli)", FNAME, name);
    lua_pop(L, 1);
    check_keys(L, idx, fk);
    rad_filter_spec_init(spec, fk->kind);

    v = int_field(L, idx, "dims", img->geom.ndim == 2 || img->geom.dim[2] < 2 ? 2 : 3);
    if (v != 2 && v != 3)
        radl_fail(L, "%s: option 'dims' must be 2 (each axial slice on its own) or 3 (the volume), got %lld", FNAME,
                  (long long)v);
    spec->dims = (int)v;
    s = str_field(L, idx, "boundary", "mirror");
    if ((t = rad_boundary_parse(s)) < 0)
        radl_fail(L, "%s: unknown boundary '%s' (constant or zero, nearest or edge, periodic or wrap, mirror or "
                     "reflect or symmetric)",
                  FNAME, s);
    spec->boundary = (RadBoundary)t;
    v = int_field(L, idx, "threads", 0);
    if (v < 0 || v > 1024)
        radl_fail(L, "%s: option 'threads' must be 0 (one per processor) .. 1024, got %lld", FNAME, (long long)v);
    spec->threads = (int)v;

    switch (fk->kind) {
    case RAD_FILTER_MEAN:
        v = int_field(L, idx, "support", spec->mean.support);
        if (v < 1 || v % 2 == 0 || v > 100001)
            radl_fail(L, "%s: option 'support' of the mean filter must be an odd number of voxels >= 1, got %lld",
                      FNAME, (long long)v);
        spec->mean.support = (int)v;
        break;
    case RAD_FILTER_LOG:
        lua_getfield(L, idx, "sigma");
        if (lua_isnil(L, -1))
            radl_fail(L, "%s: the log filter needs sigma (mm), e.g. {\"log\", sigma = 1.5}", FNAME);
        lua_pop(L, 1);
        spec->log.sigma = num_field(L, idx, "sigma", spec->log.sigma);
        if (!(spec->log.sigma > 0))
            radl_fail(L, "%s: option 'sigma' of the log filter must be > 0 mm, got %g", FNAME, spec->log.sigma);
        spec->log.truncate = num_field(L, idx, "truncate", spec->log.truncate);
        if (!(spec->log.truncate > 0))
            radl_fail(L, "%s: option 'truncate' of the log filter (kernel radius in sigmas) must be > 0, got %g",
                      FNAME, spec->log.truncate);
        break;
    case RAD_FILTER_LAWS:
        s = str_field(L, idx, "kernel", NULL);
        if (!s)
            radl_fail(L, "%s: the laws filter needs kernel, e.g. {\"laws\", kernel = \"L5E5E5\"}", FNAME);
        if (strlen(s) >= sizeof spec->laws.kernel)
            radl_fail(L, "%s: Laws kernel '%s' is too long (one 1-D kernel per axis, e.g. \"L5E5E5\")", FNAME, s);
        strcpy(spec->laws.kernel, s);
        v = int_field(L, idx, "energy", 0);
        if (v < 0 || v > 100000)
            radl_fail(L, "%s: option 'energy' (the energy map distance delta, voxels; 0 = none) must be >= 0, got %lld",
                      FNAME, (long long)v);
        spec->laws.energy = (int)v;
        t = lua_getfield(L, idx, "rotation_invariant");
        if (t != LUA_TNIL && t != LUA_TBOOLEAN)
            radl_fail(L, "%s: option 'rotation_invariant' must be true or false, got %s", FNAME, luaL_typename(L, -1));
        spec->laws.rotation_invariant = lua_toboolean(L, -1);
        lua_pop(L, 1);
        s = str_field(L, idx, "pooling", "max");
        if ((t = rad_filter_pooling_parse(s)) < 0)
            radl_fail(L, "%s: unknown pooling '%s' (max, mean or min)", FNAME, s);
        spec->laws.pooling = (RadFilterPooling)t;
        break;
    case RAD_FILTER_GABOR: {
        static const char *const need[] = {"sigma", "lambda"};
        for (int q = 0; q < 2; q++) {
            lua_getfield(L, idx, need[q]);
            if (lua_isnil(L, -1))
                radl_fail(L, "%s: the gabor filter needs sigma and lambda (mm), e.g. {\"gabor\", sigma = 5, lambda = 2, "
                             "gamma = 1.5}", FNAME);
            lua_pop(L, 1);
        }
        spec->gabor.sigma = num_field(L, idx, "sigma", spec->gabor.sigma);
        spec->gabor.lambda = num_field(L, idx, "lambda", spec->gabor.lambda);
        spec->gabor.gamma = num_field(L, idx, "gamma", spec->gabor.gamma);
        /* angles in degrees in Lua (22.5, 45), radians in the engine */
        spec->gabor.theta = num_field(L, idx, "theta", 0) * M_PI / 180;
        spec->gabor.theta_step = num_field(L, idx, "theta_step", 0) * M_PI / 180;
        s = str_field(L, idx, "response", "modulus");
        if ((t = rad_gabor_response_parse(s)) < 0)
            radl_fail(L, "%s: unknown gabor response '%s' (modulus, real or imaginary)", FNAME, s);
        spec->gabor.response = t;
        s = str_field(L, idx, "pooling", "mean");
        if ((t = rad_gabor_pooling_parse(s)) < 0)
            radl_fail(L, "%s: unknown gabor pooling '%s' (mean or max)", FNAME, s);
        spec->gabor.pooling = t;
        break;
    }
    case RAD_FILTER_WAVELET:
        s = str_field(L, idx, "family", NULL);
        if (!s)
            radl_fail(L, "%s: the wavelet filter needs family, e.g. {\"wavelet\", family = \"db3\", band = \"LLH\"}", FNAME);
        if (strlen(s) >= sizeof spec->wavelet.family)
            radl_fail(L, "%s: unknown wavelet family '%s'", FNAME, s);
        strcpy(spec->wavelet.family, s);
        s = str_field(L, idx, "band", NULL);
        if (!s)
            radl_fail(L, "%s: the wavelet filter needs band: one L or H per filtered axis, x first (\"LLH\" in 3D, \"LH\" "
                         "in 2D)", FNAME);
        if (strlen(s) >= sizeof spec->wavelet.band)
            radl_fail(L, "%s: wavelet band '%s' is too long: one L or H per filtered axis (2 or 3 letters)", FNAME, s);
        strcpy(spec->wavelet.band, s);
        v = int_field(L, idx, "level", 1);
        if (v < 1 || v > 16)
            radl_fail(L, "%s: option 'level' of the wavelet filter must be 1..16, got %lld", FNAME, (long long)v);
        spec->wavelet.level = (int)v;
        for (int q = 0; q < 2; q++) {
            const char *key = q ? "rotation_invariant" : "decimated";
            t = lua_getfield(L, idx, key);
            if (t != LUA_TNIL && t != LUA_TBOOLEAN)
                radl_fail(L, "%s: option '%s' must be true or false, got %s", FNAME, key, luaL_typename(L, -1));
            *(q ? &spec->wavelet.rotation_invariant : &spec->wavelet.decimated) = lua_toboolean(L, -1);
            lua_pop(L, 1);
        }
        break;
    case RAD_FILTER_SIMONCELLI:
        v = int_field(L, idx, "level", 1);
        if (v < 1 || v > 16)
            radl_fail(L, "%s: option 'level' of the simoncelli filter must be 1..16, got %lld", FNAME, (long long)v);
        spec->simoncelli.level = (int)v;
        break;
    }
}

static int l_filter(lua_State *L)
{
    RadImage *img = radl_check_image(L, 1), **box;
    RadFilterSpec spec;
    read_spec(L, 2, img, &spec);
    box = radl_image_push(L);
    if (!(*box = rad_filter_apply(img, &spec)))
        return radl_fail(L, "%s: %s", FNAME, rad_error_message());
    return 1;
}

void radl_open_filter(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"filter", l_filter,
         "rad.filter(img, {name, ...}) -> Image: the IBSI 2 response map of a filter, on the image's grid. Options of "
         "every filter: dims = 3 (the volume) | 2 (each axial slice; the default for a single-slice image), boundary "
         "= \"mirror\" (default; also reflect, symmetric) | \"constant\" (zero) | \"nearest\" (edge) | \"periodic\" "
         "(wrap), threads = 0 (one per processor). {\"mean\", support = 15}: mean over support^dims voxels (odd). "
         "{\"log\", sigma = mm, truncate = 4}: Laplacian of Gaussian, kernel radius floor(truncate sigma/spacing + "
         "0.5) voxels. {\"laws\", kernel = \"L5E5E5\", energy = 0, rotation_invariant = false, pooling = \"max\"}: "
         "Laws kernel product (L3 E3 S3 L5 E5 S5 W5 R5, one per axis, x first), energy = delta: mean |response| "
         "over a (2 delta + 1)^dims window, rotation_invariant: pooled (max, mean or min) over the 24 (3D) or 4 "
         "(2D) right-angle rotations of the kernel. {\"gabor\", sigma = mm, lambda = mm, gamma = 1, theta = 0, theta_step = 0, "
         "response = \"modulus\" | \"real\" | \"imaginary\", pooling = \"mean\" | \"max\"}: Gabor filter in the axial plane "
         "(dims = 3: also the two other orthogonal planes, pooled), angles in degrees from the x axis towards y; "
         "theta_step > 0 pools the orientations theta + k theta_step around the circle (rotation invariance). "
         "{\"wavelet\", family = \"db3\", band = \"LLH\", level = 1, decimated = false, rotation_invariant = false}: "
         "separable wavelet sub-band (families haar, db1-db4, sym2-sym4, coif1; one L/H letter per filtered axis, x "
         "first), undecimated (a trous) unless decimated, rotation_invariant: mean over the right-angle rotations. "
         "{\"simoncelli\", level = 1}: the non-separable Simoncelli wavelet (frequency domain, periodic)"},
        {NULL, NULL, NULL}};
    radl_register(L, funcs, "rad.");
}
