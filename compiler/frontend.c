/*
 * frontend.c - fe_translate: preprocessed text in, plain C out.
 *
 * lex (lex.c + grammar/lexer.re) -> parse (parse.c + grammar/parser.y,
 * building the tree of ast.h) -> sema (sema.c: scopes, types and every
 * goc rule, its results on the unit) -> lower (lower.c: splices for
 * go/chan/select) -> emit (emit.c: the original text with the splices).
 * Nothing is written to `out` unless every stage succeeded.
 */
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "frontend.h"
#include "lower.h"
#include "parse.h"
#include "preempt.h"
#include "sema.h"

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
    return lex_unit(&u->lex, text, len, u->input_name, opt && opt->iso) ||
           ps_parse(u) || u->lex.errors;
}

int fe_translate(const char *text, size_t len, const fe_options *opt,
                 FILE *out)
{
    ast_unit u;
    int rc = GOC_EXIT_USER;
    if (read_unit(&u, text, len, opt))
        goto done;
    if (sema_unit(&u) > 0 || u.lex.errors)
        goto done;
    emit_init(&u, opt ? opt->line_markers : 1);
    if (!(opt && opt->no_preempt))
        preempt_unit(&u);
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

int fe_parse_only(const char *text, size_t len, const fe_options *opt,
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
