#!/bin/sh
# lines.sh GOC CC WORK: every C compiler message about lines.goc carries the
# .goc line and column of the code it is about (see lines.goc).
set -eu
GOC=$1 CC=$2 WORK=$3
SRC=$(cd "$(dirname "$0")" && pwd)/lines.goc
mkdir -p "$WORK"
cd "$WORK"
cp "$SRC" lines.goc
# expected: "line:col name" for each mark_ call, from the source text.
# The column is clang's, a byte column; gcc's is a display column, with
# tabs to the next multiple of 8.
case $(basename "$CC") in *clang*) unit=byte ;; *) unit=display ;; esac
awk -v unit=$unit '
     function col(s, i,   c, j) {
         if (unit == "byte") return i
         c = 0
         for (j = 1; j < i; j++)
             c = substr(s, j, 1) == "\t" ? int(c / 8) * 8 + 8 : c + 1
         return c + 1 }
     { s = $0; off = 0
       while ((i = index(s, "mark_")) > 0) {
           n = substr(s, i); sub(/\(.*/, "", n)
           print NR ":" col($0, off + i) " " n
           off += i; s = substr(s, i + 1) } }' lines.goc > want
[ "$(wc -l < want)" -ge 31 ] || { echo "FAIL: too few marks"; exit 1; }
expand -t 8 lines.goc | sed 's/ *$//' > expanded
set +e
"$GOC" build --cc="$CC" -c -Wall -Wno-unused-but-set-variable lines.goc -o lines.o 2> err
set -e
status=0
while read -r at name; do
    if ! grep -q "^lines.goc:$at: .*'$name'" err &&
       ! grep -q "^lines.goc:$at: .*‘$name’" err; then
        echo "FAIL: no diagnostic for $name at lines.goc:$at"
        grep -F "$name" err || true
        status=1
    fi
done < want
# each message quotes its .goc line (gcc: "  12 | text"; clang: the text)
awk '/^lines.goc:[0-9]+:[0-9]+: warning: .*mark_/ {
         split($0, f, ":"); getline ex; sub(/^ *[0-9]+ \| /, "", ex)
         sub(/ *$/, "", ex); print f[2] "\t" ex }' err > quoted
while IFS="$(printf '\t')" read -r l text; do
    if [ "$text" != "$(sed -n "${l}p" expanded)" ]; then
        echo "FAIL: the message at line $l quotes '$text'"
        status=1
    fi
done < quoted
[ "$(wc -l < quoted)" -eq "$(wc -l < want)" ] ||
    { echo "FAIL: $(wc -l < quoted) quoted lines for $(wc -l < want) marks"; status=1; }
# no message may point at any other place in the file
bad=$(grep -E '^lines.goc:[0-9]+:[0-9]+: (warning|error)' err |
      sed -E 's/^lines.goc:([0-9]+:[0-9]+): .*(mark_[a-z_]+).*/\1 \2/' |
      grep -vxF -f want || true)
[ -z "$bad" ] || { echo "FAIL: unexpected diagnostics: $bad"; status=1; }
[ $status -eq 0 ] || cat err
exit $status
