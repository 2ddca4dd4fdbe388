/*
 * select4: one receiver selects over 4 unbuffered channels, each fed by
 * its own sender; the receiver checks each sender's count, order and sum.
 * Figure: ns per select (a completed receive).  Size: items (4M).
 */
#include "bench.h"

enum { WAYS = 4 };

typedef struct sel_arg {
    goc_chan *out;
    long n;
} sel_arg;

static void sender(void *p)
{
    sel_arg a = *(sel_arg *)p;
    for (long j = 1; j <= a.n; j++)
        goc_chan_send(a.out, &j);
}

static int bench_main(int argc, char **argv)
{
    long n = bench_size(argc, argv, 4000000);
    bench_check("select4", n % WAYS == 0, "size %ld is not a multiple of %d",
                n, WAYS);
    long per = n / WAYS;
    long vals[WAYS], last[WAYS] = {0}, sum[WAYS] = {0}, disorder = 0;
    goc_select_case cases[WAYS];
    for (int k = 0; k < WAYS; k++) {
        sel_arg a = {goc_chan_make(sizeof(long), 0), per};
        cases[k] = (goc_select_case){a.out, &vals[k], GOC_SELECT_RECV, 0};
        goc_go(sender, &a, sizeof a);
    }

    int64_t t0 = bench_now();
    for (long i = 0; i < n; i++) {
        int k = goc_select(cases, WAYS, 1);
        bench_check("select4", k >= 0 && k < WAYS && cases[k].ok,
                    "select returned %d", k);
        disorder += vals[k] != last[k] + 1;
        last[k] = vals[k];
        sum[k] += vals[k];
    }
    int64_t t1 = bench_now();
    for (int k = 0; k < WAYS; k++)
        bench_check("select4", last[k] == per && sum[k] == per * (per + 1) / 2,
                    "channel %d: last %ld, sum %ld", k, last[k], sum[k]);
    bench_check("select4", disorder == 0, "%ld values out of order", disorder);
    bench_report("select4", (double)(t1 - t0) / (double)n, "ns/select");
    return 0;
}

int main(int argc, char **argv)
{
    goc_main(bench_main, argc, argv);
}
