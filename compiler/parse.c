/*
 * parse.c - drives the Lemon parser over the token array and keeps the
 * scopes that decide whether an identifier names a type.
 *
 * Every identifier is pushed as NAME, then as TYPE or VARIABLE.  Lemon
 * reduces only when a lookahead arrives, so pushing NAME first performs
 * every pending reduction (a declarator that declares a name, a block
 * that closes a scope); only then is the name looked up.  This is
 * Jourdan and Pottier's scheme ("A simple, possibly correct LR parser for
 * C11"); a classic lexer hack would look the name up one reduction early
 * and gets "typedef int T; void f(void) { { int T; } T y; }" wrong.
 *
 * Scope state is an array indexed by interned identifier id (0 unknown,
 * 1 ordinary identifier, 2 typedef name) plus an undo log: declaring pushes
 * the old value, closing a scope pops back to the scope's mark.
 * Rules (C11 6.2.1): a name is visible from the end of its declarator;
 * parameters live in a scope of their own, which the function body
 * reopens; enumerators and variables hide typedef names of outer scopes;
 * struct members never affect ordinary identifiers.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "parse.h"
#include "util.h"

void *GocParseAlloc(void *(*)(size_t), ps_ctx *);
void GocParseFree(void *, void (*)(void *));
void GocParse(void *, int, uint32_t);

static void declare(ps_ctx *c, uint32_t tok, int is_type)
{
    if (!tok || c->u->lex.toks[tok].kind != TK_NAME)
        return;
    uint32_t id = c->u->lex.toks[tok].aux;
    ARRAY_RESERVE(c->undo, c->capundo, c->nundo + 1);
    c->undo[c->nundo++] = (ps_undo){id, c->ident[id]};
    c->ident[id] = is_type ? 2 : 1;
}

static void scope_push(ps_ctx *c, int kind)
{
    ARRAY_RESERVE(c->scopes, c->capscopes, c->nscopes + 1);
    c->scopes[c->nscopes++] = (ps_scope){c->nundo, kind};
}

static void scope_pop(ps_ctx *c)
{
    if (!c->nscopes)
        diag_internal("scope stack underflow");
    uint32_t mark = c->scopes[--c->nscopes].undo;
    while (c->nundo > mark) {
        ps_undo *e = &c->undo[--c->nundo];
        c->ident[e->id] = e->old;
    }
}

void ps_unit(ps_ctx *c, ast_list l)
{
    uint32_t last = c->u->lex.ntoks - 1;
    c->u->root = ast_mk(c->u, AST_UNIT, 1, last, l.head, 0, 0, 0);
}

/* decl_specs_ctx ::= declaration_specifiers: open a declaration. */
ast_node *ps_decl_begin(ps_ctx *c, ast_node *specs)
{
    ARRAY_RESERVE(c->typedef_decl, c->capdecl, c->ndecl + 1);
    c->typedef_decl[c->ndecl++] = (specs->flags & AST_SC_TYPEDEF) != 0;
    return specs;
}

static void decl_pop(ps_ctx *c)
{
    if (!c->ndecl)
        diag_internal("declaration stack underflow");
    c->ndecl--;
}

/* declaration ::= decl_specs_ctx [init_declarator_list] ";" */
ast_node *ps_decl_end(ps_ctx *c, ast_node *specs, ast_list l, uint32_t semi)
{
    decl_pop(c);
    return ast_mk(c->u, AST_DECL, specs->first, semi, specs, l.head, 0, 0);
}

/* init-declarator: the name is visible from here on (before any '='). */
ast_node *ps_declare(ps_ctx *c, ast_node *d, uint32_t asm_label)
{
    int td = c->ndecl && c->typedef_decl[c->ndecl - 1];
    declare(c, ast_declarator_name(d), td);
    ast_node *n = ast_mk(c->u, AST_INIT_DECL, 0, asm_label ? c->u->lex.toks[asm_label].aux : 0,
                         d, 0, 0, 0);
    n->name = asm_label;
    return n;
}

/* range-for and select-case declarations: one declarator, no list. */
ast_node *ps_local_decl(ps_ctx *c, ast_node *specs, ast_node *d)
{
    decl_pop(c);
    declare(c, ast_declarator_name(d), 0);
    ast_node *id = ast_mk(c->u, AST_INIT_DECL, 0, 0, d, 0, 0, 0);
    return ast_mk(c->u, AST_DECL, specs->first, d->last, specs, id, 0, 0);
}

static void replay(ps_ctx *c, const ps_undo *e, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        ARRAY_RESERVE(c->undo, c->capundo, c->nundo + 1);
        c->undo[c->nundo++] = (ps_undo){e[i].id, c->ident[e[i].id]};
        c->ident[e[i].id] = e[i].old;
    }
}

