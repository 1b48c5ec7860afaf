/* radlab: SHA-256 digests of files.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Provenance records name their inputs by content: a shard file names the
 * manifest it was cut from by the SHA-256 of the manifest's bytes, so that a
 * merge can tell shards of two different manifests apart.
 */
#ifndef RAD_UTIL_DIGEST_H
#define RAD_UTIL_DIGEST_H

/* The SHA-256 (FIPS 180-4, computed by nettle) of the bytes of the file at
 * path as 64 lower-case hex digits plus a NUL in out.  0, or -1 with a
 * message naming the file when it cannot be opened or read. */
int rad_file_sha256(const char *path, char out[65]);

#endif
