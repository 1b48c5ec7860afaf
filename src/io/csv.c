/* radlab: CSV reading and writing for Tables.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format is RFC 4180 ("Common Format and MIME Type for Comma-Separated
 * Values (CSV) Files"): fields separated by a separator (',' ';' or tab,
 * detected from the header line unless given), records ended by CRLF or LF,
 * fields in double quotes may hold separators, newlines and "" for a quote.
 * A UTF-8 byte order mark is skipped and blank lines are ignored (as R's
 * read.csv does with blank.lines.skip = TRUE).
 *
 * Reading: the file is read once into memory and parsed in place (quoted
 * fields are unescaped where they stand and every field is NUL-terminated);
 * cells are kept as offsets into that buffer.  A column is numeric when every
 * non-missing cell is a decimal number (the whole cell, spaces around it
 * allowed); "" and "NA" (plus the caller's spellings) are missing.  Numbers
 * are converted with Clinger's exact fast path (W. D. Clinger, "How to read
 * floating point numbers accurately", PLDI 1990: a mantissa below 2^53 times
 * a power of ten up to 10^22 is one correctly rounded operation) and with
 * strtod otherwise, so every result is the correctly rounded double.
 *
 * Writing: atomic (a temporary file renamed over the target), numbers with
 * %.17g so that reading them back gives the same bits, missing values as
 * empty cells (NA in a one-column table), strings quoted when they hold any of the three separators (so
 * that detection finds the right one on reading back), a quote, a line
 * break, surrounding spaces, or are "" or "NA" (a quoted cell is never missing).
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "table/table.h"
#include "util/error.h"
#include "util/file.h"

/* ---- numbers ------------------------------------------------------------------- */

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Parse the whole cell s (NUL-terminated) as a number whose decimal point is
 * `dec` ('.' or ','): 0 on success, -1 for text, -2 for a number beyond the
 * range of a double. */
static int parse_number(const char *s, char dec, double *out)
{
    const char *p = s, *q;
    uint64_t m = 0;
    int neg = 0, digits = 0, sig = 0, exp10 = 0, dropped = 0;
    char *end, tmp[512];
    double v;
    size_t len;

    while (*p == ' ' || *p == '\t')
        p++;
    q = p;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    /* only digits or the decimal point may start a number: no inf, nan, hex */
    if (!((*p >= '0' && *p <= '9') || *p == dec))
        return -1;
    /* fast path: [digits][.digits][e[+-]digits] with few significant digits */
    while (*p >= '0' && *p <= '9') {
        if (sig < 19 && (m || *p != '0')) {
            m = m * 10 + (uint64_t)(*p - '0');
            sig++;
        } else if (m || *p != '0') {
            exp10++;
            dropped = 1;
        }
        p++;
        digits++;
    }
    if (*p == dec) {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (sig < 19 && (m || *p != '0')) {
                m = m * 10 + (uint64_t)(*p - '0');
                sig++;
                exp10--;
            } else if (!m)
                exp10--;
            else
                dropped = 1;
            p++;
            digits++;
        }
    }
    if (digits && (*p == 'e' || *p == 'E')) {
        int eneg = 0, e = 0, ed = 0;
        p++;
        if (*p == '-' || *p == '+')
            eneg = *p++ == '-';
        while (*p >= '0' && *p <= '9') {
            if (e < 100000)
                e = e * 10 + (*p - '0');
            p++;
            ed++;
        }
        if (!ed)
            digits = 0; /* "1e" : let strtod decide */
        exp10 += eneg ? -e : e;
    }
    {
        const char *r = p;
        while (*r == ' ' || *r == '\t')
            r++;
        if (digits && !*r && !dropped && m < ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22) {
            v = (double)m;
            v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
            *out = neg ? -v : v;
            return 0;
        }
    }
    /* slow path: strtod on a copy with the decimal point as '.' (strtod
     * reads the C locale's); the other mark is text ("1.5" with dec ',') */
    len = strlen(q);
    if (len >= sizeof tmp)
        return -1;
    for (size_t k = 0; k <= len; k++) {
        if (q[k] == (dec == ',' ? '.' : ',') || q[k] == 'x' || q[k] == 'X')
            return -1;
        tmp[k] = q[k] == dec ? '.' : q[k];
    }
    v = strtod(tmp, &end);
    if (end == tmp)
        return -1;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end || v != v)
        return -1;
    if (isinf(v))
        return -2;
    *out = v;
    return 0;
}

