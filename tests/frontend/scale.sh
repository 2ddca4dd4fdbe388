#!/bin/sh
# scale.sh GOC WORK [GOC_ASAN] - goc on inputs that grow (docs/frontend.md, Limits):
# chains of 100,000 terms of +, ||, &&, comma, [0], () and -> translate;
# deeper ones get a diagnostic; no crash, no partial output left behind;
# and output size grows linearly with the input, also when a macro puts
# thousands of goc constructs on one preprocessed line.  No timing: only
# exit statuses and sizes.  With GOC_ASAN (goc built with ASan and UBSan,
# whose frames are larger), the deepest chain is translated by it too.
set -u
goc=$1 work=$2 asan=${3:-}
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }

# gen NAME N HEAD TERM SEP TAIL: HEAD, then TERM N times joined by SEP, TAIL
gen() {
    awk -v n="$2" -v head="$3" -v term="$4" -v sep="$5" -v tail="$6" 'BEGIN {
        printf "%s%s", head, term
        for (i = 1; i < n; i++)
            printf "%s%s", sep, term
        printf "%s\nint main(void) { return 0; }\n", tail
    }' > "$1.goc"
}

# translate NAME [goc options]: status of goc, output checked
translate() {
    name=$1
    shift
    "$goc" "$@" "$name.goc" -o "$name.c" 2> "$name.err"
    rc=$?
    [ "$rc" -lt 2 ] || { cat "$name.err" >&2; fail "$name: goc exited with $rc"; }
    for t in "$name".c.tmp*; do
        [ -e "$t" ] && fail "$name: partial output $t left behind"
    done
    return "$rc"
}

size() { wc -c < "$1.c" | tr -d ' '; }

# ratio BIG SMALL MAX: fail unless size(BIG) <= MAX * size(SMALL)
ratio() {
    b=$(size "$1") s=$(size "$2")
    echo "$1: $b bytes, $2: $s bytes"
    [ "$b" -le $(($3 * s)) ] || fail "$1 is $b bytes, more than $3 x $s ($2)"
}

chain() { # KIND HEAD TERM SEP TAIL
    kind=$1
    shift
    for n in 10000 100000; do
        gen "$kind$n" "$n" "$@"
        translate "$kind$n" || { cat "$kind$n.err" >&2; fail "$kind$n does not translate"; }
    done
    ratio "${kind}100000" "${kind}10000" 15
}

chain plus 'int f(int a) { return ' a ' + ' '; }'
chain oror 'int f(int a) { return ' a ' || ' '; }'
chain andand 'int f(int a) { return ' a ' && ' '; }'
chain comma 'int f(int a) { return (' a ', ' '); }'
chain index 'int f(int *a) { return a' '[0]' '' '; }'
chain call 'typedef void *(*fn)(void); void f(fn g) { g' '()' '' '; }'
chain arrow 'struct n { struct n *next; int v; }; int f(struct n *p) { return p' '->next' '' '->v; }'

if [ -n "$asan" ]; then
    gen asan 190000 'int f(int a) { return ' a ' + ' '; }'
    plain=$goc goc=$asan
    translate asan || { cat asan.err >&2; fail "asan: does not translate"; }
    goc=$plain
fi

# Past the depth goc handles: a diagnostic, status 1, no output at all.
gen deep 300000 'int f(int a) { return ' a ' + ' '; }'
if translate deep; then fail "deep: translated"; fi
grep -q "nested too deeply" deep.err || fail "deep: no diagnostic: $(head -c 300 deep.err)"
[ ! -e deep.c ] || fail "deep: output written"

# 256 and 2,048 sends and selects from one macro, on one line.
wide() { # NAME COUNT-MACRO
    {
        echo '#define S c <- 1; select { case v = <-c: break; default: break; }'
        echo '#define S8 S S S S S S S S'
        echo '#define S64 S8 S8 S8 S8 S8 S8 S8 S8'
        echo '#define S256 S64 S64 S64 S64'
        echo '#define S2048 S256 S256 S256 S256 S256 S256 S256 S256'
        echo 'int f(void) {'
        echo '    chan(int) c = make(chan(int), 1);'
        echo '    int v = 0;'
        echo "    $2"
        echo '    return v;'
        echo '}'
        echo 'int main(void) { return f() - 1; }'
    } > "$1.goc"
    translate "$1" "$3" || { cat "$1.err" >&2; fail "$1 does not translate"; }
}
for opt in --no-line -fdiagnostics-color=never; do
    wide wide256 S256 "$opt"
    wide wide2048 S2048 "$opt"
    ratio wide2048 wide256 12
done
echo "ok: scale"
