#!/usr/bin/env bash
# Run the runtime benchmarks and their Go twins side by side; print a table.
#
#   tests/bench/run.sh [-B build-dir] [-r reps] [-p workers] [--base dir]
#                      [--smoke] [--no-build] [name...]
#
# Each program verifies its own result and prints one line,
#   <name> <value> <unit> rss_kb=<peak RSS in KiB>
# (see bench.h).  For every benchmark the variants run interleaved, rep after
# rep: the C-API program (build/tests/bench/bench_<name>), its .goc twin when
# tests/bench/<name>.goc exists (built with build/compiler/goc build -O2) and
# the Go twin (tests/bench/go/<name>, built with the system go).  The table
# shows the median of the reps and, in brackets, the best one; ratios use
# medians.  -p N runs both runtimes on N workers (GOC_PROCS, GOMAXPROCS;
# default: one per CPU).  --smoke runs tiny sizes once (the test suite
# uses it).  --base DIR also runs DIR's build of the C-API programs (a build
# directory of another tree, already built: the tree before a change),
# interleaved with this build's, and prints a second table, before/after.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${GOC_BUILD:-$root/build}
reps=5
procs=
smoke=0
do_build=1
base=
names=()
while [ $# -gt 0 ]; do
  case $1 in
    -B) build=$2; shift 2 ;;
    -r) reps=$2; shift 2 ;;
    -p) procs=$2; shift 2 ;;
    --smoke) smoke=1; reps=1; shift ;;
    --no-build) do_build=0; shift ;;
    --base) base=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) names+=("$1"); shift ;;
  esac
done
build=$(cd "$build" 2>/dev/null && pwd || echo "$build")
if [ -n "$base" ]; then
  base=$(cd "$base" 2>/dev/null && pwd) && [ -d "$base/tests/bench" ] || {
    echo "run.sh: --base: no built tests/bench under ${base:-that directory}" >&2; exit 2; }
