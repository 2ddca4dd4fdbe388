/*
 * print.c - async-signal-safe message building for the runtime's reports
 * (panics, fatal errors, the deadlock report, the SIGQUIT dump, the stack
 * overflow report, schedtrace) and the flag a fatal report raises.
 *
 * Everything writes with write(2) through an rt_buf, never stdio, so it
 * works inside signal handlers and while other threads hold stdio locks.
 * It sits below every other runtime file and calls none of them: a fatal
 * report first calls the hook that exectrace.c registers with GOC_TRACE
 * (rt_fatal_hook), which writes the trace by the same write(2)-only means.
 */
#include "ctx.h"

#include <string.h>
#include <unistd.h>

/* Set when a fatal report begins: goc_main then never exits with main's
 * status, so the report's exit status 2 wins a race with main returning. */
_Atomic int rt_dying;

static void (*_Atomic fatal_hook)(void);

void rt_fatal_hook(void (*fn)(void)) { atomic_store(&fatal_hook, fn); }

void rt_fatal_begin(void)
{
    atomic_store(&rt_dying, 1);
    void (*fn)(void) = atomic_load(&fatal_hook);
    if (fn)
        fn(); /* GOC_TRACE: the events up to the failure */
}

void rt_buf_flush(rt_buf *b)
{
    size_t off = 0;
    while (off < b->n) {
        ssize_t k = write(2, b->b + off, b->n - off);
        if (k <= 0)
            break;
        off += (size_t)k;
    }
    b->n = 0;
}

void rt_buf_str(rt_buf *b, const char *s)
{
    if (!s)
        s = "?";
    for (; *s; s++) {
        if (b->n == sizeof b->b)
            rt_buf_flush(b);
        b->b[b->n++] = *s;
    }
}

void rt_buf_u64(rt_buf *b, uint64_t v)
{
    char tmp[24];
    int i = (int)sizeof tmp;
    tmp[--i] = 0;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    rt_buf_str(b, tmp + i);
}

void rt_buf_loc(rt_buf *b, const goc_loc *loc)
{
    if (!loc || !loc->file) {
        rt_buf_str(b, "?");
        return;
    }
    rt_buf_str(b, loc->file);
    rt_buf_str(b, ":");
    rt_buf_u64(b, (uint64_t)(loc->line > 0 ? loc->line : 0));
}

void rt_buf_created(rt_buf *b, const rt_g *g)
{
    if (g && g->id == 1)
        rt_buf_str(b, "program start (main)");
    else
        rt_buf_loc(b, g ? &g->go_loc : NULL);
}
