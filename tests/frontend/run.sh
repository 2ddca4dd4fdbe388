#!/bin/sh
# Frontend test runner.  Usage: run.sh MODE ARGS...
#   headers   GOC CC STD...  SRC WORK  translate headers.goc with goc, build, run
#   roundtrip TOOL CC SRC WORK       cc -E, fe_tool emit: byte-identical
#                                   output, same tokens without line markers,
#                                   same behaviour when compiled
#   names     TOOL SRC EXPECTED      typedef-name readings against a golden list
#   diag      TOOL SRC EXPECTED [json]  diagnostics against a golden file
#   gen       TOOL CASE EXPECTED WORK    generated robustness input, golden diags
set -eu
mode=$1; shift
fail() { echo "FAIL: $*" >&2; exit 1; }

case $mode in
headers)
    goc=$1 cc=$2 std=$3 src=$4 work=$5
    mkdir -p "$work"
    out=$work/headers
    # shellcheck disable=SC2086
    "$goc" --cc="$cc" $std "$src" -o "$out.c" || fail "goc could not translate $src"
    # shellcheck disable=SC2086
    "$cc" $std -I"$(dirname "$0")/../../runtime" -fsyntax-only -x c "$out.c" ||
        fail "$cc rejects the translation"
    # shellcheck disable=SC2086
    "$goc" build --cc="$cc" $std "$src" -o "$out" -lm || fail "goc build"
    "$out" > "$out.stdout" || fail "the program failed"
    grep -q '^1099511627776 0$' "$out.stdout" || fail "unexpected output: $(cat "$out.stdout")"
    ;;
roundtrip)
    tool=$1 cc=$2 src=$3 work=$4
    mkdir -p "$work"
    b=$work/$(basename "$src" .c)
    "$cc" -std=gnu17 -E -x c "$src" -o "$b.i"
    "$tool" emit "$b.i" "$src" > "$b.out.c" || fail "front end rejected $src"
    cmp "$b.i" "$b.out.c" || fail "round trip is not byte-identical"
    FE_NO_LINE=1 "$tool" emit "$b.i" "$src" > "$b.noline.c" || fail "--no-line"
    grep -v '^# [0-9]' "$b.i" > "$b.i.nomarkers" || true
    cmp "$b.i.nomarkers" "$b.noline.c" || fail "no-line output differs beyond markers"
    "$cc" -std=gnu17 -w -o "$b.orig" "$src" -lm
    "$cc" -std=gnu17 -w -o "$b.rt" -x c "$b.out.c" -lm
    "$cc" -std=gnu17 -w -o "$b.nl" -x c "$b.noline.c" -lm
    "$b.orig" > "$b.orig.txt"
    "$b.rt" > "$b.rt.txt"
    "$b.nl" > "$b.nl.txt"
    cmp "$b.orig.txt" "$b.rt.txt" || fail "behaviour differs after the round trip"
    cmp "$b.orig.txt" "$b.nl.txt" || fail "behaviour differs with --no-line"
    ;;
names)
    tool=$1 src=$2 expected=$3
    dir=$(dirname "$src"); name=$(basename "$src")
    (cd "$dir" && "$tool" names "$name" "$name") > "$TMPDIR_FE.names" 2>&1 ||
        { cat "$TMPDIR_FE.names"; fail "front end rejected $src"; }
    diff -u "$expected" "$TMPDIR_FE.names" || fail "typedef readings differ"
    ;;
diag)
    tool=$1 src=$2 expected=$3 json=${4:-}
    dir=$(dirname "$src"); name=$(basename "$src")
    set +e
    if [ -n "$json" ]; then
        (cd "$dir" && FE_JSON=1 "$tool" emit "$name" "$name") > /dev/null 2> "$TMPDIR_FE.err"
    else
        (cd "$dir" && "$tool" emit "$name" "$name") > /dev/null 2> "$TMPDIR_FE.err"
    fi
    rc=$?
    set -e
    [ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
    diff -u "$expected" "$TMPDIR_FE.err" || fail "diagnostics differ"
    ;;
color)
    # Colour on a terminal (script(1) provides one), none with NO_COLOR,
    # none when stderr is a file.
    tool=$1 src=$2
    command -v script > /dev/null || { echo "script(1) missing"; exit 77; }
    dir=$(dirname "$src"); name=$(basename "$src")
    esc=$(printf '\033')
    cd "$dir"
    out=$(script -qec "$tool emit $name $name" /dev/null || true)
    case $out in *"$esc["*) ;; *) fail "no colour on a terminal: $out" ;; esac
    out=$(NO_COLOR=1 script -qec "$tool emit $name $name" /dev/null || true)
    case $out in *"$esc"*) fail "colour despite NO_COLOR" ;; esac
    case $out in *"error:"*) ;; *) fail "no diagnostic under NO_COLOR: $out" ;; esac
    "$tool" emit "$name" "$name" 2> "$TMPDIR_FE.err" > /dev/null || true
    if grep -q "$esc" "$TMPDIR_FE.err"; then fail "colour in a file"; fi
    ;;
