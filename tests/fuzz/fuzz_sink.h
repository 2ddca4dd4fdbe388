/*
 * fuzz_sink.h - what the libFuzzer harnesses (fuzz_frontend.c,
 * fuzz_lower.c; fuzz_build.sh builds them) share: the entry point's
 * prototype and the sink that diagnostics and output go to.
 */
#ifndef GOC_FUZZ_SINK_H
#define GOC_FUZZ_SINK_H

#include <stdint.h>
#include <stdio.h>

#include "frontend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* /dev/null, set up as the diagnostics stream on the first call; NULL when
 * it cannot be opened. */
static inline FILE *fuzz_sink(void)
{
    static FILE *sink;
    if (!sink) {
        sink = fopen("/dev/null", "w");
        if (!sink)
            return NULL;
        diag_set_stream(sink);
        diag_configure(0, DIAG_FORMAT_TEXT);
    }
    return sink;
}

#endif /* GOC_FUZZ_SINK_H */
