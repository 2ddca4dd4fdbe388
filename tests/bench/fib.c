/*
 * fib: naive parallel Fibonacci: above the cutoff, fib(n-1) runs in a new
 * coroutine while the caller computes fib(n-2), joined with a WaitGroup;
 * at or below it, plain recursion.  run.sh runs it with GOC_PROCS=1 and 2
 * and reports the speed-up.  Figure: milliseconds.  Size: n (38); the
 * cutoff is 25.
 */
#include "bench.h"

enum { CUTOFF = 25 };

typedef struct fib_arg {
    int n;
    long *out;
    goc_waitgroup *wg;
} fib_arg;

static long fib_seq(int n)
{
    return n < 2 ? n : fib_seq(n - 1) + fib_seq(n - 2);
}

static long fib_par(int n);

static void fib_child(void *p)
{
    fib_arg *a = p;
    *a->out = fib_par(a->n);
    goc_waitgroup_done(a->wg);
}

static long fib_par(int n)
{
    if (n <= CUTOFF)
        return fib_seq(n);
    long x = 0;
    goc_waitgroup wg = {0};
    goc_waitgroup_add(&wg, 1);
    fib_arg a = {n - 1, &x, &wg};
    goc_go(fib_child, &a, sizeof a);
    long y = fib_par(n - 2);
    goc_waitgroup_wait(&wg);
    return x + y;
}

static int bench_main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 38);
    bench_check("fib", n <= 90, "n %ld too large", n);
    int64_t t0 = bench_now();
    long r = fib_par((int)n);
    int64_t t1 = bench_now();
    long a = 0, b = 1; /* the iterative check */
    for (long i = 0; i < n; i++) {
        long t = a + b;
        a = b;
        b = t;
    }
    bench_check("fib", r == a, "fib(%ld) = %ld, expected %ld", n, r, a);
    bench_report("fib", (double)(t1 - t0) / 1e6, "ms");
    return 0;
}

int main(int argc, char **argv)
{
    goc_main(bench_main, argc, argv);
}
