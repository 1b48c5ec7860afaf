/* radlab: a C program that embeds librad: read an image and a mask, extract
 * features with settings, print three of them.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   cc embed.c $(pkg-config --cflags --libs radlab) -o embed
 *   ./embed image.nii.gz mask.nii.gz [LABEL]
 *
 * prints "tag,value" lines (full double precision) for stat_mean, stat_min
 * and stat_max of the region of interest.  Every librad function returns
 * NULL or -1 on failure and rad_error_message() says what went wrong, so the
 * program has one error path.
 */
#include <stdio.h>
#include <stdlib.h>

#include <rad.h>

int main(int argc, char **argv)
{
    static const char *const wanted[] = {"stat_mean", "stat_min", "stat_max"};
    RadImage *img = NULL;
    RadMask *mask = NULL;
    RadFeatureSet *fs = NULL;
    RadSettings s;
    int status = 1;

    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s IMAGE MASK [LABEL]  (radlab %s)\n", argv[0], RAD_VERSION);
        return 2;
    }
    if (!(img = rad_image_read(argv[1])) || !(mask = rad_mask_read(argv[2])))
        goto fail;
    if (argc == 4)
        mask->label = atoi(argv[3]); /* 0 = every non-zero voxel */

    /* the settings a Lua script would write as
     * {families = {"stat"}, round = true, discretise = {method = "fbs", width = 25}} */
    rad_settings_default(&s);
    s.families = RAD_FAM_STAT;
    s.round_input = 1;
    s.disc = RAD_DISC_FBS;
    s.bin_width = 25;
    if (rad_settings_check(&s) != 0 || !(fs = rad_extract(img, mask, &s)))
        goto fail;

    for (size_t k = 0; k < sizeof wanted / sizeof wanted[0]; k++) {
        long i = rad_featureset_find(fs, wanted[k]);
        if (i < 0) {
            fprintf(stderr, "embed: feature %s was not computed\n", wanted[k]);
            goto done;
        }
        printf("%s,%.17g\n", wanted[k], fs->values[i]);
    }
    status = 0;
    goto done;
fail:
    fprintf(stderr, "embed: %s\n", rad_error_message());
done:
    rad_featureset_free(fs);
    rad_mask_free(mask);
    rad_image_free(img);
    return status;
}
