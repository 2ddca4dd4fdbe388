/*
 * sieve: the concurrent prime sieve of the Go tour: a generator feeds a
 * growing chain of filter coroutines over unbuffered channels, one filter
 * per prime found.  Figure: seconds.  Size: primes (5000; the 5000th is
 * 48611).
 */
#include "bench.h"

typedef struct filter_arg {
    goc_chan *in, *out;
    long prime;
} filter_arg;

static void generate(void *p)
{
    goc_chan *out = *(goc_chan **)p;
    for (long i = 2;; i++)
        goc_chan_send(out, &i);
}

static void filter(void *p)
{
    filter_arg a = *(filter_arg *)p;
    for (;;) {
        long v;
        goc_chan_recv(a.in, &v);
        if (v % a.prime != 0)
            goc_chan_send(a.out, &v);
    }
}

/* The n-th prime by trial division: the independent check. */
static long nth_prime(long n)
{
    long found = 0, v = 1;
    while (found < n) {
        v++;
        int prime = 1;
        for (long d = 2; d * d <= v; d++)
            if (v % d == 0) {
                prime = 0;
                break;
            }
        found += prime;
    }
    return v;
}

static int bench_main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 5000);
    int64_t t0 = bench_now();
    goc_chan *ch = goc_chan_make(sizeof(long), 0);
    goc_go(generate, &ch, sizeof ch);
    long prime = 0;
    for (long i = 0; i < n; i++) {
        goc_chan_recv(ch, &prime);
        filter_arg a = {ch, goc_chan_make(sizeof(long), 0), prime};
        goc_go(filter, &a, sizeof a);
        ch = a.out;
    }
    int64_t t1 = bench_now();
    long want = nth_prime(n);
    bench_check("sieve", prime == want, "prime #%ld is %ld, expected %ld", n,
                prime, want);
    bench_check("sieve", n != 5000 || prime == 48611, "prime #5000 is %ld",
                prime);
    bench_report("sieve", (double)(t1 - t0) / 1e9, "s");
    return 0;
}

int main(int argc, char **argv)
{
    goc_main(bench_main, argc, argv);
}
