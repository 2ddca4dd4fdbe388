/*
 * stack.c - coroutine stacks: pooled, reused, overflow-checked, returned
 * to the system when idle.
 *
 * A slot is a guard region followed by the stack proper, GOC_STACK_SIZE
 * bytes (default 512 KiB; a program may set its own default by defining
 * goc_stack_size).  The coroutine record (rt_g) sits at the top of the
 * stack, under an 8-byte canary, and the stack grows down from there.
 * Slots are carved from slabs of SLAB_SLOTS, one mmap each, reserved
 * without swap accounting and touched lazily: a coroutine that never goes
 * deep costs one page of RSS however large its stack.
 *
 * Overflow protection comes in three grades:
 *  - guard regions (Linux >= 6.13, MADV_GUARD_INSTALL): the lowest 64 KiB
 *    of every slot faults on access, without splitting the mapping, so
 *    every slot of every slab is guarded at no cost in vm.max_map_count.
 *  - guard pages, where the kernel lacks guard regions: the lowest page of
 *    each slot is PROT_NONE.  Each splits a mapping and Linux caps a
 *    process at vm.max_map_count mappings (65530 by default), so only the
 *    first max_map_count / 4 slots (16382 by default) get one: half the
 *    budget; the rest is left to the program.
 *  - canaries, beyond that budget (or with GOC_DEBUG=stackguard=0): slabs
 *    without guard room, so slots are contiguous and the word just below
 *    a stack is the canary at the top of the slot beneath
 *    (in a page that slot touches anyway; slot 0 of a slab has a canary
 *    page of its own), and every switch away from a coroutine checks that
 *    word and the saved stack pointer.
 * In every grade a fault whose stack pointer has left the running
 * coroutine's stack, or whose address lies in the guard below it, is
 * reported as an overflow by the SIGSEGV handler, which runs on a
 * per-thread alternate signal stack.  goc build compiles with
 * -fstack-clash-protection, so a large frame probes each page and cannot
 * jump over the guard.
 *
 * Free slots go to the running worker's cache (LIFO, so a hot stack is
 * reused while still in cache) and spill by halves to a global pool guarded
 * by pool_lock, as batches listed in the first slot's free stack (see
 * struct batch).  Fresh slots are carved under carve_lock, their guards
 * installed and top pages faulted in several at a time (slots_prepare),
 * and idle workers prepare whole slabs ahead of a burst of spawns
 * (rt_stack_prepare).  The monitor thread returns to the system, every
 * SCAVENGE_NS, the pool's slots beyond POOL_KEEP that no spawn took during
 * the whole period before (MADV_DONTNEED, record included, adjacent slots
 * in one call; in the canary grade all but the top page, which holds the
 * canary of the slot above) and keeps them, as bare addresses, on the
 * `cold` list until a spawn needs them (rt_stack_scavenge).  A program
 * that keeps spawning reuses its warm stacks without a fault; one that
 * bursts and goes quiet gets its memory back within two periods.
 *
 * Stacks are executable only when the program asks for an executable
 * stack (PT_GNU_STACK with PF_X, as gcc links code whose GNU nested
 * functions have their address taken: the trampoline runs on the stack of
 * the function that defines them), as glibc makes its thread stacks.
 */
#define _GNU_SOURCE /* REG_RSP */
#include "ctx.h"

#if defined(__ELF__)
#include <link.h>
#endif
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <ucontext.h>
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
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define SLAB_SLOTS 64
#define REC_SIZE ((sizeof(rt_g) + 8 + 63) & ~(size_t)63)
#define DEFAULT_STACK ((size_t)512 << 10)
#define REGION_GUARD ((size_t)64 << 10)
#define POOL_KEEP 128
#define CARVE_BATCH 8 /* fresh slots a refill carves */
#define PREP_STEP 16  /* slots an idle worker prepares between looks */
#define SPARE_MAX 4   /* prepared slabs kept at most (1 MiB of pages) */
#define SCAVENGE_NS ((int64_t)250 * 1000000)

/* A program's own default stack size (goc.h); GOC_STACK_SIZE overrides. */
#pragma weak goc_stack_size

