# goc(1) is installed, well formed, and documents what goc --help lists.
. "$(dirname "$0")/lib.sh"
STAGE=$1
SRC=$2
MAN=$STAGE/share/man/man1/goc.1
head -n1 "$MAN" | grep -q '^\.TH GOC 1 ' || fail "goc.1 header: $(head -n1 "$MAN")"
sed 's/\\-/-/g' "$MAN" > plain
"$STAGE/bin/goc" --help > help
for opt in -o --cc= -v --no-line --runtime= -fdiagnostics-color= \
           -fdiagnostics-format= --help --version -MD -MMD -MF -MT -MQ -MP \
           GOC_ROOT NO_COLOR; do
    contains help "$opt"
    contains plain "$opt"
    contains "$SRC/docs/cli.md" "$opt"
done
if command -v groff >/dev/null 2>&1; then
    groff -man -ww -z "$MAN" 2> warnings || fail "groff failed: $(cat warnings)"
    empty warnings
fi
echo ok
