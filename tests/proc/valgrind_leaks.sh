#!/bin/sh
# valgrind_leaks.sh GOC VALGRIND SAMPLES WORK: build hello world, a program
# that exits with timers pending and goc_after channels kept, and every
# sample that ends by itself, run each under memcheck with
# --leak-check=full --error-exitcode=1 (hello world at GOC_PROCS=1 and 4,
# the samples at 2): no errors, no leaks (definite or possible).
set -u
GOC=$1 VG=$2 SAMPLES=$3 WORK=$4
mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' \
    > "$WORK/hello_world.goc"
# Timers the runtime still owns at exit (pending, or fired into a kept
# goc_after channel) stay reachable (time.c's live list): before it, the
# pending ones were "possibly lost" and the fired one "definitely lost".
cat > "$WORK/timers_at_exit.goc" <<'EOF'
#include <stdio.h>
int main(void) {
    chan(int64_t) later = goc_after(60 * GOC_SECOND);
    chan(int64_t) fired = goc_after(1);
    goc_timer *t = goc_timer_new(60 * GOC_SECOND);
    goc_timer *tick = goc_ticker_new(GOC_SECOND);
    goc_sleep(5 * GOC_MILLISECOND);
    printf("%ld %ld %d\n", len(later), len(fired), t != tick);
    return 0;
}
EOF
progs="$WORK/hello_world.goc $WORK/timers_at_exit.goc"
for s in hello pipeline prime_sieve producer_consumer worker_pool cond_queue \
         rwmutex_readers_writers sema_bounded fanin_timeout; do
    progs="$progs $SAMPLES/$s.goc"
done
for src in $progs; do
    name=$(basename "$src" .goc)
    "$GOC" build -O1 "$src" -o "$WORK/$name" || fail "goc build $src"
    procs=2
    [ "$name" = hello_world ] && procs="1 4"
    for p in $procs; do
        GOC_PROCS=$p "$VG" -q --leak-check=full --errors-for-leak-kinds=definite,possible \
            --error-exitcode=1 "$WORK/$name" >"$WORK/$name.out" 2>"$WORK/$name.vg" ||
            { cat "$WORK/$name.vg" >&2; fail "$name at GOC_PROCS=$p"; }
    done
    echo "ok: $name"
done
