/*
 * sync.c - mutex, rwmutex, cond, sema, waitgroup and once.
 *
 * Every object is valid when zero-filled.  Each has an rt_lock word that
 * guards its wait queue; waiters are rt_waiters on the parked coroutines'
 * stacks (chan.h), and parking hands that lock to rt_park's callback, so a
 * waker (which must take the lock to dequeue) can never ready a coroutine
 * that has not finished parking.  Only coroutines block, never workers.
 *
 * Ownership is handed off: whoever releases a mutex, a writer lock or a
 * semaphore unit to a parked waiter keeps it "taken" on the waiter's behalf,
 * so a woken waiter returns at once and is never overtaken after waking
 * (FIFO among waiters, no starvation).  Fresh callers may still barge in
 * while nobody waits, which keeps the uncontended paths to one atomic.
 */
#include "chan.h"

static void wait_here(goc_waitq *q, uint32_t *lock, enum rt_wait_reason why,
                      const goc_loc *loc)
{
    rt_waiter me;
    me.g = rt_waiter_self();
    me.sel = NULL;
    rt_waitq_push(q, &me);
    rt_park(rt_unlock_cb, lock, why, loc);
}

/* Pop every waiter of q into a list (through next), to ready once the
 * object's lock is released. */
static rt_waiter *take_all(goc_waitq *q)
{
    rt_waiter *list = NULL, *w;
    while ((w = rt_waitq_pop(q)) != NULL) {
        w->next = list;
        list = w;
    }
    return list;
}

static void ready_all(rt_waiter *list)
{
    rt_waiter *w;
    while ((w = list) != NULL) {
        list = w->next; /* before w's coroutine may run and return */
        rt_ready(w->g);
    }
}

/* ---- mutex ----------------------------------------------------------
 * state: bit 0 locked, bit 1 some coroutine is (or is about to be) queued.
 * Bit 1 is set and cleared only under m->lock; with bit 1 set, unlock goes
 * the slow way and hands the mutex to the first waiter. */

enum { M_LOCKED = 1, M_WAITERS = 2 };

