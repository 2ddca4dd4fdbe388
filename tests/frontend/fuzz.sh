#!/bin/sh
# Build a libFuzzer harness over the translator with clang and run it
# briefly.
#
#   fuzz.sh SOURCE_DIR GEN_DIR WORK_DIR SECONDS HARNESS [SEEDS...]
#
# GEN_DIR holds the generated lexer.c, parser.c and parser.h; HARNESS is the
# harness source, relative to SOURCE_DIR.  Each of SEEDS, relative to
# SOURCE_DIR, is a directory of seed inputs, read as it is, or a file
# pattern (e.g. 'samples/*.goc') whose files are copied with their #include
# lines removed (the harnesses take preprocessed units) into WORK_DIR/seeds.
# New inputs go to WORK_DIR/corpus, libFuzzer's first corpus directory, so
# the source tree is never written.
set -eu
src=$1 gen=$2 work=$3 secs=$4 harness=$5
shift 5
command -v clang > /dev/null || { echo "clang not found: skipping"; exit 77; }
name=$(basename "$harness" .c)
rm -rf "$work/seeds"
mkdir -p "$work/corpus" "$work/seeds"
files=""
for f in "$src"/compiler/*.c; do
    case $(basename "$f") in main.c|driver*.c) ;; *) files="$files $f" ;; esac
done
# shellcheck disable=SC2086
clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -I"$src/compiler" -I"$gen" \
    -I"$src/tests/frontend" "$src/$harness" $files "$gen/lexer.c" \
    "$gen/parser.c" -o "$work/$name"
dirs=""
for s in "$@"; do
    if [ -d "$src/$s" ]; then
        dirs="$dirs $src/$s"
        continue
    fi
    for f in "$src"/$s; do
        [ -f "$f" ] || continue
        grep -v '^#include' "$f" | head -c 8000 \
            > "$work/seeds/$(basename "$(dirname "$f")")_$(basename "$f")"
    done
done
cd "$work"
status=0
# shellcheck disable=SC2086
"./$name" -max_total_time="$secs" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -dict="$src/tests/frontend/fuzz.dict" \
    -print_final_stats=1 corpus seeds $dirs > fuzz.log 2>&1 || status=$?
tail -40 fuzz.log
exit "$status"
