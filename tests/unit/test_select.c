/*
 * test_select.c - goc_select_at through the public API (docs/language.md §5):
 * default, receive and send cases, uniform choice, nil cases, closed
 * channels, blocking and waking exactly once, many cases.
 */
#include "goc_test.h"

#include <stdatomic.h>
#include <stdlib.h>

static goc_chan *chs[4];
static atomic_int flag;

static void yield_n(int n)
{
    for (int i = 0; i < n; i++)
        goc_yield();
}

static goc_select_case rcase(goc_chan *c, void *elem)
{
    return (goc_select_case){c, elem, GOC_SELECT_RECV, -1};
}

static goc_select_case scase(goc_chan *c, void *elem)
{
    return (goc_select_case){c, elem, GOC_SELECT_SEND, -1};
}

/* ---- non-blocking ------------------------------------------------------ */

static int body_default(int argc, char **argv)
{
    (void)argc, (void)argv;
    int a = 0, b = 1;
    goc_chan *u = goc_chan_make(sizeof(int), 0);
    goc_chan *full = goc_chan_make(sizeof(int), 1);
    goc_chan_send(full, &b);
    goc_select_case cs[3] = {rcase(u, &a), scase(u, &b), scase(full, &b)};
    CHECK_EQ(goc_select(cs, 3, 0), -1);
    CHECK_EQ(goc_select(NULL, 0, 0), -1);
    goc_select_case nils[2] = {rcase(NULL, &a), scase(NULL, &b)};
    CHECK_EQ(goc_select(nils, 2, 0), -1);
    /* One live case among nils takes the single-case path. */
    goc_select_case one[3] = {rcase(NULL, &a), rcase(full, &a), scase(NULL, &b)};
    CHECK_EQ(goc_select(one, 3, 0), 1);
    CHECK_EQ(a, 1);
    CHECK_EQ(one[1].ok, 1);
    CHECK_EQ(goc_select(one, 3, 0), -1);
    return 0;
}

Test(select, default_when_nothing_ready)
{
    cr_assert_eq(goc_run(body_default, 0, NULL), 0);
}

static int body_ready(int argc, char **argv)
{
    (void)argc, (void)argv;
    int got = 0, v = 77, w = 88;
    goc_chan *a = goc_chan_make(sizeof(int), 1);
    goc_chan *b = goc_chan_make(sizeof(int), 1);
    goc_chan_send(b, &v);
    /* Receive from b; a is empty. */
    goc_select_case cs[2] = {rcase(a, &got), rcase(b, &got)};
    CHECK_EQ(goc_select(cs, 2, 1), 1);
    CHECK_EQ(got, 77);
    CHECK_EQ(cs[1].ok, 1);
    /* Send into a (room); b is empty so its receive is not ready. */
    goc_select_case cs2[2] = {rcase(b, &got), scase(a, &w)};
    CHECK_EQ(goc_select(cs2, 2, 0), 1);
    CHECK_EQ(goc_chan_len(a), 1);
    CHECK_EQ(goc_chan_recv(a, &got), 1);
    CHECK_EQ(got, 88);
    /* Closed: a receive case is ready with ok == 0 and a zero value. */
    goc_chan_close(b);
    got = -1;
    goc_select_case cs3[2] = {rcase(a, &got), rcase(b, &got)};
    CHECK_EQ(goc_select(cs3, 2, 1), 1);
    CHECK_EQ(cs3[1].ok, 0);
    CHECK_EQ(got, 0);
    return 0;
}

Test(select, ready_cases_complete)
{
    cr_assert_eq(goc_run(body_ready, 0, NULL), 0);
}

/* ---- uniform choice ---------------------------------------------------- */

#define ROUNDS 8000

