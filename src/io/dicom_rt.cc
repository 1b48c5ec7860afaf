/* radlab: RTSTRUCT ROIs and contours, with DCMTK's dcmdata.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An RT Structure Set (DICOM PS3.3 C.8.8.5-6) names its ROIs in the
 * StructureSetROISequence (3006,0020): ROINumber (3006,0022), ROIName
 * (3006,0026), ReferencedFrameOfReferenceUID (3006,0024); their contours are
 * in the ROIContourSequence (3006,0039), one item per ROI found by
 * ReferencedROINumber (3006,0084), each with a ContourSequence (3006,0040)
 * of ContourGeometricType (3006,0042), NumberOfContourPoints (3006,0046) and
 * ContourData (3006,0050: x\y\z triplets in the patient frame, mm, LPS).
 * The file is read with dcmdata directly; rasterising is the engine's
 * (image/contour.c), called by the C wrapper in dicom_load.c.
 */
#include "io/dicom_impl.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <strings.h>
#include <vector>

using namespace radicom;

namespace {

/* The dataset of a DICOM file whose SOP class is `sop_class` or whose
 * Modality is `modality` (`what` names the kind in the message), or -1 with
 * a message naming the file. */
int load_kind(const char *path, DcmFileFormat &ff, const char *sop_class, const char *modality, const char *what)
{
    if (init() < 0)
        return -1;
    OFCondition c = ff.loadFile(path);
    if (c.bad())
        return fail_condition(c, "'%s' is not a readable DICOM file (truncated or not DICOM)", path);
    DcmDataset *ds = ff.getDataset();
    std::string sop = get_string(ds, DCM_SOPClassUID);
    std::string mod = get_string(ds, DCM_Modality);
    if (sop != sop_class && mod != modality)
        return rad_error_set("'%s' is not %s: its Modality is %s (SOP class %s); give the %s file (Modality %s)", path,
                             what, mod.empty() ? "missing" : mod.c_str(), sop.empty() ? "missing" : sop.c_str(),
                             std::strcmp(modality, "SEG") == 0 ? "segmentation" : "structure set", modality);
    return 0;
}

/* The dataset of an RTSTRUCT file, or -1 with a message naming the file. */
int load_rtstruct(const char *path, DcmFileFormat &ff)
{
    return load_kind(path, ff, UID_RTStructureSetStorage, "RTSTRUCT", "an RTSTRUCT (RT Structure Set)");
}

/* An integer tag of an item; false when absent or not a number. */
bool get_int(DcmItem *item, const DcmTagKey &tag, long &v)
{
    Sint32 x = 0;
    if (!item || item->findAndGetSint32(tag, x).bad())
        return false;
    v = x;
    return true;
}

/* The ROIContourSequence item of ROI `number`, or NULL. */
DcmItem *contour_item(DcmDataset *ds, long number)
{
    DcmSequenceOfItems *seq = nullptr;
    if (ds->findAndGetSequence(DCM_ROIContourSequence, seq).bad() || !seq)
        return nullptr;
    for (unsigned long i = 0; i < seq->card(); i++) {
        long ref;
        DcmItem *it = seq->getItem(i);
        if (get_int(it, DCM_ReferencedROINumber, ref) && ref == number)
            return it;
    }
    return nullptr;
}

/* Every ROI of the structure set, in file order. */
int list_rois(const char *path, DcmDataset *ds, std::vector<RadDicomRoi> &out)
{
    DcmSequenceOfItems *seq = nullptr;
    if (ds->findAndGetSequence(DCM_StructureSetROISequence, seq).bad() || !seq)
        return rad_error_set("'%s': the RTSTRUCT has no StructureSetROISequence (3006,0020), so no ROI; the file is "
                             "incomplete",
                             path);
    /* the top-level frame of reference, for ROIs that do not name theirs */
    std::string top_for;
    DcmSequenceOfItems *rfor = nullptr;
    if (ds->findAndGetSequence(DCM_ReferencedFrameOfReferenceSequence, rfor).good() && rfor && rfor->card() == 1)
        top_for = get_string(rfor->getItem(0), DCM_FrameOfReferenceUID);
    for (unsigned long i = 0; i < seq->card(); i++) {
        DcmItem *it = seq->getItem(i);
        RadDicomRoi r;
        long num;
        std::memset(&r, 0, sizeof r);
        if (!get_int(it, DCM_ROINumber, num))
            return rad_error_set("'%s': ROI %lu of the StructureSetROISequence has no ROINumber (3006,0022)", path,
                                 i + 1);
        r.number = (int)num;
        copy_field(r.name, sizeof r.name, get_string(it, DCM_ROIName));
        std::string f = get_string(it, DCM_ReferencedFrameOfReferenceUID);
        copy_field(r.frame_of_reference, sizeof r.frame_of_reference, f.empty() ? top_for : f);
        DcmItem *ci = contour_item(ds, num);
        DcmSequenceOfItems *cs = nullptr;
        if (ci && ci->findAndGetSequence(DCM_ContourSequence, cs).good() && cs)
            r.contours = cs->card();
        out.push_back(r);
    }
    return 0;
}

/* "1 'GTV-1' (26 contours), 2 'Lung' (0 contours)" */
std::string describe(const std::vector<RadDicomRoi> &rois)
{
    std::string s;
    for (const RadDicomRoi &r : rois) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s%d '%s' (%zu contour%s)", s.empty() ? "" : ", ", r.number, r.name,
                      r.contours, r.contours == 1 ? "" : "s");
        s += buf;
    }
    return s.empty() ? "none" : s;
}

