/* radlab: the scratch file of a file-reading fuzz target.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fuzz_file_init(tag, name) makes /dev/shm/radfuzz-TAG-PID/NAME the file
 * every input is written to (fuzz_file_write) and removes it and its folder
 * at exit.  Header-only, for the C and C++ targets alike. */
#ifndef RAD_FUZZ_FILE_H
#define RAD_FUZZ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char fuzz_dir[64], fuzz_path[128];

static void fuzz_file_cleanup(void)
{
    remove(fuzz_path);
    rmdir(fuzz_dir);
}

static void fuzz_file_init(const char *tag, const char *name)
{
    snprintf(fuzz_dir, sizeof fuzz_dir, "/dev/shm/radfuzz-%s-%ld", tag, (long)getpid());
    if (mkdir(fuzz_dir, 0700) != 0)
        abort();
    snprintf(fuzz_path, sizeof fuzz_path, "%s/%s", fuzz_dir, name);
    atexit(fuzz_file_cleanup);
}

/* the input as the file's whole contents; the path */
static const char *fuzz_file_write(const uint8_t *data, size_t size)
{
    FILE *fp = fopen(fuzz_path, "wb");
    if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0)
        abort();
    return fuzz_path;
}

#endif
