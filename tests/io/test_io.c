/*
 * test_io.c - the I/O poller and fd operations over loopback, built once
 * per poller backend (EXPECT_BACKEND names the one linked in).
 *
 * Each Test runs its body as a goc program with goc_run; checks inside
 * coroutines use CHECK/CHECK_EQ from goc_test.h.
 */
#include <criterion/criterion.h>
#include "netpoll.h" /* white box: rt_poll_event (stale_event_is_dropped) */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "goc_test.h"

#ifndef EXPECT_BACKEND
#error "EXPECT_BACKEND must name the poller backend under test"
#endif

/* errno of the worker running us now.  __errno_location() is const, so a
 * compiler may keep the address from before a call that parked and moved
 * this coroutine to another worker; read errno through this instead. */
__attribute__((noinline)) static int err_now(void)
{
    int *p = &errno;
    __asm__ volatile("" : "+r"(p));
    return *p;
}

static int64_t ms(int64_t n)
{
    return n * GOC_MILLISECOND;
}

static void pair(int sv[2])
{
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

static void raise_nofile(rlim_t want)
{
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur < want) {
        rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
        cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    }
    cr_assert(rl.rlim_cur >= want, "RLIMIT_NOFILE hard limit %ld < %ld",
              (long)rl.rlim_max, (long)want);
}

/* ---- the backend in use ------------------------------------------------ */

/* Open fds of this process whose /proc link names an epoll instance. */
static int count_epoll_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[300], link[256];
        snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
        ssize_t r = readlink(path, link, sizeof link - 1);
        if (r > 0) {
            link[r] = 0;
            n += strstr(link, "eventpoll") != NULL;
        }
    }
    closedir(d);
    return n;
}

static void write_later(void *arg)
{
    int fd = *(int *)arg;
    goc_sleep(ms(10));
    CHECK_EQ(goc_write(fd, "x", 1), 1);
}

static int epoll_fds_before; /* outside the runtime: Criterion's own */

static int body_backend(int argc, char **argv)
{
    (void)argc, (void)argv;
    CHECK(strcmp(goc_poll_backend(), EXPECT_BACKEND) == 0);
    int sv[2];
    pair(sv);
    goc_go(write_later, &sv[1], sizeof sv[1]);
    char c;
    CHECK_EQ(goc_read(sv[0], &c, 1), 1); /* parks: the poller is running */
    int eps = count_epoll_fds() - epoll_fds_before;
    if (epoll_fds_before >= 0) /* an independent look at the mechanism */
        CHECK(strcmp(EXPECT_BACKEND, "epoll") == 0 ? eps >= 1 : eps == 0);
    goc_close(sv[0]);
    goc_close(sv[1]);
    return 0;
}

Test(io, backend_name)
{
    epoll_fds_before = count_epoll_fds();
    cr_assert_eq(goc_run(body_backend, 0, NULL), 0);
    cr_assert_str_eq(goc_poll_backend(), EXPECT_BACKEND);
}

/* ---- echo: many concurrent connections, every byte checked ------------- */

#ifdef IO_SANITIZER
#define NCONN 200 /* sanitizers make each one several times slower */
#else
#define NCONN 1000
#endif
#define SMALL 3000
#define BIG (1 << 20)

static uint8_t pattern(int conn, size_t j)
{
    return (uint8_t)(conn * 131 + j * 7 + (j >> 9));
}

static atomic_llong verified; /* bytes echoed back and checked */

static void echo_conn(void *arg)
{
    int fd = *(int *)arg;
    char buf[8192];
    for (;;) {
        ssize_t n = goc_read(fd, buf, sizeof buf);
        if (n <= 0 || goc_write_full(fd, buf, (size_t)n) != n)
            break;
    }
    goc_close(fd);
}

static void echo_accept(void *arg)
{
    int lfd = *(int *)arg;
    for (;;) {
        int c = goc_accept(lfd, NULL, NULL);
        if (c < 0) {
            CHECK(err_now() == EBADF || err_now() == EMFILE || err_now() == ECONNABORTED);
            if (err_now() == EBADF) /* the listener was goc_closed */
                return;
            continue;
        }
        goc_go(echo_conn, &c, sizeof c);
    }
}

