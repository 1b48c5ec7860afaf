/* radlab: a C program that draws with librad-plot: a Kaplan-Meier curve of
 * six subjects, saved as PNG, PDF or SVG.  SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   cc embed_plot.c $(pkg-config --cflags --libs radlab-plot) -o embed_plot
 *   ./embed_plot km.png
 *
 * The figures live in their own library (librad-plot, which links cairo), so
 * a program that only extracts features links librad alone (embed.c).
 */
#include <stdio.h>

#include <rad.h>

int main(int argc, char **argv)
{
    static const double time[] = {2, 3, 5, 7, 11, 13}, event[] = {1, 0, 1, 1, 0, 1};
    RadKmChartOptions k;
    RadChartOptions o;
    RadFigure *fig;
    int status = 1;

    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.png|OUT.pdf|OUT.svg  (radlab %s)\n", argv[0], RAD_VERSION);
        return 2;
    }
    rad_km_chart_options_default(&k);
    rad_chart_options_default(&o);
    o.title = "Six subjects";
    fig = rad_chart_km(time, event, NULL, 6, NULL, 1, &k, &o);
    if (fig && rad_figure_save(fig, argv[1], 100, NULL) == 0)
        status = 0;
    else
        fprintf(stderr, "embed_plot: %s\n", rad_error_message());
    rad_figure_free(fig);
    return status;
}
