/*
 * parser.y - the goc grammar (lemon): C11, the GNU extensions that real
 * headers and common macros produce, and the goc syntax of docs/language.md.
 * This file is the source of truth; build/compiler/gen/parser.[ch] are
 * generated from it.  It must stay free of conflicts (lemon refuses them).
 *
 * Identifiers arrive as two tokens: NAME, then TYPE or VARIABLE.  The
 * driver (compiler/parse.c) decides the second one only after NAME has
 * been pushed, i.e. after every reduction that NAME as lookahead triggers
 * (declarators declaring names, scopes closing).  This is Jourdan and
 * Pottier's answer to lemon reducing only when the next token arrives.
 *
 * Attributes, __extension__ and nullability qualifiers never reach the
 * parser (they are trivia, emitted verbatim); an asm statement or asm label
 * arrives as one ASM token covering its parentheses.
 *
 * Every action is a single call into a builder (compiler/ast.c for plain
 * nodes, compiler/parse.c for anything that touches scopes).
 */
%include {
#include <assert.h>
#include <stdlib.h>
#include "parse.h"
}

%name GocParse
%token_prefix TK_
%token_type {uint32_t}
%default_type {ast_node *}
%extra_context {ps_ctx *ctx}
%stack_size 20000
%start_symbol unit

%syntax_error { ps_syntax_error(ctx, yymajor, yyminor); }
%stack_overflow { ps_stack_overflow(ctx); }
%parse_failure { ps_parse_failure(ctx); }

/* Token codes the lexer produces; the order fixes their numbers. */
%token NAME TYPE VARIABLE NUMBER CHARCONST STRING.
%token AUTO BREAK CASE CHAR CONST CONTINUE DEFAULT DO DOUBLE ELSE ENUM EXTERN.
%token FLOAT FOR GOTO IF INLINE INT LONG REGISTER RESTRICT RETURN SHORT.
%token SIGNED SIZEOF STATIC STRUCT SWITCH TYPEDEF UNION UNSIGNED VOID.
%token VOLATILE WHILE ALIGNAS ALIGNOF ATOMIC ATOMIC_SPEC BOOL COMPLEX.
%token GENERIC NORETURN STATIC_ASSERT THREAD_LOCAL ASM TYPEOF AUTO_TYPE.
%token INT128 REAL IMAG LOCAL_LABEL VA_ARG OFFSETOF TYPES_COMPATIBLE.
%token LPAREN RPAREN LBRACKET RBRACKET LBRACE RBRACE DOT ARROW INC DEC.
%token AMP STAR PLUS MINUS TILDE NOT SLASH PERCENT SHL SHR LT GT LE GE EQ.
%token NE CARET PIPE ANDAND OROR QUESTION COLON SEMI ELLIPSIS ASSIGN.
%token MULASSIGN DIVASSIGN MODASSIGN ADDASSIGN SUBASSIGN SHLASSIGN.
%token SHRASSIGN ANDASSIGN XORASSIGN ORASSIGN COMMA.
%token GO CHAN MAKE SELECT SEND RECV EXTENSION FLOATN BIT_CAST CONVERT_VECTOR.
%token IMPLICIT_INT.

/* Precedence, declared once: the dangling else, the binary operators
 * (lowest first), and typedef names in a parameter's "( T )", which C
 * reads as a type (C11 6.7.6.3p11). */
%nonassoc LOWER_THAN_ELSE.
%nonassoc ELSE.
%left OROR.
%left ANDAND.
%left PIPE.
%left CARET.
%left AMP.
%left EQ NE.
%left LT GT LE GE.
%left SHL SHR.
%left PLUS MINUS.
%left STAR SLASH PERCENT.
%nonassoc TDNAME_AS_IDENT.
%nonassoc TDNAME_AS_TYPE.

%type typedef_name {uint32_t}
%type var_name {uint32_t}
%type general_identifier {uint32_t}
%type struct_or_union {uint32_t}
%type assign_op {uint32_t}
%type unary_op {uint32_t}
%type lbrace {uint32_t}
%type for_open {uint32_t}
%type params_open {uint32_t}
%type sel_case_open {uint32_t}
%type ext_decls {ast_list}
%type block_items {ast_list}
%type sel_block_items {ast_list}
%type select_cases {ast_list}
%type init_declarator_list {ast_list}
%type struct_decl_list {ast_list}
%type struct_declarator_list {ast_list}
%type enumerator_list {ast_list}
%type param_list {ast_list}
%type ident_list {ast_list}
%type argument_list {ast_list}
%type initializer_list {ast_list}
%type designator_list {ast_list}
%type generic_assoc_list {ast_list}
%type offsetof_member {ast_list}
%type label_list {ast_list}
%type kr_decls {ast_list}

/* ---- identifiers ---- */
typedef_name(A) ::= NAME(N) TYPE. { A = N; }
var_name(A) ::= NAME(N) VARIABLE. { A = N; }
general_identifier(A) ::= typedef_name(N). [TDNAME_AS_IDENT] { A = N; }
general_identifier(A) ::= var_name(N). { A = N; }

/* ---- translation unit ---- */
unit ::= ext_decls(L). { ps_unit(ctx, L); }
ext_decls(A) ::= . { A = ast_list_empty(); }
ext_decls(A) ::= ext_decls(L) ext_decl(D). { A = ast_list_add(L, D); }
ext_decl(A) ::= function_definition(D). { A = D; }
ext_decl(A) ::= declaration(D). { A = D; }
ext_decl(A) ::= ASM(T) SEMI(S). { A = ast_mk(ctx->u, AST_ASM, T, S, 0, 0, 0, 0); }
ext_decl(A) ::= SEMI(S). { A = ast_mk(ctx->u, AST_EMPTY, S, S, 0, 0, 0, 0); }

function_definition(A) ::= fundef_head(H) compound_statement(B).
    { A = ps_fundef_end(ctx, H, B); }
fundef_head(A) ::= decl_specs_ctx(S) declarator(D).
    { A = ps_fundef_begin(ctx, S, D, ast_list_empty()); }
fundef_head(A) ::= decl_specs_ctx(S) declarator(D) kr_decls(L).
    { A = ps_fundef_begin(ctx, S, D, L); }
/* Old-style definitions: "int f(a, b) int a; char *b; { ... }". */
kr_decls(A) ::= declaration(D). { A = ast_list_one(D); }
kr_decls(A) ::= kr_decls(L) declaration(D). { A = ast_list_add(L, D); }

/* ---- declarations ---- */
declaration(A) ::= decl_specs_ctx(S) SEMI(T).
    { A = ps_decl_end(ctx, S, ast_list_empty(), T); }
