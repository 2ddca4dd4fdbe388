/*
 * stack.c - coroutine stacks: pooled, reused, overflow-checked.
 *
 * A stack slot is GOC_STACK_SIZE bytes (default 64 KiB) of address space.
 * The coroutine record (rt_g) sits at its top, under an 8-byte canary, and
 * the stack grows down from there.  Slots are carved from slabs of
 * SLAB_SLOTS, one mmap each, reserved without swap accounting and touched
 * lazily: a coroutine that never goes deep costs one or two pages of RSS.
 *
 * Overflow protection comes in two grades, because every guard page splits
 * a mapping and Linux caps a process at vm.max_map_count mappings (65530 by
 * default):
 *  - guarded slabs: the lowest page of each slot is PROT_NONE.  Running into
 *    it faults, and the SIGSEGV handler, on a per-worker alternate signal
 *    stack, reports the overflow.  Used for the first max_map_count / 4
 *    slots (16382 by default), which split into twice as many mappings:
 *    half of the process's budget.  Canary slabs cost at most one mapping
 *    per 64 slots (16k for a million), and the rest is left to the program.
 *  - canary slabs, once the budget is spent: slots are contiguous, so the
 *    word just below a stack is the canary at the top of the slot beneath
 *    (slot 0 of a slab has a canary page of its own).  Every switch away
 *    from a coroutine checks that word and the saved stack pointer.  This
 *    catches an overflow that wrote downwards through the canary or is
 *    still inside it at the switch, not one that skipped the word and
 *    returned before the next switch.
 *
 * Free slots go to the running worker's cache (LIFO, so a hot stack is
 * reused while still in cache) and spill by halves to a global pool guarded
 * by pool_lock.  Memory is never returned to the system.
 */
#include "ctx.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if RT_VALGRIND
#include <valgrind/valgrind.h>
#endif
#if RT_ASAN
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#endif

#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif
#ifndef MAP_STACK
#define MAP_STACK 0
#endif

#define SLAB_SLOTS 64
#define REC_SIZE ((sizeof(rt_g) + 8 + 63) & ~(size_t)63)

typedef struct slab {
    char *base;        /* canary page, then the slots */
    struct slab *next; /* registry, newest first */
    int guarded;
    _Atomic int used;  /* slots initialised so far (carved in order) */
} slab;

static size_t page_size;
static size_t slot_size = 64 * 1024;
static _Atomic(slab *) slabs; /* every slab ever made */
static slab *fresh;            /* slab being carved; under pool_lock */
static uint32_t pool_lock;
static rt_g *pool;             /* free slots; under pool_lock */
static long guard_budget;      /* guarded slots still allowed */

static long read_map_count(void)
{
    long n = 65530;
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    if (f) {
        if (fscanf(f, "%ld", &n) != 1)
            n = 65530;
        fclose(f);
    }
    return n;
}

void rt_stack_init(void)
{
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    slot_size = rt_env_size("GOC_STACK_SIZE", slot_size, (size_t)16 << 10,
                            (size_t)1 << 30);
    slot_size = (slot_size + page_size - 1) & ~(page_size - 1);
    guard_budget = read_map_count() / 4;
    if (rt_debug_setting("stackguard", 1) == 0)
        guard_budget = 0;
}

size_t rt_stack_size(void) { return slot_size; }

static slab *slab_new(void)
{
    int guarded = guard_budget >= SLAB_SLOTS;
    size_t len = page_size + (size_t)SLAB_SLOTS * slot_size;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
                   -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    slab *s = calloc(1, sizeof *s);
    if (!s) {
        munmap(p, len);
        return NULL;
    }
    s->base = p;
    s->guarded = guarded;
    ((uint64_t *)(p + page_size))[-1] = RT_STACK_CANARY;
    if (guarded) {
        guard_budget -= SLAB_SLOTS;
        for (int i = 0; i < SLAB_SLOTS; i++)
            mprotect(p + page_size + (size_t)i * slot_size, page_size,
                     PROT_NONE);
    }
    s->next = atomic_load_explicit(&slabs, memory_order_relaxed);
    atomic_store_explicit(&slabs, s, memory_order_release);
    return s;
}

static rt_g *slot_record(const slab *s, int i)
{
    char *top = s->base + page_size + (size_t)(i + 1) * slot_size;
    return (rt_g *)(top - REC_SIZE);
}

