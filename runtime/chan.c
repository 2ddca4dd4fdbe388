/*
 * chan.c - channels: Go's chan.go algorithm over rt_park/rt_ready.
 *
 * The channel state, its invariants and the operations done under the
 * channel lock live in chan.h, shared with select.c.  Here: the entry
 * points, parking, close and the lock-free "would block" fast paths.
 *
 * FIFO per sender: values enter the buffer or a receiver in the order their
 * senders take the lock, and one sender's next send starts only after its
 * previous one completed.  Nothing is lost or duplicated: every transfer
 * happens under the channel lock, and a parked waiter is dequeued (and for
 * a select, claimed) exactly once before its operation is completed.
 *
 * Fast paths (Go's argument): a non-blocking operation that observes "not
 * ready" without the lock may return at once, because that observation was
 * true at some instant during the call.
 */
#include "chan.h"

static void nothing(void *arg)
{
    (void)arg;
}

/* A nil channel, or a select with no live case: nobody can ready us. */
void rt_chan_park_forever(enum rt_wait_reason why, const goc_loc *loc)
{
    for (;;)
        rt_park(nothing, NULL, why, loc);
}

goc_chan *goc_chan_make_at(size_t elemsize, long cap, const goc_loc *loc)
{
    return goc_chan_make_at_typed(elemsize, cap, loc, NULL);
}

goc_chan *goc_chan_make_at_typed(size_t elemsize, long cap, const goc_loc *loc,
                                 const char *elem)
{
    size_t bytes;
    goc_chan *c;
    if (cap < 0 || __builtin_mul_overflow((size_t)cap, elemsize, &bytes) ||
        bytes > ((size_t)1 << 47))
        goc_panic_at("makechan: size out of range", loc);
    c = calloc(1, sizeof *c + bytes);
    if (!c)
        goc_panic_at("makechan: out of memory", loc);
    c->elemsize = elemsize;
    c->cap = (size_t)cap;
    c->buf = (char *)(c + 1);
    c->made = loc;
    c->elem = elem;
    return c;
}

/* The extra bytes follow the buffer, 16-byte aligned, in the same
 * allocation: goc_chan_free frees both. */
static size_t extra_offset(const goc_chan *c)
{
    return (sizeof *c + c->cap * c->elemsize + 15) & ~(size_t)15;
}

goc_chan *rt_chan_make_extra(size_t elemsize, long cap, size_t extra,
                             void **extrap)
{
    goc_chan probe = {.elemsize = elemsize, .cap = (size_t)cap};
    size_t off = extra_offset(&probe);
    goc_chan *c = aligned_alloc(16, (off + extra + 15) & ~(size_t)15);
    if (!c)
        goc_panic_at("makechan: out of memory", NULL);
    memset(c, 0, off + extra);
    c->elemsize = elemsize;
    c->cap = (size_t)cap;
    c->buf = (char *)(c + 1);
    *extrap = (char *)c + off;
    return c;
}

void *rt_chan_extra(goc_chan *c) { return (char *)c + extra_offset(c); }

goc_chan *goc_chan_make(size_t elemsize, long cap)
{
    return goc_chan_make_at(elemsize, cap, NULL);
}

void goc_chan_free(goc_chan *c)
{
    free(c);
}

/* ---- send ------------------------------------------------------------ */

void goc_chan_send_at(goc_chan *c, const void *elem, const goc_loc *loc)
{
    rt_waiter me, *peer;
    if (!c)
        rt_chan_park_forever(RT_WAIT_NIL_SEND, loc);
    rt_chan_lock(&c->lock);
    if (c->closed) {
        rt_chan_unlock(&c->lock);
        goc_panic_at("send on closed channel", loc);
    }
    if (rt_chan_send_locked(c, elem, &peer)) {
        rt_chan_unlock(&c->lock);
        if (peer)
            rt_ready(peer->g);
        return;
    }
    me.g = rt_waiter_self();
    me.elem = (void *)elem;
    me.sel = NULL;
    me.ok = 0;
    rt_waitq_push(&c->sendq, &me);
    rt_park(rt_chan_unlock_cb, &c->lock, RT_WAIT_CHAN_SEND, loc);
    if (!me.ok)
        goc_panic_at("send on closed channel", loc);
}

void goc_chan_send(goc_chan *c, const void *elem)
{
    goc_chan_send_at(c, elem, NULL);
}

