#!/usr/bin/env bash
# I/O benchmarks: our servers against their Go twins, over loopback.
#
#   tests/bench/run_io.sh [-B build-dir] [-d seconds] [-r reps] [--no-build]
#
# HTTP: wrk -t2 --latency with 100 and with 1000 connections against
#   bench_http_hello (tests/bench/http_hello.c over libgoc), the Go net/http
#   twin (go/http_nethttp/) and the Go raw-TCP twin written the same way
#   as ours (go/http_raw/); also samples/http_server.goc built with goc
#   (a fuller server: header parsing, routes, files), when goc is built.
# Echo: bench_echo_client (100 connections, 64-byte round trips) against
#   bench_echo_server and go/echo/.
# Every server runs on all CPUs (GOC_PROCS and GOMAXPROCS unset); the
# clients share the machine.  The variants run interleaved, rep after rep;
# each cell is the median of the reps (p99: the median of the reps' p99).
# Go builds go to a cache under /tmp.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${GOC_BUILD:-$root/build}
secs=5
reps=3
do_build=1
while [ $# -gt 0 ]; do
  case $1 in
    -B) build=$2; shift 2 ;;
    -d) secs=$2; shift 2 ;;
    -r) reps=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run_io.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
build=$(cd "$build" 2>/dev/null && pwd || echo "$build")
bin=$build/tests/io
gobin=$build/tests/bench/go-io

command -v wrk >/dev/null || { echo "run_io.sh: wrk is not installed" >&2; exit 1; }
if [ $do_build = 1 ]; then
  cmake --build "$build" --target bench_http_hello bench_echo_server goc \
        bench_echo_client >/dev/null 2>&1 ||
    { echo "run_io.sh: build failed (cmake --build $build)" >&2; exit 1; }
fi
. "$here/go/build.sh"
go_twins "$gobin" http_nethttp http_raw echo ||
  { echo "run_io.sh: go build failed" >&2; exit 1; }
sample=
if [ -x "$build/compiler/goc" ] &&
   "$build/compiler/goc" build -O2 "$root/samples/http_server.goc" \
     -o "$gobin/http_server_sample" 2>/dev/null; then
  sample=$gobin/http_server_sample
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

tmp=$(mktemp -d /tmp/goc-run-io.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

start() { # start BIN: sets addr and pid
  : >"$tmp/server.out" # before the child opens it: no stale address
  "$1" 127.0.0.1:0 >"$tmp/server.out" 2>&1 &
  pid=$!
  addr=
  for _ in $(seq 100); do
    addr=$(sed -n 's/^listening on //p' "$tmp/server.out" | head -1)
    grep -m1 '^poller' "$tmp/server.out" >"$tmp/poller.new" &&
      mv "$tmp/poller.new" "$tmp/poller"
    [ -n "$addr" ] && return 0
    sleep 0.05
  done
  echo "run_io.sh: $1 did not start" >&2; exit 1
}
stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=; }
# CPU ticks (user + system) the server has used so far
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)

to_us() { # "1.23ms" -> 1230
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "s") n *= 1e6; else if (u == "ms") n *= 1e3;
    else if (u == "ns") n /= 1e3; printf "%.0f", n }'
}
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# http_once BIN CONNS: one wrk run; appends req/s and p99 (us) to
# $tmp/BIN.rps and $tmp/BIN.p99
http_once() {
  local r p key=$tmp/$(basename "$1").c$2
  start "$1"
  wrk -t 2 -c "$2" -d 1s "http://$addr/" >/dev/null 2>&1 # warm-up
  local t0=$(ticks)
  wrk -t 2 -c "$2" -d "${secs}s" --latency "http://$addr/" >"$tmp/wrk" 2>&1
  local t1=$(ticks)
  stop
  r=$(awk '/^Requests\/sec:/ { print $2 }' "$tmp/wrk")
  cpu_per_op "$key" $((t1 - t0)) "$(awk '/requests in/ { print $1 }' "$tmp/wrk")"
  p=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk")
  if grep -q "Non-2xx\|Socket errors" "$tmp/wrk"; then
    grep "Non-2xx\|Socket errors" "$tmp/wrk" | sed "s|^|  $(basename "$1") c=$2: |" >&2
  fi
  echo "${r:-0}" >>"$key.rps"
  to_us "${p:-0us}" >>"$key.p99"; echo >>"$key.p99"
}

