/*
 * trace_draw.c - the timeline of a trace as SVG, or as an HTML page that
 * holds the SVG and the summary (goc trace --svg / --html).
 *
 * Everything is inline (no scripts, fonts or styles from elsewhere), so
 * the file opens offline in any browser.  One horizontal track per worker
 * (class "track", data-tid = the worker number), one rectangle per run of
 * a coroutine (class "slice"), coloured by spawn site, with a tooltip
 * (<title>) giving the site, coroutine id, duration and why it stopped;
 * ticks under a track for create/steal/poll/idle; lines from an unparker
 * to the coroutine it woke.  Every string from the trace is escaped.
 */
#include <stdio.h>
#include <string.h>

#include "trace_draw.h"

enum {
    LABEL_W = 140,    /* worker names */
    PLOT_W = 1200,    /* the time axis */
    AXIS_H = 34,
    TRACK_H = 26,
    TRACK_GAP = 8,
    LEGEND_ROW = 18,
    MAX_FLOWS = 5000, /* more arrows would hide the slices */
};

typedef struct canvas {
    FILE *f;
    const trace *t;
    double scale; /* px per ns */
} canvas;

static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

static double x_of(const canvas *c, int64_t ts)
{
    return LABEL_W + (double)(ts - c->t->t0) * c->scale;
}

static int track_of(const trace *t, int tid)
{
    for (size_t i = 0; i < t->nw; i++)
        if (t->w[i].tid == tid)
            return (int)i;
    return 0;
}

static double y_of(int track)
{
    return AXIS_H + track * (TRACK_H + TRACK_GAP);
}

/* Spawn sites get hues a golden angle apart: neighbours differ. */
static int hue(int site)
{
    return (int)((unsigned)site * 137u % 360u);
}

/* A round step (1, 2 or 5 times a power of ten) giving about 10 ticks. */
static int64_t tick_step(int64_t span)
{
    int64_t step = 1;
    while (step * 10 < span) {
        if (step * 2 * 10 >= span)
            return step * 2;
        if (step * 5 * 10 >= span)
            return step * 5;
        step *= 10;
    }
    return step;
}

static void draw_axis(const canvas *c)
{
    const trace *t = c->t;
    int64_t span = t->t1 - t->t0, step = tick_step(span > 0 ? span : 1);
    double bottom = y_of((int)t->nw);
    fprintf(c->f, "<g class=\"axis\">\n");
    for (int64_t v = 0; v <= span; v += step) {
        double x = x_of(c, t->t0 + v);
        fprintf(c->f, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%.2f\"/>"
                "<text x=\"%.2f\" y=\"%d\">%.6g ms</text>\n", x, AXIS_H - 6, x,
                bottom, x + 2, AXIS_H - 10, (double)v / 1e6);
    }
    fprintf(c->f, "</g>\n");
}

static void draw_slice(const canvas *c, const trace_slice *s, double y)
{
    const trace *t = c->t;
    double w = (double)s->dur * c->scale;
    fprintf(c->f, "<rect class=\"slice\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
            "height=\"%d\" fill=\"hsl(%d,65%%,55%%)\"><title>", x_of(c, s->ts),
            y + 2, w < 0.5 ? 0.5 : w, TRACK_H - 6, hue(s->site));
    esc(c->f, t->sites.s[s->site]);
    fprintf(c->f, ", coroutine %lld: ran %.3f ms, then ", (long long)s->id,
            (double)s->dur / 1e6);
    esc(c->f, t->reasons.s[s->end]);
    if (s->at >= 0) {
        fputs(" at ", c->f);
        esc(c->f, t->locs.s[s->at]);
    }
    fputs("</title></rect>\n", c->f);
}

static void draw_track(const canvas *c, int i)
{
    const trace *t = c->t;
    const trace_worker *w = &t->w[i];
    double y = y_of(i);
    fprintf(c->f, "<g class=\"track\" id=\"worker-%d\" data-tid=\"%d\">\n"
            "<text class=\"label\" x=\"6\" y=\"%.2f\">", w->tid, w->tid,
            y + TRACK_H / 2.0 + 4);
    if (w->name)
        esc(c->f, w->name);
    else
        fprintf(c->f, "worker %d", w->tid);
    fprintf(c->f, "</text>\n<rect class=\"lane\" x=\"%d\" y=\"%.2f\" "
            "width=\"%d\" height=\"%d\"/>\n", LABEL_W, y, PLOT_W, TRACK_H);
    for (size_t k = 0; k < t->nsl; k++)
        if (t->sl[k].tid == w->tid)
            draw_slice(c, &t->sl[k], y);
    for (size_t k = 0; k < t->nmk; k++) {
        const trace_mark *m = &t->mk[k];
        if (m->tid != w->tid)
            continue;
        fprintf(c->f, "<rect class=\"mark m-%s\" x=\"%.2f\" y=\"%.2f\" "
                "width=\"1\" height=\"4\"><title>%s</title></rect>\n",
                trace_mark_name(m->kind), x_of(c, m->ts), y + TRACK_H - 4,
                trace_mark_name(m->kind));
    }
    fputs("</g>\n", c->f);
}

