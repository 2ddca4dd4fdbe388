# lib.sh - helpers for the cli tests (sourced).  $1 of every test script
# is its own scratch directory, emptied first.
set -eu
WORK=$1
shift
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# expect_status <status> <command...>: run, keep stdout/stderr in out/err.
expect_status() {
    want=$1
    shift
    set +e
    "$@" >out 2>err
    got=$?
    set -e
    [ "$got" -eq "$want" ] ||
        fail "'$*' exited $got, expected $want; stderr: $(cat err)"
}

# contains <file> <fixed string>
contains() {
    grep -qF -- "$2" "$1" || fail "$1 lacks '$2': $(cat "$1")"
}

lacks() {
    ! grep -qF -- "$2" "$1" || fail "$1 has '$2': $(cat "$1")"
}

empty() {
    [ ! -s "$1" ] || fail "$1 is not empty: $(cat "$1")"
}
