/* radlab: error reporting.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine never exits and never longjmps.  A failing function records one
 * message in a thread-local buffer and returns -1 or NULL; its caller either
 * passes the failure up or, at the top (the Lua binding, a C program), reads
 * the message with rad_error_message().  A message says what was wrong, with
 * what (file, setting, column) and what would fix it.
 */
#ifndef RAD_UTIL_ERROR_H
#define RAD_UTIL_ERROR_H

#include <stddef.h>

#if defined(__GNUC__)
#define RAD_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define RAD_PRINTF(a, b)
#endif

/* Record a message (printf-style), replacing any earlier one.  Returns -1 so
 * that `return rad_error_set(...)` reads naturally. */
int rad_error_set(const char *fmt, ...) RAD_PRINTF(1, 2);

/* Put context in front of the recorded message: "ctx: old message". */
int rad_error_prefix(const char *fmt, ...) RAD_PRINTF(1, 2);

/* Record "what: strerror(errno)" for a failed system call. */
int rad_error_errno(const char *fmt, ...) RAD_PRINTF(1, 2);

/* The last message of this thread ("" when none). */
const char *rad_error_message(void);
void rad_error_clear(void);

/* Allocation that records "out of memory (N bytes for WHAT)" on failure. */
void *rad_malloc(size_t n, const char *what);
/* rad_malloc aligned to `align` bytes (a power of two, e.g. 64 for SIMD
 * libraries such as FFTW); freed with free(). */
void *rad_malloc_aligned(size_t n, size_t align, const char *what);
void *rad_calloc(size_t count, size_t size, const char *what);
char *rad_strdup(const char *s);

/* Interrupt flag: set from a SIGINT handler, polled by long loops, which then
 * fail with the message "interrupted". */
void rad_interrupt_set(void);
void rad_interrupt_clear(void);
int rad_interrupted(void);
/* Returns -1 with the message "interrupted" when the flag is set, else 0. */
int rad_interrupt_check(void);

#endif
