#!/bin/sh
# twin_icount.sh BUILD_DIR: the cost of the language over the C API, free of
# machine noise.  For each benchmark with a .goc twin in tests/bench, count
# instructions (valgrind callgrind, GOC_PROCS=1) of the C-API program and of
# the .goc twin (built with goc build -O2) at two sizes, and print the
# marginal instructions per operation, so start-up cost cancels out.
# sieve is left out: its count depends on scheduling (~15% run to run).
set -eu
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")/../bench" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export GOC_PROCS=1
ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
       sed -n 's/.*Collected : //p'; }
for spec in ${TWINS:-pingpong:10000:30000 ring:50000:150000 spawn:10000:30000 \
            skynet:1000:10000 mpmc:40000:120000 select4:20000:60000 fib:22:27}; do
    b=${spec%%:*} rest=${spec#*:}
    n1=${rest%%:*} n2=${rest#*:}
    "$build/compiler/goc" build -O2 "$here/$b.goc" -o "$out/$b"
    c1=$(ir "$build/tests/bench/bench_$b" "$n1"); c2=$(ir "$build/tests/bench/bench_$b" "$n2")
    g1=$(ir "$out/$b" "$n1"); g2=$(ir "$out/$b" "$n2")
    echo "$b $n1 $n2 $c1 $c2 $g1 $g2" | awk '{dc = $5 - $4; dg = $7 - $6;
        printf "%-9s C-API %10.1f  goc %10.1f  instructions/op  goc/C %.4f\n",
               $1, dc / ($3 - $2), dg / ($3 - $2), dg / dc}'
done