struct client {
    const char *addr;
    int id;
    size_t size;
    int fd;
    goc_waitgroup *wg, *connected;
};

/* Send the client's pattern in odd-sized pieces. */
static void client_send(void *arg)
{
    struct client *c = *(struct client **)arg;
    uint8_t chunk[7919];
    for (size_t off = 0; off < c->size;) {
        size_t n = c->size - off < sizeof chunk ? c->size - off : sizeof chunk;
        for (size_t j = 0; j < n; j++)
            chunk[j] = pattern(c->id, off + j);
        CHECK_EQ(goc_write_full(c->fd, chunk, n), n);
        off += n;
    }
    CHECK_EQ(shutdown(c->fd, SHUT_WR), 0);
    goc_waitgroup_done(c->wg);
}

static void client(void *arg)
{
    struct client c = *(struct client *)arg, *cp = &c;
    goc_waitgroup sent = {0};
    c.wg = &sent;
    c.fd = goc_dial_tcp(c.addr, goc_now() + 20 * GOC_SECOND);
    CHECK(c.fd >= 0);
    goc_waitgroup_done(c.connected); /* all connections are open at once */
    goc_waitgroup_wait(c.connected);
    goc_waitgroup_add(&sent, 1);
    goc_go(client_send, &cp, sizeof cp); /* reads and writes overlap */
    uint8_t buf[5000];
    size_t got = 0;
    for (;;) {
        ssize_t n = goc_read(c.fd, buf, sizeof buf);
        CHECK(n >= 0);
        if (n == 0)
            break;
        for (ssize_t j = 0; j < n; j++)
            CHECK_EQ(buf[j], pattern(c.id, got + (size_t)j));
        got += (size_t)n;
    }
    CHECK_EQ(got, c.size);
    atomic_fetch_add(&verified, (long long)got);
    goc_waitgroup_wait(&sent);
    goc_close(c.fd);
    goc_waitgroup_done(((struct client *)arg)->wg);
}

static void run_clients(const char *addr, int n, int first_id)
{
    goc_waitgroup wg = {0}, connected = {0};
    long long want = atomic_load(&verified);
    goc_waitgroup_add(&wg, n);
    goc_waitgroup_add(&connected, n);
    for (int i = 0; i < n; i++) {
        struct client c = {.addr = addr, .id = first_id + i, .wg = &wg,
                           .connected = &connected,
                           .size = i % 250 == 7 ? BIG : SMALL + (size_t)i};
        want += (long long)c.size;
        goc_go(client, &c, sizeof c);
    }
    goc_waitgroup_wait(&wg);
    CHECK_EQ(atomic_load(&verified), want);
}

static int serve(const char *addr, char *dial, size_t size)
{
    int lfd = goc_listen_tcp(addr, 4096);
    if (lfd < 0)
        return -1;
    int port = goc_local_port(lfd);
    CHECK(port > 0);
    snprintf(dial, size, "%s%d", strncmp(addr, "[::1]", 5) ? "127.0.0.1:"
                                                           : "[::1]:", port);
    goc_go(echo_accept, &lfd, sizeof lfd);
    return lfd;
}

static int body_echo(int argc, char **argv)
{
    (void)argc, (void)argv;
    char dial[64];
    int lfd = serve("127.0.0.1:0", dial, sizeof dial);
    CHECK(lfd >= 0);
    run_clients(dial, NCONN, 0);
    goc_close(lfd);

    int l6 = serve("[::1]:0", dial, sizeof dial);
    if (l6 >= 0) { /* IPv6 loopback: fewer connections, same checks */
        run_clients(dial, 100, NCONN);
        goc_close(l6);
    } else {
        fprintf(stderr, "note: no IPv6 loopback (%s); skipped\n",
                strerror(err_now()));
    }
    return 0;
}

Test(io, echo_1000_connections, .timeout = 100)
{
    raise_nofile(2 * NCONN + 200);
    cr_assert_eq(goc_run(body_echo, 0, NULL), 0);
}

/* ---- deadlines --------------------------------------------------------- */

