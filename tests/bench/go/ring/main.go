// ring: the Go twin of tests/bench/ring.c.
package main

import (
	"time"

	"gocbench/internal/bench"
)

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
	n := bench.Size(10000000)
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
	bench.Check(id == n%ring+1, "winner %d, expected %d", id, n%ring+1)
	bench.Report("ring", float64(el.Nanoseconds())/float64(n), "ns/hop")
}
