/*
 * check.h - the assertion used by the tests/lang programs.  A failed check
 * prints the .goc line and the expression, then exits with status 1 (panics
 * and deadlocks exit with 2, so the two never mix).
 */
#ifndef LANG_CHECK_H
#define LANG_CHECK_H
#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

#define CHECK_EQ(a, b)                                                       \
    do {                                                                     \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);      \
        if (check_a_ != check_b_) {                                          \
            fprintf(stderr, "%s:%d: check failed: %s == %s (%lld != %lld)\n", \
                    __FILE__, __LINE__, #a, #b, check_a_, check_b_);         \
            exit(1);                                                         \
        }                                                                    \
    } while (0)
#endif