declaration(A) ::= decl_specs_ctx(S) init_declarator_list(L) SEMI(T).
    { A = ps_decl_end(ctx, S, L, T); }
declaration(A) ::= static_assert_decl(D). { A = D; }

decl_specs_ctx(A) ::= declaration_specifiers(S). { A = ps_decl_begin(ctx, S); }

static_assert_decl(A) ::= STATIC_ASSERT(K) LPAREN constant_expression(E) COMMA
    string_lits(M) RPAREN SEMI(T).
    { A = ast_mk(ctx->u, AST_STATIC_ASSERT, K, T, E, M, 0, 0); }
static_assert_decl(A) ::= STATIC_ASSERT(K) LPAREN constant_expression(E)
    RPAREN SEMI(T).
    { A = ast_mk(ctx->u, AST_STATIC_ASSERT, K, T, E, 0, 0, 0); }

init_declarator_list(A) ::= init_declarator(D). { A = ast_list_one(D); }
init_declarator_list(A) ::= init_declarator_list(L) COMMA init_declarator(D).
    { A = ast_list_add(L, D); }
init_declarator(A) ::= decl_head(D). { A = D; }
init_declarator(A) ::= decl_head(D) ASSIGN initializer(I).
    { A = ast_init_decl_set(ctx->u, D, I); }
decl_head(A) ::= declarator(D). { A = ps_declare(ctx, D, 0); }
decl_head(A) ::= declarator(D) ASM(L). { A = ps_declare(ctx, D, L); }

/* Exactly one "unique" type specifier (void, struct, a typedef name...) or
 * one or more "non-unique" ones (unsigned long int...), mixed with any
 * number of other specifiers.  After a type specifier, NAME TYPE is the
 * declared name, not another type: "T T;" declares a variable T. */
declaration_specifiers(A) ::= ds_unique(S). { A = S; }
declaration_specifiers(A) ::= ds_nonunique(S). { A = S; }
ds_none(A) ::= decl_spec_other(S). { A = S; }
ds_none(A) ::= ds_none(S) decl_spec_other(X). { A = ast_specs_merge(ctx->u, S, X); }
ds_unique(A) ::= type_spec_unique(X). { A = ast_specs_merge(ctx->u, 0, X); }
ds_unique(A) ::= ds_none(S) type_spec_unique(X). { A = ast_specs_merge(ctx->u, S, X); }
ds_unique(A) ::= ds_unique(S) decl_spec_other(X). { A = ast_specs_merge(ctx->u, S, X); }
ds_nonunique(A) ::= type_spec_nonunique(X). { A = ast_specs_merge(ctx->u, 0, X); }
ds_nonunique(A) ::= ds_none(S) type_spec_nonunique(X). { A = ast_specs_merge(ctx->u, S, X); }
ds_nonunique(A) ::= ds_nonunique(S) type_spec_nonunique(X). { A = ast_specs_merge(ctx->u, S, X); }
ds_nonunique(A) ::= ds_nonunique(S) decl_spec_other(X). { A = ast_specs_merge(ctx->u, S, X); }

decl_spec_other(A) ::= TYPEDEF(T). { A = ast_spec_tok(ctx->u, T); }
decl_spec_other(A) ::= EXTERN(T). { A = ast_spec_tok(ctx->u, T); }
decl_spec_other(A) ::= STATIC(T). { A = ast_spec_tok(ctx->u, T); }
decl_spec_other(A) ::= AUTO(T). { A = ast_spec_tok(ctx->u, T); }
decl_spec_other(A) ::= REGISTER(T). { A = ast_spec_tok(ctx->u, T); }
decl_spec_other(A) ::= THREAD_LOCAL(T). { A = ast_spec_tok(ctx->u, T); }
decl_spec_other(A) ::= INLINE(T). { A = ast_spec_tok(ctx->u, T); }
decl_spec_other(A) ::= NORETURN(T). { A = ast_spec_tok(ctx->u, T); }
decl_spec_other(A) ::= type_qualifier(Q). { A = Q; }
decl_spec_other(A) ::= ALIGNAS(K) LPAREN type_name(T) RPAREN(R).
    { A = ast_spec_node(ctx->u, ast_mk(ctx->u, AST_ALIGNAS, K, R, 0, T, 0, 0)); }
decl_spec_other(A) ::= ALIGNAS(K) LPAREN constant_expression(E) RPAREN(R).
    { A = ast_spec_node(ctx->u, ast_mk(ctx->u, AST_ALIGNAS, K, R, E, 0, 0, 0)); }

type_qualifier(A) ::= CONST(T). { A = ast_spec_tok(ctx->u, T); }
type_qualifier(A) ::= VOLATILE(T). { A = ast_spec_tok(ctx->u, T); }
type_qualifier(A) ::= RESTRICT(T). { A = ast_spec_tok(ctx->u, T); }
type_qualifier(A) ::= ATOMIC(T). { A = ast_spec_tok(ctx->u, T); }
type_qualifier_list(A) ::= type_qualifier(Q). { A = Q; }
type_qualifier_list(A) ::= type_qualifier_list(S) type_qualifier(Q).
    { A = ast_specs_merge(ctx->u, S, Q); }

type_spec_nonunique(A) ::= CHAR(T). { A = ast_spec_tok(ctx->u, T); }
type_spec_nonunique(A) ::= SHORT(T). { A = ast_spec_tok(ctx->u, T); }
type_spec_nonunique(A) ::= INT(T). { A = ast_spec_tok(ctx->u, T); }
type_spec_nonunique(A) ::= LONG(T). { A = ast_spec_tok(ctx->u, T); }
type_spec_nonunique(A) ::= FLOAT(T). { A = ast_spec_tok(ctx->u, T); }
type_spec_nonunique(A) ::= DOUBLE(T). { A = ast_spec_tok(ctx->u, T); }
type_spec_nonunique(A) ::= SIGNED(T). { A = ast_spec_tok(ctx->u, T); }
type_spec_nonunique(A) ::= UNSIGNED(T). { A = ast_spec_tok(ctx->u, T); }
type_spec_nonunique(A) ::= COMPLEX(T). { A = ast_spec_tok(ctx->u, T); }
type_spec_nonunique(A) ::= INT128(T). { A = ast_spec_tok(ctx->u, T); }
type_spec_nonunique(A) ::= FLOATN(T). { A = ast_spec_tok(ctx->u, T); }
/* C89 implicit int ("static counter;", "f(x) { ... }"): no token of the
 * text; compiler/parse.c pushes it before the declared name. */
