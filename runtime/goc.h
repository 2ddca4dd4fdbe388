/*
 * goc.h - the public interface of libgoc, the goc runtime.
 *
 * Every .goc file sees this header as if it were included first; plain C
 * files include it to use the runtime directly.  The language that sits on
 * top of it is defined in docs/language.md; the reference is docs/runtime.md.
 *
 * Conventions
 *  - Every entry point that can block or panic has an `_at` form taking a
 *    `const goc_loc *` (the source location reported by panics, by the
 *    deadlock report and by the SIGQUIT dump; NULL means "unknown").  The
 *    plain name is also an exported function (location unknown) and, unless
 *    GOC_NO_LOC_MACROS is defined, a macro that passes the caller's
 *    __FILE__/__LINE__ (which #line markers map back to the .goc file).
 *  - A goc_loc passed in must outlive the operation; the runtime copies the
 *    location when it keeps it longer (spawn sites).  GOC_HERE yields a
 *    pointer to a static object.
 *  - Durations and times are int64_t nanoseconds.
 *  - Recoverable failures return -1 and set errno, as POSIX calls do.
 *
 * Known to the compiler / known to the runtime: the goc compiler emits calls
 * to the `_at` functions and fills goc_select_case; keep compiler/lower*.c in
 * sync with this file.
 */
#ifndef GOC_H
#define GOC_H

/* Only freestanding headers: every .goc file sees this header, so it must
 * not declare POSIX functions (send, accept, connect, ...) that a valid C
 * program may define for itself.  In a .goc file (goc defines __GOC__) it
 * comes before the file's first line, so it must not include <stdint.h>
 * either: the C library's headers read the feature-test macros
 * (_GNU_SOURCE, _FILE_OFFSET_BITS, ...) once, when the first of them is
 * included, and the file defines those after this point.  The compiler's
 * own <stddef.h> reads none; the four exact-width types goc.h uses come
 * from the compiler's predefined macros, as <stdint.h> defines them (a
 * later #include <stdint.h> repeats the same typedefs, which C allows in
 * system headers). */
#include <stddef.h>
#ifdef __GOC__
typedef __INT32_TYPE__ int32_t;
typedef __INT64_TYPE__ int64_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __UINT64_TYPE__ uint64_t;
#else
#include <stdint.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The I/O calls use these for ssize_t and socklen_t, which are the same
 * types on every supported system (io.c checks it where it is built). */
typedef ptrdiff_t goc_ssize_t;
typedef unsigned int goc_socklen_t;
struct sockaddr;

#define GOC_VERSION_MAJOR 0
#define GOC_VERSION_MINOR 1
#define GOC_VERSION_PATCH 0
#define GOC_VERSION_STRING "0.1.0"

#if defined(__GNUC__) || defined(__clang__)
#define GOC_API __attribute__((visibility("default")))
#define GOC_NORETURN __attribute__((noreturn))
#else
#define GOC_API
#define GOC_NORETURN
#endif

/* ---- source locations ------------------------------------------------ */

typedef struct goc_loc {
    const char *file;
    int line;
} goc_loc;

#define GOC_HERE                                                             \
    (__extension__({                                                         \
        static const goc_loc goc__here = {__FILE__, __LINE__};               \
        &goc__here;                                                          \
    }))

/* ---- durations ------------------------------------------------------- */

#define GOC_NANOSECOND ((int64_t)1)
#define GOC_MICROSECOND ((int64_t)1000)
#define GOC_MILLISECOND ((int64_t)1000000)
#define GOC_SECOND ((int64_t)1000000000)

/* ---- program entry --------------------------------------------------- */

/*
 * Start the runtime (GOC_PROCS workers, default: online CPUs), run
 * main_fn(argc, argv) as the first coroutine and exit the process with its
 * return value when it returns, whatever other coroutines are doing.
 */
GOC_API GOC_NORETURN void goc_main(int (*main_fn)(int, char **), int argc,
                                   char **argv);

/*
 * Like goc_main, but return main_fn's status to the caller (a thread that
 * is not a coroutine) once main_fn returns, leaving the workers idle.  It
 * may be called again later, never concurrently.  For tests and for C
 * programs that embed goc.
 */
GOC_API int goc_run(int (*main_fn)(int, char **), int argc, char **argv);

/*
 * A program may set its coroutines' default stack size (bytes, 16 KiB to
 * 1 GiB) by defining this, in any one file:
 *     const size_t goc_stack_size = 2 << 20;
 * GOC_STACK_SIZE in the environment still overrides it.
 */
