/*
 * chan.h - wait queues (shared by chan.c, select.c and sync.c) and the
 * channel state with the operations done under its lock (chan.c, select.c).
 *
 * A waiter (Go's "sudog") lives on the stack of the coroutine it stands for,
 * which is parked for as long as the waiter sits in a queue.  Queues are
 * intrusive doubly linked lists (goc_waitq from goc.h), so enqueue, dequeue
 * and unlinking a known waiter are all O(1) and allocate nothing.
 *
 * Locking: a queue is guarded by the lock of the object that owns it (the
 * channel's or the sync object's rt_lock word).  Only `head` is ever read
 * without that lock (the lock-free "would block" checks of chan.c), so it is
 * written with relaxed atomic stores.
 *
 * A waiter belonging to a select (sel != NULL) sits in several queues at
 * once.  Whoever dequeues it must first claim the select with
 * rt_waiter_claim(); losing the race means another case already fired and
 * the waiter is simply dropped from this queue.  A plain waiter sits in one
 * queue and is claimed by being dequeued under that queue's lock, so no
 * waiter is ever woken twice.
 */
#ifndef GOC_CHAN_H
#define GOC_CHAN_H

#include "rt.h"

#include <string.h>

typedef struct rt_select rt_select;
typedef struct rt_waiter rt_waiter;

struct rt_waiter {
    rt_waiter *next, *prev; /* queue links, guarded by the queue's lock */
    rt_g *g;                /* the parked coroutine */
    void *elem;             /* send: the value; recv: destination or NULL */
    rt_select *sel;         /* NULL: a plain operation */
    goc_chan *c;            /* select: the case's channel */
    int index;              /* select: the case index */
    int ok;                 /* out: 1 completed, 0 woken by close */
};

/* One select in progress; `done` is the word a waker claims with a CAS.
 * `fired` is written by the winner before it readies the coroutine. */
struct rt_select {
    _Atomic uint32_t done;
    rt_waiter *fired;
};

/* The channel lock: a spin lock whose unlock is a plain release store.
 * Channel critical sections are a few dozen instructions and never block,
 * so a waiter spins (backing off between probes, see lock.c) and then
 * yields the CPU instead of sleeping on a futex; with no sleepers to
 * wake, unlocking needs no locked instruction, which is most of the
 * saving on the hand-off paths (ring, ping-pong).  Only rt_chan_lock,
 * rt_chan_unlock and rt_chan_unlock_cb may touch a channel's lock word. */
void rt_chan_lock_slow(uint32_t *l);
void rt_chan_unlock_cb(void *l);

static inline void rt_chan_lock(uint32_t *l)
{
    uint32_t free_word = 0;
    if (!__atomic_compare_exchange_n(l, &free_word, 1, 0, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED))
        rt_chan_lock_slow(l);
}

