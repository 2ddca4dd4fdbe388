/*
 * driver.c - the goc command line.
 *
 *   goc [options] file.goc... [-o out.c]     translate to C
 *   goc build [cc options] files... [-o prog] translate, compile, link
 *   goc run [cc options] files... [args...]  build to a temporary, run
 *
 * Translating one .goc file is: `$CC -E -x c -include <rt>/goc.h <user
 * preprocessor options> -I<rt> file.goc`, then fe_translate on the result.
 * The preprocessor also writes the dependency file (-MD -MF -MQ), so it
 * lists every header exactly as cc would, with the .c (or .o) as target.
 *
 * For build and run every user option is classified once (the table
 * below) by where it goes: the preprocessing of .goc files, the compile
 * of the C that goc generated (already preprocessed: no -D/-include), and
 * the final cc command, which sees the user's arguments in their original
 * order with each .goc replaced by its object, so positional options
 * (-x, -l, -Wl,) keep their meaning.  The runtime is linked last.
 *
 * Output never depends on time, the temporary directory or the current
 * directory: paths appear as the user gave them.
 */
#include "driver.h"
#include "driver_sys.h"
#include "frontend.h"
#include "respace.h"
#include "trace_tool.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where an option goes. */
enum {
    TO_PP = 1,    /* cc -E of a .goc */
    TO_CC = 2,    /* cc -c of the generated C */
    TO_FINAL = 4, /* the cc command for other inputs and the link */
    TO_ALL = TO_PP | TO_CC | TO_FINAL,
};

/* How an option is spelled. */
enum { F_EXACT, F_PREFIX, F_JOINED_OR_SEP, F_SEP };

/* What the driver itself does with it. */
enum { K_PLAIN, K_OUT, K_STAGE, K_LANG, K_DEP, K_DEPARG, K_QUERY };

typedef struct optdef {
    const char *name;
    unsigned char form, kind, to;
} optdef;

/* First match wins: specific spellings come before prefixes. */
static const optdef optdefs[] = {
    {"-o", F_JOINED_OR_SEP, K_OUT, 0},
    {"-c", F_EXACT, K_STAGE, 0},
    {"-S", F_EXACT, K_STAGE, 0},
    {"-E", F_EXACT, K_STAGE, 0},
    {"-fsyntax-only", F_EXACT, K_STAGE, 0},
    {"-dumpversion", F_EXACT, K_QUERY, 0},
    {"-dumpfullversion", F_EXACT, K_QUERY, 0},
    {"-dumpmachine", F_EXACT, K_QUERY, 0},
    {"-dumpspecs", F_EXACT, K_QUERY, 0},
    {"-print-", F_PREFIX, K_QUERY, 0},
    {"--print-", F_PREFIX, K_QUERY, 0},
    {"-###", F_EXACT, K_QUERY, 0},
    {"--version", F_EXACT, K_QUERY, 0},
    {"-x", F_JOINED_OR_SEP, K_LANG, TO_FINAL},
    {"-M", F_EXACT, K_DEP, 0},
    {"-MM", F_EXACT, K_DEP, 0},
    {"-MD", F_EXACT, K_DEP, 0},
    {"-MMD", F_EXACT, K_DEP, 0},
    {"-MP", F_EXACT, K_DEP, 0},
    {"-MF", F_JOINED_OR_SEP, K_DEPARG, 0},
    {"-MT", F_JOINED_OR_SEP, K_DEPARG, 0},
    {"-MQ", F_JOINED_OR_SEP, K_DEPARG, 0},
    {"-include", F_SEP, K_PLAIN, TO_PP | TO_FINAL},
    {"-imacros", F_SEP, K_PLAIN, TO_PP | TO_FINAL},
    {"-isystem", F_JOINED_OR_SEP, K_PLAIN, TO_PP | TO_FINAL},
    {"-iquote", F_JOINED_OR_SEP, K_PLAIN, TO_PP | TO_FINAL},
    {"-idirafter", F_JOINED_OR_SEP, K_PLAIN, TO_PP | TO_FINAL},
    {"-I", F_JOINED_OR_SEP, K_PLAIN, TO_PP | TO_FINAL},
    {"-D", F_JOINED_OR_SEP, K_PLAIN, TO_PP | TO_FINAL},
    {"-U", F_JOINED_OR_SEP, K_PLAIN, TO_PP | TO_FINAL},
    {"-P", F_EXACT, K_PLAIN, TO_PP | TO_FINAL},
    {"-C", F_EXACT, K_PLAIN, TO_PP | TO_FINAL},
    {"-CC", F_EXACT, K_PLAIN, TO_PP | TO_FINAL},
    {"-dM", F_EXACT, K_PLAIN, TO_PP | TO_FINAL},
    {"-dD", F_EXACT, K_PLAIN, TO_PP | TO_FINAL},
    {"-undef", F_EXACT, K_PLAIN, TO_PP | TO_FINAL},
    {"-nostdinc", F_EXACT, K_PLAIN, TO_PP | TO_FINAL},
    {"--sysroot=", F_PREFIX, K_PLAIN, TO_ALL},
    {"-std=", F_PREFIX, K_PLAIN, TO_ALL},
    {"-ansi", F_EXACT, K_PLAIN, TO_ALL},
    {"-pedantic", F_PREFIX, K_PLAIN, TO_ALL},
    {"-w", F_EXACT, K_PLAIN, TO_ALL},
    {"-Wl,", F_PREFIX, K_PLAIN, TO_FINAL},
    {"-Wp,", F_PREFIX, K_PLAIN, TO_PP | TO_FINAL},
    {"-Wa,", F_PREFIX, K_PLAIN, TO_CC | TO_FINAL},
    {"-W", F_PREFIX, K_PLAIN, TO_ALL},
    {"-O", F_PREFIX, K_PLAIN, TO_ALL},
    {"-g", F_PREFIX, K_PLAIN, TO_CC | TO_FINAL},
    {"-f", F_PREFIX, K_PLAIN, TO_ALL},
    {"-m", F_PREFIX, K_PLAIN, TO_ALL},
    {"-pthread", F_EXACT, K_PLAIN, TO_ALL},
    {"-pipe", F_EXACT, K_PLAIN, TO_CC | TO_FINAL},
    {"-pg", F_EXACT, K_PLAIN, TO_CC | TO_FINAL},
    {"--coverage", F_EXACT, K_PLAIN, TO_CC | TO_FINAL},
    {"-save-temps", F_EXACT, K_PLAIN, TO_CC | TO_FINAL},
    {"-save-temps=", F_PREFIX, K_PLAIN, TO_CC | TO_FINAL},
    {"-L", F_JOINED_OR_SEP, K_PLAIN, TO_FINAL},
    {"-l", F_JOINED_OR_SEP, K_PLAIN, TO_FINAL},
    {"-Xlinker", F_SEP, K_PLAIN, TO_FINAL},
    {"-z", F_SEP, K_PLAIN, TO_FINAL},
    {"-static", F_EXACT, K_PLAIN, TO_FINAL},
    {"-static-libgcc", F_EXACT, K_PLAIN, TO_FINAL},
    {"-static-pie", F_EXACT, K_PLAIN, TO_FINAL},
    {"-nostdlib", F_EXACT, K_PLAIN, TO_FINAL},
    {"-nostartfiles", F_EXACT, K_PLAIN, TO_FINAL},
    {"-nodefaultlibs", F_EXACT, K_PLAIN, TO_FINAL},
    {"-shared", F_EXACT, K_PLAIN, TO_FINAL},
    {"-rdynamic", F_EXACT, K_PLAIN, TO_FINAL},
    {"-pie", F_EXACT, K_PLAIN, TO_FINAL},
    {"-no-pie", F_EXACT, K_PLAIN, TO_FINAL},
    {"-s", F_EXACT, K_PLAIN, TO_FINAL},
};

