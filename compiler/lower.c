/*
 * lower.c - go, chan and select become C over <goc.h> (see lower.h and
 * docs/language.md §7).
 *
 * The walk is bottom-up: a construct's operands are lowered (spliced)
 * first, then the construct's own text is built from emit_range_text() of
 * its parts, which applies the inner splices, and replaces the construct.
 * Code that must live at file scope (go trampolines, lifted go blocks) is
 * inserted before the top-level declaration that contains the construct;
 * inner constructs register first, so what an outer lifted block calls is
 * always defined above it.
 *
 * Every site gets its own static goc_loc naming the .goc line, so panics,
 * the deadlock report and the SIGQUIT dump point at the source.  Operands
 * are evaluated exactly once, in source order, by storing them in
 * temporaries before any runtime call.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "emit.h"
#include "lower.h"
#include "parser.h"
#include "sema.h"
#include "util.h"

/* ---- state ---------------------------------------------------------- */

typedef struct lower {
    ast_unit *u;
    type_store *ts; /* the unit's types (u->sema->types) */
    int sites;      /* unique numbers for generated names */
    uint32_t top;   /* first token of the current top-level declaration */
    ast_node *func; /* the function definition being walked, or NULL */
    int func_declared; /* its prototype was put before the lifted code */
    int has_main;   /* the unit defines main (see lower_main) */
    int used;       /* a goc construct was lowered: goc__chan is needed */
    int go_level;   /* go blocks around the walk (as sema counts them) */
    const ast_node *value_stmt; /* the last statement of the innermost
                                 * ({ ... }) being walked: its value is
                                 * the expression's, so a receive there
                                 * keeps its value */
    const ast_node *void_stmt_expr; /* a ({ ... }) whose value is dropped
                                     * (an expression statement) */
    const sema_sym **fdecls; /* block-scope function declarations */
    int nfdecls;             /* repeated at file scope (local_func_decl) */
} lower;

/* An error at token t, counted on the unit (u->lex.errors). */
#define lerror(L, t, ...) lex_error(&(L)->u->lex, (t), __VA_ARGS__)

/* The text of n placed where it stands in the .goc file: after a line
 * marker and padding, so the C compiler's messages about the user's own
 * code inside generated code carry its .goc line and column. */
static char *text(lower *L, const ast_node *n)
{
    return emit_range_text(L->u, n->first, n->last, EMIT_PLACE);
}

/* The indentation that puts generated code under token t: its column, as
 * far as EMIT_MAX_PAD (past it, padding every piece of a line that a
 * macro expanded to thousands of columns would make output quadratic). */
static int indent_of(const lower *L, uint32_t t)
{
    int col = (int)L->u->lex.toks[t].col - 1;
    return col <= EMIT_MAX_PAD ? col : 0;
}

/* Text of tokens first..last moved elsewhere, at its .goc line and column. */
static char *moved_text(lower *L, uint32_t first, uint32_t last)
{
    return emit_range_text(L->u, first, last, EMIT_PLACE);
}

/* Start a new generated line that belongs to token t's .goc line, indented
 * by `extra` more than t. */
static void line_at(lower *L, sb *b, uint32_t t, int extra)
{
    const char *marker = emit_line_marker(L->u, t);
    sbf(b, "%s%*s", *marker ? marker : "\n", indent_of(L, t) + extra, "");
}

/* Text of a list of block items (statements). */
static char *items_text(lower *L, const ast_node *list)
{
    const ast_node *last = list;
    if (!list)
        return strdup("");
    while (last->next)
        last = last->next;
    return moved_text(L, list->first, last->last);
}

/* "static const goc_loc goc__lN = {"file.goc", 12};" for token t, at file
 * scope before the enclosing declaration, so that gdb's `info locals` does
 * not list it; the site number is L->sites (already incremented by the
 * caller) and the site refers to &goc__lN. */
static void loc_decl(lower *L, uint32_t t)
{
    const char *f = lex_file(&L->u->lex, t);
    sb d = {0};
    /* unused when an enclosing lowering supersedes this one (`<-c;`) */
    sbf(&d, "%s__attribute__((unused)) static const goc_loc goc__l%d = {\"",
        emit_line_marker(L->u, t), L->sites);
    for (; *f; f++)
        sbf(&d, *f == '"' || *f == '\\' ? "\\%c" : "%c", *f);
    sbf(&d, "\", %u};\n", (unsigned)L->u->lex.toks[t].line);
    emit_insert_before(L->u, L->top, d.p);
    free(d.p);
}

/* The last token of statement n, counting its ';'. */
static uint32_t stmt_last(lower *L, const ast_node *n)
{
    const token *t = L->u->lex.toks;
    if (t[n->last].kind != TK_SEMI && n->last + 1 < L->u->lex.ntoks &&
        t[n->last + 1].kind == TK_SEMI)
        return n->last + 1;
    return n->last;
}

/* Type t without qualifiers, declaring name; *qual is set when only the
 * qualified spelling exists: an anonymous struct named by a typedef that
 * carries qualifiers (typedef const struct { ... } T).  Such an object is
 * then filled by memcpy, never assigned. */
static char *spell_value(lower *L, const sema_type *t, const char *name,
                         int level, type_why *why, int *qual)
{
    *qual = 0;
    char *s = type_spell_c(L->u, type_unqual(L->ts, t), name, level, why);
    if (!s && t && t->tdef && t->quals) {
        type_why w2 = TYPE_SPELLABLE;
        s = type_spell_c(L->u, t, name, level, &w2);
        *qual = s != NULL;
    }
    return s;
}

/* The element type of channel expression c, spelled as a declaration of
 * name; NULL (after an error) when goc cannot tell it. */
static char *elem_decl(lower *L, const ast_node *c, const char *name)
{
    sema_type *t = type_unqual(L->ts, c->type);
    type_why why = TYPE_SPELLABLE;
    int qual;
    /* a qualified temporary is written through (void *)&name; inside a go
     * block this code is lifted out of the function */
    char *s = t && t->kind == TY_CHAN ? spell_value(L, t->base, name, L->go_level, &why, &qual) : NULL;
    if (!s && L->go_level && (why == TYPE_LOCAL || why == TYPE_LOCAL_SIZE)) {
        char *ts = type_spell_goc(L->u, t->base);
        lerror(L, c->first, "a go block cannot use a channel of '%s', which is "
               "declared inside the function; move the type to file scope", ts);
        free(ts);
        return NULL;
    }
    if (!s) {
        lerror(L, c->first, "goc cannot tell the element type of this channel%s%s",
               why ? ": it is " : "", why ? type_why_text(why) : "");
        return NULL;
    }
    return s;
}

