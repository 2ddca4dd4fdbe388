/*
 * rt.h - the runtime's private header, shared by its files and by nobody
 * else.  Internal cross-file names carry the rt_ prefix.
 *
 * Module map (one file per concept):
 *   ctx_*.S / ctx_ucontext.c   context switch, one file per architecture
 *   stack.c                    pooled coroutine stacks, overflow detection
 *   sched.c                    workers, run queues, stealing, park/ready
 *   timer.c                    the clock and one timer heap (callbacks)
 *   time.c                     sleep, goc_after, timers and tickers
 *   chan.c, select.c           channels and select
 *   sync.c                     mutex, rwmutex, cond, sema, waitgroup, once
 *   poll.c + poll_<backend>.c  the I/O poller (epoll, kqueue, poll)
 *   io.c, net.c                fd operations and TCP helpers
 *   print.c                    report buffers (rt_buf)
 *   env.c                      GOC_PROCS, GOC_STACK_SIZE, GOC_DEBUG, validated
 *   lsan.c                     LeakSanitizer roots: live coroutine stacks
 *   debug.c                    panic, deadlock report, SIGQUIT dump, schedtrace
 *   traceback.c                the reports' call stacks (unwind, addr2line)
 *   goc-gdb.py                 gdb support, carried in debug.o for auto-load
 *
 * The park/ready contract (sched.c provides it; chan, select, sync, timer and
 * the poller build on it):
 *
 *   rt_park(unlock, arg, reason, loc) suspends the running coroutine.  The
 *   scheduler calls unlock(arg) only after the coroutine's context has been
 *   saved, on the scheduler's own stack, so a waker that must take the same
 *   lock cannot call rt_ready() on a coroutine that is still running.
 *   rt_ready(g) makes a parked coroutine runnable exactly once per park; it
 *   may be called from any worker, or from a thread outside the scheduler.
 */
#ifndef GOC_RT_H
#define GOC_RT_H

#define GOC_NO_LOC_MACROS
#include "goc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#define RT_HIDDEN __attribute__((visibility("hidden")))

typedef struct rt_g rt_g; /* a coroutine; defined in sched.c */

/* Why a coroutine is parked: the deadlock detector counts the first group
 * as "asleep"; timers and I/O keep a program alive. */
enum rt_wait_reason {
    RT_WAIT_CHAN_SEND = 1,
    RT_WAIT_CHAN_RECV,
    RT_WAIT_SELECT,
    RT_WAIT_NIL_SEND,   /* send on a nil channel */
    RT_WAIT_NIL_RECV,   /* receive from a nil channel */
    RT_WAIT_SELECT_NONE,/* select {}, or every case on a nil channel */
    RT_WAIT_MUTEX,      /* goc_mutex_lock (and goc_once_do) */
    RT_WAIT_RWMUTEX_READ, /* goc_rwmutex_rlock */
    RT_WAIT_RWMUTEX,    /* goc_rwmutex_lock */
    RT_WAIT_COND,       /* goc_cond_wait */
    RT_WAIT_SEMAPHORE,  /* goc_sema_acquire */
    RT_WAIT_WAITGROUP,  /* goc_waitgroup_wait; the last that can deadlock */
    RT_WAIT_SLEEP,      /* timers: not a deadlock */
    RT_WAIT_IO,         /* poller: not a deadlock */
};

/* The reason as the dump, the deadlock report and the trace name it. */
static inline const char *rt_wait_reason_name(int reason)
{
    switch (reason) {
    case RT_WAIT_CHAN_SEND: return "chan send";
    case RT_WAIT_CHAN_RECV: return "chan receive";
    case RT_WAIT_SELECT: return "select";
    case RT_WAIT_NIL_SEND: return "chan send (nil chan)";
    case RT_WAIT_NIL_RECV: return "chan receive (nil chan)";
    case RT_WAIT_SELECT_NONE: return "select (no cases)";
    case RT_WAIT_MUTEX: return "mutex";
    case RT_WAIT_RWMUTEX_READ: return "rwmutex read";
    case RT_WAIT_RWMUTEX: return "rwmutex";
    case RT_WAIT_COND: return "cond";
    case RT_WAIT_SEMAPHORE: return "semaphore";
    case RT_WAIT_WAITGROUP: return "waitgroup";
    case RT_WAIT_SLEEP: return "sleep";
    case RT_WAIT_IO: return "IO wait";
    default: return "waiting";
    }
}

rt_g *rt_current(void);
/* Start the workers if they do not run yet (idempotent). */
void rt_sched_start(void);
/* The record a waiter stands for: the running coroutine, or on a plain
 * thread that thread's own record (a blocking operation there parks the
 * thread itself, as a Go program's cgo callback would). */