/* The body's scope holds the parameters again.  Old-style parameter
 * declarations ("int f(a) int a; {") were declared where they were read,
 * in the enclosing scope: take them back out and into the body's. */
ast_node *ps_fundef_begin(ps_ctx *c, ast_node *specs, ast_node *d,
                          ast_list kr)
{
    ps_undo *old = NULL;
    uint32_t nold = 0;
    if (kr.head && c->kr_mark <= c->nundo) {
        nold = c->nundo - c->kr_mark;
        old = malloc((nold + 1) * sizeof *old);
        if (!old)
            diag_internal("out of memory");
        for (uint32_t i = 0; i < nold; i++) {
            uint32_t id = c->undo[c->kr_mark + i].id;
            old[i] = (ps_undo){id, c->ident[id]};
        }
        while (c->nundo > c->kr_mark) {
            ps_undo *e = &c->undo[--c->nundo];
            c->ident[e->id] = e->old;
        }
    }
    decl_pop(c);
    declare(c, ast_declarator_name(d), 0);
    scope_push(c, PS_BLOCK);
    replay(c, c->saved, c->nsaved);
    replay(c, old, nold);
    free(old);
    return ast_mk(c->u, AST_FUNC_DEF, specs->first, d->last, specs, d, 0, kr.head);
}

/* function_definition ::= fundef_head compound_statement */
ast_node *ps_fundef_end(ps_ctx *c, ast_node *head, ast_node *body)
{
    scope_pop(c);
    head->c = body;
    head->last = body->last;
    return head;
}

/* enum_const ::= general_identifier: visible from here on. */
ast_node *ps_enumerator(ps_ctx *c, uint32_t name)
{
    declare(c, name, 0);
    ast_node *n = ast_new(c->u, AST_ENUMERATOR, name, name);
    n->name = name;
    return n;
}

/* params_open ::= "(" after a direct declarator. */
uint32_t ps_params_open(ps_ctx *c, uint32_t lparen)
{
    scope_push(c, PS_PARAMS);
    return lparen;
}

/* name(params): close the parameter scope.  If the declarator directly
 * names a function, remember its parameters for a body that may follow
 * ("int (*f(int a))(int b) {" reopens a, not b). */
ast_node *ps_func_declarator(ps_ctx *c, ast_node *d, uint32_t lparen,
                             ast_node *params, uint32_t rparen)
{
    const ast_node *inner = d;
    while (inner && inner->kind == AST_D_PAREN)
        inner = inner->a;
    if (inner && inner->kind == AST_D_IDENT) {
        uint32_t mark = c->scopes[c->nscopes - 1].undo;
        c->nsaved = 0;
        for (uint32_t i = mark; i < c->nundo; i++) {
            ARRAY_RESERVE(c->saved, c->capsaved, c->nsaved + 1);
            uint32_t id = c->undo[i].id;
            c->saved[c->nsaved++] = (ps_undo){id, c->ident[id]};
        }
    }
    scope_pop(c);
    c->kr_mark = c->nundo;
    return ast_func_declarator(c->u, d, lparen, params, rparen);
}

/* parameter_declaration ::= declaration_specifiers declarator */
ast_node *ps_param(ps_ctx *c, ast_node *specs, ast_node *d)
{
    if (c->nscopes && c->scopes[c->nscopes - 1].kind == PS_PARAMS)
        declare(c, ast_declarator_name(d), 0);
    ast_node *n = ast_mk(c->u, AST_PARAM, 0, 0, specs, d, 0, 0);
    n->flags |= AST_DECL_PARAM;
    return n;
}

/* lbrace ::= "{", for_open ::= for "(", sel_case_open ::= case, ... */
uint32_t ps_scope_open(ps_ctx *c, uint32_t tok)
{
    scope_push(c, PS_BLOCK);
    return tok;
}

/* compound_statement ::= lbrace [block_items] "}" */
ast_node *ps_block_end(ps_ctx *c, uint32_t lbrace, ast_list l, uint32_t rbrace)
{
    scope_pop(c);
    return ast_mk(c->u, AST_COMPOUND, lbrace, rbrace, l.head, 0, 0, 0);
}

/* for ( [init] ; [cond] ; [step] ) statement */
ast_node *ps_for_end(ps_ctx *c, uint32_t kw, ast_node *init, ast_node *cond,
                     ast_node *step, ast_node *body)
{
    scope_pop(c);
    return ast_mk(c->u, AST_FOR, kw, body->last, init, cond, step, body);
}

/* for ( T v : channel ) statement  (goc) */
ast_node *ps_range_for_end(ps_ctx *c, uint32_t kw, ast_node *decl,
                           ast_node *chan, ast_node *body)
{
    scope_pop(c);
    return ast_mk(c->u, AST_RANGE_FOR, kw, body->last, decl, chan, body, 0);
}

