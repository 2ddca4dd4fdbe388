# Sanitizers out of the box: goc build -fsanitize=thread|address links the
# runtime built with that sanitizer; the samples run with no report (RUNS
# times each, default 2; 10 for the figures in docs/integration.md);
# LeakSanitizer reports a leak made inside a coroutine, with its .goc line,
# and nothing for memory a parked coroutine still holds.
. "$(dirname "$0")/lib.sh"
GOC=$1
SRC=$2
RUNS=${RUNS:-2}
export TMPDIR="$WORK"
unset GOC_CC CC || true
export TSAN_OPTIONS="halt_on_error=0 exitcode=66" ASAN_OPTIONS="detect_leaks=1"

cat > leak.goc <<'SRC'
#include <stdio.h>
#include <stdlib.h>
static void leaker(chan(int) done)
{
    void *p = malloc(64);          /* leaked: LSan reports this line */
    printf("leaked %p\n", p);
    done <- 1;
}
int main(void)
{
    chan(int) done = make(chan(int));
    chan(int) never = make(chan(int));
    go {
        char *held = malloc(100);  /* held by a parked coroutine: no leak */
        held[0] = 1;
        done <- 1;
        <-never;
        free(held);
    };
    <-done;
    /* Started second, so that it cannot reuse the parked coroutine's
     * stack: stale words in a live stack hide leaks from any conservative
     * scan. */
    go leaker(done);
    <-done;
    goc_sleep(20000000);
    goc_chan_free(done);
    return 0;
}
SRC
expect_status 0 "$GOC" build -v -g -fsanitize=address leak.goc -o leak
contains err "libgoc-asan.a"
expect_status 23 env ASAN_OPTIONS=detect_leaks=1:exitcode=23 ./leak
contains err "Direct leak of 64 byte(s)"
contains err "leak.goc:5"
lacks err "100 byte(s)"
contains err "64 byte(s) leaked in 1 allocation(s)"
lacks err "Suppressions used"
# LeakSanitizer alone (-fsanitize=leak) links the plain runtime, which
# registers live coroutine stacks too and asks for the unwinder that walks
# a coroutine's stack: the same report.
expect_status 0 "$GOC" build -g -fsanitize=leak leak.goc -o leak-lsan
expect_status 23 env LSAN_OPTIONS=exitcode=23 ./leak-lsan
contains err "Direct leak of 64 byte(s)"
contains err "leak.goc:5"
lacks err "100 byte(s)"
contains err "64 byte(s) leaked in 1 allocation(s)"

# san_runs <sanitizer> <sample> [args]: build once, run RUNS times.
reports=0
san_runs() {
    san=$1 name=$2
    shift 2
    expect_status 0 "$GOC" build -v -g -O1 -fsanitize=$san "$SRC/samples/$name.goc" -o $name-$san
    contains err "libgoc-$(echo $san | cut -c1)san.a"
    i=0
    while [ $i -lt "$RUNS" ]; do
        i=$((i + 1))
        set +e
        GOC_PROCS=$((1 + i % 4)) ./$name-$san "$@" > out 2> err
        st=$?
        set -e
        if [ $st -ne 0 ] || grep -q 'Sanitizer' err; then
            reports=$((reports + 1))
            echo "$san $name run $i: exit $st" >&2
            cat err >&2
        fi
    done
}
for s in thread address; do
    for n in hello producer_consumer worker_pool pipeline prime_sieve \
             fanin_timeout rwmutex_readers_writers sema_bounded cond_queue; do
        san_runs $s $n
    done
done
[ $reports -eq 0 ] || fail "$reports sanitizer reports in the samples"

# valgrind memcheck: no error on the samples built the ordinary way (leak
# checking aside: see docs/integration.md).
if command -v valgrind >/dev/null 2>&1; then
    for n in worker_pool pipeline producer_consumer; do
        expect_status 0 "$GOC" build -g "$SRC/samples/$n.goc" -o $n-vg
        expect_status 0 env GOC_PROCS=2 valgrind -q --error-exitcode=9 ./$n-vg
        lacks err "switching stacks"
        lacks err "Invalid"
    done
fi
echo "ok: 9 samples x $RUNS runs x 2 sanitizers, no report"
