/*
 * emit.c - writes the unit back out: the original text, with splices.
 *
 * The output is the preprocessed input copied byte for byte (so plain C,
 * its whitespace, #pragma lines and line markers come out unchanged),
 * except where lowering registered a splice.  Line markers in the input
 * are balanced as the preprocessor wrote them; a splice never removes one
 * unless it lies inside a replaced goc construct, where enter/leave pairs
 * come in twos.  After generated text that contains newlines, a flagless
 * marker ("# 12 \"f.goc\"") puts the next original token back on its
 * .goc line.  With --no-line every marker line is dropped instead.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "emit.h"
#include "util.h"

enum { EDIT_INSERT, EDIT_REPLACE };

typedef struct emit_edit {
    uint32_t start, end; /* byte range in the text (start == end: insert) */
    uint32_t next_tok;   /* first original token after the edit */
    uint32_t seq;        /* registration order */
    int cls;             /* EDIT_INSERT or EDIT_REPLACE */
    char *text;
} emit_edit;

typedef struct emit_state {
    int line_markers;
    emit_edit *e; /* sorted by cmp_edit */
    uint32_t n, cap;
    const ast_node **top; /* top-level declarations in source order */
    uint32_t ntop;
} emit_state;

typedef struct buf {
    char *p;
    size_t n, cap;
    FILE *out; /* when set, flushed there in large pieces */
    int bad;   /* a write to out failed */
} buf;

enum { FLUSH_AT = 1 << 20 };

