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
                int cls, const char *text)
{
    if (!u->emit)
        emit_init(u, 1);
    emit_state *st = u->emit;
    ARRAY_RESERVE(st->e, st->cap, st->n + 1);
    char *copy = xstrdup(text ? text : "");
    emit_edit e = {start, end, next, st->n, cls, copy};
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
    add(u, u->lex.toks[first].off, tok_end(u, last), last + 1, EDIT_REPLACE, text);
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
    add(u, off, off, tok, EDIT_INSERT, text);
}

void emit_insert_after(ast_unit *u, uint32_t tok, const char *text)
{
    if (!tok || tok >= u->lex.ntoks)
        diag_internal("emit_insert_after: bad token %u", tok);
    uint32_t off = tok_end(u, tok);
    add(u, off, off, tok + 1, EDIT_INSERT, text);
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

int emit_unit(ast_unit *u, FILE *out)
{
    buf b = {.out = out};
    render(&b, u, 0, (uint32_t)u->lex.len, 1);
    if (b.n && fwrite(b.p, 1, b.n, out) != b.n)
        b.bad = 1;
    free(b.p);
    return b.bad ? -1 : 0;
}
