/* radlab: DICOM series (and the pieces librad-dicom shares), with DCMTK.  SPDX-License-Identifier: GPL-3.0-or-later */
#include "io/dicom_impl.h"

#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <mutex>

namespace radicom {

static std::once_flag init_once;
static int init_rc;

int init()
{
    std::call_once(init_once, [] {
        OFLog::configure(OFLogger::OFF_LOG_LEVEL);
        DJDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
        DcmRLEDecoderRegistration::registerCodecs();
        init_rc = dcmDataDict.isDictionaryLoaded() ? 0 : -1;
    });
    if (init_rc < 0)
        return rad_error_set("DCMTK's DICOM data dictionary is not loaded (Debian installs it with libdcmtk17; "
                             "or set DCMDICTPATH to a dicom.dic)");
    return 0;
}

std::string get_string(DcmItem *item, const DcmTagKey &tag)
{
    OFString v;
    if (!item || item->findAndGetOFStringArray(tag, v).bad())
        return std::string();
    std::string s(v.c_str());
    size_t a = s.find_first_not_of(" \t\r\n");
    size_t b = s.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

void copy_field(char *dst, size_t size, const std::string &s)
{
    std::snprintf(dst, size, "%s", s.c_str());
}

int fail_condition(const OFCondition &c, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rad_error_set("%s (%s)", msg, c.text());
}

} // namespace radicom

using namespace radicom;

/* The header of one file, read up to (not including) the pixel data. */
extern "C" int rad_dicomimpl_probe(const char *path, RadDicomProbe *out)
{
    return guarded([&]() -> int {
        if (init() < 0)
            return -1;
        DcmFileFormat ff;
        OFCondition c = ff.loadFileUntilTag(path, EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect,
                                            DCM_PixelData);
        if (c.bad())
            return fail_condition(c, "'%s' is not a readable DICOM file", path);
        DcmDataset *ds = ff.getDataset();
        std::string sop = get_string(ds, DCM_SOPClassUID);
        if (sop.empty())
            sop = get_string(ff.getMetaInfo(), DCM_MediaStorageSOPClassUID);
        if (sop.empty())
            return rad_error_set("'%s' is not a DICOM object: it has no SOP Class UID", path);
        copy_field(out->sop_class, sizeof out->sop_class, sop);
        copy_field(out->sop_instance, sizeof out->sop_instance, get_string(ds, DCM_SOPInstanceUID));
        copy_field(out->modality, sizeof out->modality, get_string(ds, DCM_Modality));
        copy_field(out->study, sizeof out->study, get_string(ds, DCM_StudyInstanceUID));
        copy_field(out->series, sizeof out->series, get_string(ds, DCM_SeriesInstanceUID));
        copy_field(out->frame_of_reference, sizeof out->frame_of_reference, get_string(ds, DCM_FrameOfReferenceUID));
        copy_field(out->description, sizeof out->description, get_string(ds, DCM_SeriesDescription));
        Sint32 inum = 0;
        out->instance_number = ds->findAndGetSint32(DCM_InstanceNumber, inum).good() ? (long)inum : 0;
        Uint16 r = 0, k = 0;
        if (ds->findAndGetUint16(DCM_Rows, r).good() && ds->findAndGetUint16(DCM_Columns, k).good()) {
            out->rows = r;
            out->columns = k;
            Sint32 nf = 1;
            out->frames = ds->findAndGetSint32(DCM_NumberOfFrames, nf).good() && nf > 0 ? (unsigned long)nf : 1;
        }
        return 0;
    });
}

/* ==== image series ==========================================================
 *
 * Reading a series is two passes over its files.  The first reads every
 * file's header (up to the pixel data) to find the series in the folder and,
 * for the chosen one, its geometry: the slices are ordered by their position
 * along the normal of their plane (the cross product of the row and column
 * cosines of ImageOrientationPatient), never by file name or InstanceNumber,
 * and the geometry is checked (one orientation, one size, slices stacked
 * along the normal, no duplicates, even gaps).  The second pass decodes each
 * file's pixels straight into its slice of the image, on the thread pool
 * (each file is its own job and writes only its own slice: the result does
 * not depend on the number of threads).
 *
 * Pixel values: the stored value (BitsStored bits at HighBit, two's
 * complement when PixelRepresentation is 1) times RescaleSlope plus
 * RescaleIntercept of the slice (computed in double, stored as float32).
 * Compressed transfer syntaxes are decoded by DCMTK's codecs (JPEG
 * baseline/extended/lossless, JPEG-LS, RLE), registered in init().
 *
 * PET, SUV body weight (QIBA's vendor-neutral rules):
 *     SUVbw = value [Bq/ml] * PatientWeight [g] / dose [Bq]
 * with value the rescaled stored value, Units BQML, and dose
 *   - DecayCorrection START (images decay-corrected to the scan start):
 *       dose = RadionuclideTotalDose * 2^(-(scan - injection) / RadionuclideHalfLife)
 *     where injection is RadiopharmaceuticalStartDateTime (or SeriesDate +
 *     RadiopharmaceuticalStartTime), scan is SeriesDate/SeriesTime when that
 *     is not after the earliest AcquisitionDate/AcquisitionTime of the
 *     series, else that earliest acquisition time (the series time was
 *     changed by post-processing);
 *   - DecayCorrection ADMIN (decay-corrected to the injection): dose =
 *     RadionuclideTotalDose.
 * CorrectedImage must include ATTN and DECY.  Units GML means the values are
 * SUV already: they are not converted again.  Any other Units, or a missing
 * tag, is an error that names what is missing (suv = 0 reads the values as
 * stored).
 */

extern "C" {
#include "util/pool.h"
}

#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>


#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

struct Warnings {
    std::vector<std::string> lines;
    void add(const char *fmt, ...) RAD_PRINTF(2, 3)
    {
        char msg[4400];
        va_list ap;
        va_start(ap, fmt);
        std::vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        lines.push_back(msg);
    }
};

/* The warnings into info (malloc'd strings, freed by rad_dicom_info_free). */
int put_warnings(RadDicomInfo *info, const Warnings &w)
{
    if (!info || w.lines.empty())
        return 0;
    info->warnings = (char **)std::calloc(w.lines.size(), sizeof(char *));
    if (!info->warnings)
        return rad_error_set("out of memory for DICOM warnings");
    for (const std::string &s : w.lines) {
        char *c = strdup(s.c_str());
        if (!c)
            return rad_error_set("out of memory for DICOM warnings");
        info->warnings[info->nwarnings++] = c;
    }
    return 0;
}

/* The regular files under dir, recursively, in path order.  Hidden entries
 * (names starting with '.') are skipped. */
int walk(const std::string &dir, std::vector<std::string> &out, int depth)
{
    if (depth > 32)
        return rad_error_set("'%s': folders nested more than 32 deep (a link loop?)", dir.c_str());
    DIR *d = opendir(dir.c_str());
    if (!d)
        return rad_error_errno("cannot open the folder '%s'", dir.c_str());
    std::vector<std::string> names;
    while (struct dirent *e = readdir(d))
        if (e->d_name[0] != '.')
            names.push_back(e->d_name);
    closedir(d);
    std::sort(names.begin(), names.end());
    for (const std::string &n : names) {
        std::string p = dir + (dir.empty() || dir.back() == '/' ? "" : "/") + n;
        struct stat st;
        if (stat(p.c_str(), &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (walk(p, out, depth + 1) < 0)
                return -1;
        } else if (S_ISREG(st.st_mode))
            out.push_back(p);
    }
    return 0;
}

/* What the header of one file says (for listing and geometry). */
struct Head {
    std::string path, series, modality, description, frame_of_reference;
    unsigned rows = 0, cols = 0;
    long frames = 1;
    bool has_ipp = false, has_iop = false, has_ps = false;
    double ipp[3] = {0, 0, 0}, iop[6] = {0, 0, 0, 0, 0, 0}, ps[2] = {0, 0};
    double thickness = 0, between = 0;
    std::string acq_date, acq_time;
    long frame = 0;           /* the frame of the file this slice is (enhanced multi-frame) */
    bool enhanced = false;    /* frames described by functional groups */
    bool has_rescale = false; /* slope and inter from PixelValueTransformationSequence */
    double slope = 1, inter = 0;
    unsigned bits = 0;        /* BitsAllocated */
    bool compressed = false;  /* an encapsulated transfer syntax */
    unsigned long long bytes = 0; /* the file's size */
};

bool get_doubles(DcmItem *item, const DcmTagKey &tag, double *v, int n)
{
    for (int i = 0; i < n; i++) {
        Float64 x;
        if (item->findAndGetFloat64(tag, x, (unsigned long)i).bad() || !std::isfinite(x))
            return false;
        v[i] = x;
    }
    return true;
}

/* The first item of sequence seq in the per-frame item pf, else in the
 * shared item sh (either may be NULL). */
DcmItem *group_item(DcmItem *pf, DcmItem *sh, const DcmTagKey &seq)
{
    DcmItem *it = NULL;
    if (pf && pf->findAndGetSequenceItem(seq, it, 0).good() && it)
        return it;
    it = NULL;
    if (sh && sh->findAndGetSequenceItem(seq, it, 0).good() && it)
        return it;
    return NULL;
}

/* Read the header of path: one Head per slice (one for a single-frame file,
 * one per frame of an enhanced multi-frame file, whose geometry and rescale
 * come from the functional groups: PlanePositionSequence per frame,
 * PlaneOrientationSequence, PixelMeasuresSequence and
 * PixelValueTransformationSequence per frame or shared).  -1 (with a message)
 * when it is not DICOM. */
int read_head(const std::string &path, std::vector<Head> &out)
{
    Head h;
    DcmFileFormat ff;
    OFCondition c = ff.loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect,
                                        DCM_PixelData);
    if (c.bad())
        return fail_condition(c, "not a readable DICOM file");
    DcmDataset *ds = ff.getDataset();
    std::string sop = get_string(ds, DCM_SOPClassUID);
    if (sop.empty())
        sop = get_string(ff.getMetaInfo(), DCM_MediaStorageSOPClassUID);
    if (sop.empty())
        return rad_error_set("not a DICOM object (no SOP Class UID)");
    h.path = path;
    h.series = get_string(ds, DCM_SeriesInstanceUID);
    h.modality = get_string(ds, DCM_Modality);
    h.description = get_string(ds, DCM_SeriesDescription);
    h.frame_of_reference = get_string(ds, DCM_FrameOfReferenceUID);
    Uint16 r = 0, k = 0;
    if (ds->findAndGetUint16(DCM_Rows, r).good() && ds->findAndGetUint16(DCM_Columns, k).good()) {
        h.rows = r;
        h.cols = k;
        Sint32 nf = 1;
        h.frames = ds->findAndGetSint32(DCM_NumberOfFrames, nf).good() ? (long)nf : 1;
    }
    h.has_ipp = get_doubles(ds, DCM_ImagePositionPatient, h.ipp, 3);
    h.has_iop = get_doubles(ds, DCM_ImageOrientationPatient, h.iop, 6);
    h.has_ps = get_doubles(ds, DCM_PixelSpacing, h.ps, 2);
    get_doubles(ds, DCM_SliceThickness, &h.thickness, 1);
    get_doubles(ds, DCM_SpacingBetweenSlices, &h.between, 1);
    Uint16 ba = 0;
    if (ds->findAndGetUint16(DCM_BitsAllocated, ba).good())
        h.bits = ba;
    h.compressed = DcmXfer(ds->getOriginalXfer()).isEncapsulated();
    struct stat st;
    if (stat(path.c_str(), &st) == 0)
        h.bytes = (unsigned long long)st.st_size;
    h.acq_date = get_string(ds, DCM_AcquisitionDate);
    h.acq_time = get_string(ds, DCM_AcquisitionTime);
    DcmItem *shared = NULL;
    DcmSequenceOfItems *per = NULL;
    if (ds->findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0).bad())
        shared = NULL;
    if (ds->findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, per).bad())
        per = NULL;
    if (!h.rows || (!shared && !per) || h.frames < 1 || h.frames > 100000) {
        out.push_back(h);
        return 0;
    }
    if (per && per->card() != (unsigned long)h.frames)
        return rad_error_set("NumberOfFrames is %ld but PerFrameFunctionalGroupsSequence has %lu items", h.frames,
                             (unsigned long)per->card());
    for (long f = 0; f < h.frames; f++) {
        Head hf = h;
        DcmItem *pf = per ? per->getItem((unsigned long)f) : NULL;
        hf.frame = f;
        hf.enhanced = true;
        DcmItem *it = group_item(pf, shared, DCM_PlanePositionSequence);
        hf.has_ipp = it && get_doubles(it, DCM_ImagePositionPatient, hf.ipp, 3);
        it = group_item(pf, shared, DCM_PlaneOrientationSequence);
        hf.has_iop = it && get_doubles(it, DCM_ImageOrientationPatient, hf.iop, 6);
        it = group_item(pf, shared, DCM_PixelMeasuresSequence);
        hf.has_ps = it && get_doubles(it, DCM_PixelSpacing, hf.ps, 2);
        if (it) {
            get_doubles(it, DCM_SliceThickness, &hf.thickness, 1);
            get_doubles(it, DCM_SpacingBetweenSlices, &hf.between, 1);
        }
        it = group_item(pf, shared, DCM_PixelValueTransformationSequence);
        if (it && get_doubles(it, DCM_RescaleSlope, &hf.slope, 1) && get_doubles(it, DCM_RescaleIntercept, &hf.inter, 1))
            hf.has_rescale = hf.slope != 0;
        out.push_back(hf);
    }
    return 0;
}