/* One command-line argument (an option with its value, or a file). */
typedef struct item {
    const char *a, *b; /* b: the value of a two-word option, else NULL */
    const optdef *def; /* NULL for a file */
    const char *obj;   /* build: the object a .goc file became */
    int goc;           /* a file of goc source: .goc, or .c after -x goc */
} item;

enum { MODE_TRANSLATE, MODE_BUILD, MODE_RUN };

typedef struct drv {
    const char *argv0;
    int mode;
    item *items;
    size_t nitems;
    const char *out;
    int stage;       /* 0: link; 'c', 'S', 'E', 'f' (-fsyntax-only), 'M'
                      * (goc build -M/-MM: dependencies only) */
    int lang_seen;   /* an -x came before: reset it for objects */
    int x_goc;       /* -x goc is in effect: .c inputs are goc source */
    int dep_only;    /* -M or -MM: the option itself */
    const char *md;  /* -MD or -MMD */
    const char *mf;  /* -MF value */
    strv targets;    /* -MT/-MQ with their values */
    int mp;          /* -MP */
    int verbose, line_markers, color, json, shared_rt;
    int iso;         /* the last -std= names an ISO mode before C23 */
    int no_preempt;  /* -fno-preempt */
    int save_temps;  /* -save-temps: keep goc's intermediate files */
    int coverage;    /* --coverage and the like: objects next to the output */
    int sanitize;    /* 'a' or 't': -fsanitize=address or thread */
    int query;       /* -dumpversion, -print-*, --version, ... */
    const char *cc;  /* --cc= */
    strv cc_cmd;     /* the C compiler command, resolved once */
    strv run_args;   /* goc run: the program's arguments */
    const drv_runtime *rt;
} drv;

static const char usage[] =
    "usage: goc [options] file.goc... [-o out.c]\n"
    "       goc build [options] files... [-o program]\n"
    "       goc run [options] files... [--] [arguments...]\n"
    "       goc trace [--html FILE] [--svg FILE] TRACE.json\n"
    "\n"
    "Translate .goc files (C with go, chan and select) to C, or build and\n"
    "run programs from any mix of .goc, .c, .o and .a files.\n"
    "\n"
    "goc options:\n"
    "  -o FILE                  output file ('-' for stdout when translating)\n"
    "  --cc=COMMAND             C compiler (default: $GOC_CC, $CC, cc)\n"
    "  -v                       print the commands run\n"
    "  --no-line                emit no #line markers\n"
    "  -fno-preempt             no preemption checks in .goc code\n"
    "  --runtime=static|shared  link libgoc statically (default) or shared\n"
    "  -fdiagnostics-color=auto|always|never\n"
    "  -fdiagnostics-format=text|json\n"
    "  --help, --version\n"
    "\n"
    "Preprocessor options: -I -D -U -include -imacros -isystem -iquote\n"
    "  -idirafter -std= -Wp,\n"
    "Dependency files: -M -MM -MD -MMD -MF -MT -MQ -MP\n"
    "Compiler and linker options (goc build and goc run): -c -S -E\n"
    "  -fsyntax-only -O* -g* -W* -f* -m* -x -L -l -Wl, -Wa, -Xlinker -pthread\n"
    "  -static -shared -pg --coverage -save-temps -fsanitize= ...\n"
    "goc build -v (no inputs), --version, -dumpmachine, -print-*...: the C\n"
    "  compiler's answer.\n"
    "\n"
    "Environment: GOC_CC or CC (the C compiler), GOC_ROOT (where goc.h and\n"
    "libgoc are installed), NO_COLOR.\n";