/* ---- channel operations --------------------------------------------- */

/* A new lowering site: its number in *id, and the declaration of its
 * temporary `goc__v<id>` (in name) of chan's element type; NULL after an
 * error was reported. */
static char *site_temp(lower *L, ast_node *chan, int *id, char name[32])
{
    *id = ++L->sites;
    snprintf(name, 32, "goc__v%d", *id);
    return elem_decl(L, chan, name);
}

/* A receive from goc_after(d) itself: the program never sees that
 * channel, so the receive frees it (goc_after_recv_at, and for a select
 * case goc_select_after_done): a timeout per request leaks nothing. */
static int is_after_call(lower *L, const ast_node *e)
{
    return e && e->kind == AST_CALL && e->a && e->a->kind == AST_IDENT &&
           ast_tok_is(L->u, e->a->name, "goc_after");
}

static const char *recv_fn(lower *L, const ast_node *chan)
{
    return is_after_call(L, chan) ? "goc_after_recv_at" : "goc_chan_recv_at";
}

/* <-c  ->  ({ T v; goc_chan_recv_at(c, &v, &loc); v; }) */
static void lower_recv(lower *L, ast_node *n)
{
    int id;
    char name[32];
    char *decl = site_temp(L, n->a, &id, name);
    if (!decl)
        return;
    sb b = {0};
    sbf(&b, "__extension__ ({ /* goc: <-c */ ");
    loc_decl(L, n->first);
    sbf(&b, "%s; %s((", decl, recv_fn(L, n->a));
    sbtake(&b, text(L, n->a));
    sbf(&b, "), (void *)&%s, &goc__l%d); %s; })", name, id, name);
    emit_replace(L->u, n->first, n->last, b.p);
    free(b.p);
    free(decl);
}

/* <-c; as a statement: the value is dropped (a statement expression would
 * be "unused" to clang) */
static void lower_recv_stmt(lower *L, ast_node *n)
{
    int id = ++L->sites;
    sb b = {0};
    sbf(&b, "{ /* goc: <-c; */ ");
    loc_decl(L, n->first);
    sbf(&b, "%s((", recv_fn(L, n->a->a));
    sbtake(&b, text(L, n->a->a));
    sbf(&b, "), 0, &goc__l%d); }", id);
    emit_replace(L->u, n->first, stmt_last(L, n), b.p);
    free(b.p);
}

/* <-c whose value is dropped (the left operand of a comma, a for loop's
 * step): a void statement expression, which clang does not call unused
 * as it would the value of a receive */
static void lower_recv_void(lower *L, ast_node *n)
{
    int id = ++L->sites;
    sb b = {0};
    sbf(&b, "__extension__ ({ /* goc: <-c */ ");
    loc_decl(L, n->first);
    sbf(&b, "%s((", recv_fn(L, n->a));
    sbtake(&b, text(L, n->a));
    sbf(&b, "), 0, &goc__l%d); })", id);
    emit_replace(L->u, n->first, n->last, b.p);
    free(b.p);
}

/* Mark the expressions under n whose values are dropped: the left
 * operand of every comma, and the right one too when the comma's own
 * value is dropped (a statement, but not the last of a ({ }), which is
 * the value of that). */
static void mark_unused(const lower *L, ast_node *n)
{
    if (n->kind == AST_COMMA) {
        n->a->flags |= AST_VALUE_UNUSED;
        if (n->flags & AST_VALUE_UNUSED)
            n->b->flags |= AST_VALUE_UNUSED;
    } else if (n->kind == AST_FOR && n->c) {
        n->c->flags |= AST_VALUE_UNUSED;
    } else if (n->kind == AST_EXPR_STMT && n->a && n->a->kind == AST_COMMA &&
               n != L->value_stmt) {
        n->a->flags |= AST_VALUE_UNUSED;
    }
}

/* make(chan(T)[, n])  ->  goc_chan_make_at(sizeof(T), n, &loc) */
static void lower_make(lower *L, ast_node *n)
{
    int id = ++L->sites;
    sb b = {0};
    sbf(&b, "__extension__ ({ /* goc: make(chan(T)) */ ");
    loc_decl(L, n->first);
    sbf(&b, "goc_chan_make_at_typed(sizeof(");
    sbtake(&b, text(L, n->a));
    sbf(&b, "), ");
    if (n->b) {
        sbf(&b, "(long)(");
        sbtake(&b, text(L, n->b));
        sbf(&b, ")");
    } else {
        sbf(&b, "0");
    }
    sbf(&b, ", &goc__l%d, \"", id);
    /* the element type as spelled, for debuggers (goc-gdb.py) */
    char *elem = emit_spelling(L->u, n->a->first, n->a->last);
    for (const char *e = elem; *e; e++)
        sbf(&b, *e == '"' || *e == '\\' ? "\\%c" : "%c", *e);
    free(elem);
    sbf(&b, "\"); })");
    emit_replace(L->u, n->first, n->last, b.p);
    free(b.p);
}

/* close(c), len(c), cap(c) on a channel */
static void lower_chan_call(lower *L, ast_node *n)
{
    const ast_node *f = n->a, *arg = n->b;
    if (!f || f->kind != AST_IDENT || !arg || arg->next ||
        !type_is_chan(type_unqual(L->ts, arg->type)))
        return;
    sb b = {0};
    if (ast_tok_is(L->u, f->name, "close")) {
        int id = ++L->sites;
        sbf(&b, "__extension__ ({ /* goc: close(c) */ ");
        loc_decl(L, n->first);
        sbf(&b, "goc_chan_close_at((");
        sbtake(&b, text(L, arg));
        sbf(&b, "), &goc__l%d); })", id);
    } else if (ast_tok_is(L->u, f->name, "len") || ast_tok_is(L->u, f->name, "cap")) {
        sbf(&b, "(goc_chan_%s((", ast_tok_is(L->u, f->name, "len") ? "len" : "cap");
        sbtake(&b, text(L, arg));
        sbf(&b, ")))");
    } else {
        return;
    }
    emit_replace(L->u, n->first, n->last, b.p);
    free(b.p);
}

