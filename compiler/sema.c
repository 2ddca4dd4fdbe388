/*
 * sema.c - scopes, symbols and expression types (see sema.h).
 *
 * One walk in source order.  Scopes are a hash table of names, each name
 * heading a chain of bindings (innermost first) for the ordinary and the
 * tag name spaces, plus an undo list per open scope: leaving a scope pops
 * exactly the bindings it made.  Everything sema allocates lives in one
 * arena freed by sema_free(); the tree keeps pointers into it until then.
 *
 * The types are an approximation of C's that is exact where goc needs it
 * (channel element types, parameter types of called functions, the types
 * of captured variables) and NULL ("unknown") elsewhere; an unknown type
 * never produces an error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "parser.h"
#include "sema.h"
#include "util.h"

/* ---- results ------------------------------------------------------- */

/* What sema leaves on the unit (sema.h's sema_result) lives in the type
 * store's arena, with the types: sema_free() releases it all at once. */

/* _Generic selections that name two or more channel types: every chan(T)
 * is the same C type, so lowering puts the chosen expression in place of
 * the selection (sema_generic_choice). */
typedef struct sema_pick {
    const ast_node *gen, *expr;
    struct sema_pick *next;
} sema_pick;

typedef struct sema_go {
    const ast_node *blk;
    sema_capture *caps, *statics;
    struct sema_go *next;
} sema_go;

void sema_free(ast_unit *u)
{
    if (!u->sema)
        return;
    types_free(&u->sema->types);
    free(u->sema);
    u->sema = NULL;
}

/* ---- names and scopes ---------------------------------------------- */

typedef struct binding {
    sema_sym *sym;       /* ordinary name space */
    sema_tag *tag;       /* tag name space */
    int depth;
    struct binding *shadowed;
    struct entry *e;
    struct binding *undo; /* next binding made in the same scope */
} binding;

typedef struct entry {
    const char *name;
    unsigned hash;
    binding *ord, *tags;
    struct entry *next;
} entry;

typedef struct sema {
    ast_unit *u;
    sema_result *res;    /* u->sema */
    type_store *ts;      /* &res->types */
    entry **tab;
    size_t tabcap, tabcount;
    binding **undo;      /* undo[d]: bindings of the scope at depth d */
    int depth, undocap;
    int func_depth;      /* depth of the current function's body, 0 none */
    sema_type *ret;      /* the current function's result type */
    sema_go *gostack[64]; /* the go blocks around the walk, outermost first */
    struct {
        int loops, breakables; /* loops / loops+switch+select around the
                                  walk inside go block gostack[i] */
    } jumps[64];
    int go_level;
    int fn_go_level;     /* go_level where the current function's body
                            starts (a GNU nested function's, in a block) */
    int static_init;     /* walking the initialiser of a static object */
} sema;


static void tab_grow(sema *S)
{
    size_t cap = S->tabcap ? S->tabcap * 2 : 4096;
    entry **tab = calloc(cap, sizeof *tab);
    if (!tab)
        diag_internal("out of memory");
    for (size_t i = 0; i < S->tabcap; i++)
        for (entry *e = S->tab[i], *n; e; e = n) {
            n = e->next;
            e->next = tab[e->hash & (cap - 1)];
            tab[e->hash & (cap - 1)] = e;
        }
    free(S->tab);
    S->tab = tab;
    S->tabcap = cap;
}

static entry *lookup_entry(sema *S, const char *s, size_t n)
{
    if (S->tabcount * 2 >= S->tabcap)
        tab_grow(S);
    unsigned h = str_hash(s, n);
    entry **slot = &S->tab[h & (S->tabcap - 1)];
    for (entry *e = *slot; e; e = e->next)
        if (e->hash == h && strncmp(e->name, s, n) == 0 && !e->name[n])
            return e;
    entry *e = type_alloc(S->ts, sizeof *e);
    char *name = type_alloc(S->ts, n + 1);
    memcpy(name, s, n);
    e->name = name;
    e->hash = h;
    e->next = *slot;
    *slot = e;
    S->tabcount++;
    return e;
}

static entry *tok_entry(sema *S, uint32_t t)
{
    uint32_t len;
    const char *s = ast_tok_text(S->u, t, &len);
    return lookup_entry(S, s, len);
}

static void push_scope(sema *S)
{
    ++S->depth;
    ARRAY_RESERVE(S->undo, S->undocap, S->depth + 1);
    S->undo[S->depth] = NULL;
}

static void pop_scope(sema *S)
{
    for (binding *b = S->undo[S->depth]; b; b = b->undo) {
        if (b->sym)
            b->e->ord = b->shadowed;
        else
            b->e->tags = b->shadowed;
    }
    S->depth--;
}

static binding *bind(sema *S, entry *e, sema_sym *sym, sema_tag *tag)
{
    binding *b = type_alloc(S->ts, sizeof *b);
    b->sym = sym;
    b->tag = tag;
    b->depth = S->depth;
    b->e = e;
    binding **head = sym ? &e->ord : &e->tags;
    b->shadowed = *head;
    *head = b;
    if (S->depth > 0) {
        b->undo = S->undo[S->depth];
        S->undo[S->depth] = b;
    }
    return b;
}

static sema_sym *find_sym(sema *S, uint32_t t)
{
    entry *e = tok_entry(S, t);
    return e->ord ? e->ord->sym : NULL;
}

static sema_sym *find_sym_name(sema *S, const char *name)
{
    entry *e = lookup_entry(S, name, strlen(name));
    return e->ord ? e->ord->sym : NULL;
}

/* Declare name token t in the current scope.  A redeclaration in the same
 * scope (extern int x; int x;) keeps the first symbol but takes the more
 * complete type. */
static sema_sym *declare(sema *S, uint32_t t, sym_kind kind, sema_type *ty)
{
    entry *e = tok_entry(S, t);
    if (e->ord && e->ord->depth == S->depth && e->ord->sym->kind == kind) {
        sema_sym *old = e->ord->sym;
        if (ty && (!old->type || (old->type->kind == TY_ARRAY && old->type->len < 0)
                   || (old->type->kind == TY_FUNC && old->type->unprototyped)))
            old->type = ty;
        return old;
    }
    sema_sym *s = type_alloc(S->ts, sizeof *s);
    s->kind = kind;
    s->name = e->name;
    s->type = ty;
    s->tok = t;
    s->local = S->func_depth > 0;
    s->go_level = S->go_level;
    bind(S, e, s, NULL);
    return s;
}

static int is_goc_chan_ptr(const sema_type *t)
{
    return t && t->kind == TY_PTR && t->base && t->base->kind == TY_STRUCT &&
           t->base->tag->name && strcmp(t->base->tag->name, "goc_chan") == 0;
}

/* ---- errors --------------------------------------------------------- */

/* An error at token t, counted on the unit (u->lex.errors). */
#define error(S, t, ...) lex_error(&(S)->u->lex, (t), __VA_ARGS__)

/* Is expression n the null pointer constant 0? */
static int is_zero(const ast_node *n)
{
    while (n && n->kind == AST_CAST)
        n = n->a;
    return n && n->kind == AST_INT_LIT && n->first == n->last;
}

/* A struct, union or enum that nothing names (no tag, no typedef). */
static int unnamed_tag(const sema_type *t)
{
    return t && (t->kind == TY_STRUCT || t->kind == TY_UNION || t->kind == TY_ENUM) &&
           !t->tag->name && !t->tdef && !t->spell_first;
}

/*
 * May a value of expression `src` be stored in an object of type dst, as
 * far as goc's rules go?  Only channels and sends are goc's business: for
 * other types this accepts whatever the C compiler would at least warn
 * about, except for plainly impossible stores (a struct into an int).
 */
