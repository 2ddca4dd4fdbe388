// pingpong: the Go twin of tests/bench/pingpong.c.
package main

import (
	"fmt"
	"os"
	"strconv"
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
		fmt.Fprintf(os.Stderr, "pingpong: check failed: "+format+"\n", args...)
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
	ping, pong := make(chan int64), make(chan int64)
	go func() {
		for i := int64(0); i < n; i++ {
			v := <-ping
			pong <- v + 1
		}
	}()
	var sum int64
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		ping <- i
		v := <-pong
		check(v == i+1, "round %d returned %d", i, v)
		sum += v
	}
	el := time.Since(t0)
	check(sum == n*(n+1)/2, "sum %d", sum)
	report("pingpong", float64(el.Nanoseconds())/float64(n), "ns/roundtrip")
}