enum { GRADE_CANARY, GRADE_PAGE, GRADE_REGION };

typedef struct slab {
    char *base;        /* a page, then the slots, lowest first */
    size_t stride;     /* slot_size, or stack_size without guards */
    struct slab *next; /* registry, newest first */
    int guarded;
    int lazy_guard;    /* guard regions: each slot's is installed by prep */
    struct slab *spare_next; /* on `ready` or `stale` */
    int prepared;      /* slots prepared (guard, record), lowest first */
    _Atomic int used;  /* slots handed out so far (carved in order) */
} slab;

static size_t page_size;
static size_t stack_size = DEFAULT_STACK; /* per slot, guard excluded */
static size_t guard_size;                 /* per slot, below the stack */
static size_t slot_size;                  /* guard + stack */
static int grade = GRADE_REGION;          /* for new slabs */
static _Atomic(slab *) slabs; /* every slab ever made */
static uint32_t carve_lock;    /* slab making and carving: */
static slab *fresh;            /* slab being carved; under carve_lock */
static slab *ready;            /* prepared slabs; under carve_lock */
static slab *stale;            /* once prepared, released; carve_lock */
static int took_slab;          /* a slab was taken this period; carve_lock */
static slab *building;         /* being prepared; owned by prep_busy */
static _Atomic int prep_busy;  /* an idle worker is preparing `building` */
static _Atomic int nready;     /* slabs on `ready` */
static _Atomic int prep_target; /* slabs idle workers keep ready */
static uint32_t pool_lock;
static rt_g *pool;             /* warm free slots; under pool_lock */
static _Atomic long pool_n;    /* slots in pool; read without the lock */
static long pool_min;          /* pool_n's low point this period; pool_lock */
static int64_t period_start;   /* of the scavenger's period; pool_lock */
static uintptr_t *cold;        /* released slots (| 1: guarded); pool_lock */
static size_t ncold, cold_cap;
static long guard_budget;      /* page-guarded slots still allowed */
static rt_g *adopted;          /* main's record under goc_main */
static unsigned epoch;         /* bumped in a forked child */

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

/* The stack size: GOC_STACK_SIZE, else the program's goc_stack_size,
 * else 512 KiB. */
static size_t size_setting(void)
{
    size_t dflt = DEFAULT_STACK;
    if (&goc_stack_size && goc_stack_size >= ((size_t)16 << 10) &&
        goc_stack_size <= ((size_t)1 << 30))
        dflt = goc_stack_size;
    return rt_env_size("GOC_STACK_SIZE", dflt, (size_t)16 << 10,
                       (size_t)1 << 30);
}

/* The running coroutine (sched.c's rt_current, given at init: stacks sit
 * below the scheduler). */
static rt_g *(*current)(void);

void rt_stack_init(rt_g *(*cur)(void))
{
    current = cur;
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    stack_size = (size_setting() + page_size - 1) & ~(page_size - 1);
    guard_budget = read_map_count() / 4;
    /* GOC_DEBUG=stackguard=0: canaries only; 1: guard pages (then
     * canaries); 2, the default: guard regions where the kernel has them */
    long want = rt_debug_setting("stackguard", 2);
    grade = want <= 0 ? GRADE_CANARY : want == 1 ? GRADE_PAGE : GRADE_REGION;
    if (grade == GRADE_CANARY)
        guard_budget = 0;
    /* The guard's room is reserved in every grade, so that all slots have
     * one size: 64 KiB when guard regions may be available, else a page. */
#ifdef __linux__
    guard_size = REGION_GUARD;
#else
    guard_size = page_size;
    if (grade == GRADE_REGION)
        grade = GRADE_PAGE;
#endif
    slot_size = guard_size + stack_size;
}

size_t rt_stack_size(void) { return stack_size; }

int rt_stack_grade(void) { return grade; }

/* Guard the lowest guard_size bytes of each slot of the slots at p (with
 * guard room, stride slot_size): returns the grade achieved.  Guard
 * regions are installed one slot at a time as slots are prepared
 * (slots_prepare): here only the first, to learn whether the kernel has
 * them. */
