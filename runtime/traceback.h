/*
 * traceback.h - call stacks for the runtime's reports (traceback.c): the
 * panic, the deadlock report, the SIGQUIT dump and goc_dump().
 */
#ifndef GOC_TRACEBACK_H
#define GOC_TRACEBACK_H

#include "ctx.h"

#define RT_TRACE_MAX 48

/* Code addresses of one call stack, newest first; each is the address of
 * the call instruction (or of the faulting one), not the return address. */
typedef struct rt_trace {
    int n;
    uintptr_t pc[RT_TRACE_MAX];
} rt_trace;

/* The calling thread's stack, from the caller of rt_trace_here on.  Safe
 * enough in a signal handler (libgcc's unwinder, no allocation). */
void rt_trace_here(rt_trace *t);
/* The stack of a coroutine suspended in rt_ctx_switch (parked or
 * runnable); t->n == 0 where the architecture's switch cannot be walked. */
void rt_trace_suspended(const rt_g *g, rt_trace *t);

/* Function names and file:line of the addresses of traces ts[0..nt),
 * found by running addr2line on each object once; NULL when nothing could
 * be symbolized.  Never call it in a signal handler. */
typedef struct rt_symtab rt_symtab;
rt_symtab *rt_symtab_build(const rt_trace *ts, int nt);
void rt_symtab_free(rt_symtab *s);

/* Print t's frames, one "\tfunction\n\t\tfile:line\n" each, leaving out the
 * runtime's own frames and goc's main wrapper; s may be NULL (addresses
 * only). */
void rt_trace_print(rt_buf *b, const rt_trace *t, const rt_symtab *s);

#endif /* GOC_TRACEBACK_H */
