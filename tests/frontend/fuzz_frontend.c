/*
 * fuzz_frontend.c - libFuzzer harness for the lexer, the parser and
 * emission, then the whole translation with sema and lowering (fuzz.sh
 * builds it with clang -fsanitize=fuzzer,address,undefined).
 * The input is a preprocessed translation unit; its first byte picks the
 * file name, so both .goc (goc words active) and .c inputs are covered.
 */
#include <stdint.h>
#include <stdio.h>

#include "frontend.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink) {
        sink = fopen("/dev/null", "w");
        if (!sink)
            return 0;
        diag_set_stream(sink);
        diag_configure(0, DIAG_FORMAT_TEXT);
    }
    fe_options opt = {size && (data[0] & 1) ? "fuzz.c" : "fuzz.goc", size & 2};
    diag_reset();
    fe_parse_only((const char *)data, size, &opt, 0, sink);
    diag_reset();
    fe_parse_only((const char *)data, size, &opt, 1, sink);
    diag_reset();
    fe_translate((const char *)data, size, &opt, sink);
    return 0;
}
