#!/bin/sh
# corpus.sh GOC WORK NAME: the corpus tier (docs/frontend.md).  Builds the
# real C codebase NAME (a Debian source package, fetched at test time and
# cached in WORK) twice, with every C file through `goc build -x goc` and
# with plain cc, and runs the codebase's own test programs on both; the
# results must agree.  Also times goc's translation of every C file
# against `cc -fsyntax-only` on the same files (WORK/NAME.time).
# Runs only with GOC_CORPUS=1 (.ci/run sets it when the Debian source
# registry answers); exits 77 (skipped) otherwise, or when the package
# cannot be fetched.
#   corpus.sh --probe WORK: exit 0 when the registry answers (.ci/run).
set -u
if [ "$1" = --probe ]; then
    set -- probe "$2" probe
    GOC_CORPUS=1
fi
GOC=$1 WORK=$2 NAME=$3
CC=${CC:-cc}
[ "${GOC_CORPUS:-0}" = 1 ] || {
    echo "corpus tier skipped: set GOC_CORPUS=1 to fetch and build $NAME"
    exit 77
}
fail() { echo "FAIL: corpus $NAME: $*" >&2; exit 1; }
mkdir -p "$WORK" && WORK=$(cd "$WORK" && pwd) || exit 1
HERE=$(cd "$(dirname "$0")" && pwd)

# ---- fetching: a private deb-src list and apt state, nothing system-wide
fetch() {
    src="$WORK/src/$NAME"
    [ -f "$src/.complete" ] && return 0
    command -v apt-get >/dev/null 2>&1 || {
        echo "corpus tier skipped: no apt-get to fetch Debian sources"
        exit 77
    }
    apt="$WORK/apt"
    mkdir -p "$apt/state/lists/partial" "$apt/cache/archives/partial" "$WORK/dl"
    suite=$(. /etc/os-release 2>/dev/null; echo "${VERSION_CODENAME:-bookworm}")
    echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
         "http://deb.debian.org/debian $suite main" >"$apt/sources.list"
    set -- -o Dir::Etc::SourceList="$apt/sources.list" \
        -o Dir::Etc::SourceParts=/dev/null -o Dir::State="$apt/state" \
        -o Dir::Cache="$apt/cache" -o Debug::NoLocking=1 \
        -o APT::Sandbox::User="$(id -un)"
    if [ ! -f "$apt/state/lists/.updated" ]; then
        apt-get "$@" -qq update >"$apt/update.log" 2>&1 || {
            cat "$apt/update.log"
            echo "corpus tier skipped: the Debian source registry did not answer"
            exit 77
        }
        touch "$apt/state/lists/.updated"
    fi
    [ "$NAME" = probe ] && exit 0
    (cd "$WORK/dl" && apt-get "$@" -qq source --download-only "$NAME") \
        >"$apt/$NAME.log" 2>&1 || {
        cat "$apt/$NAME.log"
        echo "corpus tier skipped: cannot fetch the source package $NAME"
        exit 77
    }
    rm -rf "$src" && mkdir -p "$src"
    orig=$(ls "$WORK/dl/${NAME}_"*.orig.tar.* | grep -v 'orig-' | head -n 1)
    tar -xf "$orig" -C "$src" --strip-components=1 || fail "cannot unpack $orig"
    touch "$src/.complete"
}

# ---- one build: $1 = gcc|goc, in WORK/$1/NAME, CC set accordingly
fresh() {
    dir="$WORK/$1/$NAME"
    rm -rf "$dir" && mkdir -p "$WORK/$1" && cp -R "$WORK/src/$NAME" "$dir"
    cd "$dir" || exit 1
}

build_lua() {
    make -s -C src CC="$2 -std=gnu99" MYCFLAGS=-O2 linux >build.log 2>&1 ||
        { tail -30 build.log; fail "$1: lua does not build"; }
    src/lua "$HERE/check.lua" >check.out 2>&1 || { cat check.out; fail "$1: check.lua failed"; }
}

