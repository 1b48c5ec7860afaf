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

static int l_filter(lua_State *L)
{
    RadImage *img = radl_check_image(L, 1), **box;
    RadFilterSpec spec;
    radl_filter_spec_read(L, 2, FNAME, img->geom.ndim == 2 || img->geom.dim[2] < 2 ? 2 : 3, &spec);
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
         "separable wavelet sub-band (families as PyWavelets names them, any case: haar, db1-db20, sym2-sym20, "
         "coif1-coif17; one L/H letter per filtered axis, x first), undecimated (a trous) unless decimated, level: "
         "at most log2 of the shortest filtered side, rotation_invariant: mean over the right-angle rotations. "
         "{\"simoncelli\", level = 1}: the non-separable Simoncelli wavelet (frequency domain, periodic). "
         "riesz = {lx, ly, lz} (log and simoncelli; 2D: {lx, ly}): the Riesz transform of the response, order l_i "
         "along each axis, x first, entries 0..4, total 1..4 (all zeros: none), e.g. {\"log\", sigma = 3, riesz = "
         "{1, 0, 0}} (a first-order, gradient-like component along x) or riesz = {0, 2, 0} (second order along y); "
         "in the Fourier domain sqrt(|l|!/prod l_i!) (-j)^|l| prod w_i^l_i / |w|^|l|; the log path pads with the "
         "boundary condition by the kernel's reach before the periodic transform. "
         "PyRadiomics' image types, by its definitions (m = max |x| over the image): {\"square\"} (x / sqrt m)^2, "
         "{\"squareroot\"} sign(x) sqrt(m |x|), {\"logarithm\"} sign(x) log(|x| + 1) scaled to max m, "
         "{\"exponential\"} exp(x log(m) / m), {\"gradient\", use_spacing = true}: gradient magnitude by central "
         "differences (ITK's; per mm unless use_spacing = false), {\"lbp2d\", points = 8, radius = 1, method = "
         "\"uniform\" | \"default\" | \"ror\"}: local binary patterns of each axial slice (scikit-image's), "
         "{\"pywavelet\", family = \"coif1\", band = \"LLH\", level = 1, start_level = 0}: PyRadiomics' wavelet "
         "(PyWavelets' swtn: periodic, odd sizes padded by one wrapped voxel; level L repeats level 1 on the "
         "approximation; start_level S first replaces the image by S approximations, as PyRadiomics' start_level), "
         "{\"pylog\", sigma = mm}: PyRadiomics' LoG (ITK's recursive-Gaussian Laplacian, normalised across "
         "scale: sigma^2 times the Laplacian; the edge voxel extended; each filtered axis needs >= 4 and >= "
         "ceil(sigma / spacing) + 1 voxels), {\"lbp3d\", levels = 2, radius = 1, subdivision = 1, output = \"m1\"}: "
         "PyRadiomics' 3D local binary patterns (icosphere neighbours at radius voxels, cubic-spline samples, 0 "
         "outside the image; over the whole image): output \"m<j>\" (j = 1..levels) is its image lbp-3D-m<j>, "
         "\"k\" the kurtosis image lbp-3D-k (NaN where all samples are equal); to get them all as PyRadiomics "
         "does, list one filter per output in settings.filters: {{\"lbp3d\", output = \"m1\"}, {\"lbp3d\", "
         "output = \"m2\"}, {\"lbp3d\", output = \"k\"}}"},
        {NULL, NULL, NULL}};
    radl_register(L, funcs, "rad.");
}
