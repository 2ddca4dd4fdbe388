/*
 * ast.h - the syntax tree of one goc translation unit.
 *
 * Every node records the inclusive token range [first, last] it was parsed
 * from (indices into unit->lex.toks), so lowering can splice replacement
 * text over exactly that range (emit.h) and can re-spell any type by
 * copying its tokens.  Plain C that no pass touches is emitted from the
 * tokens, not from the tree.
 *
 * One generic node shape keeps the builders small: the meaning of the
 * child slots a, b, c, d and of `op`/`name`/`flags` depends on `kind` and is
 * listed next to each kind below.  Lists are chains through `next`,
 * headed by the slot that holds them.  Token index 0 means "none".
 *
 * Stability: this is the contract with sema.c and lower.c.  Add kinds and
 * fields; never rename or reorder the meaning of existing ones.
 */
#ifndef GOC_AST_H
#define GOC_AST_H

#include <stdint.h>
#include <stdio.h>

#include "lex.h"

typedef enum ast_kind {
    AST_NONE,
    /* ---- top level ---- */
    AST_UNIT,      /* a: list of external declarations */
    AST_FUNC_DEF,  /* a: AST_SPECS, b: declarator, c: AST_COMPOUND body,
                      d: list of AST_DECL (K&R parameter declarations) */
    AST_DECL,      /* a: AST_SPECS, b: list of AST_INIT_DECL (may be NULL).
                      Also struct members (then AST_INIT_DECL.c is the
                      bit-field width) and for-loop/range-for declarations.
                      flags: AST_DECL_MEMBER for struct members */
    AST_INIT_DECL, /* a: declarator, b: initializer (expression or
                      AST_INIT_LIST) or NULL, c: bit-field width or NULL,
                      name: asm label token (TK_ASM) or 0 */
    AST_STATIC_ASSERT, /* a: expression, b: string literal or NULL */
    AST_ASM,       /* asm statement / top-level asm: one TK_ASM token
                      covering the keyword, qualifiers and (...) */
    AST_EMPTY,     /* a lone ';' at file or statement level */

    /* ---- declaration specifiers and type names ---- */
    AST_SPECS,     /* first..last: every specifier token (attributes
                      included); flags: AST_SC_* | AST_Q_* | AST_FN_*;
                      a: list of type-specifier nodes (AST_TS_*) and
                      AST_ALIGNAS nodes in source order */
    AST_TS_BASIC,  /* op: TK_VOID, TK_CHAR, TK_SHORT, TK_INT, TK_LONG,
                      TK_FLOAT, TK_DOUBLE, TK_SIGNED, TK_UNSIGNED, TK_BOOL,
                      TK_COMPLEX, TK_INT128, TK_FLOATN (name: the token, to
                      tell _Float32 from _Float128), TK_AUTO_TYPE */
    AST_TS_TYPEDEF,/* name: the typedef name token */
    AST_TS_STRUCT, /* op: TK_STRUCT or TK_UNION; name: tag token or 0;
                      a: list of member AST_DECL (also AST_STATIC_ASSERT);
                      flags: AST_HAS_BODY when a { } body is present */
    AST_TS_ENUM,   /* name: tag or 0; a: list of AST_ENUMERATOR;
                      flags: AST_HAS_BODY */
    AST_ENUMERATOR,/* name: the enumerator token; a: value or NULL */
    AST_TS_TYPEOF, /* a: expression or NULL, b: AST_TYPENAME or NULL */
    AST_TS_ATOMIC, /* _Atomic(type-name): a: AST_TYPENAME */
    AST_TS_CHAN,   /* goc chan(T): a: AST_TYPENAME of the element type */
    AST_ALIGNAS,   /* a: expression or NULL, b: AST_TYPENAME or NULL */
    AST_TYPENAME,  /* a: AST_SPECS, b: abstract declarator or NULL */

    /* ---- declarators (derivation read outside-in: the type of the
       inner declarator `a` is "pointer to / array of / function returning"
       the type this node is given; a == NULL ends an abstract one) ---- */
    AST_D_IDENT,   /* name: the declared identifier */
    AST_D_POINTER, /* a: inner declarator; flags: AST_Q_* of this '*' */
    AST_D_ARRAY,   /* a: inner; b: size expression or NULL;
                      flags: AST_Q_*, AST_ARRAY_STATIC, AST_ARRAY_VLA ([*]) */
    AST_D_FUNC,    /* a: inner; b: list of AST_PARAM; flags: AST_VARIADIC,
                      AST_OLD_STYLE (identifier list: b holds AST_D_IDENT);
                      an empty b without AST_OLD_STYLE means "()" */
    AST_D_PAREN,   /* ( declarator ): a: inner (kept for token ranges) */
    AST_PARAM,     /* a: AST_SPECS, b: declarator (possibly abstract) or
                      NULL */

    /* ---- initializers ---- */
    AST_INIT_LIST, /* a: list of AST_INIT_ITEM */
    AST_INIT_ITEM, /* a: list of designators or NULL, b: initializer */
    AST_DESIG_FIELD, /* .name: name token (also GNU `name:` form) */
    AST_DESIG_INDEX, /* [a] or GNU [a ... b] */

    /* ---- expressions (node->type is filled in by sema) ---- */
    AST_IDENT,     /* name: the identifier token */
    AST_INT_LIT,   /* a pp-number without '.', exponent or float suffix */
    AST_FLOAT_LIT,
    AST_CHAR_LIT,
    AST_STRING_LIT,/* first..last: adjacent string literals */
    AST_MEMBER,    /* a: object; op: TK_DOT or TK_ARROW; name: member */
    AST_INDEX,     /* a[b] */
    AST_CALL,      /* a: callee; b: list of arguments */
    AST_POSTFIX,   /* a op with op TK_INC or TK_DEC */
    AST_UNARY,     /* op a: op is TK_INC, TK_DEC, TK_AMP, TK_STAR, TK_PLUS,
                      TK_MINUS, TK_TILDE, TK_NOT, TK_REAL, TK_IMAG */
    AST_SIZEOF,    /* a: expression or NULL; b: AST_TYPENAME or NULL;
                      op: TK_SIZEOF or TK_ALIGNOF */
    AST_CAST,      /* (b) a: a expression, b AST_TYPENAME */
    AST_BINARY,    /* a op b: op is the operator token kind (TK_PLUS ...,
                      TK_ANDAND, TK_OROR, TK_LT, ...) */
    AST_ASSIGN,    /* a op b: op TK_ASSIGN or a compound TK_*ASSIGN */
    AST_COND,      /* a ? b : c; b NULL for GNU a ?: c */
    AST_COMMA,     /* a, b */
    AST_COMPOUND_LIT, /* (a){b}: a AST_TYPENAME, b AST_INIT_LIST */
    AST_STMT_EXPR, /* ({ ... }): a AST_COMPOUND */
    AST_GENERIC,   /* a: controlling expression; b: list of
                      AST_GENERIC_ASSOC */
    AST_GENERIC_ASSOC, /* a: AST_TYPENAME or NULL (default); b: expr */
    AST_VA_ARG,    /* __builtin_va_arg(a, b): b AST_TYPENAME */
    AST_OFFSETOF,  /* __builtin_offsetof(a, b): a AST_TYPENAME,
                      b: list of designators (AST_DESIG_FIELD/INDEX) */
    AST_TYPES_COMPATIBLE, /* __builtin_types_compatible_p(a, b) */
    AST_LABEL_ADDR,/* &&name (GNU) */
    AST_RECV,      /* goc <-a : receive; type is the element type */
    AST_MAKE_CHAN, /* goc make(chan(T)[, b]): a AST_TYPENAME of T,
                      b buffer size or NULL */

    /* ---- statements ---- */
    AST_COMPOUND,  /* a: list of block items (statements, AST_DECL,
                      AST_STATIC_ASSERT and AST_LOCAL_LABEL) */
    AST_LOCAL_LABEL, /* __label__ a, b;  a: list of AST_IDENT */
    AST_EXPR_STMT, /* a: expression */
    AST_IF,        /* if (a) b else c */
    AST_WHILE,     /* while (a) b */
    AST_DO,        /* do b while (a); */
    AST_FOR,       /* for (a; b; c) d: a is AST_DECL or AST_EXPR_STMT or
                      NULL, b and c expressions or NULL */
    AST_SWITCH,    /* switch (a) b */
    AST_CASE,      /* case a: c, or case a ... b: c (GNU range) */
    AST_DEFAULT,   /* default: c */
    AST_LABEL,     /* name: c */
    AST_GOTO,      /* goto name; or goto *a; */
    AST_CONTINUE,
    AST_BREAK,
    AST_RETURN,    /* return a; */

    /* ---- goc statements ---- */
    AST_GO_CALL,   /* go a;  a is an AST_CALL */
    AST_GO_BLOCK,  /* go a;  a is an AST_COMPOUND */
    AST_SEND,      /* a <- b;  a channel, b value (statement) */
    AST_RECV_OK,   /* a, b = <-c;  a value lvalue, b ok lvalue, c chan */
    AST_RANGE_FOR, /* for (a : b) c:  a AST_DECL with one AST_INIT_DECL,
                      b channel expression, c body statement */
    AST_SELECT,    /* select { a }: a list of AST_SELECT_CASE */
    AST_SELECT_CASE, /* op: AST_SEL_*; a: channel expression (NULL for
                      default); b: receiving lvalue (RECV_ASSIGN, RECV_OK),
                      new variable's AST_DECL (RECV_DECL) or value (SEND);
                      c: ok lvalue (RECV_OK); d: list of block items.
                      first..last cover "case ... :" / "default :" and the
                      body; name: the token of ':' */
    AST_BIT_CAST,  /* __builtin_bit_cast(a, b): a AST_TYPENAME, b expr */
    AST_CONVERT_VECTOR, /* __builtin_convertvector(a, b): b AST_TYPENAME */
    AST_KIND_COUNT
} ast_kind;

