#!/bin/sh
# Run a libFuzzer harness over the translator briefly (fuzz_build.sh built
# it, once for both harnesses).
#
#   fuzz.sh SOURCE_DIR WORK_DIR SECONDS FUZZER [SEEDS...]
#
# Each of SEEDS, relative to SOURCE_DIR, is a directory of seed inputs, read
# as it is, or a file pattern (e.g. 'samples/*.goc') whose files are copied
# with their #include lines removed (the harnesses take preprocessed units)
# into WORK_DIR/seeds.  New inputs go to WORK_DIR/corpus, libFuzzer's first
# corpus directory, so the source tree is never written.  Exit 77 (skipped)
# when the fuzzer could not be built.
set -eu
src=$1 work=$2 secs=$3 fuzzer=$4
shift 4
rm -rf "$work/seeds"
mkdir -p "$work/corpus" "$work/seeds"
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
"$fuzzer" -max_total_time="$secs" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -dict="$src/tests/frontend/fuzz.dict" \
    -print_final_stats=1 corpus seeds $dirs > fuzz.log 2>&1 || status=$?
tail -40 fuzz.log
exit "$status"