struct Group {
    RadDicomSeries s;
    std::vector<size_t> files; /* indices into the heads */
};

/* Scan dir: the heads of its DICOM files, grouped by series, the groups in
 * list order (modality, description, UID). */
int scan(const char *dir, std::vector<Head> &heads, std::vector<Group> &groups, Warnings &w)
{
    std::vector<std::string> files;
    struct stat st;
    if (stat(dir, &st) != 0)
        return rad_error_errno("cannot open the DICOM folder '%s'", dir);
    if (!S_ISDIR(st.st_mode))
        return rad_error_set("'%s' is not a folder (a DICOM series is read from the folder that holds its files)",
                             dir);
    if (walk(dir, files, 0) < 0)
        return -1;
    /* the headers on the pool, each file into its own slot, merged in path order */
    struct Scan {
        const std::vector<std::string> *files;
        std::vector<std::vector<Head>> heads;
        std::vector<std::string> errors;
    } sc;
    sc.files = &files;
    sc.heads.resize(files.size());
    sc.errors.resize(files.size());
    rad_pool_run(files.size(), files.size() < 16 ? 1 : 0, [](size_t i, void *ctx) -> int {
        Scan *c = (Scan *)ctx;
        if (guarded([&]() { return read_head((*c->files)[i], c->heads[i]); }) < 0) {
            c->heads[i].clear();
            c->errors[i] = rad_error_message();
        }
        return 0;
    }, &sc, 0, NULL);
    if (rad_interrupt_check() < 0)
        return -1;
    for (size_t i = 0; i < files.size(); i++) {
        if (!sc.errors[i].empty())
            w.add("skipped '%s': %s", files[i].c_str(), sc.errors[i].c_str());
        heads.insert(heads.end(), sc.heads[i].begin(), sc.heads[i].end());
    }
    for (size_t i = 0; i < heads.size(); i++) {
        const Head &h = heads[i];
        size_t g = 0;
        while (g < groups.size() && h.series != groups[g].s.uid)
            g++;
        if (g == groups.size()) {
            Group ng;
            std::memset(&ng.s, 0, sizeof ng.s);
            copy_field(ng.s.uid, sizeof ng.s.uid, h.series);
            copy_field(ng.s.modality, sizeof ng.s.modality, h.modality);
            copy_field(ng.s.description, sizeof ng.s.description, h.description);
            copy_field(ng.s.frame_of_reference, sizeof ng.s.frame_of_reference, h.frame_of_reference);
            copy_field(ng.s.first, sizeof ng.s.first, h.path);
            ng.s.nx = h.cols;
            ng.s.ny = h.rows;
            groups.push_back(ng);
        }
        groups[g].files.push_back(i);
        if (h.frame == 0)
            groups[g].s.files++;
        if (h.rows)
            groups[g].s.nz += h.enhanced || h.frames < 1 ? 1 : (size_t)h.frames;
    }
    std::sort(groups.begin(), groups.end(), [](const Group &a, const Group &b) {
        int c = std::strcmp(a.s.modality, b.s.modality);
        if (!c)
            c = std::strcmp(a.s.description, b.s.description);
        if (!c)
            c = std::strcmp(a.s.uid, b.s.uid);
        return c < 0;
    });
    return 0;
}

