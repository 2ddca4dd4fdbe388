# goc build and goc run: mixed inputs, cc options, exit statuses, cleanup.
. "$(dirname "$0")/lib.sh"
GOC=$1
export TMPDIR="$WORK/tmp"
mkdir "$TMPDIR" inc

printf 'int twice(int x);\n#define BASE 20\n' > inc/lib.h
printf '#include "lib.h"\nint twice(int x) { return 2 * x; }\n' > twice.c
printf 'int thrice(int x) { return 3 * x; }\n' > thrice.c
cc -c thrice.c -o thrice.o
ar rcs libthrice.a thrice.o
cat > main.goc <<'SRC'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "lib.h"
int thrice(int x);
int main(int argc, char **argv)
{
    int v = twice(BASE + EXTRA) + thrice(1) + (int)sqrt(16.0);
    printf("v=%d argc=%d", v, argc);
    for (int i = 1; i < argc; i++)
        printf(" [%s]", argv[i]);
    printf("\n");
    return argc > 1 && argv[1][0] == 'x' ? atoi(argv[1] + 1) : 0;
}
SRC

# .goc + .c + .a, -D -I -O2 -Wall, -L/-l, -lm; default output name.
expect_status 0 "$GOC" build -O2 -Wall -Iinc -DEXTRA=1 main.goc twice.c -L. -lthrice -lm
[ -x main ] || fail "no program 'main'"
./main a > got
# twice(21) + thrice(1) + 4 = 42 + 3 + 4
[ "$(cat got)" = "v=49 argc=2 [a]" ] || fail "main printed: $(cat got)"

# -o and -c/link in two steps, objects in the list.
expect_status 0 "$GOC" build -c -Iinc -DEXTRA=0 main.goc twice.c
[ -s main.o ] && [ -s twice.o ] || fail "-c did not write main.o and twice.o"
expect_status 0 "$GOC" build main.o twice.o libthrice.a -lm -o prog2
./prog2 > got
[ "$(cat got)" = "v=47 argc=1" ] || fail "prog2 printed: $(cat got)"

# goc run: arguments, exit status, stdin.
expect_status 0 "$GOC" run -Iinc -DEXTRA=1 -lm main.goc twice.c thrice.o -- a 'b c'
[ "$(cat out)" = "v=49 argc=3 [a] [b c]" ] || fail "run printed: $(cat out)"
expect_status 7 "$GOC" run -Iinc -DEXTRA=1 -lm main.goc twice.c thrice.o x7
[ "$(cat out)" = "v=49 argc=2 [x7]" ] || fail "run printed: $(cat out)"

printf '#include <stdio.h>\nint main(void) { int c, n = 0; while ((c = getchar()) != EOF) n++; printf("%%d\\n", n); return 0; }\n' > count.goc
printf 'hello' | "$GOC" run count.goc > got
[ "$(cat got)" = "5" ] || fail "stdin: $(cat got)"

# A program killed by a signal: goc run dies of the same signal.
printf '#include <signal.h>\nint main(void) { raise(SIGTERM); return 0; }\n' > die.goc
set +e
"$GOC" run die.goc
st=$?
set -e
[ "$st" -eq 143 ] || fail "killed program: goc run exited $st, expected 143"

# Errors: compile error in a .c file, link error.
printf 'int broken(void) { return }\n' > broken.c
expect_status 1 "$GOC" build main.goc broken.c -Iinc -DEXTRA=0
contains err "broken.c"
expect_status 1 "$GOC" build -Iinc -DEXTRA=0 main.goc -o nolink
contains err "twice"

# -v shows every command, with the runtime linked last.
expect_status 0 "$GOC" build -v -Iinc -DEXTRA=1 main.goc twice.c thrice.o -lm -o vprog
contains err " -E -x c "
grep -q 'libgoc\.a -lpthread$' err || fail "link line: $(cat err)"

# The shared runtime, found through the rpath goc adds.
expect_status 0 "$GOC" build --runtime=shared -Iinc -DEXTRA=1 main.goc twice.c thrice.o -lm -o shprog
./shprog > got
[ "$(cat got)" = "v=49 argc=1" ] || fail "shprog printed: $(cat got)"
if command -v readelf >/dev/null 2>&1; then
    readelf -d shprog | grep -q 'NEEDED.*libgoc\.so' || fail "shprog does not need libgoc.so"
    ! readelf -d main | grep -q 'NEEDED.*libgoc' || fail "main needs a shared libgoc"
fi

# Another compiler through --cc (and CC), split on blanks.
if command -v clang >/dev/null 2>&1; then
    expect_status 0 "$GOC" build --cc="clang -O1" -v -Iinc -DEXTRA=1 main.goc twice.c thrice.o -lm -o clprog
    contains err "clang -O1 -E -x c"
    [ "$(./clprog)" = "v=49 argc=1" ] || fail "clprog printed: $(./clprog)"
    expect_status 0 env CC=clang "$GOC" build -v -Iinc -DEXTRA=1 main.goc twice.c thrice.o -lm -o clprog2
    contains err "clang -E -x c"
fi

# Every temporary is gone.
[ -z "$(ls -A "$TMPDIR")" ] || fail "temporaries left: $(ls -A "$TMPDIR")"
echo ok
