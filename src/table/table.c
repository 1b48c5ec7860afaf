/* radlab: the Table, a columnar data frame, and design matrices.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A table is an array of named columns of equal length; a numeric column
 * holds doubles with NaN as missing, a string column holds owned UTF-8
 * strings with NULL as missing.  Relational operations (select, rows,
 * drop_na, join) build new tables and never modify their inputs.
 *
 * Column lookups that fail suggest the closest names by the Levenshtein
 * edit distance computed case-insensitively (Levenshtein 1966, "Binary codes
 * capable of correcting deletions, insertions and reversals").
 *
 * Design matrices follow R's model.matrix() with treatment contrasts
 * (contr.treatment): a string column with k levels becomes k - 1 indicator
 * columns named "name:level", the reference being the first level in sorted
 * (byte) order.  No intercept column is added; the models add their own.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table/table.h"
#include "util/error.h"
#include "util/str.h"
#include "util/vec.h"

/* ---- construction ------------------------------------------------------------ */

RadTable *rad_table_new(size_t nrow)
{
    RadTable *t = rad_calloc(1, sizeof *t, "table");
    if (t)
        t->nrow = nrow;
    return t;
}

static void column_clear(RadColumn *c, size_t nrow)
{
    free(c->name);
    free(c->num);
    if (c->str) {
        for (size_t i = 0; i < nrow; i++)
            free(c->str[i]);
        free(c->str);
    }
    memset(c, 0, sizeof *c);
}

void rad_table_free(RadTable *t)
{
    if (!t)
        return;
    for (size_t j = 0; j < t->ncol; j++)
        column_clear(&t->cols[j], t->nrow);
    free(t->cols);
    free(t);
}

/* Room for one more column. */
static int table_grow(RadTable *t)
{
    if (t->ncol < t->cap)
        return 0;
    size_t ncap = t->cap ? t->cap * 2 : 8;
    RadColumn *nc = realloc(t->cols, ncap * sizeof *nc);
    if (!nc)
        return rad_error_set("out of memory (table with %zu columns)", ncap);
    t->cols = nc;
    t->cap = ncap;
    return 0;
}

static int adopt(RadTable *t, char *name, RadColType type, double *num, char **str, int check)
{
    RadColumn *c;
    if (!name || (check && rad_table_find(t, name) >= 0)) {
        if (name)
            rad_error_set("the table already has a column '%s' (choose another name or drop it first)", name);
        else
            rad_error_set("a column needs a name");
        goto fail;
    }
    if (table_grow(t) < 0)
        goto fail;
    c = &t->cols[t->ncol++];
    c->name = name;
    c->type = type;
    c->num = type == RAD_COL_NUM ? num : NULL;
    c->str = type == RAD_COL_STR ? str : NULL;
    return 0;
fail:
    free(name);
    free(num);
    if (str) {
        for (size_t i = 0; i < t->nrow; i++)
            free(str[i]);
        free(str);
    }
    return -1;
}

int rad_table_adopt(RadTable *t, char *name, RadColType type, double *num, char **str)
{
    return adopt(t, name, type, num, str, 1);
}

int rad_table_adopt_new(RadTable *t, char *name, RadColType type, double *num, char **str)
{
    return adopt(t, name, type, num, str, 0);
}

int rad_table_add_num(RadTable *t, const char *name, const double *v)
{
    char *nm;
    double *num;
    if (!name)
        return rad_error_set("a column needs a name");
    if (rad_table_find(t, name) >= 0)
        return rad_error_set("the table already has a column '%s' (choose another name or drop it first)", name);
    nm = rad_strdup(name);
    num = rad_malloc((t->nrow ? t->nrow : 1) * sizeof *num, "numeric column");
    if (!nm || !num) {
        free(nm);
        free(num);
        return -1;
    }
    for (size_t i = 0; i < t->nrow; i++)
        num[i] = v ? v[i] : NAN;
    return rad_table_adopt(t, nm, RAD_COL_NUM, num, NULL);
}