int contour_type(const std::string &t)
{
    if (t == "CLOSED_PLANAR")
        return RAD_CONTOUR_CLOSED_PLANAR;
    if (t == "OPEN_PLANAR")
        return RAD_CONTOUR_OPEN_PLANAR;
    if (t == "POINT")
        return RAD_CONTOUR_POINT;
    return RAD_CONTOUR_OTHER;
}

} // namespace

extern "C" int rad_dicomimpl_rois(const char *path, RadDicomRoi **rois, size_t *n)
{
    *rois = nullptr;
    *n = 0;
    return guarded([&]() -> int {
        DcmFileFormat ff;
        std::vector<RadDicomRoi> v;
        if (load_rtstruct(path, ff) < 0 || list_rois(path, ff.getDataset(), v) < 0)
            return -1;
        RadDicomRoi *r = (RadDicomRoi *)rad_malloc((v.empty() ? 1 : v.size()) * sizeof *r, "RTSTRUCT ROIs");
        if (!r)
            return -1;
        if (!v.empty())
            std::memcpy(r, v.data(), v.size() * sizeof *r);
        *rois = r;
        *n = v.size();
        return 0;
    });
}

/* The contours of one ROI (by name, or by number when name is NULL). */
extern "C" int rad_dicomimpl_rt_contours(const char *path, const char *name, int number, RadDicomContours *out)
{
    std::memset(out, 0, sizeof *out);
    return guarded([&]() -> int {
        DcmFileFormat ff;
        std::vector<RadDicomRoi> rois;
        if (load_rtstruct(path, ff) < 0 || list_rois(path, ff.getDataset(), rois) < 0)
            return -1;
        const RadDicomRoi *roi = nullptr;
        for (const RadDicomRoi &r : rois)
            if (name ? std::strcmp(r.name, name) == 0 : r.number == number) {
                roi = &r;
                break;
            }
        if (!roi) {
            std::string hint;
            if (name)
                for (const RadDicomRoi &r : rois)
                    if (strcasecmp(r.name, name) == 0)
                        hint = std::string(" (names are matched exactly: did you mean '") + r.name + "'?)";
            char what[128];
            if (name)
                std::snprintf(what, sizeof what, "no ROI named '%.64s'", name);
            else
                std::snprintf(what, sizeof what, "no ROI number %d", number);
            return rad_error_set("'%s': %s%s; its ROIs are: %s; choose one by name or number", path, what,
                                 hint.c_str(), describe(rois).c_str());
        }
        out->roi = *roi;
        DcmItem *ci = contour_item(ff.getDataset(), roi->number);
        DcmSequenceOfItems *cs = nullptr;
        if (!ci || ci->findAndGetSequence(DCM_ContourSequence, cs).bad() || !cs || cs->card() == 0)
            return rad_error_set("'%s': ROI '%s' (number %d) is empty: the RTSTRUCT has no contours for it "
                                 "(ROIContourSequence); choose another ROI: %s",
                                 path, roi->name, roi->number, describe(rois).c_str());
        size_t nc = cs->card();
        std::vector<std::vector<Float64>> pts(nc);
        std::vector<int> types(nc);
        size_t total = 0;
        for (size_t i = 0; i < nc; i++) {
            DcmItem *it = cs->getItem((unsigned long)i);
            types[i] = contour_type(get_string(it, DCM_ContourGeometricType));
            DcmElement *el = nullptr;
            if (it->findAndGetElement(DCM_ContourData, el).bad() || !el)
                return rad_error_set("'%s': ROI '%s', contour %zu has no ContourData (3006,0050)", path, roi->name,
                                     i + 1);
            OFVector<Float64> v;
            if (el->ident() == EVR_DS) {
                OFCondition c = static_cast<DcmDecimalString *>(el)->getFloat64Vector(v);
                if (c.bad())
                    return fail_condition(c, "'%s': ROI '%s', contour %zu: ContourData is not a list of numbers",
                                          path, roi->name, i + 1);
            } else {
                unsigned long vm = el->getVM();
                for (unsigned long k = 0; k < vm; k++) {
                    Float64 x;
                    if (el->getFloat64(x, k).bad())
                        return rad_error_set("'%s': ROI '%s', contour %zu: ContourData value %lu is not a number",
                                             path, roi->name, i + 1, k + 1);
                    v.push_back(x);
                }
            }
            long np;
            if (v.size() % 3 != 0)
                return rad_error_set("'%s': ROI '%s', contour %zu: ContourData has %zu values, not x\\y\\z triplets "
                                     "(a multiple of 3); the file is damaged",
                                     path, roi->name, i + 1, (size_t)v.size());
            if (get_int(it, DCM_NumberOfContourPoints, np) && (size_t)np != v.size() / 3)
                return rad_error_set("'%s': ROI '%s', contour %zu: NumberOfContourPoints is %ld but ContourData "
                                     "holds %zu points; the file is damaged",
                                     path, roi->name, i + 1, np, (size_t)v.size() / 3);
            pts[i].assign(v.begin(), v.end());
            total += v.size();
        }
        out->type = (int *)rad_malloc(nc * sizeof(int), "contour types");
        out->c = (RadContour *)rad_malloc(nc * sizeof(RadContour), "contours");
        out->pool = (double *)rad_malloc((total ? total : 1) * sizeof(double), "contour points");
        if (!out->type || !out->c || !out->pool) {
            rad_dicom_contours_free(out);
            return -1;
        }
        size_t at = 0;
        for (size_t i = 0; i < nc; i++) {
            out->type[i] = types[i];
            out->c[i].npoints = pts[i].size() / 3;
            out->c[i].points = out->pool + at;
            if (!pts[i].empty())
                std::memcpy(out->pool + at, pts[i].data(), pts[i].size() * sizeof(double));
            at += pts[i].size();
        }
        out->n = nc;
        return 0;
    });
}

