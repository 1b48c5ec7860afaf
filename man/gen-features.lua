-- radlab: writes radlab-features(7) from the feature registry (run at build
-- time: radlab man/gen-features.lua > man/radlab-features.7).
-- SPDX-License-Identifier: GPL-3.0-or-later

local function esc(s) return (tostring(s):gsub("\\", "\\e"):gsub("^%.", "\\&.")) end

io.write([[
'\" t
.\" radlab-features.7: generated from radlab's feature registry by man/gen-features.lua.
.TH RADLAB-FEATURES 7 "" "radlab ]] .. rad.version .. [[" "radlab manual"
.SH NAME
radlab-features \- the IBSI features radlab computes
.SH DESCRIPTION
radlab computes the features of the Image Biomarker Standardisation Initiative
(IBSI 1, https://theibsi.github.io).  A feature's tag is
\fIfamily_feature\fR[\fI_aggregation\fR], exactly as in the IBSI reference
tables, e.g. \fBstat_mean\fR, \fBcm_joint_max_3D_comb\fR, \fBszm_sze_2_5D\fR.
Texture families add one suffix per requested aggregation
(settings.texture.aggregation): GLCM and GLRLM _2D_avg, _2D_comb, _2_5D_avg,
_2_5D_comb, _3D_avg, _3D_comb; GLSZM, GLDZM, NGTDM and NGLDM _2D, _2_5D, _3D.
The four-character code after each tag is its IBSI permanent identifier.
.PP
\fBradlab features\fR [\fIfamily\fR] and \fBrad.features.list\fR([\fIfamily\fR])
print the same list; \fBrad.features.info\fR(\fItag\fR) explains one tag.
]])

for _, fam in ipairs(rad.features.families()) do
  local defs = rad.features.list(fam.prefix)
  if #defs > 0 then
    io.write(".SH ", esc(fam.name:upper()), fam.ibsi_id ~= "" and (" (" .. fam.ibsi_id .. ")") or "", "\n")
    if fam.prefix == "diag" then
      io.write("Diagnostic rows of the image-processing steps (IBSI 05 \"Diagnostic features\"): ",
        "sizes, voxel counts and intensities of the image and masks as read (init), after ",
        "interpolation (interp) and after re-segmentation (reseg).  Computed only when the ",
        "settings ask for them (\\fBdiagnostics = true\\fR); every tag is \\fBdiag_\\fR followed ",
        "by the IBSI diagnostic tag.\n")
    else
      io.write("Prefix \\fB", fam.prefix, "_\\fR.\n")
    end
    for _, d in ipairs(defs) do
      io.write(".TP\n\\fB", esc(d.tag), "\\fR", d.ibsi_id ~= "" and ("  " .. d.ibsi_id) or "", "\n")
      io.write(esc(d.name), d.unit ~= "" and (" (" .. esc(d.unit) .. ")") or "", "\n")
    end
  end
end
local on_response = {}
for _, fam in ipairs(rad.features.families()) do
  if fam.on_response then on_response[#on_response + 1] = "\\fB" .. fam.prefix .. "\\fR" end
end
io.write([=[
.SH FILTERS
\fBsettings.filters\fR is a list of IBSI 2 filters (arXiv:2006.05470), each
table as \fBrad.filter\fR takes it (radlab-lua(7)), e.g.
\fB{{"log", sigma = 1.5}, {"wavelet", family = "db3", band = "LLH", rotation_invariant = true}}\fR;
\fBdims\fR is 3 unless given (2: each axial slice on its own).  The order
is that of IBSI 2 phase 2: the ROI is prepared once as for the unfiltered
features (interpolation, rounding, re-segmentation of the \fIoriginal\fR
intensities, so a range such as [-1000, 400] HU defines the ROI); each
filter is then applied to the whole (interpolated) image, without cropping,
and the families of \fBsettings.filter_families\fR are computed from the
response sampled in that ROI, after the unfiltered features.  The unfiltered
features keep their tags and values; \fBsettings.families = {}\fR leaves
only the filtered ones.
.PP
Families allowed on response maps: ]=] .. table.concat(on_response, ", ") .. [=[ (the default of
\fBsettings.filter_families\fR).  IBSI 2 (phase 2) standardises the
intensity statistics of responses, without discretisation, and publishes no
reference values for the texture of filtered images.  A response has no
physical unit, so a fixed bin size in HU means nothing for it: texture of a
response would need a fixed bin number over the response's range (the IBSI
advice for images without calibrated units), which no IBSI reference can
check.  radlab therefore refuses other families on responses with an error
naming settings.filter_families.
.PP
Each filtered feature's tag is a prefix naming the filter and every
parameter, then the IBSI tag: \fIprefix\fB_stat_mean\fR.  Prefixes:
.TP
\fBmean_\fIM\fB_\fIdims\fBD\fR
mean filter of support \fIM\fR voxels, e.g. \fBmean_5_2D_stat_mean\fR
.TP
\fBlog_s\fIsigma\fBmm\fR[\fB_t\fItruncate\fR]\fB_\fIdims\fBD\fR
Laplacian of Gaussian (truncate when not 4), e.g. \fBlog_s1.5mm_3D_stat_mean\fR
.TP
\fBlaws_\fIkernel\fR[\fB_e\fIdelta\fR][\fB_inv\fR[\fBmean\fR|\fBmin\fR]]\fB_\fIdims\fBD\fR
Laws kernel, energy map distance, rotation invariance (max pooling unless
named), e.g. \fBlaws_L5E5E5_e7_inv_3D_stat_mean\fR
.TP
\fBgabor_s\fIsigma\fB_g\fIgamma\fB_l\fIlambda\fB_t\fItheta\fR[\fB_\fIstep\fR][\fB_real\fR|\fB_imag\fR][\fB_max\fR]\fB_\fIdims\fBD\fR
Gabor filter, angles in degrees, modulus and mean pooling unless named,
e.g. \fBgabor_s5_g1.5_l2_t0_22.5_3D_stat_mean\fR
.TP
\fBwav_\fIfamily\fB_\fIband\fB_L\fIlevel\fR[\fB_inv\fR][\fB_dec\fR]\fB_\fIdims\fBD\fR
separable wavelet sub-band, rotation invariant, decimated,
e.g. \fBwav_db3_LLH_L1_inv_3D_stat_mean\fR; \fIfamily\fR is one of
PyWavelets' orthogonal families haar, db1-db20, sym2-sym20, coif1-coif17
(PyRadiomics' default is coif1), written in lower case whatever case was given
.TP
\fBsimoncelli_L\fIlevel\fB_\fIdims\fBD\fR
Simoncelli wavelet, e.g. \fBsimoncelli_L1_3D_stat_mean\fR
.TP
\fBsquare\fR, \fBsquareroot\fR, \fBlogarithm\fR, \fBexponential\fR (\fB_\fIdims\fBD\fR)
PyRadiomics' intensity transforms, e.g. \fBsquare_3D_stat_mean\fR
.TP
\fBgradient\fR[\fB_vox\fR]\fB_\fIdims\fBD\fR
gradient magnitude, per mm (per voxel with use_spacing = false)
.TP
\fBlbp2d_P\fIpoints\fB_R\fIradius\fB_\fImethod\fB_2D\fR
local binary patterns of each axial slice, e.g. \fBlbp2d_P8_R1_uniform_2D_stat_mean\fR
.TP
\fBpywav_\fIfamily\fB_\fIband\fB_L\fIlevel\fB_\fIdims\fBD\fR
PyRadiomics' wavelet (PyWavelets' swtn), e.g. \fBpywav_coif1_LLH_L1_3D_stat_mean\fR
.TP
\fBpylog_s\fIsigma\fBmm_\fIdims\fBD\fR
PyRadiomics' LoG (ITK's recursive Gaussian), e.g. \fBpylog_s2mm_3D_stat_mean\fR
.TP
\fBlbp3d_R\fIradius\fB_S\fIsubdivision\fB_\fIoutput\fB_3D\fR
PyRadiomics' 3D local binary patterns, output m1, m2, ... or k (kurtosis),
e.g. \fBlbp3d_R1_S1_m1_3D_stat_mean\fR
.PP
A Riesz transform on top of a log or simoncelli response (option
\fBriesz\fR, the order along each axis, x first: \fBriesz = {0, 2, 0}\fR;
IBSI 2 consensus maps 9.a, 9.b.1, 10.b.1) adds \fB_riesz\fIlxlylz\fR
after the filter's parameters (2D: \fB_riesz\fIlxly\fR), e.g.
\fBlog_s3mm_riesz020_bconstant_3D_stat_mean\fR.  An order of all zeros
is no transform; entries are 0..4 with a total of at most 4.
A boundary other than mirror adds \fB_b\fIname\fR before the dimension
(\fBmean_5_bconstant_3D\fR).  Two filters with the same prefix in one
list are an error.  The settings digest includes the filters and
filter_families only when filters are given, so the digests of settings
without filters are unchanged.  tests/reference/ibsi2/config_1a.lua ..
config_9b.lua are the 18 IBSI 2 phase-2 configurations on the IBSI CT phantom.
]=])
io.write([[
.SH NORMALISATION
\fBsettings.normalise\fR (off by default) rescales the intensities before
any other step that reads them.  The order of the steps is that of IBSI 1
chapter 2: data conversion (rounding, \fBsettings.round\fR), image
post-acquisition processing (PCDE: the normalisation), segmentation,
interpolation (VTM2, \fBsettings.resample\fR), re-segmentation (IF9H,
\fBsettings.resegment\fR, whose range is therefore in normalised units),
discretisation.  The whole image is normalised on its own grid; ROI
statistics use the mask on that grid, before interpolation (PyRadiomics'
\fBnormalize\fR also acts before resampling).  The diagnostic rows of the
initial image and ROI (\fBdiag_*_init_*\fR) describe the normalised image.
Statistics are over the finite voxels of the region; every voxel of the image
is transformed (NaN stays NaN); the result is stored as float32.
.TP
\fBmethod = "zscore"\fR
y = s (x \- mu) / sigma.  \fBscope = "roi"\fR (default): mu and sigma of the
ROI; \fBscope = "image"\fR: of every voxel of the image, as PyRadiomics'
\fBnormalize\fR.  \fBsd = "population"\fR (default, divides by N, as every
IBSI dispersion statistic) or \fB"sample"\fR (N \- 1).  PyRadiomics calls
SimpleITK's Normalize, whose sigma is ITK's StatisticsImageFilter's
"unbiased estimate" (N \- 1), not the population SD: for PyRadiomics' values
use scope = "image" and sd = "sample".  \fBscale = s\fR (default 1) is PyRadiomics' normalizeScale.
\fBremove_outliers = k\fR (k > 0) is PyRadiomics' removeOutliers: z-scores are
clipped to [\-k, k], i.e. x above mu + k sigma is set to mu + k sigma and below
mu \- k sigma to mu \- k sigma, after normalising and before s is applied.
.TP
\fBmethod = "percentile"\fR
y = a + (b \- a) (x \- q_lo) / (q_hi \- q_lo): the percentile p_lo of the
region (\fBpercentiles = {p_lo, p_hi}\fR, in percent, required) goes to a, p_hi
to b (\fBrange = {a, b}\fR, default {0, 1}); values outside the percentiles
map linearly outside [a, b] (no clipping).  Percentiles are Hyndman and Fan
type 7, the default of R's quantile and numpy's percentile: of the N sorted
values v_1..v_N, h = (N \- 1) p + 1 and q = v_floor(h) + (h \- floor(h))
(v_floor(h)+1 \- v_floor(h)).  \fBscope\fR as for zscore.
.TP
\fBmethod = "reference"\fR
against a reference region, e.g. muscle or fat in MR: \fBlabel = k\fR, another
label of the ROI's mask (the mask must be read with its ROI label,
rad.read_mask(path, {label = 1})), or \fBmask = "file"\fR, a mask file on the
image's grid (every non-zero voxel, or its label k when label is given).
\fBstatistic = "mean"\fR (default): y = x / mu_ref; \fB"zscore"\fR:
y = (x \- mu_ref) / sigma_ref with \fBsd\fR as above.  The settings digest
includes the file's SHA-256, so editing it invalidates cached features.  A
relative path is relative to the working directory.  In a cohort
(rad.extract_cohort) the settings are shared by every case, so a reference
region per case is a label of each case's mask (\fBlabel = k\fR), not a file.
.PP
Errors name the key: an unknown method, percentiles outside 0..100, a
reference label absent from the mask, an empty reference region, a standard
deviation of 0 (a constant region), equal percentiles, a reference mean of 0.
]])
io.write([=[
.SH PYRADIOMICS COMPATIBILITY
With \fBcompat = "pyradiomics"\fR the families PyRadiomics has are computed
with PyRadiomics' conventions and named as in its output, for users moving
from PyRadiomics: \fBoriginal_\fIclass\fB_\fIFeature\fR, e.g.
\fBoriginal_firstorder_Mean\fR, \fBoriginal_glcm_Contrast\fR,
\fBoriginal_shape_MeshVolume\fR (\fIoriginal\fR: the unfiltered image).
\fBradlab features \-\-pyradiomics\fR (Lua: \fBrad.features.pyradiomics\fR)
lists every name beside the radlab tag of the IBSI feature it corresponds to
and what differs; with the same grey levels (e.g. integer intensities and
binWidth 1) the features it notes no difference for equal their IBSI tags.
PyRadiomics' other image types are \fBsettings.filters\fR entries of its
kinds: \fBpylog\fR (LoG, \fBlog-sigma-1-0-mm-3D\fR), \fBpywavelet\fR
(Wavelet, \fBwavelet-LLH\fR, \fBwavelet2-HHH\fR for level 2), \fBsquare\fR,
\fBsquareroot\fR, \fBlogarithm\fR, \fBexponential\fR, \fBgradient\fR,
\fBlbp2d\fR (\fBlbp-2D\fR) and \fBlbp3d\fR (\fBlbp-3D-m1\fR ..
\fBlbp-3D-k\fR, one entry per output); each response is measured with every
enabled class but shape and the same options, e.g.
\fBlog-sigma-1-0-mm-3D_glcm_Contrast\fR.  IBSI filters, an image type twice,
and preCrop with image types are errors.  The classes are shape (\fBmorph\fR),
firstorder (\fBstat\fR or \fBih\fR), glcm (\fBcm\fR), glrlm (\fBrlm\fR),
glszm (\fBszm\fR), gldm (\fBngl\fR) and ngtdm (\fBngt\fR); \fBsettings.families\fR
takes these radlab names.  PyRadiomics' options go in \fBsettings.pyradiomics\fR
under their own names (those of its parameter files): binWidth, binCount,
voxelArrayShift, force2D, force2Ddimension, normalize, normalizeScale,
removeOutliers, resegmentRange, resegmentMode, resampledPixelSpacing,
interpolator, padDistance, preCrop, additionalInfo, minimumROIDimensions,
minimumROISize, label, distances, symmetricalGLCM, weightingNorm, gldm_a
(\fBhelp(rad.extract)\fR lists each with its default).  The IBSI settings
(discretise, resample, resegment, normalise, texture, ivh, round, filters)
are refused in this mode, and \fBsettings.pyradiomics\fR is refused in IBSI
mode, so that no option is silently overridden.  Options radlab cannot
reproduce are errors that name them: resegmentMode "relative", an
asymmetric sigma range, a 0 in resampledPixelSpacing, interpolators other
than sitkNearestNeighbor, sitkLinear and sitkBSpline, more than one
distance, a label other than the mask's.
.PP
A parameter file (\fBrad.settings.from_pyradiomics\fR,
\fBrad.settings.to_pyradiomics\fR, \fBradlab extract \-\-params\fR) maps
onto these settings:
.TS
l lw(34n).
\fBParams.yaml\fR	\fBradlab settings\fR
_
setting: {binWidth: 5}	T{
pyradiomics = {binWidth = 5} (any option above)
T}
imageType: {Original: {}}	T{
pyradiomics.original = true (the default)
T}
imageType without Original	T{
pyradiomics.original = false: the listed types and shape
T}
imageType: {} (empty)	T{
Original alone, as in PyRadiomics
T}
LoG: {sigma: [1.0, 2.0]}	T{
filters {"pylog", sigma = 1}, {"pylog", sigma = 2}
T}
Wavelet: {level: 2}	T{
filters {"pywavelet", band = "LLH", level = 1}, ..: 7 per level, the last LLL
T}
Wavelet: {start_level: 1}	T{
filters {"pywavelet", ..., start_level = 1}: wavelet-LLH, ..
T}
LBP3D: {lbp3DLevels: 2}	T{
filters {"lbp3d", output = "m1"}, "m2", "k"
T}
LoG: {sigma: [1.0], binWidth: 5}	T{
filters {"pylog", sigma = 1, pyradiomics = {binWidth = 5}}
T}
featureClass: {glcm: [Contrast]}	T{
pyradiomics.featureClass = {glcm = {"Contrast"}}
T}
.TE
.PP
Without Original, PyRadiomics still computes shape from the mask (shape
does not depend on an image type), named \fBoriginal_shape_\fIFeature\fR;
radlab does the same.  Wavelet \fBstart_level\fR \fIS\fR replaces the
image by \fIS\fR approximations before the first named level, and the
names count from there: with start_level 1 the second decomposition is
\fBwavelet-LLH\fR (the depth is start_level + level).
An image type's own settings (its imageType mapping in a parameter file,
\fBsettings.filters[i].pyradiomics\fR in Lua) may change what PyRadiomics
reads per image type, in the filter and in the feature classes: binWidth,
binCount, voxelArrayShift, force2D (for Wavelet also its 2D bands),
force2Ddimension, weightingNorm, symmetricalGLCM, distances and gldm_a.  Loading,
resampling, normalisation, re-segmentation and the mask checks happen once
with the general settings, so a per image type normalize,
resampledPixelSpacing, interpolator, padDistance, resegmentRange,
minimumROIDimensions, ... has no effect in PyRadiomics and is an error
here, as are label (radlab selects it when reading the mask), a binWidth
under a general binCount (binCount wins in PyRadiomics) and settings of
Original (the general settings are the original image's).
\fBrad.settings.to_pyradiomics\fR refuses filters of one image type with
different pyradiomics tables (a file has one imageType entry per type).
Threads and speed: the classes of an image run side by side as jobs of the
thread pool, and so do the image types (a filter inside a job uses the
processors the other jobs leave idle); their features are merged in a fixed
order, so names and values do not depend on the thread count
(\fBrad.extract(img, mask, settings, {threads = n})\fR, \fBradlab extract
\-j\fR \fIn\fR; threads = 1 runs on the calling thread only).  The classes
work on the ROI's bounding box.  Compat mode takes about the CPU time of IBSI
mode with PyRadiomics-like settings: 0.015 to 0.02 s in either mode on
brain1 (4137 voxels), 0.11 to 0.14 s on the CT phantom (125256 voxels), on
two processors (\fBtests/bench/pyradiomics_compat.lua\fR; \fBtests/bench/speed.sh\fR has both
as whole-process rows).
.PP
The differences from IBSI mode:
.TS
l l l.
\fBstep or feature\fR	\fBIBSI mode\fR	\fBcompat = "pyradiomics"\fR
_
fixed bin width	edges from the ROI minimum (or the range's lower bound)	edges at multiples of w: floor(x/w) \- floor(min/w) + 1
fixed bin number	floor(N (x \- min)/(max \- min)) + 1, max in bin N	numpy.histogram edges (linspace), last edge + 1
Energy, TotalEnergy, RMS	intensities as they are	intensities + voxelArrayShift; TotalEnergy = Energy \(mu voxel volume
Kurtosis	excess (IBSI stat_kurt)	not excess (IBSI + 3)
percentiles, median, IQR	IBSI definitions	numpy (linear interpolation between ranks)
entropies	log2, empty bins left out	log2(p + eps), eps = 2^\-52
first-order histogram	the IBSI discretisation	Entropy and Uniformity on the PyRadiomics bins
GLCM, GLRLM	_3D_avg / _3D_comb etc. (aggregation setting)	one matrix per direction (13, or 4 with force2D), features averaged over non-empty directions
GLCM, GLRLM weightingNorm	\-	weighted sum of the direction matrices, features once
GLCM grey levels	1..Ng	levels absent from the ROI removed; Idmn, Idn divide by the highest level present
GLCM symmetry	symmetric	symmetricalGLCM (default true)
GLCM MCC	\-	square root of the second largest eigenvalue of Q
force2D	2D aggregation per slice	in-plane directions, one matrix over all slices
GLSZM connectivity	26 (3D)	26, or 8 in-plane with force2D
GLDM	NGLDM, alpha	dependence counts the centre voxel (gldm_a = alpha)
NGTDM	voxels without a neighbour in the ROI left out	every voxel counted; s_i += 0 without neighbours in the ROI
shape volume, area	mesh (morph_volume, morph_area_mesh)	the same mesh
shape diameters	convex hull, 3D only	over mesh vertices: 3D, and within a slice (z), column (y), row (x)
PCA axes	covariance / (N \- 1)	covariance / N: 4 sqrt(lambda)
normalize	\-	z-score of the whole image (sample sd), \(mu normalizeScale, clipped at removeOutliers
resegmentRange	\-	absolute {lo} or {lo, hi}; sigma {\-k, k}: mean \(+- k sd
GLRLM direction with single-voxel lines	\-	dropped from the average (cmatrices.c)
resampling grid	grid centres aligned (IBSI)	ROI bounding box + padDistance, half-voxel origin; mask nearest neighbour; an integer image cast back (truncated)
.TE
.PP
The test \fBtests/reference/pyradiomics.lua\fR runs the settings files
\fBtests/reference/pyradiomics/*.lua\fR (the eight columns of PyRadiomics'
brain1 baseline) and compares every baseline row as PyRadiomics' own test
does (relative difference below 3 %, 0 exactly).  The shape rows of the
oldest column (PyRadiomics 1.3) differ by up to 3 % in SurfaceArea,
Sphericity and SurfaceVolumeRatio (its mesh of that version); those of
PyRadiomics 2 agree within 0.3 %.
.PP
Feature maps in this mode (\fBrad.feature_map\fR, \fBradlab map\fR) are
PyRadiomics' voxel-based extraction (\fBextractor.execute(image, mask,
voxelBased=True)\fR): at every voxel of the ROI the classes firstorder,
glcm, glrlm, glszm, gldm and ngtdm (shape has no voxel-based form) of its
kernel, the cube |dx|, |dy|, |dz| <= kernelRadius (\fBradius\fR; in-plane
with force2D along z) clipped at the image border.  With maskedKernel
(\fBmasked\fR, the default) the kernel holds its ROI voxels, else every
voxel.  The intensities are binned once (binWidth or binCount, as above)
over the ROI, or without maskedKernel over PyRadiomics' crop (the ROI's
bounding box grown by kernelRadius); Ng is the highest bin of that domain,
and each kernel's matrices are those of its own voxels with those bins
(levels absent from the kernel add nothing).  Every other voxel holds
initValue (\fBfill\fR, default 0).  The maps are named as PyRadiomics
names them (\fBoriginal_glcm_Contrast\fR); a request is a class
(\fBglcm\fR), \fBglcm_Contrast\fR or \fBoriginal_glcm_Contrast\fR.
With image types (\fBsettings.filters\fR, a parameter file's imageType)
the image is loaded once (rounding, normalisation, re-segmentation), each
type filters it whole and its response is mapped as an original image with
that type's own settings on the re-segmented mask, the maps named
\fBlog-sigma-1-0-mm-3D_glcm_Contrast\fR, \fBsquare_firstorder_Mean\fR,
\&...; a request that starts with a type's name
(\fBlog-sigma-1-0-mm-3D_glcm\fR, \fBoriginal_glcm_Contrast\fR) asks for
that type only, any other for every type.
Interpolation, the sphere and \fBin_plane\fR (use force2D)
are refused; voxelBatch, a memory knob, is read and ignored (radlab
measures all centres as one batch, PyRadiomics' default).  Two effects of
that one batch in PyRadiomics are kept: when some kernel lacks a GLCM
direction (no pair of its voxels along it) that another kernel has, that
kernel's JointAverage is NaN (a plain mean over directions), and the MCC of
the whole batch fails in numpy (eigenvalues of NaN matrices), so every
centre keeps initValue in the MCC map.  A GLRLM direction along which no
line of a kernel (or ROI) holds two voxels is dropped, as PyRadiomics'
C code does.  By hand, PyRadiomics itself (its C extension compiled, a stub
for SimpleITK, \fBtests/tools/pyradiomics_voxel/\fR) and radlab agreed on
every one of the 31,341 centre values (93 features) of ten runs on a
synthetic 12 x 12 x 8 volume (radius 1 and 2, masked and not, binWidth 25
and 10, binCount 16 and 8, force2D), worst relative difference 6e-8 (maps
are float32); \fBtests/lua/featuremap_pyrad.lua\fR checks a few of those
values.  A parameter file's voxelSetting (kernelRadius, maskedKernel,
initValue, voxelBatch) is read by
\fBrad.settings.voxel_from_pyradiomics\fR and used by \fBradlab map
\-\-params\fR.  Each kernel is measured by the class code of whole-ROI
extraction: the 24 glcm maps of the IBSI CT phantom's 114,595 centres
(radius 2) take about 10 s on two processors (\fBtests/bench/featuremap.lua
1 0 pyradiomics\fR; the IBSI maps, which slide their matrices, 1.7 s).
]=])
io.write([[
.SH FEATURE MAPS
\fBrad.feature_map\fR and \fBradlab map\fR give, at every voxel of the ROI,
the features of its neighbourhood as images on the image's grid.  In IBSI
mode they hold the families stat, ih, cm, rlm, szm, dzm, ngt and ngl (not
morph, loc or ivh, which describe a whole region), with the whole ROI's grey
levels, over a cube or sphere window (masked or not, in-plane or 3D), NaN
at every other voxel; the definitions are those of \fBrad.feature_map\fR
in \fBradlab\-lua\fR(7).  With \fBcompat = "pyradiomics"\fR they are
PyRadiomics' voxel-based extraction (PYRADIOMICS COMPATIBILITY above):
its classes and names, cube kernels, 0 at every other voxel.
\fBfill\fR sets the value of the voxels that are not centres in either
mode.
.SH UNDEFINED FEATURES
Some features have no value for a degenerate region of interest: a single
voxel, a single slice, a constant intensity, a single grey level.  Where IBSI
gives the value for such a case, radlab reports it: skewness and kurtosis
are 0 when the variance is 0 (\fBstat_skew\fR, \fBstat_kurt\fR,
\fBih_skew\fR, \fBih_kurt\fR); NGTDM contrast and busyness are 0 for one grey
level and NGTDM strength is 0 when every s_i is 0.  Where the value is
undefined (0/0, a mean over nothing) the feature is NaN: \fBrad.NA\fR in
Lua, NA in CSV, missing in a Table, never 0 or a sentinel that a model would
take for a measurement.  \fBrad.extract\fR then gives one Lua warning,
\fBFeatureSet:warning()\fR returns it and \fBradlab extract\fR prints it as one
line on standard error, e.g.
.PP
.nf
warning: 10 features undefined for this ROI (constant intensity): morph_moran_i, ...
.fi
.PP
The undefined cases:
.TP
\fBmorph_pca_elongation\fR, \fBmorph_pca_flatness\fR
a single voxel: every PCA eigenvalue is 0 (0/0).
.TP
\fBmorph_vol_dens_aee\fR, \fBmorph_area_dens_aee\fR, \fBmorph_vol_dens_mvee\fR, \fBmorph_area_dens_mvee\fR, \fBmorph_vol_dens_aabb\fR, \fBmorph_area_dens_aabb\fR, \fBmorph_vol_dens_conv_hull\fR, \fBmorph_area_dens_conv_hull\fR
the comparison body has no volume (or area): a flat ROI (one slice) has an
AEE without volume; a single voxel also has no AEE area.
.TP
\fBmorph_com\fR
the intensities of the ROI sum to 0 (no intensity-weighted centre).
.TP
\fBmorph_moran_i\fR, \fBmorph_geary_c\fR
fewer than two voxels or a constant intensity (0/0).
.TP
\fBstat_cov\fR, \fBstat_qcod\fR
a mean intensity of 0, resp. P25 + P75 = 0.
.TP
\fBstat_rmad\fR, \fBih_rmad\fR
no intensity lies within [P10, P90] (two distinct voxels).
.TP
\fBih_max_grad\fR, \fBih_max_grad_g\fR, \fBih_min_grad\fR, \fBih_min_grad_g\fR
a single grey level: the histogram gradient needs two bins.
.TP
\fBivh_v10\fR, \fBivh_v90\fR, \fBivh_diff_v10_v90\fR
a single intensity and no IVH or re-segmentation range: the intensity
fraction is 0/0.
.TP
every GLCM feature (\fBcm_\fR)
no pair of voxels at the texture distance (a single voxel, or a distance
beyond the ROI) in any matrix of the aggregation.
.TP
\fBcm_corr\fR, \fBcm_info_corr1\fR
a single grey level (zero marginal variance and entropy).  A matrix in which a
feature is undefined is left out of that feature's average (_avg, 2D
slices); the feature is NaN only when no matrix defines it.
.TP
\fBngt_coarseness\fR
a single grey level (sum of p_i s_i is 0).  IBSI sets it to an arbitrary
10^6; radlab reports NaN instead.
.TP
\fBngt_busyness\fR
its denominator is 0 with more than one grey level.
.TP
every NGTDM feature (\fBngt_\fR)
no voxel has a neighbour in the ROI (a single voxel; in 2D, no slice with one).
.SH SEE ALSO
\fBradlab\fR(1), \fBradlab-lua\fR(7)
]])
