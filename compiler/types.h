/*
 * types.h - the type model of a goc translation unit and its spelling in
 * C and in goc (types.c).
 *
 * The types are an approximation of C's that is exact where goc needs it
 * (channel element types, parameter types of called functions, the types
 * of captured variables); NULL means "unknown" and matches anything.
 * Types are shared and immutable once built; a typedef name is recorded
 * on the type (t->tdef) so it can be re-spelled by name.  sema.c builds
 * them; lower.c re-spells them.
 */
#ifndef GOC_TYPES_H
#define GOC_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "util.h"

typedef enum sema_kind {
    TY_VOID,
    TY_BOOL,
    TY_CHAR, TY_SCHAR, TY_UCHAR,
    TY_SHORT, TY_USHORT,
    TY_INT, TY_UINT,
    TY_LONG, TY_ULONG,
    TY_LLONG, TY_ULLONG,
    TY_INT128, TY_UINT128,
    TY_FLOAT, TY_DOUBLE, TY_LDOUBLE,
    TY_OTHER,  /* _FloatN, _Complex, __typeof__ of the unknown...: spelled
                  from its tokens (spell_first..spell_last) */
    TY_ENUM,
    TY_PTR,
    TY_ARRAY,
    TY_FUNC,
    TY_STRUCT,
    TY_UNION,
    TY_CHAN,
} sema_kind;

enum { SQ_CONST = 1, SQ_VOLATILE = 2, SQ_RESTRICT = 4, SQ_ATOMIC = 8 };

typedef struct sema_type sema_type;
typedef struct sema_sym sema_sym;
typedef struct sema_tag sema_tag;

typedef struct sema_param {
    sema_type *type;
    struct sema_param *next;
} sema_param;

struct sema_type {
    sema_kind kind;
    unsigned quals;    /* SQ_* */
    sema_type *base;   /* PTR: pointee, ARRAY: element, FUNC: result,
                          CHAN: element */
    long len;          /* ARRAY: element count, -1 unknown/incomplete */
    ast_node *len_expr;/* ARRAY: size expression as written, or NULL */
    int vla;           /* ARRAY: size not constant */
    int len_local;     /* ARRAY: size names something local to a function */
    sema_param *params;/* FUNC */
    int nparams;
    int variadic;      /* FUNC: ", ..." */
    int unprototyped;  /* FUNC: "()" or K&R */
    sema_tag *tag;     /* STRUCT, UNION, ENUM */
    sema_sym *tdef;    /* the typedef this type was named by, or NULL */
    uint32_t spell_first, spell_last; /* OTHER, and a STRUCT/UNION/ENUM
                          with no name that came from __typeof__: tokens
                          that spell it */
    int spell_local;   /* those tokens are inside a function */
};

struct sema_tag {
    sema_kind kind; /* TY_STRUCT, TY_UNION or TY_ENUM */
    const char *name; /* NULL when anonymous */
    int local;        /* declared inside a function */
    int go_level;     /* number of go blocks around its declaration */
    int complete;
    struct sema_member *members;
};

typedef struct sema_member {
    const char *name; /* NULL: anonymous struct/union member */
    sema_type *type;
    struct sema_member *next;
} sema_member;

typedef enum { SYM_VAR, SYM_FUNC, SYM_TYPEDEF, SYM_ENUMC } sym_kind;

struct sema_sym {
    sym_kind kind;
    const char *name;
    sema_type *type;
    uint32_t tok;      /* the declaring identifier token */
    int local;         /* declared inside a function (block scope) */
    int automatic;     /* a local variable or parameter without static or
                          extern storage: what a go block captures */
    int go_level;      /* number of go blocks around the declaration */
    int nested;        /* SYM_FUNC: a GNU nested function (defined in a
                          block); automatic: a go block captures its
                          address */
    long value;        /* SYM_ENUMC */
};

/* Where the types of one unit live: freed all at once (types_free). */
typedef struct type_store {
    arena *mem;
    sema_type *basic[TY_LDOUBLE + 1]; /* one of each basic type */
} type_store;

/* Zeroed memory that lives as long as the store's types. */
void *type_alloc(type_store *ts, size_t n);
void types_free(type_store *ts);

sema_type *type_new(type_store *ts, sema_kind k);
sema_type *type_copy(type_store *ts, const sema_type *t);
/* A pointer to, array of, function returning or channel of base. */
sema_type *type_derive(type_store *ts, sema_kind k, sema_type *base);
sema_type *type_basic(type_store *ts, sema_kind k);
/* t with the qualifiers q (SQ_*) added. */
sema_type *type_qualify(type_store *ts, sema_type *t, unsigned q);
/* type_unqual: the type without its qualifiers.  It keeps the typedef
 * name (t->tdef) unless the typedef itself carries qualifiers, so the
 * result can still be spelled when the name is its only spelling. */
sema_type *type_unqual(type_store *ts, const sema_type *t);
/* Arrays and functions used as values become pointers. */
sema_type *type_decay(type_store *ts, sema_type *t);
/* Default argument promotion of an argument's type (for variadic extras);
 * arrays and functions decay to pointers. */
sema_type *type_promote(type_store *ts, const sema_type *t);
/* The usual arithmetic conversions, approximately; NULL unless both are
 * arithmetic. */
sema_type *type_arith_result(type_store *ts, sema_type *a, sema_type *b);

int type_is_chan(const sema_type *t);
int type_is_array(const sema_type *t);
int type_is_integer(const sema_type *t);
int type_is_arith(const sema_type *t);
/* Type identity for the chan(T) rules; unknown parts match anything. */
int type_same(const sema_type *a, const sema_type *b);

/* Why a type cannot be spelled where it must go (type_spell_c). */
typedef enum type_why {
    TYPE_SPELLABLE,
    TYPE_LOCAL,      /* declared inside the function */
    TYPE_LOCAL_SIZE, /* an array sized by a name local to the function */
    TYPE_VLA,        /* a variable-length array */
    TYPE_NO_NAME,    /* a struct, union or enum with no name to spell */
    TYPE_UNKNOWN,    /* a type goc does not model */
} type_why;
/* The reason in words, for diagnostics: "declared inside the function". */
const char *type_why_text(type_why why);

/*
 * Spell type t declaring `name` ("" for an abstract type name) as C, e.g.
 * "void (*fn)(int, goc__chan)".  `level` says where the spelling goes:
 * 0 inside the function; n > 0 in the code lifted out of a go block n
 * deep, where only the function's local types declared inside that block
 * are in scope; TYPE_FILE_SCOPE outside every function.  A type out of
 * reach there, a variable-length array, or one with no name to spell it
 * by fails.  Returns a malloc'd string, or NULL on failure with *why set.
 */
#define TYPE_FILE_SCOPE 0x7fffffff
char *type_spell_c(const ast_unit *u, const sema_type *t, const char *name,
                   int level, type_why *why);
/* goc's own spelling of t, for diagnostics: "chan(struct point)". */
char *type_spell_goc(const ast_unit *u, const sema_type *t);

#endif /* GOC_TYPES_H */
