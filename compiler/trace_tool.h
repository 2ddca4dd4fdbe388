/*
 * trace_tool.h - `goc trace`: reads an execution trace (Chrome trace-event
 * JSON; the format is in docs/runtime.md, "Execution trace"), prints a
 * summary and has trace_draw.c draw the timeline.
 */
#ifndef GOC_TRACE_TOOL_H
#define GOC_TRACE_TOOL_H

/* argv[0] is "trace".  Returns the process exit status. */
int trace_main(int argc, char **argv);

#endif
