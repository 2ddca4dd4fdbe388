#!/bin/sh
# run.sh GOC WORK PROCS: tests of GOC_TRACE (docs/runtime.md, "Execution
# trace").  known.goc's trace must pass check_trace.py and be read by
# `goc trace` without a warning; a panicking
# program (../fail/close_closed.goc) must still leave a trace that parses,
# with main's last run in progress ("end": "running"); a path that cannot
# be written stops the program at start-up with exit status 2.
set -u
GOC=$1 WORK=$2 PROCS=$3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
"$GOC" build "$here/known.goc" -o "$WORK/known" || fail "goc build known.goc"
rm -f "$WORK/known.$PROCS.json"
GOC_PROCS=$PROCS GOC_TRACE=$WORK/known.$PROCS.json "$WORK/known" || fail "known exited $?"
python3 "$here/check_trace.py" "$WORK/known.$PROCS.json" "$here/known.goc" "$PROCS" || exit 1
# goc trace reads it without a warning and names the spawn sites.
"$GOC" trace "$WORK/known.$PROCS.json" >"$WORK/summary.txt" 2>"$WORK/summary.err" ||
    fail "goc trace failed: $(cat "$WORK/summary.err")"
[ ! -s "$WORK/summary.err" ] || fail "goc trace warned: $(cat "$WORK/summary.err")"
grep -q "known.goc:" "$WORK/summary.txt" || fail "goc trace names no spawn site"
# Every coroutine of known.goc ended (main's last run is cut short by the
# exit): nothing is blocked at the end, and a mutex wait is told apart.
! grep -q "still blocked\|blocked on running\|blocked on exit" "$WORK/summary.txt" ||
    fail "a coroutine's end counted as a block: $(cat "$WORK/summary.txt")"
grep -q "blocked on mutex" "$WORK/summary.txt" || fail "no mutex block in the summary"
"$GOC" build "$here/../fail/close_closed.goc" -o "$WORK/panics" || fail "goc build"
rm -f "$WORK/panic.$PROCS.json"
GOC_PROCS=$PROCS GOC_TRACE=$WORK/panic.$PROCS.json "$WORK/panics" 2>/dev/null
[ $? = 2 ] || fail "the panicking program did not exit 2"
python3 - "$WORK/panic.$PROCS.json" <<'PY' || fail "no usable trace after a panic"
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
runs = [e for e in ev if e["ph"] == "X" and e["args"]["id"] == 1]
assert runs and runs[-1]["args"]["end"] == "running", runs
PY
# An unwritable path is an error at start-up, not a lost trace at exit.
GOC_PROCS=$PROCS GOC_TRACE=$WORK/no/such/dir/t.json "$WORK/known" >/dev/null 2>"$WORK/bad.err"
[ $? = 2 ] && grep -q "cannot write GOC_TRACE" "$WORK/bad.err" ||
    fail "an unwritable GOC_TRACE was not reported: $(cat "$WORK/bad.err")"
echo "ok: trace tests at GOC_PROCS=$PROCS"
