/*
 * frontend.h - the translator's entry points (frontend.c), between the
 * goc driver (driver.c) and the stages of docs/architecture.md.
 *
 * The driver runs the system preprocessor and hands the translator the
 * preprocessed text of one translation unit, line markers included.  The
 * translator writes plain C to `out` and reports problems through diag.h.
 */
#ifndef GOC_FRONTEND_H
#define GOC_FRONTEND_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"

typedef struct fe_options {
    const char *input_name; /* the .goc path as the user gave it */
    int line_markers;       /* 0 with --no-line: emit no line markers */
    int iso;                /* -std=c11 and the like: `typeof` and `asm` are
                               ordinary identifiers, as in gcc's ISO modes */
    int goc_unit;           /* the unit is goc source whatever its name
                               (stdin, -x goc); else by .goc/.goh */
    int no_preempt;         /* -fno-preempt: no preemption checks */
    /* When set: also write the input's own text with the splices there
     * (emit_source), and set *source_ok to whether that worked. */
    FILE *source_out;
    const char *source;     /* the input file's text, NUL-terminated */
    size_t source_len;
    int *source_ok;
} fe_options;

/* Do two C texts hold the same tokens (line markers, #pragma lines,
 * whitespace and comments left out)? */
int fe_same_tokens(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Translate one preprocessed translation unit.  `text` need not be
 * NUL-terminated.  Returns GOC_EXIT_OK, or GOC_EXIT_USER after printing
 * diagnostics (nothing useful has been written to out then).
 */
int fe_translate(const char *text, size_t len, const fe_options *opt,
                 FILE *out);

/* Lex, parse and emit without sema and lowering (tests and tools).
 * mode 0: write the unit back out; 1: list every identifier of the main
 * file with its reading ("3:5 T type"); 2: dump the tree. */
int fe_parse_only(const char *text, size_t len, const fe_options *opt,
                  int mode, FILE *out);

#endif /* GOC_FRONTEND_H */
