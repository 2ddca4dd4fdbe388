/*
 * preempt.c - the other half of goc's preemption checks: the requests
 * that sysmon makes and the slow path of GOC_PREEMPT_POLL() (preempt.h
 * describes the protocol; docs/runtime.md, "Preemption", the design).
 *
 * Only .goc code is checked.  A coroutine in plain C is never switched
 * asynchronously: C code may hold a lock that libc ties to its thread,
 * keep errno or a thread-local address in a register, or be a signal
 * handler, and it may resume on another worker.  The checks themselves
 * are placed where a call could be (function entries, loop iterations),
 * so a yield there is what goc_yield() would be: only the time of the
 * switch is new, never what the program means.
 *
 * The one exception is pure .goc code (goc.h, GOC_ASYNC_FN): functions
 * that call nothing outside their pure kind hold no lock and no
 * thread-local address, so stopping one at any instruction is, for its
 * callers, a call of goc_yield() at that point.  Their recursion has no
 * entry checks; SIGURG stops it (urg_handler), from inside the signal
 * handler, and the coroutine resumes there, perhaps on another thread,
 * and returns from the handler into the interrupted code.
 */
#define _GNU_SOURCE
#include "preempt.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#if RT_VALGRIND
#include <valgrind/valgrind.h>
#endif

int goc_preempt_pending;
rt_pslot *rt_pslots;

/* The worker this thread is (-1: none) and its normal signal mask. */
static __thread int tls_index = -1;
static __thread sigset_t tls_mask;

/* sysmon's view of each worker (sysmon only). */
static struct mon {
    uint32_t run;
    int64_t since; /* when `run` began, at the latest */
    int64_t asked; /* when the request was made */
    int64_t cpu;   /* the worker thread's CPU time then (-1: unknown) */
    int tries;     /* SIGURGs sent for the asynchronous request */
} *mon;
/* Each worker thread's CPU-time clock, + 1 (0: not known yet). */
static _Atomic int *clocks;
static int nmon;
static int64_t last_round; /* when sysmon last looked */
static void (*sched_yield_fn)(void); /* the scheduler's preempt_yield */

static void after_fork_child(void)
{
    /* sysmon is gone with its thread; so are the requests it made. */
    __atomic_store_n(&goc_preempt_pending, 0, __ATOMIC_RELAXED);
    for (int i = 0; i < nmon; i++) {
        atomic_store_explicit(&rt_pslots[i].want, 0, memory_order_relaxed);
        atomic_store_explicit(&rt_pslots[i].async, 0, memory_order_relaxed);
    }
}

/* ---- asynchronous preemption of pure code ---------------------------- */

/* Is `cur` this worker's normal mask?  (The kernel's 64 signals only: a
 * signal frame holds no more.) */
static int mask_normal(const sigset_t *cur)
{
    for (int s = 1; s < 65; s++)
        if (sigismember(cur, s) != sigismember(&tls_mask, s))
            return 0;
    return 1;
}

/* The goc_async_text sections of the program and of its shared objects,
 * each made known by a constructor of the units that have one. */
enum { MAX_RANGES = 64 };
static struct range {
    _Atomic uintptr_t lo, hi;
} ranges[MAX_RANGES];
static _Atomic int nranges;
static uint32_t ranges_lock;
static _Atomic(pid_t) *tids;  /* each worker's thread, for tgkill */
static int async_ok;          /* the SIGURG handler is installed */
static struct sigaction old_urg;

void goc_async_register(const void *lo, const void *hi)
{
    uintptr_t l = (uintptr_t)lo, h = (uintptr_t)hi;
    if (!l || h <= l)
        return;
    rt_lock(&ranges_lock);
    int n = atomic_load(&nranges), dup = 0;
    for (int i = 0; i < n; i++)
        dup |= atomic_load(&ranges[i].lo) == l;
    if (!dup && n < MAX_RANGES) {
        atomic_store(&ranges[n].lo, l);
        atomic_store(&ranges[n].hi, h);
        atomic_store(&nranges, n + 1);
    }
    rt_unlock(&ranges_lock);
}

