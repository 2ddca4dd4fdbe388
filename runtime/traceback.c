/*
 * traceback.c - call stacks for the runtime's reports, as Go's traceback:
 * each coroutine's frames with function and .goc file:line.
 *
 * Walking: libgcc's unwinder (_Unwind_Backtrace, from the .eh_frame unwind
 * tables every C compiler emits by default) from the current frame; for a
 * suspended coroutine, from inside rt_ctx_walk (ctx_x86_64.S), whose unwind
 * information makes its caller look like the coroutine's saved context, so
 * the walk never touches the coroutine's stack except to read it.  Other
 * architectures walk only the running stack.
 *
 * Symbolizing: `addr2line -f -e OBJECT ADDR...` (llvm-addr2line when
 * installed, else binutils' addr2line: see symbolizer()), run once per
 * object (the program, libgoc.so, libc...) that holds a frame, found with
 * dl_iterate_phdr; it reads the object's DWARF line table, so frames carry
 * file:line when the code was built with -g and function names from the
 * symbol table otherwise.  That runs a subprocess and allocates, so it is
 * never done in a signal handler: the SIGQUIT handler hands the dump to a
 * thread (debug.c).  Without addr2line the reports print raw addresses.
 */
#define _GNU_SOURCE
#include "traceback.h"

#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unwind.h>

extern char **environ;

/* ---- walking ------------------------------------------------------------ */

typedef struct walk {
    rt_trace *t;
    int skip;
} walk;

static _Unwind_Reason_Code walk_frame(struct _Unwind_Context *c, void *arg)
{
    walk *w = arg;
    int before = 0;
    uintptr_t pc = _Unwind_GetIPInfo(c, &before);
    if (!pc)
        return _URC_END_OF_STACK;
    if (w->skip > 0) {
        w->skip--;
        return _URC_NO_REASON;
    }
    if (w->t->n == RT_TRACE_MAX)
        return _URC_END_OF_STACK;
    w->t->pc[w->t->n++] = before ? pc : pc - 1;
    return _URC_NO_REASON;
}

__attribute__((noinline)) void rt_trace_here(rt_trace *t)
{
    walk w = {t, 1}; /* leave out rt_trace_here itself */
    t->n = 0;
    _Unwind_Backtrace(walk_frame, &w);
}

#if defined(__x86_64__)
void rt_ctx_walk(void *ctx, void (*fn)(void *), void *arg);

static void walk_suspended(void *arg)
{
    walk w = {arg, 2}; /* walk_suspended and rt_ctx_walk */
    _Unwind_Backtrace(walk_frame, &w);
}

void rt_trace_suspended(const rt_g *g, rt_trace *t)
{
    t->n = 0;
    if (g->sp)
        rt_ctx_walk(g->sp, walk_suspended, t);
}
#else
void rt_trace_suspended(const rt_g *g, rt_trace *t)
{
    (void)g;
    t->n = 0;
}
#endif

/* ---- symbolizing -------------------------------------------------------- */

typedef struct sym {
    uintptr_t pc;
    char *func; /* NULL: unknown */
    char *where; /* "file:line", NULL: unknown */
} sym;

struct rt_symtab {
    sym *s; /* sorted by pc, unique */
    int n;
};

static int cmp_pc(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
    return x < y ? -1 : x > y;
}

/* The object holding an address: its file and load bias. */
typedef struct object {
    uintptr_t pc;
    char path[512];
    uintptr_t bias;
    int found;
} object;

static int find_object(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    object *o = arg;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type != PT_LOAD || o->pc < lo || o->pc >= lo + ph->p_memsz)
            continue;
        if (info->dlpi_name && *info->dlpi_name) {
            snprintf(o->path, sizeof o->path, "%s", info->dlpi_name);
        } else { /* the program; /proc/self would be addr2line's own */
            ssize_t k = readlink("/proc/self/exe", o->path, sizeof o->path - 1);
            o->path[k > 0 ? k : 0] = 0;
        }
        o->bias = info->dlpi_addr;
        o->found = 1;
        return 1;
    }
    return 0;
}

