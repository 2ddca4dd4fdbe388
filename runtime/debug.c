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
 */
#include "ctx.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *rt_wait_reason_name(int reason)
{
    switch (reason) {
    case RT_WAIT_CHAN_SEND: return "chan send";
    case RT_WAIT_CHAN_RECV: return "chan receive";
    case RT_WAIT_SELECT: return "select";
    case RT_WAIT_NIL_SEND: return "chan send (nil chan)";
    case RT_WAIT_NIL_RECV: return "chan receive (nil chan)";
    case RT_WAIT_SELECT_NONE: return "select (no cases)";
    case RT_WAIT_SYNC: return "sync";
    case RT_WAIT_SLEEP: return "sleep";
    case RT_WAIT_IO: return "IO wait";
    default: return "waiting";
    }
}

static const char *state_name(rt_g *g)
{
    switch (atomic_load_explicit(&g->state, memory_order_relaxed)) {
    case RT_G_RUNNABLE: return "runnable";
    case RT_G_RUNNING: return "running";
    case RT_G_PARKED: return rt_wait_reason_name(g->wait_reason);
    default: return NULL;
    }
}

/* One coroutine: "coroutine N [state]:" then its blocking and spawn sites. */
static void dump_one(rt_g *g, void *arg)
{
    rt_buf *b = arg;
    const char *st = state_name(g);
    if (!st)
        return;
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
    rt_buf_str(b, "\n\n");
    rt_buf_flush(b);
}

static void check_blocked(rt_g *g, void *arg)
{
    int *all = arg;
    int st = atomic_load(&g->state);
    if (st == RT_G_RUNNABLE || st == RT_G_RUNNING ||
        (st == RT_G_PARKED && (g->wait_reason < RT_WAIT_CHAN_SEND ||
                               g->wait_reason > RT_WAIT_SYNC)))
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
    rt_stack_foreach(dump_one, &b);
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
    rt_buf_u64(&b, goc_id());
    rt_buf_str(&b, " [running]:\n\tat ");
    rt_buf_loc(&b, loc);
    rt_buf_str(&b, "\n");
    fflush(stdout);
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

/* ---- SIGQUIT ------------------------------------------------------------ */

static void sigquit_handler(int sig)
{
    (void)sig;
    rt_buf b = {.n = 0};
    rt_buf_str(&b, "SIGQUIT: coroutine dump\n\n");
    rt_buf_flush(&b);
    rt_stack_foreach(dump_one, &b);
    rt_buf_str(&b, "end of coroutine dump\n");
    rt_buf_flush(&b);
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
        rt_sched_stats_read(&s);
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

void rt_debug_init(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = sigquit_handler;
    sa.sa_flags = SA_RESTART | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    struct sigaction old;
    if (sigaction(SIGQUIT, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
        sigaction(SIGQUIT, &sa, NULL);
    long ms = rt_debug_setting("schedtrace", 0);
    if (ms > 0)
        rt_thread_start(schedtrace_main, (void *)(intptr_t)ms, NULL);
}
