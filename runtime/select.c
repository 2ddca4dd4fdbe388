/*
 * select.c - goc_select_at: Go's selectgo over the channel state of chan.h.
 *
 * Known to the compiler / known to the runtime: goc_select_case (goc.h) is
 * filled by code that compiler/lower*.c emits; keep them in sync.
 *
 * The algorithm:
 *  1. Shuffle the live (non-nil) cases into a uniformly random poll order.
 *  2. Quick pass: in poll order, try each case that a racy look says is
 *     ready, under that channel's lock alone; each try is an ordinary
 *     atomic channel operation.  Usually one lock instead of all of them.
 *  3. Sort the cases by channel address into the lock order, lock every
 *     distinct channel in that order (so two selects never deadlock on each
 *     other), then poll the cases in poll order; the first that can proceed
 *     completes under the locks, exactly as chan.c would.
 *  4. Nothing ready: return -1 without blocking, or enqueue one waiter per
 *     case, all sharing one rt_select, and park; the park callback releases
 *     the locks.  A waker must win the CAS on rt_select.done before it
 *     completes a case (rt_waiter_claim), so the select fires exactly once;
 *     a waker that loses drops that waiter from its queue and moves on.
 *  5. Woken, relock everything and unlink the waiters that did not fire.
 *
 * Waiters, the orders and the lock list live on the coroutine's stack (a
 * VLA up to SEL_STACK_MAX cases; beyond that, rare, one malloc), so the
 * common select allocates nothing.
 *
 * Stack lifetime across the park: the callback releases the locks in order
 * and reads the lock list from this coroutine's stack between releases.
 * The coroutine may already have been readied elsewhere by then, but it
 * cannot get past relocking the last lock that the callback still holds,
 * and it only reads the list until then, so the list stays valid; the final
 * unlock is the callback's last access.
 */
#include "chan.h"

#define SEL_STACK_MAX 64

typedef struct lockset {
    uint32_t **lock; /* distinct lock words, ascending address */
    int n;
} lockset;

static void lock_all(const lockset *ls)
{
    for (int i = 0; i < ls->n; i++)
        rt_chan_lock(ls->lock[i]);
}

static void unlock_all(const lockset *ls)
{
    for (int i = 0; i < ls->n; i++)
        rt_chan_unlock(ls->lock[i]);
}

static void unlock_all_cb(void *arg)
{
    const lockset *ls = arg;
    uint32_t **lock = ls->lock;
    int last = ls->n - 1;
    for (int i = 0; i < last; i++)
        rt_chan_unlock(lock[i]);
    rt_chan_unlock(lock[last]);
}

/* Uniform in [0, n). */
static inline int rand_below(int n)
{
    return (int)(((uint64_t)rt_rand() * (uint32_t)n) >> 32);
}

