/* The scheduler: entry points, spawning, ids, yield, park/ready from any
 * thread, idle behaviour. */
#include "goc_test.h"

#include "ctx.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static int ret_arg(int argc, char **argv)
{
    (void)argv;
    return argc * 10 + goc_procs();
}

Test(sched, run_returns_status_and_repeats)
{
    setenv("GOC_PROCS", "3", 1);
    cr_assert_eq(goc_run(ret_arg, 1, NULL), 13);
    cr_assert_eq(goc_run(ret_arg, 4, NULL), 43);
    cr_assert_eq(goc_run(ret_arg, 0, NULL), 3);
    cr_assert_eq(goc_procs(), 3);
    cr_assert_eq(goc_id(), 0, "no coroutine on a plain thread");
}

#define NKIDS 200
static uint64_t kid_ids[NKIDS];
static goc_waitgroup kid_wg;

static void kid(void *arg)
{
    int i = *(int *)arg;
    kid_ids[i] = goc_id();
    goc_waitgroup_done(&kid_wg);
}

static int ids_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    CHECK_EQ(goc_id(), 1);
    goc_waitgroup_add(&kid_wg, NKIDS);
    for (int i = 0; i < NKIDS; i++)
        goc_go(kid, &i, sizeof i);
    goc_waitgroup_wait(&kid_wg);
    return 0;
}

Test(sched, ids_are_unique_and_main_is_1)
{
    setenv("GOC_PROCS", "2", 1);
    cr_assert_eq(goc_run(ids_main, 0, NULL), 0);
    for (int i = 0; i < NKIDS; i++) {
        cr_assert_gt(kid_ids[i], 1);
        for (int j = 0; j < i; j++)
            cr_assert_neq(kid_ids[i], kid_ids[j]);
    }
}

struct big {
    char bytes[3000];
    long tag;
};
static goc_chan *done;

static void check_big(void *arg)
{
    struct big *b = arg;
    CHECK(((uintptr_t)arg & 15) == 0);
    long sum = 0;
    for (int i = 0; i < 3000; i++)
        sum += b->bytes[i];
    long r[2] = {sum, b->tag};
    goc_chan_send(done, r);
}

static void take_pointer(void *arg)
{
    long r[2] = {(long)(intptr_t)arg, 0};
    goc_chan_send(done, r);
}

static int args_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    done = goc_chan_make(sizeof(long[2]), 16);
    struct big *b = calloc(1, sizeof *b);
    for (int k = 0; k < 10; k++) {
        for (int i = 0; i < 3000; i++)
            b->bytes[i] = (char)(i % 7 + k);
        b->tag = k;
        goc_go(check_big, b, sizeof *b);
        memset(b, 0, sizeof *b); /* the child has its own copy */
    }
    long want_sum[10];
    for (int k = 0; k < 10; k++) {
        long s = 0;
        for (int i = 0; i < 3000; i++)
            s += (char)(i % 7 + k);
        want_sum[k] = s;
    }
    int seen = 0;
    for (int k = 0; k < 10; k++) {
        long r[2];
        goc_chan_recv(done, r);
        CHECK(r[1] >= 0 && r[1] < 10);
        CHECK_EQ(r[0], want_sum[r[1]]);
        seen |= 1 << r[1];
    }
    CHECK_EQ(seen, 1023);
    goc_go(take_pointer, b, 0); /* argsize 0: the pointer itself */
    long r[2];
    goc_chan_recv(done, r);
    CHECK_EQ(r[0], (long)(intptr_t)b);
    free(b);
    return 0;
}

Test(sched, go_copies_the_argument_block)
{
    cr_assert_eq(goc_run(args_main, 0, NULL), 0);
}

static int yield_log[64], yield_n;
static goc_waitgroup yield_wg;

static void yielder(void *arg)
{
    int who = *(int *)arg;
    for (int i = 0; i < 10; i++) {
        yield_log[yield_n++] = who;
        goc_yield();
    }
    goc_waitgroup_done(&yield_wg);
}

