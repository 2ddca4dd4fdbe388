/*
 * exectrace.h - the execution trace recorder (exectrace.c; docs/runtime.md,
 * "Execution trace").  Private to the scheduler core.
 *
 * With GOC_TRACE=path the scheduler records its events, with timestamps,
 * into one buffer per worker (plus one, locked, for other threads), and
 * the whole trace is written to path in the Chrome trace-event JSON format
 * at exit, on SIGQUIT and on a fatal error.  Without it every event site
 * costs one load and one predictable branch: RT_TRACE(call).
 */
#ifndef GOC_EXECTRACE_H
#define GOC_EXECTRACE_H

#include "ctx.h"

extern int rt_trace_on RT_HIDDEN;

#define RT_TRACE(call)                                                       \
    do {                                                                     \
        if (__builtin_expect(rt_trace_on, 0))                                \
            call;                                                            \
    } while (0)

/* Why a run ended: a park's enum rt_wait_reason (1..), or one of these. */
enum { RT_TEND_YIELD = 100, RT_TEND_SPAWN, RT_TEND_EXIT };

/* `worker` is the recording worker's index, -1 on any other thread. */
void rt_trace_init(int nprocs);
/* A switch on worker w: `from`'s run ends for reason `end` (from may be
 * NULL: g0), `to`'s begins (to may be NULL). */
void rt_trace_switch(int w, rt_g *from, int end, rt_g *to);
void rt_trace_create(int w, const rt_g *parent, const rt_g *g);
/* g, parked, is made runnable by the caller (waker: the running
 * coroutine, or NULL). */
void rt_trace_unpark(int w, const rt_g *waker, rt_g *g);
void rt_trace_idle(int w);
/* Worker w took n coroutines from worker victim's queue. */
void rt_trace_steal(int w, int victim, int n);
void rt_trace_poll(int w, int n);
/* The coroutine running on w is being preempted (its next end is a
 * preemption); rt_trace_preempt_done after its yield returns. */
void rt_trace_preempt(int w, uint64_t id);
void rt_trace_preempt_done(int w);
/* Write the trace now (async-signal-safe; a concurrent call skips). */
void rt_trace_write(void);

#endif /* GOC_EXECTRACE_H */
