/* A goc_waitgroup that lives in the waiting function's frame, as C code
 * naturally writes it: the frame is reused as soon as goc_waitgroup_wait
 * returns, so the last goc_waitgroup_done must not touch the group after a
 * waiter can see zero.  Parallel fib with a small cutoff makes thousands of
 * such frames per second; a late write shows up as a wrong sum, a crash or
 * a spurious "negative WaitGroup counter" panic. */
#include <goc.h>
#include <stdio.h>

typedef struct {
    int n;
    long *out;
    goc_waitgroup *wg;
} fib_arg;

static long fib_seq(int n)
{
    return n < 2 ? n : fib_seq(n - 1) + fib_seq(n - 2);
}

static long fib_par(int n);

static void fib_child(void *p)
{
    fib_arg *a = p;
    *a->out = fib_par(a->n);
    goc_waitgroup_done(a->wg);
}

static long fib_par(int n)
{
    if (n <= 8)
        return fib_seq(n);
    long x = 0;
    goc_waitgroup wg = {0};
    goc_waitgroup_add(&wg, 1);
    fib_arg a = {n - 1, &x, &wg};
    goc_go(fib_child, &a, sizeof a);
    long y = fib_par(n - 2);
    goc_waitgroup_wait(&wg);
    return x + y;
}

static int run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
#ifdef GOC_STRESS_SANITIZER
    const int rounds = 2, n = 20, want = 6765;
#else
    const int rounds = 20, n = 25, want = 75025;
#endif
    for (int i = 0; i < rounds; i++) {
        long r = fib_par(n);
        if (r != want) {
            fprintf(stderr, "wg_local: fib(%d) = %ld, want %d\n", n, r, want);
            return 1;
        }
    }
    puts("wg_local: ok");
    return 0;
}

int main(int argc, char **argv)
{
    goc_main(run, argc, argv);
}
