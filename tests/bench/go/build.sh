# Sourced by run.sh and run_io.sh.  The Go twins are one module, gocbench,
# standard library only, so they build offline.
#
# go_twins OUTDIR NAME...: build tests/bench/go/NAME into OUTDIR/NAME.
go_twins() {
  local out=$1; shift
  mkdir -p "$out" &&
  (cd "$(dirname "${BASH_SOURCE[0]}")" &&
   export GOCACHE=${GOCACHE:-/tmp/goc-bench-gocache} \
          GOPATH=${GOPATH:-/tmp/goc-bench-gopath} \
          GO111MODULE=on GOPROXY=off GOFLAGS=-buildvcs=false &&
   go build -o "$out/" "${@/#/./}")
}