static int assignable(sema *S, sema_type *dst, const ast_node *src)
{
    sema_type *d = type_unqual(S->ts, dst), *s = type_decay(S->ts, src ? src->type : NULL);
    if (!d || !s || d->kind == TY_OTHER || s->kind == TY_OTHER)
        return 1;
    if (d->kind == TY_CHAN) {
        if (s->kind == TY_CHAN) /* an unnamed element is reported by check_elem */
            return unnamed_tag(d->base) || unnamed_tag(s->base) ||
                   type_same(d->base, s->base);
        return is_goc_chan_ptr(s) || (type_is_integer(s) && is_zero(src));
    }
    if (s->kind == TY_CHAN)
        return is_goc_chan_ptr(d) || d->kind == TY_BOOL;
    if (type_is_arith(d))
        return type_is_arith(s) || (d->kind == TY_BOOL && s->kind == TY_PTR);
    if (d->kind == TY_PTR)
        return s->kind == TY_PTR || (type_is_integer(s) && is_zero(src));
    if (d->kind == TY_STRUCT || d->kind == TY_UNION) /* a copy: qualifiers go */
        return type_same(type_unqual(S->ts, d), type_unqual(S->ts, s));
    return 1;
}

/* Do channels a and b carry different element types? */
static int chan_elems_differ(const sema_type *a, const sema_type *b)
{
    return !(unnamed_tag(a->base) || unnamed_tag(b->base) ||
             type_same(a->base, b->base));
}

/* Do a and b hold channels of different element types at the same place:
 * chan(int) and chan(char), or pointers to them, arrays of them, or
 * functions taking or returning them?  Unknown parts match anything. */
static int chan_mismatch(const sema_type *a, const sema_type *b)
{
    if (!a || !b || a == b || a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case TY_CHAN:
        return chan_elems_differ(a, b);
    case TY_PTR:
    case TY_ARRAY:
        return chan_mismatch(a->base, b->base);
    case TY_FUNC:
        if (chan_mismatch(a->base, b->base))
            return 1;
        if (a->unprototyped || b->unprototyped)
            return 0;
        for (const sema_param *p = a->params, *q = b->params; p && q;
             p = p->next, q = q->next)
            if (chan_mismatch(p->type, q->type))
                return 1;
        return 0;
    default:
        return 0;
    }
}

/* "message" with fmt_a_b naming the goc spellings of a (%1$s) and b. */
static void type_pair_error(sema *S, uint32_t t, const char *fmt_a_b,
                            const sema_type *a, const sema_type *b)
{
    char *as = type_spell_goc(S->u, a), *bs = type_spell_goc(S->u, b);
    char msg[512];
    snprintf(msg, sizeof msg, fmt_a_b, as, bs);
    error(S, t, "%s", msg);
    free(as);
    free(bs);
}

static void check_store(sema *S, sema_type *dst, const ast_node *src,
                        const char *fmt_dst_src)
{
    sema_type *d = type_unqual(S->ts, dst), *s = src ? type_decay(S->ts, src->type) : NULL;
    if (d && s && d->kind == TY_PTR && s->kind == TY_PTR) {
        /* chan(int) *p = &cc;  void (*f)(chan(int)) = take_char; */
        if (chan_mismatch(d, s))
            type_pair_error(S, src->first, fmt_dst_src, dst, s);
        return;
    }
    if (!(type_is_chan(d) || type_is_chan(s)) || assignable(S, dst, src))
        return;
    /* fmt_dst_src names its operands %1$s (destination) and %2$s */
    type_pair_error(S, src->first, fmt_dst_src, dst, s);
}

/* ---- declarations --------------------------------------------------- */

static sema_type *expr(sema *S, ast_node *n);
static void stmt(sema *S, ast_node *n);
static void func_def(sema *S, ast_node *fd);
static sema_type *type_name(sema *S, ast_node *tn);
static void declaration(sema *S, ast_node *d);
static sema_type *specs(sema *S, ast_node *specs, int *is_typedef);
static sema_type *declarator(sema *S, ast_node *d, sema_type *base, uint32_t *name);

/* A small constant evaluator for enumerator values and array sizes. */
static int const_eval(sema *S, const ast_node *n, long *v)
{
    long a, b;
    if (!n)
        return 0;
    switch (n->kind) {
    case AST_INT_LIT: {
        uint32_t len;
        const char *s = ast_tok_text(S->u, n->first, &len);
        char buf[64];
        if (len >= sizeof buf)
            return 0;
        memcpy(buf, s, len);
        buf[len] = 0;
        *v = (long)strtoull(buf, NULL, 0);
        return 1;
    }
    case AST_CHAR_LIT: {
        uint32_t len;
        const char *s = ast_tok_text(S->u, n->first, &len);
        if (len == 3 && s[0] == '\'') {
            *v = (unsigned char)s[1];
            return 1;
        }
        return 0;
    }
    case AST_IDENT: {
        sema_sym *sym = n->sym ? n->sym : find_sym(S, n->name);
        if (sym && sym->kind == SYM_ENUMC) {
            *v = sym->value;
            return 1;
        }
        return 0;
    }
    case AST_CAST:
        return const_eval(S, n->a, v);
    case AST_UNARY:
        if (!const_eval(S, n->a, &a))
            return 0;
        switch (n->op) {
        case TK_MINUS: *v = -a; return 1;
        case TK_PLUS: *v = a; return 1;
        case TK_TILDE: *v = ~a; return 1;
        case TK_NOT: *v = !a; return 1;
        default: return 0;
        }
    case AST_COND:
        if (!const_eval(S, n->a, &a))
            return 0;
        return const_eval(S, a ? (n->b ? n->b : n->a) : n->c, v);
    case AST_BINARY:
        if (!const_eval(S, n->a, &a) || !const_eval(S, n->b, &b))
            return 0;
        switch (n->op) {
        case TK_PLUS: *v = a + b; return 1;
        case TK_MINUS: *v = a - b; return 1;
        case TK_STAR: *v = a * b; return 1;
        case TK_SLASH: if (!b) return 0; *v = a / b; return 1;
        case TK_PERCENT: if (!b) return 0; *v = a % b; return 1;
        case TK_SHL: *v = (long)((unsigned long)a << (b & 63)); return 1;
        case TK_SHR: *v = a >> (b & 63); return 1;
        case TK_AMP: *v = a & b; return 1;
        case TK_PIPE: *v = a | b; return 1;
        case TK_CARET: *v = a ^ b; return 1;
        case TK_LT: *v = a < b; return 1;
        case TK_GT: *v = a > b; return 1;
        case TK_LE: *v = a <= b; return 1;
        case TK_GE: *v = a >= b; return 1;
        case TK_EQ: *v = a == b; return 1;
        case TK_NE: *v = a != b; return 1;
        case TK_ANDAND: *v = a && b; return 1;
        case TK_OROR: *v = a || b; return 1;
        default: return 0;
        }
    default:
        return 0;
    }
}

/* Does expression n name a variable (vars set) or anything declared
 * inside a function (vars clear)?  Operands of sizeof are not evaluated. */
static int names_sym(const ast_node *n, int vars)
{
    for (; n; n = n->next) {
        if (n->kind == AST_IDENT && n->sym &&
            (vars ? n->sym->kind == SYM_VAR : n->sym->local))
            return 1;
        if (vars && n->kind == AST_SIZEOF)
            continue;
        if (names_sym(n->a, vars) || names_sym(n->b, vars) ||
            names_sym(n->c, vars) || names_sym(n->d, vars))
            return 1;
    }
    return 0;
}

static sema_tag *new_tag(sema *S, sema_kind k, uint32_t name)
{
    sema_tag *tag = type_alloc(S->ts, sizeof *tag);
    tag->kind = k;
    tag->local = S->func_depth > 0;
    tag->go_level = S->go_level;
    if (name) {
        entry *e = tok_entry(S, name);
        tag->name = e->name;
        bind(S, e, NULL, tag);
    }
    return tag;
}

