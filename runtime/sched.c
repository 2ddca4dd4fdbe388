/*
 * sched.c - the M:N scheduler: workers, run queues, work stealing,
 * park/ready, spawn and the program entry points.
 *
 * Design (after Go's proc.go and Tokio's multi-threaded scheduler):
 *  - GOC_PROCS workers (threads), each with a 256-slot ring run queue.  The
 *    owner pushes at `tail` (release store) and pops its newest entry;
 *    thieves take up to half the ring from `head`, one CAS per entry.
 *    Overflow moves half the ring to the global queue, a locked list
 *    checked every 61 ticks so that nothing in it starves.  The poller's
 *    events also go there, as one FIFO batch (rt_ready_batch), and a
 *    worker taking a share of the global queue keeps its order.
 *  - `runnext`: a coroutine made ready by the running one goes there and
 *    runs as soon as the current one blocks (ping-pong pairs stay on one
 *    worker, hot in cache).  Filling an empty runnext wakes nobody; only
 *    what reaches the stealable ring does (Tokio's LIFO slot).  runnext
 *    yields to the ring after 3 consecutive uses, and a thief may take it
 *    only on its last stealing round.
 *  - goc_go runs the child at once and leaves the parent in runnext
 *    (work-first, as Cilk does): a tree of spawns is walked depth first, so
 *    few coroutines are alive at once, while the parent, pushed into the
 *    ring when the child spawns again, is what idle workers steal.
 *  - Switches go straight from one coroutine to the next.  The work a
 *    switch leaves behind (running rt_park's unlock callback, queueing a
 *    yielder, freeing an exited stack) is recorded in the worker (`prev`,
 *    `prev_op`) and done by post_switch() in whichever context resumes, so
 *    it always happens after the old context has been saved.  A worker's own
 *    context (g0, the thread's stack) runs the slow path: timers, the
 *    poller, stealing and sleeping.
 *  - Idle workers: a worker that runs dry spins briefly, a few rounds of
 *    stealing (at most half the busy workers spin), then parks.  Parking
 *    puts it on the idle list; one idle worker at a time owns the poller
 *    and sleeps in rt_poll() until the earliest timer, the others sleep on
 *    their futex.  New work wakes one idle worker only when no worker is
 *    spinning (wakep).  Lost wake-ups are excluded by a Dekker pair: wakep
 *    publishes work then reads `nidle`; park bumps `nidle` then re-reads
 *    every queue, both with sequentially consistent fences.  A spinner
 *    that gives up decrements `nspinning` before that re-check, for the
 *    same reason.
 *  - Deadlock: when the poller owner finds every worker idle, no queued
 *    work, no timer, no I/O waiter, no plain thread running and main (or
 *    a plain thread) parked, every coroutine is blocked for good (debug.c
 *    prints the report; docs/runtime.md, "Deadlock detection").
 *
 * Thread-local storage: a coroutine may resume on another worker, so the
 * current worker is read through rt_self(), never cached across a switch.
 */
#define _GNU_SOURCE /* pthread_getattr_np */
#include "ctx.h"
#include "preempt.h"
#include "exectrace.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdalign.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#if RT_VALGRIND
#include <valgrind/valgrind.h>
#endif

#if RT_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom,
                                    size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save,
                                     const void **bottom_old, size_t *size_old);
#endif
#if RT_TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
#define RT_NO_TSAN __attribute__((no_sanitize("thread")))
#else
#define RT_NO_TSAN
#endif

enum { OP_NONE, OP_PARK, OP_YIELD, OP_SPAWN, OP_EXIT };

/* A plain thread's stand-in for a coroutine while it waits in the
 * runtime; see "plain threads". */
typedef struct rt_thread {
    rt_g g;
    _Atomic uint32_t wake;
    struct rt_thread *next;
} rt_thread;

struct rt_worker {
    /* Owner only. */
    rt_g *cur;       /* running coroutine; NULL on g0 */
    void *g0_sp;     /* the worker's own context, while suspended */
    rt_g *prev;      /* left behind by the last switch; see post_switch */
    int prev_op;
    void (*unlock)(void *);
    void *unlock_arg;
    int in_sched;    /* in scheduler code: rt_ready queues, not runnext */
    int spinning;
    _Atomic uint32_t tick; /* owner writes; sysmon reads */
    int streak;      /* consecutive runnext picks */
    uint32_t old_head; /* ring head at the last fairness check */
    int index;
    uint64_t id_next, id_end;
    rt_stack_cache stacks;
    pthread_t thread;
    void *g0_lo;     /* sanitizer bookkeeping for g0 */
    size_t g0_size;
    void *g0_fake;
    void *g0_fiber;
    _Atomic long nspawn, nexit;

    /* Shared: the run queue. */
    alignas(64) _Atomic uint32_t head; /* consumers CAS */
    alignas(64) _Atomic uint32_t tail; /* owner stores */
    _Atomic(rt_g *) runnext;
    _Atomic(rt_g *) pinned; /* main, on the main thread's worker only */
    _Atomic(rt_g *) ring[RT_RUNQ];

    /* Idle list membership, under S.idle_lock; park_word is the futex. */
    alignas(64) _Atomic uint32_t park_word;
    rt_worker *idle_next;
    int idle;     /* on the idle list */
    int polling;  /* owns the poller while idle */
    int woken;    /* taken off the list by wakep: counted as spinning */
    int thread_owned; /* its thread is the runtime's (not main's) */
};

static struct {
    int nprocs;
    rt_worker **w;
    uint32_t glock; /* global queue */
    rt_g *ghead, *gtail;
    _Atomic long glen;
    uint32_t idle_lock;
    rt_worker *idle_list;
    _Atomic int nidle;
    _Atomic int nspinning;
    /* Held by the one worker that may call rt_poll: the idle poller, or a
     * busy worker peeking with rt_poll(0).  Only workers hold it (never
     * sysmon): a parking worker that finds it taken sleeps on its futex,
     * which is safe because the holder is a worker that will itself park,
     * and take the poller, once it runs out of work. */
    _Atomic int poll_owner;
    _Atomic int64_t poll_until; /* poller's deadline; 0: not blocked */
    _Atomic int64_t timers_seen; /* when a worker last looked at timers */
    _Atomic uint32_t sysmon_asleep; /* futex: sysmon waits for a busy worker */
    _Atomic uint64_t id_blocks;
    uint32_t ext_lock; /* stack cache for spawns from plain threads */
    rt_stack_cache ext_stacks;
    /* Plain threads (see "plain threads" below). */
    uint32_t thread_lock;
    rt_thread *threads;          /* every record, under thread_lock */
    _Atomic int nthread_parked;  /* plain threads parked in the runtime */
    _Atomic uint64_t thread_epoch; /* bumped by what plain threads do */
    _Atomic int nrun_waiting;    /* threads waiting in goc_run */
    _Atomic int started;         /* the workers run */
    long base_threads;           /* threads the runtime did not count */
    /* The current goc_run. */
    _Atomic(rt_g *) main_g;
    _Atomic uint32_t run_done;
    int run_status;
    /* goc_main: main runs on the process's main thread, which is worker 0,
     * and never leaves it (see "main" below).  NULL under goc_run. */
    rt_g *pin_g;
    /* In a forked child: the coroutine that called fork (see fork_child). */
    rt_g *child_main;
    uint32_t start_lock;
    /* Under valgrind, runtime threads end at exit (see stop_threads). */
    _Atomic int stopping;
    _Atomic int nthreads;
    pthread_t sysmon;
} S;

/* initial-exec: no __tls_get_addr call in the shared library (libgoc is
 * linked, not dlopen'ed, and its TLS is two pointers). */
static __thread rt_worker *tls_w __attribute__((tls_model("initial-exec")));

/* The full fence of the Dekker pairs above.  TSan does not model fences;
 * under it both sides instead update one shared word, whose modification
 * order then orders them just as the fences do. */
#if RT_TSAN
static _Atomic uint32_t fence_word;
static inline void full_fence(void) { atomic_fetch_add(&fence_word, 0); }
#else
static inline void full_fence(void) { atomic_thread_fence(memory_order_seq_cst); }
#endif

/* Not inlined, and opaque to the optimiser, so that every call reads the
 * TLS of the thread it runs on. */
__attribute__((noinline)) rt_worker *rt_self(void)
{
    rt_worker *w = tls_w;
    __asm__ volatile("" : "+r"(w));
    return w;
}

