#!/bin/sh
# asan.sh GOC WORK: AddressSanitizer's report on a goc program names the
# .goc line of each frame, inside and after lowered constructs (asan.goc).
set -eu
GOC=$1 WORK=$2
DIR=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK"
cd "$WORK"
cp "$DIR/asan.goc" .
"$GOC" build -g -fsanitize=address asan.goc -o prog 2> build.err ||
    { echo "SKIP: no ASan build: $(cat build.err)"; exit 77; }
at() { grep -n "/\* $1 \*/" asan.goc | cut -d: -f1; }
set +e
ASAN_OPTIONS=detect_leaks=0 ./prog > out 2> err
rc=$?
set -e
status=0
[ $rc -ne 0 ] || { echo "FAIL: no ASan report"; status=1; }
grep -q 'heap-use-after-free' err || { echo "FAIL: no heap-use-after-free"; status=1; }
# the first stack of the report: the read, then its caller, main
awk '/^ *#[0-9]/ { print } /^$/ && seen { exit } /^ *#0/ { seen = 1 }' err > stack
grep -qE "#0 .* in use .*asan\.goc:$(at BAD-READ)(:[0-9]+)?\$" stack ||
    { echo "FAIL: frame 0 not at asan.goc:$(at BAD-READ)"; status=1; }
grep -qE "#1 .* in main .*asan\.goc:$(at CALL-IN-MAIN)(:[0-9]+)?\$" stack ||
    { echo "FAIL: frame 1 not at asan.goc:$(at CALL-IN-MAIN)"; status=1; }
# goc's wrapper that calls main belongs to main's own line
grep -qE "#2 .* in goc__main .*asan\.goc:$(at MAIN)(:[0-9]+)?\$" stack ||
    { echo "FAIL: frame 2 not at asan.goc:$(at MAIN)"; status=1; }
[ $status -eq 0 ] || cat err
exit $status
