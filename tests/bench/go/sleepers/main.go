// sleepers: the Go twin of tests/bench/sleepers.c (same pseudo-random
// durations, below 5 ms).
package main

import (
	"sync"
	"time"

	"gocbench/internal/bench"
)

func main() {
	n := bench.Size(100000)
	var wg sync.WaitGroup
	x := uint64(88172645463325252)
	t0 := time.Now()
	wg.Add(int(n))
	for i := int64(0); i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		d := time.Duration(x % 5000000)
		go func() {
			time.Sleep(d)
			wg.Done()
		}()
	}
	wg.Wait()
	el := time.Since(t0)
	bench.Report("sleepers", float64(el.Nanoseconds())/float64(n), "ns/sleeper")
}
