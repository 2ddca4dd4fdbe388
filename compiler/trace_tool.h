/*
 * trace_tool.h - `goc trace`: reads an execution trace (Chrome trace-event
 * JSON; the format is in docs/runtime.md, "Execution trace"), prints a
 * summary (trace_tool.c) and draws the timeline (trace_draw.c).
 */
#ifndef GOC_TRACE_TOOL_H
#define GOC_TRACE_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* argv[0] is "trace".  Returns the process exit status. */
int trace_main(int argc, char **argv);

/* Interned strings: index <-> text. */
typedef struct trace_strs {
    char **s;
    size_t n, cap;
    int *hash; /* open addressing: index + 1, 0 when empty */
    size_t hcap;
} trace_strs;

/* One run of a coroutine on a worker ("X", cat "coroutine").  Times in ns. */
typedef struct trace_slice {
    int64_t ts, dur, id;
    int tid;
    int site;   /* in trace.sites: the slice's name */
    int end;    /* in trace.reasons: args.end */
    int at;     /* in trace.locs: args.at, -1 when absent */
} trace_slice;

enum { MARK_CREATE, MARK_STEAL, MARK_POLL, MARK_IDLE, MARK_KINDS };

typedef struct trace_mark {
    int64_t ts;
    int tid, kind;
} trace_mark;

/* A flow event: "s" (start, in the unparker) or "f" (finish). */
typedef struct trace_flow {
    int64_t id, ts;
    int tid, finish;
} trace_flow;

typedef struct trace_worker {
    int tid;
    const char *name; /* thread_name, or NULL */
    int64_t busy;
    size_t slices, marks[MARK_KINDS];
} trace_worker;

typedef struct trace {
    const char *path;
    trace_slice *sl;
    size_t nsl, capsl;
    trace_mark *mk;
    size_t nmk, capmk;
    trace_flow *fl;
    size_t nfl, capfl;
    trace_worker *w;
    size_t nw;
    trace_strs sites, reasons, locs;
    int64_t t0, t1; /* first and last instant of the trace */
} trace;

const char *trace_mark_name(int kind);

/* Timeline as a self-contained SVG document, or an HTML page around it
 * with the summary text.  Return 0, or -1 when writing failed. */
int trace_draw_svg(FILE *f, const trace *t);
int trace_draw_html(FILE *f, const trace *t, const char *summary);

#endif