static int usage_error(const char *what, const char *arg)
{
    diag_plain_error("%s '%s' (see goc --help)", what, arg);
    return GOC_EXIT_USER;
}

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* The file name without directory and without its last extension. */
static char *stem_of(const char *path)
{
    char *s = drv_strdup(basename_of(path));
    char *dot = strrchr(s, '.');
    if (dot && dot != s)
        *dot = 0;
    return s;
}

/* path with its extension (if any) replaced by ext. */
static char *with_ext(const char *path, const char *ext)
{
    const char *base = basename_of(path);
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - path) : strlen(path);
    return drv_printf("%.*s%s", (int)n, path, ext);
}

/* ---- parsing ---- */

static const optdef *lookup(const char *arg, const char **joined)
{
    for (size_t i = 0; i < sizeof optdefs / sizeof *optdefs; i++) {
        const optdef *d = &optdefs[i];
        size_t n = strlen(d->name);
        if (strncmp(arg, d->name, n) != 0)
            continue;
        *joined = arg + n; /* "" when arg is exactly the name */
        if (!arg[n] || d->form == F_PREFIX || d->form == F_JOINED_OR_SEP)
            return d;
    }
    return NULL;
}

/* goc's own options.  Returns 1 if arg was one, -1 on a bad value. */
static int goc_option(drv *d, const char *arg)
{
    if (strcmp(arg, "-v") == 0)
        d->verbose = 1;
    else if (strcmp(arg, "--no-line") == 0)
        d->line_markers = 0;
    else if (strncmp(arg, "--cc=", 5) == 0 && arg[5])
        d->cc = arg + 5;
    else if (strcmp(arg, "-fno-preempt") == 0 || strcmp(arg, "-fpreempt") == 0)
        d->no_preempt = arg[2] == 'n';
    else if (strcmp(arg, "--runtime=static") == 0)
        d->shared_rt = 0;
    else if (strcmp(arg, "--runtime=shared") == 0)
        d->shared_rt = 1;
    else if (strcmp(arg, "-fdiagnostics-color") == 0 ||
             strncmp(arg, "-fdiagnostics-color=", 20) == 0 ||
             strcmp(arg, "-fno-diagnostics-color") == 0 ||
             strncmp(arg, "-fdiagnostics-format=", 21) == 0)
        return 1; /* taken by configure_diagnostics */
    else
        return 0;
    return 1;
}

static void add_item(drv *d, const char *a, const char *b, const optdef *def)
{
    d->items = realloc(d->items, (d->nitems + 1) * sizeof *d->items);
    if (!d->items)
        diag_internal("out of memory");
    d->items[d->nitems++] = (item){a, b, def, NULL, 0};
}

/* Record what the driver needs to know about a classified option. */
static int note_option(drv *d, const optdef *def, const char *arg,
                       const char *val)
{
    switch (def->kind) {
    case K_OUT:
        d->out = val;
        return 0;
    case K_STAGE:
        d->stage = arg[1];
        return 0;
    case K_QUERY:
        d->query = 1;
        return 0;
    case K_LANG:
        d->lang_seen = 1;
        break;
    case K_DEP:
        if (strcmp(arg, "-MP") == 0)
            d->mp = 1;
        else if (strcmp(arg, "-M") == 0 || strcmp(arg, "-MM") == 0)
            d->dep_only = 1, d->md = arg, d->stage = d->mode ? 'M' : 0;
        else
            d->md = arg;
        return 0;
    case K_DEPARG:
        if (arg[2] == 'F') {
            d->mf = val;
        } else {
            sv_push(&d->targets, arg[2] == 'T' ? "-MT" : "-MQ");
            sv_push(&d->targets, val);
        }
        return 0;
    }
    return 1;
}

/* -std=c11, iso9899:2011 and the like, where gcc treats the GNU words
 * `typeof` and `asm` as identifiers; C23 made `typeof` a keyword. */
static int is_iso_std(const char *std)
{
    if (strncmp(std, "iso9899", 7) == 0)
        return 1;
    return std[0] == 'c' && strcmp(std, "c2x") != 0 && strcmp(std, "c23") != 0;
}

/* Options that change where goc puts its intermediate files or which
 * runtime it links. */
