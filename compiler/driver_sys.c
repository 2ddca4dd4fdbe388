/*
 * driver_sys.c - system services for the goc driver: argument vectors,
 * child processes, the temporary directory, and finding the runtime.
 *
 * The driver is a short-lived process: strings it builds are never freed,
 * and any allocation failure ends it through diag_internal.
 */
#include "driver_sys.h"
#include "frontend.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

void sv_push(strv *sv, const char *s)
{
    if (sv->n + 2 > sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 16;
        sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
}

void sv_append(strv *sv, const strv *from)
{
    for (size_t i = 0; i < from->n; i++)
        sv_push(sv, from->v[i]);
}

void sv_free(strv *sv)
{
    free(sv->v);
    *sv = (strv){0};
}

/* Strings that live until exit hang off one list, so that leak checkers
 * (the driver is also built with -fsanitize=address) see them reachable. */
static arena *lasting;

char *drv_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(arena_alloc(&lasting, n), s, n);
}

char *drv_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        diag_internal("bad format string");
    char *s = arena_alloc(&lasting, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

void drv_split_command(strv *out, const char *cmd)
{
    const char *p = cmd;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " \t");
        char *w = arena_alloc(&lasting, n + 1);
        memcpy(w, p, n);
        w[n] = 0;
        sv_push(out, w);
        p += n;
    }
}

/* ---- child processes ---- */

/* Print one word so that a POSIX shell reads it back unchanged. */
static void print_quoted(FILE *f, const char *s)
{
    if (*s && !s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                           "0123456789-_./=+,:@%")]) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

static void print_command(const strv *argv)
{
    for (size_t i = 0; i < argv->n; i++) {
        if (i)
            fputc(' ', stderr);
        print_quoted(stderr, argv->v[i]);
    }
    fputc('\n', stderr);
    fflush(stderr);
}

/* Start argv; its stderr goes to errpath and its signal mask is mask, when
 * those are not NULL. */
static pid_t spawn(const strv *argv, int verbose, const char *errpath,
                   const sigset_t *mask)
{
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t fa;
    pid_t pid;
    if (verbose)
        print_command(argv);
    fflush(stdout);
    fflush(stderr);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&fa);
    if (mask) {
        posix_spawnattr_setsigmask(&attr, mask);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    }
    if (errpath)
        posix_spawn_file_actions_addopen(&fa, 2, errpath,
                                         O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = posix_spawnp(&pid, argv->v[0], &fa, &attr,
                           (char *const *)argv->v, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (err) {
        diag_plain_error("cannot run '%s': %s", argv->v[0], strerror(err));
        return -1;
    }
    return pid;
}

static int wait_for(pid_t pid, int *sig)
{
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR)
            diag_internal("waitpid: %s", strerror(errno));
    }
    *sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + *sig;
}

/* ---- the C compiler's messages as JSON ----
 * With -fdiagnostics-format=json nothing but JSON may reach stderr, so the
 * compiler's stderr is captured and each line relayed as one object of the
 * same shape as diag.c's: "file:line:col: severity: message" keeps its
 * location (a .goc one, thanks to the line markers); any other line becomes
 * a note without a location. */

static void json_string(const char *s, size_t n)
{
    fputc('"', stderr);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(stderr, "\\%c", c);
        else if (c < 0x20)
            fprintf(stderr, "\\u%04x", c);
        else
            fputc(c, stderr);
    }
    fputc('"', stderr);
}

/* Strip a trailing ":<digits>" from head[0..*n); return the number or 0. */
static long trailing_number(const char *head, size_t *n)
{
    size_t i = *n;
    while (i > 0 && head[i - 1] >= '0' && head[i - 1] <= '9')
        i--;
    if (i == *n || i == 0 || head[i - 1] != ':')
        return 0;
    long v = strtol(head + i, NULL, 10);
    *n = i - 1;
    return v;
}

/* A source excerpt or caret line ("   12 | x = y;", "      |   ^~~"). */
static int excerpt_line(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i + 1 < n && s[i] == ' ' && s[i + 1] == '|')
        return 1;
    for (i = 0; i < n && strchr(" ^~|", s[i]); i++)
        ;
    return i == n;
}