/* The tag for `struct name` as written here: a body defines it in this
 * scope, a bare mention refers to the visible one or declares it. */
static sema_tag *tag_ref(sema *S, sema_kind k, uint32_t name, int body)
{
    if (!name)
        return new_tag(S, k, 0);
    entry *e = tok_entry(S, name);
    binding *b = e->tags;
    if (b && (!body || (b->depth == S->depth && !b->tag->complete))) {
        if (b->tag->local && S->go_level > b->tag->go_level)
            error(S, name, "go block uses '%s %s', which is declared inside "
                  "the function; move it to file scope",
                  k == TY_ENUM ? "enum" : k == TY_UNION ? "union" : "struct", e->name);
        return b->tag;
    }
    return new_tag(S, k, name);
}

static void struct_body(sema *S, sema_tag *tag, ast_node *members)
{
    sema_member **tail = &tag->members;
    for (ast_node *m = members; m; m = m->next) {
        if (m->kind != AST_DECL)
            continue;
        int td = 0;
        sema_type *base = specs(S, m->a, &td);
        if (!m->b) { /* anonymous struct/union member */
            sema_member *mm = type_alloc(S->ts, sizeof *mm);
            mm->type = base;
            *tail = mm;
            tail = &mm->next;
            continue;
        }
        for (ast_node *id = m->b; id; id = id->next) {
            uint32_t nt = 0;
            sema_member *mm = type_alloc(S->ts, sizeof *mm);
            mm->type = declarator(S, id->a, base, &nt);
            if (nt)
                mm->name = tok_entry(S, nt)->name;
            if (id->c)
                expr(S, id->c);
            *tail = mm;
            tail = &mm->next;
        }
    }
    tag->complete = 1;
}

static sema_type *enum_body(sema *S, ast_node *ts)
{
    sema_tag *tag = tag_ref(S, TY_ENUM, ts->name, ts->flags & AST_HAS_BODY);
    sema_type *t = type_new(S->ts, TY_ENUM);
    t->tag = tag;
    if (!(ts->flags & AST_HAS_BODY))
        return t;
    tag->complete = 1;
    long next = 0;
    for (ast_node *en = ts->a; en; en = en->next) {
        long v = next;
        if (en->a) {
            expr(S, en->a);
            if (!const_eval(S, en->a, &v))
                v = next;
        }
        sema_sym *s = declare(S, en->name, SYM_ENUMC, type_basic(S->ts, TY_INT));
        s->value = v;
        next = v + 1;
    }
    return t;
}

/* chan(T): T is a complete object type other than an array */
static void check_elem(sema *S, const sema_type *t, const ast_node *tn)
{
    if (t && t->kind == TY_ARRAY)
        error(S, tn->first, "channel element type cannot be an array "
              "(wrap it in a struct)");
    else if (t && (t->kind == TY_VOID || t->kind == TY_FUNC))
        error(S, tn->first, "channel element type must be an object type");
    else if (unnamed_tag(t))
        /* goc re-spells the element type in every send and receive; and
         * each `struct { }` is a type of its own, so no two chan(struct
         * { ... }) would even match */
        error(S, tn->first, "channel element type has no name: give the "
              "%s a tag or a typedef name",
              t->kind == TY_STRUCT ? "struct" : t->kind == TY_UNION ? "union" : "enum");
}

static sema_type *other_type(sema *S, uint32_t first, uint32_t last)
{
    sema_type *t = type_new(S->ts, TY_OTHER);
    t->spell_first = first;
    t->spell_last = last;
    return t;
}

/* The base type named by a list of basic type specifiers. */
static sema_type *basic_specs(sema *S, ast_node *list, uint32_t first,
                              uint32_t last)
{
    int nlong = 0, sign = 0, uns = 0, seen = 0;
    sema_kind k = TY_INT;
    for (ast_node *ts = list; ts; ts = ts->next) {
        if (ts->kind != AST_TS_BASIC)
            continue;
        seen = 1;
        switch (ts->op) {
        case TK_VOID: k = TY_VOID; break;
        case TK_CHAR: k = TY_CHAR; break;
        case TK_SHORT: k = TY_SHORT; break;
        case TK_INT: break;
        case TK_LONG: nlong++; break;
        case TK_FLOAT: k = TY_FLOAT; break;
        case TK_DOUBLE: k = TY_DOUBLE; break;
        case TK_SIGNED: sign = 1; break;
        case TK_UNSIGNED: uns = 1; break;
        case TK_BOOL: k = TY_BOOL; break;
        case TK_INT128: k = TY_INT128; break;
        case TK_AUTO_TYPE: return NULL; /* the initializer's type */
        default: return other_type(S, first, last); /* _Complex, _FloatN */
        }
    }
    (void)S;
    if (!seen)
        return NULL;
    if (k == TY_DOUBLE && nlong)
        return type_basic(S->ts, TY_LDOUBLE);
    if (k == TY_CHAR)
        return type_basic(S->ts, uns ? TY_UCHAR : sign ? TY_SCHAR : TY_CHAR);
    if (k == TY_SHORT)
        return type_basic(S->ts, uns ? TY_USHORT : TY_SHORT);
    if (k == TY_INT128)
        return type_basic(S->ts, uns ? TY_UINT128 : TY_INT128);
    if (k == TY_INT) {
        if (nlong >= 2)
            return type_basic(S->ts, uns ? TY_ULLONG : TY_LLONG);
        if (nlong)
            return type_basic(S->ts, uns ? TY_ULONG : TY_LONG);
        return type_basic(S->ts, uns ? TY_UINT : TY_INT);
    }
    return type_basic(S->ts, k);
}

static unsigned quals_of(uint32_t flags)
{
    return (flags & AST_Q_CONST ? SQ_CONST : 0) |
           (flags & AST_Q_VOLATILE ? SQ_VOLATILE : 0) |
           (flags & AST_Q_RESTRICT ? SQ_RESTRICT : 0) |
           (flags & AST_Q_ATOMIC ? SQ_ATOMIC : 0);
}

/* A struct, union or enum with neither tag nor typedef name that came
 * from __typeof__: spell it by the __typeof__ tokens themselves. */
static sema_type *typeof_spelled(sema *S, sema_type *t, const ast_node *ts)
{
    if (!t || t->tdef || t->spell_first ||
        !(t->kind == TY_STRUCT || t->kind == TY_UNION || t->kind == TY_ENUM) ||
        t->tag->name)
        return t;
    t = type_copy(S->ts, t);
    t->spell_first = ts->first;
    t->spell_last = ts->last;
    t->spell_local = S->func_depth > 0;
    return t;
}

/* Declaration specifiers -> base type (NULL if unknown); *is_typedef is
 * set for `typedef`. */
