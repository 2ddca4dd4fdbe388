/*
 * trace_tool.c - `goc trace [--html FILE] [--svg FILE] [--top N] PATH`.
 *
 * Reads a trace the runtime wrote under GOC_TRACE (docs/runtime.md,
 * "Execution trace"), checks it, and prints what a person can act on:
 * per worker how busy it was, per spawn site how many coroutines ran, how
 * long they ran and how long they were blocked, by reason, and the longest
 * blocks with the .goc location where each coroutine waited.
 *
 * Blocked time is derived, not recorded: a coroutine is blocked from the
 * end of one of its slices until the start of its next one, for the reason
 * the first slice ended with ("yield" and "preempt" count as time spent
 * waiting to run again).  A coroutine whose last slice did not end with
 * "exit" or "running" (still running when the trace was written: main's
 * last run, say) is blocked until the end of the trace.  A malformed file is an
 * error naming the event; suspicious but readable data (overlapping slices
 * on one worker, a flow without its other end) is a warning.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend.h"
#include "json.h"
#include "trace_draw.h"
#include "trace_tool.h"
#include "util.h"

static const char usage[] =
    "usage: goc trace [--html FILE] [--svg FILE] [--top N] TRACE.json\n"
    "\n"
    "Summarise an execution trace written by a goc program run with\n"
    "GOC_TRACE=TRACE.json: per worker, per spawn site, the longest blocks.\n"
    "  --html FILE  also draw the timeline as a self-contained HTML page\n"
    "  --svg FILE   also draw the timeline as an SVG image\n"
    "  --top N      list the N longest blocks (default 10)\n";

static void oom(void)
{
    fputs("goc trace: out of memory\n", stderr);
    exit(GOC_EXIT_INTERNAL);
}

/* ---- interned strings ---- */

static void strs_rehash(trace_strs *t)
{
    t->hcap = t->hcap ? t->hcap * 2 : 64;
    free(t->hash);
    t->hash = calloc(t->hcap, sizeof *t->hash);
    if (!t->hash)
        oom();
    for (size_t i = 0; i < t->n; i++) {
        size_t h = str_hash(t->s[i], strlen(t->s[i])) & (t->hcap - 1);
        while (t->hash[h])
            h = (h + 1) & (t->hcap - 1);
        t->hash[h] = (int)i + 1;
    }
}

static int intern(trace_strs *t, const char *s)
{
    if ((t->n + 1) * 2 > t->hcap)
        strs_rehash(t);
    size_t h = str_hash(s, strlen(s)) & (t->hcap - 1);
    for (; t->hash[h]; h = (h + 1) & (t->hcap - 1))
        if (strcmp(t->s[t->hash[h] - 1], s) == 0)
            return t->hash[h] - 1;
    ARRAY_RESERVE(t->s, t->cap, t->n + 1);
    t->s[t->n] = strcpy(xrealloc(NULL, strlen(s) + 1), s);
    t->hash[h] = (int)t->n + 1;
    return (int)t->n++;
}

/* ---- reading events ---- */

typedef struct reader {
    trace *t;
    size_t index;      /* of the event being read */
    const char *ph;
    int failed;
} reader;

static void bad(reader *r, const char *fmt, ...)
{
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    fprintf(stderr, "goc trace: %s: event %zu (ph \"%s\"): %s\n", r->t->path,
            r->index, r->ph, what);
    r->failed = 1;
}

static int get_num(reader *r, const json_value *obj, const char *key, double *out)
{
    const json_value *v = json_get(obj, key);
    if (!v || v->kind != JSON_NUMBER) {
        bad(r, "\"%s\" is %s", key, v ? "not a number" : "missing");
        return 0;
    }
    *out = v->num;
    return 1;
}

static const char *get_str(reader *r, const json_value *obj, const char *key)
{
    const json_value *v = json_get(obj, key);
    if (!v || v->kind != JSON_STRING) {
        bad(r, "\"%s\" is %s", key, v ? "not a string" : "missing");
        return NULL;
    }
    return v->str;
}

