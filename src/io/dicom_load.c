/* radlab: loading librad-dicom on first use (see dicom.h).  SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/dicom.h"
#include "util/error.h"

#define DICOM_LIB "librad-dicom.so.0"

static pthread_once_t dicom_once = PTHREAD_ONCE_INIT;
static void *dicom_handle;
static char dicom_why[PATH_MAX + 256];

/* librad-dicom is the file DICOM_LIB in the folder of the librad that holds
 * this function (dladdr names it). */
static void dicom_load(void)
{
    Dl_info info;
    char path[PATH_MAX];
    const char *slash;
    size_t dir;
    if (!dladdr((void *)rad_dicom_sym, &info) || !info.dli_fname || !(slash = strrchr(info.dli_fname, '/'))) {
        snprintf(dicom_why, sizeof dicom_why, "cannot tell which folder librad was loaded from");
        return;
    }
    dir = (size_t)(slash - info.dli_fname);
    if (dir + 1 + sizeof DICOM_LIB > sizeof path) {
        snprintf(dicom_why, sizeof dicom_why, "the folder of librad has too long a name");
        return;
    }
    memcpy(path, info.dli_fname, dir);
    snprintf(path + dir, sizeof path - dir, "/%s", DICOM_LIB);
    dicom_handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!dicom_handle) {
        const char *e = dlerror();
        snprintf(dicom_why, sizeof dicom_why, "%s", e ? e : path);
    }
}

void *rad_dicom_sym(const char *name)
{
    void *f;
    pthread_once(&dicom_once, dicom_load);
    if (!dicom_handle) {
        rad_error_set("DICOM support is not available: %s (librad-dicom is built with radlab and installed next to "
                      "librad; rebuild or reinstall radlab, with Debian's libdcmtk-dev present)", dicom_why);
        return NULL;
    }
    f = dlsym(dicom_handle, name);
    if (!f)
        rad_error_set("DICOM support: librad-dicom has no entry point %s (it is from another radlab version; "
                      "reinstall radlab)", name);
    return f;
}

int rad_dicom_probe(const char *path, RadDicomProbe *out)
{
    int (*fn)(const char *, RadDicomProbe *);
    memset(out, 0, sizeof *out);
    *(void **)&fn = rad_dicom_sym("rad_dicomimpl_probe");
    if (!fn)
        return -1;
    return fn(path, out);
}

void rad_dicom_info_free(RadDicomInfo *info)
{
    if (!info)
        return;
    for (size_t i = 0; i < info->nwarnings; i++)
        free(info->warnings[i]);
    free(info->warnings);
    info->warnings = NULL;
    info->nwarnings = 0;
}

int rad_dicom_list_series(const char *dir, RadDicomSeries **list, size_t *n, RadDicomInfo *info)
{
    int (*fn)(const char *, RadDicomSeries **, size_t *, RadDicomInfo *);
    *list = NULL;
    *n = 0;
    if (info)
        memset(info, 0, sizeof *info);
    *(void **)&fn = rad_dicom_sym("rad_dicomimpl_list_series");
    if (!fn)
        return -1;
    return fn(dir, list, n, info);
}

int rad_dicom_read_series(const char *dir, const RadDicomReadOptions *opts, RadImage **img, RadDicomInfo *info)
{
    int (*fn)(const char *, const RadDicomReadOptions *, RadImage **, RadDicomInfo *);
    RadDicomReadOptions def = {NULL, 0, -1};
    *img = NULL;
    memset(info, 0, sizeof *info);
    *(void **)&fn = rad_dicom_sym("rad_dicomimpl_read_series");
    if (!fn)
        return -1;
    return fn(dir, opts ? opts : &def, img, info);
}

int rad_dicom_read_file(const char *path, const RadDicomReadOptions *opts, RadImage **img, RadDicomInfo *info)
{
    int (*fn)(const char *, const RadDicomReadOptions *, RadImage **, RadDicomInfo *);
    RadDicomReadOptions def = {NULL, 0, -1};
    *img = NULL;
    memset(info, 0, sizeof *info);
    *(void **)&fn = rad_dicom_sym("rad_dicomimpl_read_file");
    if (!fn)
        return -1;
    return fn(path, opts ? opts : &def, img, info);
}

int rad_dicom_write_series(const RadImage *img, const char *dir, const RadDicomWriteOptions *opts)
{
    int (*fn)(const RadImage *, const char *, const RadDicomWriteOptions *);
    RadDicomWriteOptions def;
    memset(&def, 0, sizeof def);
    *(void **)&fn = rad_dicom_sym("rad_dicomimpl_write_series");
    if (!fn)
        return -1;
    return fn(img, dir, opts ? opts : &def);
}
