/* Stacks: size from GOC_STACK_SIZE, reuse, guard pages, the canary
 * fallback, the slot walk used by the dump, and slots prepared ahead. */
#include "goc_test.h"

#include "ctx.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static rt_g *seen[4];
static goc_waitgroup wg;

static void record(void *arg)
{
    seen[*(int *)arg] = rt_current();
    goc_waitgroup_done(&wg);
}

/* Protection of the page just below addr, from /proc/self/maps. */
static char prot_below(const void *addr)
{
    uintptr_t a = (uintptr_t)addr - 1;
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512], r = '?';
    while (f && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && a >= lo &&
            a < hi) {
            r = perms[0];
            break;
        }
    }
    if (f)
        fclose(f);
    return r;
}

/* Write the byte just below g's stack in a forked child: its wait status
 * (-1 when the fork failed). */
static int write_below_in_child(rt_g *g)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        ((volatile char *)g->stack_lo)[-1] = 1;
        _exit(0);
    }
    int st = -1;
    if (pid < 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    return st;
}

static int size_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    rt_g *g = rt_current();
    CHECK_EQ(rt_stack_size(), 128 * 1024);
    CHECK(g->stack_size > 120 * 1024 && g->stack_size < 128 * 1024);
    CHECK((char *)&g > g->stack_lo && (char *)&g < (char *)g);
    CHECK_EQ(g->guarded, 1);
    if (rt_stack_grade() == 1) {
        CHECK_EQ(prot_below(g->stack_lo), '-'); /* PROT_NONE guard */
        CHECK_EQ(prot_below(g->stack_lo + 4096), 'r');
    }
    /* Guard regions do not show in the maps: touch one in a child, which
     * must report an overflow (exit 2) instead of writing. */
    int st = write_below_in_child(g);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    return 0;
}

Test(stack, size_from_env_with_guard_page)
{
    setenv("GOC_STACK_SIZE", "128k", 1);
    cr_assert_eq(goc_run(size_main, 0, NULL), 0);
}

static long recurse(int n)
{
    volatile char pad[512];
    pad[0] = (char)n;
    return n == 0 ? 0 : n + recurse(n - 1) + pad[0] - (char)n;
}

static void deep(void *arg)
{
    long *out = arg;
    *(long *)(intptr_t)out[1] = recurse((int)out[0]);
    goc_waitgroup_done(&wg);
}

static int deep_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    long result = -1;
    long args[2] = {300, (long)(intptr_t)&result}; /* ~180 KiB of frames */
    goc_waitgroup_add(&wg, 1);
    goc_go(deep, args, sizeof args);
    goc_waitgroup_wait(&wg);
    CHECK_EQ(result, 300L * 301 / 2);
    return 0;
}

Test(stack, deep_recursion_within_the_size_works)
{
    setenv("GOC_STACK_SIZE", "256k", 1);
    cr_assert_eq(goc_run(deep_main, 0, NULL), 0);
}

static int reuse_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (int i = 0; i < 4; i++) {
        goc_waitgroup_add(&wg, 1);
        goc_go(record, &i, sizeof i);
        goc_waitgroup_wait(&wg);
    }
    return 0;
}

Test(stack, exited_stacks_are_reused)
{
    setenv("GOC_PROCS", "1", 1);
    cr_assert_eq(goc_run(reuse_main, 0, NULL), 0);
    for (int i = 1; i < 4; i++)
        cr_assert_eq(seen[i], seen[0], "the freed slot is taken again");
}

static int canary_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    rt_g *g = rt_current();
    CHECK_EQ(g->guarded, 0);
    CHECK(((uint64_t *)g->stack_lo)[-1] == RT_STACK_CANARY);
    CHECK_EQ(prot_below(g->stack_lo), 'r');
    return 0;
}

Test(stack, canary_mode_without_guard_pages)
{
    setenv("GOC_DEBUG", "stackguard=0", 1);
    cr_assert_eq(goc_run(canary_main, 0, NULL), 0);
}

static void blocker(void *arg)
{
    goc_chan_recv(*(goc_chan **)arg, NULL);
    goc_waitgroup_done(&wg);
}

