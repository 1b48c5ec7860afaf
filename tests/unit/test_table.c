/* radlab: unit tests of the Table, CSV and design matrices.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV edge cases follow RFC 4180; every error test asserts the message.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rad.h"
#include "tap.h"

static char dir[256];

/* Write `text` to a file in the scratch folder and return its path. */
static const char *file_with(const char *name, const char *text)
{
    static char path[512];
    FILE *fp;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    fp = fopen(path, "wb");
    fputs(text, fp);
    fclose(fp);
    return path;
}

static RadTable *read_text(const char *text, const RadCsvOptions *opt)
{
    return rad_table_read_csv(file_with("t.csv", text), opt);
}

static void expect_error(const char *text, const RadCsvOptions *opt, const char *msg, const char *what)
{
    RadTable *t = read_text(text, opt);
    tap_ok(t == NULL, "%s: fails", what);
    tap_contains(rad_error_message(), msg, what);
    rad_table_free(t);
}

static int same_bits(double a, double b)
{
    uint64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x == y;
}

static void test_parse(void)
{
    RadTable *t;
    RadCsvOptions opt = {0};

    /* quotes, escapes, embedded separators and newlines, CRLF, BOM */
    t = read_text("\xEF\xBB\xBF" "id,name,x\r\n1,\"Smith, J\",1.5\r\n2,\"say \"\"hi\"\"\",NA\r\n3,\"two\nlines\",-2e3\r\n", NULL);
    if (tap_ok(t != NULL, "quoted CSV with BOM and CRLF reads (%s)", rad_error_message())) {
        tap_ok(t->nrow == 3 && t->ncol == 3, "3 rows x 3 columns");
        tap_ok(strcmp(t->cols[0].name, "id") == 0, "BOM stripped from the first name");
        tap_ok(t->cols[1].type == RAD_COL_STR && strcmp(t->cols[1].str[0], "Smith, J") == 0, "embedded separator");
        tap_ok(strcmp(t->cols[1].str[1], "say \"hi\"") == 0, "doubled quotes");
        tap_ok(strcmp(t->cols[1].str[2], "two\nlines") == 0, "embedded newline");
        tap_ok(t->cols[2].type == RAD_COL_NUM && t->cols[2].num[0] == 1.5 && isnan(t->cols[2].num[1]) &&
                   t->cols[2].num[2] == -2000, "numeric column with NA");
        tap_ok(t->cols[0].type == RAD_COL_NUM && t->cols[0].num[2] == 3, "no CR left on the last field");
    }
    rad_table_free(t);

    /* separator detection, spaces, missing spellings, no final newline */
    t = read_text("a;b;c\n 1 ;x;\n2;;-\n3;NA;4", NULL);
    if (tap_ok(t != NULL, "semicolon file reads")) {
        tap_ok(t->ncol == 3 && t->nrow == 3, "';' detected");
        tap_ok(t->cols[0].type == RAD_COL_NUM && t->cols[0].num[0] == 1, "spaces around a number allowed");
        tap_ok(t->cols[1].type == RAD_COL_STR && t->cols[1].str[1] == NULL && t->cols[1].str[2] == NULL,
               "\"\" and NA missing in a string column");
        tap_ok(t->cols[2].type == RAD_COL_STR, "'-' makes a string column without na option");
    }
    rad_table_free(t);
    {
        const char *na[] = {"-", NULL};
        opt.na = na;
        t = read_text("a;b;c\n 1 ;x;\n2;;-\n3;NA;4", &opt);
        tap_ok(t && t->cols[2].type == RAD_COL_NUM && isnan(t->cols[2].num[1]) && t->cols[2].num[2] == 4,
               "na = {\"-\"} makes it numeric");
        rad_table_free(t);
        opt.na = NULL;
    }
    t = read_text("a\tb\n1\t2\n\n3\t4\n\n", NULL);
    tap_ok(t && t->ncol == 2 && t->nrow == 2, "tab detected, blank lines skipped");
    rad_table_free(t);

    /* type inference */
    t = read_text("n,s,h,e,i\n1,1,0x10,1e5,Inf\n2.5,a,7,-1E-3,-Inf\n", NULL);
    if (tap_ok(t != NULL, "inference table reads")) {
        tap_ok(t->cols[0].type == RAD_COL_NUM, "all numbers -> numeric");
        tap_ok(t->cols[1].type == RAD_COL_STR && strcmp(t->cols[1].str[0], "1") == 0, "one word -> strings");
        tap_ok(t->cols[2].type == RAD_COL_STR, "hexadecimal is not a number");
        tap_ok(t->cols[3].type == RAD_COL_NUM && t->cols[3].num[1] == -1e-3, "exponents");
        tap_ok(t->cols[4].type == RAD_COL_NUM && isnan(t->cols[4].num[0]) && isnan(t->cols[4].num[1]),
               "Inf, -Inf: numeric column, missing by default");
    }
    rad_table_free(t);
    {
        RadCsvOptions io;
        RadCsvReport rep;
        memset(&io, 0, sizeof io);
        io.inf = 1;
        io.report = &rep;
        t = read_text("i\nInf\n-infinity\n2\n", &io);
        tap_ok(t && t->cols[0].type == RAD_COL_NUM && t->cols[0].num[0] == INFINITY && t->cols[0].num[1] == -INFINITY,
               "inf = 1: Inf and -infinity are +-infinity");
        tap_ok(rep.warning[0] == 0, "inf = 1: nothing to report");
        rad_table_free(t);
        io.inf = 0;
        t = read_text("i\n1\n-Inf\ninf\n", &io);
        tap_ok(t && rep.ninf == 2 && strstr(rep.warning, "column 'i': 2 infinite values (first '-Inf' on line 3) "
                                                         "read as missing"), "inf = 0: reported with the first line");
        rad_table_free(t);
    }
    t = read_text("a,b,c\nnan,12abc,NaN\n1,2,3\n", NULL);
    tap_ok(t && t->cols[0].type == RAD_COL_NUM && isnan(t->cols[0].num[0]) && t->cols[1].type == RAD_COL_STR &&
           t->cols[2].type == RAD_COL_NUM && isnan(t->cols[2].num[0]), "nan and NaN are missing numbers, 12abc a string");
    rad_table_free(t);
    {
        const char *sc[] = {"id", NULL}, *nc[] = {"v", NULL};
        opt.str_cols = sc;
        t = read_text("id,v\n001,1\n002,2\n", &opt);
        tap_ok(t && t->cols[0].type == RAD_COL_STR && strcmp(t->cols[0].str[0], "001") == 0, "forced string column");
        rad_table_free(t);
        opt.str_cols = NULL;
        opt.num_cols = nc;
        expect_error("id,v\n1,1\n2,x\n", &opt, "line 3, column 'v': 'x' is not a number", "forced numeric column");
        opt.num_cols = sc;
        expect_error("x,v\n1,1\n", &opt, "no such column", "type for an unknown column");
        opt.num_cols = NULL;
    }

    /* errors */
    expect_error("", NULL, "is empty", "empty file");
    expect_error("\xEF\xBB\xBF\n\n", NULL, "is empty", "only a BOM and blank lines");
    expect_error("a,b,c,d,e,f\n1,2,3,4,5,6\n1,2,3,4,5\n", NULL, "line 3 has 5 fields, the header has 6", "ragged row");
    expect_error("a,b\n1,2\n3,\"abc\n4,5\n6,7\n", NULL, "line 3: a quoted field opened here is never closed",
                 "unterminated quote names the opening line");
    expect_error("a,,c\n1,2,3\n", NULL, "column 2 of the header has no name", "empty header name");
    expect_error("a,b,a\n1,2,3\n", NULL, "names column 'a' twice (columns 1 and 3)", "duplicate header name");
    expect_error("a,b\n\"x\"y,2\n", NULL, "line 2: unexpected text after a closing quote", "text after a quote");
    tap_ok(rad_table_read_csv("/nonexistent/x.csv", NULL) == NULL, "missing file fails");
    tap_contains(rad_error_message(), "/nonexistent/x.csv", "missing file: message names it");

    /* header only */
    t = read_text("a,b\n", NULL);
    tap_ok(t && t->nrow == 0 && t->ncol == 2, "header only: 0 rows");
    rad_table_free(t);
}

