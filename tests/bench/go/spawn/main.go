// spawn: the Go twin of tests/bench/spawn.c.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
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
		fmt.Fprintf(os.Stderr, "spawn: check failed: "+format+"\n", args...)
		os.Exit(1)
	}
}

func report(name string, value float64, unit string) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("%s %.5g %s rss_kb=%d\n", name, value, unit, ru.Maxrss)
}

func main() {
	n := size(1000000)
	var wg sync.WaitGroup
	var sum int64
	t0 := time.Now()
	wg.Add(int(n))
	for i := int64(0); i < n; i++ {
		go func(i int64) {
			atomic.AddInt64(&sum, i)
			wg.Done()
		}(i)
	}
	wg.Wait()
	el := time.Since(t0)
	s := atomic.LoadInt64(&sum)
	check(s == n*(n-1)/2, "sum %d, expected %d", s, n*(n-1)/2)
	report("spawn", float64(el.Nanoseconds())/float64(n), "ns/spawn")
}
