// select4: the Go twin of tests/bench/select4.c.
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
		fmt.Fprintf(os.Stderr, "select4: check failed: "+format+"\n", args...)
		os.Exit(1)
	}
}

func report(name string, value float64, unit string) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("%s %.5g %s rss_kb=%d\n", name, value, unit, ru.Maxrss)
}

const ways = 4

func sender(out chan<- int64, n int64) {
	for j := int64(1); j <= n; j++ {
		out <- j
	}
}

func main() {
	n := size(4000000)
	check(n%ways == 0, "size %d is not a multiple of %d", n, ways)
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
		check(last[k] == per && sum[k] == per*(per+1)/2,
			"channel %d: last %d, sum %d", k, last[k], sum[k])
	}
	check(disorder == 0, "%d values out of order", disorder)
	report("select4", float64(el.Nanoseconds())/float64(n), "ns/select")
}