/* AST_SELECT_CASE.op */
enum {
    AST_SEL_RECV = 1,    /* case <-c: */
    AST_SEL_RECV_ASSIGN, /* case v = <-c: */
    AST_SEL_RECV_DECL,   /* case T v = <-c: */
    AST_SEL_RECV_OK,     /* case v, ok = <-c: */
    AST_SEL_SEND,        /* case c <- v: */
    AST_SEL_DEFAULT,     /* default: */
};

/* flags */
enum {
    /* storage class and function specifiers (AST_SPECS) */
    AST_SC_TYPEDEF = 1u << 0,
    AST_SC_EXTERN = 1u << 1,
    AST_SC_STATIC = 1u << 2,
    AST_SC_AUTO = 1u << 3,
    AST_SC_REGISTER = 1u << 4,
    AST_SC_THREAD = 1u << 5, /* _Thread_local / __thread */
    AST_FN_INLINE = 1u << 6,
    AST_FN_NORETURN = 1u << 7,
    /* qualifiers (AST_SPECS, AST_D_POINTER, AST_D_ARRAY) */
    AST_Q_CONST = 1u << 8,
    AST_Q_VOLATILE = 1u << 9,
    AST_Q_RESTRICT = 1u << 10,
    AST_Q_ATOMIC = 1u << 11, /* _Atomic used as a qualifier */
    /* misc */
    AST_HAS_BODY = 1u << 12,
    AST_VARIADIC = 1u << 13,
    AST_OLD_STYLE = 1u << 14,
    AST_ARRAY_STATIC = 1u << 15,
    AST_ARRAY_VLA = 1u << 16,
    AST_DECL_MEMBER = 1u << 17,
    AST_DECL_PARAM = 1u << 18,
    AST_IMPLICIT_INT = 1u << 19, /* AST_SPECS: C89 implicit int, no type
                                    specifier in the text */
    /* lowering: an expression whose value is dropped (the left operand
     * of a comma, a for loop's step) */
    AST_VALUE_UNUSED = 1u << 20,
};