std::string describe(const RadDicomSeries &s, size_t number)
{
    char buf[512];
    std::snprintf(buf, sizeof buf, "\n  %zu. %s '%s', %zux%zux%zu, %zu file%s, series UID %s", number, s.modality,
                  s.description, s.nx, s.ny, s.nz, s.files, s.files == 1 ? "" : "s", s.uid);
    return buf;
}

std::string describe_all(const std::vector<Group> &groups)
{
    std::string all;
    for (size_t i = 0; i < groups.size(); i++)
        all += describe(groups[i].s, i + 1);
    return all;
}

/* The group the options choose; -1 with a message listing the series. */
long choose(const char *dir, const std::vector<Group> &groups, const char *want)
{
    if (groups.empty())
        return rad_error_set("no DICOM files in '%s' (searched with its sub-folders); give a folder that holds a "
                             "DICOM series, or an image file (.nii, .nii.gz, .nrrd, .nhdr, .png)", dir);
    if (!want || !*want) {
        long only = -1, n = 0;
        for (size_t i = 0; i < groups.size(); i++)
            if (groups[i].s.nx > 0)
                only = (long)i, n++;
        if (n == 1)
            return only;
        if (n == 0)
            return rad_error_set("no DICOM image series in '%s', only objects without pixels:%s", dir,
                                 describe_all(groups).c_str());
        return rad_error_set("'%s' holds %ld image series; choose one with series = its number or (a unique prefix "
                             "of) its UID:%s", dir, n, describe_all(groups).c_str());
    }
    for (size_t i = 0; i < groups.size(); i++)
        if (std::strcmp(groups[i].s.uid, want) == 0)
            return (long)i;
    size_t len = std::strlen(want);
    if (std::strspn(want, "0123456789") == len && len < 9) {
        long k = std::atol(want);
        if (k >= 1 && (size_t)k <= groups.size())
            return k - 1;
        return rad_error_set("no series number %s in '%s': there %s %zu:%s", want, dir,
                             groups.size() == 1 ? "is" : "are", groups.size(), describe_all(groups).c_str());
    }
    long hit = -1, n = 0;
    for (size_t i = 0; i < groups.size(); i++)
        if (std::strncmp(groups[i].s.uid, want, len) == 0)
            hit = (long)i, n++;
    if (n == 1)
        return hit;
    if (n > 1)
        return rad_error_set("series '%s' is ambiguous in '%s': %ld series UIDs start with it; give more of the "
                             "UID:%s", want, dir, n, describe_all(groups).c_str());
    return rad_error_set("no series '%s' in '%s' (neither a UID, a UID prefix nor a number in the list); the series "
                         "are:%s", want, dir, describe_all(groups).c_str());
}

/* ---- dates and times ---- */

long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

/* Seconds of a DA (YYYYMMDD) plus a TM (HHMMSS.FFFFFF, HHMM or HH, with or
 * without colons); false when malformed. */
bool parse_datetime(const std::string &da, const std::string &tm, double &out)
{
    std::string t;
    for (char ch : tm)
        if (ch != ':')
            t += ch;
    if (da.size() < 8 || t.size() < 2)
        return false;
    for (int i = 0; i < 8; i++)
        if (da[i] < '0' || da[i] > '9')
            return false;
    long y = std::atol(da.substr(0, 4).c_str());
    unsigned mo = (unsigned)std::atoi(da.substr(4, 2).c_str()), d = (unsigned)std::atoi(da.substr(6, 2).c_str());
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    size_t dot = t.find('.');
    std::string hms = t.substr(0, dot);
    if (hms.size() % 2 || hms.size() > 6 || hms.find_first_not_of("0123456789") != std::string::npos)
        return false;
    double sec = 0;
    sec += std::atoi(hms.substr(0, 2).c_str()) * 3600.0;
    if (hms.size() >= 4)
        sec += std::atoi(hms.substr(2, 2).c_str()) * 60.0;
    if (hms.size() >= 6)
        sec += std::atoi(hms.substr(4, 2).c_str());
    if (dot != std::string::npos)
        sec += std::atof(("0" + t.substr(dot)).c_str());
    out = (double)days_from_civil(y, mo, d) * 86400.0 + sec;
    return true;
}

/* The SUV factor of a PET series (see the comment at the top of this part):
 * 0 with *factor, or -1 with a message. */
int suv_factor(const char *dir, const std::vector<Head> &heads, const std::vector<size_t> &files, double *factor,
               char *units_out, size_t units_size)
{
    const Head &h0 = heads[files[0]];
    DcmFileFormat ff;
    OFCondition c = ff.loadFileUntilTag(h0.path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength,
                                        ERM_autoDetect, DCM_PixelData);
    if (c.bad())
        return fail_condition(c, "'%s' is not a readable DICOM file", h0.path.c_str());
    DcmDataset *ds = ff.getDataset();
    std::string units = get_string(ds, DCM_Units);
    copy_field(units_out, units_size, units);
    if (units == "GML") {
        *factor = 1;
        return 0;
    }
    if (units != "BQML")
        return rad_error_set("PET series in '%s': Units (0054,1001) is '%s', not BQML (Bq/ml) or GML (SUV), so the "
                             "values cannot be converted to SUV body weight; read them as stored with suv = false",
                             dir, units.c_str());
    std::string missing;
    auto need = [&](const std::string &v, const char *name) {
        if (v.empty())
            missing += std::string(missing.empty() ? "" : ", ") + name;
    };
    std::string corrected = get_string(ds, DCM_CorrectedImage);
    std::string decay = get_string(ds, DCM_DecayCorrection);
    std::string weight = get_string(ds, DCM_PatientWeight);
    std::string sdate = get_string(ds, DCM_SeriesDate), stime = get_string(ds, DCM_SeriesTime);
    DcmItem *rp = NULL;
    ds->findAndGetSequenceItem(DCM_RadiopharmaceuticalInformationSequence, rp, 0);
    std::string dose = get_string(rp, DCM_RadionuclideTotalDose);
    std::string half = get_string(rp, DCM_RadionuclideHalfLife);
    std::string start_dt = get_string(rp, DCM_RadiopharmaceuticalStartDateTime);
    std::string start_t = get_string(rp, DCM_RadiopharmaceuticalStartTime);
    need(weight, "PatientWeight (0010,1030)");
    need(dose, "RadionuclideTotalDose (0018,1074)");
    need(decay, "DecayCorrection (0054,1102)");
    need(corrected, "CorrectedImage (0028,0051)");
    if (decay != "ADMIN") {
        need(half, "RadionuclideHalfLife (0018,1075)");
        if (start_dt.empty())
            need(start_t, "RadiopharmaceuticalStartTime (0018,1072) or RadiopharmaceuticalStartDateTime (0018,1078)");
        need(sdate, "SeriesDate (0008,0021)");
        need(stime, "SeriesTime (0008,0031)");
    }
    if (!missing.empty())
        return rad_error_set("PET series in '%s' (Units BQML) cannot be converted to SUV body weight: '%s' lacks %s "
                             "(the radiopharmaceutical tags are in RadiopharmaceuticalInformationSequence "
                             "(0054,0016)); read the activity as stored with suv = false",
                             dir, h0.path.c_str(), missing.c_str());
    if (corrected.find("ATTN") == std::string::npos || corrected.find("DECY") == std::string::npos)
        return rad_error_set("PET series in '%s': CorrectedImage (0028,0051) is '%s', without ATTN and DECY, so the "
                             "values are not attenuation- and decay-corrected activity and SUV is not defined (QIBA); "
                             "read them with suv = false", dir, corrected.c_str());
    double w = std::atof(weight.c_str()), d0 = std::atof(dose.c_str());
    if (!(w > 0) || !(d0 > 0))
        return rad_error_set("PET series in '%s': PatientWeight '%s' kg and RadionuclideTotalDose '%s' Bq must be "
                             "positive for SUV", dir, weight.c_str(), dose.c_str());
    if (decay == "ADMIN") {
        *factor = w * 1000.0 / d0;
        return 0;
    }
    if (decay != "START")
        return rad_error_set("PET series in '%s': DecayCorrection (0054,1102) is '%s'; radlab converts START or "
                             "ADMIN to SUV (QIBA); read the values with suv = false", dir, decay.c_str());
    double hl = std::atof(half.c_str()), scan_s, start_s;
    if (!(hl > 0))
        return rad_error_set("PET series in '%s': RadionuclideHalfLife '%s' s must be positive", dir, half.c_str());
    if (!parse_datetime(sdate, stime, scan_s))
        return rad_error_set("PET series in '%s': SeriesDate/SeriesTime '%s' '%s' is not a date and time", dir,
                             sdate.c_str(), stime.c_str());
    double earliest = 0;
    bool have_acq = false;
    for (size_t i : files) {
        double t;
        const Head &h = heads[i];
        if (parse_datetime(h.acq_date.empty() ? sdate : h.acq_date, h.acq_time, t) && (!have_acq || t < earliest))
            earliest = t, have_acq = true;
    }
    if (have_acq && scan_s > earliest)
        scan_s = earliest; /* the series time was changed after the acquisition */
    bool ok = start_dt.size() >= 10 ? parse_datetime(start_dt.substr(0, 8), start_dt.substr(8), start_s)
                                    : parse_datetime(sdate, start_t, start_s);
    if (!ok)
        return rad_error_set("PET series in '%s': the injection time '%s' is not a time", dir,
                             (start_dt.empty() ? start_t : start_dt).c_str());
    double decay_s = scan_s - start_s;
    if (decay_s < 0)
        return rad_error_set("PET series in '%s': the injection (%s) is after the scan start (%s %s)", dir,
                             (start_dt.empty() ? start_t : start_dt).c_str(), sdate.c_str(), stime.c_str());
    *factor = w * 1000.0 / (d0 * std::pow(2.0, -decay_s / hl));
    return 0;
}