static sema_type *specs(sema *S, ast_node *specs, int *is_typedef)
{
    if (!specs)
        return NULL;
    *is_typedef = (specs->flags & AST_SC_TYPEDEF) != 0;
    sema_type *t = NULL;
    uint32_t bfirst = 0, blast = 0;
    for (ast_node *ts = specs->a; ts; ts = ts->next) {
        switch (ts->kind) {
        case AST_TS_BASIC:
            if (!bfirst)
                bfirst = ts->first;
            blast = ts->last;
            break;
        case AST_TS_TYPEDEF: {
            uint32_t tn = ts->name ? ts->name : ts->first;
            sema_sym *s = find_sym(S, tn);
            if (s && s->kind == SYM_TYPEDEF && s->type) {
                t = type_copy(S->ts, s->type);
                t->tdef = s;
                if (s->local && S->go_level > s->go_level)
                    error(S, tn, "go block uses type '%s', which is "
                          "declared inside the function; move it to file scope",
                          s->name);
            }
            break;
        }
        case AST_TS_STRUCT: {
            sema_kind k = ts->op == TK_UNION ? TY_UNION : TY_STRUCT;
            sema_tag *tag = tag_ref(S, k, ts->name, ts->flags & AST_HAS_BODY);
            if (ts->flags & AST_HAS_BODY)
                struct_body(S, tag, ts->a);
            t = type_new(S->ts, k);
            t->tag = tag;
            break;
        }
        case AST_TS_ENUM:
            t = enum_body(S, ts);
            break;
        case AST_TS_TYPEOF:
            t = ts->a ? expr(S, ts->a) : type_name(S, ts->b);
            t = type_unqual(S->ts, t);
            t = typeof_spelled(S, t, ts);
            break;
        case AST_TS_ATOMIC:
            t = type_qualify(S->ts, type_name(S, ts->a), SQ_ATOMIC);
            break;
        case AST_TS_CHAN:
            t = type_derive(S->ts, TY_CHAN, type_name(S, ts->a));
            check_elem(S, t->base, ts->a);
            break;
        case AST_ALIGNAS:
            if (ts->a)
                expr(S, ts->a);
            break;
        default:
            break;
        }
    }
    if (!t && bfirst)
        t = basic_specs(S, specs->a, bfirst, blast);
    if (!t && (specs->flags & AST_IMPLICIT_INT))
        t = type_basic(S->ts, TY_INT);
    return type_qualify(S->ts, t, quals_of(specs->flags));
}

static sema_type *param_type(sema *S, ast_node *p)
{
    int td;
    sema_type *base = specs(S, p->a, &td);
    uint32_t name = 0;
    sema_type *t = declarator(S, p->b, base, &name);
    if (t && t->kind == TY_ARRAY)
        t = type_derive(S->ts, TY_PTR, t->base);
    else if (t && t->kind == TY_FUNC)
        t = type_derive(S->ts, TY_PTR, t);
    return t;
}

static sema_type *func_type(sema *S, ast_node *d, sema_type *ret)
{
    sema_type *f = type_derive(S->ts, TY_FUNC, ret);
    f->variadic = (d->flags & AST_VARIADIC) != 0;
    if (d->flags & AST_OLD_STYLE || !d->b) {
        f->unprototyped = 1;
        return f;
    }
    /* parameters have their own (prototype) scope */
    push_scope(S);
    sema_param **tail = &f->params;
    for (ast_node *p = d->b; p; p = p->next) {
        if (p->kind != AST_PARAM)
            continue;
        sema_type *pt = param_type(S, p);
        if (!p->next && !p->b && pt && pt->kind == TY_VOID && !pt->tdef &&
            f->nparams == 0)
            break; /* (void) */
        sema_param *sp = type_alloc(S->ts, sizeof *sp);
        sp->type = pt;
        *tail = sp;
        tail = &sp->next;
        f->nparams++;
    }
    pop_scope(S);
    return f;
}

/* Apply declarator d to base; *name gets the declared identifier. */
static sema_type *declarator(sema *S, ast_node *d, sema_type *base, uint32_t *name)
{
    while (d) {
        switch (d->kind) {
        case AST_D_IDENT:
            *name = d->name;
            return base;
        case AST_D_POINTER:
            base = type_qualify(S->ts, type_derive(S->ts, TY_PTR, base), quals_of(d->flags));
            break;
        case AST_D_ARRAY: {
            sema_type *a = type_derive(S->ts, TY_ARRAY, base);
            a->quals = 0;
            if (d->b) {
                long v;
                expr(S, d->b);
                a->len_expr = d->b;
                if (const_eval(S, d->b, &v)) {
                    a->len = v;
                } else {
                    a->vla = names_sym(d->b, 1);
                    a->len_local = names_sym(d->b, 0);
                }
            }
            base = a;
            break;
        }
        case AST_D_FUNC:
            base = func_type(S, d, base);
            break;
        case AST_D_PAREN:
            break;
        default:
            return base;
        }
        d = d->a;
    }
    return base;
}

static sema_type *type_name(sema *S, ast_node *tn)
{
    if (!tn)
        return NULL;
    int td;
    uint32_t name = 0;
    sema_type *base = specs(S, tn->a, &td);
    return declarator(S, tn->b, base, &name);
}

/* Number of elements an initializer gives an array of unknown size. */
static long init_count(sema *S, ast_node *init)
{
    if (init->kind == AST_STRING_LIT) {
        uint32_t len;
        const char *s = ast_tok_text(S->u, init->first, &len);
        if (init->first == init->last && len >= 2 && s[0] == '"') {
            long n = 0;
            for (uint32_t i = 1; i + 1 < len; i++, n++)
                if (s[i] == '\\')
                    return -1; /* escapes: leave it to the C compiler */
            return n + 1;
        }
        return -1;
    }
    if (init->kind != AST_INIT_LIST)
        return -1;
    long n = 0;
    for (ast_node *it = init->a; it; it = it->next) {
        if (it->a)
            return -1; /* designators */
        n++;
    }
    return n;
}

static void initializer(sema *S, ast_node *init)
{
    if (!init)
        return;
    if (init->kind == AST_INIT_LIST) {
        for (ast_node *it = init->a; it; it = it->next) {
            for (ast_node *d = it->a; d; d = d->next)
                if (d->kind == AST_DESIG_INDEX) {
                    expr(S, d->a);
                    expr(S, d->b);
                }
            initializer(S, it->b);
        }
        return;
    }
    expr(S, init);
}

static sema_type *member_type(sema *S, sema_type *st, const char *name);

/* The type a designator list (.m, [i], chained) leads to from t; *at is
 * the member of t the first designator names (where positional elements
 * after it continue), NULL when it names none directly. */
static sema_type *designated(sema *S, sema_type *t, const ast_node *d,
                             const sema_member **at)
{
    *at = NULL;
    for (const ast_node *first = d; d && t; d = d->next) {
        t = type_unqual(S->ts, t);
        if (d->kind == AST_DESIG_INDEX) {
            t = t->kind == TY_ARRAY ? t->base : NULL;
            continue;
        }
        if (t->kind != TY_STRUCT && t->kind != TY_UNION)
            return NULL;
        const char *name = tok_entry(S, d->name)->name;
        const sema_member *m = t->tag->members;
        while (m && !(m->name && strcmp(m->name, name) == 0))
            m = m->next;
        if (d == first)
            *at = m;
        t = m ? m->type : member_type(S, t, name);
    }
    return t;
}

static int is_aggregate(const sema_type *t)
{
    return t && (t->kind == TY_ARRAY || t->kind == TY_STRUCT || t->kind == TY_UNION);
}

/*
 * The goc rules for each element of an initialiser of an object of type t:
 * in `chan(int) a[2] = {cc, ci}` and `{ .c = cc }` each element is checked
 * as `chan(int) a0 = cc;` is.  Where an element's place is unclear (brace
 * elision, an unknown type, an anonymous member) the rest of the list is
 * left to the C compiler.
 */
static void check_init(sema *S, sema_type *t, const ast_node *init)
{
    sema_type *tu = type_unqual(S->ts, t);
    if (!tu || !init)
        return;
    if (init->kind != AST_INIT_LIST) {
        check_store(S, t, init, "cannot initialize '%1$s' with '%2$s'");
        return;
    }
    int record = tu->kind == TY_STRUCT || tu->kind == TY_UNION;
    const sema_member *next = record ? tu->tag->members : NULL;
    for (const ast_node *it = init->a; it; it = it->next) {
        sema_type *et = NULL;
        if (it->a) {
            const sema_member *m;
            et = designated(S, tu, it->a, &m);
            next = m && tu->kind == TY_STRUCT ? m->next : NULL;
        } else if (!is_aggregate(tu)) {
            et = it == init->a ? t : NULL; /* int x = {1}; */
        } else if (tu->kind == TY_ARRAY) {
            et = tu->base;
        } else if (next && next->name) {
            et = next->type;
            next = tu->kind == TY_STRUCT ? next->next : NULL;
        }
        const sema_type *eu = type_unqual(S->ts, et);
        if (!eu)
            return;
        if (it->b && it->b->kind != AST_INIT_LIST && is_aggregate(eu) &&
            (!it->b->type || !type_same(eu, type_unqual(S->ts, it->b->type))))
            return; /* brace elision: the element's parts follow flat */
        check_init(S, et, it->b);
    }
}

