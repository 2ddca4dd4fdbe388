#!/bin/sh
# coroutines.sh GOC WORK: gdb auto-loads goc-gdb.py from libgoc's
# .debug_gdb_scripts section; `info coroutines`, `coroutine N bt`, the
# channel pretty-printer and `start` (see coroutines.goc).
set -eu
GOC=$1 WORK=$2
DIR=$(cd "$(dirname "$0")" && pwd)
command -v gdb >/dev/null || { echo "SKIP: no gdb"; exit 77; }
gdb -batch -nx -ex 'python import gdb' >/dev/null 2>&1 ||
    { echo "SKIP: gdb without Python"; exit 77; }
mkdir -p "$WORK"
cd "$WORK"
cp "$DIR/coroutines.goc" .
"$GOC" build -g -O0 coroutines.goc -o prog
at() { grep -n "/\* $1 \*/" coroutines.goc | cut -d: -f1; }
status=0
fail() { echo "FAIL: $*"; status=1; }
has() { grep -qE -- "$2" "$1" || fail "$1 lacks /$2/"; }
# -nx: no ~/.gdbinit; the safe-path setting is the documented step
GOC_PROCS=2 timeout 120 gdb -batch -nx -iex 'set auto-load safe-path /' \
    -ex 'info auto-load python-scripts' \
    -ex "break coroutines.goc:$(at STOP1)" -ex "break coroutines.goc:$(at STOP2)" \
    -ex run -ex 'info coroutines' -ex 'coroutine 2 bt' \
    -ex 'print buf' -ex 'print c' -ex 'echo AFTER-BT\n' -ex 'bt 1' \
    -ex 'print pts' -ex 'print names' -ex 'print raw' \
    -ex continue -ex 'print buf' -ex 'echo START\n' -ex start \
    ./prog > out 2>&1 || true
has out 'Yes +goc-gdb.py'
# info coroutines: main running; 2 (blocker) and 4 (the go block) parked
has out "^\* 1 +running .* main +.*coroutines\.goc:$(at STOP1) in "
has out "^  2 +parked +chan receive at coroutines\.goc:$(at WAIT-BLOCKER) +coroutines\.goc:$(at SPAWN-BLOCKER) +.*coroutines\.goc:$(at WAIT-BLOCKER) in blocker"
has out "^  4 +parked +chan receive at coroutines\.goc:$(at WAIT-BLOCK) +coroutines\.goc:$(at SPAWN-BLOCK) +.*coroutines\.goc:$(at WAIT-BLOCK) in goc__go[0-9]+_run"
grep -qE '^  3 ' out && fail "coroutine 3 (finished) listed"
# coroutine 2's own frames, from its saved context
has out "^#[0-9]+ .* in blocker \(c=.*\) at .*coroutines\.goc:$(at WAIT-BLOCKER)\$"
has out "^#[0-9]+ .* in goc__go[0-9]+_run \(.*\) at .*coroutines\.goc:$(at SPAWN-BLOCKER)\$"
# channels: buffered with 7 and 8 in it, unbuffered with two receivers
# (the element type as the program spells it; a channel made through the
# C API, which records none, shows its element size)
has out '^\$1 = chan\(int\) len 2 cap 4 @0x'
has out '^\$2 = chan\(int\) len 0 cap 0, 2 receivers waiting @0x'
has out '^\$3 = chan\(struct point\) len 1 cap 3 @0x'
has out '^\$4 = chan\(name_t \*\) len 0 cap 0 closed @0x'
has out '^\$5 = chan\(elem 8 bytes\) len 0 cap 2 @0x'
has out '^\$6 = chan\(int\) len 2 cap 4 closed @0x'
# the registers are back: the selected thread is main again
sed -n '/^AFTER-BT/,$p' out > after
has after "^#0 +main \(\) at .*coroutines\.goc:$(at STOP1)\$"
# start stops in the user's main, at its first statement
sed -n '/^START/,$p' out > start
has start "^Thread .* hit Temporary breakpoint [0-9]+, main \(\) at .*coroutines\.goc:$(at FIRST)\$"
[ $status -eq 0 ] || cat out
exit $status
