/*
 * ast.c - node allocation and the tree builders the grammar calls.
 *
 * Builders only shape nodes; anything that depends on scopes (declaring
 * names, opening and closing blocks) lives in parse.c.  Nodes live in an
 * arena owned by the unit and are freed all at once.
 */
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "diag.h"
#include "parser.h"
#include "util.h"

enum { ARENA_NODES = 4096 };

typedef struct ast_arena {
    struct ast_arena *prev;
    uint32_t used;
    ast_node nodes[ARENA_NODES];
} ast_arena;

ast_node *ast_new(ast_unit *u, ast_kind kind, uint32_t first, uint32_t last)
{
    ast_arena *a = u->arena;
    if (!a || a->used == ARENA_NODES) {
        a = malloc(sizeof *a);
        if (!a)
            diag_internal("out of memory");
        a->prev = u->arena;
        a->used = 0;
        u->arena = a;
    }
    ast_node *n = &a->nodes[a->used++];
    memset(n, 0, sizeof *n);
    n->kind = (uint16_t)kind;
    n->first = first;
    n->last = last;
    return n;
}

void ast_free(ast_unit *u)
{
    while (u->arena) {
        ast_arena *p = u->arena->prev;
        free(u->arena);
        u->arena = p;
    }
}

void ast_append(ast_node **head, ast_node *n)
{
    while (*head)
        head = &(*head)->next;
    *head = n;
}

int ast_list_len(const ast_node *head)
{
    int n = 0;
    for (; head; head = head->next)
        n++;
    return n;
}

ast_list ast_list_empty(void) { return (ast_list){0, 0}; }

ast_list ast_list_one(ast_node *n)
{
    if (n)
        n->next = NULL;
    return (ast_list){n, n};
}

ast_list ast_list_add(ast_list l, ast_node *n)
{
    if (!n)
        return l;
    n->next = NULL;
    if (l.tail)
        l.tail->next = n;
    else
        l.head = n;
    l.tail = n;
    return l;
}

/* A child's range including its parentheses. */
static uint32_t ofirst(const ast_node *n)
{
    return n->outer_first ? n->outer_first : n->first;
}

static uint32_t olast(const ast_node *n)
{
    return n->outer_last ? n->outer_last : n->last;
}

static int tok_kind(const ast_unit *u, uint32_t t)
{
    return t ? u->lex.toks[t].kind : 0;
}

ast_node *ast_mk(ast_unit *u, int kind, uint32_t first, uint32_t last,
                 ast_node *a, ast_node *b, ast_node *c, ast_node *d)
{
    ast_node *n = ast_new(u, kind, first, last);
    n->a = a, n->b = b, n->c = c, n->d = d;
    ast_node *kids[4] = {a, b, c, d};
    for (int i = 0; i < 4; i++) {
        if (!kids[i])
            continue;
        uint32_t kf = kids[i]->outer_first ? kids[i]->outer_first : kids[i]->first;
        uint32_t kl = kids[i]->outer_last ? kids[i]->outer_last : kids[i]->last;
        if (!n->first || (kf && kf < n->first && !first))
            n->first = kf;
        if (!last && kl > n->last)
            n->last = kl;
    }
    if (kind == AST_D_IDENT || kind == AST_IDENT || kind == AST_LABEL ||
        kind == AST_TS_TYPEDEF)
        n->name = first;
    else if (kind == AST_DESIG_FIELD || kind == AST_LABEL_ADDR)
        n->name = last;
    return n;
}

/* A label that ends a block (C23): it labels the labels after it, or an
 * empty statement at its own ':' (its last token). */
ast_node *ast_end_label(ast_unit *u, ast_node *label, ast_node *next)
{
    label->c = next ? next : ast_mk(u, AST_EMPTY, label->last, label->last,
                                    0, 0, 0, 0);
    if (next)
        label->last = next->last;
    return label;
}

ast_node *ast_goto(ast_unit *u, uint32_t kw, uint32_t name, uint32_t semi)
{
    ast_node *n = ast_new(u, AST_GOTO, kw, semi);
    n->name = name;
    return n;
}

