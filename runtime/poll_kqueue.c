/*
 * poll_kqueue.c - the BSD and macOS poller backend: one kqueue, each fd
 * registered once for EVFILT_READ and EVFILT_WRITE with EV_CLEAR (edge
 * triggered), and an EVFILT_USER event (a pipe where there is none, as on
 * OpenBSD) to interrupt a blocked wait.
 *
 * The registration's udata carries the fd's sequence number, so poll.c can
 * drop events for an fd number that was closed and reused since.  A closed
 * fd leaves the kqueue by itself; rt_pollb_del removes it explicitly in
 * case the file description lives on in a dup.
 */
#if !defined(__APPLE__) && !defined(__FreeBSD__) && !defined(__NetBSD__) && \
    !defined(__OpenBSD__) && !defined(__DragonFly__)
#error "the kqueue poller backend needs BSD or macOS (GOC_POLL_BACKEND)"
#endif

#include "netpoll.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 128
#define WAKE_IDENT 0 /* EVFILT_USER ident; fds use their own filters */

const int rt_pollb_edge = 1;

static int kq = -1;
#ifndef EVFILT_USER
static int wake_rd = -1, wake_wr = -1;
#endif

int rt_pollb_init(void);

/* A kqueue is not inherited by a forked child: make a new one. */
int rt_pollb_fork_child(void)
{
#ifndef EVFILT_USER
    close(wake_rd);
    close(wake_wr);
#endif
    return rt_pollb_init();
}

int rt_pollb_init(void)
{
    kq = kqueue();
    if (kq < 0)
        return -1;
    struct kevent ev;
#ifdef EVFILT_USER
    EV_SET(&ev, WAKE_IDENT, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0, NULL);
#else
    int p[2];
    if (pipe(p) < 0)
        return -1;
    wake_rd = p[0];
    wake_wr = p[1];
    for (int i = 0; i < 2; i++)
        if (fcntl(p[i], F_SETFL, O_NONBLOCK) < 0 ||
            fcntl(p[i], F_SETFD, FD_CLOEXEC) < 0)
            return -1;
    EV_SET(&ev, (uintptr_t)wake_rd, EVFILT_READ, EV_ADD, 0, 0, NULL);
#endif
    return kevent(kq, &ev, 1, NULL, 0, NULL);
}

/* A wake-up event, drained when it came through the pipe. */
static int is_wakeup(const struct kevent *ev)
{
#ifdef EVFILT_USER
    return ev->filter == EVFILT_USER;
#else
    if (ev->filter != EVFILT_READ || (int)ev->ident != wake_rd)
        return 0;
    char buf[64];
    while (read(wake_rd, buf, sizeof buf) > 0)
        ;
    return 1;
#endif
}

int rt_pollb_add(int fd, uint32_t seq)
{
    struct kevent ev[2];
    void *tag = (void *)(uintptr_t)seq;
    /* EV_ADD on an existing registration replaces its udata. */
    EV_SET(&ev[0], (uintptr_t)fd, EVFILT_READ, EV_ADD | EV_CLEAR, 0, 0, tag);
    EV_SET(&ev[1], (uintptr_t)fd, EVFILT_WRITE, EV_ADD | EV_CLEAR, 0, 0, tag);
    return kevent(kq, ev, 2, NULL, 0, NULL) < 0 ? -1 : 0;
}

void rt_pollb_del(int fd)
{
    struct kevent ev[2];
    EV_SET(&ev[0], (uintptr_t)fd, EVFILT_READ, EV_DELETE, 0, 0, NULL);
    EV_SET(&ev[1], (uintptr_t)fd, EVFILT_WRITE, EV_DELETE, 0, 0, NULL);
    kevent(kq, ev, 2, NULL, 0, NULL);
}

void rt_pollb_arm(int fd, uint32_t seq, int modes)
{
    (void)fd, (void)seq, (void)modes;
}

void rt_pollb_wakeup(void)
{
#ifdef EVFILT_USER
    struct kevent ev;
    EV_SET(&ev, WAKE_IDENT, EVFILT_USER, 0, NOTE_TRIGGER, 0, NULL);
    kevent(kq, &ev, 1, NULL, 0, NULL);
#else
    char c = 0;
    while (write(wake_wr, &c, 1) < 0 && errno == EINTR)
        ;
#endif
}

int rt_pollb_wait(int64_t timeout)
{
    struct kevent evs[MAX_EVENTS];
    struct timespec ts = {(time_t)(timeout / GOC_SECOND),
                          (long)(timeout % GOC_SECOND)};
    int n = kevent(kq, NULL, 0, evs, MAX_EVENTS, timeout < 0 ? NULL : &ts);
    if (n < 0) {
        if (errno != EINTR)
            rt_throw(__FILE__, __LINE__, "kevent failed");
        return 0;
    }
    int readied = 0;
    for (int i = 0; i < n; i++) {
        if (is_wakeup(&evs[i]))
            continue;
        int modes;
        if (evs[i].flags & EV_ERROR)
            modes = GOC_READ | GOC_WRITE;
        else if (evs[i].filter == EVFILT_READ)
            modes = GOC_READ;
        else if (evs[i].filter == EVFILT_WRITE)
            modes = GOC_WRITE;
        else
            continue;
        readied += rt_poll_event((int)evs[i].ident,
                                 (uint32_t)(uintptr_t)evs[i].udata, modes);
    }
    return readied;
}
