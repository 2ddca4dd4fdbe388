#!/bin/sh
# break.sh GOC WORK: gdb (batch mode) on a goc program built with -g: a
# breakpoint on each line of break.goc that carries a BP comment is placed
# on that very line and hit there.  gdb's own `start` (no goc support
# loaded) stops at the first statement of the user's main, a function
# named main, and `bt` there shows main, with gcc and with clang.
set -eu
GOC=$1 WORK=$2
DIR=$(cd "$(dirname "$0")" && pwd)
command -v gdb >/dev/null || { echo "SKIP: no gdb"; exit 77; }
mkdir -p "$WORK"
cd "$WORK"
cp "$DIR/break.goc" .
"$GOC" build -g -O0 break.goc -o prog
grep -n 'BP \*/' break.goc | cut -d: -f1 > want
n=$(wc -l < want)
[ "$n" -ge 9 ] || { echo "FAIL: too few BP lines"; exit 1; }
set -- -batch -nx -ex 'set pagination off' -ex 'set confirm off'
while read -r l; do set -- "$@" -ex "break break.goc:$l"; done < want
set -- "$@" -ex run
i=0
while [ $i -le "$n" ]; do set -- "$@" -ex continue; i=$((i + 1)); done
GOC_PROCS=1 gdb "$@" ./prog > out 2>&1 || true
status=0
# where each breakpoint was placed, and where each stop was
sed -n 's/^Breakpoint [0-9]* at .*: file .*break\.goc, line \([0-9]*\)\.$/\1/p' out > placed
sed -n 's/.*[Bb]reakpoint [0-9]*, .* at .*break\.goc:\([0-9]*\)$/\1/p' out | sort -n > hit
cmp -s want placed || { echo "FAIL: breakpoints placed at $(tr '\n' ' ' < placed), wanted $(tr '\n' ' ' < want)"; status=1; }
cmp -s want hit || { echo "FAIL: stops at $(tr '\n' ' ' < hit), wanted $(tr '\n' ' ' < want)"; status=1; }
grep -q '^204$' out || { echo "FAIL: the program did not finish"; status=1; }
[ $status -eq 0 ] || cat out
first=$(grep -n 'FIRST \*/' break.goc | cut -d: -f1)
for cc in gcc clang; do
    command -v $cc >/dev/null || continue
    "$GOC" build --cc=$cc -g -O0 break.goc -o prog-$cc
    GOC_PROCS=1 gdb -batch -nx -ex start -ex bt -ex 'info symbol $pc' \
        ./prog-$cc > start-$cc 2>&1 || true
    grep -qE "^(Thread .* hit )?Temporary breakpoint 1, main \(\) at .*break\.goc:$first\$" start-$cc ||
        { echo "FAIL ($cc): start did not stop in main at break.goc:$first"; status=1; }
    grep -qE "^#0 +main \(\) at .*break\.goc:$first\$" start-$cc ||
        { echo "FAIL ($cc): bt does not show main at break.goc:$first"; status=1; }
    grep -qE "^main \+ [0-9]+ in section" start-$cc ||
        { echo "FAIL ($cc): the symbol at the stop is not main"; status=1; }
    ! grep -q goc__ start-$cc ||
        { echo "FAIL ($cc): goc's names in the output"; status=1; }
    [ $status -eq 0 ] || cat start-$cc
done
exit $status
