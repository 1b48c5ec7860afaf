/* radlab: Mask userdata and rad.read_mask, rad.mask.new.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "binding.h"

/* "1 (74 voxels), 2 (12 voxels)" for the non-zero labels present. */
static void describe_labels(const RadMask *m, char *buf, size_t n)
{
    size_t counts[256], len = 0;
    rad_mask_histogram(m, counts);
    buf[0] = '\0';
    for (int l = 1; l < 256 && len + 1 < n; l++)
        if (counts[l]) {
            int w = snprintf(buf + len, n - len, "%s%d (%zu voxels)", len ? ", " : "", l, counts[l]);
            if (w < 0)
                break;
            len += (size_t)w;
        }
    if (!len)
        snprintf(buf, n, "none (every voxel is 0)");
}

static int check_label(lua_State *L, lua_Integer label, const char *fname)
{
    if (label < 0 || label > 255)
        return luaL_error(L, "%s: label must be 0..255 (0 = every non-zero voxel), got %d", fname, (int)label);
    return (int)label;
}

/* Select `label` in the mask just read from `path`; an empty selection is an error. */
static void select_label(lua_State *L, RadMask **box, const char *path, int label)
{
    (*box)->label = label;
    if (rad_mask_count(*box) == 0) {
        char labels[512];
        describe_labels(*box, labels, sizeof labels);
        if (label)
            luaL_error(L, "'%s': the mask is empty: no voxel has label %d (labels present: %s); "
                          "choose one with {label = n}", path, label, labels);
        luaL_error(L, "'%s': the mask is empty: every voxel is 0; check that it is the right "
                      "segmentation file", path);
    }
}

static int l_read_mask(lua_State *L)
{
    static const char *const keys[] = {"label", NULL};
    const char *path = luaL_checkstring(L, 1);
    RadMask **box;
    int label;
    radl_check_keys(L, 2, "rad.read_mask", keys);
    label = check_label(L, radl_opt_integer(L, 2, "label", 0), "rad.read_mask");
    box = radl_mask_push(L);
    *box = rad_mask_read(path);
    if (!*box)
        return radl_error(L);
    select_label(L, box, path, label);
    return 1;
}

/* rad.read_case: image and mask read at the same time (rad_case_read), then
 * as rad.read and rad.read_mask; a DICOM RTSTRUCT or SEG mask is rasterised
 * on the image's grid, its contour or segment named by roi
 * (rad_case_read_roi). */
static int l_read_case(lua_State *L)
{
    static const char *const keys[] = {"label", "roi", NULL};
    const char *ipath = luaL_checkstring(L, 1), *mpath = luaL_checkstring(L, 2), *roi = NULL;
    RadImage **ibox;
    RadMask **mbox;
    int label;
    radl_check_keys(L, 3, "rad.read_case", keys);
    label = check_label(L, radl_opt_integer(L, 3, "label", 0), "rad.read_case");
    if (lua_istable(L, 3)) {
        int t = lua_getfield(L, 3, "roi");
        if (t == LUA_TSTRING || t == LUA_TNUMBER)
            roi = lua_tostring(L, -1); /* anchored by the options table (a number is converted in place) */
        else if (t != LUA_TNIL)
            return radl_fail(L, "rad.read_case: roi must name the RTSTRUCT contour or SEG segment (a string or a "
                             "number), not a %s", lua_typename(L, t));
        lua_pop(L, 1);
    }
    ibox = radl_image_push(L);
    mbox = radl_mask_push(L);
    if (rad_case_read_roi(ipath, mpath, roi, ibox, mbox) != 0)
        return radl_error(L);
    if (!rad_mask_is_dicom(mpath, (char[17]){0}))
        select_label(L, mbox, mpath, label);
    return 2;
}

static int l_mask_new(lua_State *L)
{
    static const char *const keys[] = {"size", "spacing", "origin", "direction", NULL};
    RadGeometry g;
    RadMask **box;
    if (luaL_testudata(L, 1, RADL_IMAGE)) {
        g = radl_check_image(L, 1)->geom; /* same grid as an image */
    } else {
        radl_check_keys(L, 1, "rad.mask.new", keys);
        radl_geometry_from_table(L, 1, "rad.mask.new", &g);
    }
    box = radl_mask_push(L);
    *box = rad_mask_new(&g);
    return *box ? 1 : radl_error(L);
}

/* ---- methods ------------------------------------------------------------------- */

static int m_write(lua_State *L)
{
    if (rad_mask_write(radl_check_mask(L, 1), luaL_checkstring(L, 2)) != 0)
        return radl_error(L);
    lua_settop(L, 1);
    return 1;
}

static int m_count(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)rad_mask_count(radl_check_mask(L, 1)));
    return 1;
}

static int m_label(lua_State *L)
{
    lua_pushinteger(L, radl_check_mask(L, 1)->label);
    return 1;
}

