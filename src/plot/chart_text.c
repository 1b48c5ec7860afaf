/* radlab: pages of text for reports.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page is set like a journal's supplementary material: 15 mm margins,
 * the title bold at 1.6 x the body size on the first page, headings bold
 * at 1.2 x, paragraphs ragged-right, tables in the booktabs style (a rule
 * above the header, a thin one under it, one under the last row; no
 * vertical rules).  All measuring is done with rad_text_size, the
 * renderer's own font metrics, so what is laid out here is what is drawn.
 *
 * Flow: a running y position on the current page; a piece that does not
 * fit under it starts a new page.  A heading keeps at least one body line
 * (or a table's header and first row) with it; a table row never splits,
 * and a table that continues on the next page repeats its header.  Page
 * numbers are added once the number of pages is known.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "plot/chart_text.h"

#define PT_MM (25.4 / 72.0)
#define MARGIN (15.0 / PT_MM)   /* pt, all four sides */
#define FOOTER 8.0             /* mm from the bottom edge to the footer's bottom */
#define MIN_TABLE_FONT 6.0

typedef struct Pager {
    RadFigure **pages;
    size_t n, cap;
    double w, h;       /* mm */
    double y;          /* pt from the top of the current page */
    double top, bottom, left, right; /* the text area, pt */
} Pager;

static int new_page(Pager *p)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 4;
        RadFigure **pg = realloc(p->pages, cap * sizeof *pg);
        if (!pg)
            return rad_error_set("out of memory (text pages)");
        p->pages = pg;
        p->cap = cap;
    }
    if (!(p->pages[p->n] = rad_figure_new(p->w, p->h)))
        return -1;
    p->n++;
    p->y = p->top;
    return 0;
}

/* Make room for h pt at the running position: a new page when it does
 * not fit below it (unless the page is still empty: then it cannot fit
 * anywhere, and the caller has checked that). */
static int need(Pager *p, double h)
{
    if (p->y + h > p->bottom && p->y > p->top)
        return new_page(p);
    return 0;
}

static RadFigure *page(Pager *p)
{
    return p->pages[p->n - 1];
}

/* Text with its top-left (or top-right, top-centre) at (x, y) pt. */
static int put(Pager *p, double x, double y, const char *s, double fs, int bold, RadHAlign ha)
{
    RadStyle st = rad_style_default();
    st.font_size = fs;
    st.bold = bold;
    st.halign = ha;
    st.valign = RAD_VALIGN_TOP;
    return rad_figure_text(page(p), x * PT_MM, y * PT_MM, s, &st);
}

static int rule(Pager *p, double y, double x0, double x1, double width)
{
    RadStyle st = rad_style_default();
    st.line_width = width;
    return rad_figure_rule(page(p), x0 * PT_MM, y * PT_MM, x1 * PT_MM, y * PT_MM, &st);
}

static double text_w(const char *s, double fs, int bold)
{
    double w = 0, h = 0;
    rad_text_size(s, fs, bold, &w, &h);
    return w;
}

static double text_h(const char *s, double fs, int bold)
{
    double w = 0, h = 0;
    rad_text_size(s, fs, bold, &w, &h);
    return h;
}

/* ---- wrapping ----------------------------------------------------------------------- */

typedef struct Lines {
    char **s;
    size_t n, cap;
} Lines;

static void lines_free(Lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    free(l->s);
    memset(l, 0, sizeof *l);
}

static int lines_add(Lines *l, const char *s, size_t len)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **p = realloc(l->s, cap * sizeof *p);
        if (!p)
            return rad_error_set("out of memory (text lines)");
        l->s = p;
        l->cap = cap;
    }
    char *c = rad_malloc(len + 1, "text line");
    if (!c)
        return -1;
    memcpy(c, s, len);
    c[len] = 0;
    l->s[l->n++] = c;
    return 0;
}

/* The width of s[0..len-1]. */
static double span_w(const char *s, size_t len, double fs, int bold, char *tmp)
{
    memcpy(tmp, s, len);
    tmp[len] = 0;
    return text_w(tmp, fs, bold);
}

/* The length of the longest prefix of the word w[0..len-1] that fits in
 * maxw, ending at a UTF-8 character boundary; at least one character. */
static size_t fitting_prefix(const char *w, size_t len, double fs, int bold, double maxw, char *tmp)
{
    size_t best = 0, i = 0;
    while (i < len) {
        size_t j = i + 1;
        while (j < len && ((unsigned char)w[j] & 0xC0) == 0x80)
            j++;
        if (best > 0 && span_w(w, j, fs, bold, tmp) > maxw)
            break;
        best = j;
        i = j;
    }
    return best;
}

/* Break text into lines no wider than maxw pt: at spaces, at "\n", and
 * inside a word that is longer than a line. */
