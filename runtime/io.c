/*
 * io.c - fd operations that park the coroutine, never the worker:
 * goc_read, goc_write, goc_accept, goc_connect, goc_wait_fd, their deadline
 * forms, the full-write helper and goc_close.
 *
 * Each operation tries the system call first and waits on the poller only
 * when it reports EAGAIN, so EAGAIN never reaches the caller; EINTR is
 * retried.  Fds are made non-blocking on first use, except a blocking
 * terminal or pipe on fds 0-2: its file description is shared with other
 * processes (the shell), so it stays blocking and the operation waits for
 * readiness before the call instead.
 *
 * Accepted connections are non-blocking and close-on-exec, and TCP ones
 * have TCP_NODELAY set, as Go does.
 *
 * EMFILE on accept: the pending connection stays queued and the listener
 * stays readable, so a loop that retries at once would spin.  goc_accept
 * keeps one reserve fd; on EMFILE it frees it, accepts and closes the
 * pending connection (the client sees EOF or a reset), takes the reserve
 * back and returns -1 EMFILE.  When nothing was pending it parks until a
 * connection arrives.  Without a reserve it sleeps 10 ms, then returns the
 * error.
 */
#define _GNU_SOURCE /* accept4 */
#include "netpoll.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

/* goc.h spells ssize_t and socklen_t without the POSIX headers. */
_Static_assert(_Generic((goc_ssize_t)0, ssize_t: 1, default: 0),
               "goc_ssize_t must be ssize_t");
_Static_assert(_Generic((goc_socklen_t)0, socklen_t: 1, default: 0),
               "goc_socklen_t must be socklen_t");

#if !defined(__linux__) && !defined(__FreeBSD__) && !defined(__NetBSD__) && \
    !defined(__OpenBSD__) && !defined(__DragonFly__)
#define NO_ACCEPT4 1
#endif
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* macOS: SO_NOSIGPIPE is set on sockets instead */
#endif

/* Block until fd is ready for modes (fds left blocking, goc_wait_fd). */
static int ready_wait(rt_pd *pd, int fd, int modes, int64_t deadline,
                      const goc_loc *loc)
{
    for (;;) {
        struct pollfd p = {.fd = fd,
                           .events = (short)(((modes & GOC_READ) ? POLLIN : 0) |
                                             ((modes & GOC_WRITE) ? POLLOUT
                                                                  : 0))};
        int r = poll(&p, 1, 0);
        if (r > 0 && (p.revents & POLLNVAL)) {
            rt_errno = EBADF;
            return -1;
        }
        if (r > 0)
            return 0;
        if (r < 0 && rt_errno != EINTR)
            return -1;
        if (r == 0 && rt_fd_wait(pd, fd, modes, deadline, loc) < 0)
            return -1;
    }
}

static int is_blocking(rt_pd *pd)
{
    return __atomic_load_n(&pd->flags, __ATOMIC_RELAXED) & RT_PD_BLOCKING;
}

static ssize_t io_read(int fd, void *buf, size_t n, int64_t deadline,
                       const goc_loc *loc)
{
    rt_pd *pd = rt_fd_get(fd);
    if (!pd)
        return -1;
    if (is_blocking(pd) && ready_wait(pd, fd, GOC_READ, deadline, loc) < 0)
        return -1;
    for (;;) {
        ssize_t r = read(fd, buf, n);
        if (r >= 0)
            return r;
        if (rt_errno == EINTR)
            continue;
        if (rt_errno != EAGAIN && rt_errno != EWOULDBLOCK)
            return -1;
        if (rt_fd_wait(pd, fd, GOC_READ, deadline, loc) < 0)
            return -1;
    }
}

/* Write once (full == 0: the first partial count is returned, as POSIX
 * write may) or until all n bytes are out. */
static ssize_t io_write(int fd, const void *buf, size_t n, int64_t deadline,
                        int full, const goc_loc *loc)
{
    rt_pd *pd = rt_fd_get(fd);
    if (!pd)
        return -1;
    int sock = __atomic_load_n(&pd->flags, __ATOMIC_RELAXED) & RT_PD_SOCK;
    size_t done = 0;
    do {
        if (is_blocking(pd) &&
            ready_wait(pd, fd, GOC_WRITE, deadline, loc) < 0)
            return -1;
        const char *p = (const char *)buf + done;
        ssize_t r = sock ? send(fd, p, n - done, MSG_NOSIGNAL)
                         : write(fd, p, n - done);
        if (r >= 0) {
            done += (size_t)r;
            if (!full)
                return r;
            continue;
        }
        if (rt_errno == EINTR)
            continue;
        if (rt_errno != EAGAIN && rt_errno != EWOULDBLOCK)
            return -1;
        if (rt_fd_wait(pd, fd, GOC_WRITE, deadline, loc) < 0)
            return -1;
    } while (done < n);
    return (ssize_t)done;
}

