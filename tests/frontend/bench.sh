#!/bin/sh
# Front end benchmark: goc's work after the preprocessor (lex, parse,
# lower, emit: fe_translate through fe_tool) against gcc -fsyntax-only on
# the same preprocessed file of 100k+ lines.  Prints lines per second.
# Usage: tests/frontend/bench.sh [BUILD_DIR] [FUNCTIONS]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
nfun=${2:-6000}
tool=$build/tests/frontend/fe_tool
[ -x "$tool" ] || { echo "build fe_tool first: cmake --build $build --target fe_tool"; exit 1; }
work=$(mktemp -d)
[ -n "${BENCH_KEEP:-}" ] && echo "work dir: $work" || trap 'rm -rf "$work"' EXIT

# Every C11/POSIX header, then nfun generated functions mixing
# declarations, typedef names, loops, switch and calls: plain C, so that
# gcc can read the very same file.
{
    cat "$root/tests/frontend/headers.goc" | sed -n '/#include/p'
    echo 'typedef struct rec { int key; double val; struct rec *next; } rec;'
    echo 'typedef int (*cmp_fn)(const rec *, const rec *);'
    i=0
    while [ $i -lt "$nfun" ]; do
        cat <<C
static int f$i(rec *r, int n, cmp_fn cmp, int *out)
{
    int total = 0;
    for (int i = 0; i < n; i++) {
        rec *p = &r[i];
        switch (p->key & 3) {
        case 0: total += (int)(p->val * 2.0); break;
        case 1: total -= p->key << 1; break;
        default: total ^= cmp(p, r) ? 1 : 0;
        }
        if (p->next && p->next->key > total)
            total = p->next->key;
    }
    char buf[32];
    snprintf(buf, sizeof buf, "%d", total);
    *out = total + (int)strlen(buf);
    return total;
}
C
        i=$((i + 1))
    done
} > "$work/bench.goc"
gcc -std=gnu17 -D_GNU_SOURCE -E -x c "$work/bench.goc" -o "$work/bench.i"
lines=$(wc -l < "$work/bench.i")

best() { # best wall time of 3 runs of "$@", in seconds
    b=""
    for _ in 1 2 3; do
        s=$(date +%s.%N)
        "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
    done
    echo "$b"
}
tgoc=$(best "$tool" translate "$work/bench.i" bench.goc)
tparse=$(best "$tool" emit "$work/bench.i" bench.goc)
tgcc=$(best gcc -std=gnu17 -fsyntax-only -x c "$work/bench.i")
printf 'input: %d preprocessed lines\n' "$lines"
printf 'goc (lex+parse+lower+emit): %.3f s  %.0f lines/s\n' "$tgoc" "$(echo "$lines / $tgoc" | bc -l)"
printf 'goc (lex+parse+emit only):  %.3f s  %.0f lines/s\n' "$tparse" "$(echo "$lines / $tparse" | bc -l)"
printf 'gcc -fsyntax-only:          %.3f s  %.0f lines/s\n' "$tgcc" "$(echo "$lines / $tgcc" | bc -l)"
printf 'goc / gcc time: %.2f (target <= 0.5)\n' "$(echo "$tgoc / $tgcc" | bc -l)"
