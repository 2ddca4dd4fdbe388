/*
 * ring: 503 coroutines in a ring of unbuffered channels pass a token that
 * counts down; the holder of token 0 reports its id (the classic
 * thread-ring).  Figure: ns per hop.  Size: hops (10M).
 */
#include "bench.h"

enum { RING = 503 };

typedef struct ring_arg {
    goc_chan *in, *out, *done;
    long id; /* 1-based */
} ring_arg;

static void member(void *p)
{
    ring_arg a = *(ring_arg *)p;
    for (;;) {
        long t;
        goc_chan_recv(a.in, &t);
        if (t == 0) {
            goc_chan_send(a.done, &a.id);
            return;
        }
        t--;
        goc_chan_send(a.out, &t);
    }
}

static int bench_main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 10000000);
    goc_chan *ch[RING];
    for (int i = 0; i < RING; i++)
        ch[i] = goc_chan_make(sizeof(long), 0);
    goc_chan *done = goc_chan_make(sizeof(long), 0);
    for (int i = 0; i < RING; i++) {
        ring_arg a = {ch[i], ch[(i + 1) % RING], done, i + 1};
        goc_go(member, &a, sizeof a);
    }

    int64_t t0 = bench_now();
    goc_chan_send(ch[0], &n);
    long id;
    goc_chan_recv(done, &id);
    int64_t t1 = bench_now();
    /* Token n - j sits with member j % RING, so 0 ends at n % RING. */
    bench_check("ring", id == n % RING + 1, "winner %ld, expected %ld", id,
                n % RING + 1);
    bench_report("ring", (double)(t1 - t0) / (double)n, "ns/hop");
    return 0;
}

int main(int argc, char **argv)
{
    goc_main(bench_main, argc, argv);
}