static void relay_line(const char *s, size_t n)
{
    static const char *const sevs[] = {"fatal error", "error", "warning",
                                       "note"};
    const char *sev = NULL, *msg = s;
    size_t head = 0;
    for (size_t i = 0; !sev && i + 2 < n; i++) {
        if (s[i] != ':' || s[i + 1] != ' ')
            continue;
        for (size_t k = 0; k < sizeof sevs / sizeof *sevs; k++) {
            size_t m = strlen(sevs[k]);
            if (i + 2 + m + 2 <= n && memcmp(s + i + 2, sevs[k], m) == 0 &&
                s[i + 2 + m] == ':' && s[i + 3 + m] == ' ') {
                sev = sevs[k];
                head = i;
                msg = s + i + m + 4;
                break;
            }
        }
    }
    long line = 0, col = 0;
    if (sev) {
        col = trailing_number(s, &head);
        line = trailing_number(s, &head);
        if (!line)
            line = col, col = 0;
    }
    fputs("{\"file\":", stderr);
    if (sev && head)
        json_string(s, head);
    else
        fputs("null", stderr);
    fprintf(stderr, ",\"line\":%ld,\"column\":%ld,\"severity\":", line, col);
    json_string(!sev ? "note" : sev[0] == 'f' ? "error" : sev,
                !sev ? 4 : sev[0] == 'f' ? 5 : strlen(sev));
    fputs(",\"message\":", stderr);
    json_string(msg, n - (size_t)(msg - s));
    fputs("}\n", stderr);
}

static void relay_json(const char *path)
{
    size_t len;
    char *text = drv_read_file(path, &len);
    if (!text)
        return;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        if (j > i && !excerpt_line(text + i, j - i))
            relay_line(text + i, j - i);
        i = j + 1;
    }
    free(text);
    unlink(path);
}

/* ---- clang's source excerpts ----
 * clang quotes the line of the file it compiles, goc's C, under a message
 * whose line marker puts it on a .goc line (gcc reads the .goc file).  On
 * a line goc lowered (or where a macro was expanded) that is not the .goc
 * text: such an excerpt is replaced by the line of the file the message
 * names, with a caret at the message's column (tabs expanded as clang
 * does, every 8 columns).  Ranges and fix-it hints of a replaced excerpt
 * are dropped (they describe the generated text). */

/* s[0..n) without ANSI colour sequences, into out (NUL-terminated). */
static size_t plain_text(const char *s, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\033' && i + 1 < n && s[i + 1] == '[') {
            i += 2;
            while (i < n && !(s[i] >= '@' && s[i] <= '~'))
                i++;
            continue;
        }
        out[k++] = s[i];
    }
    out[k] = 0;
    return k;
}

/* "file:line:col: severity: ..." -> file (malloc'd), line, col. */
static char *message_at(const char *s, long *line, long *col)
{
    static const char *const sevs[] = {": error: ", ": warning: ", ": note: ",
                                       ": fatal error: ", ": remark: "};
    const char *hit = NULL;
    for (size_t k = 0; k < sizeof sevs / sizeof *sevs; k++) {
        const char *h = strstr(s, sevs[k]);
        if (h && (!hit || h < hit))
            hit = h;
    }
    if (!hit)
        return NULL;
    size_t head = (size_t)(hit - s);
    *col = trailing_number(s, &head);
    *line = trailing_number(s, &head);
    if (*line <= 0 || *col <= 0 || head == 0)
        return NULL;
    return drv_printf("%.*s", (int)head, s);
}

/* Line `line` of file `path` with its tabs expanded, and in *caret the
 * display column of its byte column col; NULL when unreadable. */
static char *source_line(const char *path, long line, long col, long *caret)
{
    size_t len;
    char *text = drv_read_file(path, &len);
    if (!text)
        return NULL;
    size_t i = 0;
    for (long l = 1; l < line && i < len; i++)
        if (text[i] == '\n')
            l++;
    if (i >= len && line > 1) {
        free(text);
        return NULL;
    }
    size_t e = i;
    while (e < len && text[e] != '\n' && text[e] != '\r')
        e++;
    char *out = malloc((e - i) * 8 + 1);
    if (!out)
        diag_internal("out of memory");
    size_t k = 0;
    *caret = -1;
    for (size_t j = i; j <= e; j++) {
        if ((long)(j - i) + 1 == col)
            *caret = (long)k;
        if (j == e)
            break;
        if (text[j] == '\t') {
            do
                out[k++] = ' ';
            while (k % 8);
        } else {
            out[k++] = text[j];
        }
    }
    while (k > 0 && out[k - 1] == ' ')
        k--;
    out[k] = 0;
    free(text);
    return out;
}

