/* Run queues: the ring overflowing into the global queue, work stealing,
 * runnext fairness and stealing runnext from a busy worker. */
#include "goc_test.h"

#include "ctx.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

static _Atomic int ran;

static void waiter(void *arg)
{
    goc_chan *gate = *(goc_chan **)arg;
    goc_chan_recv(gate, NULL);
    atomic_fetch_add(&ran, 1);
}

/* Closing a channel readies every receiver at once: far more than the
 * 256-slot ring, so half of it spills to the global queue, repeatedly. */
static int burst_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_chan *gate = goc_chan_make(1, 0);
    for (int i = 0; i < 5000; i++)
        goc_go(waiter, &gate, sizeof gate);
    goc_chan_close(gate);
    while (atomic_load(&ran) < 5000)
        goc_yield();
    return 0;
}

Test(runq, burst_overflows_to_global_queue_one_worker)
{
    setenv("GOC_PROCS", "1", 1);
    cr_assert_eq(goc_run(burst_main, 0, NULL), 0);
    cr_assert_eq(ran, 5000);
}

Test(runq, burst_overflows_to_global_queue_four_workers)
{
    setenv("GOC_PROCS", "4", 1);
    cr_assert_eq(goc_run(burst_main, 0, NULL), 0);
    cr_assert_eq(ran, 5000);
}

/* Spawns from a plain thread go through the global queue. */
static void count(void *arg)
{
    (void)arg;
    atomic_fetch_add(&ran, 1);
}

Test(runq, spawns_from_a_plain_thread)
{
    setenv("GOC_PROCS", "2", 1);
    goc_run(burst_main, 0, NULL);
    atomic_store(&ran, 0);
    for (int i = 0; i < 3000; i++)
        goc_go(count, NULL, 0);
    int64_t t0 = goc_now();
    while (atomic_load(&ran) < 3000 && goc_now() - t0 < 10 * GOC_SECOND)
        sched_yield();
    cr_assert_eq(ran, 3000);
}

/* A ping-pong pair keeps handing each other the runnext slot; a third
 * coroutine in the ring must still get to run on a single worker. */
static _Atomic int stop_flag;

static void pinger(void *arg)
{
    goc_chan **c = arg;
    int v = 0;
    while (!atomic_load(&stop_flag)) {
        goc_chan_send(c[0], &v);
        goc_chan_recv(c[1], &v);
    }
    v = -1;
    goc_chan_send(c[0], &v);
}

static void ponger(void *arg)
{
    goc_chan **c = arg;
    int v;
    for (;;) {
        goc_chan_recv(c[0], &v);
        if (v < 0)
            break;
        goc_chan_send(c[1], &v);
    }
}

static void stopper(void *arg)
{
    (void)arg;
    atomic_store(&stop_flag, 1);
}

static int fair_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_chan *c[2] = {goc_chan_make(sizeof(int), 0),
                      goc_chan_make(sizeof(int), 0)};
    goc_waitgroup wg = {0};
    (void)wg;
    goc_go(ponger, c, sizeof c);
    goc_go(pinger, c, sizeof c);
    goc_go(stopper, NULL, 0);
    while (!atomic_load(&stop_flag))
        goc_yield();
    return 0;
}

Test(runq, runnext_does_not_starve_the_queue, .timeout = 20)
{
    setenv("GOC_PROCS", "1", 1);
    cr_assert_eq(goc_run(fair_main, 0, NULL), 0);
}

/* A coroutine spins (never yields) until a flag that only its parent,
 * left in the busy worker's runnext, sets: an idle worker must steal it. */
static _Atomic int flag;

static void spinner(void *arg)
{
    (void)arg;
    int64_t t0 = goc_now();
    while (!atomic_load(&flag) && goc_now() - t0 < 5 * GOC_SECOND)
        ;
    CHECK(atomic_load(&flag));
}

static int steal_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_go(spinner, NULL, 0);
    atomic_store(&flag, 1);
    return 0;
}

Test(runq, idle_worker_steals_runnext_of_busy_worker)
{
    setenv("GOC_PROCS", "2", 1);
    cr_assert_eq(goc_run(steal_main, 0, NULL), 0);
}

/* CPU-bound coroutines spread over the workers. */
static _Atomic(pthread_t) threads[8];
static _Atomic int nthreads;
static goc_waitgroup busy_wg;

static void busy(void *arg)
{
    (void)arg;
    pthread_t me = pthread_self();
    int64_t t0 = goc_now();
    while (goc_now() - t0 < 30 * GOC_MILLISECOND)
        ;
    int n = atomic_load(&nthreads), i;
    for (i = 0; i < n; i++)
        if (pthread_equal(atomic_load(&threads[i]), me))
            break;
    if (i == n && n < 8) {
        n = atomic_fetch_add(&nthreads, 1);
        if (n < 8)
            atomic_store(&threads[n], me);
    }
    goc_waitgroup_done(&busy_wg);
}

static int spread_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_waitgroup_add(&busy_wg, 8);
    for (int i = 0; i < 8; i++)
        goc_go(busy, NULL, 0);
    goc_waitgroup_wait(&busy_wg);
    return 0;
}

Test(runq, work_spreads_over_workers)
{
    setenv("GOC_PROCS", "2", 1);
    cr_assert_eq(goc_run(spread_main, 0, NULL), 0);
    cr_assert_geq(nthreads, 2, "busy coroutines ran on %d thread(s)",
                  (int)nthreads);
}