int rad_csv_number(const char *s, char decimal, double *out)
{
    return parse_number(s, decimal == ',' ? ',' : '.', out);
}

int rad_csv_infinity(const char *s, double *out)
{
    static const char *const spell[] = {"inf", "Inf", "INF", "infinity", "Infinity", "INFINITY", NULL};
    const char *p = s, *e;
    int neg = 0;
    size_t len;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    for (e = p; *e && *e != ' ' && *e != '\t'; e++)
        ;
    len = (size_t)(e - p);
    while (*e == ' ' || *e == '\t')
        e++;
    if (*e)
        return 0;
    for (size_t k = 0; spell[k]; k++)
        if (strlen(spell[k]) == len && strncmp(p, spell[k], len) == 0) {
            *out = neg ? -INFINITY : INFINITY;
            return 1;
        }
    return 0;
}

/* ---- reading ------------------------------------------------------------------- */

/* Cell offsets carry a flag bit for quoted cells: a quoted "" or "NA" is a
 * string, not a missing value, so that such strings survive a round trip. */
#define QUOTED ((uint32_t)1 << 31)
typedef uint32_t CellOffset; /* files up to 2 GiB */

typedef struct Parser {
    char *buf, *p, *end;
    char sep;
    size_t line;        /* current physical line (1-based) */
    const char *path;
} Parser;

/* Parse one field at ps->p; returns its start (NUL-terminated in place) and
 * sets *term to the character that ended it (sep, '\n' or 0 at the end). */
static char *parse_field(Parser *ps, int *term, int *quoted)
{
    char *p = ps->p, *start = p, *w;
    *quoted = *p == '"';
    if (*p == '"') {
        size_t qline = ps->line;
        w = start;
        p++;
        for (;;) {
            if (p >= ps->end) {
                rad_error_set("%s: line %zu: a quoted field opened here is never closed (a \" is missing)", ps->path,
                              qline);
                return NULL;
            }
            if (*p == '"') {
                if (p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            if (*p == '\n')
                ps->line++;
            *w++ = *p++;
        }
        if (p < ps->end && *p == '\r' && p + 1 < ps->end && p[1] == '\n')
            p++;
        if (p < ps->end && *p != ps->sep && *p != '\n') {
            rad_error_set("%s: line %zu: unexpected text after a closing quote (a quote inside a quoted field "
                          "must be doubled: \"\")", ps->path, ps->line);
            return NULL;
        }
    } else {
        char sep = ps->sep;
        while (p < ps->end && *p != sep && *p != '\n')
            p++;
        w = p;
        if (w > start && w[-1] == '\r' && (p >= ps->end || *p == '\n'))
            w--;
    }
    *term = p < ps->end ? *p : 0;
    if (p < ps->end) {
        if (*p == '\n')
            ps->line++;
        p++;
    }
    *w = 0;
    ps->p = p;
    return start;
}

static int is_missing(const char *s, const RadCsvOptions *opt)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p || strcmp(s, "NA") == 0 || strcmp(s, "NaN") == 0 || strcmp(s, "nan") == 0 || strcmp(s, "NAN") == 0)
        return 1;
    for (size_t k = 0; opt && opt->na && opt->na[k]; k++)
        if (strcmp(s, opt->na[k]) == 0)
            return 1;
    return 0;
}

