/* Unbounded recursion in a coroutine hits the guard page; the handler, on
 * the alternate signal stack, reports it.
 * ENV: GOC_STACK_SIZE=32k
 * EXPECT-EXIT: 2
 * EXPECT-STDERR: fatal error: coroutine stack overflow
 * EXPECT-STDERR: stack size 32768 bytes */
#include <goc.h>
#include <string.h>

static int deep(volatile char *p, int n)
{
    volatile char buf[256];
    memset((char *)buf, n, sizeof buf);
    return buf[n % 256] + (p ? deep(buf, n + 1) : 0);
}

static void child(void *arg)
{
    (void)arg;
    deep((volatile char *)"", 0);
}

static int body(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_go(child, NULL, 0); /* @HERE */
    goc_sleep(GOC_SECOND);
    return 0;
}

int main(int argc, char **argv) { goc_main(body, argc, argv); }
