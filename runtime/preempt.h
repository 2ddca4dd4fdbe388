/*
 * preempt.h - time slices for coroutines (preempt.c; docs/runtime.md,
 * "Preemption").  Private to the scheduler core.
 *
 * Each worker has a slot.  The worker stores in `run` a new sequence
 * number whenever it switches to a coroutine, and 0 when it switches to
 * its own context (g0).  sysmon (rt_preempt_monitor) watches the slots:
 * when one holds the same run for a whole slice it stores that run in
 * `want` and raises goc_preempt_pending, which makes every check that goc
 * emitted into .goc code call goc_preempt_check().  The check yields only
 * on the worker whose `want` equals its `run`; a request that outlives
 * its run, or that the worker does not honour within RT_RETRACT_NS of its
 * thread's CPU time (the coroutine is in plain C code), is withdrawn, so
 * the other workers' checks go back to the fast path.  (Counting wall
 * time instead starved coroutines on a loaded machine, where a worker may
 * wait tens of milliseconds for a CPU.)
 *
 * A request withdrawn that way becomes an asynchronous one when the
 * program has pure recursive .goc code (goc.h, GOC_ASYNC_FN): sysmon
 * stores the run in `async` and sends the worker's thread SIGURG, up to
 * RT_ASYNC_TRIES times a millisecond apart; the handler yields if the
 * thread was stopped in that code, at any instruction.
 */
#ifndef GOC_PREEMPT_H
#define GOC_PREEMPT_H

#include "ctx.h"

#include <stdalign.h>

#define RT_SLICE_NS (10 * (int64_t)1000000)  /* Go's forcePreemptNS */
#define RT_RETRACT_NS (1 * (int64_t)1000000) /* of the worker's CPU time */
#define RT_ASYNC_TRIES 4

typedef struct rt_pslot {
    alignas(64) _Atomic uint32_t run; /* owner stores; sysmon reads */
    uint32_t seq;                     /* owner only */
    _Atomic uint32_t want;            /* sysmon stores; 0: no request */
    _Atomic uint32_t async; /* the run SIGURG may stop (preempt.c) */
} rt_pslot;

extern rt_pslot *rt_pslots RT_HIDDEN;

/* yield: the scheduler's way to end the running coroutine's slice, called
 * on a worker whose request a check honours. */
void rt_preempt_init(int nprocs, void (*yield)(void));
/* A worker thread starts scheduling: remember its index and its normal
 * signal mask (a different mask is how a signal handler is recognised). */
void rt_preempt_thread_init(int index);
/* sysmon, every round: ask for the end of runs longer than a slice.
 * Returns the number of requests now outstanding. */
int rt_preempt_monitor(int64_t now);

/* g_switch: worker `index` now runs a coroutine (1) or its g0 (0). */
static inline void rt_preempt_switch(int index, int to_coroutine)
{
    rt_pslot *p = &rt_pslots[index];
    uint32_t s = 0;
    if (to_coroutine && (s = ++p->seq) == 0)
        s = p->seq = 1;
    atomic_store_explicit(&p->run, s, memory_order_relaxed);
}

#endif /* GOC_PREEMPT_H */