int rt_worker_index(void) { return rt_self()->index; }

static void ready_arg(void *g) { rt_ready(g); }

rt_g *rt_current(void)
{
    rt_worker *w = rt_self();
    return w ? w->cur : NULL;
}

int rt_nprocs(void) { return S.nprocs; }
rt_worker *rt_worker_at(int i) { return S.w[i]; }

/* ---- the global queue ---------------------------------------------------- */

static void global_put_batch(rt_g *first, rt_g *last, long n)
{
    rt_lock(&S.glock);
    last->link = NULL;
    if (S.gtail)
        S.gtail->link = first;
    else
        S.ghead = first;
    S.gtail = last;
    atomic_fetch_add(&S.glen, n);
    rt_unlock(&S.glock);
}

static void runq_put(rt_worker *w, rt_g *g);

/* Take one coroutine to run and move up to `more` others to w's ring. */
static rt_g *global_get(rt_worker *w, long more)
{
    if (atomic_load_explicit(&S.glen, memory_order_relaxed) == 0)
        return NULL;
    rt_lock(&S.glock);
    rt_g *g = S.ghead;
    if (!g) {
        rt_unlock(&S.glock);
        return NULL;
    }
    long n = atomic_load_explicit(&S.glen, memory_order_relaxed);
    long take = n / S.nprocs + 1;
    if (take > n)
        take = n;
    if (take > more + 1)
        take = more + 1;
    rt_g *last = g;
    for (long i = 1; i < take; i++)
        last = last->link;
    S.ghead = last->link;
    if (!S.ghead)
        S.gtail = NULL;
    atomic_fetch_sub(&S.glen, take);
    rt_unlock(&S.glock);
    /* g..last is ours now: run g, queue the rest newest first, so that the
     * owner's LIFO pops run them in the global queue's (FIFO) order. */
    rt_g *rest[RT_RUNQ / 2];
    int nrest = 0;
    for (rt_g *q = g; q != last; q = q->link)
        rest[nrest++] = q->link;
    while (nrest > 0)
        runq_put(w, rest[--nrest]);
    return g;
}

/* ---- run queues ---------------------------------------------------------- */

/* Ring full: move half of it and g to the global queue.  Fails when a
 * thief moved head meanwhile (the caller retries the fast path). */
static int runq_put_slow(rt_worker *w, rt_g *g, uint32_t h, uint32_t t)
{
    uint32_t n = (t - h) / 2;
    rt_g *batch[RT_RUNQ / 2];
    for (uint32_t i = 0; i < n; i++)
        batch[i] = atomic_load_explicit(&w->ring[(h + i) % RT_RUNQ],
                                        memory_order_relaxed);
    if (!atomic_compare_exchange_strong_explicit(
            &w->head, &h, h + n, memory_order_acq_rel, memory_order_relaxed))
        return 0;
    for (uint32_t i = 0; i + 1 < n; i++)
        batch[i]->link = batch[i + 1];
    batch[n - 1]->link = g;
    global_put_batch(batch[0], g, n + 1);
    return 1;
}

static void runq_put(rt_worker *w, rt_g *g)
{
    for (;;) {
        uint32_t h = atomic_load_explicit(&w->head, memory_order_acquire);
        uint32_t t = atomic_load_explicit(&w->tail, memory_order_relaxed);
        if (t - h < RT_RUNQ) {
            atomic_store_explicit(&w->ring[t % RT_RUNQ], g, memory_order_relaxed);
            atomic_store_explicit(&w->tail, t + 1, memory_order_release);
            return;
        }
        if (runq_put_slow(w, g, h, t))
            return;
    }
}

static rt_g *runq_get(rt_worker *w)
{
    uint32_t h = atomic_load_explicit(&w->head, memory_order_acquire);
    for (;;) {
        uint32_t t = atomic_load_explicit(&w->tail, memory_order_relaxed);
        if (t == h)
            return NULL;
        rt_g *g = atomic_load_explicit(&w->ring[h % RT_RUNQ], memory_order_relaxed);
        if (atomic_compare_exchange_weak_explicit(&w->head, &h, h + 1,
                                                  memory_order_release,
                                                  memory_order_acquire))
            return g;
    }
}

/* Owner only: take the newest entry.  Popping LIFO keeps a spawn tree
 * depth first (few live coroutines, hot stacks) while thieves take the
 * oldest half, the biggest subtrees (Cilk's work-first deque).  The race
 * with thieves is Chase-Lev's: the tail store and the head load are
 * sequentially consistent, as are a thief's head and tail loads, and a
 * thief takes only the entry at head, so a thief can reach index t only
 * when t == head, and for that one entry both sides CAS head. */
static rt_g *runq_pop(rt_worker *w)
{
    uint32_t t = atomic_load_explicit(&w->tail, memory_order_relaxed);
    if (t == atomic_load_explicit(&w->head, memory_order_acquire))
        return NULL;
    t--;
    atomic_store_explicit(&w->tail, t, memory_order_seq_cst);
    uint32_t h = atomic_load_explicit(&w->head, memory_order_seq_cst);
    int32_t d = (int32_t)(t - h);
    if (d < 0) { /* thieves emptied it */
        atomic_store_explicit(&w->tail, h, memory_order_relaxed);
        return NULL;
    }
    rt_g *g = atomic_load_explicit(&w->ring[t % RT_RUNQ], memory_order_relaxed);
    if (d > 0)
        return g;
    int won = atomic_compare_exchange_strong_explicit(
        &w->head, &h, h + 1, memory_order_seq_cst, memory_order_relaxed);
    atomic_store_explicit(&w->tail, t + 1, memory_order_relaxed);
    return won ? g : NULL;
}

static uint32_t runq_len(rt_worker *w)
{
    uint32_t h = atomic_load_explicit(&w->head, memory_order_acquire);
    uint32_t t = atomic_load_explicit(&w->tail, memory_order_acquire);
    return t - h;
}

/* Move up to half of v's ring into w's (empty) ring at index `at`, one
 * entry per CAS on v's head (a Chase-Lev steal: taking a whole batch with
 * one CAS would race with the owner's LIFO pop, which may already have
 * taken entries from the tail a thief saw).  Returns the number taken.
 * With `next`, v's runnext may be taken when its ring is empty. */
static uint32_t runq_grab(rt_worker *w, rt_worker *v, uint32_t at, int next)
{
    uint32_t got = 0, want = 0;
    for (;;) {
        uint32_t h = atomic_load_explicit(&v->head, memory_order_seq_cst);
        uint32_t t = atomic_load_explicit(&v->tail, memory_order_seq_cst);
        int32_t n = (int32_t)(t - h);
        if (n <= 0 || n > RT_RUNQ)
            break;
        if (!want)
            want = (uint32_t)n - (uint32_t)n / 2;
        rt_g *g = atomic_load_explicit(&v->ring[h % RT_RUNQ], memory_order_relaxed);
        if (!atomic_compare_exchange_strong_explicit(&v->head, &h, h + 1,
                                                     memory_order_seq_cst,
                                                     memory_order_relaxed))
            continue;
        atomic_store_explicit(&w->ring[(at + got) % RT_RUNQ], g,
                              memory_order_relaxed);
        if (++got == want)
            break;
    }
    if (got || !next)
        return got;
    rt_g *g = atomic_load_explicit(&v->runnext, memory_order_acquire);
    if (g && atomic_compare_exchange_strong(&v->runnext, &g, NULL)) {
        atomic_store_explicit(&w->ring[at % RT_RUNQ], g, memory_order_relaxed);
        return 1;
    }
    return 0;
}

/* Take work from v into w's ring; returns one of it to run now and the
 * number taken in *got. */
static rt_g *runq_steal(rt_worker *w, rt_worker *v, int next, uint32_t *got)
{
    uint32_t t = atomic_load_explicit(&w->tail, memory_order_relaxed);
    uint32_t n = runq_grab(w, v, t, next);
    *got = n;
    if (n == 0)
        return NULL;
    n--;
    rt_g *g = atomic_load_explicit(&w->ring[(t + n) % RT_RUNQ], memory_order_relaxed);
    if (n)
        atomic_store_explicit(&w->tail, t + n, memory_order_release);
    return g;
}

/* ---- waking idle workers -------------------------------------------------- */