static void note_codegen(drv *d, const char *arg)
{
    static const char *const cov[] = {"--coverage", "-fprofile-arcs",
                                      "-ftest-coverage", "-fprofile-generate"};
    if (strncmp(arg, "-save-temps", 11) == 0)
        d->save_temps = 1;
    for (size_t i = 0; i < sizeof cov / sizeof *cov; i++)
        if (strncmp(arg, cov[i], strlen(cov[i])) == 0)
            d->coverage = 1;
    if (strcmp(arg, "-fno-sanitize=all") == 0)
        d->sanitize = 0;
    else if (strncmp(arg, "-fsanitize=", 11) == 0 && strstr(arg, "thread"))
        d->sanitize = 't';
    else if (strncmp(arg, "-fsanitize=", 11) == 0 && strstr(arg, "address"))
        d->sanitize = 'a';
}

/* One option at argv[*i]; advances *i past its value. */
static int parse_option(drv *d, int argc, char **argv, int *i)
{
    const char *arg = argv[*i], *joined, *val = NULL;
    const optdef *def = lookup(arg, &joined);
    if (!def)
        return usage_error("unknown option", arg);
    int two_words =
        def->form == F_SEP || (def->form == F_JOINED_OR_SEP && !*joined);
    if (two_words) {
        if (*i + 1 >= argc)
            return usage_error("missing value after", arg);
        val = argv[++*i];
    } else if (def->form == F_JOINED_OR_SEP) {
        val = joined;
    }
    /* -x goc: the .c inputs that follow are goc source (until another -x);
     * other inputs keep the meaning of their suffix, so that
     * `make CC='goc build -x goc'` links its objects too. */
    if (def->kind == K_LANG) {
        d->x_goc = strcmp(val, "goc") == 0;
        if (d->x_goc)
            return GOC_EXIT_OK;
    }
    /* Translating, options for the compiler or the linker are accepted
     * and left unused, as cc -E does, so that a build system can hand goc
     * a target's whole set of options; -c and the like make no sense. */
    if (d->mode == MODE_TRANSLATE &&
        (def->kind == K_LANG || def->kind == K_QUERY ||
         (def->kind == K_STAGE && arg[1] != 'f')))
        return usage_error("option only valid with goc build or goc run",
                           arg);
    if (d->mode == MODE_RUN && (def->kind == K_OUT || def->kind == K_STAGE))
        return usage_error("option not valid with goc run", arg);
    if (d->mode == MODE_RUN &&
        (strcmp(arg, "-M") == 0 || strcmp(arg, "-MM") == 0))
        return usage_error("option not valid with goc run", arg);
    if (strncmp(arg, "-std=", 5) == 0)
        d->iso = is_iso_std(arg + 5);
    note_codegen(d, arg);
    if (note_option(d, def, arg, val))
        add_item(d, arg, two_words ? val : NULL, def);
    return GOC_EXIT_OK;
}

static int is_source_file(const char *arg)
{
    static const char *const exts[] = {".goc", ".c", ".o", ".a", ".so",
                                       ".s", ".S", ".i"};
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
        if (has_suffix(arg, exts[i]))
            return 1;
    return 0;
}

static int parse_args(drv *d, int argc, char **argv, int first)
{
    int nfiles = 0;
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i];
        if (d->mode == MODE_RUN && nfiles &&
            (strcmp(arg, "--") == 0 || !is_source_file(arg))) {
            i += strcmp(arg, "--") == 0;
            for (; i < argc; i++)
                sv_push(&d->run_args, argv[i]);
            break;
        }
        if (arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (strcmp(arg, "-") && access(arg, R_OK) != 0) {
                diag_plain_error("%s: %s", arg, strerror(errno));
                return GOC_EXIT_USER;
            }
            add_item(d, arg, NULL, NULL);
            d->items[d->nitems - 1].goc =
                has_suffix(arg, ".goc") ||
                (d->x_goc && (has_suffix(arg, ".c") || strcmp(arg, "-") == 0));
            nfiles++;
            continue;
        }
        if (goc_option(d, arg))
            continue;
        int rc = parse_option(d, argc, argv, &i);
        if (rc)
            return rc;
    }
    /* goc build -v, --version, -dumpmachine...: the C compiler answers. */
    if (d->mode != MODE_TRANSLATE && (d->query || (!nfiles && d->verbose))) {
        d->query = 1;
        return GOC_EXIT_OK;
    }
    if (!nfiles) {
        diag_plain_error("no input files (see goc --help)");
        return GOC_EXIT_USER;
    }
    return GOC_EXIT_OK;
}

/* -fdiagnostics-* first, so that errors in the other options obey them. */
static void configure_diagnostics(drv *d, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-fdiagnostics-color") == 0 ||
            strcmp(a, "-fdiagnostics-color=always") == 0)
            d->color = 1;
        else if (strcmp(a, "-fdiagnostics-color=never") == 0 ||
                 strcmp(a, "-fno-diagnostics-color") == 0)
            d->color = 0;
        else if (strcmp(a, "-fdiagnostics-color=auto") == 0)
            d->color = -1;
        else if (strcmp(a, "-fdiagnostics-format=json") == 0)
            d->json = 1;
        else if (strcmp(a, "-fdiagnostics-format=text") == 0)
            d->json = 0;
    }
    diag_configure(d->color, d->json ? DIAG_FORMAT_JSON : DIAG_FORMAT_TEXT);
}

