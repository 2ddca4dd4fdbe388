#!/bin/bash
# net_sample.sh MODE WORK NETCHECK GOC|SERVER SAMPLES_DIR
#
# Runs a network server over loopback and checks it with real clients:
#   echo   samples/echo_server.goc + netcheck echo (200 connections)
#   http   samples/http_server.goc + netcheck http (with a file) + wrk
#   fetch  samples/fetch_client.goc against samples/http_server.goc
#   chat   samples/chat_server.goc + netcheck chat (three members)
#   c-http SERVER (a C HTTP server binary) + netcheck http + wrk
#   c-echo SERVER (a C echo server binary) + netcheck echo, then the echo
#          load generator $ECHO_CLIENT for half a second
# Servers print "listening on HOST:PORT" first; they listen on port 0.
# With GOC_SAMPLE_LIB (a libgoc archive) and GOC_SAMPLE_INC (its goc.h
# directory) set, samples link that runtime instead (the poll backend).
set -u
MODE=$1 WORK=$2 NETCHECK=$3 TOOL=$4 SAMPLES=$5
mkdir -p "$WORK/$MODE"
W=$WORK/$MODE
PID=

fail() { echo "FAIL: $MODE: $*" >&2; [ -n "$PID" ] && kill "$PID" 2>/dev/null; exit 1; }

build() { # build NAME: goc build samples/NAME.goc into $W/NAME
    if [ -n "${GOC_SAMPLE_LIB:-}" ]; then # another libgoc: translate, link
        "$TOOL" "$SAMPLES/$1.goc" -o "$W/$1.c" || fail "goc $1.goc"
        ${CC:-cc} -std=gnu11 -O2 -I"$GOC_SAMPLE_INC" "$W/$1.c" \
            "$GOC_SAMPLE_LIB" -lpthread -o "$W/$1" || fail "cc $1.c"
    else
        "$TOOL" build -O2 "$SAMPLES/$1.goc" -o "$W/$1" || fail "goc build $1.goc"
    fi
}

start() { # start BIN ARGS...: run a server, set ADDR from its first line
    : >"$W/server.out" # before the child opens it: no stale address
    "$@" >"$W/server.out" 2>"$W/server.err" &
    PID=$!
    for _ in $(seq 100); do
        ADDR=$(sed -n 's/^listening on //p' "$W/server.out" | head -1)
        [ -n "$ADDR" ] && return 0
        kill -0 "$PID" 2>/dev/null || fail "server exited: $(cat "$W/server.err")"
        sleep 0.1
    done
    fail "server did not report its address"
}

stop() {
    kill -0 "$PID" 2>/dev/null || fail "server died: $(cat "$W/server.err")"
    kill "$PID"; wait "$PID" 2>/dev/null; PID=
}

wrk_check() { # a short wrk run: requests made, none failed
    command -v wrk >/dev/null || { echo "note: no wrk; skipped"; return 0; }
    wrk -t 2 -c 10 -d 1s "http://$ADDR/" >"$W/wrk.out" 2>&1 || fail "wrk failed"
    cat "$W/wrk.out"
    grep -q "Non-2xx\|Socket errors" "$W/wrk.out" && fail "wrk saw errors"
    n=$(awk '/requests in/ {print $1}' "$W/wrk.out")
    [ "${n:-0}" -gt 100 ] || fail "wrk made only ${n:-0} requests"
}

case $MODE in
echo)
    build echo_server
    start "$W/echo_server" 127.0.0.1:0
    "$NETCHECK" echo "$ADDR" 200 || fail "netcheck echo"
    stop ;;
http)
    build http_server
    start "$W/http_server" 127.0.0.1:0 "$SAMPLES"
    "$NETCHECK" http "$ADDR" "$SAMPLES/hello.goc" || fail "netcheck http"
    wrk_check
    stop ;;
c-http)
    start "$TOOL" 127.0.0.1:0
    "$NETCHECK" http "$ADDR" || fail "netcheck http"
    wrk_check
    stop ;;
c-echo)
    start "$TOOL" 127.0.0.1:0
    "$NETCHECK" echo "$ADDR" 200 || fail "netcheck echo"
    "$ECHO_CLIENT" "$ADDR" 50 0.5 64 || fail "echo client"
    stop ;;
chat)
    build chat_server
    start "$W/chat_server" 127.0.0.1:0
    "$NETCHECK" chat "$ADDR" || fail "netcheck chat"
    stop ;;
fetch)
    build http_server
    build fetch_client
    start "$W/http_server" 127.0.0.1:0 "$SAMPLES"
    t0=$(date +%s%N)
    "$W/fetch_client" -t 700 "http://$ADDR/" "http://$ADDR/file/hello.goc" \
        "http://$ADDR/sleep/5000" "http://$ADDR/sleep/10" \
        "http://127.0.0.1:1/" >"$W/fetch.out"
    rc=$? ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    cat "$W/fetch.out"
    [ $rc = 1 ] || fail "fetch_client exited with $rc, want 1"
    size=$(wc -c <"$SAMPLES/hello.goc")
    for want in "http://$ADDR/: 200, 14 bytes" \
                "http://$ADDR/file/hello.goc: 200, $size bytes" \
                "http://$ADDR/sleep/5000: timeout after 700 ms" \
                "http://$ADDR/sleep/10: 200, 6 bytes" \
                "http://127.0.0.1:1/: error: Connection refused" \
                "fetched 3 of 5 (1 timed out)"; do
        grep -qF -- "$want" "$W/fetch.out" || fail "no line '$want'"
    done
    [ $ms -lt 4000 ] || fail "took $ms ms: fetches did not run in parallel"
    stop ;;
*)
    fail "unknown mode" ;;
esac
echo "ok: $MODE"