static rt_worker *idle_pop_locked(void)
{
    rt_worker **pp = &S.idle_list;
    for (rt_worker *v = *pp; v; pp = &v->idle_next, v = *pp)
        if (!v->polling)
            break;
    rt_worker *v = *pp;
    if (!v && S.idle_list && S.idle_list->polling) {
        pp = &S.idle_list;
        v = *pp;
    }
    if (v) {
        *pp = v->idle_next;
        v->idle = 0;
        v->woken = 1;
        atomic_fetch_sub(&S.nidle, 1);
    }
    return v;
}

/* New work was published: make sure some worker will look at it. */
static void wakep(void)
{
    full_fence();
    if (atomic_load(&S.nidle) == 0 || atomic_load(&S.nspinning) != 0)
        return;
    int zero = 0;
    if (!atomic_compare_exchange_strong(&S.nspinning, &zero, 1))
        return;
    rt_lock(&S.idle_lock);
    rt_worker *v = idle_pop_locked();
    int polling = v && v->polling;
    rt_unlock(&S.idle_lock);
    if (!v) {
        atomic_fetch_sub(&S.nspinning, 1);
    } else if (polling) {
        rt_poll_wakeup();
    } else {
        atomic_store(&v->park_word, 1);
        rt_futex_wake(&v->park_word, 1);
    }
}

/* ---- main, pinned to the main thread ------------------------------------ */
/*
 * Under goc_main the process's main thread is worker 0 and main runs on
 * that thread's own stack (the kernel's, with RLIMIT_STACK growth), as a C
 * program's main does.  Main is never queued where a thief could take it:
 * whoever readies it puts it in worker 0's `pinned` slot, which worker 0
 * checks before anything else, and wakes worker 0 if it sleeps.  Other
 * coroutines run on worker 0 while main is parked.
 */

/* Worker 0 sleeps: take it off the idle list and wake it, as wakep does
 * for any worker (it then counts as spinning). */
static void wake_host(rt_worker *w)
{
    full_fence();
    rt_lock(&S.idle_lock);
    int idle = w->idle, polling = w->polling;
    if (idle) {
        rt_worker **pp = &S.idle_list;
        while (*pp != w)
            pp = &(*pp)->idle_next;
        *pp = w->idle_next;
        w->idle = 0;
        w->woken = 1;
        atomic_fetch_sub(&S.nidle, 1);
        atomic_fetch_add(&S.nspinning, 1);
    }
    rt_unlock(&S.idle_lock);
    if (!idle)
        return;
    if (polling) {
        rt_poll_wakeup();
    } else {
        atomic_store(&w->park_word, 1);
        rt_futex_wake(&w->park_word, 1);
    }
}

static void pin_put(rt_g *g)
{
    rt_worker *host = S.w[0];
    atomic_store_explicit(&host->pinned, g, memory_order_release);
    if (rt_self() != host)
        wake_host(host);
}

static void runnext_put(rt_worker *w, rt_g *g)
{
    if (__builtin_expect(g == S.pin_g, 0)) {
        pin_put(g);
        return;
    }
    rt_g *old = atomic_exchange_explicit(&w->runnext, g, memory_order_acq_rel);
    if (old) {
        runq_put(w, old);
        wakep();
    }
}

static void thread_wake(rt_thread *t);

void rt_ready(rt_g *g)
{
    /* A plain load and store, not an exchange: two concurrent readies of
     * one park are a caller bug that this check catches only sometimes, and
     * the hot path saves a locked instruction. */
    rt_assert(atomic_load_explicit(&g->state, memory_order_relaxed) == RT_G_PARKED);
    atomic_store_explicit(&g->state, RT_G_RUNNABLE, memory_order_relaxed);
    if (__builtin_expect(rt_g_is_thread(g), 0)) {
        thread_wake((rt_thread *)g);
        return;
    }
    rt_worker *w = rt_self();
    RT_TRACE(rt_trace_unpark(w ? w->index : -1, w && !w->in_sched ? w->cur : NULL, g));
    if (__builtin_expect(g == S.pin_g, 0)) {
        pin_put(g);
        return;
    }
    if (!w) {
        global_put_batch(g, g, 1);
        atomic_fetch_add(&S.thread_epoch, 1);
        wakep();
    } else if (w->cur && !w->in_sched) {
        runnext_put(w, g);
    } else {
        runq_put(w, g);
        wakep();
    }
}

/* The poller's events, FIFO through the global queue with one lock and one
 * wake-up.  Under many connections this is what keeps I/O fair: pushed on
 * the poller's own ring one by one, the batch would run newest first and
 * stay on one worker.  The same contract as rt_ready for each: every g is
 * parked (its park's unlock has run, so its state store is visible to the
 * waker, who took the same lock) and readied once.  The state and link
 * stores are published to whoever dequeues them by the global queue's
 * lock; nothing reads a runnable g's state for synchronisation. */
static void trace_batch(rt_g **gs, int n)
{
    rt_worker *w = rt_self();
    int i = w ? w->index : -1;
    rt_trace_poll(i, n);
    for (int k = 0; k < n; k++)
        rt_trace_unpark(i, NULL, gs[k]);
}

void rt_ready_batch(rt_g **gs, int n)
{
    if (n <= 0)
        return;
    RT_TRACE(trace_batch(gs, n));
    rt_g *first = NULL, *last = NULL;
    long k = 0;
    for (int i = 0; i < n; i++) {
        rt_g *g = gs[i];
        if (g == S.pin_g) { /* main: never in the global queue */
            rt_assert(atomic_load_explicit(&g->state, memory_order_relaxed) ==
                      RT_G_PARKED);
            atomic_store_explicit(&g->state, RT_G_RUNNABLE, memory_order_relaxed);
            pin_put(g);
            continue;
        }
        rt_assert(atomic_load_explicit(&g->state, memory_order_relaxed) ==
                  RT_G_PARKED);
        atomic_store_explicit(&g->state, RT_G_RUNNABLE, memory_order_relaxed);
        if (last)
            last->link = g;
        else
            first = g;
        last = g;
        k++;
    }
    if (!k)
        return;
    last->link = NULL;
    global_put_batch(first, last, k);
    wakep();
}

/* ---- switching ------------------------------------------------------------ */

static void timers_poll_fast(rt_worker *w);
static void timers_poll_busy(rt_worker *w);

/* The next coroutine to run without leaving the current stack: runnext,
 * the local ring, the global queue.  NULL: go to g0. */
static rt_g *find_fast(rt_worker *w)
{
    uint32_t tick = atomic_load_explicit(&w->tick, memory_order_relaxed) + 1;
    atomic_store_explicit(&w->tick, tick, memory_order_relaxed);
    /* main, pinned here, comes first, but takes turns with the ring (and
     * the global queue, where the ring overflows) while they hold work: no other worker can run main, and a main that
     * spawns in a loop must not keep what it readied (or what timers
     * readied) waiting until it blocks, with every one of those coroutines
     * holding a stack meanwhile.  Go gets the same from time slices: the
     * spawning goroutine is preempted and queued behind the others. */
    rt_g *g = atomic_load_explicit(&w->pinned, memory_order_relaxed);
    if (g && (w->streak < 1 ||
              (runq_len(w) == 0 &&
               atomic_load_explicit(&S.glen, memory_order_relaxed) == 0)) &&
        (g = atomic_exchange_explicit(&w->pinned, NULL, memory_order_acq_rel))) {
        w->streak++;
        return g;
    }
    if (tick % 61 == 0) { /* fairness: the global queue, now and then */
        g = global_get(w, 1);
        if (g)
            return g;
    }
    if (tick % 1024 == 0) {
        /* The ring is LIFO for its owner; the oldest entry gets a turn
         * when it has not moved for a whole period (rarely enough that a
         * spawn tree stays depth first). */
        uint32_t h = atomic_load_explicit(&w->head, memory_order_relaxed);
        if (h == w->old_head && (g = runq_get(w)))
            return g;
        w->old_head = h;
    }
    if (w->streak < 3 || runq_len(w) == 0) {
        g = atomic_load_explicit(&w->runnext, memory_order_relaxed);
        if (g)
            g = atomic_exchange_explicit(&w->runnext, NULL, memory_order_acq_rel);
        if (g) {
            w->streak++;
            return g;
        }
    }
    w->streak = 0;
    g = runq_pop(w);
    if (!g)
        g = global_get(w, RT_RUNQ / 2);
    return g;
}

