#!/bin/sh
# entry.sh GOC WORK: the entry checks of entry.goc (docs/runtime.md,
# "Preemption"): none in a function whose calls all reach only functions
# of the unit that cannot call back (no_*), one in a function that may
# recurse or calls what goc cannot follow (yes_*); the program still runs.
set -u
GOC=$1 WORK=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
poll='{goc_preempt_poll();'
"$GOC" --no-line "$here/entry.goc" -o entry.c || fail "goc entry.goc"
n=0
for f in $(sed -n 's/^static int \([a-z_]*\)(.*{.*/\1/p' "$here/entry.goc"); do
    line=$(grep "^static int $f(.*{" entry.c) || fail "$f not found"
    case $f in
        no_*) case $line in *"$poll"*) fail "$f has an entry check: $line" ;; esac ;;
        yes_*) case $line in *"$poll"*) ;; *) fail "$f has no entry check: $line" ;; esac ;;
    esac
    n=$((n + 1))
done
[ $n -ge 10 ] || fail "only $n functions checked"
"$GOC" build -Wall -Wextra -Werror "$here/entry.goc" -o entry || fail "build"
out=$(GOC_PROCS=1 ./entry) || fail "entry exited $? (a wrong sum)"
[ "$out" = 7 ] || fail "entry printed '$out'"
echo "ok: entry checks"
