/*
 * json.c - strict recursive-descent JSON reader (json.h).
 *
 * Grammar (RFC 8259): value = object | array | string | number | true |
 * false | null, with whitespace around tokens.  Nothing is accepted beyond
 * it: no comments, trailing commas, NaN, single quotes or control
 * characters inside strings.  The first error stops the parse; its
 * position is recomputed from the byte offset only then.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

enum { MAX_DEPTH = 512 };

typedef struct parser {
    const char *s;
    size_t n, pos;
    int depth;
    char *err;
    size_t errlen;
    int failed;
} parser;

static void fail(parser *p, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = 1;
    unsigned line = 1, col = 1;
    for (size_t i = 0; i < p->pos && i < p->n; i++) {
        if (p->s[i] == '\n')
            line++, col = 1;
        else
            col++;
    }
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "line %u, column %u: %s", line, col, what);
}

static json_value *node(json_kind kind)
{
    json_value *v = xrealloc(NULL, sizeof *v);
    memset(v, 0, sizeof *v);
    v->kind = kind;
    return v;
}

static void skip_ws(parser *p)
{
    while (p->pos < p->n && strchr(" \t\r\n", p->s[p->pos]) && p->s[p->pos])
        p->pos++;
}

static int peek(parser *p)
{
    return p->pos < p->n ? (unsigned char)p->s[p->pos] : -1;
}

static const char *describe(parser *p)
{
    static char buf[32];
    int c = peek(p);
    if (c < 0)
        return "end of input";
    if (c < 0x20 || c >= 0x7f)
        snprintf(buf, sizeof buf, "byte 0x%02x", (unsigned)c);
    else
        snprintf(buf, sizeof buf, "'%c'", c);
    return buf;
}

static json_value *parse_value(parser *p);

static int hex4(parser *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int c = peek(p);
        int d = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) {
            fail(p, "bad \\u escape: expected a hex digit, found %s", describe(p));
            return 0;
        }
        v = v * 16 + (unsigned)d;
        p->pos++;
    }
    *out = v;
    return 1;
}

static void put_byte(char **buf, size_t *len, size_t *cap, char c)
{
    if (*len + 2 > *cap) {
        *cap = (*len + 2) * 2;
        *buf = xrealloc(*buf, *cap);
    }
    (*buf)[(*len)++] = c;
}

static void put_utf8(char **buf, size_t *len, size_t *cap, unsigned cp)
{
    char tmp[4];
    size_t k;
    if (cp < 0x80)
        tmp[0] = (char)cp, k = 1;
    else if (cp < 0x800)
        tmp[0] = (char)(0xc0 | cp >> 6), tmp[1] = (char)(0x80 | (cp & 0x3f)), k = 2;
    else if (cp < 0x10000)
        tmp[0] = (char)(0xe0 | cp >> 12), tmp[1] = (char)(0x80 | (cp >> 6 & 0x3f)),
        tmp[2] = (char)(0x80 | (cp & 0x3f)), k = 3;
    else
        tmp[0] = (char)(0xf0 | cp >> 18), tmp[1] = (char)(0x80 | (cp >> 12 & 0x3f)),
        tmp[2] = (char)(0x80 | (cp >> 6 & 0x3f)), tmp[3] = (char)(0x80 | (cp & 0x3f)), k = 4;
    if (*len + k + 1 > *cap) {
        *cap = (*len + k + 1) * 2;
        *buf = xrealloc(*buf, *cap);
    }
    memcpy(*buf + *len, tmp, k);
    *len += k;
}

/* \uXXXX, with a following \uXXXX when the first is a high surrogate. */
static int unicode_escape(parser *p, unsigned *cp)
{
    if (!hex4(p, cp))
        return 0;
    if (*cp >= 0xdc00 && *cp <= 0xdfff) {
        fail(p, "unpaired low surrogate in \\u escape");
        return 0;
    }
    if (*cp < 0xd800 || *cp > 0xdbff)
        return 1;
    unsigned lo;
    if (peek(p) != '\\' || p->pos + 1 >= p->n || p->s[p->pos + 1] != 'u') {
        fail(p, "unpaired high surrogate in \\u escape");
        return 0;
    }
    p->pos += 2;
    if (!hex4(p, &lo))
        return 0;
    if (lo < 0xdc00 || lo > 0xdfff) {
        fail(p, "unpaired high surrogate in \\u escape");
        return 0;
    }
    *cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
    return 1;
}

/* string = '"' chars '"'; p->pos is at the opening quote. */
static char *parse_string(parser *p, size_t *outlen)
{
    size_t len = 0, cap = 16;
    char *buf = xrealloc(NULL, cap);
    p->pos++;
    for (;;) {
        int c = peek(p);
        unsigned cp;
        if (c < 0) {
            fail(p, "unterminated string");
            break;
        }
        if (c == '"') {
            p->pos++;
            buf[len] = 0;
            *outlen = len;
            return buf;
        }
        if (c < 0x20) {
            fail(p, "control character %s in a string", describe(p));
            break;
        }
        p->pos++;
        if (c != '\\') {
            put_byte(&buf, &len, &cap, (char)c);
            continue;
        }
        c = peek(p);
        p->pos++;
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *e = c > 0 ? strchr(from, c) : NULL;
        if (e && *e)
            cp = (unsigned char)to[e - from];
        else if (c == 'u') {
            if (!unicode_escape(p, &cp))
                break;
        } else {
            p->pos--;
            if (c > 0x20 && c < 0x7f)
                fail(p, "bad escape '\\%c' in a string", c);
            else
                fail(p, "bad escape: backslash before %s in a string", describe(p));
            break;
        }
        put_utf8(&buf, &len, &cap, cp);
    }
    free(buf);
    return NULL;
}