static void test_round_trip(void)
{
    double v[] = {0.1, 1e-300, -0.0, 1.0 / 3.0, 9007199254740993.0, 5e-324, 1.7976931348623157e308, NAN, -2.5,
                  123456789012345678.0, 0.30000000000000004, 100};
    const char *s[] = {"plain", "with, comma", "quote \"q\"", "two\nlines", NULL, " lead", "NA", "x;y",
                       "trail ", "\xc3\xa9t\xc3\xa9", "a\r\nb", "z"};
    size_t n = sizeof v / sizeof *v, exact = 0;
    RadTable *t = rad_table_new(n), *u;
    char path[512];
    rad_table_add_num(t, "x", v);
    rad_table_add_str(t, "s,name", s);
    snprintf(path, sizeof path, "%s/rt.csv", dir);
    tap_ok(rad_table_write_csv(t, path, ',') == 0, "write_csv");
    u = rad_table_read_csv(path, NULL);
    if (tap_ok(u && u->nrow == n && u->ncol == 2, "read back")) {
        for (size_t i = 0; i < n; i++)
            exact += same_bits(u->cols[0].num[i], v[i]) || (isnan(v[i]) && isnan(u->cols[0].num[i]));
        tap_ok(exact == n, "numbers bit-exact (%zu of %zu, incl. -0, 1e-300, denormal, 2^53+1)", exact, n);
        tap_ok(strcmp(u->cols[1].name, "s,name") == 0, "quoted header name");
        exact = 0;
        for (size_t i = 0; i < n; i++)
            exact += (s[i] == NULL && u->cols[1].str[i] == NULL) ||
                     (s[i] && u->cols[1].str[i] && strcmp(s[i], u->cols[1].str[i]) == 0);
        tap_ok(exact == n, "strings exact (%zu of %zu), missing stays missing", exact, n);
    }
    rad_table_free(u);
    tap_ok(rad_table_write_csv(t, path, '\t') == 0, "write with tabs");
    u = rad_table_read_csv(path, NULL);
    tap_ok(u && u->ncol == 2 && strcmp(u->cols[1].str[7], "x;y") == 0, "tab file detected on read");
    rad_table_free(u);
    tap_ok(rad_table_write_csv(t, "/nonexistent/dir/x.csv", ',') < 0, "write into a missing folder fails");
    {
        /* one column with missing values: no blank lines; a tab inside a
         * string does not fool separator detection on reading back */
        double one[] = {1, NAN, 3};
        const char *tabs[] = {"a\tb", "c\td", NULL};
        RadTable *o = rad_table_new(3);
        rad_table_add_num(o, "v", one);
        rad_table_write_csv(o, path, ',');
        u = rad_table_read_csv(path, NULL);
        tap_ok(u && u->nrow == 3 && isnan(u->cols[0].num[1]) && u->cols[0].num[2] == 3,
               "one column with a missing value round-trips");
        rad_table_free(u);
        rad_table_drop(o, "v");
        rad_table_add_str(o, "s", tabs);
        rad_table_add_num(o, "v", one);
        rad_table_write_csv(o, path, ',');
        u = rad_table_read_csv(path, NULL);
        tap_ok(u && u->ncol == 2 && strcmp(u->cols[0].str[1], "c\td") == 0, "tabs inside strings are quoted");
        rad_table_free(u);
        rad_table_free(o);
    }
    rad_table_free(t);
}

