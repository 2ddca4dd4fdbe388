/*
 * debug.c - panics, the deadlock report, the SIGQUIT coroutine dump and
 * GOC_DEBUG=schedtrace=<ms>.
 *
 * Everything here writes with write(2) through rt_buf (print.c), never
 * stdio, so it works inside signal handlers and while other threads hold
 * stdio locks.
 * The dump walks every stack slot (rt_stack_foreach) instead of keeping a
 * list of coroutines, so spawning costs nothing for it; the reads are racy
 * by design for SIGQUIT and exact for the deadlock report, which runs only
 * when every worker is idle.
 * Each coroutine's call stack comes from traceback.c; symbolizing it runs
 * addr2line, so the SIGQUIT handler only records the interrupted
 * coroutine's stack and hands the dump to a thread of its own.
 */
#include "exectrace.h"
#include "traceback.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const rt_debug_sched *sched; /* rt_debug_init's */

/* The running coroutine, NULL before start-up or outside one. */
static rt_g *current(void) { return sched ? sched->current() : NULL; }

static const char *state_name(rt_g *g)
{
    switch (atomic_load_explicit(&g->state, memory_order_relaxed)) {
    case RT_G_RUNNABLE: return "runnable";
    case RT_G_RUNNING: return "running";
    case RT_G_PARKED: return rt_wait_reason_name(g->wait_reason);
    default: return NULL;
    }
}

/* One coroutine: "coroutine N [state]:", its blocking and spawn sites,
 * then its frames when t is given; a plain thread parked in the runtime:
 * "thread [state]:" and its blocking site. */
static void dump_one_traced(rt_g *g, rt_buf *b, const rt_trace *t, const rt_symtab *syms)
{
    const char *st = state_name(g);
    if (!st)
        return;
    if (rt_g_is_thread(g)) {
        rt_buf_str(b, "thread [");
        rt_buf_str(b, st);
        rt_buf_str(b, "]:\n\tblocked at ");
        rt_buf_loc(b, g->wait_loc);
        rt_buf_str(b, "\n\n");
        rt_buf_flush(b);
        return;
    }
    rt_buf_str(b, "coroutine ");
    rt_buf_u64(b, g->id);
    rt_buf_str(b, " [");
    rt_buf_str(b, st);
    rt_buf_str(b, "]:\n");
    if (atomic_load_explicit(&g->state, memory_order_relaxed) == RT_G_PARKED) {
        rt_buf_str(b, "\tblocked at ");
        rt_buf_loc(b, g->wait_loc);
        rt_buf_str(b, "\n");
    }
    rt_buf_str(b, "\tcreated at ");
    rt_buf_created(b, g);
    rt_buf_str(b, "\n");
    if (t)
        rt_trace_print(b, t, syms);
    rt_buf_str(b, "\n");
    rt_buf_flush(b);
}

static void dump_one(rt_g *g, void *arg) { dump_one_traced(g, arg, NULL, NULL); }

/* ---- the dump with call stacks ------------------------------------------- */

/* Call stacks for the first RT_DUMP_TRACED coroutines; the rest are listed
 * without. */
enum { RT_DUMP_TRACED = 10000 };

typedef struct dump {
    rt_g **gs;
    rt_trace *tr;
    long n, cap;
    const rt_g *self;        /* the coroutine whose stack is self_tr */
    const rt_trace *self_tr;
} dump;

static void collect(rt_g *g, void *arg)
{
    dump *d = arg;
    if (!state_name(g))
        return;
    if (d->n == d->cap) {
        long cap = d->cap ? d->cap * 2 : 256;
        rt_g **gs = realloc(d->gs, (size_t)cap * sizeof *gs);
        if (!gs)
            return;
        d->gs = gs;
        d->cap = cap;
    }
    long i = d->n++;
    d->gs[i] = g;
    if (i >= RT_DUMP_TRACED || !d->tr)
        return;
    int st = atomic_load_explicit(&g->state, memory_order_acquire);
    if (g == d->self && d->self_tr)
        d->tr[i] = *d->self_tr;
    else if (st == RT_G_PARKED || st == RT_G_RUNNABLE)
        rt_trace_suspended(g, &d->tr[i]);
    else
        d->tr[i].n = 0; /* running on another thread */
}

/* Every coroutine with its call stack; self (if not NULL) is running here
 * and its stack is self_tr. */
static void dump_all(rt_buf *b, const rt_g *self, const rt_trace *self_tr)
{
    dump d = {.self = self, .self_tr = self_tr};
    d.tr = malloc(RT_DUMP_TRACED * sizeof *d.tr);
    rt_stack_foreach(collect, &d);
    long ntr = d.n < RT_DUMP_TRACED ? d.n : RT_DUMP_TRACED;
    rt_symtab *syms = d.tr ? rt_symtab_build(d.tr, (int)ntr) : NULL;
    for (long i = 0; i < d.n; i++)
        dump_one_traced(d.gs[i], b, d.tr && i < ntr ? &d.tr[i] : NULL, syms);
    rt_symtab_free(syms);
    free(d.tr);
    free(d.gs);
}

