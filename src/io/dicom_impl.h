/* radlab: what the C++ files of librad-dicom share (DCMTK).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The C++ files of librad-dicom (src/io/dicom_*.cc) include this first.  librad-dicom is C++ inside
 * and C at its edges: its entry points are extern "C" functions named
 * rad_dicomimpl_* (looked up by src/io/dicom.c), they never let a C++
 * exception out, and they report errors with librad's rad_error_set.
 */
#ifndef RAD_IO_DICOM_IMPL_H
#define RAD_IO_DICOM_IMPL_H

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include <new>
#include <stdexcept>
#include <string>

extern "C" {
#include "io/dicom.h"
#include "util/error.h"
}

namespace radicom {

/* Once per process: DCMTK's logging off (radlab words its own messages), the
 * decompression codecs registered (JPEG baseline/extended/lossless, JPEG-LS,
 * RLE), the data dictionary checked.  -1 with a message when the dictionary
 * is missing. */
int init();

/* The string value of tag in item (trimmed of padding), "" when absent. */
std::string get_string(DcmItem *item, const DcmTagKey &tag);

/* Copy s into a fixed-size C field, cut to fit. */
void copy_field(char *dst, size_t size, const std::string &s);

/* rad_error_set with DCMTK's condition text after the message. */
int fail_condition(const OFCondition &c, const char *fmt, ...) RAD_PRINTF(2, 3);

} // namespace radicom

namespace radicom {

/* f() (an int: 0 or -1), with any C++ exception turned into a radlab error:
 * the body of every entry point, so that no exception crosses into C. */
template <class F> int guarded(F f)
{
    try {
        return f();
    } catch (const std::bad_alloc &) {
        return rad_error_set("out of memory reading DICOM");
    } catch (const std::exception &e) {
        return rad_error_set("DICOM: %s", e.what());
    } catch (...) {
        return rad_error_set("DICOM: an unexpected error in DCMTK");
    }
}

} // namespace radicom

#endif
