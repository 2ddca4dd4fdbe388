/* Skynet-style spawn tree: every node spawns 10 children and sums what
 * they send back over its own channel.  Checks the total, and exercises
 * work-first spawning, runnext and stealing with many short-lived
 * coroutines.  Alongside, yielders and sleepers keep the queues mixed. */
#include <goc.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef GOC_STRESS_SANITIZER
#define LEAVES 10000
#else
#define LEAVES 1000000
#endif

struct node {
    goc_chan *out;
    long num, size;
};

static void skynet(void *arg)
{
    struct node *n = arg;
    long v = n->num;
    if (n->size > 1) {
        goc_chan *c = goc_chan_make(sizeof(long), 0);
        long step = n->size / 10;
        for (int i = 0; i < 10; i++) {
            struct node k = {c, n->num + i * step, step};
            goc_go(skynet, &k, sizeof k);
        }
        v = 0;
        for (int i = 0; i < 10; i++) {
            long r;
            goc_chan_recv(c, &r);
            v += r;
        }
        goc_chan_free(c);
    }
    goc_chan_send(n->out, &v);
}

static goc_waitgroup noise_wg;

static void yielder(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000; i++)
        goc_yield();
    goc_waitgroup_done(&noise_wg);
}

static void sleeper(void *arg)
{
    int64_t d = *(int64_t *)arg;
    int64_t t0 = goc_now();
    goc_sleep(d);
    if (goc_now() - t0 < d) {
        fprintf(stderr, "woke %lld ns early\n", (long long)(d - (goc_now() - t0)));
        exit(1);
    }
    goc_waitgroup_done(&noise_wg);
}

static int body(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_waitgroup_add(&noise_wg, 8 + 500);
    for (int i = 0; i < 8; i++)
        goc_go(yielder, NULL, 0);
    for (int i = 0; i < 500; i++) {
        int64_t d = (i % 50 + 1) * GOC_MILLISECOND;
        goc_go(sleeper, &d, sizeof d);
    }
    for (int round = 0; round < 2; round++) {
        goc_chan *c = goc_chan_make(sizeof(long), 1);
        struct node root = {c, 0, LEAVES};
        goc_go(skynet, &root, sizeof root);
        long sum = 0;
        goc_chan_recv(c, &sum);
        long want = (long)LEAVES * (LEAVES - 1) / 2;
        if (sum != want) {
            fprintf(stderr, "sum %ld, want %ld\n", sum, want);
            return 1;
        }
    }
    goc_waitgroup_wait(&noise_wg);
    printf("skynet of %d leaves twice: ok\n", LEAVES);
    return 0;
}

int main(int argc, char **argv) { goc_main(body, argc, argv); }