static void declaration(sema *S, ast_node *d)
{
    int td = 0;
    sema_type *base = specs(S, d->a, &td);
    unsigned sc = d->a ? d->a->flags : 0;
    for (ast_node *id = d->b; id; id = id->next) {
        uint32_t name = 0;
        sema_type *t = declarator(S, id->a, base, &name);
        if (!name)
            continue;
        sym_kind k = td ? SYM_TYPEDEF : t && t->kind == TY_FUNC ? SYM_FUNC : SYM_VAR;
        sema_sym *s = declare(S, name, k, t);
        s->automatic = k == SYM_VAR && S->func_depth > 0 &&
                       !(sc & (AST_SC_STATIC | AST_SC_EXTERN | AST_SC_THREAD));
        id->sym = s;
        if (!id->b)
            continue;
        int was = S->static_init;
        S->static_init = S->func_depth == 0 || (sc & (AST_SC_STATIC | AST_SC_THREAD));
        initializer(S, id->b);
        S->static_init = was;
        if (t && t->kind == TY_ARRAY && t->len < 0) {
            long n = init_count(S, id->b);
            if (n >= 0) {
                sema_type *c = type_copy(S->ts, t);
                c->len = n;
                s->type = c;
            }
        } else if (!t && id->b->type) { /* __auto_type */
            s->type = type_decay(S->ts, id->b->type);
        }
        check_init(S, t, id->b);
    }
}

/* ---- expressions ---------------------------------------------------- */

/* Receives and make() are run-time operations (statement expressions
 * after lowering): C allows neither outside a function nor in a static
 * object's constant initialiser, even under sizeof. */
static void needs_coroutine(sema *S, const ast_node *n, const char *what)
{
    if (S->func_depth == 0 && !S->static_init)
        error(S, n->first, "%s cannot appear outside a function", what);
    else if (S->static_init)
        error(S, n->first, "%s cannot initialise a static object (the "
              "initialiser must be constant); assign it in a function", what);
}

static void add_capture(sema *S, sema_capture **list, sema_sym *s, uint32_t tok)
{
    sema_capture **p = list;
    for (; *p; p = &(*p)->next)
        if ((*p)->sym == s)
            return;
    sema_capture *c = type_alloc(S->ts, sizeof *c);
    c->sym = s;
    c->use_tok = tok;
    *p = c;
}

/* Record that identifier token t, naming s, is used at the current point:
 * every go block between s's declaration and here captures (or shares) it. */
static void note_use(sema *S, sema_sym *s, uint32_t t)
{
    if (!s->local || S->go_level <= s->go_level)
        return;
    if (s->kind == SYM_ENUMC || s->kind == SYM_TYPEDEF) {
        error(S, t, "go block uses '%s', which is declared inside the "
              "function; move it to file scope", s->name);
        return;
    }
    if (s->kind != SYM_VAR && !s->nested)
        return;
    for (int l = s->go_level; l < S->go_level; l++)
        add_capture(S, s->automatic ? &S->gostack[l]->caps : &S->gostack[l]->statics,
                    s, t);
}

static sema_type *member_type(sema *S, sema_type *st, const char *name)
{
    st = type_unqual(S->ts, st);
    if (!st || (st->kind != TY_STRUCT && st->kind != TY_UNION))
        return NULL;
    for (sema_member *m = st->tag->members; m; m = m->next) {
        if (m->name && strcmp(m->name, name) == 0)
            return type_qualify(S->ts, m->type, 0);
        if (!m->name) {
            sema_type *t = member_type(S, m->type, name);
            if (t)
                return t;
        }
    }
    return NULL;
}

static sema_type *call_expr(sema *S, ast_node *n);

static sema_type *literal(sema *S, ast_node *n)
{
    uint32_t len;
    const char *s = ast_tok_text(S->u, n->first, &len);
    switch (n->kind) {
    case AST_INT_LIT: {
        int l = 0, u = 0;
        for (uint32_t i = len; i > 0; i--) {
            char c = s[i - 1];
            if (c == 'l' || c == 'L') l++;
            else if (c == 'u' || c == 'U') u = 1;
            else break;
        }
        return type_basic(S->ts, l >= 2 ? (u ? TY_ULLONG : TY_LLONG)
                     : l ? (u ? TY_ULONG : TY_LONG) : u ? TY_UINT : TY_INT);
    }
    case AST_FLOAT_LIT: {
        char c = s[len - 1];
        if ((c == 'f' || c == 'F') && !(len > 2 && (s[1] == 'x' || s[1] == 'X')))
            return type_basic(S->ts, TY_FLOAT);
        return type_basic(S->ts, c == 'l' || c == 'L' ? TY_LDOUBLE : TY_DOUBLE);
    }
    case AST_CHAR_LIT:
        return type_basic(S->ts, TY_INT);
    default: /* AST_STRING_LIT */
        return type_derive(S->ts, TY_ARRAY, type_basic(S->ts, s[0] == '"' || s[0] == 'u' ? TY_CHAR : TY_INT));
    }
}

static sema_type *ident_expr(sema *S, ast_node *n)
{
    sema_sym *s = find_sym(S, n->name);
    if (!s)
        return NULL;
    n->sym = s;
    note_use(S, s, n->name);
    return s->type;
}

static sema_type *unary_expr(sema *S, ast_node *n)
{
    sema_type *t = expr(S, n->a);
    switch (n->op) {
    case TK_AMP:
        return t && t->kind == TY_FUNC ? type_derive(S->ts, TY_PTR, t) : t ? type_derive(S->ts, TY_PTR, t) : NULL;
    case TK_STAR:
        t = type_decay(S->ts, t);
        return t && t->kind == TY_PTR ? t->base : NULL;
    case TK_NOT:
        return type_basic(S->ts, TY_INT);
    case TK_PLUS:
    case TK_MINUS:
    case TK_TILDE:
        return type_promote(S->ts, t);
    case TK_INC:
    case TK_DEC:
        return t;
    default:
        return n->op == TK_EXTENSION ? t : NULL;
    }
}

/* `*pc <- v;` is C's `*pc < -v` (a send needs a postfix E:
 * docs/language.md §1): with a channel on the left, say so rather than
 * leave the C compiler to complain about the unary minus. */
static void split_arrow(sema *S, const ast_node *n)
{
    const lex_stream *lx = &S->u->lex;
    uint32_t t = n->a->last + 1;
    while (t < lx->ntoks && (lx->toks[t].flags & TOKF_TRIVIA))
        t++;
    if (t < lx->ntoks && (lx->toks[t].flags & TOKF_SPLIT))
        error(S, t, "'<-' after this channel expression reads as '<' '-': "
              "a send needs a name, member, index or call before '<-'; "
              "write (E) <- V");
}

