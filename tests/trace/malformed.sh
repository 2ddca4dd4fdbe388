#!/bin/sh
# malformed.sh WORKDIR GOC...: goc trace on broken files.  Each must fail
# with status 1, print nothing on stdout, and say on stderr where the
# problem is; none may crash (run it with the ASan build of goc too).
set -u
work=$1
shift
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
status=0
n=0

# case_ NAME EXPECTED-STDERR-SUBSTRING: the file's text is in ./in.
# (No pipes into case_: it must run in this shell, not a subshell.)
case_() {
    mv in "$1.json"
    for goc in $gocs; do
        "$goc" trace "$1.json" >out 2>err
        rc=$?
        n=$((n + 1))
        if [ $rc -ne 1 ] || [ -s out ] || ! grep -qF -- "$2" err; then
            echo "FAIL: $1 ($goc): status $rc, want 1 and: $2"
            echo "--- stdout:"; cat out; echo "--- stderr:"; cat err
            status=1
        fi
    done
}
gocs="$*"

printf '' >in; case_ empty 'empty.json: not valid JSON: line 1, column 1: expected a value, found end of input'
printf '{"traceEvents": [' >in; case_ truncated 'line 1, column 18: expected a value, found end of input'
printf '{"traceEvents": [\n  {"ph": "M"},\n]}\n' >in; case_ trailing_comma 'line 3, column 1: expected a value, found '"']'"
printf '{"traceEvents": [\n  {"ph": "X" "ts": 1}\n]}\n' >in; case_ missing_comma "line 2, column 14: expected ',' or '}' in an object, found '\"'"
printf '{"traceEvents": []} x' >in; case_ garbage_after "line 1, column 21: unexpected 'x' after the JSON value"
printf '{"traceEvents": [{"ph": "X\tY"}]}' >in; case_ control_char 'control character byte 0x09 in a string'
printf '{"traceEvents": [{"ph": "\\q"}]}' >in; case_ bad_escape "bad escape '\\q' in a string"
printf '{"traceEvents": [{"ph": "\\ud800"}]}' >in; case_ lone_surrogate 'unpaired high surrogate'
printf '{"traceEvents": [01]}' >in; case_ leading_zero "expected ',' or ']' in an array, found '1'"
printf '{"traceEvents": [NaN]}' >in; case_ nan "expected a value, found 'N'"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; }' >in; case_ deep 'nested deeper than 512 levels'
printf '{"events": []}' >in; case_ not_a_trace 'not a trace: expected an object with a "traceEvents" array'
printf '{"traceEvents": {}}' >in; case_ events_not_array 'not a trace'
printf '{"traceEvents": [{"ph":"M","name":"thread_name","tid":0,"args":{"name":"w"}}]}' >in; case_ no_slices 'no coroutine slices'
printf '{"traceEvents": [3]}' >in; case_ event_not_object 'event 0 (ph "?"): not an object'
printf '{"traceEvents": [{"name": "x"}]}' >in; case_ no_ph 'event 0 (ph "?"): "ph" is missing'
printf '{"traceEvents": [{"ph":"M"},{"ph":"X","cat":"coroutine","name":"main","tid":0,"ts":1,"args":{"id":1,"end":"exit"}}]}' >in; case_ no_dur 'event 1 (ph "X"): "dur" is missing'
printf '{"traceEvents": [{"ph":"X","cat":"coroutine","name":"main","tid":0,"ts":"1","dur":1,"args":{"id":1,"end":"exit"}}]}' >in; case_ ts_string 'event 0 (ph "X"): "ts" is not a number'
printf '{"traceEvents": [{"ph":"X","cat":"coroutine","name":"main","tid":0,"ts":1,"dur":-1,"args":{"id":1,"end":"exit"}}]}' >in; case_ negative_dur 'event 0 (ph "X"): "dur" is negative'
printf '{"traceEvents": [{"ph":"X","cat":"coroutine","name":"main","tid":1.5,"ts":1,"dur":1,"args":{"id":1,"end":"exit"}}]}' >in; case_ bad_tid 'event 0 (ph "X"): "tid" is not a worker number'
printf '{"traceEvents": [{"ph":"X","cat":"coroutine","name":"main","tid":0,"ts":1,"dur":1,"args":{"end":"exit"}}]}' >in; case_ no_id 'event 0 (ph "X"): "id" is missing'
printf '{"traceEvents": [{"ph":"X","cat":"coroutine","name":"main","tid":0,"ts":1,"dur":1}]}' >in; case_ no_args 'event 0 (ph "X"): "args" is missing'
printf '{"traceEvents": [{"ph":"X","cat":"coroutine","name":7,"tid":0,"ts":1,"dur":1,"args":{"id":1,"end":"exit"}}]}' >in; case_ name_number 'event 0 (ph "X"): "name" is not a string'
printf '{"traceEvents": [{"ph":"X","cat":"coroutine","name":"m","tid":0,"ts":1e300,"dur":1,"args":{"id":1,"end":"exit"}}]}' >in; case_ huge_ts 'event 0 (ph "X"): "ts" is out of range'

# A file that does not exist, and bad command lines.
for goc in $gocs; do
    n=$((n + 1))
    "$goc" trace no-such-file.json >out 2>err
    rc=$?
    if [ $rc -ne 1 ] || ! grep -q "cannot open no-such-file.json: No such file" err; then
        echo "FAIL: missing file: status $rc"; cat err; status=1
    fi
    for args in "" "--top" "--top x hand.json" "--bogus x.json" "a.json b.json"; do
        n=$((n + 1))
        # shellcheck disable=SC2086
        "$goc" trace $args >out 2>err
        rc=$?
        [ $rc -eq 1 ] && [ -s err ] || { echo "FAIL: 'goc trace $args': status $rc"; status=1; }
    done
done
echo "$n checks"
exit $status