static int slab_guard(char *p)
{
    if (grade == GRADE_REGION) {
        if (madvise(p, guard_size, MADV_GUARD_INSTALL) == 0)
            return GRADE_REGION;
        grade = GRADE_PAGE; /* an older kernel: EINVAL */
    }
    if (grade == GRADE_PAGE && guard_budget >= SLAB_SLOTS) {
        guard_budget -= SLAB_SLOTS;
        for (int i = 0; i < SLAB_SLOTS; i++)
            mprotect(p + (size_t)(i + 1) * slot_size - stack_size - page_size,
                     page_size, PROT_NONE);
        return GRADE_PAGE;
    }
    return GRADE_CANARY;
}

#if defined(__ELF__)
static int phdr_exec_stack(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_GNU_STACK &&
            (info->dlpi_phdr[i].p_flags & PF_X)) {
            *(int *)data = PROT_EXEC;
            return 1;
        }
    return 0;
}
#endif

static int exec_prot;

static void exec_prot_init(void)
{
#if defined(__ELF__)
    dl_iterate_phdr(phdr_exec_stack, &exec_prot);
#endif
}

/* PROT_EXEC when a loaded object wants an executable stack (see top). */
static int stack_prot(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, exec_prot_init);
    return PROT_READ | PROT_WRITE | exec_prot;
}

