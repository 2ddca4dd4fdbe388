/*
 * respace.c - give preprocessed text back the columns of its source.
 *
 * The C preprocessor turns each run of blanks between two tokens into one
 * space and pads a line's first token with spaces (a tab counts as one),
 * and a macro expansion shifts whatever follows it on its line.  The C
 * compiler that reads goc's output then reports columns of that text, not
 * of the .goc file.  Each preprocessed line that comes from a file goc can
 * read (not a system header, not <built-in>) is compared with its original
 * line, token by token:
 *
 *   - the tokens both lines start with, and those they end with, take the
 *     original text, blanks and tabs included, so they sit at their
 *     original byte (and display) columns;
 *   - what lies between (a macro's expansion) keeps the preprocessor's
 *     text, starting at the column of the macro's name; when it is longer
 *     than the name, the original tokens after it go on a new line, after
 *     a line marker for the same line, padded out to their column.
 *
 * Only blanks and line breaks between tokens change, and a token boundary
 * that had no blank keeps none (so nothing pastes): the token sequence is
 * the same.  A line whose original cannot be read is copied unchanged, and
 * so is a directive, a line marker and a line inside a block comment.
 */
#include "respace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- the original files ---- */

typedef struct src {
    char *name;       /* as the line marker spells it, without quotes */
    char *text;       /* NULL: unreadable */
    size_t len;
    uint32_t *lines;  /* offset of each line's start; lines[0]: line 1 */
    size_t nlines;
    struct src *next;
} src;

static src *load(src **cache, const char *name, size_t n)
{
    for (src *s = *cache; s; s = s->next)
        if (strlen(s->name) == n && memcmp(s->name, name, n) == 0)
            return s;
    src *s = xrealloc(NULL, sizeof *s);
    memset(s, 0, sizeof *s);
    s->name = xstrndup(name, n);
    s->next = *cache;
    *cache = s;
    FILE *f = name[0] != '<' ? fopen(s->name, "rb") : NULL;
    if (!f)
        return s;
    size_t cap = 0;
    for (;;) {
        ARRAY_RESERVE(s->text, cap, s->len + 65536);
        size_t got = fread(s->text + s->len, 1, cap - s->len, f);
        s->len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    if (s->len >= UINT32_MAX) {
        free(s->text);
        s->text = NULL;
        return s;
    }
    size_t lcap = 0;
    for (size_t i = 0; i <= s->len; i++) {
        if (i == 0 || s->text[i - 1] == '\n') {
            ARRAY_RESERVE(s->lines, lcap, s->nlines + 1);
            s->lines[s->nlines++] = (uint32_t)i;
        }
    }
    ARRAY_RESERVE(s->lines, lcap, s->nlines + 1);
    s->lines[s->nlines] = (uint32_t)s->len; /* the end of the last line */
    return s;
}

static void free_cache(src *s)
{
    while (s) {
        src *next = s->next;
        free(s->name);
        free(s->text);
        free(s->lines);
        free(s);
        s = next;
    }
}

/* ---- tokens of one line ---- */

typedef struct tok {
    uint32_t start, end; /* offsets in the line */
    int white;           /* blanks before it (in the line) */
} tok;

typedef struct toks {
    tok *t;
    size_t n, cap;
    int open_comment; /* the line ends inside a block comment */
} toks;

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';
}

static int word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80;
}

/* The end of the token at s[i] (a line of n bytes). */
static size_t token_end(const char *s, size_t i, size_t n, int *open_comment)
{
    if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
        for (size_t j = i + 2; j + 1 < n; j++)
            if (s[j] == '*' && s[j + 1] == '/')
                return j + 2;
        *open_comment = 1;
        return n;
    }
    if (s[i] == '/' && i + 1 < n && s[i + 1] == '/')
        return n;
    size_t j = i;
    while (j < n && word((unsigned char)s[j])) /* a prefix: L"", u8'' */
        j++;
    if (j < n && (s[j] == '"' || s[j] == '\'') &&
        (j == i || (j - i <= 2 && strchr("LuU8", s[i])))) {
        char q = s[j];
        for (j++; j < n && s[j] != q; j++)
            if (s[j] == '\\' && j + 1 < n)
                j++;
        return j < n ? j + 1 : n;
    }
    if (j > i) { /* identifier or pp-number (1e+5, 0x1p-3) */
        if (s[i] >= '0' && s[i] <= '9')
            for (; j < n; j++) {
                if ((s[j] == '+' || s[j] == '-') &&
                    strchr("eEpP", s[j - 1]))
                    continue;
                if (!word((unsigned char)s[j]) && s[j] != '.')
                    break;
            }
        return j;
    }
    if (s[i] == '.' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')
        return token_end(s, i + 1, n, open_comment);
    /* a punctuator, the longest that fits (as the C compiler reads it:
     * blanks may go between tokens, never inside one) */
    static const char *const puncts[] = {
        "%:%:", "...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=",
        ">=", "==", "!=", "&&", "||", "*=", "/=", "%=", "+=", "-=", "&=",
        "^=", "|=", "##", "<:", ":>", "<%", "%>", "%:"};
    for (size_t k = 0; k < sizeof puncts / sizeof *puncts; k++) {
        size_t l = strlen(puncts[k]);
        if (n - i >= l && memcmp(s + i, puncts[k], l) == 0)
            return i + l;
    }
    return i + 1;
}