/* Reject -fdiagnostics-* values that configure_diagnostics ignored. */
static int check_diagnostic_options(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "-fdiagnostics-color=", 20) == 0 &&
            strcmp(a + 20, "always") && strcmp(a + 20, "never") &&
            strcmp(a + 20, "auto"))
            return usage_error("bad value in", a);
        if (strncmp(a, "-fdiagnostics-format=", 21) == 0 &&
            strcmp(a + 21, "json") && strcmp(a + 21, "text"))
            return usage_error("bad value in", a);
    }
    return GOC_EXIT_OK;
}

/* ---- commands ---- */

static void push_cc(drv *d, strv *cmd)
{
    sv_append(cmd, &d->cc_cmd);
}

/* Coroutine stacks have a guard region below them: make the generated C
 * probe every page of a large frame so that an overflow always lands in
 * it (docs/runtime.md, Stacks).  Only for gcc and clang, which both know
 * the option (when the compiler goc was built with does); the user's own
 * -fno-stack-clash-protection comes later on the line and wins. */
static int gcc_or_clang(const strv *cmd)
{
    const char *cc = cmd->n ? cmd->v[cmd->n - 1] : "";
    const char *base = strrchr(cc, '/');
    base = base ? base + 1 : cc;
    return strstr(base, "gcc") || strstr(base, "clang") || !strcmp(base, "cc");
}

static void push_stack_clash(strv *cmd)
{
#ifdef GOC_CC_STACK_CLASH
    if (gcc_or_clang(cmd))
        sv_push(cmd, "-fstack-clash-protection");
#else
    (void)cmd;
#endif
}

static void push_item(strv *cmd, const item *it)
{
    sv_push(cmd, it->a);
    if (it->b)
        sv_push(cmd, it->b);
}

/* User options bound for `to`, in command-line order. */
static void push_options(const drv *d, strv *cmd, int to)
{
    for (size_t i = 0; i < d->nitems; i++) {
        const item *it = &d->items[i];
        if (it->def && (it->def->to & to) && it->def->kind == K_PLAIN)
            push_item(cmd, it);
    }
}

/* -fdiagnostics-color is goc's and cc's: pass it on when it was given
 * (never into JSON, where escape sequences have no place). */
static void push_color(const drv *d, strv *cmd)
{
    if (d->color >= 0 && !d->json)
        sv_push(cmd, d->color ? "-fdiagnostics-color=always"
                              : "-fdiagnostics-color=never");
}

/* Dependency-file options for cc -E of a .goc: target defaults to what
 * the .goc becomes (`target`), the file to `depfile`. */
static void push_dep_options(const drv *d, strv *cmd, const char *target,
                             const char *depfile)
{
    if (!d->md)
        return;
    sv_push(cmd, d->md);
    if (depfile) {
        sv_push(cmd, "-MF");
        sv_push(cmd, depfile);
    }
    if (d->mp)
        sv_push(cmd, "-MP");
    if (d->targets.n) {
        sv_append(cmd, &d->targets);
    } else {
        sv_push(cmd, "-MQ");
        sv_push(cmd, target);
    }
}

/* Write the translation of preprocessed text to out ("-": stdout),
 * through a temporary next to it, so that a failed run leaves no file. */
static int write_translation(const drv *d, const char *in, const char *text,
                             size_t len, const char *out)
{
    fe_options fo = {.input_name = in, .line_markers = d->line_markers,
                     .iso = d->iso, .goc_unit = 1,
                     .no_preempt = d->no_preempt};
    if (strcmp(out, "-") == 0) {
        int rc = fe_translate(text, len, &fo, stdout);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            diag_plain_error("cannot write to standard output: %s",
                             strerror(errno));
            return GOC_EXIT_USER;
        }
        return rc;
    }
    /* Tracked: an internal error exits from inside fe_translate. */
    char *tmp = drv_track(drv_printf("%s.tmp%ld", out, (long)getpid()));
    FILE *f = fopen(tmp, "w");
    if (!f) {
        diag_plain_error("cannot create %s: %s", tmp, strerror(errno));
        return GOC_EXIT_USER;
    }
    int rc = fe_translate(text, len, &fo, f);
    int werr = ferror(f) ? errno : 0;
    if (fclose(f) != 0 && !werr)
        werr = errno;
    if (rc == GOC_EXIT_OK && werr) {
        diag_plain_error("cannot write %s: %s", tmp, strerror(werr));
        rc = GOC_EXIT_USER;
    }
    if (rc == GOC_EXIT_OK && rename(tmp, out) != 0) {
        diag_plain_error("cannot rename %s to %s: %s", tmp, out,
                         strerror(errno));
        rc = GOC_EXIT_USER;
    }
    if (rc != GOC_EXIT_OK)
        unlink(tmp);
    return rc;
}

/* `$CC -E -x c -C -D__GOC__=1 -include goc.h <preprocessor options>
 * -I<runtime>`: the preprocessing step every .goc file goes through.  -C
 * keeps the comments, so that gcc still sees `/ * fallthrough * /` and the
 * like; goc.h includes no C library header under __GOC__ (docs/frontend.md). */
static void push_preprocess(drv *d, strv *cmd)
{
    push_cc(d, cmd);
    sv_push(cmd, "-E");
    sv_push(cmd, "-x");
    sv_push(cmd, "c");
    sv_push(cmd, "-C");
    sv_push(cmd, "-D__GOC__=1");
    sv_push(cmd, "-include");
    sv_push(cmd, drv_printf("%s/goc.h", d->rt->include_dir));
    push_options(d, cmd, TO_PP);
    sv_push(cmd, drv_printf("-I%s", d->rt->include_dir));
}