static int body_uniform(int argc, char **argv)
{
    (void)argc, (void)argv;
    int counts[4] = {0}, v = 1, got;
    goc_select_case cs[5];
    for (int i = 0; i < 4; i++) {
        chs[i] = goc_chan_make(sizeof(int), 1);
        goc_chan_send(chs[i], &v);
    }
    for (int i = 0; i < 4; i++)
        cs[i] = rcase(chs[i], &got);
    cs[4] = rcase(NULL, &got); /* never ready, never chosen */
    for (int r = 0; r < ROUNDS; r++) {
        int k = goc_select(cs, 5, 0);
        CHECK(k >= 0 && k < 4);
        counts[k]++;
        goc_chan_send(chs[k], &v); /* all four ready again */
    }
    /* Chi-square with 3 degrees of freedom; 30 is far beyond p = 1e-5. */
    double chi = 0, want = ROUNDS / 4.0;
    for (int i = 0; i < 4; i++)
        chi += (counts[i] - want) * (counts[i] - want) / want;
    if (chi > 30)
        fprintf(stderr, "counts %d %d %d %d chi2 %f\n", counts[0], counts[1],
                counts[2], counts[3], chi);
    CHECK(chi <= 30);
    return 0;
}

Test(select, uniform_among_ready_cases)
{
    cr_assert_eq(goc_run(body_uniform, 0, NULL), 0);
}

/* Send and receive cases mixed: both kinds get chosen. */
static int body_mixed(int argc, char **argv)
{
    (void)argc, (void)argv;
    int counts[2] = {0}, v = 5, got;
    goc_chan *in = goc_chan_make(sizeof(int), 1);
    goc_chan *out = goc_chan_make(sizeof(int), 1);
    for (int r = 0; r < 2000; r++) {
        goc_chan_trysend(in, &v);
        goc_chan_tryrecv(out, &got, NULL);
        goc_select_case cs[2] = {rcase(in, &got), scase(out, &v)};
        int k = goc_select(cs, 2, 1);
        CHECK(k == 0 || k == 1);
        counts[k]++;
    }
    CHECK(counts[0] > 800 && counts[1] > 800);
    return 0;
}

Test(select, send_and_recv_cases_both_chosen)
{
    cr_assert_eq(goc_run(body_mixed, 0, NULL), 0);
}

/* ---- blocking ---------------------------------------------------------- */

static void send_later(void *arg)
{
    int which = *(int *)arg, v = 100 + which;
    yield_n(200);
    goc_chan_send(chs[which], &v);
}

static void recv_later(void *arg)
{
    int which = *(int *)arg, v = 0;
    yield_n(200);
    goc_chan_recv(chs[which], &v);
    atomic_store(&flag, v);
}

static int body_block(int argc, char **argv)
{
    (void)argc, (void)argv;
    int got = 0, out = 555;
    for (int i = 0; i < 4; i++)
        chs[i] = goc_chan_make(sizeof(int), 0);
    for (int round = 0; round < 20; round++) {
        int which = round % 3;
        goc_go(send_later, &which, sizeof which);
        goc_select_case cs[4] = {rcase(chs[0], &got), rcase(chs[1], &got),
                                 rcase(chs[2], &got), rcase(NULL, &got)};
        CHECK_EQ(goc_select(cs, 4, 1), which);
        CHECK_EQ(got, 100 + which);
        CHECK_EQ(cs[which].ok, 1);
    }
    /* A blocked send case is taken by a receiver arriving later. */
    atomic_store(&flag, 0);
    int three = 3;
    goc_go(recv_later, &three, sizeof three);
    goc_select_case cs[2] = {rcase(chs[0], &got), scase(chs[3], &out)};
    CHECK_EQ(goc_select(cs, 2, 1), 1);
    while (atomic_load(&flag) != 555)
        goc_yield();
    return 0;
}

Test(select, blocks_until_a_case_is_ready)
{
    cr_assert_eq(goc_run(body_block, 0, NULL), 0);
}

static void close_later(void *arg)
{
    (void)arg;
    yield_n(200);
    goc_chan_close(chs[1]);
}

static int body_block_close(int argc, char **argv)
{
    (void)argc, (void)argv;
    int got = -1;
    chs[0] = goc_chan_make(sizeof(int), 0);
    chs[1] = goc_chan_make(sizeof(int), 0);
    goc_go(close_later, NULL, 0);
    goc_select_case cs[2] = {rcase(chs[0], &got), rcase(chs[1], &got)};
    CHECK_EQ(goc_select(cs, 2, 1), 1);
    CHECK_EQ(cs[1].ok, 0);
    CHECK_EQ(got, 0);
    return 0;
}

Test(select, close_wakes_blocked_select)
{
    cr_assert_eq(goc_run(body_block_close, 0, NULL), 0);
}

