#!/bin/sh
# traceback.sh GOC WORK: the panic, the deadlock report, goc_dump() and the
# SIGQUIT dump (SIGQUIT inherited ignored, as by a program a script starts
# in the background) show each coroutine's call stack with function and
# .goc file:line (see traceback.goc).
set -eu
GOC=$1 WORK=$2
DIR=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK"
cd "$WORK"
cp "$DIR/traceback.goc" .
"$GOC" build -g traceback.goc -o prog
at() { grep -n "/\* $1 \*/" traceback.goc | cut -d: -f1; }
status=0
fail() { echo "FAIL: $*"; status=1; }
# frames <report>: "<coroutine id> <function> <file>:<line>" per frame
frames() {
    awk '/^coroutine [0-9]+ \[/ { id = $2 }
         /^\t[^\t]/ { fn = substr($0, 2); next_is_loc = 1; next }
         /^\t\t/ && next_is_loc { loc = substr($0, 3); n = split(loc, p, "/")
                                  print id, fn, p[n]; next_is_loc = 0 }' "$1"
}
# expect <frames file> <regex>
expect() { grep -qE -- "$2" "$1" || { fail "no frame /$2/ in:"; cat "$1"; }; }

# deadlock: every coroutine parked, each with its stack (1 and 2 workers)
for procs in 1 2; do
    set +e; GOC_PROCS=$procs ./prog deadlock > out 2> err; rc=$?; set -e
    [ $rc -eq 2 ] || fail "deadlock exit $rc"
    frames err > f
    expect f "^1 main traceback\.goc:$(at BLOCK-MAIN)\$"
    expect f "^[0-9]+ deep traceback\.goc:$(at BLOCK-DEEP)\$"
    [ "$(grep -c " deep traceback\.goc:$(at RECURSE)\$" f)" -eq 2 ] ||
        fail "two recursive frames of deep expected"
    expect f "^[0-9]+ goc__go[0-9]+_run traceback\.goc:$(at SPAWN-DEEP)\$"
    expect f "^[0-9]+ goc__go[0-9]+_run traceback\.goc:$(at BLOCK-BLOCK)\$"
    grep -qE ' (rt_|g_switch|goc_chan)|/runtime/' f && fail "runtime frames shown: $(cat f)"
done

# panic: the running coroutine's stack
set +e; ./prog panic > out 2> err; rc=$?; set -e
[ $rc -eq 2 ] || fail "panic exit $rc"
grep -q '^panic: on purpose' err || fail "no panic line: $(cat err)"
frames err > f
expect f "^1 fail_now traceback\.goc:$(at PANIC)\$"
expect f "^1 main traceback\.goc:$(at CALL-PANIC)\$"

# goc_dump and goc_num_coroutines: the program carries on
./prog dump > out 2> err || fail "dump mode exit $?"
grep -q '^coroutines 3$' out || fail "goc_num_coroutines: $(cat out)"
grep -q '^coroutine dump$' err || fail "no dump header: $(cat err)"
grep -q '^end of coroutine dump$' err || fail "no dump trailer"
frames err > f
expect f "^1 main traceback\.goc:$(at DUMP)\$"
expect f "^[0-9]+ deep traceback\.goc:$(at BLOCK-DEEP)\$"

# SIGQUIT arriving ignored (a background job of a script) still dumps
(trap '' QUIT; exec ./prog sigquit) > out 2> err &
pid=$!
i=0
while ! grep -q waiting out && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -QUIT $pid
i=0
while ! grep -q 'end of coroutine dump' err && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
grep -q '^SIGQUIT: coroutine dump' err || fail "no SIGQUIT dump: $(cat err)"
frames err > f
expect f "^1 main traceback\.goc:$(at SLEEP)\$"
expect f "^[0-9]+ deep traceback\.goc:$(at BLOCK-DEEP)\$"
exit $status