type_spec_nonunique(A) ::= IMPLICIT_INT(T). { A = ast_spec_implicit_int(ctx->u, T); }

type_spec_unique(A) ::= VOID(T). { A = ast_spec_tok(ctx->u, T); }
type_spec_unique(A) ::= BOOL(T). { A = ast_spec_tok(ctx->u, T); }
type_spec_unique(A) ::= AUTO_TYPE(T). { A = ast_spec_tok(ctx->u, T); }
type_spec_unique(A) ::= typedef_name(N). [TDNAME_AS_TYPE]
    { A = ast_spec_node(ctx->u, ast_mk(ctx->u, AST_TS_TYPEDEF, N, N, 0, 0, 0, 0)); }
type_spec_unique(A) ::= struct_or_union_spec(S). { A = ast_spec_node(ctx->u, S); }
type_spec_unique(A) ::= enum_spec(S). { A = ast_spec_node(ctx->u, S); }
type_spec_unique(A) ::= TYPEOF(K) LPAREN expression(E) RPAREN(R).
    { A = ast_spec_node(ctx->u, ast_mk(ctx->u, AST_TS_TYPEOF, K, R, E, 0, 0, 0)); }
type_spec_unique(A) ::= TYPEOF(K) LPAREN type_name(T) RPAREN(R).
    { A = ast_spec_node(ctx->u, ast_mk(ctx->u, AST_TS_TYPEOF, K, R, 0, T, 0, 0)); }
type_spec_unique(A) ::= ATOMIC_SPEC(K) LPAREN type_name(T) RPAREN(R).
    { A = ast_spec_node(ctx->u, ast_mk(ctx->u, AST_TS_ATOMIC, K, R, T, 0, 0, 0)); }
type_spec_unique(A) ::= CHAN(K) LPAREN type_name(T) RPAREN(R).
    { A = ast_spec_node(ctx->u, ast_mk(ctx->u, AST_TS_CHAN, K, R, T, 0, 0, 0)); }

struct_or_union(A) ::= STRUCT(T). { A = T; }
struct_or_union(A) ::= UNION(T). { A = T; }
struct_or_union_spec(A) ::= struct_or_union(K) LBRACE struct_decl_list(L) RBRACE(R).
    { A = ast_struct(ctx->u, K, 0, L, R); }
struct_or_union_spec(A) ::= struct_or_union(K) LBRACE RBRACE(R).
    { A = ast_struct(ctx->u, K, 0, ast_list_empty(), R); }
struct_or_union_spec(A) ::= struct_or_union(K) general_identifier(N) LBRACE
    struct_decl_list(L) RBRACE(R).
    { A = ast_struct(ctx->u, K, N, L, R); }
struct_or_union_spec(A) ::= struct_or_union(K) general_identifier(N) LBRACE RBRACE(R).
    { A = ast_struct(ctx->u, K, N, ast_list_empty(), R); }
struct_or_union_spec(A) ::= struct_or_union(K) general_identifier(N).
    { A = ast_struct(ctx->u, K, N, ast_list_empty(), 0); }

struct_decl_list(A) ::= struct_decl(D). { A = ast_list_one(D); }
struct_decl_list(A) ::= struct_decl_list(L) struct_decl(D). { A = ast_list_add(L, D); }
struct_decl(A) ::= declaration_specifiers(S) SEMI(T).
    { A = ast_member_decl(ctx->u, S, ast_list_empty(), T); }
struct_decl(A) ::= declaration_specifiers(S) struct_declarator_list(L) SEMI(T).
    { A = ast_member_decl(ctx->u, S, L, T); }
struct_decl(A) ::= static_assert_decl(D). { A = D; }
struct_decl(A) ::= SEMI(T). { A = ast_mk(ctx->u, AST_EMPTY, T, T, 0, 0, 0, 0); }
struct_declarator_list(A) ::= struct_declarator(D). { A = ast_list_one(D); }
struct_declarator_list(A) ::= struct_declarator_list(L) COMMA struct_declarator(D).
    { A = ast_list_add(L, D); }
struct_declarator(A) ::= declarator(D).
    { A = ast_mk(ctx->u, AST_INIT_DECL, 0, 0, D, 0, 0, 0); }
struct_declarator(A) ::= declarator(D) COLON constant_expression(W).
    { A = ast_mk(ctx->u, AST_INIT_DECL, 0, 0, D, 0, W, 0); }
struct_declarator(A) ::= COLON(C) constant_expression(W).
    { A = ast_mk(ctx->u, AST_INIT_DECL, C, 0, 0, 0, W, 0); }

enum_spec(A) ::= ENUM(K) LBRACE enumerator_list(L) RBRACE(R).
    { A = ast_enum(ctx->u, K, 0, L, R); }
enum_spec(A) ::= ENUM(K) LBRACE enumerator_list(L) COMMA RBRACE(R).
    { A = ast_enum(ctx->u, K, 0, L, R); }
enum_spec(A) ::= ENUM(K) general_identifier(N) LBRACE enumerator_list(L) RBRACE(R).
    { A = ast_enum(ctx->u, K, N, L, R); }
enum_spec(A) ::= ENUM(K) general_identifier(N) LBRACE enumerator_list(L) COMMA
    RBRACE(R).
    { A = ast_enum(ctx->u, K, N, L, R); }
enum_spec(A) ::= ENUM(K) general_identifier(N).
    { A = ast_enum(ctx->u, K, N, ast_list_empty(), 0); }
enumerator_list(A) ::= enumerator(E). { A = ast_list_one(E); }
enumerator_list(A) ::= enumerator_list(L) COMMA enumerator(E). { A = ast_list_add(L, E); }
enumerator(A) ::= enum_const(E). { A = E; }
enumerator(A) ::= enum_const(E) ASSIGN constant_expression(V).
    { A = ast_enumerator_value(ctx->u, E, V); }
enum_const(A) ::= general_identifier(N). { A = ps_enumerator(ctx, N); }

/* ---- declarators ---- */
declarator(A) ::= STAR(S) declarator(D).
    { A = ast_mk(ctx->u, AST_D_POINTER, S, 0, D, 0, 0, 0); }
declarator(A) ::= STAR(S) type_qualifier_list(Q) declarator(D).
    { A = ast_pointer(ctx->u, S, Q, D); }
declarator(A) ::= direct_declarator(D). { A = D; }
direct_declarator(A) ::= general_identifier(N).
    { A = ast_mk(ctx->u, AST_D_IDENT, N, N, 0, 0, 0, 0); }
direct_declarator(A) ::= LPAREN(L) declarator(D) RPAREN(R).
    { A = ast_mk(ctx->u, AST_D_PAREN, L, R, D, 0, 0, 0); }
