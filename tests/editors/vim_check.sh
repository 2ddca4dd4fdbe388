#!/bin/sh
# vim_check.sh VIMFILES FIXTURE SAMPLES_DIR WORKDIR: Vim's goc syntax
# against the hand-written fixture and every sample, in batch mode.
# Exit 77 (skipped) when Vim is not installed.
set -u
vimfiles=$1 fixture=$2 samples=$3 work=$4
command -v vim >/dev/null 2>&1 || { echo "vim not installed: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
here=$(cd "$(dirname "$0")" && pwd)
status=0

check() { # mode file
    GOC_CHECK_MODE=$1 GOC_CHECK_OUT=$work/out HOME=$work \
        vim -u NONE -i NONE -N -es --cmd "set rtp^=$vimfiles" \
        -S "$here/vim_check.vim" "$2" </dev/null
    rc=$?
    cat "$work/out" 2>/dev/null || echo "$2: vim wrote no result (rc $rc)"
    [ $rc -eq 0 ] && [ -s "$work/out" ] || status=1
}

# The checker must catch a wrong group: a syntax file without the goc
# words fails the fixture (this also shows the checks are not vacuous).
mkdir -p "$work/bare/syntax" "$work/bare/ftdetect"
cp "$vimfiles/ftdetect/goc.vim" "$work/bare/ftdetect/"
printf 'runtime! syntax/c.vim\n' > "$work/bare/syntax/goc.vim"
if GOC_CHECK_MODE=fixture GOC_CHECK_OUT=$work/out HOME=$work \
    vim -u NONE -i NONE -N -es --cmd "set rtp^=$work/bare" \
    -S "$here/vim_check.vim" "$fixture" </dev/null; then
    echo "FAIL: the checker accepted a syntax file without the goc words"
    status=1
fi

check fixture "$fixture"
# .goh dialect headers are goc too.
cp "$fixture" "$work/header.goh"
check fixture "$work/header.goh"
for f in "$samples"/*.goc; do
    check sample "$f"
done
exit $status
