/*
 * util.c - allocation, growable arrays, an arena, the string hash and the
 * string builder (see util.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        diag_internal("out of memory");
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xrealloc(NULL, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

size_t grow_cap(size_t cap, size_t need, size_t first)
{
    size_t n = cap ? cap * 2 : first;
    while (n < need)
        n *= 2;
    return n;
}

struct arena {
    struct arena *next;
    size_t used, cap;
};

enum { ARENA_ALIGN = 16, ARENA_CHUNK = 65536 };

void *arena_alloc(arena **a, size_t n)
{
    n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (!*a || (*a)->used + n > (*a)->cap) {
        size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        arena *c = xrealloc(NULL, sizeof(arena) + ARENA_ALIGN + cap);
        c->next = *a;
        c->used = 0;
        c->cap = cap;
        *a = c;
    }
    void *p = (char *)(*a + 1) + ARENA_ALIGN + (*a)->used;
    (*a)->used += n;
    memset(p, 0, n);
    return p;
}

void arena_free(arena **a)
{
    while (*a) {
        arena *next = (*a)->next;
        free(*a);
        *a = next;
    }
}

uint32_t str_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

void sbf(sb *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0)
            diag_internal("formatting failed");
        if (b->p && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        b->cap = (b->cap + (size_t)k + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
}

void sbtake(sb *b, char *s)
{
    sbf(b, "%s", s ? s : "");
    free(s);
}
