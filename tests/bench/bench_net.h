/*
 * bench_net.h - what the TCP benchmark servers (echo_server.c, http_hello.c)
 * share: the listening socket and the accept loop, one coroutine per
 * connection.  run_io.sh starts each on 127.0.0.1:0 and reads the port from
 * the "listening on HOST:PORT" line.
 */
#ifndef GOC_BENCH_NET_H
#define GOC_BENCH_NET_H

#include <goc.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Listen on argv[1] (default 127.0.0.1:0) and print "listening on
 * HOST:PORT" without flushing, so that the caller may add lines; -1 after
 * saying why when it cannot listen. */
static inline int bench_listen(int argc, char **argv)
{
    const char *addr = argc > 1 ? argv[1] : "127.0.0.1:0";
    int lfd = goc_listen_tcp(addr, 4096);
    if (lfd < 0) {
        fprintf(stderr, "listen %s: %s\n", addr, strerror(errno));
        return -1;
    }
    int hostlen = (int)(strrchr(addr, ':') - addr);
    printf("listening on %.*s:%d\n", hostlen, addr, goc_local_port(lfd));
    return lfd;
}

/* Flush stdout, then serve every connection on lfd with serve(&fd) in its
 * own coroutine, forever. */
_Noreturn static inline void bench_serve_each(int lfd, goc_fn serve)
{
    fflush(stdout);
    for (;;) {
        int fd = goc_accept(lfd, NULL, NULL);
        if (fd >= 0)
            goc_go(serve, &fd, sizeof fd);
    }
}

#endif /* GOC_BENCH_NET_H */
