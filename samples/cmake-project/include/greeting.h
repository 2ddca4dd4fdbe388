/* greeting.h - plain C (greeting.c) over goc (shout.goc). */
#ifndef GREETING_H
#define GREETING_H

/* Print a greeting for who, loudly. */
void greet(const char *who);
/* Print text upper-cased; returns once it is printed. */
void shout(const char *text);

#endif