static int in_list(const char *const *list, const char *name)
{
    for (size_t k = 0; list && list[k]; k++)
        if (strcmp(list[k], name) == 0)
            return 1;
    return 0;
}

/* Separator of the header line: the most frequent of , ; tab outside quotes. */
static char detect_sep(const char *p, const char *end)
{
    size_t nc = 0, ns = 0, nt = 0;
    int inq = 0;
    for (; p < end && (inq || *p != '\n'); p++) {
        if (*p == '"')
            inq = !inq;
        else if (!inq)
            nc += *p == ',', ns += *p == ';', nt += *p == '\t';
    }
    if (nt && nt >= nc && nt >= ns) /* ties: tab, then ';' (rarer inside names) */
        return '\t';
    if (ns && ns >= nc)
        return ';';
    return ',';
}

/* Ask for transparent huge pages on a large buffer: far fewer page faults
 * while it is first filled (a hint; nothing happens where unsupported). */
static void hint_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1), b = ((uintptr_t)p + size) & ~(huge - 1);
    if (b > a)
        (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)size;
#endif
}

/* The whole file in one read when its size is known (else rad_file_slurp). */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = rad_file_open_read(path, "a CSV file");
    long size;
    char *buf;
    if (!fp)
        return NULL;
    if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        fclose(fp);
        return rad_file_slurp(path, len);
    }
    buf = rad_malloc((size_t)size + 1, "CSV file");
    if (!buf) {
        fclose(fp);
        return NULL;
    }
    hint_huge(buf, (size_t)size + 1);
    if (fread(buf, 1, (size_t)size, fp) != (size_t)size || ferror(fp)) {
        rad_error_errno("read error on '%s'", path);
        free(buf);
        fclose(fp);
        return NULL;
    }
    fclose(fp);
    buf[size] = 0;
    *len = (size_t)size;
    return buf;
}

/* Name hash (FNV-1a) for the duplicate check of wide headers. */
static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