/* ---- pixels ---- */

/* One file to decode: its slices (frames) and where each goes. */
struct FileJob {
    std::vector<const Head *> heads; /* one per frame used */
    std::vector<float *> out;        /* nx * ny floats each */
};

struct Decode {
    std::vector<FileJob> jobs;
    size_t nx, ny;
    double factor;              /* SUV factor, 1 otherwise */
    std::vector<std::string> errors;
};

/* Decode the frames of one file into their slices. */
int decode_file(const FileJob &job, size_t nx, size_t ny, double factor)
{
    const char *path = job.heads[0]->path.c_str();
    DcmFileFormat ff;
    OFCondition c = ff.loadFile(path, EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect);
    if (c.bad())
        return fail_condition(c, "'%s' cannot be read to its end (a truncated or damaged file? restore it or remove "
                                 "it from the folder)", path);
    DcmDataset *ds = ff.getDataset();
    DcmXfer xf(ds->getOriginalXfer());
    if (xf.isEncapsulated()) {
        c = ds->chooseRepresentation(EXS_LittleEndianExplicit, NULL);
        if (c.bad() || !ds->canWriteXfer(EXS_LittleEndianExplicit))
            return rad_error_set("'%s' is compressed with the transfer syntax %s (%s), which radlab cannot decode%s%s%s "
                                 "(it decodes JPEG baseline/extended/lossless, JPEG-LS and RLE); convert the series "
                                 "to an uncompressed syntax, e.g. with DCMTK's dcmconv +te, gdcmconv --raw",
                                 path, xf.getXferName(), xf.getXferID(), c.bad() ? " (" : "",
                                 c.bad() ? c.text() : "", c.bad() ? ")" : "");
    }
    Uint16 spp = 1, alloc = 0, stored = 0, high = 0, repr = 0;
    ds->findAndGetUint16(DCM_SamplesPerPixel, spp);
    if (ds->findAndGetUint16(DCM_BitsAllocated, alloc).bad())
        return rad_error_set("'%s' has no BitsAllocated (0028,0100)", path);
    if (ds->findAndGetUint16(DCM_BitsStored, stored).bad())
        stored = alloc;
    if (ds->findAndGetUint16(DCM_HighBit, high).bad())
        high = (Uint16)(stored - 1);
    ds->findAndGetUint16(DCM_PixelRepresentation, repr);
    if (spp != 1)
        return rad_error_set("'%s' has %u samples per pixel (colour); radlab reads grey-scale images only", path,
                             (unsigned)spp);
    if (alloc != 8 && alloc != 16)
        return rad_error_set("'%s' has BitsAllocated %u; radlab reads 8- and 16-bit pixels", path, (unsigned)alloc);
    if (stored < 1 || stored > alloc || high >= alloc || high + 1 < stored)
        return rad_error_set("'%s': BitsStored %u and HighBit %u do not fit BitsAllocated %u", path,
                             (unsigned)stored, (unsigned)high, (unsigned)alloc);
    double slope0 = 1, inter0 = 0;
    Float64 x;
    if (ds->findAndGetFloat64(DCM_RescaleSlope, x).good() && std::isfinite(x) && x != 0)
        slope0 = x;
    if (ds->findAndGetFloat64(DCM_RescaleIntercept, x).good() && std::isfinite(x))
        inter0 = x;
    DcmElement *el = NULL;
    if (ds->findAndGetElement(DCM_PixelData, el).bad() || !el)
        return rad_error_set("'%s' has no pixel data (7FE0,0010)", path);
    size_t n = nx * ny, bytes = n * (alloc / 8);
    const unsigned char *raw = NULL;
    Uint16 *w16 = NULL;
    Uint8 *w8 = NULL;
    if (el->getUint16Array(w16).good() && w16)
        raw = (const unsigned char *)w16;
    else if (el->getUint8Array(w8).good() && w8)
        raw = w8;
    long last = 0;
    for (const Head *h : job.heads)
        last = std::max(last, h->frame);
    if (!raw || el->getLength() < bytes * (size_t)(last + 1))
        return rad_error_set("'%s' is truncated: its pixel data has %lu bytes, %ld frame%s of %zu rows x %zu columns "
                             "of %u bits need %zu (restore the file or remove it from the folder)", path,
                             (unsigned long)el->getLength(), last + 1, last ? "s" : "", ny, nx, (unsigned)alloc,
                             bytes * (size_t)(last + 1));
    unsigned shift = (unsigned)(high + 1 - stored);
    uint32_t mask = stored >= 32 ? 0xffffffffu : ((1u << stored) - 1u);
    uint32_t sign = 1u << (stored - 1);
    for (size_t f = 0; f < job.heads.size(); f++) {
        const Head &h = *job.heads[f];
        const unsigned char *src = raw + bytes * (size_t)h.frame;
        double slope = h.has_rescale ? h.slope : slope0, inter = h.has_rescale ? h.inter : inter0;
        float *out = job.out[f];
        for (size_t v = 0; v < n; v++) {
            uint32_t u;
            if (alloc == 16) {
                uint16_t t;
                std::memcpy(&t, src + 2 * v, 2);
                u = t;
            } else
                u = src[v];
            u = (u >> shift) & mask;
            double sv = repr ? (double)((int32_t)(u ^ sign) - (int32_t)sign) : (double)u;
            double val = slope * sv + inter;
            out[v] = (float)(factor == 1 ? val : val * factor);
        }
    }
    return 0;
}

int decode_job(size_t i, void *ctx)
{
    Decode *d = (Decode *)ctx;
    int rc = guarded([&]() { return decode_file(d->jobs[i], d->nx, d->ny, d->factor); });
    if (rc < 0)
        d->errors[i] = rad_error_message();
    return rc < 0;
}