static int wrap(const char *text, double fs, int bold, double maxw, Lines *out)
{
    size_t tl = strlen(text);
    char *cur = rad_malloc(2 * tl + 2, "text wrapping");
    if (!cur)
        return -1;
    char *tmp = cur + tl + 1;
    size_t cl = 0;
    const char *p = text;
    int rc = 0;
    while (rc == 0) {
        /* the next word, or the end of a hard line */
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (*p == '\n' || *p == 0) {
            if (cl > 0 || *p == '\n')
                rc = lines_add(out, cur, cl);
            cl = 0;
            if (*p == 0)
                break;
            p++;
            continue;
        }
        const char *w = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
            p++;
        size_t wl = (size_t)(p - w);
        if (cl > 0) {
            cur[cl] = ' ';
            memcpy(cur + cl + 1, w, wl);
            if (span_w(cur, cl + 1 + wl, fs, bold, tmp) <= maxw) {
                cl += 1 + wl;
                continue;
            }
            rc = lines_add(out, cur, cl);
            cl = 0;
        }
        /* the word starts a line; one longer than a line is broken */
        while (rc == 0 && span_w(w, wl, fs, bold, tmp) > maxw) {
            size_t k = fitting_prefix(w, wl, fs, bold, maxw, tmp);
            rc = lines_add(out, w, k);
            w += k;
            wl -= k;
        }
        memcpy(cur, w, wl);
        cl = wl;
    }
    free(cur);
    return rc;
}

/* Lines of text, each a piece of text of the page, flowing over pages. */
static int set_lines(Pager *p, const Lines *l, double fs, int bold, double advance, double line_h)
{
    for (size_t i = 0; i < l->n; i++) {
        if (need(p, line_h) != 0)
            return -1;
        if (l->s[i][0] && put(p, p->left, p->y, l->s[i], fs, bold, RAD_HALIGN_LEFT) != 0)
            return -1;
        p->y += advance;
    }
    return 0;
}

/* ---- tables ------------------------------------------------------------------------- */

static int is_number(const char *s)
{
    char *end;
    while (*s == ' ')
        s++;
    if (!*s)
        return 0;
    strtod(s, &end);
    if (end == s)
        return 0;
    while (*end == ' ' || *end == '%')
        end++;
    return *end == 0;
}

static const char *cell(const RadTextBlock *b, size_t r, size_t j)
{
    const char *s = b->cells[r * b->ncol + j];
    return s ? s : "";
}

/* Column widths at font size fs; returns the table's width (pt). */
static double table_widths(const RadTextBlock *b, double fs, double gap, double *cw)
{
    double total = 0;
    for (size_t j = 0; j < b->ncol; j++) {
        cw[j] = b->header && b->header[j] ? text_w(b->header[j], fs, 1) : 0;
        for (size_t r = 0; r < b->nrow; r++)
            cw[j] = fmax(cw[j], text_w(cell(b, r, j), fs, 0));
        total += cw[j] + (j ? gap : 0);
    }
    return total;
}

/* The header rows of a table (on its first page and again on each page it
 * continues on): top rule, headings, thin rule. */
static int table_head(Pager *p, const RadTextBlock *b, const double *x, const char *al, double fs, double head_h,
                      double pad, double x1)
{
    if (rule(p, p->y, p->left, x1, 0.8) != 0)
        return -1;
    p->y += pad;
    if (b->header) {
        for (size_t j = 0; j < b->ncol; j++) {
            const char *h = b->header[j] ? b->header[j] : "";
            RadHAlign ha = al[j] == 'r' ? RAD_HALIGN_RIGHT : al[j] == 'c' ? RAD_HALIGN_CENTER : RAD_HALIGN_LEFT;
            if (*h && put(p, x[j], p->y, h, fs, 1, ha) != 0)
                return -1;
        }
        p->y += head_h + pad;
        if (rule(p, p->y, p->left, x1, 0.4) != 0)
            return -1;
        p->y += pad;
    }
    return 0;
}

