/*
 * types.c - the type model (see types.h): building types, comparing them,
 * and spelling them as C (for lowering) or as goc (for diagnostics).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "types.h"

void *type_alloc(type_store *ts, size_t n) { return arena_alloc(&ts->mem, n); }

void types_free(type_store *ts)
{
    arena_free(&ts->mem);
    memset(ts->basic, 0, sizeof ts->basic);
}

/* ---- building ------------------------------------------------------ */

sema_type *type_new(type_store *ts, sema_kind k)
{
    sema_type *t = type_alloc(ts, sizeof *t);
    t->kind = k;
    t->len = -1;
    return t;
}

sema_type *type_copy(type_store *ts, const sema_type *t)
{
    sema_type *c = type_alloc(ts, sizeof *c);
    *c = *t;
    return c;
}

sema_type *type_derive(type_store *ts, sema_kind k, sema_type *base)
{
    sema_type *t = type_new(ts, k);
    t->base = base;
    return t;
}

sema_type *type_basic(type_store *ts, sema_kind k)
{
    if (!ts->basic[k])
        ts->basic[k] = type_new(ts, k);
    return ts->basic[k];
}

sema_type *type_qualify(type_store *ts, sema_type *t, unsigned q)
{
    if (!t || !q || (t->quals & q) == q)
        return t;
    sema_type *c = type_copy(ts, t);
    c->quals |= q;
    return c;
}

/* Does typedef s name an unqualified type?  (Qualifiers of an array type
 * live on its element.) */
static int tdef_unqualified(const sema_sym *s)
{
    const sema_type *t = s ? s->type : NULL;
    while (t && t->kind == TY_ARRAY && !t->quals)
        t = t->base;
    return t && !t->quals;
}

/* The typedef name survives when the typedef itself adds no qualifiers:
 * for `typedef struct { ... } msg_t;` it is the only spelling the type
 * has, and lowering re-spells element, parameter and capture types. */
sema_type *type_unqual(type_store *ts, const sema_type *t)
{
    if (!t)
        return NULL;
    int keep = t->tdef && tdef_unqualified(t->tdef);
    if (!t->quals && (!t->tdef || keep))
        return (sema_type *)t;
    sema_type *c = type_copy(ts, t);
    c->quals = 0;
    if (!keep)
        c->tdef = NULL;
    return c;
}

int type_is_chan(const sema_type *t) { return t && t->kind == TY_CHAN; }
int type_is_array(const sema_type *t) { return t && t->kind == TY_ARRAY; }

int type_is_integer(const sema_type *t)
{
    return t && ((t->kind >= TY_BOOL && t->kind <= TY_UINT128) ||
                 t->kind == TY_ENUM);
}

int type_is_arith(const sema_type *t)
{
    return type_is_integer(t) || (t && t->kind >= TY_FLOAT && t->kind <= TY_LDOUBLE);
}

/* Arrays and functions used as values become pointers. */
sema_type *type_decay(type_store *ts, sema_type *t)
{
    if (t && t->kind == TY_ARRAY)
        return type_derive(ts, TY_PTR, t->base);
    if (t && t->kind == TY_FUNC)
        return type_derive(ts, TY_PTR, t);
    return t;
}

sema_type *type_promote(type_store *ts, const sema_type *t)
{
    sema_type *d = type_decay(ts, (sema_type *)t);
    if (!d)
        return NULL;
    if (d->kind == TY_FLOAT)
        return type_basic(ts, TY_DOUBLE);
    if ((d->kind >= TY_BOOL && d->kind <= TY_USHORT) || d->kind == TY_ENUM)
        return type_basic(ts, TY_INT);
    return type_unqual(ts, d);
}

sema_type *type_arith_result(type_store *ts, sema_type *a, sema_type *b)
{
    a = type_promote(ts, a);
    b = type_promote(ts, b);
    if (!type_is_arith(a) || !type_is_arith(b))
        return NULL;
    return a->kind >= b->kind ? a : b;
}


static int same_params(const sema_param *p, const sema_param *q)
{
    for (; p && q; p = p->next, q = q->next)
        if (!type_same(p->type, q->type))
            return 0;
    return !p && !q;
}