ssize_t goc_read_at(int fd, void *buf, size_t n, const goc_loc *loc)
{
    return io_read(fd, buf, n, -1, loc);
}

ssize_t goc_read(int fd, void *buf, size_t n)
{
    return io_read(fd, buf, n, -1, NULL);
}

ssize_t goc_read_dl_at(int fd, void *buf, size_t n, int64_t deadline,
                       const goc_loc *loc)
{
    return io_read(fd, buf, n, deadline, loc);
}

ssize_t goc_read_dl(int fd, void *buf, size_t n, int64_t deadline)
{
    return io_read(fd, buf, n, deadline, NULL);
}

ssize_t goc_write_at(int fd, const void *buf, size_t n, const goc_loc *loc)
{
    return io_write(fd, buf, n, -1, 0, loc);
}

ssize_t goc_write(int fd, const void *buf, size_t n)
{
    return io_write(fd, buf, n, -1, 0, NULL);
}

ssize_t goc_write_full_at(int fd, const void *buf, size_t n,
                          const goc_loc *loc)
{
    return io_write(fd, buf, n, -1, 1, loc);
}

ssize_t goc_write_full(int fd, const void *buf, size_t n)
{
    return io_write(fd, buf, n, -1, 1, NULL);
}

ssize_t goc_write_full_dl_at(int fd, const void *buf, size_t n,
                             int64_t deadline, const goc_loc *loc)
{
    return io_write(fd, buf, n, deadline, 1, loc);
}

ssize_t goc_write_full_dl(int fd, const void *buf, size_t n, int64_t deadline)
{
    return io_write(fd, buf, n, deadline, 1, NULL);
}

/* ---- accept ---------------------------------------------------------- */

static pthread_mutex_t reserve_mutex = PTHREAD_MUTEX_INITIALIZER;
static int reserve_fd = -1; /* written under reserve_mutex, atomically */

static void reserve_take(void)
{
    if (__atomic_load_n(&reserve_fd, __ATOMIC_RELAXED) >= 0)
        return; /* the usual case: no lock per accept */
    pthread_mutex_lock(&reserve_mutex);
    if (reserve_fd < 0)
        __atomic_store_n(&reserve_fd, open("/dev/null", O_RDONLY | O_CLOEXEC),
                         __ATOMIC_RELAXED);
    pthread_mutex_unlock(&reserve_mutex);
}

/* Out of fds.  Returns 1 when it dropped a pending connection through the
 * reserve fd, 0 when none was pending (wait for one), -1 when there is no
 * reserve (the caller backs off). */
