/* A plain C header: go, chan, select and make are ordinary identifiers. */
static inline int go(int chan) { return chan + 1; }
static inline int make(int select) { return select * 2; }
struct audio { int chan; };
