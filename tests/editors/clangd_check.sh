#!/bin/sh
# clangd_check.sh PREFIX SAMPLES_DIR WORKDIR: clangd with the setup of
# docs/editors.md, against an installed goc at PREFIX (goc.h and
# goc-clangd.h in PREFIX/include): no diagnostic on any sample, and
# go-to-definition through chan(T), make and go declarations.
# Exit 77 (skipped) when clangd or python3 is missing.
set -u
prefix=$1 samples=$2 work=$3
command -v clangd >/dev/null 2>&1 || { echo "clangd not installed: skipped"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "python3 not installed: skipped"; exit 77; }
[ -f "$prefix/include/goc-clangd.h" ] || { echo "FAIL: goc-clangd.h not installed"; exit 1; }
rm -rf "$work" && mkdir -p "$work" || exit 1
here=$(cd "$(dirname "$0")" && pwd)
cp "$samples"/*.goc "$work"/
cd "$work" || exit 1
HOME=$work XDG_CONFIG_HOME=$work/.config
export HOME XDG_CONFIG_HOME
status=0

# clang alone, for the record: what the setup saves the user from.
printf 'CompileFlags:\n  Add: [-xc, -I%s/include]\n' "$prefix" >.clangd
clang_alone=$(clangd --check=worker_pool.goc 2>&1 | grep -c '^E\[')
echo "clangd without goc's setup: $clang_alone error lines on worker_pool.goc"

# The setup exactly as docs/editors.md prints it, with the prefix.
cat >.clangd <<EOC
If:
  PathMatch: .*\.go[ch]
CompileFlags:
  Add: [-xc, -ferror-limit=0, -I$prefix/include, -include, goc-clangd.h]
Diagnostics:
  Suppress: "*"
EOC
for f in *.goc; do
    out=$(clangd --check="$f" 2>&1)
    echo "$out" | grep -q "All checks completed, 0 errors" ||
        { echo "FAIL: $f:"; echo "$out" | grep '^E\['; status=1; }
done
timeout 120 python3 "$here/clangd_check.py" clangd "$work" || status=1
exit $status
