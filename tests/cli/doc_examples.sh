# The examples in README.md and docs/integration.md, run exactly as printed.
# Each fenced block is preceded by `<!-- test: NAME -->`; this script
# extracts the block verbatim and runs it with the handler t_NAME below,
# which only sets up the files the example names and checks the result.
# `<!-- test: skip (reason) -->` excuses a block; a block with no
# annotation, or one without a handler, fails the test.  goc is the staged
# install, as $HOME/goc, on PATH.
. "$(dirname "$0")/lib.sh"
STAGE=$1
SRC=$2
CMAKE=$3
unset GOC_CC CC CFLAGS CPPFLAGS LDFLAGS PKG_CONFIG_LIBDIR || true
export HOME="$WORK/home"
mkdir -p "$HOME" blocks
ln -s "$STAGE" "$HOME/goc"
export PATH="$HOME/goc/bin:$(dirname "$CMAKE"):$PATH"
export TMPDIR="$WORK"

# extract <markdown file>: blocks/<name> for each annotated block.
extract() {
    awk -v out=blocks -v src="$1" '
        /^<!-- test: / { name = $3; ann = NR; next }
        /^```/ {
            if (!inblk) {
                inblk = 1
                if (ann != NR - 1) { printf "%s:%d: code block without <!-- test: --> annotation\n", src, NR; bad = 1; name = "" }
                file = (name == "" || name == "skip") ? "" : out "/" name
                if (file != "" && seen[file]++) { printf "%s:%d: block name %s used twice\n", src, NR, name; bad = 1 }
                if (file != "") printf "" > file
                next
            }
            inblk = 0
            if (file != "") close(file)
            name = ""
            next
        }
        inblk && file != "" { print > file }
        END { exit bad }' "$1"
}
extract "$SRC/README.md" > extract.log || fail "$(cat extract.log)"
extract "$SRC/docs/integration.md" >> extract.log || fail "$(cat extract.log)"

# A fresh directory per example, with the sources it names.
fresh() {
    rm -rf "$WORK/ex/$1"
    mkdir -p "$WORK/ex/$1"
    cd "$WORK/ex/$1"
}
# main.goc (calls work() from worker.goc when WORKER is defined, and
# twice() from util.c), worker.goc, util.c, include/util.h.
sources() {
    mkdir -p include
    printf 'int twice(int x);\n' > include/util.h
    printf 'int twice(int x) { return 2 * x; }\n' > util.c
    cat > main.goc <<'G'
#include <stdio.h>
#ifdef NO_UTIL
static int twice(int x) { return 2 * x; }
#else
int twice(int x);
#endif
#ifdef WORKER
int work(int x);
#else
static int work(int x) { return x; }
#endif
int main(void)
{
    chan(int) c = make(chan(int), 1);
    go { c <- twice(work(21)); };
    printf("answer %d\n", <-c);
    return 0;
}
G
    cat > worker.goc <<'G'
int work(int x)
{
    chan(int) c = make(chan(int));
    go { c <- x; };
    return <-c;
}
G
}
answer() {
    [ "$("$@")" = "answer 42" ] || fail "$*: printed '$("$@" 2>&1)'"
}
run_sh() {
    sh -e "$WORK/blocks/$1" > "$WORK/ex/$1.out" 2>&1 ||
        fail "example $1 failed: $(cat "$WORK/ex/$1.out")"
}

t_readme_hello() {
    fresh readme_hello
    cp "$WORK/blocks/readme_hello" hello.goc
    goc run hello.goc > out 2>&1 || fail "hello.goc: $(cat out)"
    [ "$(sort out)" = "$(printf 'hello from coroutine 0\nhello from coroutine 1\nhello from coroutine 2')" ] ||
        fail "hello.goc printed $(cat out)"
}
t_readme_cli() {
    fresh readme_cli
    sources
    printf '#include <stdio.h>\nint main(int argc, char **argv)\n{\n    chan(int) c = make(chan(int), 1);\n    go { c <- 42; };\n    (void)argc, (void)argv;\n    printf("answer %%d\\n", <-c);\n    return 0;\n}\n' > prog.goc
    run_sh readme_cli
    [ -s prog.c ] && [ -s prog.d ] || fail "readme_cli: no prog.c and prog.d"
    answer ./prog
    grep -q "answer 42" "$WORK/ex/readme_cli.out" || fail "goc run printed $(cat "$WORK/ex/readme_cli.out")"
}
# t_make <name> <CPPFLAGS>
t_make() {
    fresh $1
    sources
    cp "$WORK/blocks/$1" Makefile
    make CPPFLAGS="$2" > make.log 2>&1 || fail "$1: make failed: $(cat make.log)"
    answer ./prog
    make -q CPPFLAGS="$2" || fail "$1: not up to date after make"
}
t_readme_make() { t_make readme_make "-DWORKER -DNO_UTIL"; }
t_integ_make() { t_make integ_make -DWORKER; }
t_readme_cmake() {
    fresh readme_cmake
    sources
    cp "$WORK/blocks/readme_cmake" CMakeLists.txt
    "$CMAKE" -S . -B build -DCMAKE_PREFIX_PATH="$HOME/goc" > cfg.log 2>&1 ||
        fail "readme_cmake: configure: $(cat cfg.log)"
    "$CMAKE" --build build > build.log 2>&1 || fail "readme_cmake: build: $(cat build.log)"
    answer ./build/prog
}
t_integ_cmake() {
    fresh integ_cmake
    mkdir include
    printf '#define ROUNDS 6\n' > include/rounds.h
    printf '#include <goc.h>\nint pipeline(int argc, char **argv);\nint main(int argc, char **argv) { return goc_run(pipeline, argc, argv) == 21 ? 0 : 1; }\n' > main.c
    printf '#include "rounds.h"\nint pipeline(int argc, char **argv)\n{\n    (void)argc, (void)argv;\n    chan(int) c = make(chan(int));\n    go { for (int i = 1; i <= ROUNDS; i++) c <- i; close(c); };\n    int s = 0;\n    for (int v : c) s += v;\n    return s;\n}\n' > pipeline.goc
    printf 'int parts(void) { return 1; }\n' > parts.c
    printf 'int workers(void) { chan(int) c = make(chan(int), 1); go { c <- 3; }; return <-c; }\n' > workers.goc
    cp "$WORK/blocks/integ_cmake" CMakeLists.txt
    "$CMAKE" -S . -B build -DCMAKE_PREFIX_PATH="$HOME/goc" > cfg.log 2>&1 ||
        fail "integ_cmake: configure: $(cat cfg.log)"
    "$CMAKE" --build build > build.log 2>&1 || fail "integ_cmake: build: $(cat build.log)"
    ./build/demo || fail "integ_cmake: demo failed"
    [ -f build/libparts.a ] || fail "integ_cmake: no libparts.a"
}
t_integ_rule() {
    fresh integ_rule
    sources
    cp main.goc file.goc
    CPPFLAGS=-Iinclude CFLAGS=-O2 run_sh integ_rule
    [ -s file.goc.d ] && [ -s file.o ] || fail "integ_rule: no file.goc.d or file.o"
    cc file.o util.c "$HOME/goc/lib/libgoc.a" -lpthread -o prog
    answer ./prog
}
t_integ_pkgconfig() {
    fresh integ_pkgconfig
    cat > app.c <<'C'
#include <goc.h>
#include <stdio.h>
static int app(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_chan *c = goc_chan_make(sizeof(int), 1);
    int v = 42, got = 0;
    goc_chan_send(c, &v);
    goc_chan_recv(c, &got);
    printf("answer %d\n", got);
    return 0;
}
int main(int argc, char **argv) { goc_main(app, argc, argv); }
C
    run_sh integ_pkgconfig
    answer ./app
}
t_integ_build() {
    fresh integ_build
    sources
    cp "$WORK/blocks/readme_hello" hello.goc
    run_sh integ_build
    answer ./prog
    [ -s worker.o ] && [ -s worker.d ] || fail "integ_build: no worker.o and worker.d"
}
t_integ_sanitize() {
    fresh integ_sanitize
    sources
    run_sh integ_sanitize
    grep -c "answer 42" "$WORK/ex/integ_sanitize.out" | grep -q 2 ||
        fail "integ_sanitize printed $(cat "$WORK/ex/integ_sanitize.out")"
}
t_integ_cc() {
    fresh integ_cc
    sources
    cat > Makefile <<'M'
prog: main.o util.o
	$(CC) $^ -o $@
main.o: main.goc
	$(CC) -c main.goc -o $@
M
    run_sh integ_cc
    head -n 1 "$WORK/ex/integ_cc.out" | grep -q "$(cc -dumpmachine)" ||
        fail "integ_cc printed $(cat "$WORK/ex/integ_cc.out")"
    answer ./prog
}
t_integ_ccache() {
    command -v ccache > /dev/null 2>&1 || return 0
    fresh integ_ccache
    sources
    export CCACHE_DIR="$WORK/ccache"
    run_sh integ_ccache
    ccache -z > /dev/null
    rm prog worker.o
    run_sh integ_ccache
    answer ./prog
    ccache --print-stats | awk '$1 == "direct_cache_hit" { h = $2 } END { exit h >= 2 ? 0 : 1 }' ||
        fail "integ_ccache: the rebuild missed the cache: $(ccache --print-stats | grep hit)"
}

n=0
for b in blocks/*; do
    name=$(basename "$b")
    command -v "t_$name" > /dev/null 2>&1 || fail "no handler for example $name"
    "t_$name"
    cd "$WORK"
    n=$((n + 1))
    echo "ran $name"
done
[ $n -ge 12 ] || fail "only $n examples found"
echo ok
