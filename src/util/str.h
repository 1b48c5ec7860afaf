/* radlab: small string helpers.  SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef RAD_UTIL_STR_H
#define RAD_UTIL_STR_H

#include <stddef.h>

/* Levenshtein distance of a and b (insertions, deletions, substitutions),
 * letters compared case-insensitively when nocase; 99 when either is longer
 * than 120 bytes.  For "did you mean" suggestions. */
size_t rad_edit_distance(const char *a, const char *b, int nocase);

#endif