/* What a switch left behind for `p`, the context that left. */
static void post_op(rt_worker *w, rt_g *p)
{
    switch (w->prev_op) {
    case OP_PARK:
        atomic_store_explicit(&p->state, RT_G_PARKED, memory_order_relaxed);
        if (w->unlock)
            w->unlock(w->unlock_arg);
        break;
    case OP_YIELD: /* behind everything else, as Go's Gosched */
        atomic_store_explicit(&p->state, RT_G_RUNNABLE, memory_order_relaxed);
        if (p == S.pin_g) {
            pin_put(p);
            break;
        }
        global_put_batch(p, p, 1);
        wakep();
        break;
    case OP_SPAWN:
        atomic_store_explicit(&p->state, RT_G_RUNNABLE, memory_order_relaxed);
        runnext_put(w, p);
        break;
    case OP_EXIT:
        rt_stack_put(&w->stacks, p);
        break;
    }
}

/* Done by the context that resumes after a switch, for the one that left.
 * No runtime lock is held here (rt_park's has just been released), so this
 * is also where a busy worker fires due timers: firing one may send on a
 * channel whose lock a parking coroutine holds until its unlock runs. */
static void post_switch(rt_worker *w)
{
    rt_g *p = w->prev;
    if (p) {
        w->prev = NULL;
        post_op(w, p);
    }
    if ((atomic_load_explicit(&w->tick, memory_order_relaxed) & 63) == 0)
        timers_poll_busy(w);
}

/* GOC_TRACE: why `from`'s run ends. */
static int trace_end(rt_worker *w, rt_g *from)
{
    switch (from ? w->prev_op : OP_NONE) {
    case OP_PARK: return from->wait_reason;
    case OP_YIELD: return RT_TEND_YIELD;
    case OP_SPAWN: return RT_TEND_SPAWN;
    default: return RT_TEND_EXIT;
    }
}

/* Switch from `from` to `to` (NULL: the worker's g0 context).  When
 * `from` resumes, possibly on another worker, it finishes the switch that
 * brought it back.  Not instrumented by TSan: the fiber switch must be
 * the last thing before the stack changes. */
RT_NO_TSAN static void g_switch(rt_worker *w, rt_g *from, rt_g *to, int exiting)
{
    void **save = from ? &from->sp : &w->g0_sp;
    if (from) {
        char *sp = __builtin_frame_address(0);
        if (sp < from->stack_lo || sp >= from->stack_lo + from->stack_size ||
            (!from->guarded && ((uint64_t *)from->stack_lo)[-1] != RT_STACK_CANARY))
            rt_stack_check_failed(from, sp);
    }
    w->cur = to;
    w->in_sched = to == NULL;
    rt_preempt_switch(w->index, to != NULL);
    RT_TRACE(rt_trace_switch(w->index, from, trace_end(w, from), to));
    if (to)
        atomic_store_explicit(&to->state, RT_G_RUNNING, memory_order_relaxed);
#if RT_ASAN
    void **fake = exiting ? NULL : from ? &from->asan_fake : &w->g0_fake;
    __sanitizer_start_switch_fiber(fake, to ? to->stack_lo : w->g0_lo,
                                   to ? to->stack_size : w->g0_size);
#endif
#if RT_TSAN
    __tsan_switch_to_fiber(to ? to->tsan_fiber : w->g0_fiber, 0);
#endif
    (void)exiting;
    rt_ctx_switch(save, to ? to->sp : w->g0_sp);
    /* Resumed: this may be another thread now. */
#if RT_ASAN
    __sanitizer_finish_switch_fiber(from ? from->asan_fake : w->g0_fake, NULL,
                                    NULL);
#endif
    post_switch(rt_self());
}

/* ---- coroutines ----------------------------------------------------------- */

static uint64_t next_id(rt_worker *w)
{
    if (!w) /* a plain thread: take a block of one */
        return atomic_fetch_add(&S.id_blocks, 1) + 2;
    if (w->id_next == w->id_end) {
        w->id_next = atomic_fetch_add(&S.id_blocks, 256) + 2;
        w->id_end = w->id_next + 256;
    }
    return w->id_next++;
}

GOC_NORETURN static void g_exit(void);

static void g_main(void *unused)
{
    (void)unused;
#if RT_ASAN
    __sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
    post_switch(rt_self());
    rt_g *g = rt_current();
    g->fn(g->arg);
    g_exit();
}

static rt_g *g_new(rt_stack_cache *c, goc_fn fn, const void *arg,
                   size_t argsize, const goc_loc *loc)
{
    rt_g *g = rt_stack_get(c);
    size_t room = (argsize + 15) & ~(size_t)15;
    if (room > g->stack_size / 2)
        goc_panic_at("go: argument block larger than half the stack", loc);
    char *top = (char *)((uintptr_t)g & ~(uintptr_t)15);
    if (argsize) {
        top -= room;
        memcpy(top, arg, argsize);
        g->arg = top;
    } else {
        g->arg = (void *)arg;
    }
    g->fn = fn;
    g->go_loc = loc ? *loc : (goc_loc){NULL, 0};
    g->wait_loc = NULL;
    g->wait_reason = 0;
    g->asan_fake = NULL;
    g->sp = rt_ctx_make(g->stack_lo, top, g_main, NULL);
#if RT_TSAN
    /* One fiber per stack slot, kept across reuse: creating and destroying
     * a TSan fiber per coroutine costs hundreds of microseconds. */
    if (!g->tsan_fiber)
        g->tsan_fiber = __tsan_create_fiber(0);
#endif
    atomic_store_explicit(&g->state, RT_G_RUNNABLE, memory_order_relaxed);
    return g;
}

static rt_g *g_new_ext(goc_fn fn, const void *arg, size_t argsize,
                       const goc_loc *loc, uint64_t id)
{
    rt_lock(&S.ext_lock);
    rt_g *g = g_new(&S.ext_stacks, fn, arg, argsize, loc);
    rt_unlock(&S.ext_lock);
    g->id = id ? id : next_id(NULL);
    return g;
}

static void go_from_thread(goc_fn fn, const void *arg, size_t argsize,
                           const goc_loc *loc);

void goc_go_at(goc_fn fn, const void *arg, size_t argsize, const goc_loc *loc)
{
    rt_worker *w = rt_self();
    rt_g *parent = w ? w->cur : NULL;
    if (!parent) {
        go_from_thread(fn, arg, argsize, loc);
        return;
    }
    rt_g *g = g_new(&w->stacks, fn, arg, argsize, loc);
    g->id = next_id(w);
    RT_TRACE(rt_trace_create(w->index, parent, g));
    atomic_fetch_add_explicit(&w->nspawn, 1, memory_order_relaxed);
    w->prev = parent;
    w->prev_op = OP_SPAWN;
    g_switch(w, parent, g, 0);
}

#undef goc_go
void goc_go(goc_fn fn, const void *arg, size_t argsize)
{
    goc_go_at(fn, arg, argsize, NULL);
}

GOC_NORETURN static void g_exit(void)
{
    rt_worker *w = rt_self();
    rt_g *g = w->cur;
    if (g == S.child_main) /* the coroutine that forked, in the child */
        exit(0);
    atomic_fetch_add_explicit(&w->nexit, 1, memory_order_relaxed);
    w->prev = g;
    w->prev_op = OP_EXIT;
    w->in_sched = 1;
    g_switch(w, g, find_fast(w), 1);
    rt_throw(__FILE__, __LINE__, "exited coroutine resumed");
}

static void thread_park(void (*unlock)(void *), void *arg,
                        enum rt_wait_reason reason, const goc_loc *loc);

void rt_park(void (*unlock)(void *), void *arg, enum rt_wait_reason reason,
             const goc_loc *loc)
{
    rt_worker *w = rt_self();
    rt_g *g = w ? w->cur : NULL;
    if (!g) {
        thread_park(unlock, arg, reason, loc);
        return;
    }
    g->wait_reason = reason;
    g->wait_loc = loc;
    w->prev = g;
    w->prev_op = OP_PARK;
    w->unlock = unlock;
    w->unlock_arg = arg;
    w->in_sched = 1;
    g_switch(w, g, find_fast(w), 0);
}

/* What a preempted coroutine's worker runs next: what its slice readied
 * into runnext (a timer's or an fd's coroutine, which Go also runs next),
 * before the global queue's fairness turn, since that queue now ends with
 * the preempted coroutine and may hold every other spinner before it, and
 * before main waiting in `pinned` (which would spawn the next spinner). */
