// blocked: the Go twin of tests/bench/blocked.goc.
package main

import (
	"sync"
	"time"

	"gocbench/internal/bench"
)

func main() {
	n := bench.Size(1000000)
	var started, done sync.WaitGroup
	gate := make(chan int)
	t0 := time.Now()
	started.Add(int(n))
	done.Add(int(n))
	for i := int64(0); i < n; i++ {
		go func() {
			started.Done()
			<-gate
			done.Done()
		}()
	}
	started.Wait()
	close(gate)
	done.Wait()
	el := time.Since(t0)
	bench.Report("blocked", float64(el.Nanoseconds())/float64(n), "ns/coroutine")
}
