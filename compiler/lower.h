/*
 * lower.h - lowering of go, chan and select into calls to <goc.h>.
 *
 * lower_unit() runs sema
 * over the parsed unit, then rewrites every goc construct through the
 * emit.h splice API.  Nothing else is exported.  The shape of the
 * generated code is documented in docs/language.md §7.
 *
 * Names the generated code uses, all with the reserved prefix goc__:
 *   goc__chan          typedef struct goc_chan *, what chan(T) becomes
 *   goc__lN            static const goc_loc of one site
 *   goc__goN, goc__goN_run   argument struct and function of one go
 *   goc__main          the adapter through which goc_main calls the
 *                      user's main (which keeps its name and symbol);
 *                      goc__started, goc__entered the check at the
 *                      start of main (lower_main)
 * Known to the runtime: keep in sync with runtime/goc.h.
 */
#ifndef GOC_LOWER_H
#define GOC_LOWER_H

#include "ast.h"

int lower_unit(ast_unit *u);

#endif /* GOC_LOWER_H */