static rt_g *take_runnext(rt_worker *w)
{
    if (!atomic_load_explicit(&w->runnext, memory_order_relaxed))
        return NULL;
    return atomic_exchange_explicit(&w->runnext, NULL, memory_order_acq_rel);
}

static void yield(int preempted)
{
    rt_worker *w = rt_self();
    rt_g *g = w ? w->cur : NULL;
    if (!g) {
        rt_sched_start();
        sched_yield();
        return;
    }
    w->in_sched = 1;
    rt_g *next = preempted ? take_runnext(w) : NULL;
    if (!next)
        next = find_fast(w);
    if (!next) {
        /* Nothing else to run: let due timers and ready fds in, as the
         * slow path would, so that a loop of yields waiting for them ends
         * (Go's Gosched loop under GOMAXPROCS=1). */
        timers_poll_fast(w);
        next = find_fast(w);
    }
    if (!next) {
        w->in_sched = 0;
        return;
    }
    w->prev = g;
    w->prev_op = OP_YIELD;
    g_switch(w, g, next, 0);
}

void goc_yield(void) { yield(0); }

uint64_t goc_id(void)
{
    rt_g *g = rt_current();
    return g ? g->id : 0;
}

int goc_procs(void) { return S.nprocs; }

/* ---- the slow path, on g0 ------------------------------------------------ */

/* Run due timers and, when somebody waits on I/O and nobody polls, look at
 * the poller without blocking. */
static void timers_look(int64_t now);

static void timers_poll_fast(rt_worker *w)
{
    (void)w;
    timers_look(goc_now());
}

/* timers_poll_fast's work, with the clock read once by the caller. */
static void timers_look(int64_t now)
{
    /* Due timers are fired by whoever sees them, the poller's owner too:
     * any_work counts them as work, so a worker that left them to a
     * poller asleep past them (one whose wake-up was lost, or not yet
     * acted on) spun in park without end, and under valgrind starved the
     * poller itself. */
    if (rt_timer_next() <= now)
        rt_timer_run(now);
    if (S.nprocs > 1)
        atomic_store_explicit(&S.timers_seen, now, memory_order_relaxed);
    if (atomic_load_explicit(&S.poll_owner, memory_order_relaxed))
        return; /* the poller's owner looks at I/O */
    if (rt_poll_waiting() > 0) {
        int zero = 0;
        if (atomic_compare_exchange_strong(&S.poll_owner, &zero, 1)) {
            rt_poll(0);
            atomic_store(&S.poll_owner, 0);
        }
    }
}

/* A busy worker's periodic look at timers and the poller (post_switch),
 * left to the others while one of them has looked in the last TIMERS_SHARE
 * ns: a worker between coroutines looks every time it runs out of work,
 * and two workers firing the same heap fight over its lock and its cache
 * lines (with 100k sleepers spawned by main, main's worker spent a quarter
 * of its time firing the timers of the sleepers it had just spawned). */
enum { TIMERS_SHARE = 50000 };

static void timers_poll_busy(rt_worker *w)
{
    (void)w;
    int64_t now = goc_now();
    if (S.nprocs > 1 &&
        now - atomic_load_explicit(&S.timers_seen, memory_order_relaxed) <
            TIMERS_SHARE)
        return;
    timers_look(now);
}

/* preempt.c's request is honoured: fire due timers here first, so that a
 * coroutine whose timer expired during the slice runs next, then yield. */
static void preempt_yield(void)
{
    rt_worker *w = rt_self();
    RT_TRACE(rt_trace_preempt(w->index, w->cur->id));
    timers_poll_fast(w);
    yield(1);
    w = rt_self(); /* perhaps another worker now */
    RT_TRACE(rt_trace_preempt_done(w ? w->index : -1));
}

static void stop_spinning(rt_worker *w)
{
    if (!w->spinning)
        return;
    w->spinning = 0;
    if (atomic_fetch_sub(&S.nspinning, 1) == 1)
        wakep(); /* the last spinner found work: there may be more */
}

static rt_g *steal_any(rt_worker *w, int next)
{
    int n = S.nprocs;
    int start = (int)(rt_rand() % (uint32_t)n);
    for (int i = 0; i < n; i++) {
        rt_worker *v = S.w[(start + i) % n];
        if (v == w)
            continue;
        uint32_t got;
        rt_g *g = runq_steal(w, v, next, &got);
        if (g) {
            RT_TRACE(rt_trace_steal(w->index, v->index, (int)got));
            return g;
        }
    }
    return NULL;
}

static int any_work(rt_worker *w)
{
    if (atomic_load(&w->pinned) || atomic_load(&S.glen) > 0)
        return 1;
    for (int i = 0; i < S.nprocs; i++)
        if (runq_len(S.w[i]) > 0)
            return 1;
    int64_t next = rt_timer_next();
    return next != INT64_MAX && next <= goc_now();
}

static int main_parked(void)
{
    rt_g *m = atomic_load(&S.main_g);
    return m && atomic_load(&m->state) == RT_G_PARKED;
}

static long threads_outside(void);
static long os_threads(void);

/* poll_idle's first look found a deadlock (only the poll owner touches it) */
static int deadlock_suspect;

/* Own the poller: sleep in rt_poll() until the earliest timer, I/O, or a
 * wakep.  Reports a deadlock when nothing at all can happen any more. */
static void poll_idle(rt_worker *w)
{
    for (;;) {
        int64_t next = rt_timer_next();
        atomic_store(&S.poll_until, next == INT64_MAX ? INT64_MAX : next);
        full_fence();
        if (rt_timer_next() < next)
            continue;
        int64_t timeout = -1;
        uint64_t epoch = atomic_load(&S.thread_epoch);
        if (next == INT64_MAX && rt_poll_waiting() == 0 &&
            atomic_load(&S.nidle) == S.nprocs && !any_work(w) &&
            rt_debug_all_blocked()) {
            if (threads_outside() > 0 || rt_timer_firing())
                timeout = 50 * GOC_MILLISECOND; /* look again later */
            else if ((main_parked() || atomic_load(&S.nthread_parked) > 0) &&
                     atomic_load(&S.thread_epoch) == epoch) {
                /* The look above is not one instant: report only when a
                 * second look, 10 ms later, agrees. */
                if (deadlock_suspect)
                    rt_debug_deadlock();
                deadlock_suspect = 1;
                timeout = 10 * GOC_MILLISECOND;
            } else
                timeout = GOC_MILLISECOND; /* a plain thread acted: again */
        } else
            deadlock_suspect = 0;
        if (next != INT64_MAX) {
            timeout = next - goc_now();
            if (timeout < 0)
                timeout = 0;
        }
        rt_poll(timeout);
        atomic_store(&S.poll_until, 0);
        rt_timer_run(goc_now());
        return;
    }
}

static void sysmon_wake(void)
{
    if (atomic_exchange(&S.sysmon_asleep, 0))
        rt_futex_wake(&S.sysmon_asleep, 1);
}

/* Leave the idle list if still on it; returns 1 when wakep took us off
 * (we then count as spinning). */
static int idle_leave(rt_worker *w)
{
    rt_lock(&S.idle_lock);
    int woken = w->woken;
    w->woken = 0;
    w->polling = 0;
    if (w->idle) {
        rt_worker **pp = &S.idle_list;
        while (*pp != w)
            pp = &(*pp)->idle_next;
        *pp = w->idle_next;
        w->idle = 0;
        atomic_fetch_sub(&S.nidle, 1);
    }
    rt_unlock(&S.idle_lock);
    if (atomic_load(&S.sysmon_asleep))
        sysmon_wake();
    return woken;
}

/* ---- the end, under valgrind ------------------------------------------- */
/*
 * A thread still alive at exit leaves its thread-local storage "possibly
 * lost" in valgrind's leak check.  Under valgrind an atexit handler asks
 * every idle runtime thread to end and waits for them (at most 10 s: a worker
 * busy in a coroutine that never blocks cannot stop).
 */
GOC_NORETURN static void thread_stop(void)
{
    atomic_fetch_sub(&S.nthreads, 1);
    pthread_exit(NULL);
}