/* Microseconds (the format's unit) to nanoseconds, rounded. */
static int64_t us_to_ns(double us)
{
    double ns = us * 1000.0;
    return (int64_t)(ns + (ns >= 0 ? 0.5 : -0.5));
}

static int get_time(reader *r, const json_value *e, const char *key, int64_t *out)
{
    double v;
    if (!get_num(r, e, key, &v))
        return 0;
    if (!(v > -9e12 && v < 9e12)) {
        bad(r, "\"%s\" is out of range", key);
        return 0;
    }
    *out = us_to_ns(v);
    return 1;
}

static int get_tid(reader *r, const json_value *e, int *tid)
{
    double v;
    if (!get_num(r, e, "tid", &v))
        return 0;
    if (v < 0 || v > 1e6 || v != (double)(int)v) {
        bad(r, "\"tid\" is not a worker number");
        return 0;
    }
    *tid = (int)v;
    return 1;
}

static int get_id(reader *r, const json_value *obj, const char *key, int64_t *id)
{
    double v;
    if (!get_num(r, obj, key, &v))
        return 0;
    if (v < 0 || v > 9e15 || v != (double)(int64_t)v) {
        bad(r, "\"%s\" is not a non-negative integer", key);
        return 0;
    }
    *id = (int64_t)v;
    return 1;
}

static void see_time(trace *t, int64_t a, int64_t b)
{
    if (t->nsl + t->nmk + t->nfl == 0 || a < t->t0)
        t->t0 = a;
    if (t->nsl + t->nmk + t->nfl == 0 || b > t->t1)
        t->t1 = b;
}

static trace_worker *worker(trace *t, int tid)
{
    for (size_t i = 0; i < t->nw; i++)
        if (t->w[i].tid == tid)
            return &t->w[i];
    t->w = xrealloc(t->w, (t->nw + 1) * sizeof *t->w);
    memset(&t->w[t->nw], 0, sizeof *t->w);
    t->w[t->nw].tid = tid;
    return &t->w[t->nw++];
}

/* "X" with cat "coroutine": one run of a coroutine. */
static void read_slice(reader *r, const json_value *e)
{
    trace *t = r->t;
    const json_value *cat = json_get(e, "cat");
    if (!cat || cat->kind != JSON_STRING || strcmp(cat->str, "coroutine"))
        return; /* some other kind of slice: not ours to read */
    trace_slice s;
    const json_value *args = json_get(e, "args");
    const char *name = get_str(r, e, "name");
    if (!name || !get_time(r, e, "ts", &s.ts) || !get_time(r, e, "dur", &s.dur) ||
        !get_tid(r, e, &s.tid))
        return;
    if (!args || args->kind != JSON_OBJECT) {
        bad(r, "\"args\" is %s", args ? "not an object" : "missing");
        return;
    }
    const char *end = get_str(r, args, "end");
    if (!end || !get_id(r, args, "id", &s.id))
        return;
    if (s.dur < 0) {
        bad(r, "\"dur\" is negative");
        return;
    }
    const json_value *at = json_get(args, "at");
    s.at = at && at->kind == JSON_STRING ? intern(&t->locs, at->str) : -1;
    s.site = intern(&t->sites, name);
    s.end = intern(&t->reasons, end);
    see_time(t, s.ts, s.ts + s.dur);
    ARRAY_RESERVE(t->sl, t->capsl, t->nsl + 1);
    t->sl[t->nsl++] = s;
}

static void read_instant(reader *r, const json_value *e)
{
    trace *t = r->t;
    const char *name = get_str(r, e, "name");
    trace_mark m;
    if (!name || !get_time(r, e, "ts", &m.ts) || !get_tid(r, e, &m.tid))
        return;
    for (m.kind = 0; m.kind < MARK_KINDS; m.kind++)
        if (strcmp(name, trace_mark_name(m.kind)) == 0)
            break;
    if (m.kind == MARK_KINDS)
        return; /* an instant the summary does not use */
    see_time(t, m.ts, m.ts);
    ARRAY_RESERVE(t->mk, t->capmk, t->nmk + 1);
    t->mk[t->nmk++] = m;
}

