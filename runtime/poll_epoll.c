/*
 * poll_epoll.c - the Linux poller backend: one edge-triggered epoll set,
 * one registration per fd for both directions, and an eventfd to interrupt
 * a blocked wait.
 *
 * Each registration carries (seq << 32 | fd) as its data, so poll.c can
 * drop events for an fd number that was closed and reused since.
 */
#include "netpoll.h"

#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define WAKE_TAG UINT64_MAX
#define MAX_EVENTS 128

const int rt_pollb_edge = 1;

static int epfd = -1;
static int wakefd = -1;

int rt_pollb_init(void)
{
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0)
        return -1;
    wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wakefd < 0)
        return -1;
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = WAKE_TAG};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, wakefd, &ev);
}

/* A forked child shares the parent's epoll set: make its own. */
int rt_pollb_fork_child(void)
{
    close(epfd);
    close(wakefd);
    return rt_pollb_init();
}

int rt_pollb_add(int fd, uint32_t seq)
{
    struct epoll_event ev = {
        .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
        .data.u64 = (uint64_t)seq << 32 | (uint32_t)fd,
    };
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == 0)
        return 0;
    if (errno == EEXIST) /* a stale registration under an older seq */
        return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
    return -1;
}

void rt_pollb_del(int fd)
{
    struct epoll_event ev = {0};
    epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev);
}

void rt_pollb_arm(int fd, uint32_t seq, int modes)
{
    (void)fd, (void)seq, (void)modes;
}

void rt_pollb_wakeup(void)
{
    uint64_t one = 1;
    while (write(wakefd, &one, sizeof one) < 0 && errno == EINTR)
        ;
}

static int epoll_wait_ns(struct epoll_event *evs, int64_t timeout)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 35)
    static int no_pwait2;
    if (!no_pwait2) {
        struct timespec ts = {(time_t)(timeout / GOC_SECOND),
                              (long)(timeout % GOC_SECOND)};
        int n = epoll_pwait2(epfd, evs, MAX_EVENTS, timeout < 0 ? NULL : &ts,
                             NULL);
        if (n >= 0 || errno != ENOSYS)
            return n;
        no_pwait2 = 1;
    }
#endif
    int ms = -1;
    if (timeout >= 0) {
        int64_t r = (timeout + GOC_MILLISECOND - 1) / GOC_MILLISECOND;
        ms = r > INT32_MAX ? INT32_MAX : (int)r;
    }
    return epoll_wait(epfd, evs, MAX_EVENTS, ms);
}

int rt_pollb_wait(int64_t timeout)
{
    struct epoll_event evs[MAX_EVENTS];
    int n = epoll_wait_ns(evs, timeout);
    if (n < 0) {
        if (errno != EINTR)
            rt_throw(__FILE__, __LINE__, "epoll_wait failed");
        return 0;
    }
    int readied = 0;
    for (int i = 0; i < n; i++) {
        uint64_t data = evs[i].data.u64;
        if (data == WAKE_TAG) {
            uint64_t v;
            while (read(wakefd, &v, sizeof v) < 0 && errno == EINTR)
                ;
            continue;
        }
        uint32_t e = evs[i].events, modes = 0;
        if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            modes |= GOC_READ;
        if (e & (EPOLLOUT | EPOLLHUP | EPOLLERR))
            modes |= GOC_WRITE;
        readied += rt_poll_event((int)(uint32_t)data, (uint32_t)(data >> 32),
                                 (int)modes);
    }
    return readied;
}
