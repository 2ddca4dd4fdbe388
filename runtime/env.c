/*
 * env.c - the GOC_* environment settings, read and validated at start-up.
 *
 *   GOC_PROCS=n            worker threads, 1..256
 *   GOC_STACK_SIZE=n[k|m|g] bytes per coroutine stack, 16k..1g
 *   GOC_DEBUG=name=n,...   debugging settings; names in debug_names
 *
 * An empty variable counts as unset.  Any other value that is not one of
 * the accepted forms ends the program at start-up with a message that
 * names the variable and the forms it accepts, and exit status 2 (as the
 * runtime's other fatal errors): a typo must never silently mean the
 * default.
 */
#include "ctx.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every GOC_DEBUG name the runtime reads; add new ones here. */
static const char *const debug_names[] = {"schedtrace", "stackguard",
                                          "asyncpreempt"};

/* "goc: invalid NAME='VALUE': FORMS[ from LO to HI]", exit 2. */
static GOC_NORETURN void env_error(const char *name, const char *value,
                                   const char *forms, long lo, long hi)
{
    rt_fatal_begin();
    rt_buf b = {.n = 0};
    rt_buf_str(&b, "goc: invalid ");
    rt_buf_str(&b, name);
    rt_buf_str(&b, "='");
    rt_buf_str(&b, value);
    rt_buf_str(&b, "': ");
    rt_buf_str(&b, forms);
    if (hi > lo) {
        rt_buf_str(&b, " from ");
        rt_buf_u64(&b, (uint64_t)lo);
        rt_buf_str(&b, " to ");
        rt_buf_u64(&b, (uint64_t)hi);
    }
    rt_buf_str(&b, "\n");
    rt_buf_flush(&b);
    _exit(2);
}

/* A decimal number made only of digits; -1 when s is not one. */
static long long parse_digits(const char *s, const char **end)
{
    long long v = 0;
    const char *p = s;
    *end = s;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (LLONG_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*p - '0');
    }
    *end = p;
    return p == s ? -1 : v;
}

static const char *env_value(const char *name)
{
    const char *e = getenv(name);
    return e && *e ? e : NULL;
}

long rt_env_int(const char *name, long dflt, long min, long max)
{
    const char *e = env_value(name), *end;
    if (!e)
        return dflt;
    long long v = parse_digits(e, &end);
    if (v < min || v > max || *end)
        env_error(name, e, "expected a whole number", min, max);
    return (long)v;
}

size_t rt_env_size(const char *name, size_t dflt, size_t min, size_t max)
{
    static const char forms[] =
        "expected a size in bytes with an optional k, m or g suffix "
        "(KiB, MiB, GiB), from 16k to 1g, such as 64k or 1m";
    const char *e = env_value(name), *end;
    if (!e)
        return dflt;
    long long v = parse_digits(e, &end);
    int shift = 0;
    if (*end == 'k' || *end == 'K')
        shift = 10, end++;
    else if (*end == 'm' || *end == 'M')
        shift = 20, end++;
    else if (*end == 'g' || *end == 'G')
        shift = 30, end++;
    if (v < 0 || *end || v > (long long)(max >> shift) ||
        ((size_t)v << shift) < min)
        env_error(name, e, forms, 0, 0);
    return (size_t)v << shift;
}

/* The value of name=value in GOC_DEBUG, NULL when absent. */
static const char *debug_value(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *e = list; e && *e;) {
        if (strncmp(e, name, n) == 0 && e[n] == '=')
            return e + n + 1;
        e = strchr(e, ',');
        if (e)
            e++;
    }
    return NULL;
}

long rt_debug_setting(const char *name, long dflt)
{
    const char *v = debug_value(getenv("GOC_DEBUG"), name);
    return v ? strtol(v, NULL, 10) : dflt;
}

static int known_debug_name(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof debug_names / sizeof *debug_names; i++)
        if (strlen(debug_names[i]) == n && strncmp(s, debug_names[i], n) == 0)
            return 1;
    return 0;
}

/* Each comma-separated item must be a known name, '=', digits. */
void rt_env_check_debug(void)
{
    static const char forms[] =
        "expected name=number items separated by commas, where name is "
        "schedtrace (milliseconds), stackguard (0, 1 or 2) or asyncpreempt "
        "(0 or 1)";
    const char *e = env_value("GOC_DEBUG");
    for (const char *p = e; p && *p;) {
        size_t len = strcspn(p, ",");
        const char *eq = memchr(p, '=', len), *end;
        if (!eq || !known_debug_name(p, (size_t)(eq - p)) ||
            parse_digits(eq + 1, &end) < 0 || end != p + len)
            env_error("GOC_DEBUG", e, forms, 0, 0);
        p += len + (p[len] == ',');
    }
}
