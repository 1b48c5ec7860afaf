/* radlab: atomic file writes.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writers never leave a partial file: they write to a temporary name in the
 * target's directory and rename it over the target only once all went well.
 */
#ifndef RAD_UTIL_FILE_H
#define RAD_UTIL_FILE_H

#include <stdio.h>

/* A fresh temporary name beside `path` that keeps its extension
 * ("dir/.rad-tmp-<pid>-<n>-name.nii.gz"), so that libraries which pick a
 * format by extension still do.  Caller frees.  NULL on failure. */
char *rad_tmpname(const char *path);
/* Rename tmp over path; on failure remove tmp.  0 or -1 with a message. */
int rad_tmp_commit(const char *tmp, const char *path);

typedef struct RadAtomicFile {
    FILE *fp;
    char *path; /* final name */
    char *tmp;  /* temporary name beside it */
} RadAtomicFile;
/* Open a temporary file beside `path` for writing ("wb"). */
int rad_atomic_open(RadAtomicFile *af, const char *path);
/* Flush, check for write errors, close and rename over the target; on any
 * failure the temporary file is removed and -1 returned with a message. */
int rad_atomic_commit(RadAtomicFile *af);
/* Close and remove the temporary file (after a failed write). */
void rad_atomic_abort(RadAtomicFile *af);

/* fopen(path, "rb") for a reader, with a clear message when path cannot be
 * opened or is a directory ("'x' is a directory; give <what>", e.g. what =
 * "an image file (.nii, .nii.gz, .nrrd, .nhdr, .png)").  NULL on failure. */
FILE *rad_file_open_read(const char *path, const char *what);

/* Whole file into memory (NUL-terminated; *len excludes the NUL). */
char *rad_file_slurp(const char *path, size_t *len);

#endif
