/*
 * ctx.h - private to the scheduler core: the context switch, coroutine
 * records (rt_g), stacks, workers, timers and the debugging hooks.  Shared
 * by sched.c, stack.c, timer.c, debug.c and the ctx_* files; the rest of
 * the runtime sees only rt.h.
 */
#ifndef GOC_CTX_H
#define GOC_CTX_H

#include "rt.h"

#include <pthread.h>
#include <stdbool.h>

#if defined(__SANITIZE_ADDRESS__)
#define RT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RT_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define RT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RT_TSAN 1
#endif
#endif
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#define RT_VALGRIND 1
#endif
#endif

/* ---- context switch (ctx_<arch>.S, ctx_ucontext.c) ------------------- */

/* Save the running context into *save, resume the one at `to`. */
void rt_ctx_switch(void **save, void *to);
/* A new context on [lo, top) that starts by calling fn(arg), which must
 * never return. */
void *rt_ctx_make(void *lo, void *top, void (*fn)(void *), void *arg);

/* ---- low level (lock.c) --------------------------------------------- */

/* Sleep while *addr == val, at most timeout_ns (-1: no limit); spurious
 * returns are allowed.  Wake up to n sleepers on addr. */
void rt_futex_wait(_Atomic uint32_t *addr, uint32_t val, int64_t timeout_ns);
void rt_futex_wake(_Atomic uint32_t *addr, int n);
void rt_cpu_relax(void);

/* ---- coroutines ------------------------------------------------------ */

enum rt_gstate {
    RT_G_FREE = 0, /* the slot holds no coroutine */
    RT_G_RUNNABLE, /* in a run queue or a runnext slot */
    RT_G_RUNNING,
    RT_G_PARKED,
};

/*
 * A coroutine.  It lives at the top of its own stack slot (stack.c), so a
 * spawn allocates nothing else and a blocked coroutine's hot data shares a
 * page with its newest frames.  Fields are written by the coroutine itself
 * or by the worker running it; `state` is atomic because the SIGQUIT dump,
 * the deadlock report and rt_ready's exactly-once check read it elsewhere.
 */
struct rt_g {
    void *sp;               /* saved context while not running */
    _Atomic int state;      /* enum rt_gstate */
    int wait_reason;        /* enum rt_wait_reason, while parked */
    uint64_t id;
    goc_fn fn;
    void *arg;
    goc_loc go_loc;         /* spawn site (copied) */
    const goc_loc *wait_loc;/* blocking site, while parked */
    rt_g *link;             /* global queue, stack free lists */
    char *stack_lo;         /* lowest usable byte; canary there */
    size_t stack_size;      /* bytes from stack_lo to this record */
    void *asan_fake;        /* sanitizer and valgrind bookkeeping */
    void *tsan_fiber;
    unsigned vg_id;
    int guarded;            /* a guard region or page lies below stack_lo */
    unsigned epoch;         /* stack.c: slots of an older epoch are gone */
    uint64_t trace_flow;    /* GOC_TRACE: the unpark awaiting its run */
};

/* A record with no stack stands for a plain thread waiting in the runtime
 * (sched.c, "plain threads"); keeping the flag out of rt_g keeps the record
 * within its 128 bytes. */
static inline bool rt_g_is_thread(const rt_g *g) { return g->stack_lo == NULL; }

/* The last 8 bytes of every stack slot, just above its rt_g, hold this
 * word, and so does the word just below stack_lo of a stack without a
 * guard, which is checked on every switch away from the stack. */
#define RT_STACK_CANARY 0x9e3779b97f4a7c15ull

/* ---- stacks (stack.c) ------------------------------------------------ */

#define RT_STACK_CACHE 64 /* per-worker cache of free stacks */

typedef struct rt_stack_cache {
    int n;
    rt_g *slot[RT_STACK_CACHE]; /* LIFO: slot[n - 1] is the warmest */
} rt_stack_cache;

/* cur: the running coroutine (the overflow handler asks). */
void rt_stack_init(rt_g *(*cur)(void));
size_t rt_stack_size(void); /* GOC_STACK_SIZE as applied */
int rt_stack_grade(void);   /* new slabs: 2 guard regions, 1 pages, 0 canaries */
rt_g *rt_stack_get(rt_stack_cache *c);
void rt_stack_put(rt_stack_cache *c, rt_g *g);
/* Return pooled stacks that stayed idle for a whole period to the system
 * (the monitor thread calls it; see stack.c).  Nonzero: call again later. */
int rt_stack_scavenge(int64_t now);
/* An idle worker's work: prepare fresh stacks ahead of a burst of spawns;
 * nonzero when it did some. */
int rt_stack_prepare(void);
/* Prepared slabs waiting to be carved (for tests). */
int rt_stack_ready_slabs(void);
/* Call fn on every coroutine record that is or was in use.  Reads without
 * locks: for the SIGQUIT dump and for the deadlock report (world idle). */