GOC_API extern const size_t goc_stack_size;

/* ---- coroutines ------------------------------------------------------ */

typedef void (*goc_fn)(void *arg);

/*
 * Start a coroutine running fn(copy), where copy is a private copy of the
 * argsize bytes at arg, placed on the new coroutine's stack (16-byte
 * aligned).  arg may be NULL when argsize is 0.
 */
GOC_API void goc_go_at(goc_fn fn, const void *arg, size_t argsize,
                       const goc_loc *loc);
GOC_API void goc_go(goc_fn fn, const void *arg, size_t argsize);

GOC_API void goc_yield(void);
/* Id of the running coroutine (1 is main), 0 outside any coroutine. */
GOC_API uint64_t goc_id(void);
/* Number of worker threads. */
GOC_API int goc_procs(void);
/* Number of live coroutines (running, runnable or parked), main included;
 * a racy snapshot when other coroutines are spawning or ending. */
GOC_API long goc_num_coroutines(void);
/* Print every coroutine to stderr with its call stack, as the SIGQUIT dump
 * does ("coroutine dump" ... "end of coroutine dump"), and carry on. */
GOC_API void goc_dump(void);

/*
 * Preemption checks (docs/runtime.md, "Preemption").  goc puts a call of
 * goc_preempt_poll() at loop iterations and at the entry of functions
 * that may recurse in .goc code (unless -fno-preempt or `#pragma goc
 * preempt off`): goc_preempt_pending is non-zero only while the monitor
 * asks some worker to end a coroutine's time slice.  On x86-64 the check
 * is one compare of that word in memory with zero and a branch (no
 * register used, nothing for the compiler to spill or hoist); elsewhere a
 * relaxed atomic load and a predictable branch.  The slow path,
 * goc_preempt_check(), is out of line and cold: it yields when the calling
 * coroutine is the one asked; anywhere else (a plain thread, a
 * constructor, a signal handler, another worker) it returns at once.
 * Long loops in plain C can call goc_yield() instead.
 */
GOC_API extern int goc_preempt_pending;
#if defined(__GNUC__) || defined(__clang__)
GOC_API __attribute__((__cold__, __noinline__)) void goc_preempt_check(void);
#else
GOC_API void goc_preempt_check(void);
#endif
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) &&    \
    !defined(GOC_PREEMPT_NO_ASM)
__attribute__((__always_inline__, __unused__)) static __inline__ void
goc_preempt_poll(void)
{
    /* asm goto is volatile: never hoisted out of a loop nor merged. */
    __asm__ goto("cmpl $0, %0\n\tjne %l[slow]"
                 : /* no outputs */
                 : "m"(goc_preempt_pending)
                 : "cc"
                 : slow);
    return;
slow:
    goc_preempt_check();
}
#elif defined(__GNUC__) || defined(__clang__)
__attribute__((__always_inline__, __unused__)) static __inline__ void
goc_preempt_poll(void)
{
    if (__builtin_expect(__atomic_load_n(&goc_preempt_pending,
                                         __ATOMIC_RELAXED) != 0, 0))
        goc_preempt_check();
}
#else
static inline void goc_preempt_poll(void)
{
    if (goc_preempt_pending)
        goc_preempt_check();
}
#endif

/*
 * Asynchronous preemption of pure recursion (docs/runtime.md,
 * "Preemption").  A function goc finds pure (it calls only __builtin_
 * functions and pure functions of its unit, names no thread-local
 * variable, has no asm and no goc statement) and that may recurse gets no
 * entry check where the runtime can stop code with a signal: ELF on Linux,
 * x86-64 or AArch64, not under ThreadSanitizer (which holds signals back)
 * and without GOC_NO_ASYNC_PREEMPT defined.  goc__async_supported below
 * tells goc so.  goc then puts the function in the section goc_async_text
 * and adds to the unit a constructor that passes the section's bounds to
 * goc_async_register(); the monitor stops a coroutine it finds there, after a
 * slice, with SIGURG.  Elsewhere such a function keeps its entry check.
 */
GOC_API void goc_async_register(const void *lo, const void *hi);
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GOC__NO_ASYNC 1
#endif
#endif
#if (defined(__GNUC__) || defined(__clang__)) && defined(__ELF__) &&       \
    defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__)) && \
    !defined(__SANITIZE_THREAD__) && !defined(GOC__NO_ASYNC) &&            \
    !defined(GOC_NO_ASYNC_PREEMPT)
