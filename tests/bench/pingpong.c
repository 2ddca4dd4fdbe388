/*
 * pingpong: two coroutines bounce a counter over two unbuffered channels.
 * Figure: ns per round trip (two hand-offs).  Size: round trips (1M).
 */
#include "bench.h"

typedef struct pp_arg {
    goc_chan *ping, *pong;
    long n;
} pp_arg;

static void ponger(void *p)
{
    pp_arg a = *(pp_arg *)p;
    for (long i = 0; i < a.n; i++) {
        long v;
        goc_chan_recv(a.ping, &v);
        v++;
        goc_chan_send(a.pong, &v);
    }
}

static int bench_main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 1000000);
    pp_arg a = {goc_chan_make(sizeof(long), 0), goc_chan_make(sizeof(long), 0),
                n};
    goc_go(ponger, &a, sizeof a);

    long sum = 0;
    int64_t t0 = bench_now();
    for (long i = 0; i < n; i++) {
        long v = i;
        goc_chan_send(a.ping, &v);
        goc_chan_recv(a.pong, &v);
        bench_check("pingpong", v == i + 1, "round %ld returned %ld", i, v);
        sum += v;
    }
    int64_t t1 = bench_now();
    bench_check("pingpong", sum == n * (n + 1) / 2, "sum %ld", sum);
    bench_report("pingpong", (double)(t1 - t0) / (double)n, "ns/roundtrip");
    return 0;
}

int main(int argc, char **argv)
{
    goc_main(bench_main, argc, argv);
}