build_zlib() {
    CC="$2" CFLAGS=-O2 ./configure --static >build.log 2>&1 ||
        { cat build.log; fail "$1: zlib configure failed"; }
    make -s test >>build.log 2>&1 || { tail -30 build.log; fail "$1: zlib make test failed"; }
    grep -q '\*\*\* zlib test OK \*\*\*' build.log || fail "$1: zlib tests did not pass"
    head -c 3000000 "$GOC" >blob && ./minigzip -9 <blob >blob.gz &&
        ./minigzip -d <blob.gz >check.out || fail "$1: minigzip round trip"
    cmp -s blob check.out || fail "$1: minigzip changed the data"
}

build_cjson() {
    make -s CC="$2" static tests >build.log 2>&1 || { tail -30 build.log; fail "$1: cJSON does not build"; }
    ./cJSON_test >check.out 2>&1 || { cat check.out; fail "$1: cJSON_test failed"; }
    cd tests || exit 1
    for t in *.c; do
        [ "$t" = unity_setup.c ] && continue
        $2 -O2 -I.. -Iunity/src "$t" unity/src/unity.c ../cJSON_Utils.c -o "${t%.c}" -lm \
            >>../build.log 2>&1 || { tail -20 ../build.log; fail "$1: tests/$t does not build"; }
        "./${t%.c}" >"${t%.c}.out" 2>&1 || { cat "${t%.c}.out"; fail "$1: tests/$t failed"; }
        tail -n 3 "${t%.c}.out" >>../check.out
    done
    cd ..
}

# ---- translation time: goc on every C file against cc -fsyntax-only
time_files() {
    cd "$WORK/src/$NAME" || exit 1
    files=$(find . -name '*.c' ! -path '*/unity/*' ! -path '*/examples/*' \
            ! -path '*/contrib/*' ! -path '*/fuzzing/*' | sort)
    lines=$(cat $files | wc -l)
    t0=$(date +%s.%N)
    for f in $files; do
        "$GOC" -x goc -I"$(dirname "$f")" -I. "$f" -o - >/dev/null ||
            fail "goc cannot translate $f"
    done
    t1=$(date +%s.%N)
    for f in $files; do $CC -fsyntax-only -I"$(dirname "$f")" -I. "$f" 2>/dev/null; done
    t2=$(date +%s.%N)
    awk -v n="$NAME" -v l="$lines" -v t0="$t0" -v t1="$t1" -v t2="$t2" 'BEGIN {
        g = t1 - t0; c = t2 - t1
        printf "%s: %d lines of C; goc %.2f s, cc -fsyntax-only %.2f s (ratio %.2f)\n",
            n, l, g, c, (c > 0 ? g / c : 0) }' | tee "$WORK/$NAME.time"
    # goc build -fsyntax-only of every file without the source form and
    # with it (the default): its cost, and how many files compile their
    # own text (docs/frontend.md, "The user's own text")
    t3=$(date +%s.%N)
    for f in $files; do
        GOC_SOURCE_FORM=0 $GOC build -x goc -fsyntax-only -w -I"$(dirname "$f")" -I. "$f" >/dev/null 2>&1
    done
    t4=$(date +%s.%N)
    nsf=0 nf=0
    for f in $files; do
        nf=$((nf + 1))
        $GOC build -v -x goc -fsyntax-only -w -I"$(dirname "$f")" -I. "$f" 2>&1 |
            grep -q 'compiling its own text' && nsf=$((nsf + 1))
    done
    t5=$(date +%s.%N)
    awk -v n="$NAME" -v t3="$t3" -v t4="$t4" -v t5="$t5" -v nsf="$nsf" -v nf="$nf" 'BEGIN {
        printf "%s: goc build -fsyntax-only %.2f s, with the source form %.2f s; %d of %d files compile their own text\n",
            n, t4 - t3, t5 - t4, nsf, nf }' | tee -a "$WORK/$NAME.time"
}

fetch
fresh gcc && "build_$(echo "$NAME" | sed 's/5\.4//')" gcc "$CC"
fresh goc && "build_$(echo "$NAME" | sed 's/5\.4//')" goc "$GOC build -x goc"
cmp -s "$WORK/gcc/$NAME/check.out" "$WORK/goc/$NAME/check.out" ||
    { diff "$WORK/gcc/$NAME/check.out" "$WORK/goc/$NAME/check.out" | head -20;
      fail "the goc build's test output differs from the cc build's"; }
echo "$NAME: the goc build and the cc build pass the same tests"
time_files
exit 0
