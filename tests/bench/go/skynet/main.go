// skynet: the Go twin of tests/bench/skynet.c.
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
		fmt.Fprintf(os.Stderr, "skynet: check failed: "+format+"\n", args...)
		os.Exit(1)
	}
}

func report(name string, value float64, unit string) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("%s %.5g %s rss_kb=%d\n", name, value, unit, ru.Maxrss)
}

const fanout = 10

func skynet(up chan<- int64, num, size int64) {
	if size == 1 {
		up <- num
		return
	}
	rc := make(chan int64)
	step := size / fanout
	for i := int64(0); i < fanout; i++ {
		go skynet(rc, num+i*step, step)
	}
	var sum int64
	for i := 0; i < fanout; i++ {
		sum += <-rc
	}
	up <- sum
}

func main() {
	n := size(1000000)
	p := int64(1)
	for p < n {
		p *= fanout
	}
	check(p == n, "size %d is not a power of %d", n, fanout)
	top := make(chan int64)
	t0 := time.Now()
	go skynet(top, 0, n)
	sum := <-top
	el := time.Since(t0)
	check(sum == n*(n-1)/2, "sum %d, expected %d", sum, n*(n-1)/2)
	report("skynet", el.Seconds(), "s")
}
