/* radlab: the Lua bridge, shared declarations.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One binding file per engine object (l_image.c, l_mask.c, ...); the helpers
 * they share are defined in binding.c, and a binding file never calls
 * another binding file.  Each
 * registers its functions with a one-line help text; rad.help(f) finds it.
 * The binding never keeps a C pointer the garbage collector cannot reach: a
 * userdata is created empty (pointer NULL) before the engine call that fills
 * it, so an error in between leaves nothing to leak.
 */
#ifndef RAD_LUA_BINDING_H
#define RAD_LUA_BINDING_H

/* rad_plot.so compiles its own copy of binding.c (lua_rad_plot_la_CFLAGS
 * defines RADL_PLOT_MODULE): its copies of the shared tables take their own
 * names, so that no global is defined twice in a process that loads both
 * modules (a one-definition violation, which AddressSanitizer stops on). */
#ifdef RADL_PLOT_MODULE
#define radl_interp_names radlp_interp_names
#define radl_disc_names radlp_disc_names
#define radl_ivh_names radlp_ivh_names
#define radl_settings radlp_settings
#define radl_setting_type_names radlp_setting_type_names
#define radl_norm_names radlp_norm_names
#define radl_norm_scope_names radlp_norm_scope_names
#define radl_norm_sd_names radlp_norm_sd_names
#define radl_norm_stat_names radlp_norm_stat_names
#define radl_compat_names radlp_compat_names
#define radl_pyr_weight_names radlp_pyr_weight_names
#define radl_pyr_interp_names radlp_pyr_interp_names
#define radl_pyr_reseg_names radlp_pyr_reseg_names
#endif

#include <lua.h>
#include <lauxlib.h>

#include "rad.h"

#define RADL_IMAGE "rad.Image"
#define RADL_MASK "rad.Mask"
#define RADL_FIGURE "rad.Figure"

/* A function with its help text. */
typedef struct RadlReg {
    const char *name;
    lua_CFunction func;
    const char *help; /* "name(args) -> result: what it does" */
} RadlReg;

/* Set the functions of `regs` as fields of the table at the top of the stack
 * and record their help texts (rad.help). */
void radl_register(lua_State *L, const RadlReg *regs, const char *prefix);

/* The metatable of a userdata type, left on the stack: __index = a method
 * table of `methods` (help names prefix.."name"), __gc and __close = close,
 * __tostring.  The caller adds type-specific fields, then pops it. */
void radl_new_class(lua_State *L, const char *tname, const RadlReg *methods, const char *prefix,
                    lua_CFunction close, lua_CFunction tostring);

/* Fields of a penalised path on the table at the top: lambda, dev_ratio,
 * df (non-zeros per lambda) and beta (per lambda, {name = value} of the
 * non-zero coefficients; beta is nlambda x p, row k = lambda k). */
void radl_set_path_fields(lua_State *L, size_t nlambda, size_t p, const double *lambda, const double *dev_ratio,
                          const size_t *df, const double *beta, char *const *names);

/* Fields of a cross-validation result on the table at the top: lambda,
 * cvm, cvsd, lambda_min, lambda_1se, index_min, index_1se (1-based), folds;
 * the table gets the documented class RADL_CV (help(cv), print(cv)). */
#define RADL_CV "rad.CV"
void radl_set_cv_fields(lua_State *L, size_t nlambda, const double *lambda, const double *cvm, const double *cvsd,
                        double lambda_min, double lambda_1se, size_t index_min, size_t index_1se, lua_Integer folds);

/* Raise a Lua error with a printf-style message (unlike luaL_error it
 * formats %g, %zu and widths). */
int radl_fail(lua_State *L, const char *fmt, ...) RAD_PRINTF(2, 3);

/* Issue a warning (printf-style, one line, any length): lua_warning (unless
 * rad.quiet(true) is in effect), and appended to the list rad.warnings()
 * returns (registry key RADL_WARNINGS_KEY), so scripts and tests can see
 * what was said. */
void radl_warn(lua_State *L, const char *fmt, ...) RAD_PRINTF(2, 3);
#define RADL_WARNINGS_KEY "rad.warnings"
/* Registry key of the rad.quiet flag: true = warnings recorded, not shown. */
#define RADL_QUIET_KEY "rad.quiet"
#define RADL_WARNINGS_MAX 1000 /* the list keeps the first 1000 */

/* Raise a Lua error carrying the engine's last message. */
int radl_error(lua_State *L);

