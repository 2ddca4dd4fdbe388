/* stages.h - the pipeline's stages (stages.goc) and greeting (greeting.c,
 * shout.goc). */
#ifndef STAGES_H
#define STAGES_H

#include <goc.h>

/* Send 1..count on out, then close it. */
void stage_count(goc_chan *out, long count);
/* Receive numbers from in until it is closed; return their squares' sum. */
long stage_sum_squares(goc_chan *in);
/* Print the greeting, loudly. */
void greet(const char *who);
void shout(const char *text);

#endif
