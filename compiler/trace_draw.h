/*
 * trace_draw.h - the timeline of an execution trace (trace_draw.c), for
 * `goc trace --svg / --html`.
 */
#ifndef GOC_TRACE_DRAW_H
#define GOC_TRACE_DRAW_H

#include <stdio.h>

#include "trace_model.h"

/* Timeline as a self-contained SVG document, or an HTML page around it
 * with the summary text.  Return 0, or -1 when writing failed. */
int trace_draw_svg(FILE *f, const trace *t);
int trace_draw_html(FILE *f, const trace *t, const char *summary);

#endif
