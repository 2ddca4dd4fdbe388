// ring: the Go twin of tests/bench/ring.c.
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
		fmt.Fprintf(os.Stderr, "ring: check failed: "+format+"\n", args...)
		os.Exit(1)
	}
}

func report(name string, value float64, unit string) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("%s %.5g %s rss_kb=%d\n", name, value, unit, ru.Maxrss)
}

const ring = 503

func member(id int64, in <-chan int64, out chan<- int64, done chan<- int64) {
	for {
		t := <-in
		if t == 0 {
			done <- id
			return
		}
		out <- t - 1
	}
}

func main() {
	n := size(10000000)
	var ch [ring]chan int64
	for i := range ch {
		ch[i] = make(chan int64)
	}
	done := make(chan int64)
	for i := 0; i < ring; i++ {
		go member(int64(i+1), ch[i], ch[(i+1)%ring], done)
	}
	t0 := time.Now()
	ch[0] <- n
	id := <-done
	el := time.Since(t0)
	check(id == n%ring+1, "winner %d, expected %d", id, n%ring+1)
	report("ring", float64(el.Nanoseconds())/float64(n), "ns/hop")
}
