/*
 * preempt.c - puts a preemption check, goc_preempt_poll() from goc.h, at
 * the entry of every function and in every loop iteration of .goc code
 * (tokens from .goc/.goh files; C from headers is left alone).
 *
 * Each check is one single-token replacement whose text keeps that token,
 * on a token that belongs to the statement's own syntax, never to an
 * operand: the `{` of a body, the `(` of a while condition, the second
 * `;` of a for header.  A lowering that moves the statement takes the
 * check along (emit_range_text applies it); a lowering that replaces a
 * larger range drops it with the rest; no lowering splices an operand that
 * starts or ends at one of these tokens, so a check is emitted once or
 * not at all and never splits a construct.
 *
 *   body { ... }                 {goc_preempt_poll(); ...}
 *   while (c) s;                 while (goc_preempt_poll(), c) s;
 *   do s; while (c);             do s; while (goc_preempt_poll(), c);
 *   for (i; c; n) s;             for (i; c; goc_preempt_poll(), n) s;
 *
 * A body is checked after its __label__ declarations, which must come
 * first.  A function gets an entry check only if it may recurse: if it
 * calls itself, a function of the unit that may recurse, or anything goc
 * cannot follow (a function defined elsewhere, a call through a pointer).
 * The time of any other function is bounded by its loops, which have
 * their own checks, and by the functions it calls, which are bounded the
 * same way; small helpers inlined into a hot loop would otherwise add a
 * second check to every iteration.  Functions declared naked (no
 * prologue, only asm) are skipped.
 *
 * `#pragma goc preempt off` turns the checks off from its line to the end
 * of the unit or to the next `#pragma goc preempt on` (also written
 * _Pragma("goc preempt off")).  The pragma lines are blanked in the
 * output (a C compiler would warn about an unknown pragma), with or
 * without -fno-preempt; any other `#pragma goc` is an error.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "emit.h"
#include "preempt.h"
#include "types.h"
#include "util.h"

#define POLL "goc_preempt_poll()"
/* the same check where a declaration must come (C89: before the first
 * statement of a block) */
#define POLL_DECL                                                          \
    "__attribute__((__unused__)) int goc__pc%u = (" POLL ", 0);"
/* what a pure function that may recurse gets instead (goc.h) */
#define ASYNC_FN "__attribute__((__section__(\"goc_async_text\"))) "
#define ASYNC_UNIT                                                         \
    "__attribute__((__constructor__, __used__)) static void "              \
    "goc__async_unit(void) { goc_async_register(__start_goc_async_text, "      \
    "__stop_goc_async_text); } "

/* The pragmas of a unit: at byte offset off[i] the checks turn on[i]. */
typedef struct regions {
    uint32_t *off;
    unsigned char *on;
    size_t n, cap;
} regions;