ast_node *ast_op(ast_unit *u, int kind, uint32_t op, uint32_t first,
                 uint32_t last, ast_node *a, ast_node *b)
{
    ast_node *n = ast_mk(u, kind, first, last, a, b, 0, 0);
    n->op = (int16_t)tok_kind(u, op);
    if (kind == AST_UNARY && (u->lex.toks[op].flags & TOKF_SPLIT))
        n->op = TK_MINUS;
    if (n->last < op)
        n->last = op;
    return n;
}

ast_node *ast_binary(ast_unit *u, ast_node *l, uint32_t op, ast_node *r)
{
    ast_node *n = ast_mk(u, AST_BINARY, 0, 0, l, r, 0, 0);
    n->op = (int16_t)tok_kind(u, op);
    return n;
}

ast_node *ast_number(ast_unit *u, uint32_t t)
{
    uint32_t len;
    const char *p = ast_tok_text(u, t, &len);
    int hex = len > 1 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
    int fl = 0;
    for (uint32_t i = 0; i < len; i++)
        if (p[i] == '.' || (hex ? (p[i] == 'p' || p[i] == 'P')
                                : (p[i] == 'e' || p[i] == 'E')))
            fl = 1;
    return ast_mk(u, fl ? AST_FLOAT_LIT : AST_INT_LIT, t, t, 0, 0, 0, 0);
}

ast_node *ast_paren(ast_unit *u, uint32_t l, ast_node *e, uint32_t r)
{
    (void)u;
    e->outer_first = l;
    e->outer_last = r;
    return e;
}

ast_node *ast_extend(ast_node *n, uint32_t last)
{
    n->last = last;
    return n;
}

ast_node *ast_member(ast_unit *u, ast_node *e, uint32_t op, uint32_t name)
{
    ast_node *n = ast_mk(u, AST_MEMBER, 0, name, e, 0, 0, 0);
    n->op = (int16_t)tok_kind(u, op);
    n->name = name;
    return n;
}

ast_node *ast_compound_literal(ast_unit *u, uint32_t l, ast_node *t,
                               ast_node *init)
{
    return ast_mk(u, AST_COMPOUND_LIT, l, init->last, t, init, 0, 0);
}

/* decl_spec_other, type_qualifier, type_spec_*: one keyword. */
ast_node *ast_spec_tok(ast_unit *u, uint32_t t)
{
    ast_node *s = ast_new(u, AST_SPECS, t, t);
    static const struct { int kind; uint32_t flag; } fl[] = {
        {TK_TYPEDEF, AST_SC_TYPEDEF},   {TK_EXTERN, AST_SC_EXTERN},
        {TK_STATIC, AST_SC_STATIC},     {TK_AUTO, AST_SC_AUTO},
        {TK_REGISTER, AST_SC_REGISTER}, {TK_THREAD_LOCAL, AST_SC_THREAD},
        {TK_INLINE, AST_FN_INLINE},     {TK_NORETURN, AST_FN_NORETURN},
        {TK_CONST, AST_Q_CONST},        {TK_VOLATILE, AST_Q_VOLATILE},
        {TK_RESTRICT, AST_Q_RESTRICT},  {TK_ATOMIC, AST_Q_ATOMIC},
    };
    int k = tok_kind(u, t);
    for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++)
        if (fl[i].kind == k) {
            s->flags = fl[i].flag;
            return s;
        }
    ast_node *b = ast_new(u, AST_TS_BASIC, t, t);
    b->op = (int16_t)k;
    b->name = t;
    s->a = b;
    return s;
}

/* The int of "static counter;" or "f(x) {...}": t is the declared name,
 * which the specifiers' range does not take in (see ast_specs_merge). */
ast_node *ast_spec_implicit_int(ast_unit *u, uint32_t t)
{
    ast_node *s = ast_new(u, AST_SPECS, t, t);
    s->flags = AST_IMPLICIT_INT;
    return s;
}

ast_node *ast_spec_node(ast_unit *u, ast_node *n)
{
    ast_node *s = ast_new(u, AST_SPECS, n->first, n->last);
    s->a = n;
    return s;
}

ast_node *ast_specs_merge(ast_unit *u, ast_node *s, ast_node *x)
{
    (void)u;
    if (!s)
        return x;
    s->flags |= x->flags;
    if (x->a)
        ast_append(&s->a, x->a);
    if (x->last > s->last && !(x->flags & AST_IMPLICIT_INT))
        s->last = x->last;
    return s;
}

