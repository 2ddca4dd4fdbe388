/* The context switch (ctx_<arch>.S): direct use of rt_ctx_make and
 * rt_ctx_switch on plain malloc'd stacks, without the scheduler. */
#include <criterion/criterion.h>

#include "ctx.h"

#include <stdint.h>
#include <stdlib.h>
#include <unwind.h>

static void *main_ctx, *co_ctx;
static int counter;
static uintptr_t seen_sp;

static void counting(void *arg)
{
    int *limit = arg;
    volatile long local = 1000; /* must survive every switch */
    for (int i = 0; i < *limit; i++) {
        counter++;
        local++;
        rt_ctx_switch(&co_ctx, main_ctx);
    }
    counter = (int)local;
    rt_ctx_switch(&co_ctx, main_ctx);
    abort(); /* never resumed again */
}

Test(context, ping_pong_keeps_locals)
{
    size_t sz = 64 * 1024;
    char *stk = malloc(sz);
    int limit = 10000;
    co_ctx = rt_ctx_make(stk, stk + sz, counting, &limit);
    volatile long mine = 7;
    for (int i = 0; i < limit; i++) {
        rt_ctx_switch(&main_ctx, co_ctx);
        cr_assert_eq(counter, i + 1);
        mine += 2;
    }
    rt_ctx_switch(&main_ctx, co_ctx);
    cr_assert_eq(counter, 1000 + limit);
    cr_assert_eq(mine, 7 + 2 * limit);
    free(stk);
}

static void record_sp(void *arg)
{
    (void)arg;
    volatile char here;
    seen_sp = (uintptr_t)&here;
    rt_ctx_switch(&co_ctx, main_ctx);
}

Test(context, runs_on_the_given_stack_aligned)
{
    size_t sz = 32 * 1024;
    char *stk = malloc(sz);
    co_ctx = rt_ctx_make(stk, stk + sz - 3, record_sp, NULL);
    rt_ctx_switch(&main_ctx, co_ctx);
    cr_assert(seen_sp > (uintptr_t)stk && seen_sp < (uintptr_t)(stk + sz),
              "the coroutine ran on its own stack");
    free(stk);
}

/* Callee-saved registers: a value the compiler keeps in a register across
 * the switch call must come back intact while the other side clobbers
 * every register it likes. */
static void clobber(void *arg)
{
    (void)arg;
    for (;;) {
        volatile double x = 1.5;
        unsigned long a = 1, b = 2, c = 3, d = 4, e = 5, f = 6;
        for (unsigned i = 0; i < 100; i++) {
            a = a * 3 + b; b ^= c + i; c += d * e; d -= f; e = e * 7 + a;
            f += (unsigned long)x;
        }
        counter = (int)(a + b + c + d + e + f) | 1;
        rt_ctx_switch(&co_ctx, main_ctx);
    }
}

Test(context, callee_saved_registers_survive)
{
    size_t sz = 64 * 1024;
    char *stk = malloc(sz);
    co_ctx = rt_ctx_make(stk, stk + sz, clobber, NULL);
    long r1 = 11, r2 = 22, r3 = 33, r4 = 44, r5 = 55, r6 = 66;
    double f1 = 0.25, f2 = 0.5;
    for (int i = 0; i < 1000; i++) {
        rt_ctx_switch(&main_ctx, co_ctx);
        r1 += i; r2 += r1; r3 ^= r2; r4 += r3 & 7; r5 -= r4; r6 += r5 & 3;
        f1 += 1.0; f2 *= 1.0;
    }
    long e1 = 11, e2 = 22, e3 = 33, e4 = 44, e5 = 55, e6 = 66;
    for (int i = 0; i < 1000; i++) {
        e1 += i; e2 += e1; e3 ^= e2; e4 += e3 & 7; e5 -= e4; e6 += e5 & 3;
    }
    cr_assert_eq(r1, e1);
    cr_assert_eq(r2, e2);
    cr_assert_eq(r3, e3);
    cr_assert_eq(r4, e4);
    cr_assert_eq(r5, e5);
    cr_assert_eq(r6, e6);
    cr_assert_float_eq(f1, 1000.25, 1e-9);
    cr_assert_float_eq(f2, 0.5, 1e-9);
    free(stk);
}

