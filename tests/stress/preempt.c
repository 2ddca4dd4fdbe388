/* Preemption under stress (docs/runtime.md, "Preemption"), with the
 * execution trace recording.  Spinners call goc_preempt_poll() in their
 * loops as goc's generated code does, and only a coroutine that sleeps and
 * ping-pongs can stop them, so every round needs preemptions (with one
 * worker, nothing else could run).  Meanwhile
 *  - a plain thread calls goc_preempt_poll() in a loop: a no-op there;
 *  - SIGALRM, every millisecond, runs a handler that calls
 *    goc_preempt_poll() on whatever thread it lands, often a worker in the
 *    middle of a spinner: the check must not switch inside the handler;
 *  - GOC_TRACE records everything (the file is removed at exit).
 * Failures: a wrong count, a hang (the test's timeout), a crash, or a
 * sanitizer report. */
#include <goc.h>

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

enum { ROUNDS = 2, SPINNERS = 4, PINGS = 6 };

static _Atomic int stop, plain_done;
static _Atomic long handled, spun;
static char trace_path[64];

static void on_alarm(int sig)
{
    (void)sig;
    for (int i = 0; i < 100; i++)
        goc_preempt_poll();
    atomic_fetch_add_explicit(&handled, 1, memory_order_relaxed);
}

typedef struct { goc_waitgroup *wg; } spin_arg;

static void spinner(void *p)
{
    spin_arg *a = p;
    unsigned long x = 1;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        goc_preempt_poll();
        x = x * 6364136223846793005u + 1;
    }
    atomic_fetch_add_explicit(&spun, (long)(x & 1) + 1, memory_order_relaxed);
    goc_waitgroup_done(a->wg);
}

static void ponger(void *p)
{
    goc_chan *c = *(goc_chan **)p;
    int v;
    while (goc_chan_recv(c, &v))
        goc_chan_send(c, &v);
}

static void *plain(void *p)
{
    (void)p;
    while (!atomic_load(&plain_done))
        goc_preempt_poll();
    return NULL;
}

static int round_ok(void)
{
    goc_waitgroup wg = {0};
    spin_arg a = {&wg};
    atomic_store(&stop, 0);
    for (int i = 0; i < SPINNERS; i++) {
        goc_waitgroup_add(&wg, 1);
        goc_go(spinner, &a, sizeof a);
    }
    goc_chan *c = goc_chan_make(sizeof(int), 0);
    goc_go(ponger, &c, sizeof c);
    int sum = 0;
    for (int i = 1; i <= PINGS; i++) {
        goc_sleep(GOC_MILLISECOND / 4);
        int v = i;
        goc_chan_send(c, &v);
        goc_chan_recv(c, &v);
        sum += v;
    }
    goc_chan_close(c);
    atomic_store(&stop, 1);
    goc_waitgroup_wait(&wg);
    return sum == PINGS * (PINGS + 1) / 2;
}

static int stress_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    pthread_t t;
    if (pthread_create(&t, NULL, plain, NULL) != 0)
        return 1;
    int failures = 0;
    for (int r = 0; r < ROUNDS; r++)
        failures += !round_ok();
    atomic_store(&plain_done, 1);
    pthread_join(t, NULL);
    long s = atomic_load(&spun);
    if (s < ROUNDS * SPINNERS || s > 2 * ROUNDS * SPINNERS)
        failures++;
    printf("preempt: %d failures, %ld alarms handled\n", failures,
           atomic_load(&handled));
    return failures != 0;
}

static void remove_trace(void) { unlink(trace_path); }

int main(int argc, char **argv)
{
    snprintf(trace_path, sizeof trace_path, "/tmp/goc-stress-preempt-%ld.json",
             (long)getpid());
    setenv("GOC_TRACE", trace_path, 1);
    atexit(remove_trace); /* runs after the runtime's trace writer */
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
    goc_main(stress_main, argc, argv);
}
