#!/bin/sh
# run_sample.sh GOC SAMPLE WORKDIR LINE...: build SAMPLE with `goc build`,
# run it, and require exit status 0 and each LINE (a fixed string) in its
# standard output.
set -u
GOC=$1 SRC=$2 WORK=$3
shift 3
name=$(basename "$SRC" .goc)
mkdir -p "$WORK"
"$GOC" build -O2 "$SRC" -o "$WORK/$name" || { echo "FAIL: goc build $SRC" >&2; exit 1; }
"$WORK/$name" >"$WORK/$name.out"
rc=$?
cat "$WORK/$name.out"
[ "$rc" = 0 ] || { echo "FAIL: $name exited with $rc" >&2; exit 1; }
for line in "$@"; do
    grep -qF -- "$line" "$WORK/$name.out" || { echo "FAIL: $name: no line '$line'" >&2; exit 1; }
done
echo "ok: $name"