direct_declarator(A) ::= direct_declarator(D) array_suffix(S).
    { A = ast_array(ctx->u, D, S); }
direct_declarator(A) ::= direct_declarator(D) params_open(L) param_type_list(P) RPAREN(R).
    { A = ps_func_declarator(ctx, D, L, P, R); }

array_suffix(A) ::= LBRACKET(L) RBRACKET(R).
    { A = ast_mk(ctx->u, AST_D_ARRAY, L, R, 0, 0, 0, 0); }
array_suffix(A) ::= LBRACKET(L) assignment_expression(E) RBRACKET(R).
    { A = ast_mk(ctx->u, AST_D_ARRAY, L, R, 0, E, 0, 0); }
array_suffix(A) ::= LBRACKET(L) type_qualifier_list(Q) RBRACKET(R).
    { A = ast_array_suffix(ctx->u, L, Q, 0, 0, R); }
array_suffix(A) ::= LBRACKET(L) type_qualifier_list(Q) assignment_expression(E) RBRACKET(R).
    { A = ast_array_suffix(ctx->u, L, Q, 0, E, R); }
array_suffix(A) ::= LBRACKET(L) STATIC(S) assignment_expression(E) RBRACKET(R).
    { A = ast_array_suffix(ctx->u, L, 0, S, E, R); }
array_suffix(A) ::= LBRACKET(L) STATIC(S) type_qualifier_list(Q) assignment_expression(E)
    RBRACKET(R).
    { A = ast_array_suffix(ctx->u, L, Q, S, E, R); }
array_suffix(A) ::= LBRACKET(L) type_qualifier_list(Q) STATIC(S) assignment_expression(E)
    RBRACKET(R).
    { A = ast_array_suffix(ctx->u, L, Q, S, E, R); }
array_suffix(A) ::= LBRACKET(L) STAR(S) RBRACKET(R).
    { A = ast_array_suffix(ctx->u, L, 0, S, 0, R); }
array_suffix(A) ::= LBRACKET(L) type_qualifier_list(Q) STAR(S) RBRACKET(R).
    { A = ast_array_suffix(ctx->u, L, Q, S, 0, R); }

params_open(A) ::= LPAREN(L). { A = ps_params_open(ctx, L); }
param_type_list(A) ::= . { A = 0; }
param_type_list(A) ::= param_list(L). { A = ast_params(ctx->u, L, 0); }
param_type_list(A) ::= param_list(L) COMMA ELLIPSIS(E). { A = ast_params(ctx->u, L, E); }
param_type_list(A) ::= ELLIPSIS(E). { A = ast_params(ctx->u, ast_list_empty(), E); }
param_type_list(A) ::= ident_list(L). { A = ast_old_params(ctx->u, L); }
abs_param_type_list(A) ::= . { A = 0; }
abs_param_type_list(A) ::= param_list(L). { A = ast_params(ctx->u, L, 0); }
abs_param_type_list(A) ::= ELLIPSIS(E). { A = ast_params(ctx->u, ast_list_empty(), E); }
abs_param_type_list(A) ::= param_list(L) COMMA ELLIPSIS(E). { A = ast_params(ctx->u, L, E); }
param_list(A) ::= parameter_declaration(P). { A = ast_list_one(P); }
param_list(A) ::= param_list(L) COMMA parameter_declaration(P). { A = ast_list_add(L, P); }
parameter_declaration(A) ::= declaration_specifiers(S) declarator(D).
    { A = ps_param(ctx, S, D); }
parameter_declaration(A) ::= declaration_specifiers(S).
    { A = ast_mk(ctx->u, AST_PARAM, 0, 0, S, 0, 0, 0); }
parameter_declaration(A) ::= declaration_specifiers(S) abstract_declarator(D).
    { A = ast_mk(ctx->u, AST_PARAM, 0, 0, S, D, 0, 0); }
ident_list(A) ::= var_name(N).
    { A = ast_list_one(ast_mk(ctx->u, AST_D_IDENT, N, N, 0, 0, 0, 0)); }
ident_list(A) ::= ident_list(L) COMMA var_name(N).
    { A = ast_list_add(L, ast_mk(ctx->u, AST_D_IDENT, N, N, 0, 0, 0, 0)); }

type_name(A) ::= declaration_specifiers(S).
    { A = ast_mk(ctx->u, AST_TYPENAME, 0, 0, S, 0, 0, 0); }
type_name(A) ::= declaration_specifiers(S) abstract_declarator(D).
    { A = ast_mk(ctx->u, AST_TYPENAME, 0, 0, S, D, 0, 0); }

abstract_declarator(A) ::= STAR(S).
    { A = ast_mk(ctx->u, AST_D_POINTER, S, S, 0, 0, 0, 0); }
abstract_declarator(A) ::= STAR(S) type_qualifier_list(Q).
    { A = ast_pointer(ctx->u, S, Q, 0); }
abstract_declarator(A) ::= STAR(S) abstract_declarator(D).
    { A = ast_mk(ctx->u, AST_D_POINTER, S, 0, D, 0, 0, 0); }
abstract_declarator(A) ::= STAR(S) type_qualifier_list(Q) abstract_declarator(D).
    { A = ast_pointer(ctx->u, S, Q, D); }
abstract_declarator(A) ::= direct_abstract_declarator(D). { A = D; }
direct_abstract_declarator(A) ::= LPAREN(L) abstract_declarator(D) RPAREN(R).
    { A = ast_mk(ctx->u, AST_D_PAREN, L, R, D, 0, 0, 0); }
direct_abstract_declarator(A) ::= array_suffix(S). { A = ast_array(ctx->u, 0, S); }
direct_abstract_declarator(A) ::= direct_abstract_declarator(D) array_suffix(S).
    { A = ast_array(ctx->u, D, S); }
direct_abstract_declarator(A) ::= LPAREN(L) abs_param_type_list(P) RPAREN(R).
    { A = ast_func_declarator(ctx->u, 0, L, P, R); }
direct_abstract_declarator(A) ::= direct_abstract_declarator(D) LPAREN(L)
    abs_param_type_list(P) RPAREN(R).
    { A = ast_func_declarator(ctx->u, D, L, P, R); }

/* ---- initializers ---- */
initializer(A) ::= assignment_expression(E). { A = E; }
initializer(A) ::= brace_initializer(I). { A = I; }
brace_initializer(A) ::= LBRACE(L) initializer_list(I) RBRACE(R).
    { A = ast_init_list(ctx->u, L, I, R); }