/* Carve the next fresh slot; pool_lock held. */
static rt_g *slot_carve(void)
{
    if (!fresh || atomic_load_explicit(&fresh->used, memory_order_relaxed) ==
                      SLAB_SLOTS)
        fresh = slab_new();
    if (!fresh)
        return NULL;
    int i = atomic_load_explicit(&fresh->used, memory_order_relaxed);
    rt_g *g = slot_record(fresh, i);
    char *slot = fresh->base + page_size + (size_t)i * slot_size;
    ((uint64_t *)(slot + slot_size))[-1] = RT_STACK_CANARY;
    g->guarded = fresh->guarded;
    g->stack_lo = slot + (g->guarded ? page_size : 0);
    g->stack_size = (size_t)((char *)g - g->stack_lo);
#if RT_VALGRIND
    g->vg_id = VALGRIND_STACK_REGISTER(g->stack_lo, (char *)g);
#endif
    atomic_store_explicit(&fresh->used, i + 1, memory_order_release);
    return g;
}

static void cache_refill(rt_stack_cache *c)
{
    rt_lock(&pool_lock);
    while (c->n < RT_STACK_CACHE / 2) {
        rt_g *g = pool;
        if (g)
            pool = g->link;
        else if (!(g = slot_carve()))
            break;
        g->link = c->head;
        c->head = g;
        c->n++;
    }
    rt_unlock(&pool_lock);
}

rt_g *rt_stack_get(rt_stack_cache *c)
{
    if (!c->head)
        cache_refill(c);
    rt_g *g = c->head;
    if (!g) {
        static const char msg[] =
            "fatal error: out of memory allocating a coroutine stack\n";
        (void)!write(2, msg, sizeof msg - 1);
        _exit(2);
    }
    c->head = g->link;
    c->n--;
#if RT_ASAN
    __asan_unpoison_memory_region(g->stack_lo, g->stack_size);
#endif
    return g;
}

void rt_stack_put(rt_stack_cache *c, rt_g *g)
{
    atomic_store_explicit(&g->state, RT_G_FREE, memory_order_relaxed);
    g->link = c->head;
    c->head = g;
    if (++c->n <= RT_STACK_CACHE)
        return;
    rt_g *first = c->head, *last = first;
    for (int i = 1; i < RT_STACK_CACHE / 2; i++)
        last = last->link;
    c->head = last->link;
    c->n -= RT_STACK_CACHE / 2;
    rt_lock(&pool_lock);
    last->link = pool;
    pool = first;
    rt_unlock(&pool_lock);
}

void rt_stack_foreach(void (*fn)(rt_g *, void *), void *arg)
{
    for (slab *s = atomic_load_explicit(&slabs, memory_order_acquire); s;
         s = s->next) {
        int n = atomic_load_explicit(&s->used, memory_order_acquire);
        for (int i = 0; i < n; i++)
            fn(slot_record(s, i), arg);
    }
}

GOC_NORETURN void rt_stack_overflow(rt_g *g)
{
    rt_fatal_begin();
    rt_buf b = {.n = 0};
    rt_buf_str(&b, "fatal error: coroutine stack overflow (stack size ");
    rt_buf_u64(&b, slot_size);
    rt_buf_str(&b, " bytes, set by GOC_STACK_SIZE)\n\ncoroutine ");
    rt_buf_u64(&b, g ? g->id : 0);
    rt_buf_str(&b, " [running], created at ");
    rt_buf_loc(&b, g ? &g->go_loc : NULL);
    rt_buf_str(&b, "\n");
    rt_buf_flush(&b);
    _exit(2);
}

/* ---- the overflow signal handler ---------------------------------------- */

static struct sigaction old_segv, old_bus;

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    rt_g *g = rt_current();
    char *a = (char *)si->si_addr;
    /* A fault in the guard page, or (a frame larger than it, or a stack
     * without one) in the 64 KiB below the running coroutine's stack. */
    if (g && a < g->stack_lo && a >= g->stack_lo - 64 * 1024)
        rt_stack_overflow(g);
    /* Not ours: put the previous disposition back and let the faulting
     * instruction run again under it. */
    sigaction(sig, sig == SIGSEGV ? &old_segv : &old_bus, NULL);
}

static void handler_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = segv_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old_segv);
    sigaction(SIGBUS, &sa, &old_bus);
}

/* Called on each worker thread before it runs coroutines. */
void rt_stack_thread_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    size_t sz = 64 * 1024;
    void *p = mmap(NULL, sz, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
        stack_t ss = {.ss_sp = p, .ss_size = sz, .ss_flags = 0};
        sigaltstack(&ss, NULL);
    }
    pthread_once(&once, handler_install);
}