# echo_once BIN: one client run, same files
echo_once() {
  local key=$tmp/$(basename "$1").echo
  start "$1"
  local t0=$(ticks)
  "$bin/bench_echo_client" "$addr" 100 "$secs" 64 >"$tmp/echo" || exit 1
  local t1=$(ticks)
  stop
  cpu_per_op "$key" $((t1 - t0)) \
    "$(awk -v s="$secs" '{ printf "%.0f", $2 * s }' "$tmp/echo")"
  awk '{ print $2 }' "$tmp/echo" >>"$key.rps"
  sed -n 's/.*p99_us=\([0-9]*\).*/\1/p' "$tmp/echo" >>"$key.p99"
}

# cpu_per_op KEY TICKS OPS: the server's CPU time per operation, in us
cpu_per_op() {
  awk -v t="$2" -v n="${3:-0}" -v hz="$hz" \
    'BEGIN { printf (n > 0 ? "%.1f\n" : "0\n"), t * 1e6 / hz / n }' >>"$1.cpu"
}

# result KEY: "median_rps median_p99 median_cpu_us_per_op"
result() {
  echo "$(median <"$tmp/$1.rps") $(grep . "$tmp/$1.p99" | median)" \
       "$(median <"$tmp/$1.cpu")"
}

row() { printf '%-34s %10.0f %9s %11s %16s\n' "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }'; }

# The variants run interleaved, rep after rep, so that drifting load on the
# machine hits them alike.
servers=("$bin/bench_http_hello" "$gobin/http_nethttp" "$gobin/http_raw")
[ -n "$sample" ] && servers+=("$sample")
for _ in $(seq "$reps"); do
  for c in 100 1000; do
    for s in "${servers[@]}"; do http_once "$s" "$c"; done
  done
  echo_once "$bin/bench_echo_server"
  echo_once "$gobin/echo"
done

echo "I/O benchmarks: $(nproc) CPUs, ${secs} s per run, median of $reps," \
     "$(cat "$tmp/poller" 2>/dev/null)"
printf '%-34s %10s %9s %11s %16s\n' "benchmark" "req/s" "p99 us" "cpu us/req" "goc/this req/s"
for c in 100 1000; do
  read -r g_r g_p g_c < <(result bench_http_hello.c$c)
  read -r n_r n_p n_c < <(result http_nethttp.c$c)
  read -r w_r w_p w_c < <(result http_raw.c$c)
  row "http c=$c goc (http_hello.c)" "$g_r" "$g_p" "$g_c" ""
  row "http c=$c Go net/http" "$n_r" "$n_p" "$n_c" "$(ratio "$g_r" "$n_r") (>= 1.3)"
  row "http c=$c Go raw TCP" "$w_r" "$w_p" "$w_c" "$(ratio "$g_r" "$w_r") (>= 1.0)"
  if [ -n "$sample" ]; then
    read -r s_r s_p s_c < <(result http_server_sample.c$c)
    row "http c=$c goc http_server.goc" "$s_r" "$s_p" "$s_c" \
      "net/http: $(ratio "$s_r" "$n_r")"
  fi
done
read -r g_r g_p g_c < <(result bench_echo_server.echo)
read -r e_r e_p e_c < <(result echo.echo)
row "echo 100 conns, 64 B: goc" "$g_r" "$g_p" "$g_c" ""
row "echo 100 conns, 64 B: Go" "$e_r" "$e_p" "$e_c" "$(ratio "$g_r" "$e_r")"
echo "(echo: round trips/s; cpu us/req: the server's CPU time per request,"
echo " steadier than req/s on a shared machine; p99 target: goc's <= Go's)"