static void count_parked(rt_g *g, void *arg)
{
    if (atomic_load(&g->state) == RT_G_PARKED &&
        g->wait_reason == RT_WAIT_CHAN_RECV)
        ++*(int *)arg;
}

static int walk_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_chan *c = goc_chan_make(1, 0);
    goc_waitgroup_add(&wg, 100);
    for (int i = 0; i < 100; i++)
        goc_go(blocker, &c, sizeof c);
    int n = 0;
    /* Each blocker parks before main resumes, unless a thief took main
     * meanwhile: then give the stragglers a moment. */
    for (int tries = 0; tries < 2000; tries++) {
        n = 0;
        rt_stack_foreach(count_parked, &n);
        if (n == 100)
            break;
        goc_sleep(GOC_MILLISECOND);
    }
    CHECK_EQ(n, 100);
    goc_chan_close(c);
    goc_waitgroup_wait(&wg);
    return 0;
}

Test(stack, walk_finds_every_parked_coroutine)
{
    setenv("GOC_PROCS", "2", 1);
    cr_assert_eq(goc_run(walk_main, 0, NULL), 0);
}

/* Fresh slots are carved several at a time, and once spawning has carved
 * half a slab an idle worker prepares the next slab ahead (guards
 * installed, top pages faulted in, records set up).  Every slot, however it
 * was made, is guarded; the prepared slabs go back to the system once no
 * slab has been taken for a whole scavenger period. */
#define NPREP 300
static goc_chan *hold;
static rt_g *prep_g[NPREP];

static void holder(void *arg)
{
    prep_g[*(int *)arg] = rt_current();
    goc_chan_recv(hold, NULL);
    goc_waitgroup_done(&wg);
}

/* Does writing just below g's stack fault?  Tried in a forked child: the
 * fault is not in the running coroutine's own guard, so it is no overflow
 * report but a plain SIGSEGV. */
static int guard_faults(rt_g *g)
{
    int st = write_below_in_child(g);
    return st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
}

static int prep_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    hold = goc_chan_make(1, 0);
    goc_waitgroup_add(&wg, NPREP);
    int i = 0;
    for (; i < 100; i++) /* more than a slab and a half */
        goc_go(holder, &i, sizeof i);
    /* the idle worker prepares a slab; help it, in case it is slow */
    int64_t end = goc_now() + 10 * GOC_SECOND;
    while (rt_stack_ready_slabs() == 0 && goc_now() < end)
        if (!rt_stack_prepare())
            goc_sleep(GOC_MILLISECOND);
    CHECK(rt_stack_ready_slabs() >= 1);
    for (; i < NPREP; i++) /* carves the rest of a slab, then a prepared one */
        goc_go(holder, &i, sizeof i);
    for (int k = 0; k < NPREP; k++) {
        CHECK(prep_g[k] != NULL);
        CHECK_EQ(prep_g[k]->guarded, 1);
        /* the record set up by whoever prepared the slot */
        CHECK_EQ((char *)prep_g[k] - prep_g[k]->stack_lo,
                 prep_g[k]->stack_size);
        CHECK(prep_g[k]->stack_size > 60 * 1024 &&
              prep_g[k]->stack_size < 64 * 1024);
        for (int j = 0; j < k; j++)
            CHECK(prep_g[j] != prep_g[k]);
    }
    for (int k = 0; k < NPREP; k += 7)
        CHECK(guard_faults(prep_g[k]));
    CHECK(guard_faults(prep_g[NPREP - 1]));
    goc_chan_close(hold);
    goc_waitgroup_wait(&wg);
    /* Nothing carves now: within two periods (250 ms each) the prepared
     * slabs are returned. */
    end = goc_now() + 5 * GOC_SECOND;
    while (rt_stack_ready_slabs() != 0 && goc_now() < end)
        goc_sleep(20 * GOC_MILLISECOND);
    CHECK_EQ(rt_stack_ready_slabs(), 0);
    return 0;
}

Test(stack, prepared_slots_are_guarded_and_returned)
{
    setenv("GOC_PROCS", "2", 1);
    setenv("GOC_STACK_SIZE", "64k", 1);
    cr_assert_eq(goc_run(prep_main, 0, NULL), 0);
}
