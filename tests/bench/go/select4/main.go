// select4: the Go twin of tests/bench/select4.c.
package main

import (
	"time"

	"gocbench/internal/bench"
)

const ways = 4

func sender(out chan<- int64, n int64) {
	for j := int64(1); j <= n; j++ {
		out <- j
	}
}

func main() {
	n := bench.Size(4000000)
	bench.Check(n%ways == 0, "size %d is not a multiple of %d", n, ways)
	per := n / ways
	var ch [ways]chan int64
	for k := range ch {
		ch[k] = make(chan int64)
		go sender(ch[k], per)
	}
	var last, sum [ways]int64
	var disorder int64
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		var k int
		var v int64
		select {
		case v = <-ch[0]:
			k = 0
		case v = <-ch[1]:
			k = 1
		case v = <-ch[2]:
			k = 2
		case v = <-ch[3]:
			k = 3
		}
		if v != last[k]+1 {
			disorder++
		}
		last[k] = v
		sum[k] += v
	}
	el := time.Since(t0)
	for k := 0; k < ways; k++ {
		bench.Check(last[k] == per && sum[k] == per*(per+1)/2,
			"channel %d: last %d, sum %d", k, last[k], sum[k])
	}
	bench.Check(disorder == 0, "%d values out of order", disorder)
	bench.Report("select4", float64(el.Nanoseconds())/float64(n), "ns/select")
}
