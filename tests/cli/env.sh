# GOC_* environment values are validated when the runtime starts: a bad
# value ends the program with status 2 and a message that names the
# variable and the accepted forms; good values take effect.
. "$(dirname "$0")/lib.sh"
GOC=$1
export TMPDIR="$WORK"

# deep <bytes>: a coroutine puts <bytes> of locals on its stack.
cat > deep.goc <<'SRC'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* About n bytes of stack, 1 KiB a frame, so that the guard page is hit. */
static size_t use(size_t n)
{
    volatile char buf[1024];
    memset((char *)buf, 1, sizeof buf);
    return n <= sizeof buf ? n : buf[7] - 1 + sizeof buf + use(n - sizeof buf);
}
int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
    chan(int) done = make(chan(int));
    go { printf("used %zu\n", use(n)); done <- 1; };
    <-done;
    return 0;
}
SRC
expect_status 0 "$GOC" build deep.goc -o deep

# bad <variable> <value> <form text>
bad() {
    expect_status 2 env "$1=$2" ./deep 1000
    contains err "$1='$2'"
    contains err "$3"
    empty out
}
for v in 1g0 bogus 0 15k 2g -1 64q 99999999999999999999999; do
    bad GOC_STACK_SIZE "$v" "optional k, m or g suffix"
done
for v in abc -3 0 257 '2 ' 1.5; do
    bad GOC_PROCS "$v" "whole number from 1 to 256"
done
for v in bogus=1 schedtrace schedtrace=x stackguard=0,, 'schedtrace=1;stackguard=0'; do
    bad GOC_DEBUG "$v" "schedtrace (milliseconds), stackguard (0, 1 or 2) or asyncpreempt"
done

# good <assignment>...: the program runs normally.
good() {
    expect_status 0 env "$@" ./deep 1000
    [ "$(cat out)" = "used 1000" ] || fail "$* printed: $(cat out)"
}
good GOC_STACK_SIZE=16k
good GOC_STACK_SIZE=1m GOC_PROCS=1
good GOC_STACK_SIZE=1048576 GOC_PROCS=256
good GOC_STACK_SIZE= GOC_PROCS= GOC_DEBUG=
good GOC_DEBUG=stackguard=0,schedtrace=0

# The size takes effect: 8 MiB of locals overflows the default stack and
# fits in a 1g (and a 16M) one.
expect_status 2 ./deep 8000000
contains err "stack overflow"
for s in 1g 16M 16384k; do
    expect_status 0 env GOC_STACK_SIZE=$s ./deep 8000000
    [ "$(cat out)" = "used 8000000" ] || fail "GOC_STACK_SIZE=$s printed: $(cat out)"
done
echo ok
