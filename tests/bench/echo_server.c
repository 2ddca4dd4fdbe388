/*
 * echo_server.c - the TCP echo benchmark server, over <goc.h>.
 *
 *   bench_echo_server [host:port]     (default 127.0.0.1:0)
 *
 * Prints "listening on HOST:PORT", then echoes every connection in its own
 * coroutine with a 16 KiB buffer.  Twin: go/echo.go.  run_io.sh drives both
 * with bench_echo_client.
 */
#include <goc.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

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
    const char *addr = argc > 1 ? argv[1] : "127.0.0.1:0";
    int lfd = goc_listen_tcp(addr, 4096);
    if (lfd < 0) {
        fprintf(stderr, "listen %s: %s\n", addr, strerror(errno));
        return 1;
    }
    int hostlen = (int)(strrchr(addr, ':') - addr);
    printf("listening on %.*s:%d\n", hostlen, addr, goc_local_port(lfd));
    fflush(stdout);
    for (;;) {
        int fd = goc_accept(lfd, NULL, NULL);
        if (fd >= 0)
            goc_go(serve, &fd, sizeof fd);
    }
}

int main(int argc, char **argv)
{
    goc_main(run, argc, argv);
}
