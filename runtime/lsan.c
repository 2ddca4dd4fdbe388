/*
 * lsan.c - LeakSanitizer and coroutine stacks.
 *
 * LeakSanitizer (with ASan, or alone with -fsanitize=leak, whichever
 * runtime is linked) finds leaks at exit by scanning the program's roots for
 * pointers: globals, TLS and each thread's current stack.  Coroutine
 * stacks are mmap'd slots (stack.c), which it does not scan, so memory
 * that only a parked coroutine still points to would be reported as
 * leaked.  At exit, before LeakSanitizer's own exit handler runs (it was
 * registered first, so it runs last), every live coroutine's stack is
 * registered as a root region: from its saved stack pointer (the whole
 * slot for one that is running) up to and including its record.  Free
 * slots are not: what they still hold is garbage, and scanning it would
 * hide real leaks.
 *
 * Channels are the exception to "report what is unreachable at exit": as
 * in Go, a program may simply drop a channel (freeing one that another
 * coroutine may still touch is the bug, not leaving it), so the runtime's
 * default suppressions leave out memory allocated by goc_chan_make_at,
 * and by rt_chan_make_extra for the channels of goc_after and the
 * timers (dropped unfreed, as Go programs drop time.After channels).
 */
#include "ctx.h"

#include <stdlib.h>

/* Defined by the LeakSanitizer runtime, which -fsanitize=address and
 * -fsanitize=leak link; in other programs the weak reference stays NULL
 * and nothing is registered. */
void __lsan_register_root_region(const void *p, size_t size)
    __attribute__((weak));

static void register_stack(rt_g *g, void *arg)
{
    (void)arg;
    int st = atomic_load_explicit(&g->state, memory_order_acquire);
    if (st == RT_G_FREE)
        return;
    char *lo = g->stack_lo;
    if (st != RT_G_RUNNING && g->sp && (char *)g->sp > lo &&
        (char *)g->sp < (char *)g)
        lo = g->sp;
    __lsan_register_root_region(lo, (size_t)((char *)(g + 1) - lo));
}

static void register_stacks(void)
{
    rt_stack_foreach(register_stack, NULL);
}

void rt_lsan_init(void)
{
    if (__lsan_register_root_region)
        atexit(register_stacks);
}

/* LeakSanitizer reads these at start-up (weak hooks in its runtime);
 * LSAN_OPTIONS=suppressions=FILE adds more suppressions, and
 * LSAN_OPTIONS=print_suppressions=1 lists those used at exit again.
 *
 * Alone (-fsanitize=leak, with the plain runtime) LeakSanitizer records a
 * malloc's stack with its fast unwinder, which knows only the thread's own
 * stack and stops at once on a coroutine's: without a caller it takes the
 * block for one of the dynamic loader's and never reports it.  The
 * runtime therefore asks it for the slow (DWARF) unwinder on malloc.
 * There these are weak, so that a program that defines them keeps its
 * own (in the ASan runtime, which tells ASan about every stack switch,
 * they are not). */
#if RT_ASAN
#define LSAN_HOOK GOC_API
#define LSAN_OPTIONS "print_suppressions=0"
#else
#define LSAN_HOOK GOC_API __attribute__((weak))
#define LSAN_OPTIONS "print_suppressions=0:fast_unwind_on_malloc=0"
#endif

LSAN_HOOK const char *__lsan_default_suppressions(void);
LSAN_HOOK const char *__lsan_default_suppressions(void)
{
    return "leak:goc_chan_make_at\n"
           "leak:rt_chan_make_extra\n"; /* timer channels (time.c) */
}

LSAN_HOOK const char *__lsan_default_options(void);
LSAN_HOOK const char *__lsan_default_options(void)
{
    return LSAN_OPTIONS;
}