brace_initializer(A) ::= LBRACE(L) initializer_list(I) COMMA RBRACE(R).
    { A = ast_init_list(ctx->u, L, I, R); }
brace_initializer(A) ::= LBRACE(L) RBRACE(R).
    { A = ast_init_list(ctx->u, L, ast_list_empty(), R); }
initializer_list(A) ::= init_item(I). { A = ast_list_one(I); }
initializer_list(A) ::= initializer_list(L) COMMA init_item(I). { A = ast_list_add(L, I); }
init_item(A) ::= initializer(I).
    { A = ast_mk(ctx->u, AST_INIT_ITEM, 0, 0, 0, I, 0, 0); }
init_item(A) ::= designator_list(D) ASSIGN initializer(I).
    { A = ast_init_item(ctx->u, D, I); }
init_item(A) ::= general_identifier(N) COLON initializer(I).
    { A = ast_init_item(ctx->u, ast_list_one(ast_mk(ctx->u, AST_DESIG_FIELD, N, N, 0, 0, 0, 0)), I); }
designator_list(A) ::= designator(D). { A = ast_list_one(D); }
designator_list(A) ::= designator_list(L) designator(D). { A = ast_list_add(L, D); }
designator(A) ::= LBRACKET(L) constant_expression(E) RBRACKET(R).
    { A = ast_mk(ctx->u, AST_DESIG_INDEX, L, R, E, 0, 0, 0); }
designator(A) ::= LBRACKET(L) constant_expression(E) ELLIPSIS constant_expression(F)
    RBRACKET(R).
    { A = ast_mk(ctx->u, AST_DESIG_INDEX, L, R, E, F, 0, 0); }
designator(A) ::= DOT(D) general_identifier(N).
    { A = ast_mk(ctx->u, AST_DESIG_FIELD, D, N, 0, 0, 0, 0); }

/* ---- expressions ---- */
primary_expression(A) ::= var_name(N).
    { A = ast_mk(ctx->u, AST_IDENT, N, N, 0, 0, 0, 0); }
primary_expression(A) ::= NUMBER(T). { A = ast_number(ctx->u, T); }
primary_expression(A) ::= CHARCONST(T).
    { A = ast_mk(ctx->u, AST_CHAR_LIT, T, T, 0, 0, 0, 0); }
primary_expression(A) ::= string_lits(S). { A = S; }
primary_expression(A) ::= LPAREN(L) expression(E) RPAREN(R).
    { A = ast_paren(ctx->u, L, E, R); }
primary_expression(A) ::= LPAREN(L) compound_statement(B) RPAREN(R).
    { A = ast_mk(ctx->u, AST_STMT_EXPR, L, R, B, 0, 0, 0); }
primary_expression(A) ::= GENERIC(K) LPAREN assignment_expression(E) COMMA
    generic_assoc_list(L) RPAREN(R).
    { A = ast_mk(ctx->u, AST_GENERIC, K, R, E, L.head, 0, 0); }
primary_expression(A) ::= VA_ARG(K) LPAREN assignment_expression(E) COMMA
    type_name(T) RPAREN(R).
    { A = ast_mk(ctx->u, AST_VA_ARG, K, R, E, T, 0, 0); }
primary_expression(A) ::= OFFSETOF(K) LPAREN type_name(T) COMMA offsetof_member(M)
    RPAREN(R).
    { A = ast_mk(ctx->u, AST_OFFSETOF, K, R, T, M.head, 0, 0); }
primary_expression(A) ::= TYPES_COMPATIBLE(K) LPAREN type_name(T) COMMA
    type_name(U) RPAREN(R).
    { A = ast_mk(ctx->u, AST_TYPES_COMPATIBLE, K, R, T, U, 0, 0); }
primary_expression(A) ::= BIT_CAST(K) LPAREN type_name(T) COMMA
    assignment_expression(E) RPAREN(R).
    { A = ast_mk(ctx->u, AST_BIT_CAST, K, R, T, E, 0, 0); }
primary_expression(A) ::= CONVERT_VECTOR(K) LPAREN assignment_expression(E) COMMA
    type_name(T) RPAREN(R).
    { A = ast_mk(ctx->u, AST_CONVERT_VECTOR, K, R, E, T, 0, 0); }
primary_expression(A) ::= MAKE(K) LPAREN CHAN LPAREN type_name(T) RPAREN RPAREN(R).
    { A = ast_mk(ctx->u, AST_MAKE_CHAN, K, R, T, 0, 0, 0); }
primary_expression(A) ::= MAKE(K) LPAREN CHAN LPAREN type_name(T) RPAREN COMMA
    assignment_expression(E) RPAREN(R).
    { A = ast_mk(ctx->u, AST_MAKE_CHAN, K, R, T, E, 0, 0); }

string_lits(A) ::= STRING(T). { A = ast_mk(ctx->u, AST_STRING_LIT, T, T, 0, 0, 0, 0); }
string_lits(A) ::= string_lits(S) STRING(T). { A = ast_extend(S, T); }

generic_assoc_list(A) ::= generic_assoc(G). { A = ast_list_one(G); }
generic_assoc_list(A) ::= generic_assoc_list(L) COMMA generic_assoc(G).
    { A = ast_list_add(L, G); }
generic_assoc(A) ::= type_name(T) COLON assignment_expression(E).
    { A = ast_mk(ctx->u, AST_GENERIC_ASSOC, 0, 0, T, E, 0, 0); }
generic_assoc(A) ::= DEFAULT(D) COLON assignment_expression(E).
    { A = ast_mk(ctx->u, AST_GENERIC_ASSOC, D, 0, 0, E, 0, 0); }

offsetof_member(A) ::= general_identifier(N).
    { A = ast_list_one(ast_mk(ctx->u, AST_DESIG_FIELD, N, N, 0, 0, 0, 0)); }
offsetof_member(A) ::= offsetof_member(L) DOT(D) general_identifier(N).
    { A = ast_list_add(L, ast_mk(ctx->u, AST_DESIG_FIELD, D, N, 0, 0, 0, 0)); }
offsetof_member(A) ::= offsetof_member(L) LBRACKET(B) expression(E) RBRACKET(R).
    { A = ast_list_add(L, ast_mk(ctx->u, AST_DESIG_INDEX, B, R, E, 0, 0, 0)); }

postfix_expression(A) ::= primary_expression(E). { A = E; }
postfix_expression(A) ::= postfix_expression(E) LBRACKET expression(I) RBRACKET(R).
    { A = ast_mk(ctx->u, AST_INDEX, 0, R, E, I, 0, 0); }
