/* radlab: tables and design matrices.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A columnar data frame of numeric and string columns with missing values,
 * and the design matrices models are fitted on.
 *
 * A missing value is NaN in a numeric column and NULL in a string column.
 * Every function records a message and returns -1/NULL on failure; column
 * lookups that fail name the closest existing columns.
 */
#ifndef RAD_STATS_TABLE_H
#define RAD_STATS_TABLE_H

#include <stddef.h>

typedef enum RadColType {
    RAD_COL_NUM = 0, /* double; NaN = missing */
    RAD_COL_STR      /* UTF-8 strings; NULL = missing */
} RadColType;

typedef struct RadColumn {
    char *name;
    RadColType type;
    double *num;   /* nrow values when RAD_COL_NUM */
    char **str;    /* nrow strings (owned) when RAD_COL_STR */
} RadColumn;

typedef struct RadTable {
    size_t nrow, ncol;
    size_t cap;        /* allocated column slots */
    RadColumn *cols;
} RadTable;

/* ---- construction --------------------------------------------------------- */

RadTable *rad_table_new(size_t nrow);
void rad_table_free(RadTable *t);
RadTable *rad_table_copy(const RadTable *t);
/* Append a column (values copied; v may be NULL for all-missing).  A name
 * already present is an error. */
int rad_table_add_num(RadTable *t, const char *name, const double *v);
int rad_table_add_str(RadTable *t, const char *name, const char *const *v);
/* Append a column taking ownership of name and values (num for RAD_COL_NUM,
 * str for RAD_COL_STR, nrow entries each); on failure everything is freed. */
int rad_table_adopt(RadTable *t, char *name, RadColType type, double *num, char **str);
/* The same without the duplicate-name check (the caller knows the name is new). */
int rad_table_adopt_new(RadTable *t, char *name, RadColType type, double *num, char **str);
/* Drop a column by name (error with close matches when absent). */
int rad_table_drop(RadTable *t, const char *name);

/* ---- lookup ----------------------------------------------------------------- */

/* Index of the column or -1 (no message). */
long rad_table_find(const RadTable *t, const char *name);
/* The column, or NULL with "no column 'agee' in the table (did you mean 'age'?)". */
const RadColumn *rad_table_get(const RadTable *t, const char *name);
/* A numeric column, or NULL with a message naming it when it is a string
 * column; when most of its cells are numbers the message names the row and
 * value of the first cell that is not. */
const RadColumn *rad_table_get_num(const RadTable *t, const char *name);
/* For a string column: how many non-missing cells read as numbers
 * (rad_csv_number with '.'); *first_text (0-based row, or (size_t)-1) is the
 * first non-missing cell that does not, *ntext how many do not. */
size_t rad_column_numbers(const RadColumn *c, size_t nrow, size_t *first_text, size_t *ntext);
/* Up to three existing names close to `name` (case-insensitive edit
 * distance), written as "'age', 'Age2' or 'agee'" into buf; returns how many. */
size_t rad_table_suggest(const RadTable *t, const char *name, char *buf, size_t size);
static inline int rad_na_num(double v) { return v != v; }

/* ---- relational operations (new tables) ---------------------------------------- */

RadTable *rad_table_select(const RadTable *t, const char *const *names, size_t n);
/* Rows idx[0..n-1] (0-based; repeats allowed: bootstrap), in that order. */
RadTable *rad_table_rows(const RadTable *t, const size_t *idx, size_t n);
/* Rows without a missing value in any of the named columns (all columns if n = 0). */
RadTable *rad_table_drop_na(const RadTable *t, const char *const *names, size_t n);
/* Inner join on a key column present in both (numeric or string, same type);
 * columns of b other than the key are appended (a name clash is an error
 * naming it).  Keys must be unique in b. */
RadTable *rad_table_join(const RadTable *a, const RadTable *b, const char *key);

/* One row per column: name, type, n, missing, mean, sd, min, median, max
 * (numbers), levels, top, top_count (strings); sd with n - 1. */
RadTable *rad_table_describe(const RadTable *t);

/* ---- CSV (RFC 4180) ------------------------------------------------------------------ */

