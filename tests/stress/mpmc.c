/*
 * mpmc.c - many producers, many consumers over one channel, for several
 * buffer sizes.  Every item carries (producer, sequence); the check is that
 * nothing is lost or duplicated (a bitmap and a checksum over all items),
 * and that FIFO per sender holds (each consumer sees any one producer's
 * sequence numbers strictly increasing; with one consumer, exactly 0..n-1).
 * Exit status 0 on success; a failure prints what broke and exits 1.
 */
#include <goc.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef GOC_STRESS_SANITIZER
#define ITEMS 50000
#else
#define ITEMS 1000000
#endif

typedef struct item {
    uint32_t producer;
    uint32_t seq;
    uint64_t payload; /* derived from the two, checked on arrival */
} item;

typedef struct config {
    int producers, consumers;
    long cap;
} config;

static goc_chan *ch;
static int nprod, per_producer;
static atomic_uchar *seen;
static atomic_ullong checksum;
static atomic_long received;
static atomic_int failures;
static goc_waitgroup producers_wg, consumers_wg;

static uint64_t mix(uint32_t p, uint32_t s)
{
    uint64_t x = ((uint64_t)p << 32 | s) * 0x9e3779b97f4a7c15ull;
    return x ^ (x >> 29);
}

static void fail(const char *what, uint32_t p, uint32_t s)
{
    if (atomic_fetch_add(&failures, 1) < 10)
        fprintf(stderr, "mpmc: %s (producer %u seq %u)\n", what, p, s);
}

static void producer(void *arg)
{
    uint32_t p = *(uint32_t *)arg;
    for (int s = 0; s < per_producer; s++) {
        item it = {p, (uint32_t)s, mix(p, (uint32_t)s)};
        goc_chan_send(ch, &it);
    }
    goc_waitgroup_done(&producers_wg);
}

static void consumer(void *arg)
{
    int exact = *(int *)arg; /* the only consumer: sequences are exact */
    int64_t *last = malloc(sizeof *last * (size_t)nprod);
    uint64_t sum = 0;
    long n = 0;
    item it;
    for (int i = 0; i < nprod; i++)
        last[i] = -1;
    while (goc_chan_recv(ch, &it)) {
        if (it.producer >= (uint32_t)nprod ||
            it.seq >= (uint32_t)per_producer) {
            fail("item out of range", it.producer, it.seq);
            continue;
        }
        if (it.payload != mix(it.producer, it.seq))
            fail("payload corrupted", it.producer, it.seq);
        if ((int64_t)it.seq <= last[it.producer] ||
            (exact && (int64_t)it.seq != last[it.producer] + 1))
            fail("FIFO per sender violated", it.producer, it.seq);
        last[it.producer] = it.seq;
        if (atomic_fetch_add(&seen[(size_t)it.producer * per_producer + it.seq],
                             1) != 0)
            fail("item duplicated", it.producer, it.seq);
        sum += it.payload;
        n++;
    }
    atomic_fetch_add(&checksum, sum);
    atomic_fetch_add(&received, n);
    free(last);
    goc_waitgroup_done(&consumers_wg);
}

static void closer(void *arg)
{
    (void)arg;
    goc_waitgroup_wait(&producers_wg);
    goc_chan_close(ch);
}

static int run(config cf)
{
    uint64_t want = 0;
    int exact = cf.consumers == 1;
    nprod = cf.producers;
    per_producer = ITEMS / cf.producers;
    long total = (long)nprod * per_producer;
    seen = calloc((size_t)total, 1);
    atomic_store(&checksum, 0);
    atomic_store(&received, 0);
    ch = goc_chan_make(sizeof(item), cf.cap);
    goc_waitgroup_add(&producers_wg, nprod);
    goc_waitgroup_add(&consumers_wg, cf.consumers);
    for (int c = 0; c < cf.consumers; c++)
        goc_go(consumer, &exact, sizeof exact);
    for (uint32_t p = 0; p < (uint32_t)nprod; p++)
        goc_go(producer, &p, sizeof p);
    goc_go(closer, NULL, 0);
    goc_waitgroup_wait(&consumers_wg);
    for (uint32_t p = 0; p < (uint32_t)nprod; p++)
        for (uint32_t s = 0; s < (uint32_t)per_producer; s++)
            want += mix(p, s);
    if (atomic_load(&received) != total)
        fprintf(stderr, "mpmc: received %ld of %ld\n", atomic_load(&received),
                total), atomic_fetch_add(&failures, 1);
    if (atomic_load(&checksum) != want)
        fprintf(stderr, "mpmc: checksum mismatch\n"),
            atomic_fetch_add(&failures, 1);
    for (long i = 0; i < total; i++)
        if (atomic_load(&seen[i]) != 1) {
            fail("item lost", (uint32_t)(i / per_producer),
                 (uint32_t)(i % per_producer));
            break;
        }
    goc_chan_free(ch);
    free(seen);
    fprintf(stderr, "mpmc: %dx%d cap %ld: %ld items %s\n", cf.producers,
            cf.consumers, cf.cap, total,
            atomic_load(&failures) ? "FAILED" : "ok");
    return atomic_load(&failures) != 0;
}

static int stress_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    static const config cfs[] = {
        {4, 4, 1024}, {4, 4, 0}, {1, 1, 0}, {3, 1, 1},
        {8, 2, 1},    {2, 8, 16}, {16, 16, 4},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof cfs / sizeof cfs[0]; i++)
        bad |= run(cfs[i]);
    return bad;
}

int main(int argc, char **argv)
{
    goc_main(stress_main, argc, argv);
}