/* c <- v;  ->  { goc_chan *c_ = (c); T v_ = (v); goc_chan_send_at(...); } */
static void lower_send(lower *L, ast_node *n)
{
    int id;
    char name[32];
    char *decl = site_temp(L, n->a, &id, name);
    if (!decl)
        return;
    sb b = {0};
    sbf(&b, "{ /* goc: c <- v; */ ");
    loc_decl(L, n->first);
    sbf(&b, "goc_chan *goc__c%d = (", id);
    sbtake(&b, text(L, n->a));
    sbf(&b, "); %s = (", decl);
    sbtake(&b, text(L, n->b));
    sbf(&b, "); goc_chan_send_at(goc__c%d, &%s, &goc__l%d); }", id, name, id);
    emit_replace(L->u, n->first, stmt_last(L, n), b.p);
    free(b.p);
    free(decl);
}

/* v, ok = <-c; */
static void lower_recv_ok(lower *L, ast_node *n)
{
    int id;
    char name[32];
    char *decl = site_temp(L, n->c, &id, name);
    if (!decl)
        return;
    sb b = {0};
    sbf(&b, "{ /* goc: v, ok = <-c; */ ");
    loc_decl(L, n->first);
    sbf(&b, "%s; int goc__ok%d = goc_chan_recv_at((", decl, id);
    sbtake(&b, text(L, n->c));
    sbf(&b, "), (void *)&%s, &goc__l%d); (", name, id);
    sbtake(&b, text(L, n->a));
    sbf(&b, ") = %s; (", name);
    sbtake(&b, text(L, n->b));
    sbf(&b, ") = goc__ok%d; }", id);
    emit_replace(L->u, n->first, stmt_last(L, n), b.p);
    free(b.p);
    free(decl);
}

/* "SPECS DECLARATOR = init;" for the one-variable declaration d */
static void decl_with_init(lower *L, sb *b, const ast_node *d, const char *init)
{
    sbtake(b, text(L, d->a));
    sbf(b, " ");
    if (d->b && d->b->a)
        sbtake(b, text(L, d->b->a));
    sbf(b, " = %s; ", init);
}

/* for (T v : c) body */
static void lower_range_for(lower *L, ast_node *n)
{
    int id;
    char name[32];
    char *decl = site_temp(L, n->b, &id, name);
    if (!decl)
        return;
    sb b = {0};
    sbf(&b, "{ /* goc: for (T v : c) */ ");
    loc_decl(L, n->first);
    sbf(&b, "goc_chan *goc__c%d = (", id);
    sbtake(&b, text(L, n->b));
    sbf(&b, "); for (;;) { %s; if (!goc_chan_recv_at(goc__c%d, (void *)&%s, &goc__l%d)) break; { ",
        decl, id, name, id);
    decl_with_init(L, &b, n->a, name);
    sbtake(&b, moved_text(L, n->c->first, n->c->last));
    sbf(&b, " } } }");
    emit_replace(L->u, n->first, n->last, b.p);
    free(b.p);
    free(decl);
}

/* ---- select --------------------------------------------------------- */

/* The directive lines (#pragma and the like, not line markers) in the
 * preprocessed text between byte offsets from and to, each on a line of
 * its own: a select is rebuilt from its pieces, and the pragmas between
 * them (before the first case, first in a body) must come along. */
static void gap_directives(lower *L, sb *b, uint32_t from, uint32_t to)
{
    const char *text = L->u->lex.text;
    for (uint32_t i = from; i < to; i++) {
        if (text[i] != '\n' && i != 0)
            continue;
        uint32_t j = text[i] == '\n' ? i + 1 : i;
        while (j < to && (text[j] == ' ' || text[j] == '\t'))
            j++;
        if (j >= to || text[j] != '#')
            continue;
        uint32_t k = j + 1, e = j;
        while (k < to && (text[k] == ' ' || text[k] == '\t'))
            k++;
        while (e < to && text[e] != '\n')
            e++;
        int marker = (k < to && text[k] >= '0' && text[k] <= '9') ||
                     (e - k > 4 && memcmp(text + k, "line", 4) == 0);
        if (!marker)
            sbf(b, "\n%.*s\n", (int)(e - j), text + j);
        i = e - 1;
    }
}

static uint32_t tok_off(lower *L, uint32_t t)
{
    return L->u->lex.toks[t].off;
}

static uint32_t tok_end(lower *L, uint32_t t)
{
    return L->u->lex.toks[t].off + L->u->lex.toks[t].len;
}

/* Fill goc__csN[i] for case c (operands in source order). */
static int select_case_setup(lower *L, sb *b, ast_node *c, int id, int i)
{
    char name[48];
    snprintf(name, sizeof name, "goc__s%d_%d", id, i);
    int send = c->op == AST_SEL_SEND;
    sbf(b, "goc__cs%d[%d].chan = (", id, i);
    sbtake(b, text(L, c->a));
    sbf(b, "); goc__cs%d[%d].dir = %s; ", id, i, send ? "GOC_SELECT_SEND" : "GOC_SELECT_RECV");
    if (c->op == AST_SEL_RECV) {
        sbf(b, "goc__cs%d[%d].elem = 0; ", id, i);
        return 1;
    }
    char *decl = elem_decl(L, c->a, name);
    if (!decl)
        return 0;
    sbf(b, "%s", decl);
    free(decl);
    if (send) {
        sbf(b, " = (");
        sbtake(b, text(L, c->b));
        sbf(b, "); ");
    } else {
        sbf(b, "; ");
    }
    sbf(b, "goc__cs%d[%d].elem = (void *)&%s; ", id, i, name);
    return 1;
}

/* The switch arm of case c: store the received value, then the body
 * with the directives around it (the clause ends at token `next`). */
static void select_case_arm(lower *L, sb *b, ast_node *c, int id, int i,
                            int as_default, uint32_t next)
{
    char name[48];
    snprintf(name, sizeof name, "goc__s%d_%d", id, i);
    if (as_default)
        sbf(b, "default: { ");
    else
        sbf(b, "case %d: { ", i);
    if (c->op == AST_SEL_RECV_ASSIGN || c->op == AST_SEL_RECV_OK) {
        sbf(b, "(");
        sbtake(b, text(L, c->b));
        sbf(b, ") = %s; ", name);
    }
    if (c->op == AST_SEL_RECV_OK) {
        sbf(b, "(");
        sbtake(b, text(L, c->c));
        sbf(b, ") = goc__cs%d[%d].ok; ", id, i);
    }
    if (c->op == AST_SEL_RECV_DECL)
        decl_with_init(L, b, c->b, name);
    const ast_node *last = c->d;
    while (last && last->next)
        last = last->next;
    gap_directives(L, b, tok_off(L, c->first),
                   c->d ? tok_off(L, c->d->first) : tok_off(L, next));
    sbtake(b, items_text(L, c->d));
    if (last)
        gap_directives(L, b, tok_end(L, last->last), tok_off(L, next));
    sbf(b, " } break; ");
}

