#!/bin/sh
# lines.sh GOC CC WORK: every C compiler message about lines.goc carries the
# .goc line and column of the code it is about (see lines.goc).
set -eu
GOC=$1 CC=$2 WORK=$3
SRC=$(cd "$(dirname "$0")" && pwd)/lines.goc
mkdir -p "$WORK"
cd "$WORK"
cp "$SRC" lines.goc
# expected: "line:col name" for each mark_ call, from the source text
awk '{ s = $0; off = 0
       while ((i = index(s, "mark_")) > 0) {
           n = substr(s, i); sub(/\(.*/, "", n)
           print NR ":" off + i " " n
           off += i; s = substr(s, i + 1) } }' lines.goc > want
[ "$(wc -l < want)" -ge 19 ] || { echo "FAIL: too few marks"; exit 1; }
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
# no message may point at any other place in the file
bad=$(grep -E '^lines.goc:[0-9]+:[0-9]+: (warning|error)' err |
      sed -E 's/^lines.goc:([0-9]+:[0-9]+): .*(mark_[a-z_]+).*/\1 \2/' |
      grep -vxF -f want || true)
[ -z "$bad" ] || { echo "FAIL: unexpected diagnostics: $bad"; status=1; }
[ $status -eq 0 ] || cat err
exit $status
