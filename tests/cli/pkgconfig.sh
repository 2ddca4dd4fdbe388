# A plain C program that uses the runtime, built with pkg-config goc.
. "$(dirname "$0")/lib.sh"
STAGE=$1
command -v pkg-config >/dev/null 2>&1 || { echo "pkg-config not installed"; exit 77; }
export PKG_CONFIG_PATH="$(dirname "$(ls "$STAGE"/lib*/pkgconfig/goc.pc)")"
unset PKG_CONFIG_LIBDIR || true

pkg-config --exists goc || fail "pkg-config does not find goc"
pkg-config --libs --static goc > libs
contains libs "-lgoc"
contains libs "-lpthread"
pkg-config --libs goc > libs
lacks libs "-lpthread"

cat > consumer.c <<'SRC'
#include <goc.h>
#include <stdio.h>

static void produce(void *arg)
{
    goc_chan *c = *(goc_chan **)arg;
    for (int i = 1; i <= 100; i++)
        goc_chan_send(c, &i);
    goc_chan_close(c);
}

static int app(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_chan *c = goc_chan_make(sizeof(int), 8);
    goc_go(produce, &c, sizeof c);
    int v, sum = 0;
    while (goc_chan_recv(c, &v))
        sum += v;
    printf("%d\n", sum);
    return sum == 5050 ? 0 : 1;
}

int main(int argc, char **argv)
{
    goc_main(app, argc, argv);
}
SRC
# Shared, found through the .pc's libdir.
cc $(pkg-config --cflags goc) consumer.c -o shared $(pkg-config --libs goc) ||
    fail "shared link failed"
LD_LIBRARY_PATH="$(pkg-config --variable=libdir goc)" ./shared > out || fail "shared run failed"
[ "$(cat out)" = "5050" ] || fail "shared printed: $(cat out)"
# Static, with Libs.private.
cc $(pkg-config --cflags goc) consumer.c -o static \
    "$(pkg-config --variable=libdir goc)/libgoc.a" $(pkg-config --libs-only-l --static goc | sed 's/-lgoc//') ||
    fail "static link failed"
./static > out || fail "static run failed"
[ "$(cat out)" = "5050" ] || fail "static printed: $(cat out)"
echo ok