RadTable *rad_table_read_csv(const char *path, const RadCsvOptions *opt)
{
    size_t len, ncol = 0, ncell = 0, cap = 0, nrow = 0, rowcap = 0;
    CellOffset *cells = NULL;
    size_t *rowline = NULL, *ninf = NULL, *infline = NULL;
    const char **infcell = NULL;
    char dec = '.';
    double **num = NULL;
    char *isnum = NULL;
    int ok = 0;
    char **names = NULL;
    Parser ps;
    RadTable *t = NULL;
    int term;

    ps.buf = slurp(path, &len);
    if (!ps.buf)
        return NULL;
    if (len >= QUOTED) {
        rad_error_set("%s is larger than 2 GiB, which the CSV reader does not support (split the file)", path);
        free(ps.buf);
        return NULL;
    }
    ps.p = ps.buf;
    ps.end = ps.buf + len;
    ps.line = 1;
    ps.path = path;
    if (len >= 2 && (((unsigned char)ps.buf[0] == 0xFF && (unsigned char)ps.buf[1] == 0xFE) ||
                     ((unsigned char)ps.buf[0] == 0xFE && (unsigned char)ps.buf[1] == 0xFF))) {
        rad_error_set("%s is UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8 CSV", path);
        goto fail;
    }
    {
        /* a NUL byte: a binary file (or UTF-16 without a mark), not CSV */
        const char *z = memchr(ps.buf, 0, len);
        if (z) {
            size_t zl = 1;
            for (const char *q = ps.buf; q < z; q++)
                zl += *q == '\n';
            rad_error_set("%s: line %zu holds a NUL byte: this is a binary file, not CSV text (a CSV file is "
                          "UTF-8 text with one record per line)", path, zl);
            goto fail;
        }
    }
    if (len >= 3 && memcmp(ps.buf, "\xEF\xBB\xBF", 3) == 0)
        ps.p += 3;
    while (ps.p < ps.end && (*ps.p == '\n' || *ps.p == '\r')) {
        if (*ps.p == '\n')
            ps.line++;
        ps.p++;
    }
    if (ps.p >= ps.end) {
        rad_error_set("%s is empty: a CSV file needs a header line with the column names", path);
        goto fail;
    }
    if (opt && opt->sep && opt->sep != ',' && opt->sep != ';' && opt->sep != '\t') {
        rad_error_set("%s: separator '%c' is not supported (use ',', ';' or a tab)", path, opt->sep);
        goto fail;
    }
    ps.sep = opt && opt->sep ? opt->sep : detect_sep(ps.p, ps.end);
    if (opt && opt->decimal && opt->decimal != '.' && opt->decimal != ',') {
        rad_error_set("%s: decimal mark '%c' is not supported (use '.' or ',')", path, opt->decimal);
        goto fail;
    }
    dec = opt && opt->decimal == ',' ? ',' : '.';
    if (dec == ',' && ps.sep == ',') {
        rad_error_set("%s: decimal = \",\" needs fields separated by ';' or a tab, but the header line is "
                      "separated by ','%s", path, opt->sep ? "" : " (detected)");
        goto fail;
    }

    /* header */
    do {
        int quoted;
        char *f = parse_field(&ps, &term, &quoted);
        char **nn;
        if (!f)
            goto fail;
        nn = realloc(names, (ncol + 1) * sizeof *names);
        if (!nn) {
            rad_error_set("out of memory reading the header of %s", path);
            goto fail;
        }
        names = nn;
        names[ncol++] = f;
    } while (term == ps.sep);
    {
        size_t nslot = 16, *slot;
        while (nslot < 2 * ncol)
            nslot *= 2;
        if (!(slot = rad_malloc(nslot * sizeof *slot, "CSV header")))
            goto fail;
        for (size_t k = 0; k < nslot; k++)
            slot[k] = (size_t)-1;
        for (size_t j = 0; j < ncol; j++) {
            size_t k;
            if (!*names[j]) {
                rad_error_set("%s: column %zu of the header has no name (every column needs a unique name)", path,
                              j + 1);
                free(slot);
                goto fail;
            }
            for (k = name_hash(names[j]) & (nslot - 1); slot[k] != (size_t)-1; k = (k + 1) & (nslot - 1))
                if (strcmp(names[slot[k]], names[j]) == 0) {
                    rad_error_set("%s: the header names column '%s' twice (columns %zu and %zu); names must be "
                                  "unique", path, names[j], slot[k] + 1, j + 1);
                    free(slot);
                    goto fail;
                }
            slot[k] = j;
        }
        free(slot);
    }
    for (int pass = 0; opt && pass < 2; pass++) {
        const char *const *list = pass ? opt->num_cols : opt->str_cols;
        for (size_t k = 0; list && list[k]; k++) {
            size_t j;
            for (j = 0; j < ncol && strcmp(names[j], list[k]) != 0; j++)
                ;
            if (j == ncol) {
                rad_error_set("%s: a type is given for column '%s' but the file has no such column", path, list[k]);
                goto fail;
            }
        }
    }

    /* records: numbers are converted as the fields are found, while their
     * column is still numeric; offsets are kept for string columns */
    isnum = rad_malloc(ncol, "CSV columns");
    num = rad_calloc(ncol, sizeof *num, "CSV columns");
    ninf = rad_calloc(ncol, sizeof *ninf, "CSV columns");
    infline = rad_calloc(ncol, sizeof *infline, "CSV columns");
    infcell = rad_calloc(ncol, sizeof *infcell, "CSV columns");
    if (!isnum || !num || !ninf || !infline || !infcell)
        goto fail;
    rowcap = len / (size_t)(ps.p - ps.buf) + 16; /* a guess from the header's length */
    cap = rowcap * ncol;
    cells = rad_malloc(cap * sizeof *cells, "CSV cells");
    rowline = rad_malloc(rowcap * sizeof *rowline, "CSV rows");
    if (!cells || !rowline)
        goto fail;
    hint_huge(cells, cap * sizeof *cells);
    for (size_t j = 0; j < ncol; j++) {
        isnum[j] = !in_list(opt ? opt->str_cols : NULL, names[j]);
        if (isnum[j] && !(num[j] = rad_malloc(rowcap * sizeof(double), "numeric column")))
            goto fail;
    }
    while (ps.p < ps.end) {
        size_t first = ncell, line0;
        if (*ps.p == '\n' || (*ps.p == '\r' && ps.p + 1 < ps.end && ps.p[1] == '\n')) { /* blank line */
            ps.p += *ps.p == '\r' ? 2 : 1;
            ps.line++;
            continue;
        }
        if (nrow == rowcap) {
            size_t ncap = rowcap * 2;
            size_t *nl = realloc(rowline, ncap * sizeof *rowline);
            if (!nl) {
                rad_error_set("out of memory reading %s", path);
                goto fail;
            }
            rowline = nl;
            for (size_t j = 0; j < ncol; j++)
                if (num[j]) {
                    double *nn = realloc(num[j], ncap * sizeof(double));
                    if (!nn) {
                        rad_error_set("out of memory reading %s", path);
                        goto fail;
                    }
                    num[j] = nn;
                }
            rowcap = ncap;
        }
        line0 = ps.line;
        do {
            int quoted;
            size_t j = ncell - first;
            char *f = parse_field(&ps, &term, &quoted);
            if (!f)
                goto fail;
            if (ncell == cap) {
                size_t ncap = cap * 2;
                CellOffset *nc = realloc(cells, ncap * sizeof *cells);
                if (!nc) {
                    rad_error_set("out of memory reading %s", path);
                    goto fail;
                }
                cells = nc;
                cap = ncap;
            }
            cells[ncell++] = (CellOffset)(f - ps.buf) | (quoted ? QUOTED : 0);
            if (j < ncol && isnum[j]) {
                int r;
                if (is_missing(f, opt))
                    num[j][nrow] = NAN;
                else if ((r = parse_number(f, dec, &num[j][nrow])) == -2) {
                    rad_error_set("%s: line %zu, column '%s': '%s' is too large for a double (the largest is about "
                                  "1.8e308); fix the value, or mark the column as text with types = {%s = "
                                  "\"string\"}", path, line0, names[j], f, names[j]);
                    goto fail;
                } else if (r < 0 && rad_csv_infinity(f, &num[j][nrow])) {
                    if (!(opt && opt->inf)) {
                        num[j][nrow] = NAN;
                        if (!ninf[j]++) {
                            infline[j] = line0;
                            infcell[j] = f;
                        }
                    }
                } else if (r < 0) {
                    if (in_list(opt ? opt->num_cols : NULL, names[j])) {
                        rad_error_set("%s: line %zu, column '%s': '%s' is not a number (the column was declared "
                                      "numeric)", path, line0, names[j], f);
                        goto fail;
                    }
                    isnum[j] = 0;
                    free(num[j]);
                    num[j] = NULL;
                }
            }
        } while (term == ps.sep);
        if (ncell - first != ncol) {
            rad_error_set("%s: line %zu has %zu field%s, the header has %zu", path, line0, ncell - first,
                          ncell - first == 1 ? "" : "s", ncol);
            goto fail;
        }
        rowline[nrow++] = line0;
    }

    /* the table: numeric columns move over, string columns are copied out */
    if (!(t = rad_table_new(nrow)))
        goto fail;
    for (size_t j = 0; j < ncol; j++) {
        char *name = rad_strdup(names[j]);
        if (isnum[j]) {
            if (rad_table_adopt_new(t, name, RAD_COL_NUM, num[j], NULL) < 0) {
                num[j] = NULL;
                goto fail;
            }
            num[j] = NULL;
        } else {
            char **str = rad_calloc(nrow ? nrow : 1, sizeof *str, "string column");
            for (size_t i = 0; str && i < nrow; i++) {
                CellOffset off = cells[i * ncol + j];
                const char *s = ps.buf + (off & ~QUOTED);
                if (((off & QUOTED) || !is_missing(s, opt)) && !(str[i] = rad_strdup(s))) {
                    for (size_t k = 0; k < i; k++)
                        free(str[k]);
                    free(str);
                    str = NULL;
                }
            }
            if (!str) {
                free(name);
                goto fail;
            }
            if (rad_table_adopt_new(t, name, RAD_COL_STR, NULL, str) < 0)
                goto fail;
        }
    }
    if (opt && opt->report) {
        RadCsvReport *rep = opt->report;
        size_t wlen = 0;
        rep->ninf = 0;
        rep->warning[0] = 0;
        for (size_t j = 0; j < ncol; j++) {
            if (!isnum[j] || !ninf[j])
                continue;
            rep->ninf += ninf[j];
            if (wlen + 200 < sizeof rep->warning)
                wlen += (size_t)snprintf(rep->warning + wlen, sizeof rep->warning - wlen,
                                        "%scolumn '%s': %zu infinite value%s (first '%s' on line %zu) read as "
                                        "missing", wlen ? "; " : "", names[j], ninf[j], ninf[j] == 1 ? "" : "s",
                                        infcell[j], infline[j]);
        }
        if (wlen && wlen + 60 < sizeof rep->warning)
            snprintf(rep->warning + wlen, sizeof rep->warning - wlen, " (read with {inf = true} to keep them)");
    }
    ok = 1;
fail:
    if (!ok) {
        rad_table_free(t);
        t = NULL;
    }
    for (size_t j = 0; num && j < ncol; j++)
        free(num[j]);
    free(num);
    free(ninf);
    free(infline);
    free(infcell);
    free(isnum);
    free(names);
    free(cells);
    free(rowline);
    free(ps.buf);
    return t;
}