static int m_labels(lua_State *L)
{
    RadMask *m = radl_check_mask(L, 1);
    size_t counts[256];
    rad_mask_histogram(m, counts);
    lua_newtable(L);
    for (int l = 1; l < 256; l++)
        if (counts[l]) {
            lua_pushinteger(L, (lua_Integer)counts[l]);
            lua_rawseti(L, -2, l);
        }
    return 1;
}

static int m_get(lua_State *L)
{
    RadMask *m = radl_check_mask(L, 1);
    size_t ijk[3];
    radl_check_ijk(L, 2, lua_gettop(L) == 3 ? 2 : 3, &m->geom, ijk);
    lua_pushinteger(L, m->data[ijk[0] + m->geom.dim[0] * (ijk[1] + m->geom.dim[1] * ijk[2])]);
    return 1;
}

static int m_set(lua_State *L)
{
    RadMask *m = radl_check_mask(L, 1);
    size_t ijk[3];
    int nidx = lua_gettop(L) == 4 ? 2 : 3;
    lua_Integer v;
    radl_check_ijk(L, 2, nidx, &m->geom, ijk);
    v = luaL_checkinteger(L, 2 + nidx);
    if (v < 0 || v > 255)
        return luaL_error(L, "Mask:set: label must be 0..255, got %d", (int)v);
    m->data[ijk[0] + m->geom.dim[0] * (ijk[1] + m->geom.dim[1] * ijk[2])] = (uint8_t)v;
    lua_settop(L, 1);
    return 1;
}

static int m_bbox(lua_State *L)
{
    RadMask *m = radl_check_mask(L, 1);
    RadBox b;
    if (rad_mask_bbox(m, &b) != 0)
        return radl_error(L);
    lua_createtable(L, 0, 3);
    for (int f = 0; f < 3; f++) {
        lua_createtable(L, 3, 0);
        for (int c = 0; c < 3; c++) {
            size_t v = f == 0 ? b.lo[c] + 1 : f == 1 ? b.hi[c] + 1 : b.hi[c] - b.lo[c] + 1;
            lua_pushinteger(L, (lua_Integer)v);
            lua_rawseti(L, -2, c + 1);
        }
        lua_setfield(L, -2, f == 0 ? "min" : f == 1 ? "max" : "size");
    }
    return 1;
}

static int opt_connectivity(lua_State *L, int idx, const RadMask *m, const char *fname)
{
    static const char *const keys[] = {"connectivity", NULL};
    radl_check_keys(L, idx, fname, keys);
    return (int)radl_opt_integer(L, idx, "connectivity", m->geom.ndim == 2 ? 8 : 26);
}

static int m_components(lua_State *L)
{
    RadMask *m = radl_check_mask(L, 1);
    int conn = opt_connectivity(L, 2, m, "Mask:components");
    size_t n = rad_mask_nvox(m), *sizes = NULL;
    uint32_t *lab = rad_malloc(n * sizeof *lab, "component labels");
    long nc;
    if (!lab)
        return radl_error(L);
    nc = rad_mask_components(m, conn, lab, &sizes);
    if (nc < 0) {
        free(lab);
        return radl_error(L);
    }
    /* push everything before raising any Lua error, so nothing leaks */
    lua_pushinteger(L, nc);
    lua_createtable(L, (int)nc, 0);
    for (long c = 0; c < nc; c++) {
        lua_pushinteger(L, (lua_Integer)sizes[c]);
        lua_rawseti(L, -2, c + 1);
    }
    free(sizes);
    if (nc <= 255) {
        RadMask **box = radl_mask_push(L);
        *box = rad_mask_new(&m->geom);
        if (*box)
            for (size_t v = 0; v < n; v++)
                (*box)->data[v] = (uint8_t)lab[v];
    } else {
        lua_pushnil(L); /* more components than uint8 labels */
    }
    free(lab);
    return 3;
}

static int m_largest(lua_State *L)
{
    RadMask *m = radl_check_mask(L, 1);
    int conn = opt_connectivity(L, 2, m, "Mask:largest");
    RadMask **box = radl_mask_push(L);
    *box = rad_mask_largest(m, conn);
    return *box ? 1 : radl_error(L);
}

static int m_select(lua_State *L)
{
    RadMask *m = radl_check_mask(L, 1);
    int n = lua_gettop(L) - 1, labels[255];
    RadMask **box;
    if (n < 1 || n > 255)
        return luaL_error(L, "Mask:select: give 1 to 255 labels, e.g. mask:select(1, 2)");
    for (int i = 0; i < n; i++)
        labels[i] = (int)luaL_checkinteger(L, 2 + i);
    box = radl_mask_push(L);
    *box = rad_mask_select(m, labels, n);
    if (!*box)
        return radl_error(L);
    if (rad_mask_count(*box) == 0) {
        char present[512], asked[1024];
        size_t len = 0;
        describe_labels(m, present, sizeof present);
        asked[0] = '\0';
        for (int i = 0; i < n && len + 8 < sizeof asked; i++)
            len += (size_t)snprintf(asked + len, sizeof asked - len, "%s%d", i ? ", " : "", labels[i]);
        return luaL_error(L, "Mask:select: no voxel has label%s %s (labels present: %s)", n > 1 ? "s" : "", asked,
                          present);
    }
    return 1;
}