static int caret_line(const char *s)
{
    return strchr(s, '^') && strspn(s, " ^~") == strlen(s);
}

/* Print lines[i] (a message) and its excerpt, fixed; return the number of
 * lines consumed. */
static size_t relay_message(char **raw, char **plain, size_t n, size_t i)
{
    long line, col, caret = -1, l2, c2;
    char *file = i + 2 < n ? message_at(plain[i], &line, &col) : NULL;
    char *src = NULL;
    char *ex = file ? plain[i + 1] : NULL;
    if (ex && !caret_line(ex) && !message_at(ex, &l2, &c2) &&
        caret_line(plain[i + 2]))
        src = source_line(file, line, col, &caret);
    size_t exn = ex ? strlen(ex) : 0;
    while (exn > 0 && ex[exn - 1] == ' ')
        exn--;
    if (!src || caret < 0 || (strlen(src) == exn && memcmp(src, ex, exn) == 0)) {
        fprintf(stderr, "%s\n", raw[i]);
        free(src);
        return 1;
    }
    size_t esc = 0; /* the caret line's colour, if any */
    while (raw[i + 2][esc] == '\033') {
        const char *m = strchr(raw[i + 2] + esc, 'm');
        if (!m)
            break;
        esc = (size_t)(m - raw[i + 2]) + 1;
    }
    fprintf(stderr, "%s\n%s\n%.*s%*s^%s\n", raw[i], src, (int)esc, raw[i + 2],
            (int)caret, "", esc ? "\033[0m" : "");
    free(src);
    /* a fix-it hint under the caret line starts with blanks */
    size_t used = 3;
    if (i + 3 < n && plain[i + 3][0] == ' ' && !caret_line(plain[i + 3]))
        used++;
    return used;
}

static void relay_fixed(const char *path)
{
    size_t len;
    char *text = drv_read_file(path, &len);
    if (!text)
        return;
    unlink(path);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    if (len && text[len - 1] != '\n')
        n++;
    char **raw = calloc(n + 1, sizeof *raw), **plain = calloc(n + 1, sizeof *plain);
    char *buf = malloc(len + n + 1);
    if (!raw || !plain || !buf)
        diag_internal("out of memory");
    size_t k = 0, used = 0;
    for (size_t i = 0; i < len && k < n; k++) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        text[e] = 0;
        raw[k] = text + i;
        plain[k] = buf + used;
        used += plain_text(raw[k], e - i, plain[k]) + 1;
        i = e + 1;
    }
    for (size_t i = 0; i < k;)
        i += relay_message(raw, plain, k, i);
    fflush(stderr);
    free(raw);
    free(plain);
    free(buf);
    free(text);
}

int drv_run_cc(const strv *argv, int verbose, int json)
{
    static unsigned seq;
    if (json)
        return drv_run(argv, verbose, json);
    int sig;
    const char *err = drv_tmpfile(drv_printf("cc-c-%u.err", seq++));
    pid_t pid = spawn(argv, verbose, err, NULL);
    int st = pid < 0 ? -1 : wait_for(pid, &sig);
    relay_fixed(err);
    return st;
}

int drv_run(const strv *argv, int verbose, int json)
{
    static unsigned seq;
    int sig;
    const char *err = json ? drv_tmpfile(drv_printf("cc-%u.err", seq++)) : NULL;
    pid_t pid = spawn(argv, verbose, err, NULL);
    int st = pid < 0 ? -1 : wait_for(pid, &sig);
    if (err)
        relay_json(err);
    return st;
}

