// skynet: the Go twin of tests/bench/skynet.c.
package main

import (
	"time"

	"gocbench/internal/bench"
)

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
	n := bench.Size(1000000)
	p := int64(1)
	for p < n {
		p *= fanout
	}
	bench.Check(p == n, "size %d is not a power of %d", n, fanout)
	top := make(chan int64)
	t0 := time.Now()
	go skynet(top, 0, n)
	sum := <-top
	el := time.Since(t0)
	bench.Check(sum == n*(n-1)/2, "sum %d, expected %d", sum, n*(n-1)/2)
	bench.Report("skynet", el.Seconds(), "s")
}
