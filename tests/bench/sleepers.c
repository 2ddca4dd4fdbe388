/*
 * sleepers: N coroutines, each sleeping a pseudo-random duration below
 * 5 ms, then signalling a WaitGroup; wait for all.  Figure: ns per
 * sleeper (spawn, timer insert, expiry, wake-up, exit; the 5 ms of
 * sleeping itself is in it too, 50 ns per sleeper at 100k).  Size:
 * coroutines (100k).
 */
#include "bench.h"

typedef struct sl_arg {
    int64_t d;
    goc_waitgroup *wg;
} sl_arg;

static void sleeper(void *p)
{
    sl_arg *a = p;
    goc_sleep(a->d);
    goc_waitgroup_done(a->wg);
}

static int bench_main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 100000);
    static goc_waitgroup wg;
    uint64_t x = 88172645463325252ull; /* xorshift64, as the Go twin */
    int64_t t0 = bench_now();
    goc_waitgroup_add(&wg, n);
    for (long i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        sl_arg a = {(int64_t)(x % 5000000), &wg};
        goc_go(sleeper, &a, sizeof a);
    }
    goc_waitgroup_wait(&wg);
    int64_t t1 = bench_now();
    bench_check("sleepers", t1 - t0 >= 0, "clock");
    bench_report("sleepers", (double)(t1 - t0) / (double)n, "ns/sleeper");
    return 0;
}

int main(int argc, char **argv)
{
    goc_main(bench_main, argc, argv);
}
