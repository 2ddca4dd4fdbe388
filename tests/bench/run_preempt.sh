#!/usr/bin/env bash
# Preemption and trace figures for docs/benchmarks.md ("Preemption",
# "Execution trace"); a benchmark, never a test.
#
#   tests/bench/run_preempt.sh [-B build-dir] [-r reps] [--smoke] [--rt]
#                              [ticker|cost|insns|trace]...
#
# ticker: tests/bench/ticker.goc (a coroutine sleeping 1 ms in a loop
#   while 4 coroutines compute) built with and without the preemption
#   checks (-fno-preempt), next to its Go twin (go/ticker), at 1 and 2
#   workers: tick lateness, median / p99 / max over all ticks of a 2 s
#   run, the median of the reps; the *-rec rows have the 4 compute in a
#   recursion without loops (ticker's `rec` mode), stopped by SIGURG.  --rt: undisturbed by the rest of the
#   machine, one worker only: each run under chrt -f 1 (real-time), 900 ms
#   long (the kernel throttles real-time threads to 950 ms a second) and
#   1.2 s after the one before.
# cost: the .goc twins of fib, sieve, skynet and ring, built -O2 with and
#   without the checks, run interleaved; medians and their ratio.
# insns: the same pairs, instructions executed (valgrind's callgrind,
#   GOC_PROCS=1, smaller sizes): the cost of the checks without the noise
#   of a shared machine.
# trace: the same twins with the checks, with and without GOC_TRACE.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build
reps=5
smoke=0
rt=0
parts=()
while [ $# -gt 0 ]; do
  case $1 in
    -B) build=$2; shift 2 ;;
    -r) reps=$2; shift 2 ;;
    --smoke) smoke=1; reps=1; shift ;;
    --rt) rt=1; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    -*) echo "run_preempt.sh: unknown option $1" >&2; exit 2 ;;
    *) parts+=("$1"); shift ;;
  esac
done
[ ${#parts[@]} -gt 0 ] || parts=(ticker cost insns trace)
goc=$build/compiler/goc
build=$(cd "$build" && pwd) || { echo "run_preempt.sh: no build directory $build" >&2; exit 2; }
out=$build/tests/bench/preempt
mkdir -p "$out"
declare -A size=([fib]=38 [sieve]=5000 [skynet]=1000000 [ring]=10000000)
[ $smoke = 1 ] && size=([fib]=27 [sieve]=200 [skynet]=10000 [ring]=20000)
tick_ms=2000; [ $rt = 1 ] && tick_ms=900; [ $smoke = 1 ] && tick_ms=100
prefix=(); [ $rt = 1 ] && prefix=(chrt -f 1)
rt_pause() { [ $rt = 1 ] && sleep 1.2; return 0; }

build_goc() { # build_goc SRC OUT [goc flags]
  local src=$1 o=$2; shift 2
  "$goc" build -O2 "$@" "$src" -o "$o" || { echo "run_preempt.sh: goc build $src failed" >&2; exit 1; }
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {
  printf "%.4g", (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
value() { "$@" | sed -n 's/^[a-z0-9]* \([0-9.e+-]*\) .*/\1/p'; }

echo "# preemption benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short HEAD)"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $reps rep(s), medians"
[ $smoke = 1 ] && echo "SMOKE RUN: tiny sizes; these are not figures"

for part in "${parts[@]}"; do
case $part in
ticker)
  build_goc "$here/ticker.goc" "$out/ticker"
  build_goc "$here/ticker.goc" "$out/ticker_np" -fno-preempt
  have_go=0
  if command -v go >/dev/null; then
    . "$here/go/build.sh"; go_twins "$out/go" ticker && have_go=1
  fi
  echo
  echo "| workers | build | ticks in ${tick_ms} ms | median late ms | p99 late ms | max late ms |"
  echo "|---|---|---|---|---|---|"
  workers=(1 2); [ $rt = 1 ] && workers=(1) # two would leave sysmon no CPU
  for p in "${workers[@]}"; do
    # rec: the spinners recurse instead (no checks: stopped by SIGURG);
    # without preemption that mode never ends at one worker, so no row
    for v in checks no-checks go checks-rec go-rec; do
      case $v in
        checks) cmd=("$out/ticker" "$tick_ms" 4); envv="GOC_PROCS=$p" ;;
        no-checks) cmd=("$out/ticker_np" "$tick_ms" 4); envv="GOC_PROCS=$p" ;;
        go) [ $have_go = 1 ] || continue; cmd=("$out/go/ticker" "$tick_ms" 4); envv="GOMAXPROCS=$p" ;;
        checks-rec) cmd=("$out/ticker" "$tick_ms" 4 rec); envv="GOC_PROCS=$p" ;;
        go-rec) [ $have_go = 1 ] || continue; cmd=("$out/go/ticker" "$tick_ms" 4 rec); envv="GOMAXPROCS=$p" ;;
      esac
      T=(); M=(); P=(); X=()
      for ((r = 0; r < reps; r++)); do
        rt_pause
        line=$("${prefix[@]}" env "$envv" "${cmd[@]}") || { echo "run_preempt.sh: ${cmd[0]} failed" >&2; exit 1; }
        T+=("$(sed 's/.*ticks=\([0-9]*\).*/\1/' <<<"$line")")
        M+=("$(sed 's/.*median_ms=\([0-9.]*\).*/\1/' <<<"$line")")
        P+=("$(sed 's/.*p99_ms=\([0-9.]*\).*/\1/' <<<"$line")")
        X+=("$(sed 's/.*max_ms=\([0-9.]*\).*/\1/' <<<"$line")")
      done
      echo "| $p | $v | $(median "${T[@]}") | $(median "${M[@]}") | $(median "${P[@]}") | $(median "${X[@]}") |"
    done
  done
  ;;
