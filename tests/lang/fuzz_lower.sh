#!/bin/sh
# fuzz_lower.sh SOURCE_DIR GEN_DIR WORK_DIR SECONDS: build fuzz_lower.c with
# clang and run it briefly; the seeds are the language tests, samples and
# benchmark twins with their #include lines removed.
set -eu
src=$1 gen=$2 work=$3 secs=$4
command -v clang > /dev/null || { echo "clang not found: skipping"; exit 77; }
mkdir -p "$work/corpus"
files=""
for f in "$src"/compiler/*.c; do
    case $(basename "$f") in main.c|driver*.c) ;; *) files="$files $f" ;; esac
done
# shellcheck disable=SC2086
clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -I"$src/compiler" -I"$gen" \
    "$src/tests/lang/fuzz_lower.c" $files "$gen/lexer.c" "$gen/parser.c" \
    -o "$work/fuzz_lower"
for f in "$src"/tests/lang/*.goc "$src"/tests/lang/*/*.goc "$src"/samples/*.goc \
         "$src"/tests/bench/*.goc; do
    [ -f "$f" ] || continue
    grep -v '^#include' "$f" | head -c 8000 > "$work/corpus/$(basename "$(dirname "$f")")_$(basename "$f")"
done
cd "$work"
status=0
./fuzz_lower -max_total_time="$secs" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -dict="$src/tests/frontend/fuzz.dict" \
    -print_final_stats=1 corpus > fuzz.log 2>&1 || status=$?
tail -30 fuzz.log
exit "$status"
