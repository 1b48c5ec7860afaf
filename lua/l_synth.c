/* radlab: rad.synth: synthetic images for demo data.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A thin wrapper over src/image/synth.h; the statistical truth model that
 * chooses each patient's parameters is stdlib/rad/demo.lua. */
#include "binding.h"
#include "image/synth.h"

/* A Lua array of 3 positive numbers, field `key` of the table at idx. */
static void triple(lua_State *L, int idx, const char *key, double def[3])
{
    if (lua_getfield(L, idx, key) != LUA_TNIL) {
        if (!lua_istable(L, -1) || lua_rawlen(L, -1) != 3)
            radl_fail(L, "rad.synth.abdomen: option '%s' must be an array of 3 numbers, got %s", key, luaL_typename(L, -1));
        for (int d = 0; d < 3; d++) {
            if (lua_rawgeti(L, -1, d + 1) != LUA_TNUMBER)
                radl_fail(L, "rad.synth.abdomen: element %d of '%s' must be a number", d + 1, key);
            def[d] = lua_tonumber(L, -1);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

static int l_abdomen(lua_State *L)
{
    static const char *const keys[] = {"size", "spacing", "radius", "lobulation", "heterogeneity", "necrosis",
                                       "calcification", "side", "noise", "blur", "seed", NULL};
    RadSynthParams p;
    double size[3] = {96, 96, 40};
    RadImage **ibox, *img;
    RadMask **mbox, *mask;
    lua_Integer seed;
    luaL_checktype(L, 1, LUA_TTABLE);
    radl_check_keys(L, 1, "rad.synth.abdomen", keys);
    triple(L, 1, "size", size);
    p.spacing[0] = p.spacing[1] = 0.8;
    p.spacing[2] = 2.5;
    triple(L, 1, "spacing", p.spacing);
    for (int d = 0; d < 3; d++) {
        if (!(size[d] >= 8 && size[d] <= 1024 && size[d] == (double)(size_t)size[d]))
            return radl_fail(L, "rad.synth.abdomen: size[%d] = %g must be an integer from 8 to 1024", d + 1, size[d]);
        p.dim[d] = (size_t)size[d];
    }
    p.radius = radl_opt_number(L, 1, "radius", 20);
    p.lobulation = radl_opt_number(L, 1, "lobulation", 0.5);
    p.heterogeneity = radl_opt_number(L, 1, "heterogeneity", 0.5);
    p.necrosis = radl_opt_number(L, 1, "necrosis", 0.3);
    p.calcification = radl_opt_number(L, 1, "calcification", 0.3);
    p.side = radl_opt_number(L, 1, "side", 1);
    p.noise = radl_opt_number(L, 1, "noise", 15);
    p.blur = radl_opt_number(L, 1, "blur", 0.6);
    seed = radl_opt_integer(L, 1, "seed", 1);
    ibox = radl_image_push(L);
    mbox = radl_mask_push(L);
    if (rad_synth_abdomen(&p, (uint64_t)seed, &img, &mask) != 0)
        return radl_error(L);
    *ibox = img;
    *mbox = mask;
    return 2;
}

static const RadlReg synth_funcs[] = {
    {"abdomen", l_abdomen,
     "rad.synth.abdomen{size = {96, 96, 40}, spacing = {0.8, 0.8, 2.5}, radius = 20, lobulation = 0.5, heterogeneity = 0.5, "
     "necrosis = 0.3, calcification = 0.3, side = 1, noise = 15, blur = 0.6, seed = 1} -> Image, Mask: a synthetic "
     "abdominal CT (HU: body, fat, muscle, spine, kidneys, liver edge, aorta) with a lobulated adrenal tumour (radius mm; "
     "lobulation, heterogeneity, calcification 0..1; necrosis 0..0.8 = relative core radius; side -1 right, +1 left) as "
     "mask label 1; noise = CT noise sd (HU), blur = in-plane blur sd (mm); the same for the same seed"},
    {NULL, NULL, NULL}};

void radl_open_synth(lua_State *L)
{
    lua_newtable(L);
    radl_register(L, synth_funcs, "rad.synth.");
    lua_setfield(L, -2, "synth");
}
