/*
 * lex.h - the token stream of one preprocessed translation unit.
 *
 * lex_unit() reads the whole preprocessed text once (grammar/lexer.re does
 * the scanning) and produces an array of tokens.  Line markers and #pragma
 * lines are not tokens: they stay in the text between tokens, so emission,
 * which copies the text between tokens verbatim, re-emits them.  Tokens the
 * parser never sees (attributes with their balanced arguments,
 * __extension__, nullability qualifiers) are tokens with TOKF_TRIVIA set.
 *
 * Token index 0 is a sentinel ("no token"); real tokens start at 1 and the
 * last one is TK_EOF-like end marker LEX_END.
 */
#ifndef GOC_LEX_H
#define GOC_LEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
    TOKF_GOC = 1u << 0,    /* from a .goc/.goh file: goc keywords active */
    TOKF_TRIVIA = 1u << 1, /* not passed to the parser; emitted verbatim */
    TOKF_BOL = 1u << 2,    /* first token on its preprocessed line */
    TOKF_SPACE = 1u << 3,  /* preceded by whitespace */
    TOKF_SPLIT = 1u << 4,  /* "<-" read as C's '<' '-': the parser gets
                              TK_LT then TK_MINUS for this one token */
    TOKF_TYPENAME = 1u << 5, /* identifier the parser read as a typedef name */
};

/* Kinds of tokens the lexer produces that the grammar has no code for. */
enum {
    LEX_END = 1000, /* end of input */
    LEX_ERROR,      /* a byte sequence that is no C token */
    LEX_IDENT,      /* an identifier (becomes TK_NAME) */
    LEX_ATTRIBUTE,  /* __attribute__: trivia with its balanced arguments */
    LEX_SKIP,       /* __extension__, _Nullable...: trivia */
    LEX_WORD_GO,    /* go, chan, select, make: keywords or identifiers */
    LEX_WORD_CHAN,  /*   depending on the file and the next token */
    LEX_WORD_SELECT,
    LEX_WORD_MAKE,
    LEX_ARROW,      /* "<-": receive, send, or '<' '-' (lex.c decides) */
    LEX_FLOATN,     /* _Float32 & co: a type keyword, or a typedef's name */
    LEX_BAD_UTF8,   /* a byte >= 0x80 that starts no UTF-8 identifier */
    LEX_UNTERMINATED, /* a quote without its closing quote */
};

/* The re2c scanner (grammar/lexer.re): one token from *cur, advancing it.
 * *lim must be a NUL byte. */
int lex_scan(const unsigned char **cur, const unsigned char *lim);

typedef struct token {
    int kind;       /* TK_* from the generated parser.h, or LEX_* */
    uint32_t flags; /* TOKF_* */
    uint32_t off;   /* byte offset of the spelling in the preprocessed text */
    uint32_t len;   /* length of the spelling */
    uint32_t file;  /* index into lex_file names (original file) */
    uint32_t line;  /* 1-based line in the original file */
    uint32_t col;   /* 1-based column in the preprocessed line */
    uint32_t aux;   /* TK_NAME: interned identifier id; TK_ASM: index of
                       the last token of the asm construct; closing
                       brackets: index of the opening one */
} token;

typedef struct lex_stream {
    const char *text; /* the preprocessed text (NUL-terminated copy) */
    size_t len;
    token *toks; /* toks[0] sentinel, toks[1..ntoks-1]; last is LEX_END */
    uint32_t ntoks;
    char **files; /* original file names from line markers */
    uint32_t nfiles;
    uint32_t nidents;  /* number of distinct identifier ids */
    uint32_t *markers; /* [start, end) byte ranges of line-marker lines */
    uint32_t nmarkers;
    unsigned errors;   /* errors reported at its tokens (lex_error) */
    struct diag_source *source; /* diag.c's copy of the file last quoted */
} lex_stream;

/* Scan text into s (name: the file until the first line marker).
 * Returns 0, or 1 after reporting a lexical error. */
/* iso: an ISO -std mode, where the GNU words `typeof` and `asm` are
 * identifiers (their __ spellings stay keywords). */
int lex_unit(lex_stream *s, const char *text, size_t len, const char *name,
             int iso);
void lex_free(lex_stream *s);

/* The token before token i that the parser sees (trivia skipped), or 0. */
uint32_t lex_prev(const lex_stream *s, uint32_t i);
/* The original file name of token t. */
const char *lex_file(const lex_stream *s, uint32_t t);

/* ---- diagnostics located at a token ---- */

/* "file:line:col: error: message" + source line + caret at token t,
 * through diag.c; lex_error counts the error in s->errors. */
void lex_error(lex_stream *s, uint32_t t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void lex_warning(lex_stream *s, uint32_t t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void lex_note(lex_stream *s, uint32_t t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* GOC_LEX_H */
