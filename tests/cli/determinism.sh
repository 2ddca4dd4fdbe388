# Identical inputs give byte-identical output, wherever and whenever goc
# runs: no timestamps, no temporary or absolute paths of the project.
. "$(dirname "$0")/lib.sh"
GOC=$1

make_project() {
    mkdir -p "$1/inc"
    printf '#define N 3\n' > "$1/inc/n.h"
    cat > "$1/p.goc" <<'SRC'
#include <stdio.h>
#include "n.h"
static const char when[] = __FILE__;
int main(void) { printf("%d %s\n", N, when); return 0; }
SRC
}

make_project one
make_project "two/deeper"
(cd one && "$GOC" -Iinc -MD p.goc -o p.c)
(cd two/deeper && "$GOC" -Iinc -MD p.goc -o p.c)
cmp one/p.c two/deeper/p.c || fail "translations differ between directories"
cmp one/p.d two/deeper/p.d || fail "dependency files differ"
lacks one/p.c "$WORK"

# Again later, after the inputs were touched: still the same bytes.
sleep 1
touch one/p.goc one/inc/n.h
(cd one && "$GOC" -Iinc p.goc -o again.c)
cmp one/p.c one/again.c || fail "a second run differs"

# Objects from goc build -c too (no -g: debug info records the directory).
(cd one && "$GOC" build -c -O2 -Iinc p.goc)
(cd two/deeper && "$GOC" build -c -O2 -Iinc p.goc)
cmp one/p.o two/deeper/p.o || fail "objects differ between directories"
echo ok
