#!/bin/sh
# respace.sh GOC CC WORK SRC: putting the .goc columns back (respace.c)
# changes only blanks and line breaks between tokens, never a token: every
# .goc under samples/ and tests/ that builds compiles to the same assembly
# with line markers (respaced) as with --no-line (not respaced).
set -eu
GOC=$1 CC=$2 WORK=$3 SRC=$4
mkdir -p "$WORK"
cd "$WORK"
n=0 status=0
for f in "$SRC"/samples/*.goc "$SRC"/tests/lang/*.goc "$SRC"/tests/debug/*.goc \
         "$SRC"/tests/proc/*.goc "$SRC"/tests/rt/*.goc "$SRC"/tests/bench/*.goc; do
    [ -f "$f" ] || continue
    b=$(basename "$f" .goc)
    "$GOC" build --cc="$CC" -w -S -O1 -I"$SRC/tests/lang" --no-line "$f" \
        -o "$b.nl.s" 2>/dev/null || continue
    "$GOC" build --cc="$CC" -w -S -O1 -I"$SRC/tests/lang" "$f" -o "$b.s" \
        2> err || { echo "FAIL: $f: builds only with --no-line"; head -5 err; status=1; continue; }
    # (less the source's name, and the line markers of inline asm)
    grep -v '^[[:space:]]*\.\(file\|ident\)\|^# [0-9]' "$b.s" > a
    grep -v '^[[:space:]]*\.\(file\|ident\)\|^# [0-9]' "$b.nl.s" > b
    if ! cmp -s a b; then
        echo "FAIL: $f: the respaced C compiles differently"
        diff a b | head -10
        status=1
    fi
    n=$((n + 1))
done
[ $n -ge 40 ] || { echo "FAIL: only $n programs built"; status=1; }
[ $status -ne 0 ] || echo "ok: $n programs, same assembly"
exit $status
