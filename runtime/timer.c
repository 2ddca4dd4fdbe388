/*
 * timer.c - the monotonic clock and the runtime's timers: one
 * process-wide 4-ary min-heap of rt_timer entries under one lock.  A timer
 * calls fn(arg) when it fires; what that does (ready a sleeper, send the
 * time on a channel) belongs to the caller (time.c), so this file depends
 * on nothing above the lock.
 *
 * The heap holds each timer's deadline next to its pointer, so sifting
 * reads one contiguous array and never the timers themselves.  A timer
 * that can be stopped knows its heap index, so it can be stopped or moved
 * in O(log n) (goc_timer_stop, goc_timer_reset, and the timeout case of a
 * select, which stops its timer as soon as the select is done).
 *
 * A sleeper has no timer at all: its entry, the deadline and the coroutine
 * (tagged | 1), is all there is (rt_timer_sleep).  The worker that parks
 * it writes the entry into its own staging ring, without the lock; the
 * next rt_timer_run that finds the rings' earliest deadline due moves
 * every ring into the heap, and firing the entry readies the coroutine.
 * With 100k sleepers, the timers they kept on their stacks cost a cache
 * and a TLB miss each time the heap's lock holder read one (to link it,
 * to move it, to fire it), and a shared list head moved between the
 * spawning worker and the firing one on every sleep.  `staged_min` is a
 * lower bound of the rings' deadlines, counted in by rt_timer_next().
 *
 * Who fires timers: the idle worker that owns the poller sleeps in
 * rt_poll() exactly until the earliest deadline (`next`, read without the
 * lock); busy workers look every 64 switches unless another worker looked
 * in the last 50 us (sched.c's timers_poll_busy), and whenever a yield
 * finds nothing else to run; with several workers sysmon looks every
 * millisecond.  A new earliest deadline interrupts the poller
 * (rt_sched_timer_added, called by whoever adds the timer).
 */
#include "ctx.h"

#include <sched.h>
#include <string.h>
#include <time.h>

static uint32_t lock;
typedef struct hent {
    int64_t when; /* the timer's while it is in the heap */
    uintptr_t tp; /* the rt_timer, or a sleeper's coroutine | 1 */
} hent;

/* A worker's staging ring: the worker writes entries at head; whoever
 * holds the lock moves them into the heap from tail. */
enum { RING = 512 };
typedef struct ring {
    _Alignas(64) _Atomic uint32_t head;
    _Alignas(64) _Atomic uint32_t tail;
    hent e[RING];
} ring;

static ring *rings;
static int nrings;
static void (*wake)(void *); /* a sleeper's: the scheduler's rt_ready */

static hent *heap; /* under lock */
static size_t len, cap;
static _Atomic int64_t next = INT64_MAX;
static _Atomic int firing; /* timers taken from the heap, fn not yet run */

int64_t goc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * GOC_SECOND + ts.tv_nsec;
}

/* A lower bound of the deadlines in the rings (INT64_MAX: none; may be
 * stale low, never high: take_staged resets it before it empties them). */
static _Atomic int64_t staged_min = INT64_MAX;

void rt_timer_init(int n, void (*wake_fn)(void *))
{
    rings = aligned_alloc(64, (size_t)n * sizeof *rings);
    if (!rings)
        rt_throw(__FILE__, __LINE__, "out of memory for timers");
    memset(rings, 0, (size_t)n * sizeof *rings);
    nrings = n;
    wake = wake_fn;
}

int64_t rt_timer_next(void)
{
    int64_t a = atomic_load(&next), b = atomic_load(&staged_min);
    return a < b ? a : b;
}

void rt_timer_fork_child(void)
{
    lock = 0;
    len = 0;
    atomic_store(&next, INT64_MAX);
    atomic_store(&firing, 0);
    atomic_store(&staged_min, INT64_MAX);
    for (int i = 0; i < nrings; i++) { /* the sleepers are not here */
        atomic_store(&rings[i].head, 0);
        atomic_store(&rings[i].tail, 0);
    }
}

int rt_timer_firing(void) { return atomic_load(&firing); }

long rt_timer_count(void)
{
    long n = (long)__atomic_load_n(&len, __ATOMIC_RELAXED);
    for (int i = 0; i < nrings; i++)
        n += (long)(atomic_load_explicit(&rings[i].head, memory_order_relaxed) -
                    atomic_load_explicit(&rings[i].tail, memory_order_relaxed));
    return n;
}

static rt_timer *timer_of(hent e) { return (rt_timer *)(e.tp & ~(uintptr_t)1); }