#if RT_VALGRIND
static void stop_threads(void)
{
    atomic_store(&S.stopping, 1);
    rt_worker *self = rt_self();
    int mine = self && self->thread_owned;
    /* again and again: a worker may park after a wake-up */
    for (int ms = 0; ms < 10000 && atomic_load(&S.nthreads) > mine; ms++) {
        for (int i = 0; i < S.nprocs; i++) {
            atomic_store(&S.w[i]->park_word, 1);
            rt_futex_wake(&S.w[i]->park_word, 1);
        }
        rt_poll_wakeup();
        atomic_store(&S.sysmon_asleep, 0);
        rt_futex_wake(&S.sysmon_asleep, 1);
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    /* Join them: a thread's TLS is freed only once it has fully ended. */
    if (atomic_load(&S.nthreads) > mine)
        return;
    for (int i = 0; i < S.nprocs; i++)
        if (S.w[i]->thread_owned && S.w[i] != self)
            pthread_join(S.w[i]->thread, NULL);
    pthread_join(S.sysmon, NULL);
    rt_debug_stop();
}
#endif

static void park(rt_worker *w)
{
    RT_TRACE(rt_trace_idle(w->index));
    if (w->spinning) {
        w->spinning = 0;
        atomic_fetch_sub(&S.nspinning, 1);
    }
    int poller = 0, zero = 0;
    rt_lock(&S.idle_lock);
    w->idle = 1;
    w->idle_next = S.idle_list;
    S.idle_list = w;
    atomic_store(&w->park_word, 0);
    if (atomic_compare_exchange_strong(&S.poll_owner, &zero, 1))
        poller = w->polling = 1;
    int nidle = atomic_fetch_add(&S.nidle, 1) + 1;
    rt_unlock(&S.idle_lock);
    /* A poller forgets wake-ups already consumed before it re-checks the
     * queues: one sent after this point writes to the poller again (else
     * a wake-up that found the flag of a consumed one set was lost). */
    if (poller) {
        /* Before anybody can see it sleep (poll_until): rt_poll_wakeup
         * drops a wake-up sent before the poller exists, so the first poll
         * of a program with no timer yet could sleep past one added while
         * it started. */
        rt_poll_init();
        rt_poll_rearm();
    }
    full_fence();
    if (!poller && nidle == S.nprocs)
        rt_poll_wakeup(); /* the poller re-checks for a deadlock */
    if (!any_work(w)) {
        if (poller)
            poll_idle(w);
        else
            while (atomic_load(&w->park_word) == 0)
                rt_futex_wait(&w->park_word, 0, -1);
    }
    if (poller)
        atomic_store(&S.poll_owner, 0);
    if (atomic_load_explicit(&S.stopping, memory_order_relaxed) &&
        w->thread_owned)
        thread_stop();
    if (idle_leave(w))
        w->spinning = 1;
}

enum { SPIN_ROUNDS = 4, SPIN_PAUSES = 20 };

/* Find a coroutine to run, sleeping as long as there is none. */
static rt_g *find_runnable(rt_worker *w)
{
    for (;;) {
        rt_g *g = find_fast(w);
        if (!g) {
            timers_poll_fast(w);
            g = find_fast(w);
        }
        if (!g && rt_stack_prepare())
            continue;
        if (!g && !w->spinning && S.nprocs > 1 &&
            2 * atomic_load(&S.nspinning) < S.nprocs - atomic_load(&S.nidle)) {
            w->spinning = 1;
            atomic_fetch_add(&S.nspinning, 1);
        }
        /* A few rounds over every victim, as Go's stealWork, then park:
         * spinning longer cost the echo server a fifth of its CPU, and
         * work that appears later wakes a parked worker (wakep) anyway.
         * One worker: nobody to rob. */
        int rounds = S.nprocs > 1 ? SPIN_ROUNDS : 0;
        for (int i = 0; !g && w->spinning && i < rounds; i++) {
            g = steal_any(w, i == rounds - 1);
            if (!g) {
                for (int k = 0; k < SPIN_PAUSES; k++)
                    rt_cpu_relax();
                g = find_fast(w);
            }
        }
        if (g) {
            stop_spinning(w);
            return g;
        }
        park(w);
    }
}

GOC_NORETURN static void worker_loop(rt_worker *w)
{
    w->in_sched = 1;
    for (;;) {
        rt_g *g = find_runnable(w);
        g_switch(w, NULL, g, 0);
    }
}

static void *worker_main(void *arg)
{
    rt_worker *w = arg;
    tls_w = w;
    rt_stack_thread_init();
#if RT_ASAN && defined(__linux__)
    pthread_attr_t a;
    if (pthread_getattr_np(pthread_self(), &a) == 0) {
        pthread_attr_getstack(&a, &w->g0_lo, &w->g0_size);
        pthread_attr_destroy(&a);
    }
#endif
#if RT_TSAN
    w->g0_fiber = __tsan_get_current_fiber();
#endif
    rt_preempt_thread_init(w->index);
    worker_loop(w);
}

/* ---- plain threads -------------------------------------------------------- */
/*
 * A thread the runtime did not start (main before or without goc_run, a
 * pthread of the program, a constructor) may use every goc operation
 * (docs/runtime.md, "Plain threads").  When one must block, the thread
 * itself sleeps on a futex, standing in for a coroutine with a record of
 * its own (rt_thread, made on its first wait and freed when it exits), as
 * a Go program's cgo callback blocks its thread; rt_ready wakes it.
 *
 * Starting: `go` from a plain thread queues the coroutine and starts the
 * workers, except on the process's main thread before goc_run (which may
 * be a constructor, before main): there the coroutine waits in the queue
 * until goc_run, or until a plain thread first blocks, yields or sleeps
 * in the runtime.
 *
 * The deadlock detector counts the process's threads: while some thread
 * the runtime neither started nor holds parked exists, it may still
 * spawn or send, so nothing is reported (the poller looks again every
 * 50 ms); a plain thread parked in the runtime counts as asleep.  Plain
 * threads act while the detector looks, so each of their steps (park,
 * wake, ready, spawn) bumps thread_epoch, and a report needs the same
 * epoch before and after the whole check.
 */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void sched_init(void);
static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;
static __thread rt_thread *tls_t;
static _Atomic int main_thread_known;
static pthread_t main_thread;

/* Constructors run on the main thread: note it (this one may run after
 * others that spawn, which then count as on the main thread). */
__attribute__((constructor)) static void note_main_thread(void)
{
    main_thread = pthread_self();
    atomic_store(&main_thread_known, 1);
}

static int on_main_thread(void)
{
    return !atomic_load(&main_thread_known) ||
           pthread_equal(pthread_self(), main_thread);
}

static void thread_exit(void *p)
{
    rt_thread *t = p, **pp;
    rt_lock(&S.thread_lock);
    for (pp = &S.threads; *pp != t; pp = &(*pp)->next)
        ;
    *pp = t->next;
    rt_unlock(&S.thread_lock);
    free(t);
}

static void thread_key_make(void)
{
    pthread_key_create(&thread_key, thread_exit);
}

static rt_thread *thread_self(void)
{
    rt_thread *t = tls_t;
    if (t)
        return t;
    pthread_once(&thread_key_once, thread_key_make);
    t = calloc(1, sizeof *t);
    rt_assert(t);
    t->g.id = 0;
    atomic_store(&t->g.state, RT_G_RUNNING);
    rt_lock(&S.thread_lock);
    t->next = S.threads;
    S.threads = t;
    rt_unlock(&S.thread_lock);
    pthread_setspecific(thread_key, t);
    tls_t = t;
    return t;
}

rt_g *rt_waiter_self(void)
{
    rt_worker *w = rt_self();
    if (w && w->cur)
        return w->cur;
    return &thread_self()->g;
}

static void thread_park(void (*unlock)(void *), void *arg,
                        enum rt_wait_reason reason, const goc_loc *loc)
{
    rt_thread *t = thread_self();
    if (rt_self()) /* a worker's own context never blocks */
        rt_throw(__FILE__, __LINE__, "blocking operation on a worker's g0");
    rt_sched_start(); /* somebody must run to wake us */
    t->g.wait_reason = reason;
    t->g.wait_loc = loc;
    atomic_store(&t->wake, 0);
    atomic_store(&t->g.state, RT_G_PARKED);
    atomic_fetch_add(&S.nthread_parked, 1);
    atomic_fetch_add(&S.thread_epoch, 1);
    if (unlock)
        unlock(arg);
    rt_poll_wakeup(); /* the idle poller looks again for a deadlock */
    while (atomic_load(&t->wake) == 0)
        rt_futex_wait(&t->wake, 0, -1);
    atomic_store(&t->g.state, RT_G_RUNNING);
}

static void thread_wake(rt_thread *t)
{
    /* Counted out of the parked threads here, not by the thread once the
     * kernel runs it: meanwhile it is running, for the deadlock detector.
     * The record lives until its thread exits, which it cannot do before
     * seeing wake: a futex wake racing with that exit is harmless. */
    atomic_fetch_sub(&S.nthread_parked, 1);
    atomic_fetch_add(&S.thread_epoch, 1);
    atomic_store(&t->wake, 1);
    rt_futex_wake(&t->wake, 1);
}

static void go_from_thread(goc_fn fn, const void *arg, size_t argsize,
                           const goc_loc *loc)
{
    pthread_once(&init_once, sched_init);
    rt_g *g = g_new_ext(fn, arg, argsize, loc, 0);
    RT_TRACE(rt_trace_create(-1, NULL, g));
    global_put_batch(g, g, 1);
    atomic_fetch_add(&S.thread_epoch, 1);
    if (!atomic_load(&S.started) && !on_main_thread())
        rt_sched_start();
    wakep();
}

void rt_thread_foreach(void (*fn)(rt_g *, void *), void *arg)
{
    rt_lock(&S.thread_lock); /* a thread may be exiting meanwhile */
    for (rt_thread *t = S.threads; t; t = t->next)
        if (atomic_load(&t->g.state) == RT_G_PARKED)
            fn(&t->g, arg);
    rt_unlock(&S.thread_lock);
}

/* Threads in the process, -1 when unknown. */
static long os_threads(void)
{
#ifdef __linux__
    char buf[1024];
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1); /* no stdio: not in libc's FILE list */
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = 0;
    /* pid (comm) state ppid ... num_threads is field 20; comm may hold
     * blanks and parentheses, so count from the last ')'. */
    char *p = strrchr(buf, ')');
    for (int field = 2; p && field < 20; field++)
        p = strchr(p + 1, ' ');
    return p ? strtol(p + 1, NULL, 10) : -1;
#else
    return -1;
#endif
}

