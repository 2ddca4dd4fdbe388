#!/bin/sh
# warnings.sh GOC WORKDIR: a readable trace that breaks the format's rules
# (two slices overlapping on one worker, a flow that ends without a start)
# gives the summary, status 0, and a warning for each rule on stderr.  A
# flow that starts and never ends (the program ended before the readied
# coroutine ran) breaks no rule: flow 10 adds no warning.
set -u
goc=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
cat >w.json <<'EOT'
{"traceEvents": [
 {"ph":"X","cat":"coroutine","name":"main","pid":1,"tid":0,"ts":0,"dur":10,"args":{"id":1,"end":"exit"}},
 {"ph":"X","cat":"coroutine","name":"w.goc:3","pid":1,"tid":0,"ts":5,"dur":10,"args":{"id":2,"end":"exit"}},
 {"ph":"f","cat":"unpark","name":"unpark","bp":"e","id":9,"pid":1,"tid":0,"ts":6},
 {"ph":"s","cat":"unpark","name":"unpark","id":10,"pid":1,"tid":0,"ts":7}
]}
EOT
"$goc" trace w.json >out 2>err
rc=$?
status=0
[ $rc -eq 0 ] || { echo "FAIL: status $rc"; status=1; }
grep -q "^trace w.json: 1 worker, 2 coroutines, 2 slices, 0.015 ms" out || { echo "FAIL: summary"; status=1; }
grep -q "warning: w.json: 1 slice overlaps the one before on the same worker (first: worker 0 at 0.005 ms)" err ||
    { echo "FAIL: overlap warning"; status=1; }
grep -q "warning: w.json: 1 flow id without exactly one \"s\" and one \"f\" event" err ||
    { echo "FAIL: flow warning"; status=1; }
cat out err
exit $status