static void test_ops(void)
{
    double age[] = {61, 57, NAN, 70, 45}, id[] = {1, 2, 3, 4, 5}, bid[] = {4, 2, 9, 1};
    double w[] = {40, 20, 90, 10};
    const char *sex[] = {"m", "f", "m", NULL, "f"}, *stage[] = {"II", "I", "III", "I", "II"};
    const char *grp[] = {"a", "b", "c", "d"};
    RadTable *t = rad_table_new(5), *b = rad_table_new(4), *r;
    size_t idx[] = {4, 0, 0};
    const RadColumn *c;
    RadDesign d;

    rad_table_add_num(t, "id", id);
    rad_table_add_num(t, "age", age);
    rad_table_add_str(t, "sex", sex);
    rad_table_add_str(t, "stage", stage);
    tap_ok(rad_table_add_num(t, "age", age) < 0, "duplicate column refused");
    tap_contains(rad_error_message(), "already has a column 'age'", "duplicate column message");

    c = rad_table_get(t, "Age");
    tap_ok(c == NULL, "lookup is exact");
    tap_contains(rad_error_message(), "no column 'Age' in the table (did you mean 'age'?)", "close match suggested");
    rad_table_get(t, "stag");
    tap_contains(rad_error_message(), "did you mean 'stage'?", "close match by one deletion");
    rad_table_get(t, "weight");
    tap_contains(rad_error_message(), "no column 'weight' in the table (its columns: id, age, ...)",
                 "no close match lists columns");
    tap_ok(rad_table_get_num(t, "sex") == NULL, "get_num of a string column fails");
    tap_contains(rad_error_message(), "column 'sex' holds strings", "get_num message");

    r = rad_table_rows(t, idx, 3);
    tap_ok(r && r->nrow == 3 && r->cols[0].num[0] == 5 && r->cols[0].num[2] == 1 &&
               strcmp(r->cols[2].str[1], "m") == 0, "rows with repeats, in order");
    rad_table_free(r);
    idx[0] = 5;
    tap_ok(rad_table_rows(t, idx, 1) == NULL, "row out of range");
    tap_contains(rad_error_message(), "row 6 is out of range (the table has 5 rows)", "row range message");

    r = rad_table_drop_na(t, NULL, 0);
    tap_ok(r && r->nrow == 3 && r->cols[0].num[2] == 5, "drop_na over all columns");
    rad_table_free(r);
    {
        const char *names[] = {"sex"};
        r = rad_table_drop_na(t, names, 1);
        tap_ok(r && r->nrow == 4 && isnan(r->cols[1].num[2]), "drop_na over one column keeps other NAs");
        rad_table_free(r);
    }
    {
        const char *names[] = {"stage", "id"};
        r = rad_table_select(t, names, 2);
        tap_ok(r && r->ncol == 2 && strcmp(r->cols[0].name, "stage") == 0 && r->cols[1].num[4] == 5,
               "select reorders");
        rad_table_free(r);
    }

    rad_table_add_num(b, "id", bid);
    rad_table_add_num(b, "weight", w);
    rad_table_add_str(b, "group", grp);
    r = rad_table_join(t, b, "id");
    if (tap_ok(r != NULL, "join")) {
        tap_ok(r->nrow == 3 && r->ncol == 6, "inner join: 3 rows, 6 columns");
        tap_ok(r->cols[0].num[0] == 1 && r->cols[4].num[0] == 10 && strcmp(r->cols[5].str[0], "d") == 0,
               "join matches id 1 to weight 10");
        tap_ok(r->cols[0].num[2] == 4 && r->cols[4].num[2] == 40, "rows keep the order of the first table");
    }
    rad_table_free(r);
    bid[1] = 4;
    rad_table_drop(b, "id");
    rad_table_add_num(b, "id", bid);
    tap_ok(rad_table_join(t, b, "id") == NULL, "join with a duplicate key fails");
    tap_contains(rad_error_message(), "key 'id' is not unique in the second table (4 in rows 1 and 2)",
                 "duplicate key message");
    tap_ok(rad_table_join(t, b, "sex") == NULL, "join on a key missing in b fails");
    tap_contains(rad_error_message(), "join: second table: no column 'sex'", "missing key message");

    /* design: numeric as is, indicators for every level but the first */
    {
        const char *names[] = {"age", "stage"};
        tap_ok(rad_table_design(t, names, 2, 0, &d) < 0, "design with a missing value fails without drop_na");
        tap_contains(rad_error_message(), "column 'age' is missing in row 3", "design missing message");
        if (tap_ok(rad_table_design(t, names, 2, 1, &d) == 0, "design with drop_na")) {
            tap_ok(d.n == 4 && d.p == 3, "4 rows, 3 columns (age + 2 indicators)");
            tap_ok(strcmp(d.names[0], "age") == 0 && strcmp(d.names[1], "stage:II") == 0 &&
                       strcmp(d.names[2], "stage:III") == 0, "names age, stage:II, stage:III (reference I)");
            tap_ok(d.rows[2] == 3 && d.x[0 * 4 + 2] == 70, "rows used skip the missing one");
            tap_ok(d.x[1 * 4 + 0] == 1 && d.x[2 * 4 + 0] == 0 && d.x[1 * 4 + 1] == 0 && d.x[2 * 4 + 1] == 0 &&
                       d.x[1 * 4 + 3] == 1, "indicator coding, column-major");
            rad_design_free(&d);
        }
    }
    {
        const char *one[] = {"x", "x", "x", "x", "x"}, *names[] = {"const"}, *n2[] = {"age", "nothing"};
        rad_table_add_str(t, "const", one);
        tap_ok(rad_table_design(t, names, 1, 1, &d) < 0, "string column with one level fails");
        tap_contains(rad_error_message(), "string column 'const' has only one level ('x')", "one-level message");
        rad_table_add_num(t, "nothing", NULL);
        tap_ok(rad_table_design(t, n2, 2, 1, &d) == 0 && d.n == 0 && d.p == 2, "all-missing column: 0 rows");
        rad_design_free(&d);
    }
    r = rad_table_describe(t);
    tap_ok(r && r->nrow == t->ncol && fabs(r->cols[rad_table_find(r, "mean")].num[1] - 58.25) < 1e-12 &&
               r->cols[rad_table_find(r, "median")].num[1] == 59,
           "describe: mean and median of age");
    rad_table_free(r);
    r = rad_table_copy(t);
    tap_ok(r && rad_table_drop(r, "sex") == 0 && r->ncol == t->ncol - 1 && rad_table_find(t, "sex") == 2,
           "copy is independent");
    tap_ok(rad_table_drop(r, "sex") < 0, "drop of an absent column fails");
    rad_table_free(r);
    rad_table_free(t);
    rad_table_free(b);
}