struct sema_type; /* types.h */
struct sema_sym;  /* types.h */

typedef struct ast_node ast_node;
struct ast_node {
    uint16_t kind;   /* ast_kind */
    int16_t op;      /* operator / variant, see the kind */
    uint32_t flags;  /* AST_* flags */
    uint32_t first;  /* first token of the construct */
    uint32_t last;   /* last token, inclusive */
    uint32_t name;   /* identifier token, see the kind */
    ast_node *a, *b, *c, *d;
    ast_node *next;  /* next element of the list this node is in */
    struct sema_type *type; /* expressions: filled in by sema */
    struct sema_sym *sym;   /* identifiers and declarators: by sema */
    /* A parenthesized expression keeps its own range in first..last and
     * records the range with its parentheses here (0 when it has none);
     * parents cover the parentheses. */
    uint32_t outer_first, outer_last;
};

typedef struct ast_unit {
    lex_stream lex;   /* the tokens; toks[n].kind is TK_* */
    ast_node *root;   /* AST_UNIT */
    const char *input_name; /* the .goc path as the user gave it */
    struct emit_state *emit; /* pending splices (emit.c) */
    struct ast_arena *arena; /* where the nodes live (ast.c) */
    struct sema_result *sema; /* what sema found (sema.h) */
} ast_unit;

/* Allocate a zeroed node in the unit's arena (never fails: out of memory
 * is an internal error). */
ast_node *ast_new(ast_unit *u, ast_kind kind, uint32_t first, uint32_t last);
/* Append `n` to the list headed by *head. */
void ast_append(ast_node **head, ast_node *n);
/* Number of nodes in a list. */
int ast_list_len(const ast_node *head);
/* The identifier token declared by a declarator (0 when abstract). */
uint32_t ast_declarator_name(const ast_node *d);
/* The name of a kind, for dumps and internal errors. */
const char *ast_kind_name(int kind);
/* Spelling of token t (not NUL-terminated; length in *len). */
const char *ast_tok_text(const ast_unit *u, uint32_t t, uint32_t *len);
/* Compare token t's spelling with a C string. */
int ast_tok_is(const ast_unit *u, uint32_t t, const char *s);
/* Print the tree (debugging and tests), one node per line. */
void ast_dump(const ast_unit *u, const ast_node *n, int depth, FILE *f);
/* The deepest node under root and, in *depth, its depth (a child is one
 * level below its parent; the elements of a list are on one level).  It
 * walks without recursion, so it is safe on any tree. */
