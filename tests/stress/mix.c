/*
 * mix.c - a little of everything the scheduler does, checked: ping-pong
 * over unbuffered channels, a spawn tree joined with a WaitGroup, selects
 * over buffered and unbuffered channels with a timer case, and sleeps.
 * Small enough to run under valgrind (the CTest "valgrind" label runs it
 * at the default size), where it shows that the
 * stack switches are annotated: valgrind would otherwise warn "client
 * switching stacks?" and report invalid accesses on coroutine stacks.
 *
 *   stress_mix [tenths]   size in tenths of the default (default 10)
 */
#include <goc.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef GOC_STRESS_SANITIZER
#define SCALE 2
#else
#define SCALE 20
#endif

static long scale; /* tenths */
static atomic_int failures;

#define FAIL(...)                                                            \
    do {                                                                     \
        fprintf(stderr, "mix: " __VA_ARGS__);                                \
        fputc('\n', stderr);                                                 \
        atomic_fetch_add(&failures, 1);                                      \
    } while (0)

/* ---- ping-pong: a counter bounced n times, each side adding one ------- */

typedef struct pp {
    goc_chan *ping, *pong;
    long n;
} pp;

static void ponger(void *arg)
{
    pp a = *(pp *)arg;
    for (long i = 0; i < a.n; i++) {
        long v;
        goc_chan_recv(a.ping, &v);
        v++;
        goc_chan_send(a.pong, &v);
    }
}

static void pingpong(long n)
{
    pp a = {goc_chan_make(sizeof(long), 0), goc_chan_make(sizeof(long), 0), n};
    goc_go(ponger, &a, sizeof a);
    long v = 0;
    for (long i = 0; i < n; i++) {
        goc_chan_send(a.ping, &v);
        goc_chan_recv(a.pong, &v);
        v++;
    }
    if (v != 2 * n)
        FAIL("pingpong: %ld, expected %ld", v, 2 * n);
}

/* ---- a binary spawn tree summing its leaves ------------------------------ */

typedef struct node {
    int depth;
    atomic_long *sum;
    goc_waitgroup *wg;
} node;

static void tree(void *arg)
{
    node a = *(node *)arg;
    if (a.depth == 0) {
        atomic_fetch_add(a.sum, 1);
    } else {
        goc_waitgroup_add(a.wg, 2);
        node c = {a.depth - 1, a.sum, a.wg};
        goc_go(tree, &c, sizeof c);
        goc_go(tree, &c, sizeof c);
    }
    goc_waitgroup_done(a.wg);
}

static void spawn_tree(int depth)
{
    atomic_long sum = 0;
    goc_waitgroup wg = {0};
    goc_waitgroup_add(&wg, 1);
    node root = {depth, &sum, &wg};
    goc_go(tree, &root, sizeof root);
    goc_waitgroup_wait(&wg);
    if (atomic_load(&sum) != 1L << depth)
        FAIL("tree: %ld leaves, expected %ld", atomic_load(&sum), 1L << depth);
}

/* ---- select: two producers, one consumer with a timeout case ----------- */

typedef struct prod {
    goc_chan *c;
    long base, n;
} prod;

static void producer(void *arg)
{
    prod a = *(prod *)arg;
    for (long i = 0; i < a.n; i++) {
        long v = a.base + i;
        goc_chan_send(a.c, &v);
        if (i % 64 == 0)
            goc_sleep(10 * GOC_MICROSECOND);
    }
    goc_chan_close(a.c);
}

static void selects(long n)
{
    goc_chan *a = goc_chan_make(sizeof(long), 0);
    goc_chan *b = goc_chan_make(sizeof(long), 8);
    prod pa = {a, 0, n}, pb = {b, n, n};
    goc_go(producer, &pa, sizeof pa);
    goc_go(producer, &pb, sizeof pb);
    long next[2] = {0, n}, got = 0, timeouts = 0;
    goc_chan *cs[2] = {a, b};
    while (cs[0] || cs[1]) {
        long v;
        goc_select_case sc[3] = {
            {cs[0], &v, GOC_SELECT_RECV, 0},
            {cs[1], &v, GOC_SELECT_RECV, 0},
            {goc_after(50 * GOC_MILLISECOND), NULL, GOC_SELECT_RECV, 0},
        };
        int k = goc_select(sc, 3, 1);
        if (k == 2) {
            timeouts++;
            continue;
        }
        if (!sc[k].ok) {
            cs[k] = NULL; /* closed: its case is never ready again */
            continue;
        }
        if (v != next[k]++) /* FIFO per sender */
            FAIL("select: got %ld from %d, expected %ld", v, k, next[k] - 1);
        got++;
    }
    if (got != 2 * n)
        FAIL("select: %ld values, expected %ld (%ld timeouts)", got, 2 * n,
             timeouts);
}

static int mix_main(int argc, char **argv)
{
    scale = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    if (scale < 1)
        scale = 1;
    long unit = SCALE * scale; /* 200 at the default size */
    for (int round = 0; round < 3; round++) {
        pingpong(10 * unit);
        spawn_tree(round == 0 ? 6 : 9);
        selects(5 * unit);
        goc_sleep(GOC_MILLISECOND);
    }
    if (atomic_load(&failures)) {
        fprintf(stderr, "mix: %d failures\n", atomic_load(&failures));
        return 1;
    }
    printf("mix: ok\n");
    return 0;
}

int main(int argc, char **argv)
{
    goc_main(mix_main, argc, argv);
}
