/*
 * lex.c - from preprocessed text to the token array the parser reads.
 *
 * Line/column bookkeeping lives here and only here: the re2c scanner
 * (grammar/lexer.re) sees one token at a time.  Line markers
 * ("# 12 \"f.goc\" 1 3") set the original file and line of what follows;
 * tokens of .goc/.goh files get TOKF_GOC, which activates the goc words.
 *
 * A second pass decides what one token of lookahead or behind settles:
 * "select" before "{", "make" before "( chan", "_Atomic" before "(",
 * attribute and asm arguments (balanced, kept as trivia), and the three
 * meanings of "<-" (docs/language.md §1).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "lex.h"
#include "parser.h"
#include "util.h"

/* Brackets deeper than this are an error: it bounds the parser's stack
 * and every recursion over the tree. */
#define LEX_MAX_DEPTH 2000

typedef struct lexer {
    lex_stream *s;
    uint32_t cap;
    uint32_t file; /* current original file */
    uint32_t line; /* current original line */
    uint32_t *goc_file; /* per file: 1 for .goc/.goh */
    uint32_t mcap;
    /* identifier interning: open addressing over (off, len) */
    uint32_t *htab; /* token index of the first spelling, 0 = empty */
    uint32_t hmask;
    int iso; /* ISO -std mode: `typeof` and `asm` are identifiers */
} lexer;

static uint32_t intern_file(lexer *lx, const char *name, size_t n)
{
    lex_stream *s = lx->s;
    for (uint32_t i = 0; i < s->nfiles; i++)
        if (strlen(s->files[i]) == n && memcmp(s->files[i], name, n) == 0)
            return i;
    s->files = xrealloc(s->files, (s->nfiles + 1) * sizeof *s->files);
    lx->goc_file = xrealloc(lx->goc_file, (s->nfiles + 1) * sizeof(uint32_t));
    char *c = xrealloc(NULL, n + 1);
    memcpy(c, name, n);
    c[n] = 0;
    s->files[s->nfiles] = c;
    lx->goc_file[s->nfiles] = n >= 4 && (strcmp(c + n - 4, ".goc") == 0 ||
                                        strcmp(c + n - 4, ".goh") == 0);
    return s->nfiles++;
}

const char *lex_file(const lex_stream *s, uint32_t t)
{
    return s->nfiles ? s->files[s->toks[t].file] : NULL;
}

/* A directive line starting at p (on '#'): a line marker updates the
 * position, anything else (#pragma, #ident) is left as trivia.  Returns
 * the end of the line (on the '\n' or at the end). */
static const char *directive(lexer *lx, const char *p, const char *end)
{
    const char *start = p, *q = p + 1;
    while (q < end && (*q == ' ' || *q == '\t'))
        q++;
    if (end - q > 4 && memcmp(q, "line", 4) == 0 && (q[4] == ' ' || q[4] == '\t')) {
        q += 4;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
    }
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    if (q >= eol || *q < '0' || *q > '9')
        return eol;
    unsigned long line = 0;
    while (q < eol && *q >= '0' && *q <= '9' && line < 100000000)
        line = line * 10 + (unsigned long)(*q++ - '0');
    while (q < eol && (*q == ' ' || *q == '\t'))
        q++;
    if (q < eol && *q == '"') {
        char name[4096];
        size_t n = 0;
        for (q++; q < eol && *q != '"'; q++) {
            if (*q == '\\' && q + 1 < eol)
                q++;
            if (n < sizeof name - 1)
                name[n++] = *q;
        }
        lx->file = intern_file(lx, name, n);
    }
    lx->line = (uint32_t)line - 1; /* the newline ending the marker adds 1 */
    lex_stream *s = lx->s;
    if (s->nmarkers + 1 >= lx->mcap) {
        lx->mcap = lx->mcap ? lx->mcap * 2 : 64;
        s->markers = xrealloc(s->markers, lx->mcap * 2 * sizeof(uint32_t));
    }
    s->markers[2 * s->nmarkers] = (uint32_t)(start - s->text);
    s->markers[2 * s->nmarkers + 1] = (uint32_t)(eol - s->text) +
                                      (eol < end ? 1 : 0);
    s->nmarkers++;
    return eol;
}