static int m_copy(lua_State *L)
{
    RadMask *m = radl_check_mask(L, 1);
    RadMask **box = radl_mask_push(L);
    *box = rad_mask_copy(m);
    return *box ? 1 : radl_error(L);
}

/* mask:resample_to(img or mask): the labels on the other object's grid. */
static int m_resample_to(lua_State *L)
{
    RadMask *m = radl_check_mask(L, 1);
    const RadGeometry *g;
    RadMask **box;
    if (!luaL_testudata(L, 2, RADL_IMAGE) && !luaL_testudata(L, 2, RADL_MASK))
        return luaL_error(L, "Mask:resample_to: give the Image (or Mask) whose grid to use, got %s",
                          luaL_typename(L, 2));
    g = radl_check_geometry(L, 2);
    box = radl_mask_push(L);
    *box = rad_mask_resample_to(m, g);
    return *box ? 1 : radl_error(L);
}

static int m_close(lua_State *L)
{
    RadMask **box = luaL_checkudata(L, 1, RADL_MASK);
    rad_mask_free(*box);
    *box = NULL;
    return 0;
}

static int m_tostring(lua_State *L)
{
    RadMask **box = luaL_checkudata(L, 1, RADL_MASK);
    char geo[512], labels[512], out[1200];
    if (!*box) {
        lua_pushstring(L, "Mask (closed)");
        return 1;
    }
    rad_geometry_describe(&(*box)->geom, geo, sizeof geo);
    describe_labels(*box, labels, sizeof labels);
    if ((*box)->label)
        snprintf(out, sizeof out, "Mask %s, label %d selected (%zu voxels); labels %s", geo, (*box)->label,
                 rad_mask_count(*box), labels);
    else
        snprintf(out, sizeof out, "Mask %s, all non-zero labels selected (%zu voxels); labels %s", geo,
                 rad_mask_count(*box), labels);
    lua_pushstring(L, out);
    return 1;
}

void radl_open_mask(lua_State *L)
{
    static const RadlReg funcs[] = {
        {"read_mask", l_read_mask, "rad.read_mask(path [, {label = n}]) -> Mask: read a label mask; label n selected (default: every non-zero voxel); an empty selection is an error"},
        {"read_case", l_read_case, "rad.read_case(image_path, mask_path [, {label = n, roi = name}]) -> Image, Mask: rad.read and rad.read_mask at the same time (two threads), for one extraction; an error of the image is reported first. image_path may be a DICOM series folder; mask_path a DICOM RTSTRUCT or SEG file, rasterised on the image's grid: roi names its contour (ROI name or number) or segment (label or number), needed when it holds several"},
        {NULL, NULL, NULL}};
    static const RadlReg mask_funcs[] = {
        {"new", l_mask_new, "rad.mask.new(img or {size =, spacing =, origin =, direction =}) -> Mask: an empty (all 0) mask"},
        {NULL, NULL, NULL}};
    static const RadlReg methods[] = {
        {"write", m_write, "Mask:write(path) -> Mask: write the labels as uint8 .nii/.nii.gz/.nrrd/.nhdr or 2D .png"},
        {"count", m_count, "Mask:count() -> n: voxels in the selected label"},
        {"label", m_label, "Mask:label() -> n: the selected label (0 = every non-zero voxel)"},
        {"labels", m_labels, "Mask:labels() -> {[label] = voxels}: voxel count of every non-zero label"},
        {"get", m_get, "Mask:get(i, j[, k]) -> label at a 1-based index"},
        {"set", m_set, "Mask:set(i, j[, k], label) -> Mask: set one voxel's label (0..255)"},
        {"bbox", m_bbox, "Mask:bbox() -> {min = {i,j,k}, max = {i,j,k}, size = {..}}: 1-based inclusive bounding box of the selection"},
        {"components", m_components, "Mask:components([{connectivity = 26}]) -> n, sizes, Mask: connected components, largest first (Mask labels 1..n, nil if n > 255)"},
        {"largest", m_largest, "Mask:largest([{connectivity = 26}]) -> Mask: the largest connected component"},
        {"select", m_select, "Mask:select(label, ...) -> Mask: binary mask (label 1) of the voxels with any of the labels"},
        {"copy", m_copy, "Mask:copy() -> Mask: an independent copy"},
        {"resample_to", m_resample_to, "Mask:resample_to(img) -> Mask: the labels on img's grid by nearest neighbour (0 outside the mask; selected label kept), for a mask made on another grid"},
        {"close", m_close, "Mask:close(): free the voxels now (also done by the garbage collector)"},
        {NULL, NULL, NULL}};

    radl_register(L, funcs, "rad.");
    lua_newtable(L);
    radl_register(L, mask_funcs, "rad.mask.");
    lua_setfield(L, -2, "mask");
    radl_new_class(L, RADL_MASK, methods, "Mask:", m_close, m_tostring);
    lua_getfield(L, -1, "__index");
    radl_register_geometry(L, "Mask:");
    lua_pop(L, 2);
}