enum { goc__async_supported = 1 };
extern const char __start_goc_async_text[]
    __attribute__((__weak__, __visibility__("hidden")));
extern const char __stop_goc_async_text[]
    __attribute__((__weak__, __visibility__("hidden")));
#endif

/* Print `panic: <msg>` with the location and exit with status 2. */
GOC_API GOC_NORETURN void goc_panic_at(const char *msg, const goc_loc *loc);
GOC_API GOC_NORETURN void goc_panic(const char *msg);

/* ---- channels -------------------------------------------------------- */

/* A channel handle; what chan(T) becomes in generated C.  NULL is nil. */
typedef struct goc_chan goc_chan;

/* New channel of elemsize-byte elements; cap 0: unbuffered.  cap < 0
 * panics with "makechan: size out of range". */
/* The same, recording the element type as the program spells it ("struct
 * pair"), which debuggers show (goc-gdb.py); make(chan(T)) calls it. */
GOC_API goc_chan *goc_chan_make_at_typed(size_t elemsize, long cap,
                                         const goc_loc *loc, const char *elem);
GOC_API goc_chan *goc_chan_make_at(size_t elemsize, long cap,
                                   const goc_loc *loc);
GOC_API goc_chan *goc_chan_make(size_t elemsize, long cap);
/* Release a channel no coroutine can reach any more (optional). */
GOC_API void goc_chan_free(goc_chan *c);

/* Copy elemsize bytes from *elem into the channel; blocks as Go does. */
GOC_API void goc_chan_send_at(goc_chan *c, const void *elem,
                              const goc_loc *loc);
GOC_API void goc_chan_send(goc_chan *c, const void *elem);

/* Receive into *elem (NULL: drop the value).  Returns 1 when the value
 * came from a send, 0 when c is closed and drained (*elem is zeroed). */
GOC_API int goc_chan_recv_at(goc_chan *c, void *elem, const goc_loc *loc);
GOC_API int goc_chan_recv(goc_chan *c, void *elem);

/* Never-blocking forms.  trysend: 1 if sent, 0 if it would block (panics
 * on a closed channel).  tryrecv: 1 if it completed (a value, or closed:
 * then *ok is 0), 0 if it would block; ok may be NULL. */
GOC_API int goc_chan_trysend_at(goc_chan *c, const void *elem,
                                const goc_loc *loc);
GOC_API int goc_chan_trysend(goc_chan *c, const void *elem);
GOC_API int goc_chan_tryrecv(goc_chan *c, void *elem, int *ok);

GOC_API void goc_chan_close_at(goc_chan *c, const goc_loc *loc);
GOC_API void goc_chan_close(goc_chan *c);
GOC_API long goc_chan_len(goc_chan *c);
GOC_API long goc_chan_cap(goc_chan *c);

/* ---- select ---------------------------------------------------------- */

enum { GOC_SELECT_RECV = 1, GOC_SELECT_SEND = 2 };

/* Known to the compiler: keep in sync with compiler/lower*.c. */
typedef struct goc_select_case {
    goc_chan *chan; /* NULL: never ready */
    void *elem;     /* send: the value; recv: destination or NULL */
    int dir;        /* GOC_SELECT_RECV or GOC_SELECT_SEND */
    int ok;         /* out, recv: 1 value from a send, 0 closed */
} goc_select_case;

/*
 * Wait until one of cases[0..n) can proceed, perform it and return its
 * index; among several ready cases one is chosen uniformly at random.  With
 * block == 0 it returns -1 at once when none is ready (the default case).
 * n == 0 with block != 0 blocks forever.  Allocates nothing.
 */
GOC_API int goc_select_at(goc_select_case *cases, int n, int block,
                          const goc_loc *loc);
GOC_API int goc_select(goc_select_case *cases, int n, int block);

/* ---- time ------------------------------------------------------------ */

GOC_API int64_t goc_now(void); /* monotonic */
GOC_API void goc_sleep_at(int64_t d, const goc_loc *loc);
GOC_API void goc_sleep(int64_t d);
/*
 * A chan(int64_t) that receives goc_now() once, d from now; it is never
 * closed.  Its lifetime (docs/runtime.md, "Timers"): in a select case,
 * `case <-goc_after(d):`, goc frees it when the select returns; a channel
 * the program keeps stays allocated until goc_after_free(c), which also
 * stops its timer if it has not fired (no coroutine may still use c).
 */
