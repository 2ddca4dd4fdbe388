# CLI exit codes and which stream output goes to.
. "$(dirname "$0")/lib.sh"
GOC=$1
VERSION=$2

expect_status 0 "$GOC" --help
contains out "usage: goc"
contains out "goc build"
empty err
expect_status 0 "$GOC" build --help
contains out "usage: goc"

expect_status 0 "$GOC" --version
[ "$(cat out)" = "goc $VERSION" ] || fail "--version printed '$(cat out)'"
empty err

expect_status 1 "$GOC" --no-such-flag x.goc
empty out
contains err "--no-such-flag"
expect_status 1 "$GOC" build --frobnicate /dev/null
contains err "unknown option"
expect_status 1 "$GOC" -Q ok.goc
contains err "unknown option"

expect_status 1 "$GOC" missing.goc
empty out
contains err "missing.goc"

expect_status 1 "$GOC"
empty out
contains err "usage"

printf 'int f(void) { return 1; }\n' > ok.goc
expect_status 1 "$GOC" -c ok.goc
contains err "goc build"
expect_status 1 "$GOC" ok.goc -o
contains err "missing value"
expect_status 1 "$GOC" -fdiagnostics-color=sometimes ok.goc
contains err "sometimes"
expect_status 1 "$GOC" run -M ok.goc  # goc build -M is cc -M (cli_cc_identity)
expect_status 1 "$GOC" run -o x ok.goc

# A translation goes to the named file, or to stdout with -o -.
expect_status 0 "$GOC" ok.goc -o -
contains out "int f(void)"
empty err
[ ! -e ok.c ] || fail "-o - also wrote ok.c"
expect_status 0 "$GOC" ok.goc
empty out
contains ok.c "int f(void)"

# A file that does not preprocess: status 1, the file named on stderr,
# no output left behind.
printf '#include "no-such-header.h"\nint f(void) { return 1; }\n' > bad.goc
expect_status 1 "$GOC" bad.goc
contains err "bad.goc"
contains err "no-such-header.h"
[ ! -e bad.c ] || fail "a failed translation left bad.c"

# JSON diagnostics: nothing but one object a line on stderr, the
# preprocessor's errors included, with their location.
all_json() {
    [ -s err ] || fail "no diagnostics"
    ! grep -qv '^{"file":.*}$' err || fail "non-JSON on stderr: $(cat err)"
}
expect_status 1 "$GOC" -fdiagnostics-format=json missing.goc
all_json
contains err '"severity":"error"'
expect_status 1 "$GOC" -fdiagnostics-format=json bad.goc
all_json
contains err '{"file":"bad.goc","line":1,'
expect_status 1 "$GOC" build -fdiagnostics-format=json --nope ok.goc
all_json

# -v lists the preprocessor command on stderr, stdout stays clean.
expect_status 0 "$GOC" -v ok.goc -o -
contains err " -E -x c "
contains out "int f(void)"

# A bad compiler is a user error, not a crash.
expect_status 1 "$GOC" --cc=/nonexistent/cc ok.goc
contains err "/nonexistent/cc"
echo ok
