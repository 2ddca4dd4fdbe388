/*
 * json.h - a strict JSON (RFC 8259) reader for goc's tools (goc trace).
 * The whole text is parsed into a tree of json_value; errors say where.
 */
#ifndef GOC_JSON_H
#define GOC_JSON_H

#include <stddef.h>

typedef enum json_kind {
    JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING,
    JSON_ARRAY, JSON_OBJECT
} json_kind;

typedef struct json_value json_value;
struct json_value {
    json_kind kind;
    double num;          /* JSON_NUMBER */
    char *str;           /* JSON_STRING: decoded UTF-8, NUL-terminated */
    size_t len;          /* JSON_STRING: bytes; ARRAY/OBJECT: members */
    json_value **items;  /* ARRAY: elements; OBJECT: member values */
    char **keys;         /* OBJECT: member names, parallel to items */
};

/*
 * Parse text[0..len).  Returns the tree, or NULL with "line L, column C:
 * what" in err (columns count bytes from 1).  Nesting deeper than 512
 * levels is an error rather than a deep recursion.
 */
json_value *json_parse(const char *text, size_t len, char *err, size_t errlen);
void json_free(json_value *v);

/* The member key of an object (the last one if repeated), or NULL. */
const json_value *json_get(const json_value *obj, const char *key);

#endif