fi
all=(pingpong ring skynet spawn sieve mpmc select4 fib sleepers timeout)
[ ${#names[@]} -gt 0 ] || names=("${all[@]}")

# Full sizes (the figures in docs/benchmarks.md) and smoke sizes.
declare -A full=([pingpong]=1000000 [ring]=10000000 [skynet]=1000000
  [spawn]=1000000 [sieve]=5000 [mpmc]=10000000 [select4]=4000000 [fib]=38
  [sleepers]=100000 [timeout]=1000000)
declare -A tiny=([pingpong]=2000 [ring]=20000 [skynet]=10000 [spawn]=20000
  [sieve]=200 [mpmc]=40000 [select4]=20000 [fib]=27 [sleepers]=5000
  [timeout]=20000)
declare -A target=([pingpong]="<= 0.25" [ring]="<= 0.25" [skynet]="<= 0.2"
  [spawn]="<= 0.25" [sieve]="report" [mpmc]="<= 0.7" [select4]="report"
  [sleepers]="<= 0.5" [timeout]="<= 0.5")
declare -A what=([pingpong]="ping-pong, unbuffered" [ring]="ring of 503"
  [skynet]="skynet" [spawn]="spawn + WaitGroup" [sieve]="prime sieve"
  [mpmc]="MPMC 4x4, buffer 1024" [select4]="select over 4 channels"
  [sleepers]="100k random sleeps" [timeout]="select with timeout")

bindir=$build/tests/bench
gobin=$bindir/go
mkdir -p "$gobin"

# ---- build --------------------------------------------------------------
if [ $do_build = 1 ]; then
  [ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" >/dev/null || exit 1
  targets=(--target goc_bench)
  ls "$here"/*.goc >/dev/null 2>&1 && targets+=(--target goc)
  cmake --build "$build" -j"$(nproc)" "${targets[@]}" >/dev/null || {
    echo "run.sh: build failed" >&2; exit 1; }
fi
have_go=0
if command -v go >/dev/null; then
  have_go=1
  . "$here/go/build.sh"
  go_twins "$gobin" "${names[@]}" || { echo "run.sh: go build failed" >&2; exit 1; }
fi
declare -A gocbin=()
for n in "${names[@]}"; do
  [ -f "$here/$n.goc" ] || continue
  if "$build/compiler/goc" build -O2 "$here/$n.goc" -o "$bindir/goc_$n" \
      2>"$bindir/goc_$n.log"; then
    gocbin[$n]=$bindir/goc_$n
  else
    gocbin[$n]=FAILED
    echo "run.sh: goc build $n.goc failed (see $bindir/goc_$n.log)" >&2
  fi
done

# ---- measure ------------------------------------------------------------
status=0
# run1 <env-assignment> <prog> <size>: print "value rss_kb", or FAIL.
run1() {
  local envset=$1 prog=$2 size=$3 out
  if out=$(env $envset timeout 600 "$prog" "$size" 2>/tmp/goc-bench-err.$$) &&
     [[ $out =~ ^[a-z0-9]+\ ([0-9.e+-]+)\ [^\ ]+\ rss_kb=([0-9]+)$ ]]; then
    echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
  else
    echo "run.sh: $prog $size failed: $(head -c 300 /tmp/goc-bench-err.$$)" >&2
    echo FAIL
  fi
  rm -f /tmp/goc-bench-err.$$
}

# summ <values...>: "median best" (best = smallest), or FAIL.
summ() {
  case " $* " in *" FAIL "*|"  ") echo FAIL; return ;; esac
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {
    m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2
    printf "%.4g %.4g\n", m, v[1] }'
}

# cell median best: "median (best)".
cell() { [ "$1" = FAIL ] && echo FAIL || echo "$1 ($2)"; }
ratio() { # ratio a b -> a/b
  [ "$1" = FAIL ] || [ "$2" = FAIL ] || [ -z "$1" ] || [ -z "$2" ] && { echo -; return; }
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'
}
verdict() { # verdict value "<= x" | ">= x" | report
  [ $smoke = 1 ] && { echo "-"; return; } # tiny sizes prove nothing
  case $2 in
    report) echo "-" ;;
    *) [ "$1" = - ] && { echo "?"; return; }
       awk -v v="$1" -v op="${2%% *}" -v t="${2##* }" 'BEGIN {
         ok = (op == "<=") ? v <= t : v >= t; print ok ? "yes" : "MISSED" }' ;;
  esac
}

rows=()
row() { local r; r=$(printf ' %s |' "$@"); rows+=("|$r"); }
brows=()
brow() { local r; r=$(printf ' %s |' "$@"); brows+=("|$r"); }

# measure <name> <env for goc> <env for go>: sets the lists C, O, G
# (C API, .goc, Go figures) and CR, OR, GR (their peak RSS).
measure() {
  local n=$1 ge=$2 goe=$3 r v
  size=${full[$n]}; [ $smoke = 1 ] && size=${tiny[$n]}
  C=(); G=(); O=(); CR=(); GR=(); OR=(); BC=()
  for ((r = 0; r < reps; r++)); do
    if [ -n "$base" ]; then
      read -r v rs <<<"$(run1 "$ge" "$base/tests/bench/bench_$n" "$size")"; BC+=("$v")
    fi
    read -r v rs <<<"$(run1 "$ge" "$bindir/bench_$n" "$size")"; C+=("$v"); CR+=("${rs:-FAIL}")
    if [ -n "${gocbin[$n]:-}" ] && [ "${gocbin[$n]}" != FAILED ]; then
      read -r v rs <<<"$(run1 "$ge" "${gocbin[$n]}" "$size")"; O+=("$v"); OR+=("${rs:-FAIL}")
    fi
    if [ $have_go = 1 ]; then
      read -r v rs <<<"$(run1 "$goe" "$gobin/$n" "$size")"; G+=("$v"); GR+=("${rs:-FAIL}")
    fi
  done
  case " ${C[*]} ${O[*]} ${G[*]} ${BC[*]} " in *" FAIL "*) status=1 ;; esac
  if [ -n "$base" ]; then
    local bm bb tm tb
    read -r bm bb <<<"$(summ "${BC[@]}")"; read -r tm tb <<<"$(summ "${C[@]}")"
    brow "$n${ge:+ ($ge)}" "$(cell "$bm" "$bb")" "$(cell "$tm" "$tb")" "$(ratio "$tm" "$bm")"
  fi
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for n in "${names[@]}"; do
  if [ "$n" = fib ]; then
    declare -A sp=()
    for p in 1 2; do
      measure fib "GOC_PROCS=$p" "GOMAXPROCS=$p"
      read -r cm cb <<<"$(summ "${C[@]}")"; read -r gm gb <<<"$(summ "${G[@]:-FAIL}")"
      om=""; ob=""; [ ${#O[@]} -gt 0 ] && read -r om ob <<<"$(summ "${O[@]}")"
      sp[c$p]=$cm; sp[g$p]=$gm; sp[o$p]=$om
      row "fib($size) cutoff 25, $p worker(s)" ms "$(cell "$cm" "$cb")" \
        "$([ -n "$om" ] && cell "$om" "$ob" || echo -)" "$(cell "$gm" "$gb")" \
        "$(ratio "$om" "$cm")" "$(ratio "$cm" "$gm")" report -
    done
    s=$(ratio "${sp[c1]}" "${sp[c2]}")
    so=-; [ -n "${sp[o1]}" ] && so=$(ratio "${sp[o1]}" "${sp[o2]}")
    row "fib speed-up, 2 workers vs 1" "x" "$s" "$so" "$(ratio "${sp[g1]}" "${sp[g2]}")" \
      - - ">= 1.9 (goc)" "$(verdict "$s" ">= 1.9")"
    continue
  fi
  measure "$n" "${procs:+GOC_PROCS=$procs}" "${procs:+GOMAXPROCS=$procs}"
  read -r cm cb <<<"$(summ "${C[@]}")"; read -r gm gb <<<"$(summ "${G[@]:-FAIL}")"
  om=""; ob=""; [ ${#O[@]} -gt 0 ] && read -r om ob <<<"$(summ "${O[@]}")"
  unit=$("$bindir/bench_$n" "${tiny[$n]}" 2>/dev/null | cut -d' ' -f3)
  q=$(ratio "$cm" "$gm")
  row "${what[$n]}" "$unit" "$(cell "$cm" "$cb")" "$([ -n "$om" ] && cell "$om" "$ob" || echo -)" \
    "$(cell "$gm" "$gb")" "$(ratio "$om" "$cm")" "$q" "${target[$n]}" "$(verdict "$q" "${target[$n]}")"
  if [ "$n" = skynet ] || [ "$n" = sleepers ] || [ "$n" = timeout ]; then
    read -r cm cb <<<"$(summ "${CR[@]}")"; read -r gm gb <<<"$(summ "${GR[@]:-FAIL}")"
    om=""; [ ${#OR[@]} -gt 0 ] && read -r om ob <<<"$(summ "${OR[@]}")"
    mb() { [ "$1" = FAIL ] && echo FAIL || awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
    q=$(ratio "$cm" "$gm")
    row "$n peak RSS" MB "$(mb "$cm")" "$([ -n "$om" ] && mb "$om" || echo -)" "$(mb "$gm")" \
      "$(ratio "$om" "$cm")" "$q" "<= 1.0" "$(verdict "$q" "<= 1.0")"
  fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report -------------------------------------------------------------
echo "# goc runtime benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs;" \
  "$(cc --version | head -1); $(go version 2>/dev/null || echo 'no go')"
echo "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?');" \
  "$reps rep(s) each, median (best); load average before: $load_before, after: $load_after"
echo "GOC_PROCS / GOMAXPROCS: ${procs:-default ($(nproc))} unless the row says otherwise"
[ $smoke = 1 ] && echo "SMOKE RUN: tiny sizes, one rep; these are not figures"
echo
echo "| benchmark | unit | goc (C API) | goc (.goc) | Go | .goc/C | goc/Go | target | met |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
if [ -n "$base" ]; then
  echo
  echo "before: $base (commit $(git -C "$base/.." rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo
  echo "| benchmark (C API) | before | after (this build) | after/before |"
  echo "|---|---|---|---|"
  printf '%s\n' "${brows[@]}"
fi
exit $status