static void deadline_sleeper(void *arg)
{
    int64_t d = *(int64_t *)arg;
    int sv[2];
    pair(sv);
    int64_t t0 = goc_now(), when = t0 + d;
    char c;
    CHECK_EQ(goc_read_dl(sv[0], &c, 1, when), -1);
    CHECK_EQ(err_now(), ETIMEDOUT);
    int64_t late = goc_now() - when;
    CHECK(late >= 0);
    CHECK(late < 2 * GOC_SECOND);
    goc_close(sv[0]);
    goc_close(sv[1]);
}

static int body_deadline(int argc, char **argv)
{
    (void)argc, (void)argv;
    int sv[2];
    pair(sv);
    char c;
    /* expiry of a read, of goc_wait_fd and of an accept */
    int64_t t0 = goc_now();
    CHECK_EQ(goc_read_dl(sv[0], &c, 1, t0 + ms(50)), -1);
    CHECK_EQ(err_now(), ETIMEDOUT);
    CHECK(goc_now() - t0 >= ms(50));
    t0 = goc_now();
    CHECK_EQ(goc_wait_fd(sv[0], GOC_READ, t0 + ms(30)), -1);
    CHECK_EQ(err_now(), ETIMEDOUT);
    CHECK(goc_now() - t0 >= ms(30));
    int lfd = goc_listen_tcp("127.0.0.1:0", 16);
    CHECK(lfd >= 0);
    CHECK_EQ(goc_accept_dl(lfd, NULL, NULL, goc_now() + ms(20)), -1);
    CHECK_EQ(err_now(), ETIMEDOUT);
    goc_close(lfd);
    /* a deadline already past fails without waiting */
    CHECK_EQ(goc_read_dl(sv[0], &c, 1, goc_now() - 1), -1);
    CHECK_EQ(err_now(), ETIMEDOUT);

    /* ready before the deadline: the deadline is cancelled and a later
     * wait without one is not cut short by it */
    goc_go(write_later, &sv[1], sizeof sv[1]);
    CHECK_EQ(goc_read_dl(sv[0], &c, 1, goc_now() + ms(100)), 1);
    goc_go(write_later, &sv[1], sizeof sv[1]); /* 10 ms */
    CHECK_EQ(goc_read(sv[0], &c, 1), 1);
    goc_sleep(ms(150)); /* past the cancelled deadline */
    CHECK_EQ(goc_wait_fd(sv[1], GOC_WRITE, -1), 0);

    /* many waiters with different deadlines each wake after their own */
    for (int i = 0; i < 40; i++) {
        int64_t dd = ms(5 + (i * 37) % 120);
        goc_go(deadline_sleeper, &dd, sizeof dd);
    }
    goc_sleep(ms(300));
    goc_close(sv[0]);
    goc_close(sv[1]);
    return 0;
}

Test(io, deadline, .timeout = 30)
{
    cr_assert_eq(goc_run(body_deadline, 0, NULL), 0);
}

/* ---- timers and I/O together ------------------------------------------- */

static void read_forever(void *arg)
{
    int fd = *(int *)arg;
    char c;
    CHECK_EQ(goc_read(fd, &c, 1), -1); /* until goc_close below */
    CHECK_EQ(err_now(), EBADF);
}

struct fwd {
    int fd;
    goc_chan *out;
};

static void read_to_chan(void *arg)
{
    struct fwd f = *(struct fwd *)arg;
    char c;
    CHECK_EQ(goc_read(f.fd, &c, 1), 1);
    int v = c;
    goc_chan_send(f.out, &v);
}

static void write_after_60(void *arg)
{
    int fd = *(int *)arg;
    goc_sleep(ms(60));
    CHECK_EQ(goc_write(fd, "y", 1), 1);
}

