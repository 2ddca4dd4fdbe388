#!/bin/sh
# async.sh GOC WORK: asynchronous preemption of pure recursion
# (docs/runtime.md, "Preemption").  async.goc's fib has no entry check
# and sits in goc_async_text; at GOC_PROCS=1 main must tick while two
# fib(38) run (they are stopped by SIGURG), and must not tick at all when
# GOC_DEBUG=asyncpreempt=0 turns the signal off or -fno-preempt removes
# preemption (the control: the ticks come from the signal).  Built by gcc
# and clang, -O2 -Wall -Wextra -Werror, and by gcc with ASan; the sums
# are checked each time.
set -u
GOC=$1 WORK=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
"$GOC" --no-line "$here/async.goc" -o async.c || fail "goc async.goc"
grep -q '^__attribute__((__section__("goc_async_text"))) static long fib(int n) { return' async.c ||
    fail "fib is not in goc_async_text, or has an entry check"
n=38
for cc in gcc clang; do
    command -v $cc >/dev/null || continue
    "$GOC" build --cc=$cc -O2 -Wall -Wextra -Werror "$here/async.goc" -o async ||
        fail "build ($cc)"
    "$GOC" build --cc=$cc -O2 -fno-preempt "$here/async.goc" -o async_np ||
        fail "build -fno-preempt ($cc)"
    t=$(GOC_PROCS=1 ./async $n) || fail "async exited $? ($cc)"
    [ "$t" -ge 3 ] || fail "main ticked $t times while fib ran ($cc): not preempted"
    t0=$(GOC_PROCS=1 GOC_DEBUG=asyncpreempt=0 ./async $n) || fail "asyncpreempt=0 exited $?"
    [ "$t0" -eq 0 ] || fail "main ticked $t0 times with asyncpreempt=0 ($cc)"
    tn=$(GOC_PROCS=1 ./async_np $n) || fail "-fno-preempt exited $?"
    [ "$tn" -eq 0 ] || fail "main ticked $tn times with -fno-preempt ($cc)"
    t2=$(GOC_PROCS=2 ./async $n) || fail "async at GOC_PROCS=2 exited $? ($cc)"
    echo "$cc: $t ticks while stopped by signal; 0 without; $t2 at GOC_PROCS=2"
done
# Under AddressSanitizer the handler's switch goes through the fiber
# annotations like any other (smaller n: ASan makes fib slower).
if command -v gcc >/dev/null; then
    "$GOC" build --cc=gcc -O1 -fsanitize=address "$here/async.goc" -o async_asan ||
        fail "build -fsanitize=address"
    ta=$(GOC_PROCS=1 ./async_asan 35) || fail "async under ASan exited $?"
    [ "$ta" -ge 1 ] || fail "under ASan main ticked $ta times: not preempted"
    echo "gcc -fsanitize=address: $ta ticks"
fi
echo "ok: asynchronous preemption"