GOC_API goc_chan *goc_after(int64_t d);
GOC_API void goc_after_free(goc_chan *c);
/* Known to the compiler: goc_after_free(c), then return index (the
 * lowering of a select case on goc_after). */
GOC_API int goc_select_after_done(int index, goc_chan *c);
/* Known to the compiler: goc_chan_recv_at(c, ...), then goc_after_free(c)
 * (the lowering of `<-goc_after(d)`). */
GOC_API int goc_after_recv_at(goc_chan *c, void *elem, const goc_loc *loc);

/*
 * Timers and tickers, as Go's time.Timer and time.Ticker.  The channel of
 * goc_timer_chan(t) is a chan(int64_t) of capacity 1 that receives
 * goc_now() when t fires; it is never closed and lives until
 * goc_timer_free(t).  A ticker fires every period (ticks a slow receiver
 * misses are dropped); period <= 0 panics.  Stop and reset return 1 when
 * t was pending (for a ticker: running), and after either returns no value
 * from before it is received.  Reset arms a timer d from now; for a
 * ticker it sets the period to d and the next tick d from now.
 * goc_timer_free stops t and frees it and its channel; no coroutine may
 * still use either.
 */
typedef struct goc_timer goc_timer;
GOC_API goc_timer *goc_timer_new(int64_t d);
GOC_API goc_timer *goc_ticker_new(int64_t period);
GOC_API goc_chan *goc_timer_chan(goc_timer *t);
GOC_API int goc_timer_stop(goc_timer *t);
GOC_API int goc_timer_reset(goc_timer *t, int64_t d);
GOC_API void goc_timer_free(goc_timer *t);

/* ---- sync ------------------------------------------------------------ */
/*
 * All usable when zero-initialised (a semaphore needs goc_sema_init for a
 * non-zero count); all block the coroutine, never the worker thread.
 * The fields are private to the runtime.
 */
typedef struct goc_waitq {
    void *head, *tail;
} goc_waitq;

typedef struct goc_mutex {
    uint32_t lock;  /* internal spin lock word, guards waiters */
    uint32_t state; /* bit 0 locked, bit 1 waiters queued */
    goc_waitq waiters;
} goc_mutex;

typedef struct goc_rwmutex {
    uint32_t lock;
    int32_t readers;  /* active readers, -1 when a writer holds it */
    uint32_t writers_waiting;
    uint32_t pad;
    goc_waitq rwait, wwait;
} goc_rwmutex;

typedef struct goc_cond {
    uint32_t lock;
    uint32_t pad;
    goc_waitq waiters;
} goc_cond;

typedef struct goc_sema {
    uint32_t lock;
    uint32_t pad;
    int64_t count;
    goc_waitq waiters;
} goc_sema;

typedef struct goc_waitgroup {
    uint32_t lock;
    uint32_t pad;
    int64_t count;
    goc_waitq waiters;
} goc_waitgroup;

typedef struct goc_once {
    uint32_t done;
    goc_mutex m;
} goc_once;

GOC_API void goc_mutex_lock_at(goc_mutex *m, const goc_loc *loc);
GOC_API void goc_mutex_lock(goc_mutex *m);
GOC_API int goc_mutex_trylock(goc_mutex *m); /* 1 when acquired */
GOC_API void goc_mutex_unlock_at(goc_mutex *m, const goc_loc *loc);
GOC_API void goc_mutex_unlock(goc_mutex *m);

GOC_API void goc_rwmutex_rlock_at(goc_rwmutex *m, const goc_loc *loc);
GOC_API void goc_rwmutex_rlock(goc_rwmutex *m);
GOC_API void goc_rwmutex_runlock_at(goc_rwmutex *m, const goc_loc *loc);
GOC_API void goc_rwmutex_runlock(goc_rwmutex *m);
GOC_API void goc_rwmutex_lock_at(goc_rwmutex *m, const goc_loc *loc);
GOC_API void goc_rwmutex_lock(goc_rwmutex *m);
GOC_API void goc_rwmutex_unlock_at(goc_rwmutex *m, const goc_loc *loc);
GOC_API void goc_rwmutex_unlock(goc_rwmutex *m);

GOC_API void goc_cond_wait_at(goc_cond *c, goc_mutex *m, const goc_loc *loc);
GOC_API void goc_cond_wait(goc_cond *c, goc_mutex *m);
GOC_API void goc_cond_signal(goc_cond *c);
GOC_API void goc_cond_broadcast(goc_cond *c);