static int body_timers(int argc, char **argv)
{
    (void)argc, (void)argv;
    int sv[2], tv[2];
    pair(sv);
    pair(tv);
    goc_go(read_forever, &sv[0], sizeof sv[0]);
    int64_t t0 = goc_now();
    for (int i = 0; i < 5; i++)
        goc_sleep(ms(20)); /* the idle worker waits in the poller */
    int64_t took = goc_now() - t0;
    CHECK(took >= ms(100));
    CHECK(took < 3 * GOC_SECOND);

    /* select: an I/O-fed channel against goc_after, both orders */
    struct fwd f = {tv[0], goc_chan_make(sizeof(int), 0)};
    goc_go(read_to_chan, &f, sizeof f);
    goc_go(write_after_60, &tv[1], sizeof tv[1]);
    int v = 0;
    goc_select_case cs[2] = {{goc_after(ms(20)), NULL, GOC_SELECT_RECV, 0},
                             {f.out, &v, GOC_SELECT_RECV, 0}};
    CHECK_EQ(goc_select(cs, 2, 1), 0); /* the timer first */
    cs[0].chan = goc_after(2 * GOC_SECOND);
    CHECK_EQ(goc_select(cs, 2, 1), 1); /* then the data */
    CHECK_EQ(v, 'y');
    goc_close(sv[0]); /* wakes read_forever with EBADF */
    goc_sleep(ms(20));
    goc_close(sv[1]);
    goc_close(tv[0]);
    goc_close(tv[1]);
    return 0;
}

Test(io, timers_and_io, .timeout = 30)
{
    cr_assert_eq(goc_run(body_timers, 0, NULL), 0);
}

/* ---- peer reset -------------------------------------------------------- */