int rad_table_add_str(RadTable *t, const char *name, const char *const *v)
{
    char *nm;
    char **str;
    if (!name)
        return rad_error_set("a column needs a name");
    if (rad_table_find(t, name) >= 0)
        return rad_error_set("the table already has a column '%s' (choose another name or drop it first)", name);
    nm = rad_strdup(name);
    str = rad_calloc(t->nrow ? t->nrow : 1, sizeof *str, "string column");
    if (!nm || !str) {
        free(nm);
        free(str);
        return -1;
    }
    for (size_t i = 0; v && i < t->nrow; i++)
        if (v[i] && !(str[i] = rad_strdup(v[i]))) {
            for (size_t k = 0; k < i; k++)
                free(str[k]);
            free(str);
            free(nm);
            return -1;
        }
    return rad_table_adopt(t, nm, RAD_COL_STR, NULL, str);
}

int rad_table_drop(RadTable *t, const char *name)
{
    const RadColumn *c = rad_table_get(t, name);
    size_t j;
    if (!c)
        return -1;
    j = (size_t)(c - t->cols);
    column_clear(&t->cols[j], t->nrow);
    memmove(&t->cols[j], &t->cols[j + 1], (t->ncol - j - 1) * sizeof *t->cols);
    t->ncol--;
    return 0;
}

/* ---- lookup ------------------------------------------------------------------- */

long rad_table_find(const RadTable *t, const char *name)
{
    for (size_t j = 0; t && name && j < t->ncol; j++)
        if (strcmp(t->cols[j].name, name) == 0)
            return (long)j;
    return -1;
}

size_t rad_table_suggest(const RadTable *t, const char *name, char *buf, size_t size)
{
    size_t best[3] = {0, 0, 0}, dist[3] = {99, 99, 99}, len = strlen(name), limit, found = 0;
    limit = len / 3 > 2 ? len / 3 : 2;
    buf[0] = 0;
    for (size_t j = 0; t && j < t->ncol; j++) {
        size_t d = rad_edit_distance(name, t->cols[j].name, 1);
        if (d > limit)
            continue;
        for (size_t k = 0; k < 3; k++)
            if (d < dist[k]) {
                for (size_t m = 2; m > k; m--) {
                    dist[m] = dist[m - 1];
                    best[m] = best[m - 1];
                }
                dist[k] = d;
                best[k] = j;
                break;
            }
    }
    for (size_t k = 1; k < 3; k++) /* only the closest ones */
        if (dist[k] > dist[0])
            dist[k] = 99;
    for (size_t k = 0; k < 3 && dist[k] < 99; k++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s'%s'", k ? (k + 1 < 3 && dist[k + 1] < 99 ? ", " : " or ") : "",
                 t->cols[best[k]].name);
        found++;
    }
    return found;
}

const RadColumn *rad_table_get(const RadTable *t, const char *name)
{
    char near[400];
    long j;
    if (!name) {
        rad_error_set("a column name is needed");
        return NULL;
    }
    j = rad_table_find(t, name);
    if (j >= 0)
        return &t->cols[j];
    if (rad_table_suggest(t, name, near, sizeof near))
        rad_error_set("no column '%s' in the table (did you mean %s?)", name, near);
    else if (t && t->ncol)
        rad_error_set("no column '%s' in the table (its columns: %s%s%s%s)", name, t->cols[0].name,
                      t->ncol > 1 ? ", " : "", t->ncol > 1 ? t->cols[1].name : "", t->ncol > 2 ? ", ..." : "");
    else
        rad_error_set("no column '%s' in the table (it has no columns)", name);
    return NULL;
}

