#!/bin/sh
# pragma.sh GOC WORK: `#pragma goc preempt off|on` (docs/runtime.md,
# "Preemption").  In pragma.goc's translation the on_ functions have
# checks and the off_ ones none, and no `#pragma goc` line is left; the
# generated C builds with -Wall -Wextra -Werror; the program prints the
# independently known figures with checks, with -fno-preempt and with the
# whole file off, at GOC_PROCS=1 and 2 (the checks never change what a
# program does); a wrong or unknown `#pragma goc` is an error with its
# location.
set -u
GOC=$1 WORK=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
poll='goc_preempt_poll()[;,]\| goc_preempt_poll())'
"$GOC" --no-line "$here/pragma.goc" -o on.c || fail "goc pragma.goc"
# on_fib, a pure recursion, is preempted by signal instead of a check
# (its section: docs/runtime.md, "Preemption"); off_fib is neither.
async='__attribute__((__section__("goc_async_text"))) '
grep -q "^${async}static long on_fib(" on.c || fail "on_fib is not in goc_async_text"
! grep "on_fib(" on.c | grep -q "$poll" || fail "on_fib has an entry check"
grep "^static long on_sum(" on.c | grep -q "$poll" || fail "on_sum has no check"
grep -A1 "^int main(void)" on.c | grep -q "$poll" || fail "main has no check"
for f in off_fib off_sum off_sum2; do
    grep -q "^static long $f(" on.c || fail "$f not found"
    ! grep "^static long $f(" on.c | grep -q "$poll" || fail "$f has a check"
done
! grep -q "goc_async_text.*off_" on.c || fail "an off_ function in goc_async_text"
! grep -q '^[[:space:]]*#[[:space:]]*pragma[[:space:]]*goc\|_Pragma("goc' on.c ||
    fail "a #pragma goc line was left"
# The whole file off: the pragma first, then the file (its own pragmas
# turn the checks back on after off_fib and off_sum2).
{ echo "#pragma goc preempt off"; grep -v "preempt on" "$here/pragma.goc"; } > all_off.goc
"$GOC" --no-line all_off.goc -o all_off.c || fail "goc all_off.goc"
! grep -q "$poll\|goc_async_text\")" all_off.c ||
    fail "a check in a file that turned them off"
want="fib 150050 sums 14999850000"
for v in checks no-checks all-off; do
    case $v in
        checks) set -- "$here/pragma.goc" ;;
        no-checks) set -- -fno-preempt "$here/pragma.goc" ;;
        all-off) set -- all_off.goc ;;
    esac
    "$GOC" build -O2 -Wall -Wextra -Werror "$@" -o "prog_$v" || fail "build $v"
    for p in 1 2; do
        got=$(GOC_PROCS=$p "./prog_$v") || fail "$v at GOC_PROCS=$p exited $?"
        [ "$got" = "$want" ] || fail "$v at GOC_PROCS=$p printed '$got', want '$want'"
    done
done
printf 'int a;\n\n#pragma goc preempt maybe\nint main(void) { return 0; }\n' > bad1.goc
printf '#pragma goc inline\nint main(void) { return 0; }\n' > bad2.goc
"$GOC" bad1.goc -o bad1.c 2> bad1.err && fail "bad1.goc translated"
grep -q "bad1.goc:3:1: error: #pragma goc preempt wants 'on' or 'off'" bad1.err ||
    fail "bad1.goc: $(cat bad1.err)"
"$GOC" bad2.goc -o bad2.c 2> bad2.err && fail "bad2.goc translated"
grep -q "bad2.goc:1:1: error: unknown #pragma goc" bad2.err || fail "bad2.goc: $(cat bad2.err)"
echo "ok: #pragma goc preempt"
