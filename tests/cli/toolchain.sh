# The CMake functions and goc.mk preprocess .goc files with the project's
# toolchain: its C compiler (gcc and clang), C standard, definitions,
# include directories and options, and link the sanitizer runtime for
# -fsanitize=thread.  Against the staged install.
. "$(dirname "$0")/lib.sh"
STAGE=$1
CMAKE=$3
compilers=gcc
command -v clang >/dev/null 2>&1 && compilers="gcc clang"

mkdir -p src/inc
printf '#define FROM_INCLUDE 1\n' > src/inc/tc.h
# Every check is an #error, so that a .goc preprocessed with the wrong
# toolchain fails to build; <stdio.h> with gcc's macros but compiled by
# clang failed ('__malloc__' attribute takes no arguments).
cat > src/check.goc <<'SRC'
#include <assert.h>
#include <stdio.h>
#include "tc.h"
#if defined(WANT_CLANG) != defined(__clang__)
#error "preprocessed by the wrong compiler"
#endif
#if __STDC_VERSION__ != 199901L
#error "not preprocessed as C99"
#endif
#if defined(WANT_STRICT) != defined(__STRICT_ANSI__)
#error "C_EXTENSIONS / -std= not followed"
#endif
#if FROM_OPTIONS != 3 || FROM_DEFS != 4 || FROM_INCLUDE != 1
#error "options, definitions or include directories missing"
#endif
#if defined(WANT_NDEBUG) != defined(NDEBUG)
#error "the configuration's flags (NDEBUG) not followed"
#endif
int main(void)
{
    chan(int) c = make(chan(int), 1);
    go { c <- 42; };
    printf("%d\n", <-c);
    return 0;
}
SRC

cat > src/CMakeLists.txt <<'SRC'
cmake_minimum_required(VERSION 3.20)
project(tc LANGUAGES C)
find_package(goc REQUIRED)
goc_add_executable(check check.goc)
set_target_properties(check PROPERTIES C_STANDARD 99 C_EXTENSIONS ${EXT})
target_compile_options(check PRIVATE -DFROM_OPTIONS=3)
target_compile_definitions(check PRIVATE FROM_DEFS=4 ${WANT})
target_include_directories(check PRIVATE inc)
goc_add_executable(pool worker_pool.goc)
SRC
cp "$2/samples/worker_pool.goc" src/

for c in $compilers; do
    want=""
    [ $c = clang ] && want="WANT_CLANG"
    "$CMAKE" -S src -B b-$c -DCMAKE_C_COMPILER=$c -DCMAKE_PREFIX_PATH="$STAGE" \
        -DCMAKE_BUILD_TYPE=Release -DEXT=OFF "-DWANT=WANT_STRICT;WANT_NDEBUG;$want" \
        > cfg-$c.log 2>&1 || fail "configure with $c: $(cat cfg-$c.log)"
    "$CMAKE" --build b-$c > build-$c.log 2>&1 || fail "CMake build with $c: $(cat build-$c.log)"
    [ "$(./b-$c/check 2>/dev/null)" = "42" ] || fail "CMake $c: check printed $(./b-$c/check)"
    "$CMAKE" -S src -B d-$c -DCMAKE_C_COMPILER=$c -DCMAKE_PREFIX_PATH="$STAGE" \
        -DCMAKE_BUILD_TYPE=Debug -DEXT=ON "-DWANT=$want" \
        > cfgd-$c.log 2>&1 || fail "configure with $c: $(cat cfgd-$c.log)"
    "$CMAKE" --build d-$c > buildd-$c.log 2>&1 || fail "CMake Debug build with $c: $(cat buildd-$c.log)"
done

# -fsanitize=thread in CMAKE_C_FLAGS: the TSan runtime is linked, and the
# worker pool runs without a report (with the plain runtime TSan reports
# races inside it in most runs).
"$CMAKE" -S src -B tsan -DCMAKE_PREFIX_PATH="$STAGE" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS="-fsanitize=thread -g" -DEXT=ON > cfgt.log 2>&1 ||
    fail "configure tsan: $(cat cfgt.log)"
"$CMAKE" --build tsan > buildt.log 2>&1 || fail "tsan build: $(cat buildt.log)"
grep -rq 'libgoc-tsan\.a' tsan || fail "the tsan build does not link libgoc-tsan.a"
for i in 1 2 3 4 5; do
    expect_status 0 ./tsan/pool
    lacks err "ThreadSanitizer"
done

# goc.mk: $(CC), $(CPPFLAGS) and $(CFLAGS)'s -std and -D reach goc.
cp src/check.goc src/inc/tc.h .
cat > Makefile <<SRC
include $STAGE/share/goc/goc.mk
CFLAGS += \$(GOC_CFLAGS)
LDLIBS += \$(GOC_LDLIBS)
check: check.o
	\$(CC) \$(LDFLAGS) \$^ \$(LDLIBS) -o \$@
SRC
for c in $compilers; do
    want=""
    [ $c = clang ] && want="-DWANT_CLANG"
    rm -f check check.c check.o
    expect_status 0 make CC=$c CPPFLAGS="-I. -DFROM_DEFS=4 $want" \
        CFLAGS="-std=c99 -O2 -DFROM_OPTIONS=3 -DWANT_STRICT"
    [ "$(./check)" = "42" ] || fail "make CC=$c: check printed $(./check)"
done
rm -f check check.c check.o
expect_status 0 make CPPFLAGS="-I. -DFROM_DEFS=4" CFLAGS="-std=gnu99 -g -DFROM_OPTIONS=3 -fsanitize=thread" LDFLAGS=-fsanitize=thread
contains out "libgoc-tsan.a"
[ "$(./check)" = "42" ] || fail "make tsan: check printed $(./check)"
rm -f check check.c check.o
expect_status 0 make CPPFLAGS="-I. -DFROM_DEFS=4" CFLAGS="-std=gnu99 -g -DFROM_OPTIONS=3 -fsanitize=address,undefined" LDFLAGS=-fsanitize=address,undefined
contains out "libgoc-asan.a"
[ "$(./check)" = "42" ] || fail "make asan: check printed $(./check)"

# GOC_SOURCES after `include goc.mk` came too late for the dependency files
# of .goc files in other directories: an error now, not a silently missing
# dependency.  Set before, a header change rebuilds.
mkdir gs gs/sub
printf '#define V 7\n' > gs/sub/v.h
printf '#include <stdio.h>\n#include "v.h"\nint main(void) { printf("%%d\\n", V); return 0; }\n' > gs/sub/w.goc
late() {
    cat <<SRC
include $STAGE/share/goc/goc.mk
CFLAGS += \$(GOC_CFLAGS)
LDLIBS += \$(GOC_LDLIBS)
GOC_SOURCES = sub/w.goc
sub/w: sub/w.o
	\$(CC) \$(LDFLAGS) \$^ \$(LDLIBS) -o \$@
SRC
}
late > gs/Makefile
expect_status 2 make -C gs
contains err "GOC_SOURCES"
contains err "sub/w.goc"
{ echo "GOC_SOURCES = sub/w.goc"; late | grep -v '^GOC_SOURCES'; } > gs/Makefile
expect_status 0 make -C gs
[ "$(./gs/sub/w)" = "7" ] || fail "sub/w printed $(./gs/sub/w)"
sleep 1
printf '#define V 8\n' > gs/sub/v.h
expect_status 0 make -C gs
[ "$(./gs/sub/w)" = "8" ] || fail "a header change did not rebuild sub/w: $(./gs/sub/w)"
echo ok
