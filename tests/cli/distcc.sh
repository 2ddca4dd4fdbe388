# The C goc generates compiles through distcc on a distccd at 127.0.0.1
# (DISTCC_FALLBACK=0: a job distcc could not send is an error, not a local
# compile).  Skipped (77) when distcc is not installed.
. "$(dirname "$0")/lib.sh"
GOC=$1
command -v distcc >/dev/null 2>&1 && command -v distccd >/dev/null 2>&1 ||
    { echo "distcc not installed"; exit 77; }
unset GOC_CC CC || true
export TMPDIR="$WORK"

port=$((20000 + $$ % 20000))
# Run as root, distccd becomes the distcc user, which cannot write here:
# its log goes to our stderr, its temporaries to /tmp.
env TMPDIR=/tmp distccd --daemon --no-detach --allow 127.0.0.1 \
    --listen 127.0.0.1 --port $port --log-stderr --log-level info \
    2> "$WORK/distccd.log" &
dpid=$!
trap 'kill $dpid 2>/dev/null || true' EXIT
mkdir "$WORK/dcc"
export DISTCC_HOSTS="127.0.0.1:$port/2" DISTCC_FALLBACK=0 DISTCC_DIR="$WORK/dcc"
export DISTCC_LOG="$WORK/distcc.log" DISTCC_VERBOSE=1

cat > main.goc <<'SRC'
#include <stdio.h>
int main(void)
{
    chan(int) c = make(chan(int), 1);
    go { c <- 6 * 7; };
    printf("%d\n", <-c);
    return 0;
}
SRC
# distccd may take a moment to listen: retry the first compile.
n=0
until CC="distcc cc" "$GOC" build -c main.goc -o main.o 2> first.err; do
    n=$((n + 1))
    [ $n -lt 50 ] || fail "distcc never reached distccd: $(cat first.err)"
    sleep 0.2
done
expect_status 0 env CC="distcc cc" "$GOC" build -O2 main.goc -o prog
[ "$(./prog)" = "42" ] || fail "prog printed $(./prog)"
# goc build compiles the file's own text (main.goc.src.c) or its
# translation (main.goc.c): docs/frontend.md, "The user's own text".
grep -q 'main\.goc\.\(src\.\)\{0,1\}c' distccd.log ||
    fail "distccd compiled nothing: $(cat distccd.log)"
grep -q 'prog-main\.goc\.\(src\.\)\{0,1\}c' distccd.log ||
    fail "distccd did not compile goc build's C: $(cat distccd.log)"
echo ok