/*
 * select { cases }  ->
 *   { goc_select_case cs[N]; <fill in source order>
 *     switch (goc_select_at(cs, N, !has_default, &loc)) { case i: {...} break; } }
 * The switch is what `break` leaves; `continue` passes through it.
 */
static void lower_select(lower *L, ast_node *n)
{
    int id = ++L->sites, ncases = 0, has_default = 0;
    for (ast_node *c = n->a; c; c = c->next) {
        if (c->op == AST_SEL_DEFAULT)
            has_default = 1;
        else
            ncases++;
    }
    sb b = {0};
    sbf(&b, "{ /* goc: select */ ");
    loc_decl(L, n->first);
    if (ncases)
        sbf(&b, "goc_select_case goc__cs%d[%d]; ", id, ncases);
    gap_directives(L, &b, tok_off(L, n->first),
                   tok_off(L, n->a ? n->a->first : n->last));
    int i = 0, ok = 1;
    for (ast_node *c = n->a; c; c = c->next)
        if (c->op != AST_SEL_DEFAULT) {
            line_at(L, &b, c->first, 4);
            ok &= select_case_setup(L, &b, c, id, i++);
        }
    if (!ok) {
        free(b.p);
        return;
    }
    line_at(L, &b, n->first, 4);
    sbf(&b, "switch (");
    for (ast_node *c = n->a; c; c = c->next)
        if (c->op != AST_SEL_DEFAULT && c->op != AST_SEL_SEND && is_after_call(L, c->a))
            sbf(&b, "goc_select_after_done(");
    if (ncases)
        sbf(&b, "goc_select_at(goc__cs%d, %d, %d, &goc__l%d)", id, ncases, !has_default, id);
    else
        sbf(&b, "goc_select_at(0, 0, %d, &goc__l%d)", !has_default, id);
    i = 0;
    for (ast_node *c = n->a; c; c = c->next) {
        if (c->op == AST_SEL_DEFAULT)
            continue;
        if (c->op != AST_SEL_SEND && is_after_call(L, c->a))
            sbf(&b, ", goc__cs%d[%d].chan)", id, i);
        i++;
    }
    sbf(&b, ") { ");
    /* Without default, a blocking select returns a valid index: the last
     * case is the switch's default, so the C compiler sees every path
     * through a case (no "maybe uninitialized" for what the cases set). */
    i = 0;
    for (ast_node *c = n->a; c; c = c->next) {
        int last = !has_default && i == ncases - 1 && c->op != AST_SEL_DEFAULT;
        line_at(L, &b, c->first, 4);
        select_case_arm(L, &b, c, id, i, c->op == AST_SEL_DEFAULT || last,
                        c->next ? c->next->first : n->last);
        if (c->op != AST_SEL_DEFAULT)
            i++;
    }
    /* select {} blocks forever: tell the C compiler (no -Wreturn-type
     * after it, no -Wimplicit-fallthrough into the next case) */
    sbf(&b, ncases || has_default ? "} }" : "} __builtin_unreachable(); }");
    emit_replace(L->u, n->first, n->last, b.p);
    free(b.p);
}

/* ---- go ------------------------------------------------------------- */

/* Lifted code sits above the enclosing function but may call it (a
 * recursive go): declare the function first, as its header is written. */
static int declared_before(lower *L, const ast_node *fd);

static void forward_decl(lower *L)
{
    ast_node *fd = L->func;
    if (!fd || L->func_declared || !fd->a || !fd->b || fd->d)
        return;
    for (ast_node *d = fd->b; d; d = d->a)
        if (d->kind == AST_D_FUNC && (d->flags & AST_OLD_STYLE))
            return;
    L->func_declared = 1;
    if (declared_before(L, fd))
        return;
    sb b = {0};
    sbf(&b, "%s/* goc: declared for the lifted code below */\n", emit_line_marker(L->u, fd->first));
    /* not text(): the code lifted so far sits before fd->a's first token */
    sbtake(&b, emit_range_text(L->u, fd->a->first, fd->a->last, EMIT_NO_LEADING));
    sbf(&b, " ");
    sbtake(&b, emit_range_text(L->u, fd->b->first, fd->b->last, EMIT_NO_LEADING));
    sbf(&b, ";\n");
    emit_insert_before(L->u, L->top, b.p);
    free(b.p);
}

/* A go block calls a function declared in the enclosing function's body
 * (`int helper(int);`): the lifted code sits outside that scope, so the
 * declaration is repeated at file scope, once per unit. */
static void local_func_decl(lower *L, const sema_sym *s)
{
    for (int i = 0; i < L->nfdecls; i++)
        if (L->fdecls[i] == s)
            return;
    type_why why = TYPE_SPELLABLE;
    char *d = type_spell_c(L->u, s->type, s->name, TYPE_FILE_SCOPE, &why);
    if (!d) /* its types are local too: the C compiler will say so */
        return;
    const sema_sym **n = realloc(L->fdecls, (L->nfdecls + 1) * sizeof *n);
    if (!n)
        diag_internal("out of memory");
    L->fdecls = n;
    L->fdecls[L->nfdecls++] = s;
    sb b = {0};
    sbf(&b, "%s/* goc: declared for the lifted code below */\n%s;\n",
        emit_line_marker(L->u, s->tok), d);
    emit_insert_before(L->u, L->top, b.p);
    free(b.p);
    free(d);
}

/* The first line of code lifted out of the function for the go statement
 * at token t: on the go statement's .goc line, so that the struct, the
 * lifted function's entry and its copies of the captures belong there. */
static void lifted_head(lower *L, sb *top, uint32_t t, const char *what)
{
    sbf(top, "%s/* goc: %s at %s:%u */ ", emit_line_marker(L->u, t), what,
        lex_file(&L->u->lex, t), (unsigned)L->u->lex.toks[t].line);
}

/* Start the coroutine: goc_go_at(fn, &args, sizeof args, &loc) or, with no
 * arguments, goc_go_at(fn, 0, 0, &loc). */
