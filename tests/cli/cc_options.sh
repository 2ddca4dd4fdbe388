# cc options that goc build used to reject or mishandle work as with gcc:
# -pg, --coverage, -save-temps, -fsyntax-only (no link), -E.
. "$(dirname "$0")/lib.sh"
GOC=$1
export TMPDIR="$WORK/tmp"
mkdir "$TMPDIR"
unset GOC_CC CC || true

cat > main.goc <<'SRC'
#include <stdio.h>
static int square(int x) { return x * x; }
int main(void)
{
    chan(int) c = make(chan(int), 1);
    go { c <- square(7); };
    printf("%d\n", <-c);
    return 0;
}
SRC

# -pg: the program writes gmon.out, which gprof reads.
mkdir pg && cd pg
expect_status 0 "$GOC" build -pg ../main.goc -o prog
[ "$(./prog)" = "49" ] || fail "-pg: prog printed $(./prog)"
[ -s gmon.out ] || fail "-pg: no gmon.out"
if command -v gprof >/dev/null 2>&1; then
    gprof -b prog gmon.out > prof || fail "gprof failed"
fi
cd ..

# --coverage, one step: prog-main.gcno at build time, .gcda when it runs,
# named as gcc names them; gcov reports the .goc file's lines.
mkdir cov && cd cov
cp ../main.goc .
expect_status 0 "$GOC" build --coverage main.goc -o prog
[ -s prog-main.gcno ] || fail "--coverage: no prog-main.gcno: $(ls)"
[ ! -e prog-main.o ] || fail "--coverage: the object was left behind"
./prog > /dev/null
[ -s prog-main.gcda ] || fail "--coverage: no prog-main.gcda: $(ls)"
if cc --version | grep -q 'Free Software'; then
    gcov prog-main > gcov.out 2>&1 || fail "gcov: $(cat gcov.out)"
    [ -s main.goc.gcov ] || fail "gcov wrote no main.goc.gcov: $(cat gcov.out)"
    grep -q '1:.*static int square' main.goc.gcov ||
        fail "main.goc.gcov: $(cat main.goc.gcov)"
fi
# and in two steps, like cc -c --coverage.
expect_status 0 "$GOC" build -c --coverage main.goc -o two.o
[ -s two.gcno ] || fail "-c --coverage: no two.gcno: $(ls)"
cd ..

# -save-temps: goc's intermediates and the compiler's are kept.
mkdir st && cd st
cp ../main.goc .
expect_status 0 "$GOC" build -save-temps main.goc -o prog
for f in prog-main.goc.i prog-main.goc.c prog-main.i prog-main.s prog-main.o; do
    [ -s $f ] || fail "-save-temps: no $f: $(ls)"
done
[ "$(./prog)" = "49" ] || fail "-save-temps: prog printed $(./prog)"
grep -q 'goc_chan_make\|goc_go' prog-main.goc.c || fail "prog-main.goc.c is not goc's C"
expect_status 0 "$GOC" build -c -save-temps main.goc
for f in main.o main.goc.c main.goc.i main.i main.s; do
    [ -s $f ] || fail "-c -save-temps: no $f: $(ls)"
done
cd ..

# -fsyntax-only: checks, writes nothing, never links (helper() is
# declared and never defined: a link would fail).
mkdir syn && cd syn
printf 'int helper(void);\nint main(void) { return helper(); }\n' > undef.goc
printf 'int helper(void);\nint f(void) { return helper(); }\n' > other.c
expect_status 0 "$GOC" build -fsyntax-only -Wall undef.goc other.c
empty err
[ -z "$(ls | grep -v '^undef.goc$' | grep -v '^other.c$' | grep -v '^out$' | grep -v '^err$')" ] ||
    fail "-fsyntax-only wrote files: $(ls)"
printf 'int main(void) { return 0 }\n' > bad.goc
expect_status 1 "$GOC" build -fsyntax-only bad.goc
contains err "bad.goc:1:"
printf 'int main(void) { int x = "s"; return x; }\n' > warn.goc
expect_status 0 "$GOC" build -fsyntax-only -Wall warn.goc
contains err "warn.goc:1:"
expect_status 1 "$GOC" build -fsyntax-only -Werror warn.goc
# goc -fsyntax-only (no build) is the same check.
expect_status 1 "$GOC" -fsyntax-only bad.goc
contains err "bad.goc:1:"
expect_status 0 "$GOC" -fsyntax-only undef.goc
[ ! -e undef.c ] || fail "goc -fsyntax-only wrote undef.c"
cd ..

# -E on a .goc: the translated C, on standard output or to -o.
expect_status 0 "$GOC" build -E main.goc
contains out "int main"
expect_status 0 "$GOC" build -E main.goc -o main.i
contains main.i "int main"

[ -z "$(ls -A "$TMPDIR")" ] || fail "temporaries left: $(ls -A "$TMPDIR")"
echo ok
