/* report.h - printing results (report.goc). */
void report(const char *what, long value);