/* Are checks on at token t (the last pragma before it says)? */
static int checks_on(const ast_unit *u, const regions *r, uint32_t t)
{
    if (!r->n)
        return 1;
    uint32_t off = u->lex.toks[t].off;
    size_t lo = 0, hi = r->n; /* first pragma at or after off */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->off[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? 1 : r->on[lo - 1];
}

/* May a check go at token t? */
static int is_goc(const ast_unit *u, const regions *r, uint32_t t)
{
    return t && t < u->lex.ntoks && (u->lex.toks[t].flags & TOKF_GOC) &&
           checks_on(u, r, t);
}

/* Replace token t with its own spelling surrounded by before/after. */
static void wrap_tok(ast_unit *u, uint32_t t, const char *before,
                     const char *after)
{
    uint32_t len;
    const char *s = ast_tok_text(u, t, &len);
    sb text = {0};
    sbf(&text, "%s%.*s%s", before, (int)len, s, after);
    emit_replace(u, t, t, text.p);
    free(text.p);
}

/* A check at the start of compound statement c. */
static void check_compound(ast_unit *u, const regions *r,
                           const ast_node *c)
{
    if (!is_goc(u, r, c->first) || !ast_tok_is(u, c->first, "{"))
        return;
    const ast_node *lab = NULL;
    for (const ast_node *it = c->a; it && it->kind == AST_LOCAL_LABEL;
         it = it->next)
        lab = it;
    const ast_node *first = lab ? lab->next : c->a;
    /* The check's code belongs to the first statement's line, so that a
     * debugger's `start` or `next` does not stop on the `{` line.  Before
     * a declaration it is itself a declaration, so that C89 code built
     * with -pedantic (or -Wdeclaration-after-statement) stays quiet. */
    sb text = {0};
    if (first && first->kind == AST_DECL)
        sbf(&text, "%s" POLL_DECL, emit_line_marker(u, first->first),
            (unsigned)c->first); /* a name of its own: no -Wshadow */
    else
        sbf(&text, "%s" POLL ";", first ? emit_line_marker(u, first->first) : "");
    if (lab && ast_tok_is(u, lab->last, ";"))
        wrap_tok(u, lab->last, "", text.p);
    else if (!lab)
        wrap_tok(u, c->first, "", text.p);
    free(text.p);
}

/* The first token after `from` spelled s, at bracket depth 0 relative to
 * `from`, before token `limit`; 0 when none. */
static uint32_t find_tok(const ast_unit *u, uint32_t from, uint32_t limit,
                         const char *s)
{
    int depth = 0;
    for (uint32_t t = from; t && t < limit && t < u->lex.ntoks; t++) {
        if (depth == 0 && ast_tok_is(u, t, s))
            return t;
        if (ast_tok_is(u, t, "(") || ast_tok_is(u, t, "[") ||
            ast_tok_is(u, t, "{"))
            depth++;
        else if (ast_tok_is(u, t, ")") || ast_tok_is(u, t, "]") ||
                 ast_tok_is(u, t, "}"))
            depth--;
        if (depth < 0)
            return 0;
    }
    return 0;
}

/* The check in the condition that starts at the `(` token t. */
static void check_cond(ast_unit *u, const regions *r, uint32_t t)
{
    if (is_goc(u, r, t) && ast_tok_is(u, t, "("))
        wrap_tok(u, t, "", POLL ", ");
}

static void check_loop(ast_unit *u, const regions *r, const ast_node *n)
{
    const ast_node *body = n->kind == AST_WHILE || n->kind == AST_DO ? n->b
                           : n->kind == AST_FOR                     ? n->d
                                                                    : n->c;
    if (!body)
        return;
    if (body->kind == AST_COMPOUND) {
        check_compound(u, r, body);
    } else if (n->kind == AST_WHILE) {
        check_cond(u, r, n->first + 1);
    } else if (n->kind == AST_DO) {
        uint32_t w = find_tok(u, body->last + 1, n->last + 1, "while");
        if (w)
            check_cond(u, r, w + 1);
    } else if (n->kind == AST_FOR) {
        uint32_t s1 = find_tok(u, n->first + 2, body->first, ";");
        uint32_t s2 = s1 ? find_tok(u, s1 + 1, body->first, ";") : 0;
        if (s2 && is_goc(u, r, s2))
            wrap_tok(u, s2, "", n->c ? " " POLL "," : " " POLL);
    }
    /* A range loop with a plain statement body receives in every
     * iteration: left alone. */
}

static int is_naked(const ast_unit *u, const ast_node *fd)
{
    for (uint32_t t = fd->first; fd->c && t < fd->c->first; t++)
        if (ast_tok_is(u, t, "naked") || ast_tok_is(u, t, "__naked__"))
            return 1;
    return 0;
}

typedef struct stack {
    const ast_node **p;
    size_t n, cap;
} stack;

static void push(stack *s, const ast_node *n)
{
    if (!n)
        return;
    ARRAY_RESERVE(s->p, s->cap, s->n + 1);
    s->p[s->n++] = n;
}

/* Push what a walk from `root` visits after m: its children, and its
 * next sibling unless m is the root itself. */
static void push_kids(stack *s, const ast_node *m, const ast_node *root)
{
    if (m != root)
        push(s, m->next);
    push(s, m->d);
    push(s, m->c);
    push(s, m->b);
    push(s, m->a);
}

/* Does the tree under n (not n's list siblings) call anything? */
static int calls(const ast_node *n)
{
    stack s = {0};
    int found = 0;
    push(&s, n);
    while (s.n && !found) {
        const ast_node *m = s.p[--s.n];
        found = m->kind == AST_CALL || m->kind == AST_GO_CALL;
        push_kids(&s, m, n);
    }
    free(s.p);
    return found;
}

/* ---- #pragma goc ---------------------------------------------------- */

/* An error at the pragma on the line starting at byte `at`: its file and
 * line are those of the next token, less the lines in between. */
static void pragma_error(ast_unit *u, uint32_t at, const char *fmt, ...)
{
    lex_stream *s = &u->lex;
    uint32_t t = 1;
    while (t + 1 < s->ntoks && s->toks[t].off < at)
        t++;
    unsigned line = s->toks[t].line;
    for (uint32_t i = at; i < s->toks[t].off && i < s->len && line > 1; i++)
        line -= s->text[i] == '\n';
    diag_loc loc = {.file = lex_file(s, t), .line = line, .col = 1};
    va_list ap;
    va_start(ap, fmt);
    diag_report(&s->source, "error", &loc, fmt, ap);
    va_end(ap);
    s->errors++;
}

/* Skip blanks from p; the first non-blank. */
static const char *blanks(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/* Does [p, end) start with word w followed by a blank or its end? */
static const char *word(const char *p, const char *end, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(end - p) < n || memcmp(p, w, n) != 0)
        return NULL;
    if (p + n < end && p[n] != ' ' && p[n] != '\t')
        return NULL;
    return blanks(p + n, end);
}

/* The directive line [b, e) if it is `#pragma goc ...`: record it in r
 * (or report it) and blank it out of the output. */
static void pragma_line(ast_unit *u, regions *r, uint32_t b, uint32_t e)
{
    char *text = (char *)u->lex.text; /* the stream's own copy */
    const char *end = text + e, *p = blanks(text + b, end);
    if (p == end || *p != '#')
        return;
    p = word(blanks(p + 1, end), end, "pragma");
    if (!p || !(p = word(p, end, "goc")))
        return;
    const char *q = p ? word(p, end, "preempt") : NULL;
    const char *on = q ? word(q, end, "on") : NULL;
    const char *off = q ? word(q, end, "off") : NULL;
    const char *rest = on ? on : off;
    if (!q)
        pragma_error(u, b, "unknown #pragma goc (the one goc knows: "
                           "#pragma goc preempt on|off)");
    else if (!rest || rest != end)
        pragma_error(u, b, "#pragma goc preempt wants 'on' or 'off'");
    else {
        ARRAY_RESERVE(r->off, r->cap, r->n + 1);
        r->on = realloc(r->on, r->cap);
        if (!r->on)
            diag_internal("out of memory");
        r->off[r->n] = b;
        r->on[r->n++] = on != NULL;
    }
    memset(text + b, ' ', e - b);
}

/* Every `#pragma goc` line of the unit, in order. */
static void scan_pragmas(ast_unit *u, regions *r)
{
    const char *t = u->lex.text;
    size_t len = u->lex.len;
    for (size_t b = 0; b < len;) {
        const char *nl = memchr(t + b, '\n', len - b);
        size_t e = nl ? (size_t)(nl - t) : len;
        const char *p = blanks(t + b, t + e);
        if (p < t + e && *p == '#')
            pragma_line(u, r, (uint32_t)b, (uint32_t)e);
        b = e + 1;
    }
}

/* ---- which functions may recurse ------------------------------------ */

typedef struct fdef {
    const ast_node *n;
    const char *name;
    uint32_t len;
    int state; /* 0 not seen, 1 being looked at, 2 bounded, 3 may recurse */
    int impure; /* may not be stopped at any instruction (pure_defs) */
    size_t *callees; /* indices of the unit's functions its body calls */
    size_t ncallees, cap;
} fdef;

typedef struct fdefs {
    fdef *d; /* the unit's function definitions, by name */
    size_t n;
} fdefs;

static int by_name(const void *a, const void *b)
{
    const fdef *x = a, *y = b;
    uint32_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->name, y->name, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static fdef *find_def(const fdefs *f, const char *name, uint32_t len)
{
    fdef key = {.name = name, .len = len};
    return f->n ? bsearch(&key, f->d, f->n, sizeof *f->d, by_name) : NULL;
}

/* The unit's top-level function definitions (a name defined twice: the
 * second definition is an error sema has reported). */
static void collect_defs(const ast_unit *u, fdefs *f)
{
    size_t cap = 0;
    for (const ast_node *n = u->root ? u->root->a : NULL; n; n = n->next) {
        uint32_t t = n->kind == AST_FUNC_DEF ? ast_declarator_name(n->b) : 0;
        if (!t)
            continue;
        ARRAY_RESERVE(f->d, cap, f->n + 1);
        f->d[f->n] = (fdef){.n = n};
        f->d[f->n].name = ast_tok_text(u, t, &f->d[f->n].len);
        f->n++;
    }
    if (f->n)
        qsort(f->d, f->n, sizeof *f->d, by_name);
}

static int may_recurse(const ast_unit *u, const fdefs *f, fdef *d, int depth);

/* The function call m: to a function d may call without recursing? */
static int bounded_call(const ast_unit *u, const fdefs *f, const ast_node *m,
                        int depth)
{
    const ast_node *callee = m->a;
    if (!callee || callee->kind != AST_IDENT)
        return 0;
    uint32_t len;
    const char *name = ast_tok_text(u, callee->first, &len);
    if (len > 10 && memcmp(name, "__builtin_", 10) == 0)
        return 1; /* no call at all */
    if (!callee->sym || callee->sym->kind != SYM_FUNC)
        return 0;
    fdef *g = find_def(f, name, len);
    return g && !may_recurse(u, f, g, depth + 1);
}

/* May a chain of calls from d's body come back to d, or to code goc
 * cannot follow?  (Memoised in d->state; a chain deeper than goc cares to
 * follow counts as a recursion.) */
static int may_recurse(const ast_unit *u, const fdefs *f, fdef *d, int depth)
{
    if (d->state == 1 || depth > 200)
        return 1; /* a cycle */
    if (d->state)
        return d->state == 3;
    d->state = 1;
    int rec = 0;
    stack s = {0};
    push(&s, d->n->c);
    while (s.n && !rec) {
        const ast_node *m = s.p[--s.n];
        if (m->kind == AST_CALL && !bounded_call(u, f, m, depth))
            rec = 1;
        push_kids(&s, m, d->n->c);
    }
    free(s.p);
    d->state = rec ? 3 : 2;
    return rec;
}

/* Does function definition n get an entry check? */
static int entry_check(const ast_unit *u, const fdefs *f, const ast_node *n)
{
    if (!n->c || is_naked(u, n))
        return 0;
    uint32_t t = ast_declarator_name(n->b), len;
    const char *name = t ? ast_tok_text(u, t, &len) : NULL;
    fdef *d = name ? find_def(f, name, len) : NULL;
    if (!d || d->n != n)
        return calls(n->c); /* a nested function */
    return may_recurse(u, f, d, 0);
}

/* ---- which functions may be preempted at any instruction ------------ */

/* A function is pure when stopping it at any instruction, and resuming it
 * later, perhaps on another thread, is as safe as a call of goc_yield()
 * there: its body calls nothing but __builtin_ functions and pure
 * functions of the unit (no libc, so no lock and no errno), names no
 * thread-local variable, has no asm and no goc statement.  A pure function
 * that may recurse needs no entry check: the runtime stops it with a
 * signal instead (docs/runtime.md, "Preemption"), so a recursion of a few
 * instructions per call pays nothing. */

typedef struct names {
    const char **p;
    uint32_t *len;
    size_t n, cap;
} names;

static int names_has(const names *ns, const char *s, uint32_t len)
{
    for (size_t i = 0; i < ns->n; i++)
        if (ns->len[i] == len && memcmp(ns->p[i], s, len) == 0)
            return 1;
    return 0;
}

/* The names the unit declares thread-local, at any scope. */
static void collect_tls(const ast_unit *u, names *ns)
{
    stack s = {0};
    size_t lcap = 0;
    push(&s, u->root);
    while (s.n) {
        const ast_node *m = s.p[--s.n];
        if (m->kind == AST_DECL && m->a && (m->a->flags & AST_SC_THREAD))
            for (const ast_node *d = m->b; d; d = d->next) {
                uint32_t t = d->a ? ast_declarator_name(d->a) : 0, len;
                if (!t)
                    continue;
                const char *name = ast_tok_text(u, t, &len);
                ARRAY_RESERVE(ns->p, ns->cap, ns->n + 1);
                ARRAY_RESERVE(ns->len, lcap, ns->n + 1);
                ns->p[ns->n] = name;
                ns->len[ns->n++] = len;
            }
        push_kids(&s, m, u->root);
    }
    free(s.p);
}

static int is_asm_tok(const ast_unit *u, uint32_t t)
{
    return ast_tok_is(u, t, "asm") || ast_tok_is(u, t, "__asm") ||
           ast_tok_is(u, t, "__asm__");
}

/* Is d's body impure by itself?  Records the unit's functions it calls. */
static int body_impure(const ast_unit *u, const fdefs *f, fdef *d,
                       const names *tls)
{
    const ast_node *body = d->n->c;
    for (uint32_t t = body->first; t <= body->last && t < u->lex.ntoks; t++)
        if (is_asm_tok(u, t))
            return 1;
    int bad = 0;
    stack s = {0};
    push(&s, body);
    while (s.n && !bad) {
        const ast_node *m = s.p[--s.n];
        uint32_t len;
        const char *name;
        switch (m->kind) {
        case AST_ASM: case AST_FUNC_DEF: case AST_GO_CALL: case AST_GO_BLOCK:
        case AST_SEND: case AST_RECV_OK: case AST_RANGE_FOR: case AST_SELECT:
        case AST_SELECT_CASE: case AST_RECV: case AST_MAKE_CHAN:
        case AST_TS_CHAN:
            bad = 1;
            break;
        case AST_IDENT:
            name = ast_tok_text(u, m->first, &len);
            bad = names_has(tls, name, len);
            break;
        case AST_CALL: {
            const ast_node *callee = m->a;
            if (!callee || callee->kind != AST_IDENT) {
                bad = 1; /* through a pointer */
                break;
            }
            name = ast_tok_text(u, callee->first, &len);
            if (len > 10 && memcmp(name, "__builtin_", 10) == 0) {
                /* no call, except the jumps, which leave the function */
                for (uint32_t i = 10; i + 3 <= len && !bad; i++)
                    bad = memcmp(name + i, "jmp", 3) == 0;
                break;
            }
            fdef *g = callee->sym && callee->sym->kind == SYM_FUNC
                          ? find_def(f, name, len) : NULL;
            if (!g) {
                bad = 1; /* defined elsewhere: libc, another unit */
                break;
            }
            ARRAY_RESERVE(d->callees, d->cap, d->ncallees + 1);
            d->callees[d->ncallees++] = (size_t)(g - f->d);
            break;
        }
        default:
            break;
        }
        push_kids(&s, m, body);
    }
    free(s.p);
    return bad;
}

/* Mark every function of the unit pure or not (a function is impure if
 * its body is, or if it calls an impure one: to a fixed point). */
static void pure_defs(const ast_unit *u, fdefs *f)
{
    names tls = {0};
    collect_tls(u, &tls);
    for (size_t i = 0; i < f->n; i++)
        f->d[i].impure = !f->d[i].n->c || body_impure(u, f, &f->d[i], &tls);
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < f->n; i++)
            for (size_t k = 0; !f->d[i].impure && k < f->d[i].ncallees; k++)
                if (f->d[f->d[i].callees[k]].impure)
                    changed = f->d[i].impure = 1;
    }
    free(tls.p);
    free(tls.len);
}