static void read_flow(reader *r, const json_value *e, int finish)
{
    trace *t = r->t;
    trace_flow f = {.finish = finish};
    if (!get_id(r, e, "id", &f.id) || !get_time(r, e, "ts", &f.ts) ||
        !get_tid(r, e, &f.tid))
        return;
    see_time(t, f.ts, f.ts);
    ARRAY_RESERVE(t->fl, t->capfl, t->nfl + 1);
    t->fl[t->nfl++] = f;
}

static void read_meta(reader *r, const json_value *e)
{
    const json_value *name = json_get(e, "name");
    if (!name || name->kind != JSON_STRING || strcmp(name->str, "thread_name"))
        return;
    int tid;
    const json_value *args = json_get(e, "args");
    const char *label = args && args->kind == JSON_OBJECT ? get_str(r, args, "name")
                                                         : get_str(r, e, "args");
    if (label && get_tid(r, e, &tid))
        worker(r->t, tid)->name = strcpy(xrealloc(NULL, strlen(label) + 1), label);
}

static void read_event(reader *r, const json_value *e)
{
    r->ph = "?";
    if (e->kind != JSON_OBJECT) {
        bad(r, "not an object");
        return;
    }
    const json_value *ph = json_get(e, "ph");
    if (!ph || ph->kind != JSON_STRING) {
        bad(r, "\"ph\" is %s", ph ? "not a string" : "missing");
        return;
    }
    r->ph = ph->str;
    if (strcmp(ph->str, "X") == 0)
        read_slice(r, e);
    else if (strcmp(ph->str, "i") == 0 || strcmp(ph->str, "I") == 0)
        read_instant(r, e);
    else if (strcmp(ph->str, "s") == 0 || strcmp(ph->str, "f") == 0)
        read_flow(r, e, ph->str[0] == 'f');
    else if (strcmp(ph->str, "M") == 0)
        read_meta(r, e);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "goc trace: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t n = 0, cap = 1 << 16;
    char *buf = xrealloc(NULL, cap);
    size_t k;
    while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap)
            buf = xrealloc(buf, cap *= 2);
    }
    int err = ferror(f);
    if (f != stdin)
        fclose(f);
    if (err) {
        fprintf(stderr, "goc trace: cannot read %s\n", path);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* The events: {"traceEvents": [...]} or, as Chrome also reads, [...]. */
static const json_value *events_of(const json_value *doc)
{
    if (doc->kind == JSON_ARRAY)
        return doc;
    const json_value *ev = json_get(doc, "traceEvents");
    return ev && ev->kind == JSON_ARRAY ? ev : NULL;
}

static int load(trace *t)
{
    size_t len;
    char *text = read_file(t->path, &len);
    if (!text)
        return GOC_EXIT_USER;
    char err[300];
    json_value *doc = json_parse(text, len, err, sizeof err);
    free(text);
    if (!doc) {
        fprintf(stderr, "goc trace: %s: not valid JSON: %s\n", t->path, err);
        return GOC_EXIT_USER;
    }
    const json_value *ev = events_of(doc);
    reader r = {.t = t};
    if (!ev) {
        fprintf(stderr, "goc trace: %s: not a trace: expected an object with "
                "a \"traceEvents\" array\n", t->path);
        r.failed = 1;
    }
    for (size_t i = 0; ev && i < ev->len && !r.failed; i++) {
        r.index = i;
        read_event(&r, ev->items[i]);
    }
    json_free(doc);
    if (!r.failed && t->nsl == 0) {
        fprintf(stderr, "goc trace: %s: no coroutine slices (\"X\" events "
                "with cat \"coroutine\")\n", t->path);
        r.failed = 1;
    }
    return r.failed ? GOC_EXIT_USER : GOC_EXIT_OK;
}

/* ---- analysis ---- */

typedef struct block {
    int64_t dur, id, ts;
    int site, reason, at, to_end;
} block;

typedef struct site_sum {
    int site;
    size_t coroutines, still_blocked;
    int64_t run, blocked;
    int64_t *by_reason; /* per reason index */
    size_t *blocks;     /* per reason index */
} site_sum;

typedef struct analysis {
    site_sum *sites;    /* indexed by site, then sorted for printing */
    block *blocks;
    size_t nblocks, capblocks;
    size_t coroutines, overlaps, unmatched_flows;
    const trace_slice *overlap; /* the first overlap found */
} analysis;

static const trace *sort_trace;

static int by_id_ts(const void *a, const void *b)
{
    const trace_slice *x = &sort_trace->sl[*(const size_t *)a];
    const trace_slice *y = &sort_trace->sl[*(const size_t *)b];
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->ts < y->ts ? -1 : x->ts > y->ts;
}

static int by_tid_ts(const void *a, const void *b)
{
    const trace_slice *x = &sort_trace->sl[*(const size_t *)a];
    const trace_slice *y = &sort_trace->sl[*(const size_t *)b];
    if (x->tid != y->tid)
        return x->tid < y->tid ? -1 : 1;
    return x->ts < y->ts ? -1 : x->ts > y->ts;
}

static size_t *slice_order(const trace *t, int (*cmp)(const void *, const void *))
{
    size_t *ix = xrealloc(NULL, t->nsl * sizeof *ix);
    for (size_t i = 0; i < t->nsl; i++)
        ix[i] = i;
    sort_trace = t;
    qsort(ix, t->nsl, sizeof *ix, cmp);
    return ix;
}

static void add_block(analysis *a, const trace_slice *s, int64_t until, int to_end)
{
    site_sum *ss = &a->sites[s->site];
    block b = {until - (s->ts + s->dur), s->id, s->ts + s->dur, s->site, s->end,
               s->at, to_end};
    if (b.dur < 0)
        b.dur = 0;
    ss->blocked += b.dur;
    ss->by_reason[s->end] += b.dur;
    ss->blocks[s->end]++;
    ss->still_blocked += (size_t)to_end;
    ARRAY_RESERVE(a->blocks, a->capblocks, a->nblocks + 1);
    a->blocks[a->nblocks++] = b;
}

/* Per coroutine, in time order: running time, then the gaps between runs. */
static void coroutine_times(const trace *t, analysis *a)
{
    size_t *ix = slice_order(t, by_id_ts);
    int exit_reason = -1, running_reason = -1;
    for (size_t i = 0; i < t->reasons.n; i++) {
        if (strcmp(t->reasons.s[i], "exit") == 0)
            exit_reason = (int)i;
        else if (strcmp(t->reasons.s[i], "running") == 0)
            running_reason = (int)i;
    }
    for (size_t i = 0; i < t->nsl; i++) {
        const trace_slice *s = &t->sl[ix[i]];
        const trace_slice *next = i + 1 < t->nsl ? &t->sl[ix[i + 1]] : NULL;
        if (next && next->id != s->id)
            next = NULL;
        if (i == 0 || t->sl[ix[i - 1]].id != s->id) {
            a->coroutines++;
            a->sites[s->site].coroutines++;
        }
        a->sites[s->site].run += s->dur;
        /* A coroutine's end, or a run the end of the trace cut short, is
         * no block. */
        if (s->end == exit_reason || (s->end == running_reason && !next))
            continue;
        if (next)
            add_block(a, s, next->ts, 0);
        else
            add_block(a, s, t->t1, 1);
    }
    free(ix);
}

static void worker_times(trace *t, analysis *a)
{
    size_t *ix = slice_order(t, by_tid_ts);
    for (size_t i = 0; i < t->nsl; i++) {
        const trace_slice *s = &t->sl[ix[i]];
        trace_worker *w = worker(t, s->tid);
        w->busy += s->dur;
        w->slices++;
        if (i > 0) {
            const trace_slice *p = &t->sl[ix[i - 1]];
            if (p->tid == s->tid && s->ts < p->ts + p->dur && !a->overlaps++)
                a->overlap = s;
        }
    }
    free(ix);
    for (size_t i = 0; i < t->nmk; i++)
        worker(t, t->mk[i].tid)->marks[t->mk[i].kind]++;
    for (size_t i = 0; i < t->nfl; i++)
        worker(t, t->fl[i].tid);
}

static int by_flow_id(const void *a, const void *b)
{
    const trace_flow *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->finish - y->finish;
}

/* A flow should have one "s" and one "f" with its id. */
static void check_flows(trace *t, analysis *a)
{
    if (t->nfl)
        qsort(t->fl, t->nfl, sizeof *t->fl, by_flow_id);
    for (size_t i = 0; i < t->nfl;) {
        size_t j = i;
        while (j < t->nfl && t->fl[j].id == t->fl[i].id)
            j++;
        /* A lone "s": the coroutine was readied and the program ended
         * before it ran again. */
        int lone_start = j - i == 1 && !t->fl[i].finish;
        if (!lone_start &&
            (j - i != 2 || t->fl[i].finish || !t->fl[i + 1].finish))
            a->unmatched_flows++;
        i = j;
    }
}

static int by_tid(const void *a, const void *b)
{
    const trace_worker *x = a, *y = b;
    return (x->tid > y->tid) - (x->tid < y->tid);
}

static int by_duration(const void *a, const void *b)
{
    const block *x = a, *y = b;
    if (x->dur != y->dur)
        return x->dur > y->dur ? -1 : 1;
    return (x->ts > y->ts) - (x->ts < y->ts);
}

static const trace *site_trace;

static int by_site_time(const void *a, const void *b)
{
    const site_sum *x = a, *y = b;
    int64_t tx = x->run + x->blocked, ty = y->run + y->blocked;
    if (tx != ty)
        return tx > ty ? -1 : 1;
    return strcmp(site_trace->sites.s[x->site], site_trace->sites.s[y->site]);
}

static void analyse(trace *t, analysis *a)
{
    a->sites = xrealloc(NULL, t->sites.n * sizeof *a->sites);
    for (size_t i = 0; i < t->sites.n; i++) {
        a->sites[i] = (site_sum){.site = (int)i};
        a->sites[i].by_reason = calloc(t->reasons.n + 1, sizeof(int64_t));
        a->sites[i].blocks = calloc(t->reasons.n + 1, sizeof(size_t));
        if (!a->sites[i].by_reason || !a->sites[i].blocks)
            oom();
    }
    coroutine_times(t, a);
    worker_times(t, a);
    check_flows(t, a);
    qsort(t->w, t->nw, sizeof *t->w, by_tid);
    if (a->nblocks)
        qsort(a->blocks, a->nblocks, sizeof *a->blocks, by_duration);
    site_trace = t;
    qsort(a->sites, t->sites.n, sizeof *a->sites, by_site_time);
}

/* ---- the summary ---- */

/* ns as milliseconds with three decimals, exactly (no binary rounding). */
static const char *ms(int64_t ns, char buf[32])
{
    int64_t us = (ns + (ns >= 0 ? 500 : -500)) / 1000;
    snprintf(buf, 32, "%s%lld.%03lld", us < 0 ? "-" : "",
             (long long)(llabs(us) / 1000), (long long)(llabs(us) % 1000));
    return buf;
}

static void print_workers(FILE *f, const trace *t)
{
    char b[32];
    int64_t span = t->t1 - t->t0;
    fprintf(f, "\n%-26s %12s %9s %7s %7s %7s %7s %7s\n", "workers", "busy ms",
            "busy", "slices", "creates", "steals", "polls", "idles");
    for (size_t i = 0; i < t->nw; i++) {
        const trace_worker *w = &t->w[i];
        char label[64];
        if (w->name)
            snprintf(label, sizeof label, "%.24s", w->name);
        else
            snprintf(label, sizeof label, "worker %d", w->tid);
        fprintf(f, "  %-24s %12s %8.1f%% %7zu %7zu %7zu %7zu %7zu\n", label,
                ms(w->busy, b), span > 0 ? 100.0 * (double)w->busy / (double)span : 0.0,
                w->slices, w->marks[MARK_CREATE], w->marks[MARK_STEAL],
                w->marks[MARK_POLL], w->marks[MARK_IDLE]);
    }
}

static const trace *reason_trace;
static const site_sum *reason_site;

/* Reasons that blocked the site's coroutines first, the longest first. */
static int by_reason_time(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    const site_sum *s = reason_site;
    if (!s->blocks[x] != !s->blocks[y])
        return s->blocks[x] ? -1 : 1;
    if (s->by_reason[x] != s->by_reason[y])
        return s->by_reason[x] > s->by_reason[y] ? -1 : 1;
    return strcmp(reason_trace->reasons.s[x], reason_trace->reasons.s[y]);
}

static size_t *reasons_by_time(const trace *t, const site_sum *s)
{
    size_t *order = xrealloc(NULL, t->reasons.n * sizeof *order);
    for (size_t r = 0; r < t->reasons.n; r++)
        order[r] = r;
    reason_trace = t;
    reason_site = s;
    qsort(order, t->reasons.n, sizeof *order, by_reason_time);
    return order;
}

static void print_sites(FILE *f, const trace *t, const analysis *a)
{
    char b1[32], b2[32];
    fprintf(f, "\nspawn sites (by running + blocked time)\n");
    fprintf(f, "  %-32s %10s %12s %12s\n", "site", "coroutines", "running ms",
            "blocked ms");
    for (size_t i = 0; i < t->sites.n; i++) {
        const site_sum *s = &a->sites[i];
        fprintf(f, "  %-32s %10zu %12s %12s\n", t->sites.s[s->site],
                s->coroutines, ms(s->run, b1), ms(s->blocked, b2));
        size_t *order = reasons_by_time(t, s);
        for (size_t k = 0; k < t->reasons.n && s->blocks[order[k]]; k++) {
            size_t r = order[k];
            fprintf(f, "      blocked on %-29s %12s %12s  %zu time%s\n",
                    t->reasons.s[r], "", ms(s->by_reason[r], b1), s->blocks[r],
                    s->blocks[r] == 1 ? "" : "s");
        }
        free(order);
        if (s->still_blocked)
            fprintf(f, "      %zu coroutine%s still blocked at the end\n",
                    s->still_blocked, s->still_blocked == 1 ? "" : "s");
    }
}

static void print_blocks(FILE *f, const trace *t, const analysis *a, size_t top)
{
    char b[32];
    if (!a->nblocks || !top)
        return;
    fprintf(f, "\nlongest blocks\n");
    fprintf(f, "  %12s  %-14s %-28s %9s  %s\n", "blocked ms", "reason", "at",
            "coroutine", "site");
    for (size_t i = 0; i < a->nblocks && i < top; i++) {
        const block *k = &a->blocks[i];
        fprintf(f, "  %12s  %-14s %-28s %9lld  %s%s\n", ms(k->dur, b),
                t->reasons.s[k->reason], k->at >= 0 ? t->locs.s[k->at] : "?",
                (long long)k->id, t->sites.s[k->site],
                k->to_end ? "  (until the end)" : "");
    }
}

static void print_summary(FILE *f, const trace *t, const analysis *a, size_t top)
{
    char b[32];
    fprintf(f, "trace %s: %zu worker%s, %zu coroutine%s, %zu slices, %s ms\n",
            t->path, t->nw, t->nw == 1 ? "" : "s", a->coroutines,
            a->coroutines == 1 ? "" : "s", t->nsl, ms(t->t1 - t->t0, b));
    print_workers(f, t);
    print_sites(f, t, a);
    print_blocks(f, t, a, top);
}

static void warn_inconsistencies(const trace *t, const analysis *a)
{
    char b[32];
    if (a->overlaps)
        fprintf(stderr, "goc trace: warning: %s: %zu slice%s overlap%s the one "
                "before on the same worker (first: worker %d at %s ms)\n",
                t->path, a->overlaps, a->overlaps == 1 ? "" : "s",
                a->overlaps == 1 ? "s" : "", a->overlap->tid,
                ms(a->overlap->ts - t->t0, b));
    if (a->unmatched_flows)
        fprintf(stderr, "goc trace: warning: %s: %zu flow id%s without exactly "
                "one \"s\" and one \"f\" event\n", t->path, a->unmatched_flows,
                a->unmatched_flows == 1 ? "" : "s");
}

/* ---- command line ---- */

typedef struct options {
    const char *html, *svg, *path;
    size_t top;
} options;

static int parse_options(int argc, char **argv, options *o)
{
    *o = (options){.top = 10};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            exit(GOC_EXIT_OK);
        }
        if ((strcmp(a, "--html") == 0 || strcmp(a, "--svg") == 0 ||
             strcmp(a, "--top") == 0) && i + 1 >= argc) {
            fprintf(stderr, "goc trace: %s needs a value\n", a);
            return GOC_EXIT_USER;
        }
        char *end;
        if (strcmp(a, "--html") == 0)
            o->html = argv[++i];
        else if (strcmp(a, "--svg") == 0)
            o->svg = argv[++i];
        else if (strcmp(a, "--top") == 0) {
            o->top = (size_t)strtoul(argv[++i], &end, 10);
            if (*end || !*argv[i] || argv[i][0] == '-') {
                fprintf(stderr, "goc trace: bad --top value '%s'\n", argv[i]);
                return GOC_EXIT_USER;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "goc trace: unknown option '%s'\n%s", a, usage);
            return GOC_EXIT_USER;
        } else if (o->path) {
            fprintf(stderr, "goc trace: one trace at a time ('%s' and '%s')\n",
                    o->path, a);
            return GOC_EXIT_USER;
        } else
            o->path = a;
    }
    if (!o->path) {
        fputs(usage, stderr);
        return GOC_EXIT_USER;
    }
    return GOC_EXIT_OK;
}

