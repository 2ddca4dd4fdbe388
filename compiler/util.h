/*
 * util.h - what every stage of the translator allocates and builds with:
 * checked allocation, growable arrays, an arena, the string hash and a
 * string builder.  Running out of memory is an internal error (exit 70).
 */
#ifndef GOC_UTIL_H
#define GOC_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* realloc that never fails (n == 0 allocates one byte). */
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* The first n bytes of s as a NUL-terminated string. */
char *xstrndup(const char *s, size_t n);

/* The capacity, doubled from `cap` (or from `first` when it is 0), that
 * holds `need` elements. */
size_t grow_cap(size_t cap, size_t need, size_t first);
/* Growable array: make room for `need` elements in p[], whose capacity
 * (an integer lvalue of any width) is `cap`. */
#define ARRAY_RESERVE(p, cap, need)                                        \
    do {                                                                   \
        if ((size_t)(need) > (size_t)(cap)) {                              \
            size_t cap_ = grow_cap((size_t)(cap), (size_t)(need), 64);     \
            (p) = xrealloc((p), cap_ * sizeof *(p));                       \
            (cap) = cap_;                                                  \
        }                                                                  \
    } while (0)

/* An arena: zeroed, 16-byte aligned blocks freed all at once. */
typedef struct arena arena;
void *arena_alloc(arena **a, size_t n);
void arena_free(arena **a);

/* FNV-1a: the hash of identifier spellings. */
uint32_t str_hash(const char *s, size_t n);

/* A string builder: p is NUL-terminated once anything was appended and
 * belongs to the caller (free it). */
typedef struct sb {
    char *p;
    size_t n, cap;
} sb;
/* Append printf-formatted text. */
void sbf(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s (NULL appends nothing) and free it. */
void sbtake(sb *b, char *s);

#endif /* GOC_UTIL_H */