static int yield_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_waitgroup_add(&yield_wg, 2);
    int a = 1, b = 2;
    goc_go(yielder, &a, sizeof a);
    goc_go(yielder, &b, sizeof b);
    goc_waitgroup_wait(&yield_wg);
    return yield_n;
}

Test(sched, yield_lets_others_run)
{
    setenv("GOC_PROCS", "1", 1);
    cr_assert_eq(goc_run(yield_main, 0, NULL), 20);
    int first_b = -1, last_a = -1;
    for (int i = 0; i < 20; i++) {
        if (yield_log[i] == 2 && first_b < 0)
            first_b = i;
        if (yield_log[i] == 1)
            last_a = i;
    }
    cr_assert(first_b >= 0 && first_b < last_a, "the two yielders interleave");
}

/* rt_park / rt_ready: the unlock callback runs after the context is saved,
 * on another context, and a plain thread may ready the coroutine. */
static uint32_t park_lock;
static _Atomic(rt_g *) parked_g;
static _Atomic int cb_state = -1, cb_same = -1;

static void park_cb(void *arg)
{
    rt_g *g = atomic_load(&parked_g);
    atomic_store(&cb_state, atomic_load(&g->state));
    atomic_store(&cb_same, rt_current() == g);
    rt_unlock(arg);
}

static void *readier(void *arg)
{
    (void)arg;
    rt_g *g;
    while (!(g = atomic_load(&parked_g)))
        sched_yield();
    rt_lock(&park_lock); /* free only once the coroutine is parked */
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    rt_ready(g);
    rt_unlock(&park_lock);
    return NULL;
}

static int park_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    rt_lock(&park_lock);
    atomic_store(&parked_g, rt_current());
    int64_t t0 = goc_now();
    rt_park(park_cb, &park_lock, RT_WAIT_IO, NULL);
    int64_t waited = goc_now() - t0;
    CHECK(waited >= 15 * GOC_MILLISECOND);
    CHECK(waited < 2 * GOC_SECOND);
    return 0;
}

Test(sched, park_and_ready_from_a_plain_thread)
{
    setenv("GOC_PROCS", "2", 1);
    pthread_t t;
    pthread_create(&t, NULL, readier, NULL);
    cr_assert_eq(goc_run(park_main, 0, NULL), 0);
    pthread_join(t, NULL);
    cr_assert_eq(cb_state, RT_G_PARKED);
    cr_assert_eq(cb_same, 0);
}

/* rt_ready_batch (the poller's hand-over): the batch runs in its order,
 * even through the ring, whose owner pops LIFO.  One worker, so the order
 * of the log is the order of running. */
enum { NBATCH = 40 };
static uint32_t batch_lock;
static rt_g *batch_gs[NBATCH];
static _Atomic int batch_parked, batch_log_n;
static int batch_log[NBATCH];
static goc_waitgroup batch_wg;

static void batch_waiter(void *arg)
{
    int i = *(int *)arg;
    rt_lock(&batch_lock);
    batch_gs[i] = rt_current();
    atomic_fetch_add(&batch_parked, 1);
    rt_park(rt_unlock_cb, &batch_lock, RT_WAIT_IO, NULL);
    batch_log[atomic_fetch_add(&batch_log_n, 1)] = i;
    goc_waitgroup_done(&batch_wg);
}

static int batch_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_waitgroup_add(&batch_wg, NBATCH);
    for (int i = 0; i < NBATCH; i++)
        goc_go(batch_waiter, &i, sizeof i);
    while (atomic_load(&batch_parked) < NBATCH)
        goc_yield();
    rt_lock(&batch_lock); /* every unlock callback has run: all parked */
    for (int i = 0; i < NBATCH; i++)
        CHECK_EQ(atomic_load(&batch_gs[i]->state), RT_G_PARKED);
    rt_ready_batch(batch_gs, NBATCH);
    rt_unlock(&batch_lock);
    goc_waitgroup_wait(&batch_wg);
    for (int i = 0; i < NBATCH; i++)
        CHECK_EQ(batch_log[i], i);
    return 0;
}