/* Tokens of line s[0..n); in_comment: it starts inside a block comment. */
static void tokenize(toks *out, const char *s, size_t n, int in_comment)
{
    out->n = 0;
    out->open_comment = 0;
    size_t i = 0;
    if (in_comment) {
        size_t j = 0;
        while (j + 1 < n && !(s[j] == '*' && s[j + 1] == '/'))
            j++;
        i = j + 1 < n ? j + 2 : n;
        if (i == n && !(n >= 2 && s[n - 2] == '*' && s[n - 1] == '/'))
            out->open_comment = 1;
        ARRAY_RESERVE(out->t, out->cap, out->n + 1);
        out->t[out->n++] = (tok){0, (uint32_t)i, 0};
    }
    while (i < n) {
        size_t b = i;
        while (i < n && blank(s[i]))
            i++;
        if (i == n)
            break;
        size_t e = token_end(s, i, n, &out->open_comment);
        ARRAY_RESERVE(out->t, out->cap, out->n + 1);
        out->t[out->n++] = (tok){(uint32_t)i, (uint32_t)e, i > b};
        i = e;
    }
}

static int same(const char *p, const tok *a, const char *o, const tok *b)
{
    return a->end - a->start == b->end - b->start &&
           memcmp(p + a->start, o + b->start, a->end - a->start) == 0;
}

/* ---- one line ---- */

typedef struct state {
    sb out;
    src *cache;
    src *file;          /* the current file (NULL: leave alone) */
    const char *fname;  /* its name as spelled in the last marker */
    size_t fname_len;
    long line;          /* the current line's number */
    int in_comment;     /* the current line starts inside a comment */
    toks pt, ot;
} state;

