/*
 * lock.c - the runtime's low-level lock, futex wrapper, per-thread random
 * numbers, rt_throw and the start of its own threads (rt_thread_start).
 *
 * The lock word (rt_lock): 0 unlocked, 1 locked, 2 locked and a thread may
 * be asleep on it (Drepper, "Futexes Are Tricky", mutex #2).  Critical
 * sections are a few dozen instructions, so a contended locker spins a
 * little before sleeping; sleeping matters on an oversubscribed machine,
 * where the holder may have been descheduled.  The spin backs off
 * exponentially between probes: a waiter that reads the word after every
 * pause pulls its cache line away from the holder, which then pays a
 * cross-core transfer on every acquisition; backing off lets a worker
 * take a hot channel's lock many times in a row (MPMC over one channel on
 * two cores went from ~70 to ~25 ns an item).  Unlock is one exchange and
 * makes a system call only when the word says somebody sleeps.
 */
#include "ctx.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#else
#include <pthread.h>
#endif

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield" ::: "memory");
#else
    __asm__ volatile("" ::: "memory");
#endif
}

void rt_cpu_relax(void) { cpu_relax(); }

#ifdef __linux__
void rt_futex_wait(_Atomic uint32_t *addr, uint32_t val, int64_t timeout_ns)
{
    struct timespec ts, *tp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = timeout_ns / 1000000000;
        ts.tv_nsec = timeout_ns % 1000000000;
        tp = &ts;
    }
    syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAIT_PRIVATE, val, tp, NULL, 0);
}

void rt_futex_wake(_Atomic uint32_t *addr, int n)
{
    syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}
#else
/* Without futexes: a small table of condition variables hashed by address.
 * Waiters re-check the word under the bucket's mutex, so no wake is lost. */
static struct {
    pthread_mutex_t m;
    pthread_cond_t c;
} buckets[64];
static pthread_once_t buckets_once = PTHREAD_ONCE_INIT;

static void buckets_init(void)
{
    for (int i = 0; i < 64; i++) {
        pthread_mutex_init(&buckets[i].m, NULL);
        pthread_cond_init(&buckets[i].c, NULL);
    }
}

static int bucket_of(const void *a) { return (int)(((uintptr_t)a >> 4) & 63); }

void rt_futex_wait(_Atomic uint32_t *addr, uint32_t val, int64_t timeout_ns)
{
    pthread_once(&buckets_once, buckets_init);
    int b = bucket_of(addr);
    pthread_mutex_lock(&buckets[b].m);
    if (atomic_load(addr) == val) {
        if (timeout_ns < 0) {
            pthread_cond_wait(&buckets[b].c, &buckets[b].m);
        } else {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            int64_t t = ts.tv_nsec + timeout_ns;
            ts.tv_sec += t / 1000000000;
            ts.tv_nsec = t % 1000000000;
            pthread_cond_timedwait(&buckets[b].c, &buckets[b].m, &ts);
        }
    }
    pthread_mutex_unlock(&buckets[b].m);
}

void rt_futex_wake(_Atomic uint32_t *addr, int n)
{
    pthread_once(&buckets_once, buckets_init);
    int b = bucket_of(addr);
    pthread_mutex_lock(&buckets[b].m);
    pthread_cond_broadcast(&buckets[b].c);
    pthread_mutex_unlock(&buckets[b].m);
    (void)n;
}
#endif

void rt_lock(uint32_t *l)
{
    _Atomic uint32_t *a = (_Atomic uint32_t *)l;
    uint32_t c = 0;
    if (atomic_compare_exchange_strong_explicit(a, &c, 1, memory_order_acquire,
                                                memory_order_relaxed))
        return;
    for (int i = 0, pauses = 1; i < 40; i++) {
        for (int k = 0; k < pauses; k++)
            cpu_relax();
        if (pauses < 32)
            pauses *= 2;
        c = atomic_load_explicit(a, memory_order_relaxed);
        if (c == 0 &&
            atomic_compare_exchange_weak_explicit(a, &c, 1, memory_order_acquire,
                                                  memory_order_relaxed))
            return;
    }
    if (c != 2)
        c = atomic_exchange_explicit(a, 2, memory_order_acquire);
    while (c != 0) {
        rt_futex_wait(a, 2, -1);
        c = atomic_exchange_explicit(a, 2, memory_order_acquire);
    }
}

int rt_trylock(uint32_t *l)
{
    uint32_t c = 0;
    return atomic_compare_exchange_strong_explicit(
        (_Atomic uint32_t *)l, &c, 1, memory_order_acquire,
        memory_order_relaxed);
}

void rt_unlock(uint32_t *l)
{
    _Atomic uint32_t *a = (_Atomic uint32_t *)l;
    if (atomic_exchange_explicit(a, 0, memory_order_release) == 2)
        rt_futex_wake(a, 1);
}

void rt_unlock_cb(void *l) { rt_unlock((uint32_t *)l); }

/* The channel lock's slow path (the protocol is in chan.h): back off
 * between probes like rt_lock, then yield the CPU, since the holder may
 * have been descheduled; it never sleeps, so unlocking never has to wake
 * anybody and can be a plain store. */
void rt_chan_lock_slow(uint32_t *l)
{
    _Atomic uint32_t *a = (_Atomic uint32_t *)l;
    for (int pauses = 1;;) {
        for (int k = 0; k < pauses; k++)
            cpu_relax();
        if (pauses < 32)
            pauses *= 2;
        else
            sched_yield();
        uint32_t c = 0;
        if (atomic_load_explicit(a, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_weak_explicit(a, &c, 1, memory_order_acquire,
                                                  memory_order_relaxed))
            return;
    }
}

void rt_chan_unlock_cb(void *l)
{
    __atomic_store_n((uint32_t *)l, 0, __ATOMIC_RELEASE);
}

/* xorshift64*, one state per thread (a coroutine that moves to another
 * worker simply continues that worker's sequence). */
static __thread uint64_t rand_state __attribute__((tls_model("initial-exec")));

uint32_t rt_rand(void)
{
    uint64_t x = rand_state;
    if (__builtin_expect(x == 0, 0)) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        x = (uint64_t)ts.tv_nsec ^ ((uint64_t)(uintptr_t)&rand_state << 16) ^
            0x2545f4914f6cdd1dull;
        if (x == 0)
            x = 1;
    }
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rand_state = x;
    return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}

void rt_throw(const char *file, int line, const char *what)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf,
                     "fatal error: runtime invariant broken: %s (%s:%d)\n",
                     what, file, line);
    if (n > 0)
        (void)!write(2, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
    abort();
}

/* Start a runtime thread (joinable when out is given, else detached).  It
 * blocks every asynchronous signal,
 * so that a signal sent to the process reaches the main thread (or a
 * thread of the program's own), exactly as in the same program without
 * goc; faults (the overflow handler) and abort stay deliverable. */
int rt_thread_start(void *(*fn)(void *), void *arg, pthread_t *out)
{
    static const int sync_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL,
                                       SIGTRAP, SIGSYS, SIGABRT};
    sigset_t block, old;
    sigfillset(&block);
    for (size_t i = 0; i < sizeof sync_signals / sizeof *sync_signals; i++)
        sigdelset(&block, sync_signals[i]);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    pthread_attr_t a;
    pthread_attr_init(&a);
    if (!out) /* joinable when the caller keeps its id (stop_threads) */
        pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    int err = pthread_create(&t, &a, fn, arg);
    pthread_attr_destroy(&a);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!err && out)
        *out = t;
    return err;
}
