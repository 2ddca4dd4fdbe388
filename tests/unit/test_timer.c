/* Timers: goc_now, goc_sleep, goc_after, many concurrent sleepers. */
#include "goc_test.h"

#include <stdatomic.h>
#include <stdlib.h>

Test(timer, now_is_monotonic_and_moves)
{
    int64_t a = goc_now();
    for (int i = 0; i < 1000; i++) {
        int64_t b = goc_now();
        cr_assert_geq(b, a);
        a = b;
    }
    goc_sleep(2 * GOC_MILLISECOND); /* plain thread */
    cr_assert_geq(goc_now() - a, 2 * GOC_MILLISECOND);
}

static int sleep_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    int64_t ds[] = {1, 5, 20};
    for (int i = 0; i < 3; i++) {
        int64_t d = ds[i] * GOC_MILLISECOND;
        int64_t t0 = goc_now();
        goc_sleep(d);
        int64_t el = goc_now() - t0;
        CHECK(el >= d);
        CHECK(el < d + GOC_SECOND);
    }
    int64_t t0 = goc_now();
    goc_sleep(0);
    goc_sleep(-5);
    CHECK(goc_now() - t0 < GOC_SECOND);
    return 0;
}

Test(timer, sleep_lasts_at_least_d)
{
    cr_assert_eq(goc_run(sleep_main, 0, NULL), 0);
}

#define NSLEEP 3000
static _Atomic int64_t worst_late, total_late;
static _Atomic int early;
static goc_waitgroup wg;

static void sleeper(void *arg)
{
    int64_t d = *(int64_t *)arg;
    int64_t when = goc_now() + d;
    goc_sleep(d);
    int64_t late = goc_now() - when;
    if (late < 0)
        atomic_fetch_add(&early, 1);
    atomic_fetch_add(&total_late, late);
    int64_t w = atomic_load(&worst_late);
    while (late > w && !atomic_compare_exchange_weak(&worst_late, &w, late))
        ;
    goc_waitgroup_done(&wg);
}

static int many_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_waitgroup_add(&wg, NSLEEP);
    srand(7);
    for (int i = 0; i < NSLEEP; i++) {
        int64_t d = (1 + rand() % 100) * GOC_MILLISECOND;
        goc_go(sleeper, &d, sizeof d);
    }
    goc_waitgroup_wait(&wg);
    return 0;
}

static void many_sleepers(const char *procs)
{
    setenv("GOC_PROCS", procs, 1);
    cr_assert_eq(goc_run(many_main, 0, NULL), 0);
    cr_assert_eq(early, 0, "nobody wakes before its deadline");
    cr_log_info("%d sleepers: mean lateness %lld us, worst %lld us", NSLEEP,
                (long long)(total_late / NSLEEP / 1000),
                (long long)(worst_late / 1000));
    /* Typically well under 5 ms on an idle machine (see the log line); the
     * bounds are loose because the suite runs in parallel on a 2-core VM,
     * where a page-faulting neighbour can starve this process for 100 ms. */
    cr_assert_lt(total_late / NSLEEP, 250 * GOC_MILLISECOND);
    cr_assert_lt(worst_late, GOC_SECOND);
}

Test(timer, thousands_of_sleepers_one_worker) { many_sleepers("1"); }
Test(timer, thousands_of_sleepers_four_workers) { many_sleepers("4"); }
Test(timer, thousands_of_sleepers_two_workers) { many_sleepers("2"); }

static int after_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    int64_t t0 = goc_now();
    goc_chan *c = goc_after(10 * GOC_MILLISECOND);
    CHECK_EQ(goc_chan_cap(c), 1);
    int64_t at = 0;
    CHECK_EQ(goc_chan_recv(c, &at), 1);
    int64_t t1 = goc_now();
    CHECK(at >= t0 + 10 * GOC_MILLISECOND);
    CHECK(at <= t1);
    /* Never closed: nothing more arrives. */
    int ok = 7;
    CHECK_EQ(goc_chan_tryrecv(c, &at, &ok), 0);
    /* Many afters, received in any order, each after its own deadline. */
    goc_chan *cs[50];
    int64_t start = goc_now();
    for (int i = 0; i < 50; i++)
        cs[i] = goc_after((50 - i) * GOC_MILLISECOND / 5);
    for (int i = 0; i < 50; i++) {
        goc_chan_recv(cs[i], &at);
        CHECK(at >= start + (50 - i) * GOC_MILLISECOND / 5);
    }
    return 0;
}

Test(timer, after_delivers_the_expiry_time_once)
{
    setenv("GOC_PROCS", "2", 1);
    cr_assert_eq(goc_run(after_main, 0, NULL), 0);
}

/* A coroutine that keeps its worker busy must not stop timers firing for
 * the others (another worker, or the monitor, runs them). */
static _Atomic int stop;

static void busy(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop))
        ;
}

static int busy_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_go(busy, NULL, 0);
    int64_t t0 = goc_now();
    goc_sleep(10 * GOC_MILLISECOND);
    int64_t el = goc_now() - t0;
    atomic_store(&stop, 1);
    CHECK(el < 2 * GOC_SECOND);
    return 0;
}

Test(timer, timers_fire_while_a_worker_is_busy)
{
    setenv("GOC_PROCS", "2", 1);
    cr_assert_eq(goc_run(busy_main, 0, NULL), 0);
}

/* A sleep far in the future neither overflows into the past nor counts
 * as a deadlock; the rest of the program runs and returns. */
static void long_sleeper(void *arg)
{
    (void)arg;
    goc_sleep(INT64_MAX);
    CHECK(0); /* never wakes */
}

static int huge_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_go(long_sleeper, NULL, 0);
    goc_chan *c = goc_after(INT64_MAX - 5);
    int64_t v;
    CHECK_EQ(goc_chan_tryrecv(c, &v, NULL), 0);
    goc_sleep(5 * GOC_MILLISECOND);
    CHECK_EQ(goc_chan_tryrecv(c, &v, NULL), 0);
    return 7;
}

Test(timer, huge_durations_do_not_wrap)
{
    cr_assert_eq(goc_run(huge_main, 0, NULL), 7);
}