/* What a read noticed without failing (filled when RadCsvOptions.report is set). */
typedef struct RadCsvReport {
    size_t ninf;              /* infinite cells read as missing (opt->inf = 0) */
    char warning[1024];       /* "" or one sentence per column, e.g. the infinite cells read as missing */
} RadCsvReport;

typedef struct RadCsvOptions {
    char sep;                 /* ',', ';' or '\t'; 0 = detect from the header line */
    const char *const *str_cols;   /* columns forced to strings (NULL-terminated) or NULL */
    const char *const *num_cols;   /* columns forced to numbers (an unparsable cell is an error) */
    const char *const *na;    /* extra missing-value spellings (NULL-terminated); "" and "NA" always */
    char decimal;             /* '.' (0 = '.') or ',' (then "1,5" is 1.5 and "1.5" is not a number) */
    int inf;                  /* 1: inf, -Inf, Infinity cells are +-infinity; 0: missing, reported */
    RadCsvReport *report;     /* NULL or where to record warnings */
} RadCsvOptions;
/* Quotes, embedded separators and newlines, CRLF, UTF-8 BOM, blank lines
 * skipped; a column is numeric when every non-missing cell parses fully as a
 * decimal number (no hexadecimal).  Missing: unquoted cells that are empty,
 * blank, "NA", "NaN", "nan", "NAN" or in opt->na (a quoted "" or "NA" in a
 * string column is a string).  Infinite cells (inf, Inf, INF, Infinity, with a
 * sign) are numbers: +-infinity when opt->inf, else missing (counted in the
 * report).  A number beyond the double range (1e400) is an error naming line
 * and column.  Files up to 2 GiB.  Errors name the line and column. */
RadTable *rad_table_read_csv(const char *path, const RadCsvOptions *opt);
/* The whole cell s as a number with decimal point '.' or ',': 0 and *out on
 * success; -1 when it is not a number (also: an infinity spelling, "nan",
 * hexadecimal); -2 when it is a number beyond the double range. */
int rad_csv_number(const char *s, char decimal, double *out);
/* 1 when the cell is one of the infinity spellings (sign allowed), *out = +-inf. */
int rad_csv_infinity(const char *s, double *out);
/* Atomic; numbers with %.17g (round-trip exact), strings quoted when needed,
 * missing values as empty cells (NA in a one-column table); sep 0 = ','. */
int rad_table_write_csv(const RadTable *t, const char *path, char sep);

/* ---- design matrices ------------------------------------------------------------------ */

/* Numeric columns enter as they are; a string column becomes indicator
 * columns "name:level" for every level but the reference (the first in sorted
 * order).  Rows with a missing value in any used column are an error unless
 * drop_na is set (then they are left out; kept_rows lists the rows used). */
typedef struct RadDesign {
    size_t n, p;        /* rows used, columns of x */
    double *x;          /* n x p, column-major: x[j * n + i] */
    char **names;       /* p column names */
    size_t *rows;       /* the n table rows used (0-based) */
} RadDesign;
int rad_table_design(const RadTable *t, const char *const *names, size_t nnames, int drop_na, RadDesign *d);
/* The same with a reference level per column (ref NULL, or nnames entries,
 * each NULL for the default): that level gets no indicator, the others
 * follow in sorted order.  A level not in the data is an error listing the
 * levels; a reference level for a numeric column is an error. */
int rad_table_design_ref(const RadTable *t, const char *const *names, size_t nnames, int drop_na,
                         const char *const *ref, RadDesign *d);
/* Terms that cannot be estimated, as R's coxph/glm report NA for them: for
 * the p columns of x (n x p, column-major) why[j] = 1 when column j is
 * constant, 2 when it is a linear combination of a constant and the earlier
 * columns kept, else 0.  group (NULL, or n codes 0..k-1: Cox strata) makes
 * "constant" mean constant within every group and the constant one per
 * group.  Returns how many were marked ((size_t)-1: out of memory, message
 * recorded). */
size_t rad_design_alias(const double *x, size_t n, size_t p, const int *group, int *why);
void rad_design_free(RadDesign *d);

#endif
