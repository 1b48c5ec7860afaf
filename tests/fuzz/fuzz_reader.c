/* radlab: libFuzzer target for one image or table reader.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built by `make fuzz` once per reader, with RAD_FUZZ_TARGET set to one of
 * the FUZZ_* numbers below.  The readers take paths, so each input is written
 * to a file with the reader's extension in a folder of this process under
 * /dev/shm, and the reader's public function is called on it.  A reader must
 * return a result or fail with a message; anything else (a crash, a
 * sanitizer report, a hang, memory out of bounds) is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "image/image.h"
#include "io/io.h"
#include "io/yaml.h"
#include "table/table.h"
#include "util/error.h"

#define FUZZ_NIFTI 1      /* x.nii read as an image */
#define FUZZ_NIFTI_GZ 2   /* x.nii.gz; input gzip-compressed first unless it is gzip already */
#define FUZZ_NIFTI_MASK 3 /* x.nii read as a mask */
#define FUZZ_NRRD 4       /* x.nrrd (attached header) */
#define FUZZ_NHDR 5       /* x.nhdr: detached header text; d.raw and d.raw.gz exist beside it */
#define FUZZ_PNG 6        /* x.png */
#define FUZZ_CSV 7        /* x.csv read as a table */
#define FUZZ_YAML 8       /* x.yaml read as a YAML document */

#ifndef RAD_FUZZ_TARGET
#error "define RAD_FUZZ_TARGET"
#endif

static char dir[64], path[96];

static void write_file(const char *p, const uint8_t *data, size_t size)
{
    FILE *fp = fopen(p, "wb");
    if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0)
        abort();
}

#if RAD_FUZZ_TARGET == FUZZ_NIFTI_GZ || RAD_FUZZ_TARGET == FUZZ_NHDR
static void write_gzip(const char *p, const uint8_t *data, size_t size)
{
    gzFile gz = gzopen(p, "wb1");
    if (!gz || (size && gzwrite(gz, data, (unsigned)size) != (int)size) || gzclose(gz) != Z_OK)
        abort();
}
#endif

/* Remove this process's folder at exit (libFuzzer exits through exit()). */
static void cleanup(void)
{
    static const char *names[] = {"x.nii", "x.nii.gz", "x.nrrd", "x.nhdr", "x.png", "x.csv", "x.yaml", "d.raw", "d.raw.gz"};
    char p[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char *ext[] = {"", ".nii", ".nii.gz", ".nii", ".nrrd", ".nhdr", ".png", ".csv", ".yaml"};
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "/dev/shm/radfuzz-%ld", (long)getpid());
    if (mkdir(dir, 0700) != 0)
        abort();
    atexit(cleanup);
    snprintf(path, sizeof path, "%s/x%s", dir, ext[RAD_FUZZ_TARGET]);
#if RAD_FUZZ_TARGET == FUZZ_NHDR
    {
        /* data files a fuzzed header can name: 4096 bytes of a ramp */
        static uint8_t ramp[4096];
        char p[128];
        for (size_t i = 0; i < sizeof ramp; i++)
            ramp[i] = (uint8_t)(i * 7);
        snprintf(p, sizeof p, "%s/d.raw", dir);
        write_file(p, ramp, sizeof ramp);
        snprintf(p, sizeof p, "%s/d.raw.gz", dir);
        write_gzip(p, ramp, sizeof ramp);
    }
#endif
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if RAD_FUZZ_TARGET == FUZZ_NIFTI_GZ
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
        write_file(path, data, size);
    else
        write_gzip(path, data, size);
#else
    write_file(path, data, size);
#endif
    rad_error_clear();

#if RAD_FUZZ_TARGET == FUZZ_NIFTI_MASK
    RadMask *m = rad_mask_read(path);
    if (!m && !rad_error_message()[0])
        abort(); /* a failure must say why */
    rad_mask_free(m);
#elif RAD_FUZZ_TARGET == FUZZ_YAML
    RadYaml *y = rad_yaml_read(path);
    if (!y && !rad_error_message()[0])
        abort();
    rad_yaml_free(y);
#elif RAD_FUZZ_TARGET == FUZZ_CSV
    RadTable *t = rad_table_read_csv(path, NULL);
    if (!t && !rad_error_message()[0])
        abort();
    rad_table_free(t);
#else
    RadImage *img = rad_image_read(path);
    if (!img && !rad_error_message()[0])
        abort();
    rad_image_free(img);
#endif
    unlink(path);
    return 0;
}
