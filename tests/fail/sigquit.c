/* SIGQUIT dumps every coroutine (id, state, spawn and blocking sites) and
 * the program carries on.
 * EXPECT-EXIT: 0
 * EXPECT-STDERR: SIGQUIT: coroutine dump
 * EXPECT-STDERR: coroutine 1 [running]
 * EXPECT-STDERR: [chan receive]
 * EXPECT-STDERR: [sleep]
 * EXPECT-STDERR: end of coroutine dump */
#include <goc.h>
#include <signal.h>
#include <stdio.h>

static void waiter(void *arg)
{
    goc_chan *c = *(goc_chan **)arg;
    goc_chan_recv(c, NULL); /* @HERE */
}

static void sleeper(void *arg)
{
    (void)arg;
    goc_sleep(10 * GOC_SECOND); /* @HERE */
}

static int body(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_chan *c = goc_chan_make(sizeof(int), 0);
    goc_go(waiter, &c, sizeof c); /* @HERE */
    goc_go(sleeper, NULL, 0);     /* @HERE */
    goc_sleep(5 * GOC_MILLISECOND); /* both children are parked by now */
    raise(SIGQUIT);
    int v = 7;
    goc_chan_send(c, &v);
    fprintf(stderr, "still running\n");
    return 0;
}

int main(int argc, char **argv) { goc_main(body, argc, argv); }
