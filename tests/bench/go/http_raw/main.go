// http_raw: the Go twin of ../../http_hello.c, written the same way over
// the net package: one goroutine per connection, requests found by their
// blank line, every complete request in a read answered with one write.
//
//	go build -o http_raw ./http_raw && ./http_raw [host:port]
package main

import (
	"bytes"
	"net"

	"gocbench/internal/bench"
)

var (
	hello   = []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n")
	helloB  = []byte("Content-Length: 14\r\n\r\nHello, World!\n")
	missing = []byte("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n")
	missB   = []byte("Content-Length: 10\r\n\r\nnot found\n")
	closeH  = []byte("Connection: close\r\n")
	crlf2   = []byte("\r\n\r\n")
	getRoot = []byte("GET / ")
	connCl  = []byte("\r\nConnection: close")
)

// containsFold reports whether pat occurs in s, ignoring ASCII case, as
// strcasestr does in the C server.
func containsFold(s, pat []byte) bool {
	for i := 0; i+len(pat) <= len(s); i++ {
		if bytes.EqualFold(s[i:i+len(pat)], pat) {
			return true
		}
	}
	return false
}

// answer appends the response to head to out; it reports whether the
// client asked to close.
func answer(head []byte, out []byte) ([]byte, bool) {
	root := bytes.HasPrefix(head, getRoot)
	cl := containsFold(head, connCl)
	if root {
		out = append(out, hello...)
	} else {
		out = append(out, missing...)
	}
	if cl {
		out = append(out, closeH...)
	}
	if root {
		out = append(out, helloB...)
	} else {
		out = append(out, missB...)
	}
	return out, cl
}

func serve(c net.Conn) {
	defer c.Close()
	in := make([]byte, 8192)
	out := make([]byte, 0, 32768)
	n := 0
	for {
		r, err := c.Read(in[n:])
		if r <= 0 || err != nil {
			return
		}
		n += r
		pos, cl := 0, false
		out = out[:0]
		for !cl {
			end := bytes.Index(in[pos:n], crlf2)
			if end < 0 {
				break
			}
			out, cl = answer(in[pos:pos+end+2], out)
			pos += end + 4
		}
		if len(out) > 0 {
			if _, err := c.Write(out); err != nil {
				return
			}
		}
		if cl || (pos == 0 && n == len(in)) {
			return
		}
		copy(in, in[pos:n])
		n -= pos
	}
}

func main() {
	l := bench.Listen()
	bench.ServeEach(l, serve)
}
