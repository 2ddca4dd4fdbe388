/* A plain C main (no goc_run) blocked on a channel nobody can send on is
 * a deadlock, reported with the thread's blocking site.
 * ENV: GOC_PROCS=2
 * EXPECT-EXIT: 2
 * EXPECT-STDERR: fatal error: all coroutines are asleep - deadlock!
 * EXPECT-STDERR: thread [chan receive]: */
#include <goc.h>

int main(void)
{
    goc_chan *c = goc_chan_make(sizeof(int), 0);
    int v;
    goc_chan_recv(c, &v); /* @HERE */
    return v;
}
