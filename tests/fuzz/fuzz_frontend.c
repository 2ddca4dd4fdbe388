/*
 * fuzz_frontend.c - libFuzzer harness for the lexer, the parser and
 * emission, then the whole translation with sema and lowering (fuzz_build.sh
 * builds it with clang -fsanitize=fuzzer,address,undefined).
 * The input is a preprocessed translation unit; its first byte picks the
 * file name, so both .goc (goc words active) and .c inputs are covered.
 */
#include "fuzz_sink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *sink = fuzz_sink();
    if (!sink)
        return 0;
    fe_options opt = {.input_name = size && (data[0] & 1) ? "fuzz.c" : "fuzz.goc",
                      .line_markers = size & 2, .iso = size & 4};
    fe_parse_only((const char *)data, size, &opt, 0, sink);
    fe_parse_only((const char *)data, size, &opt, 1, sink);
    fe_translate((const char *)data, size, &opt, sink);
    return 0;
}
