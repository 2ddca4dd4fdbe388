/*
 * ctx_ucontext.c - portable context switch over <ucontext.h>, used only on
 * architectures without a hand-written ctx_<arch>.S.  swapcontext also
 * saves and restores the signal mask (a system call), so a switch costs
 * some hundreds of nanoseconds instead of a few.
 *
 * A suspended context is a pointer to its ucontext_t.  A context suspended
 * in rt_ctx_switch keeps it in that call's frame; a new one keeps it at the
 * top of its own stack.
 */
#include "ctx.h"

#include <stdint.h>
#include <ucontext.h>

typedef struct {
    ucontext_t uc;
    void (*fn)(void *);
    void *arg;
} ctx_start;

/* makecontext passes only ints: the start record travels as two halves. */
static void ctx_trampoline(unsigned hi, unsigned lo)
{
    ctx_start *s = (ctx_start *)(((uintptr_t)hi << 16 << 16) | lo);
    s->fn(s->arg);
    abort();
}

void rt_ctx_switch(void **save, void *to)
{
    ucontext_t self;
    *save = &self;
    if (swapcontext(&self, (ucontext_t *)to) != 0)
        abort();
}

void *rt_ctx_make(void *lo, void *top, void (*fn)(void *), void *arg)
{
    uintptr_t t = ((uintptr_t)top - sizeof(ctx_start)) & ~(uintptr_t)63;
    ctx_start *s = (ctx_start *)t;
    uintptr_t p = (uintptr_t)s;
    if (getcontext(&s->uc) != 0)
        abort();
    s->fn = fn;
    s->arg = arg;
    s->uc.uc_link = NULL;
    s->uc.uc_stack.ss_sp = lo;
    s->uc.uc_stack.ss_size = (size_t)(t - (uintptr_t)lo);
    makecontext(&s->uc, (void (*)(void))ctx_trampoline, 2,
                (unsigned)(p >> 16 >> 16), (unsigned)(p & 0xffffffffu));
    return &s->uc;
}