/* Preprocess `in` into `pre` (NULL: a temporary) and translate it to
 * `out`. */
static int translate_file(drv *d, const char *in, const char *out,
                          const char *dep_target, const char *depfile,
                          const char *pre)
{
    static unsigned seq;
    strv cmd = {0};
    if (!pre)
        pre = drv_tmpfile(drv_printf("%u-%s.i", seq++, stem_of(in)));
    push_preprocess(d, &cmd);
    push_color(d, &cmd);
    push_dep_options(d, &cmd, dep_target, depfile);
    sv_push(&cmd, in);
    sv_push(&cmd, "-o");
    sv_push(&cmd, pre);
    int st = drv_run(&cmd, d->verbose, d->json);
    sv_free(&cmd);
    if (st != 0)
        return GOC_EXIT_USER;
    size_t len;
    char *text = drv_read_file(pre, &len);
    if (!text) {
        diag_plain_error("cannot read %s: %s", pre, strerror(errno));
        return GOC_EXIT_USER;
    }
    if (!d->save_temps)
        unlink(pre);
    if (d->line_markers) { /* .goc columns for the C compiler */
        size_t n;
        char *spaced = respace(text, len, &n);
        free(text);
        text = spaced;
        len = n;
    }
    int rc = write_translation(d, strcmp(in, "-") ? in : "<stdin>", text,
                               len, out);
    free(text);
    return rc;
}

/* goc -M/-MM: only the dependencies, from the preprocessor. */
static int dependencies_only(drv *d, const char *in, const char *target)
{
    strv cmd = {0};
    push_preprocess(d, &cmd);
    const char *file = d->mf ? d->mf
                     : d->out && strcmp(d->out, "-") ? d->out : NULL;
    push_dep_options(d, &cmd, target, file);
    sv_push(&cmd, in);
    int st = drv_run(&cmd, d->verbose, d->json);
    sv_free(&cmd);
    return st == 0 ? GOC_EXIT_OK : GOC_EXIT_USER;
}

/* goc [options] file.goc... : each input becomes stem.c in the current
 * directory (or -o), with its dependency file next to it. */
static int cmd_translate(drv *d)
{
    size_t nin = 0;
    for (size_t i = 0; i < d->nitems; i++)
        nin += d->items[i].def == NULL;
    if (d->out && nin > 1) {
        diag_plain_error("-o cannot be used with more than one input");
        return GOC_EXIT_USER;
    }
    for (size_t i = 0; i < d->nitems; i++) {
        const char *in = d->items[i].a;
        if (d->items[i].def)
            continue;
        const char *out = d->out ? d->out
                        : strcmp(in, "-") == 0 ? "-"
                        : drv_printf("%s.c", stem_of(in));
        const char *named = strcmp(out, "-") ? out
                          : strcmp(in, "-") ? drv_printf("%s.c", stem_of(in))
                          : "stdin.c";
        int rc;
        if (d->dep_only) {
            rc = dependencies_only(d, in, named);
        } else {
            const char *depfile = d->mf ? d->mf : with_ext(named, ".d");
            rc = translate_file(d, in, out, named, depfile, NULL);
        }
        if (rc)
            return rc;
    }
    return GOC_EXIT_OK;
}

/* The runtime, last on the link line. */
static void push_runtime(const drv *d, strv *cmd)
{
    if (d->sanitize) {
        /* The runtime built with the same sanitizer (static only). */
        sv_push(cmd, drv_printf("%s/libgoc-%s.a", d->rt->lib_dir,
                                d->sanitize == 't' ? "tsan" : "asan"));
    } else if (d->shared_rt) {
        sv_push(cmd, drv_printf("-L%s", d->rt->lib_dir));
        sv_push(cmd, drv_printf("-Wl,-rpath,%s", d->rt->lib_dir));
        sv_push(cmd, "-lgoc");
    } else {
        sv_push(cmd, drv_printf("%s/libgoc.a", d->rt->lib_dir));
    }
    sv_push(cmd, "-lpthread");
}

static const char *stage_option(int stage)
{
    switch (stage) {
    case 'M':
        return NULL; /* -M or -MM itself, among the dependency options */
    case 'c':
        return "-c";
    case 'S':
        return "-S";
    case 'E':
        return "-E";
    default:
        return "-fsyntax-only";
    }
}

/* Where the object of one .goc goes.  With -c or -S: name.o (or -o), as
 * cc.  When linking: a temporary, or, when the object's name matters
 * (--coverage names the .gcno/.gcda files after it, -save-temps keeps
 * it), `<program>-<name>.o` next to the program, as gcc names its own. */
static const char *object_of(drv *d, const char *in, size_t idx,
                             const char *final_out)
{
    const char *stem = stem_of(in);
    if (d->stage)
        return d->out ? d->out : drv_printf("%s.%s", stem,
                                             d->stage == 'c' ? "o" : "s");
    if (d->save_temps)
        return drv_printf("%s-%s.o", final_out, stem);
    if (d->coverage)
        return drv_track(drv_printf("%s-%s.o", final_out, stem));
    return drv_tmpfile(drv_printf("%zu-%s.o", idx, stem));
}

