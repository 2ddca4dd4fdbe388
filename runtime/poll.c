/*
 * poll.c - the backend-independent half of the I/O poller: per-fd
 * descriptors, parking and readying coroutines that wait on fds, I/O
 * deadlines, and the hooks the scheduler's idle path calls (rt.h).
 *
 * Locking.  Each descriptor has its own spin lock (rt_pd.lock).  I/O
 * deadlines live in one binary heap under dl_lock.  Order: dl_lock, then a
 * descriptor lock; nothing else is taken while either is held, except the
 * level-triggered backend's interest lock inside a descriptor lock.
 *
 * Why a heap here and not the scheduler's timers: an I/O deadline must be
 * cancelled when the fd becomes ready first (most waits end that way), and
 * rt_poll is where both kinds of wake-up meet, so it bounds its own wait by
 * the earliest I/O deadline on top of the timeout the scheduler passes in.
 *
 * A waiter (rt_pwait) lives on the parked coroutine's stack.  Whoever wakes
 * it unlinks it and writes its result under the descriptor lock, and reads
 * what it needs before calling rt_ready(): after that the stack may be gone.
 * The deadline path reaches a waiter through the heap; the waiter removes
 * itself from the heap (under dl_lock) before its stack frame ends, so the
 * heap never holds a dangling pointer.
 */
#include "netpoll.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct rt_pwait {
    rt_pwait *next[2], *prev[2]; /* per-direction lists; descriptor lock */
    rt_pwait *woken;             /* private list of the waker */
    rt_g *g;
    rt_pd *pd;
    int fd;
    int64_t when;  /* deadline, -1 none */
    int hidx;      /* index in the deadline heap, -1 none; dl_lock */
    int modes;     /* GOC_READ|GOC_WRITE */
    int linked;    /* on the descriptor's lists; descriptor lock */
    int expired;   /* the deadline passed before it parked; descriptor lock */
    int err;       /* result, written by the waker before rt_ready */
};

/* ---- descriptor table ------------------------------------------------ */

#define PD_CHUNK 1024
#define PD_DIR 16384 /* fds up to 16M */

static rt_pd *_Atomic pd_dir[PD_DIR];

static rt_pd *pd_slot(int fd, int create)
{
    if (fd < 0 || fd >= PD_CHUNK * PD_DIR)
        return NULL;
    rt_pd *_Atomic *slot = &pd_dir[fd / PD_CHUNK];
    rt_pd *chunk = atomic_load_explicit(slot, memory_order_acquire);
    if (!chunk && create) {
        rt_pd *fresh = calloc(PD_CHUNK, sizeof(rt_pd));
        if (!fresh)
            return NULL;
        if (atomic_compare_exchange_strong(slot, &chunk, fresh))
            chunk = fresh;
        else
            free(fresh);
    }
    return chunk ? &chunk[fd % PD_CHUNK] : NULL;
}

/* ---- wake-up bookkeeping --------------------------------------------- */

static atomic_long n_waiting;   /* coroutines parked on fds */
static atomic_int wake_pending; /* a backend wake-up is in flight */
static atomic_int poll_ready;

static void init_once(void)
{
    if (rt_pollb_init() < 0)
        rt_throw(__FILE__, __LINE__, "cannot create the I/O poller");
    atomic_store(&poll_ready, 1);
}

static const rt_poll_sched *sched; /* rt_poll_set_sched's */

void rt_poll_set_sched(const rt_poll_sched *s) { sched = s; }

void rt_poll_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (!atomic_load_explicit(&poll_ready, memory_order_acquire))
        pthread_once(&once, init_once);
}

/* Cheap when called often: at most one backend wake-up is in flight until
 * the next rt_poll consumes it (and clears the flag after its wait). */
void rt_poll_wakeup(void)
{
    if (!atomic_load_explicit(&poll_ready, memory_order_acquire))
        return;
    if (atomic_load_explicit(&wake_pending, memory_order_relaxed))
        return;
    if (!atomic_exchange(&wake_pending, 1))
        rt_pollb_wakeup();
}