Test(sched, ready_batch_runs_in_order)
{
    setenv("GOC_PROCS", "1", 1);
    cr_assert_eq(goc_run(batch_main, 0, NULL), 0);
    cr_assert_eq(atomic_load(&batch_log_n), NBATCH);
}

static int64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * GOC_SECOND + ts.tv_nsec;
}

static int sleep_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_sleep(300 * GOC_MILLISECOND);
    return 0;
}

Test(sched, idle_workers_use_no_cpu)
{
    setenv("GOC_PROCS", "4", 1);
    goc_run(ret_arg, 0, NULL);
    int64_t c0 = cpu_ns();
    goc_sleep(300 * GOC_MILLISECOND); /* plain thread: workers idle */
    int64_t c1 = cpu_ns();
    cr_assert_lt(c1 - c0, 30 * GOC_MILLISECOND, "idle: %lld ns of CPU",
                 (long long)(c1 - c0));
    goc_run(sleep_main, 0, NULL); /* main asleep on a timer */
    int64_t c2 = cpu_ns();
    cr_assert_lt(c2 - c1, 30 * GOC_MILLISECOND, "sleeping: %lld ns of CPU",
                 (long long)(c2 - c1));
}

/* After a burst of cross-worker work, with the main coroutine asleep: the
 * workers that spun looking for more must park, not burn the window. */
static int64_t rusage_ns(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * GOC_SECOND +
           ((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

static goc_waitgroup burst_wg;
static void burst_worker(void *arg)
{
    goc_chan *c = *(goc_chan **)arg;
    for (long i = 0; i < 2000; i++) {
        long v = i;
        goc_chan_send(c, &v);
        goc_chan_recv(c, &v);
        CHECK(v >= 0);
    }
    goc_waitgroup_done(&burst_wg);
}

static int64_t idle_window_ns;
static int burst_then_sleep_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_chan *c = goc_chan_make(sizeof(long), 1);
    goc_waitgroup_add(&burst_wg, 8);
    for (int i = 0; i < 8; i++)
        goc_go(burst_worker, &c, sizeof c);
    goc_waitgroup_wait(&burst_wg);
    int64_t t0 = rusage_ns();
    goc_sleep(300 * GOC_MILLISECOND);
    idle_window_ns = rusage_ns() - t0;
    return 0;
}

Test(sched, idle_after_a_burst_uses_no_cpu)
{
    setenv("GOC_PROCS", "4", 1);
    cr_assert_eq(goc_run(burst_then_sleep_main, 0, NULL), 0);
    cr_log_info("CPU while asleep: %lld us", (long long)idle_window_ns / 1000);
    cr_assert_lt(idle_window_ns, 60 * GOC_MILLISECOND, "%lld ns of CPU",
                 (long long)idle_window_ns);
}

/* Spawned from a plain thread while every worker sleeps: picked up fast. */
static _Atomic int64_t ran_at;
static void stamp(void *arg)
{
    (void)arg;
    atomic_store(&ran_at, goc_now());
}

Test(sched, idle_workers_wake_promptly)
{
    setenv("GOC_PROCS", "2", 1);
    goc_run(ret_arg, 0, NULL);
    int64_t worst = 0;
    for (int i = 0; i < 20; i++) {
        goc_sleep(5 * GOC_MILLISECOND);
        atomic_store(&ran_at, 0);
        int64_t t0 = goc_now();
        goc_go(stamp, NULL, 0);
        while (atomic_load(&ran_at) == 0)
            sched_yield();
        if (atomic_load(&ran_at) - t0 > worst)
            worst = atomic_load(&ran_at) - t0;
    }
    cr_log_info("worst wake latency %lld us", (long long)worst / 1000);
    cr_assert_lt(worst, 500 * GOC_MILLISECOND); /* loose: a loaded VM */
}