rt_g *rt_waiter_self(void);
void rt_park(void (*unlock)(void *), void *arg, enum rt_wait_reason reason,
             const goc_loc *loc);
void rt_ready(rt_g *g);

/* Spin lock for short critical sections (channel and sync-object state).
 * Zero is unlocked. */
void rt_lock(uint32_t *l);
void rt_unlock(uint32_t *l);
int rt_trylock(uint32_t *l); /* nonzero: taken */
void rt_unlock_cb(void *l); /* rt_unlock as a park callback */

/* Fast per-worker pseudo-random number (select's poll order). */
uint32_t rt_rand(void);

/* Broken invariant: print and abort, even in release builds. */
#define rt_assert(cond)                                                      \
    do {                                                                     \
        if (__builtin_expect(!(cond), 0))                                    \
            rt_throw(__FILE__, __LINE__, #cond);                             \
    } while (0)
GOC_NORETURN void rt_throw(const char *file, int line, const char *what);

/* A program error Go reports as "fatal error: msg" (not recoverable):
 * print it as a panic is printed, naming loc, and exit with status 2. */
GOC_NORETURN void rt_fatal_at(const char *msg, const goc_loc *loc);

/* Timers (timer.c).  A timer calls fn(arg) once `when` (an absolute
 * goc_now() time) has passed, from whichever thread runs due timers, with
 * no runtime lock held; fn must not block.  With period > 0 it fires again
 * every period.  Fill when, period, fn and arg, set idx to -1 and firing
 * to 0, then add it.  rt_timer_stop and rt_timer_reset return 1 when the
 * timer was pending, and return only once no call of fn for it is still
 * running (so the caller may free it). */
typedef struct rt_timer {
    int64_t when;
    int64_t period;
    void (*fn)(void *arg);
    void *arg;
    long idx;              /* heap index, -1 when not pending; heap lock */
    _Atomic int firing;    /* calls of fn in progress */
} rt_timer;

/* Before any timer: n staging rings (one per worker) and what wakes a
 * sleeper (the scheduler's rt_ready). */
void rt_timer_init(int n, void (*wake)(void *));
void rt_timer_add(rt_timer *t);
/* A sleeper's wake-up, never stopped: wake(g) once `when` has passed.
 * Called by worker r, whose ring takes it without the heap's lock;
 * rt_timer_next() counts it from the start.  Returns nonzero when `when`
 * is earlier than every other sleeper's not yet in the heap: only then
 * may a sleeping poller need rt_sched_timer_added (one that slept before
 * an earlier one was added has been told, and sleeps no longer than it). */
int rt_timer_sleep(int r, int64_t when, void *g);
/* The running worker's index, 0 .. procs - 1 (sched.c). */
int rt_worker_index(void);
int rt_timer_stop(rt_timer *t);
int rt_timer_reset(rt_timer *t, int64_t when, int64_t period);
/* goc_now() + d, clamped: d < 0 counts as 0, and never INT64_MAX. */
int64_t rt_deadline(int64_t d);
/* The scheduler's hook: a timer due at `when` was added (wakes the poller
 * when it sleeps past it). */
void rt_sched_timer_added(int64_t when);

/* Poller hooks (poll.c), called by the scheduler's idle path.
 * rt_poll(timeout): wait up to timeout ns (-1: forever, 0: just look) and
 * rt_ready() every coroutine whose fd became ready; returns how many.
 * rt_poll_wakeup(): make a concurrent blocking rt_poll return early.
 * rt_poll_waiting(): coroutines parked in I/O now (keeps deadlock detection
 * quiet). */
void rt_poll_init(void);
/* What the poller asks the scheduler, given by sched.c before the first
 * coroutine exists (the poller sits below the scheduler). */
typedef struct rt_poll_sched {
    rt_g *(*current)(void);
    void (*park)(void (*unlock)(void *), void *arg,
                 enum rt_wait_reason reason, const goc_loc *loc);
    void (*ready_batch)(rt_g **gs, int n);
} rt_poll_sched;
void rt_poll_set_sched(const rt_poll_sched *s);
int rt_poll(int64_t timeout);
void rt_poll_wakeup(void);
long rt_poll_waiting(void);
/* rt_ready() for n coroutines that became ready together (one poll's
 * events), in that order (sched.c queues the batch FIFO through the global
 * queue with one lock and one wake-up: fairer under many connections than
 * pushing each onto the poller's own LIFO ring). */
void rt_ready_batch(rt_g **gs, int n);
/* In a forked child: a new poller, every descriptor's waiters dropped. */
void rt_poll_fork_child(void);
/* Called by the idle poller before its last look at the queues: a wake-up
 * sent after it is never merged with one already consumed. */
void rt_poll_rearm(void);

#endif /* GOC_RT_H */