static sema_type *binary_expr(sema *S, ast_node *n)
{
    sema_type *a = type_decay(S->ts, expr(S, n->a)), *b = type_decay(S->ts, expr(S, n->b));
    if (n->op == TK_LT && type_is_chan(type_unqual(S->ts, a)))
        split_arrow(S, n);
    switch (n->op) {
    case TK_EQ: case TK_NE:
        if (chan_mismatch(type_unqual(S->ts, a), type_unqual(S->ts, b)))
            type_pair_error(S, n->first, "invalid comparison: mismatched "
                            "types '%s' and '%s'", a, b);
        return type_basic(S->ts, TY_INT);
    case TK_LT: case TK_GT: case TK_LE: case TK_GE:
    case TK_ANDAND: case TK_OROR:
        return type_basic(S->ts, TY_INT);
    case TK_PLUS:
        if (a && a->kind == TY_PTR) return a;
        if (b && b->kind == TY_PTR) return b;
        return type_arith_result(S->ts, a, b);
    case TK_MINUS:
        if (a && a->kind == TY_PTR)
            return b && b->kind == TY_PTR ? type_basic(S->ts, TY_LONG) : a;
        return type_arith_result(S->ts, a, b);
    case TK_SHL: case TK_SHR:
        return type_promote(S->ts, a);
    default:
        return type_arith_result(S->ts, a, b);
    }
}

static sema_type *cond_expr(sema *S, ast_node *n)
{
    sema_type *a = type_decay(S->ts, expr(S, n->a));
    sema_type *b = n->b ? type_decay(S->ts, expr(S, n->b)) : a;
    sema_type *c = type_decay(S->ts, expr(S, n->c));
    if (!b || !c)
        return NULL;
    if (chan_mismatch(type_unqual(S->ts, b), type_unqual(S->ts, c)))
        type_pair_error(S, n->first, "mismatched types '%s' and '%s' in a "
                        "conditional expression", b, c);
    if (b->kind == TY_CHAN || b->kind == TY_PTR)
        return b->kind == TY_PTR && c->kind == TY_PTR &&
               b->base && b->base->kind == TY_VOID ? c : b;
    if (c->kind == TY_CHAN || c->kind == TY_PTR)
        return c;
    if (type_is_arith(b) && type_is_arith(c))
        return type_arith_result(S->ts, b, c);
    return b;
}

const ast_node *sema_generic_choice(const ast_unit *u, const ast_node *gen)
{
    for (sema_pick *g = u->sema ? u->sema->picks : NULL; g; g = g->next)
        if (g->gen == gen)
            return g->expr;
    return NULL;
}

static sema_type *generic_expr(sema *S, ast_node *n)
{
    sema_type *ct = type_unqual(S->ts, type_decay(S->ts, expr(S, n->a)));
    sema_type *pick = NULL, *dflt = NULL;
    const ast_node *pick_e = NULL, *dflt_e = NULL;
    int found = 0, chans = 0;
    for (ast_node *as = n->b; as; as = as->next) {
        sema_type *at = as->a ? type_name(S, as->a) : NULL;
        sema_type *et = expr(S, as->b);
        chans += type_is_chan(type_unqual(S->ts, at));
        if (!as->a) {
            dflt = et;
            dflt_e = as->b;
        } else if (!found && ct && at && ct->kind == type_unqual(S->ts, at)->kind &&
                   type_same(ct, type_unqual(S->ts, at))) {
            pick = et;
            pick_e = as->b;
            found = 1;
        }
    }
    if (chans >= 2 && ct && (found || dflt_e)) {
        sema_pick *g = type_alloc(S->ts, sizeof *g);
        g->gen = n;
        g->expr = found ? pick_e : dflt_e;
        g->next = S->res->picks;
        S->res->picks = g;
    }
    return found ? pick : dflt;
}

static sema_type *stmt_expr(sema *S, ast_node *n)
{
    stmt(S, n->a);
    ast_node *last = ast_stmt_expr_value(n);
    return last && last->a ? last->a->type : type_basic(S->ts, TY_VOID);
}

static sema_type *expr_kind(sema *S, ast_node *n)
{
    switch (n->kind) {
    case AST_IDENT:
        return ident_expr(S, n);
    case AST_INT_LIT: case AST_FLOAT_LIT: case AST_CHAR_LIT: case AST_STRING_LIT:
        return literal(S, n);
    case AST_MEMBER: {
        sema_type *t = expr(S, n->a);
        if (n->op == TK_ARROW)
            t = (t = type_decay(S->ts, t)) && t->kind == TY_PTR ? t->base : NULL;
        return member_type(S, t, tok_entry(S, n->name)->name);
    }
    case AST_INDEX: {
        sema_type *a = type_decay(S->ts, expr(S, n->a)), *b = type_decay(S->ts, expr(S, n->b));
        if (a && a->kind == TY_PTR) return a->base;
        if (b && b->kind == TY_PTR) return b->base;
        return NULL;
    }
    case AST_CALL:
        return call_expr(S, n);
    case AST_POSTFIX:
        return expr(S, n->a);
    case AST_UNARY:
        return unary_expr(S, n);
    case AST_SIZEOF:
        if (n->a) expr(S, n->a); else type_name(S, n->b);
        return type_basic(S->ts, TY_ULONG);
    case AST_CAST:
        expr(S, n->a);
        return type_name(S, n->b);
    case AST_BINARY:
        return binary_expr(S, n);
    case AST_ASSIGN: {
        sema_type *l = expr(S, n->a);
        expr(S, n->b);
        if (n->op == TK_ASSIGN)
            check_store(S, l, n->b, "cannot assign '%2$s' to '%1$s'");
        return l;
    }
    case AST_COND:
        return cond_expr(S, n);
    case AST_COMMA:
        expr(S, n->a);
        return expr(S, n->b);
    case AST_COMPOUND_LIT: {
        sema_type *t = type_name(S, n->a);
        initializer(S, n->b);
        check_init(S, t, n->b);
        if (t && t->kind == TY_ARRAY && t->len < 0 && n->b) {
            t = type_copy(S->ts, t);
            t->len = init_count(S, n->b);
        }
        return t;
    }
    case AST_STMT_EXPR:
        return stmt_expr(S, n);
    case AST_GENERIC:
        return generic_expr(S, n);
    case AST_VA_ARG:
        expr(S, n->a);
        return type_name(S, n->b);
    case AST_OFFSETOF:
        type_name(S, n->a);
        for (ast_node *d = n->b; d; d = d->next)
            if (d->kind == AST_DESIG_INDEX)
                expr(S, d->a);
        return type_basic(S->ts, TY_ULONG);
    case AST_TYPES_COMPATIBLE:
        type_name(S, n->a);
        type_name(S, n->b);
        return type_basic(S->ts, TY_INT);
    case AST_LABEL_ADDR:
        return type_derive(S->ts, TY_PTR, type_basic(S->ts, TY_VOID));
    case AST_RECV: {
        needs_coroutine(S, n, "a receive");
        sema_type *t = expr(S, n->a);
        if (t && !type_is_chan(type_unqual(S->ts, t))) {
            char *ts = type_spell_goc(S->u, t);
            error(S, n->first, "receive from non-channel type '%s'", ts);
            free(ts);
            return NULL;
        }
        return t ? t->base : NULL;
    }
    case AST_MAKE_CHAN: {
        needs_coroutine(S, n, "make(chan(T))");
        sema_type *t = type_name(S, n->a);
        check_elem(S, t, n->a);
        if (n->b)
            expr(S, n->b);
        return type_derive(S->ts, TY_CHAN, t);
    }
    case AST_INIT_LIST:
        initializer(S, n);
        return NULL;
    default:
        return NULL;
    }
}

static sema_type *expr(sema *S, ast_node *n)
{
    if (!n)
        return NULL;
    n->type = expr_kind(S, n);
    return n->type;
}

static const char *callee_name(sema *S, const ast_node *call)
{
    const ast_node *c = call->a;
    return c && c->kind == AST_IDENT ? tok_entry(S, c->name)->name : NULL;
}

sema_type *sema_callee_type(const ast_node *call)
{
    sema_type *t = call->a ? call->a->type : NULL;
    if (t && t->kind == TY_PTR) /* a function designator or a pointer */
        t = t->base;
    return t && t->kind == TY_FUNC ? t : NULL;
}