/* Can the target stop pure code with a signal?  goc.h declares
 * goc__async_supported where it can (and the program has not turned it
 * off). */
static int async_supported(const ast_unit *u)
{
    for (uint32_t t = 1; t < u->lex.ntoks; t++)
        if (ast_tok_is(u, t, "goc__async_supported"))
            return 1;
    return 0;
}

/* Does the definition n (which gets an entry check) go to the section the
 * runtime may stop at any instruction, instead of getting the check? */
static int async_def(const ast_unit *u, const fdefs *f, const regions *r,
                     const ast_node *n)
{
    uint32_t t = ast_declarator_name(n->b), len;
    const char *name = t ? ast_tok_text(u, t, &len) : NULL;
    fdef *d = name ? find_def(f, name, len) : NULL;
    if (!d || d->n != n || d->impure || !is_goc(u, r, n->first) ||
        !is_goc(u, r, n->c->first) || (len == 4 && !memcmp(name, "main", 4)))
        return 0;
    /* a section of its own, or a clone per target: left as it is */
    for (uint32_t k = n->first; k < n->c->first; k++)
        if (ast_tok_is(u, k, "section") || ast_tok_is(u, k, "__section__") ||
            ast_tok_is(u, k, "target_clones") ||
            ast_tok_is(u, k, "__target_clones__") ||
            ast_tok_is(u, k, "ifunc") || ast_tok_is(u, k, "__ifunc__"))
            return 0;
    return 1;
}