static int body_reset(int argc, char **argv)
{
    (void)argc, (void)argv;
    int lfd = goc_listen_tcp("127.0.0.1:0", 16);
    CHECK(lfd >= 0);
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", goc_local_port(lfd));
    int cfd = goc_dial_tcp(addr, goc_now() + 5 * GOC_SECOND);
    CHECK(cfd >= 0);
    int sfd = goc_accept(lfd, NULL, NULL);
    CHECK(sfd >= 0);
    /* SO_LINGER 0: close sends a reset */
    struct linger lg = {1, 0};
    CHECK_EQ(setsockopt(cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    CHECK_EQ(goc_write(cfd, "abc", 3), 3);
    goc_close(cfd);
    char buf[16];
    ssize_t r;
    int reads = 0;
    while ((r = goc_read(sfd, buf, sizeof buf)) > 0 && ++reads < 3)
        ; /* the data may come first */
    CHECK_EQ(r, -1);
    CHECK_EQ(err_now(), ECONNRESET);
    /* writing to the dead connection: an error, never SIGPIPE */
    int failed = 0;
    for (int i = 0; i < 4 && !failed; i++)
        failed = goc_write(sfd, buf, 3) < 0;
    CHECK(failed);
    CHECK(err_now() == EPIPE || err_now() == ECONNRESET);
    goc_close(sfd);

    /* orderly close by the peer: EOF, then EPIPE on write (no signal) */
    cfd = goc_dial_tcp(addr, goc_now() + 5 * GOC_SECOND);
    CHECK(cfd >= 0);
    sfd = goc_accept(lfd, NULL, NULL);
    CHECK(sfd >= 0);
    goc_close(cfd);
    CHECK_EQ(goc_read(sfd, buf, sizeof buf), 0);
    int err = 0;
    static char big[1 << 16];
    for (int i = 0; i < 50 && !err; i++) {
        if (goc_write_full(sfd, big, sizeof big) < 0)
            err = err_now();
        else
            goc_sleep(ms(1));
    }
    CHECK(err == EPIPE || err == ECONNRESET);
    goc_close(sfd);

    /* connecting to a port nobody listens on */
    int port = goc_local_port(lfd);
    goc_close(lfd);
    snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
    CHECK_EQ(goc_dial_tcp(addr, goc_now() + 5 * GOC_SECOND), -1);
    CHECK_EQ(err_now(), ECONNREFUSED);
    return 0;
}

Test(io, peer_reset, .timeout = 30)
{
    signal(SIGPIPE, SIG_DFL); /* a SIGPIPE would kill the test */
    cr_assert_eq(goc_run(body_reset, 0, NULL), 0);
}

/* ---- closing an fd that coroutines wait on ----------------------------- */

static atomic_int woke;

static void wait_read(void *arg)
{
    int fd = *(int *)arg;
    char c;
    CHECK_EQ(goc_read(fd, &c, 1), -1);
    CHECK_EQ(err_now(), EBADF);
    atomic_fetch_add(&woke, 1);
}

static void wait_write(void *arg)
{
    int fd = *(int *)arg;
    static char big[1 << 16];
    ssize_t r;
    while ((r = goc_write(fd, big, sizeof big)) > 0)
        ; /* fills the buffer, then parks */
    CHECK_EQ(r, -1);
    CHECK_EQ(err_now(), EBADF);
    atomic_fetch_add(&woke, 1);
}

static void wait_deadline(void *arg)
{
    int fd = *(int *)arg;
    CHECK_EQ(goc_wait_fd(fd, GOC_READ, goc_now() + 10 * GOC_SECOND), -1);
    CHECK_EQ(err_now(), EBADF);
    atomic_fetch_add(&woke, 1);
}

static int body_close(int argc, char **argv)
{
    (void)argc, (void)argv;
    int sv[2], wv[2];
    pair(sv);
    pair(wv);
    atomic_store(&woke, 0);
    goc_go(wait_read, &sv[0], sizeof sv[0]);
    goc_go(wait_read, &sv[0], sizeof sv[0]); /* two readers on one fd */
    goc_go(wait_deadline, &sv[0], sizeof sv[0]);
    goc_go(wait_write, &wv[0], sizeof wv[0]);
    goc_sleep(ms(50));
    CHECK_EQ(atomic_load(&woke), 0);
    int64_t t0 = goc_now();
    int old = sv[0];
    CHECK_EQ(goc_close(sv[0]), 0);
    CHECK_EQ(goc_close(wv[0]), 0);
    while (atomic_load(&woke) < 4 && goc_now() - t0 < 5 * GOC_SECOND)
        goc_sleep(ms(1));
    CHECK_EQ(atomic_load(&woke), 4);
    CHECK(goc_now() - t0 < GOC_SECOND); /* not the 10 s deadline */

    /* the number is reused: a waiter there is woken by its own data only */
    int nv[2];
    pair(nv);
    CHECK(nv[0] == old || nv[1] == old);
    int mine = nv[0] == old ? nv[0] : nv[1];
    int peer = nv[0] == old ? nv[1] : nv[0];
    CHECK_EQ(goc_write(sv[1], "old", 3), -1); /* the old peer: EPIPE */
    goc_go(write_later, &peer, sizeof peer);
    char buf[8];
    CHECK_EQ(goc_read(mine, buf, sizeof buf), 1);
    CHECK_EQ(buf[0], 'x');

    /* plain close() of a registered fd, then a new socket with the number:
     * the runtime must not trust the old registration */
    char c;
    goc_go(write_later, &peer, sizeof peer);
    CHECK_EQ(goc_read(mine, &c, 1), 1);
    close(mine);
    close(peer);
    int lfd = goc_listen_tcp("127.0.0.1:0", 16);
    CHECK(lfd >= 0);
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", goc_local_port(lfd));
    int cfd = goc_dial_tcp(addr, goc_now() + 5 * GOC_SECOND);
    int afd = goc_accept(lfd, NULL, NULL);
    CHECK(cfd >= 0 && afd >= 0);
    CHECK(lfd == mine || cfd == mine || afd == mine);
    goc_go(write_later, &cfd, sizeof cfd);
    CHECK_EQ(goc_read_dl(afd, &c, 1, goc_now() + 5 * GOC_SECOND), 1);
    goc_go(write_later, &afd, sizeof afd);
    CHECK_EQ(goc_read_dl(cfd, &c, 1, goc_now() + 5 * GOC_SECOND), 1);
    goc_close(cfd);
    goc_close(afd);
    goc_close(lfd);
    goc_close(sv[1]);
    goc_close(wv[1]);
    return 0;
}

Test(io, close_while_waiting, .timeout = 30)
{
    signal(SIGPIPE, SIG_IGN);
    cr_assert_eq(goc_run(body_close, 0, NULL), 0);
}

/* ---- white box: events carry the descriptor's sequence number --------- */

/* rt_poll_event is the runtime's internal entry for backend events
 * (netpoll.h); the static library lets the test call it with a stale
 * sequence number, as a backend would for a closed fd whose number was
 * reused. */

static atomic_int reads_done;

static void read_one(void *arg)
{
    int fd = *(int *)arg;
    char c;
    CHECK_EQ(goc_read(fd, &c, 1), 1);
    CHECK_EQ(c, 'x');
    atomic_fetch_add(&reads_done, 1);
}

static int body_stale(int argc, char **argv)
{
    (void)argc, (void)argv;
    int sv[2];
    pair(sv);
    atomic_store(&reads_done, 0);
    goc_go(read_one, &sv[0], sizeof sv[0]);
    goc_sleep(ms(30)); /* parked on sv[0] now */
    uint32_t seq = rt_fd_get(sv[0])->seq;
    CHECK_EQ(rt_poll_event(sv[0], seq - 1, GOC_READ), 0); /* stale: dropped */
    CHECK_EQ(rt_poll_event(sv[0], seq + 1, GOC_READ), 0);
    goc_sleep(ms(20));
    CHECK_EQ(atomic_load(&reads_done), 0);
    /* the current number wakes it; finding no data it parks again */
    CHECK_EQ(rt_poll_event(sv[0], seq, GOC_READ), 1);
    goc_sleep(ms(20));
    CHECK_EQ(atomic_load(&reads_done), 0);
    goc_go(write_later, &sv[1], sizeof sv[1]);
    goc_sleep(ms(100));
    CHECK_EQ(atomic_load(&reads_done), 1);
    goc_close(sv[0]);
    goc_close(sv[1]);
    return 0;
}

Test(io, stale_event_is_dropped, .timeout = 30)
{
    cr_assert_eq(goc_run(body_stale, 0, NULL), 0);
}

/* ---- signals: EINTR is retried ------------------------------------------ */

static atomic_int signals_on, signals_seen;

static void on_usr1(int sig)
{
    (void)sig;
    atomic_fetch_add(&signals_seen, 1);
}

/* A plain thread that keeps interrupting the process's threads. */
static void *signaller(void *arg)
{
    (void)arg;
    while (atomic_load(&signals_on)) {
        kill(getpid(), SIGUSR1);
        usleep(200);
    }
    return NULL;
}

static int body_signals(int argc, char **argv)
{
    (void)argc, (void)argv;
    char dial[64];
    int lfd = serve("127.0.0.1:0", dial, sizeof dial);
    CHECK(lfd >= 0);
    run_clients(dial, 100, 0); /* every byte still checked */
    int sv[2];
    pair(sv);
    char c;
    int64_t t0 = goc_now();
    CHECK_EQ(goc_read_dl(sv[0], &c, 1, t0 + ms(50)), -1);
    CHECK_EQ(err_now(), ETIMEDOUT); /* not EINTR */
    goc_go(write_later, &sv[1], sizeof sv[1]);
    CHECK_EQ(goc_read(sv[0], &c, 1), 1);
    goc_close(sv[0]);
    goc_close(sv[1]);
    goc_close(lfd);
    return 0;
}

Test(io, eintr_is_retried, .timeout = 60)
{
    struct sigaction sa = {.sa_handler = on_usr1}; /* no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    cr_assert_eq(sigaction(SIGUSR1, &sa, NULL), 0);
    atomic_store(&signals_on, 1);
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, signaller, NULL), 0);
    int rc = goc_run(body_signals, 0, NULL);
    atomic_store(&signals_on, 0);
    pthread_join(t, NULL);
    cr_assert_eq(rc, 0);
    cr_assert_gt(atomic_load(&signals_seen), 10);
}

/* ---- dial and listen ---------------------------------------------------- */

static int body_dial(int argc, char **argv)
{
    (void)argc, (void)argv;
    /* ":0": every interface, IPv4 and (where there is one) IPv6 */
    int lfd = goc_listen_tcp(":0", 16);
    CHECK(lfd >= 0);
    int port = goc_local_port(lfd);
    char addr[64];
    const char *hosts[] = {"127.0.0.1", "[::1]", "localhost", ""};
    for (int i = 0; i < 4; i++) {
        snprintf(addr, sizeof addr, "%s:%d", hosts[i], port);
        int c = goc_dial_tcp(addr, goc_now() + 5 * GOC_SECOND);
        if (c < 0 && i == 1) /* no IPv6 here */
            continue;
        CHECK(c >= 0);
        int a = goc_accept_dl(lfd, NULL, NULL, goc_now() + 5 * GOC_SECOND);
        CHECK(a >= 0);
        CHECK_EQ(goc_write_full(c, "hi", 2), 2);
        char buf[2];
        CHECK_EQ(goc_read(a, buf, 1), 1);
        CHECK_EQ(buf[0], 'h');
        goc_close(a);
        goc_close(c);
    }
    /* goc_connect on a socket the program made itself (blocking) */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    struct sockaddr_in sin = {.sin_family = AF_INET,
                              .sin_port = htons((uint16_t)port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK_EQ(goc_connect(s, (struct sockaddr *)&sin, sizeof sin), 0);
    int a = goc_accept(lfd, NULL, NULL);
    CHECK(a >= 0);
    CHECK_EQ(goc_write_full(a, "ok", 2), 2);
    char buf[2];
    for (size_t got = 0; got < 2;) {
        ssize_t r = goc_read(s, buf + got, 2 - got);
        CHECK(r > 0);
        got += (size_t)r;
    }
    CHECK(memcmp(buf, "ok", 2) == 0);
    goc_close(a);
    goc_close(s);
    goc_close(lfd);

    /* malformed addresses (no DNS here: resolvers differ between hosts) */
    CHECK_EQ(goc_listen_tcp("no-port", 1), -1);
    CHECK_EQ(err_now(), EINVAL);
    CHECK_EQ(goc_dial_tcp("127.0.0.1:", goc_now() + GOC_SECOND), -1);
    CHECK_EQ(err_now(), EINVAL);
    CHECK_EQ(goc_dial_tcp("[::1:80", goc_now() + GOC_SECOND), -1);
    CHECK_EQ(err_now(), EINVAL);

    /* a dial deadline: a listener whose queue is full drops further SYNs,
     * so a connect can only time out */
    lfd = goc_listen_tcp("127.0.0.1:0", 1);
    CHECK(lfd >= 0);
    snprintf(addr, sizeof addr, "127.0.0.1:%d", goc_local_port(lfd));
    int fds[8], n = 0, timed_out = 0;
    while (n < 8 && !timed_out) {
        int64_t t0 = goc_now();
        int c = goc_dial_tcp(addr, t0 + ms(150));
        if (c >= 0) {
            fds[n++] = c;
            continue;
        }
        CHECK_EQ(err_now(), ETIMEDOUT);
        int64_t took = goc_now() - t0;
        CHECK(took >= ms(150));
        CHECK(took < 3 * GOC_SECOND);
        timed_out = 1;
    }
    CHECK(timed_out);
    while (n)
        goc_close(fds[--n]);
    goc_close(lfd);
    return 0;
}

Test(io, dial_listen, .timeout = 30)
{
    cr_assert_eq(goc_run(body_dial, 0, NULL), 0);
}

/* ---- a blocking pipe on fd 0 stays blocking ----------------------------- */

static int body_stdin(int argc, char **argv)
{
    (void)argc, (void)argv;
    int p[2];
    CHECK_EQ(pipe(p), 0);
    CHECK_EQ(dup2(p[0], 0), 0);
    close(p[0]);
    int w = p[1];
    goc_go(write_later, &w, sizeof w);
    char c;
    CHECK_EQ(goc_read(0, &c, 1), 1); /* parks the coroutine, not the worker */
    CHECK_EQ(c, 'x');
    CHECK_EQ(fcntl(0, F_GETFL) & O_NONBLOCK, 0); /* the shell's, untouched */
    int64_t t0 = goc_now();
    CHECK_EQ(goc_read_dl(0, &c, 1, t0 + ms(30)), -1);
    CHECK_EQ(err_now(), ETIMEDOUT);
    close(w);
    CHECK_EQ(goc_read(0, &c, 1), 0); /* EOF */
    return 0;
}

Test(io, blocking_stdin_pipe, .timeout = 30)
{
    cr_assert_eq(goc_run(body_stdin, 0, NULL), 0);
}

/* ---- EMFILE on accept -------------------------------------------------- */

#define PENDING 20

static atomic_int emfiles, accepted;

static void emfile_accept(void *arg)
{
    int lfd = *(int *)arg;
    for (;;) {
        int c = goc_accept(lfd, NULL, NULL);
        if (c < 0) {
            if (err_now() == EBADF)
                return;
            CHECK(err_now() == EMFILE || err_now() == ENFILE);
            atomic_fetch_add(&emfiles, 1);
            continue; /* the naive loop that must not spin */
        }
        atomic_fetch_add(&accepted, 1);
        goc_go(echo_conn, &c, sizeof c);
    }
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int body_emfile(int argc, char **argv)
{
    (void)argc, (void)argv;
    int lfd = goc_listen_tcp("127.0.0.1:0", 64);
    CHECK(lfd >= 0);
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", goc_local_port(lfd));
    /* the first accept, before fds run out, takes the runtime's reserve fd */
    CHECK_EQ(goc_accept_dl(lfd, NULL, NULL, goc_now() + ms(1)), -1);
    int cl[PENDING];
    for (int i = 0; i < PENDING; i++) { /* queued in the backlog */
        cl[i] = goc_dial_tcp(addr, goc_now() + 5 * GOC_SECOND);
        CHECK(cl[i] >= 0);
    }
    /* use up every fd the (lowered) limit leaves */
    int fill[256], nfill = 0, f;
    while (nfill < 256 && (f = open("/dev/null", O_RDONLY)) >= 0)
        fill[nfill++] = f;
    CHECK_EQ(err_now(), EMFILE);
    CHECK(nfill < 256);

    atomic_store(&emfiles, 0);
    atomic_store(&accepted, 0);
    double cpu0 = cpu_seconds();
    goc_go(emfile_accept, &lfd, sizeof lfd);
    goc_sleep(ms(600));
    double cpu = cpu_seconds() - cpu0;
    int e = atomic_load(&emfiles);
    CHECK(e >= 1);
    CHECK(e <= PENDING + 5); /* one per shed connection; a spin: millions */
    CHECK(cpu < 0.3);         /* of 0.6 s: no core was kept busy */
    CHECK_EQ(atomic_load(&accepted), 0);

    /* the shed connections see EOF or a reset, not silence */
    char c;
    for (int i = 0; i < e && i < PENDING; i++) {
        ssize_t r = goc_read_dl(cl[i], &c, 1, goc_now() + 5 * GOC_SECOND);
        CHECK(r == 0 || (r < 0 && err_now() == ECONNRESET));
    }
    /* with fds free again, accepting resumes */
    for (int i = 0; i < 8; i++)
        close(fill[--nfill]);
    for (int i = 0; i < PENDING; i++)
        goc_close(cl[i]);
    int cfd = goc_dial_tcp(addr, goc_now() + 5 * GOC_SECOND);
    CHECK(cfd >= 0);
    CHECK_EQ(goc_write_full(cfd, "ping", 4), 4);
    char buf[4];
    size_t got = 0;
    while (got < 4) {
        ssize_t r = goc_read_dl(cfd, buf + got, 4 - got,
                                goc_now() + 5 * GOC_SECOND);
        CHECK(r > 0);
        got += (size_t)r;
    }
    CHECK(memcmp(buf, "ping", 4) == 0);
    CHECK(atomic_load(&accepted) >= 1);
    goc_close(cfd);
    goc_close(lfd);
    while (nfill)
        close(fill[--nfill]);
    return 0;
}

Test(io, emfile_accept_does_not_spin, .timeout = 30)
{
    /* a low `ulimit -n`: what is open now plus room for the listener, the
     * pending clients and a few spare */
    int open_now = 0;
    for (int fd = 0; fd < 4096; fd++)
        open_now += fcntl(fd, F_GETFD) >= 0;
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    rl.rlim_cur = (rlim_t)open_now + PENDING + 40;
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    cr_assert_eq(goc_run(body_emfile, 0, NULL), 0);
}