/* Userdata boxes: a pointer to the engine object (NULL while empty or
 * after close).  radl_box_push pushes a new empty box with the metatable
 * `tname`; radl_box_check returns the pointer of the box at idx, raising
 * "attempt to use a closed <Class>" when it is empty. */
void **radl_box_push(lua_State *L, const char *tname);
void *radl_box_check(lua_State *L, int idx, const char *tname);
RadImage **radl_image_push(lua_State *L);             /* new empty box */
RadImage *radl_check_image(lua_State *L, int idx);    /* error if closed */
RadMask **radl_mask_push(lua_State *L);
RadMask *radl_check_mask(lua_State *L, int idx);

/* Read an optional integer / number / string / boolean field of the options
 * table at `idx`, rejecting wrong types with an error naming the key. */
lua_Integer radl_opt_integer(lua_State *L, int idx, const char *key, lua_Integer def);
lua_Number radl_opt_number(lua_State *L, int idx, const char *key, lua_Number def);
const char *radl_opt_string(lua_State *L, int idx, const char *key, const char *def);
/* Reject keys of the options table at `idx` not in the NULL-terminated list
 * (nil or none: no options; anything else but a table is an error). */
void radl_check_keys(lua_State *L, int idx, const char *fname, const char *const *allowed);

/* Geometry of an Image or a Mask at `idx` (error for anything else). */
const RadGeometry *radl_check_geometry(lua_State *L, int idx);
/* Methods shared by Image and Mask: size, spacing, origin, direction,
 * ndim, to_point, to_index.  Help names use "Image:" or "Mask:". */
void radl_register_geometry(lua_State *L, const char *prefix);
/* Geometry from {size =, spacing =, origin =, direction =} at idx;
 * errors name `fname` and the offending key. */
void radl_geometry_from_table(lua_State *L, int idx, const char *fname, RadGeometry *g);
/* Push a Lua array of n numbers. */
void radl_push_numbers(lua_State *L, const double *v, int n);
/* n (2 or 3) 1-based voxel index arguments at idx.. -> 0-based, checked;
 * a 2D geometry may be indexed with (i, j) or (i, j, 1). */
void radl_check_ijk(lua_State *L, int idx, int n, const RadGeometry *g, size_t ijk[3]);

/* Per-object openers, called by luaopen_rad with the rad table on top. */
void radl_open_image(lua_State *L);
void radl_open_mask(lua_State *L);
void radl_open_features(lua_State *L);
void radl_open_table(lua_State *L);   /* l_table.c: rad.read_csv, Table, rad.NA */
void radl_open_stats(lua_State *L);   /* l_stats.c: rad.stats.* */
void radl_open_models(lua_State *L);  /* l_models.c: rad.logistic, rad.glmnet_logistic, rad.roc, ... */
void radl_open_cox(lua_State *L);     /* l_cox.c: rad.cox */
void radl_open_surv(lua_State *L);    /* l_surv.c: rad.km, rad.logrank, rad.concordance, ... */
void radl_open_coxnet(lua_State *L);  /* l_coxnet.c: rad.coxnet, rad.coxnet_cv */
void radl_open_plot(lua_State *L);    /* l_plot.c: rad.plot (Figure, page) and the chart files below (rad_plot module) */
void radl_open_cohort(lua_State *L);  /* l_cohort.c: rad.extract_cohort */
void radl_open_json(lua_State *L);    /* l_json.c: rad.json */
void radl_open_yaml(lua_State *L);    /* l_yaml.c: rad.yaml */
void radl_open_perturb(lua_State *L); /* l_perturb.c: rad.perturb, rad.image.noise_sd */
void radl_open_combat(lua_State *L);  /* l_combat.c: rad.combat (ComBat harmonisation) */
void radl_open_dicom_rt(lua_State *L); /* l_dicom_rt.c: rad.read_rtstruct, rad.dicom.rois, SEG */
void radl_open_filter(lua_State *L);   /* l_filter.c: rad.filter (IBSI 2 filters) */
void radl_open_featuremap(lua_State *L); /* l_featuremap.c: rad.feature_map */
void radl_open_markdown(lua_State *L);   /* l_markdown.c: rad.markdown (libcmark) */

/* ---- plots (l_plot.c) ----
 * These are in the module rad_plot.so only (rad.plot, loaded on first use),
 * never in the rad module or radlab: the Figure helpers and chart options
 * are defined in rad_plot.c.  Chart openers, called by luaopen_rad_plot with
 * the rad.plot table on top; each registers its functions with prefix
 * "rad.plot.". */
