#!/bin/sh
# Build both libFuzzer harnesses over the translator with clang, compiling
# the translator once for the two of them.
#
#   fuzz_build.sh CLANG SOURCE_DIR GEN_DIR OUT_DIR
#
# GEN_DIR holds the generated lexer.c, parser.c and parser.h.  Writes
# OUT_DIR/fuzz_frontend (tests/fuzz/fuzz_frontend.c: lexer, parser,
# emission, then the whole translation) and OUT_DIR/fuzz_lower
# (tests/fuzz/fuzz_lower.c: the whole translation).  Where clang has no
# libFuzzer, each is a script that exits 77, which CTest reports as
# skipped.
set -eu
cc=$1 src=$2 gen=$3 out=$4
mkdir -p "$out/obj"
skip() {
    for h in fuzz_frontend fuzz_lower; do
        printf '#!/bin/sh\necho "%s: skipping"\nexit 77\n' "$1" > "$out/$h"
        chmod +x "$out/$h"
    done
    exit 0
}
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; return (int)n * 0; }\n' \
    > "$out/obj/probe.c"
# shellcheck disable=SC2086
"$cc" -fsanitize=fuzzer $san "$out/obj/probe.c" -o "$out/obj/probe" 2> /dev/null ||
    skip "clang has no libFuzzer"
objs=""
for f in "$src"/compiler/*.c "$gen/lexer.c" "$gen/parser.c"; do
    case $(basename "$f") in main.c|driver*.c) continue ;; esac
    o="$out/obj/$(basename "$f" .c).o"
    # shellcheck disable=SC2086
    "$cc" -std=gnu11 -g -O1 -fsanitize=fuzzer-no-link $san -I"$src/compiler" \
        -I"$gen" -c "$f" -o "$o"
    objs="$objs $o"
done
for h in fuzz_frontend fuzz_lower; do
    # shellcheck disable=SC2086
    "$cc" -std=gnu11 -g -O1 -fsanitize=fuzzer $san -I"$src/compiler" -I"$gen" \
        -I"$src/tests/fuzz" "$src/tests/fuzz/$h.c" $objs -o "$out/$h"
done
