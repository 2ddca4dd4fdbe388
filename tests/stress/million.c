/* A million coroutines blocked at the same time, then released: stacks
 * beyond the guard-page budget, the slot pool, and a close that readies a
 * million receivers through the run queues.  Scaled down under sanitizers. */
#include <goc.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* The full million runs once per suite, with GOC_PROCS=2: on the test VM
 * each coroutine's first page fault costs 5-10 us, so a million take 5-15 s.
 * The other worker counts run 100k. */
static long N = 1000000;

static _Atomic long started, finished;
static goc_waitgroup wg;

static void blocked(void *arg)
{
    goc_chan *gate = *(goc_chan **)arg;
    atomic_fetch_add_explicit(&started, 1, memory_order_relaxed);
    int ok = goc_chan_recv(gate, NULL);
    if (ok != 0) {
        fprintf(stderr, "receive on a closed channel reported a value\n");
        exit(1);
    }
    atomic_fetch_add_explicit(&finished, 1, memory_order_relaxed);
    goc_waitgroup_done(&wg);
}

static int body(int argc, char **argv)
{
    (void)argc, (void)argv;
#ifdef GOC_STRESS_SANITIZER
    N = 500; /* TSan: fibers are costly, and some of its work is O(fibers) */
#else
    const char *p = getenv("GOC_PROCS");
    if (p && atoi(p) != 2)
        N = 100000;
#endif
    goc_chan *gate = goc_chan_make(sizeof(int), 0);
    goc_waitgroup_add(&wg, N);
    for (long i = 0; i < N; i++)
        goc_go(blocked, &gate, sizeof gate);
    while (atomic_load(&started) < N)
        goc_yield();
    if (atomic_load(&finished) != 0) {
        fprintf(stderr, "a coroutine passed the gate before it opened\n");
        return 1;
    }
    goc_chan_close(gate);
    goc_waitgroup_wait(&wg);
    if (atomic_load(&finished) != N) {
        fprintf(stderr, "finished %ld of %ld\n", atomic_load(&finished), N);
        return 1;
    }
    printf("%ld coroutines blocked at once, then released\n", N);
    return 0;
}

int main(int argc, char **argv) { goc_main(body, argc, argv); }
