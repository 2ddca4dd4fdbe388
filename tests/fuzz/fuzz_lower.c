/*
 * fuzz_lower.c - libFuzzer harness for the whole translation of a .goc
 * unit: lexing, parsing, sema and lowering, then emission
 * (fuzz_build.sh builds it with clang
 * -fsanitize=fuzzer,address,undefined).  Two runs in one process also
 * check that sema leaves nothing behind between units.
 */
#include "fuzz_sink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *sink = fuzz_sink();
    if (!sink)
        return 0;
    fe_options opt = {.input_name = "fuzz.goc", .line_markers = size & 1};
    fe_translate((const char *)data, size, &opt, sink);
    return 0;
}
