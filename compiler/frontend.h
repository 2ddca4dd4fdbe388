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
    int no_preempt;         /* -fno-preempt: no preemption checks */
} fe_options;

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