/* select_case ::= sel_case_head [sel_block_items]: its own scope. */
ast_node *ps_select_case_end(ps_ctx *c, ast_node *head, ast_list body)
{
    scope_pop(c);
    head->d = body.head;
    if (body.tail && body.tail->last > head->last)
        head->last = body.tail->last;
    return head;
}

/* Names the compilers know without a declaration. */
static int predeclared_type(const ast_unit *u, uint32_t t)
{
    static const char *const names[] = {
        "__builtin_va_list", "__int128_t", "__uint128_t", "__gnuc_va_list_",
        "__builtin_ms_va_list", "_Decimal32", "_Decimal64", "_Decimal128",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (ast_tok_is(u, t, names[i]))
            return 1;
    return 0;
}

static int is_type_name(ps_ctx *c, uint32_t t)
{
    uint32_t id = c->u->lex.toks[t].aux;
    if (c->ident[id] == 0 && predeclared_type(c->u, t))
        c->ident[id] = 2; /* file scope, never undone */
    return c->ident[id] == 2;
}

/* Inside a select body (directly), is token t in a case head? */
static int select_context(const lex_stream *s, uint32_t t, int *in_head)
{
    int depth = 0;
    *in_head = 0;
    for (uint32_t i = lex_prev(s, t); i; i = lex_prev(s, i)) {
        int k = s->toks[i].kind;
        if (k == TK_RBRACE || k == TK_RPAREN || k == TK_RBRACKET)
            depth++;
        else if (k == TK_LBRACE || k == TK_LPAREN || k == TK_LBRACKET) {
            if (depth-- > 0)
                continue;
            if (k != TK_LBRACE)
                continue;
            uint32_t p = lex_prev(s, i);
            return p && s->toks[p].kind == TK_SELECT;
        } else if (depth == 0 && (k == TK_CASE || k == TK_DEFAULT) && !*in_head) {
            *in_head = 1;
        } else if (depth == 0 && (k == TK_COLON || k == TK_SEMI) && !*in_head) {
            *in_head = -1; /* in a case body */
        }
    }
    return 0;
}

/* "expected ';' before '}'", or the plainest true statement. */
static void expected(ps_ctx *c, uint32_t t)
{
    static const struct { int kind; const char *text; } want[] = {
        {TK_SEMI, "';'"}, {TK_RPAREN, "')'"}, {TK_RBRACKET, "']'"},
        {TK_RBRACE, "'}'"}, {TK_COLON, "':'"}, {TK_NUMBER, "an expression"},
        {TK_LPAREN, "'('"}, {TK_NAME, "an identifier"},
    };
    lex_stream *s = &c->u->lex;
    uint32_t len = s->toks[t].len;
    if (len > 40)
        len = 40;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (ps_parser_accepts(c->parser, want[i].kind)) {
            lex_error(s, t, "expected %s before '%.*s'", want[i].text,
                           (int)len, s->text + s->toks[t].off);
            return;
        }
    lex_error(s, t, "syntax error before '%.*s'", (int)len,
                   s->text + s->toks[t].off);
}

void ps_syntax_error(ps_ctx *c, int major, uint32_t minor)
{
    if (c->failed)
        return;
    c->failed = 1;
    lex_stream *s = &c->u->lex;
    uint32_t t = minor ? minor : c->cur;
    uint32_t p = lex_prev(s, t);
    int head;
    if (major == 0 || s->toks[t].kind == LEX_END) {
        lex_error(s, p ? p : t, "unexpected end of file after this");
    } else if (p && s->toks[p].kind == TK_GO) {
        lex_error(s, t, "'go' must be followed by a function call or a block");
    } else if (select_context(s, t, &head) && head >= 0) {
        if (head > 0)
            lex_error(s, t, "malformed select case: expected '<-c', "
                           "'v = <-c', 'T v = <-c', 'v, ok = <-c' or 'c <- v'");
        else
            lex_error(s, t, "a select body holds only 'case' and "
                           "'default' clauses");
    } else {
        expected(c, t);
    }
}

void ps_stack_overflow(ps_ctx *c)
{
    if (c->failed)
        return;
    c->failed = 1;
    lex_error(&c->u->lex, c->cur, "expression or declaration nested too deeply");
}

void ps_parse_failure(ps_ctx *c)
{
    if (!c->failed) {
        c->failed = 1;
        lex_error(&c->u->lex, c->cur, "syntax error");
    }
}

/* Is the goc "<-" at token i right after a cast to a typedef name,
 * "(T)<-c"?  lex.c cannot tell "(T)" from "(x)"; the parser has read T by
 * now.  sizeof(T)<-1 and the like stay comparisons. */
static int cast_to_typedef(const lex_stream *s, uint32_t i)
{
    uint32_t p = lex_prev(s, i);
    if (!(s->toks[i].flags & TOKF_GOC) || !p || s->toks[p].kind != TK_RPAREN ||
        !s->toks[p].aux)
        return 0;
    uint32_t open = s->toks[p].aux, first = open + 1;
    while (first < p && (s->toks[first].flags & TOKF_TRIVIA))
        first++;
    if (first >= p || s->toks[first].kind != TK_NAME ||
        !(s->toks[first].flags & TOKF_TYPENAME))
        return 0;
    uint32_t b = lex_prev(s, open);
    switch (b ? s->toks[b].kind : 0) {
    case TK_SIZEOF: case TK_ALIGNOF: case TK_TYPEOF: case TK_ATOMIC_SPEC:
    case TK_CHAN: case TK_NAME: case TK_RPAREN: case TK_RBRACKET:
        return 0;
    default:
        return 1;
    }
}

/* A storage class, function specifier or qualifier: what may come
 * before the declared name when C89's implicit int leaves out the type. */
static int spec_word(int k)
{
    switch (k) {
    case TK_STATIC: case TK_EXTERN: case TK_TYPEDEF: case TK_AUTO:
    case TK_REGISTER: case TK_THREAD_LOCAL: case TK_INLINE: case TK_NORETURN:
    case TK_CONST: case TK_VOLATILE: case TK_RESTRICT: case TK_ATOMIC:
        return 1;
    default:
        return 0;
    }
}

/* C89 implicit int: is identifier i a name declared without a type
 * specifier?  Two places, where C has nothing else a non-type name could
 * start: right after declaration specifiers that name no type yet
 * ("static counter;", "register i;"), and at the start of a file-scope
 * declaration ("f(x) { ... }", "main() { ... }").  The parser accepting
 * `void` there tells a specifier list without a type from a declarator
 * ("int *const p") and from an expression.  A typedef name is a type, as
 * in gcc.  Anything this accepts that C does not, the C compiler rejects
 * in goc's output, which keeps the text as written. */
static int implicit_int(ps_ctx *c, uint32_t i)
{
    const lex_stream *s = &c->u->lex;
    uint32_t p = lex_prev(s, i);
    int k = p ? s->toks[p].kind : 0;
    if (spec_word(k))
        return !is_type_name(c, i) && ps_parser_accepts(c->parser, TK_VOID);
    if (k != 0 && k != TK_SEMI && k != TK_RBRACE)
        return 0;
    /* Close what NAME would close (a function body) before looking. */
    ps_parser_reduce(c->parser, TK_NAME, i);
    return !c->failed && c->nscopes == 0 && !is_type_name(c, i) &&
           ps_parser_accepts(c->parser, TK_VOID) &&
           !ps_parser_accepts(c->parser, TK_RBRACE);
}

int ps_parse(ast_unit *u)
{
    ps_ctx c = {.u = u};
    c.ident = calloc(u->lex.nidents + 1, 1);
    void *p = GocParseAlloc(malloc, &c);
    if (!c.ident || !p)
        diag_internal("out of memory");
    c.parser = p;
    lex_stream *s = &u->lex;
    for (uint32_t i = 1; i < s->ntoks && !c.failed; i++) {
        token *t = &s->toks[i];
        if (t->flags & TOKF_TRIVIA)
            continue;
        c.cur = i;
        if (t->kind == LEX_END) {
            GocParse(p, 0, i);
            break;
        }
        if (t->kind == TK_NAME) {
            if (implicit_int(&c, i))
                GocParse(p, TK_IMPLICIT_INT, i);
            if (c.failed)
                break;
            GocParse(p, TK_NAME, i);
            if (c.failed)
                break;
            int type = is_type_name(&c, i);
            if (type)
                t->flags |= TOKF_TYPENAME;
            GocParse(p, type ? TK_TYPE : TK_VARIABLE, i);
        } else if ((t->flags & TOKF_SPLIT) && cast_to_typedef(s, i)) {
            t->kind = TK_RECV; /* (T)<-c: only now is T known as a type */
            t->flags &= ~(uint32_t)TOKF_SPLIT;
            GocParse(p, TK_RECV, i);
        } else if (t->flags & TOKF_SPLIT) {
            GocParse(p, TK_LT, i);
            if (!c.failed)
                GocParse(p, TK_MINUS, i);
        } else {
            GocParse(p, t->kind, i);
        }
    }
    GocParseFree(p, free);
    free(c.ident);
    free(c.undo);
    free(c.scopes);
    free(c.typedef_decl);
    free(c.saved);
    return c.failed || !u->root ? 1 : 0;
}
