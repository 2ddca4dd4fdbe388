/*
 * frontend.c - fe_translate: preprocessed text in, plain C out.
 *
 * lex (lex.c + grammar/lexer.re) -> parse (parse.c + grammar/parser.y,
 * building the tree of ast.h) -> sema (sema.c: scopes, types and every
 * goc rule, its results on the unit) -> lower (lower.c: splices for
 * go/chan/select) -> emit (emit.c: the original text with the splices).
 * Nothing is written to `out` unless every stage succeeded.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "frontend.h"
#include "lower.h"
#include "parse.h"
#include "preempt.h"
#include "sema.h"

/* The deepest tree the stages walk (docs/frontend.md, Limits), and the
 * stack they walk it on. */
enum { FE_MAX_DEPTH = 200000 };
#define FE_STACK_SIZE ((size_t)1 << 30)

static void unit_free(ast_unit *u)
{
    emit_free(u);
    sema_free(u);
    ast_free(u);
    lex_free(&u->lex);
}

/* Lex and parse text into u; 0 when no error was reported. */
static int read_unit(ast_unit *u, const char *text, size_t len,
                     const fe_options *opt)
{
    memset(u, 0, sizeof *u);
    u->input_name = opt ? opt->input_name : NULL;
    if (lex_unit(&u->lex, text, len, u->input_name, opt && opt->iso,
                 opt && opt->goc_unit) ||
        ps_parse(u) || u->lex.errors)
        return 1;
    uint32_t depth;
    const ast_node *deep = ast_deepest(u->root, &depth);
    if (depth > FE_MAX_DEPTH) {
        lex_error(&u->lex, deep->first, "nested too deeply: %u levels of "
                  "expressions and statements (goc handles %d)", depth,
                  FE_MAX_DEPTH);
        return 1;
    }
    return 0;
}

static int translate(const char *text, size_t len, const fe_options *opt,
                     FILE *out)
{
    ast_unit u;
    int rc = GOC_EXIT_USER;
    if (read_unit(&u, text, len, opt))
        goto done;
    if (sema_unit(&u) > 0 || u.lex.errors)
        goto done;
    emit_init(&u, opt ? opt->line_markers : 1);
    preempt_unit(&u, !(opt && opt->no_preempt));
    if (lower_unit(&u) > 0 || u.lex.errors)
        goto done;
    if (emit_unit(&u, out) != 0) {
        diag_plain_error("cannot write the translated output");
        goto done;
    }
    rc = GOC_EXIT_OK;
done:
    unit_free(&u);
    return rc;
}

static void list_names(const ast_unit *u, FILE *out)
{
    const lex_stream *s = &u->lex;
    for (uint32_t i = 1; i < s->ntoks; i++) {
        const token *t = &s->toks[i];
        if (t->kind != TK_NAME || t->file != 0)
            continue;
        fprintf(out, "%u:%u %.*s %s\n", t->line, t->col, (int)t->len,
                s->text + t->off, (t->flags & TOKF_TYPENAME) ? "type" : "ordinary");
    }
}

static int parse_only(const char *text, size_t len, const fe_options *opt,
                      int mode, FILE *out)
{
    ast_unit u;
    int rc = GOC_EXIT_USER;
    if (read_unit(&u, text, len, opt))
        goto done;
    emit_init(&u, opt ? opt->line_markers : 1);
    if (mode == 1)
        list_names(&u, out);
    else if (mode == 2)
        ast_dump(&u, u.root, 0, out);
    else if (emit_unit(&u, out) != 0)
        goto done;
    rc = GOC_EXIT_OK;
done:
    unit_free(&u);
    return rc;
}

/* ---- a stack for deep trees ------------------------------------------ */

/* The stages walk the tree recursively: they run on a thread of their own
 * whose stack (reserved, touched only as deep as a walk goes) holds
 * FE_MAX_DEPTH levels with room to spare, sanitizers included. */
typedef struct fe_job {
    const char *text;
    size_t len;
    const fe_options *opt;
    int mode; /* -1: fe_translate, else fe_parse_only's mode */
    FILE *out;
    int rc;
} fe_job;

static void *run_job(void *arg)
{
    fe_job *j = arg;
    /* Room for the driver's crash handler should this thread overflow. */
    static _Thread_local char alt[1 << 15];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt}, old;
    int alt_set = sigaltstack(&ss, &old) == 0;
    j->rc = j->mode < 0 ? translate(j->text, j->len, j->opt, j->out)
                        : parse_only(j->text, j->len, j->opt, j->mode, j->out);
    if (alt_set)
        sigaltstack(&old, NULL);
    return NULL;
}

static int run_deep(fe_job *j)
{
    pthread_attr_t attr;
    pthread_t t;
    int started = pthread_attr_init(&attr) == 0 &&
                  pthread_attr_setstacksize(&attr, FE_STACK_SIZE) == 0 &&
                  pthread_create(&t, &attr, run_job, j) == 0;
    pthread_attr_destroy(&attr);
    if (started)
        pthread_join(t, NULL);
    else
        run_job(j); /* no thread: this stack, shallower trees only */
    return j->rc;
}

int fe_translate(const char *text, size_t len, const fe_options *opt,
                 FILE *out)
{
    fe_job j = {text, len, opt, -1, out, GOC_EXIT_INTERNAL};
    return run_deep(&j);
}

int fe_parse_only(const char *text, size_t len, const fe_options *opt,
                  int mode, FILE *out)
{
    fe_job j = {text, len, opt, mode, out, GOC_EXIT_INTERNAL};
    return run_deep(&j);
}