static void go_spawn(sb *b, int id, int nfields)
{
    if (nfields)
        sbf(b, "goc_go_at(goc__go%d_run, &goc__args, sizeof goc__args, &goc__l%d); }", id, id);
    else
        sbf(b, "goc_go_at(goc__go%d_run, 0, 0, &goc__l%d); }", id, id);
}

/* One argument slot of a go call: the args-struct field for argument i,
 * its type spelled at file scope; *qual (see spell_value) with *tmp, a
 * temporary of the same type to copy it from. */
static char *go_arg_field(lower *L, sema_type *ft, ast_node *arg, int i,
                          int *qual, char **tmp)
{
    sema_param *p = ft->params;
    for (int k = 0; p && k < i; k++)
        p = p->next;
    sema_type *t = p && !ft->unprototyped ? p->type : type_promote(L->ts, arg->type);
    char name[32];
    snprintf(name, sizeof name, "a%d", i);
    type_why why = TYPE_SPELLABLE;
    char *s = spell_value(L, t, name, TYPE_FILE_SCOPE, &why, qual);
    if (s && *qual) {
        snprintf(name, sizeof name, "goc__t%d", i);
        *tmp = spell_value(L, t, name, TYPE_FILE_SCOPE, &why, qual);
    }
    if (!s) {
        char *ts = type_spell_goc(L->u, t);
        lerror(L, arg->first, "argument %d of this go call has type '%s', which "
               "is %s; declare the type at file scope", i + 1, ts, type_why_text(why));
        free(ts);
    }
    return s;
}

/* Is call one of the channel builtins close/len/cap on a channel? */
/* go close(c);  ->  a coroutine that closes c (len and cap do nothing) */
static void lower_go_builtin(lower *L, ast_node *n)
{
    ast_node *call = n->a;
    int id = ++L->sites, is_close = ast_tok_is(L->u, call->a->name, "close");
    sb site = {0}, top = {0};
    sbf(&site, "{ /* goc: go close(c); */ ");
    loc_decl(L, n->first);
    sbf(&site, "struct goc__go%d goc__args; goc__args.c = (", id);
    sbtake(&site, text(L, call->b));
    sbf(&site, "); goc__args.loc = &goc__l%d; ", id);
    go_spawn(&site, id, 1);
    lifted_head(L, &top, n->first, "go close(c)");
    sbf(&top, "struct goc__go%d { goc_chan *c; const goc_loc *loc; }; ", id);
    sbf(&top, "static void goc__go%d_run(void *goc__p) { struct goc__go%d *goc__a = goc__p; %s }\n",
        id, id, is_close ? "goc_chan_close_at(goc__a->c, goc__a->loc);" : "(void)goc__a;");
    emit_insert_before(L->u, L->top, top.p);
    emit_replace(L->u, n->first, stmt_last(L, n), site.p);
    free(top.p);
    free(site.p);
}

/* The pieces of a go call: struct fields, the stores at the site (callee
 * then arguments, in source order) and the trampoline's argument list. */
typedef struct gocall {
    sb fields, stores, args;
    int nfields;
} gocall;

static int go_call_parts(lower *L, ast_node *call, sema_type *ft, int direct, gocall *g)
{
    if (!direct) {
        type_why why = TYPE_SPELLABLE;
        char *fp = type_spell_c(L->u, ft, "(*fn)", TYPE_FILE_SCOPE, &why);
        if (!fp) {
            lerror(L, call->a->first, "go: the called function's type is %s; "
                   "declare its types at file scope", type_why_text(why));
            return -1;
        }
        sbf(&g->fields, "%s; ", fp);
        free(fp);
        sbf(&g->stores, "goc__args.fn = (");
        sbtake(&g->stores, text(L, call->a));
        sbf(&g->stores, "); ");
        g->nfields++;
    }
    int i = 0;
    for (ast_node *a = call->b; a; a = a->next, i++) {
        int qual = 0;
        char *tmp = NULL;
        char *f = go_arg_field(L, ft, a, i, &qual, &tmp);
        if (!f)
            return -1;
        sbf(&g->fields, "%s; ", f);
        free(f);
        if (qual) {
            sbf(&g->stores, "{ %s = (", tmp);
            sbtake(&g->stores, text(L, a));
            sbf(&g->stores, "); __builtin_memcpy((void *)&goc__args.a%d, &goc__t%d, "
                "sizeof goc__t%d); } ", i, i, i);
        } else {
            sbf(&g->stores, "goc__args.a%d = (", i);
            sbtake(&g->stores, text(L, a));
            sbf(&g->stores, "); ");
        }
        free(tmp);
        sbf(&g->args, "%sgoc__a->a%d", i ? ", " : "", i);
        g->nfields++;
    }
    return 0;
}

/* go f(a, b);  -> a trampoline at file scope and a spawn here */
static void lower_go_call(lower *L, ast_node *n)
{
    ast_node *call = n->a, *callee = call->a;
    if (sema_chan_builtin(L->u, call)) {
        lower_go_builtin(L, n);
        return;
    }
    sema_type *ft = sema_callee_type(call); /* sema made sure of it */
    int id = ++L->sites, direct = callee->kind == AST_IDENT && callee->sym &&
                                  callee->sym->kind == SYM_FUNC && !callee->sym->local;
    gocall g = {{0}, {0}, {0}, 0};
    sb site = {0}, top = {0};
    if (go_call_parts(L, call, ft, direct, &g) == 0) {
        sbf(&site, "{ /* goc: go f(...); */ ");
        loc_decl(L, n->first);
        if (g.nfields)
            sbf(&site, "struct goc__go%d goc__args; %s", id, g.stores.p);
        go_spawn(&site, id, g.nfields);

        lifted_head(L, &top, n->first, "go f(...)");
        if (g.nfields)
            sbf(&top, "struct goc__go%d { %s}; ", id, g.fields.p);
        sbf(&top, "static void goc__go%d_run(void *goc__p) { ", id);
        if (g.nfields)
            sbf(&top, "struct goc__go%d *goc__a = goc__p; ", id);
        else
            sbf(&top, "(void)goc__p; ");
        int is_void = ft->base && ft->base->kind == TY_VOID;
        sbf(&top, "%s", is_void ? "" : "__auto_type goc__r = "); /* result dropped */
        if (direct)
            sbtake(&top, text(L, callee));
        else
            sbf(&top, "goc__a->fn");
        sbf(&top, "(%s);%s }\n", g.args.p ? g.args.p : "", is_void ? "" : " (void)goc__r;");
        forward_decl(L);
        emit_insert_before(L->u, L->top, top.p);
        emit_replace(L->u, n->first, stmt_last(L, n), site.p);
    }
    free(top.p);
    free(site.p);
    free(g.fields.p);
    free(g.stores.p);
    free(g.args.p);
}