static int in_async_text(uintptr_t pc)
{
    int n = atomic_load_explicit(&nranges, memory_order_acquire);
    for (int i = 0; i < n; i++)
        if (pc >= atomic_load_explicit(&ranges[i].lo, memory_order_relaxed) &&
            pc < atomic_load_explicit(&ranges[i].hi, memory_order_relaxed))
            return 1;
    return 0;
}

static uintptr_t context_pc(const ucontext_t *uc)
{
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#else
    (void)uc;
    return 0;
#endif
}

static void chain_urg(int sig, siginfo_t *si, void *uc)
{
    if (old_urg.sa_flags & SA_SIGINFO) {
        if (old_urg.sa_sigaction)
            old_urg.sa_sigaction(sig, si, uc);
    } else if (old_urg.sa_handler != SIG_DFL && old_urg.sa_handler != SIG_IGN) {
        old_urg.sa_handler(sig);
    }
}

/* sysmon's SIGURG: yield if the thread was stopped in pure .goc code while
 * running the run that sysmon wants to end, with its normal signal mask
 * (not inside a signal handler of the program's).  The handler runs on the
 * coroutine's stack and yields from there; resumed, perhaps on another
 * worker, it returns into the interrupted code. */
static void urg_handler(int sig, siginfo_t *si, void *ucv)
{
    int saved = errno;
    ucontext_t *uc = ucv;
    if (si->si_code != SI_TKILL || si->si_pid != getpid()) {
        chain_urg(sig, si, ucv); /* not sysmon's: the program's own */
        errno = saved;
        return;
    }
    int i = tls_index;
    rt_pslot *p = i >= 0 ? &rt_pslots[i] : NULL;
    uint32_t run = p ? atomic_load_explicit(&p->async, memory_order_relaxed) : 0;
    if (!run || run != atomic_load_explicit(&p->run, memory_order_relaxed) ||
        !in_async_text(context_pc(uc)) ||
        !mask_normal(&uc->uc_sigmask) ||
        !atomic_compare_exchange_strong(&p->async, &run, 0)) {
        errno = saved;
        return;
    }
    sched_yield_fn();
    /* sigreturn restores the alternate signal stack saved in the frame:
     * after a move to another thread, that would be the old thread's. */
    stack_t ss;
    if (sigaltstack(NULL, &ss) == 0)
        uc->uc_stack = ss;
    errno = saved;
}

static void async_init(void)
{
#if RT_TSAN
    (void)urg_handler; /* TSan holds signals back until a call it intercepts */
#else
#if RT_VALGRIND
    if (RUNNING_ON_VALGRIND)
        return;
#endif
    if (rt_debug_setting("asyncpreempt", 1) == 0)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = urg_handler;
    /* SA_NODEFER: the handler may run other coroutines before it returns */
    sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGURG, &sa, &old_urg) == 0)
        async_ok = 1;
#endif
}

/* Ask worker i's thread to stop pure code. */
static void async_signal(int i)
{
    pid_t tid = atomic_load_explicit(&tids[i], memory_order_relaxed);
    if (tid > 0)
        syscall(SYS_tgkill, (long)getpid(), (long)tid, (long)SIGURG);
}

void rt_preempt_init(int nprocs, void (*yield)(void))
{
    sched_yield_fn = yield;
    rt_pslots = aligned_alloc(64, (size_t)nprocs * sizeof *rt_pslots);
    mon = calloc((size_t)nprocs, sizeof *mon);
    clocks = calloc((size_t)nprocs, sizeof *clocks);
    tids = calloc((size_t)nprocs, sizeof *tids);
    rt_assert(rt_pslots && mon && clocks && tids);
    memset(rt_pslots, 0, (size_t)nprocs * sizeof *rt_pslots);
    nmon = nprocs;
    pthread_atfork(NULL, NULL, after_fork_child);
    async_init();
}

void rt_preempt_thread_init(int index)
{
    pthread_sigmask(SIG_SETMASK, NULL, &tls_mask);
    clockid_t c;
    if (pthread_getcpuclockid(pthread_self(), &c) == 0)
        atomic_store(&clocks[index], (int)c + 1);
    atomic_store(&tids[index], (pid_t)syscall(SYS_gettid));
    tls_index = index;
}

