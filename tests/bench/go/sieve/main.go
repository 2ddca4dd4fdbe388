// sieve: the Go twin of tests/bench/sieve.c.
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

func size(dflt int64) int64 {
	if len(os.Args) < 2 {
		return dflt
	}
	n, err := strconv.ParseInt(os.Args[1], 10, 64)
	if err != nil || n <= 0 {
		fmt.Fprintf(os.Stderr, "usage: %s [size > 0]\n", os.Args[0])
		os.Exit(2)
	}
	return n
}

func check(ok bool, format string, args ...interface{}) {
	if !ok {
		fmt.Fprintf(os.Stderr, "sieve: check failed: "+format+"\n", args...)
		os.Exit(1)
	}
}

func report(name string, value float64, unit string) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("%s %.5g %s rss_kb=%d\n", name, value, unit, ru.Maxrss)
}

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
	n := size(5000)
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
	check(prime == want, "prime #%d is %d, expected %d", n, prime, want)
	check(n != 5000 || prime == 48611, "prime #5000 is %d", prime)
	report("sieve", el.Seconds(), "s")
}
