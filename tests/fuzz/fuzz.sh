#!/bin/sh
# Run one libFuzzer harness over the translator for a fixed time
# (fuzz_build.sh built it).
#
#   fuzz.sh SOURCE_DIR WORK_DIR SECONDS FUZZER SEED_DIR... [-- LIBFUZZER_OPTIONS...]
#
# The SEED_DIRs, relative to SOURCE_DIR (the corpus and the regression
# inputs kept in tests/fuzz), are read only.  New inputs go to
# WORK_DIR/corpus, libFuzzer's first corpus directory, which the next run
# starts from; a crash, leak or timeout is written to WORK_DIR as
# crash-*, leak-* or timeout-*, and this script says how to keep it as a
# regression input.  Exit 77 (skipped) when clang had no libFuzzer.
# CTest runs each harness for a few seconds (label fuzz); for a longer run:
#   tests/fuzz/fuzz.sh . /tmp/fuzz-lower 3600 build/tests/fuzz/bin/fuzz_lower \
#       tests/fuzz/corpus/lower tests/fuzz/regress -- -jobs=2 -workers=2
set -eu
src=$1 work=$2 secs=$3 fuzzer=$4
shift 4
dirs=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    dirs="$dirs $src/$1"
    shift
done
[ $# -gt 0 ] && shift
mkdir -p "$work/corpus"
cd "$work"
rm -f crash-* leak-* timeout-* oom-*
status=0
# shellcheck disable=SC2086
"$fuzzer" -max_total_time="$secs" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -dict="$src/tests/fuzz/fuzz.dict" \
    -artifact_prefix="$work/" -print_final_stats=1 "$@" \
    corpus $dirs > fuzz.log 2>&1 || status=$?
tail -40 fuzz.log
[ -f fuzz-0.log ] && tail -20 fuzz-*.log
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' fuzz.log | tail -n 1)
[ -n "$runs" ] && echo "fuzz: $(basename "$fuzzer"): $runs runs in $secs s"
for a in crash-* leak-* timeout-* oom-*; do
    [ -f "$a" ] || continue
    echo "FAIL: $(basename "$fuzzer") found $work/$a; keep it as a regression"
    echo "  input: cp $work/$a tests/fuzz/regress/$(basename "$fuzzer" | sed 's/^fuzz_//')-WHAT"
    echo "  (fuzz.replay runs it through both harnesses), then fix the bug."
    status=1
done
exit "$status"
