// sieve: the Go twin of tests/bench/sieve.c.
package main

import (
	"time"

	"gocbench/internal/bench"
)

func generate(out chan<- int64) {
	for i := int64(2); ; i++ {
		out <- i
	}
}

func filter(in <-chan int64, out chan<- int64, prime int64) {
	for {
		v := <-in
		if v%prime != 0 {
			out <- v
		}
	}
}

// nthPrime by trial division: the independent check.
func nthPrime(n int64) int64 {
	found, v := int64(0), int64(1)
	for found < n {
		v++
		prime := true
		for d := int64(2); d*d <= v; d++ {
			if v%d == 0 {
				prime = false
				break
			}
		}
		if prime {
			found++
		}
	}
	return v
}

func main() {
	n := bench.Size(5000)
	t0 := time.Now()
	ch := make(chan int64)
	go generate(ch)
	var prime int64
	for i := int64(0); i < n; i++ {
		prime = <-ch
		out := make(chan int64)
		go filter(ch, out, prime)
		ch = out
	}
	el := time.Since(t0)
	want := nthPrime(n)
	bench.Check(prime == want, "prime #%d is %d, expected %d", n, prime, want)
	bench.Check(n != 5000 || prime == 48611, "prime #5000 is %d", prime)
	bench.Report("sieve", el.Seconds(), "s")
}
