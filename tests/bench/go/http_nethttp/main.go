// http_nethttp: the idiomatic net/http twin of ../../http_hello.c: GET /
// answers "Hello, World!\n", anything else 404, keep-alive by default.
//
//	go build -o http_nethttp ./http_nethttp && ./http_nethttp [host:port]
package main

import (
	"net/http"

	"gocbench/internal/bench"
)

func main() {
	l := bench.Listen()
	hello := []byte("Hello, World!\n")
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Write(hello)
	})
	http.Serve(l, nil)
}
