/*
 * fe_tool - runs the front end without lowering, for the frontend tests.
 *   fe_tool emit  FILE.i [NAME]   write the unit back out (round trip)
 *   fe_tool names FILE.i [NAME]   each identifier of the main file and
 *                                 whether the parser read it as a type
 *   fe_tool ast   FILE.i [NAME]   dump the tree
 *   fe_tool translate FILE.i [NAME]  the whole translation (fe_translate)
 * NAME is the file name used until the first line marker.  Exit status as
 * goc's: 0, 1 for user errors (diagnostics on stderr), 70 internal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, r;
    char *p = malloc(cap);
    while (p && (r = fread(p + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *q = realloc(p, cap *= 2);
            if (!q)
                free(p);
            p = q;
        }
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: fe_tool emit|names|ast FILE [NAME]\n");
        return 2;
    }
    int mode = strcmp(argv[1], "names") == 0 ? 1 : strcmp(argv[1], "ast") == 0 ? 2 : 0;
    diag_configure(-1, getenv("FE_JSON") ? DIAG_FORMAT_JSON : DIAG_FORMAT_TEXT);
    size_t len;
    char *text = slurp(argv[2], &len);
    if (!text) {
        diag_plain_error("cannot read %s", argv[2]);
        return GOC_EXIT_USER;
    }
    fe_options opt = {.input_name = argc > 3 ? argv[3] : argv[2],
                      .line_markers = !getenv("FE_NO_LINE")};
    int rc = strcmp(argv[1], "translate") == 0
                 ? fe_translate(text, len, &opt, stdout)
                 : fe_parse_only(text, len, &opt, mode, stdout);
    free(text);
    return rc;
}