static sema_type *call_expr(sema *S, ast_node *n)
{
    expr(S, n->a);
    int argc = 0;
    for (ast_node *a = n->b; a; a = a->next, argc++)
        expr(S, a);
    const char *name = callee_name(S, n);
    if (name && argc == 1 && type_is_chan(type_unqual(S->ts, n->b->type))) {
        if (!strcmp(name, "close"))
            return type_basic(S->ts, TY_VOID);
        if (!strcmp(name, "len") || !strcmp(name, "cap"))
            return type_basic(S->ts, TY_LONG);
    }
    sema_type *f = sema_callee_type(n);
    if (!f)
        return NULL;
    if (name && !strcmp(name, "goc_after")) {
        sema_sym *i64 = find_sym_name(S, "int64_t");
        return type_derive(S->ts, TY_CHAN, i64 && i64->kind == SYM_TYPEDEF ? i64->type : type_basic(S->ts, TY_LONG));
    }
    int i = 1;
    sema_param *p = f->params;
    for (ast_node *a = n->b; a && p; a = a->next, p = p->next, i++) {
        char fmt[128];
        snprintf(fmt, sizeof fmt, "cannot pass '%%2$s' to parameter %d of type '%%1$s'", i);
        check_store(S, p->type, a, fmt);
    }
    return f->base;
}

/* ---- statements ----------------------------------------------------- */

static void items(sema *S, ast_node *list)
{
    for (ast_node *it = list; it; it = it->next)
        stmt(S, it);
}

static void check_chan_operand(sema *S, ast_node *c, const char *what)
{
    sema_type *t = expr(S, c);
    if (t && !type_is_chan(type_unqual(S->ts, t))) {
        char *ts = type_spell_goc(S->u, t);
        error(S, c->first, "%s non-channel type '%s'", what, ts);
        free(ts);
    }
}

static void check_send(sema *S, ast_node *c, ast_node *v)
{
    check_chan_operand(S, c, "send to");
    expr(S, v);
    sema_type *ct = type_unqual(S->ts, c->type);
    if (type_is_chan(ct) && ct->base && !assignable(S, ct->base, v)) {
        char *vs = type_spell_goc(S->u, type_decay(S->ts, v->type)), *cs = type_spell_goc(S->u, ct);
        error(S, v->first, "cannot send '%s' on '%s'", vs, cs);
        free(vs);
        free(cs);
    }
}

static void select_stmt(sema *S, ast_node *n)
{
    for (ast_node *c = n->a; c; c = c->next) {
        push_scope(S);
        switch (c->op) {
        case AST_SEL_SEND:
            check_send(S, c->a, c->b);
            break;
        case AST_SEL_DEFAULT:
            break;
        default:
            check_chan_operand(S, c->a, "receive from");
            if (c->op == AST_SEL_RECV_DECL)
                declaration(S, c->b);
            else
                expr(S, c->b);
            expr(S, c->c);
            break;
        }
        items(S, c->d);
        pop_scope(S);
    }
}

/* The goc sync object that a value of type t is or holds (not through a
 * pointer): "goc_mutex", or NULL.  Copying one makes an unrelated object:
 * what the copy is waited on or locked with never reaches the original. */
static const char *sync_object(const sema_type *t)
{
    static const char *const names[] = {"goc_waitgroup", "goc_mutex",
        "goc_rwmutex", "goc_cond", "goc_once", "goc_sema"};
    while (t && t->kind == TY_ARRAY)
        t = t->base;
    if (!t || (t->kind != TY_STRUCT && t->kind != TY_UNION))
        return NULL;
    for (size_t i = 0; t->tag->name && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(t->tag->name, names[i]) == 0)
            return names[i];
    for (const sema_member *m = t->tag->members; m; m = m->next) {
        const char *s = sync_object(m->type);
        if (s)
            return s;
    }
    return NULL;
}

/* go vet's copylocks for goc: a go block capturing a sync object by
 * value works on a copy of it. */
static void check_copied_sync(sema *S, const sema_go *g)
{
    for (const sema_capture *c = g->caps; c; c = c->next) {
        /* once, at the block that copies it from where it is declared */
        const char *so = c->sym->go_level == S->go_level ? sync_object(c->sym->type) : NULL;
        if (so)
            lex_warning(&S->u->lex, c->use_tok, "the go block captures '%s' by "
                        "value, which copies a %s; capture a pointer to it "
                        "instead", c->sym->name, so);
    }
}

/* ... and a go call passing one by value. */
static void check_copied_sync_args(sema *S, const ast_node *call)
{
    sema_type *f = sema_callee_type(call);
    const sema_param *p = f && !f->unprototyped ? f->params : NULL;
    int i = 1;
    for (const ast_node *a = call->b; a; a = a->next, i++) {
        const sema_type *t = p ? p->type : a->type;
        const char *so = t && t->kind != TY_ARRAY ? sync_object(t) : NULL;
        if (so)
            lex_warning(&S->u->lex, a->first, "this go call passes a %s by value "
                        "(argument %d), which copies it; pass a pointer to it "
                        "instead", so, i);
        if (p)
            p = p->next;
    }
}

static void go_block(sema *S, ast_node *n)
{
    if (S->go_level >= (int)(sizeof S->gostack / sizeof S->gostack[0])) {
        error(S, n->first, "go blocks nested too deeply");
        return;
    }
    sema_go *g = type_alloc(S->ts, sizeof *g);
    g->blk = n;
    g->next = S->res->go;
    S->res->go = g;
    S->jumps[S->go_level].loops = S->jumps[S->go_level].breakables = 0;
    S->gostack[S->go_level++] = g;
    stmt(S, n->a);
    S->go_level--;
    check_copied_sync(S, g);
}

/* close(c), len(c), cap(c) of a channel: goc's builtins, not functions. */
int sema_chan_builtin(const ast_unit *u, const ast_node *call)
{
    const ast_node *f = call->a, *arg = call->b;
    return f && f->kind == AST_IDENT && arg && !arg->next &&
           type_is_chan(arg->type) &&
           (ast_tok_is(u, f->name, "close") || ast_tok_is(u, f->name, "len") ||
            ast_tok_is(u, f->name, "cap"));
}

/* `go f(...)` needs the type of f: lowering spells its parameters. */
static void check_go_callee(sema *S, const ast_node *call)
{
    const ast_node *callee = call->a;
    if (sema_chan_builtin(S->u, call) || sema_callee_type(call))
        return;
    if (callee->kind == AST_IDENT && !callee->sym) {
        uint32_t len;
        const char *nm = ast_tok_text(S->u, callee->name, &len);
        error(S, callee->first, "go: '%.*s' is not declared; declare the "
              "function before this go statement", (int)len, nm);
    } else {
        error(S, callee->first, "go: goc cannot tell the type of the "
              "function called here");
    }
}

/* Is label `name` defined inside statement n? */
static int has_label(sema *S, const ast_node *n, uint32_t name)
{
    uint32_t len;
    const char *s = ast_tok_text(S->u, name, &len);
    char buf[256];
    if (len >= sizeof buf)
        return 1;
    memcpy(buf, s, len);
    buf[len] = 0;
    for (; n; n = n->next) {
        if (n->kind == AST_LABEL && ast_tok_is(S->u, n->name ? n->name : n->first, buf))
            return 1;
        if (n->kind == AST_LOCAL_LABEL)
            continue;
        if (has_label(S, n->a, name) || has_label(S, n->b, name) ||
            has_label(S, n->c, name) || has_label(S, n->d, name))
            return 1;
    }
    return 0;
}

/* break, continue and goto may not leave the innermost go block, and
 * return there ends the coroutine, with no value */