/* Nothing could be allocated: the dump without call stacks. */
static void dump_plain(rt_buf *b) { rt_stack_foreach(dump_one, b); }

static void check_blocked(rt_g *g, void *arg)
{
    int *all = arg;
    int st = atomic_load(&g->state);
    if (st == RT_G_RUNNABLE || st == RT_G_RUNNING ||
        (st == RT_G_PARKED && (g->wait_reason < RT_WAIT_CHAN_SEND ||
                               g->wait_reason > RT_WAIT_WAITGROUP)))
        *all = 0;
}

/* Is every coroutine parked on a channel or a sync object?  A coroutine
 * parked for any other reason (a sleep, I/O, or an event some plain thread
 * will rt_ready) may still wake the others. */
int rt_debug_all_blocked(void)
{
    int all = 1;
    rt_stack_foreach(check_blocked, &all);
    return all;
}

GOC_NORETURN void rt_debug_deadlock(void)
{
    rt_fatal_begin();
    fflush(stdout);
    rt_buf b = {.n = 0};
    rt_buf_str(&b, "fatal error: all coroutines are asleep - deadlock!\n\n");
    rt_buf_flush(&b);
    dump_all(&b, NULL, NULL);
    if (sched)
        sched->thread_foreach(dump_one, &b);
    _exit(2);
}

/* "<head><msg>", then the running coroutine and where it is; stdout's
 * buffered output is written first, as a plain C program's would be at
 * exit. */
static GOC_NORETURN void report_and_exit(const char *head, const char *msg,
                                         const goc_loc *loc)
{
    rt_fatal_begin();
    rt_buf b = {.n = 0};
    rt_buf_str(&b, head);
    rt_buf_str(&b, msg);
    rt_buf_str(&b, "\n\ncoroutine ");
    rt_g *self = current();
    rt_buf_u64(&b, self ? self->id : 0);
    rt_buf_str(&b, " [running]:\n\tat ");
    rt_buf_loc(&b, loc);
    rt_buf_str(&b, "\n");
    fflush(stdout);
    rt_buf_flush(&b);
    rt_trace t;
    rt_trace_here(&t);
    rt_symtab *syms = rt_symtab_build(&t, 1);
    rt_trace_print(&b, &t, syms);
    rt_buf_flush(&b);
    _exit(2);
}

void goc_panic_at(const char *msg, const goc_loc *loc)
{
    report_and_exit("panic: ", msg, loc);
}

#undef goc_panic
void goc_panic(const char *msg) { goc_panic_at(msg, NULL); }

void rt_fatal_at(const char *msg, const goc_loc *loc)
{
    report_and_exit("fatal error: ", msg, loc);
}

/* ---- gdb support ---------------------------------------------------------- */

#if defined(__ELF__)
/* goc-gdb.py for gdb's auto-loading: one .debug_gdb_scripts entry, kind 4
 * (inline Python text): the script's name on the first line, then its
 * text, NUL-terminated.  debug.c is in every goc program, so this is too. */
__attribute__((used, section(".debug_gdb_scripts"))) static const char rt_gdb_script[] = {
    4, 'g', 'o', 'c', '-', 'g', 'd', 'b', '.', 'p', 'y', '\n',
#include "goc_gdb_script.inc"
    0};
#endif

/* ---- SIGQUIT and goc_dump ------------------------------------------------ */

/* The handler records the interrupted coroutine's stack, wakes the dump
 * thread through quit_req and waits on quit_ack, so the interrupted thread
 * stays where it was until the dump is written (as with a dump made in
 * the handler itself). */
static int quit_req[2] = {-1, -1}, quit_ack[2] = {-1, -1};
static pid_t quit_pid; /* the process the dump thread runs in (not a fork child) */
static pthread_t quit_thread; /* joinable: rt_debug_stop */
static const rt_g *quit_g;
static rt_trace quit_tr;

static void dump_report(const char *head, const rt_g *self, const rt_trace *self_tr)
{
    rt_buf b = {.n = 0};
    rt_buf_str(&b, head);
    rt_buf_flush(&b);
    dump_all(&b, self, self_tr);
    rt_buf_str(&b, "end of coroutine dump\n");
    rt_buf_flush(&b);
}

static void sigquit_handler(int sig)
{
    (void)sig;
    int saved = errno;
    rt_trace_write(); /* GOC_TRACE: a snapshot; exit rewrites it whole */
    quit_g = current();
    quit_tr.n = 0;
    if (quit_g)
        rt_trace_here(&quit_tr);
    char c = 1;
    if (quit_req[1] >= 0 && getpid() == quit_pid && write(quit_req[1], &c, 1) == 1) {
        while (read(quit_ack[0], &c, 1) < 0 && errno == EINTR) {
        }
    } else {
        rt_buf b = {.n = 0};
        rt_buf_str(&b, "SIGQUIT: coroutine dump\n\n");
        rt_buf_flush(&b);
        dump_plain(&b);
        rt_buf_str(&b, "end of coroutine dump\n");
        rt_buf_flush(&b);
    }
    errno = saved;
}

