/*
 * goc-clangd.h - lets clangd (and other clang-based tools) read .goc files
 * well enough for completion, hover and go-to-definition.  Not for
 * compiling: goc translates .goc files; this header only helps a C parser
 * that does not know goc (docs/editors.md).
 *
 * It spells the goc words that a macro can express as the C that goc emits:
 * chan(T) is a goc_chan *, make(chan(T), n) a channel value, and go a
 * prefix that C can ignore (go f(x); is a call, go { } a block).  The new
 * token <-, select { case ... } and for (T v : c) have no C spelling, so
 * clang still reports errors on those lines: the .clangd configuration in
 * docs/editors.md hides clang's diagnostics in .goc and .goh files, and
 * goc's own checker (goc build -c -fsyntax-only) reports the real ones.
 */
#ifndef GOC_CLANGD_H
#define GOC_CLANGD_H

#include <goc.h>

#define chan(T) goc_chan *
#define make(...) ((goc_chan *)0)
#define go

#endif