static uint32_t dl_lock;
static int dl_n;

void rt_poll_fork_child(void)
{
    if (!atomic_load(&poll_ready))
        return;
    dl_lock = 0;
    dl_n = 0;
    atomic_store(&n_waiting, 0);
    atomic_store(&wake_pending, 0);
    for (int i = 0; i < PD_DIR; i++) {
        rt_pd *chunk = atomic_load_explicit(&pd_dir[i], memory_order_relaxed);
        for (int k = 0; chunk && k < PD_CHUNK; k++) {
            rt_pd *pd = &chunk[k];
            pd->lock = 0;
            pd->w[0] = pd->w[1] = NULL;
            pd->ready[0] = pd->ready[1] = 0;
            pd->flags &= ~(uint32_t)RT_PD_REGISTERED;
            pd->seq++;
        }
    }
    if (rt_pollb_fork_child() < 0)
        rt_throw(__FILE__, __LINE__, "cannot create the I/O poller");
}

/* The poller is about to re-check for work and block: from now on a
 * wake-up must reach the backend (see park in sched.c). */
void rt_poll_rearm(void)
{
    atomic_store(&wake_pending, 0);
}

long rt_poll_waiting(void)
{
    return atomic_load_explicit(&n_waiting, memory_order_relaxed);
}

/* Not inlined, and its asm keeps the compiler from deducing it const. */
__attribute__((noinline)) int *rt_errno_loc(void)
{
    int *p = &errno;
    __asm__ volatile("" : "+r"(p));
    return p;
}

const char *goc_poll_backend(void)
{
    return GOC_POLL_BACKEND_NAME;
}

/* Coroutines woken by this thread and not yet readied.  Inside rt_poll
 * (batching) every event's waiters are collected and readied together at
 * the end, so the scheduler sees one batch per poll; elsewhere each caller
 * flushes before it returns.  Never held across a park. */
static _Thread_local rt_g *batch[128];
static _Thread_local int nbatch, batching;

static void batch_flush(void)
{
    int n = nbatch;
    if (n) {
        nbatch = 0;
        atomic_fetch_sub_explicit(&n_waiting, n, memory_order_relaxed);
        sched->ready_batch(batch, n);
    }
}

/* Queue every waiter on a private woken list for readying; see the header
 * comment.  Returns how many. */
static int ready_list(rt_pwait *w)
{
    int n = 0;
    while (w) {
        rt_pwait *next = w->woken; /* read before w's owner can run */
        if (nbatch == (int)(sizeof batch / sizeof batch[0]))
            batch_flush();
        batch[nbatch++] = w->g;
        w = next;
        n++;
    }
    if (!batching)
        batch_flush();
    return n;
}

/* ---- waiter lists (descriptor lock held) ----------------------------- */

static void link_waiter(rt_pd *pd, rt_pwait *w)
{
    for (int d = 0; d < 2; d++) {
        if (!(w->modes & (1 << d)))
            continue;
        w->prev[d] = NULL;
        w->next[d] = pd->w[d];
        if (pd->w[d])
            pd->w[d]->prev[d] = w;
        pd->w[d] = w;
    }
    w->linked = 1;
}

static void unlink_waiter(rt_pd *pd, rt_pwait *w)
{
    for (int d = 0; d < 2; d++) {
        if (!(w->modes & (1 << d)))
            continue;
        if (w->prev[d])
            w->prev[d]->next[d] = w->next[d];
        else
            pd->w[d] = w->next[d];
        if (w->next[d])
            w->next[d]->prev[d] = w->prev[d];
    }
    w->linked = 0;
}

static int armed_modes(rt_pd *pd)
{
    return (pd->w[0] ? GOC_READ : 0) | (pd->w[1] ? GOC_WRITE : 0);
}

/* Unlink every waiter of the directions in modes, give each the result err
 * and push it on *woken. */
static void take_waiters(rt_pd *pd, int modes, int err, rt_pwait **woken)
{
    for (int d = 0; d < 2; d++) {
        if (!(modes & (1 << d)))
            continue;
        rt_pwait *w;
        while ((w = pd->w[d]) != NULL) {
            unlink_waiter(pd, w);
            w->err = err;
            w->woken = *woken;
            *woken = w;
        }
    }
}