GOC_API void goc_sema_init(goc_sema *s, int64_t n);
GOC_API void goc_sema_acquire_at(goc_sema *s, const goc_loc *loc);
GOC_API void goc_sema_acquire(goc_sema *s);
GOC_API int goc_sema_tryacquire(goc_sema *s); /* 1 when acquired */
GOC_API void goc_sema_release(goc_sema *s);

GOC_API void goc_waitgroup_add_at(goc_waitgroup *wg, int64_t n,
                                  const goc_loc *loc);
GOC_API void goc_waitgroup_add(goc_waitgroup *wg, int64_t n);
GOC_API void goc_waitgroup_done_at(goc_waitgroup *wg, const goc_loc *loc);
GOC_API void goc_waitgroup_done(goc_waitgroup *wg);
GOC_API void goc_waitgroup_wait_at(goc_waitgroup *wg, const goc_loc *loc);
GOC_API void goc_waitgroup_wait(goc_waitgroup *wg);

/* Run fn(arg) exactly once; concurrent callers wait until it has run. */
GOC_API void goc_once_do_at(goc_once *o, void (*fn)(void *), void *arg,
                            const goc_loc *loc);
GOC_API void goc_once_do(goc_once *o, void (*fn)(void *), void *arg);

/* ---- I/O ------------------------------------------------------------- */
/* Park the coroutine, never the worker; same arguments and errno as the
 * POSIX calls.  The fd is made non-blocking as needed. */

enum { GOC_READ = 1, GOC_WRITE = 2 };

GOC_API goc_ssize_t goc_read_at(int fd, void *buf, size_t n, const goc_loc *loc);
GOC_API goc_ssize_t goc_read(int fd, void *buf, size_t n);
GOC_API goc_ssize_t goc_write_at(int fd, const void *buf, size_t n,
                             const goc_loc *loc);
GOC_API goc_ssize_t goc_write(int fd, const void *buf, size_t n);
GOC_API int goc_accept_at(int fd, struct sockaddr *addr, goc_socklen_t *len,
                          const goc_loc *loc);
GOC_API int goc_accept(int fd, struct sockaddr *addr, goc_socklen_t *len);
GOC_API int goc_connect_at(int fd, const struct sockaddr *addr, goc_socklen_t len,
                           const goc_loc *loc);
GOC_API int goc_connect(int fd, const struct sockaddr *addr, goc_socklen_t len);
/* 0 when ready; -1 with errno ETIMEDOUT once deadline (an absolute
 * goc_now() time, -1 for none) passes. */
GOC_API int goc_wait_fd_at(int fd, int events, int64_t deadline,
                           const goc_loc *loc);
GOC_API int goc_wait_fd(int fd, int events, int64_t deadline);

/* Deadline forms (deadline as above): -1 with errno ETIMEDOUT once it
 * passes.  goc_write_full writes all n bytes (looping over short writes)
 * and returns n, or -1 with errno (a prefix may have been written). */
GOC_API goc_ssize_t goc_read_dl_at(int fd, void *buf, size_t n, int64_t deadline,
                               const goc_loc *loc);
GOC_API goc_ssize_t goc_read_dl(int fd, void *buf, size_t n, int64_t deadline);
GOC_API goc_ssize_t goc_write_full_at(int fd, const void *buf, size_t n,
                                  const goc_loc *loc);
GOC_API goc_ssize_t goc_write_full(int fd, const void *buf, size_t n);
GOC_API goc_ssize_t goc_write_full_dl_at(int fd, const void *buf, size_t n,
                                     int64_t deadline, const goc_loc *loc);
GOC_API goc_ssize_t goc_write_full_dl(int fd, const void *buf, size_t n,
                                  int64_t deadline);
GOC_API int goc_accept_dl_at(int fd, struct sockaddr *addr, goc_socklen_t *len,
                             int64_t deadline, const goc_loc *loc);
GOC_API int goc_accept_dl(int fd, struct sockaddr *addr, goc_socklen_t *len,
                          int64_t deadline);
GOC_API int goc_connect_dl_at(int fd, const struct sockaddr *addr,
                              goc_socklen_t len, int64_t deadline,
                              const goc_loc *loc);
GOC_API int goc_connect_dl(int fd, const struct sockaddr *addr, goc_socklen_t len,
                           int64_t deadline);
/* Close fd after waking every coroutine waiting on it (its operation fails
 * with EBADF) and dropping its poller registration.  Close fds used with
 * goc I/O this way, not with close(). */