size_t rad_column_numbers(const RadColumn *c, size_t nrow, size_t *first_text, size_t *ntext)
{
    size_t nnum = 0, nt = 0;
    double v;
    *first_text = (size_t)-1;
    for (size_t i = 0; c->type == RAD_COL_STR && i < nrow; i++) {
        if (!c->str[i])
            continue;
        if (rad_csv_number(c->str[i], '.', &v) == 0 || rad_csv_infinity(c->str[i], &v))
            nnum++;
        else if (!nt++)
            *first_text = i;
    }
    *ntext = nt;
    return nnum;
}

const RadColumn *rad_table_get_num(const RadTable *t, const char *name)
{
    const RadColumn *c = rad_table_get(t, name);
    if (c && c->type != RAD_COL_NUM) {
        size_t first, ntext, nnum = rad_column_numbers(c, t->nrow, &first, &ntext);
        if (nnum > 0 && nnum >= ntext) {
            const char *s = c->str[first];
            double v;
            int comma = strchr(s, ',') && rad_csv_number(s, ',', &v) == 0;
            rad_error_set("column '%s' was read as text, not numbers, because row %zu holds '%s' (%zu cell%s not "
                          "a number, %zu %s); %s", name, first + 1, s, ntext, ntext == 1 ? " is" : "s are", nnum,
                          nnum == 1 ? "is" : "are",
                          comma ? "the file seems to use decimal commas: read it with {decimal = \",\"}"
                                : "fix that cell, or read the file with {na = {...}} listing its spelling as missing");
        } else {
            /* every cell a number with a decimal comma: say how to read them */
            size_t ncomma = 0, first_comma = (size_t)-1;
            double v;
            for (size_t i = 0; i < t->nrow; i++)
                if (c->str[i] && rad_csv_number(c->str[i], ',', &v) == 0 && ncomma++ == 0)
                    first_comma = i;
            if (ncomma > 0 && ncomma == ntext)
                rad_error_set("column '%s' was read as text: its cells are numbers with a decimal comma (row %zu "
                              "holds '%s'); read the file with {decimal = \",\"}", name, first_comma + 1,
                              c->str[first_comma]);
            else
                rad_error_set("column '%s' holds strings, a numeric column is needed here", name);
        }
        return NULL;
    }
    return c;
}

/* ---- relational operations --------------------------------------------------------- */

/* A new table of the given columns (indices) restricted to rows idx (NULL: all). */
static RadTable *build(const RadTable *t, const size_t *cols, size_t ncol, const size_t *idx, size_t n)
{
    RadTable *r = rad_table_new(n);
    if (!r)
        return NULL;
    for (size_t k = 0; k < ncol; k++) {
        const RadColumn *c = &t->cols[cols ? cols[k] : k];
        char *name = rad_strdup(c->name);
        double *num = NULL;
        char **str = NULL;
        if (!name)
            goto fail;
        if (c->type == RAD_COL_NUM) {
            num = rad_malloc((n ? n : 1) * sizeof *num, "numeric column");
            if (!num) {
                free(name);
                goto fail;
            }
            for (size_t i = 0; i < n; i++)
                num[i] = c->num[idx ? idx[i] : i];
        } else {
            str = rad_calloc(n ? n : 1, sizeof *str, "string column");
            if (!str) {
                free(name);
                goto fail;
            }
            for (size_t i = 0; i < n; i++) {
                const char *s = c->str[idx ? idx[i] : i];
                if (s && !(str[i] = rad_strdup(s))) {
                    for (size_t m = 0; m < i; m++)
                        free(str[m]);
                    free(str);
                    free(name);
                    goto fail;
                }
            }
        }
        if (rad_table_adopt_new(r, name, c->type, num, str) < 0)
            goto fail;
    }
    return r;
fail:
    rad_table_free(r);
    return NULL;
}

RadTable *rad_table_copy(const RadTable *t)
{
    return build(t, NULL, t->ncol, NULL, t->nrow);
}

