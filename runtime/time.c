/*
 * time.c - the time API over timer.c, as Go's time package sits over the
 * runtime's timers: goc_sleep, goc_after, and stoppable timers and tickers
 * (Go's time.Timer and time.Ticker).
 *
 * A goc_timer and its channel are one allocation (rt_chan_make_extra): the
 * channel is a chan(int64_t) of capacity 1, and firing is a non-blocking
 * send of goc_now() (a tick a slow receiver has not taken is dropped, as
 * Go does).  Stopping or resetting also drains a value that fired before,
 * so no stale time is received afterwards (Go 1.23's rule).
 *
 * goc_after is a timer whose channel is all the program sees.  Its
 * lifetime (docs/runtime.md, "Timers"): the compiler frees the channel of
 * `case <-goc_after(d):` as soon as the select returns, so that common
 * form allocates nothing that outlives the select; a goc_after channel
 * the program keeps is freed with goc_after_free.
 *
 * Every live timer is on one list, linked by the channel pointers (the
 * start of each allocation), so that memory the runtime owns stays
 * reachable at exit: a pending timer is otherwise found only through the
 * heap's pointer into the middle of its allocation, and a goc_after
 * channel a program keeps until exit only through main's dead frame,
 * which valgrind's leak check calls "possibly" or "definitely lost" (as
 * LeakSanitizer's suppressions in lsan.c say, a program may drop a timer
 * channel as Go programs drop time.After channels).
 */
#include "chan.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

struct goc_timer {
    rt_timer t;
    goc_chan *c;
    int64_t period; /* a ticker's; 0 for a timer */
    goc_chan *prev, *next; /* the live list, under live_lock */
};

static uint32_t live_lock;
static goc_chan *live; /* the first live timer's channel */

/* fork copies the list whole: no other thread is changing it meanwhile. */
static void live_fork_prepare(void) { rt_lock(&live_lock); }
static void live_fork_parent(void) { rt_unlock(&live_lock); }
static void live_fork_child(void) { live_lock = 0; }

static void live_init(void)
{
    pthread_atfork(live_fork_prepare, live_fork_parent, live_fork_child);
}

static void live_add(goc_timer *tm)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, live_init);
    rt_lock(&live_lock);
    tm->next = live;
    if (live)
        ((goc_timer *)rt_chan_extra(live))->prev = tm->c;
    live = tm->c;
    rt_unlock(&live_lock);
}

static void live_remove(goc_timer *tm)
{
    rt_lock(&live_lock);
    if (tm->prev)
        ((goc_timer *)rt_chan_extra(tm->prev))->next = tm->next;
    else
        live = tm->next;
    if (tm->next)
        ((goc_timer *)rt_chan_extra(tm->next))->prev = tm->prev;
    rt_unlock(&live_lock);
}

/* ---- sleeping ------------------------------------------------------------ */

/* Run by the scheduler once the sleeper is parked (rt_park's callback),
 * so the wake-up, which may come at once, always finds it parked; no lock
 * is held across the switch (Go's resetForSleep does the same). */
typedef struct sleep_arm {
    int64_t when;
    rt_g *g;
} sleep_arm;

static void arm_sleeper(void *arg)
{
    sleep_arm *a = arg;
    int64_t when = a->when; /* the sleeper may run on once its entry is in */
    if (rt_timer_sleep(rt_worker_index(), when, a->g))
        rt_sched_timer_added(when);
}

static void sleep_until(int64_t when, const goc_loc *loc)
{
    sleep_arm a = {when, rt_current()};
    rt_park(arm_sleeper, &a, RT_WAIT_SLEEP, loc);
}

void goc_sleep_at(int64_t d, const goc_loc *loc)
{
    if (!rt_current()) { /* a plain thread: coroutines run meanwhile */
        rt_sched_start();
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
    sleep_until(rt_deadline(d), loc);
}

#undef goc_sleep
void goc_sleep(int64_t d) { goc_sleep_at(d, NULL); }

/* ---- timers and tickers -------------------------------------------------- */

static void send_time(void *arg)
{
    goc_timer *tm = arg;
    int64_t now = goc_now();
    goc_chan_trysend_at(tm->c, &now, NULL);
}

static goc_timer *timer_start(int64_t d, int64_t period)
{
    void *extra;
    goc_chan *c = rt_chan_make_extra(sizeof(int64_t), 1, sizeof(goc_timer),
                                     &extra);
    goc_timer *tm = extra;
    tm->c = c;
    tm->period = period;
    tm->t = (rt_timer){.when = rt_deadline(d), .period = period,
                       .fn = send_time, .arg = tm, .idx = -1};
    live_add(tm);
    rt_timer_add(&tm->t);
    rt_sched_timer_added(tm->t.when);
    return tm;
}

goc_timer *goc_timer_new(int64_t d) { return timer_start(d, 0); }

goc_timer *goc_ticker_new(int64_t period)
{
    if (period <= 0)
        goc_panic_at("non-positive interval for goc_ticker_new", NULL);
    return timer_start(period, period);
}

goc_chan *goc_timer_chan(goc_timer *t) { return t->c; }

/* Take a value that fired before a stop or reset. */
static void drain(goc_timer *tm)
{
    goc_chan_tryrecv(tm->c, NULL, NULL);
}

int goc_timer_stop(goc_timer *t)
{
    int pending = rt_timer_stop(&t->t);
    drain(t);
    return pending;
}

int goc_timer_reset(goc_timer *t, int64_t d)
{
    if (t->period > 0) {
        if (d <= 0)
            goc_panic_at("non-positive interval for goc_timer_reset", NULL);
        t->period = d;
    }
    int pending = rt_timer_stop(&t->t);
    drain(t);
    int64_t when = rt_deadline(d);
    rt_timer_reset(&t->t, when, t->period);
    rt_sched_timer_added(when);
    return pending;
}

void goc_timer_free(goc_timer *t)
{
    if (!t)
        return;
    rt_timer_stop(&t->t);
    live_remove(t);
    goc_chan_free(t->c);
}

/* ---- goc_after ----------------------------------------------------------- */

goc_chan *goc_after(int64_t d) { return timer_start(d, 0)->c; }

void goc_after_free(goc_chan *c)
{
    if (c)
        goc_timer_free(rt_chan_extra(c));
}

int goc_after_recv_at(goc_chan *c, void *elem, const goc_loc *loc)
{
    int ok = goc_chan_recv_at(c, elem, loc);
    goc_after_free(c);
    return ok;
}

int goc_select_after_done(int index, goc_chan *c)
{
    goc_after_free(c);
    return index;
}
