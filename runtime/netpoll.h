/*
 * netpoll.h - private to the poller (poll.c and one poll_<backend>.c) and to
 * the fd operations built on it (io.c, net.c).
 *
 * Per-fd descriptors.  Every fd number that an I/O operation has touched owns
 * one rt_pd in a two-level table indexed by the fd; descriptors are never
 * freed, so a pointer to one stays valid for the life of the process.  A
 * descriptor carries a sequence number: goc_close() and every fresh fd that
 * the runtime creates (accept, socket helpers) bump it, and each backend
 * registration and event is tagged with the number it was made under, so an
 * event meant for a closed fd is dropped even after the number is reused.
 *
 * Waiting.  A coroutine that got EAGAIN parks on the descriptor in one or
 * both directions (GOC_READ, GOC_WRITE).  An event wakes the parked waiter
 * of its direction or, when there is none, sets that direction's ready latch,
 * which the next wait consumes without parking (edges are never lost).
 */
#ifndef GOC_NETPOLL_H
#define GOC_NETPOLL_H

#include "rt.h"

enum {
    RT_PD_SETUP = 1,      /* O_NONBLOCK set and kind known */
    RT_PD_SOCK = 2,       /* a socket: use send/recv (MSG_NOSIGNAL) */
    RT_PD_REGISTERED = 4, /* known to an edge-triggered backend */
    RT_PD_BLOCKING = 8,   /* fd 0-2 left blocking: wait, then call */
};

typedef struct rt_pwait rt_pwait;

typedef struct rt_pd {
    uint32_t lock;     /* guards every field below */
    uint32_t seq;      /* stored atomically: read without the lock as a */
    uint32_t flags;    /* hint (RT_PD_*), re-checked under it */
    uint8_t ready[2];  /* latched edges: [0] read, [1] write */
    rt_pwait *w[2];    /* parked waiter per direction (may be the same) */
} rt_pd;

/* errno of the worker running the caller now.  __errno_location() is
 * declared const, so a compiler may reuse an address it returned before a
 * park that moved the coroutine to another worker (docs/runtime.md, I/O): in
 * functions that can park, errno goes through this opaque accessor. */
int *rt_errno_loc(void);
#define rt_errno (*rt_errno_loc())

/* poll.c: the descriptor layer used by io.c and net.c. */

/* The descriptor of fd, set up for non-blocking use (first call per fd
 * sets O_NONBLOCK); NULL with errno set when fd is not open. */
rt_pd *rt_fd_get(int fd);
/* fd was just created by the runtime (non-blocking, with the given kind
 * flags): forget whatever an earlier fd with the same number left. */
void rt_fd_fresh(int fd, uint32_t flags);
/* Park until fd is ready for one of modes (GOC_READ|GOC_WRITE) or deadline
 * (absolute goc_now() time, -1 none) passes.  0, or -1 with errno ETIMEDOUT,
 * EBADF (closed by goc_close meanwhile) or a registration error. */
int rt_fd_wait(rt_pd *pd, int fd, int modes, int64_t deadline,
               const goc_loc *loc);
/* Wake waiters with EBADF, forget registrations; the caller closes fd. */
void rt_fd_forget(int fd);

/* Backend interface: exactly one poll_<name>.c is linked.
 *  add/del: register fd with an edge-triggered backend under seq (add on a
 *           number still registered replaces the registration).
 *  arm:     set the directions a level-triggered backend watches (0: none);
 *           called with the descriptor's lock held.
 *  wait:    wait up to timeout ns (-1 forever, 0 just look) and pass each
 *           event to rt_poll_event; returns the sum of what it returned.
 *  wakeup:  make a concurrent blocking wait return soon. */
int rt_pollb_init(void);
int rt_pollb_fork_child(void); /* a new instance in a forked child */
int rt_pollb_add(int fd, uint32_t seq);
void rt_pollb_del(int fd);
void rt_pollb_arm(int fd, uint32_t seq, int modes);
int rt_pollb_wait(int64_t timeout);
void rt_pollb_wakeup(void);
extern const int rt_pollb_edge; /* 1: add/del used, 0: arm used */

/* poll.c, called by the backend: fd became ready for modes (GOC_READ,
 * GOC_WRITE; errors and hang-ups count as both).  Returns the number of
 * coroutines it readied. */
int rt_poll_event(int fd, uint32_t seq, int modes);

#endif /* GOC_NETPOLL_H */
