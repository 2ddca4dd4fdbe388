/*
 * netcheck.c - a client that checks the network samples (and the C HTTP
 * benchmark server) over loopback; plain C over <goc.h>.
 *
 *   netcheck echo ADDR N         N concurrent connections, every byte checked
 *   netcheck http ADDR [FILE]    keep-alive, pipelining, 404, close; with
 *                                FILE, GET /file/<basename> must return it
 *   netcheck chat ADDR           three members: welcome, join, broadcast,
 *                                no echo to the sender, /quit, left
 *
 * Prints "ok: ..." and exits 0, or "FAIL: ..." and exits 1.
 */
#define _GNU_SOURCE /* memmem, strcasestr */
#include <goc.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#define TIMEOUT (5 * GOC_SECOND)

static const char *addr;

static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("FAIL: ", stdout);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    fflush(stdout);
    exit(1);
}

static int dial(void)
{
    int fd = goc_dial_tcp(addr, goc_now() + TIMEOUT);
    if (fd < 0)
        fail("dial %s: %s", addr, strerror(errno));
    return fd;
}

static void send_all(int fd, const char *s)
{
    if (goc_write_full_dl(fd, s, strlen(s), goc_now() + TIMEOUT) < 0)
        fail("write: %s", strerror(errno));
}

/* ---- echo -------------------------------------------------------------- */

#define ECHO_BYTES 20000

static goc_waitgroup echo_wg;

static unsigned char pattern(int id, size_t j)
{
    return (unsigned char)(id * 31 + j * 17 + (j >> 8));
}

static void echo_one(void *arg)
{
    int id = *(int *)arg, fd = dial();
    unsigned char chunk[4096];
    for (size_t off = 0; off < ECHO_BYTES; off += sizeof chunk) {
        size_t n = ECHO_BYTES - off < sizeof chunk ? ECHO_BYTES - off
                                                   : sizeof chunk;
        for (size_t j = 0; j < n; j++)
            chunk[j] = pattern(id, off + j);
        if (goc_write_full_dl(fd, chunk, n, goc_now() + TIMEOUT) < 0)
            fail("echo write: %s", strerror(errno));
    }
    size_t got = 0;
    while (got < ECHO_BYTES) {
        ssize_t n = goc_read_dl(fd, chunk, sizeof chunk, goc_now() + TIMEOUT);
        if (n <= 0)
            fail("echo read after %zu bytes: %s", got,
                 n ? strerror(errno) : "EOF");
        for (ssize_t j = 0; j < n; j++)
            if (chunk[j] != pattern(id, got + (size_t)j))
                fail("echo byte %zu of connection %d differs",
                     got + (size_t)j, id);
        got += (size_t)n;
    }
    goc_close(fd);
    goc_waitgroup_done(&echo_wg);
}

static int check_echo(int n)
{
    goc_waitgroup_add(&echo_wg, n);
    for (int i = 0; i < n; i++)
        goc_go(echo_one, &i, sizeof i);
    goc_waitgroup_wait(&echo_wg);
    printf("ok: echo: %d connections, %d bytes each, all checked\n", n,
           ECHO_BYTES);
    return 0;
}

/* ---- http -------------------------------------------------------------- */

struct conn {
    int fd;
    char buf[65536];
    size_t len;
};

struct response {
    int status, keep_alive;
    char body[65536];
    long body_len;
};

static void fill(struct conn *c)
{
    if (c->len == sizeof c->buf)
        fail("http: response too large");
    ssize_t n = goc_read_dl(c->fd, c->buf + c->len, sizeof c->buf - c->len,
                            goc_now() + TIMEOUT);
    if (n <= 0)
        fail("http: read: %s", n ? strerror(errno) : "EOF mid-response");
    c->len += (size_t)n;
}

/* Read one response (with Content-Length) off the connection. */
static void read_response(struct conn *c, struct response *r)
{
    char *end;
    for (;;) {
        end = memmem(c->buf, c->len, "\r\n\r\n", 4);
        if (end)
            break;
        fill(c);
    }
    *end = 0;
    if (sscanf(c->buf, "HTTP/1.1 %d", &r->status) != 1)
        fail("http: bad status line: %.40s", c->buf);
    char *cl = strcasestr(c->buf, "\r\nContent-Length:");
    if (!cl)
        fail("http: no Content-Length");
    r->body_len = atol(cl + 17);
    r->keep_alive = strcasestr(c->buf, "\r\nConnection: close") == NULL;
    size_t head = (size_t)(end + 4 - c->buf);
    if (r->body_len < 0 || (size_t)r->body_len > sizeof r->body)
        fail("http: body of %ld bytes", r->body_len);
    while (c->len < head + (size_t)r->body_len)
        fill(c);
    memcpy(r->body, c->buf + head, (size_t)r->body_len);
    size_t used = head + (size_t)r->body_len;
    memmove(c->buf, c->buf + used, c->len - used);
    c->len -= used;
}

static void expect(struct conn *c, int status, const char *body)
{
    static struct response r;
    read_response(c, &r);
    if (r.status != status)
        fail("http: status %d, want %d", r.status, status);
    if (body && (r.body_len != (long)strlen(body) ||
                 memcmp(r.body, body, (size_t)r.body_len) != 0))
        fail("http: body \"%.*s\", want \"%s\"", (int)r.body_len, r.body,
             body);
}