/* Threads the runtime did not start that are not parked in it: they may
 * still spawn or send. */
static long threads_outside(void)
{
    long n = os_threads();
    if (n < 0)
        return 0;
    n -= S.nprocs + 1 /* sysmon */ + rt_debug_threads() + S.base_threads;
    n -= atomic_load(&S.nrun_waiting) + atomic_load(&S.nthread_parked);
    return n > 0 ? n : 0;
}

/* ---- sysmon ---------------------------------------------------------------- */
/*
 * A monitor thread, as in Go, for what cooperative workers cannot see while
 * one coroutine keeps a worker busy.  Every millisecond it
 *  - ends time slices: a coroutine that has run for 10 ms is asked to
 *    yield at its next preemption check (preempt.c);
 *  - looks for a worker whose tick has not moved and that holds runnable
 *    work (runnext or ring), and wakes an idle worker to steal it (thieves
 *    may take runnext on their last round);
 *  - fires due timers when no worker owns the poller, if a worker is idle
 *    to run what they ready, or once they are a slice late and no
 *    preemption is under way (with every worker busy, the preempted
 *    coroutine's worker fires them and runs what they ready next, which
 *    is what keeps timers punctual: readied from here they would queue
 *    behind every preempted coroutine).
 *  - returns stacks that stayed idle for a while to the system
 *    (rt_stack_scavenge).
 * It runs with one worker too.  While every worker is idle it sleeps until
 * one leaves the idle list (idle_leave), so an idle program uses no CPU,
 * or, while idle stacks wait to be returned, 100 ms at a time.
 */
static void sysmon_sleep_while_idle(int scavenging)
{
    atomic_store(&S.sysmon_asleep, 1);
    if (atomic_load(&S.nidle) == S.nprocs)
        rt_futex_wait(&S.sysmon_asleep, 1,
                      scavenging ? 100 * GOC_MILLISECOND : -1);
    atomic_store(&S.sysmon_asleep, 0);
}

static void sysmon_timers(int preempting)
{
    if (atomic_load_explicit(&S.poll_owner, memory_order_relaxed))
        return;
    int64_t next = rt_timer_next(), now = goc_now();
    if (next != INT64_MAX && next <= now &&
        (atomic_load(&S.nidle) > 0 ||
         (!preempting && now - next >= RT_SLICE_NS)))
        rt_timer_run(now);
}

static void *sysmon_main(void *arg)
{
    (void)arg;
    uint32_t last[256] = {0};
    for (;;) {
        if (atomic_load_explicit(&S.stopping, memory_order_relaxed))
            thread_stop();
        /* idle stacks back to the system (stack.c paces it) */
        int scavenging = rt_stack_scavenge(goc_now());
        if (atomic_load(&S.nidle) == S.nprocs)
            sysmon_sleep_while_idle(scavenging);
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        sysmon_timers(rt_preempt_monitor(goc_now()));
        int stuck = 0;
        for (int i = 0; i < S.nprocs && i < 256; i++) {
            rt_worker *w = S.w[i];
            uint32_t t = atomic_load_explicit(&w->tick, memory_order_relaxed);
            if (t == last[i] &&
                (runq_len(w) || atomic_load_explicit(&w->runnext,
                                                     memory_order_relaxed)))
                stuck = 1;
            last[i] = t;
        }
        if (stuck)
            wakep();
    }
    return NULL;
}

/* ---- start-up and the entry points --------------------------------------- */

static int procs_from_env(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    n = n < 1 ? 1 : n > 256 ? 256 : n;
    return (int)rt_env_int("GOC_PROCS", n, 1, 256);
}

static void fork_child(void);
static sigset_t orig_mask;
static rt_g main_rec; /* main's record under goc_main: its stack is the thread's */

/* What spawning needs (stacks, the worker records); no thread starts. */
static void sched_init(void)
{
    rt_env_check_debug();
    S.nprocs = procs_from_env();
    rt_stack_init(rt_current);
    static const rt_poll_sched poll_sched = {rt_current, rt_park,
                                             rt_ready_batch};
    rt_poll_set_sched(&poll_sched);
    rt_preempt_init(S.nprocs, preempt_yield);
    rt_trace_init(S.nprocs);
    rt_timer_init(S.nprocs, ready_arg);
    S.w = calloc((size_t)S.nprocs, sizeof *S.w);
    rt_assert(S.w);
    for (int i = 0; i < S.nprocs; i++) {
        rt_worker *w = aligned_alloc(64, (sizeof *w + 63) & ~(size_t)63);
        rt_assert(w);
        memset(w, 0, sizeof *w);
        w->index = i;
        S.w[i] = w;
    }
    pthread_sigmask(SIG_SETMASK, NULL, &orig_mask);
    pthread_atfork(NULL, NULL, fork_child);
#if RT_VALGRIND
    if (RUNNING_ON_VALGRIND)
        atexit(stop_threads);
#endif
}

/* Start the threads, with start_lock held.  host0: the calling thread is
 * worker 0 (goc_main), running main (main_rec), and gets no thread. */
static void sched_start_threads(int host0)
{
    rt_poll_init();
    static const rt_debug_sched debug_sched = {
        rt_current, rt_thread_foreach, rt_sched_stats_read};
    rt_debug_init(&debug_sched);
    rt_lsan_init();
#if RT_TSAN
    S.base_threads = os_threads() - 1; /* the sanitizer's own */
#endif
    if (host0) { /* before any thread can ready main */
        S.pin_g = &main_rec;
        atomic_store(&S.main_g, &main_rec);
    }
    for (int i = host0 ? 1 : 0; i < S.nprocs; i++) {
        S.w[i]->thread_owned = 1;
        atomic_fetch_add(&S.nthreads, 1);
        if (rt_thread_start(worker_main, S.w[i], &S.w[i]->thread))
            rt_throw(__FILE__, __LINE__, "cannot start a worker thread");
    }
    atomic_fetch_add(&S.nthreads, 1);
    if (rt_thread_start(sysmon_main, NULL, &S.sysmon))
        rt_throw(__FILE__, __LINE__, "cannot start the monitor thread");
    atomic_store(&S.started, 1);
}

