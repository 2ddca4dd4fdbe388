// echo: the Go twin of ../../echo_server.c: one goroutine per connection,
// a 16 KiB buffer, everything read is written back.
//
//	go build -o echo ./echo && ./echo [host:port]
package main

import (
	"net"

	"gocbench/internal/bench"
)

func serve(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 16384)
	for {
		n, err := c.Read(buf)
		if n <= 0 || err != nil {
			return
		}
		if _, err := c.Write(buf[:n]); err != nil {
			return
		}
	}
}

func main() {
	l := bench.Listen()
	bench.ServeEach(l, serve)
}
