/* radlab: libFuzzer target for the DICOM reader.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built by `make fuzz-build` (clang++, DCMTK) with src/io/dicom_series.cc
 * compiled in (instrumented), so the entry points of librad-dicom are called
 * directly rather than through dlopen.  Each input is written to x.dcm in a
 * folder of this process under /dev/shm; the header probe and the
 * single-file image reader run on it.  Both must return a result or fail
 * with a message; a crash, a sanitizer report or a hang is a finding.
 */
#include "fuzz_file.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" {
#include "image/image.h"
#include "io/dicom.h"
#include "util/error.h"
int rad_dicomimpl_probe(const char *path, RadDicomProbe *out);
int rad_dicomimpl_read_file(const char *path, const RadDicomReadOptions *o, RadImage **img, RadDicomInfo *info);
}

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_file_init("dcm", "x.dcm");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file_write(data, size);
    RadDicomProbe p;
    (void)rad_dicomimpl_probe(path, &p);
    RadDicomReadOptions o = {NULL, 0, -1};
    RadImage *img = NULL;
    RadDicomInfo info;
    for (int uneven = 0; uneven < 2; uneven++) {
        o.allow_uneven = uneven;
        if (rad_dicomimpl_read_file(path, &o, &img, &info) == 0) {
            if (!img)
                abort(); /* success must give an image */
            rad_image_free(img);
            rad_dicom_info_free(&info);
        } else if (img || !rad_error_message()[0])
            abort(); /* failure must give a message and no image */
    }
    return 0;
}
