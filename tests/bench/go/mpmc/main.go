// mpmc: the Go twin of tests/bench/mpmc.c.
package main

import (
	"math/big"
	"sync"
	"time"

	"gocbench/internal/bench"
)

const sides, buffer = 4, 1024

type totals struct {
	count, sum, sumsq uint64
	disorder          int64
}

func consumer(items <-chan int64, results chan<- totals) {
	var t totals
	last := [sides]int64{-1, -1, -1, -1}
	for v := range items {
		t.count++
		t.sum += uint64(v)
		t.sumsq += uint64(v) * uint64(v)
		if v <= last[v%sides] {
			t.disorder++
		}
		last[v%sides] = v
	}
	results <- t
}

// mod64 reduces a non-negative big integer modulo 2^64.
func mod64(x *big.Int) uint64 {
	m := new(big.Int).Lsh(big.NewInt(1), 64)
	return new(big.Int).Mod(x, m).Uint64()
}

func main() {
	n := bench.Size(10000000)
	bench.Check(n%sides == 0, "size %d is not a multiple of %d", n, sides)
	items := make(chan int64, buffer)
	results := make(chan totals, sides)
	var wg sync.WaitGroup
	t0 := time.Now()
	wg.Add(sides)
	for i := int64(0); i < sides; i++ {
		go consumer(items, results)
		go func(first int64) {
			for j := int64(0); j < n/sides; j++ {
				items <- first + sides*j
			}
			wg.Done()
		}(i)
	}
	go func() {
		wg.Wait()
		close(items)
	}()
	var all totals
	for i := 0; i < sides; i++ {
		t := <-results
		all.count += t.count
		all.sum += t.sum
		all.sumsq += t.sumsq
		all.disorder += t.disorder
	}
	el := time.Since(t0)

	N := big.NewInt(n)
	N1 := big.NewInt(n - 1)
	sum := new(big.Int).Mul(N, N1)
	sum.Rsh(sum, 1)
	sumsq := new(big.Int).Mul(N1, N)
	sumsq.Mul(sumsq, big.NewInt(2*n-1))
	sumsq.Div(sumsq, big.NewInt(6))
	bench.Check(all.count == uint64(n), "received %d", all.count)
	bench.Check(all.sum == mod64(sum) && all.sumsq == mod64(sumsq),
		"checksum mismatch: sum %d sumsq %d", all.sum, all.sumsq)
	bench.Check(all.disorder == 0, "%d values out of FIFO order", all.disorder)
	bench.Report("mpmc", float64(el.Nanoseconds())/float64(n), "ns/item")
}