/* select {} and an all-nil blocking select never return. */
static void select_forever(void *arg)
{
    int x;
    if (*(int *)arg) {
        goc_select(NULL, 0, 1);
    } else {
        goc_select_case cs[2] = {rcase(NULL, &x), scase(NULL, &x)};
        goc_select(cs, 2, 1);
    }
    atomic_store(&flag, 1);
}

static int body_forever(int argc, char **argv)
{
    (void)argc, (void)argv;
    int one = 1, zero = 0;
    atomic_store(&flag, 0);
    goc_go(select_forever, &one, sizeof one);
    goc_go(select_forever, &zero, sizeof zero);
    yield_n(2000);
    CHECK_EQ(atomic_load(&flag), 0);
    return 0;
}

Test(select, empty_and_all_nil_block_forever)
{
    cr_assert_eq(goc_run(body_forever, 0, NULL), 0);
}

/* ---- woken exactly once ---------------------------------------------------
 * Selectors block on four unbuffered channels while senders push unique
 * values into all of them.  A select woken twice would swallow a value (its
 * sender believes it delivered), so every value must be seen exactly once.
 * Each channel is closed after its senders finish, and a selector disables
 * a closed channel by setting its case to nil. */

#define EX_SELECTORS 6
#define EX_PER_CHAN 3000
static atomic_uchar seen[4 * EX_PER_CHAN];
static atomic_int ex_done, ex_dups, ex_total;

static void ex_selector(void *arg)
{
    (void)arg;
    int v, live = 4;
    goc_select_case cs[4];
    for (int i = 0; i < 4; i++)
        cs[i] = rcase(chs[i], &v);
    while (live > 0) {
        int k = goc_select(cs, 4, 1);
        if (!cs[k].ok) {
            cs[k].chan = NULL;
            live--;
            continue;
        }
        if (atomic_fetch_add(&seen[v], 1) != 0)
            atomic_fetch_add(&ex_dups, 1);
        atomic_fetch_add(&ex_total, 1);
    }
    atomic_fetch_add(&ex_done, 1);
}

static void ex_sender(void *arg)
{
    int c = *(int *)arg;
    for (int i = 0; i < EX_PER_CHAN; i++) {
        int v = c * EX_PER_CHAN + i;
        goc_chan_send(chs[c], &v);
    }
    goc_chan_close(chs[c]);
}

static int body_exactly_once(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (int i = 0; i < 4; i++)
        chs[i] = goc_chan_make(sizeof(int), 0);
    for (int i = 0; i < EX_SELECTORS; i++)
        goc_go(ex_selector, NULL, 0);
    for (int c = 0; c < 4; c++)
        goc_go(ex_sender, &c, sizeof c);
    while (atomic_load(&ex_done) < EX_SELECTORS)
        goc_yield();
    CHECK_EQ(atomic_load(&ex_dups), 0);
    CHECK_EQ(atomic_load(&ex_total), 4 * EX_PER_CHAN);
    for (int i = 0; i < 4 * EX_PER_CHAN; i++)
        CHECK_EQ(atomic_load(&seen[i]), 1);
    return 0;
}

Test(select, blocked_select_woken_exactly_once)
{
    cr_assert_eq(goc_run(body_exactly_once, 0, NULL), 0);
}

/* The same channel in several cases, sending and receiving. */
static void drain_n(void *arg)
{
    int n = *(int *)arg, v;
    for (int i = 0; i < n; i++)
        goc_chan_recv(chs[0], &v);
    atomic_store(&flag, 1);
}

static int body_same_chan(int argc, char **argv)
{
    (void)argc, (void)argv;
    int n = 500, got, out = 9;
    chs[0] = goc_chan_make(sizeof(int), 0);
    atomic_store(&flag, 0);
    goc_go(drain_n, &n, sizeof n);
    for (int i = 0; i < n; i++) {
        goc_select_case cs[3] = {rcase(chs[0], &got), scase(chs[0], &out),
                                 rcase(chs[0], &got)};
        CHECK_EQ(goc_select(cs, 3, 1), 1); /* only the drainer can match */
    }
    while (!atomic_load(&flag))
        goc_yield();
    return 0;
}

