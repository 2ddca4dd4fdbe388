/*
 * emit.h - writing the translation unit back out as C, with splices.
 *
 * Emission copies the preprocessed text token by token, whitespace, line
 * markers and pragmas included, so plain C comes out unchanged.  Lowering
 * registers splices against token indices; a splice's text replaces or is
 * added around those tokens.  Rules:
 *  - Splices may nest: a replace whose range contains earlier splices
 *    supersedes them.  To keep the inner work, build the outer text with
 *    emit_range_text(), which applies the splices already registered
 *    inside the range (bottom-up lowering).
 *  - Several inserts at one token are emitted in registration order.
 *  - After a splice, emission writes a line marker when needed so the
 *    following original tokens keep their .goc line numbers; generated
 *    text containing newlines therefore does not shift later lines.
 * All text arguments are copied.
 */
#ifndef GOC_EMIT_H
#define GOC_EMIT_H

#include <stdint.h>
#include <stdio.h>

#include "ast.h"

/* Replace tokens first..last (inclusive, and the text between them) with
 * text. */
void emit_replace(ast_unit *u, uint32_t first, uint32_t last,
                  const char *text);
/* Put text immediately before token tok (after the whitespace preceding
 * it).  For lifted code (trampolines, go-block bodies, struct definitions)
 * use the first token of the enclosing top-level declaration: see
 * emit_toplevel_start(). */
void emit_insert_before(ast_unit *u, uint32_t tok, const char *text);
/* The text that replaces token tok alone so far (the latest such
 * emit_replace), or NULL. */
const char *emit_replacement(const ast_unit *u, uint32_t tok);
/* Put text immediately after token tok. */
void emit_insert_after(ast_unit *u, uint32_t tok, const char *text);
/* The first token of the top-level declaration or function definition
 * containing token tok (including leading __extension__/attributes). */
uint32_t emit_toplevel_start(const ast_unit *u, uint32_t tok);

/* Flags of emit_range_text(). */
/* Padding keeps columns up to this one; text placed further right (on a
 * line a macro expanded to thousands of columns) starts at column 1, so
 * that output stays linear in input. */
enum { EMIT_MAX_PAD = 256 };

enum {
    /* start with a line marker and padding (if the unit emits markers) so
     * that the text, wherever it goes, keeps its .goc line and column */
    EMIT_PLACE = 1,
    /* leave out what was inserted before token first (lifted code, when
     * first starts a top-level declaration) */
    EMIT_NO_LEADING = 2
};
/* The text of tokens first..last with the splices registered inside the
 * range applied (EMIT_* flags).  Returns a malloc'd string. */
char *emit_range_text(ast_unit *u, uint32_t first, uint32_t last, int flags);
/* The plain spelling of first..last (no splices), tokens separated by the
 * original whitespace collapsed to single spaces; malloc'd.  Use it to
 * re-spell a type: "__typeof__(" + spelling + ")". */
char *emit_spelling(const ast_unit *u, uint32_t first, uint32_t last);
/* A line marker ("\n# 12 \"file.goc\"\n") placing the next line at token
 * tok's original line, or "" when line markers are off.  Static buffer. */
const char *emit_line_marker(const ast_unit *u, uint32_t tok);
/* The same for line `line` of tok's file (0: code with no line, which a
 * debugger skips). */
const char *emit_line_marker_at(const ast_unit *u, uint32_t tok, long line);

/* Start recording splices (frontend.c calls it before lowering). */
void emit_init(ast_unit *u, int line_markers);
/* Write the whole unit.  Returns 0, or -1 on a write error. */
int emit_unit(ast_unit *u, FILE *out);
void emit_free(ast_unit *u);

#endif /* GOC_EMIT_H */
