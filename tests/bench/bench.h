/*
 * bench.h - what every runtime benchmark shares: the size argument, a
 * monotonic clock, result checks and the one output line run.sh parses.
 *
 * Output contract (run.sh and the Go twins follow it):
 *     <name> <value> <unit> rss_kb=<peak resident set, KiB>
 * on stdout, once, after the program has verified its own result.  A failed
 * check prints "<name>: check failed: ..." on stderr and exits 1.
 */
#ifndef GOC_BENCH_H
#define GOC_BENCH_H

#include <goc.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static inline int64_t bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* argv[1] as a positive size, or dflt when absent. */
static inline long bench_size(int argc, char **argv, long dflt)
{
    if (argc < 2)
        return dflt;
    char *end;
    long n = strtol(argv[1], &end, 10);
    if (*end != '\0' || n <= 0) {
        fprintf(stderr, "usage: %s [size > 0]\n", argv[0]);
        exit(2);
    }
    return n;
}

#define bench_check(name, cond, ...)                                         \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s: check failed: ", name);                     \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

static inline void bench_report(const char *name, double value,
                                const char *unit)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%s %.5g %s rss_kb=%ld\n", name, value, unit, ru.ru_maxrss);
    fflush(stdout);
}

#endif /* GOC_BENCH_H */
