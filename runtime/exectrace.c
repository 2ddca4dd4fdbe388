/*
 * exectrace.c - GOC_TRACE=path: the execution trace (exectrace.h; the file format
 * is in docs/runtime.md, "Execution trace", and `goc trace` reads it).
 *
 * Recording: each worker appends fixed-size events to its own buffer, a
 * list of chunks that only grows; the count is published with a release
 * store after the event is written, so a reader that loads it (acquire)
 * sees whole events while the workers carry on.  Threads that are not
 * workers (sysmon firing timers, plain threads spawning or readying) share
 * one more buffer under a lock.  A buffer that reaches RT_TRACE_MAX events
 * drops the rest and says how many in the file.
 *
 * Writing: straight to the file with write(2) from a static buffer, with
 * our own number formatting, so that the SIGQUIT handler and the fatal
 * error paths can write too; one writer at a time (a second one skips).
 * At exit the trace is complete; runs still in progress end at the time
 * of writing with "end": "running".
 */
#define _GNU_SOURCE
#include "exectrace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <string.h>
#include <unistd.h>

enum { EV_START = 1, EV_STOP, EV_CREATE, EV_UNPARK, EV_IDLE, EV_STEAL,
       EV_POLL, EV_PREEMPT };
enum { CHUNK = 16384, MAX_CHUNKS = 64 }; /* 1M events (48 MB) per buffer */

typedef struct tev {
    int64_t ts;
    uint64_t id, id2, flow;
    const char *file;       /* start, create: spawn site */
    const goc_loc *at;      /* stop: where it parked */
    int32_t line;
    uint8_t type, end;
} tev;

typedef struct tbuf {
    alignas(64) _Atomic uint64_t n;
    _Atomic uint64_t dropped;
    uint32_t lock; /* the shared buffer only */
    int preempted; /* owner: the next stop is a preemption */
    tev *chunk[MAX_CHUNKS];
} tbuf;

int rt_trace_on;
static tbuf *bufs; /* nprocs workers, then the shared one */
static int nbufs;
static char *path;
static int64_t t0;
static _Atomic uint64_t flows;
static _Atomic int writing;

void rt_trace_init(int nprocs)
{
    const char *p = getenv("GOC_TRACE");
    if (!p || !*p)
        return;
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) { /* say so now, not after the whole run */
        rt_fatal_begin();
        rt_buf e = {.n = 0};
        rt_buf_str(&e, "goc: cannot write GOC_TRACE='");
        rt_buf_str(&e, p);
        rt_buf_str(&e, "': ");
        rt_buf_str(&e, strerror(errno));
        rt_buf_str(&e, "\n");
        rt_buf_flush(&e);
        _exit(2);
    }
    close(fd);
    path = strdup(p);
    nbufs = nprocs + 1;
    bufs = aligned_alloc(64, (size_t)nbufs * sizeof *bufs);
    rt_assert(path && bufs);
    memset(bufs, 0, (size_t)nbufs * sizeof *bufs);
    t0 = goc_now();
    atexit(rt_trace_write);
    rt_fatal_hook(rt_trace_write);
    rt_trace_on = 1;
}

static tev *slot(tbuf *b)
{
    uint64_t n = atomic_load_explicit(&b->n, memory_order_relaxed);
    uint64_t c = n / CHUNK;
    if (c >= MAX_CHUNKS) {
        atomic_fetch_add_explicit(&b->dropped, 1, memory_order_relaxed);
        return NULL;
    }
    if (!b->chunk[c] && !(b->chunk[c] = malloc(CHUNK * sizeof(tev)))) {
        atomic_fetch_add_explicit(&b->dropped, 1, memory_order_relaxed);
        return NULL;
    }
    return &b->chunk[c][n % CHUNK];
}

static void put(int w, tev e)
{
    tbuf *b = &bufs[w >= 0 && w < nbufs - 1 ? w : nbufs - 1];
    int shared = b == &bufs[nbufs - 1];
    if (shared)
        rt_lock(&b->lock);
    tev *s = slot(b);
    if (s) {
        e.ts = goc_now();
        *s = e;
        atomic_store_explicit(&b->n, atomic_load_explicit(&b->n,
                              memory_order_relaxed) + 1, memory_order_release);
    }
    if (shared)
        rt_unlock(&b->lock);
}

void rt_trace_switch(int w, rt_g *from, int end, rt_g *to)
{
    if (from) {
        tbuf *b = &bufs[w];
        if (b->preempted && end == RT_TEND_YIELD)
            end = 0; /* written as "preempt" */
        b->preempted = 0;
        put(w, (tev){.type = EV_STOP, .id = from->id, .end = (uint8_t)end,
                     .at = end < RT_TEND_YIELD ? from->wait_loc : NULL});
    }
    if (to) {
        uint64_t flow = to->trace_flow;
        to->trace_flow = 0;
        put(w, (tev){.type = EV_START, .id = to->id, .flow = flow,
                     .file = to->go_loc.file, .line = to->go_loc.line});
    }
}