/* ---- writing ------------------------------------------------------------------- */

static void write_str(FILE *fp, const char *s, char sep)
{
    int quote = !*s || strcmp(s, "NA") == 0 || isspace((unsigned char)s[0]) ||
                isspace((unsigned char)s[strlen(s) - 1]);
    for (const char *p = s; !quote && *p; p++)
        quote = *p == sep || *p == ',' || *p == ';' || *p == '\t' || *p == '"' || *p == '\n' || *p == '\r';
    if (!quote) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', fp);
        fputc(*p, fp);
    }
    fputc('"', fp);
}

int rad_table_write_csv(const RadTable *t, const char *path, char sep)
{
    RadAtomicFile af;
    if (!sep)
        sep = ',';
    if (sep != ',' && sep != ';' && sep != '\t')
        return rad_error_set("write_csv: separator '%c' is not supported (use ',', ';' or a tab)", sep);
    if (t->ncol == 0)
        return rad_error_set("write_csv: the table has no columns, nothing to write to %s", path);
    if (rad_atomic_open(&af, path) < 0)
        return -1;
    for (size_t j = 0; j < t->ncol; j++) {
        if (j)
            fputc(sep, af.fp);
        write_str(af.fp, t->cols[j].name, sep);
    }
    fputc('\n', af.fp);
    for (size_t i = 0; i < t->nrow; i++) {
        for (size_t j = 0; j < t->ncol; j++) {
            const RadColumn *c = &t->cols[j];
            if (j)
                fputc(sep, af.fp);
            if (c->type == RAD_COL_NUM ? rad_na_num(c->num[i]) : !c->str[i]) {
                if (t->ncol == 1) /* an empty line would be skipped as blank */
                    fputs("NA", af.fp);
            } else if (c->type == RAD_COL_NUM)
                fprintf(af.fp, "%.17g", c->num[i]);
            else
                write_str(af.fp, c->str[i], sep);
        }
        fputc('\n', af.fp);
    }
    return rad_atomic_commit(&af);
}