void radl_open_plot_surv(lua_State *L);  /* l_plot_surv.c: km, roc, calibration, dca, td_roc */
void radl_open_plot_model(lua_State *L); /* l_plot_model.c: forest, lasso, nomogram, box, waterfall, heatmap */
void radl_open_plot_image(lua_State *L); /* l_plot_image.c: slice, montage, histogram, feature map */
void radl_open_synth(lua_State *L);      /* l_synth.c: rad.synth.abdomen (demo data) */
void radl_open_dicom(lua_State *L);      /* l_dicom.c: rad.read_dicom, rad.dicom.series, rad.dicom.write_series */
/* A new empty Figure box on the stack; fill *box (or leave NULL on error). */
RadFigure **radl_figure_push(lua_State *L);
RadFigure *radl_check_figure(lua_State *L, int idx);
/* return radl_figure_return(L, box, fig, fname): stores fig (non-NULL) and
 * returns 1, or raises "fname: <the engine's message>" when fig is NULL
 * (a message that already starts with the chart's short name, "forest: ...",
 * is not named twice). */
int radl_figure_return(lua_State *L, RadFigure **box, RadFigure *fig, const char *fname);
/* Scratch memory for one call: a userdata pushed on the stack, freed by the
 * garbage collector, so an error cannot leak it. */
void *radl_scratch(lua_State *L, size_t bytes);
/* v[0..len-1] from the Lua array at idx: numbers, rad.NA or nil -> NaN;
 * anything else raises "fname: what[i] is a <type>; give numbers (rad.NA
 * for missing)". */
void radl_numbers_into(lua_State *L, int idx, const char *fname, const char *what, double *v, size_t len);
/* The Lua array at idx as doubles in scratch memory pushed on the stack
 * (radl_numbers_into's conversions); *n its length.  A non-table raises
 * "fname: what must be an array of numbers". */
double *radl_numbers_scratch(lua_State *L, int idx, const char *fname, const char *what, size_t *n);
/* The options every chart takes, from the table at idx (none/nil:
 * defaults): width, height (mm), title, subtitle, xlabel, ylabel, legend
 * ("auto", "none", "topright", ..., "right", "below"), grid (boolean).
 * Strings point into the table: keep it on the stack while using o.
 * Chart option lists start with RADL_CHART_KEYS. */
void radl_chart_options(lua_State *L, int idx, const char *fname, RadChartOptions *o);
#define RADL_CHART_KEYS "width", "height", "title", "subtitle", "xlabel", "ylabel", "legend", "grid"

#define RADL_TABLE "rad.Table"
/* Table boxes (l_table.c), as for Image and Mask. */
RadTable **radl_table_push(lua_State *L);
RadTable *radl_check_table(lua_State *L, int idx);
/* Push the missing-value sentinel rad.NA; test a stack slot for it. */
void radl_push_na(lua_State *L);
int radl_is_na(lua_State *L, int idx);
/* Push a Lua array of n numbers with NaN as rad.NA. */
void radl_push_numbers_na(lua_State *L, const double *v, size_t n);
/* A Lua array of numbers (rad.NA or nil -> NaN) into a malloc'd double[*n]. */
double *radl_check_numbers(lua_State *L, int idx, size_t *n);
/* Settings table at idx (nil = defaults) -> RadSettings; raises on bad keys. */
void radl_settings_from_table(lua_State *L, int idx, RadSettings *s);
/* A rad.filter option table at idx ({name, key = value, ...}) -> spec;
 * messages start with fname ("rad.filter", "settings.filters[2]");
 * default_dims when the table has no dims. */
void radl_filter_spec_read(lua_State *L, int idx, const char *fname, int default_dims, RadFilterSpec *spec);
/* Push the option table of a spec (what radl_filter_spec_read reads). */
void radl_push_filter_spec(lua_State *L, const RadFilterSpec *f);
/* Set field pyradiomics of the table on top to an image type's own
 * PyRadiomics settings (settings.filters[i].pyradiomics); nothing when none. */
void radl_push_pyr_override(lua_State *L, const RadPyrOverride *o);
/* The settings table's rows, one per key (terminated by path NULL): the
 * checker above, rad.settings.keys() and the help texts all read them. */
enum { RADL_SET_SECTION, RADL_SET_BOOL, RADL_SET_NUMBER, RADL_SET_INTEGER, RADL_SET_ENUM, RADL_SET_NUMBERS,
       RADL_SET_FAMILIES, RADL_SET_AGGREGATION, RADL_SET_PATH, RADL_SET_FILTERS, RADL_SET_CLASSES };
