/*
 * http_hello.c - the HTTP "hello" benchmark server, over <goc.h>.
 *
 *   bench_http_hello [host:port]      (default 127.0.0.1:0)
 *
 * Prints "listening on HOST:PORT", then serves HTTP/1.1 with keep-alive:
 * GET / answers "Hello, World!\n", any other target 404, and a request
 * carrying "Connection: close" is answered and the connection closed.
 * Pipelined requests are answered with one write per read.  One coroutine
 * per connection.  Its twin go/http_raw/ is written the same way over
 * Go's net package; go/http_nethttp/ is the idiomatic net/http server.
 * run_io.sh drives all three with wrk.
 */
#define _GNU_SOURCE /* memmem, strcasestr */
#include "bench_net.h"

#include <stdio.h>
#include <string.h>

#define HELLO_HEAD "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
#define HELLO_BODY "Content-Length: 14\r\n\r\nHello, World!\n"
#define MISSING_HEAD "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
#define MISSING_BODY "Content-Length: 10\r\n\r\nnot found\n"
#define CLOSE "Connection: close\r\n"

/* Append the response to head (NUL-terminated) to out; returns 1 when the
 * client asked to close. */
static int answer(const char *head, char *out, size_t *olen)
{
    int root = strncmp(head, "GET / ", 6) == 0;
    int close = strcasestr(head, "\r\nConnection: close") != NULL;
    const char *parts[3] = {root ? HELLO_HEAD : MISSING_HEAD,
                            close ? CLOSE : "",
                            root ? HELLO_BODY : MISSING_BODY};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(parts[i]);
        memcpy(out + *olen, parts[i], n);
        *olen += n;
    }
    return close;
}

static void serve(void *arg)
{
    int fd = *(int *)arg;
    char in[8192 + 1], out[32768];
    size_t len = 0;
    for (;;) {
        ssize_t n = goc_read(fd, in + len, sizeof in - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        size_t pos = 0, olen = 0;
        int close = 0;
        char *end;
        /* every complete request in the buffer; out is flushed early
         * when it nears full */
        while (!close && (end = memmem(in + pos, len - pos, "\r\n\r\n", 4))) {
            end[2] = 0;
            close = answer(in + pos, out, &olen);
            pos = (size_t)(end + 4 - in);
            if (olen > sizeof out - 256) {
                if (goc_write_full(fd, out, olen) < 0)
                    goto done;
                olen = 0;
            }
        }
        if (olen && goc_write_full(fd, out, olen) < 0)
            break;
        if (close || (pos == 0 && len == sizeof in - 1))
            break; /* asked to, or a head too large */
        memmove(in, in + pos, len - pos);
        len -= pos;
    }
done:
    goc_close(fd);
}

static int run(int argc, char **argv)
{
    int lfd = bench_listen(argc, argv);
    if (lfd < 0)
        return 1;
    printf("poller %s\n", goc_poll_backend());
    bench_serve_each(lfd, serve);
}

int main(int argc, char **argv)
{
    goc_main(run, argc, argv);
}