/* Iterative: expressions can nest deeper than the C stack allows. */
void preempt_unit(ast_unit *u, int enabled)
{
    regions r = {0};
    scan_pragmas(u, &r);
    if (!enabled || u->lex.errors) {
        free(r.off);
        free(r.on);
        return;
    }
    fdefs defs = {0};
    collect_defs(u, &defs);
    pure_defs(u, &defs);
    int can_async = -1, async = 0; /* -1: not looked up yet */
    stack s = {0};
    push(&s, u->root);
    while (s.n) {
        const ast_node *n = s.p[--s.n];
        if (n->kind == AST_FUNC_DEF && entry_check(u, &defs, n)) {
            int is_async = async_def(u, &defs, &r, n);
            if (is_async && can_async < 0) /* a scan of every token: once */
                can_async = async_supported(u);
            if (is_async && can_async) {
                emit_insert_before(u, n->first, ASYNC_FN);
                async = 1;
            } else {
                check_compound(u, &r, n->c);
            }
        } else if (n->kind == AST_WHILE || n->kind == AST_DO ||
                 n->kind == AST_FOR || n->kind == AST_RANGE_FOR)
            check_loop(u, &r, n);
        push_kids(&s, n, NULL);
    }
    free(s.p);
    uint32_t start = async ? emit_unit_start(u) : 0;
    if (start) /* the unit's section, made known to the runtime: goc.h */
        emit_insert_first(u, start, ASYNC_UNIT);
    for (size_t i = 0; i < defs.n; i++)
        free(defs.d[i].callees);
    free(defs.d);
    free(r.off);
    free(r.on);
}