static void *quit_main(void *arg)
{
    (void)arg;
    for (;;) {
        char c;
        ssize_t k = read(quit_req[0], &c, 1);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return NULL;
        dump_report("SIGQUIT: coroutine dump\n\n", quit_g, &quit_tr);
        while (write(quit_ack[1], &c, 1) < 0 && errno == EINTR) {
        }
    }
}

/* The dump thread blocks every signal, so it never takes one meant for the
 * program. */
/* Threads debug.c starts (the SIGQUIT thread, schedtrace): the deadlock
 * detector does not count them as plain threads. */
static _Atomic int nthreads;

int rt_debug_threads(void) { return atomic_load(&nthreads); }

static void quit_thread_start(void)
{
    if (pipe(quit_req) != 0)
        return;
    if (pipe(quit_ack) != 0) {
        close(quit_req[0]);
        close(quit_req[1]);
        quit_req[0] = quit_req[1] = -1;
        return;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(quit_req[i], F_SETFD, FD_CLOEXEC);
        fcntl(quit_ack[i], F_SETFD, FD_CLOEXEC);
    }
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_t a;
    pthread_attr_init(&a);
    quit_pid = getpid();
    atomic_fetch_add(&nthreads, 1);
    if (pthread_create(&quit_thread, &a, quit_main, NULL) != 0) {
        atomic_fetch_sub(&nthreads, 1);
        close(quit_req[1]);
        quit_req[1] = -1;
    }
    pthread_attr_destroy(&a);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* End the dump thread and wait until it has (sched.c's stop_threads, at
 * exit under valgrind, so that its TLS is not reported lost). */
void rt_debug_stop(void)
{
    if (quit_req[1] < 0 || getpid() != quit_pid)
        return;
    close(quit_req[1]);
    quit_req[1] = -1;
    pthread_join(quit_thread, NULL);
}

void goc_dump(void)
{
    rt_trace t;
    rt_trace_here(&t);
    dump_report("coroutine dump\n\n", current(), &t);
}

static void count_live(rt_g *g, void *arg)
{
    if (state_name(g))
        ++*(long *)arg;
}

long goc_num_coroutines(void)
{
    long n = 0;
    rt_stack_foreach(count_live, &n);
    return n;
}

/* ---- schedtrace --------------------------------------------------------- */

static void *schedtrace_main(void *arg)
{
    long ms = (long)(intptr_t)arg;
    int64_t start = goc_now();
    for (;;) {
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
        nanosleep(&ts, NULL);
        rt_sched_stats s;
        sched->stats_read(&s);
        rt_buf b = {.n = 0};
        rt_buf_str(&b, "SCHED ");
        rt_buf_u64(&b, (uint64_t)((goc_now() - start) / GOC_MILLISECOND));
        rt_buf_str(&b, "ms: procs=");
        rt_buf_u64(&b, (uint64_t)s.procs);
        rt_buf_str(&b, " idleprocs=");
        rt_buf_u64(&b, (uint64_t)s.idle);
        rt_buf_str(&b, " spinning=");
        rt_buf_u64(&b, (uint64_t)s.spinning);
        rt_buf_str(&b, " coroutines=");
        rt_buf_u64(&b, (uint64_t)(s.live > 0 ? s.live : 0));
        rt_buf_str(&b, " timers=");
        rt_buf_u64(&b, (uint64_t)rt_timer_count());
        rt_buf_str(&b, " runqueue=");
        rt_buf_u64(&b, (uint64_t)s.global_len);
        rt_buf_str(&b, " [");
        for (int i = 0; i < s.procs && i < 64; i++) {
            if (i)
                rt_buf_str(&b, " ");
            rt_buf_u64(&b, (uint64_t)s.local_len[i]);
        }
        rt_buf_str(&b, "]\n");
        rt_buf_flush(&b);
    }
    return NULL;
}

void rt_debug_init(const rt_debug_sched *s)
{
    sched = s;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = sigquit_handler;
    sa.sa_flags = SA_RESTART | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    /* also when SIGQUIT arrives ignored: a program started in the
     * background by a shell script inherits SIG_IGN, and its dump is
     * exactly what one wants then */
    struct sigaction old;
    if (sigaction(SIGQUIT, NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO) &&
        (old.sa_handler == SIG_DFL || old.sa_handler == SIG_IGN)) {
        quit_thread_start();
        sigaction(SIGQUIT, &sa, NULL);
    }
    long ms = rt_debug_setting("schedtrace", 0);
    if (ms > 0) {
        atomic_fetch_add(&nthreads, 1);
        if (rt_thread_start(schedtrace_main, (void *)(intptr_t)ms, NULL))
            atomic_fetch_sub(&nthreads, 1);
    }
}
