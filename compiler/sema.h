/*
 * sema.h - the checking stage: scopes, symbols and the types of a goc
 * translation unit (the type model itself is types.h).
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
 * Every goc language rule is checked here, so that lowering (lower.c)
 * only rewrites: the results hang on the unit (u->sema).
 */
#ifndef GOC_SEMA_H
#define GOC_SEMA_H

#include <stddef.h>

#include "ast.h"
#include "types.h"

/* A variable that a `go { }` block names from outside it, in the order
 * of first use. */
typedef struct sema_capture {
    sema_sym *sym;
    uint32_t use_tok; /* first use inside the block */
    struct sema_capture *next;
} sema_capture;

/* What sema found, hung on the unit (u->sema) until sema_free(). */
typedef struct sema_result {
    type_store types;            /* types, tags, symbols, captures */
    struct sema_go *go;          /* per go block: what it captures */
    struct sema_pick *picks;     /* _Generic selections goc decides */
} sema_result;

/* Analyse the unit into u->sema; returns the number of errors reported. */
int sema_unit(ast_unit *u);
/* Release u->sema (types, symbols, captures). */
void sema_free(ast_unit *u);
/* What go block `blk` (AST_GO_BLOCK) captures by value, and what local
 * statics it shares (by pointer). */
sema_capture *sema_go_captures(const ast_unit *u, const ast_node *blk);
sema_capture *sema_go_statics(const ast_unit *u, const ast_node *blk);
/* For a _Generic selection (AST_GENERIC) whose associations name two or
 * more channel types: the expression it selects (C cannot tell chan(T)
 * types apart); NULL otherwise. */
const ast_node *sema_generic_choice(const ast_unit *u, const ast_node *gen);
/* The function type called by `call` (an AST_CALL), or NULL. */
sema_type *sema_callee_type(const ast_node *call);
/* Is `call` close(c), len(c) or cap(c) of a channel (goc's builtins)? */
int sema_chan_builtin(const ast_unit *u, const ast_node *call);

#endif /* GOC_SEMA_H */