/* ---- I/O deadlines: a binary min-heap under dl_lock ------------------ */

static rt_pwait **dl_heap; /* with dl_lock and dl_n (above) */
static int dl_cap; /* dl_n: written atomically, see dl_empty */

static void dl_set(int i, rt_pwait *w)
{
    dl_heap[i] = w;
    w->hidx = i;
}

static void dl_up(int i)
{
    rt_pwait *w = dl_heap[i];
    while (i > 0 && dl_heap[(i - 1) / 2]->when > w->when) {
        dl_set(i, dl_heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    dl_set(i, w);
}

static void dl_down(int i)
{
    rt_pwait *w = dl_heap[i];
    for (;;) {
        int c = 2 * i + 1;
        if (c >= dl_n)
            break;
        if (c + 1 < dl_n && dl_heap[c + 1]->when < dl_heap[c]->when)
            c++;
        if (dl_heap[c]->when >= w->when)
            break;
        dl_set(i, dl_heap[c]);
        i = c;
    }
    dl_set(i, w);
}

static void dl_delete(rt_pwait *w)
{
    int i = w->hidx;
    rt_pwait *last = dl_heap[dl_n - 1];
    __atomic_store_n(&dl_n, dl_n - 1, __ATOMIC_RELAXED);
    w->hidx = -1;
    if (last == w)
        return;
    dl_set(i, last);
    dl_up(i);
    dl_down(last->hidx);
}

static int dl_insert(rt_pwait *w)
{
    rt_lock(&dl_lock);
    if (dl_n == dl_cap) {
        int cap = dl_cap ? 2 * dl_cap : 64;
        rt_pwait **h = realloc(dl_heap, (size_t)cap * sizeof *h);
        if (!h) {
            rt_unlock(&dl_lock);
            rt_errno = ENOMEM;
            return -1;
        }
        dl_heap = h;
        dl_cap = cap;
    }
    dl_set(dl_n, w);
    __atomic_store_n(&dl_n, dl_n + 1, __ATOMIC_RELAXED);
    dl_up(dl_n - 1);
    int first = w->hidx == 0;
    rt_unlock(&dl_lock);
    if (first) /* a blocked poller may sleep past this deadline */
        rt_poll_wakeup();
    return 0;
}

static void dl_remove(rt_pwait *w)
{
    rt_lock(&dl_lock);
    if (w->hidx >= 0)
        dl_delete(w);
    rt_unlock(&dl_lock);
}

/* dl_n may be read without the lock as a hint: a deadline inserted
 * concurrently wakes the poller itself (dl_insert). */
static int dl_empty(void)
{
    return __atomic_load_n(&dl_n, __ATOMIC_RELAXED) == 0;
}

static int64_t dl_next(void)
{
    if (dl_empty())
        return -1;
    rt_lock(&dl_lock);
    int64_t when = dl_n ? dl_heap[0]->when : -1;
    rt_unlock(&dl_lock);
    return when;
}

/* Time out every waiter whose deadline is <= now; returns how many were
 * readied. */
static int dl_expire(int64_t now)
{
    if (dl_empty())
        return 0;
    rt_pwait *woken = NULL;
    rt_lock(&dl_lock);
    while (dl_n && dl_heap[0]->when <= now) {
        rt_pwait *w = dl_heap[0];
        dl_delete(w);
        rt_pd *pd = w->pd;
        rt_lock(&pd->lock);
        if (w->linked) {
            unlink_waiter(pd, w);
            if (!rt_pollb_edge)
                rt_pollb_arm(w->fd, pd->seq, armed_modes(pd));
            w->err = ETIMEDOUT;
            w->woken = woken;
            woken = w;
        } else {
            w->expired = 1; /* not parked yet: it will see this */
        }
        rt_unlock(&pd->lock);
    }
    rt_unlock(&dl_lock);
    return ready_list(woken);
}

/* ---- the scheduler's hook -------------------------------------------- */

int rt_poll(int64_t timeout)
{
    rt_poll_init();
    batching = 1;
    int n = dl_empty() ? 0 : dl_expire(goc_now());
    if (n) {
        timeout = 0;
    } else {
        int64_t next = dl_next();
        if (next >= 0) {
            int64_t d = next - goc_now();
            if (d < 0)
                d = 0;
            if (timeout < 0 || d < timeout)
                timeout = d;
        }
    }
    /* Cleared before blocking, so a wake-up sent from now on is seen: the
     * backend wait returns at once for a write made before it started. */
    if (timeout != 0)
        atomic_store(&wake_pending, 0);
    n += rt_pollb_wait(timeout);
    /* The wait drained any wake-up written before it returned: a flag
     * left set would make rt_poll_wakeup skip the next one, which then
     * never reaches a poller that sleeps again (a worker taken off the
     * idle list by wakep slept on in epoll; main, pinned to it, hung). */
    atomic_store(&wake_pending, 0);
    if (!dl_empty())
        n += dl_expire(goc_now());
    batching = 0;
    batch_flush();
    return n;
}

int rt_poll_event(int fd, uint32_t seq, int modes)
{
    rt_pd *pd = pd_slot(fd, 0);
    if (!pd)
        return 0;
    rt_pwait *woken = NULL;
    rt_lock(&pd->lock);
    if (pd->seq == seq) { /* else: for an fd closed since */
        for (int d = 0; d < 2; d++)
            if ((modes & (1 << d)) && !pd->w[d])
                pd->ready[d] = 1;
        take_waiters(pd, modes, 0, &woken);
        if (!rt_pollb_edge)
            rt_pollb_arm(fd, seq, armed_modes(pd));
    }
    rt_unlock(&pd->lock);
    return ready_list(woken);
}

/* ---- descriptors for io.c -------------------------------------------- */

/* First use of fd: make it non-blocking, except a non-socket fd 0-2 that
 * is blocking now (its file description is shared with the shell). */
static int fd_setup(rt_pd *pd, int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return -1;
    struct stat st;
    uint32_t kind = RT_PD_SETUP;
    if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode))
        kind |= RT_PD_SOCK;
#if defined(SO_NOSIGPIPE) && !defined(MSG_NOSIGNAL)
    int one = 1; /* macOS has no MSG_NOSIGNAL: no SIGPIPE per socket */
    if (kind & RT_PD_SOCK)
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
    if (!(fl & O_NONBLOCK)) {
        if (fd <= 2 && !(kind & RT_PD_SOCK))
            kind |= RT_PD_BLOCKING;
        else if (fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
            return -1;
    }
    rt_lock(&pd->lock);
    __atomic_store_n(&pd->flags, pd->flags | kind, __ATOMIC_RELEASE);
    rt_unlock(&pd->lock);
    return 0;
}

rt_pd *rt_fd_get(int fd)
{
    rt_pd *pd = pd_slot(fd, 1);
    if (!pd) {
        rt_errno = fd < 0 ? EBADF : ENOMEM;
        return NULL;
    }
    if (!(__atomic_load_n(&pd->flags, __ATOMIC_ACQUIRE) & RT_PD_SETUP) &&
        fd_setup(pd, fd) < 0)
        return NULL;
    return pd;
}

/* Bump the sequence number and wake every waiter with EBADF; returns
 * whether fd was registered with an edge-triggered backend. */
static int fd_reset(int fd, uint32_t flags)
{
    rt_pd *pd = pd_slot(fd, flags != 0);
    if (!pd)
        return 0;
    rt_pwait *woken = NULL;
    rt_lock(&pd->lock);
    int registered = pd->flags & RT_PD_REGISTERED;
    __atomic_store_n(&pd->seq, pd->seq + 1, __ATOMIC_RELEASE);
    __atomic_store_n(&pd->flags, flags, __ATOMIC_RELEASE);
    pd->ready[0] = pd->ready[1] = 0;
    int armed = armed_modes(pd);
    take_waiters(pd, GOC_READ | GOC_WRITE, EBADF, &woken);
    if (!rt_pollb_edge && armed)
        rt_pollb_arm(fd, pd->seq, 0);
    rt_unlock(&pd->lock);
    ready_list(woken);
    return registered;
}

void rt_fd_fresh(int fd, uint32_t flags)
{
    fd_reset(fd, flags | RT_PD_SETUP);
}

void rt_fd_forget(int fd)
{
    if (fd_reset(fd, 0))
        rt_pollb_del(fd);
}

/* Register fd under seq with an edge-triggered backend, once per seq. */
static int fd_register(rt_pd *pd, int fd, uint32_t seq)
{
    if (rt_pollb_add(fd, seq) < 0)
        return -1;
    rt_lock(&pd->lock);
    if (pd->seq == seq)
        __atomic_store_n(&pd->flags, pd->flags | RT_PD_REGISTERED,
                         __ATOMIC_RELEASE);
    rt_unlock(&pd->lock);
    return 0;
}

/* Not in a coroutine (a plain thread calling the runtime): block it. */
static int wait_thread(int fd, int modes, int64_t deadline)
{
    struct pollfd p = {.fd = fd,
                       .events = (short)(((modes & GOC_READ) ? POLLIN : 0) |
                                         ((modes & GOC_WRITE) ? POLLOUT : 0))};
    for (;;) {
        int ms = -1;
        if (deadline >= 0) {
            int64_t left = deadline - goc_now();
            if (left <= 0) {
                rt_errno = ETIMEDOUT;
                return -1;
            }
            ms = (int)((left + GOC_MILLISECOND - 1) / GOC_MILLISECOND);
        }
        int r = poll(&p, 1, ms);
        if (r > 0)
            return (p.revents & POLLNVAL) ? (rt_errno = EBADF, -1) : 0;
        if (r < 0 && rt_errno != EINTR)
            return -1;
    }
}

/* Consume a latched edge, or park; returns the waiter's result (an errno). */
static int park_on(rt_pd *pd, rt_pwait *w, uint32_t seq, const goc_loc *loc)
{
    rt_lock(&pd->lock);
    int err = -1;
    if (pd->seq != seq)
        err = EBADF;
    else if (w->expired)
        err = ETIMEDOUT;
    for (int d = 0; d < 2 && err < 0; d++)
        if ((w->modes & (1 << d)) && pd->ready[d]) {
            pd->ready[d] = 0;
            err = 0;
        }
    if (err >= 0) {
        rt_unlock(&pd->lock);
        return err;
    }
    link_waiter(pd, w);
    if (!rt_pollb_edge)
        rt_pollb_arm(w->fd, seq, armed_modes(pd));
    atomic_fetch_add_explicit(&n_waiting, 1, memory_order_relaxed);
    sched->park(rt_unlock_cb, &pd->lock, RT_WAIT_IO, loc);
    return w->err;
}

int rt_fd_wait(rt_pd *pd, int fd, int modes, int64_t deadline,
               const goc_loc *loc)
{
    rt_poll_init();
    rt_g *g = sched ? sched->current() : NULL;
    if (!g)
        return wait_thread(fd, modes, deadline);
    uint32_t seq = __atomic_load_n(&pd->seq, __ATOMIC_ACQUIRE);
    if (rt_pollb_edge &&
        !(__atomic_load_n(&pd->flags, __ATOMIC_ACQUIRE) & RT_PD_REGISTERED) &&
        fd_register(pd, fd, seq) < 0)
        return -1;
    rt_pwait w = {.g = g, .pd = pd, .fd = fd, .when = deadline, .hidx = -1,
                  .modes = modes & (GOC_READ | GOC_WRITE)};
    if (deadline >= 0) {
        if (goc_now() >= deadline) {
            rt_errno = ETIMEDOUT;
            return -1;
        }
        if (dl_insert(&w) < 0)
            return -1;
    }
    int err = park_on(pd, &w, seq, loc);
    if (deadline >= 0)
        dl_remove(&w);
    if (err) {
        rt_errno = err;
        return -1;
    }
    return 0;
}
