/* Without guard pages (as after the mapping budget is spent) an overflow
 * that writes through the canary below the stack is caught at the next
 * switch.
 * ENV: GOC_DEBUG=stackguard=0
 * ENV: GOC_STACK_SIZE=32k
 * EXPECT-EXIT: 2
 * EXPECT-STDERR: fatal error: coroutine stack overflow */
#include <goc.h>
#include <string.h>

static int deep(volatile char *p, int n)
{
    volatile char buf[256];
    memset((char *)buf, n, sizeof buf);
    if (n > 40000 / 256)
        return buf[3];
    return buf[n % 256] + (p ? deep(buf, n + 1) : 0);
}

static void child(void *arg)
{
    (void)arg;
    deep((volatile char *)"", 0);
    goc_yield();
}

static int body(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_go(child, NULL, 0); /* @HERE */
    goc_sleep(GOC_SECOND);
    return 0;
}

int main(int argc, char **argv) { goc_main(body, argc, argv); }
