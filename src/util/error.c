/* radlab: error reporting.  SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/error.h"

#define RAD_ERROR_MAX 1024

static _Thread_local char rad_error_buf[RAD_ERROR_MAX];
/* Set by a signal handler, read by every worker thread: a lock-free atomic
 * (async-signal-safe and visible across threads, which volatile
 * sig_atomic_t alone does not promise). */
static atomic_int rad_interrupt_flag;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the interrupt flag must be lock-free to be set from a signal handler");

/* "a: b" into the message buffer, truncated to fit. */
static void join_message(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b), max = RAD_ERROR_MAX - 1;
    char out[RAD_ERROR_MAX];
    if (na > max)
        na = max;
    memcpy(out, a, na);
    if (na + 2 <= max) {
        memcpy(out + na, ": ", 2);
        na += 2;
    }
    if (nb > max - na)
        nb = max - na;
    memcpy(out + na, b, nb);
    out[na + nb] = '\0';
    memcpy(rad_error_buf, out, na + nb + 1);
}

int rad_error_set(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rad_error_buf, sizeof rad_error_buf, fmt, ap);
    va_end(ap);
    return -1;
}

int rad_error_prefix(const char *fmt, ...)
{
    char old[RAD_ERROR_MAX], ctx[RAD_ERROR_MAX];
    va_list ap;
    memcpy(old, rad_error_buf, sizeof old);
    va_start(ap, fmt);
    vsnprintf(ctx, sizeof ctx, fmt, ap);
    va_end(ap);
    join_message(ctx, old);
    return -1;
}

/* strerror's text without its shared buffer (cases run on threads). */
static const char *errno_text(int e, char *buf, size_t size)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
    return strerror_r(e, buf, size); /* the GNU variant returns the text */
#else
    if (strerror_r(e, buf, size) != 0)
        snprintf(buf, size, "error %d", e);
    return buf;
#endif
}

int rad_error_errno(const char *fmt, ...)
{
    int e = errno;
    char ctx[RAD_ERROR_MAX], sys[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx, sizeof ctx, fmt, ap);
    va_end(ap);
    join_message(ctx, errno_text(e, sys, sizeof sys));
    return -1;
}

const char *rad_error_message(void) { return rad_error_buf; }
void rad_error_clear(void) { rad_error_buf[0] = '\0'; }

/* Arrays of 2 MiB or more from rad_malloc (voxels, scratch: written whole
 * before they are read) are aligned to 2 MiB and offered to the kernel for
 * transparent huge pages: a fresh 4 KiB page costs a fault (about 20 us on a
 * virtual machine, a fifth of a CT extraction's time), a huge page one fault
 * for 512 of them.  Still freed with free().  rad_calloc keeps calloc's
 * lazily zeroed pages: zeroing huge pages would make memory that is never
 * touched resident (measured: +11 MiB on the CT phantom, against +2 MiB
 * for rad_malloc alone).  The kernel may decline (THP "never"). */
#define HUGE_ARRAY ((size_t)2 << 20)

static void *alloc_array(size_t n, size_t align)
{
    void *p = NULL;
    if (n >= HUGE_ARRAY) {
        size_t whole = (n + HUGE_ARRAY - 1) / HUGE_ARRAY * HUGE_ARRAY;
        if (whole < n || posix_memalign(&p, HUGE_ARRAY, whole) != 0)
            return NULL;
#ifdef MADV_HUGEPAGE
        (void)madvise(p, whole, MADV_HUGEPAGE); /* advice only: ignore failure */
#endif
        return p;
    }
    if (align <= sizeof(void *) * 2)
        return malloc(n ? n : 1);
    return posix_memalign(&p, align, n ? n : 1) == 0 ? p : NULL;
}

void *rad_malloc(size_t n, const char *what)
{
    void *p = alloc_array(n, 0);
    if (!p)
        rad_error_set("out of memory (%zu bytes for %s)", n, what);
    return p;
}

void *rad_malloc_aligned(size_t n, size_t align, const char *what)
{
    void *p = alloc_array(n, align);
    if (!p)
        rad_error_set("out of memory (%zu bytes for %s)", n, what);
    return p;
}

void *rad_calloc(size_t count, size_t size, const char *what)
{
    void *p;
    if (size && count > (size_t)-1 / size) {
        rad_error_set("out of memory (%zu x %zu bytes for %s overflows)", count, size, what);
        return NULL;
    }
    p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        rad_error_set("out of memory (%zu bytes for %s)", count * size, what);
    return p;
}

char *rad_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = rad_malloc(n, "a string");
    if (p)
        memcpy(p, s, n);
    return p;
}

void rad_interrupt_set(void) { atomic_store_explicit(&rad_interrupt_flag, 1, memory_order_relaxed); }
void rad_interrupt_clear(void) { atomic_store_explicit(&rad_interrupt_flag, 0, memory_order_relaxed); }
int rad_interrupted(void) { return atomic_load_explicit(&rad_interrupt_flag, memory_order_relaxed) != 0; }

int rad_interrupt_check(void)
{
    if (rad_interrupted())
        return rad_error_set("interrupted");
    return 0;
}