typedef struct RadlSetting {
    const char *path;          /* "discretise.bins"; a section ("resample") has its own row */
    int type;                  /* RADL_SET_* */
    const char *def;           /* the default as printed: "32", "linear", "off", "required" */
    double lo, hi;             /* numbers, integers: allowed range (lo < hi); arrays: count lo..hi */
    const char *const *names;  /* RADL_SET_ENUM, RADL_SET_AGGREGATION: the choices */
    const char *help;          /* one line */
} RadlSetting;
extern const RadlSetting radl_settings[];
extern const char *const radl_setting_type_names[]; /* indexed by RADL_SET_* */
/* Push the settings help: a heading, then "  path  default  help (range)" per row. */
void radl_push_settings_help(lua_State *L);

/* Registry keys: the help table ({[function] = text, [name] = text}) and
 * the missing-value sentinel rad.NA. */
#define RADL_HELP_KEY "rad.help"
#define RADL_NA_KEY "rad.NA"
/* Push the help table (created on first use). */
void radl_push_help_table(lua_State *L);
/* Register the help of a class of objects under its metatable name (the
 * __name luaL_newmetatable sets, e.g. "rad.CoxFit"): help(obj) prints it.
 * The text is several lines: what the object is, then one line per field
 * or method ("  coef    {term = value}: the coefficients"). */
void radl_document_class(lua_State *L, const char *tname, const char *text);

/* Model helpers shared by rad.cox and rad.logistic (binding.c).
 * radl_check_refs: the option ref = {column = "level"} of the options table
 * at idx; every key must be one of the n names (x) and map to a string;
 * refs[k] = the level of names[k] or NULL.  radl_warn_numeric_factors: a
 * warning for each text column in names whose cells are mostly numbers
 * (naming the first that is not).  radl_alias_terms: for the p design columns
 * x (n x p), kidx[j] = position among the kept terms, -1 constant, -2
 * aliased (rad_design_alias; group: Cox strata codes or NULL); with strict
 * the first such term is an error, else a warning each; returns the number
 * kept (none kept: an error). */
void radl_check_refs(lua_State *L, int idx, const char *fname, const char *const *names, size_t n, const char **refs);
void radl_warn_numeric_factors(lua_State *L, const RadTable *t, const char *const *names, size_t n, const char *fname);
size_t radl_alias_terms(lua_State *L, const double *x, size_t n, size_t p, const int *group, const char *const *terms,
                        int strict, const char *fname, int *kidx);

/* Names of the settings' enumerations, in enum order, NULL-terminated. */
extern const char *const radl_interp_names[];
extern const char *const radl_disc_names[];
extern const char *const radl_ivh_names[];
/* normalise.method (RadNorm - 1: RAD_NORM_NONE has no name), .scope, .sd, .statistic */
extern const char *const radl_norm_names[];
extern const char *const radl_norm_scope_names[];
extern const char *const radl_norm_sd_names[];
extern const char *const radl_norm_stat_names[];
/* compat (RadCompat); pyradiomics.weightingNorm (RadPyrWeight - 1),
 * .interpolator (RadInterp order), .resegmentMode */
extern const char *const radl_compat_names[];
extern const char *const radl_pyr_weight_names[];
extern const char *const radl_pyr_interp_names[];
extern const char *const radl_pyr_reseg_names[];

/* Text built line by line (printing a fit): append `line` to the Lua array
 * at stack index `lines`; radl_lines_join pushes their concatenation.  No
 * pointer into a growing buffer is kept while Lua values are read, the
 * mistake that made __tostring read freed memory. */
void radl_lines_add(lua_State *L, int lines, const char *line);
int radl_lines_join(lua_State *L, int lines);
/* The printed row of a term left out of the fit table at `fit` (coef NA:
 * constant or aliased, as R prints NA): written into line, returns 1; 0
 * when the term was estimated. */
int radl_dropped_row(lua_State *L, int fit, const char *term, char *line, size_t size);

/* The metatable of a guard: a userdata that frees an engine result in its
 * __gc when a call fails half-way (the result is freed with the guard). */
void radl_guard_class(lua_State *L, const char *tname, lua_CFunction gc);

/* The `rad` module, and rad.plot's module rad_plot (rad_plot.c). */
int luaopen_rad(lua_State *L);
int luaopen_rad_plot(lua_State *L);

#endif
