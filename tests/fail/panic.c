/* goc_panic prints the message and the location, flushes stdout and exits
 * with status 2.
 * EXPECT-EXIT: 2
 * EXPECT-STDERR: panic: something broke
 * EXPECT-STDERR: [running] */
#include <goc.h>
#include <stdio.h>

static void child(void *arg)
{
    (void)arg;
    goc_panic("something broke"); /* @HERE */
}

static int body(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("before the panic\n");
    goc_go(child, NULL, 0);
    goc_sleep(GOC_SECOND);
    return 0;
}

int main(int argc, char **argv) { goc_main(body, argc, argv); }
