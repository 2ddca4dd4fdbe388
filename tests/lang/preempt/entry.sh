#!/bin/sh
# entry.sh GOC WORK: the entry checks of entry.goc (docs/runtime.md,
# "Preemption"): none in a function whose calls all reach only functions
# of the unit that cannot call back (no_*), one in a function that may
# recurse or calls what goc cannot follow (yes_*), none but the section
# goc_async_text in a pure function that may recurse (async_*); the
# program still runs, built by gcc and by clang.
set -u
GOC=$1 WORK=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
poll='{goc_preempt_poll();'
async='__attribute__((__section__("goc_async_text"))) '
"$GOC" --no-line "$here/entry.goc" -o entry.c || fail "goc entry.goc"
n=0
for f in $(sed -n 's/^static int \([a-z_]*\)(.*{.*/\1/p' "$here/entry.goc"); do
    line=$(grep "^\($async\)\?static int $f(.*{" entry.c) || fail "$f not found"
    case $f in
        no_*|yes_*) case $line in "$async"*) fail "$f is in goc_async_text: $line" ;; esac ;;
    esac
    case $f in
        no_*|async_*) case $line in *"$poll"*) fail "$f has an entry check: $line" ;; esac ;;
        yes_*) case $line in *"$poll"*) ;; *) fail "$f has no entry check: $line" ;; esac ;;
    esac
    case $f in
        async_*) case $line in "$async"*) ;; *) fail "$f is not in goc_async_text: $line" ;; esac ;;
    esac
    n=$((n + 1))
done
[ $n -ge 15 ] || fail "only $n functions checked"
grep -q "goc__async_unit(void) { goc_async_register(" entry.c ||
    fail "no constructor for the unit's goc_async_text"
for cc in gcc clang; do
    command -v $cc >/dev/null || continue
    "$GOC" build --cc=$cc -Wall -Wextra -Werror "$here/entry.goc" -o entry || fail "build ($cc)"
    out=$(GOC_PROCS=1 ./entry) || fail "entry exited $? (a wrong sum, $cc)"
    [ "$out" = "7
0
0" ] || fail "entry printed '$out' ($cc)"
    # the section holds the async_ functions and only them
    nm entry | grep -q ' __start_goc_async_text$' || fail "no goc_async_text ($cc)"
done
echo "ok: entry checks"