int goc_mutex_trylock(goc_mutex *m)
{
    uint32_t s = 0;
    return __atomic_compare_exchange_n(&m->state, &s, M_LOCKED, 0,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void goc_mutex_lock_at(goc_mutex *m, const goc_loc *loc)
{
    uint32_t s;
    if (goc_mutex_trylock(m))
        return;
    rt_lock(&m->lock);
    s = __atomic_load_n(&m->state, __ATOMIC_RELAXED);
    for (;;) {
        if (!(s & M_LOCKED)) {
            if (__atomic_compare_exchange_n(&m->state, &s, s | M_LOCKED, 0,
                                            __ATOMIC_ACQUIRE,
                                            __ATOMIC_RELAXED)) {
                rt_unlock(&m->lock);
                return;
            }
        } else if (__atomic_compare_exchange_n(&m->state, &s, s | M_WAITERS,
                                               0, __ATOMIC_RELAXED,
                                               __ATOMIC_RELAXED)) {
            break;
        }
    }
    /* Handed off: the unlocker leaves M_LOCKED set for us, and its
     * rt_ready orders its critical section before our return. */
    wait_here(&m->waiters, &m->lock, RT_WAIT_MUTEX, loc);
}

void goc_mutex_lock(goc_mutex *m)
{
    goc_mutex_lock_at(m, NULL);
}

void goc_mutex_unlock_at(goc_mutex *m, const goc_loc *loc)
{
    uint32_t s = M_LOCKED;
    rt_waiter *w;
    if (__atomic_compare_exchange_n(&m->state, &s, 0, 0, __ATOMIC_RELEASE,
                                    __ATOMIC_RELAXED))
        return;
    if (!(s & M_LOCKED))
        rt_fatal_at("sync: unlock of unlocked mutex", loc);
    rt_lock(&m->lock);
    w = rt_waitq_pop(&m->waiters);
    /* Keep M_LOCKED for w; M_WAITERS stays while others remain queued. */
    __atomic_store_n(&m->state,
                     !w ? 0 : rt_waitq_head(&m->waiters) ? M_LOCKED | M_WAITERS
                                                         : M_LOCKED,
                     __ATOMIC_RELEASE);
    rt_unlock(&m->lock);
    if (w)
        rt_ready(w->g);
}

void goc_mutex_unlock(goc_mutex *m)
{
    goc_mutex_unlock_at(m, NULL);
}

/* ---- rwmutex --------------------------------------------------------
 * All state under m->lock.  readers: active readers, -1 while a writer
 * holds it.  Writer preference: a new reader waits while any writer waits;
 * a releasing writer admits every waiting reader first, so neither side
 * starves. */

void goc_rwmutex_rlock_at(goc_rwmutex *m, const goc_loc *loc)
{
    rt_lock(&m->lock);
    if (m->readers >= 0 && m->writers_waiting == 0) {
        m->readers++;
        rt_unlock(&m->lock);
        return;
    }
    /* the waker counted us in */
    wait_here(&m->rwait, &m->lock, RT_WAIT_RWMUTEX_READ, loc);
}

void goc_rwmutex_rlock(goc_rwmutex *m)
{
    goc_rwmutex_rlock_at(m, NULL);
}

void goc_rwmutex_runlock_at(goc_rwmutex *m, const goc_loc *loc)
{
    rt_waiter *w = NULL;
    rt_lock(&m->lock);
    if (m->readers <= 0)
        rt_fatal_at("sync: RUnlock of unlocked RWMutex", loc);
    if (--m->readers == 0 && (w = rt_waitq_pop(&m->wwait)) != NULL) {
        m->readers = -1;
        m->writers_waiting--;
    }
    rt_unlock(&m->lock);
    if (w)
        rt_ready(w->g);
}

void goc_rwmutex_runlock(goc_rwmutex *m)
{
    goc_rwmutex_runlock_at(m, NULL);
}

void goc_rwmutex_lock_at(goc_rwmutex *m, const goc_loc *loc)
{
    rt_lock(&m->lock);
    if (m->readers == 0 && m->writers_waiting == 0) {
        m->readers = -1;
        rt_unlock(&m->lock);
        return;
    }
    m->writers_waiting++;
    /* the waker made us the writer */
    wait_here(&m->wwait, &m->lock, RT_WAIT_RWMUTEX, loc);
}

void goc_rwmutex_lock(goc_rwmutex *m)
{
    goc_rwmutex_lock_at(m, NULL);
}

void goc_rwmutex_unlock_at(goc_rwmutex *m, const goc_loc *loc)
{
    rt_waiter *list = NULL;
    rt_lock(&m->lock);
    if (m->readers != -1)
        rt_fatal_at("sync: Unlock of unlocked RWMutex", loc);
    m->readers = 0;
    if (rt_waitq_head(&m->rwait)) {
        list = take_all(&m->rwait);
        for (rt_waiter *w = list; w; w = w->next)
            m->readers++;
    } else if ((list = rt_waitq_pop(&m->wwait)) != NULL) {
        list->next = NULL;
        m->readers = -1;
        m->writers_waiting--;
    }
    rt_unlock(&m->lock);
    ready_all(list);
}

void goc_rwmutex_unlock(goc_rwmutex *m)
{
    goc_rwmutex_unlock_at(m, NULL);
}

/* ---- cond -----------------------------------------------------------
 * wait enqueues under c->lock before releasing the mutex, and parks with
 * c->lock as the callback's lock, so a signal sent after the mutex is
 * released always finds the waiter parked and queued. */

void goc_cond_wait_at(goc_cond *c, goc_mutex *m, const goc_loc *loc)
{
    rt_waiter me;
    me.g = rt_waiter_self();
    me.sel = NULL;
    rt_lock(&c->lock);
    rt_waitq_push(&c->waiters, &me);
    goc_mutex_unlock_at(m, loc); /* lock order: cond, then mutex; never reversed */
    rt_park(rt_unlock_cb, &c->lock, RT_WAIT_COND, loc);
    goc_mutex_lock_at(m, loc);
}

void goc_cond_wait(goc_cond *c, goc_mutex *m)
{
    goc_cond_wait_at(c, m, NULL);
}

void goc_cond_signal(goc_cond *c)
{
    rt_waiter *w;
    if (!rt_waitq_head(&c->waiters))
        return; /* nobody waits now: a signal wakes only current waiters */
    rt_lock(&c->lock);
    w = rt_waitq_pop(&c->waiters);
    rt_unlock(&c->lock);
    if (w)
        rt_ready(w->g);
}

void goc_cond_broadcast(goc_cond *c)
{
    rt_waiter *list;
    if (!rt_waitq_head(&c->waiters))
        return;
    rt_lock(&c->lock);
    list = take_all(&c->waiters);
    rt_unlock(&c->lock);
    ready_all(list);
}

/* ---- sema -----------------------------------------------------------
 * count is decremented lock-free by acquirers while positive; release
 * checks for waiters under s->lock and hands its unit straight to the first
 * one, else increments count.  An acquirer queues itself only after seeing
 * count == 0 under s->lock, so a unit is never left idle while someone
 * waits. */

int goc_sema_tryacquire(goc_sema *s)
{
    int64_t n = __atomic_load_n(&s->count, __ATOMIC_RELAXED);
    while (n > 0)
        if (__atomic_compare_exchange_n(&s->count, &n, n - 1, 1,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return 1;
    return 0;
}

void goc_sema_init(goc_sema *s, int64_t n)
{
    *s = (goc_sema){0};
    s->count = n;
}

void goc_sema_acquire_at(goc_sema *s, const goc_loc *loc)
{
    if (goc_sema_tryacquire(s))
        return;
    rt_lock(&s->lock);
    if (goc_sema_tryacquire(s)) {
        rt_unlock(&s->lock);
        return;
    }
    /* the releaser's unit is ours */
    wait_here(&s->waiters, &s->lock, RT_WAIT_SEMAPHORE, loc);
}

void goc_sema_acquire(goc_sema *s)
{
    goc_sema_acquire_at(s, NULL);
}

void goc_sema_release(goc_sema *s)
{
    rt_waiter *w;
    rt_lock(&s->lock);
    if ((w = rt_waitq_pop(&s->waiters)) == NULL)
        __atomic_fetch_add(&s->count, 1, __ATOMIC_RELEASE);
    rt_unlock(&s->lock);
    if (w)
        rt_ready(w->g);
}

/* ---- waitgroup ------------------------------------------------------
 * A WaitGroup may be destroyed as soon as a goc_waitgroup_wait returns: a
 * zero-initialised local in the waiter's frame is the common C use.  So
 * the add that brings count to zero must not touch wg once a waiter can
 * see zero.  count changes lock-free only while it stays positive (no
 * waiter returns then); the change to zero is made under wg->lock, and
 * wait's lock-free fast path reports zero only when the lock word is free
 * too, i.e. after that add has unlocked.  (rt_unlock's futex wake on a
 * dead word is harmless.)  A waker that finds count raised again under the
 * lock (a new round began) wakes nobody. */

void goc_waitgroup_add_at(goc_waitgroup *wg, int64_t n, const goc_loc *loc)
{
    int64_t v = __atomic_load_n(&wg->count, __ATOMIC_RELAXED);
    rt_waiter *list = NULL;
    while (v + n > 0)
        if (__atomic_compare_exchange_n(&wg->count, &v, v + n, 1,
                                        __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
            return;
    rt_lock(&wg->lock);
    v = __atomic_add_fetch(&wg->count, n, __ATOMIC_ACQ_REL);
    if (v == 0)
        list = take_all(&wg->waiters);
    rt_unlock(&wg->lock);
    if (v < 0)
        goc_panic_at("sync: negative WaitGroup counter", loc);
    ready_all(list);
}

void goc_waitgroup_add(goc_waitgroup *wg, int64_t n)
{
    goc_waitgroup_add_at(wg, n, NULL);
}

void goc_waitgroup_done_at(goc_waitgroup *wg, const goc_loc *loc)
{
    goc_waitgroup_add_at(wg, -1, loc);
}

void goc_waitgroup_done(goc_waitgroup *wg)
{
    goc_waitgroup_add_at(wg, -1, NULL);
}

void goc_waitgroup_wait_at(goc_waitgroup *wg, const goc_loc *loc)
{
    /* Zero, then the lock word free: the add that zeroed it has unlocked
     * (its locking store precedes its zeroing, which this load saw). */
    if (__atomic_load_n(&wg->count, __ATOMIC_ACQUIRE) == 0 &&
        __atomic_load_n(&wg->lock, __ATOMIC_ACQUIRE) == 0)
        return;
    rt_lock(&wg->lock);
    if (__atomic_load_n(&wg->count, __ATOMIC_ACQUIRE) == 0) {
        rt_unlock(&wg->lock);
        return;
    }
    wait_here(&wg->waiters, &wg->lock, RT_WAIT_WAITGROUP, loc);
}

void goc_waitgroup_wait(goc_waitgroup *wg)
{
    goc_waitgroup_wait_at(wg, NULL);
}

/* ---- once -----------------------------------------------------------
 * done is published with release after fn returns; the fast path's acquire
 * load makes fn's effects visible.  Concurrent first callers queue on the
 * mutex, so they block as coroutines until fn has run. */

void goc_once_do_at(goc_once *o, void (*fn)(void *), void *arg,
                    const goc_loc *loc)
{
    if (__atomic_load_n(&o->done, __ATOMIC_ACQUIRE))
        return;
    goc_mutex_lock_at(&o->m, loc);
    if (!o->done) {
        fn(arg);
        __atomic_store_n(&o->done, 1, __ATOMIC_RELEASE);
    }
    goc_mutex_unlock_at(&o->m, loc);
}

void goc_once_do(goc_once *o, void (*fn)(void *), void *arg)
{
    goc_once_do_at(o, fn, arg, NULL);
}