static token *push(lexer *lx)
{
    lex_stream *s = lx->s;
    ARRAY_RESERVE(s->toks, lx->cap, s->ntoks + 1);
    token *t = &s->toks[s->ntoks++];
    memset(t, 0, sizeof *t);
    return t;
}

/* Give identifier token t its interned id in t->aux. */
static void intern_ident(lexer *lx, uint32_t ti)
{
    lex_stream *s = lx->s;
    token *t = &s->toks[ti];
    const char *p = s->text + t->off;
    uint32_t h = str_hash(p, t->len) & lx->hmask;
    for (;;) {
        uint32_t o = lx->htab[h];
        if (!o) {
            lx->htab[h] = ti;
            t->aux = s->nidents++;
            break;
        }
        const token *u = &s->toks[o];
        if (u->len == t->len && memcmp(s->text + u->off, p, t->len) == 0) {
            t->aux = u->aux;
            break;
        }
        h = (h + 1) & lx->hmask;
    }
    if (s->nidents * 2 > lx->hmask) { /* grow and rehash the first spellings */
        uint32_t nm = lx->hmask * 2 + 1, *nt = xrealloc(NULL, (nm + 1) * sizeof *nt);
        memset(nt, 0, (nm + 1) * sizeof *nt);
        for (uint32_t i = 0; i <= lx->hmask; i++) {
            uint32_t o = lx->htab[i];
            if (!o)
                continue;
            uint32_t k = str_hash(s->text + s->toks[o].off, s->toks[o].len) & nm;
            while (nt[k])
                k = (k + 1) & nm;
            nt[k] = o;
        }
        free(lx->htab);
        lx->htab = nt;
        lx->hmask = nm;
    }
}

static int scan_error(lex_stream *s, uint32_t t, int kind)
{
    const token *k = &s->toks[t];
    unsigned char c = (unsigned char)s->text[k->off];
    if (kind == LEX_UNTERMINATED)
        lex_error(s, t, "missing terminating %c character", c);
    else if (kind == LEX_BAD_UTF8)
        lex_error(s, t, "invalid UTF-8 byte 0x%02x", c);
    else if (c == 0)
        lex_error(s, t, "null character in input");
    else if (c == '#' || c == '%')
        lex_error(s, t, "stray '#' outside a directive");
    else if (c < 0x20 || c == 0x7f)
        lex_error(s, t, "stray control character 0x%02x in program", c);
    else
        lex_error(s, t, "stray '%c' in program", c);
    return 1;
}

