// ticker: the Go twin of tests/bench/ticker.goc (see there): a goroutine
// sleeps 1 ms again and again and measures how late each wake-up is,
// while N goroutines compute in loops that call nothing, or, with rec, in
// a recursion without loops.
//
//	ticker [ms [N [loop|rec]]]   (defaults 2000, 4 and loop)
package main

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync/atomic"
	"time"
)

var sink uint64

func spin(deadline time.Time, seed uint64) {
	x := seed
	for i := uint64(1); ; i++ {
		x = x*6364136223846793005 + 1442695040888963407
		if i&0xffff == 0 && !time.Now().Before(deadline) {
			break
		}
	}
	atomic.AddUint64(&sink, x)
}

func walk(x uint64, depth int) uint64 {
	if depth == 0 {
		return x
	}
	return walk(x*6364136223846793005+1442695040888963407, depth-1) ^
		walk(x+1, depth-1)
}

func arg(i int, dflt int) int {
	if len(os.Args) <= i {
		return dflt
	}
	v, err := strconv.Atoi(os.Args[i])
	if err != nil || v < 0 {
		fmt.Fprintln(os.Stderr, "usage: ticker [ms [spinners]]")
		os.Exit(2)
	}
	return v
}

func main() {
	ms, nspin := arg(1, 2000), arg(2, 4)
	rec := len(os.Args) > 3 && os.Args[3] == "rec"
	if len(os.Args) > 3 && !rec && os.Args[3] != "loop" {
		fmt.Fprintln(os.Stderr, "usage: ticker [ms [spinners [loop|rec]]]")
		os.Exit(2)
	}
	deadline := time.Now().Add(time.Duration(ms) * time.Millisecond)
	done := make(chan []time.Duration)
	go func() {
		var late []time.Duration
		for time.Now().Before(deadline) {
			t := time.Now()
			time.Sleep(time.Millisecond)
			late = append(late, time.Since(t)-time.Millisecond)
		}
		done <- late
	}()
	for i := 0; i < nspin; i++ {
		if rec {
			go func(seed uint64) { atomic.AddUint64(&sink, walk(seed, 62)) }(uint64(i + 2))
		} else {
			go spin(deadline, uint64(i+2))
		}
	}
	late := <-done
	if len(late) == 0 {
		fmt.Fprintln(os.Stderr, "ticker: no tick at all")
		os.Exit(1)
	}
	sort.Slice(late, func(i, j int) bool { return late[i] < late[j] })
	n := len(late)
	msf := func(d time.Duration) float64 { return float64(d) / 1e6 }
	fmt.Printf("ticker ticks=%d median_ms=%.3f p99_ms=%.3f max_ms=%.3f\n", n,
		msf(late[n/2]), msf(late[n*99/100]), msf(late[n-1]))
}
