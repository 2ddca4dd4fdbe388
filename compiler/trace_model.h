/*
 * trace_model.h - an execution trace as `goc trace` holds it in memory:
 * read by trace_tool.c, drawn by trace_draw.c.  Types only (the file
 * format is in docs/runtime.md, "Execution trace").
 */
#ifndef GOC_TRACE_MODEL_H
#define GOC_TRACE_MODEL_H

#include <stddef.h>
#include <stdint.h>

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

/* The name of a mark kind in the file ("create", ...). */
static inline const char *trace_mark_name(int kind)
{
    static const char *const names[MARK_KINDS] = {"create", "steal", "poll",
                                                  "idle"};
    return names[kind];
}

#endif