/* How a local static is named where the walk is now: by its name in its
 * own function, through the lifted block's pointer inside a go block. */
static void static_ref(lower *L, sb *b, const sema_sym *s)
{
    if (L->go_level > s->go_level)
        sbf(b, "(*goc__s_%s)", s->name);
    else
        sbf(b, "%s", s->name);
}

/* Fields, copy-in at the site, and locals of the lifted function for the
 * captures of go block n. */
static int go_block_captures(lower *L, ast_node *n, sb *fields, sb *site, sb *locals)
{
    int nf = 0;
    for (sema_capture *c = sema_go_captures(L->u, n); c; c = c->next, nf++) {
        const sema_sym *s = c->sym;
        type_why why = TYPE_SPELLABLE;
        int qual;
        /* a nested function: its address (see func_def in sema.c) */
        sema_type *t = s->kind == SYM_FUNC ? type_derive(L->ts, TY_PTR, s->type)
                                           : s->type;
        char *f = spell_value(L, t, s->name, TYPE_FILE_SCOPE, &why, &qual);
        char *l = type_spell_c(L->u, t, s->name, TYPE_FILE_SCOPE, &why);
        if (!f || !l) {
            char *ts = type_spell_goc(L->u, s->type);
            lerror(L, c->use_tok, "cannot capture '%s' in a go block: its type "
                   "'%s' is %s; %s", s->name, ts, type_why_text(why),
                   why != TYPE_VLA ? "move the type to file scope"
                   : type_is_array(s->type) ? "capture a pointer to it instead"
                   : "capture it as a void * and convert it inside the block");
            free(ts);
            free(f);
            free(l);
            return -1;
        }
        sbf(fields, "%s; ", f);
        if (type_is_array(s->type)) {
            /* The copy is the block's own array, which the block may be
             * the first to fill (`char buf[64]; go { snprintf(buf, ...` ):
             * copy it through a pointer the C compiler cannot follow, so
             * that -O2 does not call the copy a use of uninitialized data. */
            sbf(site, "{ const void *goc__src = &%s; __asm__(\"\" : \"+r\"(goc__src)); "
                "__builtin_memcpy((void *)&goc__args.%s, goc__src, sizeof goc__args.%s); } ",
                s->name, s->name, s->name);
            sbf(locals, "\n    %s; __builtin_memcpy((void *)&%s, &goc__a->%s, sizeof %s);",
                l, s->name, s->name, s->name);
        } else if (qual) {
            sbf(site, "__builtin_memcpy((void *)&goc__args.%s, &%s, sizeof goc__args.%s); ",
                s->name, s->name, s->name);
            sbf(locals, " %s; __builtin_memcpy((void *)&%s, &goc__a->%s, sizeof %s);",
                l, s->name, s->name, s->name);
        } else {
            sbf(site, "goc__args.%s = %s; ", s->name, s->name);
            sbf(locals, " %s = goc__a->%s;", l, s->name);
        }
        sbf(locals, " (void)%s;", s->name);
        free(f);
        free(l);
    }
    for (sema_capture *c = sema_go_statics(L->u, n); c; c = c->next, nf++) {
        const sema_sym *s = c->sym;
        char pname[300];
        snprintf(pname, sizeof pname, "(*goc__s_%s)", s->name);
        type_why why = TYPE_SPELLABLE;
        char *f = type_spell_c(L->u, s->type, pname, TYPE_FILE_SCOPE, &why);
        if (!f) {
            char *ts = type_spell_goc(L->u, s->type);
            lerror(L, c->use_tok, "a go block cannot share '%s': its type '%s' is %s; "
                   "move the type to file scope", s->name, ts, type_why_text(why));
            free(ts);
            return -1;
        }
        sbf(fields, "%s; ", f);
        sbf(locals, " %s = goc__a->goc__s_%s; (void)goc__s_%s;", f, s->name, s->name);
        sbf(site, "goc__args.goc__s_%s = &", s->name);
        static_ref(L, site, s);
        sbf(site, "; ");
        free(f);
    }
    return nf;
}

/* __func__ in a go block names the function the block is written in,
 * not the lifted goc__goN_run (and so do gcc's __FUNCTION__ and
 * __PRETTY_FUNCTION__, which assert() uses): each becomes the name as a
 * string literal.  walk() calls it on the outermost block, before the
 * constructs inside are lowered. */
static void keep_func_name(lower *L, uint32_t first, uint32_t last)
{
    uint32_t name = L->func ? ast_declarator_name(L->func->b) : 0;
    char *lit = NULL;
    for (uint32_t t = first; name && t <= last; t++) {
        if (L->u->lex.toks[t].kind != TK_NAME ||
            (!ast_tok_is(L->u, t, "__func__") &&
             !ast_tok_is(L->u, t, "__FUNCTION__") &&
             !ast_tok_is(L->u, t, "__PRETTY_FUNCTION__")))
            continue;
        if (!lit) {
            uint32_t len;
            const char *fn = ast_tok_text(L->u, name, &len);
            sb b = {0};
            sbf(&b, "\"%.*s\"", (int)len, fn);
            lit = b.p;
        }
        emit_replace(L->u, t, t, lit);
    }
    free(lit);
}

/* go { block }  ->  the block lifted to goc__goN_run at file scope */
static void lower_go_block(lower *L, ast_node *n)
{
    int id = ++L->sites;
    sb fields = {0}, site = {0}, locals = {0};
    sbf(&site, "{ /* goc: go { } */ ");
    loc_decl(L, n->first);
    size_t struct_at = site.n;
    sbf(&site, "struct goc__go%d goc__args; ", id);
    int nf = go_block_captures(L, n, &fields, &site, &locals);
    if (nf < 0) {
        free(fields.p);
        free(site.p);
        free(locals.p);
        return;
    }
    if (!nf)
        site.n = struct_at, site.p[site.n] = 0;
    go_spawn(&site, id, nf);

    sb top = {0};
    lifted_head(L, &top, n->first, "go { }");
    if (nf)
        sbf(&top, "struct goc__go%d { %s}; ", id, fields.p);
    sbf(&top, "static void goc__go%d_run(void *goc__p) { ", id);
    if (nf)
        sbf(&top, "struct goc__go%d *goc__a = goc__p;%s", id, locals.p);
    else
        sbf(&top, "(void)goc__p;");
    sbtake(&top, moved_text(L, n->a->first, n->a->last));
    sbf(&top, " }\n");
    forward_decl(L);
    emit_insert_before(L->u, L->top, top.p);
    emit_replace(L->u, n->first, n->last, site.p);
    free(top.p);
    free(site.p);
    free(fields.p);
    free(locals.p);
}