/* struct_or_union_spec ::= struct|union [tag] [{ struct_decl_list }] */
ast_node *ast_struct(ast_unit *u, uint32_t kw, uint32_t name, ast_list l,
                     uint32_t rbrace)
{
    ast_node *n = ast_new(u, AST_TS_STRUCT, kw, rbrace ? rbrace : name);
    n->op = (int16_t)tok_kind(u, kw);
    n->name = name;
    n->a = l.head;
    if (rbrace)
        n->flags |= AST_HAS_BODY;
    return n;
}

ast_node *ast_member_decl(ast_unit *u, ast_node *specs, ast_list l,
                          uint32_t semi)
{
    ast_node *n = ast_mk(u, AST_DECL, specs->first, semi, specs, l.head, 0, 0);
    n->flags |= AST_DECL_MEMBER;
    return n;
}

/* enum_spec ::= enum [tag] [{ enumerator_list [,] }] */
ast_node *ast_enum(ast_unit *u, uint32_t kw, uint32_t name, ast_list l,
                   uint32_t rbrace)
{
    ast_node *n = ast_new(u, AST_TS_ENUM, kw, rbrace ? rbrace : name);
    n->name = name;
    n->a = l.head;
    if (rbrace)
        n->flags |= AST_HAS_BODY;
    return n;
}

ast_node *ast_enumerator_value(ast_unit *u, ast_node *e, ast_node *v)
{
    (void)u;
    e->a = v;
    e->last = olast(v);
    return e;
}

/* declarator ::= "*" type_qualifier_list declarator */
ast_node *ast_pointer(ast_unit *u, uint32_t star, ast_node *quals,
                      ast_node *inner)
{
    ast_node *n = ast_new(u, AST_D_POINTER, star,
                          inner ? inner->last : quals->last);
    n->flags = quals->flags;
    n->a = inner;
    return n;
}

ast_node *ast_array(ast_unit *u, ast_node *inner, ast_node *suffix)
{
    (void)u;
    suffix->a = inner;
    if (inner)
        suffix->first = inner->first;
    return suffix;
}

/* array_suffix ::= "[" [quals] [static] [size | "*"] "]" */
ast_node *ast_array_suffix(ast_unit *u, uint32_t l, ast_node *quals,
                           uint32_t mark, ast_node *size, uint32_t r)
{
    ast_node *n = ast_new(u, AST_D_ARRAY, l, r);
    n->flags = quals ? quals->flags : 0;
    if (mark && tok_kind(u, mark) == TK_STATIC)
        n->flags |= AST_ARRAY_STATIC;
    else if (mark)
        n->flags |= AST_ARRAY_VLA;
    n->b = size;
    return n;
}

ast_node *ast_params(ast_unit *u, ast_list l, uint32_t ellipsis)
{
    ast_node *n = ast_new(u, AST_D_FUNC, 0, 0);
    n->b = l.head;
    if (ellipsis)
        n->flags |= AST_VARIADIC;
    return n;
}

ast_node *ast_old_params(ast_unit *u, ast_list l)
{
    ast_node *n = ast_new(u, AST_D_FUNC, 0, 0);
    n->b = l.head;
    n->flags |= AST_OLD_STYLE;
    return n;
}

ast_node *ast_func_declarator(ast_unit *u, ast_node *inner, uint32_t l,
                              ast_node *params, uint32_t r)
{
    ast_node *n = params ? params : ast_new(u, AST_D_FUNC, 0, 0);
    n->a = inner;
    n->first = inner ? inner->first : l;
    n->last = r;
    return n;
}

ast_node *ast_init_decl_set(ast_unit *u, ast_node *d, ast_node *init)
{
    (void)u;
    d->b = init;
    d->last = olast(init);
    return d;
}

ast_node *ast_init_list(ast_unit *u, uint32_t l, ast_list items, uint32_t r)
{
    return ast_mk(u, AST_INIT_LIST, l, r, items.head, 0, 0, 0);
}

ast_node *ast_init_item(ast_unit *u, ast_list desig, ast_node *init)
{
    return ast_mk(u, AST_INIT_ITEM, desig.head->first, olast(init), desig.head,
                  init, 0, 0);
}