/* ---- DICOM Segmentation (PS3.3 A.51, C.8.20) ----------------------------------------
 *
 * Read with dcmdata as well: SegmentationType (0062,0001) BINARY (1 bit per
 * pixel, packed across frames, least significant bit first) or FRACTIONAL
 * (8 bits, MaximumFractionalValue (0062,000E) = 100 %); the SegmentSequence
 * (0062,0002) names the segments; each frame's functional groups (per frame
 * (5200,9230), else shared (5200,9229)) give its segment
 * (SegmentIdentificationSequence (0062,000A) / ReferencedSegmentNumber
 * (0062,000B)), position (PlanePositionSequence (0020,9113) /
 * ImagePositionPatient), orientation (PlaneOrientationSequence (0020,9116) /
 * ImageOrientationPatient) and pixel spacing (PixelMeasuresSequence
 * (0028,9110) / PixelSpacing: row spacing, then column spacing).
 */

namespace {

int load_seg(const char *path, DcmFileFormat &ff)
{
    return load_kind(path, ff, UID_SegmentationStorage, "SEG", "a DICOM Segmentation (SEG)");
}

int list_segments(const char *path, DcmDataset *ds, std::vector<RadDicomSegment> &out)
{
    DcmSequenceOfItems *seq = nullptr;
    if (ds->findAndGetSequence(DCM_SegmentSequence, seq).bad() || !seq || seq->card() == 0)
        return rad_error_set("'%s': the SEG has no SegmentSequence (0062,0002), so no segment; the file is "
                             "incomplete",
                             path);
    for (unsigned long i = 0; i < seq->card(); i++) {
        DcmItem *it = seq->getItem(i);
        RadDicomSegment s;
        Uint16 num = 0;
        std::memset(&s, 0, sizeof s);
        if (it->findAndGetUint16(DCM_SegmentNumber, num).bad())
            return rad_error_set("'%s': segment %lu of the SegmentSequence has no SegmentNumber (0062,0004)", path,
                                 i + 1);
        s.number = num;
        copy_field(s.label, sizeof s.label, get_string(it, DCM_SegmentLabel));
        copy_field(s.description, sizeof s.description, get_string(it, DCM_SegmentDescription));
        out.push_back(s);
    }
    return 0;
}

std::string describe_segments(const std::vector<RadDicomSegment> &segs)
{
    std::string s;
    for (const RadDicomSegment &g : segs) {
        char buf[200];
        std::snprintf(buf, sizeof buf, "%s%d '%s'", s.empty() ? "" : ", ", g.number, g.label);
        s += buf;
    }
    return s;
}

/* The first item of sequence `seq` in the frame's functional groups, else in the shared ones. */
DcmItem *group(DcmItem *perframe, DcmItem *shared, const DcmTagKey &seq)
{
    DcmItem *it = nullptr;
    if (perframe && perframe->findAndGetSequenceItem(seq, it, 0).good() && it)
        return it;
    it = nullptr;
    if (shared && shared->findAndGetSequenceItem(seq, it, 0).good() && it)
        return it;
    return nullptr;
}

bool get_doubles(DcmItem *it, const DcmTagKey &tag, double *v, int n)
{
    for (int i = 0; i < n; i++) {
        Float64 x;
        if (!it || it->findAndGetFloat64(tag, x, (unsigned long)i).bad() || !std::isfinite(x))
            return false;
        v[i] = x;
    }
    return true;
}

double dot3(const double *a, const double *b)
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

struct SegFrame {
    size_t index;  /* frame number in the file, 0-based */
    double ipp[3]; /* ImagePositionPatient */
    double w;      /* position along the normal */
};

} // namespace