/* A sleeper's entry has no timer to keep an index in. */
static void put(size_t i, hent e)
{
    heap[i] = e;
    if (!(e.tp & 1))
        timer_of(e)->idx = (long)i;
}

static void sift_up(size_t i)
{
    hent e = heap[i];
    while (i > 0) {
        size_t p = (i - 1) / 4;
        if (heap[p].when <= e.when)
            break;
        put(i, heap[p]);
        i = p;
    }
    put(i, e);
}

/* The earliest of i's children; 0 when it has none. */
static size_t min_child(size_t i)
{
    size_t c = 4 * i + 1, m = c;
    if (c >= len)
        return 0;
    for (size_t k = c + 1; k < c + 4 && k < len; k++)
        if (heap[k].when < heap[m].when)
            m = k;
    return m;
}

static void sift_down(size_t i)
{
    hent e = heap[i];
    for (;;) {
        size_t m = min_child(i);
        if (!m || heap[m].when >= e.when)
            break;
        put(i, heap[m]);
        i = m;
    }
    put(i, e);
}

/* After the heap changed, lock held.  A release store: whoever adds a
 * timer then calls rt_sched_timer_added, whose fence orders it against
 * the poller's deadline. */
static void publish(void)
{
    atomic_store_explicit(&next, len ? heap[0].when : INT64_MAX,
                          memory_order_release);
}

/* Lock held. */
static void heap_push_entry(hent e)
{
    if (len == cap) {
        size_t ncap = cap ? cap * 2 : 256;
        hent *nh = realloc(heap, ncap * sizeof *nh);
        if (!nh)
            rt_throw(__FILE__, __LINE__, "out of memory for timers");
        heap = nh;
        cap = ncap;
    }
    __atomic_store_n(&len, len + 1, __ATOMIC_RELAXED);
    put(len - 1, e);
    sift_up(len - 1);
}

static void heap_push(rt_timer *t)
{
    if (t->when == INT64_MAX) /* INT64_MAX means "no timer" in `next` */
        t->when--;
    heap_push_entry((hent){t->when, (uintptr_t)t});
    publish();
}

/* Lock held: remove the entry at i; the caller publishes.  The earliest
 * (i == 0) goes bottom-up: the hole sinks along the smaller children to
 * the bottom, where the last entry, which came from there, fills it and
 * seldom rises (three comparisons a level instead of four). */
static void heap_remove_at(size_t i)
{
    hent e = heap[i], last = heap[len - 1];
    __atomic_store_n(&len, len - 1, __ATOMIC_RELAXED);
    if (!(e.tp & 1))
        ((rt_timer *)e.tp)->idx = -1;
    if (i == len)
        return;
    if (i == 0) {
        for (size_t m; (m = min_child(i)) != 0; i = m)
            put(i, heap[m]);
        put(i, last);
        sift_up(i);
        return;
    }
    put(i, last);
    sift_down(i);
    /* where `last` went: down from i, or, if it stayed, maybe up */
    if (heap[i].tp == last.tp)
        sift_up(i);
}

/* Lock held; t is in the heap and keeps its index. */
static void heap_remove(rt_timer *t)
{
    heap_remove_at((size_t)t->idx);
    publish();
}

void rt_timer_add(rt_timer *t)
{
    rt_lock(&lock);
    heap_push(t);
    rt_unlock(&lock);
}

/* Lock held: move ring q's entries into the heap. */
static void drain(ring *q)
{
    uint32_t t = atomic_load_explicit(&q->tail, memory_order_relaxed);
    uint32_t h = atomic_load_explicit(&q->head, memory_order_acquire);
    for (; t != h; t++)
        heap_push_entry(q->e[t % RING]);
    atomic_store_explicit(&q->tail, h, memory_order_release);
    publish();
}

int rt_timer_sleep(int r, int64_t when, void *g)
{
    ring *q = &rings[r];
    uint32_t h = atomic_load_explicit(&q->head, memory_order_relaxed);
    if (h - atomic_load_explicit(&q->tail, memory_order_acquire) == RING) {
        rt_lock(&lock); /* full: make room */
        drain(q);
        rt_unlock(&lock);
    }
    if (when == INT64_MAX)
        when--;
    q->e[h % RING] = (hent){when, (uintptr_t)g | 1};
    atomic_store(&q->head, h + 1); /* before staged_min is read: see below */
    int64_t m = atomic_load(&staged_min);
    while (when < m)
        if (atomic_compare_exchange_weak(&staged_min, &m, when))
            return 1;
    return 0;
}

