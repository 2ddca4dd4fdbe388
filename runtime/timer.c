/*
 * timer.c - sleeping and goc_after: one process-wide 4-ary min-heap of
 * deadlines under one lock.
 *
 * One heap instead of Go's per-worker heaps: simpler, and a lock taken once
 * per sleep is cheap next to the switch it causes; the cost is contention
 * when many workers add timers at once.  Entries are never cancelled (the
 * API has no way to stop a timer), so there is no lazy deletion either.
 *
 * Who fires timers: the idle worker that owns the poller sleeps in
 * rt_poll() exactly until the earliest deadline (`next`, read without the
 * lock), and busy workers look every 64 switches while no worker polls.
 * A new earliest deadline interrupts the poller (rt_sched_timer_added).
 */
#include "ctx.h"

#include <errno.h>
#include <time.h>

typedef struct timer {
    int64_t when;
    rt_g *g;       /* a sleeper to ready, or */
    goc_chan *c;   /* goc_after's channel to send the time on */
} timer;

static uint32_t lock;
static timer *heap; /* under lock */
static size_t len, cap;
static _Atomic int64_t next = INT64_MAX;

int64_t goc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * GOC_SECOND + ts.tv_nsec;
}

int64_t rt_timer_next(void) { return atomic_load(&next); }

void rt_timer_fork_child(void)
{
    lock = 0;
    len = 0;
    atomic_store(&next, INT64_MAX);
}

long rt_timer_count(void)
{
    return (long)__atomic_load_n(&len, __ATOMIC_RELAXED);
}

static void sift_up(size_t i)
{
    timer t = heap[i];
    while (i > 0) {
        size_t p = (i - 1) / 4;
        if (heap[p].when <= t.when)
            break;
        heap[i] = heap[p];
        i = p;
    }
    heap[i] = t;
}

static void sift_down(size_t i)
{
    timer t = heap[i];
    for (;;) {
        size_t c = 4 * i + 1, m = c;
        if (c >= len)
            break;
        for (size_t k = c + 1; k < c + 4 && k < len; k++)
            if (heap[k].when < heap[m].when)
                m = k;
        if (heap[m].when >= t.when)
            break;
        heap[i] = heap[m];
        i = m;
    }
    heap[i] = t;
}

/* Lock held.  Publishes the new earliest deadline. */
static void heap_push(timer t)
{
    if (len == cap) {
        size_t ncap = cap ? cap * 2 : 256;
        timer *nh = realloc(heap, ncap * sizeof *nh);
        if (!nh)
            rt_throw(__FILE__, __LINE__, "out of memory for timers");
        heap = nh;
        cap = ncap;
    }
    heap[len] = t;
    __atomic_store_n(&len, len + 1, __ATOMIC_RELAXED);
    sift_up(len - 1);
    atomic_store(&next, heap[0].when);
}

static timer heap_pop(void)
{
    timer t = heap[0];
    __atomic_store_n(&len, len - 1, __ATOMIC_RELAXED);
    if (len) {
        heap[0] = heap[len];
        sift_down(0);
    }
    atomic_store(&next, len ? heap[0].when : INT64_MAX);
    return t;
}

void rt_timer_sleep_until(int64_t when, const goc_loc *loc)
{
    if (when == INT64_MAX) /* INT64_MAX means "no timer" in `next` */
        when--;
    rt_lock(&lock);
    heap_push((timer){when, rt_current(), NULL});
    rt_sched_timer_added(when);
    rt_park(rt_unlock_cb, &lock, RT_WAIT_SLEEP, loc);
}

int rt_timer_run(int64_t now)
{
    int fired = 0;
    for (;;) {
        if (atomic_load(&next) > now)
            return fired;
        timer due[32];
        int n = 0;
        rt_lock(&lock);
        while (len && heap[0].when <= now && n < 32)
            due[n++] = heap_pop();
        rt_unlock(&lock);
        for (int i = 0; i < n; i++) {
            if (due[i].g) {
                rt_ready(due[i].g);
            } else {
                int64_t t = goc_now();
                goc_chan_trysend_at(due[i].c, &t, NULL);
            }
        }
        fired += n;
        if (n < 32)
            return fired;
    }
}

/* now + d without overflow (INT64_MAX itself means "no timer"). */
static int64_t deadline(int64_t d)
{
    int64_t now = goc_now();
    return d > INT64_MAX - 1 - now ? INT64_MAX - 1 : now + d;
}

void goc_sleep_at(int64_t d, const goc_loc *loc)
{
    if (!rt_current()) { /* a plain thread */
        if (d > 0) {
            struct timespec ts = {d / GOC_SECOND, d % GOC_SECOND};
            while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
                ;
        }
        return;
    }
    if (d <= 0) {
        goc_yield();
        return;
    }
    rt_timer_sleep_until(deadline(d), loc);
}

#undef goc_sleep
void goc_sleep(int64_t d) { goc_sleep_at(d, NULL); }

goc_chan *goc_after(int64_t d)
{
    goc_chan *c = goc_chan_make_at(sizeof(int64_t), 1, NULL);
    int64_t when = deadline(d > 0 ? d : 0);
    rt_lock(&lock);
    heap_push((timer){when, NULL, c});
    rt_unlock(&lock);
    rt_sched_timer_added(when);
    return c;
}