/* ---- main ----------------------------------------------------------- */

/* The arguments goc__main passes to the user's main: argc, argv and
 * environ as main declares them (`const char **argv` is a cast away). */
static char *main_args(lower *L, const sema_type *ft, int np)
{
    static const char *const names[] = {"argc", "argv", "environ"};
    sb b = {0};
    sbf(&b, "%s", "");
    const sema_param *p = ft->unprototyped ? NULL : ft->params;
    for (int i = 0; i < np && i < 3; i++, p = p ? p->next : NULL) {
        type_why why = TYPE_SPELLABLE;
        char *t = i && p ? type_spell_c(L->u, p->type, "", TYPE_FILE_SCOPE, &why)
                         : NULL;
        if (t && strcmp(t, "char **") != 0)
            sbf(&b, "%s(%s)%s", i ? ", " : "", t, names[i]);
        else
            sbf(&b, "%s%s", i ? ", " : "", names[i]);
        free(t);
    }
    return b.p;
}

/* The name of main's parameter i (0: argc, 1: argv), or NULL. */
static const char *main_param(lower *L, const ast_node *fd, int i, char *buf,
                              size_t size)
{
    const ast_node *d = fd->b;
    while (d && d->kind != AST_D_FUNC)
        d = d->a;
    const ast_node *p = d ? d->b : NULL;
    for (; p && i > 0; i--)
        p = p->next;
    uint32_t name = !p ? 0 : p->kind == AST_PARAM ? ast_declarator_name(p->b)
                                                  : ast_declarator_name(p);
    if (!name)
        return NULL;
    uint32_t len;
    const char *t = ast_tok_text(L->u, name, &len);
    snprintf(buf, size, "%.*s", (int)len, t);
    return buf;
}

/*
 * int main(...) { body }  ->
 *   int main(...) { <at line 0> static int goc__started;
 *       int goc__entered = goc__started ? 0
 *           : (goc__started = 1, goc_main(goc__main, argc, argv), 0);
 *       body }
 *   static int goc__main(int argc, char **argv) { return main(argc, argv); }
 *
 * The user's main keeps its name and its symbol, so the C compiler, gdb
 * (`start`, `bt`), the sanitizers and valgrind all call it main.  The C
 * library's call runs the program: goc_main starts the runtime and calls
 * main again, through goc__main, as the first coroutine; that call (and
 * any later one) goes on with the body.  The check's code is on line 0
 * ("no line"), so a debugger's `break main` skips it as prologue and stops
 * at the first statement of the coroutine's call.  Falling off main's end
 * returns 0 as main's does.
 */
static void lower_main(lower *L, ast_node *fd)
{
    sema_type *ft = fd->sym ? fd->sym->type : NULL;
    if (!ft || ft->kind != TY_FUNC || !fd->c)
        return;
    if (ft->base && ft->base->kind == TY_INT)
        emit_insert_before(L->u, fd->c->last, "return 0; ");
    int np = ft->nparams;
    if (ft->unprototyped) /* int main(argc, argv) int argc; char **argv; */
        for (ast_node *d = fd->b; d; d = d->a)
            if (d->kind == AST_D_FUNC)
                np = ast_list_len(d->b);
    char argc[128], argv[128];
    const char *c0 = np >= 1 ? main_param(L, fd, 0, argc, sizeof argc) : NULL;
    const char *c1 = np >= 2 ? main_param(L, fd, 1, argv, sizeof argv) : NULL;
    sb b = {0};
    sbf(&b, "%sstatic int goc__started; __attribute__((__unused__)) int "
        "goc__entered = goc__started ? 0 : (goc__started = 1, "
        "goc_main(goc__main, %s, %s%s), 0); /* goc: see goc__main */",
        emit_line_marker_at(L->u, fd->c->first, 0), c0 ? c0 : "0",
        c1 ? "(char **)" : "", c1 ? c1 : "0");
    /* before a preemption check on the `{` (preempt.c): declarations first */
    const char *brace = emit_replacement(L->u, fd->c->first);
    char *open = xstrdup(brace ? brace : "{");
    sb r = {0};
    if (open[0] == '{') {
        sbf(&r, "{%s%s", b.p, open + 1);
        emit_replace(L->u, fd->c->first, fd->c->first, r.p);
    } else {
        emit_insert_after(L->u, fd->c->first, b.p);
    }
    free(r.p);
    free(open);
    free(b.p);
    char *args = main_args(L, ft, np);
    int is_void = ft->base && ft->base->kind == TY_VOID;
    /* one line, on main's own .goc line: goc__main's code belongs to main,
     * not to what follows */
    const char *marker = emit_line_marker(L->u, fd->first);
    b = (sb){0};
    sbf(&b, "%s/* goc: main runs as the first coroutine */ "
        "static int goc__main(int argc, char **argv) { %s%s %smain(%s)%s; }\n",
        *marker ? marker : "\n", np >= 3 ? "extern char **environ;" : "",
        np < 2 ? " (void)argc; (void)argv;" : "", is_void ? "" : "return ",
        args, is_void ? "; return 0" : "");
    emit_insert_after(L->u, fd->last, b.p);
    free(b.p);
    free(args);
}

/* goc__main, which main calls, is declared before any other declaration. */
static void declare_main_adapter(lower *L)
{
    emit_insert_before(L->u, emit_toplevel_start(L->u, L->u->root->a->first),
                       "static int goc__main(int argc, char **argv); "
                       "/* goc: see main */\n");
}

/* Is the function fd declared at file scope before its definition?  Then
 * the lifted code needs no declaration of its own (-Wredundant-decls). */
static int declared_before(lower *L, const ast_node *fd)
{
    uint32_t fname = ast_declarator_name(fd->b);
    if (!fname)
        return 0;
    uint32_t len;
    const char *want = ast_tok_text(L->u, fname, &len);
    for (ast_node *n = L->u->root->a; n && n != fd; n = n->next) {
        if (n->kind != AST_DECL)
            continue;
        for (ast_node *id = n->b; id; id = id->next) {
            uint32_t name = id->a ? ast_declarator_name(id->a) : 0;
            uint32_t l2;
            const char *got = name ? ast_tok_text(L->u, name, &l2) : NULL;
            if (got && l2 == len && memcmp(got, want, len) == 0)
                return 1;
        }
    }
    return 0;
}