static int set_table(Pager *p, const RadTextBlock *b, size_t bi, double body_fs, double advance)
{
    if (b->ncol == 0)
        return rad_error_set("table in block %zu has no columns: give header = {...} or rows of cells", bi + 1);
    char *al = rad_malloc(b->ncol + 1, "table alignment");
    double *cw = rad_malloc(3 * b->ncol * sizeof *cw, "table columns");
    if (!al || !cw) {
        free(al);
        free(cw);
        return -1;
    }
    double *x = cw + b->ncol, *left = x + b->ncol;
    int rc = 0;
    for (size_t j = 0; j < b->ncol; j++) {
        if (b->align) {
            al[j] = b->align[j];
            if (al[j] != 'l' && al[j] != 'r' && al[j] != 'c') {
                rc = rad_error_set("table in block %zu: align[%zu] is '%c'; give \"l\", \"r\" or \"c\" for each "
                                   "column", bi + 1, j + 1, al[j] ? al[j] : '?');
                break;
            }
        } else {
            /* numbers right-aligned, so that their digits line up */
            int num = 0, text = 0;
            for (size_t r = 0; r < b->nrow; r++) {
                const char *s = cell(b, r, j);
                if (*s && is_number(s))
                    num = 1;
                else if (*s && strcmp(s, "NA") != 0 && strcmp(s, "-") != 0)
                    text = 1;
            }
            al[j] = num && !text ? 'r' : 'l';
        }
    }
    /* as wide as the widest cells; too wide for the page: smaller type,
     * down to 6 pt */
    double avail = p->right - p->left, fs = body_fs;
    double gap = 1.5 * fs, total = table_widths(b, fs, gap, cw);
    while (rc == 0 && total > avail && fs > MIN_TABLE_FONT) {
        fs = fmax(MIN_TABLE_FONT, fmin(fs - 0.25, floor(4 * fs * avail / total) / 4));
        gap = 1.5 * fs;
        total = table_widths(b, fs, gap, cw);
    }
    if (rc == 0 && total > avail) {
        size_t wj = 0;
        for (size_t j = 1; j < b->ncol; j++)
            if (cw[j] > cw[wj])
                wj = j;
        rc = rad_error_set("table in block %zu (%zu columns%s%s%s) is %.0f mm wide even at %g pt, the page has %.0f mm "
                           "between its margins: shorten the widest column (column %zu, %.0f mm), split the table, "
                           "or give a wider page (width =)",
                           bi + 1, b->ncol, b->header && b->header[0] ? ", first heading \"" : "",
                           b->header && b->header[0] ? b->header[0] : "", b->header && b->header[0] ? "\"" : "", total * PT_MM, MIN_TABLE_FONT,
                           avail * PT_MM, wj + 1, cw[wj] * PT_MM);
    }
    if (rc == 0 && fs < body_fs)
        rad_figure_add_note(page(p), "table in block %zu set at %g pt (body %g pt) to fit the page width", bi + 1,
                            fs, body_fs);
    double pos = p->left;
    for (size_t j = 0; j < b->ncol && rc == 0; j++) {
        left[j] = pos;
        x[j] = al[j] == 'r' ? pos + cw[j] : al[j] == 'c' ? pos + cw[j] / 2 : pos;
        pos += cw[j] + gap;
    }
    double x1 = p->left + total, pad = 0.3 * fs, row_gap = 0.25 * fs;
    double head_h = 0;
    for (size_t j = 0; b->header && j < b->ncol; j++)
        if (b->header[j])
            head_h = fmax(head_h, text_h(b->header[j], fs, 1));
    double head_total = 0.8 + pad + (b->header ? head_h + 2 * pad : 0);
    /* the header keeps its first row with it */
    double first_h = 0;
    for (size_t j = 0; b->nrow > 0 && j < b->ncol; j++)
        first_h = fmax(first_h, text_h(cell(b, 0, j), fs, 0));
    if (rc == 0)
        rc = need(p, head_total + first_h + pad);
    if (rc == 0)
        rc = table_head(p, b, x, al, fs, head_h, pad, x1);
    for (size_t r = 0; r < b->nrow && rc == 0; r++) {
        double rh = 0;
        for (size_t j = 0; j < b->ncol; j++)
            rh = fmax(rh, text_h(cell(b, r, j), fs, 0));
        if (head_total + rh + pad > p->bottom - p->top) {
            rc = rad_error_set("table in block %zu: row %zu is taller than a page (%.0f mm): put fewer lines in its "
                               "cells or give a taller page (height =)", bi + 1, r + 1, rh * PT_MM);
            break;
        }
        if (p->y + rh + pad > p->bottom) {
            /* the row goes on the next page, under a repeated header */
            if ((rc = rule(p, p->y - row_gap + pad, p->left, x1, 0.8)) != 0 || (rc = new_page(p)) != 0 ||
                (rc = table_head(p, b, x, al, fs, head_h, pad, x1)) != 0)
                break;
        }
        for (size_t j = 0; j < b->ncol && rc == 0; j++) {
            const char *s = cell(b, r, j);
            RadHAlign ha = al[j] == 'r' ? RAD_HALIGN_RIGHT : al[j] == 'c' ? RAD_HALIGN_CENTER : RAD_HALIGN_LEFT;
            if (*s)
                rc = put(p, x[j], p->y, s, fs, 0, ha);
        }
        p->y += rh + row_gap;
    }
    if (rc == 0) {
        p->y += pad - row_gap;
        rc = rule(p, p->y, p->left, x1, 0.8);
        p->y += 0.5 * advance;
    }
    free(al);
    free(cw);
    return rc;
}

