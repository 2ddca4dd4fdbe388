/*
 * sema.h - scopes and types of a goc translation unit.
 *
 * sema_unit() walks the tree once, in source order, with C's scopes: it
 * gives every declaration a symbol and a type, every expression a type
 * (ast_node.type; NULL where it cannot tell, e.g. an undeclared name or a
 * builtin goc does not model), and every identifier its symbol
 * (ast_node.sym).  It checks the goc type rules (chan(T) mismatches, sends
 * and receives) and records what each `go { }` block captures.  Anything
 * plain C gets wrong is left to the C compiler: sema only reports what goc
 * itself must.
 *
 * Types are shared and immutable once built; a typedef name is recorded on
 * the type (t->tdef) so it can be re-spelled by name.
 */
#ifndef GOC_SEMA_H
#define GOC_SEMA_H

#include <stddef.h>

#include "ast.h"

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
    long value;        /* SYM_ENUMC */
};

/* A variable that a `go { }` block names from outside it, in the order
 * of first use. */
typedef struct sema_capture {
    sema_sym *sym;
    uint32_t use_tok; /* first use inside the block */
    struct sema_capture *next;
} sema_capture;

/* Analyse the unit; returns the number of errors reported. */
int sema_unit(ast_unit *u);
/* Release everything sema_unit allocated (types, symbols, captures). */
void sema_free(void);
/* What go block `blk` (AST_GO_BLOCK) captures by value, and what local
 * statics it shares (by pointer). */
sema_capture *sema_go_captures(const ast_node *blk);
sema_capture *sema_go_statics(const ast_node *blk);
/* For a _Generic selection (AST_GENERIC) whose associations name two or
 * more channel types: the expression it selects (C cannot tell chan(T)
 * types apart); NULL otherwise. */
const ast_node *sema_generic_choice(const ast_node *gen);
/* The function type called by `call` (an AST_CALL), or NULL. */
sema_type *sema_callee_type(const ast_node *call);
int sema_is_chan(const sema_type *t);
int sema_is_array(const sema_type *t);
/* Default argument promotion of an argument's type (for variadic extras);
 * arrays and functions decay to pointers. */
sema_type *sema_promote(const sema_type *t);
/* sema_unqual: the type without its qualifiers.  It keeps the typedef
 * name (t->tdef) unless the typedef itself carries qualifiers, so the
 * result can still be spelled when the name is its only spelling. */
sema_type *sema_unqual(const sema_type *t);

/*
 * Spell type t declaring `name` ("" for an abstract type name) as C, e.g.
 * "void (*fn)(int, goc__chan)".  `level` says where the spelling goes:
 * 0 inside the function; n > 0 in the code lifted out of a go block n
 * deep, where only the function's local types declared inside that block
 * are in scope; SEMA_FILE_SCOPE outside every function.  A type out of
 * reach there, a variable-length array, or one with no name to spell it
 * by fails.  Returns a malloc'd string, or NULL on failure with *why set
 * to a static description.
 */
#define SEMA_FILE_SCOPE 0x7fffffff
char *sema_spell_c(const ast_unit *u, const sema_type *t, const char *name,
                   int level, const char **why);
/* goc's own spelling of t, for diagnostics: "chan(struct point)". */
char *sema_spell_goc(const ast_unit *u, const sema_type *t);

#endif /* GOC_SEMA_H */
