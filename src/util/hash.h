/* radlab: SHA-256 digests (nettle) as 64 lower-case hex digits.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef RAD_UTIL_HASH_H
#define RAD_UTIL_HASH_H

#include <stddef.h>

/* The digest of n bytes. */
void rad_sha256_hex(const void *data, size_t n, char out[65]);

/* The digest of a file's bytes, read in blocks.  0, or -1 with a message
 * naming the file. */
int rad_sha256_file(const char *path, char out[65]);
/* rad_sha256_file for a file; for a folder (a DICOM series) a digest of its
 * content: every file below it, in sorted order of their relative names,
 * each name with its content's digest (names starting with "." skipped). */
int rad_sha256_path(const char *path, char out[65]);

#endif
