/*
 * diag.h - how the translator reports: every message goes through diag.c.
 *
 * Text format: "file:line:col: kind: message", the source line, a caret.
 * JSON format: one JSON object per line and nothing else.  diag.c knows
 * nothing of tokens: lex.c's lex_error() and lex_note() locate a message
 * at a token and count the unit's errors on its token stream.
 */
#ifndef GOC_DIAG_H
#define GOC_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses shared by every goc command. */
enum {
    GOC_EXIT_OK = 0,
    GOC_EXIT_USER = 1,      /* bad input: diagnostics were printed */
    GOC_EXIT_INTERNAL = 70, /* a bug in goc itself (EX_SOFTWARE) */
};

enum diag_format { DIAG_FORMAT_TEXT, DIAG_FORMAT_JSON };

/* Process-wide settings, made once before anything is translated.
 * color: -1 auto (a terminal and no NO_COLOR), 0 never, 1 always. */
void diag_configure(int color, enum diag_format format);
/* Send diagnostics to f instead of stderr (NULL: back to stderr). */
void diag_set_stream(FILE *f);

/* An error that has no source location ("goc: error: ..."). */
void diag_plain_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* A bug in goc: print "goc: internal error: ..." and exit 70. */
__attribute__((noreturn, format(printf, 1, 2))) void
diag_internal(const char *fmt, ...);

/* Where a message points: file NULL for none.  spell (spelllen bytes) is
 * the spelling at the point, used to correct the column against the
 * original source line; NULL when unknown. */
typedef struct diag_loc {
    const char *file;
    unsigned line, col;
    const char *spell;
    size_t spelllen;
} diag_loc;

/* The text of the last source file a message quoted, kept by its caller
 * (one per unit) so that many messages read the file once. */
typedef struct diag_source diag_source;

/* Report a message of `kind` ("error", "warning" or "note") at `at`. */
void diag_report(diag_source **cache, const char *kind, const diag_loc *at,
                 const char *fmt, va_list ap);
void diag_source_free(diag_source **cache);

#endif /* GOC_DIAG_H */