static void put(state *st, const char *s, size_t n)
{
    sb *b = &st->out;
    ARRAY_RESERVE(b->p, b->cap, b->n + n + 1);
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

/* Blanks from column `from` to column `to` of the original line o, as
 * pad_to in emit.c: its tabs kept, anything else a space. */
static void pad(state *st, const char *o, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        put(st, o[i] == '\t' ? "\t" : " ", 1);
}

/* Pair the tokens of P[pa..pe) with equal ones of O[oa..oe) (a longest
 * common subsequence): m[i] = j, or -1 when P's token i has no partner.
 * Too large a table pairs nothing. */
static void pair_middle(const char *p, const toks *P, size_t pa, size_t pe,
                        const char *o, const toks *O, size_t oa, size_t oe,
                        long *m)
{
    size_t w = oe - oa + 1, h = pe - pa + 1;
    if (pe <= pa || oe <= oa || h * w > (1u << 20))
        return;
    uint32_t *t = xrealloc(NULL, h * w * sizeof *t); /* t[i][j]: LCS of the tails */
    for (size_t i = h; i-- > 0;)
        for (size_t j = w; j-- > 0;) {
            uint32_t v = 0;
            if (i + 1 < h && j + 1 < w) {
                if (same(p, &P->t[pa + i], o, &O->t[oa + j]))
                    v = t[(i + 1) * w + j + 1] + 1;
                else
                    v = t[(i + 1) * w + j] > t[i * w + j + 1] ? t[(i + 1) * w + j]
                                                              : t[i * w + j + 1];
            }
            t[i * w + j] = v;
        }
    for (size_t i = 0, j = 0; i + 1 < h && j + 1 < w;) {
        if (same(p, &P->t[pa + i], o, &O->t[oa + j]) &&
            t[i * w + j] == t[(i + 1) * w + j + 1] + 1) {
            m[pa + i] = (long)(oa + j);
            i++, j++;
        } else if (t[(i + 1) * w + j] >= t[i * w + j + 1]) {
            i++;
        } else {
            j++;
        }
    }
    free(t);
}

/* A line marker for the current line and the original's blanks up to
 * column `to`: the next token starts a new line at its own column. */
static void break_line(state *st, const char *o, size_t to)
{
    char num[32];
    snprintf(num, sizeof num, "\n# %ld \"", st->line);
    put(st, num, strlen(num));
    put(st, st->fname, st->fname_len);
    put(st, "\"\n", 2);
    pad(st, o, 0, to);
}

/* Preprocessed line p[0..pn) against original line o[0..on). */
static void respace_line(state *st, const char *p, size_t pn, const char *o,
                         size_t on)
{
    toks *P = &st->pt, *O = &st->ot;
    tokenize(P, p, pn, st->in_comment);
    tokenize(O, o, on, st->in_comment);
    size_t a = 0; /* leading tokens alike, blanks before them alike */
    while (a < P->n && a < O->n && same(p, &P->t[a], o, &O->t[a]) &&
           (a == 0 || P->t[a].white == O->t[a].white))
        a++;
    if (a == P->n && a == O->n) { /* the original line itself */
        while (on > 0 && blank(o[on - 1]))
            on--;
        put(st, o, on);
        return;
    }
    size_t k = 0; /* trailing tokens alike */
    while (k < P->n - a && k < O->n - a &&
           same(p, &P->t[P->n - 1 - k], o, &O->t[O->n - 1 - k]))
        k++;
    long *m = xrealloc(NULL, (P->n + 1) * sizeof *m);
    for (size_t i = 0; i < P->n; i++)
        m[i] = i < a ? (long)i : i >= P->n - k ? (long)(O->n - (P->n - i)) : -1;
    pair_middle(p, P, a, P->n - k, o, O, a, O->n - k, m);
    size_t line_start = st->out.n;
    long last = -1; /* O's token paired last */
    for (size_t i = 0; i < P->n; i++) {
        const tok *t = &P->t[i];
        size_t col = st->out.n - line_start;
        int after_blank = col == 0 || blank(st->out.p[st->out.n - 1]);
        int need_blank = t->white && !after_blank;
        size_t to = col;
        if (m[i] >= 0) {
            to = O->t[m[i]].start;
            last = m[i];
        } else if ((size_t)(last + 1) < O->n &&
                   (i == 0 || m[i - 1] >= 0) &&
                   (i + 1 >= P->n || m[i + 1] < 0 || m[i + 1] > last + 1)) {
            to = O->t[last + 1].start; /* an expansion: at the macro's name */
        }
        if (to > col || (to == col && !need_blank)) {
            pad(st, o, col, to);
        } else if (m[i] >= 0) {
            break_line(st, o, to);
            line_start = st->out.n - to;
        } else if (need_blank) {
            put(st, " ", 1);
        }
        put(st, p + t->start, t->end - t->start);
    }
    free(m);
}

/* A line marker (`# 12 "f.goc" 1 3`, `#line 12 "f.goc"`): set the state.
 * Returns 0 when the line is no marker. */
static int marker(state *st, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && blank(s[i]))
        i++;
    if (i == n || s[i] != '#')
        return 0;
    i++;
    while (i < n && blank(s[i]))
        i++;
    if (n - i >= 4 && memcmp(s + i, "line", 4) == 0)
        i += 4;
    while (i < n && blank(s[i]))
        i++;
    if (i == n || s[i] < '0' || s[i] > '9')
        return 0;
    long line = strtol(s + i, NULL, 10);
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    while (i < n && blank(s[i]))
        i++;
    if (i < n && s[i] == '"') {
        size_t b = ++i;
        while (i < n && s[i] != '"')
            i += s[i] == '\\' && i + 1 < n ? 2 : 1;
        st->fname = s + b;
        st->fname_len = i - b;
        int system = 0;
        for (size_t j = i + 1; j < n; j++)
            if (s[j] == '3' && blank(s[j - 1]))
                system = 1;
        /* a name with escapes is left alone rather than unescaped */
        st->file = system || memchr(st->fname, '\\', st->fname_len)
                       ? NULL
                       : load(&st->cache, st->fname, st->fname_len);
    }
    st->line = line;
    return 1;
}

char *respace(const char *text, size_t len, size_t *out_len)
{
    state st;
    memset(&st, 0, sizeof st);
    put(&st, "", 0);
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        const char *p = text + i;
        size_t pn = e - i;
        int in_comment = st.in_comment;
        if (!in_comment && marker(&st, p, pn)) {
            put(&st, p, pn);
        } else {
            src *f = st.file;
            size_t lx = (size_t)st.line;
            int first = 0;
            for (size_t j = 0; j < pn && !first; j++)
                first = !blank(p[j]) ? (p[j] == '#' ? 2 : 1) : 0;
            if (f && f->text && st.line >= 1 && lx <= f->nlines &&
                first != 2 && pn > 0) {
                const char *o = f->text + f->lines[lx - 1];
                size_t on = f->lines[lx] - f->lines[lx - 1];
                while (on > 0 && (o[on - 1] == '\n' || o[on - 1] == '\r'))
                    on--;
                respace_line(&st, p, pn, o, on);
                st.in_comment = st.pt.open_comment;
            } else {
                put(&st, p, pn);
                tokenize(&st.pt, p, pn, in_comment);
                st.in_comment = st.pt.open_comment;
            }
            st.line++;
        }
        if (e < len)
            put(&st, "\n", 1);
        i = e + 1;
    }
    free_cache(st.cache);
    free(st.pt.t);
    free(st.ot.t);
    *out_len = st.out.n;
    return st.out.p;
}