/* Where a slice comes from, for messages: the file, and its frame when it is
 * one of several. */
std::string where(const Head &h)
{
    return h.enhanced ? h.path + " (frame " + std::to_string(h.frame + 1) + ")" : h.path;
}

double dot3(const double *a, const double *b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

/* Read the files of group g (indices into heads) as an image. */
int read_group(const char *dir, const std::vector<Head> &heads, const Group &g, const RadDicomReadOptions *o,
               RadImage **img, RadDicomInfo *info, Warnings &w)
{
    const std::vector<size_t> &files = g.files;
    const Head &h0 = heads[files[0]];
    if (!h0.rows || !h0.cols)
        return rad_error_set("series %s in '%s' is a %s object without image pixels; it is not an image series", g.s.uid,
                             dir, g.s.modality);
    for (size_t i : files) {
        const Head &h = heads[i];
        if (h.frames != 1 && !h.enhanced)
            return rad_error_set("'%s' is a multi-frame object (%ld frames) without functional groups (legacy "
                                 "multi-frame, e.g. NM); radlab reads series of single-frame files and enhanced "
                                 "multi-frame CT/MR", where(h).c_str(), h.frames);
        if (h.rows != h0.rows || h.cols != h0.cols)
            return rad_error_set("the slices of series %s differ in size: '%s' has %u rows x %u columns, '%s' %u x %u",
                                 g.s.uid, where(h0).c_str(), h0.rows, h0.cols, where(h).c_str(), h.rows, h.cols);
        unsigned long long need = (unsigned long long)h.rows * h.cols * ((h.bits + 7) / 8) * (unsigned long long)(h.frame + 1);
        if (!h.compressed && h.bytes < need)
            return rad_error_set("'%s' is truncated: the file has %llu bytes, but its %u rows x %u columns of %u bits "
                                 "need %llu (restore the file or remove it from the folder)", where(h).c_str(), h.bytes,
                                 h.rows, h.cols, h.bits, need);
        const char *what = !h.has_ipp ? "ImagePositionPatient (0020,0032)"
                           : !h.has_iop ? "ImageOrientationPatient (0020,0037)"
                           : !h.has_ps  ? "PixelSpacing (0028,0030)" : NULL;
        if (what)
            return rad_error_set("'%s' has no valid %s, so its place in space is unknown (radlab places slices by "
                                 "their tags, not by file order)", where(h).c_str(), what);
        for (int k = 0; k < 6; k++)
            if (std::fabs(h.iop[k] - h0.iop[k]) > 1e-4)
                return rad_error_set("mixed orientations in series %s: '%s' has ImageOrientationPatient (%g, %g, %g, "
                                     "%g, %g, %g), '%s' (%g, %g, %g, %g, %g, %g); a series must be one stack of parallel "
                                     "slices (split it, or choose the files of one orientation)", g.s.uid,
                                     where(h0).c_str(), h0.iop[0], h0.iop[1], h0.iop[2], h0.iop[3], h0.iop[4], h0.iop[5],
                                     where(h).c_str(), h.iop[0], h.iop[1], h.iop[2], h.iop[3], h.iop[4], h.iop[5]);
        if (std::fabs(h.ps[0] - h0.ps[0]) > 1e-4 || std::fabs(h.ps[1] - h0.ps[1]) > 1e-4)
            return rad_error_set("the slices of series %s differ in PixelSpacing: '%s' %g\\%g, '%s' %g\\%g", g.s.uid,
                                 where(h0).c_str(), h0.ps[0], h0.ps[1], where(h).c_str(), h.ps[0], h.ps[1]);
    }
    if (!(h0.ps[0] > 0) || !(h0.ps[1] > 0))
        return rad_error_set("'%s': PixelSpacing %g\\%g must be positive", where(h0).c_str(), h0.ps[0], h0.ps[1]);
    double r[3] = {h0.iop[0], h0.iop[1], h0.iop[2]}, cc[3] = {h0.iop[3], h0.iop[4], h0.iop[5]}, nn[3];
    double lr = std::sqrt(dot3(r, r)), lc = std::sqrt(dot3(cc, cc));
    if (std::fabs(lr - 1) > 1e-3 || std::fabs(lc - 1) > 1e-3 || std::fabs(dot3(r, cc)) > 1e-3)
        return rad_error_set("'%s': ImageOrientationPatient (%g, %g, %g, %g, %g, %g) is not two orthogonal unit "
                             "vectors", where(h0).c_str(), r[0], r[1], r[2], cc[0], cc[1], cc[2]);
    for (int k = 0; k < 3; k++)
        r[k] /= lr, cc[k] /= lc;
    nn[0] = r[1] * cc[2] - r[2] * cc[1];
    nn[1] = r[2] * cc[0] - r[0] * cc[2];
    nn[2] = r[0] * cc[1] - r[1] * cc[0];
    double ln = std::sqrt(dot3(nn, nn));
    for (int k = 0; k < 3; k++)
        nn[k] /= ln;
    std::vector<size_t> order(files);
    std::vector<double> pos(heads.size());
    for (size_t i : files)
        pos[i] = dot3(heads[i].ipp, nn);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pos[a] < pos[b]; });
    size_t nin = order.size();
    const Head &first = heads[order[0]];
    for (size_t s = 1; s < nin; s++) {
        const Head &a = heads[order[s - 1]], &b = heads[order[s]];
        if (pos[order[s]] - pos[order[s - 1]] < 1e-3)
            return rad_error_set("two slices of series %s at the same position %.4g mm along the slice normal: '%s' "
                                 "and '%s' (a duplicate file, or two acquisitions in one series: remove one)", g.s.uid,
                                 pos[order[s]], where(a).c_str(), where(b).c_str());
        double v[3], t = 0;
        for (int k = 0; k < 3; k++)
            v[k] = b.ipp[k] - first.ipp[k];
        double along = dot3(v, nn);
        for (int k = 0; k < 3; k++)
            t += (v[k] - along * nn[k]) * (v[k] - along * nn[k]);
        t = std::sqrt(t);
        if (t > 0.01 + 1e-4 * std::fabs(along))
            return rad_error_set("series %s is not a stack along the slice normal (gantry tilt or shear): '%s' is "
                                 "%.4g mm off the normal through '%s' after %.4g mm along it; radlab reads only "
                                 "slices stacked along their normal: resample the series (tilt correction) first",
                                 g.s.uid, where(b).c_str(), t, where(first).c_str(), along);
    }
    double gmin = 0, gmax = 0;
    size_t at_max = 1;
    for (size_t s = 1; s < nin; s++) {
        double gap = pos[order[s]] - pos[order[s - 1]];
        if (s == 1 || gap < gmin)
            gmin = gap;
        if (s == 1 || gap > gmax)
            gmax = gap, at_max = s;
    }
    bool uneven = nin > 1 && gmax - gmin > 0.01 * gmin + 1e-3;
    if (uneven && !o->allow_uneven)
        return rad_error_set("uneven slice spacing in series %s: a gap of %.4g mm between the slices at %.4g mm ('%s') "
                             "and %.4g mm ('%s') along the normal, where the smallest gap is %.4g mm (a missing "
                             "slice?); restore the slice, or pass allow_uneven = true to resample the series linearly "
                             "onto a regular grid", g.s.uid, gmax, pos[order[at_max - 1]],
                             where(heads[order[at_max - 1]]).c_str(), pos[order[at_max]],
                             where(heads[order[at_max]]).c_str(), gmin);
    /* the SUV factor */
    double factor = 1;
    bool pet = g.s.modality == std::string("PT");
    if (o->suv == 1 && !pet)
        return rad_error_set("suv = true is for PET series; series %s in '%s' is %s", g.s.uid, dir, g.s.modality);
    if (pet && o->suv != 0) {
        if (suv_factor(dir, heads, files, &factor, info->units, sizeof info->units) < 0)
            return -1;
        info->suv = 1;
        info->suv_factor = factor;
    } else if (pet)
        copy_field(info->units, sizeof info->units, "");
    /* the geometry */
    size_t nx = h0.cols, ny = h0.rows, nz = nin;
    double sz = h0.between > 0 ? h0.between : h0.thickness > 0 ? h0.thickness : 1.0;
    if (nin > 1)
        sz = (pos[order[nin - 1]] - pos[order[0]]) / (double)(nin - 1);
    if (uneven) {
        double len = pos[order[nin - 1]] - pos[order[0]];
        size_t m = (size_t)std::ceil(len / gmin - 1e-6);
        nz = m + 1;
        sz = len / (double)m;
    }
    RadGeometry geo;
    rad_geometry_init(&geo, 3, nx, ny, nz);
    geo.spacing[0] = h0.ps[1];
    geo.spacing[1] = h0.ps[0];
    geo.spacing[2] = sz;
    for (int k = 0; k < 3; k++) {
        geo.origin[k] = first.ipp[k];
        geo.direction[3 * k + 0] = r[k];
        geo.direction[3 * k + 1] = cc[k];
        geo.direction[3 * k + 2] = nn[k];
    }
    Decode d;
    d.nx = nx;
    d.ny = ny;
    d.factor = factor;
    std::vector<float> stack;
    RadImage *im = NULL;
    float *base;
    if (uneven) {
        stack.resize(nx * ny * nin);
        base = stack.data();
    } else {
        im = rad_image_alloc(&geo);
        if (!im)
            return -1;
        base = im->data;
    }
    /* one job per file, its frames in slice order (files in the order of
     * their first slice) */
    {
        std::vector<size_t> job_of(heads.size(), (size_t)-1);
        for (size_t k = 0; k < nin; k++) {
            const Head &h = heads[order[k]];
            size_t j = d.jobs.size();
            /* the frames of one file are consecutive heads: find the job of frame 0's file */
            size_t frame0 = order[k] - (size_t)h.frame;
            if (job_of[frame0] != (size_t)-1)
                j = job_of[frame0];
            else {
                job_of[frame0] = j;
                d.jobs.push_back(FileJob());
            }
            d.jobs[j].heads.push_back(&h);
            d.jobs[j].out.push_back(base + k * nx * ny);
        }
    }
    size_t njobs = d.jobs.size();
    d.errors.assign(njobs, std::string());
    int threads = njobs < 8 ? 1 : 0;
    rad_pool_run(njobs, threads, decode_job, &d, 1, NULL);
    for (size_t i = 0; i < njobs; i++)
        if (!d.errors[i].empty()) {
            rad_image_free(im);
            return rad_error_set("%s", d.errors[i].c_str());
        }
    if (rad_interrupt_check() < 0) {
        rad_image_free(im);
        return -1;
    }
    if (uneven) {
        im = rad_image_alloc(&geo);
        if (!im)
            return -1;
        size_t plane = nx * ny, s = 0;
        for (size_t k = 0; k < nz; k++) {
            double t = pos[order[0]] + (double)k * sz;
            while (s + 2 < nin && pos[order[s + 1]] < t)
                s++;
            double a = pos[order[s]], b = pos[order[s + 1]];
            double wgt = std::min(1.0, std::max(0.0, (t - a) / (b - a)));
            const float *A = stack.data() + s * plane, *B = A + plane;
            float *out = im->data + k * plane;
            for (size_t v = 0; v < plane; v++)
                out[v] = (float)((1 - wgt) * A[v] + wgt * B[v]);
        }
        w.add("series %s in '%s': uneven slice gaps (%.4g to %.4g mm), resampled linearly (allow_uneven) from %zu "
              "slices onto a regular grid of %zu slices %.4g mm apart, from the first slice to the last",
              g.s.uid, dir, gmin, gmax, nin, nz, sz);
    }
    *img = im;
    info->series = g.s;
    return 0;
}

} // namespace

