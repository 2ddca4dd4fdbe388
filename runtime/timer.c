/*
 * timer.c - the monotonic clock and the runtime's timers: one
 * process-wide 4-ary min-heap of rt_timer entries under one lock.  A timer
 * calls fn(arg) when it fires; what that does (ready a sleeper, send the
 * time on a channel) belongs to the caller (time.c), so this file depends
 * on nothing above the lock.
 *
 * The heap holds each timer's deadline next to its pointer, so sifting
 * reads one contiguous array and never the timers themselves (a sleeper's
 * timer lives on its own stack: with 100k sleepers, reading `when` through
 * the pointer cost a cache and TLB miss per comparison, under the lock).
 * A timer that can be stopped knows its heap index, so it can be stopped
 * or moved in O(log n) (goc_timer_stop, goc_timer_reset, and the timeout
 * case of a select, which stops its timer as soon as the select is done);
 * a sleeper's, never stopped, keeps none, and is added without the lock:
 * pushed on a lock-free list that the next rt_timer_run moves into the
 * heap (rt_timer_add_staged), with a lower bound of the list's deadlines
 * that rt_timer_next() counts in.
 *
 * Who fires timers: the idle worker that owns the poller sleeps in
 * rt_poll() exactly until the earliest deadline (`next`, read without the
 * lock); busy workers look every 64 switches and whenever a yield finds
 * nothing else to run; with several workers sysmon looks every
 * millisecond.  A new earliest deadline interrupts the poller
 * (rt_sched_timer_added, called by whoever adds the timer).
 */
#include "ctx.h"

#include <sched.h>
#include <time.h>

static uint32_t lock;
typedef struct hent {
    int64_t when; /* the timer's while it is in the heap */
    uintptr_t tp; /* the rt_timer, | 1 when it keeps no index (nowait) */
} hent;

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

/* Sleepers' timers not yet in the heap (rt_timer_add_staged), and a lower
 * bound of their deadlines (INT64_MAX: none; may be stale low, never
 * high: rt_timer_run resets it when it takes the list). */
static _Atomic(rt_timer *) staged;
static _Atomic int64_t staged_min = INT64_MAX;
static _Atomic long nstaged; /* for rt_timer_count */

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
    atomic_store(&staged, NULL);
    atomic_store(&staged_min, INT64_MAX);
    atomic_store(&nstaged, 0);
}

int rt_timer_firing(void) { return atomic_load(&firing); }

long rt_timer_count(void)
{
    return (long)__atomic_load_n(&len, __ATOMIC_RELAXED) +
           atomic_load_explicit(&nstaged, memory_order_relaxed);
}

static rt_timer *timer_of(hent e) { return (rt_timer *)(e.tp & ~(uintptr_t)1); }

/* A sleeper's timer (nowait) is never stopped, so it needs no index: its
 * moves touch the heap alone, not a page of each of 100k sleepers' stacks. */
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

static void sift_down(size_t i)
{
    hent e = heap[i];
    for (;;) {
        size_t c = 4 * i + 1, m = c;
        if (c >= len)
            break;
        for (size_t k = c + 1; k < c + 4 && k < len; k++)
            if (heap[k].when < heap[m].when)
                m = k;
        if (heap[m].when >= e.when)
            break;
        put(i, heap[m]);
        i = m;
    }
    put(i, e);
}

static void publish(void)
{
    atomic_store(&next, len ? heap[0].when : INT64_MAX);
}

/* Lock held. */
static void heap_push(rt_timer *t)
{
    if (len == cap) {
        size_t ncap = cap ? cap * 2 : 256;
        hent *nh = realloc(heap, ncap * sizeof *nh);
        if (!nh)
            rt_throw(__FILE__, __LINE__, "out of memory for timers");
        heap = nh;
        cap = ncap;
    }
    if (t->when == INT64_MAX) /* INT64_MAX means "no timer" in `next` */
        t->when--;
    __atomic_store_n(&len, len + 1, __ATOMIC_RELAXED);
    put(len - 1, (hent){t->when, (uintptr_t)t | (t->nowait ? 1u : 0u)});
    sift_up(len - 1);
    publish();
}

/* Lock held: remove the entry at i. */
static void heap_remove_at(size_t i)
{
    rt_timer *t = timer_of(heap[i]);
    hent last = heap[len - 1];
    __atomic_store_n(&len, len - 1, __ATOMIC_RELAXED);
    if (!t->nowait)
        t->idx = -1;
    if (i < len) {
        put(i, last);
        sift_down(i);
        /* where `last` went: down from i, or, if it stayed, maybe up */
        if (heap[i].tp == last.tp)
            sift_up(i);
    }
    publish();
}

/* Lock held; t is in the heap and keeps its index. */
static void heap_remove(rt_timer *t) { heap_remove_at((size_t)t->idx); }

void rt_timer_add(rt_timer *t)
{
    rt_lock(&lock);
    heap_push(t);
    rt_unlock(&lock);
}

void rt_timer_add_staged(rt_timer *t)
{
    int64_t when = t->when; /* t may fire, and be gone, once pushed */
    atomic_fetch_add_explicit(&nstaged, 1, memory_order_relaxed);
    rt_timer *h = atomic_load_explicit(&staged, memory_order_relaxed);
    do
        t->staged_next = h;
    while (!atomic_compare_exchange_weak_explicit(
        &staged, &h, t, memory_order_release, memory_order_relaxed));
    int64_t m = atomic_load(&staged_min);
    while (when < m && !atomic_compare_exchange_weak(&staged_min, &m, when))
        ;
}

/* Lock held: move the staged timers into the heap.  The bound is reset
 * first, so that one lowered by a timer pushed meanwhile stays low. */
static void take_staged(void)
{
    if (!atomic_load_explicit(&staged, memory_order_relaxed))
        return;
    atomic_store(&staged_min, INT64_MAX);
    rt_timer *t = atomic_exchange_explicit(&staged, NULL, memory_order_acquire);
    long k = 0;
    for (; t; k++) {
        rt_timer *n = t->staged_next;
        heap_push(t);
        t = n;
    }
    atomic_fetch_sub_explicit(&nstaged, k, memory_order_relaxed);
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

/* Lock held: take the earliest timer, due at `now`.  A periodic timer is
 * re-armed at once at its next tick after `now` (ticks a slow receiver
 * missed are dropped, as Go's tickers do). */
static rt_timer *take_due(int64_t now)
{
    rt_timer *t = timer_of(heap[0]);
    if (t->period > 0) {
        int64_t late = now - t->when;
        t->when += t->period * (1 + late / t->period);
        if (t->when == INT64_MAX)
            t->when--;
        heap[0].when = t->when;
        sift_down(0);
        publish();
    } else {
        heap_remove_at(0);
    }
    if (!t->nowait)
        atomic_fetch_add_explicit(&t->firing, 1, memory_order_relaxed);
    return t;
}

int rt_timer_run(int64_t now)
{
    int fired = 0;
    for (;;) {
        if (rt_timer_next() > now)
            return fired;
        rt_timer *due[8];
        int n = 0;
        rt_lock(&lock);
        take_staged();
        while (len && heap[0].when <= now && n < 8)
            due[n++] = take_due(now);
        if (n) /* before `next` can look empty to the deadlock check */
            atomic_fetch_add(&firing, 1);
        rt_unlock(&lock);
        for (int i = 0; i < n; i++) {
            rt_timer *t = due[i];
            int nowait = t->nowait;
            t->fn(t->arg);
            /* A nowait timer (a sleeper's, on its stack) may be gone now. */
            if (!nowait)
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
