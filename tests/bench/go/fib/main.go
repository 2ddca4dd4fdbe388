// fib: the Go twin of tests/bench/fib.c.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

func size(dflt int64) int64 {
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

func check(ok bool, format string, args ...interface{}) {
	if !ok {
		fmt.Fprintf(os.Stderr, "fib: check failed: "+format+"\n", args...)
		os.Exit(1)
	}
}

func report(name string, value float64, unit string) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("%s %.5g %s rss_kb=%d\n", name, value, unit, ru.Maxrss)
}

const cutoff = 25

func fibSeq(n int) int64 {
	if n < 2 {
		return int64(n)
	}
	return fibSeq(n-1) + fibSeq(n-2)
}

func fibPar(n int) int64 {
	if n <= cutoff {
		return fibSeq(n)
	}
	var x int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		x = fibPar(n - 1)
		wg.Done()
	}()
	y := fibPar(n - 2)
	wg.Wait()
	return x + y
}

func main() {
	n := size(38)
	check(n <= 90, "n %d too large", n)
	t0 := time.Now()
	r := fibPar(int(n))
	el := time.Since(t0)
	a, b := int64(0), int64(1)
	for i := int64(0); i < n; i++ {
		a, b = b, a+b
	}
	check(r == a, "fib(%d) = %d, expected %d", n, r, a)
	report("fib", float64(el.Nanoseconds())/1e6, "ms")
}