/* ---- goc run: the program and the signals sent to goc ----
 * A signal that a process sends to goc (kill -TERM <goc>) is forwarded to
 * the program, which decides what it means; goc keeps waiting and exits as
 * the program did.  A signal from the terminal (SIGINT on ^C, SIGQUIT,
 * SIGHUP on hang-up) already reaches the program, which is in the same
 * process group, so goc only waits: forwarding it would deliver it twice.
 * The kernel marks those with si_code SI_KERNEL, where kill(2) gives
 * SI_USER (or SI_QUEUE, SI_TKILL: all <= 0).  Signals goc inherited as
 * ignored stay ignored, in goc and in the program. */
static const int run_sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
static volatile sig_atomic_t run_pid;

static void forward_signal(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (si && si->si_code > 0)
        return;
    if (run_pid > 0)
        kill((pid_t)run_pid, sig);
}

int drv_run_program(const strv *argv, int verbose, int *sig)
{
    enum { N = sizeof run_sigs / sizeof *run_sigs };
    struct sigaction fwd = {.sa_sigaction = forward_signal,
                            .sa_flags = SA_SIGINFO | SA_RESTART},
                     old[N];
    sigset_t block, saved;
    sigemptyset(&block);
    for (size_t i = 0; i < N; i++)
        sigaddset(&block, run_sigs[i]);
    /* Blocked until the pid is known, so that none is lost meanwhile;
     * posix_spawn gives the program the mask goc had before. */
    sigprocmask(SIG_BLOCK, &block, &saved);
    for (size_t i = 0; i < N; i++) {
        sigaction(run_sigs[i], NULL, &old[i]);
        if (old[i].sa_handler != SIG_IGN)
            sigaction(run_sigs[i], &fwd, NULL);
    }
    pid_t pid = spawn(argv, verbose, NULL, &saved);
    run_pid = pid;
    sigprocmask(SIG_SETMASK, &saved, NULL);
    *sig = 0;
    int st = pid < 0 ? -1 : wait_for(pid, sig);
    sigprocmask(SIG_BLOCK, &block, NULL);
    run_pid = 0;
    for (size_t i = 0; i < N; i++)
        sigaction(run_sigs[i], &old[i], NULL);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return st;
}

/* ---- the temporary directory ----
 * Every path inside it is handed out by drv_tmpfile (other temporaries
 * by drv_track) and recorded in
 * `tmp_files`, so cleanup (also from a signal handler, with only
 * async-signal-safe calls) unlinks exactly those and then the directory.
 * Signals are blocked while the list grows so the handler never sees it
 * half-updated. */
static char *tmp_dir;
static char **tmp_files;
static size_t tmp_n, tmp_cap;

void drv_cleanup(void)
{
    for (size_t i = 0; i < tmp_n; i++)
        unlink(tmp_files[i]);
    if (tmp_dir)
        rmdir(tmp_dir);
}

static void on_signal(int sig)
{
    drv_cleanup();
    signal(sig, SIG_DFL);
    raise(sig);
}

#if defined(__SANITIZE_ADDRESS__)
#define GOC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GOC_ASAN 1
#endif
#endif

#ifndef GOC_ASAN
/* A crash of goc itself: what it had half written goes, and the status is
 * the internal-error one (70), not the signal's.  Not under AddressSanitizer,
 * whose own report says more. */
static void on_crash(int sig)
{
    char msg[64] = "goc: internal error: crashed (signal ";
    size_t n = strlen(msg);
    if (sig >= 10)
        msg[n++] = (char)('0' + sig / 10);
    msg[n++] = (char)('0' + sig % 10);
    msg[n++] = ')';
    msg[n++] = '\n';
    if (write(2, msg, n) < 0)
        n = 0;
    drv_cleanup();
    _exit(GOC_EXIT_INTERNAL);
}
#endif

void drv_crash_guard(void)
{
#ifndef GOC_ASAN
    static char altstack[64 * 1024];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {.sa_handler = on_crash, .sa_flags = SA_ONSTACK};
    int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
#endif
}

static void block_signals(int block, sigset_t *old)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);
    if (block)
        sigprocmask(SIG_BLOCK, &s, old);
    else
        sigprocmask(SIG_SETMASK, old, NULL);
}