static void check_jump(sema *S, ast_node *n)
{
    if (S->go_level <= S->fn_go_level)
        return;
    const sema_go *g = S->gostack[S->go_level - 1];
    if (n->kind == AST_BREAK && !S->jumps[S->go_level - 1].breakables)
        error(S, n->first, "'break' cannot leave a go block");
    else if (n->kind == AST_CONTINUE && !S->jumps[S->go_level - 1].loops)
        error(S, n->first, "'continue' cannot leave a go block");
    else if (n->kind == AST_RETURN && n->a)
        error(S, n->first, "'return' with a value in a go block: the "
              "coroutine has no caller to return it to");
    else if (n->kind == AST_GOTO && !n->a &&
             !has_label(S, g->blk->a, n->name ? n->name : n->first + 1)) {
        uint32_t len;
        const char *s = ast_tok_text(S->u, n->name ? n->name : n->first + 1, &len);
        error(S, n->first, "'goto' cannot leave a go block (label '%.*s' is outside it)",
              (int)len, s);
    }
}

/* Count a loop (and what break may leave) around the walk of n. */
static void enter_loop(sema *S, const ast_node *n, int d)
{
    if (!S->go_level)
        return;
    int loop = n->kind == AST_WHILE || n->kind == AST_DO || n->kind == AST_FOR ||
               n->kind == AST_RANGE_FOR;
    S->jumps[S->go_level - 1].loops += loop * d;
    S->jumps[S->go_level - 1].breakables += d;
}

static void stmt(sema *S, ast_node *n)
{
    if (!n)
        return;
    switch (n->kind) {
    case AST_COMPOUND:
        push_scope(S);
        items(S, n->a);
        pop_scope(S);
        break;
    case AST_DECL:
        declaration(S, n);
        break;
    case AST_STATIC_ASSERT:
    case AST_EXPR_STMT:
        expr(S, n->a);
        break;
    case AST_IF:
        expr(S, n->a);
        stmt(S, n->b);
        stmt(S, n->c);
        break;
    case AST_WHILE:
    case AST_DO:
    case AST_SWITCH:
        enter_loop(S, n, 1);
        expr(S, n->a);
        stmt(S, n->b);
        enter_loop(S, n, -1);
        break;
    case AST_FOR:
        enter_loop(S, n, 1);
        push_scope(S);
        if (n->a && n->a->kind == AST_DECL)
            declaration(S, n->a);
        else
            stmt(S, n->a);
        expr(S, n->b);
        expr(S, n->c);
        stmt(S, n->d);
        pop_scope(S);
        enter_loop(S, n, -1);
        break;
    case AST_CASE:
        expr(S, n->a);
        expr(S, n->b);
        stmt(S, n->c);
        break;
    case AST_DEFAULT:
    case AST_LABEL:
        stmt(S, n->c);
        break;
    case AST_GOTO:
        expr(S, n->a);
        check_jump(S, n);
        break;
    case AST_RETURN:
        expr(S, n->a);
        if (n->a && S->go_level == S->fn_go_level)
            check_store(S, S->ret, n->a,
                        "cannot return '%2$s' from a function returning '%1$s'");
        check_jump(S, n);
        break;
    case AST_BREAK:
    case AST_CONTINUE:
        check_jump(S, n);
        break;
    case AST_GO_CALL:
        if (!n->a || n->a->kind != AST_CALL) {
            error(S, n->a ? n->a->first : n->first,
                  "go needs a function call or a block");
            break;
        }
        expr(S, n->a);
        check_go_callee(S, n->a);
        check_copied_sync_args(S, n->a);
        break;
    case AST_GO_BLOCK:
        go_block(S, n);
        break;
    case AST_FUNC_DEF:
        func_def(S, n);
        break;
    case AST_SEND:
        check_send(S, n->a, n->b);
        break;
    case AST_RECV_OK:
        expr(S, n->a);
        expr(S, n->b);
        check_chan_operand(S, n->c, "receive from");
        break;
    case AST_RANGE_FOR:
        enter_loop(S, n, 1);
        check_chan_operand(S, n->b, "range over");
        push_scope(S);
        declaration(S, n->a);
        stmt(S, n->c);
        pop_scope(S);
        enter_loop(S, n, -1);
        break;
    case AST_SELECT:
        enter_loop(S, n, 1);
        select_stmt(S, n);
        enter_loop(S, n, -1);
        break;
    default:
        break;
    }
}

/* function-definition: specs declarator [K&R decls] compound; in a
 * block, a GNU nested function, which sees the enclosing function's
 * locals and which a go block captures as a pointer (its address is
 * gcc's trampoline in the enclosing frame). */
static void func_def(sema *S, ast_node *fd)
{
    int outer_depth = S->func_depth, outer_go = S->fn_go_level;
    sema_type *outer_ret = S->ret;
    int td;
    sema_type *base = specs(S, fd->a, &td);
    uint32_t name = 0;
    sema_type *ft = declarator(S, fd->b, base, &name);
    if (name) {
        fd->sym = declare(S, name, SYM_FUNC, ft);
        fd->sym->nested = outer_depth > 0;
        fd->sym->automatic = outer_depth > 0;
    }
    /* the function declarator nearest the name owns the parameters */
    ast_node *d = NULL;
    for (ast_node *x = fd->b; x && x->kind != AST_D_IDENT; x = x->a)
        if (x->kind == AST_D_FUNC)
            d = x;
    S->func_depth = S->depth + 1;
    S->fn_go_level = S->go_level;
    S->ret = ft && ft->kind == TY_FUNC ? ft->base : NULL;
    push_scope(S);
    for (ast_node *p = d && !(d->flags & AST_OLD_STYLE) ? d->b : NULL; p; p = p->next) {
        uint32_t pn = 0;
        int ptd;
        sema_type *pt = specs(S, p->a, &ptd);
        pt = declarator(S, p->b, pt, &pn);
        if (pt && pt->kind == TY_ARRAY)
            pt = type_derive(S->ts, TY_PTR, pt->base);
        else if (pt && pt->kind == TY_FUNC)
            pt = type_derive(S->ts, TY_PTR, pt);
        if (pn) {
            sema_sym *s = declare(S, pn, SYM_VAR, pt);
            s->automatic = 1;
        }
    }
    for (ast_node *kr = fd->d; kr; kr = kr->next) {
        declaration(S, kr);
        for (ast_node *id = kr->b; id; id = id->next)
            if (id->sym)
                id->sym->automatic = 1;
    }
    stmt(S, fd->c);
    pop_scope(S);
    S->func_depth = outer_depth;
    S->fn_go_level = outer_go;
    S->ret = outer_ret;
}

int sema_unit(ast_unit *u)
{
    sema S;
    memset(&S, 0, sizeof S);
    S.u = u;
    sema_free(u);
    S.res = u->sema = xrealloc(NULL, sizeof *u->sema);
    memset(S.res, 0, sizeof *S.res);
    S.ts = &S.res->types;
    unsigned before = u->lex.errors;
    for (ast_node *n = u->root ? u->root->a : NULL; n; n = n->next) {
        if (n->kind == AST_FUNC_DEF)
            func_def(&S, n);
        else if (n->kind == AST_DECL)
            declaration(&S, n);
        else if (n->kind == AST_STATIC_ASSERT)
            expr(&S, n->a);
    }
    free(S.tab);
    free(S.undo);
    return (int)(u->lex.errors - before);
}

static const sema_go *go_result(const ast_unit *u, const ast_node *blk)
{
    for (const sema_go *g = u->sema ? u->sema->go : NULL; g; g = g->next)
        if (g->blk == blk)
            return g;
    return NULL;
}

sema_capture *sema_go_captures(const ast_unit *u, const ast_node *blk)
{
    const sema_go *g = go_result(u, blk);
    return g ? g->caps : NULL;
}

sema_capture *sema_go_statics(const ast_unit *u, const ast_node *blk)
{
    const sema_go *g = go_result(u, blk);
    return g ? g->statics : NULL;
}