/* Each context keeps its own floating-point rounding mode (MXCSR on
 * x86-64, FPCR on AArch64), read and set here without libm. */
#if defined(__x86_64__)
#include <xmmintrin.h>
static unsigned get_round(void) { return (_mm_getcsr() >> 13) & 3; }
static void set_round(unsigned m) { _mm_setcsr((_mm_getcsr() & ~(3u << 13)) | (m << 13)); }
#elif defined(__aarch64__)
static unsigned get_round(void)
{
    uint64_t r;
    __asm__ volatile("mrs %0, fpcr" : "=r"(r));
    return (unsigned)(r >> 22) & 3;
}
static void set_round(unsigned m)
{
    uint64_t r;
    __asm__ volatile("mrs %0, fpcr" : "=r"(r));
    r = (r & ~(3ull << 22)) | ((uint64_t)m << 22);
    __asm__ volatile("msr fpcr, %0" ::"r"(r));
}
#else
static unsigned mode;
static unsigned get_round(void) { return mode; }
static void set_round(unsigned m) { mode = m; }
#endif

static unsigned co_round;
static void rounding(void *arg)
{
    (void)arg;
    for (;;) {
        co_round = get_round();
        set_round(1);
        rt_ctx_switch(&co_ctx, main_ctx);
    }
}

Test(context, rounding_mode_is_per_context)
{
#if defined(__x86_64__) || defined(__aarch64__)
    size_t sz = 64 * 1024;
    char *stk = malloc(sz);
    set_round(0);
    co_ctx = rt_ctx_make(stk, stk + sz, rounding, NULL);
    set_round(2);
    rt_ctx_switch(&main_ctx, co_ctx);
    cr_assert_eq(co_round, 0, "inherited at creation");
    cr_assert_eq(get_round(), 2, "restored on return");
    rt_ctx_switch(&main_ctx, co_ctx);
    cr_assert_eq(co_round, 1, "its own mode was kept");
    cr_assert_eq(get_round(), 2);
    set_round(0);
    free(stk);
#endif
}

/* The CFI: an unwinder walking a coroutine's stack (as gdb's backtrace
 * does) ends cleanly at the coroutine's entry instead of running into
 * garbage beyond it. */
static int unwind_frames;
static uintptr_t last_ip;
static _Unwind_Reason_Code unwind_result;

static _Unwind_Reason_Code count_frame(struct _Unwind_Context *c, void *arg)
{
    (void)arg;
    last_ip = (uintptr_t)_Unwind_GetIP(c);
    return ++unwind_frames > 64 ? _URC_NORMAL_STOP : _URC_NO_REASON;
}

static __attribute__((noinline)) void unwind_here(void *arg)
{
    (void)arg;
    unwind_result = _Unwind_Backtrace(count_frame, NULL);
    rt_ctx_switch(&co_ctx, main_ctx);
}

Test(context, unwinding_stops_at_the_entry)
{
#if defined(__x86_64__) || defined(__aarch64__) /* the hand-written switch */
    size_t sz = 64 * 1024;
    char *stk = malloc(sz);
    /* Just above the top, where an unwinder without the entry's CFI would
     * look for a return address, put a plausible one (code with unwind
     * info), so that only the CFI can stop it. */
    char *top = stk + sz - 64;
    *(void **)top = (char *)(uintptr_t)unwind_here + 4;
    co_ctx = rt_ctx_make(stk, top, unwind_here, NULL);
    rt_ctx_switch(&main_ctx, co_ctx);
    cr_assert_eq(unwind_result, _URC_END_OF_STACK, "unwinder stopped with %d",
                 (int)unwind_result);
    /* _Unwind_Backtrace, unwind_here, then rt_ctx_entry: the last. */
    cr_assert(unwind_frames >= 2 && unwind_frames <= 3, "%d frames",
              unwind_frames);
    cr_assert_neq(last_ip, (uintptr_t)unwind_here + 4,
                  "the unwinder went past the entry");
    free(stk);
#endif
}