extern "C" int rad_dicomimpl_segments(const char *path, RadDicomSegment **segs, size_t *n)
{
    *segs = nullptr;
    *n = 0;
    return guarded([&]() -> int {
        DcmFileFormat ff;
        std::vector<RadDicomSegment> v;
        if (load_seg(path, ff) < 0 || list_segments(path, ff.getDataset(), v) < 0)
            return -1;
        RadDicomSegment *r = (RadDicomSegment *)rad_malloc(v.size() * sizeof *r, "SEG segments");
        if (!r)
            return -1;
        std::memcpy(r, v.data(), v.size() * sizeof *r);
        *segs = r;
        *n = v.size();
        return 0;
    });
}

extern "C" int rad_dicomimpl_seg_read(const char *path, const char *label, int number, const RadGeometry *grid,
                                      const char *for_uid, RadMask **out, RadSegInfo *info)
{
    *out = nullptr;
    std::memset(info, 0, sizeof *info);
    return guarded([&]() -> int {
        DcmFileFormat ff;
        std::vector<RadDicomSegment> segs;
        if (rad_geometry_check(grid) < 0 || load_seg(path, ff) < 0 || list_segments(path, ff.getDataset(), segs) < 0)
            return -1;
        DcmDataset *ds = ff.getDataset();
        const RadDicomSegment *seg = nullptr;
        for (const RadDicomSegment &s : segs)
            if (label ? std::strcmp(s.label, label) == 0 : s.number == number) {
                seg = &s;
                break;
            }
        if (!seg) {
            char what[128];
            if (label)
                std::snprintf(what, sizeof what, "no segment labelled '%.64s'", label);
            else
                std::snprintf(what, sizeof what, "no segment number %d", number);
            return rad_error_set("'%s': %s; its segments are: %s; choose one by label or number", path, what,
                                 describe_segments(segs).c_str());
        }
        info->segment = *seg;
        std::string fr = get_string(ds, DCM_FrameOfReferenceUID);
        copy_field(info->frame_of_reference, sizeof info->frame_of_reference, fr);
        if (for_uid && *for_uid && !fr.empty() && fr != for_uid)
            return rad_error_set("'%s': the segmentation is in the frame of reference %s, but the image is in %s: it "
                                 "belongs to another scan (give the SEG made on this image's series)",
                                 path, fr.c_str(), for_uid);
        std::string type = get_string(ds, DCM_SegmentationType);
        Uint16 rows = 0, cols = 0, bits = 0;
        Sint32 nframes = 0;
        if (ds->findAndGetUint16(DCM_Rows, rows).bad() || ds->findAndGetUint16(DCM_Columns, cols).bad() || !rows ||
            !cols)
            return rad_error_set("'%s': the SEG has no Rows/Columns (0028,0010/0011)", path);
        if (ds->findAndGetSint32(DCM_NumberOfFrames, nframes).bad() || nframes <= 0)
            return rad_error_set("'%s': the SEG has no NumberOfFrames (0028,0008)", path);
        ds->findAndGetUint16(DCM_BitsAllocated, bits);
        Uint16 maxfrac = 0;
        if (type == "BINARY") {
            if (bits != 1)
                return rad_error_set("'%s': a BINARY segmentation must have BitsAllocated 1, not %u", path, bits);
        } else if (type == "FRACTIONAL") {
            if (bits != 8)
                return rad_error_set("'%s': a FRACTIONAL segmentation must have BitsAllocated 8, not %u", path, bits);
            if (ds->findAndGetUint16(DCM_MaximumFractionalValue, maxfrac).bad() || maxfrac == 0)
                return rad_error_set("'%s': a FRACTIONAL segmentation without MaximumFractionalValue (0062,000E)",
                                     path);
            info->fractional = 1;
            info->max_fractional = maxfrac;
        } else {
            return rad_error_set("'%s': SegmentationType (0062,0001) is '%s'; radlab reads BINARY and FRACTIONAL",
                                 path, type.c_str());
        }

        /* the frames of the segment */
        DcmItem *shared = nullptr;
        ds->findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
        DcmSequenceOfItems *pf = nullptr;
        if (ds->findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, pf).bad() || !pf ||
            pf->card() != (unsigned long)nframes)
            return rad_error_set("'%s': the PerFrameFunctionalGroupsSequence (5200,9230) has %lu items for %ld "
                                 "frames; the file is damaged",
                                 path, pf ? pf->card() : 0UL, (long)nframes);
        double iop[6] = {0}, ps[2] = {0}, normal[3];
        double thick = 0;
        std::vector<SegFrame> frames;
        for (unsigned long f = 0; f < pf->card(); f++) {
            DcmItem *fi = pf->getItem(f);
            Uint16 ref = 0;
            DcmItem *sid = group(fi, shared, DCM_SegmentIdentificationSequence);
            if (!sid || sid->findAndGetUint16(DCM_ReferencedSegmentNumber, ref).bad())
                return rad_error_set("'%s': frame %lu has no SegmentIdentificationSequence / ReferencedSegmentNumber "
                                     "(0062,000A / 0062,000B)",
                                     path, f + 1);
            if (ref != seg->number)
                continue;
            SegFrame fr2;
            double o[6], p[2];
            fr2.index = f;
            if (!get_doubles(group(fi, shared, DCM_PlanePositionSequence), DCM_ImagePositionPatient, fr2.ipp, 3))
                return rad_error_set("'%s': frame %lu has no PlanePositionSequence / ImagePositionPatient "
                                     "(0020,9113 / 0020,0032)",
                                     path, f + 1);
            if (!get_doubles(group(fi, shared, DCM_PlaneOrientationSequence), DCM_ImageOrientationPatient, o, 6))
                return rad_error_set("'%s': frame %lu has no PlaneOrientationSequence / ImageOrientationPatient "
                                     "(0020,9116 / 0020,0037)",
                                     path, f + 1);
            DcmItem *pm = group(fi, shared, DCM_PixelMeasuresSequence);
            if (!get_doubles(pm, DCM_PixelSpacing, p, 2) || !(p[0] > 0) || !(p[1] > 0))
                return rad_error_set("'%s': frame %lu has no valid PixelMeasuresSequence / PixelSpacing "
                                     "(0028,9110 / 0028,0030)",
                                     path, f + 1);
            if (frames.empty()) {
                std::memcpy(iop, o, sizeof iop);
                std::memcpy(ps, p, sizeof ps);
                normal[0] = iop[1] * iop[5] - iop[2] * iop[4];
                normal[1] = iop[2] * iop[3] - iop[0] * iop[5];
                normal[2] = iop[0] * iop[4] - iop[1] * iop[3];
                double nn = std::sqrt(dot3(normal, normal));
                if (!(nn > 0.5))
                    return rad_error_set("'%s': frame %lu: ImageOrientationPatient is not two unit vectors at a "
                                         "right angle",
                                         path, f + 1);
                for (double &x : normal)
                    x /= nn;
                double t;
                if (get_doubles(pm, DCM_SliceThickness, &t, 1) && t > 0)
                    thick = t;
            } else {
                for (int k = 0; k < 6; k++)
                    if (std::fabs(o[k] - iop[k]) > 1e-4)
                        return rad_error_set("'%s': frame %lu of segment %d has another orientation than its first "
                                             "frame; radlab reads segments whose frames are parallel",
                                             path, f + 1, seg->number);
                if (std::fabs(p[0] - ps[0]) > 1e-4 || std::fabs(p[1] - ps[1]) > 1e-4)
                    return rad_error_set("'%s': frame %lu of segment %d has another pixel spacing than its first "
                                         "frame",
                                         path, f + 1, seg->number);
            }
            fr2.w = dot3(fr2.ipp, normal);
            frames.push_back(fr2);
        }
        if (frames.empty())
            return rad_error_set("'%s': segment %d '%s' has no frames: it is empty", path, seg->number, seg->label);
        info->frames = frames.size();

        /* the pixel data, decompressed if needed */
        size_t plane = (size_t)rows * cols;
        size_t need = info->fractional ? plane * (size_t)nframes : (plane * (size_t)nframes + 7) / 8;
        DcmXfer xf(ds->getOriginalXfer());
        if (xf.isEncapsulated()) {
            OFCondition c = ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
            if (c.bad())
                return fail_condition(c, "'%s': cannot decompress the SEG's pixel data (%s)", path, xf.getXferName());
        }
        DcmElement *pe = nullptr;
        if (ds->findAndGetElement(DCM_PixelData, pe).bad() || !pe)
            return rad_error_set("'%s': the SEG has no PixelData (7FE0,0010)", path);
        Uint8 *px = nullptr;
        if (pe->getUint8Array(px).bad() || !px) {
            Uint16 *w16 = nullptr;
            if (pe->getUint16Array(w16).bad() || !w16)
                return rad_error_set("'%s': cannot read the SEG's PixelData", path);
            px = reinterpret_cast<Uint8 *>(w16);
        }
        if (pe->getLength() < need)
            return rad_error_set("'%s': the PixelData holds %lu bytes, %zu frames of %u x %u need %zu; the file is "
                                 "truncated",
                                 path, (unsigned long)pe->getLength(), (size_t)nframes, rows, cols, need);
        unsigned thr2 = maxfrac; /* value in when 2 * value >= max */
        auto pixel = [&](size_t frame, size_t r, size_t c) -> bool {
            size_t at = frame * plane + r * cols + c;
            if (info->fractional)
                return 2u * px[at] >= thr2;
            return (px[at >> 3] >> (at & 7)) & 1;
        };

        RadMask *m = rad_mask_new(grid);
        if (!m)
            return -1;
        m->label = 1;
        const size_t nx = grid->dim[0], ny = grid->dim[1], nz = grid->dim[2];
        /* the same grid: orientation and spacing of the reference's axes 0 and 1, every frame on a voxel centre */
        bool same = std::fabs(ps[1] - grid->spacing[0]) <= 1e-4 * grid->spacing[0] &&
                    std::fabs(ps[0] - grid->spacing[1]) <= 1e-4 * grid->spacing[1];
        for (int k = 0; k < 3 && same; k++)
            same = std::fabs(iop[k] - grid->direction[k * 3]) <= 1e-4 &&
                   std::fabs(iop[3 + k] - grid->direction[k * 3 + 1]) <= 1e-4;
        std::vector<long> at0(frames.size() * 3);
        for (size_t f = 0; f < frames.size() && same; f++) {
            double idx[3];
            if (rad_geometry_point_to_index(grid, frames[f].ipp, idx) < 0) {
                rad_mask_free(m);
                return -1;
            }
            for (int k = 0; k < 3 && same; k++) {
                if (!(std::fabs(idx[k]) < 1e12)) {
                    same = false;
                    break;
                }
                at0[3 * f + k] = std::lround(idx[k]);
                same = std::fabs(idx[k] - (double)at0[3 * f + k]) <= (k == 2 ? RAD_CONTOUR_SLICE_TOL : 1e-3);
            }
        }
        if (same) {
            for (size_t f = 0; f < frames.size(); f++) {
                long i0 = at0[3 * f], j0 = at0[3 * f + 1], k0 = at0[3 * f + 2];
                for (size_t r = 0; r < rows; r++)
                    for (size_t c = 0; c < cols; c++) {
                        if (!pixel(frames[f].index, r, c))
                            continue;
                        long i = i0 + (long)c, j = j0 + (long)r;
                        if (i < 0 || j < 0 || k0 < 0 || (size_t)i >= nx || (size_t)j >= ny || (size_t)k0 >= nz)
                            info->outside++;
                        else
                            m->data[(size_t)i + nx * ((size_t)j + ny * (size_t)k0)] = 1;
                    }
            }
        } else {
            /* nearest neighbour: each reference voxel centre takes the nearest SEG pixel */
            info->resampled = 1;
            std::sort(frames.begin(), frames.end(), [](const SegFrame &a, const SegFrame &b) { return a.w < b.w; });
            std::vector<double> gaps;
            for (size_t f = 1; f < frames.size(); f++)
                if (frames[f].w - frames[f - 1].w > 1e-3)
                    gaps.push_back(frames[f].w - frames[f - 1].w);
            double half;
            if (!gaps.empty()) {
                std::sort(gaps.begin(), gaps.end());
                half = gaps[gaps.size() / 2] / 2;
            } else {
                half = (thick > 0 ? thick : grid->spacing[2]) / 2;
            }
            const double *X = iop, *Y = iop + 3;
            for (size_t k = 0; k < nz; k++)
                for (size_t j = 0; j < ny; j++)
                    for (size_t i = 0; i < nx; i++) {
                        double idx[3] = {(double)i, (double)j, (double)k}, p[3];
                        rad_geometry_index_to_point(grid, idx, p);
                        double w = dot3(p, normal);
                        /* first frame with frames[f].w >= w - half */
                        size_t lo = 0, hi = frames.size();
                        while (lo < hi) {
                            size_t mid = (lo + hi) / 2;
                            if (frames[mid].w < w - half)
                                lo = mid + 1;
                            else
                                hi = mid;
                        }
                        bool in = false;
                        for (size_t f = lo; f < frames.size() && frames[f].w <= w + half && !in; f++) {
                            double d[3] = {p[0] - frames[f].ipp[0], p[1] - frames[f].ipp[1], p[2] - frames[f].ipp[2]};
                            double c = std::floor(dot3(d, X) / ps[1] + 0.5), r = std::floor(dot3(d, Y) / ps[0] + 0.5);
                            if (c >= 0 && r >= 0 && c < cols && r < rows)
                                in = pixel(frames[f].index, (size_t)r, (size_t)c);
                        }
                        if (in)
                            m->data[i + nx * (j + ny * k)] = 1;
                    }
        }
        *out = m;
        return 0;
    });
}