/* ---- the walk ------------------------------------------------------- */

static void walk(lower *L, ast_node *n);

static void walk_list(lower *L, ast_node *n)
{
    for (; n; n = n->next)
        walk(L, n);
}

static void walk_children(lower *L, ast_node *n)
{
    /* In `case T v = <-c:` the declaration's initialiser is the case's
     * own receive, which lower_select performs: walking it would lower
     * (and diagnose) the receive a second time. */
    ast_node *id = n->kind == AST_SELECT_CASE && n->op == AST_SEL_RECV_DECL &&
                   n->b && n->b->b ? n->b->b : NULL;
    ast_node *init = id && id->b && id->b->kind == AST_RECV ? id->b : NULL;
    if (init)
        id->b = NULL;
    walk_list(L, n->a);
    walk_list(L, n->b);
    walk_list(L, n->c);
    walk_list(L, n->d);
    if (init)
        id->b = init;
}

static void walk(lower *L, ast_node *n)
{
    if (n->kind == AST_GO_BLOCK) {
        L->go_level++;
        if (L->go_level == 1) /* before the constructs inside take the text */
            keep_func_name(L, n->a->first, n->a->last);
        walk_children(L, n);
        L->go_level--;
        L->used = 1;
        lower_go_block(L, n);
        return;
    }
    if (n->kind == AST_EXPR_STMT && n->a && n->a->kind == AST_STMT_EXPR)
        L->void_stmt_expr = n->a;
    if (n->kind == AST_STMT_EXPR) {
        const ast_node *outer = L->value_stmt;
        L->value_stmt = n == L->void_stmt_expr ? NULL : ast_stmt_expr_value(n);
        walk_children(L, n);
        L->value_stmt = outer;
        return;
    }
    mark_unused(L, n);
    walk_children(L, n);
    switch (n->kind) {
    case AST_TS_CHAN:
        L->used = 1;
        emit_replace(L->u, n->first, n->last, "goc__chan");
        break;
    case AST_IDENT:
        if (n->sym && n->sym->kind == SYM_FUNC && n->sym->local &&
            !n->sym->nested && L->go_level > n->sym->go_level) {
            local_func_decl(L, n->sym);
            break;
        }
        if (n->sym && n->sym->kind == SYM_VAR && n->sym->local && !n->sym->automatic &&
            L->go_level > n->sym->go_level) {
            sb b = {0};
            static_ref(L, &b, n->sym);
            emit_replace(L->u, n->first, n->last, b.p);
            free(b.p);
        }
        break;
    case AST_GENERIC: {
        const ast_node *e = sema_generic_choice(L->u, n);
        if (e) {
            /* chan(T) types are one C type: goc selects.  The other operands
             * stay in the unevaluated arm, so what only they name is still
             * used, and a constant choice stays a constant expression. */
            sb b = {0};
            sbf(&b, "__builtin_choose_expr(1, /* goc: _Generic */ (");
            sbtake(&b, text(L, e));
            sbf(&b, "), ((void)(");
            sbtake(&b, text(L, n->a));
            sbf(&b, ")");
            for (const ast_node *as = n->b; as; as = as->next)
                if (as->b != e) {
                    sbf(&b, ", (void)(");
                    sbtake(&b, text(L, as->b));
                    sbf(&b, ")");
                }
            sbf(&b, ", 0))");
            emit_replace(L->u, n->first, n->last, b.p);
            free(b.p);
        }
        break;
    }
    case AST_RECV:
        L->used = 1;
        if (n->flags & AST_VALUE_UNUSED)
            lower_recv_void(L, n);
        else
            lower_recv(L, n);
        break;
    case AST_EXPR_STMT:
        /* ({ ...; <-c; }) is the value received: the receive
         * expression lowered above stays */
        if (n->a && n->a->kind == AST_RECV && n != L->value_stmt &&
            type_is_chan(type_unqual(L->ts, n->a->a->type)))
            lower_recv_stmt(L, n);
        break;
    case AST_MAKE_CHAN: L->used = 1; lower_make(L, n); break;
    case AST_CALL: lower_chan_call(L, n); break;
    case AST_SEND: L->used = 1; lower_send(L, n); break;
    case AST_RECV_OK: L->used = 1; lower_recv_ok(L, n); break;
    case AST_RANGE_FOR: L->used = 1; lower_range_for(L, n); break;
    case AST_SELECT: L->used = 1; lower_select(L, n); break;
    case AST_GO_CALL:
        L->used = 1;
        if (n->a && n->a->kind == AST_CALL)
            lower_go_call(L, n);
        break;
    default:
        break;
    }
}

static int is_main(lower *L, const ast_node *fd)
{
    uint32_t name = ast_declarator_name(fd->b);
    return name && ast_tok_is(L->u, name, "main");
}

int lower_unit(ast_unit *u)
{
    lower L;
    memset(&L, 0, sizeof L);
    L.u = u;
    L.ts = &u->sema->types;
    unsigned before = u->lex.errors;
    int has_main = 0;
    for (ast_node *n = u->root ? u->root->a : NULL; n; n = n->next)
        if (!has_main && n->kind == AST_FUNC_DEF && is_main(&L, n) &&
            (u->lex.toks[n->first].flags & TOKF_GOC)) {
            has_main = 1;
            declare_main_adapter(&L);
        }
    L.has_main = has_main;
    for (ast_node *n = u->root ? u->root->a : NULL; n; n = n->next) {
        L.top = emit_toplevel_start(u, n->first);
        L.func = n->kind == AST_FUNC_DEF ? n : NULL;
        L.func_declared = 0;
        int user_main = n->kind == AST_FUNC_DEF && is_main(&L, n) &&
                        (u->lex.toks[n->first].flags & TOKF_GOC);
        walk(&L, n);
        if (user_main)
            lower_main(&L, n);
    }
    if ((L.used || has_main) && u->root && u->root->a)
        emit_insert_before(u, emit_toplevel_start(u, u->root->a->first),
                           "typedef struct goc_chan *goc__chan;\n");
    free(L.fdecls);
    return (int)(u->lex.errors - before);
}
