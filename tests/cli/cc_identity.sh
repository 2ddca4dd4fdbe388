# goc build as a build system's cc: `make CC="goc build"` must not make
# goc run itself, and the questions configure scripts ask cc (-v,
# --version, -dumpversion, -dumpmachine, -print-*) get the underlying
# compiler's answers, byte for byte.
. "$(dirname "$0")/lib.sh"
GOC=$1
export TMPDIR="$WORK"
unset GOC_CC CC || true

# same_answer <args...>: goc build <args> prints what cc <args> prints.
same_answer() {
    cc "$@" > want.out 2> want.err || fail "cc $* failed"
    expect_status 0 "$GOC" build "$@"
    cmp out want.out || fail "goc build $*: stdout differs from cc's: $(cat out)"
    cmp err want.err || fail "goc build $*: stderr differs from cc's: $(cat err)"
}
same_answer -v
same_answer --version
same_answer -dumpversion
same_answer -dumpmachine
same_answer -print-search-dirs
same_answer -print-file-name=libc.so
same_answer -print-prog-name=ld
same_answer -print-libgcc-file-name
# goc's own version stays goc's.
expect_status 0 "$GOC" --version
contains out "goc "

# zlib's configure identifies gcc this way.
case $("$GOC" build -v 2>&1) in
*gcc*|*clang*) ;;
*) fail "goc build -v does not identify gcc or clang" ;;
esac

# The compiler goc runs answers: CC, GOC_CC and --cc are all honoured.
if command -v clang >/dev/null 2>&1; then
    expect_status 0 env CC=clang "$GOC" build --version
    head -n 1 out | grep -q clang || fail "CC=clang: $(head -n 1 out)"
    expect_status 0 env CC=gcc GOC_CC=clang "$GOC" build -dumpmachine
    clang -dumpmachine > want.out
    cmp out want.out || fail "GOC_CC=clang: $(cat out)"
    expect_status 0 "$GOC" build --cc=clang --version
    head -n 1 out | grep -q clang || fail "--cc=clang: $(head -n 1 out)"
fi

cat > main.goc <<'SRC'
#include <stdio.h>
int helper(int);
int main(void)
{
    chan(int) c = make(chan(int), 1);
    go { c <- helper(20); };
    printf("%d\n", <-c);
    return 0;
}
SRC
printf 'int helper(int x) { return 2 * x + 2; }\n' > helper.c

# make CC="goc build": make passes CC to goc in the environment, and goc
# must not take "goc build" as the compiler to run (it said "unknown
# option '-E'").  Built-in rules compile helper.c; the .goc needs a rule.
cat > Makefile <<'MK'
prog: main.o helper.o
	$(CC) $(LDFLAGS) main.o helper.o $(LDLIBS) -o $@
main.o: main.goc
	$(CC) $(CFLAGS) -c main.goc -o $@
MK
expect_status 0 make CC="$GOC build" CFLAGS=-O1
[ "$(./prog)" = "42" ] || fail "make CC='goc build': prog printed $(./prog)"
expect_status 0 env CC="$GOC build" "$GOC" build -v main.goc helper.c -o prog2
grep -q '^cc -E ' err || fail "CC='goc build': goc did not fall back to cc: $(cat err)"
[ "$(./prog2)" = "42" ] || fail "prog2 printed $(./prog2)"

# Makefiles that make their dependencies with $(CC) -MM.
expect_status 0 env CC="$GOC build" "$GOC" build -MM helper.c main.goc
contains out "helper.o: helper.c"
contains out "main.o: main.goc"
lacks out "stdio.h"
expect_status 0 "$GOC" build -M main.goc
contains out "stdio.h"

# goc installed as cc, first on PATH: goc skips itself.
mkdir bin
ln -s "$GOC" bin/cc
expect_status 0 env PATH="$WORK/bin:$PATH" "$GOC" build -v main.goc helper.c -o prog3
[ "$(./prog3)" = "42" ] || fail "prog3 printed $(./prog3)"
lacks err "$WORK/bin/cc"

# Another goc (a copy: another file) in CC is not a C compiler either.
mkdir other
cp "$GOC" other/goc
expect_status 0 env CC="$WORK/other/goc build" "$GOC" build main.goc helper.c -o prog4
[ "$(./prog4)" = "42" ] || fail "prog4 printed $(./prog4)"
# A wrapper script that runs goc: stopped after a few levels, not a fork
# bomb.
printf '#!/bin/sh\nexec "%s" build "$@"\n' "$GOC" > mycc
chmod +x mycc
expect_status 1 env CC="$WORK/mycc" "$GOC" build main.goc helper.c -o prog5
contains err "running itself as the C compiler"

# Naming goc itself explicitly is an error, not a loop.
expect_status 1 "$GOC" build --cc="$GOC build" main.goc helper.c
contains err "runs goc itself"
expect_status 1 env GOC_CC="$GOC build" "$GOC" build main.goc helper.c
contains err "GOC_CC"
echo ok
