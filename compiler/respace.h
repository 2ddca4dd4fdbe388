/*
 * respace.h - give preprocessed text back the columns of its source files
 * (blanks the preprocessor collapsed, columns a macro expansion shifted),
 * so that the C compiler reports .goc columns (respace.c).
 */
#ifndef GOC_RESPACE_H
#define GOC_RESPACE_H

#include <stddef.h>

/* The respaced copy of text[0..len) (malloc'd, NUL-terminated, *out_len
 * bytes).  Original files are read by the names the line markers give,
 * relative to the current directory. */
char *respace(const char *text, size_t len, size_t *out_len);

#endif /* GOC_RESPACE_H */
