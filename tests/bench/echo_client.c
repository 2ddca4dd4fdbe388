/*
 * echo_client.c - load generator for the echo benchmark, over <goc.h>.
 *
 *   bench_echo_client HOST:PORT [connections] [seconds] [bytes]
 *
 * Opens the connections (default 100), and on each sends a message
 * (default 64 bytes), waits for all of it to come back, checks it, and
 * repeats until the time (default 5 s) is up.  Prints
 *   echo <round trips per second> rt/s p50_us=<median> p99_us=<99th>
 * The same client drives our server and its Go twin.
 */
#include <goc.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUCKET_NS 2000 /* latency histogram: 2 us buckets up to 200 ms */
#define BUCKETS 100000

static _Atomic unsigned hist[BUCKETS + 1];
static atomic_long trips;
static const char *addr;
static int64_t stop_at;
static size_t msg_size;
static goc_waitgroup wg;

static void conn(void *arg)
{
    int id = *(int *)arg;
    int fd = goc_dial_tcp(addr, goc_now() + 10 * GOC_SECOND);
    if (fd < 0) {
        fprintf(stderr, "dial %s: %s\n", addr, strerror(errno));
        exit(1);
    }
    char out[4096], in[4096];
    for (size_t i = 0; i < msg_size; i++)
        out[i] = (char)(id + i);
    long n = 0;
    while (goc_now() < stop_at) {
        int64_t t0 = goc_now();
        if (goc_write_full(fd, out, msg_size) < 0)
            break;
        size_t got = 0;
        while (got < msg_size) {
            ssize_t r = goc_read(fd, in + got, msg_size - got);
            if (r <= 0) {
                fprintf(stderr, "read: %s\n", r ? strerror(errno) : "EOF");
                exit(1);
            }
            got += (size_t)r;
        }
        if (memcmp(in, out, msg_size) != 0) {
            fprintf(stderr, "echo mismatch\n");
            exit(1);
        }
        int64_t b = (goc_now() - t0) / BUCKET_NS;
        atomic_fetch_add_explicit(&hist[b < BUCKETS ? b : BUCKETS], 1,
                                  memory_order_relaxed);
        n++;
    }
    atomic_fetch_add(&trips, n);
    goc_close(fd);
    goc_waitgroup_done(&wg);
}

static double percentile(double p, long total)
{
    long want = (long)(p * (double)total), seen = 0;
    for (int i = 0; i <= BUCKETS; i++) {
        seen += hist[i];
        if (seen > want)
            return (i + 0.5) * BUCKET_NS / 1000.0;
    }
    return BUCKETS * BUCKET_NS / 1000.0;
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_echo_client HOST:PORT [conns] [s] "
                        "[bytes]\n");
        return 2;
    }
    addr = argv[1];
    int conns = argc > 2 ? atoi(argv[2]) : 100;
    double secs = argc > 3 ? atof(argv[3]) : 5;
    msg_size = argc > 4 ? (size_t)atoi(argv[4]) : 64;
    if (msg_size < 1 || msg_size > 4096)
        msg_size = 64;
    int64_t start = goc_now();
    stop_at = start + (int64_t)(secs * GOC_SECOND);
    goc_waitgroup_add(&wg, conns);
    for (int i = 0; i < conns; i++)
        goc_go(conn, &i, sizeof i);
    goc_waitgroup_wait(&wg);
    double took = (double)(goc_now() - start) / GOC_SECOND;
    long total = atomic_load(&trips);
    printf("echo %.0f rt/s p50_us=%.0f p99_us=%.0f\n", total / took,
           percentile(0.5, total), percentile(0.99, total));
    return total > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    goc_main(run, argc, argv);
}
