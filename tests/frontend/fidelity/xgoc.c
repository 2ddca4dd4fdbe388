/* -x goc: a .c file is goc source, as `make CC='goc build -x goc'` builds
 * an unmodified project; objects and libraries keep their meaning.
 * XGOC
 * STDOUT: 3
 */
#include <stdio.h>

int main(void)
{
    chan(int) c = make(chan(int));
    go { c <- 3; }
    printf("%d\n", <-c);
    return 0;
}
