/*
 * frontend.h - the interface between the goc driver (driver.c) and the
 * translator (lexer, parser, sema, lowering, emission, diagnostics).
 *
 * The driver runs the system preprocessor and hands the translator the
 * preprocessed text of one translation unit, line markers included.  The
 * translator writes plain C to `out` and reports problems through diag.c.
 */
#ifndef GOC_FRONTEND_H
#define GOC_FRONTEND_H

#include <stddef.h>
#include <stdio.h>

/* Exit statuses shared by every goc command. */
enum {
    GOC_EXIT_OK = 0,
    GOC_EXIT_USER = 1,      /* bad input: diagnostics were printed */
    GOC_EXIT_INTERNAL = 70, /* a bug in goc itself (EX_SOFTWARE) */
};

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

/* ---- diagnostics (diag.c) ---- */

enum diag_format { DIAG_FORMAT_TEXT, DIAG_FORMAT_JSON };

/* color: -1 auto (a terminal and no NO_COLOR), 0 never, 1 always. */
void diag_configure(int color, enum diag_format format);
/* An error that has no source location ("goc: error: ..."). */
void diag_plain_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* Number of errors reported so far. */
int diag_error_count(void);
/* A bug in goc: print "goc: internal error: ..." and exit 70. */
__attribute__((noreturn, format(printf, 1, 2))) void
diag_internal(const char *fmt, ...);

#endif /* GOC_FRONTEND_H */
