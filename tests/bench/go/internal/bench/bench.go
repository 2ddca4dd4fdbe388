// Package bench is what the Go twins share, as ../../bench.h is for the C
// programs: the size argument, the self-check and the one output line
// run.sh parses,
//
//	<name> <value> <unit> rss_kb=<peak resident set, KiB>
//
// and, for the I/O twins that run_io.sh drives, the listening socket.
// Standard library only: the twins build offline.
package bench

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// Size returns os.Args[1] as a positive size, or dflt when absent.
func Size(dflt int64) int64 {
	if len(os.Args) < 2 {
		return dflt
	}
	n, err := strconv.ParseInt(os.Args[1], 10, 64)
	if err != nil || n <= 0 {
		fmt.Fprintf(os.Stderr, "usage: %s [size > 0]\n", os.Args[0])
		os.Exit(2)
	}
	return n
}

// Check exits 1 with "<program>: check failed: ..." on stderr unless ok.
// run.sh names each twin's binary after its benchmark.
func Check(ok bool, format string, args ...interface{}) {
	if !ok {
		name := filepath.Base(os.Args[0])
		fmt.Fprintf(os.Stderr, name+": check failed: "+format+"\n", args...)
		os.Exit(1)
	}
}

// Report prints the result line with the peak RSS so far.
func Report(name string, value float64, unit string) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("%s %.5g %s rss_kb=%d\n", name, value, unit, ru.Maxrss)
}

// Listen listens on os.Args[1] (default 127.0.0.1:0) and prints
// "listening on HOST:PORT", which run_io.sh waits for; it exits 1 when
// it cannot listen.
func Listen() net.Listener {
	addr := "127.0.0.1:0"
	if len(os.Args) > 1 {
		addr = os.Args[1]
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", l.Addr())
	return l
}

// ServeEach accepts connections on l forever, each served by serve in its
// own goroutine.
func ServeEach(l net.Listener, serve func(net.Conn)) {
	for {
		c, err := l.Accept()
		if err == nil {
			go serve(c)
		}
	}
}
