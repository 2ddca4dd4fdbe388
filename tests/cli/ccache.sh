# A rebuild under ccache hits the cache, in another directory too: for the
# generated C compiled by make, and for goc build -c.  Skipped (77) when
# ccache is not installed.
. "$(dirname "$0")/lib.sh"
GOC=$1
command -v ccache >/dev/null 2>&1 || { echo "ccache not installed"; exit 77; }
export CCACHE_DIR="$WORK/cache"
ccache -z >/dev/null

# hits <n>: the number of cache hits (direct or preprocessed) so far.
hits() {
    ccache --print-stats |
        awk '$1 == "direct_cache_hit" || $1 == "preprocessed_cache_hit" { n += $2 }
             END { print n + 0 }'
}

for d in one two; do
    mkdir -p $d/inc
    printf '#define N 5\n' > $d/inc/n.h
    printf '#include "n.h"\nint n(void) { return N; }\n' > $d/p.goc
done

(cd one && "$GOC" -Iinc p.goc -o p.c && ccache cc -O2 -c p.c -o p.o)
[ "$(hits)" -eq 0 ] || fail "a hit on an empty cache"
(cd two && "$GOC" -Iinc p.goc -o p.c && ccache cc -O2 -c p.c -o p.o)
[ "$(hits)" -eq 1 ] || fail "no ccache hit for the generated C: $(ccache --print-stats)"

(cd one && CC="ccache cc" "$GOC" build -c -O2 -Iinc p.goc -o q.o)
(cd two && CC="ccache cc" "$GOC" build -c -O2 -Iinc p.goc -o q.o)
[ "$(hits)" -eq 2 ] || fail "goc build -c missed the cache: $(ccache --print-stats)"
cmp one/q.o two/q.o || fail "cached objects differ"

# One step, goc build -o prog: the C is compiled under a name that does
# not depend on goc's temporary directory, so the rebuild hits, in the
# same directory and in another one.
for d in one two; do
    printf '#include <stdio.h>\nint n(void);\nint main(void) { chan(int) c = make(chan(int), 1); go { c <- n(); }; printf("%%d\\n", <-c); return 0; }\n' > $d/m.goc
done
(cd one && CC="ccache cc" "$GOC" build -O2 -Iinc m.goc p.goc -o prog)
[ "$(one/prog)" = "5" ] || fail "one/prog printed $(one/prog)"
before=$(hits)
(cd one && rm prog && CC="ccache cc" "$GOC" build -O2 -Iinc m.goc p.goc -o prog)
[ "$(hits)" -eq $((before + 2)) ] || fail "goc build -o prog missed the cache: $(ccache --print-stats)"
[ "$(one/prog)" = "5" ] || fail "one/prog printed $(one/prog) after a cached build"
(cd two && CC="ccache cc" "$GOC" build -O2 -Iinc m.goc p.goc -o prog)
[ "$(hits)" -eq $((before + 4)) ] || fail "goc build -o prog missed the cache in another directory: $(ccache --print-stats)"
ls one two | grep -q 'goc\.c$' && fail "generated C left behind: $(ls one two)"
echo ok