const char *drv_tmpdir(void)
{
    if (tmp_dir)
        return tmp_dir;
    const char *base = getenv("TMPDIR");
    char *templ = drv_printf("%s/goc-XXXXXX", base && *base ? base : "/tmp");
    sigset_t old;
    block_signals(1, &old);
    if (!mkdtemp(templ)) {
        block_signals(0, &old);
        diag_plain_error("cannot create a temporary directory %s: %s", templ,
                         strerror(errno));
        return NULL;
    }
    tmp_dir = templ;
    atexit(drv_cleanup);
    int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction sa = {.sa_handler = on_signal}, old_sa;
        sigaction(sigs[i], NULL, &old_sa);
        if (old_sa.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
    block_signals(0, &old);
    return tmp_dir;
}

char *drv_tmpfile(const char *name)
{
    return drv_track(drv_printf("%s/%s", tmp_dir, name));
}

char *drv_track(char *p)
{
    sigset_t old;
    block_signals(1, &old);
    if (tmp_n == tmp_cap) {
        tmp_cap = tmp_cap ? 2 * tmp_cap : 16;
        tmp_files = xrealloc(tmp_files, tmp_cap * sizeof *tmp_files);
    }
    tmp_files[tmp_n++] = p;
    block_signals(0, &old);
    return p;
}

char *drv_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = xrealloc(NULL, cap);
    for (;;) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        buf = xrealloc(buf, cap);
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    *len = n;
    return buf;
}

/* ---- finding the runtime ---- */

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The n-th (from 0) executable file called name on PATH, or name itself
 * when it holds a '/'; NULL when there is none. */
static char *on_path(const char *name, int nth)
{
    if (strchr(name, '/'))
        return nth == 0 && access(name, X_OK) == 0 ? drv_strdup(name) : NULL;
    for (const char *path = getenv("PATH"); path && *path;) {
        size_t len = strcspn(path, ":");
        char *f = drv_printf("%.*s/%s", len ? (int)len : 1,
                             len ? path : ".", name);
        if (is_file(f) && access(f, X_OK) == 0 && nth-- == 0)
            return f;
        path += len + (path[len] == ':');
    }
    return NULL;
}

/* The running executable, symlinks resolved. */
static char *exe_path(const char *argv0)
{
    static char *self;
    char buf[PATH_MAX], real[PATH_MAX];
    if (self)
        return self;
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    const char *p = buf;
    if (n > 0)
        buf[n] = 0;
    else
        p = argv0 ? on_path(argv0, 0) : NULL;
    if (p && realpath(p, real))
        self = drv_strdup(real);
    return self;
}

/* The directory holding the running executable, symlinks resolved. */
static char *exe_dir(const char *argv0)
{
    char *exe = exe_path(argv0);
    if (!exe)
        return NULL;
    char *dir = drv_strdup(exe);
    *strrchr(dir, '/') = 0;
    return dir[0] ? dir : drv_strdup("/");
}

/* ---- finding the C compiler ---- */

