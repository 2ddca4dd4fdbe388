/*
 * goc_test.h - helpers for the runtime's Criterion suites.
 *
 * Coroutine bodies run on worker threads, where Criterion's aborting
 * asserts (a longjmp to the test's own thread) must not be used.  CHECK and
 * CHECK_EQ print the failed condition and end the test process with status
 * 3, which Criterion reports as a failed test; the Test body itself, back
 * on its own thread after goc_run, may use cr_assert as usual.
 *
 * expect_panic runs a goc program in a forked child and checks that it
 * exits with status 2 and that its stderr holds each given string.
 */
#ifndef GOC_TEST_H
#define GOC_TEST_H

#include <criterion/criterion.h>
#include <goc.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static inline void goc_test_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    fflush(stderr);
    _exit(3);
}

static inline void goc_test_fail_eq(const char *file, int line, const char *a,
                                    const char *b, long long va, long long vb)
{
    fprintf(stderr, "%s:%d: check failed: %s == %s (%lld != %lld)\n", file,
            line, a, b, va, vb);
    fflush(stderr);
    _exit(3);
}

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond))                                                         \
            goc_test_fail(__FILE__, __LINE__, #cond);                        \
    } while (0)

#define CHECK_EQ(a, b, ...)                                                  \
    do {                                                                     \
        long long ck_a = (long long)(a), ck_b = (long long)(b);              \
        if (ck_a != ck_b)                                                    \
            goc_test_fail_eq(__FILE__, __LINE__, #a, #b, ck_a, ck_b);       \
    } while (0)

/* Run body as a goc program in a child; it must exit with status 2 and its
 * stderr must contain every string of the NULL-terminated list. */
static inline void expect_panic_v(int (*body)(int, char **), ...)
{
    char buf[8192];
    size_t len = 0;
    ssize_t r;
    int p[2], status;
    va_list ap;
    fflush(NULL);
    cr_assert_eq(pipe(p), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        dup2(p[1], 2);
        close(p[0]);
        close(p[1]);
        goc_run(body, 0, NULL);
        _exit(0);
    }
    close(p[1]);
    while (len < sizeof buf - 1 &&
           (r = read(p[0], buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)r;
    buf[len] = 0;
    close(p[0]);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 2,
              "want exit status 2, got status %#x; stderr:\n%s", status, buf);
    va_start(ap, body);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL;)
        cr_assert(strstr(buf, want), "stderr lacks \"%s\":\n%s", want, buf);
    va_end(ap);
}

#define expect_panic(body, ...) expect_panic_v(body, __VA_ARGS__, (char *)NULL)

#endif /* GOC_TEST_H */