/* "v, ok = <-c" parses as the C comma expression v, (ok = <-c). */
static int is_recv_ok(const ast_node *e)
{
    return e->kind == AST_COMMA && e->b->kind == AST_ASSIGN &&
           e->b->op == TK_ASSIGN && e->b->b->kind == AST_RECV;
}

/* stmt_nocase ::= expression ";"  (and "v, ok = <-c;" in goc) */
ast_node *ast_expr_stmt(ast_unit *u, ast_node *e, uint32_t semi)
{
    if (!e && !semi)
        return NULL;
    if (e && is_recv_ok(e))
        return ast_mk(u, AST_RECV_OK, ofirst(e), semi, e->a, e->b->a,
                      e->b->b->a, 0);
    return ast_mk(u, AST_EXPR_STMT, e ? ofirst(e) : semi, semi ? semi : olast(e),
                  e, 0, 0, 0);
}

/* stmt_nocase ::= go expression ";"  (goc: the expression must be a call) */
ast_node *ast_go_call(ast_unit *u, uint32_t kw, ast_node *e, uint32_t semi)
{
    if (e->kind != AST_CALL)
        ast_error(u, e->first, "'go' must be followed by a function call or "
                               "a block");
    return ast_mk(u, AST_GO_CALL, kw, semi, e, 0, 0, 0);
}

ast_node *ast_select_case(ast_unit *u, uint32_t kw, int kind, ast_node *a,
                          ast_node *b, uint32_t colon)
{
    ast_node *n = ast_mk(u, AST_SELECT_CASE, kw, colon, a, b, 0, 0);
    n->op = (int16_t)kind;
    n->name = colon;
    return n;
}

static void malformed_case(ast_unit *u, uint32_t t)
{
    ast_error(u, t, "malformed select case: expected '<-c', 'v = <-c', "
                    "'T v = <-c', 'v, ok = <-c' or 'c <- v'");
}

/* sel_case_head ::= case expression ":"  (one of the receive forms) */
ast_node *ast_select_recv(ast_unit *u, uint32_t kw, ast_node *e,
                          uint32_t colon)
{
    if (e->kind == AST_RECV)
        return ast_select_case(u, kw, AST_SEL_RECV, e->a, 0, colon);
    if (e->kind == AST_ASSIGN && e->op == TK_ASSIGN && e->b->kind == AST_RECV)
        return ast_select_case(u, kw, AST_SEL_RECV_ASSIGN, e->b->a, e->a, colon);
    if (is_recv_ok(e)) {
        ast_node *n = ast_select_case(u, kw, AST_SEL_RECV_OK, e->b->b->a, e->a,
                                      colon);
        n->c = e->b->a;
        return n;
    }
    malformed_case(u, e->first);
    return ast_select_case(u, kw, AST_SEL_RECV, e, 0, colon);
}

/* sel_case_head ::= case T v = <-c ":" */
ast_node *ast_select_decl(ast_unit *u, uint32_t kw, ast_node *decl,
                          ast_node *e, uint32_t colon)
{
    if (e->kind != AST_RECV) {
        malformed_case(u, e->first);
        return ast_select_case(u, kw, AST_SEL_RECV_DECL, e, decl, colon);
    }
    if (decl->b)
        ast_init_decl_set(u, decl->b, e);
    decl->last = olast(e);
    return ast_select_case(u, kw, AST_SEL_RECV_DECL, e->a, decl, colon);
}

uint32_t ast_declarator_name(const ast_node *d)
{
    while (d && d->kind != AST_D_IDENT)
        d = d->a;
    return d ? d->name : 0;
}

const char *ast_tok_text(const ast_unit *u, uint32_t t, uint32_t *len)
{
    *len = u->lex.toks[t].len;
    return u->lex.text + u->lex.toks[t].off;
}

int ast_tok_is(const ast_unit *u, uint32_t t, const char *s)
{
    uint32_t n;
    const char *p = ast_tok_text(u, t, &n);
    return strlen(s) == n && memcmp(p, s, n) == 0;
}

