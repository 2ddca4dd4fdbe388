// pingpong: the Go twin of tests/bench/pingpong.c.
package main

import (
	"time"

	"gocbench/internal/bench"
)

func main() {
	n := bench.Size(1000000)
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
		bench.Check(v == i+1, "round %d returned %d", i, v)
		sum += v
	}
	el := time.Since(t0)
	bench.Check(sum == n*(n+1)/2, "sum %d", sum)
	bench.Report("pingpong", float64(el.Nanoseconds())/float64(n), "ns/roundtrip")
}
