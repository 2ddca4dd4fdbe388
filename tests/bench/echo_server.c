/*
 * echo_server.c - the TCP echo benchmark server, over <goc.h>.
 *
 *   bench_echo_server [host:port]     (default 127.0.0.1:0)
 *
 * Prints "listening on HOST:PORT", then echoes every connection in its own
 * coroutine with a 16 KiB buffer.  Twin: go/echo/.  run_io.sh drives both
 * with bench_echo_client.
 */
#include "bench_net.h"

static void serve(void *arg)
{
    int fd = *(int *)arg;
    char buf[16384];
    ssize_t n;
    while ((n = goc_read(fd, buf, sizeof buf)) > 0)
        if (goc_write_full(fd, buf, (size_t)n) < 0)
            break;
    goc_close(fd);
}

static int run(int argc, char **argv)
{
    int lfd = bench_listen(argc, argv);
    if (lfd < 0)
        return 1;
    bench_serve_each(lfd, serve);
}

int main(int argc, char **argv)
{
    goc_main(run, argc, argv);
}