void rt_stack_foreach(void (*fn)(rt_g *, void *), void *arg);
/* Install the overflow handler for this thread (alternate signal stack). */
void rt_stack_thread_init(void);
GOC_NORETURN void rt_stack_overflow(rt_g *g);
/* A switch found g's stack pointer `sp` outside its stack or its canary
 * broken: an overflow, or a longjmp across coroutines. */
GOC_NORETURN void rt_stack_check_failed(rt_g *g, char *sp);
/* A record whose stack is not a slot (main's, under goc_main), visited
 * first by rt_stack_foreach; NULL drops it. */
void rt_stack_adopt(rt_g *g);
/* In a forked child: forget every slot but keep's. */
void rt_stack_fork_child(rt_g *keep);

/* ---- workers (sched.c) ----------------------------------------------- */

#define RT_RUNQ 256

typedef struct rt_worker rt_worker;

int rt_nprocs(void);
rt_worker *rt_worker_at(int i);
/* The calling thread's worker, NULL outside the scheduler.  Never inlined:
 * a coroutine may resume on another thread, so no caller may keep a
 * thread-local address across a switch. */
rt_worker *rt_self(void);
/* lock.c: start a runtime thread (joinable when out is given, else
 * detached) with asynchronous signals blocked, so that signals sent to
 * the process reach the program's own threads. */
int rt_thread_start(void *(*fn)(void *), void *arg, pthread_t *out);

/* Call fn on the record of every plain thread parked in the runtime (for
 * the deadlock report; the world is idle then). */
void rt_thread_foreach(void (*fn)(rt_g *, void *), void *arg);

/* Counters for schedtrace and the dump (approximate, racy reads). */
typedef struct rt_sched_stats {
    int procs, idle, spinning;
    long global_len;
    long local_len[64];
    long live;
} rt_sched_stats;
void rt_sched_stats_read(rt_sched_stats *s);

/* ---- timers (timer.c) ------------------------------------------------ */

/* Earliest pending deadline, INT64_MAX when none. */
int64_t rt_timer_next(void);
/* Fire every timer due at `now`; returns how many coroutines it readied. */
int rt_timer_run(int64_t now);
long rt_timer_count(void);
/* In a forked child: no timers (their coroutines are gone). */
void rt_timer_fork_child(void);
/* Timers taken off the heap whose fn has not run yet: the heap may look
 * empty while they are about to ready somebody. */
int rt_timer_firing(void);

/* ---- reports (print.c) ------------------------------------------------ */

/* Async-signal-safe message building: no malloc, no stdio. */
typedef struct rt_buf {
    char b[1024];
    size_t n;
} rt_buf;
void rt_buf_str(rt_buf *b, const char *s);
void rt_buf_u64(rt_buf *b, uint64_t v);
void rt_buf_loc(rt_buf *b, const goc_loc *loc); /* "file:line" or "?" */
void rt_buf_flush(rt_buf *b);                   /* write(2) and reset */
/* Where g was created: its go site, or "program start (main)". */
void rt_buf_created(rt_buf *b, const rt_g *g);
/* A fatal report (panic, deadlock, overflow) has begun; see goc_main. */
extern _Atomic int rt_dying;
void rt_fatal_begin(void);
/* fn runs first in every fatal report (GOC_TRACE: exectrace.c writes the
 * trace); it must be async-signal-safe. */
void rt_fatal_hook(void (*fn)(void));
/* LeakSanitizer: scan live coroutine stacks at exit (lsan.c; ASan only). */
void rt_lsan_init(void);

/* ---- GOC_* environment settings (env.c) ------------------------------ */

/* GOC_DEBUG=name=value,...: the value for name, dflt when absent. */
long rt_debug_setting(const char *name, long dflt);
/* Validate GOC_DEBUG; a bad item ends the program (exit 2). */
void rt_env_check_debug(void);
/* A whole number in [min, max] (dflt when unset or empty); any other value
 * ends the program with a message naming the variable and the forms. */
long rt_env_int(const char *name, long dflt, long min, long max);
/* A size: digits with an optional k, m or g suffix, in [min, max]. */
size_t rt_env_size(const char *name, size_t dflt, size_t min, size_t max);

/* ---- debugging (debug.c) --------------------------------------------- */

/* What debug.c asks the scheduler, given by sched.c at start-up (the
 * reporter sits below the scheduler it reports on; before start-up there
 * is no coroutine and no parked thread). */
typedef struct rt_debug_sched {
    rt_g *(*current)(void);
    void (*thread_foreach)(void (*fn)(rt_g *, void *), void *arg);
    void (*stats_read)(rt_sched_stats *s);
} rt_debug_sched;
void rt_debug_init(const rt_debug_sched *s);
/* End the SIGQUIT dump thread (at exit under valgrind). */
void rt_debug_stop(void);
/* Threads debug.c started (the SIGQUIT thread, schedtrace). */
int rt_debug_threads(void);
/* 1 when every coroutine is parked on a channel or sync object. */
int rt_debug_all_blocked(void);
/* Print the deadlock report for every parked coroutine and exit 2. */
GOC_NORETURN void rt_debug_deadlock(void);

#endif /* GOC_CTX_H */
