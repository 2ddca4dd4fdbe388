/* Unbounded recursion in a coroutine hits the guard page; the handler, on
 * the alternate signal stack, reports it.
 * ENV: GOC_STACK_SIZE=32k
 * EXPECT-EXIT: 2
 * EXPECT-STDERR: fatal error: coroutine stack overflow
 * EXPECT-STDERR: stack size 32768 bytes */
#include "overflow.h"