/* cc -c (-S, -fsyntax-only) of the C goc generated. */
/* -pedantic, -Wpedantic or -pedantic-errors among the user's options. */
static int pedantic(const drv *d)
{
    for (size_t i = 0; i < d->nitems; i++) {
        const char *a = d->items[i].def ? d->items[i].a : "";
        if (strncmp(a, "-pedantic", 9) == 0 || strcmp(a, "-Wpedantic") == 0)
            return 1;
    }
    return 0;
}

static int compile_c(drv *d, const char *c, const char *obj)
{
    strv cmd = {0};
    push_cc(d, &cmd);
    push_stack_clash(&cmd);
    push_options(d, &cmd, TO_CC);
    push_color(d, &cmd);
    /* goc reads the compiler's messages (drv_run_cc): keep the colour
     * they would have had on goc's terminal */
    const char *term = getenv("TERM");
    if (d->color < 0 && !d->json && isatty(2) && !(term && !strcmp(term, "dumb")) &&
        gcc_or_clang(&d->cc_cmd))
        sv_push(&cmd, "-fdiagnostics-color=always");
    sv_push(&cmd, stage_option(d->stage == 'f' || d->stage == 'S'
                                   ? d->stage : 'c'));
    /* goc's C is preprocessed text: as such, its line markers (which keep
     * system headers' status) are no "GCC extension" under -pedantic. */
    if (pedantic(d)) {
        sv_push(&cmd, "-x");
        sv_push(&cmd, "cpp-output");
    }
    sv_push(&cmd, c);
    if (obj) {
        sv_push(&cmd, "-o");
        sv_push(&cmd, obj);
    }
    int st = drv_run_cc(&cmd, d->verbose, d->json);
    sv_free(&cmd);
    return st == 0 ? GOC_EXIT_OK : GOC_EXIT_USER;
}

/* A sanitizer build links the runtime built with that sanitizer. */
static int check_runtime_variant(const drv *d)
{
    if (!d->sanitize || d->mode == MODE_TRANSLATE || d->stage)
        return GOC_EXIT_OK;
    const char *lib = drv_printf("%s/libgoc-%s.a", d->rt->lib_dir,
                                 d->sanitize == 't' ? "tsan" : "asan");
    if (access(lib, R_OK) == 0)
        return GOC_EXIT_OK;
    diag_plain_error("-fsanitize=%s needs the runtime built with it, %s, "
                     "which is missing: build goc with "
                     "-DGOC_SANITIZER_RUNTIMES=ON",
                     d->sanitize == 't' ? "thread" : "address", lib);
    return GOC_EXIT_USER;
}

/* Translate and compile one .goc of a build into its object (with -E:
 * translate only, to -o or standard output). */
static int build_goc(drv *d, item *it, size_t idx, const char *final_out)
{
    it->obj = "";
    if (d->stage == 'M')
        return dependencies_only(d, it->a,
                                 drv_printf("%s.o", stem_of(it->a)));
    if (d->stage == 'E')
        return translate_file(d, it->a, d->out ? d->out : "-",
                              d->out ? d->out : drv_printf("%s.c",
                                                           stem_of(it->a)),
                              d->mf, NULL);
    const char *obj = d->stage == 'f' ? NULL
                    : object_of(d, it->a, idx, final_out);
    /* The C goes next to the object (-c, -S) or the program, named after
     * it, never into the temporary directory, so that the preprocessed
     * text ccache hashes is the same from one run to the next. */
    const char *base =
        d->stage == 'f' ? drv_tmpfile(drv_printf("%zu-%s", idx, stem_of(it->a)))
        : d->stage ? with_ext(obj, "")
        : drv_printf("%s-%s", final_out, stem_of(it->a));
    const char *c = drv_printf("%s.goc.c", base);
    const char *pre = d->save_temps ? drv_printf("%s.goc.i", base) : NULL;
    if (!d->save_temps)
        drv_track((char *)c);
    const char *dep_target = d->stage ? obj : final_out;
    const char *depfile = d->mf ? d->mf
                        : d->stage == 'c' || d->stage == 'S'
                            ? with_ext(obj, ".d")
                            : drv_printf("%s.d", stem_of(it->a));
    int rc = translate_file(d, it->a, c, dep_target ? dep_target : c,
                            depfile, pre);
    if (rc == GOC_EXIT_OK)
        rc = compile_c(d, c, obj);
    if (!d->save_temps)
        unlink(c);
    if (obj && d->stage == 0)
        it->obj = obj;
    return rc;
}

/* The final cc command: the user's arguments in order, each .goc replaced
 * by its object (none with -c, -S, -E, -fsyntax-only), the runtime last
 * when linking. */