void rt_trace_create(int w, const rt_g *parent, const rt_g *g)
{
    put(w, (tev){.type = EV_CREATE, .id = g->id, .id2 = parent ? parent->id : 0,
                 .file = g->go_loc.file, .line = g->go_loc.line});
}

void rt_trace_unpark(int w, const rt_g *waker, rt_g *g)
{
    uint64_t flow = atomic_fetch_add_explicit(&flows, 1, memory_order_relaxed) + 1;
    g->trace_flow = flow;
    put(w, (tev){.type = EV_UNPARK, .id = g->id, .id2 = waker ? waker->id : 0,
                 .flow = flow});
}

void rt_trace_idle(int w) { put(w, (tev){.type = EV_IDLE}); }

void rt_trace_steal(int w, int victim, int n)
{
    put(w, (tev){.type = EV_STEAL, .id2 = (uint64_t)victim, .id = (uint64_t)n});
}

void rt_trace_poll(int w, int n)
{
    put(w, (tev){.type = EV_POLL, .id2 = (uint64_t)n});
}

void rt_trace_preempt(int w, uint64_t id)
{
    bufs[w].preempted = 1;
    put(w, (tev){.type = EV_PREEMPT, .id = id});
}

void rt_trace_preempt_done(int w)
{
    if (w >= 0 && w < nbufs - 1)
        bufs[w].preempted = 0;
}

/* ---- writing ----------------------------------------------------------- */

static struct out {
    int fd;
    size_t n;
    char b[65536];
} O;

static void flush(void)
{
    for (size_t off = 0; off < O.n;) {
        ssize_t k = write(O.fd, O.b + off, O.n - off);
        if (k <= 0)
            break;
        off += (size_t)k;
    }
    O.n = 0;
}

static void ch(char c)
{
    if (O.n == sizeof O.b)
        flush();
    O.b[O.n++] = c;
}

static void str(const char *s)
{
    while (*s)
        ch(*s++);
}

static void u64(uint64_t v)
{
    char d[24];
    int k = 0;
    do
        d[k++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (k)
        ch(d[--k]);
}

/* Nanoseconds since the start as microseconds with three decimals. */
static void us(int64_t ns)
{
    if (ns < 0)
        ns = 0;
    u64((uint64_t)ns / 1000);
    ch('.');
    int r = (int)((uint64_t)ns % 1000);
    ch((char)('0' + r / 100));
    ch((char)('0' + r / 10 % 10));
    ch((char)('0' + r % 10));
}

static void jstr(const char *s)
{
    static const char hex[] = "0123456789abcdef";
    ch('"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            ch('\\');
            ch((char)c);
        } else if (c < 0x20) {
            str("\\u00");
            ch(hex[c >> 4]);
            ch(hex[c & 15]);
        } else {
            ch((char)c);
        }
    }
    ch('"');
}

static const char *end_name(int end)
{
    switch (end) {
    case 0: return "preempt";
    case RT_TEND_YIELD: return "yield";
    case RT_TEND_SPAWN: return "go";
    case RT_TEND_EXIT: return "exit";
    case RT_WAIT_IO: return "fd";
    /* The format has no nil-channel reasons: the operation's own. */
    case RT_WAIT_NIL_SEND: return "chan send";
    case RT_WAIT_NIL_RECV: return "chan receive";
    case RT_WAIT_SELECT_NONE: return "select";
    default: return rt_wait_reason_name(end);
    }
}

static int first_event;

/* `{"ph":..,"pid":1,"tid":tid,"ts":..` : the caller closes the object. */
static void ev_head(const char *ph, const char *name, int tid, int64_t ts)
{
    str(first_event ? "\n" : ",\n");
    first_event = 0;
    str("{\"ph\":\"");
    str(ph);
    str("\",\"name\":");
    jstr(name);
    str(",\"pid\":1,\"tid\":");
    u64((uint64_t)tid);
    str(",\"ts\":");
    us(ts - t0);
}

/* "file:line", or "file" alone without a line (main's "main"). */
static void ev_loc(const char *file, int line)
{
    jstr(file ? file : "?");
    if (line <= 0)
        return;
    O.n--; /* reopen the string for ":line" */
    ch(':');
    u64((uint64_t)line);
    ch('"');
}

static void site(const tev *e) { ev_loc(e->file, e->line); }