RadTable *rad_table_select(const RadTable *t, const char *const *names, size_t n)
{
    size_t *cols = rad_malloc((n ? n : 1) * sizeof *cols, "column list");
    RadTable *r = NULL;
    if (!cols)
        return NULL;
    for (size_t k = 0; k < n; k++) {
        const RadColumn *c = rad_table_get(t, names[k]);
        if (!c)
            goto done;
        for (size_t m = 0; m < k; m++)
            if (strcmp(names[m], names[k]) == 0) {
                rad_error_set("select: column '%s' is named twice", names[k]);
                goto done;
            }
        cols[k] = (size_t)(c - t->cols);
    }
    r = build(t, cols, n, NULL, t->nrow);
done:
    free(cols);
    return r;
}

RadTable *rad_table_rows(const RadTable *t, const size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (idx[i] >= t->nrow) {
            rad_error_set("row %zu is out of range (the table has %zu rows)", idx[i] + 1, t->nrow);
            return NULL;
        }
    return build(t, NULL, t->ncol, idx, n);
}

static int cell_missing(const RadColumn *c, size_t i)
{
    return c->type == RAD_COL_NUM ? rad_na_num(c->num[i]) : c->str[i] == NULL;
}

RadTable *rad_table_drop_na(const RadTable *t, const char *const *names, size_t n)
{
    size_t ncheck = n ? n : t->ncol, kept = 0;
    const RadColumn **check = rad_malloc((ncheck ? ncheck : 1) * sizeof *check, "column list");
    size_t *idx = rad_malloc((t->nrow ? t->nrow : 1) * sizeof *idx, "row list");
    RadTable *r = NULL;
    if (!check || !idx)
        goto done;
    for (size_t k = 0; k < ncheck; k++)
        if (!(check[k] = n ? rad_table_get(t, names[k]) : &t->cols[k]))
            goto done;
    for (size_t i = 0; i < t->nrow; i++) {
        int miss = 0;
        for (size_t k = 0; k < ncheck && !miss; k++)
            miss = cell_missing(check[k], i);
        if (!miss)
            idx[kept++] = i;
    }
    r = build(t, NULL, t->ncol, idx, kept);
done:
    free(check);
    free(idx);
    return r;
}

/* Hash of a key cell (FNV-1a over the bytes). */
static size_t key_hash(const RadColumn *c, size_t i)
{
    const unsigned char *p;
    size_t len, h = 1469598103934665603ULL;
    double v;
    if (c->type == RAD_COL_NUM) {
        v = c->num[i] == 0 ? 0.0 : c->num[i]; /* -0 joins 0 */
        p = (const unsigned char *)&v;
        len = sizeof v;
    } else {
        p = (const unsigned char *)c->str[i];
        len = strlen(c->str[i]);
    }
    for (size_t k = 0; k < len; k++)
        h = (h ^ p[k]) * 1099511628211ULL;
    return h;
}

static int key_equal(const RadColumn *a, size_t i, const RadColumn *b, size_t j)
{
    if (a->type == RAD_COL_NUM)
        return a->num[i] == b->num[j];
    return strcmp(a->str[i], b->str[j]) == 0;
}

