#!/bin/sh
# Build the libFuzzer harness with clang and run it briefly over the seed
# corpus.  Usage: fuzz.sh SOURCE_DIR GEN_DIR WORK_DIR SECONDS
# (GEN_DIR holds the generated lexer.c, parser.c and parser.h.)
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
    "$src/tests/frontend/fuzz_frontend.c" $files "$gen/lexer.c" "$gen/parser.c" \
    -o "$work/fuzz_frontend"
cp "$src"/tests/frontend/corpus/* "$work/corpus/"
cd "$work"
status=0
./fuzz_frontend -max_total_time="$secs" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -dict="$src/tests/frontend/fuzz.dict" \
    -print_final_stats=1 corpus > fuzz.log 2>&1 || status=$?
tail -40 fuzz.log
exit "$status"
