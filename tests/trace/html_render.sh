#!/bin/sh
# html_render.sh GOC HAND_TRACE WORKDIR: goc trace --html, rendered by
# headless Chromium with no network.  A script added to a copy of the page
# measures the laid-out worker tracks; the check wants every worker of the
# trace as a visible track with its label and all of its slices drawn.
# Also checks the page refers to nothing outside itself.  Exit 77
# (skipped) when Chromium is not installed.
set -u
goc=$1 trace=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
browser=
for b in chromium chromium-browser google-chrome; do
    command -v $b >/dev/null 2>&1 && { browser=$b; break; }
done
[ -n "$browser" ] || { echo "chromium not installed: skipped"; exit 77; }
rm -rf "$work" && mkdir -p "$work" || exit 1
status=0
fail() { echo "FAIL: $*"; status=1; }

"$goc" trace --html "$work/t.html" --svg "$work/t.svg" "$trace" >/dev/null ||
    { echo "FAIL: goc trace --html"; exit 1; }
# Self-contained: no src=, href= or url( to anything (the one namespace
# URI of the SVG element is a name, not a fetch).
if grep -Eo '(src|href)=|url\(|@import|https?://[^"]*' "$work/t.html" |
    grep -v '^http://www.w3.org/2000/svg$'; then
    fail "the page refers to something outside itself"
fi
grep -q '^<svg xmlns="http://www.w3.org/2000/svg"' "$work/t.svg" || fail "--svg is not an SVG document"

cp "$here/render_check.js" "$work/"
sed 's#</body>#<script src="render_check.js"></script></body>#' \
    "$work/t.html" >"$work/check.html"
HOME=$work timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --no-first-run --disable-extensions \
    --user-data-dir="$work/profile" --window-size=1500,900 \
    --virtual-time-budget=5000 --dump-dom "file://$work/check.html" \
    >"$work/dom.html" 2>"$work/browser.log"
sed -n '/<pre id="render-check">/,/^end$/p' "$work/dom.html" >"$work/tracks.txt"
cat "$work/tracks.txt"
# Expected from the trace file itself: its thread_name events and, per
# worker, its coroutine slices (one event a line in the hand-written file).
for tid in $(grep -o '"name":"thread_name","pid":1,"tid":[0-9]*' "$trace" | grep -o '[0-9]*$'); do
    n=$(grep '"ph":"X","cat":"coroutine"' "$trace" | grep -c "\"tid\":$tid,")
    grep -q "track tid=$tid label=\"worker $tid\" labelsize=ok size=ok inview=yes slices=$n\$" \
        "$work/tracks.txt" || fail "worker $tid: want a visible track with $n slices"
done
[ "$(grep -c '^.*track tid=' "$work/tracks.txt")" -eq \
  "$(grep -c '"name":"thread_name"' "$trace")" ] || fail "not one track per worker"
[ $status -eq 0 ] || { echo "--- browser log:"; tail -5 "$work/browser.log"; }
exit $status