/* 1 when the program `word` would run is this goc. */
static int is_self(const char *word)
{
    struct stat a, b;
    const char *self = exe_path(NULL), *f = on_path(word, 0);
    return self && f && stat(self, &a) == 0 && stat(f, &b) == 0 &&
           a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* 1 when the command runs goc: this goc anywhere in it ("ccache goc
 * build"), or any goc followed by build or run ("/opt/goc/bin/goc build"). */
static int runs_self(const strv *cmd)
{
    for (size_t i = 0; i < cmd->n; i++) {
        const char *base = strrchr(cmd->v[i], '/');
        base = base ? base + 1 : cmd->v[i];
        if (is_self(cmd->v[i]) ||
            (strcmp(base, "goc") == 0 && i + 1 < cmd->n &&
             (strcmp(cmd->v[i + 1], "build") == 0 ||
              strcmp(cmd->v[i + 1], "run") == 0)))
            return 1;
    }
    return 0;
}

/* A goc that runs goc as its C compiler, which runs goc...: stop at a
 * depth no build reaches (GOC_NESTING counts, through the environment). */
static int too_deep(void)
{
    const char *e = getenv("GOC_NESTING");
    int depth = e ? atoi(e) : 0;
    if (depth >= 8) {
        diag_plain_error("goc is running itself as the C compiler (%d levels "
                         "deep): set GOC_CC to the real C compiler", depth);
        return 1;
    }
    char buf[16];
    snprintf(buf, sizeof buf, "%d", depth + 1);
    setenv("GOC_NESTING", buf, 1);
    return 0;
}

int drv_find_cc(strv *out, const char *argv0, const char *given)
{
    static const char *const vars[] = {"GOC_CC", "CC"};
    exe_path(argv0);
    if (too_deep())
        return -1;
    if (given) {
        drv_split_command(out, given);
        if (out->n && !runs_self(out))
            return 0;
        diag_plain_error("--cc='%s' does not name a C compiler%s", given,
                         out->n ? " (it runs goc itself)" : "");
        return -1;
    }
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v)
            continue;
        drv_split_command(out, v);
        if (out->n && !runs_self(out))
            return 0;
        /* CC="goc build", as in `make CC="goc build"`: not a compiler for
         * goc to run.  GOC_CC must be right. */
        if (i == 0) {
            diag_plain_error("GOC_CC='%s' does not name a C compiler%s", v,
                             out->n ? " (it runs goc itself)" : "");
            return -1;
        }
        out->n = 0;
    }
    /* cc on PATH, skipping goc installed as cc. */
    for (int nth = 0;; nth++) {
        char *cc = on_path("cc", nth);
        if (!cc || !is_self(cc)) {
            sv_push(out, cc && nth ? cc : "cc");
            return 0;
        }
    }
}

static int same_dir(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

/* prefix/rel, or rel itself when it is absolute. */
static char *under(const char *prefix, const char *rel)
{
    return rel[0] == '/' ? drv_strdup(rel) : drv_printf("%s/%s", prefix, rel);
}

/* The install prefix: the executable's directory minus GOC_INSTALL_BINDIR. */
static char *prefix_of(const char *bindir)
{
    char *p = drv_strdup(bindir);
    const char *rel = GOC_INSTALL_BINDIR;
    for (const char *s = rel; *s; s += strspn(s, "/")) {
        s += strcspn(s, "/");
        p = drv_printf("%s/..", p);
    }
    return p;
}

static void from_prefix(drv_runtime *rt, const char *prefix)
{
    rt->include_dir = under(prefix, GOC_INSTALL_INCLUDEDIR);
    if (!is_file(drv_printf("%s/goc.h", rt->include_dir)))
        rt->include_dir = drv_printf("%s/include", prefix);
    rt->lib_dir = under(prefix, GOC_INSTALL_LIBDIR);
    if (!is_file(drv_printf("%s/libgoc.a", rt->lib_dir)) &&
        !is_file(drv_printf("%s/libgoc.so", rt->lib_dir)))
        rt->lib_dir = drv_printf("%s/lib", prefix);
}

const drv_runtime *drv_find_runtime(const char *argv0)
{
    static drv_runtime rt;
    if (rt.include_dir)
        return &rt;
    const char *root = getenv("GOC_ROOT");
    char *dir = exe_dir(argv0);
    if (root && *root) {
        from_prefix(&rt, root);
        rt.how = "GOC_ROOT";
    } else if (dir && same_dir(dir, GOC_BUILD_BIN_DIR)) {
        rt.include_dir = GOC_BUILD_INCLUDE_DIR;
        rt.lib_dir = GOC_BUILD_LIB_DIR;
        rt.how = "build tree";
    } else if (dir) {
        from_prefix(&rt, prefix_of(dir));
        rt.how = "install";
    } else {
        diag_plain_error("cannot locate the goc executable; set GOC_ROOT to "
                         "the directory goc is installed in");
        return NULL;
    }
    if (!is_file(drv_printf("%s/goc.h", rt.include_dir))) {
        diag_plain_error("the goc runtime header %s/goc.h is missing (found "
                         "via %s); set GOC_ROOT to the install prefix",
                         rt.include_dir, rt.how);
        rt.include_dir = NULL;
        return NULL;
    }
    char real[PATH_MAX];
    if (realpath(rt.include_dir, real))
        rt.include_dir = drv_strdup(real);
    if (realpath(rt.lib_dir, real))
        rt.lib_dir = drv_strdup(real);
    return &rt;
}