static void put(buf *b, const char *s, size_t n)
{
    if (b->out && b->n + n > FLUSH_AT && b->n) {
        if (fwrite(b->p, 1, b->n, b->out) != b->n)
            b->bad = 1;
        b->n = 0;
    }
    if (b->out && n > FLUSH_AT) {
        if (fwrite(s, 1, n, b->out) != n)
            b->bad = 1;
        return;
    }
    if (b->n + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap * 2 : 4096;
        while (c < b->n + n + 1)
            c *= 2;
        char *p = realloc(b->p, c);
        if (!p)
            diag_internal("out of memory");
        b->p = p;
        b->cap = c;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

void emit_init(ast_unit *u, int line_markers)
{
    if (!u->emit) {
        u->emit = calloc(1, sizeof *u->emit);
        if (!u->emit)
            diag_internal("out of memory");
    }
    u->emit->line_markers = line_markers;
}

void emit_free(ast_unit *u)
{
    if (!u->emit)
        return;
    for (uint32_t i = 0; i < u->emit->n; i++)
        free(u->emit->e[i].text);
    free(u->emit->e);
    free(u->emit->top);
    free(u->emit);
    u->emit = NULL;
}

static int cmp_edit(const void *pa, const void *pb);

/* Edits are kept sorted (cmp_edit) as they arrive: lowering interleaves
 * registering splices with emit_range_text(), so sorting per call would
 * make translation quadratic. */
static void add(ast_unit *u, uint32_t start, uint32_t end, uint32_t next,
                int cls, const char *text, int first)
{
    if (!u->emit)
        emit_init(u, 1);
    emit_state *st = u->emit;
    ARRAY_RESERVE(st->e, st->cap, st->n + 1);
    char *copy = xstrdup(text ? text : "");
    /* seq 0 sorts before every other insert at the offset */
    emit_edit e = {start, end, next, first ? 0 : st->n + 1, cls, copy};
    uint32_t lo = 0, hi = st->n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (cmp_edit(&st->e[mid], &e) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&st->e[lo + 1], &st->e[lo], (st->n - lo) * sizeof *st->e);
    st->e[lo] = e;
    st->n++;
}

static uint32_t tok_end(const ast_unit *u, uint32_t t)
{
    return u->lex.toks[t].off + u->lex.toks[t].len;
}

void emit_replace(ast_unit *u, uint32_t first, uint32_t last, const char *text)
{
    if (!first || first > last || last >= u->lex.ntoks)
        diag_internal("emit_replace: bad token range %u..%u", first, last);
    add(u, u->lex.toks[first].off, tok_end(u, last), last + 1, EDIT_REPLACE, text, 0);
}

const char *emit_replacement(const ast_unit *u, uint32_t tok)
{
    const emit_state *st = u->emit;
    if (!st || !tok || tok >= u->lex.ntoks)
        return NULL;
    const emit_edit *best = NULL;
    for (uint32_t i = 0; i < st->n; i++) {
        const emit_edit *e = &st->e[i];
        if (e->cls == EDIT_REPLACE && e->start == u->lex.toks[tok].off &&
            e->end == tok_end(u, tok) && (!best || e->seq > best->seq))
            best = e;
    }
    return best ? best->text : NULL;
}

void emit_insert_before(ast_unit *u, uint32_t tok, const char *text)
{
    if (!tok || tok >= u->lex.ntoks)
        diag_internal("emit_insert_before: bad token %u", tok);
    uint32_t off = u->lex.toks[tok].off;
    add(u, off, off, tok, EDIT_INSERT, text, 0);
}

void emit_insert_first(ast_unit *u, uint32_t tok, const char *text)
{
    if (!tok || tok >= u->lex.ntoks)
        diag_internal("emit_insert_first: bad token %u", tok);
    uint32_t off = u->lex.toks[tok].off;
    add(u, off, off, tok, EDIT_INSERT, text, 1);
}

void emit_insert_after(ast_unit *u, uint32_t tok, const char *text)
{
    if (!tok || tok >= u->lex.ntoks)
        diag_internal("emit_insert_after: bad token %u", tok);
    uint32_t off = tok_end(u, tok);
    add(u, off, off, tok + 1, EDIT_INSERT, text, 0);
}

/* Start order; at one offset inserts before replaces, a longer replace
 * before a shorter one, and a later replace of the same range first
 * (it supersedes the earlier one). */
static int cmp_edit(const void *pa, const void *pb)
{
    const emit_edit *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    if (a->cls == EDIT_REPLACE && a->end != b->end)
        return a->end > b->end ? -1 : 1;
    if (a->cls == EDIT_REPLACE)
        return a->seq > b->seq ? -1 : 1;
    return a->seq < b->seq ? -1 : (a->seq > b->seq);
}

static int markers_on(const ast_unit *u)
{
    return !u->emit || u->emit->line_markers;
}

/* "# line \"file\"\n"; a line below 1 is 1, except for 0 with `zero`. */
static void line_marker_z(buf *b, const ast_unit *u, uint32_t file, long line,
                          int zero)
{
    char num[32];
    snprintf(num, sizeof num, "# %ld \"", line < 1 && !(zero && line == 0) ? 1 : line);
    puts_(b, num);
    for (const char *f = u->lex.files[file]; *f; f++) {
        if (*f == '"' || *f == '\\')
            put(b, "\\", 1);
        put(b, f, 1);
    }
    puts_(b, "\"\n");
}

static void line_marker(buf *b, const ast_unit *u, uint32_t file, long line)
{
    line_marker_z(b, u, file, line, 0);
}

const char *emit_line_marker_at(const ast_unit *u, uint32_t tok, long line)
{
    static buf b;
    b.n = 0;
    puts_(&b, "");
    if (markers_on(u) && tok && tok < u->lex.ntoks && u->lex.nfiles) {
        puts_(&b, "\n");
        line_marker_z(&b, u, u->lex.toks[tok].file,
                      line < 0 ? (long)u->lex.toks[tok].line : line, line == 0);
    }
    return b.p;
}

const char *emit_line_marker(const ast_unit *u, uint32_t tok)
{
    return emit_line_marker_at(u, tok, -1);
}

/* Copy original text [from, to), leaving out marker lines with --no-line. */
static void copy_text(buf *b, const ast_unit *u, uint32_t from, uint32_t to)
{
    const lex_stream *s = &u->lex;
    if (markers_on(u) || !s->nmarkers) {
        put(b, s->text + from, to - from);
        return;
    }
    uint32_t lo = 0, hi = s->nmarkers; /* first marker ending after from */
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (s->markers[2 * mid + 1] <= from)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (uint32_t m = lo; m < s->nmarkers && from < to; m++) {
        uint32_t ms = s->markers[2 * m], me = s->markers[2 * m + 1];
        if (ms >= to)
            break;
        if (ms > from)
            put(b, s->text + from, ms - from);
        if (me > from)
            from = me;
    }
    if (from < to)
        put(b, s->text + from, to - from);
}

/* Whitespace that brings the next character to the column that offset
 * `off` has in its line: tabs kept, every other character (one per UTF-8
 * sequence) a space, so byte and display columns both match.  None past
 * EMIT_MAX_PAD bytes into the line. */
static void pad_to(buf *b, const ast_unit *u, uint32_t off)
{
    const char *t = u->lex.text;
    uint32_t bol = off;
    while (bol > 0 && t[bol - 1] != '\n')
        if (off - --bol > EMIT_MAX_PAD)
            return;
    for (uint32_t i = bol; i < off; i++)
        if (t[i] == '\t')
            put(b, "\t", 1);
        else if (((unsigned char)t[i] & 0xC0) != 0x80)
            put(b, " ", 1);
}

/* After a splice: put the original text from `cursor` on, whose first
 * token is `next`, back on its line and column. */
static void resync(buf *b, const ast_unit *u, uint32_t cursor, uint32_t next)
{
    const lex_stream *s = &u->lex;
    if (!markers_on(u) || next >= s->ntoks || !s->nfiles ||
        s->toks[next].kind == LEX_END)
        return;
    long line = s->toks[next].line;
    for (uint32_t i = cursor; i < s->toks[next].off; i++)
        if (s->text[i] == '\n')
            line--;
    if (!b->n || b->p[b->n - 1] != '\n')
        put(b, "\n", 1);
    line_marker(b, u, s->toks[next].file, line);
    pad_to(b, u, cursor);
}

/* Does the original line go on after offset off with more than blanks? */
static int line_goes_on(const ast_unit *u, uint32_t off)
{
    for (const char *t = u->lex.text + off; off < u->lex.len && *t != '\n'; t++, off++)
        if (*t != ' ' && *t != '\t' && *t != '\r')
            return 1;
    return 0;
}

/* After edit e, emitted up to `cursor` in the original: keep what follows
 * on its .goc line and column.  A one-line splice shorter than the text it
 * replaced is padded with spaces; any other change of length on a line
 * that goes on, or a change in the number of lines, gets a marker. */
static void after_edit(buf *b, const ast_unit *u, const emit_edit *e, uint32_t cursor)
{
    const char *orig = u->lex.text + e->start;
    size_t olen = e->end - e->start, tlen = strlen(e->text);
    int plain = 1;
    for (size_t i = 0; i < olen; i++)
        if (orig[i] == '\n' || orig[i] == '\t' || (orig[i] & 0x80))
            plain = 0;
    if (!strchr(e->text, '\n') && plain) {
        if (tlen == olen || !line_goes_on(u, cursor))
            return;
        if (tlen < olen && markers_on(u)) {
            for (; tlen < olen; tlen++)
                put(b, " ", 1);
            return;
        }
    }
    resync(b, u, cursor, e->next_tok);
}

/* Write [from, to) with its splices; inserts at `from` itself only when
 * `leading` is set. */
static void render(buf *b, ast_unit *u, uint32_t from, uint32_t to, int leading)
{
    uint32_t cursor = from;
    emit_state *st = u->emit;
    uint32_t lo = 0, hi = st ? st->n : 0;
    while (lo < hi) { /* first edit starting at or after `from` */
        uint32_t mid = (lo + hi) / 2;
        if (st->e[mid].start < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (uint32_t i = lo; st && i < st->n && st->e[i].start <= to; i++) {
        const emit_edit *e = &st->e[i];
        if (e->start < cursor || e->end > to || e->start < from)
            continue; /* outside the range, or inside a replaced one */
        if (!leading && e->start == from && e->cls == EDIT_INSERT)
            continue;
        copy_text(b, u, cursor, e->start);
        puts_(b, e->text);
        cursor = e->cls == EDIT_REPLACE ? e->end : e->start;
        after_edit(b, u, e, cursor);
    }
    copy_text(b, u, cursor, to);
}

char *emit_range_text(ast_unit *u, uint32_t first, uint32_t last, int flags)
{
    buf b = {0};
    puts_(&b, "");
    if (!first || first > last || last >= u->lex.ntoks)
        return b.p;
    if ((flags & EMIT_PLACE) && markers_on(u) && u->lex.nfiles) {
        puts_(&b, emit_line_marker(u, first));
        pad_to(&b, u, u->lex.toks[first].off);
    }
    render(&b, u, u->lex.toks[first].off, tok_end(u, last), !(flags & EMIT_NO_LEADING));
    return b.p;
}

char *emit_spelling(const ast_unit *u, uint32_t first, uint32_t last)
{
    buf b = {0};
    puts_(&b, "");
    for (uint32_t i = first; i && i <= last && i < u->lex.ntoks; i++) {
        const token *t = &u->lex.toks[i];
        if (i > first && (t->flags & (TOKF_SPACE | TOKF_BOL)))
            put(&b, " ", 1);
        put(&b, u->lex.text + t->off, t->len);
    }
    return b.p;
}

/* Binary search over the top-level declarations (lowering asks once per
 * construct, so a linear walk would make translation quadratic). */
uint32_t emit_toplevel_start(const ast_unit *u, uint32_t tok)
{
    emit_state *st = u->emit;
    if (!st || !u->root)
        return tok;
    if (!st->top) {
        st->ntop = (uint32_t)ast_list_len(u->root->a);
        st->top = malloc((st->ntop + 1) * sizeof *st->top);
        if (!st->top)
            diag_internal("out of memory");
        uint32_t i = 0;
        for (const ast_node *n = u->root->a; n; n = n->next)
            st->top[i++] = n;
    }
    uint32_t lo = 0, hi = st->ntop;
    while (lo < hi) { /* first declaration ending at or after tok */
        uint32_t mid = (lo + hi) / 2;
        if (st->top[mid]->last < tok)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == st->ntop || st->top[lo]->first > tok)
        return tok;
    uint32_t j = st->top[lo]->first;
    while (j > 1 && (u->lex.toks[j - 1].flags & TOKF_TRIVIA))
        j--;
    return j;
}

static int is_goc_h(const char *name)
{
    size_t l = strlen(name);
    return l >= 5 && strcmp(name + l - 5, "goc.h") == 0 &&
           (l == 5 || name[l - 6] == '/');
}

uint32_t emit_unit_start(const ast_unit *u)
{
    const ast_node *first = u->root ? u->root->a : NULL, *after = first;
    for (const ast_node *n = first; n; n = n->next)
        if (is_goc_h(u->lex.files[u->lex.toks[n->first].file]))
            after = n->next;
    if (!first)
        return 0;
    return after ? emit_toplevel_start(u, after->first) : u->lex.ntoks - 1;
}

int emit_unit(ast_unit *u, FILE *out)
{
    buf b = {.out = out};
    render(&b, u, 0, (uint32_t)u->lex.len, 1);
    if (b.n && fwrite(b.p, 1, b.n, out) != b.n)
        b.bad = 1;
    free(b.p);
    return b.bad ? -1 : 0;
}

/* ---- the user's own text with the splices (docs/frontend.md) ---------- */

enum { UNMAPPED = UINT32_MAX };

typedef struct src_map {
    const char *src;
    size_t len;
    uint32_t *line_start; /* line_start[L]: offset of line L (1-based) */
    uint32_t nlines;
    uint32_t *at;         /* per token: its offset in src, or UNMAPPED */
    uint32_t first_main;  /* the first token of the file itself */
} src_map;

static int ident_char(char c)
{
    return c == '_' || c == '$' || (c >= '0' && c <= '9') ||
           (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Past blanks, newlines and comments from p. */
static size_t skip_blank(const src_map *m, size_t p)
{
    const char *s = m->src;
    while (p < m->len) {
        if (s[p] == ' ' || s[p] == '\t' || s[p] == '\r' || s[p] == '\n' ||
            s[p] == '\f' || s[p] == '\v') {
            p++;
        } else if (s[p] == '/' && p + 1 < m->len && s[p + 1] == '*') {
            const char *e = strstr(s + p + 2, "*/");
            if (!e)
                return m->len;
            p = (size_t)(e - s) + 2;
        } else if (s[p] == '/' && p + 1 < m->len && s[p + 1] == '/') {
            while (p < m->len && s[p] != '\n')
                p++;
        } else {
            break;
        }
    }
    return p;
}

/* Find each main-file token of the preprocessed text in the user's text:
 * a token is mapped when the source, read from where its line starts (or
 * the previous token ends), has the same spelling next.  A line a macro
 * expanded, or that a directive or a line splice changed, stops matching
 * at its first difference; its later tokens stay unmapped. */
static void map_tokens(const ast_unit *u, uint32_t mainf, src_map *m)
{
    const lex_stream *s = &u->lex;
    size_t last_end = 0;
    uint32_t line = 0, bad_line = 0;
    for (uint32_t i = 1; i < s->ntoks; i++) {
        const token *t = &s->toks[i];
        m->at[i] = UNMAPPED;
        if (t->file == mainf && !m->first_main)
            m->first_main = i;
        if (t->kind == LEX_END || t->file != mainf || t->line == 0 ||
            t->line > m->nlines || t->line == bad_line)
            continue;
        size_t p = last_end;
        if (t->line != line) {
            line = t->line;
            if (m->line_start[line] > p)
                p = m->line_start[line];
        }
        p = skip_blank(m, p);
        size_t lim = line < m->nlines ? m->line_start[line + 1] : m->len;
        const char *sp = s->text + t->off;
        if (p < m->line_start[line] || p + t->len > m->len || p >= lim ||
            memcmp(m->src + p, sp, t->len) != 0 ||
            (ident_char(sp[t->len - 1]) && p + t->len < m->len &&
             ident_char(m->src[p + t->len]))) {
            bad_line = line;
            continue;
        }
        m->at[i] = (uint32_t)p;
        last_end = p + t->len;
    }
}

/* The token whose spelling starts at byte off of the preprocessed text. */
static uint32_t tok_at(const ast_unit *u, uint32_t off)
{
    uint32_t lo = 1, hi = u->lex.ntoks;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (u->lex.toks[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < u->lex.ntoks && u->lex.toks[lo].off == off ? lo : 0;
}

/* Edit e as a range [*os, *oe) of the user's text; -1 when its ends are
 * not both mapped. */
static int edit_in_source(const ast_unit *u, const src_map *m,
                          const emit_edit *e, uint32_t *os, uint32_t *oe)
{
    uint32_t first = tok_at(u, e->start);
    if (e->cls == EDIT_INSERT && first && first < m->first_main &&
        m->at[first] == UNMAPPED) {
        *os = *oe = 0; /* before all of the file (main's prototype) */
        return 0;
    }
    if (e->cls == EDIT_INSERT) {
        uint32_t t = first ? first : e->next_tok - 1;
        if (!t || m->at[t] == UNMAPPED || (!first && tok_end(u, t) != e->start))
            return -1;
        *os = *oe = m->at[t] + (first ? 0 : u->lex.toks[t].len);
        return 0;
    }
    uint32_t last = e->next_tok - 1;
    if (!first || !last || m->at[first] == UNMAPPED || m->at[last] == UNMAPPED)
        return -1;
    *os = m->at[first];
    *oe = m->at[last] + u->lex.toks[last].len;
    return *oe >= *os ? 0 : -1;
}

static void source_line(buf *b, const src_map *m, const char *name, size_t at)
{
    uint32_t lo = 1, hi = m->nlines;
    while (lo < hi) { /* the last line starting at or before `at` */
        uint32_t mid = (lo + hi + 1) / 2;
        if (m->line_start[mid] <= at)
            lo = mid;
        else
            hi = mid - 1;
    }
    if (!b->n || b->p[b->n - 1] != '\n')
        put(b, "\n", 1);
    char num[32];
    snprintf(num, sizeof num, "#line %u \"", lo);
    puts_(b, num);
    for (const char *f = name; *f; f++) {
        if (*f == '"' || *f == '\\')
            put(b, "\\", 1);
        put(b, f, 1);
    }
    puts_(b, "\"\n");
    for (size_t i = m->line_start[lo]; i < at; i++)
        put(b, m->src[i] == '\t' ? "\t" : " ", 1);
}

/* Is token t mapped, the first thing on its line of the user's text? */
static int starts_line(const ast_unit *u, const src_map *m, uint32_t t)
{
    const token *k = &u->lex.toks[t];
    return m->at[t] != UNMAPPED && k->line <= m->nlines &&
           skip_blank(m, m->line_start[k->line]) == m->at[t];
}

typedef struct src_lines {
    uint32_t a, z, end; /* see edit_lines */
} src_lines;

/* Is line L of the user's text a directive ('#' first)? */
static int directive_line(const src_map *m, uint32_t l)
{
    size_t p = m->line_start[l], e = m->line_start[l + 1];
    while (p < e && (m->src[p] == ' ' || m->src[p] == '\t'))
        p++;
    return p < e && m->src[p] == '#' &&
           (l == 1 || m->line_start[l] < 2 || m->src[m->line_start[l] - 2] != '\\');
}

/* An edit that cannot be placed in the user's text (a macro made its
 * tokens): the lines around it, from the start of its first token's line
 * up to the next line that starts with a token in place or is a
 * directive, go out as the translation has them (expanded).  *a: the
 * first token of the lines; *z: the first token after them (the end
 * token if none); *end: the first line after them. */
static int edit_lines(const ast_unit *u, const src_map *m, const emit_edit *e,
                      uint32_t mainf, src_lines *r)
{
    const lex_stream *s = &u->lex;
    uint32_t t0 = tok_at(u, e->start), t1;
    if (!t0)
        t0 = e->next_tok - 1;
    t1 = e->cls == EDIT_REPLACE ? e->next_tok - 1 : t0;
    if (!t0 || t0 >= s->ntoks || t1 >= s->ntoks || s->toks[t0].file != mainf ||
        s->toks[t0].line == 0 || s->toks[t0].line > m->nlines)
        return -1;
    uint32_t line = s->toks[t0].line;
    while (t0 > 1 && s->toks[t0 - 1].file == mainf &&
           s->toks[t0 - 1].line == line)
        t0--;
    r->a = t0;
    uint32_t last = s->toks[t1].line > line ? s->toks[t1].line : line;
    r->end = m->nlines + 1;
    for (uint32_t t = t1 + 1; t < s->ntoks - 1 && r->end > m->nlines; t++) {
        if (s->toks[t].file != mainf || s->toks[t].line <= last ||
            s->toks[t].line > m->nlines)
            continue;
        for (uint32_t l = last + 1; l < s->toks[t].line; l++)
            if (directive_line(m, l)) {
                r->end = l;
                break;
            }
        if (r->end > m->nlines && starts_line(u, m, t))
            r->end = s->toks[t].line;
        last = s->toks[t].line;
    }
    for (r->z = t1 + 1; r->z < s->ntoks - 1; r->z++)
        if (!(s->toks[r->z].file == mainf && s->toks[r->z].line < r->end))
            break;
    return 0;
}

static void put_edit_lines(buf *b, ast_unit *u, const src_map *m,
                           const char *name, uint32_t a, uint32_t z)
{
    source_line(b, m, name, m->line_start[u->lex.toks[a].line]);
    pad_to(b, u, u->lex.toks[a].off);
    char *t = emit_range_text(u, a, z - 1, 0);
    puts_(b, t);
    free(t);
}

/* The lines that go out expanded: those of every edit that cannot be
 * placed in the user's text, overlapping ones merged.  -1 when one of
 * them is not in the file itself. */
static int expanded_lines(const ast_unit *u, const src_map *m, uint32_t mainf,
                          src_lines **out, uint32_t *n)
{
    const emit_state *st = u->emit;
    uint32_t pp_cursor = 0, cap = 0;
    *out = NULL;
    *n = 0;
    for (uint32_t i = 0; st && i < st->n; i++) {
        const emit_edit *e = &st->e[i];
        uint32_t os, oe;
        src_lines r;
        if (e->start < pp_cursor)
            continue; /* inside a replaced range */
        pp_cursor = e->cls == EDIT_REPLACE ? e->end : e->start;
        if (edit_in_source(u, m, e, &os, &oe) == 0)
            continue;
        src_lines *last = *n ? &(*out)[*n - 1] : NULL;
        uint32_t t1 = e->cls == EDIT_REPLACE ? e->next_tok - 1 : e->next_tok;
        if (last && t1 < last->z && u->lex.toks[t1].line < last->end)
            continue; /* inside the lines before it (keeps this linear) */
        if (edit_lines(u, m, e, mainf, &r) != 0)
            return -1;
        if (last && r.a < last->z) {
            if (r.z > last->z)
                last->z = r.z, last->end = r.end;
            if (r.a < last->a)
                last->a = r.a;
            continue;
        }
        ARRAY_RESERVE(*out, cap, *n + 1);
        (*out)[(*n)++] = r;
    }
    return 0;
}

/* Does the user's line go on after offset at with more than blanks? */
static int source_goes_on(const src_map *m, size_t at)
{
    for (; at < m->len && m->src[at] != '\n'; at++)
        if (m->src[at] != ' ' && m->src[at] != '\t' && m->src[at] != '\r')
            return 1;
    return 0;
}

static int write_source(ast_unit *u, src_map *m, uint32_t mainf,
                        const char *name, FILE *out)
{
    buf b = {.out = out};
    emit_state *st = u->emit;
    const lex_stream *s = &u->lex;
    uint32_t pp_cursor = 0, cur = 0, nl = 0, r = 0;
    src_lines *ls;
    int rc = expanded_lines(u, m, mainf, &ls, &nl);
    source_line(&b, m, name, 0);
    for (uint32_t i = 0; rc == 0 && st && i <= st->n; i++) {
        const emit_edit *e = i < st->n ? &st->e[i] : NULL;
        uint32_t os, oe;
        while (r < nl && (!e || e->start >= s->toks[ls[r].a].off)) {
            uint32_t a = ls[r].a, z = ls[r].z, end = ls[r++].end;
            if (m->line_start[s->toks[a].line] < cur) {
                rc = -1;
                break;
            }
            put(&b, m->src + cur, m->line_start[s->toks[a].line] - cur);
            put_edit_lines(&b, u, m, name, a, z);
            cur = m->line_start[end];
            pp_cursor = s->toks[z].off;
            source_line(&b, m, name, cur);
        }
        if (rc || !e || e->start < pp_cursor)
            continue; /* done, or inside a replaced range */
        if (edit_in_source(u, m, e, &os, &oe) != 0 || os < cur) {
            rc = -1;
            break;
        }
        put(&b, m->src + cur, os - cur);
        puts_(&b, e->text);
        size_t tlen = strlen(e->text);
        int lines = strchr(e->text, '\n') != NULL ||
                    memchr(m->src + os, '\n', oe - os) != NULL;
        cur = oe;
        pp_cursor = e->cls == EDIT_REPLACE ? e->end : e->start;
        if (!lines && (tlen == oe - os || !source_goes_on(m, cur)))
            continue;
        if (!lines && tlen < oe - os && !memchr(m->src + os, '\t', oe - os))
            while (tlen++ < oe - os) /* the rest of the line keeps its column */
                put(&b, " ", 1);
        else
            source_line(&b, m, name, cur);
    }
    free(ls);
    if (rc == 0) {
        put(&b, m->src + cur, m->len - cur);
        if (m->len && m->src[m->len - 1] != '\n')
            put(&b, "\n", 1);
        if (b.n && fwrite(b.p, 1, b.n, out) != b.n)
            b.bad = 1;
    }
    free(b.p);
    return rc == 0 && !b.bad ? 0 : -1;
}

/* A copy of src with its `#pragma goc` lines blanked, as compiler/preempt.c
 * blanks them in the translation (a C compiler would call them unknown);
 * NULL when "goc preempt" is still left (a _Pragma, a macro). */
static char *blank_goc_pragmas(const char *src, size_t len)
{
    char *t = xrealloc(NULL, len + 1);
    memcpy(t, src, len);
    t[len] = 0;
    for (size_t b = 0; b < len;) {
        char *nl = memchr(t + b, '\n', len - b);
        size_t e = nl ? (size_t)(nl - t) : len, p = b;
        while (p < e && (t[p] == ' ' || t[p] == '\t'))
            p++;
        if (p < e && t[p] == '#') {
            p++;
            while (p < e && (t[p] == ' ' || t[p] == '\t'))
                p++;
            if (e - p > 6 && memcmp(t + p, "pragma", 6) == 0) {
                p += 6;
                while (p < e && (t[p] == ' ' || t[p] == '\t'))
                    p++;
                if (e - p >= 3 && memcmp(t + p, "goc", 3) == 0 &&
                    (e - p == 3 || t[p + 3] == ' ' || t[p + 3] == '\t'))
                    memset(t + b, ' ', e - b);
            }
        }
        b = e + 1;
    }
    if (strstr(t, "goc preempt")) {
        free(t);
        return NULL;
    }
    return t;
}

int emit_source(ast_unit *u, const char *src, size_t len, const char *name,
                FILE *out)
{
    const lex_stream *s = &u->lex;
    uint32_t mainf = UINT32_MAX;
    for (uint32_t f = 0; name && f < s->nfiles; f++)
        if (strcmp(s->files[f], name) == 0)
            mainf = f;
    if (!markers_on(u) || mainf == UINT32_MAX || len >= UINT32_MAX ||
        memchr(src, 0, len))
        return -1;
    char *own = blank_goc_pragmas(src, len);
    if (!own)
        return -1;
    src_map m = {own, len, NULL, 0, NULL, 0};
    for (size_t i = 0; i < len; i++)
        m.nlines += src[i] == '\n';
    m.nlines++;
    m.line_start = xrealloc(NULL, (m.nlines + 2) * sizeof *m.line_start);
    m.line_start[0] = m.line_start[1] = 0;
    for (uint32_t i = 0, l = 1; i < len; i++)
        if (src[i] == '\n')
            m.line_start[++l] = i + 1;
    m.line_start[m.nlines + 1] = (uint32_t)len;
    m.at = xrealloc(NULL, (s->ntoks + 1) * sizeof *m.at);
    map_tokens(u, mainf, &m);
    int rc = write_source(u, &m, mainf, name, out);
    free(m.line_start);
    free(m.at);
    free(own);
    return rc;
}
