/*
 * timeout: N iterations of a select that waits on an input channel with a
 * timeout, `select { case v = <-in: ...; case <-goc_after(1s): ... }`, the
 * per-request timeout of a server; the input is always ready, so every
 * timer is stopped unfired.  This is the C that the compiler emits for the
 * .goc twin: the select frees the goc_after channel when it returns
 * (goc_select_after_done).  Figure: ns per select.  Size: iterations (1M).
 * RSS must stay flat: the program checks that it grows by less than 4 MB
 * between a tenth of the run and its end.
 */
#include "bench.h"

#include <unistd.h>

static long rss_kb(void)
{
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
        rss = 0;
    fclose(f);
    return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

static int bench_main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 1000000);
    goc_chan *in = goc_chan_make(sizeof(long), 1);
    long sum = 0, early = 0;
    int64_t t0 = bench_now();
    for (long i = 0; i < n; i++) {
        if (i == n / 10)
            early = rss_kb();
        goc_chan_send(in, &i);
        long v = 0;
        goc_select_case cs[2] = {
            {in, &v, GOC_SELECT_RECV, 0},
            {goc_after(GOC_SECOND), NULL, GOC_SELECT_RECV, 0},
        };
        int r = goc_select_after_done(goc_select(cs, 2, 1), cs[1].chan);
        bench_check("timeout", r == 0, "the timeout fired at %ld", i);
        sum += v;
    }
    int64_t t1 = bench_now();
    long grew = rss_kb() - early;
    bench_check("timeout", sum == n * (n - 1) / 2, "sum %ld", sum);
    bench_check("timeout", n < 100000 || grew < 4096,
                "RSS grew by %ld KiB", grew);
    bench_report("timeout", (double)(t1 - t0) / (double)n, "ns/select");
    return 0;
}

int main(int argc, char **argv)
{
    goc_main(bench_main, argc, argv);
}