RadTable *rad_table_join(const RadTable *a, const RadTable *b, const char *key)
{
    const RadColumn *ka, *kb;
    size_t nslot = 16, *slot = NULL, *ia = NULL, *ib = NULL, n = 0, *cols = NULL, nb = 0;
    RadTable *r = NULL, *right = NULL;
    ka = rad_table_get(a, key);
    if (!ka) {
        rad_error_prefix("join: first table");
        return NULL;
    }
    kb = rad_table_get(b, key);
    if (!kb) {
        rad_error_prefix("join: second table");
        return NULL;
    }
    if (ka->type != kb->type) {
        rad_error_set("join: key '%s' is %s in the first table but %s in the second (convert one first)", key,
                      ka->type == RAD_COL_NUM ? "numeric" : "a string", kb->type == RAD_COL_NUM ? "numeric" : "a string");
        return NULL;
    }
    for (size_t j = 0; j < b->ncol; j++)
        if (&b->cols[j] != kb && rad_table_find(a, b->cols[j].name) >= 0) {
            rad_error_set("join: both tables have a column '%s' (drop or rename it in one of them)", b->cols[j].name);
            return NULL;
        }
    while (nslot < 2 * b->nrow)
        nslot *= 2;
    slot = rad_malloc(nslot * sizeof *slot, "join hash");
    ia = rad_malloc((a->nrow ? a->nrow : 1) * sizeof *ia, "join rows");
    ib = rad_malloc((a->nrow ? a->nrow : 1) * sizeof *ib, "join rows");
    cols = rad_malloc((b->ncol ? b->ncol : 1) * sizeof *cols, "join columns");
    if (!slot || !ia || !ib || !cols)
        goto done;
    for (size_t s = 0; s < nslot; s++)
        slot[s] = (size_t)-1;
    for (size_t j = 0; j < b->nrow; j++) {
        size_t s;
        if (cell_missing(kb, j))
            continue;
        for (s = key_hash(kb, j) & (nslot - 1); slot[s] != (size_t)-1; s = (s + 1) & (nslot - 1))
            if (key_equal(kb, slot[s], kb, j)) {
                if (kb->type == RAD_COL_NUM)
                    rad_error_set("join: key '%s' is not unique in the second table (%.17g in rows %zu and %zu)",
                                  key, kb->num[j], slot[s] + 1, j + 1);
                else
                    rad_error_set("join: key '%s' is not unique in the second table ('%s' in rows %zu and %zu)",
                                  key, kb->str[j], slot[s] + 1, j + 1);
                goto done;
            }
        slot[s] = j;
    }
    for (size_t i = 0; i < a->nrow; i++) {
        if (cell_missing(ka, i))
            continue;
        for (size_t s = key_hash(ka, i) & (nslot - 1); slot[s] != (size_t)-1; s = (s + 1) & (nslot - 1))
            if (key_equal(ka, i, kb, slot[s])) {
                ia[n] = i;
                ib[n++] = slot[s];
                break;
            }
    }
    for (size_t j = 0; j < b->ncol; j++)
        if (&b->cols[j] != kb)
            cols[nb++] = j;
    r = build(a, NULL, a->ncol, ia, n);
    right = build(b, cols, nb, ib, n);
    if (!r || !right) {
        rad_table_free(r);
        r = NULL;
        goto done;
    }
    /* move the right-hand columns over */
    for (size_t j = 0; j < right->ncol; j++) {
        RadColumn *c = &right->cols[j];
        if (rad_table_adopt_new(r, c->name, c->type, c->num, c->str) < 0) {
            memset(c, 0, sizeof *c);
            rad_table_free(r);
            r = NULL;
            goto done;
        }
        memset(c, 0, sizeof *c);
    }
done:
    rad_table_free(right);
    free(slot);
    free(ia);
    free(ib);
    free(cols);
    return r;
}

