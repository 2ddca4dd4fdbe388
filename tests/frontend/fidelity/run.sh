#!/bin/sh
# run.sh GOC CC SRC WORK: one C-fidelity case (issue 10).  SRC builds
# with `goc build` and the flags of its FLAGS: line, and the program must
# exit 0 (each case checks its own results) unless EXIT says otherwise.  Lines in SRC:
#   FLAGS: words      build flags (default: -std=gnu11 -Wall -Wextra -Werror)
#   CC: name why      only with this C compiler (gcc, clang); else skipped,
#                     saying why (what the other compiler lacks)
#   STDOUT: text      standard output must be exactly this line
#   EXIT: n           the program's exit status (default 0)
#   STDERR: text      standard error must contain this text
#   STDIN             translate with `goc - -o - < SRC` instead
#   XGOC              SRC is a .c file built with `goc build -x goc`
# Exit 77 (skip) when CC is not the one the case names.
set -u
GOC=$1 CC=$2 SRC=$3 WORK=$4
name=$(basename "$SRC"); name=${name%.*}
ccname=$(basename "$CC")
exe="$WORK/$name.$ccname"
mkdir -p "$WORK"
fail() { echo "FAIL: $name ($ccname): $*" >&2; exit 1; }
field() { sed -n "s/^ *\*\{0,1\} *$1: *//p" "$SRC" | head -n 1; }
has() { grep -q "^ *\*\{0,1\} *$1 *\$" "$SRC"; }

only=$(field CC)
why=${only#*[ 	]}; [ "$why" != "$only" ] || why="not a $ccname case"
only=${only%%[ 	]*}
[ -z "$only" ] || [ "$only" = "$ccname" ] || { echo "skip: $ccname: $why"; exit 77; }
flags=$(field FLAGS)
flags=${flags:--std=gnu11 -Wall -Wextra -Werror}
export CC
if has STDIN; then
    # shellcheck disable=SC2086
    "$GOC" - -o - <"$SRC" >"$exe.c" || fail "goc - failed"
    # shellcheck disable=SC2086
    "$CC" $flags -x c -c "$exe.c" -o "$exe.o" || fail "$CC rejects the stdin translation"
    "$GOC" build "$exe.o" -o "$exe" || fail "link failed"
elif has XGOC; then
    # shellcheck disable=SC2086
    "$GOC" build -x goc $flags "$SRC" -o "$exe" || fail "goc build -x goc failed"
else
    # shellcheck disable=SC2086
    "$GOC" build $flags "$SRC" -o "$exe" || fail "goc build $flags failed"
fi
"$exe" >"$exe.out" 2>"$exe.err"
rc=$?
cat "$exe.out"; cat "$exe.err" >&2
want=$(field EXIT)
[ "$rc" = "${want:-0}" ] || fail "exit status $rc, want ${want:-0}"
want=$(field STDERR)
[ -z "$want" ] || grep -qF "$want" "$exe.err" || fail "stderr lacks '$want'"
want=$(field STDOUT)
[ -z "$want" ] || [ "$(cat "$exe.out")" = "$want" ] || fail "stdout is not '$want'"
exit 0
