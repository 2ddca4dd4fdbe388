# goc run forwards SIGINT, SIGTERM and SIGHUP sent to goc to the program,
# waits for it, and exits as it did: with its status, or killed by the
# same signal; the program is never left running.
. "$(dirname "$0")/lib.sh"
GOC=$1
export TMPDIR="$WORK/tmp"
mkdir "$TMPDIR"

cat > sig.goc <<'SRC'
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
static volatile sig_atomic_t got;
static void on(int s) { got = s; }
int main(int argc, char **argv)
{
    if (argc > 1) {
        signal(SIGINT, on);
        signal(SIGTERM, on);
        signal(SIGHUP, on);
    }
    FILE *f = fopen("pid.tmp", "w");
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
    rename("pid.tmp", "pid");
    for (int i = 0; i < 6000 && !got; i++)
        usleep(10000);
    printf("got %d\n", (int)got);
    return got ? 3 : 9;
}
SRC

# run_and_signal <signal> <expected status> [program args]: start goc run
# in the background with default signal dispositions (a script's
# background jobs otherwise ignore SIGINT), signal goc, check the status.
run_and_signal() {
    sig=$1 want=$2
    shift 2
    rm -f pid out
    env --default-signal=INT,TERM,HUP "$GOC" run sig.goc "$@" > out 2> err &
    gpid=$!
    n=0
    while [ ! -s pid ]; do
        n=$((n + 1))
        [ $n -lt 600 ] || fail "the program never started: $(cat err)"
        sleep 0.1
    done
    kill -s "$sig" $gpid
    set +e
    wait $gpid
    st=$?
    set -e
    [ "$st" -eq "$want" ] || fail "SIG$sig: goc run exited $st, expected $want; $(cat out err)"
    ! kill -0 "$(cat pid)" 2>/dev/null || {
        kill -s KILL "$(cat pid)"
        fail "SIG$sig: the program was left running"
    }
}

run_and_signal TERM 3 handle
[ "$(cat out)" = "got 15" ] || fail "SIGTERM: the program printed $(cat out)"
run_and_signal INT 3 handle
[ "$(cat out)" = "got 2" ] || fail "SIGINT: the program printed $(cat out)"
run_and_signal HUP 3 handle
[ "$(cat out)" = "got 1" ] || fail "SIGHUP: the program printed $(cat out)"
# Without a handler the program dies of the signal, and so does goc.
run_and_signal TERM 143
run_and_signal HUP 129
[ -z "$(ls -A "$TMPDIR")" ] || fail "temporaries left: $(ls -A "$TMPDIR")"
echo ok
