// spawn: the Go twin of tests/bench/spawn.c.
package main

import (
	"sync"
	"sync/atomic"
	"time"

	"gocbench/internal/bench"
)

func main() {
	n := bench.Size(1000000)
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
	bench.Check(s == n*(n-1)/2, "sum %d, expected %d", s, n*(n-1)/2)
	bench.Report("spawn", float64(el.Nanoseconds())/float64(n), "ns/spawn")
}
