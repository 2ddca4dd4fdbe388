# Dependency files: contents and names, as gcc would write them.
. "$(dirname "$0")/lib.sh"
GOC=$1

mkdir inc
printf '#define ANSWER 42\n' > inc/answer.h
printf '#include <stdio.h>\n#include "local.h"\n#include "answer.h"\nint f(void) { return ANSWER + LOCAL; }\n' > a.goc
printf '#define LOCAL 1\n' > local.h

# -MD: a.d next to the output, target the generated C, all headers.
expect_status 0 "$GOC" -Iinc -MD a.goc
[ -s a.c ] || fail "no a.c"
head -n1 a.d | grep -q '^a\.c: a\.goc ' || fail "a.d target: $(head -n1 a.d)"
contains a.d "local.h"
contains a.d "inc/answer.h"
contains a.d "goc.h"
contains a.d "stdio.h"

# -MMD -MF -MT -MP: no system headers, our name and target, phony targets.
mkdir -p deps
expect_status 0 "$GOC" -Iinc -MMD -MF deps/x.d -MT my-target -MP a.goc -o gen.c
head -n1 deps/x.d | grep -q '^my-target: a\.goc' || fail "x.d: $(cat deps/x.d)"
lacks deps/x.d "stdio.h"
grep -q '^local\.h:$' deps/x.d || fail "no phony target in x.d: $(cat deps/x.d)"
[ ! -e gen.d ] || fail "-MF ignored: gen.d written"

# -MQ quotes for make.
expect_status 0 "$GOC" -Iinc -MD -MQ 'out$.c' a.goc -o q.c
head -n1 q.d | grep -qF 'out$$.c:' || fail "-MQ not quoted: $(head -n1 q.d)"

# -M: dependencies only, on stdout, nothing translated.
rm -f a.c
expect_status 0 "$GOC" -Iinc -MM a.goc
head -n1 out | grep -q '^a\.c: a\.goc' || fail "-MM printed: $(cat out)"
contains out "inc/answer.h"
[ ! -e a.c ] || fail "-M translated"

# goc build -c -MMD: the target is the object.
expect_status 0 "$GOC" build -c -Iinc -MMD a.goc
[ -s a.o ] || fail "no a.o"
head -n1 a.d | grep -q '^a\.o: a\.goc' || fail "build a.d: $(cat a.d)"
contains a.d "inc/answer.h"

# A .goc in a subdirectory: paths as given, output in the current directory.
mkdir sub
cp a.goc local.h sub/
expect_status 0 "$GOC" -Iinc -MD sub/a.goc -o sub.c
head -n1 sub.d | grep -q '^sub\.c: sub/a\.goc' || fail "sub.d: $(head -n1 sub.d)"
contains sub.d "sub/local.h"
echo ok
