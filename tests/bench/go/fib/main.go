// fib: the Go twin of tests/bench/fib.c.
package main

import (
	"sync"
	"time"

	"gocbench/internal/bench"
)

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
	n := bench.Size(38)
	bench.Check(n <= 90, "n %d too large", n)
	t0 := time.Now()
	r := fibPar(int(n))
	el := time.Since(t0)
	a, b := int64(0), int64(1)
	for i := int64(0); i < n; i++ {
		a, b = b, a+b
	}
	bench.Check(r == a, "fib(%d) = %d, expected %d", n, r, a)
	bench.Report("fib", float64(el.Nanoseconds())/1e6, "ms")
}
