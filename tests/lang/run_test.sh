#!/bin/sh
# run_test.sh GOC MODE SRC WORKDIR [CC]
# One tests/lang case.  Directives inside SRC (comments, read by
# tests/expect.sh, as for tests/fail):
#   EXPECT-EXIT: n        exit status of the program (default 0)
#   EXPECT-STDERR: text   text that stderr must contain
#   RUN-ARGS: words       arguments for the program
#   @HERE                 stderr must name SRC's file:line of this line
# MODE: run      build with `goc build`, run, check the directives
#       ubsan    the same, built with -fsanitize=undefined
#       warn     translate with goc, compile the C with CC -Wall -Wextra -Werror
#       error    `goc SRC` must fail (or exit with EXPECT-EXIT: 0 when SRC
#                only warns); stderr must equal SRC minus .goc plus .err
#       buildfail `goc build` must fail and name each @HERE line
#       multi    SRC is a directory: build all its .goc files into one
#                program and run it
#       bench    build with -O2 and run with the size given as the 5th
#                argument (a benchmark twin at smoke size)
set -u
GOC=$1 MODE=$2 SRC=$3 WORK=$4 CC=${5:-cc}
name=$(basename "$SRC" .goc)
dir=$(dirname "$SRC")
mkdir -p "$WORK"
fail() { echo "FAIL: $name: $*" >&2; exit 1; }

EXPECT=
if [ -f "$SRC" ]; then
    EXPECT=$(sh "$(dirname "$0")/../expect.sh" "$SRC") || fail "cannot read $SRC"
fi
# expect KIND: the values of one kind of expectation, one a line
expect() { printf '%s\n' "$EXPECT" | sed -n "s/^$1 //p"; }

check_here() { # $1: file with stderr
    expect here | while IFS= read -r h; do
        grep -q "$h\\b" "$1" || { echo "FAIL: $name: stderr does not name $h" >&2; exit 1; }
    done || exit 1
}

case $MODE in
run|ubsan)
    exe="$WORK/$name.${GOC_PROCS:-default}.$MODE"
    flags=
    [ "$MODE" = ubsan ] && flags="-fsanitize=undefined -fno-sanitize-recover=all"
    # shellcheck disable=SC2086
    "$GOC" build $flags "$SRC" -o "$exe" || fail "goc build failed"
    want=$(expect exit | tail -n 1); want=${want:-0}
    # shellcheck disable=SC2046
    "$exe" $(expect args) >"$exe.out" 2>"$exe.err"
    rc=$?
    cat "$exe.out"; cat "$exe.err" >&2
    [ "$rc" = "$want" ] || fail "exit status $rc, want $want"
    expect stderr | while IFS= read -r t; do
        grep -qF "$t" "$exe.err" || { echo "FAIL: $name: stderr lacks '$t'" >&2; exit 1; }
    done || exit 1
    check_here "$exe.err"
    ;;
warn)
    out="$WORK/$name.$(basename "$CC").c"
    CC="$CC" "$GOC" "$SRC" -o "$out" || fail "goc failed"
    "$CC" -std=gnu11 -O2 -Wall -Wextra -Werror -c "$out" -o "$out.o" ||
        fail "$CC warns about the generated C"
    ;;
error)
    cd "$dir" || exit 1
    NO_COLOR=1 "$GOC" "$name.goc" -o "$WORK/$name.c" 2>"$WORK/$name.stderr"
    rc=$?
    want=$(expect exit | tail -n 1); want=${want:-1}
    [ "$rc" = "$want" ] || { cat "$WORK/$name.stderr" >&2; fail "exit status $rc, want $want"; }
    diff -u "$name.err" "$WORK/$name.stderr" || fail "diagnostics differ from $name.err"
    ;;
buildfail)
    # C locale: the C compiler quotes names with plain ' for EXPECT-STDERR
    LC_ALL=C "$GOC" build "$SRC" -o "$WORK/$name" 2>"$WORK/$name.stderr"
    rc=$?
    cat "$WORK/$name.stderr" >&2
    [ "$rc" != 0 ] || fail "goc build succeeded"
    check_here "$WORK/$name.stderr"
    expect stderr | while IFS= read -r t; do
        grep -qF "$t" "$WORK/$name.stderr" ||
            { echo "FAIL: $name: stderr does not contain: $t" >&2; exit 1; }
    done || exit 1
    ;;
multi)
    # SRC is a directory: one program from all of its .goc files
    exe="$WORK/multi_$(basename "$SRC").${GOC_PROCS:-default}"
    "$GOC" build "$SRC"/*.goc -o "$exe" || fail "goc build failed"
    "$exe" || fail "exit status $?"
    ;;
bench)
    "$GOC" build -O2 "$SRC" -o "$WORK/bench_goc_$name" || fail "goc build failed"
    "$WORK/bench_goc_$name" "$CC" || fail "exit status $?"
    ;;
*) fail "unknown mode $MODE" ;;
esac
echo "ok: $name $MODE"
