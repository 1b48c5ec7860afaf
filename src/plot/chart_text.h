/* radlab: pages of text for reports.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A methods paragraph, headings and results tables set on report pages of
 * a given size: paragraphs wrap at word boundaries, tables get columns as
 * wide as their widest cell and rules above, under the header and below,
 * and the content flows onto as many pages as it needs, numbered "page k
 * of n".  Every line and every cell is its own piece of text of the
 * figure's layout (rad_figure_text), so layout tests see each of them.
 */
#ifndef RAD_CHART_TEXT_H
#define RAD_CHART_TEXT_H

#include "plot/plot.h"

typedef enum { RAD_BLOCK_HEADING = 0, RAD_BLOCK_TEXT, RAD_BLOCK_TABLE } RadBlockKind;

/* One block of a text page.  Heading and paragraph: text ("\n" forces a
 * line break).  Table: ncol column headings (header, or NULL for none),
 * nrow x ncol cells (row-major; "\n" in a cell makes it taller) and align,
 * ncol letters 'l', 'r' or 'c' (NULL: columns whose every non-empty cell is
 * a number right-aligned, others left-aligned). */
typedef struct RadTextBlock {
    RadBlockKind kind;
    const char *text;
    const char *const *header;
    const char *const *cells;
    size_t nrow, ncol;
    const char *align;
} RadTextBlock;

typedef struct RadTextPageOptions {
    const char *title;    /* on the first page, or NULL */
    double width, height; /* mm, each 60 to 2000; 0: 180 x 250 */
    double font_size;     /* pt of the body text, 5 to 24; 0: 9 */
    size_t page_total;    /* the footer's "of n" when the pages open a longer
                           * document (figure pages follow); 0: their own count */
} RadTextPageOptions;

/* Lay out blocks[0..n-1] on pages.  Returns a malloc'd array of *npages
 * new figures (free each with rad_figure_free, then the array), or NULL
 * with a message: a table too wide for the page even at 6 pt (it is first
 * shrunk from the body size down to 6 pt), a table row taller than a page,
 * a bad alignment letter, or a bad size. */
RadFigure **rad_text_pages(const RadTextBlock *blocks, size_t n, const RadTextPageOptions *o, size_t *npages);

#endif
