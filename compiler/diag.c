/*
 * diag.c - every message the translator prints goes through here.
 *
 * Text format: "file:line:col: error: message", the source line, a caret.
 * JSON format: one JSON object per line on stderr and nothing else.
 * Colour only when stderr is a terminal and NO_COLOR is unset (or forced).
 * The source line is read back from the original file (the preprocessed
 * text has macros expanded, so its columns are only approximate); a column
 * is corrected by finding the token's spelling on the original line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend.h"
#include "lex.h"

static int diag_color;
static enum diag_format diag_fmt = DIAG_FORMAT_TEXT;
static int diag_errors;
static FILE *diag_stream; /* NULL: stderr */

void diag_configure(int color, enum diag_format format)
{
    if (color < 0) {
        const char *nc = getenv("NO_COLOR");
        color = isatty(2) && !(nc && *nc);
    }
    diag_color = color;
    diag_fmt = format;
}

int diag_error_count(void) { return diag_errors; }

void diag_reset(void) { diag_errors = 0; }

void diag_set_stream(FILE *f) { diag_stream = f; }

/* Write s as a JSON string body. */
static void json_str(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
}

static void emit(const char *file, unsigned line, unsigned col,
                 const char *kind, const char *msg, const char *src,
                 size_t srclen)
{
    FILE *err = diag_stream ? diag_stream : stderr; 
    if (diag_fmt == DIAG_FORMAT_JSON) {
        fputs("{\"file\":", err);
        if (file) {
            fputc('"', err);
            json_str(err, file, strlen(file));
            fputc('"', err);
        } else {
            fputs("null", err);
        }
        fprintf(err, ",\"line\":%u,\"column\":%u,\"severity\":\"%s\","
                "\"message\":\"", line, col, kind);
        json_str(err, msg, strlen(msg));
        fputs("\"}\n", err);
        return;
    }
    const char *bold = diag_color ? "\033[1m" : "";
    const char *red = diag_color ? "\033[1;31m" : "";
    const char *green = diag_color ? "\033[1;32m" : "";
    const char *off = diag_color ? "\033[0m" : "";
    if (file && line)
        fprintf(err, "%s%s:%u:%u:%s ", bold, file, line, col, off);
    else
        fprintf(err, "%sgoc:%s ", bold, off);
    fprintf(err, "%s%s:%s %s%s%s\n", red, kind, off, bold, msg, off);
    if (!src)
        return;
    /* A very long line (generated code, a huge token): show a window. */
    enum { WIDE = 160, HALF = 80 };
    const char *pre = "";
    if (srclen > WIDE) {
        size_t start = col > HALF ? col - HALF : 0;
        if (start > srclen)
            start = srclen;
        if (start) {
            pre = "...";
            src += start;
            srclen -= start;
            col -= (unsigned)start;
            col += 3;
        }
        if (srclen > WIDE)
            srclen = WIDE;
    }
    fputc(' ', err);
    fputs(pre, err);
    fwrite(src, 1, srclen, err);
    fputs("\n ", err);
    for (size_t i = 0; i + 1 < col && i < srclen + 3; i++)
        fputc(i >= strlen(pre) && src[i - strlen(pre)] == '\t' ? '\t' : ' ', err);
    fprintf(err, "%s^%s\n", green, off);
}

void diag_plain_error(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_errors++;
    emit(NULL, 0, 0, "error", msg, NULL, 0);
}

void diag_internal(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fflush(stdout);
    emit(NULL, 0, 0, "internal error", msg, NULL, 0);
    exit(GOC_EXIT_INTERNAL);
}

/* Line `line` (1-based) of `path`, or NULL; *len excludes the newline.
 * Only one file is kept: diagnostics stop at the first error anyway. */
static const char *source_line(const char *path, unsigned line, size_t *len)
{
    static char *buf, *cached;
    static size_t n;
    if (!cached || strcmp(cached, path) != 0) {
        free(buf);
        free(cached);
        buf = NULL;
        n = 0;
        cached = strdup(path);
        FILE *f = fopen(path, "rb");
        if (!f)
            return NULL;
        size_t cap = 0, r;
        char tmp[65536];
        while ((r = fread(tmp, 1, sizeof tmp, f)) > 0) {
            if (n + r > cap) {
                cap = (n + r) * 2;
                char *nb = realloc(buf, cap);
                if (!nb)
                    break;
                buf = nb;
            }
            memcpy(buf + n, tmp, r);
            n += r;
        }
        fclose(f);
    }
    if (!buf)
        return NULL;
    size_t i = 0;
    for (unsigned l = 1; l < line && i < n; i++)
        if (buf[i] == '\n')
            l++;
    if (i >= n && line > 1)
        return NULL;
    size_t e = i;
    while (e < n && buf[e] != '\n')
        e++;
    if (e > i && buf[e - 1] == '\r')
        e--;
    *len = e - i;
    return buf + i;
}

/* The occurrence of the spelling closest to the approximate column. */
static unsigned fix_column(const char *src, size_t srclen, const char *spell,
                           size_t spelllen, unsigned col)
{
    if (!spelllen || spelllen > srclen)
        return col;
    unsigned best = col;
    size_t bestd = (size_t)-1;
    for (size_t i = 0; i + spelllen <= srclen; i++) {
        if (memcmp(src + i, spell, spelllen) != 0)
            continue;
        size_t d = i + 1 > col ? i + 1 - col : col - (i + 1);
        if (d < bestd) {
            bestd = d;
            best = (unsigned)i + 1;
        }
    }
    return best;
}

void diag_at(const char *kind, const char *file, unsigned line, unsigned col,
             const char *spell, size_t spelllen, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (strcmp(kind, "error") == 0)
        diag_errors++;
    size_t srclen = 0;
    const char *src = file ? source_line(file, line, &srclen) : NULL;
    if (src && spell)
        col = fix_column(src, srclen, spell, spelllen, col);
    emit(file, line, col, kind, msg, src, srclen);
}

static void diag_tok(const char *kind, const lex_stream *s, uint32_t t,
                     const char *fmt, va_list ap)
{
    if (!s || t == 0 || t >= s->ntoks) {
        diag_at(kind, NULL, 0, 0, NULL, 0, fmt, ap);
        return;
    }
    const token *k = &s->toks[t];
    diag_at(kind, lex_file(s, t), k->line, k->col, s->text + k->off, k->len,
            fmt, ap);
}

void diag_error_tok(const lex_stream *s, uint32_t t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_tok("error", s, t, fmt, ap);
    va_end(ap);
}

void diag_note_tok(const lex_stream *s, uint32_t t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_tok("note", s, t, fmt, ap);
    va_end(ap);
}
