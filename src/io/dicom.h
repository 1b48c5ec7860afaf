/* radlab: DICOM input (series, RTSTRUCT, SEG).  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DICOM is read with DCMTK, which is C++ and costs about 9 ms of library
 * loading per process; an extraction of a NIfTI case takes 40-100 ms, so the
 * DCMTK code lives in its own library, librad-dicom (src/io/dicom_*.cc, C++ behind
 * extern "C" entry points named rad_dicomimpl_*), which librad loads with
 * dlopen on the first DICOM call.  It is looked for next to librad itself (the
 * build tree's src/.libs, or $libdir once installed); no other path is
 * searched.  The functions here are the engine's C interface: plain C, errors
 * by rad_error_set and -1 (or NULL).
 */
#ifndef RAD_IO_DICOM_H
#define RAD_IO_DICOM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the header of one DICOM file says about it (read up to the pixel
 * data, which is not read).  Strings are "" when the tag is absent. */
typedef struct RadDicomProbe {
    char sop_class[65], sop_instance[65];
    char modality[17];
    char study[65], series[65], frame_of_reference[65];
    char description[65];   /* SeriesDescription */
    long instance_number;   /* InstanceNumber, 0 when absent */
    unsigned rows, columns; /* 0 for objects without pixels (RTSTRUCT) */
    unsigned long frames;   /* NumberOfFrames, 1 when absent and the object has rows */
} RadDicomProbe;

/* Read the header of `path`; -1 with a message naming the file when it is
 * not a DICOM file, is truncated in its header, or librad-dicom cannot be
 * loaded. */
int rad_dicom_probe(const char *path, RadDicomProbe *out);

/* The entry point `name` of librad-dicom, loading it on the first call
 * (thread-safe); NULL with a message when the library or the name is
 * missing.  For the C wrappers of the DICOM readers. */
void *rad_dicom_sym(const char *name);

#ifdef __cplusplus
}
#endif

#endif
