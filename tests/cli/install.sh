# Stage an install for the consumer tests: cmake --install into a prefix.
set -eu
CMAKE=$1
BUILD=$2
STAGE=$3
rm -rf "$STAGE"
"$CMAKE" --install "$BUILD" --prefix "$STAGE" >/dev/null
for f in bin/goc include/goc.h share/goc/goc.mk share/man/man1/goc.1; do
    [ -f "$STAGE/$f" ] || { echo "FAIL: $f not installed" >&2; exit 1; }
done
ls "$STAGE"/lib*/libgoc.a "$STAGE"/lib*/libgoc.so "$STAGE"/lib*/pkgconfig/goc.pc \
   "$STAGE"/lib*/cmake/goc/gocConfig.cmake "$STAGE"/lib*/cmake/goc/gocConfigVersion.cmake
