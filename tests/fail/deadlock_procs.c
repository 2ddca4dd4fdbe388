/* A deadlock is found whatever the number of workers, after a sleeper
 * (a pending timer is not a deadlock) has woken and blocked for good.
 * ENV: GOC_PROCS=4
 * EXPECT-EXIT: 2
 * EXPECT-STDERR: fatal error: all coroutines are asleep - deadlock!
 * EXPECT-STDERR: [mutex]
 * EXPECT-STDERR: [waitgroup] */
#include <goc.h>

static goc_waitgroup wg;
static goc_mutex mu;

static void sleeper(void *arg)
{
    (void)arg;
    goc_sleep(20 * GOC_MILLISECOND);
    goc_mutex_lock(&mu); /* @HERE */
}

static int body(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_mutex_lock(&mu);
    for (int i = 0; i < 8; i++)
        goc_go(sleeper, NULL, 0); /* @HERE */
    goc_waitgroup_add(&wg, 1);
    goc_waitgroup_wait(&wg); /* @HERE */
    return 0;
}

int main(int argc, char **argv) { goc_main(body, argc, argv); }