postfix_expression(A) ::= postfix_expression(E) LPAREN RPAREN(R).
    { A = ast_mk(ctx->u, AST_CALL, 0, R, E, 0, 0, 0); }
postfix_expression(A) ::= postfix_expression(E) LPAREN argument_list(L) RPAREN(R).
    { A = ast_mk(ctx->u, AST_CALL, 0, R, E, L.head, 0, 0); }
postfix_expression(A) ::= postfix_expression(E) DOT(O) general_identifier(N).
    { A = ast_member(ctx->u, E, O, N); }
postfix_expression(A) ::= postfix_expression(E) ARROW(O) general_identifier(N).
    { A = ast_member(ctx->u, E, O, N); }
postfix_expression(A) ::= postfix_expression(E) INC(O).
    { A = ast_op(ctx->u, AST_POSTFIX, O, 0, O, E, 0); }
postfix_expression(A) ::= postfix_expression(E) DEC(O).
    { A = ast_op(ctx->u, AST_POSTFIX, O, 0, O, E, 0); }
postfix_expression(A) ::= LPAREN(L) type_name(T) RPAREN brace_initializer(I).
    { A = ast_compound_literal(ctx->u, L, T, I); }

argument_list(A) ::= assignment_expression(E). { A = ast_list_one(E); }
argument_list(A) ::= argument_list(L) COMMA assignment_expression(E). { A = ast_list_add(L, E); }

unary_expression(A) ::= postfix_expression(E). { A = E; }
unary_expression(A) ::= INC(O) unary_expression(E). { A = ast_op(ctx->u, AST_UNARY, O, O, 0, E, 0); }
unary_expression(A) ::= DEC(O) unary_expression(E). { A = ast_op(ctx->u, AST_UNARY, O, O, 0, E, 0); }
unary_expression(A) ::= unary_op(O) cast_expression(E). { A = ast_op(ctx->u, AST_UNARY, O, O, 0, E, 0); }
unary_expression(A) ::= SIZEOF(K) unary_expression(E).
    { A = ast_op(ctx->u, AST_SIZEOF, K, K, 0, E, 0); }
unary_expression(A) ::= SIZEOF(K) LPAREN type_name(T) RPAREN(R).
    { A = ast_op(ctx->u, AST_SIZEOF, K, K, R, 0, T); }
unary_expression(A) ::= ALIGNOF(K) unary_expression(E).
    { A = ast_op(ctx->u, AST_SIZEOF, K, K, 0, E, 0); }
unary_expression(A) ::= ALIGNOF(K) LPAREN type_name(T) RPAREN(R).
    { A = ast_op(ctx->u, AST_SIZEOF, K, K, R, 0, T); }
unary_expression(A) ::= ANDAND(O) general_identifier(N).
    { A = ast_mk(ctx->u, AST_LABEL_ADDR, O, N, 0, 0, 0, 0); }
unary_expression(A) ::= RECV(O) cast_expression(E).
    { A = ast_mk(ctx->u, AST_RECV, O, 0, E, 0, 0, 0); }
unary_op(A) ::= AMP(T). { A = T; }
unary_op(A) ::= STAR(T). { A = T; }
unary_op(A) ::= PLUS(T). { A = T; }
unary_op(A) ::= MINUS(T). { A = T; }
unary_op(A) ::= TILDE(T). { A = T; }
unary_op(A) ::= NOT(T). { A = T; }
unary_op(A) ::= REAL(T). { A = T; }
unary_op(A) ::= IMAG(T). { A = T; }

cast_expression(A) ::= unary_expression(E). { A = E; }
cast_expression(A) ::= LPAREN(L) type_name(T) RPAREN cast_expression(E).
    { A = ast_mk(ctx->u, AST_CAST, L, 0, E, T, 0, 0); }

/* Binary operators: one nonterminal, C's precedence and associativity
 * from the %left declarations (fewer reductions than one nonterminal per
 * level, same trees). */