static inline void rt_chan_unlock(uint32_t *l)
{
    __atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static inline rt_waiter *rt_waitq_head(const goc_waitq *q)
{
    return (rt_waiter *)__atomic_load_n(&q->head, __ATOMIC_RELAXED);
}

static inline void rt_waitq_push(goc_waitq *q, rt_waiter *w)
{
    rt_waiter *t = (rt_waiter *)q->tail;
    w->next = NULL;
    w->prev = t;
    if (t)
        t->next = w;
    else
        __atomic_store_n(&q->head, w, __ATOMIC_RELAXED);
    q->tail = w;
}

/* Unlink w, which is in q. */
static inline void rt_waitq_unlink(goc_waitq *q, rt_waiter *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        __atomic_store_n(&q->head, w->next, __ATOMIC_RELAXED);
    if (w->next)
        w->next->prev = w->prev;
    else
        q->tail = w->prev;
    w->next = w->prev = NULL;
}

/* Unlink w if it is still in q (a select cleaning up after itself: a
 * waker that lost the claim race may already have dropped it). */
static inline void rt_waitq_remove(goc_waitq *q, rt_waiter *w)
{
    if (w->prev || rt_waitq_head(q) == w)
        rt_waitq_unlink(q, w);
}

/* True when this caller won the right to complete w's operation. */
static inline int rt_waiter_claim(rt_waiter *w)
{
    uint32_t zero = 0;
    if (!w->sel)
        return 1;
    if (!atomic_compare_exchange_strong(&w->sel->done, &zero, 1))
        return 0;
    w->sel->fired = w;
    return 1;
}

/* Dequeue the first waiter that can be claimed, or NULL. */
static inline rt_waiter *rt_waitq_pop(goc_waitq *q)
{
    rt_waiter *w;
    while ((w = rt_waitq_head(q)) != NULL) {
        rt_waitq_unlink(q, w);
        if (rt_waiter_claim(w))
            return w;
    }
    return NULL;
}


/* ---- channels: the state and the operations under c->lock ------------- */

/* Invariants (all under c->lock):
 *  - Buffered (cap > 0): count > 0 implies recvq holds no plain waiter and
 *    count < cap implies sendq holds none (a select may briefly sit in both
 *    queues of one channel).  Unbuffered: count == 0 always.
 *  - closed only goes from 0 to 1, and when it does both queues empty.
 *  - A waiter in a queue belongs to a parked coroutine, whose stack (and so
 *    the waiter and its elem) stays put until someone readies it.
 * `closed`, `count` and the queue heads are also read without the lock by
 * the "would block" fast paths, so they are written with relaxed atomic
 * stores. */
struct goc_chan {
    uint32_t lock;
    uint32_t closed;
    size_t elemsize;
    size_t cap;
    size_t count;        /* elements in buf */
    size_t sendx, recvx; /* ring indices */
    goc_waitq recvq, sendq;
    char *buf;           /* cap * elemsize bytes, right after the struct */
    const goc_loc *made; /* where it was made, or NULL */
    const char *elem;    /* its element type as spelled, or NULL (both for
                            debuggers: goc-gdb.py) */
};

/* A channel with `extra` private bytes for its creator (time.c's timers)
 * in the same allocation; rt_chan_extra(c) finds them again. */
goc_chan *rt_chan_make_extra(size_t elemsize, long cap, size_t extra,
                             void **extrap);
void *rt_chan_extra(goc_chan *c);

GOC_NORETURN void rt_chan_park_forever(enum rt_wait_reason why,
                                       const goc_loc *loc);

static inline size_t rt_chan_count(const goc_chan *c)
{
    return __atomic_load_n(&c->count, __ATOMIC_RELAXED);
}

static inline int rt_chan_is_closed(const goc_chan *c)
{
    return __atomic_load_n(&c->closed, __ATOMIC_RELAXED) != 0;
}

static inline void *rt_chan_slot(goc_chan *c, size_t i)
{
    return c->buf + i * c->elemsize;
}

/* memcpy with the common sizes inlined: the hot paths move one word. */
static inline void rt_chan_memcpy(void *dst, const void *src, size_t n)
{
    switch (n) {
    case 8:
        memcpy(dst, src, 8);
        break;
    case 4:
        memcpy(dst, src, 4);
        break;
    case 16:
        memcpy(dst, src, 16);
        break;
    default:
        memcpy(dst, src, n);
    }
}

static inline void rt_chan_copy(goc_chan *c, void *dst, const void *src)
{
    if (dst)
        rt_chan_memcpy(dst, src, c->elemsize);
}

static inline void rt_chan_zero(goc_chan *c, void *dst)
{
    if (dst)
        memset(dst, 0, c->elemsize);
}

static inline int rt_chan_buf_put(goc_chan *c, const void *elem)
{
    if (c->count >= c->cap)
        return 0;
    rt_chan_memcpy(rt_chan_slot(c, c->sendx), elem, c->elemsize);
    if (++c->sendx == c->cap)
        c->sendx = 0;
    __atomic_store_n(&c->count, c->count + 1, __ATOMIC_RELAXED);
    return 1;
}

static inline int rt_chan_buf_get(goc_chan *c, void *elem)
{
    if (c->count == 0)
        return 0;
    rt_chan_copy(c, elem, rt_chan_slot(c, c->recvx));
    if (++c->recvx == c->cap)
        c->recvx = 0;
    __atomic_store_n(&c->count, c->count - 1, __ATOMIC_RELAXED);
    return 1;
}

/* Send elem on open channel c: 1 done, 0 would block.  Hand-off: when a
 * receiver is parked, its half is completed here (the value copied straight
 * into its elem) and it is returned in *peer, to be readied once the lock
 * is dropped; the woken side never touches the channel again. */
static inline int rt_chan_send_locked(goc_chan *c, const void *elem,
                                      rt_waiter **peer)
{
    rt_waiter *w = rt_waitq_pop(&c->recvq);
    *peer = w;
    if (w) {
        rt_chan_copy(c, w->elem, elem);
        w->ok = 1;
        return 1;
    }
    return rt_chan_buf_put(c, elem);
}

/* Receive from c into elem (NULL: drop): 1 done with *ok set, 0 would
 * block.  A parked sender w means the buffer is full (or there is none):
 * take the head and refill the tail from w, which keeps FIFO order. */
static inline int rt_chan_recv_locked(goc_chan *c, void *elem, int *ok,
                                      rt_waiter **peer)
{
    rt_waiter *w = rt_waitq_pop(&c->sendq);
    *peer = w;
    if (w) {
        if (c->cap == 0) {
            rt_chan_copy(c, elem, w->elem);
        } else {
            rt_chan_copy(c, elem, rt_chan_slot(c, c->recvx));
            rt_chan_memcpy(rt_chan_slot(c, c->recvx), w->elem, c->elemsize);
            if (++c->recvx == c->cap)
                c->recvx = 0;
            c->sendx = c->recvx;
        }
        w->ok = 1;
        *ok = 1;
        return 1;
    }
    if (rt_chan_buf_get(c, elem)) {
        *ok = 1;
        return 1;
    }
    if (c->closed) {
        rt_chan_zero(c, elem);
        *ok = 0;
        return 1;
    }
    return 0;
}

#endif /* GOC_CHAN_H */
