/* radlab: small string helpers.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <string.h>

#include "util/str.h"

size_t rad_edit_distance(const char *a, const char *b, int nocase)
{
    size_t na = strlen(a), nb = strlen(b), row[128];
    if (na > 120 || nb > 120)
        return 99;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            int ca = (unsigned char)a[i - 1], cb = (unsigned char)b[j - 1];
            size_t best = diag + (nocase ? tolower(ca) != tolower(cb) : ca != cb);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}
