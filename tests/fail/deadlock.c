/* Every coroutine blocked on channels: the report names each one's spawn
 * site and blocking site.
 * EXPECT-EXIT: 2
 * EXPECT-STDERR: fatal error: all coroutines are asleep - deadlock!
 * EXPECT-STDERR: [chan send]
 * EXPECT-STDERR: [chan receive]
 * EXPECT-STDERR: created at program start (main) */
#include <goc.h>
#include <stdio.h>

static void stuck(void *arg)
{
    goc_chan *c = *(goc_chan **)arg;
    int v = 1;
    goc_chan_send(c, &v); /* @HERE */
}

static int body(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_chan *a = goc_chan_make(sizeof(int), 0);
    goc_chan *b = goc_chan_make(sizeof(int), 0);
    goc_go(stuck, &a, sizeof a); /* @HERE */
    printf("main blocks now\n");
    goc_chan_recv(b, NULL); /* @HERE */
    return 0;
}

int main(int argc, char **argv) { goc_main(body, argc, argv); }