Test(select, same_channel_in_several_cases)
{
    cr_assert_eq(goc_run(body_same_chan, 0, NULL), 0);
}

/* More cases than fit the on-stack scratch space. */
#define MANY 300
static goc_chan *many[MANY];

static void send_to_many(void *arg)
{
    int k = *(int *)arg;
    yield_n(100);
    goc_chan_send(many[k], &k);
}

static int body_many(int argc, char **argv)
{
    (void)argc, (void)argv;
    static goc_select_case cs[MANY];
    int got = -1;
    for (int i = 0; i < MANY; i++) {
        many[i] = goc_chan_make(sizeof(int), 0);
        cs[i] = rcase(many[i], &got);
    }
    CHECK_EQ(goc_select(cs, MANY, 0), -1);
    for (int k = 7; k < MANY; k += 97) {
        goc_go(send_to_many, &k, sizeof k);
        CHECK_EQ(goc_select(cs, MANY, 1), k);
        CHECK_EQ(got, k);
    }
    return 0;
}

/* Many cases, few of them live: the large-array path with a small select. */
static int body_many_mostly_nil(int argc, char **argv)
{
    (void)argc, (void)argv;
    static goc_select_case cs[MANY];
    int got = -1, v = 31;
    goc_chan *a = goc_chan_make(sizeof(int), 1);
    goc_chan *b = goc_chan_make(sizeof(int), 1);
    for (int i = 0; i < MANY; i++)
        cs[i] = rcase(NULL, &got);
    cs[10] = rcase(a, &got);
    cs[250] = rcase(b, &got);
    CHECK_EQ(goc_select(cs, MANY, 0), -1);
    goc_chan_send(b, &v);
    CHECK_EQ(goc_select(cs, MANY, 1), 250);
    CHECK_EQ(got, 31);
    cs[250].chan = NULL;
    goc_chan_send(a, &v);
    CHECK_EQ(goc_select(cs, MANY, 0), 10); /* one live case */
    return 0;
}

Test(select, many_cases_mostly_nil)
{
    cr_assert_eq(goc_run(body_many_mostly_nil, 0, NULL), 0);
}

Test(select, hundreds_of_cases)
{
    cr_assert_eq(goc_run(body_many, 0, NULL), 0);
}

/* ---- panics ------------------------------------------------------------ */

static const goc_loc here = {"select_test.goc", 17};

static int body_send_closed(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v = 1;
    goc_chan *a = goc_chan_make(sizeof(int), 0);
    goc_chan *b = goc_chan_make(sizeof(int), 0);
    goc_chan_close(b);
    goc_select_case cs[2] = {rcase(a, &v), scase(b, &v)};
    goc_select_at(cs, 2, 0, &here);
    return 0;
}

static void close_chs0_later(void *arg)
{
    (void)arg;
    yield_n(200);
    goc_chan_close(chs[0]);
}

static int body_blocked_send_closed(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v = 1;
    chs[0] = goc_chan_make(sizeof(int), 0);
    chs[1] = goc_chan_make(sizeof(int), 0);
    goc_go(close_chs0_later, NULL, 0);
    goc_select_case cs[2] = {scase(chs[0], &v), rcase(chs[1], &v)};
    goc_select_at(cs, 2, 1, &here);
    return 0;
}

Test(select, send_case_on_closed_channel_panics)
{
    expect_panic(body_send_closed, "send on closed channel",
                 "select_test.goc:17");
    expect_panic(body_blocked_send_closed, "send on closed channel",
                 "select_test.goc:17");
}

static int body_deadlock(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v;
    goc_chan *a = goc_chan_make(sizeof(int), 0);
    goc_chan *b = goc_chan_make(sizeof(int), 0);
    goc_select_case cs[2] = {rcase(a, &v), scase(b, &v)};
    goc_select_at(cs, 2, 1, &here);
    return 0;
}

static int body_deadlock_empty(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_select_at(NULL, 0, 1, &here);
    return 0;
}

Test(select, blocked_forever_is_a_deadlock)
{
    expect_panic(body_deadlock, "all coroutines are asleep - deadlock!",
                 "select_test.goc:17");
    expect_panic(body_deadlock_empty, "all coroutines are asleep - deadlock!",
                 "select_test.goc:17");
}