extern "C" int rad_dicomimpl_list_series(const char *dir, RadDicomSeries **list, size_t *n, RadDicomInfo *info)
{
    *list = NULL;
    *n = 0;
    if (info)
        std::memset(info, 0, sizeof *info);
    return guarded([&]() -> int {
        if (init() < 0)
            return -1;
        std::vector<Head> heads;
        std::vector<Group> groups;
        Warnings w;
        if (scan(dir, heads, groups, w) < 0)
            return -1;
        RadDicomSeries *out = (RadDicomSeries *)std::calloc(groups.size() + 1, sizeof *out);
        if (!out)
            return rad_error_set("out of memory listing DICOM series");
        for (size_t i = 0; i < groups.size(); i++)
            out[i] = groups[i].s;
        if (put_warnings(info, w) < 0) {
            std::free(out);
            return -1;
        }
        *list = out;
        *n = groups.size();
        return 0;
    });
}

namespace {

/* Run a reader body guarded: *img and *info start empty, and on failure
 * whatever the body made of them is released. */
template <class F> int read_image(RadImage **img, RadDicomInfo *info, F body)
{
    *img = NULL;
    std::memset(info, 0, sizeof *info);
    int rc = guarded(body);
    if (rc < 0) {
        rad_image_free(*img);
        *img = NULL;
        rad_dicom_info_free(info);
    }
    return rc;
}

} // namespace

extern "C" int rad_dicomimpl_read_series(const char *dir, const RadDicomReadOptions *o, RadImage **img,
                                         RadDicomInfo *info)
{
    return read_image(img, info, [&]() -> int {
        if (init() < 0)
            return -1;
        std::vector<Head> heads;
        std::vector<Group> groups;
        Warnings w;
        if (scan(dir, heads, groups, w) < 0)
            return -1;
        long g = choose(dir, groups, o->series);
        if (g < 0)
            return -1;
        if (read_group(dir, heads, groups[(size_t)g], o, img, info, w) < 0)
            return -1;
        return put_warnings(info, w);
    });
}

extern "C" int rad_dicomimpl_read_file(const char *path, const RadDicomReadOptions *o, RadImage **img,
                                       RadDicomInfo *info)
{
    return read_image(img, info, [&]() -> int {
        if (init() < 0)
            return -1;
        std::vector<Head> heads;
        Warnings w;
        if (read_head(path, heads) < 0)
            return rad_error_prefix("'%s'", path);
        Group g;
        std::memset(&g.s, 0, sizeof g.s);
        copy_field(g.s.uid, sizeof g.s.uid, heads[0].series);
        copy_field(g.s.modality, sizeof g.s.modality, heads[0].modality);
        copy_field(g.s.description, sizeof g.s.description, heads[0].description);
        copy_field(g.s.frame_of_reference, sizeof g.s.frame_of_reference, heads[0].frame_of_reference);
        copy_field(g.s.first, sizeof g.s.first, path);
        g.s.files = 1;
        g.s.nx = heads[0].cols;
        g.s.ny = heads[0].rows;
        g.s.nz = heads[0].rows ? (heads[0].enhanced ? heads.size() : (size_t)std::max(1L, heads[0].frames)) : 0;
        for (size_t i = 0; i < heads.size(); i++)
            g.files.push_back(i);
        if (read_group(path, heads, g, o, img, info, w) < 0)
            return -1;
        return put_warnings(info, w);
    });
}

/* ==== writing a series ====================================================== */