/* ---- a SEG writer, for the tests ---------------------------------------------------
 *
 * rad_dicomimpl_write_seg(path, mask, nseg, labels, fractional, for_uid):
 * a SEG made with DCMTK's dcmseg from a known mask, so that the reader above
 * is tested on files it did not write itself.  Binary: segment s (1..nseg)
 * is the voxels whose value is s, one frame per slice that has any.
 * Fractional (nseg 1): every slice a frame, the voxel values as they are,
 * MaximumFractionalValue 200.  Not part of the C interface (dicom.h); the
 * unit tests reach it with rad_dicom_sym.
 */
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>

#include <memory>

namespace {

std::string num(double v)
{
    char b[32];
    std::snprintf(b, sizeof b, "%.10g", v);
    return b;
}

} // namespace

extern "C" int rad_dicomimpl_write_seg(const char *path, const RadMask *m, int nseg, const char *const *labels,
                                       int fractional, const char *for_uid)
{
    return guarded([&]() -> int {
        if (init() < 0)
            return -1;
        const RadGeometry *g = &m->geom;
        if (g->dim[0] > 65535 || g->dim[1] > 65535 || nseg < 1 || (fractional && nseg != 1))
            return rad_error_set("write_seg: unsupported size or segment count");
        IODGeneralEquipmentModule::EquipmentInfo eq("radlab", "radlab tests", "0", "1");
        ContentIdentificationMacro ci("1", "RADLAB_TEST", "test segmentation", "radlab");
        DcmSegmentation *raw = nullptr;
        OFCondition c = fractional ? DcmSegmentation::createFractionalSegmentation(
                                         raw, (Uint16)g->dim[1], (Uint16)g->dim[0], DcmSegTypes::SFT_OCCUPANCY, 200, eq, ci)
                                   : DcmSegmentation::createBinarySegmentation(raw, (Uint16)g->dim[1],
                                                                               (Uint16)g->dim[0], eq, ci);
        if (c.bad() || !raw)
            return fail_condition(c, "write_seg: cannot create the segmentation");
        std::unique_ptr<DcmSegmentation> seg(raw);
        seg->setCheckFGOnWrite(OFFalse);
        seg->setCheckDimensionsOnWrite(OFFalse);
        seg->getFrameOfReference().setFrameOfReferenceUID(for_uid && *for_uid ? for_uid : "1.2.826.0.1.3680043.2.1125.1.1");
        seg->getPatient().setPatientName("Test^Phantom");
        seg->getPatient().setPatientID("RADLAB");
        seg->getStudy().setStudyInstanceUID("1.2.826.0.1.3680043.2.1125.1.2");
        seg->getSeries().setSeriesInstanceUID("1.2.826.0.1.3680043.2.1125.1.3");
        seg->getSeries().setSeriesNumber("1");
        const char *dim_uid = "1.2.826.0.1.3680043.2.1125.1.4";
        if (seg->getDimensions().addDimensionIndex(DCM_ReferencedSegmentNumber, dim_uid,
                                                   DCM_SegmentIdentificationSequence, "segment").bad() ||
            seg->getDimensions().addDimensionIndex(DCM_ImagePositionPatient, dim_uid, DCM_PlanePositionSequence,
                                                   "position").bad())
            return rad_error_set("write_seg: dimensions");
        FGPixelMeasures pm;
        pm.setPixelSpacing((num(g->spacing[1]) + "\\" + num(g->spacing[0])).c_str());
        pm.setSliceThickness(num(g->spacing[2]).c_str());
        pm.setSpacingBetweenSlices(num(g->spacing[2]).c_str());
        if (seg->addForAllFrames(pm).bad())
            return rad_error_set("write_seg: pixel measures");
        std::unique_ptr<FGPlaneOrientationPatient> po(FGPlaneOrientationPatient::createMinimal(
            num(g->direction[0]).c_str(), num(g->direction[3]).c_str(), num(g->direction[6]).c_str(),
            num(g->direction[1]).c_str(), num(g->direction[4]).c_str(), num(g->direction[7]).c_str()));
        if (!po || seg->addForAllFrames(*po).bad())
            return rad_error_set("write_seg: plane orientation");
        for (int s = 1; s <= nseg; s++) {
            CodeSequenceMacro cat("49755003", "SCT", "Morphologically Altered Structure");
            CodeSequenceMacro typ("4147007", "SCT", "Mass");
            DcmSegment *sg = nullptr;
            if (DcmSegment::create(sg, labels[s - 1], cat, typ, DcmSegTypes::SAT_MANUAL).bad() || !sg)
                return rad_error_set("write_seg: segment %d", s);
            sg->setSegmentDescription((std::string("segment ") + labels[s - 1]).c_str());
            Uint16 sn = 0;
            if (seg->addSegment(sg, sn).bad()) {
                delete sg;
                return rad_error_set("write_seg: adding segment %d", s);
            }
        }
        size_t plane = g->dim[0] * g->dim[1];
        std::vector<Uint8> frame(plane);
        for (int s = 1; s <= nseg; s++)
            for (size_t k = 0; k < g->dim[2]; k++) {
                bool any = false;
                for (size_t v = 0; v < plane; v++) {
                    Uint8 x = m->data[k * plane + v];
                    frame[v] = fractional ? x : (Uint8)(x == s);
                    any = any || frame[v];
                }
                if (!any && !fractional)
                    continue;
                double idx[3] = {0, 0, (double)k}, p[3];
                rad_geometry_index_to_point(g, idx, p);
                std::unique_ptr<FGPlanePosPatient> pp(
                    FGPlanePosPatient::createMinimal(num(p[0]).c_str(), num(p[1]).c_str(), num(p[2]).c_str()));
                OFVector<FGBase *> per;
                per.push_back(pp.get());
                c = seg->addFrame(frame.data(), (Uint16)s, per);
                if (c.bad())
                    return fail_condition(c, "write_seg: frame %zu of segment %d", k, s);
            }
        c = seg->saveFile(path);
        if (c.bad())
            return fail_condition(c, "write_seg: cannot save '%s'", path);
        return 0;
    });
}
