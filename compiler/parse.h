/*
 * parse.h - shared by the Lemon grammar (grammar/parser.y), its driver
 * (parse.c) and the tree builders (ast.c).  Not used outside the front end.
 */
#ifndef GOC_PARSE_H
#define GOC_PARSE_H

#include <stdint.h>

#include "ast.h"
#include "frontend.h"
#include "parser.h"

/* A list under construction: O(1) append, head is the ast list. */
typedef struct ast_list {
    ast_node *head, *tail;
} ast_list;

/* One open scope: where its undo records start, and its kind. */
typedef struct ps_scope {
    uint32_t undo;
    int kind; /* PS_BLOCK, PS_PARAMS */
} ps_scope;

enum { PS_BLOCK, PS_PARAMS };

typedef struct ps_undo {
    uint32_t id;
    uint8_t old;
} ps_undo;

typedef struct ps_ctx {
    ast_unit *u;
    uint8_t *ident; /* per identifier id: 0 unknown, 1 ordinary, 2 typedef */
    ps_undo *undo;
    uint32_t nundo, capundo;
    ps_scope *scopes;
    uint32_t nscopes, capscopes;
    uint8_t *typedef_decl; /* stack: is the open declaration a typedef? */
    uint32_t ndecl, capdecl;
    ps_undo *saved; /* parameters of the last "name(params)" declarator */
    uint32_t nsaved, capsaved;
    int failed;
    uint32_t cur; /* token being pushed (for error messages) */
    void *parser; /* the Lemon parser */
    uint32_t kr_mark; /* undo log size after the last function declarator */
} ps_ctx;

/* parse.c: builders that touch scopes, and error hooks */
void ps_unit(ps_ctx *c, ast_list l);
ast_node *ps_decl_begin(ps_ctx *c, ast_node *specs);
ast_node *ps_decl_end(ps_ctx *c, ast_node *specs, ast_list l, uint32_t semi);
ast_node *ps_declare(ps_ctx *c, ast_node *d, uint32_t asm_label);
ast_node *ps_local_decl(ps_ctx *c, ast_node *specs, ast_node *d);
ast_node *ps_fundef_begin(ps_ctx *c, ast_node *specs, ast_node *d,
                          ast_list kr);
ast_node *ps_fundef_end(ps_ctx *c, ast_node *head, ast_node *body);
ast_node *ps_enumerator(ps_ctx *c, uint32_t name);
uint32_t ps_params_open(ps_ctx *c, uint32_t lparen);
ast_node *ps_func_declarator(ps_ctx *c, ast_node *d, uint32_t lparen,
                             ast_node *params, uint32_t rparen);
ast_node *ps_param(ps_ctx *c, ast_node *specs, ast_node *d);
uint32_t ps_scope_open(ps_ctx *c, uint32_t tok);
ast_node *ps_block_end(ps_ctx *c, uint32_t lbrace, ast_list l, uint32_t rbrace);
ast_node *ps_for_end(ps_ctx *c, uint32_t kw, ast_node *init, ast_node *cond,
                     ast_node *step, ast_node *body);
ast_node *ps_range_for_end(ps_ctx *c, uint32_t kw, ast_node *decl,
                           ast_node *chan, ast_node *body);
ast_node *ps_select_case_end(ps_ctx *c, ast_node *head, ast_list body);
void ps_syntax_error(ps_ctx *c, int major, uint32_t minor);
/* parser.y: would the parser accept token `major` now? */
int ps_parser_accepts(void *parser, int major);
void ps_stack_overflow(ps_ctx *c);
void ps_parse_failure(ps_ctx *c);

/* ast.c: plain builders */
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

/* translate.c: lex, parse and emit without lowering (tests and tools).
 * mode 0: write the unit back out; 1: list every identifier of the main
 * file with its reading ("3:5 T type"); 2: dump the tree. */
int fe_parse_only(const char *text, size_t len, const fe_options *opt,
                  int mode, FILE *out);

/* parse.c: parse the unit's tokens into u->root.  Returns 0 or 1. */
int ps_parse(ast_unit *u);

#endif /* GOC_PARSE_H */
