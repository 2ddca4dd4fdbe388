# samples/cmake-project against the staged install: find_package(goc),
# goc_add_executable, goc_target_sources; build, run, rebuild on a header.
. "$(dirname "$0")/lib.sh"
STAGE=$1
SRC=$2
CMAKE=$3
cp -R "$SRC/samples/cmake-project/." src

"$CMAKE" -S src -B build -DCMAKE_PREFIX_PATH="$STAGE" > configure.log 2>&1 ||
    fail "configure: $(cat configure.log)"
"$CMAKE" --build build > build1.log 2>&1 || fail "build: $(cat build1.log)"
./build/pipeline > out
[ "$(sed -n 1p out)" = "HELLO FROM CMAKE" ] || fail "pipeline printed: $(cat out)"
# 1 + 4 + ... + 100
[ "$(sed -n 2p out)" = "sum of squares 1..10 = 385" ] || fail "pipeline printed: $(cat out)"

# Nothing to do on a second build; a header change regenerates the .goc
# files that include it (through the DEPFILE).
"$CMAKE" --build build > build2.log 2>&1
lacks build2.log "goc stages.goc"
sleep 1
touch src/include/greeting.h
"$CMAKE" --build build > build3.log 2>&1 || fail "rebuild: $(cat build3.log)"
contains build3.log "goc main.goc"
contains build3.log "goc shout.goc"
lacks build3.log "goc stages.goc"

# The same with Ninja, whose DEPFILE handling differs, when it is installed.
if command -v ninja >/dev/null 2>&1; then
    "$CMAKE" -S src -B ninja -G Ninja -DCMAKE_PREFIX_PATH="$STAGE" > nconfigure.log 2>&1 ||
        fail "ninja configure: $(cat nconfigure.log)"
    "$CMAKE" --build ninja > nbuild1.log 2>&1 || fail "ninja build: $(cat nbuild1.log)"
    [ "$(sed -n 2p out)" = "$(./ninja/pipeline | sed -n 2p)" ] || fail "ninja pipeline differs"
    sleep 1
    touch src/include/greeting.h
    "$CMAKE" --build ninja > nbuild2.log 2>&1 || fail "ninja rebuild: $(cat nbuild2.log)"
    contains nbuild2.log "goc main.goc"
    lacks nbuild2.log "goc stages.goc"
    "$CMAKE" --build ninja > nbuild3.log 2>&1
    contains nbuild3.log "no work to do"
fi

# The version file: a newer major version is refused.
mkdir v && cat > v/CMakeLists.txt <<'SRC'
cmake_minimum_required(VERSION 3.20)
project(v LANGUAGES C)
find_package(goc 99 REQUIRED)
SRC
if "$CMAKE" -S v -B v/build -DCMAKE_PREFIX_PATH="$STAGE" > v.log 2>&1; then
    fail "find_package(goc 99) succeeded"
fi
contains v.log "version"
echo ok
