/*
 * preempt.h - preemption checks in .goc code (preempt.c;
 * docs/runtime.md, "Preemption").
 */
#ifndef GOC_PREEMPT_H
#define GOC_PREEMPT_H

#include "ast.h"

/* Register a goc_preempt_poll() splice at the entry of every function
 * and in every loop iteration of the unit's .goc code.  Runs before
 * lowering, whose bottom-up emit_range_text() carries the splices into
 * the code it moves (go blocks, select arms, range loops). */
void preempt_unit(ast_unit *u);

#endif /* GOC_PREEMPT_H */