/* Flows are sorted by id, "s" before "f" (trace_tool.c, check_flows). */
static void draw_flows(const canvas *c)
{
    const trace *t = c->t;
    size_t drawn = 0;
    fputs("<g class=\"flows\">\n", c->f);
    for (size_t i = 0; i + 1 < t->nfl && drawn < MAX_FLOWS; i++) {
        const trace_flow *s = &t->fl[i], *f = &t->fl[i + 1];
        if (s->id != f->id || s->finish || !f->finish)
            continue;
        double mid = TRACK_H / 2.0;
        fprintf(c->f, "<line class=\"flow\" x1=\"%.2f\" y1=\"%.2f\" "
                "x2=\"%.2f\" y2=\"%.2f\"/>\n", x_of(c, s->ts),
                y_of(track_of(t, s->tid)) + mid, x_of(c, f->ts),
                y_of(track_of(t, f->tid)) + mid);
        drawn++;
    }
    fputs("</g>\n", c->f);
}

static void draw_legend(const canvas *c, double y)
{
    const trace *t = c->t;
    fputs("<g class=\"legend\">\n", c->f);
    for (size_t i = 0; i < t->sites.n; i++) {
        double ly = y + (double)i * LEGEND_ROW;
        fprintf(c->f, "<rect x=\"%d\" y=\"%.2f\" width=\"12\" height=\"12\" "
                "fill=\"hsl(%d,65%%,55%%)\"/><text x=\"%d\" y=\"%.2f\">",
                LABEL_W, ly, hue((int)i), LABEL_W + 18, ly + 10);
        esc(c->f, t->sites.s[i]);
        fputs("</text>\n", c->f);
    }
    fputs("</g>\n", c->f);
}

static const char svg_style[] =
    "text{font:12px sans-serif;fill:#222}"
    ".axis line{stroke:#ddd}.axis text{fill:#666}"
    ".lane{fill:#f4f4f4;stroke:#ccc}.slice{stroke:#0003;stroke-width:0.5}"
    ".flow{stroke:#0008;stroke-width:0.7}"
    ".m-create{fill:#2a2}.m-steal{fill:#e80}.m-poll{fill:#26c}.m-idle{fill:#999}";

int trace_draw_svg(FILE *f, const trace *t)
{
    int64_t span = t->t1 - t->t0;
    canvas c = {f, t, (double)PLOT_W / (double)(span > 0 ? span : 1)};
    double legend_y = y_of((int)t->nw) + 12;
    double height = legend_y + (double)t->sites.n * LEGEND_ROW + 10;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" "
            "width=\"%d\" height=\"%.0f\" viewBox=\"0 0 %d %.0f\">\n"
            "<style>%s</style>\n", LABEL_W + PLOT_W + 20, height,
            LABEL_W + PLOT_W + 20, height, svg_style);
    draw_axis(&c);
    for (size_t i = 0; i < t->nw; i++)
        draw_track(&c, (int)i);
    draw_flows(&c);
    draw_legend(&c, legend_y);
    fputs("</svg>\n", f);
    return ferror(f) ? -1 : 0;
}

/* Zoom changes the drawing's width; the page scrolls sideways. */
static const char html_script[] =
    "function gocZoom(k){var s=document.querySelector('svg.timeline');"
    "var w=s.getBoundingClientRect().width*k;s.style.width=w+'px';"
    "s.style.height='auto';}";

int trace_draw_html(FILE *f, const trace *t, const char *summary)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<title>goc trace: ", f);
    esc(f, t->path);
    fputs("</title>\n<style>body{font:14px sans-serif;margin:16px}"
          ".scroll{overflow-x:auto;border:1px solid #ddd}"
          "pre{font:12px monospace;background:#fafafa;padding:8px}</style>\n"
          "</head>\n<body>\n<h1>goc trace: ", f);
    esc(f, t->path);
    fputs("</h1>\n<p>One track per worker; each box is one run of a "
          "coroutine, coloured by its spawn site (hover for details); lines "
          "go from the coroutine that woke another to its next run. "
          "<button onclick=\"gocZoom(2)\">zoom in</button> "
          "<button onclick=\"gocZoom(0.5)\">zoom out</button></p>\n"
          "<div class=\"scroll\">\n", f);
    if (trace_draw_svg(f, t))
        return -1;
    fputs("</div>\n<pre class=\"summary\">", f);
    esc(f, summary);
    fprintf(f, "</pre>\n<script>%s</script>\n</body>\n</html>\n", html_script);
    return ferror(f) ? -1 : 0;
}
