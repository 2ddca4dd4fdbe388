/*
 * mpmc: 4 producers and 4 consumers share one channel with a 1024-slot
 * buffer.  Producer p sends p, p+4, p+8, ...; the values 0..N-1 each pass
 * once.  Consumers check that each producer's values reach them in order
 * (FIFO per sender) and return count, sum and sum of squares, checked
 * against closed forms.  Figure: ns per item.  Size: items (10M).
 */
#include "bench.h"

enum { SIDES = 4, BUFFER = 1024 };

typedef struct totals {
    uint64_t count, sum, sumsq;
    long disorder;
} totals;

typedef struct mp_arg {
    goc_chan *items, *results;
    goc_waitgroup *producers;
    long first, n; /* producer: first value and how many */
} mp_arg;

static void producer(void *p)
{
    mp_arg a = *(mp_arg *)p;
    for (long j = 0; j < a.n; j++) {
        long v = a.first + SIDES * j;
        goc_chan_send(a.items, &v);
    }
    goc_waitgroup_done(a.producers);
}

static void closer(void *p)
{
    mp_arg a = *(mp_arg *)p;
    goc_waitgroup_wait(a.producers);
    goc_chan_close(a.items);
}

static void consumer(void *p)
{
    mp_arg a = *(mp_arg *)p;
    totals t = {0, 0, 0, 0};
    long last[SIDES] = {-1, -1, -1, -1};
    long v;
    while (goc_chan_recv(a.items, &v)) {
        t.count++;
        t.sum += (uint64_t)v;
        t.sumsq += (uint64_t)v * (uint64_t)v;
        t.disorder += v <= last[v % SIDES];
        last[v % SIDES] = v;
    }
    goc_chan_send(a.results, &t);
}

static int bench_main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 10000000);
    bench_check("mpmc", n % SIDES == 0, "size %ld is not a multiple of %d", n,
                SIDES);
    goc_waitgroup wg = {0};
    mp_arg a = {goc_chan_make(sizeof(long), BUFFER),
                goc_chan_make(sizeof(totals), SIDES), &wg, 0, n / SIDES};

    int64_t t0 = bench_now();
    goc_waitgroup_add(&wg, SIDES);
    for (int i = 0; i < SIDES; i++) {
        a.first = i;
        goc_go(consumer, &a, sizeof a);
        goc_go(producer, &a, sizeof a);
    }
    goc_go(closer, &a, sizeof a);
    totals all = {0, 0, 0, 0};
    for (int i = 0; i < SIDES; i++) {
        totals t;
        goc_chan_recv(a.results, &t);
        all.count += t.count;
        all.sum += t.sum;
        all.sumsq += t.sumsq;
        all.disorder += t.disorder;
    }
    int64_t t1 = bench_now();

    unsigned __int128 N = (unsigned __int128)n;
    uint64_t sum = (uint64_t)(N * (N - 1) / 2);
    uint64_t sumsq = (uint64_t)((N - 1) * N * (2 * N - 1) / 6);
    bench_check("mpmc", all.count == (uint64_t)n, "received %" PRIu64,
                all.count);
    bench_check("mpmc", all.sum == sum && all.sumsq == sumsq,
                "checksum mismatch: sum %" PRIu64 " sumsq %" PRIu64, all.sum,
                all.sumsq);
    bench_check("mpmc", all.disorder == 0, "%ld values out of FIFO order",
                all.disorder);
    bench_report("mpmc", (double)(t1 - t0) / (double)n, "ns/item");
    return 0;
}

int main(int argc, char **argv)
{
    goc_main(bench_main, argc, argv);
}