/* Run argv with stdout into a malloc'd string (NULL on failure). */
static char *run_capture(char **argv)
{
    int p[2];
    if (pipe(p) != 0)
        return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    if (rc != 0) {
        close(p[0]);
        return NULL;
    }
    size_t n = 0, cap = 4096;
    char *out = malloc(cap);
    for (;;) {
        if (out && n + 1 >= cap) {
            char *bigger = realloc(out, cap * 2);
            if (!bigger) {
                free(out);
                out = NULL;
            } else {
                out = bigger;
                cap *= 2;
            }
        }
        char sink[512];
        ssize_t k = out ? read(p[0], out + n, cap - n - 1) : read(p[0], sink, sizeof sink);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        if (out)
            n += (size_t)k;
    }
    close(p[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (out)
        out[n] = 0;
    return out;
}

static char *next_line(char **p)
{
    char *s = *p;
    if (!s || !*s)
        return NULL;
    char *nl = strchr(s, '\n');
    if (nl) {
        *nl = 0;
        *p = nl + 1;
    } else {
        *p = s + strlen(s);
    }
    return s;
}

/* llvm-addr2line when installed: binutils' addr2line (2.40) names the
 * wrong file for DWARF 5 line tables whose first file differs from the
 * unit's name, as goc's line markers make them (the line is right). */
static const char *symbolizer(void)
{
    static const char *const dirs[] = {"/usr/bin/", "/usr/local/bin/", "/bin/"};
    char path[64];
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        snprintf(path, sizeof path, "%sllvm-addr2line", dirs[i]);
        if (access(path, X_OK) == 0)
            return "llvm-addr2line";
    }
    return "addr2line";
}

/* Symbolize syms[i..j), which all lie in object o. */
static void symbolize_object(sym *syms, int i, int j, const object *o)
{
    int n = j - i;
    char **argv = calloc((size_t)n + 6, sizeof *argv);
    char *addrs = malloc((size_t)n * 24);
    if (!argv || !addrs) {
        free(argv);
        free(addrs);
        return;
    }
    int a = 0;
    argv[a++] = (char *)symbolizer();
    argv[a++] = "-f";
    argv[a++] = "-e";
    argv[a++] = (char *)o->path;
    for (int k = 0; k < n; k++) {
        argv[a] = addrs + (size_t)k * 24;
        snprintf(argv[a++], 24, "0x%lx", (unsigned long)(syms[i + k].pc - o->bias));
    }
    char *out = run_capture(argv), *p = out;
    for (int k = 0; k < n; k++) {
        char *func = next_line(&p), *where = next_line(&p);
        if (!func || !where)
            break;
        if (strcmp(func, "??") != 0)
            syms[i + k].func = strdup(func);
        if (strncmp(where, "??", 2) != 0)
            syms[i + k].where = strdup(where);
    }
    free(out);
    free(argv);
    free(addrs);
}

rt_symtab *rt_symtab_build(const rt_trace *ts, int nt)
{
    long total = 0;
    for (int i = 0; i < nt; i++)
        total += ts[i].n;
    rt_symtab *s = calloc(1, sizeof *s);
    uintptr_t *pcs = malloc((size_t)(total ? total : 1) * sizeof *pcs);
    if (!s || !pcs) {
        free(s);
        free(pcs);
        return NULL;
    }
    long k = 0;
    for (int i = 0; i < nt; i++)
        for (int f = 0; f < ts[i].n; f++)
            pcs[k++] = ts[i].pc[f];
    qsort(pcs, (size_t)total, sizeof *pcs, cmp_pc);
    s->s = calloc((size_t)(total ? total : 1), sizeof *s->s);
    if (!s->s) {
        free(pcs);
        free(s);
        return NULL;
    }
    for (long i = 0; i < total; i++)
        if (!i || pcs[i] != pcs[i - 1])
            s->s[s->n++].pc = pcs[i];
    free(pcs);
    /* by object: pcs of one object are contiguous once sorted, mostly */
    for (int i = 0; i < s->n;) {
        object o = {.pc = s->s[i].pc};
        dl_iterate_phdr(find_object, &o);
        int j = i + 1;
        if (!o.found) {
            i = j;
            continue;
        }
        while (j < s->n) {
            object o2 = {.pc = s->s[j].pc};
            dl_iterate_phdr(find_object, &o2);
            if (!o2.found || o2.bias != o.bias || strcmp(o2.path, o.path) != 0)
                break;
            j++;
        }
        symbolize_object(s->s, i, j, &o);
        i = j;
    }
    return s;
}

void rt_symtab_free(rt_symtab *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++) {
        free(s->s[i].func);
        free(s->s[i].where);
    }
    free(s->s);
    free(s);
}

static const sym *lookup(const rt_symtab *s, uintptr_t pc)
{
    int lo = 0, hi = s ? s->n : 0;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (s->s[mid].pc < pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return s && lo < s->n && s->s[lo].pc == pc ? &s->s[lo] : NULL;
}

/* Is this frame the runtime's own (its sources' directory) or goc's main
 * wrapper?  Reports show the program's frames only, as Go hides its
 * runtime's. */
static int hidden(const sym *y)
{
    static const char me[] = __FILE__;
    size_t dir = sizeof me - sizeof "traceback.c";
    if (y->where && strncmp(y->where, me, dir) == 0 && strchr(y->where + dir, '/') == NULL)
        return 1;
    return y->func && (strcmp(y->func, "goc__main") == 0 || strcmp(y->func, "rt_ctx_entry") == 0);
}

static void put_hex(rt_buf *b, uintptr_t v)
{
    char tmp[2 + 2 * sizeof v + 1];
    int i = (int)sizeof tmp;
    tmp[--i] = 0;
    do {
        tmp[--i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    tmp[--i] = 'x';
    tmp[--i] = '0';
    rt_buf_str(b, tmp + i);
}

void rt_trace_print(rt_buf *b, const rt_trace *t, const rt_symtab *s)
{
    for (int i = 0; i < t->n; i++) {
        const sym *y = lookup(s, t->pc[i]);
        /* below goc__main: the C library's call of main, which started
         * the runtime (lower.c, lower_main) */
        if (y && y->func && strcmp(y->func, "goc__main") == 0)
            break;
        if (y && hidden(y))
            continue;
        rt_buf_str(b, "\t");
        rt_buf_str(b, y && y->func ? y->func : "?");
        rt_buf_str(b, "\n\t\t");
        if (y && y->where)
            rt_buf_str(b, y->where);
        else
            put_hex(b, t->pc[i]);
        rt_buf_str(b, "\n");
    }
}
