// timeout: the Go twin of tests/bench/timeout.c.  Go 1.19 keeps a
// time.After timer alive until it fires, so the leak-free Go form is used:
// a time.NewTimer stopped after the select, which is what goc's lowering
// of `case <-goc_after(d):` does.
package main

import (
	"time"

	"gocbench/internal/bench"
)

func main() {
	n := bench.Size(1000000)
	in := make(chan int64, 1)
	var sum int64
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		in <- i
		t := time.NewTimer(time.Second)
		select {
		case v := <-in:
			sum += v
		case <-t.C:
			bench.Check(false, "the timeout fired at %d", i)
		}
		t.Stop()
	}
	el := time.Since(t0)
	bench.Check(sum == n*(n-1)/2, "sum %d", sum)
	bench.Report("timeout", float64(el.Nanoseconds())/float64(n), "ns/select")
}
