/*
 * select_torture.c - many coroutines selecting over shared channels.
 *
 * Producers push unique values through selects over send cases on two
 * random channels of four (unbuffered and buffered), blocking or with a
 * default.  Consumers select over receive cases on all four plus, while
 * they hold a value to forward, a send case on `fwd` (send and receive
 * cases in one select); a sink drains `fwd`.  The four channels are closed
 * while consumers are blocked on them, and consumers disable a closed
 * channel by making its case nil.  At the end every value must have been
 * received exactly once, by a consumer or the sink.
 */
#include <goc.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef GOC_STRESS_SANITIZER
#define PER_PRODUCER 3000
#else
#define PER_PRODUCER 100000
#endif
#define PRODUCERS 6
#define CONSUMERS 5
#define TOTAL (PRODUCERS * PER_PRODUCER)

static goc_chan *chs[4], *fwd, *sink_done;
static atomic_uchar seen[TOTAL];
static atomic_long defaults_taken, forwarded;
static atomic_int failures;
static goc_waitgroup producers_wg, consumers_wg;

static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void mark(int v)
{
    if (v < 0 || v >= TOTAL || atomic_fetch_add(&seen[v], 1) != 0)
        if (atomic_fetch_add(&failures, 1) < 10)
            fprintf(stderr, "select_torture: value %d seen twice or bogus\n",
                    v);
}

static void producer(void *arg)
{
    int id = *(int *)arg;
    uint32_t rs = 2463534242u + (uint32_t)id * 7919u;
    for (int i = 0; i < PER_PRODUCER;) {
        int v = id * PER_PRODUCER + i;
        int a = (int)(next_rand(&rs) % 4), b = (a + 1 + next_rand(&rs) % 3) % 4;
        int block = next_rand(&rs) % 4 != 0;
        goc_select_case cs[3] = {
            {chs[a], &v, GOC_SELECT_SEND, 0},
            {NULL, &v, GOC_SELECT_RECV, 0}, /* disabled case */
            {chs[b], &v, GOC_SELECT_SEND, 0},
        };
        int k = goc_select(cs, 3, block);
        if (k < 0) {
            atomic_fetch_add(&defaults_taken, 1);
            goc_yield();
            continue;
        }
        if (k == 1)
            mark(-1);
        i++;
    }
    goc_waitgroup_done(&producers_wg);
}

static void consumer(void *arg)
{
    (void)arg;
    int v, out = 0, have_out = 0, live = 4;
    unsigned n = 0;
    goc_select_case cs[5];
    for (int i = 0; i < 4; i++)
        cs[i] = (goc_select_case){chs[i], &v, GOC_SELECT_RECV, 0};
    cs[4] = (goc_select_case){NULL, &out, GOC_SELECT_SEND, 0};
    while (live > 0 || have_out) {
        cs[4].chan = have_out ? fwd : NULL;
        int k = goc_select(cs, 5, ++n % 5 != 0);
        if (k < 0) {
            atomic_fetch_add(&defaults_taken, 1);
            goc_yield();
        } else if (k == 4) {
            have_out = 0; /* the sink now owns out */
        } else if (!cs[k].ok) {
            cs[k].chan = NULL;
            live--;
        } else if (!have_out && v % 3 == 0) {
            out = v;
            have_out = 1;
        } else {
            mark(v);
        }
    }
    goc_waitgroup_done(&consumers_wg);
}

static void sink(void *arg)
{
    (void)arg;
    int v;
    while (goc_chan_recv(fwd, &v)) {
        mark(v);
        atomic_fetch_add(&forwarded, 1);
    }
    goc_chan_send(sink_done, &v);
}

static int stress_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    static const long caps[4] = {0, 1, 8, 0};
    int v;
    for (int i = 0; i < 4; i++)
        chs[i] = goc_chan_make(sizeof(int), caps[i]);
    fwd = goc_chan_make(sizeof(int), 0);
    sink_done = goc_chan_make(sizeof(int), 0);
    goc_waitgroup_add(&producers_wg, PRODUCERS);
    goc_waitgroup_add(&consumers_wg, CONSUMERS);
    goc_go(sink, NULL, 0);
    for (int i = 0; i < CONSUMERS; i++)
        goc_go(consumer, NULL, 0);
    for (int i = 0; i < PRODUCERS; i++)
        goc_go(producer, &i, sizeof i);
    goc_waitgroup_wait(&producers_wg);
    for (int i = 0; i < 4; i++)
        goc_chan_close(chs[i]);
    goc_waitgroup_wait(&consumers_wg);
    goc_chan_close(fwd);
    goc_chan_recv(sink_done, &v);
    for (int i = 0; i < TOTAL; i++)
        if (atomic_load(&seen[i]) != 1) {
            fprintf(stderr, "select_torture: value %d seen %d times\n", i,
                    atomic_load(&seen[i]));
            atomic_fetch_add(&failures, 1);
            break;
        }
    fprintf(stderr,
            "select_torture: %d values, %ld forwarded, %ld defaults: %s\n",
            TOTAL, atomic_load(&forwarded), atomic_load(&defaults_taken),
            atomic_load(&failures) ? "FAILED" : "ok");
    return atomic_load(&failures) != 0;
}

int main(int argc, char **argv)
{
    goc_main(stress_main, argc, argv);
}
