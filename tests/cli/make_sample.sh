# samples/make-project against the staged install: build, run, then an
# incremental rebuild after touching a header only squares.goc includes.
. "$(dirname "$0")/lib.sh"
STAGE=$1
SRC=$2
command -v make >/dev/null 2>&1 || { echo "make not installed"; exit 77; }
cp -R "$SRC/samples/make-project/." .
M="make GOC_MK=$STAGE/share/goc/goc.mk"

$M > build1.log 2>&1 || fail "make: $(cat build1.log)"
contains build1.log "-MD -MF squares.goc.d -MP squares.goc -o squares.c"
contains build1.log "report.goc -o report.c"
./squares > out
# 1 + 4 + 9 + 16 with NWORKERS 4
[ "$(cat out)" = "sum of squares = 30" ] || fail "squares printed: $(cat out)"
[ -f squares.goc.d ] && [ -f squares.c ] || fail "generated files removed"

$M -q || fail "not up to date after a build"

# config.h is included by squares.goc only.
sleep 1
printf '#define NWORKERS 5\n' > config.h
$M > build2.log 2>&1 || fail "make: $(cat build2.log)"
contains build2.log "squares.goc -o squares.c"
lacks build2.log "report.goc"
lacks build2.log "report.c"
lacks build2.log "util.c"
./squares > out
[ "$(cat out)" = "sum of squares = 55" ] || fail "after the change: $(cat out)"
$M -q || fail "not up to date after the incremental build"

# goc.h is a dependency too.
grep -q "include/goc.h" squares.goc.d || fail "goc.h not in squares.goc.d"
echo ok
