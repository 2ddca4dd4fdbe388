/* main.c - a counting coroutine feeds a summing one over a channel. */
#include <stdio.h>
#include "stages.h"

static int app_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_chan *numbers = goc_chan_make(sizeof(long), 2);
    stage_count(numbers, PIPELINE_COUNT);
    long sum = stage_sum_squares(numbers);
    greet("cmake");
    printf("sum of squares 1..%d = %ld\n", PIPELINE_COUNT, sum);
    return 0;
}

int main(int argc, char **argv)
{
    goc_main(app_main, argc, argv);
}
