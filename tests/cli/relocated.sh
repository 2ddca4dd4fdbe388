# The install is relocatable: a copy of the staged prefix elsewhere finds
# its own runtime, and GOC_ROOT overrides the search.
. "$(dirname "$0")/lib.sh"
STAGE=$1
cp -R "$STAGE" moved
printf '#include <stdio.h>\nint main(void) { printf("moved\\n"); return 0; }\n' > m.goc

unset GOC_ROOT || true
expect_status 0 moved/bin/goc build -v m.goc -o m
contains err "runtime from install: $WORK/moved/include"
lacks err "$STAGE"
[ "$(./m)" = "moved" ] || fail "m printed: $(./m)"

# Through a symlink to the binary too.
mkdir bin
ln -s ../moved/bin/goc bin/goc
expect_status 0 bin/goc build -v m.goc -o m2
contains err "$WORK/moved/lib"

# GOC_ROOT wins; a wrong one is an error that names it.
expect_status 0 env GOC_ROOT="$STAGE" moved/bin/goc build -v m.goc -o m3
contains err "runtime from GOC_ROOT: $STAGE/include"
expect_status 1 env GOC_ROOT="$WORK/nowhere" moved/bin/goc m.goc
contains err "GOC_ROOT"

# pkg-config and goc.mk resolve from where they are.
if command -v pkg-config >/dev/null 2>&1; then
    inc=$(PKG_CONFIG_PATH="$(dirname "$(ls "$WORK"/moved/lib*/pkgconfig/goc.pc)")" \
          pkg-config --variable=includedir goc)
    [ -f "$inc/goc.h" ] && case $inc in "$WORK/moved/"*) ;; *) false ;; esac ||
        fail "relocated includedir: $inc"
fi
printf 'include moved/share/goc/goc.mk\nshow:\n\t@echo $(GOC) $(GOC_CFLAGS)\n' > Makefile
make -s show > mk || fail "goc.mk: $(cat mk)"
case "$(cat mk)" in # -fstack-clash-protection when cc takes it
"$WORK/moved/bin/goc -I$WORK/moved/include" | \
"$WORK/moved/bin/goc -I$WORK/moved/include -fstack-clash-protection") ;;
*) fail "goc.mk: $(cat mk)" ;;
esac
# The CMake package too: its paths follow the moved prefix.
CMAKE=$3
mkdir cm && cat > cm/CMakeLists.txt <<'SRC'
cmake_minimum_required(VERSION 3.20)
project(cm LANGUAGES C)
find_package(goc REQUIRED)
message(STATUS "goc: ${GOC_EXECUTABLE} ${GOC_INCLUDE_DIR} ${goc_VERSION}")
SRC
"$CMAKE" -S cm -B cm/build -DCMAKE_PREFIX_PATH="$WORK/moved" > cm.log 2>&1 ||
    fail "configure: $(cat cm.log)"
contains cm.log "goc: $WORK/moved/bin/goc $WORK/moved/include 0."
echo ok
