/* Without guard pages (as after the mapping budget is spent) an overflow
 * that writes through the canary below the stack is caught at the next
 * switch.
 * ENV: GOC_DEBUG=stackguard=0
 * ENV: GOC_STACK_SIZE=32k
 * EXPECT-EXIT: 2
 * EXPECT-STDERR: fatal error: coroutine stack overflow */
#define OVERFLOW_DEPTH (40000 / 256) /* past the 32 KiB stack, not far */
#include "overflow.h"
