/* GOC_DEBUG=schedtrace=<ms> prints a scheduler line periodically.
 * ENV: GOC_DEBUG=schedtrace=10
 * ENV: GOC_PROCS=3
 * EXPECT-EXIT: 0
 * EXPECT-STDERR: SCHED
 * EXPECT-STDERR: procs=3 idleprocs=
 * EXPECT-STDERR: coroutines=1 timers=1 */
#include <goc.h>

static int body(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_sleep(60 * GOC_MILLISECOND);
    return 0;
}

int main(int argc, char **argv) { goc_main(body, argc, argv); }
