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

#include <cstdlib>
#include <cstring>
#include <strings.h>
#include <vector>

using namespace radicom;

namespace {

/* The dataset of an RTSTRUCT file, or -1 with a message naming the file. */
int load_rtstruct(const char *path, DcmFileFormat &ff)
{
    if (init() < 0)
        return -1;
    OFCondition c = ff.loadFile(path);
    if (c.bad())
        return fail_condition(c, "'%s' is not a readable DICOM file (truncated or not DICOM)", path);
    DcmDataset *ds = ff.getDataset();
    std::string sop = get_string(ds, DCM_SOPClassUID);
    std::string mod = get_string(ds, DCM_Modality);
    if (sop != UID_RTStructureSetStorage && mod != "RTSTRUCT")
        return rad_error_set("'%s' is not an RTSTRUCT (RT Structure Set): it is a %s object (SOP class %s); give "
                             "the structure set file of the series (Modality RTSTRUCT)",
                             path, mod.empty() ? "DICOM" : mod.c_str(), sop.empty() ? "missing" : sop.c_str());
    return 0;
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
        std::snprintf(buf, sizeof buf, "%s%d '%s' (%zu contours)", s.empty() ? "" : ", ", r.number, r.name,
                      r.contours);
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