GOC_API int goc_close(int fd);
/* The poller backend in use: "epoll", "kqueue" or "poll". */
GOC_API const char *goc_poll_backend(void);

/* TCP helpers.  addr is "host:port", "[v6host]:port" or ":port" (every
 * interface, IPv6 and IPv4 where the system allows); host names are
 * resolved with getaddrinfo, which blocks the worker.  Both return a
 * non-blocking, close-on-exec fd, or -1 with errno. */
GOC_API int goc_listen_tcp(const char *addr, int backlog);
/* Try each address of host in turn until one connects (TCP_NODELAY set);
 * -1 with ETIMEDOUT once deadline passes. */
GOC_API int goc_dial_tcp_at(const char *addr, int64_t deadline,
                            const goc_loc *loc);
GOC_API int goc_dial_tcp(const char *addr, int64_t deadline);
/* The local port a socket is bound to, or -1 with errno. */
GOC_API int goc_local_port(int fd);

/* ---- location macros ------------------------------------------------- */

#ifndef GOC_NO_LOC_MACROS
#define goc_go(fn, arg, size) goc_go_at(fn, arg, size, GOC_HERE)
#define goc_panic(msg) goc_panic_at(msg, GOC_HERE)
#define goc_chan_make(size, cap) goc_chan_make_at(size, cap, GOC_HERE)
#define goc_chan_send(c, e) goc_chan_send_at(c, e, GOC_HERE)
#define goc_chan_recv(c, e) goc_chan_recv_at(c, e, GOC_HERE)
#define goc_chan_trysend(c, e) goc_chan_trysend_at(c, e, GOC_HERE)
#define goc_chan_close(c) goc_chan_close_at(c, GOC_HERE)
#define goc_select(cs, n, b) goc_select_at(cs, n, b, GOC_HERE)
#define goc_sleep(d) goc_sleep_at(d, GOC_HERE)
#define goc_mutex_lock(m) goc_mutex_lock_at(m, GOC_HERE)
#define goc_mutex_unlock(m) goc_mutex_unlock_at(m, GOC_HERE)
#define goc_rwmutex_rlock(m) goc_rwmutex_rlock_at(m, GOC_HERE)
#define goc_rwmutex_runlock(m) goc_rwmutex_runlock_at(m, GOC_HERE)
#define goc_rwmutex_lock(m) goc_rwmutex_lock_at(m, GOC_HERE)
#define goc_rwmutex_unlock(m) goc_rwmutex_unlock_at(m, GOC_HERE)
#define goc_cond_wait(c, m) goc_cond_wait_at(c, m, GOC_HERE)
#define goc_sema_acquire(s) goc_sema_acquire_at(s, GOC_HERE)
#define goc_waitgroup_add(wg, n) goc_waitgroup_add_at(wg, n, GOC_HERE)
#define goc_waitgroup_done(wg) goc_waitgroup_done_at(wg, GOC_HERE)
#define goc_waitgroup_wait(wg) goc_waitgroup_wait_at(wg, GOC_HERE)
#define goc_once_do(o, fn, a) goc_once_do_at(o, fn, a, GOC_HERE)
#define goc_read(fd, b, n) goc_read_at(fd, b, n, GOC_HERE)
#define goc_write(fd, b, n) goc_write_at(fd, b, n, GOC_HERE)
#define goc_accept(fd, a, l) goc_accept_at(fd, a, l, GOC_HERE)
#define goc_connect(fd, a, l) goc_connect_at(fd, a, l, GOC_HERE)
#define goc_wait_fd(fd, e, d) goc_wait_fd_at(fd, e, d, GOC_HERE)
#define goc_read_dl(fd, b, n, d) goc_read_dl_at(fd, b, n, d, GOC_HERE)
#define goc_write_full(fd, b, n) goc_write_full_at(fd, b, n, GOC_HERE)
#define goc_write_full_dl(fd, b, n, d) goc_write_full_dl_at(fd, b, n, d, GOC_HERE)
#define goc_accept_dl(fd, a, l, d) goc_accept_dl_at(fd, a, l, d, GOC_HERE)
#define goc_connect_dl(fd, a, l, d) goc_connect_dl_at(fd, a, l, d, GOC_HERE)
#define goc_dial_tcp(a, d) goc_dial_tcp_at(a, d, GOC_HERE)
#endif

#ifdef __cplusplus
}
#endif
#endif /* GOC_H */
