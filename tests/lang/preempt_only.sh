#!/bin/sh
# preempt_only.sh GOC CC WORK FILE.goc...
# The preemption checks are the only difference -fno-preempt makes: for
# each file, the translation with checks, once the check text is deleted,
# must equal the translation without them byte for byte (and most files
# must have had checks: only functions that call something get one at
# entry, so a main without calls or loops has none).  Then `goc build -fno-preempt -c` must produce an object
# without a reference to goc_preempt_check, and the default one with.
set -u
GOC=$1 CC=$2 WORK=$3
shift 3
mkdir -p "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }
uses='goc_preempt_poll()[;,]\| goc_preempt_poll())'
checked=0
for src in "$@"; do
    b=$WORK/$(basename "$src" .goc)
    "$GOC" --no-line "$src" -o "$b.on.c" || fail "goc $src"
    "$GOC" --no-line -fno-preempt "$src" -o "$b.off.c" || fail "goc -fno-preempt $src"
    grep -q "$uses" "$b.on.c" && checked=$((checked + 1))
    ! grep -q "$uses" "$b.off.c" || fail "$src: a check despite -fno-preempt"
    # and what a pure recursion gets instead (docs/runtime.md, "Preemption")
    sed -e 's/__attribute__((__unused__)) int goc__pc[0-9]* = (goc_preempt_poll(), 0);//g' \
        -e 's/goc_preempt_poll(), //g' -e 's/ goc_preempt_poll(),//g' \
        -e 's/goc_preempt_poll();//g' -e 's/; goc_preempt_poll())/;)/g' \
        -e 's/__attribute__((__section__("goc_async_text"))) //g' \
        -e 's/__attribute__((__constructor__, __used__)) static void goc__async_unit(void) { goc_async_register(__start_goc_async_text, __stop_goc_async_text); } //' \
        "$b.on.c" > "$b.stripped.c"
    cmp "$b.stripped.c" "$b.off.c" ||
        fail "$src: the translations differ by more than the checks"
done
[ $((2 * checked)) -gt $# ] || fail "only $checked of $# files had checks"
src=$1
b=$WORK/obj
"$GOC" build --cc="$CC" -c "$src" -o "$b.on.o" || fail "goc build -c"
"$GOC" build --cc="$CC" -fno-preempt -c "$src" -o "$b.off.o" || fail "goc build -fno-preempt -c"
nm "$b.on.o" | grep -q ' U goc_preempt_check$' || fail "no check in the default object"
! nm "$b.off.o" | grep -q goc_preempt || fail "goc build -fno-preempt left checks"
echo "ok: $# files"
