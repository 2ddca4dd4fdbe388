#!/bin/sh
# diag_check.sh GOC VIMFILES VSCODE_EXT TESTS_DIR WORKDIR: the documented ways to get
# goc's diagnostics into an editor (docs/editors.md), on files whose errors
# are at known lines: the JSON linter command, Vim's :make with the goc
# compiler plugin, the ALE handler, and VS Code's $goc problem matcher.
# Vim and Python parts are skipped when those are missing.
set -u
goc=$1 vimfiles=$2 vscode=$3 tests=$4 work=$5
rm -rf "$work" && mkdir -p "$work/bin" || exit 1
ln -s "$goc" "$work/bin/goc"
PATH=$work/bin:$PATH
export PATH
status=0
fail() { echo "FAIL: $*"; status=1; }
expect() { # file pattern what
    grep -q -- "$2" "$1" || { fail "$3"; echo "--- $1:"; cat "$1"; }
}
cd "$work" || exit 1
cp "$tests/goc_error.goc" "$tests/cc_error.goc" .

# 1. The linter command: JSON lines on stderr, nothing on stdout, status 1.
for f in goc_error cc_error; do
    goc build -c -fsyntax-only -Wall -fdiagnostics-format=json $f.goc \
        >$f.stdout 2>$f.json
    [ $? -eq 1 ] || fail "$f: status is not 1"
    [ -s $f.stdout ] && fail "$f: wrote to stdout"
    grep -v '^{.*}$' $f.json && fail "$f: a stderr line is not a JSON object"
done
ls ./*.o 2>/dev/null && fail "-fsyntax-only left an object file"
expect goc_error.json '"file":"goc_error.goc","line":4,"column":20,"severity":"error","message":"cannot initialize' \
    "goc's own error at 4:20"
expect cc_error.json '"file":"cc_error.goc","line":5,"column":9,"severity":"warning","message":"unused variable' \
    "the C compiler's warning at 5:9"
expect cc_error.json '"file":"cc_error.goc","line":7,"column":26,"severity":"error","message":"[^"]*missing' \
    "the C compiler's error at 7:26 (a line goc lowered)"
# A valid file: nothing at all, status 0.
printf 'int main(void) { chan(int) c = make(chan(int), 1); c <- 1; return <-c - 1; }\n' >ok.goc
goc build -c -fsyntax-only -Wall -Wextra -fdiagnostics-format=json ok.goc >ok.out 2>&1 ||
    fail "a valid file: non-zero status"
[ -s ok.out ] && { fail "a valid file: output"; cat ok.out; }

# 2. Vim: :make (compiler goc) and the ALE handler.
if command -v vim >/dev/null 2>&1; then
    for f in goc_error cc_error; do
        GOC_JSON=$f.json GOC_CHECK_OUT=$f.vim HOME=$work \
            vim -u NONE -i NONE -N -es --cmd "set rtp^=$vimfiles" \
            -S "$tests/diag_check.vim" $f.goc </dev/null >$f.vimlog 2>&1
    done
    expect goc_error.vim '^filetype goc$' "vim: filetype goc"
    expect goc_error.vim '^compiler goc$' "vim: ftplugin sets compiler goc"
    expect goc_error.vim "^qf 4:20:e:cannot initialize" "vim :make: goc's error at 4:20"
    expect cc_error.vim "^qf 5:9:w:unused variable" "vim :make: cc's warning at 5:9"
    expect cc_error.vim "^qf 7:26:e:.*missing" "vim :make: cc's error on line 7"
    expect goc_error.vim "^ale 4:20:E:cannot initialize" "ALE: goc's error at 4:20"
    expect cc_error.vim "^ale 5:9:W:unused variable" "ALE: cc's warning at 5:9"
    expect cc_error.vim "^ale 7:26:E:.*missing" "ALE: cc's error on line 7"
    grep -q "In function" cc_error.vim && fail "vim: a context line became an item"
    # ALE itself, when installed (Debian package vim-ale).
    ale=/usr/share/vim-ale
    if [ -f "$ale/plugin/ale.vim" ]; then
        GOC_CHECK_OUT=cc_error.ale HOME=$work \
            vim -u NONE -i NONE -N -es --cmd "set rtp^=$ale" \
            --cmd "set rtp^=$vimfiles" -S "$tests/ale_check.vim" cc_error.goc \
            </dev/null >ale.log 2>&1
        expect cc_error.ale "^ale-real 5:9:W:goc:unused variable" "ALE: cc's warning at 5:9"
        expect cc_error.ale "^ale-real 7:26:E:goc:.*missing" "ALE: cc's error on line 7"
    else
        echo "vim-ale not installed: ALE part skipped"
    fi
else
    echo "vim not installed: Vim part skipped"
fi

# 3. VS Code's problem matcher, applied as VS Code applies it (the regex is
# read from package.json; it is valid in both JavaScript and Python).
if command -v python3 >/dev/null 2>&1; then
    goc build -c -fsyntax-only -Wall cc_error.goc 2>cc_error.txt
    python3 - "$vscode/package.json" cc_error.txt >cc_error.pm <<'PY' || fail "problem matcher script"
import json, re, sys
pm = json.load(open(sys.argv[1]))["contributes"]["problemMatchers"][0]
p = pm["pattern"]
rx = re.compile(p["regexp"])
for line in open(sys.argv[2]):
    m = rx.match(line.rstrip("\n"))
    if m:
        print("pm %s:%s:%s:%s:%s" % tuple(m.group(p[k]) for k in
              ("file", "line", "column", "severity", "message")))
PY
    expect cc_error.pm "^pm cc_error.goc:5:9:warning:unused variable" "problem matcher: 5:9"
    expect cc_error.pm "^pm cc_error.goc:7:26:error:.*missing" "problem matcher: line 7"
    [ "$(grep -c . cc_error.pm)" -eq 2 ] || fail "problem matcher: not 2 items (notes are left out)"
else
    echo "python3 not installed: problem matcher part skipped"
fi
[ $status -eq 0 ] && echo "diagnostics in editors: ok"
exit $status
