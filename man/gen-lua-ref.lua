-- radlab: writes man/radlab-lua.7 from the help registry, so that the manual
-- and help() never disagree.  Run: radlab man/gen-lua-ref.lua > man/radlab-lua.7
-- SPDX-License-Identifier: GPL-3.0-or-later

local function esc(s) return (s:gsub("\\", "\\e"):gsub("^%.", "\\&.")) end

local groups = {
  {"rad.", "MODULE FUNCTIONS"},
  {"Image:", "IMAGE METHODS"},
  {"Mask:", "MASK METHODS"},
  {"FeatureSet:", "FEATURESET METHODS"},
  {"Table:", "TABLE METHODS"},
  {"Logistic:", "LOGISTIC MODEL METHODS"},
  {"GlmnetPath:", "PENALISED PATH METHODS"},
  {"ROC:", "ROC METHODS"},
  {"Cox:", "COX MODEL METHODS"},
  {"KM:", "KAPLAN-MEIER METHODS"},
  {"Coxnet:", "PENALISED COX METHODS"},
  {"Combat:", "COMBAT HARMONISATION METHODS"},
  {"cohort.", "MODULE rad.cohort (local cohort = require \"rad.cohort\")"},
  {"select.", "MODULE rad.select (local select = require \"rad.select\")"},
  {"describe.", "MODULE rad.describe (local describe = require \"rad.describe\")"},
  {"rng.", "MODULE rad.rng (local rng = require \"rad.rng\")"},
  {"validate.", "MODULE rad.validate (local validate = require \"rad.validate\")"},
  {"demo.", "MODULE rad.demo (local demo = require \"rad.demo\")"},
  {"pretty.", "MODULE rad.pretty (the REPL's printer)"},
  {"test.", "MODULE rad.test (TAP checks for test scripts)"},
  {"doc.", "MODULE rad.doc (help texts of stdlib modules)"},
  {"shard.", "MODULE rad.shard (cohort shards, merge and Slurm scripts; local shard = require \"rad.shard\")"},
  {"robust.", "MODULE rad.robust (local robust = require \"rad.robust\")"},
  {"study.", "MODULE rad.study (study scripts: rad.study{...}; man radlab-study(7))"},
  {"pyradiomics.", "MODULE rad.pyradiomics (PyRadiomics parameter files; rad.settings.from_pyradiomics and to_pyradiomics call it)"},
  {"notebook.", "MODULE rad.notebook (the notebook runner behind radlab notebook; man radlab-notebook(7))"},
  {"Study:", "STUDY METHODS (s = rad.study{...})"},
  {"checklist.", "MODULE rad.checklist (CLEAR and RQS pre-filled from a study run; local checklist = require \"rad.checklist\")", [[
Two reporting checklists filled in from what a study run knows: CLEAR, the
CheckList for EvaluAtion of Radiomics research (Kocak et al., Insights into
Imaging 14:75, 2023; 58 items), and the Radiomics Quality Score (Lambin et
al., Nat Rev Clin Oncol 14:749, 2017; 16 components, -8 to 36 points).  A
CLEAR item is "pre-filled" with the run's settings and numbers, "not
applicable", or "to be completed by the authors"; an RQS component gets
points only when the run proves it, otherwise NA with the reason.  Item
texts are short paraphrases: the published checklists are the reference.
]]},
  {"Figure:", "FIGURE METHODS", [[
Every \fBrad.plot\fR function (see MODULE FUNCTIONS) returns a \fBFigure\fR: a
description of the picture in millimetres that is drawn only when saved, so
the same figure saves at any dpi, as PDF or SVG, or inside a report page
(\fBrad.plot.page\fR, each figure laid out afresh in its cell).
\fBrad.plot\fR is the C module \fIrad_plot.so\fR (installed beside
\fIrad.so\fR), loaded on its first use: cairo and its fonts are loaded only
by a run that draws.
.PP
\fBOptions every chart takes\fR (in its trailing table): \fBwidth\fR and
\fBheight\fR (mm, 10 to 2000; a size of 0 or less is an error), \fBtitle\fR,
\fBsubtitle\fR, \fBxlabel\fR, \fBylabel\fR (strings), \fBlegend\fR ("auto",
"none", "topright", "topleft", "bottomleft", "bottomright", "right" or
"below"; auto takes the inside corner that covers no data, else goes
outside) and \fBgrid\fR (true or false).  An unknown key or a value of the
wrong type is an error naming the chart and the key.
.PP
\fBFormats.\fR \fBFigure:save\fR picks the format from the extension: \fI.png\fR
(RGB at the dpi, with the provenance as text chunks), \fI.pdf\fR and
\fI.svg\fR (vector; the provenance in the PDF document information or in the
SVG's title and metadata).  Any other extension is an error.  Files are
written to a temporary name and renamed, so a failed save leaves nothing.
.PP
\fBReports.\fR \fBrad.plot.save_pdf\fR writes a list of figures as one PDF, a
page per figure in its own size.  \fBrad.plot.text_pages\fR sets a title,
headings, paragraphs (wrapped at word boundaries; a word longer than a line is
broken) and tables (a rule above and below, a thin one under the header; columns
as wide as their widest cell; numbers right-aligned unless \fBalign\fR says
otherwise; a table too wide for the page is set smaller, down to 6 pt, then is
an error naming it) on 15 mm margins, flowing onto as many pages as needed
(rows never split; a table continued on a new page repeats its header), each
page numbered "page k of n".
.PP
\fBLayout.\fR Margins are measured from the text drawn, so nothing is cut
off: tick labels that would touch are thinned out (on a log axis the label
at 1 is kept), named x ticks that would touch turn upright, long row names
and y labels wrap onto two lines, a panel title or subtitle wider than its
cell shrinks or wraps, a legend that does not fit inside the plot goes under
the axis, and coloured text is darkened until it reads on white.  \fBFigure:layout\fR returns every box drawn, each piece of text
on its own (text = true), for tests.
]]},
}

-- the stdlib modules register their help when loaded
for _, m in ipairs(require("rad.doc").modules) do require("rad." .. m) end

local names = rad.help_names()
table.sort(names)

io.write([[
.\" radlab-lua.7: generated by man/gen-lua-ref.lua from radlab's help registry; do not edit by hand.
.\" SPDX-License-Identifier: GPL-3.0-or-later
.TH RADLAB-LUA 7 "" "radlab ]] .. rad.version .. [[" "radlab manual"
.SH NAME
radlab-lua \- the Lua API of radlab (the rad module)
.SH SYNOPSIS
.nf
local img  = rad.read("ct.nii.gz")
local mask = rad.read_mask("seg.nii.gz", {label = 1})
print(img, mask)
print(img:stats(mask).mean)
img:write_slice("slice.png", {level = 40, width = 400})
.fi
.SH DESCRIPTION
Inside \fBradlab\fR(1) the module is the global \fBrad\fR; from stock
\fBlua5.4\fR it is loaded with \fBlocal rad = require "rad"\fR (the C module
\fIrad.so\fR must be on \fBpackage.cpath\fR).
.PP
\fBObjects.\fR An \fBImage\fR holds float32 voxels; a \fBMask\fR holds uint8 labels
and a selected label (0 selects every non-zero voxel).  Both carry a geometry:
size, spacing (mm), origin and direction.  Both print a summary with
\fBprint\fR, free their memory when collected, and may be closed early with
\fB:close()\fR or a \fBlocal x <close>\fR variable.
.PP
\fBIndices\fR are 1-based, as everywhere in Lua: voxel (1,1,1) is the first
voxel of the file; i runs along x (fastest in the file), j along y, k along z.
.PP
\fBWorld coordinates\fR are millimetres in the LPS patient frame (x to the
patient's left, y posterior, z superior), as in DICOM, ITK and PyRadiomics.
NIfTI files store RAS, so radlab negates the first two world axes when it
reads or writes them; of the NIfTI transforms the sform is used when its code
is non-zero, else the qform.  \fBdirection()\fR returns the row-major 3x3
matrix whose column c is the world direction of index axis c.
.PP
\fBFormats\fR are chosen by extension and checked by magic bytes: NIfTI-1 and
NIfTI-2 (\fI.nii\fR, \fI.nii.gz\fR; every scalar datatype, scl_slope and scl_inter
applied), NRRD (\fI.nrrd\fR, \fI.nhdr\fR with its data file; raw and gzip
encodings), and PNG (\fI.png\fR; 8/16-bit grey read as is, colour converted to
grey with the ITU-R BT.601 weights 0.299 R + 0.587 G + 0.114 B, alpha ignored).
Images are written as float32, masks as uint8.  Every write goes to a
temporary file that is renamed into place, so a failed write leaves nothing.
.PP
\fBDICOM\fR image series are read from a folder (\fBrad.read_dicom\fR, or
\fBrad.read\fR on a folder that holds one image series), searched with its
sub-folders; files that are not DICOM are skipped with a warning naming them.
Files are grouped by SeriesInstanceUID (\fBrad.dicom.series\fR lists them).
Slices are placed by their tags, never by file name: x runs along the rows
(the first cosine of ImageOrientationPatient), y down the columns (the
second; PixelSpacing is row spacing\\column spacing, so x takes its second
value), z along their cross product, and slices are sorted by
ImagePositionPatient projected on it; the origin is the position of the first
slice.  Mixed orientations or sizes, slices off the normal (gantry tilt),
duplicate positions and uneven gaps (a missing slice) are errors that name the
files and positions; with allow_uneven = true uneven gaps are resampled
linearly onto a regular grid from the first slice to the last whose spacing is
the largest that is not above the smallest gap (a warning says so).  Values
are stored value (BitsStored bits, two's complement when PixelRepresentation
is 1) times RescaleSlope plus RescaleIntercept of each slice (CT: HU); MR is
read as stored.  Uncompressed syntaxes and JPEG baseline/extended/lossless,
JPEG-LS and RLE are decoded; another compressed syntax is an error naming it.
Enhanced multi-frame CT/MR objects are read frame by frame from their
functional groups (PlanePositionSequence per frame; PlaneOrientationSequence,
PixelMeasuresSequence and PixelValueTransformationSequence per frame or
shared); legacy multi-frame objects without functional groups are not.
.PP
\fBPET\fR is converted to SUV body weight (QIBA's vendor-neutral rules) unless
suv = false: SUV = value [Bq/ml] x PatientWeight [g] / dose [Bq], for Units
BQML with CorrectedImage holding ATTN and DECY.  With DecayCorrection START the
dose is RadionuclideTotalDose x 2^(-(scan - injection) / RadionuclideHalfLife),
where injection is RadiopharmaceuticalStartDateTime (or SeriesDate with
RadiopharmaceuticalStartTime) and scan is SeriesDate/SeriesTime unless that is
after the earliest AcquisitionDate/AcquisitionTime of the series, which is
then used; with DecayCorrection ADMIN the dose is RadionuclideTotalDose.
Units GML is SUV already and is not converted again.  Other units and missing
tags are errors naming them.  \fBrad.dicom.write_series\fR writes an image as
a CT, MR or PT series of 16-bit slices (new UIDs; uncompressed, RLE, JPEG-LS
or JPEG lossless), for export and for tests.
.PP
\fBOptions\fR go in one trailing table; an unknown key or a value of the wrong
type is an error that names the key and the allowed keys.
.PP
\fBErrors\fR are Lua errors whose message says what was wrong, with which file
or option, and how to fix it (for example a 4D image, a truncated file, an
empty mask, or an image and mask whose geometries differ by more than
0.001 mm).  Catch them with \fBpcall\fR.
]])

for _, g in ipairs(groups) do
  io.write(".SH ", g[2], "\n")
  if g[3] then io.write(g[3]) end
  for _, name in ipairs(names) do
    if name:sub(1, #g[1]) == g[1] then
      -- the first line: a longer text (rad.extract's settings) has its own section
      local text = rad.help(name):match("[^\n]*")
      io.write(".TP\n\\fB", esc(name), "\\fR\n", esc(text), "\n")
    end
  end
end

io.write([[
.SH SETTINGS
\fBrad.extract\fR takes one settings table; every key is optional and
\fBrad.settings.defaults()\fR prints the defaults.  Unknown keys and bad values
are errors that name the key.  A key a.b is the field b of the sub-table a,
e.g. {discretise = {method = "fbs", width = 25}}.  This list is generated from
the table the checker reads (\fBrad.settings.keys()\fR, \fBhelp(rad.extract)\fR).
]])

for _, k in ipairs(rad.settings.keys()) do
  local extra = ""
  if k.choices then extra = " One of: " .. table.concat(k.choices, ", ") .. "."
  elseif k.range and k.type == "numbers" then
    extra = k.range[1] == k.range[2] and string.format(" %d numbers.", k.range[1])
      or string.format(" %d to %d numbers.", k.range[1], k.range[2])
  elseif k.range then
    extra = k.range[2] == math.huge and string.format(" At least %g.", k.range[1])
      or string.format(" From %g to %g.", k.range[1], k.range[2])
  end
  io.write(".TP\n\\fB", esc(k.path), "\\fR (", k.type, ", default ", esc(k.default), ")\n",
    esc(k.help), ".", extra, "\n")
end

io.write([[
.SH EXAMPLES
Read the IBSI CT phantom and report its region of interest:
.PP
.nf
local ct  = rad.read("ct_phantom/image.nii.gz")
local roi = rad.read_mask("ct_phantom/mask.nii.gz")
local s   = ct:stats(roi)
print(s.n, s.mean)            \-\- 125256  \-46.88...
local n, sizes = roi:components()
local cimg, cmask = ct:crop(roi, 2)
.fi
.PP
Build a small image by hand (for teaching and tests):
.PP
.nf
local img = rad.image.new{size = {4, 4, 2}, spacing = {0.5, 0.5, 2}}
img:set(1, 1, 1, 100)
print(img:get(1, 1, 1), img:to_point(1, 1, 1))
.fi
.SH SEE ALSO
\fBradlab\fR(1), \fBradlab-features\fR(7), \fBlua\fR(1)
]])
