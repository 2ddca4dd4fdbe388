/* greeting.c - plain C in the same library as shout.goc. */
#include <stdio.h>
#include "greeting.h"

void greet(const char *who)
{
    char line[64];
    snprintf(line, sizeof line, "hello from %s", who);
    shout(line);
}