/* ---- pages -------------------------------------------------------------------------- */

static int set_blocks(Pager *p, const RadTextBlock *blocks, size_t n, const RadTextPageOptions *o, double fs)
{
    double line_h = text_h("Mg", fs, 0), advance = line_h + 0.2 * fs, width = p->right - p->left;
    Lines l = {0};
    int rc = 0;
    if (o->title && *o->title) {
        double tfs = 1.6 * fs, th = text_h("Mg", tfs, 1);
        rc = wrap(o->title, tfs, 1, width, &l);
        if (rc == 0)
            rc = set_lines(p, &l, tfs, 1, th + 0.15 * tfs, th);
        lines_free(&l);
        p->y += 0.6 * advance;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        const RadTextBlock *b = &blocks[i];
        if (b->kind == RAD_BLOCK_HEADING) {
            double hfs = 1.2 * fs, hh = text_h("Mg", hfs, 1), before = p->y > p->top ? 0.5 * advance : 0;
            rc = wrap(b->text ? b->text : "", hfs, 1, width, &l);
            /* a heading keeps its first line and one line of what follows
             * (a table's header and first row: rules, padding, two lines) */
            double keep = i + 1 < n && blocks[i + 1].kind == RAD_BLOCK_TABLE ? 2 * line_h + 0.8 + 1.2 * fs : line_h;
            if (rc == 0 && l.n > 0)
                rc = need(p, before + hh + 0.3 * advance + keep);
            if (rc == 0 && l.n > 0) {
                if (p->y > p->top)
                    p->y += before;
                rc = set_lines(p, &l, hfs, 1, hh + 0.15 * hfs, hh);
                p->y += 0.3 * advance;
            }
            lines_free(&l);
        } else if (b->kind == RAD_BLOCK_TEXT) {
            rc = wrap(b->text ? b->text : "", fs, 0, width, &l);
            if (rc == 0)
                rc = set_lines(p, &l, fs, 0, advance, line_h);
            lines_free(&l);
            p->y += 0.5 * advance;
        } else if (b->kind == RAD_BLOCK_TABLE) {
            rc = set_table(p, b, i, fs, advance);
        } else
            rc = rad_error_set("block %zu: unknown kind %d (heading, text or table)", i + 1, (int)b->kind);
    }
    return rc;
}

RadFigure **rad_text_pages(const RadTextBlock *blocks, size_t n, const RadTextPageOptions *o, size_t *npages)
{
    RadTextPageOptions d = {0};
    if (!o)
        o = &d;
    double w = o->width > 0 ? o->width : 180, h = o->height > 0 ? o->height : 250;
    double fs = o->font_size > 0 ? o->font_size : 9;
    if (!(w >= 60 && w <= 2000 && h >= 60 && h <= 2000)) {
        rad_error_set("text page size %g x %g mm: each side must be 60 to 2000 mm (15 mm margins)", w, h);
        return NULL;
    }
    if (!(fs >= 5 && fs <= 24)) {
        rad_error_set("text font_size %g pt: give 5 to 24 (9 is the default)", fs);
        return NULL;
    }
    Pager p = {0};
    p.w = w;
    p.h = h;
    p.top = MARGIN;
    p.left = MARGIN;
    p.right = w / PT_MM - MARGIN;
    p.bottom = h / PT_MM - MARGIN;
    int rc = new_page(&p);
    if (rc == 0)
        rc = set_blocks(&p, blocks, n, o, fs);
    /* the footer and a description, now that the count is known */
    for (size_t k = 0; k < p.n && rc == 0; k++) {
        char buf[300];
        snprintf(buf, sizeof buf, "page %zu of %zu", k + 1, o->page_total > p.n ? o->page_total : p.n);
        RadStyle st = rad_style_default();
        st.font_size = fs - 1;
        st.halign = RAD_HALIGN_CENTER;
        st.valign = RAD_VALIGN_BOTTOM;
        st.color = rad_grey(0.3);
        rc = rad_figure_text(p.pages[k], w / 2, h - FOOTER, buf, &st);
        snprintf(buf, sizeof buf, "text, page %zu of %zu%s%.200s", k + 1, o->page_total > p.n ? o->page_total : p.n,
                 o->title ? ": " : "",
                 o->title ? o->title : "");
        if (rc == 0)
            rc = rad_figure_set_description(p.pages[k], buf);
    }
    if (rc != 0) {
        for (size_t k = 0; k < p.n; k++)
            rad_figure_free(p.pages[k]);
        free(p.pages);
        return NULL;
    }
    *npages = p.n;
    return p.pages;
}