binary_expression(A) ::= cast_expression(E). { A = E; }
binary_expression(A) ::= binary_expression(L) OROR(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) ANDAND(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) PIPE(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) CARET(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) AMP(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) EQ(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) NE(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) LT(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) GT(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) LE(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) GE(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) SHL(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) SHR(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) PLUS(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) MINUS(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) STAR(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) SLASH(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
binary_expression(A) ::= binary_expression(L) PERCENT(O) binary_expression(R). { A = ast_binary(ctx->u, L, O, R); }
conditional_expression(A) ::= binary_expression(E). { A = E; }
conditional_expression(A) ::= binary_expression(C) QUESTION expression(T) COLON
    conditional_expression(E).
    { A = ast_mk(ctx->u, AST_COND, 0, 0, C, T, E, 0); }
conditional_expression(A) ::= binary_expression(C) QUESTION COLON conditional_expression(E).
    { A = ast_mk(ctx->u, AST_COND, 0, 0, C, 0, E, 0); }
assignment_expression(A) ::= conditional_expression(E). { A = E; }
assignment_expression(A) ::= unary_expression(L) assign_op(O) assignment_expression(R).
    { A = ast_op(ctx->u, AST_ASSIGN, O, 0, 0, L, R); }
assign_op(A) ::= ASSIGN(T). { A = T; }
assign_op(A) ::= MULASSIGN(T). { A = T; }
assign_op(A) ::= DIVASSIGN(T). { A = T; }
assign_op(A) ::= MODASSIGN(T). { A = T; }
assign_op(A) ::= ADDASSIGN(T). { A = T; }
assign_op(A) ::= SUBASSIGN(T). { A = T; }
assign_op(A) ::= SHLASSIGN(T). { A = T; }
assign_op(A) ::= SHRASSIGN(T). { A = T; }
assign_op(A) ::= ANDASSIGN(T). { A = T; }
assign_op(A) ::= XORASSIGN(T). { A = T; }
assign_op(A) ::= ORASSIGN(T). { A = T; }
expression(A) ::= assignment_expression(E). { A = E; }
expression(A) ::= expression(L) COMMA assignment_expression(R).
    { A = ast_mk(ctx->u, AST_COMMA, 0, 0, L, R, 0, 0); }
constant_expression(A) ::= conditional_expression(E). { A = E; }

/* ---- statements ---- */
statement(A) ::= stmt_nocase(S). { A = S; }
statement(A) ::= CASE(K) constant_expression(E) COLON statement(S).
    { A = ast_mk(ctx->u, AST_CASE, K, 0, E, 0, S, 0); }
statement(A) ::= CASE(K) constant_expression(E) ELLIPSIS constant_expression(F) COLON
    statement(S).
    { A = ast_mk(ctx->u, AST_CASE, K, 0, E, F, S, 0); }
statement(A) ::= DEFAULT(K) COLON statement(S).
    { A = ast_mk(ctx->u, AST_DEFAULT, K, 0, 0, 0, S, 0); }

stmt_nocase(A) ::= var_name(N) COLON statement(S).
    { A = ast_mk(ctx->u, AST_LABEL, N, 0, 0, 0, S, 0); }
/* A label may have a typedef name's spelling: labels have their own
 * name space. */
stmt_nocase(A) ::= typedef_name(N) COLON statement(S).
    { A = ast_mk(ctx->u, AST_LABEL, N, 0, 0, 0, S, 0); }
stmt_nocase(A) ::= compound_statement(S). { A = S; }
stmt_nocase(A) ::= expression(E) SEMI(T). { A = ast_expr_stmt(ctx->u, E, T); }
stmt_nocase(A) ::= SEMI(T). { A = ast_mk(ctx->u, AST_EMPTY, T, T, 0, 0, 0, 0); }
stmt_nocase(A) ::= IF(K) LPAREN expression(C) RPAREN statement(S). [LOWER_THAN_ELSE]
    { A = ast_mk(ctx->u, AST_IF, K, 0, C, S, 0, 0); }
stmt_nocase(A) ::= IF(K) LPAREN expression(C) RPAREN statement(S) ELSE statement(E).
    { A = ast_mk(ctx->u, AST_IF, K, 0, C, S, E, 0); }
stmt_nocase(A) ::= SWITCH(K) LPAREN expression(C) RPAREN statement(S).
    { A = ast_mk(ctx->u, AST_SWITCH, K, 0, C, S, 0, 0); }
stmt_nocase(A) ::= WHILE(K) LPAREN expression(C) RPAREN statement(S).
    { A = ast_mk(ctx->u, AST_WHILE, K, 0, C, S, 0, 0); }
stmt_nocase(A) ::= DO(K) statement(S) WHILE LPAREN expression(C) RPAREN SEMI(T).
    { A = ast_mk(ctx->u, AST_DO, K, T, C, S, 0, 0); }
stmt_nocase(A) ::= for_open(K) expr_opt(I) SEMI expr_opt(C) SEMI expr_opt(N) RPAREN
    statement(S).
    { A = ps_for_end(ctx, K, ast_expr_stmt(ctx->u, I, 0), C, N, S); }
stmt_nocase(A) ::= for_open(K) declaration(D) expr_opt(C) SEMI expr_opt(N) RPAREN
    statement(S).
    { A = ps_for_end(ctx, K, D, C, N, S); }
stmt_nocase(A) ::= for_open(K) range_decl(D) COLON expression(C) RPAREN statement(S).
    { A = ps_range_for_end(ctx, K, D, C, S); }
stmt_nocase(A) ::= GOTO(K) general_identifier(N) SEMI(T).
    { A = ast_goto(ctx->u, K, N, T); }
stmt_nocase(A) ::= GOTO(K) STAR expression(E) SEMI(T).
    { A = ast_mk(ctx->u, AST_GOTO, K, T, E, 0, 0, 0); }
stmt_nocase(A) ::= CONTINUE(K) SEMI(T). { A = ast_mk(ctx->u, AST_CONTINUE, K, T, 0, 0, 0, 0); }
stmt_nocase(A) ::= BREAK(K) SEMI(T). { A = ast_mk(ctx->u, AST_BREAK, K, T, 0, 0, 0, 0); }
stmt_nocase(A) ::= RETURN(K) SEMI(T). { A = ast_mk(ctx->u, AST_RETURN, K, T, 0, 0, 0, 0); }
stmt_nocase(A) ::= RETURN(K) expression(E) SEMI(T).
    { A = ast_mk(ctx->u, AST_RETURN, K, T, E, 0, 0, 0); }
stmt_nocase(A) ::= ASM(K) SEMI(T). { A = ast_mk(ctx->u, AST_ASM, K, T, 0, 0, 0, 0); }
stmt_nocase(A) ::= GO(K) expression(E) SEMI(T). { A = ast_go_call(ctx->u, K, E, T); }
stmt_nocase(A) ::= GO(K) compound_statement(B).
    { A = ast_mk(ctx->u, AST_GO_BLOCK, K, 0, B, 0, 0, 0); }
stmt_nocase(A) ::= postfix_expression(C) SEND assignment_expression(V) SEMI(T).
    { A = ast_mk(ctx->u, AST_SEND, 0, T, C, V, 0, 0); }
stmt_nocase(A) ::= SELECT(K) LBRACE RBRACE(R).
    { A = ast_mk(ctx->u, AST_SELECT, K, R, 0, 0, 0, 0); }
stmt_nocase(A) ::= SELECT(K) LBRACE select_cases(L) RBRACE(R).
    { A = ast_mk(ctx->u, AST_SELECT, K, R, L.head, 0, 0, 0); }

expr_opt(A) ::= . { A = 0; }
expr_opt(A) ::= expression(E). { A = E; }
for_open(A) ::= FOR(K) LPAREN. { A = ps_scope_open(ctx, K); }
range_decl(A) ::= decl_specs_ctx(S) declarator(D). { A = ps_local_decl(ctx, S, D); }

compound_statement(A) ::= lbrace(L) RBRACE(R).
    { A = ps_block_end(ctx, L, ast_list_empty(), R); }
compound_statement(A) ::= lbrace(L) block_items(I) RBRACE(R).
    { A = ps_block_end(ctx, L, I, R); }
/* C23: labels at the end of a block ("{ x++; L: }"); the last one labels
 * an empty statement, at its ':'.  end_rest is empty only before '}', so
 * "L: x++;" stays a labeled statement. */
compound_statement(A) ::= lbrace(L) end_label(E) RBRACE(R).
    { A = ps_block_end(ctx, L, ast_list_one(E), R); }
compound_statement(A) ::= lbrace(L) block_items(I) end_label(E) RBRACE(R).
    { A = ps_block_end(ctx, L, ast_list_add(I, E), R); }
end_rest(A) ::= . { A = 0; }
end_rest(A) ::= end_label(E). { A = E; }
end_label(A) ::= var_name(N) COLON(C) end_rest(R).
    { A = ast_end_label(ctx->u, ast_mk(ctx->u, AST_LABEL, N, C, 0, 0, 0, 0), R); }
end_label(A) ::= typedef_name(N) COLON(C) end_rest(R).
    { A = ast_end_label(ctx->u, ast_mk(ctx->u, AST_LABEL, N, C, 0, 0, 0, 0), R); }
end_label(A) ::= CASE(K) constant_expression(E) COLON(C) end_rest(R).
    { A = ast_end_label(ctx->u, ast_mk(ctx->u, AST_CASE, K, C, E, 0, 0, 0), R); }
end_label(A) ::= CASE(K) constant_expression(E) ELLIPSIS constant_expression(F)
    COLON(C) end_rest(R).
    { A = ast_end_label(ctx->u, ast_mk(ctx->u, AST_CASE, K, C, E, F, 0, 0), R); }
end_label(A) ::= DEFAULT(K) COLON(C) end_rest(R).
    { A = ast_end_label(ctx->u, ast_mk(ctx->u, AST_DEFAULT, K, C, 0, 0, 0, 0), R); }
lbrace(A) ::= LBRACE(L). { A = ps_scope_open(ctx, L); }
block_items(A) ::= block_item(I). { A = ast_list_one(I); }
block_items(A) ::= block_items(L) block_item(I). { A = ast_list_add(L, I); }
block_item(A) ::= declaration(D). { A = D; }
block_item(A) ::= nested_head(H) compound_statement(B).
    { A = ps_fundef_end(ctx, H, B); }
/* GNU nested function (without old-style parameter declarations). */
nested_head(A) ::= decl_specs_ctx(S) declarator(D).
    { A = ps_fundef_begin(ctx, S, D, ast_list_empty()); }
block_item(A) ::= statement(S). { A = S; }
/* C23: a label before a declaration. */
block_item(A) ::= var_name(N) COLON declaration(D).
    { A = ast_mk(ctx->u, AST_LABEL, N, 0, 0, 0, D, 0); }
block_item(A) ::= typedef_name(N) COLON declaration(D).
    { A = ast_mk(ctx->u, AST_LABEL, N, 0, 0, 0, D, 0); }
block_item(A) ::= CASE(K) constant_expression(E) COLON declaration(D).
    { A = ast_mk(ctx->u, AST_CASE, K, 0, E, 0, D, 0); }
block_item(A) ::= DEFAULT(K) COLON declaration(D).
    { A = ast_mk(ctx->u, AST_DEFAULT, K, 0, 0, 0, D, 0); }
block_item(A) ::= LOCAL_LABEL(K) label_list(L) SEMI(T).
    { A = ast_mk(ctx->u, AST_LOCAL_LABEL, K, T, L.head, 0, 0, 0); }
label_list(A) ::= general_identifier(N).
    { A = ast_list_one(ast_mk(ctx->u, AST_IDENT, N, N, 0, 0, 0, 0)); }
label_list(A) ::= label_list(L) COMMA general_identifier(N).
    { A = ast_list_add(L, ast_mk(ctx->u, AST_IDENT, N, N, 0, 0, 0, 0)); }

/* ---- select (goc): case bodies are statements without case labels, so
 * that the next "case" ends the body ---- */
select_cases(A) ::= select_case(C). { A = ast_list_one(C); }
select_cases(A) ::= select_cases(L) select_case(C). { A = ast_list_add(L, C); }
select_case(A) ::= sel_case_head(H). { A = ps_select_case_end(ctx, H, ast_list_empty()); }
select_case(A) ::= sel_case_head(H) sel_block_items(I). { A = ps_select_case_end(ctx, H, I); }
sel_block_items(A) ::= sel_block_item(I). { A = ast_list_one(I); }
sel_block_items(A) ::= sel_block_items(L) sel_block_item(I). { A = ast_list_add(L, I); }
sel_block_item(A) ::= declaration(D). { A = D; }
sel_block_item(A) ::= stmt_nocase(S). { A = S; }
sel_case_head(A) ::= sel_case_open(K) expression(E) COLON(C).
    { A = ast_select_recv(ctx->u, K, E, C); }
sel_case_head(A) ::= sel_case_open(K) postfix_expression(E) SEND assignment_expression(V)
    COLON(C).
    { A = ast_select_case(ctx->u, K, AST_SEL_SEND, E, V, C); }
sel_case_head(A) ::= sel_case_open(K) range_decl(D) ASSIGN expression(E) COLON(C).
    { A = ast_select_decl(ctx->u, K, D, E, C); }
sel_case_head(A) ::= sel_default_open(K) COLON(C).
    { A = ast_select_case(ctx->u, K, AST_SEL_DEFAULT, 0, 0, C); }
sel_case_open(A) ::= CASE(K). { A = ps_scope_open(ctx, K); }
sel_default_open(A) ::= DEFAULT(K). { A = ps_scope_open(ctx, K); }
%type sel_default_open {uint32_t}

%code {
/* Perform the reductions that lookahead `major` would trigger, actions
 * included, and stop before shifting it: compiler/parse.c then decides
 * what to push in the state the parser will really be in. */
void ps_parser_reduce(void *parser, int major, uint32_t minor)
{
    yyParser *p = parser;
    ps_ctx *ctx = p->ctx;
    YYACTIONTYPE act = p->yytos->stateno;
    for (;;) {
        act = yy_find_shift_action((YYCODETYPE)major, act);
        if (act < YY_MIN_REDUCE)
            return;
        unsigned r = act - YY_MIN_REDUCE;
        if (yyRuleInfoNRhs[r] == 0 && p->yytos >= p->yystackEnd)
            return; /* let the real push report the overflow */
        act = yy_reduce(p, r, major, minor, ctx);
    }
}

/* Would the parser accept token `major` in its current state?  Replays
 * the reductions it would make on a copy of the state stack; used only to
 * word a syntax error ("expected ';'"), never to parse. */
int ps_parser_accepts(void *parser, int major)
{
    yyParser *p = parser;
    int top = (int)(p->yytos - p->yystack), cap = top + 256, ok = 0;
    YYACTIONTYPE *st = malloc((size_t)cap * sizeof *st);
    if (!st)
        return 0;
    for (int i = 0; i <= top; i++)
        st[i] = p->yystack[i].stateno;
    YYACTIONTYPE act = st[top];
    for (int guard = 0; guard < 100000; guard++) {
        act = yy_find_shift_action((YYCODETYPE)major, act);
        if (act >= YY_MIN_REDUCE && act <= YY_MAX_REDUCE) {
            int r = act - YY_MIN_REDUCE;
            top += yyRuleInfoNRhs[r];
            if (top < 0 || top + 1 >= cap)
                break;
            act = yy_find_reduce_action(st[top], yyRuleInfoLhs[r]);
            st[++top] = act;
            continue;
        }
        ok = act <= YY_MAX_SHIFTREDUCE || act == YY_ACCEPT_ACTION;
        break;
    }
    free(st);
    return ok;
}
}
