/*
 * translate.c - fe_translate: preprocessed text in, plain C out.
 * (Pass-through for now.)
 */
#include <stdio.h>

#include "frontend.h"
#include "lex.h"

const char *lex_file(const lex_stream *s, uint32_t t)
{
    return s->files[s->toks[t].file];
}

int fe_translate(const char *text, size_t len, const fe_options *opt,
                 FILE *out)
{
    (void)opt;
    if (fwrite(text, 1, len, out) != len) {
        diag_plain_error("cannot write output");
        return GOC_EXIT_USER;
    }
    return GOC_EXIT_OK;
}