gen)
    tool=$1 case_=$2 expected=$3 work=$4
    mkdir -p "$work"
    f=$work/$case_.goc
    case $case_ in
    nul)        printf 'int a;\nint b\0 = 1;\n' > "$f" ;;
    utf8)       printf 'int x = 1;\nint \377y;\n' > "$f" ;;
    crlf)       printf 'int f(void)\r\n{\r\n    return 1 +;\r\n}\r\n' > "$f" ;;
    truncated)  printf 'int main(void) {\n    if (1) {\n        return' > "$f" ;;
    unterminated) printf 'const char *s = "abc;\n' > "$f" ;;
    hugetoken)  { printf 'int x = '; head -c 1000000 /dev/zero | tr '\0' 9; printf ' +;\n'; } > "$f" ;;
    deepparens) { printf 'int x = '; head -c 10000 /dev/zero | tr '\0' '('; printf '1;\n'; } > "$f" ;;
    deepunary)  { printf 'int x = '; head -c 30000 /dev/zero | tr '\0' '!'; printf '1;\n'; } > "$f" ;;
    deepblocks) { printf 'void f(void) '; head -c 10000 /dev/zero | tr '\0' '{'; printf '\n'; } > "$f" ;;
    *) fail "unknown case $case_" ;;
    esac
    set +e
    (cd "$work" && "$tool" emit "$case_.goc" "$case_.goc") > /dev/null 2> "$f.err"
    rc=$?
    set -e
    [ "$rc" -eq 1 ] || { cat "$f.err"; fail "exit status $rc, expected 1"; }
    # Long source lines are cut in the golden file: compare the first 300 bytes of each line.
    cut -c1-300 "$f.err" > "$f.err.cut"
    diff -u "$expected" "$f.err.cut" || fail "diagnostics differ"
    ;;
gocrun)
    goc=$1 src=$2 work=$3
    mkdir -p "$work"
    out=$work/$(basename "$src" .goc)
    "$goc" build "$src" -o "$out" || fail "goc build $src"
    "$out" > "$out.stdout" || fail "$src failed"
    grep -qx ok "$out.stdout" || fail "$src did not print ok"
    ;;
linemap)
    goc=$1 cc=$2 src=$3 work=$4
    mkdir -p "$work"
    cd "$work"
    cp "$src" linemap.goc
    "$goc" linemap.goc -o t1.c || fail "translate"
    "$goc" linemap.goc -o t2.c || fail "translate"
    cmp t1.c t2.c || fail "output is not deterministic"
    if "$goc" build --cc="$cc" linemap.goc -o linemap 2> cc.err; then
        fail "the C errors were not reported"
    fi
    a=$(grep -n 'undeclared_a' linemap.goc | cut -d: -f1)
    b=$(grep -n 'undeclared_b' linemap.goc | cut -d: -f1)
    grep -q "^linemap.goc:$a:[0-9]*: error: .*undeclared_a" cc.err || { cat cc.err; fail "undeclared_a not at line $a"; }
    grep -q "^linemap.goc:$b:16: error: .*undeclared_b" cc.err || { cat cc.err; fail "undeclared_b not at $b:16"; }
    ;;
gocsyntax)
    # Node kinds counted by hand from syntax.goc (see the comments there).
    tool=$1 src=$2 work=$3
    mkdir -p "$work"
    cc -E -x c "$src" | "$tool" ast - syntax.goc > "$work/syntax.ast" || fail "parse"
    for want in TS_CHAN:12 MAKE_CHAN:2 GO_CALL:1 GO_BLOCK:1 SEND:3 RECV:3 \
                RECV_OK:1 RANGE_FOR:1 SELECT:2 SELECT_CASE:6; do
        k=${want%:*} n=${want#*:}
        got=$(grep -c "^ *$k " "$work/syntax.ast" || true)
        [ "$got" = "$n" ] || fail "$k: $got nodes, expected $n"
    done
    # The select cases, in order: <-c, v = <-d, int w = <-m, v, ok = <-b,
    # h->c <- v + 1, default (AST_SEL_RECV .. AST_SEL_DEFAULT = 1..6).
    ops=$(grep "^ *SELECT_CASE " "$work/syntax.ast" | sed 's/.*op=\([0-9]*\).*/\1/' | tr '\n' ' ')
    [ "$ops" = "1 2 3 4 5 6 " ] || fail "select case kinds: $ops"
    ;;
*)
    fail "unknown mode $mode"
    ;;
esac