static const char *const kind_names[AST_KIND_COUNT] = {
#define K(x) [AST_##x] = #x
    K(NONE), K(UNIT), K(FUNC_DEF), K(DECL), K(INIT_DECL), K(STATIC_ASSERT),
    K(ASM), K(EMPTY), K(SPECS), K(TS_BASIC), K(TS_TYPEDEF), K(TS_STRUCT),
    K(TS_ENUM), K(ENUMERATOR), K(TS_TYPEOF), K(TS_ATOMIC), K(TS_CHAN),
    K(ALIGNAS), K(TYPENAME), K(D_IDENT), K(D_POINTER), K(D_ARRAY), K(D_FUNC),
    K(D_PAREN), K(PARAM), K(INIT_LIST), K(INIT_ITEM), K(DESIG_FIELD),
    K(DESIG_INDEX), K(IDENT), K(INT_LIT), K(FLOAT_LIT), K(CHAR_LIT),
    K(STRING_LIT), K(MEMBER), K(INDEX), K(CALL), K(POSTFIX), K(UNARY),
    K(SIZEOF), K(CAST), K(BINARY), K(ASSIGN), K(COND), K(COMMA),
    K(COMPOUND_LIT), K(STMT_EXPR), K(GENERIC), K(GENERIC_ASSOC), K(VA_ARG),
    K(OFFSETOF), K(TYPES_COMPATIBLE), K(LABEL_ADDR), K(RECV), K(MAKE_CHAN),
    K(COMPOUND), K(LOCAL_LABEL), K(EXPR_STMT), K(IF), K(WHILE), K(DO),
    K(FOR), K(SWITCH), K(CASE), K(DEFAULT), K(LABEL), K(GOTO), K(CONTINUE),
    K(BREAK), K(RETURN), K(GO_CALL), K(GO_BLOCK), K(SEND), K(RECV_OK),
    K(RANGE_FOR), K(SELECT), K(SELECT_CASE), K(BIT_CAST), K(CONVERT_VECTOR),
#undef K
};

const char *ast_kind_name(int kind)
{
    if (kind < 0 || kind >= AST_KIND_COUNT || !kind_names[kind])
        return "?";
    return kind_names[kind];
}

/* Recursion is bounded: lex.c rejects brackets nested deeper than
 * LEX_MAX_DEPTH, and lists are walked iteratively. */
void ast_dump(const ast_unit *u, const ast_node *n, int depth, FILE *f)
{
    for (; n; n = n->next) {
        fprintf(f, "%*s%s", depth * 2, "", ast_kind_name(n->kind));
        if (n->op)
            fprintf(f, " op=%d", n->op);
        if (n->flags)
            fprintf(f, " flags=0x%x", n->flags);
        if (n->name) {
            uint32_t len;
            const char *p = ast_tok_text(u, n->name, &len);
            fprintf(f, " '%.*s'", (int)len, p);
        }
        fprintf(f, " [%u..%u]\n", n->first, n->last);
        const ast_node *kids[4] = {n->a, n->b, n->c, n->d};
        for (int i = 0; i < 4; i++)
            if (kids[i])
                ast_dump(u, kids[i], depth + 1, f);
    }
}

typedef struct deep_item {
    const ast_node *n;
    uint32_t depth;
} deep_item;

const ast_node *ast_deepest(const ast_node *root, uint32_t *depth)
{
    deep_item *st = NULL;
    size_t n = 0, cap = 0;
    const ast_node *best = root;
    *depth = 0;
    if (root) {
        ARRAY_RESERVE(st, cap, 1);
        st[n++] = (deep_item){root, 1};
    }
    while (n) {
        deep_item it = st[--n];
        for (const ast_node *x = it.n; x; x = x->next) {
            if (it.depth > *depth) {
                *depth = it.depth;
                best = x;
            }
            const ast_node *kids[4] = {x->a, x->b, x->c, x->d};
            for (int i = 0; i < 4; i++)
                if (kids[i]) {
                    ARRAY_RESERVE(st, cap, n + 1);
                    st[n++] = (deep_item){kids[i], it.depth + 1};
                }
        }
    }
    free(st);
    return best;
}

ast_node *ast_stmt_expr_value(const ast_node *n)
{
    ast_node *last = NULL;
    for (ast_node *it = n->a ? n->a->a : NULL; it; it = it->next)
        last = it;
    while (last && (last->kind == AST_LABEL || last->kind == AST_CASE ||
                    last->kind == AST_DEFAULT))
        last = last->c;
    return last && last->kind == AST_EXPR_STMT ? last : NULL;
}
