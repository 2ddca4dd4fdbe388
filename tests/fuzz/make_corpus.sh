#!/bin/sh
# Rebuild the seed corpus of one harness from the tree's programs.
#
#   tests/fuzz/make_corpus.sh FUZZER HARNESS   (from the source root)
#
# FUZZER is build/tests/fuzz/bin/fuzz_frontend or fuzz_lower, HARNESS
# "frontend" or "lower".  The candidates are the .goc programs of tests/
# and samples/ (and, for the front end, the C sources of the typedef and
# round-trip tests), with their #include lines removed (the harnesses take
# preprocessed units) and cut at 8 KB; libFuzzer's -merge=1 adds to
# tests/fuzz/corpus/HARNESS only those that reach code the corpus does
# not reach yet, so the corpus stays small.  The hand-written inputs
# already there are kept.  Commit what it adds.
set -eu
fuzzer=$1 h=$2
out=tests/fuzz/corpus/$h
cand=$(mktemp -d)
trap 'rm -rf "$cand"' EXIT
pats="tests/lang/*.goc tests/lang/*/*.goc tests/proc/*.goc tests/rt/*.goc
      tests/bench/*.goc samples/*.goc tests/frontend/goc/*.goc"
[ "$h" = frontend ] &&
    pats="$pats tests/frontend/typedef/*.c tests/frontend/roundtrip/*.c"
for f in $pats; do
    [ -f "$f" ] || continue
    name=$(basename "$(dirname "$f")")_$(basename "$f")
    grep -v '^#include' "$f" | head -c 8000 > "$cand/$name"
done
mkdir -p "$out"
before=$(ls "$out" | wc -l)
"$fuzzer" -merge=1 -max_len=8192 -timeout=10 "$out" "$cand" 2>&1 | tail -3
# libFuzzer names what it adds by its SHA-1: give back the source's name
for f in "$cand"/*; do
    sum=$(sha1sum < "$f" | cut -c1-40)
    [ -f "$out/$sum" ] && mv "$out/$sum" "$out/$(basename "$f")"
done
echo "$out: $before inputs before, $(ls "$out" | wc -l) now"