/* Type identity for the chan(T) rules; unknown parts match anything. */
int type_same(const sema_type *a, const sema_type *b)
{
    if (!a || !b || a == b)
        return 1;
    if (a->kind != b->kind || a->quals != b->quals)
        return 0;
    switch (a->kind) {
    case TY_PTR:
    case TY_CHAN:
        return type_same(a->base, b->base);
    case TY_ARRAY:
        return (a->len < 0 || b->len < 0 || a->len == b->len) &&
               type_same(a->base, b->base);
    case TY_FUNC:
        return type_same(a->base, b->base) &&
               (a->unprototyped || b->unprototyped ||
                (a->variadic == b->variadic && same_params(a->params, b->params)));
    case TY_STRUCT:
    case TY_UNION:
    case TY_ENUM:
        return a->tag == b->tag ||
               (a->tag->name && b->tag->name && !strcmp(a->tag->name, b->tag->name)
                && !a->tag->local && !b->tag->local);
    default:
        return 1;
    }
}

/* ---- spelling types ------------------------------------------------- */

typedef struct spellctx {
    const ast_unit *u;
    int goc;        /* goc's spelling (chan(T)) rather than C's */
    int level;      /* where the spelling goes: see type_spell_c */
    type_why why;   /* first reason it cannot be spelled */
} spellctx;

/* Concatenate a and b (both freed) with sep between them. */
static char *cat3(char *a, const char *sep, char *b)
{
    size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
    char *p = xrealloc(NULL, la + ls + lb + 1);
    memcpy(p, a, la);
    memcpy(p + la, sep, ls);
    memcpy(p + la + ls, b, lb + 1);
    free(a);
    free(b);
    return p;
}

static const char *basic_name(sema_kind k)
{
    static const char *const names[] = {
        [TY_VOID] = "void", [TY_BOOL] = "_Bool", [TY_CHAR] = "char",
        [TY_SCHAR] = "signed char", [TY_UCHAR] = "unsigned char",
        [TY_SHORT] = "short", [TY_USHORT] = "unsigned short",
        [TY_INT] = "int", [TY_UINT] = "unsigned int", [TY_LONG] = "long",
        [TY_ULONG] = "unsigned long", [TY_LLONG] = "long long",
        [TY_ULLONG] = "unsigned long long", [TY_INT128] = "__int128",
        [TY_UINT128] = "unsigned __int128", [TY_FLOAT] = "float",
        [TY_DOUBLE] = "double", [TY_LDOUBLE] = "long double",
    };
    return k <= TY_LDOUBLE ? names[k] : "?";
}

static char *quals_text(unsigned q)
{
    char buf[64] = "";
    if (q & SQ_CONST) strcat(buf, "const ");
    if (q & SQ_VOLATILE) strcat(buf, "volatile ");
    if (q & SQ_RESTRICT) strcat(buf, "restrict ");
    if (q & SQ_ATOMIC) strcat(buf, "_Atomic ");
    return xstrdup(buf);
}

static char *tokens_text(const ast_unit *u, uint32_t first, uint32_t last)
{
    char *s = xstrdup("");
    for (uint32_t t = first; t && t <= last; t++) {
        if (u->lex.toks[t].flags & TOKF_TRIVIA)
            continue;
        uint32_t len;
        const char *p = ast_tok_text(u, t, &len);
        s = cat3(s, *s ? " " : "", xstrndup(p, len));
    }
    return s;
}

static void cannot(spellctx *c, type_why why)
{
    if (!c->why)
        c->why = why;
}

static char *spell(spellctx *c, const sema_type *t, char *inner);

/* Is a declaration (local, inside go_level go blocks) out of reach where
 * the spelling goes? */
static int outside(const spellctx *c, int local, int go_level)
{
    return c->level && local && go_level < c->level;
}

/* Spell t by its typedef name?  Not a chan in goc's own spelling, and not
 * a function's local typedef at file scope when the type has a spelling
 * of its own (typedef int myint;). */
static int by_tdef(const spellctx *c, const sema_type *t)
{
    if (!t->tdef || (c->goc && t->kind == TY_CHAN))
        return 0;
    int own = !((t->kind == TY_STRUCT || t->kind == TY_UNION || t->kind == TY_ENUM) &&
                !t->tag->name && !t->spell_first);
    return !(outside(c, t->tdef->local, t->tdef->go_level) && own);
}