static int write_drawing(const char *out, const trace *t, const char *summary)
{
    FILE *f = fopen(out, "w");
    if (!f) {
        fprintf(stderr, "goc trace: cannot write %s: %s\n", out, strerror(errno));
        return GOC_EXIT_USER;
    }
    int rc = summary ? trace_draw_html(f, t, summary) : trace_draw_svg(f, t);
    if (fclose(f) != 0 || rc) {
        fprintf(stderr, "goc trace: cannot write %s\n", out);
        return GOC_EXIT_USER;
    }
    return GOC_EXIT_OK;
}

int trace_main(int argc, char **argv)
{
    options o;
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc;
    static trace t; /* static: what it points to stays reachable */
    static analysis a;
    t.path = o.path;
    if ((rc = load(&t)))
        return rc;
    analyse(&t, &a);
    warn_inconsistencies(&t, &a);
    char *summary = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&summary, &len);
    if (!mem)
        oom();
    print_summary(mem, &t, &a, o.top);
    fclose(mem);
    fputs(summary, stdout);
    if (fflush(stdout) != 0)
        rc = GOC_EXIT_USER;
    if (!rc && o.html)
        rc = write_drawing(o.html, &t, summary);
    if (!rc && o.svg)
        rc = write_drawing(o.svg, &t, NULL);
    free(summary);
    return rc;
}
