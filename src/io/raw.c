/* radlab: raw voxel buffers as the format readers fill them.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The per-format readers (nifti.c, nrrd.c, png.c) and the front ends in
 * io.c both use these; they depend on nothing else, so the readers never
 * call back into io.c.
 */
#include <stdlib.h>

#include "io/io.h"

const char *rad_dtype_name(RadDType t)
{
    static const char *names[] = {"uint8", "int8", "uint16", "int16", "uint32", "int32",
                                  "uint64", "int64", "float32", "float64"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "unknown";
}

size_t rad_dtype_size(RadDType t)
{
    static const size_t sizes[] = {1, 1, 2, 2, 4, 4, 8, 8, 4, 8};
    return (unsigned)t < sizeof sizes / sizeof sizes[0] ? sizes[t] : 0;
}

void rad_raw_free(RadRaw *r)
{
    if (r) {
        free(r->block ? r->block : r->data);
        r->data = r->block = NULL;
    }
}