static char *slurp(const char *path, long *len)
{
    static char data[65536];
    int f = open(path, O_RDONLY);
    if (f < 0)
        fail("open %s: %s", path, strerror(errno));
    ssize_t n = read(f, data, sizeof data - 1);
    close(f);
    if (n < 0)
        fail("read %s", path);
    data[n] = 0;
    *len = (long)n;
    return data;
}

static int check_http(const char *file)
{
    static struct conn c;
    c.fd = dial();
    const char *get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    for (int i = 0; i < 3; i++) { /* keep-alive: one connection */
        send_all(c.fd, get);
        expect(&c, 200, "Hello, World!\n");
    }
    send_all(c.fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                   "GET /no/such/page HTTP/1.1\r\nHost: x\r\n\r\n"
                   "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); /* pipelined */
    expect(&c, 200, "Hello, World!\n");
    expect(&c, 404, NULL);
    expect(&c, 200, "Hello, World!\n");
    if (file) {
        long len;
        char *want = slurp(file, &len);
        const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
        char req[512];
        snprintf(req, sizeof req, "GET /file/%s HTTP/1.1\r\nHost: x\r\n\r\n",
                 base);
        send_all(c.fd, req);
        static struct response r;
        read_response(&c, &r);
        if (r.status != 200 || r.body_len != len ||
            memcmp(r.body, want, (size_t)len) != 0)
            fail("http: /file/%s: status %d, %ld bytes (want %ld)", base,
                 r.status, r.body_len, len);
    }
    send_all(c.fd, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(&c, 200, "Hello, World!\n");
    char b;
    if (goc_read_dl(c.fd, &b, 1, goc_now() + TIMEOUT) != 0)
        fail("http: connection not closed after Connection: close");
    goc_close(c.fd);
    printf("ok: http: keep-alive, pipelining, 404, %sConnection: close\n",
           file ? "file, " : "");
    return 0;
}

/* ---- chat -------------------------------------------------------------- */

struct member {
    int fd;
    char buf[4096];
    size_t len;
};

/* The next line from m, without its newline. */
static const char *line(struct member *m)
{
    static char out[4096];
    for (;;) {
        char *nl = memchr(m->buf, '\n', m->len);
        if (nl) {
            size_t n = (size_t)(nl - m->buf);
            memcpy(out, m->buf, n);
            out[n] = 0;
            memmove(m->buf, nl + 1, m->len - n - 1);
            m->len -= n + 1;
            return out;
        }
        ssize_t r = goc_read_dl(m->fd, m->buf + m->len,
                                sizeof m->buf - m->len, goc_now() + TIMEOUT);
        if (r <= 0)
            fail("chat: read: %s", r ? strerror(errno) : "EOF");
        m->len += (size_t)r;
    }
}

static void want_line(struct member *m, const char *prefix, const char *has)
{
    const char *l = line(m);
    if (strncmp(l, prefix, strlen(prefix)) != 0 || (has && !strstr(l, has)))
        fail("chat: got \"%s\", want \"%s...%s\"", l, prefix, has ? has : "");
}

static int join(struct member *m)
{
    m->fd = dial();
    m->len = 0;
    const char *l = line(m);
    int id;
    if (sscanf(l, "* welcome user%d", &id) != 1)
        fail("chat: got \"%s\", want a welcome", l);
    return id;
}

static int check_chat(void)
{
    static struct member a, b, c;
    char who[64];
    int ida = join(&a), idb = join(&b);
    snprintf(who, sizeof who, "* user%d joined", idb);
    want_line(&a, who, NULL);
    int idc = join(&c);
    snprintf(who, sizeof who, "* user%d joined", idc);
    want_line(&a, who, NULL);
    want_line(&b, who, NULL);

    send_all(a.fd, "hello from a\n");
    snprintf(who, sizeof who, "user%d: ", ida);
    want_line(&b, who, "hello from a");
    want_line(&c, who, "hello from a");
    send_all(b.fd, "/quit\n");
    snprintf(who, sizeof who, "* user%d left", idb);
    want_line(&a, who, NULL); /* a never got its own line back */
    want_line(&c, who, NULL);
    char x;
    if (goc_read_dl(b.fd, &x, 1, goc_now() + TIMEOUT) != 0)
        fail("chat: not closed after /quit");
    send_all(c.fd, "bye\n");
    snprintf(who, sizeof who, "user%d: ", idc);
    want_line(&a, who, "bye");
    goc_close(a.fd);
    goc_close(b.fd);
    goc_close(c.fd);
    printf("ok: chat: welcome, joined, broadcast, /quit, left\n");
    return 0;
}

static int run(int argc, char **argv)
{
    if (argc < 3)
        fail("usage: netcheck echo|http|chat ADDR [ARG]");
    addr = argv[2];
    if (strcmp(argv[1], "echo") == 0)
        return check_echo(argc > 3 ? atoi(argv[3]) : 100);
    if (strcmp(argv[1], "http") == 0)
        return check_http(argc > 3 ? argv[3] : NULL);
    if (strcmp(argv[1], "chat") == 0)
        return check_chat();
    fail("unknown mode %s", argv[1]);
    return 1;
}

int main(int argc, char **argv)
{
    goc_main(run, argc, argv);
}
