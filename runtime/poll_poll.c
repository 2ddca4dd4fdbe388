/*
 * poll_poll.c - the portable poller backend over poll(2), for systems with
 * neither epoll nor kqueue; the build can force it (GOC_POLL_BACKEND=poll)
 * and the test suite always builds it, so this path is tested on Linux.
 *
 * Level-triggered: poll.c arms the directions that have parked waiters and
 * disarms them once they are woken, so an fd is only watched while someone
 * waits on it.  The interest set is an array of pollfds plus the sequence
 * number each was armed under, indexed through fd_idx; it is guarded by
 * set_lock, taken inside a descriptor lock.  A wait copies the set into the
 * poller's own buffer (one poller at a time, poll_mutex) and adds the
 * wake-up pipe, so a new interest interrupts a blocked wait to be seen.
 */
#define _GNU_SOURCE /* ppoll */
#include "netpoll.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const int rt_pollb_edge = 0;

static int wake_rd = -1, wake_wr = -1;

static uint32_t set_lock;
static struct pollfd *set;  /* interest set; set_lock */
static uint32_t *set_seq;
static int set_n, set_cap;
static int *fd_idx;         /* fd -> index in set + 1, 0 when absent */
static int fd_cap;

static pthread_mutex_t poll_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct pollfd *buf;  /* the poller's copy; poll_mutex */
static uint32_t *buf_seq;
static int buf_cap;

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

int rt_pollb_init(void)
{
    int p[2];
    if (pipe(p) < 0)
        return -1;
    wake_rd = p[0];
    wake_wr = p[1];
    if (set_nonblock(wake_rd) < 0 || set_nonblock(wake_wr) < 0)
        return -1;
    return 0;
}

/* A forked child: nothing is armed (the waiters are gone), and a wake-up
 * pipe of its own. */
int rt_pollb_fork_child(void)
{
    close(wake_rd);
    close(wake_wr);
    set_lock = 0;
    set_n = 0;
    if (fd_idx)
        memset(fd_idx, 0, (size_t)fd_cap * sizeof *fd_idx);
    pthread_mutex_init(&poll_mutex, NULL);
    return rt_pollb_init();
}

int rt_pollb_add(int fd, uint32_t seq)
{
    (void)fd, (void)seq;
    return 0;
}

void rt_pollb_del(int fd)
{
    (void)fd;
}

void rt_pollb_wakeup(void)
{
    char c = 0;
    while (write(wake_wr, &c, 1) < 0 && errno == EINTR)
        ;
}

/* Grow *p (of *cap elements of size bytes) to hold need; new elements are
 * zeroed. */
static int grow(void **p, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return 0;
    int cap2 = *cap ? *cap : 64;
    while (cap2 < need)
        cap2 *= 2;
    void *q = realloc(*p, (size_t)cap2 * size);
    if (!q)
        return -1;
    memset((char *)q + (size_t)*cap * size, 0, (size_t)(cap2 - *cap) * size);
    *p = q;
    *cap = cap2;
    return 0;
}

/* Drop entry i by moving the last one into its place. */
static void set_drop(int i)
{
    int last = --set_n;
    fd_idx[set[i].fd] = 0;
    if (i != last) {
        set[i] = set[last];
        set_seq[i] = set_seq[last];
        fd_idx[set[i].fd] = i + 1;
    }
}

void rt_pollb_arm(int fd, uint32_t seq, int modes)
{
    short ev = (short)(((modes & GOC_READ) ? POLLIN : 0) |
                       ((modes & GOC_WRITE) ? POLLOUT : 0));
    int added = 0;
    rt_lock(&set_lock);
    int i = fd < fd_cap ? fd_idx[fd] - 1 : -1;
    if (i >= 0 && !ev) {
        set_drop(i);
    } else if (i >= 0) {
        added = (ev & ~set[i].events) != 0;
        set[i].events = ev;
        set_seq[i] = seq;
    } else if (ev) {
        int sc = set_cap;
        if (grow((void **)&fd_idx, &fd_cap, fd + 1, sizeof *fd_idx) < 0 ||
            grow((void **)&set, &sc, set_n + 1, sizeof *set) < 0 ||
            grow((void **)&set_seq, &set_cap, set_n + 1, sizeof *set_seq) < 0)
            rt_throw(__FILE__, __LINE__, "out of memory in the poller");
        set[set_n] = (struct pollfd){.fd = fd, .events = ev};
        set_seq[set_n] = seq;
        fd_idx[fd] = ++set_n;
        added = 1;
    }
    rt_unlock(&set_lock);
    if (added) /* a blocked poll() does not watch it yet */
        rt_poll_wakeup();
}

/* Copy the interest set into the poller's buffer after the wake-up pipe. */
static int snapshot(void)
{
    rt_lock(&set_lock);
    int n = set_n + 1, bc = buf_cap;
    if (grow((void **)&buf, &bc, n, sizeof *buf) < 0 ||
        grow((void **)&buf_seq, &buf_cap, n, sizeof *buf_seq) < 0)
        rt_throw(__FILE__, __LINE__, "out of memory in the poller");
    buf[0] = (struct pollfd){.fd = wake_rd, .events = POLLIN};
    memcpy(buf + 1, set, (size_t)set_n * sizeof *set);
    memcpy(buf_seq + 1, set_seq, (size_t)set_n * sizeof *set_seq);
    rt_unlock(&set_lock);
    return n;
}

static int poll_ns(int n, int64_t timeout)
{
#ifdef __linux__
    struct timespec ts = {(time_t)(timeout / GOC_SECOND),
                          (long)(timeout % GOC_SECOND)};
    return ppoll(buf, (nfds_t)n, timeout < 0 ? NULL : &ts, NULL);
#else
    int ms = -1;
    if (timeout >= 0) {
        int64_t r = (timeout + GOC_MILLISECOND - 1) / GOC_MILLISECOND;
        ms = r > 0x7fffffff ? 0x7fffffff : (int)r;
    }
    return poll(buf, (nfds_t)n, ms);
#endif
}

int rt_pollb_wait(int64_t timeout)
{
    if (timeout == 0) {
        if (pthread_mutex_trylock(&poll_mutex) != 0)
            return 0; /* another thread is polling */
    } else {
        pthread_mutex_lock(&poll_mutex);
    }
    int n = snapshot();
    int r = poll_ns(n, timeout), readied = 0;
    if (r < 0 && errno != EINTR)
        rt_throw(__FILE__, __LINE__, "poll failed");
    for (int i = 0; i < n && r > 0; i++) {
        short e = buf[i].revents;
        if (!e)
            continue;
        r--;
        if (i == 0) {
            char drain[64];
            while (read(wake_rd, drain, sizeof drain) > 0)
                ;
            continue;
        }
        int modes = 0;
        if (e & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
            modes |= GOC_READ;
        if (e & (POLLOUT | POLLHUP | POLLERR | POLLNVAL))
            modes |= GOC_WRITE;
        readied += rt_poll_event(buf[i].fd, buf_seq[i], modes);
    }
    pthread_mutex_unlock(&poll_mutex);
    return readied;
}