/* The specifier part: "const struct point", "goc__chan", "int". */
static char *spell_base(spellctx *c, const sema_type *t)
{
    char *q = quals_text(t->quals);
    if (by_tdef(c, t)) {
        if (outside(c, t->tdef->local, t->tdef->go_level))
            cannot(c, TYPE_LOCAL);
        return cat3(q, "", xstrdup(t->tdef->name));
    }
    switch (t->kind) {
    case TY_STRUCT:
    case TY_UNION:
    case TY_ENUM: {
        const char *kw = t->kind == TY_STRUCT ? "struct " : t->kind == TY_UNION ? "union " : "enum ";
        if (!t->tag->name && t->spell_first) {
            if (c->level && t->spell_local)
                cannot(c, TYPE_LOCAL);
            return cat3(q, "", tokens_text(c->u, t->spell_first, t->spell_last));
        }
        if (!t->tag->name) {
            cannot(c, TYPE_NO_NAME);
            return cat3(q, kw, xstrdup("<anonymous>"));
        }
        if (outside(c, t->tag->local, t->tag->go_level))
            cannot(c, TYPE_LOCAL);
        return cat3(q, kw, xstrdup(t->tag->name));
    }
    case TY_CHAN:
        if (!c->goc)
            return cat3(q, "", xstrdup("goc__chan"));
        return cat3(cat3(q, "chan(", spell(c, t->base, xstrdup(""))), "", xstrdup(")"));
    case TY_OTHER:
        return cat3(q, "", tokens_text(c->u, t->spell_first, t->spell_last));
    default:
        return cat3(q, "", xstrdup(basic_name(t->kind)));
    }
}

static char *spell_params(spellctx *c, const sema_type *f)
{
    if (f->unprototyped)
        return xstrdup("()");
    if (!f->params)
        return xstrdup(f->variadic ? "(...)" : "(void)");
    char *s = xstrdup("(");
    for (sema_param *p = f->params; p; p = p->next)
        s = cat3(s, p == f->params ? "" : ", ", spell(c, p->type, xstrdup("")));
    if (f->variadic)
        s = cat3(s, "", xstrdup(", ..."));
    return cat3(s, "", xstrdup(")"));
}

static char *spell(spellctx *c, const sema_type *t, char *inner)
{
    if (!t) {
        cannot(c, TYPE_UNKNOWN);
        return cat3(xstrdup("int"), *inner ? " " : "", inner);
    }
    if (by_tdef(c, t))
        return cat3(spell_base(c, t), *inner ? " " : "", inner);
    switch (t->kind) {
    case TY_PTR: {
        char *s = cat3(cat3(xstrdup("*"), "", quals_text(t->quals)), "", inner);
        size_t n = strlen(s);
        if (n && s[n - 1] == ' ')
            s[n - 1] = 0;
        const sema_type *b = t->base;
        if (b && !by_tdef(c, b) && (b->kind == TY_ARRAY || b->kind == TY_FUNC))
            s = cat3(cat3(xstrdup("("), "", s), "", xstrdup(")"));
        return spell(c, b, s);
    }
    case TY_ARRAY: {
        char len[48];
        if (t->len >= 0) {
            snprintf(len, sizeof len, "[%ld]", t->len);
            return spell(c, t->base, cat3(inner, "", xstrdup(len)));
        }
        if (t->len_expr) {
            if (c->level && t->vla)
                cannot(c, TYPE_VLA);
            else if (c->level && t->len_local)
                cannot(c, TYPE_LOCAL_SIZE);
            char *e = tokens_text(c->u, t->len_expr->first, t->len_expr->last);
            return spell(c, t->base, cat3(cat3(inner, "[", e), "", xstrdup("]")));
        }
        return spell(c, t->base, cat3(inner, "", xstrdup("[]")));
    }
    case TY_FUNC:
        return spell(c, t->base, cat3(inner, "", spell_params(c, t)));
    default:
        return cat3(spell_base(c, t), *inner ? " " : "", inner);
    }
}

const char *type_why_text(type_why why)
{
    static const char *const text[] = {
        [TYPE_SPELLABLE] = "a type goc can spell",
        [TYPE_LOCAL] = "declared inside the function",
        [TYPE_LOCAL_SIZE] = "sized by a name declared inside the function",
        [TYPE_VLA] = "a variable-length array",
        [TYPE_NO_NAME] = "a type without a name",
        [TYPE_UNKNOWN] = "of a type goc cannot name",
    };
    return text[why];
}

char *type_spell_c(const ast_unit *u, const sema_type *t, const char *name,
                   int level, type_why *why)
{
    spellctx c = {u, 0, level, TYPE_SPELLABLE};
    char *s = spell(&c, t, xstrdup(name));
    if (c.why) {
        if (why)
            *why = c.why;
        free(s);
        return NULL;
    }
    return s;
}

char *type_spell_goc(const ast_unit *u, const sema_type *t)
{
    spellctx c = {u, 1, 0, TYPE_SPELLABLE};
    if (!t)
        return xstrdup("?");
    return spell(&c, t, xstrdup(""));
}