static inline int send_would_block(goc_chan *c)
{
    if (c->cap == 0)
        return rt_waitq_head(&c->recvq) == NULL;
    return rt_chan_count(c) == c->cap;
}

int goc_chan_trysend_at(goc_chan *c, const void *elem, const goc_loc *loc)
{
    rt_waiter *peer;
    int done;
    if (!c || (!rt_chan_is_closed(c) && send_would_block(c)))
        return 0;
    rt_chan_lock(&c->lock);
    if (c->closed) {
        rt_chan_unlock(&c->lock);
        goc_panic_at("send on closed channel", loc);
    }
    done = rt_chan_send_locked(c, elem, &peer);
    rt_chan_unlock(&c->lock);
    if (peer)
        rt_ready(peer->g);
    return done;
}

int goc_chan_trysend(goc_chan *c, const void *elem)
{
    return goc_chan_trysend_at(c, elem, NULL);
}

/* ---- receive --------------------------------------------------------- */

int goc_chan_recv_at(goc_chan *c, void *elem, const goc_loc *loc)
{
    rt_waiter me, *peer;
    int ok;
    if (!c)
        rt_chan_park_forever(RT_WAIT_NIL_RECV, loc);
    rt_chan_lock(&c->lock);
    if (rt_chan_recv_locked(c, elem, &ok, &peer)) {
        rt_chan_unlock(&c->lock);
        if (peer)
            rt_ready(peer->g);
        return ok;
    }
    me.g = rt_waiter_self();
    me.elem = elem;
    me.sel = NULL;
    me.ok = 0;
    rt_waitq_push(&c->recvq, &me);
    rt_park(rt_chan_unlock_cb, &c->lock, RT_WAIT_CHAN_RECV, loc);
    return me.ok;
}

int goc_chan_recv(goc_chan *c, void *elem)
{
    return goc_chan_recv_at(c, elem, NULL);
}

static inline int recv_would_block(goc_chan *c)
{
    if (c->cap == 0)
        return rt_waitq_head(&c->sendq) == NULL;
    return rt_chan_count(c) == 0;
}

int goc_chan_tryrecv(goc_chan *c, void *elem, int *ok)
{
    rt_waiter *peer;
    int done, okv = 0;
    if (!c)
        return 0;
    /* "Empty" is loaded before "closed": empty, then open, means it was
     * empty and open when closed was loaded (a channel never reopens). */
    if (recv_would_block(c) && !rt_chan_is_closed(c))
        return 0;
    rt_chan_lock(&c->lock);
    done = rt_chan_recv_locked(c, elem, &okv, &peer);
    rt_chan_unlock(&c->lock);
    if (peer)
        rt_ready(peer->g);
    if (done && ok)
        *ok = okv;
    return done;
}

/* ---- close, len, cap ------------------------------------------------- */

/* Pop every waiter of q that can be claimed, mark it woken by close and
 * chain it onto *list through next (free once dequeued). */
static void drain_closed(goc_chan *c, goc_waitq *q, int recv,
                         rt_waiter **list)
{
    rt_waiter *w;
    while ((w = rt_waitq_pop(q)) != NULL) {
        if (recv)
            rt_chan_zero(c, w->elem);
        w->ok = 0;
        w->next = *list;
        *list = w;
    }
}

void goc_chan_close_at(goc_chan *c, const goc_loc *loc)
{
    rt_waiter *list = NULL, *w;
    if (!c)
        goc_panic_at("close of nil channel", loc);
    rt_chan_lock(&c->lock);
    if (c->closed) {
        rt_chan_unlock(&c->lock);
        goc_panic_at("close of closed channel", loc);
    }
    __atomic_store_n(&c->closed, 1, __ATOMIC_RELAXED);
    drain_closed(c, &c->recvq, 1, &list);
    drain_closed(c, &c->sendq, 0, &list);
    rt_chan_unlock(&c->lock);
    while ((w = list) != NULL) {
        list = w->next; /* read before w's coroutine may run and return */
        rt_ready(w->g);
    }
}

void goc_chan_close(goc_chan *c)
{
    goc_chan_close_at(c, NULL);
}

long goc_chan_len(goc_chan *c)
{
    return c ? (long)rt_chan_count(c) : 0;
}

long goc_chan_cap(goc_chan *c)
{
    return c ? (long)c->cap : 0;
}
