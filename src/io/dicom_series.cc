/* radlab: DICOM series (and the pieces librad-dicom shares), with DCMTK.  SPDX-License-Identifier: GPL-3.0-or-later */
#include "io/dicom_impl.h"

#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

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
