/*
 * preempt.h - preemption checks in .goc code (preempt.c;
 * docs/runtime.md, "Preemption").
 */
#ifndef GOC_PREEMPT_H
#define GOC_PREEMPT_H

#include "ast.h"

/* Read the unit's `#pragma goc preempt on|off` lines (an error for any
 * other `#pragma goc`) and blank them out of the output; then, when
 * `enabled` (no -fno-preempt), register a goc_preempt_poll() splice at
 * the entry of every function that calls and in every loop iteration of
 * the unit's .goc code where the pragmas leave checks on.  Runs before
 * lowering, whose bottom-up emit_range_text() carries the splices into
 * the code it moves (go blocks, select arms, range loops). */
void preempt_unit(ast_unit *u, int enabled);

#endif /* GOC_PREEMPT_H */