/* ---- describe --------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

RadTable *rad_table_describe(const RadTable *t)
{
    size_t p = t->ncol;
    RadTable *r = rad_table_new(p);
    double *v = rad_malloc((t->nrow ? t->nrow : 1) * sizeof *v, "describe");
    char **s = rad_malloc((t->nrow ? t->nrow : 1) * sizeof *s, "describe");
    double *num[9] = {0};
    char **str[3] = {0};
    static const char *const numnames[] = {"n", "missing", "mean", "sd", "min", "median", "max", "levels", "top_count"};
    static const char *const strnames[] = {"name", "type", "top"};
    int ok = r && v && s;
    for (int k = 0; ok && k < 9; k++)
        ok = (num[k] = rad_malloc((p ? p : 1) * sizeof(double), "describe")) != NULL;
    for (int k = 0; ok && k < 3; k++)
        ok = (str[k] = rad_calloc(p ? p : 1, sizeof(char *), "describe")) != NULL;
    for (size_t j = 0; ok && j < p; j++) {
        const RadColumn *c = &t->cols[j];
        size_t n = 0;
        for (int k = 0; k < 9; k++)
            num[k][j] = NAN;
        str[0][j] = rad_strdup(c->name);
        str[1][j] = rad_strdup(c->type == RAD_COL_NUM ? "number" : "string");
        if (c->type == RAD_COL_NUM) {
            double sum = 0, ss = 0, mean;
            for (size_t i = 0; i < t->nrow; i++)
                if (!rad_na_num(c->num[i]))
                    v[n++] = c->num[i];
            for (size_t i = 0; i < n; i++)
                sum += v[i];
            mean = n ? sum / (double)n : NAN;
            for (size_t i = 0; i < n; i++)
                ss += (v[i] - mean) * (v[i] - mean);
            if (n) {
                qsort(v, n, sizeof *v, cmp_double);
                num[2][j] = mean;
                num[3][j] = n > 1 ? sqrt(ss / (double)(n - 1)) : NAN;
                num[4][j] = v[0];
                num[5][j] = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
                num[6][j] = v[n - 1];
            }
        } else {
            size_t levels = 0, best = 0, run = 0;
            const char *top = NULL;
            for (size_t i = 0; i < t->nrow; i++)
                if (c->str[i])
                    s[n++] = c->str[i];
            qsort(s, n, sizeof *s, cmp_str);
            for (size_t i = 0; i < n; i++) {
                if (i == 0 || strcmp(s[i], s[i - 1]) != 0) {
                    levels++;
                    run = 0;
                }
                if (++run > best) {
                    best = run;
                    top = s[i];
                }
            }
            num[7][j] = (double)levels;
            if (top) {
                num[8][j] = (double)best;
                str[2][j] = rad_strdup(top);
            }
        }
        num[0][j] = (double)n;
        num[1][j] = (double)(t->nrow - n);
    }
    if (ok) {
        for (int k = 0; ok && k < 2; k++) {
            ok = rad_table_adopt(r, rad_strdup(strnames[k]), RAD_COL_STR, NULL, str[k]) == 0;
            str[k] = NULL;
        }
        for (int k = 0; ok && k < 9; k++) {
            ok = rad_table_adopt(r, rad_strdup(numnames[k]), RAD_COL_NUM, num[k], NULL) == 0;
            num[k] = NULL;
            if (ok && k == 7) {
                ok = rad_table_adopt(r, rad_strdup(strnames[2]), RAD_COL_STR, NULL, str[2]) == 0;
                str[2] = NULL;
            }
        }
    }
    for (int k = 0; k < 9; k++)
        free(num[k]);
    for (int k = 0; k < 3; k++) {
        for (size_t j = 0; str[k] && j < p; j++)
            free(str[k][j]);
        free(str[k]);
    }
    free(v);
    free(s);
    if (!ok) {
        rad_table_free(r);
        return NULL;
    }
    return r;
}

/* ---- design matrices -------------------------------------------------------------- */

void rad_design_free(RadDesign *d)
{
    if (!d)
        return;
    free(d->x);
    for (size_t j = 0; d->names && j < d->p; j++)
        free(d->names[j]);
    free(d->names);
    free(d->rows);
    memset(d, 0, sizeof *d);
}

/* Sorted distinct non-missing levels of a string column (pointers into it). */
static size_t column_levels(const RadColumn *c, size_t nrow, const char **lv)
{
    size_t n = 0, k = 0;
    for (size_t i = 0; i < nrow; i++)
        if (c->str[i])
            lv[n++] = c->str[i];
    qsort(lv, n, sizeof *lv, cmp_str);
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(lv[i], lv[k - 1]) != 0)
            lv[k++] = lv[i];
    return k;
}

/* Move level `ref` to the front of lv[0..nl-1] (the rest stay sorted); -1
 * with a message listing the levels when it is not one of them. */
