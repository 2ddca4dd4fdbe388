/* util.c - plain C, compiled by make's built-in rule. */
#include "util.h"

long square_of(long n)
{
    return n * n;
}