cost|trace)
  echo
  if [ "$part" = cost ]; then
    echo "| benchmark (.goc, -O2) | with checks | -fno-preempt | ratio |"
  else
    echo "| benchmark (.goc, -O2, checks) | GOC_TRACE unset | GOC_TRACE set | ratio |"
  fi
  echo "|---|---|---|---|"
  for n in fib sieve skynet ring; do
    build_goc "$here/$n.goc" "$out/$n"
    [ "$part" = cost ] && build_goc "$here/$n.goc" "$out/${n}_np" -fno-preempt
    A=(); B=()
    for ((r = 0; r < reps; r++)); do
      A+=("$(value "$out/$n" "${size[$n]}")")
      if [ "$part" = cost ]; then
        B+=("$(value "$out/${n}_np" "${size[$n]}")")
      else
        B+=("$(GOC_TRACE=$out/$n.trace.json value "$out/$n" "${size[$n]}")")
      fi
    done
    unit=$("$out/$n" 1 2>/dev/null | cut -d' ' -f3); [ -n "$unit" ] || unit=?
    a=$(median "${A[@]}"); b=$(median "${B[@]}")
    if [ "$part" = cost ]; then
      echo "| $n(${size[$n]}), $unit | $a | $b | $(ratio "$a" "$b") |"
    else
      echo "| $n(${size[$n]}), $unit | $a | $b | $(ratio "$b" "$a") |"
    fi
  done
  ;;
insns)
  declare -A small=([fib]=30 [sieve]=1500 [skynet]=100000 [ring]=1000000)
  [ $smoke = 1 ] && small=([fib]=20 [sieve]=100 [skynet]=1000 [ring]=10000)
  count() { GOC_PROCS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 |
            sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'; }
  echo
  echo "| benchmark (.goc, -O2, GOC_PROCS=1) | instructions with checks | -fno-preempt | ratio |"
  echo "|---|---|---|---|"
  for n in fib sieve skynet ring; do
    build_goc "$here/$n.goc" "$out/$n"
    build_goc "$here/$n.goc" "$out/${n}_np" -fno-preempt
    a=$(count "$out/$n" "${small[$n]}"); b=$(count "$out/${n}_np" "${small[$n]}")
    echo "| $n(${small[$n]}) | $a | $b | $(ratio "$a" "$b") |"
  done
  ;;
*) echo "run_preempt.sh: unknown part $part" >&2; exit 2 ;;
esac
done