/* Lock held: once the earliest deadline in the rings is due, move them all
 * into the heap (taking them sooner would only pull the rings' cache lines
 * away from the workers writing them).  The bound is reset first: an entry
 * written meanwhile is either seen by the drain or lowers it again (both
 * sides store, then load, sequentially consistent). */
static int take_staged(int64_t now)
{
    if (atomic_load_explicit(&staged_min, memory_order_relaxed) > now)
        return 0;
    atomic_store(&staged_min, INT64_MAX);
    int took = 0;
    for (int i = 0; i < nrings; i++) {
        ring *q = &rings[i];
        if (atomic_load(&q->head) !=
            atomic_load_explicit(&q->tail, memory_order_relaxed)) {
            drain(q);
            took = 1;
        }
    }
    return took;
}

/* Wait until a concurrent rt_timer_run has finished calling t->fn. */
static void wait_fired(rt_timer *t)
{
    while (atomic_load_explicit(&t->firing, memory_order_acquire))
        sched_yield();
}

int rt_timer_stop(rt_timer *t)
{
    rt_lock(&lock);
    int pending = t->idx >= 0;
    if (pending)
        heap_remove(t);
    t->period = 0;
    rt_unlock(&lock);
    wait_fired(t);
    return pending;
}

int rt_timer_reset(rt_timer *t, int64_t when, int64_t period)
{
    rt_lock(&lock);
    int pending = t->idx >= 0;
    if (pending)
        heap_remove(t);
    t->when = when;
    t->period = period;
    rt_unlock(&lock);
    wait_fired(t);
    rt_lock(&lock);
    if (t->idx < 0) /* not re-armed meanwhile by a concurrent reset */
        heap_push(t);
    rt_unlock(&lock);
    return pending;
}

/* Lock held: take the earliest entry, due at `now`.  A periodic timer is
 * re-armed at once at its next tick after `now` (ticks a slow receiver
 * missed are dropped, as Go's tickers do).  A sleeper's entry is only
 * removed: its coroutine is not touched under the lock. */
static uintptr_t take_due(int64_t now)
{
    uintptr_t tp = heap[0].tp;
    if (tp & 1) {
        heap_remove_at(0);
        return tp;
    }
    rt_timer *t = (rt_timer *)tp;
    if (t->period > 0) {
        int64_t late = now - t->when;
        t->when += t->period * (1 + late / t->period);
        if (t->when == INT64_MAX)
            t->when--;
        heap[0].when = t->when;
        sift_down(0);
    } else {
        heap_remove_at(0);
    }
    atomic_fetch_add_explicit(&t->firing, 1, memory_order_relaxed);
    return tp;
}

int rt_timer_run(int64_t now)
{
    int fired = 0;
    for (;;) {
        if (rt_timer_next() > now)
            return fired;
        uintptr_t due[8];
        int n = 0;
        rt_lock(&lock);
        int took = take_staged(now);
        while (len && heap[0].when <= now && n < 8)
            due[n++] = take_due(now);
        if (n) /* before `next` can look empty to the deadlock check */
            atomic_fetch_add(&firing, 1);
        publish();
        int64_t first = atomic_load_explicit(&next, memory_order_relaxed);
        rt_unlock(&lock);
        /* A poller that read `next` and `staged_min` while take_staged had
         * reset the one and not yet lowered the other sleeps too long, and
         * so does one that slept before a ticker fired here was re-armed
         * earlier than its deadline. */
        if ((took || n) && first != INT64_MAX)
            rt_sched_timer_added(first);
        /* What they wake is in cold memory (a record at the top of each
         * sleeper's stack): fetch it all at once, not miss after miss. */
        for (int i = 0; i < n; i++)
            __builtin_prefetch((void *)(due[i] & ~(uintptr_t)1), 1);
        for (int i = 0; i < n; i++) {
            if (due[i] & 1) {
                wake((void *)(due[i] & ~(uintptr_t)1));
                continue;
            }
            rt_timer *t = (rt_timer *)due[i];
            t->fn(t->arg);
            atomic_fetch_sub_explicit(&t->firing, 1, memory_order_release);
        }
        if (n)
            atomic_fetch_sub(&firing, 1);
        fired += n;
        if (n < 8)
            return fired;
    }
}

int64_t rt_deadline(int64_t d)
{
    int64_t now = goc_now();
    if (d < 0)
        d = 0;
    return d > INT64_MAX - 1 - now ? INT64_MAX - 1 : now + d;
}
