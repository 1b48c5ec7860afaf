/* radlab: the feature cache of cohort extractions.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One entry per case, a small text file named by its key: the SHA-256 of the
 * image file's digest, the mask file's digest, the label, the settings
 * digest and the engine version (RAD_VERSION), so that a changed file, label,
 * setting or engine gives a new key and the old entry is simply not used.
 * An entry ends with the SHA-256 of the bytes before it and repeats its key,
 * version and settings digest: a truncated, edited or misplaced entry is
 * detected, reported as corrupt and recomputed, never served.  Entries are
 * written to a temporary file and renamed into place, so a reader (another
 * thread, another shard on a shared disk, a run after Ctrl-C or a crash)
 * sees a whole entry or none.  Layout: DIR/v1/ab/abcd...ef (the first two
 * hex digits fan out), DIR/CACHEDIR.TAG (backup tools skip the folder).
 */
#ifndef RAD_COHORT_CACHE_H
#define RAD_COHORT_CACHE_H

#include "features/features.h"

typedef struct RadCache RadCache;

/* Open (creating it and its parents when absent) the cache folder dir and
 * check that it can be written.  NULL with a message naming the folder and
 * the reason when it cannot be used. */
RadCache *rad_cache_open(const char *dir);
void rad_cache_close(RadCache *c);
const char *rad_cache_dir(const RadCache *c);

/* The key of a case: hashes both files (a folder, a DICOM series: every file
 * in it, rad_sha256_path), the label and the region's name (roi, NULL for
 * none).  0, or -1 with a message (a file that cannot be read). */
int rad_cache_key(const char *image, const char *mask, int label, const char *roi, const char *settings_digest,
                  char key[65]);

/* The entry of key: a feature set (the caller frees it), or NULL when there
 * is none or it is not valid; then *corrupt (may be NULL) is 1 when an
 * entry existed but failed a check (it will be overwritten). */
RadFeatureSet *rad_cache_get(RadCache *c, const char key[65], const char *settings_digest, int *corrupt);

/* Store fs under key, atomically.  0, or -1 with a message naming the
 * folder (disk full, permissions). */
int rad_cache_put(RadCache *c, const char key[65], const RadFeatureSet *fs);

#endif
