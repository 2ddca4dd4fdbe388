/*
 * spawn: start N coroutines that each add their index to a shared counter
 * and signal a WaitGroup; wait for all.  Figure: ns per spawn (spawn, run,
 * exit and the WaitGroup traffic).  Size: coroutines (1M).
 */
#include "bench.h"

#include <stdatomic.h>

typedef struct sp_arg {
    long i;
    _Atomic long *sum;
    goc_waitgroup *wg;
} sp_arg;

static void child(void *p)
{
    sp_arg *a = p;
    atomic_fetch_add_explicit(a->sum, a->i, memory_order_relaxed);
    goc_waitgroup_done(a->wg);
}

static int bench_main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 1000000);
    static goc_waitgroup wg;
    static _Atomic long sum;

    int64_t t0 = bench_now();
    goc_waitgroup_add(&wg, n);
    for (long i = 0; i < n; i++) {
        sp_arg a = {i, &sum, &wg};
        goc_go(child, &a, sizeof a);
    }
    goc_waitgroup_wait(&wg);
    int64_t t1 = bench_now();
    long s = atomic_load(&sum);
    bench_check("spawn", s == n * (n - 1) / 2, "sum %ld, expected %ld", s,
                n * (n - 1) / 2);
    bench_report("spawn", (double)(t1 - t0) / (double)n, "ns/spawn");
    return 0;
}

int main(int argc, char **argv)
{
    goc_main(bench_main, argc, argv);
}