static int build_final(drv *d, const char *out)
{
    strv cmd = {0};
    int others = 0;
    push_cc(d, &cmd);
    for (size_t i = 0; i < d->nitems; i++) {
        const item *it = &d->items[i];
        if (!it->def && it->obj) {
            if (!d->stage) {
                if (d->lang_seen)
                    sv_push(&cmd, "-xnone");
                sv_push(&cmd, it->obj);
            }
        } else if (!it->def) {
            sv_push(&cmd, it->a);
            others++;
        } else if (it->def->to & TO_FINAL) {
            push_item(&cmd, it);
        }
    }
    if (d->stage && !others) {
        sv_free(&cmd);
        return GOC_EXIT_OK;
    }
    sv_push(&cmd, drv_printf("-I%s", d->rt->include_dir));
    push_color(d, &cmd);
    if (d->md && others) {
        sv_push(&cmd, d->md);
        if (d->mf) {
            sv_push(&cmd, "-MF");
            sv_push(&cmd, d->mf);
        }
        if (d->mp)
            sv_push(&cmd, "-MP");
        sv_append(&cmd, &d->targets);
    }
    if (d->stage && stage_option(d->stage))
        sv_push(&cmd, stage_option(d->stage));
    if (out && d->stage != 'f') {
        sv_push(&cmd, "-o");
        sv_push(&cmd, out);
    }
    if (!d->stage) {
        if (d->lang_seen)
            sv_push(&cmd, "-xnone");
        push_runtime(d, &cmd);
    }
    int st = drv_run(&cmd, d->verbose, d->json);
    sv_free(&cmd);
    return st == 0 ? GOC_EXIT_OK : GOC_EXIT_USER;
}

static int cmd_build(drv *d, const char *out)
{
    size_t nin = 0;
    const char *first = NULL;
    for (size_t i = 0; i < d->nitems; i++) {
        if (!d->items[i].def) {
            first = first ? first : d->items[i].a;
            nin++;
        }
    }
    if (d->stage && d->stage != 'f' && d->stage != 'M' && d->out &&
        nin > 1) {
        diag_plain_error("-o cannot be used with %s and more than one input",
                         stage_option(d->stage));
        return GOC_EXIT_USER;
    }
    if (!out && !d->stage) {
        out = stem_of(first);
        if (strcmp(out, first) == 0)
            out = "a.out";
    }
    for (size_t i = 0; i < d->nitems; i++) {
        item *it = &d->items[i];
        if (!it->def && it->goc) {
            int rc = build_goc(d, it, i, out);
            if (rc)
                return rc;
        }
    }
    return build_final(d, d->stage ? d->out : out);
}

/* A question for the C compiler (goc build -dumpmachine, --version, -v
 * without input files): ask it with the same arguments, minus goc's own,
 * so that configure scripts that identify cc by its answers identify the
 * compiler goc runs. */
static int cmd_query(drv *d, int argc, char **argv, int first)
{
    strv cmd = {0};
    push_cc(d, &cmd);
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-v") == 0 || !goc_option(d, a))
            sv_push(&cmd, a);
    }
    int st = drv_run(&cmd, 0, 0);
    sv_free(&cmd);
    return st < 0 ? GOC_EXIT_USER : st;
}

/* goc run: build into the temporary directory, run, exit as it did. */
static int cmd_run(drv *d)
{
    const char *prog = drv_tmpfile("program");
    int rc = cmd_build(d, prog);
    if (rc)
        return rc;
    strv argv = {0};
    sv_push(&argv, prog);
    sv_append(&argv, &d->run_args);
    int sig;
    int st = drv_run_program(&argv, d->verbose, &sig);
    sv_free(&argv);
    drv_cleanup();
    if (sig) {
        /* Die of the same signal, so the caller sees what the shell would
         * have seen running the program itself. */
        fflush(stdout);
        signal(sig, SIG_DFL);
        raise(sig);
    }
    return st < 0 ? GOC_EXIT_USER : st;
}

int driver_main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "trace") == 0)
        return trace_main(argc - 1, argv + 1);
    static drv d; /* static: what it points to stays reachable */
    drv_crash_guard();
    d = (drv){.argv0 = argv[0], .line_markers = 1, .color = -1};
    int first = 1;
    configure_diagnostics(&d, argc, argv);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return fflush(stdout) == 0 ? GOC_EXIT_OK : GOC_EXIT_USER;
        }
        if (strcmp(argv[i], "--version") == 0 && d.mode == MODE_TRANSLATE) {
            printf("goc %s\n", GOC_VERSION);
            return fflush(stdout) == 0 ? GOC_EXIT_OK : GOC_EXIT_USER;
        }
        if (d.mode == MODE_RUN && argv[i][0] != '-')
            break; /* the rest may be the program's arguments */
        if (i == 1 && strcmp(argv[i], "build") == 0)
            d.mode = MODE_BUILD, first = 2;
        if (i == 1 && strcmp(argv[i], "run") == 0)
            d.mode = MODE_RUN, first = 2;
    }
    if (argc < 2) {
        fputs(usage, stderr);
        return GOC_EXIT_USER;
    }
    int rc = check_diagnostic_options(argc, argv);
    if (!rc)
        rc = parse_args(&d, argc, argv, first);
    if (rc)
        return rc;
    if (drv_find_cc(&d.cc_cmd, argv[0], d.cc) != 0)
        return GOC_EXIT_USER;
    if (d.query)
        return cmd_query(&d, argc, argv, first);
    d.rt = drv_find_runtime(argv[0]);
    if (!d.rt || !drv_tmpdir() || check_runtime_variant(&d))
        return GOC_EXIT_USER;
    if (d.verbose)
        fprintf(stderr, "goc: runtime from %s: %s, %s\n", d.rt->how,
                d.rt->include_dir, d.rt->lib_dir);
    if (d.mode == MODE_BUILD || d.stage == 'f')
        return cmd_build(&d, d.out);
    switch (d.mode) {
    case MODE_RUN:
        return cmd_run(&d);
    default:
        return cmd_translate(&d);
    }
}