namespace {

std::once_flag enc_once;

void init_encoders()
{
    std::call_once(enc_once, [] {
        DJEncoderRegistration::registerCodecs();
        /* JPEG-LS from the raw pixel data, not through DicomImage
         * ("cooked"): DCMTK 3.6.7's cooked path writes past a buffer when it
         * pads an odd-length frame (valgrind: invalid write in
         * DJLSEncoderBase::fixPaddingIfNecessary); the raw path does not */
        DJLSEncoderRegistration::registerCodecs(0, 0, 0, 0, OFFalse);
        DcmRLEEncoderRegistration::registerCodecs();
    });
}

/* ff saved as `path` in syntax xfer through a temporary name beside it,
 * renamed when whole: a failed write leaves no file. */
int save_atomic(DcmFileFormat &ff, const std::string &dir, const std::string &name, E_TransferSyntax xfer,
                std::vector<std::string> &written)
{
    std::string path = dir + "/" + name, tmp = dir + "/." + name + ".tmp";
    OFCondition c = ff.saveFile(tmp.c_str(), xfer);
    if (c.bad()) {
        std::remove(tmp.c_str());
        return fail_condition(c, "cannot write '%s'", path.c_str());
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        return rad_error_errno("cannot rename '%s' to '%s'", tmp.c_str(), path.c_str());
    }
    written.push_back(path);
    return 0;
}

int make_dirs(const std::string &dir)
{
    struct stat st;
    if (stat(dir.c_str(), &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : rad_error_set("'%s' exists and is not a folder", dir.c_str());
    size_t slash = dir.find_last_of('/');
    if (slash != std::string::npos && slash > 0 && make_dirs(dir.substr(0, slash)) < 0)
        return -1;
    if (mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST)
        return rad_error_errno("cannot create the folder '%s'", dir.c_str());
    return 0;
}

std::string fmt_ds(double v)
{
    char b[32];
    std::snprintf(b, sizeof b, "%.10g", v); /* DS holds 16 characters */
    if (std::strlen(b) > 16)
        std::snprintf(b, sizeof b, "%.8g", v);
    return b;
}

std::string fmt_multi(const double *v, int n)
{
    std::string s;
    for (int i = 0; i < n; i++)
        s += (i ? "\\" : "") + fmt_ds(v[i]);
    return s;
}

int put(DcmItem *it, const DcmTagKey &t, const std::string &v)
{
    OFCondition c = it->putAndInsertString(t, v.c_str());
    if (c.bad())
        return fail_condition(c, "cannot set the DICOM tag (%04x,%04x) to '%s'", t.getGroup(), t.getElement(),
                              v.c_str());
    return 0;
}

} // namespace

extern "C" int rad_dicomimpl_write_series(const RadImage *img, const char *dir, const RadDicomWriteOptions *o)
{
    std::vector<std::string> written;
    int rc = guarded([&]() -> int {
        if (init() < 0)
            return -1;
        init_encoders();
        const RadGeometry &g = img->geom;
        std::string modality = o->modality ? o->modality : "CT";
        const char *sop_class;
        if (modality == "CT")
            sop_class = UID_CTImageStorage;
        else if (modality == "MR")
            sop_class = UID_MRImageStorage;
        else if (modality == "PT")
            sop_class = UID_PositronEmissionTomographyImageStorage;
        else
            return rad_error_set("DICOM modality '%s' cannot be written; use \"CT\", \"MR\" or \"PT\"",
                                 modality.c_str());
        std::string ts = o->transfer_syntax ? o->transfer_syntax : "explicit";
        E_TransferSyntax xfer;
        DJLSRepresentationParameter jls(2, OFTrue);
        DJ_RPLossless jpl(1, 0);
        const DcmRepresentationParameter *param = NULL;
        if (ts == "explicit")
            xfer = EXS_LittleEndianExplicit;
        else if (ts == "implicit")
            xfer = EXS_LittleEndianImplicit;
        else if (ts == "big")
            xfer = EXS_BigEndianExplicit;
        else if (ts == "rle")
            xfer = EXS_RLELossless;
        else if (ts == "jpeg-ls")
            xfer = EXS_JPEGLSLossless, param = &jls;
        else if (ts == "jpeg-lossless")
            xfer = EXS_JPEGProcess14SV1, param = &jpl;
        else
            return rad_error_set("unknown transfer_syntax '%s'; choose \"explicit\", \"implicit\", \"big\", \"rle\", "
                                 "\"jpeg-ls\" or \"jpeg-lossless\"", ts.c_str());
        double slope = o->slope != 0 ? o->slope : 1, inter = o->intercept;
        if (!std::isfinite(slope) || !std::isfinite(inter))
            return rad_error_set("slope %g and intercept %g must be finite", slope, inter);
        size_t nx = g.dim[0], ny = g.dim[1], nz = g.ndim == 3 ? g.dim[2] : 1, plane = nx * ny;
        if (nx > 65535 || ny > 65535)
            return rad_error_set("a DICOM slice has at most 65535 rows and columns; the image is %zux%zu", nx, ny);
        /* the stored values, and whether they fit signed or unsigned 16 bits */
        std::vector<long> stored(plane * nz);
        long lo = 0, hi = 0;
        for (size_t v = 0; v < plane * nz; v++) {
            double s = ((double)img->data[v] - inter) / slope;
            if (!std::isfinite(s) || std::fabs(s) > 1e9)
                return rad_error_set("voxel (%zu, %zu, %zu) (1-based) has the value %g, which cannot be stored as "
                                     "a 16-bit integer with slope %g and intercept %g", v % nx + 1, v / nx % ny + 1,
                                     v / plane + 1, (double)img->data[v], slope, inter);
            long q = std::lround(s);
            stored[v] = q;
            if (!v || q < lo)
                lo = q;
            if (!v || q > hi)
                hi = q;
        }
        bool sign = lo < 0;
        if ((sign && (lo < -32768 || hi > 32767)) || (!sign && hi > 65535))
            return rad_error_set("the values %g .. %g do not fit 16-bit stored values with slope %g and intercept %g "
                                 "(stored %ld .. %ld); choose a larger slope or another intercept",
                                 lo * slope + inter, hi * slope + inter, slope, inter, lo, hi);
        if (make_dirs(dir) < 0)
            return -1;
        DIR *dd = opendir(dir);
        if (!dd)
            return rad_error_errno("cannot open the folder '%s'", dir);
        while (struct dirent *e = readdir(dd)) {
            size_t l = std::strlen(e->d_name);
            if (l > 4 && strcasecmp(e->d_name + l - 4, ".dcm") == 0) {
                std::string name(e->d_name);
                closedir(dd);
                return rad_error_set("'%s' already holds DICOM files (%s); write a series into a new or empty folder",
                                     dir, name.c_str());
            }
        }
        closedir(dd);
        char study[100], series[100], frame[100];
        dcmGenerateUniqueIdentifier(study, SITE_STUDY_UID_ROOT);
        dcmGenerateUniqueIdentifier(series, SITE_SERIES_UID_ROOT);
        dcmGenerateUniqueIdentifier(frame, SITE_SERIES_UID_ROOT);
        const double *D = g.direction;
        double iop[6] = {D[0], D[3], D[6], D[1], D[4], D[7]};
        double ps[2] = {g.spacing[1], g.spacing[0]};
        double sz = g.ndim == 3 ? g.spacing[2] : 1;
        std::string stime = o->series_time ? o->series_time : "120000";
        std::vector<Uint16> px(plane);
        if (o->enhanced) {
            if (modality == "PT")
                return rad_error_set("enhanced = true writes Enhanced CT or MR; write PET as single-frame files");
            DcmFileFormat ff;
            DcmDataset *ds = ff.getDataset();
            char inst[100];
            dcmGenerateUniqueIdentifier(inst, SITE_INSTANCE_UID_ROOT);
            std::string pid = o->patient_id ? o->patient_id : "anonymous";
            if (put(ds, DCM_SOPClassUID, modality == "CT" ? UID_EnhancedCTImageStorage : UID_EnhancedMRImageStorage) ||
                put(ds, DCM_SOPInstanceUID, inst) || put(ds, DCM_StudyInstanceUID, study) ||
                put(ds, DCM_SeriesInstanceUID, series) || put(ds, DCM_FrameOfReferenceUID, frame) ||
                put(ds, DCM_Modality, modality) ||
                put(ds, DCM_SeriesDescription, o->description ? o->description : "radlab export") ||
                put(ds, DCM_PatientName, pid) || put(ds, DCM_PatientID, pid) || put(ds, DCM_StudyDate, "20260101") ||
                put(ds, DCM_StudyTime, stime) || put(ds, DCM_SeriesNumber, "1") || put(ds, DCM_InstanceNumber, "1") ||
                put(ds, DCM_NumberOfFrames, std::to_string(nz)) ||
                put(ds, DCM_PhotometricInterpretation, "MONOCHROME2"))
                return -1;
            ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
            ds->putAndInsertUint16(DCM_Rows, (Uint16)ny);
            ds->putAndInsertUint16(DCM_Columns, (Uint16)nx);
            ds->putAndInsertUint16(DCM_BitsAllocated, 16);
            ds->putAndInsertUint16(DCM_BitsStored, 16);
            ds->putAndInsertUint16(DCM_HighBit, 15);
            ds->putAndInsertUint16(DCM_PixelRepresentation, sign ? 1 : 0);
            DcmItem *shared = NULL, *it = NULL;
            OFCondition c = ds->findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
            if (c.bad() || shared->findOrCreateSequenceItem(DCM_PixelMeasuresSequence, it, 0).bad() ||
                put(it, DCM_PixelSpacing, fmt_multi(ps, 2)) || put(it, DCM_SliceThickness, fmt_ds(sz)) ||
                shared->findOrCreateSequenceItem(DCM_PlaneOrientationSequence, it, 0).bad() ||
                put(it, DCM_ImageOrientationPatient, fmt_multi(iop, 6)))
                return rad_error_set("cannot write the shared functional groups");
            std::vector<Uint16> all(plane * nz);
            for (size_t f = 0; f < nz; f++) {
                size_t k = nz - 1 - f; /* frames in descending slice order */
                double ipp[3];
                for (int a = 0; a < 3; a++)
                    ipp[a] = g.origin[a] + D[3 * a + 2] * sz * (double)k;
                DcmItem *pf = NULL;
                if (ds->findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, pf, (long)f).bad() ||
                    pf->findOrCreateSequenceItem(DCM_PlanePositionSequence, it, 0).bad() ||
                    put(it, DCM_ImagePositionPatient, fmt_multi(ipp, 3)) ||
                    pf->findOrCreateSequenceItem(DCM_PixelValueTransformationSequence, it, 0).bad() ||
                    put(it, DCM_RescaleSlope, fmt_ds(slope)) || put(it, DCM_RescaleIntercept, fmt_ds(inter)) ||
                    put(it, DCM_RescaleType, modality == "CT" ? "HU" : "US"))
                    return rad_error_set("cannot write the functional groups of frame %zu", f + 1);
                const long *sv = stored.data() + k * plane;
                for (size_t v = 0; v < plane; v++)
                    all[f * plane + v] = (Uint16)(sign ? (Uint16)(int16_t)sv[v] : (Uint16)sv[v]);
            }
            c = ds->putAndInsertUint16Array(DCM_PixelData, all.data(), (unsigned long)all.size());
            if (c.bad())
                return fail_condition(c, "cannot store the pixels");
            if (xfer != EXS_LittleEndianExplicit && xfer != EXS_LittleEndianImplicit && xfer != EXS_BigEndianExplicit) {
                c = ds->chooseRepresentation(xfer, param);
                if (c.bad() || !ds->canWriteXfer(xfer))
                    return rad_error_set("cannot compress the frames with %s%s%s", DcmXfer(xfer).getXferName(),
                                         c.bad() ? ": " : "", c.bad() ? c.text() : "");
            }
            return save_atomic(ff, dir, "ENH_00001.dcm", xfer, written);
        }
        for (size_t k = 0; k < nz; k++) {
            DcmFileFormat ff;
            DcmDataset *ds = ff.getDataset();
            char inst[100], name[64];
            dcmGenerateUniqueIdentifier(inst, SITE_INSTANCE_UID_ROOT);
            double ipp[3];
            for (int a = 0; a < 3; a++)
                ipp[a] = g.origin[a] + D[3 * a + 2] * sz * (double)k;
            std::string pid = o->patient_id ? o->patient_id : "anonymous";
            if (put(ds, DCM_SOPClassUID, sop_class) || put(ds, DCM_SOPInstanceUID, inst) ||
                put(ds, DCM_StudyInstanceUID, study) || put(ds, DCM_SeriesInstanceUID, series) ||
                put(ds, DCM_FrameOfReferenceUID, frame) || put(ds, DCM_Modality, modality) ||
                put(ds, DCM_SeriesDescription, o->description ? o->description : "radlab export") ||
                put(ds, DCM_PatientName, pid) || put(ds, DCM_PatientID, pid) ||
                put(ds, DCM_StudyDate, "20260101") || put(ds, DCM_StudyTime, stime) ||
                put(ds, DCM_SeriesDate, "20260101") || put(ds, DCM_SeriesTime, stime) ||
                put(ds, DCM_AcquisitionDate, "20260101") || put(ds, DCM_AcquisitionTime, stime) ||
                put(ds, DCM_SeriesNumber, "1") || put(ds, DCM_InstanceNumber, std::to_string(k + 1)) ||
                put(ds, DCM_ImagePositionPatient, fmt_multi(ipp, 3)) ||
                put(ds, DCM_ImageOrientationPatient, fmt_multi(iop, 6)) ||
                put(ds, DCM_PixelSpacing, fmt_multi(ps, 2)) || put(ds, DCM_SliceThickness, fmt_ds(sz)) ||
                put(ds, DCM_PhotometricInterpretation, "MONOCHROME2") ||
                put(ds, DCM_RescaleSlope, fmt_ds(slope)) || put(ds, DCM_RescaleIntercept, fmt_ds(inter)) ||
                put(ds, DCM_RescaleType, modality == "CT" ? "HU" : "US"))
                return -1;
            ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
            ds->putAndInsertUint16(DCM_Rows, (Uint16)ny);
            ds->putAndInsertUint16(DCM_Columns, (Uint16)nx);
            ds->putAndInsertUint16(DCM_BitsAllocated, 16);
            ds->putAndInsertUint16(DCM_BitsStored, 16);
            ds->putAndInsertUint16(DCM_HighBit, 15);
            ds->putAndInsertUint16(DCM_PixelRepresentation, sign ? 1 : 0);
            if (modality == "PT") {
                if (put(ds, DCM_Units, o->units ? o->units : "BQML") ||
                    put(ds, DCM_DecayCorrection, o->decay_correction ? o->decay_correction : "START") ||
                    put(ds, DCM_CorrectedImage, "ATTN\\DECY"))
                    return -1;
                if (o->weight_kg > 0 && put(ds, DCM_PatientWeight, fmt_ds(o->weight_kg)))
                    return -1;
                if (o->dose_bq > 0 || o->half_life_s > 0 || o->injection_time) {
                    DcmItem *it = NULL;
                    OFCondition c = ds->findOrCreateSequenceItem(DCM_RadiopharmaceuticalInformationSequence, it, 0);
                    if (c.bad())
                        return fail_condition(c, "cannot write the RadiopharmaceuticalInformationSequence");
                    if ((o->dose_bq > 0 && put(it, DCM_RadionuclideTotalDose, fmt_ds(o->dose_bq))) ||
                        (o->half_life_s > 0 && put(it, DCM_RadionuclideHalfLife, fmt_ds(o->half_life_s))) ||
                        (o->injection_time && put(it, DCM_RadiopharmaceuticalStartTime, o->injection_time)))
                        return -1;
                }
            }
            const long *sv = stored.data() + k * plane;
            for (size_t v = 0; v < plane; v++)
                px[v] = (Uint16)(sign ? (Uint16)(int16_t)sv[v] : (Uint16)sv[v]);
            OFCondition c = ds->putAndInsertUint16Array(DCM_PixelData, px.data(), (unsigned long)plane);
            if (c.bad())
                return fail_condition(c, "cannot store the pixels of slice %zu", k + 1);
            if (xfer != EXS_LittleEndianExplicit && xfer != EXS_LittleEndianImplicit && xfer != EXS_BigEndianExplicit) {
                c = ds->chooseRepresentation(xfer, param);
                if (c.bad() || !ds->canWriteXfer(xfer))
                    return rad_error_set("cannot compress slice %zu with %s%s%s", k + 1, DcmXfer(xfer).getXferName(),
                                         c.bad() ? ": " : "", c.bad() ? c.text() : "");
            }
            std::snprintf(name, sizeof name, "IMG_%05zu.dcm", k + 1);
            if (save_atomic(ff, dir, name, xfer, written) < 0)
                return -1;
            if (rad_interrupt_check() < 0)
                return -1;
        }
        return 0;
    });
    if (rc < 0)
        for (const std::string &p : written)
            std::remove(p.c_str());
    return rc;
}
