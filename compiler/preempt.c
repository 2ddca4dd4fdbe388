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
 * first.  A function gets an entry check only if it calls something: a
 * leaf's time is bounded by its loops, which have their own checks, and
 * small helpers inlined into a hot loop would otherwise add a second check
 * to every iteration.  Functions declared naked (no prologue, only asm)
 * are skipped, and so is main's entry (it runs once).
 */
#include <stdlib.h>

#include "emit.h"
#include "preempt.h"
#include "util.h"

#define POLL "goc_preempt_poll()"

static int is_goc(const ast_unit *u, uint32_t t)
{
    return t && t < u->lex.ntoks && (u->lex.toks[t].flags & TOKF_GOC);
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
static void check_compound(ast_unit *u, const ast_node *c)
{
    if (!is_goc(u, c->first) || !ast_tok_is(u, c->first, "{"))
        return;
    const ast_node *lab = NULL;
    for (const ast_node *it = c->a; it && it->kind == AST_LOCAL_LABEL;
         it = it->next)
        lab = it;
    const ast_node *first = lab ? lab->next : c->a;
    /* The check's code belongs to the first statement's line, so that a
     * debugger's `start` or `next` does not stop on the `{` line. */
    sb text = {0};
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
static void check_cond(ast_unit *u, uint32_t t)
{
    if (is_goc(u, t) && ast_tok_is(u, t, "("))
        wrap_tok(u, t, "", POLL ", ");
}

static void check_loop(ast_unit *u, const ast_node *n)
{
    const ast_node *body = n->kind == AST_WHILE || n->kind == AST_DO ? n->b
                           : n->kind == AST_FOR                     ? n->d
                                                                    : n->c;
    if (!body)
        return;
    if (body->kind == AST_COMPOUND) {
        check_compound(u, body);
    } else if (n->kind == AST_WHILE) {
        check_cond(u, n->first + 1);
    } else if (n->kind == AST_DO) {
        uint32_t w = find_tok(u, body->last + 1, n->last + 1, "while");
        if (w)
            check_cond(u, w + 1);
    } else if (n->kind == AST_FOR) {
        uint32_t s1 = find_tok(u, n->first + 2, body->first, ";");
        uint32_t s2 = s1 ? find_tok(u, s1 + 1, body->first, ";") : 0;
        if (s2 && is_goc(u, s2))
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

/* main's entry needs no check: it runs once (lower.c starts it with the
 * declarations that start the runtime, which must come first). */
static int is_main(const ast_unit *u, const ast_node *fd)
{
    uint32_t name = ast_declarator_name(fd->b);
    return name && ast_tok_is(u, name, "main") && is_goc(u, fd->first);
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

/* Does the tree under n (not n's list siblings) call anything? */
static int calls(const ast_node *n)
{
    stack s = {0};
    int found = 0;
    push(&s, n);
    while (s.n && !found) {
        const ast_node *m = s.p[--s.n];
        found = m->kind == AST_CALL || m->kind == AST_GO_CALL;
        if (m != n)
            push(&s, m->next);
        push(&s, m->d);
        push(&s, m->c);
        push(&s, m->b);
        push(&s, m->a);
    }
    free(s.p);
    return found;
}

/* Iterative: expressions can nest deeper than the C stack allows. */
void preempt_unit(ast_unit *u)
{
    stack s = {0};
    push(&s, u->root);
    while (s.n) {
        const ast_node *n = s.p[--s.n];
        if (n->kind == AST_FUNC_DEF && n->c && !is_naked(u, n) &&
            !is_main(u, n) && calls(n->c))
            check_compound(u, n->c);
        else if (n->kind == AST_WHILE || n->kind == AST_DO ||
                 n->kind == AST_FOR || n->kind == AST_RANGE_FOR)
            check_loop(u, n);
        push(&s, n->next);
        push(&s, n->d);
        push(&s, n->c);
        push(&s, n->b);
        push(&s, n->a);
    }
    free(s.p);
}
