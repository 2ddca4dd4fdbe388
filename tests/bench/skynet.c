/*
 * skynet: every node spawns 10 children until the leaves, each leaf sends
 * its number and each node sends the sum of its children's replies up an
 * unbuffered channel.  Figure: seconds for the whole tree, with the peak
 * RSS.  Size: leaves, a power of 10 (1M: 1,111,111 coroutines).
 */
#include "bench.h"

enum { FANOUT = 10 };

typedef struct sk_arg {
    goc_chan *up;
    long num, size;
} sk_arg;

static void skynet(void *p)
{
    sk_arg a = *(sk_arg *)p;
    if (a.size == 1) {
        goc_chan_send(a.up, &a.num);
        return;
    }
    goc_chan *rc = goc_chan_make(sizeof(long), 0);
    long step = a.size / FANOUT;
    for (long i = 0; i < FANOUT; i++) {
        sk_arg c = {rc, a.num + i * step, step};
        goc_go(skynet, &c, sizeof c);
    }
    long sum = 0;
    for (int i = 0; i < FANOUT; i++) {
        long v;
        goc_chan_recv(rc, &v);
        sum += v;
    }
    /* Every child has finished its send: nothing can reach rc any more. */
    goc_chan_free(rc);
    goc_chan_send(a.up, &sum);
}

static int bench_main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 1000000);
    long p = 1;
    while (p < n)
        p *= FANOUT;
    bench_check("skynet", p == n, "size %ld is not a power of %d", n, FANOUT);

    goc_chan *top = goc_chan_make(sizeof(long), 0);
    int64_t t0 = bench_now();
    sk_arg a = {top, 0, n};
    goc_go(skynet, &a, sizeof a);
    long sum;
    goc_chan_recv(top, &sum);
    int64_t t1 = bench_now();
    bench_check("skynet", sum == n * (n - 1) / 2, "sum %ld, expected %ld", sum,
                n * (n - 1) / 2);
    bench_report("skynet", (double)(t1 - t0) / 1e9, "s");
    return 0;
}

int main(int argc, char **argv)
{
    goc_main(bench_main, argc, argv);
}