static void test_speed_sanity(void)
{
    /* 200 x 300 numeric file: every cell read back exactly */
    char path[512];
    FILE *fp;
    size_t bad = 0;
    RadTable *t;
    snprintf(path, sizeof path, "%s/big.csv", dir);
    fp = fopen(path, "w");
    for (int j = 0; j < 300; j++)
        fprintf(fp, "%sf%d", j ? "," : "", j);
    fputc('\n', fp);
    for (int i = 0; i < 200; i++)
        for (int j = 0; j < 300; j++)
            fprintf(fp, "%.10g%c", sin(i * 300.0 + j) * pow(10, (j % 7) - 3), j == 299 ? '\n' : ',');
    fclose(fp);
    t = rad_table_read_csv(path, NULL);
    for (int i = 0; t && i < 200; i++)
        for (int j = 0; j < 300; j++) {
            char buf[64];
            snprintf(buf, sizeof buf, "%.10g", sin(i * 300.0 + j) * pow(10, (j % 7) - 3));
            bad += t->cols[j].num[i] != strtod(buf, NULL);
        }
    tap_ok(t && bad == 0, "60000 decimal cells equal strtod's results (%zu differ)", bad);
    rad_table_free(t);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/radlab-test-table-%d", (int)getpid());
    if (mkdir(dir, 0700) != 0)
        return 1;
    test_parse();
    test_round_trip();
    test_ops();
    test_speed_sanity();
    {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            tap_diag("could not remove %s", dir);
    }
    return tap_done();
}