static int put_ref_first(const char **lv, size_t nl, const char *col, const char *ref)
{
    size_t k;
    for (k = 0; k < nl && strcmp(lv[k], ref) != 0; k++)
        ;
    if (k == nl) {
        char buf[300];
        size_t len = 0;
        buf[0] = 0;
        for (size_t l = 0; l < nl && len + 40 < sizeof buf; l++)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s'%s'", l ? ", " : "", lv[l]);
        if (len + 40 >= sizeof buf)
            snprintf(buf + len, sizeof buf - len, ", ...");
        return rad_error_set("design: reference level '%s' of column '%s' is not in the data (its levels: %s); "
                             "name one of these in ref", ref, col, buf);
    }
    for (; k > 0; k--) {
        const char *tmp = lv[k];
        lv[k] = lv[k - 1];
        lv[k - 1] = tmp;
    }
    return 0;
}

int rad_table_design(const RadTable *t, const char *const *names, size_t nnames, int drop_na, RadDesign *d)
{
    return rad_table_design_ref(t, names, nnames, drop_na, NULL, d);
}

int rad_table_design_ref(const RadTable *t, const char *const *names, size_t nnames, int drop_na,
                         const char *const *ref, RadDesign *d)
{
    const RadColumn **cols = NULL;
    const char **lv = NULL;
    size_t p = 0, n = 0, j = 0;
    int rc = -1;
    memset(d, 0, sizeof *d);
    if (nnames == 0)
        return rad_error_set("design: no columns given (name at least one predictor)");
    cols = rad_malloc(nnames * sizeof *cols, "design");
    lv = rad_malloc((t->nrow ? t->nrow : 1) * sizeof *lv, "design");
    d->rows = rad_malloc((t->nrow ? t->nrow : 1) * sizeof *d->rows, "design rows");
    if (!cols || !lv || !d->rows)
        goto done;
    /* columns and their width */
    for (size_t k = 0; k < nnames; k++) {
        if (!(cols[k] = rad_table_get(t, names[k])))
            goto done;
        for (size_t m = 0; m < k; m++)
            if (strcmp(names[m], names[k]) == 0) {
                rad_error_set("design: column '%s' is named twice", names[k]);
                goto done;
            }
        if (cols[k]->type == RAD_COL_NUM) {
            if (ref && ref[k]) {
                rad_error_set("design: a reference level ('%s') is given for column '%s', but it is numeric; ref "
                              "applies to text (factor) columns", ref[k], names[k]);
                goto done;
            }
            p++;
        } else {
            size_t nl = column_levels(cols[k], t->nrow, lv);
            if (ref && ref[k] && put_ref_first(lv, nl, names[k], ref[k]) < 0)
                goto done;
            if (nl == 1) {
                rad_error_set("design: string column '%s' has only one level ('%s'); a predictor needs at least two "
                              "(leave it out)", names[k], lv[0]);
                goto done;
            }
            p += nl ? nl - 1 : 0;
        }
    }
    /* rows used */
    for (size_t i = 0; i < t->nrow; i++) {
        int miss = 0;
        for (size_t k = 0; k < nnames && !miss; k++)
            if (cell_missing(cols[k], i)) {
                miss = 1;
                if (!drop_na) {
                    rad_error_set("design: column '%s' is missing in row %zu (drop incomplete rows first, e.g. "
                                  "t:drop_na(), or ask for drop_na)", names[k], i + 1);
                    goto done;
                }
            }
        if (!miss)
            d->rows[n++] = i;
    }
    d->n = n;
    d->p = p;
    d->x = rad_malloc((n * p > 0 ? n * p : 1) * sizeof *d->x, "design matrix");
    d->names = rad_calloc(p ? p : 1, sizeof *d->names, "design names");
    if (!d->x || !d->names)
        goto done;
    for (size_t k = 0; k < nnames; k++) {
        const RadColumn *c = cols[k];
        if (c->type == RAD_COL_NUM) {
            if (!(d->names[j] = rad_strdup(c->name)))
                goto done;
            for (size_t i = 0; i < n; i++)
                d->x[j * n + i] = c->num[d->rows[i]];
            j++;
            continue;
        }
        size_t nl = column_levels(c, t->nrow, lv);
        if (ref && ref[k])
            put_ref_first(lv, nl, names[k], ref[k]);
        for (size_t l = 1; l < nl; l++, j++) {
            size_t len = strlen(c->name) + strlen(lv[l]) + 2;
            if (!(d->names[j] = rad_malloc(len, "design names")))
                goto done;
            snprintf(d->names[j], len, "%s:%s", c->name, lv[l]);
            for (size_t i = 0; i < n; i++)
                d->x[j * n + i] = strcmp(c->str[d->rows[i]], lv[l]) == 0 ? 1.0 : 0.0;
        }
    }
    rc = 0;
done:
    free(cols);
    free(lv);
    if (rc < 0) {
        d->p = j; /* names filled so far */
        rad_design_free(d);
    }
    return rc;
}

