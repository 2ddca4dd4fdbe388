/*
 * preempt.c - the other half of goc's preemption checks: the requests
 * that sysmon makes and the slow path of GOC_PREEMPT_POLL() (preempt.h
 * describes the protocol; docs/runtime.md, "Preemption", the design).
 *
 * Only .goc code is checked.  A coroutine in plain C is never switched
 * asynchronously: C code may hold a lock that libc ties to its thread,
 * keep errno or a thread-local address in a register, or be a signal
 * handler, and it may resume on another worker.  The checks themselves
 * are placed where a call could be (function entries, loop iterations),
 * so a yield there is what goc_yield() would be: only the time of the
 * switch is new, never what the program means.
 */
#define _GNU_SOURCE
#include "preempt.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

int goc_preempt_pending;
rt_pslot *rt_pslots;

/* The worker this thread is (-1: none) and its normal signal mask. */
static __thread int tls_index = -1;
static __thread sigset_t tls_mask;

/* sysmon's view of each worker (sysmon only). */
static struct mon {
    uint32_t run;
    int64_t since; /* when `run` began, at the latest */
    int64_t asked; /* when the request was made */
    int64_t cpu;   /* the worker thread's CPU time then (-1: unknown) */
} *mon;
/* Each worker thread's CPU-time clock, + 1 (0: not known yet). */
static _Atomic int *clocks;
static int nmon;
static int64_t last_round; /* when sysmon last looked */
static void (*sched_yield_fn)(void); /* the scheduler's preempt_yield */

static void after_fork_child(void)
{
    /* sysmon is gone with its thread; so are the requests it made. */
    __atomic_store_n(&goc_preempt_pending, 0, __ATOMIC_RELAXED);
    for (int i = 0; i < nmon; i++)
        atomic_store_explicit(&rt_pslots[i].want, 0, memory_order_relaxed);
}

void rt_preempt_init(int nprocs, void (*yield)(void))
{
    sched_yield_fn = yield;
    rt_pslots = aligned_alloc(64, (size_t)nprocs * sizeof *rt_pslots);
    mon = calloc((size_t)nprocs, sizeof *mon);
    clocks = calloc((size_t)nprocs, sizeof *clocks);
    rt_assert(rt_pslots && mon && clocks);
    memset(rt_pslots, 0, (size_t)nprocs * sizeof *rt_pslots);
    nmon = nprocs;
    pthread_atfork(NULL, NULL, after_fork_child);
}

void rt_preempt_thread_init(int index)
{
    pthread_sigmask(SIG_SETMASK, NULL, &tls_mask);
    clockid_t c;
    if (pthread_getcpuclockid(pthread_self(), &c) == 0)
        atomic_store(&clocks[index], (int)c + 1);
    tls_index = index;
}

/* Withdraw request `want` from p; 1 if this call did. */
static int take(rt_pslot *p, uint32_t want)
{
    if (!atomic_compare_exchange_strong(&p->want, &want, 0))
        return 0;
    __atomic_fetch_sub(&goc_preempt_pending, 1, __ATOMIC_SEQ_CST);
    return 1;
}

/* CPU time used by worker i's thread, -1 when unknown. */
static int64_t thread_cpu(int i)
{
    int c = atomic_load_explicit(&clocks[i], memory_order_relaxed);
    struct timespec ts;
    if (!c || clock_gettime((clockid_t)(c - 1), &ts) != 0)
        return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Has worker i had time to honour the request in m?  It has when its
 * thread used RT_RETRACT_NS of CPU since (a coroutine that does so without
 * reaching a check is in plain C); wall time alone says little on a
 * loaded machine, where a thread may wait tens of milliseconds for a CPU. */
static int ignored(int i, const struct mon *m, int64_t now)
{
    int64_t cpu = m->cpu >= 0 ? thread_cpu(i) : -1;
    if (cpu >= 0)
        return cpu - m->cpu >= RT_RETRACT_NS;
    return now - m->asked >= RT_SLICE_NS;
}

int rt_preempt_monitor(int64_t now)
{
    int asked = 0;
    /* A run first seen now began after the previous round: count from
     * there, so that a late round (a loaded machine) does not add its
     * delay to the slice. */
    int64_t began = last_round ? last_round : now;
    last_round = now;
    for (int i = 0; i < nmon; i++) {
        rt_pslot *p = &rt_pslots[i];
        struct mon *m = &mon[i];
        uint32_t run = atomic_load_explicit(&p->run, memory_order_relaxed);
        if (run != m->run) {
            m->run = run;
            m->since = began;
        }
        uint32_t want = atomic_load_explicit(&p->want, memory_order_relaxed);
        if (want) {
            if (want != run || ignored(i, m, now))
                asked -= take(p, want);
            asked++;
            continue;
        }
        if (run && now - m->since >= RT_SLICE_NS) {
            atomic_store_explicit(&p->want, run, memory_order_relaxed);
            __atomic_fetch_add(&goc_preempt_pending, 1, __ATOMIC_SEQ_CST);
            m->asked = m->since = now;
            m->cpu = thread_cpu(i);
            asked++;
        }
    }
    return asked;
}

/* The thread runs with its worker's normal signal mask: not inside a
 * signal handler (which blocks at least its own signal), nor in code that
 * blocked signals on purpose. */
static int normal_mask(void)
{
    sigset_t cur;
    if (pthread_sigmask(SIG_SETMASK, NULL, &cur) != 0)
        return 0;
    for (int s = 1; s < 65; s++)
        if (sigismember(&cur, s) != sigismember(&tls_mask, s))
            return 0;
    return 1;
}

void goc_preempt_check(void)
{
    int i = tls_index;
    if (i < 0)
        return; /* a plain thread, a constructor, sysmon */
    rt_pslot *p = &rt_pslots[i];
    uint32_t want = atomic_load_explicit(&p->want, memory_order_relaxed);
    if (!want)
        return; /* another worker's request */
    if (want != atomic_load_explicit(&p->run, memory_order_relaxed)) {
        take(p, want); /* its run has ended */
        return;
    }
    if (!normal_mask() || !take(p, want))
        return;
    sched_yield_fn();
}