static char *slab_map(size_t stride)
{
    size_t len = page_size + (size_t)SLAB_SLOTS * stride;
    char *p = mmap(NULL, len, stack_prot(),
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
                   -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* A slab: a page, then SLAB_SLOTS slots.  Guarded slots have guard room
 * below each stack (stride slot_size); canary slots are contiguous (stride
 * stack_size), their canary in the slot beneath or in the first page. */
static slab *slab_new(void)
{
    slab *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    size_t stride = grade == GRADE_CANARY ? stack_size : slot_size;
    char *p = slab_map(stride);
    int got = GRADE_CANARY;
    if (p && stride == slot_size &&
        (got = slab_guard(p + page_size)) == GRADE_CANARY) {
        munmap(p, page_size + (size_t)SLAB_SLOTS * stride); /* budget spent */
        p = slab_map(stride = stack_size);
    }
    if (!p) {
        free(s);
        return NULL;
    }
    s->base = p;
    s->stride = stride;
    s->guarded = stride == slot_size;
    s->lazy_guard = got == GRADE_REGION;
    if (!s->guarded)
        ((uint64_t *)(p + page_size))[-1] = RT_STACK_CANARY;
    s->next = atomic_load_explicit(&slabs, memory_order_relaxed);
    atomic_store_explicit(&slabs, s, memory_order_release);
    return s;
}

static rt_g *slot_record(const slab *s, int i)
{
    char *top = s->base + page_size + (size_t)(i + 1) * s->stride;
    return (rt_g *)(top - REC_SIZE);
}

/* The pool holds batches of the slots a worker's cache spilled: the
 * batch's first slot is on the pool's list (link), and the others are
 * listed in its free stack, just below its record, so that a refill reads
 * a few cache lines, not one line of every slot, last written by another
 * worker. */
typedef struct batch {
    long n;                          /* in g[], the first slot not counted */
    rt_g *g[RT_STACK_CACHE / 2 - 1];
} batch;

static batch *batch_of(rt_g *first) { return (batch *)first - 1; }

/* Set up the record of a slot whose memory is zero (fresh or released). */
static rt_g *slot_init(rt_g *g, int guarded)
{
    char *top = (char *)g + REC_SIZE;
    ((uint64_t *)top)[-1] = RT_STACK_CANARY;
    g->guarded = guarded;
    g->stack_lo = top - stack_size;
    g->stack_size = (size_t)((char *)g - g->stack_lo);
#if RT_VALGRIND
    g->vg_id = VALGRIND_STACK_REGISTER(g->stack_lo, (char *)g);
#endif
    return g;
}

/* madvise(advice) over n ranges in one system call where the kernel takes
 * process_madvise on the calling thread (PIDFD_SELF_THREAD, Linux 6.15;
 * being negative, it can never name a file of the program's); zero where
 * it does not, or did not take all of them. */
static int madvise_batch(struct iovec *iov, int n, int advice)
{
#if defined(__linux__) && defined(SYS_process_madvise)
    static _Atomic int unsupported;
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += iov[i].iov_len;
#if RT_VALGRIND
    if (RUNNING_ON_VALGRIND)
        return 0;
#endif
    if (atomic_load_explicit(&unsupported, memory_order_relaxed))
        return 0;
    long r = syscall(SYS_process_madvise, -10000, iov, (size_t)n, advice, 0u);
    if (r == (long)total)
        return 1;
    if (r < 0 && (errno == EBADF || errno == ENOSYS || errno == EINVAL ||
                  errno == EPERM))
        atomic_store_explicit(&unsupported, 1, memory_order_relaxed);
    return 0;
#else
    (void)iov, (void)n, (void)advice;
    return 0;
#endif
}

/* Make slots from..from+n-1 of s, the lowest not yet prepared, ready to
 * hand out: their guard regions, their top pages (faulted in together, in
 * one call each where the kernel allows: a fault costs some 2 us in a VM)
 * and their records.  The caller owns s (carve_lock for `fresh`,
 * prep_busy for `building`). */
static void slots_prepare(slab *s, int from, int n)
{
    struct iovec iov[SLAB_SLOTS];
    char *slots = s->base + page_size;
    int saved_errno = errno; /* a `go` leaves the program's errno alone */
    if (s->lazy_guard) {
        for (int i = 0; i < n; i++)
            iov[i] = (struct iovec){slots + (size_t)(from + i) * s->stride,
                                    guard_size};
        if (!madvise_batch(iov, n, MADV_GUARD_INSTALL))
            for (int i = 0; i < n; i++)
                if (madvise(iov[i].iov_base, guard_size, MADV_GUARD_INSTALL))
                    /* out of memory for page tables: a guard page then */
                    mprotect((char *)iov[i].iov_base + guard_size - page_size,
                             page_size, PROT_NONE);
    }
    for (int i = 0; i < n; i++)
        iov[i] = (struct iovec){slots + (size_t)(from + i + 1) * s->stride -
                                    page_size, page_size};
    (void)madvise_batch(iov, n, MADV_POPULATE_WRITE); /* else: faults */
    for (int i = 0; i < n; i++)
        slot_init(slot_record(s, from + i), s->guarded);
    s->prepared = from + n;
    errno = saved_errno;
}

static slab *pop_spare(slab **list)
{
    slab *s = *list;
    if (s)
        *list = s->spare_next;
    return s;
}

static void push_spare(slab **list, slab *s)
{
    s->spare_next = *list;
    *list = s;
}

/* The slab to carve next; carve_lock held.  Demand that outruns the idle
 * workers' preparation raises how many prepared slabs they keep. */
static slab *slab_next(void)
{
    slab *s = pop_spare(&ready);
    if (s) {
        atomic_fetch_sub_explicit(&nready, 1, memory_order_relaxed);
    } else {
        int t = atomic_load_explicit(&prep_target, memory_order_relaxed);
        if (t < SPARE_MAX)
            atomic_store_explicit(&prep_target, t + 1, memory_order_relaxed);
        s = pop_spare(&stale);
        if (!s)
            s = slab_new();
    }
    took_slab = 1;
    return s;
}

/* Carve the next fresh slot; carve_lock held.  Half-way through the first
 * slab, idle workers start preparing the next (rt_stack_prepare). */
static rt_g *slot_carve(void)
{
    if (!fresh || atomic_load_explicit(&fresh->used, memory_order_relaxed) ==
                      SLAB_SLOTS)
        fresh = slab_next();
    if (!fresh)
        return NULL;
    int i = atomic_load_explicit(&fresh->used, memory_order_relaxed);
    if (i >= fresh->prepared)
        slots_prepare(fresh, i,
                      SLAB_SLOTS - i < CARVE_BATCH ? SLAB_SLOTS - i
                                                   : CARVE_BATCH);
    atomic_store_explicit(&fresh->used, i + 1, memory_order_release);
    if (i + 1 == SLAB_SLOTS / 2 &&
        atomic_load_explicit(&prep_target, memory_order_relaxed) == 0)
        atomic_store_explicit(&prep_target, 1, memory_order_relaxed);
    return slot_record(fresh, i);
}


/* Work for an idle worker (sched.c's find_runnable, when it finds nothing
 * to run): keep prep_target slabs prepared, a few slots at a time, so that
 * a burst of spawns on a busy worker takes prepared slots instead of
 * installing each one's guard and faulting its page in (3 us a slot where
 * faults are slow).  Returns nonzero when it did some, so that the caller
 * looks for work again before doing more. */
int rt_stack_prepare(void)
{
    if (atomic_load_explicit(&nready, memory_order_relaxed) >=
            atomic_load_explicit(&prep_target, memory_order_relaxed) ||
        atomic_exchange_explicit(&prep_busy, 1, memory_order_acquire))
        return 0;
    /* carve_lock only by trylock: a carver holds it through its system
     * calls, and an idle worker that waited would sleep on it and cost the
     * carver a wake-up. */
    int did = 0;
    if (!building && rt_trylock(&carve_lock)) {
        building = pop_spare(&stale);
        if (!building)
            building = slab_new();
        rt_unlock(&carve_lock);
    }
    if (building && building->prepared < SLAB_SLOTS) {
        int from = building->prepared;
        slots_prepare(building, from,
                      SLAB_SLOTS - from < PREP_STEP ? SLAB_SLOTS - from
                                                    : PREP_STEP);
        did = 1;
    }
    if (building && building->prepared == SLAB_SLOTS &&
        rt_trylock(&carve_lock)) {
        push_spare(&ready, building);
        atomic_fetch_add_explicit(&nready, 1, memory_order_relaxed);
        building = NULL;
        rt_unlock(&carve_lock);
    }
    atomic_store_explicit(&prep_busy, 0, memory_order_release);
    return did;
}

/* A batch of warm slots from the pool, else released ones (their pages
 * fault in again outside the lock), else fresh ones, carved a few at a
 * time under carve_lock, so that workers returning slots to the pool never
 * wait on the system calls of a carve.  The cache is empty. */
static void cache_refill(rt_stack_cache *c)
{
    uintptr_t cold_got[CARVE_BATCH];
    int ncg = 0;
    rt_lock(&pool_lock);
    rt_g *first = pool;
    if (first) {
        pool = first->link;
        batch *b = batch_of(first);
        for (long i = 0; i < b->n; i++)
            c->slot[c->n++] = b->g[i];
        c->slot[c->n++] = first;
        long n = atomic_fetch_sub_explicit(&pool_n, c->n,
                                           memory_order_relaxed) - c->n;
        if (n < pool_min)
            pool_min = n;
    } else {
        while (ncold && ncg < CARVE_BATCH)
            cold_got[ncg++] = cold[--ncold];
    }
    rt_unlock(&pool_lock);
    for (int i = 0; i < ncg; i++)
        c->slot[c->n++] = slot_init((rt_g *)(cold_got[i] & ~(uintptr_t)1),
                                    (int)(cold_got[i] & 1));
    if (c->n)
        return;
    rt_lock(&carve_lock);
    while (c->n < CARVE_BATCH) {
        rt_g *g = slot_carve();
        if (!g)
            break;
        c->slot[c->n++] = g;
    }
    rt_unlock(&carve_lock);
}

rt_g *rt_stack_get(rt_stack_cache *c)
{
    if (!c->n)
        cache_refill(c);
    if (!c->n) {
        static const char msg[] =
            "fatal error: out of memory allocating a coroutine stack\n";
        (void)!write(2, msg, sizeof msg - 1);
        _exit(2);
    }
    rt_g *g = c->slot[--c->n];
    if (c->n) /* the next spawn's record, while this one runs */
        __builtin_prefetch(c->slot[c->n - 1], 1);
    g->epoch = epoch;
#if RT_ASAN
    __asan_unpoison_memory_region(g->stack_lo, g->stack_size);
#endif
    return g;
}

/* ---- returning memory ------------------------------------------------- */

/* Released slots cost no RSS: valgrind's and TSan's per-stack bookkeeping
 * lives in the record, so under them slots stay warm. */
static int can_release(void)
{
#if RT_TSAN
    return 0;
#elif RT_VALGRIND
    return !RUNNING_ON_VALGRIND;
#else
    return 1;
#endif
}

/* Room on the cold list for n more; pool_lock held. */
static int cold_reserve(size_t n)
{
    if (ncold + n <= cold_cap)
        return 1;
    size_t cap = cold_cap ? 2 * cold_cap : 1024;
    while (cap < ncold + n)
        cap *= 2;
    uintptr_t *p = realloc(cold, cap * sizeof *p);
    if (!p)
        return 0;
    cold = p;
    cold_cap = cap;
    return 1;
}

static int addr_cmp(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
    return (x > y) - (x < y);
}

/* madvise the k released slots of a[] (sorted): guarded neighbours in one
 * call (their guards survive MADV_DONTNEED); a slot without a guard keeps
 * its top page, which holds the canary of the slot above. */
static void release_sorted(const uintptr_t *a, size_t k)
{
    for (size_t i = 0; i < k;) {
        char *g = (char *)(a[i] & ~(uintptr_t)1);
        char *lo = g + REC_SIZE - stack_size, *hi;
        size_t j = i + 1;
        if (a[i] & 1) {
            while (j < k && (a[j] & 1) && a[j] - a[j - 1] == slot_size)
                j++;
            hi = (char *)(a[j - 1] & ~(uintptr_t)1) + REC_SIZE;
        } else {
            hi = (char *)((uintptr_t)g & ~(uintptr_t)(page_size - 1));
        }
        madvise(lo, (size_t)(hi - lo), MADV_DONTNEED);
        i = j;
    }
}

/* The scavenger, run by the monitor thread (sched.c's sysmon) at most every
 * SCAVENGE_NS: the slots that stayed in the pool beyond POOL_KEEP through
 * the whole period that ends now (the pool's low point less POOL_KEEP, the
 * oldest ones: the pool is LIFO) go back to the system and onto the cold
 * list.  Returns nonzero while the pool holds more than POOL_KEEP slots,
 * so that a later period may release them. */
static int pool_scavenge(int64_t now)
{
    if (atomic_load_explicit(&pool_n, memory_order_relaxed) <= POOL_KEEP ||
        !can_release())
        return 0;
    rt_lock(&pool_lock);
    if (now - period_start < SCAVENGE_NS) {
        rt_unlock(&pool_lock);
        return 1;
    }
    period_start = now;
    long total = atomic_load_explicit(&pool_n, memory_order_relaxed);
    long n = (pool_min < total ? pool_min : total) - POOL_KEEP;
    uintptr_t *a = n > 0 && cold_reserve((size_t)n)
                       ? malloc((size_t)n * sizeof *a) : NULL;
    if (!a) {
        pool_min = total;
        rt_unlock(&pool_lock);
        return total > POOL_KEEP;
    }
    /* keep the newest whole batches that hold total - n slots */
    long kept = 0;
    rt_g **pp = &pool;
    while (*pp && kept < total - n) {
        kept += batch_of(*pp)->n + 1;
        pp = &(*pp)->link;
    }
    rt_g *rest = *pp;
    *pp = NULL;
    atomic_store_explicit(&pool_n, kept, memory_order_relaxed);
    pool_min = kept;
    rt_unlock(&pool_lock);
    size_t k = 0;
    for (rt_g *g = rest; g; g = g->link) {
        batch *b = batch_of(g);
        a[k++] = (uintptr_t)g | (uintptr_t)(g->guarded != 0);
        for (long i = 0; i < b->n; i++)
            a[k++] = (uintptr_t)b->g[i] | (uintptr_t)(b->g[i]->guarded != 0);
    }
    qsort(a, k, sizeof *a, addr_cmp);
    release_sorted(a, k);
    rt_lock(&pool_lock);
    if (cold_reserve(k)) { /* else: lose the address space, not memory */
        memcpy(cold + ncold, a, k * sizeof *a);
        ncold += k;
    }
    rt_unlock(&pool_lock);
    free(a);
    return kept > POOL_KEEP;
}

int rt_stack_ready_slabs(void)
{
    return atomic_load_explicit(&nready, memory_order_relaxed);
}

/* Part of the scavenger: after a whole period in which no slab was taken,
 * the prepared ones go back to the system (their guards stay) and no more
 * are prepared until carving starts again.  Returns nonzero while some
 * are kept. */
static int spares_scavenge(int64_t now)
{
    static int64_t start;
    if (!atomic_load_explicit(&nready, memory_order_relaxed) &&
        !atomic_load_explicit(&prep_target, memory_order_relaxed))
        return 0;
    if (now - start < SCAVENGE_NS)
        return 1;
    start = now;
    rt_lock(&carve_lock);
    if (took_slab || !can_release()) {
        took_slab = 0;
        rt_unlock(&carve_lock);
        return 1;
    }
    atomic_store_explicit(&prep_target, 0, memory_order_relaxed);
    slab *s;
    while ((s = pop_spare(&ready))) {
        madvise(s->base + page_size, (size_t)SLAB_SLOTS * s->stride,
                MADV_DONTNEED);
        s->prepared = 0;
        push_spare(&stale, s);
    }
    atomic_store_explicit(&nready, 0, memory_order_relaxed);
    rt_unlock(&carve_lock);
    return 0;
}

int rt_stack_scavenge(int64_t now)
{
    int more = spares_scavenge(now);
    return pool_scavenge(now) || more;
}

void rt_stack_put(rt_stack_cache *c, rt_g *g)
{
    atomic_store_explicit(&g->state, RT_G_FREE, memory_order_relaxed);
    c->slot[c->n++] = g;
    if (c->n < RT_STACK_CACHE)
        return;
    /* the older half goes to the pool as one batch */
    enum { HALF = RT_STACK_CACHE / 2 };
    rt_g *first = c->slot[0];
    batch *b = batch_of(first);
#if RT_ASAN
    __asan_unpoison_memory_region(b, sizeof *b);
#endif
    b->n = HALF - 1;
    memcpy(b->g, c->slot + 1, (HALF - 1) * sizeof *b->g);
    memmove(c->slot, c->slot + HALF, (RT_STACK_CACHE - HALF) * sizeof *c->slot);
    c->n -= HALF;
    rt_lock(&pool_lock);
    first->link = pool;
    pool = first;
    atomic_fetch_add_explicit(&pool_n, HALF, memory_order_relaxed);
    rt_unlock(&pool_lock);
}

/* ---- walking and forking -------------------------------------------- */

void rt_stack_adopt(rt_g *g) { adopted = g; }

void rt_stack_foreach(void (*fn)(rt_g *, void *), void *arg)
{
    if (adopted)
        fn(adopted, arg);
    for (slab *s = atomic_load_explicit(&slabs, memory_order_acquire); s;
         s = s->next) {
        int n = atomic_load_explicit(&s->used, memory_order_acquire);
        for (int i = 0; i < n; i++) {
            rt_g *g = slot_record(s, i);
            if (g->epoch == epoch)
                fn(g, arg);
        }
    }
}

/* In a forked child: every slot but `keep` belonged to a coroutine that
 * does not exist here.  They are abandoned (the next epoch hides them from
 * the walk, and touching each to free it would copy a page per slot);
 * the pool and cold list start empty. */
void rt_stack_fork_child(rt_g *keep)
{
    pool_lock = 0;
    pool = NULL;
    atomic_store(&pool_n, 0);
    pool_min = 0;
    ncold = 0;
    carve_lock = 0;
    fresh = NULL;
    ready = stale = building = NULL;
    took_slab = 0;
    atomic_store(&prep_busy, 0);
    atomic_store(&nready, 0);
    atomic_store(&prep_target, 0);
    epoch++;
    if (keep)
        keep->epoch = epoch;
}

/* ---- reports ------------------------------------------------------------ */

GOC_NORETURN void rt_stack_overflow(rt_g *g)
{
    rt_fatal_begin();
    rt_buf b = {.n = 0};
    rt_buf_str(&b, "fatal error: coroutine stack overflow (stack size ");
    rt_buf_u64(&b, stack_size);
    rt_buf_str(&b, " bytes; GOC_STACK_SIZE or goc_stack_size sets it)\n\n"
                   "coroutine ");
    rt_buf_u64(&b, g ? g->id : 0);
    rt_buf_str(&b, " [running], created at ");
    rt_buf_created(&b, g);
    rt_buf_str(&b, "\n");
    rt_buf_flush(&b);
    _exit(2);
}

/* A switch found the stack pointer outside the coroutine's stack, or its
 * canary overwritten.  Below the stack it overflowed (a stack grows down:
 * a runaway recursion may be stopped by a preemption check anywhere below,
 * its canary skipped); above it, or anywhere for main (whose own stack is
 * the thread's), it is running on a stack that is not its own, which only
 * a longjmp across coroutines does. */
GOC_NORETURN void rt_stack_check_failed(rt_g *g, char *sp)
{
    if (g != adopted && sp < g->stack_lo + g->stack_size)
        rt_stack_overflow(g);
    rt_fatal_begin();
    rt_buf b = {.n = 0};
    rt_buf_str(&b, "fatal error: coroutine ");
    rt_buf_u64(&b, g->id);
    rt_buf_str(&b, " is running on a stack that is not its own: a longjmp "
                   "or siglongjmp crossed from one coroutine to another "
                   "(a jmp_buf may only be used by the coroutine that "
                   "called setjmp)\n\ncoroutine ");
    rt_buf_u64(&b, g->id);
    rt_buf_str(&b, " [running], created at ");
    if (g->id == 1)
        rt_buf_str(&b, "program start (main)");
    else
        rt_buf_loc(&b, &g->go_loc);
    rt_buf_str(&b, "\n");
    rt_buf_flush(&b);
    _exit(2);
}

/* ---- the overflow signal handler ---------------------------------------- */

static struct sigaction old_segv, old_bus;

static char *fault_sp(void *uc)
{
#if defined(__linux__) && defined(__x86_64__)
    return (char *)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RSP];
#elif defined(__linux__) && defined(__aarch64__)
    return (char *)((ucontext_t *)uc)->uc_mcontext.sp;
#else
    (void)uc;
    return NULL;
#endif
}

/* Is a fault at `a`, with the stack pointer at `sp`, an overflow of g's
 * stack?  Main's stack is the thread's own: its faults stay C's. */
static int is_overflow(const rt_g *g, const char *a, const char *sp)
{
    if (!g || g == adopted)
        return 0;
    const char *lo = g->stack_lo;
    size_t reach = guard_size > 64 * 1024 ? guard_size : 64 * 1024;
    if (a < lo && a >= lo - reach)
        return 1; /* the guard, or (no guard) just below the stack */
    /* The stack pointer left the stack (a runaway recursion through the
     * canary grade's neighbours, or a frame larger than the guard) and
     * the fault is near it. */
    return sp && sp < lo && a < lo && a + reach >= sp;
}

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
    rt_g *g = current ? current() : NULL;
    if (is_overflow(g, (char *)si->si_addr, fault_sp(uc)))
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

/* Called on each worker thread before it runs coroutines.  A thread that
 * already has an alternate signal stack (the program's main thread may)
 * keeps it. */
void rt_stack_thread_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    stack_t old;
    if (sigaltstack(NULL, &old) != 0 || !(old.ss_flags & SS_DISABLE)) {
        pthread_once(&once, handler_install);
        return;
    }
    size_t sz = 64 * 1024;
    void *p = mmap(NULL, sz, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
        stack_t ss = {.ss_sp = p, .ss_size = sz, .ss_flags = 0};
        sigaltstack(&ss, NULL);
    }
    pthread_once(&once, handler_install);
}