static size_t digits(parser *p)
{
    size_t k = 0;
    while (peek(p) >= '0' && peek(p) <= '9')
        p->pos++, k++;
    return k;
}

/* number = '-'? ('0' | [1-9][0-9]*) ('.' [0-9]+)? ([eE] [+-]? [0-9]+)? */
static json_value *parse_number(parser *p)
{
    size_t start = p->pos;
    if (peek(p) == '-')
        p->pos++;
    if (peek(p) == '0')
        p->pos++;
    else if (!digits(p)) {
        fail(p, "expected a digit, found %s", describe(p));
        return NULL;
    }
    if (peek(p) == '.') {
        p->pos++;
        if (!digits(p)) {
            fail(p, "expected a digit after '.', found %s", describe(p));
            return NULL;
        }
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        p->pos++;
        if (peek(p) == '+' || peek(p) == '-')
            p->pos++;
        if (!digits(p)) {
            fail(p, "expected a digit in the exponent, found %s", describe(p));
            return NULL;
        }
    }
    char tmp[64];
    size_t k = p->pos - start;
    char *txt = k < sizeof tmp ? tmp : xrealloc(NULL, k + 1);
    memcpy(txt, p->s + start, k);
    txt[k] = 0;
    json_value *v = node(JSON_NUMBER);
    v->num = strtod(txt, NULL);
    if (txt != tmp)
        free(txt);
    return v;
}

static int literal(parser *p, const char *word)
{
    size_t k = strlen(word);
    if (p->n - p->pos >= k && memcmp(p->s + p->pos, word, k) == 0) {
        p->pos += k;
        return 1;
    }
    return 0;
}

static void add_item(json_value *v, json_value *item, char *key, size_t *cap)
{
    if (v->len == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        v->items = xrealloc(v->items, *cap * sizeof *v->items);
        if (v->kind == JSON_OBJECT)
            v->keys = xrealloc(v->keys, *cap * sizeof *v->keys);
    }
    v->items[v->len] = item;
    if (key)
        v->keys[v->len] = key;
    v->len++;
}

/* array = '[' (value (',' value)*)? ']' */
static json_value *parse_array(parser *p)
{
    json_value *v = node(JSON_ARRAY);
    size_t cap = 0;
    p->pos++;
    skip_ws(p);
    if (peek(p) == ']') {
        p->pos++;
        return v;
    }
    for (;;) {
        json_value *item = parse_value(p);
        if (!item)
            break;
        add_item(v, item, NULL, &cap);
        skip_ws(p);
        if (peek(p) == ',') {
            p->pos++;
            continue;
        }
        if (peek(p) == ']') {
            p->pos++;
            return v;
        }
        fail(p, "expected ',' or ']' in an array, found %s", describe(p));
        break;
    }
    json_free(v);
    return NULL;
}

/* object = '{' (string ':' value (',' string ':' value)*)? '}' */
static json_value *parse_object(parser *p)
{
    json_value *v = node(JSON_OBJECT);
    size_t cap = 0;
    p->pos++;
    skip_ws(p);
    if (peek(p) == '}') {
        p->pos++;
        return v;
    }
    for (;;) {
        skip_ws(p);
        if (peek(p) != '"') {
            fail(p, "expected a member name in quotes, found %s", describe(p));
            break;
        }
        size_t klen;
        char *key = parse_string(p, &klen);
        if (!key)
            break;
        skip_ws(p);
        if (peek(p) != ':') {
            free(key);
            fail(p, "expected ':' after a member name, found %s", describe(p));
            break;
        }
        p->pos++;
        json_value *item = parse_value(p);
        if (!item) {
            free(key);
            break;
        }
        add_item(v, item, key, &cap);
        skip_ws(p);
        if (peek(p) == ',') {
            p->pos++;
            continue;
        }
        if (peek(p) == '}') {
            p->pos++;
            return v;
        }
        fail(p, "expected ',' or '}' in an object, found %s", describe(p));
        break;
    }
    json_free(v);
    return NULL;
}

static json_value *parse_value(parser *p)
{
    skip_ws(p);
    int c = peek(p);
    json_value *v = NULL;
    if (c == '{' || c == '[') {
        if (++p->depth > MAX_DEPTH) {
            fail(p, "nested deeper than %d levels", MAX_DEPTH);
            return NULL;
        }
        v = c == '{' ? parse_object(p) : parse_array(p);
        p->depth--;
    } else if (c == '"') {
        size_t len;
        char *s = parse_string(p, &len);
        if (s) {
            v = node(JSON_STRING);
            v->str = s;
            v->len = len;
        }
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        v = parse_number(p);
    } else if (literal(p, "true")) {
        v = node(JSON_TRUE);
    } else if (literal(p, "false")) {
        v = node(JSON_FALSE);
    } else if (literal(p, "null")) {
        v = node(JSON_NULL);
    } else {
        fail(p, "expected a value, found %s", describe(p));
    }
    return v;
}

json_value *json_parse(const char *text, size_t len, char *err, size_t errlen)
{
    parser p = {.s = text, .n = len, .err = err, .errlen = errlen};
    json_value *v = parse_value(&p);
    if (v) {
        skip_ws(&p);
        if (p.pos < p.n) {
            fail(&p, "unexpected %s after the JSON value", describe(&p));
            json_free(v);
            v = NULL;
        }
    }
    return v;
}

void json_free(json_value *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->len && v->items; i++) {
        json_free(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}

const json_value *json_get(const json_value *obj, const char *key)
{
    if (!obj || obj->kind != JSON_OBJECT)
        return NULL;
    for (size_t i = obj->len; i-- > 0;)
        if (strcmp(obj->keys[i], key) == 0)
            return obj->items[i];
    return NULL;
}