const ast_node *ast_deepest(const ast_node *root, uint32_t *depth);

/* The expression statement whose value is the value of the statement
 * expression n (its last block item, under any labels, as gcc and clang
 * take it), or NULL when that item is no expression statement. */
ast_node *ast_stmt_expr_value(const ast_node *n);
/* Free every node of the unit. */
void ast_free(ast_unit *u);

/* Error at token t of the unit (counted in u->lex.errors). */
#define ast_error(u, t, ...) lex_error(&(u)->lex, (t), __VA_ARGS__)

/* ---- builders the grammar calls (grammar/parser.y) ---- */

/* A list under construction: O(1) append, head is the ast list. */
typedef struct ast_list {
    ast_node *head, *tail;
} ast_list;

ast_list ast_list_empty(void);
ast_list ast_list_one(ast_node *n);
ast_list ast_list_add(ast_list l, ast_node *n);
/* A node of `kind`; a zero first/last is taken from the children. */
ast_node *ast_mk(ast_unit *u, int kind, uint32_t first, uint32_t last,
                 ast_node *a, ast_node *b, ast_node *c, ast_node *d);
ast_node *ast_op(ast_unit *u, int kind, uint32_t op, uint32_t first,
                 uint32_t last, ast_node *a, ast_node *b);
ast_node *ast_goto(ast_unit *u, uint32_t kw, uint32_t name, uint32_t semi);
ast_node *ast_binary(ast_unit *u, ast_node *l, uint32_t op, ast_node *r);
ast_node *ast_number(ast_unit *u, uint32_t t);
ast_node *ast_paren(ast_unit *u, uint32_t l, ast_node *e, uint32_t r);
ast_node *ast_extend(ast_node *n, uint32_t last);
ast_node *ast_member(ast_unit *u, ast_node *e, uint32_t op, uint32_t name);
ast_node *ast_compound_literal(ast_unit *u, uint32_t l, ast_node *t,
                               ast_node *init);
ast_node *ast_spec_tok(ast_unit *u, uint32_t t);
ast_node *ast_spec_node(ast_unit *u, ast_node *n);
ast_node *ast_spec_implicit_int(ast_unit *u, uint32_t t);
ast_node *ast_end_label(ast_unit *u, ast_node *label, ast_node *next);
ast_node *ast_specs_merge(ast_unit *u, ast_node *s, ast_node *x);
ast_node *ast_struct(ast_unit *u, uint32_t kw, uint32_t name, ast_list l,
                     uint32_t rbrace);
ast_node *ast_member_decl(ast_unit *u, ast_node *specs, ast_list l,
                          uint32_t semi);
ast_node *ast_enum(ast_unit *u, uint32_t kw, uint32_t name, ast_list l,
                   uint32_t rbrace);
ast_node *ast_enumerator_value(ast_unit *u, ast_node *e, ast_node *v);
ast_node *ast_pointer(ast_unit *u, uint32_t star, ast_node *quals,
                      ast_node *inner);
ast_node *ast_array(ast_unit *u, ast_node *inner, ast_node *suffix);
ast_node *ast_array_suffix(ast_unit *u, uint32_t l, ast_node *quals,
                           uint32_t mark, ast_node *size, uint32_t r);
ast_node *ast_params(ast_unit *u, ast_list l, uint32_t ellipsis);
ast_node *ast_old_params(ast_unit *u, ast_list l);
ast_node *ast_func_declarator(ast_unit *u, ast_node *inner, uint32_t l,
                              ast_node *params, uint32_t r);
ast_node *ast_init_decl_set(ast_unit *u, ast_node *d, ast_node *init);
ast_node *ast_init_list(ast_unit *u, uint32_t l, ast_list items, uint32_t r);
ast_node *ast_init_item(ast_unit *u, ast_list desig, ast_node *init);
ast_node *ast_expr_stmt(ast_unit *u, ast_node *e, uint32_t semi);
ast_node *ast_go_call(ast_unit *u, uint32_t kw, ast_node *e, uint32_t semi);
ast_node *ast_select_recv(ast_unit *u, uint32_t kw, ast_node *e,
                          uint32_t colon);
ast_node *ast_select_case(ast_unit *u, uint32_t kw, int kind, ast_node *a,
                          ast_node *b, uint32_t colon);
ast_node *ast_select_decl(ast_unit *u, uint32_t kw, ast_node *decl,
                          ast_node *e, uint32_t colon);


#endif /* GOC_AST_H */
