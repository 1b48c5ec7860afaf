/* radlab: interpolation onto a new grid (PLACEHOLDER being written).  SPDX-License-Identifier: GPL-3.0-or-later */
#include "image/image.h"
#include "util/error.h"

int rad_resample_grid(const RadGeometry *in, const double spacing[3], int in_plane, RadGeometry *out)
{
    (void)in; (void)spacing; (void)in_plane; (void)out;
    return rad_error_set("interpolation is not available yet");
}

RadImage *rad_image_resample(const RadImage *img, const RadGeometry *grid, RadInterp interp)
{
    (void)img; (void)grid; (void)interp;
    rad_error_set("interpolation is not available yet");
    return NULL;
}

RadMask *rad_mask_resample(const RadMask *m, const RadGeometry *grid, RadInterp interp, double delta)
{
    (void)m; (void)grid; (void)interp; (void)delta;
    rad_error_set("interpolation is not available yet");
    return NULL;
}
