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

#include "diag.h"

/* The process-wide settings (diag_configure, diag_set_stream); what one
 * unit reports is counted on its token stream (lex.c), not here. */
static struct {
    int color;
    enum diag_format format;
    FILE *stream; /* NULL: stderr */
} settings;

struct diag_source {
    char *path; /* the file whose text this is */
    char *text;
    size_t len;
};

void diag_configure(int color, enum diag_format format)
{
    if (color < 0) {
        const char *nc = getenv("NO_COLOR");
        color = isatty(2) && !(nc && *nc);
    }
    settings.color = color;
    settings.format = format;
}

void diag_set_stream(FILE *f) { settings.stream = f; }

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

static void print_message(const char *file, unsigned line, unsigned col,
                          const char *kind, const char *msg, const char *src,
                          size_t srclen)
{
    FILE *err = settings.stream ? settings.stream : stderr;
    if (settings.format == DIAG_FORMAT_JSON) {
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
    const char *bold = settings.color ? "\033[1m" : "";
    const char *red = settings.color ? "\033[1;31m" : "";
    const char *green = settings.color ? "\033[1;32m" : "";
    const char *off = settings.color ? "\033[0m" : "";
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
    print_message(NULL, 0, 0, "error", msg, NULL, 0);
}

void diag_internal(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fflush(stdout);
    print_message(NULL, 0, 0, "internal error", msg, NULL, 0);
    exit(GOC_EXIT_INTERNAL);
}

/* Read path into the cache unless it holds it already. */
static void source_load(diag_source **cache, const char *path)
{
    diag_source *c = *cache;
    if (c && strcmp(c->path, path) == 0)
        return;
    diag_source_free(cache);
    c = *cache = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(path)))
        return;
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t cap = 0, r;
    char tmp[65536];
    while ((r = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (c->len + r > cap) {
            cap = (c->len + r) * 2;
            char *nb = realloc(c->text, cap);
            if (!nb)
                break;
            c->text = nb;
        }
        memcpy(c->text + c->len, tmp, r);
        c->len += r;
    }
    fclose(f);
}

void diag_source_free(diag_source **cache)
{
    if (!*cache)
        return;
    free((*cache)->path);
    free((*cache)->text);
    free(*cache);
    *cache = NULL;
}

/* Line `line` (1-based) of `path`, or NULL; *len excludes the newline. */
static const char *source_line(diag_source **cache, const char *path,
                               unsigned line, size_t *len)
{
    source_load(cache, path);
    const diag_source *c = *cache;
    if (!c || !c->text)
        return NULL;
    const char *buf = c->text;
    size_t n = c->len;
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

void diag_report(diag_source **cache, const char *kind, const diag_loc *at,
                 const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    unsigned col = at->col;
    size_t srclen = 0;
    const char *src = at->file ? source_line(cache, at->file, at->line, &srclen) : NULL;
    if (src && at->spell)
        col = fix_column(src, srclen, at->spell, at->spelllen, col);
    print_message(at->file, at->line, col, kind, msg, src, srclen);
}
