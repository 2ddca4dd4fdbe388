/* overflow.h - the program both stack overflow tests run (overflow.c with
 * guard pages, overflow_canary.c without): a coroutine recursing through
 * 256-byte frames, OVERFLOW_DEPTH frames deep (0: without end).  The
 * includer holds the expectations; check.cmake also reads the spawn line
 * marked here. */
#include <goc.h>
#include <string.h>

#ifndef OVERFLOW_DEPTH
#define OVERFLOW_DEPTH 0
#endif

static int deep(volatile char *p, int n)
{
    volatile char buf[256];
    memset((char *)buf, n, sizeof buf);
    if (OVERFLOW_DEPTH && n > OVERFLOW_DEPTH)
        return buf[3];
    return buf[n % 256] + (p ? deep(buf, n + 1) : 0);
}

static void child(void *arg)
{
    (void)arg;
    deep((volatile char *)"", 0);
    goc_yield(); /* the switch that checks the canary */
}

static int body(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_go(child, NULL, 0); /* @HERE */
    goc_sleep(GOC_SECOND);
    return 0;
}

int main(int argc, char **argv) { goc_main(body, argc, argv); }