size_t rad_design_alias(const double *x, size_t n, size_t p, const int *group, int *why)
{
    int ng = 1;
    for (size_t i = 0; group && i < n; i++)
        if (group[i] + 1 > ng)
            ng = group[i] + 1;
    double *c = rad_calloc(p ? p * p : 1, sizeof *c, "alias check");
    double *xc = rad_malloc((n * p > 0 ? n * p : 1) * sizeof *xc, "alias check");
    double *gsum = rad_calloc((size_t)ng, sizeof *gsum, "alias check");
    size_t *gn = rad_calloc((size_t)ng, sizeof *gn, "alias check");
    size_t ndrop = 0;
    if (!c || !xc || !gsum || !gn) {
        free(c);
        free(xc);
        free(gsum);
        free(gn);
        return (size_t)-1;
    }
    for (size_t i = 0; i < n; i++)
        gn[group ? group[i] : 0]++;
    /* centre each column within its groups (strata: a term constant within
     * every stratum is absorbed by the stratified baseline) */
    for (size_t j = 0; j < p; j++) {
        const double *col = x + j * n;
        memset(gsum, 0, (size_t)ng * sizeof *gsum);
        for (size_t i = 0; i < n; i++)
            gsum[group ? group[i] : 0] += col[i];
        for (size_t i = 0; i < n; i++) {
            int gi = group ? group[i] : 0;
            xc[j * n + i] = col[i] - gsum[gi] / (double)gn[gi];
        }
    }
    for (size_t j = 0; j < p; j++)
        for (size_t l = 0; l <= j; l++)
            c[j * p + l] = c[l * p + j] = rad_vec_dot(xc + j * n, xc + l * n, n);
    /* Gram-Schmidt in the centred cross-product metric, in column order: a
     * column with (almost) no spread is constant; one whose residual after
     * the earlier kept columns is tiny against its own spread is aliased. */
    for (size_t i = 0; i < p; i++) {
        double scale = 0, d0 = rad_vec_dot(xc + i * n, xc + i * n, n); /* its spread before the elimination */
        for (size_t r = 0; r < n; r++)
            if (fabs(x[i * n + r]) > scale)
                scale = fabs(x[i * n + r]);
        scale += 1;
        why[i] = 0;
        if (!(d0 > 1e-24 * scale * scale * (double)n))
            why[i] = 1;
        else if (c[i * p + i] <= 1e-9 * d0)
            why[i] = 2;
        if (why[i]) {
            ndrop++;
            continue;
        }
        double piv = c[i * p + i];
        for (size_t j = i + 1; j < p; j++) {
            double f = c[j * p + i] / piv;
            for (size_t k = i + 1; k < p; k++)
                c[j * p + k] -= f * c[i * p + k];
        }
        for (size_t j = i + 1; j < p; j++)
            c[j * p + i] = c[i * p + j] = 0;
    }
    free(c);
    free(xc);
    free(gsum);
    free(gn);
    return ndrop;
}
