/* util.h - plain C helpers (util.c). */
long square_of(long n);
