/*
 * parse.h - parse.c, the driver of the Lemon grammar (grammar/parser.y):
 * the scope-aware builders and error hooks the grammar calls, and
 * ps_parse() for frontend.c.  Not used outside the front end.
 */
#ifndef GOC_PARSE_H
#define GOC_PARSE_H

#include <stdint.h>

#include "ast.h"
#include "parser.h"

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
void ps_parser_reduce(void *parser, int major, uint32_t minor);
void ps_stack_overflow(ps_ctx *c);
void ps_parse_failure(ps_ctx *c);

/* parse.c: parse the unit's tokens into u->root.  Returns 0 or 1. */
int ps_parse(ast_unit *u);

#endif /* GOC_PARSE_H */