static void sift_down(const goc_select_case *cs, int *a, int root, int n)
{
    for (;;) {
        int child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n &&
            (uintptr_t)cs[a[child + 1]].chan > (uintptr_t)cs[a[child]].chan)
            child++;
        if ((uintptr_t)cs[a[child]].chan <= (uintptr_t)cs[a[root]].chan)
            return;
        int t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

/* Sort case indices by channel address, in place: insertion sort for the
 * usual handful of cases, heapsort (O(n log n), no allocation) beyond. */
static void sort_by_chan(const goc_select_case *cs, int *a, int n)
{
    if (n <= 16) {
        for (int i = 1; i < n; i++) {
            int t = a[i], j = i;
            for (; j > 0 && (uintptr_t)cs[a[j - 1]].chan > (uintptr_t)cs[t].chan;
                 j--)
                a[j] = a[j - 1];
            a[j] = t;
        }
        return;
    }
    for (int i = n / 2 - 1; i >= 0; i--)
        sift_down(cs, a, i, n);
    for (int end = n - 1; end > 0; end--) {
        int t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(cs, a, 0, end);
    }
}

/* Step 3: poll in poll order with every lock held.  Returns the index of
 * the case done (locks released, peer readied), or -1 (locks still held). */
static int poll_ready(goc_select_case *cs, const int *poll, int npoll,
                      const lockset *ls, const goc_loc *loc)
{
    for (int k = 0; k < npoll; k++) {
        int i = poll[k], done, ok = 1;
        goc_chan *c = cs[i].chan;
        rt_waiter *peer;
        if (cs[i].dir == GOC_SELECT_RECV) {
            done = rt_chan_recv_locked(c, cs[i].elem, &ok, &peer);
        } else {
            if (c->closed) {
                unlock_all(ls);
                goc_panic_at("send on closed channel", loc);
            }
            done = rt_chan_send_locked(c, cs[i].elem, &peer);
        }
        if (done) {
            unlock_all(ls);
            if (peer)
                rt_ready(peer->g);
            if (cs[i].dir == GOC_SELECT_RECV)
                cs[i].ok = ok;
            return i;
        }
    }
    return -1;
}

static inline goc_waitq *queue_of(goc_chan *c, int dir)
{
    return dir == GOC_SELECT_RECV ? &c->recvq : &c->sendq;
}

/* Steps 4 and 5: enqueue a waiter per live case, park, clean up. */
static int wait_any(goc_select_case *cs, const int *order, int npoll,
                    rt_waiter *ws, const lockset *ls, const goc_loc *loc)
{
    rt_select sel;
    rt_waiter *fired;
    rt_g *self = rt_waiter_self();
    atomic_init(&sel.done, 0);
    sel.fired = NULL;
    for (int k = 0; k < npoll; k++) {
        int i = order[k];
        ws[k].g = self;
        ws[k].elem = cs[i].elem;
        ws[k].sel = &sel;
        ws[k].c = cs[i].chan;
        ws[k].index = i;
        ws[k].ok = 0;
        rt_waitq_push(queue_of(cs[i].chan, cs[i].dir), &ws[k]);
    }
    rt_park(unlock_all_cb, (void *)ls, RT_WAIT_SELECT, loc);
    fired = sel.fired;
    rt_assert(fired != NULL);
    lock_all(ls);
    for (int k = 0; k < npoll; k++)
        if (&ws[k] != fired)
            rt_waitq_remove(queue_of(ws[k].c, cs[ws[k].index].dir), &ws[k]);
    unlock_all(ls);
    if (cs[fired->index].dir == GOC_SELECT_SEND) {
        if (!fired->ok)
            goc_panic_at("send on closed channel", loc);
    } else {
        cs[fired->index].ok = fired->ok;
    }
    return fired->index;
}

/* The general case: npoll >= 2 live cases; scratch space from the caller. */
static int select_many(goc_select_case *cs, int *poll, int npoll, int block,
                       const goc_loc *loc, int *order, uint32_t **locks,
                       rt_waiter *ws)
{
    lockset ls = {locks, 0};
    int r;
    for (int k = 0; k < npoll; k++)
        order[k] = poll[k];
    sort_by_chan(cs, order, npoll);
    for (int k = 0; k < npoll; k++) {
        uint32_t *l = &cs[order[k]].chan->lock;
        if (ls.n == 0 || locks[ls.n - 1] != l)
            locks[ls.n++] = l;
    }
    lock_all(&ls);
    if ((r = poll_ready(cs, poll, npoll, &ls, loc)) >= 0)
        return r;
    if (!block) {
        unlock_all(&ls);
        return -1;
    }
    return wait_any(cs, order, npoll, ws, &ls, loc);
}

/* Racy look: might this case proceed now?  Only a hint for the quick pass;
 * the locked pass decides. */
static inline int maybe_ready(const goc_select_case *sc)
{
    goc_chan *c = sc->chan;
    if (rt_chan_is_closed(c))
        return 1;
    if (sc->dir == GOC_SELECT_RECV)
        return c->cap == 0 ? rt_waitq_head(&c->sendq) != NULL
                           : rt_chan_count(c) > 0;
    return c->cap == 0 ? rt_waitq_head(&c->recvq) != NULL
                       : rt_chan_count(c) < c->cap;
}

/* Attempt one case under its own channel's lock: the case index, or -1. */
static int try_case(goc_select_case *sc, int i, const goc_loc *loc)
{
    goc_chan *c = sc->chan;
    rt_waiter *peer;
    int done, ok = 1;
    rt_chan_lock(&c->lock);
    if (sc->dir == GOC_SELECT_RECV) {
        done = rt_chan_recv_locked(c, sc->elem, &ok, &peer);
    } else {
        if (c->closed) {
            rt_chan_unlock(&c->lock);
            goc_panic_at("send on closed channel", loc);
        }
        done = rt_chan_send_locked(c, sc->elem, &peer);
    }
    rt_chan_unlock(&c->lock);
    if (!done)
        return -1;
    if (peer)
        rt_ready(peer->g);
    if (sc->dir == GOC_SELECT_RECV)
        sc->ok = ok;
    return i;
}

/* Step 2, the quick pass: in poll order, try each case that looks ready
 * under its own lock alone.  Each attempt is an ordinary atomic channel
 * operation, so a success is a valid outcome of the select, and with the
 * poll order uniform so is the choice.  Usually a ready case is found
 * after one lock instead of all of them. */
static int quick_pass(goc_select_case *cs, const int *poll, int npoll,
                      const goc_loc *loc)
{
    for (int k = 0; k < npoll; k++) {
        int i = poll[k];
        if (maybe_ready(&cs[i]) && try_case(&cs[i], i, loc) >= 0)
            return i;
    }
    return -1;
}

/* One live case: the plain channel operation (Go's compiler does this). */
static int select_one(goc_select_case *sc, int i, int block,
                      const goc_loc *loc)
{
    if (sc->dir == GOC_SELECT_SEND) {
        if (!block)
            return goc_chan_trysend_at(sc->chan, sc->elem, loc) ? i : -1;
        goc_chan_send_at(sc->chan, sc->elem, loc);
        return i;
    }
    if (!block)
        return goc_chan_tryrecv(sc->chan, sc->elem, &sc->ok) ? i : -1;
    sc->ok = goc_chan_recv_at(sc->chan, sc->elem, loc);
    return i;
}

/* Two or more live cases, poll holding their indices in poll order. */
static int select_live(goc_select_case *cs, int *poll, int npoll, int block,
                       const goc_loc *loc)
{
    int r;
    if ((r = quick_pass(cs, poll, npoll, loc)) >= 0)
        return r;
    if (npoll <= SEL_STACK_MAX) {
        int order[npoll];
        uint32_t *locks[npoll];
        rt_waiter ws[npoll];
        return select_many(cs, poll, npoll, block, loc, order, locks, ws);
    }
    void *scratch = malloc((size_t)npoll * (sizeof(rt_waiter) +
                                            sizeof(uint32_t *) + sizeof(int)));
    if (!scratch)
        goc_panic_at("select: out of memory", loc);
    rt_waiter *ws = scratch;
    uint32_t **locks = (uint32_t **)(ws + npoll);
    int *order = (int *)(locks + npoll);
    r = select_many(cs, poll, npoll, block, loc, order, locks, ws);
    free(scratch);
    return r;
}

int goc_select_at(goc_select_case *cs, int n, int block, const goc_loc *loc)
{
    int small[SEL_STACK_MAX], npoll = 0, r;
    int *poll = n <= SEL_STACK_MAX ? small : malloc((size_t)n * sizeof *poll);
    if (!poll)
        goc_panic_at("select: out of memory", loc);
    /* Inside-out Fisher-Yates over the live cases: a uniform permutation. */
    for (int i = 0; i < n; i++) {
        if (!cs[i].chan)
            continue;
        int j = rand_below(npoll + 1);
        poll[npoll] = poll[j];
        poll[j] = i;
        npoll++;
    }
    r = npoll >= 2 ? select_live(cs, poll, npoll, block, loc)
                   : npoll ? poll[0] : -1;
    if (poll != small)
        free(poll);
    if (npoll >= 2)
        return r;
    if (r >= 0)
        return select_one(&cs[r], r, block, loc);
    if (block)
        rt_chan_park_forever(RT_WAIT_SELECT_NONE, loc);
    return -1;
}

int goc_select(goc_select_case *cs, int n, int block)
{
    return goc_select_at(cs, n, block, NULL);
}