/* Start the runtime's threads once; returns 1 when this call did. */
static int runtime_start(int host0)
{
    if (atomic_load_explicit(&S.started, memory_order_acquire))
        return 0;
    pthread_once(&init_once, sched_init);
    rt_lock(&S.start_lock);
    int first = !atomic_load(&S.started);
    if (first)
        sched_start_threads(host0);
    rt_unlock(&S.start_lock);
    return first;
}

void rt_sched_start(void)
{
    runtime_start(0);
}

struct main_args {
    int (*fn)(int, char **);
    int argc;
    char **argv;
};

static void main_entry(void *p)
{
    struct main_args *a = p;
    int status = a->fn(a->argc, a->argv);
    if (S.child_main) /* main called fork: this is the child */
        exit(status);
    S.run_status = status;
    atomic_store(&S.main_g, NULL);
    atomic_store(&S.run_done, 1);
    rt_futex_wake(&S.run_done, 1);
}

int goc_run(int (*main_fn)(int, char **), int argc, char **argv)
{
    static _Atomic int running;
    if (rt_self())
        rt_throw(__FILE__, __LINE__, "goc_run called from a coroutine");
    if (atomic_exchange(&running, 1))
        rt_throw(__FILE__, __LINE__, "goc_run called concurrently");
    rt_sched_start();
    struct main_args a = {main_fn, argc, argv};
    static const goc_loc main_loc = {"main", 0};
    rt_g *g = g_new_ext(main_entry, &a, sizeof a, &main_loc, 1);
    atomic_store(&S.run_done, 0);
    atomic_store(&S.main_g, g);
    global_put_batch(g, g, 1);
    atomic_fetch_add(&S.nrun_waiting, 1);
    wakep();
    while (atomic_load(&S.run_done) == 0)
        rt_futex_wait(&S.run_done, 0, -1);
    atomic_fetch_sub(&S.nrun_waiting, 1);
    int status = S.run_status;
    atomic_store(&running, 0);
    return status;
}

/* ---- fork ------------------------------------------------------------------ */
/*
 * POSIX: the child of a multithreaded process has one thread, the one that
 * called fork.  The child handler gives it a fresh runtime around the
 * coroutine that forked: one worker (this thread), empty queues, no
 * timers, a new poller; every other coroutine is gone (their stacks stay
 * mapped but are never run or reported).  The forking coroutine is the
 * child's main: when it returns the child exits with status 0, as a
 * returning main does (main itself exits with its own status).
 */
/* orig_mask: the signal mask of the thread that started the runtime,
 * given back to a child forked on a runtime thread. */

static void fork_child(void)
{
    if (!S.started)
        return;
    rt_worker *w = tls_w;
    rt_g *g = w ? w->cur : NULL;
    rt_stack_fork_child(g);
    rt_timer_fork_child();
    rt_poll_fork_child();
    S.glock = S.idle_lock = S.ext_lock = 0;
    S.ghead = S.gtail = NULL;
    atomic_store(&S.glen, 0);
    S.idle_list = NULL;
    atomic_store(&S.nidle, 0);
    atomic_store(&S.nspinning, 0);
    atomic_store(&S.poll_owner, 0);
    atomic_store(&S.poll_until, 0);
    S.ext_stacks = (rt_stack_cache){0};
    if (!g) { /* a plain thread forked: the child starts over if it must */
        S.started = 0;
        S.start_lock = 0;
        S.pin_g = NULL;
        atomic_store(&S.main_g, NULL);
        return;
    }
    if (w != S.w[0] || g != S.pin_g) /* a runtime thread: its mask */
        pthread_sigmask(SIG_SETMASK, &orig_mask, NULL);
    atomic_store(&w->head, 0);
    atomic_store(&w->tail, 0);
    atomic_store(&w->runnext, NULL);
    atomic_store(&w->pinned, NULL);
    atomic_store(&w->park_word, 0);
    w->idle = w->polling = w->woken = w->spinning = 0;
    w->idle_next = NULL;
    w->index = 0;
    S.w[0] = w;
    S.nprocs = 1;
    if (g != S.pin_g) {
        S.pin_g = NULL;
        rt_stack_adopt(NULL);
    }
    S.child_main = g;
    atomic_store(&S.main_g, g);
}

/* ---- main on the main thread (goc_main) ---------------------------------- */

enum { G0_STACK = 256 * 1024 };


/* Worker 0's scheduler context, on a stack of its own, entered the first
 * time main parks. */
static void g0_entry(void *unused)
{
    (void)unused;
#if RT_ASAN
    __sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
    post_switch(rt_self());
    worker_loop(rt_self());
}

static void g0_make(rt_worker *w)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, G0_STACK + page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (p == MAP_FAILED)
        rt_throw(__FILE__, __LINE__, "cannot allocate the scheduler stack");
    mprotect(p, page, PROT_NONE);
    w->g0_lo = p + page;
    w->g0_size = G0_STACK;
    w->g0_sp = rt_ctx_make(w->g0_lo, p + page + G0_STACK, g0_entry, NULL);
#if RT_TSAN
    w->g0_fiber = __tsan_create_fiber(0);
#endif
#if RT_VALGRIND
    /* A stack valgrind does not know, within its 2 MB "frame" limit of a
     * slab of coroutine stacks (mmap places them side by side): a switch
     * from it to a coroutine was taken for a frame, and the coroutine's
     * saved context for fresh, undefined stack. */
    (void)VALGRIND_STACK_REGISTER(w->g0_lo, w->g0_lo + G0_STACK);
#endif
}

/* The running thread's stack, [lo, lo + size): for the main thread, the
 * RLIMIT_STACK bound below its top. */
static void thread_stack(char **lo, size_t *size)
{
    *lo = NULL;
    *size = (size_t)-1 / 2;
#ifdef __linux__
    pthread_attr_t a;
    void *addr;
    if (pthread_getattr_np(pthread_self(), &a) == 0) {
        if (pthread_attr_getstack(&a, &addr, size) == 0)
            *lo = addr;
        pthread_attr_destroy(&a);
    }
#endif
}

/* Make the calling thread worker 0, running main_rec. */
static void host_main(void)
{
    rt_worker *w = S.w[0];
    rt_g *g = &main_rec;
    tls_w = w;
    w->thread = pthread_self();
    rt_stack_thread_init();
    rt_preempt_thread_init(0);
    g0_make(w);
    g->id = 1;
    g->go_loc = (goc_loc){"main", 0};
    g->guarded = 1; /* the kernel's guard gap */
    thread_stack(&g->stack_lo, &g->stack_size);
#if RT_TSAN
    g->tsan_fiber = __tsan_get_current_fiber();
#endif
    atomic_store_explicit(&g->state, RT_G_RUNNING, memory_order_relaxed);
    rt_stack_adopt(g);
    w->cur = g;
    w->in_sched = 0;
    /* GOC_TRACE: main is created and starts running here, not at a switch */
    RT_TRACE(rt_trace_create(0, NULL, g));
    RT_TRACE(rt_trace_switch(0, NULL, trace_end(w, NULL), g));
}

void goc_main(int (*main_fn)(int, char **), int argc, char **argv)
{
    int status;
    if (!rt_self() && runtime_start(1)) {
        host_main();
        status = main_fn(argc, argv);
    } else {
        /* The runtime was already started (by goc_run, or by a spawn
         * before main): main runs as a coroutine, as under goc_run. */
        status = goc_run(main_fn, argc, argv);
    }
    while (atomic_load(&rt_dying))
        pause(); /* another thread is reporting a fatal error: it exits */
    exit(status);
}

void rt_sched_timer_added(int64_t when)
{
    full_fence();
    int64_t until = atomic_load(&S.poll_until);
    if (until != 0 && when < until)
        rt_poll_wakeup();
}

void rt_sched_stats_read(rt_sched_stats *s)
{
    memset(s, 0, sizeof *s);
    s->procs = S.nprocs;
    s->idle = atomic_load(&S.nidle);
    s->spinning = atomic_load(&S.nspinning);
    s->global_len = atomic_load(&S.glen);
    s->live = atomic_load(&S.main_g) != NULL; /* main: not a spawn */
    for (int i = 0; i < S.nprocs; i++) {
        rt_worker *w = S.w[i];
        if (i < 64)
            s->local_len[i] = runq_len(w) +
                              (atomic_load(&w->runnext) != NULL ? 1 : 0);
        s->live += atomic_load_explicit(&w->nspawn, memory_order_relaxed) -
                   atomic_load_explicit(&w->nexit, memory_order_relaxed);
    }
}