/* First pass: scan every token. */
static int scan(lexer *lx)
{
    lex_stream *s = lx->s;
    const char *p = s->text, *end = s->text + s->len;
    const char *linestart = p;
    int bol = 1, space = 0;
    while (p <= end) {
        char c = p < end ? *p : 0;
        if (p < end && (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')) {
            p++;
            space = 1;
            continue;
        }
        if (p < end && c == '\n') {
            p++;
            lx->line++;
            linestart = p;
            bol = 1;
            space = 1;
            continue;
        }
        if (p < end && bol && c == '#') {
            p = directive(lx, p, end);
            continue;
        }
        const unsigned char *cur = (const unsigned char *)p;
        int kind = lex_scan(&cur, (const unsigned char *)end);
        token *t = push(lx);
        t->kind = kind;
        t->off = (uint32_t)(p - s->text);
        t->len = (uint32_t)((const char *)cur - p);
        t->file = lx->file;
        t->line = lx->line;
        t->col = (uint32_t)(p - linestart) + 1;
        t->flags = (bol ? TOKF_BOL : 0) | (space ? TOKF_SPACE : 0) |
                   (s->nfiles && lx->goc_file[lx->file] ? TOKF_GOC : 0);
        if (kind == LEX_END)
            return 0;
        if (kind == LEX_ERROR || kind == LEX_BAD_UTF8 || kind == LEX_UNTERMINATED)
            return scan_error(s, s->ntoks - 1, kind);
        bol = space = 0;
        p = (const char *)cur;
    }
    return 0;
}

uint32_t lex_prev(const lex_stream *s, uint32_t i)
{
    while (i > 1) {
        i--;
        if (!(s->toks[i].flags & TOKF_TRIVIA))
            return i;
    }
    return 0;
}

static int operand_end(int k)
{
    return k == TK_NAME || k == TK_NUMBER || k == TK_CHARCONST ||
           k == TK_STRING || k == TK_RPAREN || k == TK_RBRACKET ||
           k == TK_INC || k == TK_DEC;
}

/* The first token of the postfix expression ending at token j. */
static uint32_t postfix_start(const lex_stream *s, uint32_t j)
{
    for (int guard = 0; j && guard < 100000; guard++) {
        int k = s->toks[j].kind;
        if (k == TK_RPAREN || k == TK_RBRACKET) {
            uint32_t o = s->toks[j].aux;
            if (!o)
                return j;
            uint32_t b = lex_prev(s, o);
            int bk = b ? s->toks[b].kind : 0;
            if (k == TK_RBRACKET || bk == TK_NAME || bk == TK_RPAREN ||
                bk == TK_RBRACKET) {
                if (!b)
                    return o;
                j = b;
                continue;
            }
            return o;
        }
        if (k == TK_NAME) {
            uint32_t b = lex_prev(s, j);
            if (b && (s->toks[b].kind == TK_DOT || s->toks[b].kind == TK_ARROW) &&
                lex_prev(s, b)) {
                j = lex_prev(s, b);
                continue;
            }
            return j;
        }
        if ((k == TK_INC || k == TK_DEC) && lex_prev(s, j)) {
            j = lex_prev(s, j);
            continue;
        }
        return j;
    }
    return j;
}

/* Does the ")" at token p end something after which an operand starts:
 * the head of an if/while/for/switch (`for (...) <-c;`) or a cast to a
 * type spelled with a keyword (`(void)<-c`)?  A cast to a typedef name
 * cannot be told from a parenthesised expression here: `(T)(<-c)`. */
static int closes_head_or_cast(const lex_stream *s, uint32_t p)
{
    if (s->toks[p].kind != TK_RPAREN || !s->toks[p].aux)
        return 0;
    uint32_t open = s->toks[p].aux;
    uint32_t kw = lex_prev(s, open);
    int kk = kw ? s->toks[kw].kind : 0;
    if (kk == TK_IF || kk == TK_WHILE || kk == TK_FOR || kk == TK_SWITCH)
        return 1;
    if (kk == TK_SIZEOF || kk == TK_ALIGNOF || kk == TK_TYPEOF ||
        kk == TK_ATOMIC_SPEC || kk == TK_CHAN || operand_end(kk))
        return 0; /* sizeof(int)<-1 compares, as in C */
    uint32_t first = open + 1;
    while (first < p && (s->toks[first].flags & TOKF_TRIVIA))
        first++;
    switch (first < p ? s->toks[first].kind : 0) {
    case TK_VOID: case TK_CHAR: case TK_SHORT: case TK_INT: case TK_LONG:
    case TK_FLOAT: case TK_DOUBLE: case TK_SIGNED: case TK_UNSIGNED:
    case TK_BOOL: case TK_STRUCT: case TK_UNION: case TK_ENUM:
    case TK_CONST: case TK_VOLATILE: case TK_CHAN: case TK_TYPEOF:
    case TK_INT128: case TK_COMPLEX: case TK_ATOMIC_SPEC:
        return 1;
    default:
        return 0;
    }
}

/* "<-" at token i: TK_RECV (prefix), TK_SEND (statement "E <- V;" or a
 * select "case E <- V:"), else C's '<' '-' (docs/language.md §1). */
static void decide_arrow(lex_stream *s, uint32_t i, int in_select)
{
    token *t = &s->toks[i];
    uint32_t p = lex_prev(s, i);
    if (!(t->flags & TOKF_GOC)) {
        t->kind = TK_LT;
        t->flags |= TOKF_SPLIT;
        return;
    }
    if (!p || !operand_end(s->toks[p].kind) || closes_head_or_cast(s, p)) {
        t->kind = TK_RECV;
        return;
    }
    uint32_t b = lex_prev(s, postfix_start(s, p));
    int bk = b ? s->toks[b].kind : 0;
    int stmt = !b || bk == TK_SEMI || bk == TK_LBRACE || bk == TK_RBRACE ||
               bk == TK_ELSE || bk == TK_DO || bk == TK_COLON ||
               (bk == TK_CASE && in_select);
    if (bk == TK_RPAREN && s->toks[b].aux) {
        uint32_t kw = lex_prev(s, s->toks[b].aux);
        int kk = kw ? s->toks[kw].kind : 0;
        stmt = kk == TK_IF || kk == TK_WHILE || kk == TK_FOR || kk == TK_SWITCH;
    }
    if (stmt) {
        t->kind = TK_SEND;
    } else {
        t->kind = TK_LT;
        t->flags |= TOKF_SPLIT;
    }
}

/* Mark the balanced ( ... ) starting at token i as trivia; returns the
 * index of the closing parenthesis (or of the last token). */
static uint32_t skip_parens(lex_stream *s, uint32_t i)
{
    int depth = 0;
    for (; i < s->ntoks - 1; i++) {
        int k = s->toks[i].kind;
        s->toks[i].flags |= TOKF_TRIVIA;
        if (k == TK_LPAREN)
            depth++;
        else if (k == TK_RPAREN && --depth == 0)
            return i;
    }
    return s->ntoks - 2;
}

/* The same for [[ ... ]]. */
static uint32_t skip_brackets(lex_stream *s, uint32_t i)
{
    int depth = 0;
    for (; i < s->ntoks - 1; i++) {
        int k = s->toks[i].kind;
        s->toks[i].flags |= TOKF_TRIVIA;
        if (k == TK_LBRACKET)
            depth++;
        else if (k == TK_RBRACKET && --depth == 0)
            return i;
    }
    return s->ntoks - 2;
}

static int is_word(int k)
{
    return k == LEX_IDENT || k == LEX_WORD_GO || k == LEX_WORD_CHAN ||
           k == LEX_WORD_SELECT || k == LEX_WORD_MAKE;
}

/* Second pass: contextual keywords, trivia, brackets, arrows. */
static int classify(lexer *lx)
{
    lex_stream *s = lx->s;
    uint32_t *stack = xrealloc(NULL, (LEX_MAX_DEPTH + 1) * sizeof *stack);
    unsigned char *sel = xrealloc(NULL, LEX_MAX_DEPTH + 1);
    uint32_t depth = 0;
    int rc = 0;
    for (uint32_t i = 1; i < s->ntoks - 1 && !rc; i++) {
        token *t = &s->toks[i];
        int goc = t->flags & TOKF_GOC;
        int next = s->toks[i + 1].kind;
        if (lx->iso && ((t->kind == TK_TYPEOF && t->len == 6) ||
                       (t->kind == TK_ASM && t->len == 3)))
            t->kind = LEX_IDENT; /* plain `typeof`/`asm` are GNU words */
        switch (t->kind) {
        case LEX_WORD_GO:
        case LEX_WORD_CHAN:
        case LEX_WORD_SELECT:
        case LEX_WORD_MAKE:
            if (i > 1 && (s->toks[lex_prev(s, i)].kind == TK_DOT ||
                          s->toks[lex_prev(s, i)].kind == TK_ARROW))
                break; /* a member of a plain-C struct: s.chan */
            if (goc && t->kind == LEX_WORD_GO)
                t->kind = TK_GO;
            else if (goc && t->kind == LEX_WORD_CHAN)
                t->kind = TK_CHAN;
            else if (goc && t->kind == LEX_WORD_SELECT && next == TK_LBRACE)
                t->kind = TK_SELECT;
            else if (goc && t->kind == LEX_WORD_MAKE && next == TK_LPAREN &&
                     s->toks[i + 2].kind == LEX_WORD_CHAN)
                t->kind = TK_MAKE;
            break;
        case LEX_FLOATN:
            t->kind = next == TK_SEMI ? LEX_IDENT : TK_FLOATN;
            break;
        case LEX_ATTRIBUTE:
            t->flags |= TOKF_TRIVIA;
            if (next == TK_LPAREN)
                i = skip_parens(s, i + 1);
            break;
        case LEX_SKIP:
            t->flags |= TOKF_TRIVIA;
            break;
        case TK_ASM: {
            uint32_t j = i + 1;
            while (s->toks[j].kind == TK_VOLATILE || s->toks[j].kind == TK_INLINE ||
                   s->toks[j].kind == TK_GOTO)
                s->toks[j++].flags |= TOKF_TRIVIA;
            if (s->toks[j].kind == TK_LPAREN)
                j = skip_parens(s, j);
            else
                j--;
            t->aux = j;
            i = j;
            break;
        }
        case TK_ATOMIC:
            if (next == TK_LPAREN)
                t->kind = TK_ATOMIC_SPEC;
            break;
        case TK_LBRACKET:
            if (next == TK_LBRACKET) { /* C23 [[attribute]]: trivia */
                i = skip_brackets(s, i);
                break;
            }
            /* fallthrough */
        case TK_LPAREN:
        case TK_LBRACE:
            if (depth == LEX_MAX_DEPTH) {
                lex_error(s, i, "brackets nested too deeply (more than %d levels)",
                               LEX_MAX_DEPTH);
                rc = 1;
                break;
            }
            sel[depth] = t->kind == TK_LBRACE && lex_prev(s, i) &&
                         s->toks[lex_prev(s, i)].kind == TK_SELECT;
            stack[depth++] = i;
            break;
        case TK_RPAREN:
        case TK_RBRACKET:
        case TK_RBRACE:
            if (depth && s->toks[stack[depth - 1]].kind ==
                             (t->kind == TK_RPAREN ? TK_LPAREN
                              : t->kind == TK_RBRACKET ? TK_LBRACKET : TK_LBRACE))
                t->aux = stack[--depth];
            break;
        case LEX_ARROW:
            decide_arrow(s, i, depth && sel[depth - 1]);
            break;
        }
        if (is_word(t->kind)) {
            t->kind = TK_NAME;
            intern_ident(lx, i);
        }
    }
    free(stack);
    free(sel);
    return rc;
}

int lex_unit(lex_stream *s, const char *text, size_t len, const char *name,
             int iso)
{
    memset(s, 0, sizeof *s);
    if (len >= UINT32_MAX / 2) {
        diag_plain_error("input too large (%zu bytes)", len);
        return 1;
    }
    char *copy = xrealloc(NULL, len + 1);
    memcpy(copy, text, len);
    copy[len] = 0;
    s->text = copy;
    s->len = len;
    lexer lx = {.s = s, .cap = (uint32_t)(len / 4 + 16), .line = 1, .iso = iso};
    lx.hmask = 4095;
    lx.htab = xrealloc(NULL, (lx.hmask + 1) * sizeof *lx.htab);
    memset(lx.htab, 0, (lx.hmask + 1) * sizeof *lx.htab);
    s->toks = xrealloc(NULL, lx.cap * sizeof *s->toks);
    memset(&s->toks[0], 0, sizeof s->toks[0]);
    s->ntoks = 1;
    name = name ? name : "<stdin>";
    lx.file = intern_file(&lx, name, strlen(name));
    int rc = scan(&lx);
    if (!rc)
        rc = classify(&lx);
    free(lx.htab);
    free(lx.goc_file);
    return rc;
}

void lex_free(lex_stream *s)
{
    free((char *)s->text);
    free(s->toks);
    for (uint32_t i = 0; i < s->nfiles; i++)
        free(s->files[i]);
    free(s->files);
    free(s->markers);
    diag_source_free(&s->source);
    memset(s, 0, sizeof *s);
}

static void report(lex_stream *s, uint32_t t, const char *kind,
                   const char *fmt, va_list ap)
{
    diag_loc at = {0};
    if (s && t != 0 && t < s->ntoks) {
        const token *k = &s->toks[t];
        at = (diag_loc){lex_file(s, t), k->line, k->col, s->text + k->off, k->len};
    }
    diag_report(s ? &s->source : NULL, kind, &at, fmt, ap);
}

void lex_error(lex_stream *s, uint32_t t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(s, t, "error", fmt, ap);
    va_end(ap);
    if (s)
        s->errors++;
}

void lex_warning(lex_stream *s, uint32_t t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(s, t, "warning", fmt, ap);
    va_end(ap);
}

void lex_note(lex_stream *s, uint32_t t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(s, t, "note", fmt, ap);
    va_end(ap);
}