static void run_slice(int tid, const tev *s, int64_t end_ts, const char *end,
                      const goc_loc *at)
{
    str(first_event ? "\n" : ",\n");
    first_event = 0;
    str("{\"ph\":\"X\",\"name\":");
    site(s);
    str(",\"cat\":\"coroutine\",\"pid\":1,\"tid\":");
    u64((uint64_t)tid);
    str(",\"ts\":");
    us(s->ts - t0);
    str(",\"dur\":");
    us(end_ts - s->ts);
    str(",\"args\":{\"id\":");
    u64(s->id);
    str(",\"end\":");
    jstr(end);
    if (at && at->file) {
        str(",\"at\":");
        ev_loc(at->file, at->line);
    }
    str("}}");
}

static void instant(int tid, const tev *e, const char *name)
{
    ev_head("i", name, tid, e->ts);
    str(",\"s\":\"t\",\"args\":{");
    switch (e->type) {
    case EV_CREATE:
        str("\"id\":");
        u64(e->id);
        str(",\"parent\":");
        u64(e->id2);
        str(",\"site\":");
        site(e);
        break;
    case EV_STEAL:
        str("\"from\":");
        u64(e->id2);
        str(",\"n\":");
        u64(e->id);
        break;
    case EV_POLL:
        str("\"n\":");
        u64(e->id2);
        break;
    case EV_PREEMPT:
        str("\"id\":");
        u64(e->id);
        break;
    }
    str("}}");
}

static void flow(const char *ph, int tid, const tev *e, uint64_t g, uint64_t by)
{
    ev_head(ph, "unpark", tid, e->ts);
    str(",\"cat\":\"unpark\",\"id\":");
    u64(e->flow);
    if (ph[0] == 'f')
        str(",\"bp\":\"e\"");
    str(",\"args\":{\"id\":");
    u64(g);
    str(",\"by\":");
    u64(by);
    str("}}");
}

static void write_buf(int tid, tbuf *b, int64_t now)
{
    uint64_t n = atomic_load_explicit(&b->n, memory_order_acquire);
    const tev *open = NULL;
    for (uint64_t i = 0; i < n; i++) {
        const tev *e = &b->chunk[i / CHUNK][i % CHUNK];
        switch (e->type) {
        case EV_START:
            open = e;
            if (e->flow)
                flow("f", tid, e, e->id, 0);
            break;
        case EV_STOP:
            if (open && open->id == e->id)
                run_slice(tid, open, e->ts, end_name(e->end), e->at);
            open = NULL;
            break;
        case EV_UNPARK: flow("s", tid, e, e->id, e->id2); break;
        case EV_CREATE: instant(tid, e, "create"); break;
        case EV_IDLE: instant(tid, e, "idle"); break;
        case EV_STEAL: instant(tid, e, "steal"); break;
        case EV_POLL: instant(tid, e, "poll"); break;
        case EV_PREEMPT: instant(tid, e, "preempt"); break;
        }
    }
    if (open)
        run_slice(tid, open, now, "running", NULL);
}

/* A metadata event `what` naming track tid (or the process, tid < 0):
 * name, followed by w unless w < 0. */
static void meta(const char *what, int tid, const char *name, int w)
{
    str(first_event ? "\n" : ",\n");
    first_event = 0;
    str("{\"ph\":\"M\",\"name\":\"");
    str(what);
    str("\",\"pid\":1");
    if (tid >= 0) {
        str(",\"tid\":");
        u64((uint64_t)tid);
    }
    str(",\"args\":{\"name\":");
    jstr(name);
    if (w >= 0) {
        O.n--;
        u64((uint64_t)w);
        ch('"');
    }
    str("}}");
}

void rt_trace_write(void)
{
    if (!rt_trace_on || atomic_exchange(&writing, 1))
        return;
    int64_t now = goc_now();
    O.n = 0;
    O.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (O.fd >= 0) {
        first_event = 1;
        str("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"goc_trace_version\":1,"
            "\"generator\":\"goc " GOC_VERSION_STRING "\",\"procs\":");
        u64((uint64_t)(nbufs - 1));
        uint64_t dropped = 0;
        for (int i = 0; i < nbufs; i++)
            dropped += atomic_load(&bufs[i].dropped);
        str(",\"dropped\":");
        u64(dropped);
        str("},\"traceEvents\":[");
        meta("process_name", -1, program_invocation_short_name, -1);
        for (int i = 0; i < nbufs - 1; i++)
            meta("thread_name", i, "worker ", i);
        meta("thread_name", nbufs - 1, "other threads", -1);
        for (int i = 0; i < nbufs; i++)
            write_buf(i, &bufs[i], now);
        str("\n]}\n");
        flush();
        close(O.fd);
    }
    atomic_store(&writing, 0);
}