static int emfile_shed(int lfd)
{
    int shed = -1;
    pthread_mutex_lock(&reserve_mutex);
    if (reserve_fd >= 0) {
        close(reserve_fd);
        __atomic_store_n(&reserve_fd, -1, __ATOMIC_RELAXED);
        int c = accept(lfd, NULL, NULL);
        if (c >= 0) {
            close(c);
            shed = 1;
        } else {
            shed = rt_errno == EAGAIN || rt_errno == EWOULDBLOCK ? 0 : 1;
        }
        __atomic_store_n(&reserve_fd, open("/dev/null", O_RDONLY | O_CLOEXEC),
                         __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&reserve_mutex);
    return shed;
}

static int accept_fresh(int fd, struct sockaddr *addr, socklen_t *len)
{
#ifdef NO_ACCEPT4
    int c = accept(fd, addr, len);
    if (c >= 0 && (fcntl(c, F_SETFL, O_NONBLOCK) < 0 ||
                   fcntl(c, F_SETFD, FD_CLOEXEC) < 0)) {
        close(c);
        return -1;
    }
#ifdef SO_NOSIGPIPE
    int one = 1;
    if (c >= 0)
        setsockopt(c, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
#else
    int c = accept4(fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
#endif
    if (c >= 0) {
        /* as Go does: no Nagle delay for request/response protocols (a
         * harmless failure on non-TCP sockets) */
        int one = 1;
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        rt_fd_fresh(c, RT_PD_SOCK);
    }
    return c;
}

static int io_accept(int fd, struct sockaddr *addr, socklen_t *len,
                     int64_t deadline, const goc_loc *loc)
{
    rt_pd *pd = rt_fd_get(fd);
    if (!pd)
        return -1;
    reserve_take();
    for (;;) {
        int c = accept_fresh(fd, addr, len);
        if (c >= 0)
            return c;
        switch (rt_errno) {
        case EINTR:
        case ECONNABORTED:
            continue;
        case EAGAIN:
#if EWOULDBLOCK != EAGAIN
        case EWOULDBLOCK:
#endif
            if (rt_fd_wait(pd, fd, GOC_READ, deadline, loc) < 0)
                return -1;
            continue;
        case EMFILE:
        case ENFILE: {
            int err = rt_errno, shed = emfile_shed(fd);
            if (shed == 0) { /* Linux fails before looking at the queue */
                if (rt_fd_wait(pd, fd, GOC_READ, deadline, loc) < 0)
                    return -1;
                continue;
            }
            if (shed < 0 && rt_current())
                goc_sleep_at(10 * GOC_MILLISECOND, loc);
            rt_errno = err;
            return -1;
        }
        default:
            return -1;
        }
    }
}

int goc_accept_at(int fd, struct sockaddr *addr, socklen_t *len,
                  const goc_loc *loc)
{
    return io_accept(fd, addr, len, -1, loc);
}

int goc_accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    return io_accept(fd, addr, len, -1, NULL);
}

int goc_accept_dl_at(int fd, struct sockaddr *addr, socklen_t *len,
                     int64_t deadline, const goc_loc *loc)
{
    return io_accept(fd, addr, len, deadline, loc);
}

int goc_accept_dl(int fd, struct sockaddr *addr, socklen_t *len,
                  int64_t deadline)
{
    return io_accept(fd, addr, len, deadline, NULL);
}

/* ---- connect, wait, close -------------------------------------------- */

/* A connect starts a new connection: whatever an earlier fd with this
 * number left in the poller is forgotten first. */
static int io_connect(int fd, const struct sockaddr *addr, socklen_t len,
                      int64_t deadline, const goc_loc *loc)
{
    rt_fd_forget(fd);
    rt_pd *pd = rt_fd_get(fd);
    if (!pd)
        return -1;
    if (connect(fd, addr, len) == 0)
        return 0;
    if (rt_errno != EINPROGRESS && rt_errno != EINTR)
        return -1;
    if (rt_fd_wait(pd, fd, GOC_WRITE, deadline, loc) < 0)
        return -1;
    int err = 0;
    socklen_t elen = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
        return -1;
    if (err) {
        rt_errno = err;
        return -1;
    }
    return 0;
}

int goc_connect_at(int fd, const struct sockaddr *addr, socklen_t len,
                   const goc_loc *loc)
{
    return io_connect(fd, addr, len, -1, loc);
}

int goc_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    return io_connect(fd, addr, len, -1, NULL);
}

int goc_connect_dl_at(int fd, const struct sockaddr *addr, socklen_t len,
                      int64_t deadline, const goc_loc *loc)
{
    return io_connect(fd, addr, len, deadline, loc);
}

int goc_connect_dl(int fd, const struct sockaddr *addr, socklen_t len,
                   int64_t deadline)
{
    return io_connect(fd, addr, len, deadline, NULL);
}

/* Ready means what poll(2) says now, not a remembered edge: the caller may
 * have left data unread since the last wake-up. */
int goc_wait_fd_at(int fd, int events, int64_t deadline, const goc_loc *loc)
{
    if (!(events & (GOC_READ | GOC_WRITE))) {
        rt_errno = EINVAL;
        return -1;
    }
    rt_pd *pd = rt_fd_get(fd);
    if (!pd)
        return -1;
    return ready_wait(pd, fd, events & (GOC_READ | GOC_WRITE), deadline, loc);
}

int goc_wait_fd(int fd, int events, int64_t deadline)
{
    return goc_wait_fd_at(fd, events, deadline, NULL);
}

int goc_close(int fd)
{
    if (fd < 0) {
        rt_errno = EBADF;
        return -1;
    }
    rt_fd_forget(fd);
    if (close(fd) < 0 && rt_errno != EINTR) /* Linux: closed even on EINTR */
        return -1;
    return 0;
}