/* Withdraw request `want` from p; 1 if this call did. */
static int take(rt_pslot *p, uint32_t want)
{
    if (!atomic_compare_exchange_strong(&p->want, &want, 0))
        return 0;
    __atomic_fetch_sub(&goc_preempt_pending, 1, __ATOMIC_SEQ_CST);
    return 1;
}

/* CPU time used by worker i's thread, -1 when unknown. */
static int64_t thread_cpu(int i)
{
    int c = atomic_load_explicit(&clocks[i], memory_order_relaxed);
    struct timespec ts;
    if (!c || clock_gettime((clockid_t)(c - 1), &ts) != 0)
        return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Has worker i had time to honour the request in m?  It has when its
 * thread used RT_RETRACT_NS of CPU since (a coroutine that does so without
 * reaching a check is in plain C); wall time alone says little on a
 * loaded machine, where a thread may wait tens of milliseconds for a CPU. */
static int ignored(int i, const struct mon *m, int64_t now)
{
    int64_t cpu = m->cpu >= 0 ? thread_cpu(i) : -1;
    if (cpu >= 0)
        return cpu - m->cpu >= RT_RETRACT_NS;
    return now - m->asked >= RT_SLICE_NS;
}

int rt_preempt_monitor(int64_t now)
{
    int asked = 0;
    /* A run first seen now began after the previous round: count from
     * there, so that a late round (a loaded machine) does not add its
     * delay to the slice. */
    int64_t began = last_round ? last_round : now;
    last_round = now;
    for (int i = 0; i < nmon; i++) {
        rt_pslot *p = &rt_pslots[i];
        struct mon *m = &mon[i];
        uint32_t run = atomic_load_explicit(&p->run, memory_order_relaxed);
        if (run != m->run) {
            m->run = run;
            m->since = began;
        }
        uint32_t async = atomic_load_explicit(&p->async, memory_order_relaxed);
        if (async) {
            /* a request turned asynchronous: signal again, a few times */
            if (async != run || m->tries >= RT_ASYNC_TRIES)
                atomic_compare_exchange_strong(&p->async, &async, 0);
            else {
                m->tries++;
                async_signal(i);
                asked++;
            }
            continue;
        }
        uint32_t want = atomic_load_explicit(&p->want, memory_order_relaxed);
        if (want) {
            if (want != run || ignored(i, m, now)) {
                asked -= take(p, want);
                /* not in checked code: perhaps in pure code (goc.h) */
                if (want == run && async_ok &&
                    atomic_load_explicit(&nranges, memory_order_relaxed)) {
                    atomic_store_explicit(&p->async, run, memory_order_relaxed);
                    m->tries = 1;
                    async_signal(i);
                    asked++; /* still under way: sysmon leaves timers to it */
                }
            }
            asked++;
            continue;
        }
        if (run && now - m->since >= RT_SLICE_NS) {
            atomic_store_explicit(&p->want, run, memory_order_relaxed);
            __atomic_fetch_add(&goc_preempt_pending, 1, __ATOMIC_SEQ_CST);
            m->asked = m->since = now;
            m->cpu = thread_cpu(i);
            asked++;
        }
    }
    return asked;
}

/* The thread runs with its worker's normal signal mask: not inside a
 * signal handler (which blocks at least its own signal), nor in code that
 * blocked signals on purpose. */
static int normal_mask(void)
{
    sigset_t cur;
    return pthread_sigmask(SIG_SETMASK, NULL, &cur) == 0 && mask_normal(&cur);
}

void goc_preempt_check(void)
{
    int i = tls_index;
    if (i < 0)
        return; /* a plain thread, a constructor, sysmon */
    rt_pslot *p = &rt_pslots[i];
    uint32_t want = atomic_load_explicit(&p->want, memory_order_relaxed);
    if (!want)
        return; /* another worker's request */
    if (want != atomic_load_explicit(&p->run, memory_order_relaxed)) {
        take(p, want); /* its run has ended */
        return;
    }
    if (!normal_mask() || !take(p, want))
        return;
    sched_yield_fn();
}
