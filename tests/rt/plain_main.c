/* A plain C main that never calls goc_run uses coroutines and channels
 * through the C API (issue 11 item 3): `go` from the main thread queues
 * the coroutine, and the first blocking receive starts the runtime and
 * parks the thread until a coroutine sends.  A second plain thread sends
 * too.  Exit 0 when every check passes. */
#include <goc.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CHECK(c)                                                             \
    do {                                                                     \
        if (!(c)) {                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #c);                                                     \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

static goc_chan *c;

static void producer(void *arg)
{
    int base = *(int *)arg;
    for (int i = 0; i < 100; i++) {
        int v = base + i;
        goc_chan_send(c, &v);
    }
}

static void done(void *arg) { goc_waitgroup_done(arg); }

static void *thread_main(void *arg)
{
    (void)arg;
    int v = -1;
    goc_chan_send(c, &v);
    return NULL;
}

int main(void)
{
    alarm(20);
    c = goc_chan_make(sizeof(int), 0);
    int base = 1000;
    goc_go(producer, &base, sizeof base);
    long sum = 0;
    for (int i = 0; i < 100; i++) {
        int v;
        CHECK(goc_chan_recv(c, &v) == 1);
        sum += v;
    }
    CHECK(sum == 100 * 1000 + 99 * 100 / 2);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, thread_main, NULL) == 0);
    int v = 0;
    CHECK(goc_chan_recv(c, &v) == 1 && v == -1);
    CHECK(pthread_join(t, NULL) == 0);
    goc_waitgroup wg = {0};
    goc_waitgroup_add(&wg, 1);
    goc_go(done, &wg, 0);
    goc_waitgroup_wait(&wg);
    return 0;
}
