/*
 * test_chan.c - channels through the public API: every row of
 * docs/language.md §3 (make, send, receive, receive with ok, close, len,
 * cap, range), for unbuffered, buffered, nil and closed channels, and the
 * panics.
 *
 * Each Test runs its body as a goc program with goc_run; bodies reach their
 * data through file-scope variables.  Panics run in a forked child whose
 * stderr and exit status are checked.
 */
#include <criterion/criterion.h>
#include <goc.h>

#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "goc_test.h"

static goc_chan *ch;
static atomic_int flag;

static void yield_n(int n)
{
    for (int i = 0; i < n; i++)
        goc_yield();
}

/* ---- make, len, cap --------------------------------------------------- */

static int body_make(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_chan *u = goc_chan_make(sizeof(int), 0);
    goc_chan *b = goc_chan_make(sizeof(int), 3);
    CHECK_EQ(goc_chan_cap(u), 0);
    CHECK_EQ(goc_chan_len(u), 0);
    CHECK_EQ(goc_chan_cap(b), 3);
    CHECK_EQ(goc_chan_len(b), 0);
    CHECK_EQ(goc_chan_cap(NULL), 0);
    CHECK_EQ(goc_chan_len(NULL), 0);
    int v = 5;
    goc_chan_send(b, &v);
    goc_chan_send(b, &v);
    CHECK_EQ(goc_chan_len(b), 2);
    goc_chan_recv(b, NULL);
    CHECK_EQ(goc_chan_len(b), 1);
    goc_chan_free(u);
    goc_chan_free(b);
    return 0;
}

Test(chan, make_len_cap)
{
    cr_assert_eq(goc_run(body_make, 0, NULL), 0);
}

/* ---- unbuffered -------------------------------------------------------- */

static void sender_seq(void *arg)
{
    int n = *(int *)arg;
    for (int i = 0; i < n; i++)
        goc_chan_send(ch, &i);
    atomic_store(&flag, 1);
}

static int body_unbuffered_order(int argc, char **argv)
{
    (void)argc, (void)argv;
    int n = 2000, v;
    ch = goc_chan_make(sizeof(int), 0);
    goc_go(sender_seq, &n, sizeof n);
    for (int i = 0; i < n; i++) {
        CHECK_EQ(goc_chan_recv(ch, &v), 1);
        CHECK_EQ(v, i);
    }
    return 0;
}

Test(chan, unbuffered_delivers_in_order)
{
    cr_assert_eq(goc_run(body_unbuffered_order, 0, NULL), 0);
}

static void send_one(void *arg)
{
    goc_chan_send(ch, arg);
    atomic_store(&flag, 1);
}

static int body_unbuffered_blocks(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v = 42, got = 0;
    ch = goc_chan_make(sizeof(int), 0);
    atomic_store(&flag, 0);
    goc_go(send_one, &v, sizeof v);
    yield_n(2000);
    CHECK_EQ(atomic_load(&flag), 0, "send completed with no receiver");
    CHECK_EQ(goc_chan_recv(ch, &got), 1);
    CHECK_EQ(got, 42);
    while (!atomic_load(&flag))
        goc_yield();
    return 0;
}

Test(chan, unbuffered_send_blocks_until_received)
{
    cr_assert_eq(goc_run(body_unbuffered_blocks, 0, NULL), 0);
}

static void recv_one(void *arg)
{
    (void)arg;
    int v = 0;
    goc_chan_recv(ch, &v);
    atomic_store(&flag, v);
}

static int body_recv_blocks(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v = 7;
    ch = goc_chan_make(sizeof(int), 0);
    atomic_store(&flag, 0);
    goc_go(recv_one, NULL, 0);
    yield_n(2000);
    CHECK_EQ(atomic_load(&flag), 0, "receive completed with no sender");
    goc_chan_send(ch, &v);
    while (atomic_load(&flag) != 7)
        goc_yield();
    return 0;
}

Test(chan, unbuffered_recv_blocks_until_sent)
{
    cr_assert_eq(goc_run(body_recv_blocks, 0, NULL), 0);
}

/* ---- buffered ---------------------------------------------------------- */

static int body_buffered(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v;
    ch = goc_chan_make(sizeof(int), 4);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(goc_chan_trysend(ch, &i), 1, "room in the buffer");
    v = 99;
    CHECK_EQ(goc_chan_trysend(ch, &v), 0, "buffer full");
    CHECK_EQ(goc_chan_len(ch), 4);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(goc_chan_recv(ch, &v), 1);
        CHECK_EQ(v, i);
        CHECK_EQ(goc_chan_len(ch), 3 - i);
    }
    int ok = 5;
    CHECK_EQ(goc_chan_tryrecv(ch, &v, &ok), 0, "empty");
    CHECK_EQ(ok, 5, "ok untouched when it would block");
    return 0;
}

Test(chan, buffered_fifo_and_capacity)
{
    cr_assert_eq(goc_run(body_buffered, 0, NULL), 0);
}

/* A sender parked on a full buffer: the receiver takes the head and the
 * parked value moves into the buffer's tail. */
static int body_buffered_full(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v, three = 3;
    ch = goc_chan_make(sizeof(int), 2);
    atomic_store(&flag, 0);
    v = 1;
    goc_chan_send(ch, &v);
    v = 2;
    goc_chan_send(ch, &v);
    goc_go(send_one, &three, sizeof three);
    yield_n(2000);
    CHECK_EQ(atomic_load(&flag), 0, "send to a full buffer completed");
    for (int want = 1; want <= 3; want++) {
        CHECK_EQ(goc_chan_recv(ch, &v), 1);
        CHECK_EQ(v, want);
    }
    while (!atomic_load(&flag))
        goc_yield();
    CHECK_EQ(goc_chan_len(ch), 0);
    return 0;
}

Test(chan, buffered_full_sender_hands_off)
{
    cr_assert_eq(goc_run(body_buffered_full, 0, NULL), 0);
}

/* ---- element sizes ------------------------------------------------------ */

typedef struct big {
    unsigned char bytes[1000];
    int seq;
} big;

static void send_big(void *arg)
{
    (void)arg;
    big b;
    for (int i = 0; i < 50; i++) {
        memset(b.bytes, i, sizeof b.bytes);
        b.seq = i;
        goc_chan_send(ch, &b);
    }
}

static int check_big(long cap)
{
    big b;
    ch = goc_chan_make(sizeof(big), cap);
    goc_go(send_big, NULL, 0);
    for (int i = 0; i < 50; i++) {
        CHECK_EQ(goc_chan_recv(ch, &b), 1);
        CHECK_EQ(b.seq, i);
        for (size_t k = 0; k < sizeof b.bytes; k++)
            CHECK_EQ(b.bytes[k], (unsigned char)i);
    }
    return 0;
}

static int body_big(int argc, char **argv)
{
    (void)argc, (void)argv;
    check_big(0);
    check_big(3);
    /* Zero-size elements still count. */
    goc_chan *z = goc_chan_make(0, 2);
    CHECK_EQ(goc_chan_trysend(z, NULL), 1);
    CHECK_EQ(goc_chan_trysend(z, NULL), 1);
    CHECK_EQ(goc_chan_trysend(z, NULL), 0);
    CHECK_EQ(goc_chan_len(z), 2);
    CHECK_EQ(goc_chan_recv(z, NULL), 1);
    CHECK_EQ(goc_chan_len(z), 1);
    return 0;
}

Test(chan, elements_of_any_size)
{
    cr_assert_eq(goc_run(body_big, 0, NULL), 0);
}

/* ---- close ------------------------------------------------------------- */

static int body_close_drain(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v, ok;
    ch = goc_chan_make(sizeof(int), 3);
    v = 10;
    goc_chan_send(ch, &v);
    v = 11;
    goc_chan_send(ch, &v);
    goc_chan_close(ch);
    CHECK_EQ(goc_chan_len(ch), 2);
    CHECK_EQ(goc_chan_recv(ch, &v), 1);
    CHECK_EQ(v, 10);
    CHECK_EQ(goc_chan_recv(ch, &v), 1);
    CHECK_EQ(v, 11);
    for (int i = 0; i < 3; i++) {
        v = -1;
        CHECK_EQ(goc_chan_recv(ch, &v), 0, "closed and drained");
        CHECK_EQ(v, 0, "zero value");
    }
    v = -1;
    ok = 9;
    CHECK_EQ(goc_chan_tryrecv(ch, &v, &ok), 1);
    CHECK_EQ(ok, 0);
    CHECK_EQ(v, 0);
    /* Unbuffered: closed yields zero at once. */
    goc_chan *u = goc_chan_make(sizeof(int), 0);
    goc_chan_close(u);
    v = -1;
    CHECK_EQ(goc_chan_recv(u, &v), 0);
    CHECK_EQ(v, 0);
    return 0;
}

Test(chan, closed_drains_then_yields_zero)
{
    cr_assert_eq(goc_run(body_close_drain, 0, NULL), 0);
}

static atomic_int woken, woken_ok;

static void recv_until_closed(void *arg)
{
    (void)arg;
    int v = -1;
    int ok = goc_chan_recv(ch, &v);
    if (!ok && v == 0)
        atomic_fetch_add(&woken_ok, 1);
    atomic_fetch_add(&woken, 1);
}

static int body_close_wakes(int argc, char **argv)
{
    (void)argc, (void)argv;
    ch = goc_chan_make(sizeof(int), 0);
    atomic_store(&woken, 0);
    atomic_store(&woken_ok, 0);
    for (int i = 0; i < 10; i++)
        goc_go(recv_until_closed, NULL, 0);
    yield_n(1000);
    CHECK_EQ(atomic_load(&woken), 0);
    goc_chan_close(ch);
    while (atomic_load(&woken) < 10)
        goc_yield();
    CHECK_EQ(atomic_load(&woken_ok), 10);
    return 0;
}

Test(chan, close_wakes_every_receiver)
{
    cr_assert_eq(goc_run(body_close_wakes, 0, NULL), 0);
}

/* for (T v : c): receive until closed and drained. */
static void produce_closed(void *arg)
{
    int n = *(int *)arg;
    for (int i = 1; i <= n; i++)
        goc_chan_send(ch, &i);
    goc_chan_close(ch);
}

static int body_range(int argc, char **argv)
{
    (void)argc, (void)argv;
    int n = 500, v, count = 0;
    long sum = 0;
    ch = goc_chan_make(sizeof(int), 7);
    goc_go(produce_closed, &n, sizeof n);
    while (goc_chan_recv(ch, &v)) {
        sum += v;
        count++;
    }
    CHECK_EQ(count, n);
    CHECK_EQ(sum, (long)n * (n + 1) / 2);
    return 0;
}

Test(chan, range_until_closed)
{
    cr_assert_eq(goc_run(body_range, 0, NULL), 0);
}

/* ---- nil channels -------------------------------------------------------- */

static void nil_ops(void *arg)
{
    int v = 1;
    if (*(int *)arg)
        goc_chan_send(NULL, &v);
    else
        goc_chan_recv(NULL, &v);
    atomic_store(&flag, 1); /* never reached */
}

static int body_nil(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v = 3, ok = 4, one = 1, zero = 0;
    atomic_store(&flag, 0);
    goc_go(nil_ops, &one, sizeof one);
    goc_go(nil_ops, &zero, sizeof zero);
    yield_n(2000);
    CHECK_EQ(atomic_load(&flag), 0, "nil channel operation completed");
    CHECK_EQ(goc_chan_trysend(NULL, &v), 0);
    CHECK_EQ(goc_chan_tryrecv(NULL, &v, &ok), 0);
    CHECK_EQ(v, 3);
    CHECK_EQ(ok, 4);
    return 0;
}

Test(chan, nil_blocks_forever)
{
    cr_assert_eq(goc_run(body_nil, 0, NULL), 0);
}

/* ---- non-blocking forms -------------------------------------------------- */

static int body_try(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v = 5;
    ch = goc_chan_make(sizeof(int), 0);
    CHECK_EQ(goc_chan_trysend(ch, &v), 0, "no receiver");
    CHECK_EQ(goc_chan_tryrecv(ch, &v, NULL), 0, "no sender");
    atomic_store(&flag, 0);
    goc_go(recv_one, NULL, 0);
    /* Once the receiver parks, trysend hands off to it. */
    while (!goc_chan_trysend(ch, &v))
        goc_yield();
    while (atomic_load(&flag) != 5)
        goc_yield();
    int w = 6;
    goc_go(send_one, &w, sizeof w);
    int got = 0, ok = 0;
    while (!goc_chan_tryrecv(ch, &got, &ok))
        goc_yield();
    CHECK_EQ(got, 6);
    CHECK_EQ(ok, 1);
    return 0;
}

Test(chan, trysend_tryrecv)
{
    cr_assert_eq(goc_run(body_try, 0, NULL), 0);
}

/* ---- many senders and receivers ------------------------------------------ */

#define MS_SENDERS 4
#define MS_PER 2000
static atomic_long ms_sum;
static atomic_int ms_done;

static atomic_int ms_sent;

static void ms_send(void *arg)
{
    int base = *(int *)arg * MS_PER;
    for (int i = 0; i < MS_PER; i++) {
        int v = base + i;
        goc_chan_send(ch, &v);
    }
    atomic_fetch_add(&ms_sent, 1);
}

static void ms_recv(void *arg)
{
    (void)arg;
    int v;
    long s = 0;
    while (goc_chan_recv(ch, &v))
        s += v;
    atomic_fetch_add(&ms_sum, s);
    atomic_fetch_add(&ms_done, 1);
}

static int body_many(int argc, char **argv)
{
    (void)argc, (void)argv;
    long n = (long)MS_SENDERS * MS_PER;
    for (int cap = 0; cap <= 16; cap += 16) {
        ch = goc_chan_make(sizeof(int), cap);
        atomic_store(&ms_sum, 0);
        atomic_store(&ms_done, 0);
        atomic_store(&ms_sent, 0);
        for (int r = 0; r < 3; r++)
            goc_go(ms_recv, NULL, 0);
        for (int s = 0; s < MS_SENDERS; s++)
            goc_go(ms_send, &s, sizeof s);
        while (atomic_load(&ms_sent) < MS_SENDERS)
            goc_yield();
        goc_chan_close(ch); /* buffered values still drain to receivers */
        while (atomic_load(&ms_done) < 3)
            goc_yield();
        CHECK_EQ(atomic_load(&ms_sum), n * (n - 1) / 2, "cap %d", cap);
    }
    return 0;
}

Test(chan, many_senders_many_receivers)
{
    cr_assert_eq(goc_run(body_many, 0, NULL), 0);
}

/* ---- panics -------------------------------------------------------------- */

static const goc_loc here = {"chan_test.goc", 42};

static int body_send_closed(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v = 1;
    goc_chan *c = goc_chan_make(sizeof(int), 1);
    goc_chan_close(c);
    goc_chan_send_at(c, &v, &here);
    return 0;
}

static int body_close_closed(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_chan *c = goc_chan_make(sizeof(int), 0);
    goc_chan_close(c);
    goc_chan_close_at(c, &here);
    return 0;
}

static int body_close_nil(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_chan_close_at(NULL, &here);
    return 0;
}

static int body_make_negative(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_chan_make_at(sizeof(int), -1, &here);
    return 0;
}

static int body_trysend_closed(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v = 1;
    goc_chan *c = goc_chan_make(sizeof(int), 0);
    goc_chan_close(c);
    goc_chan_trysend_at(c, &v, &here);
    return 0;
}

static void blocked_sender(void *arg)
{
    (void)arg;
    int v = 1;
    goc_chan_send_at(ch, &v, &here);
}

static int body_close_wakes_sender(int argc, char **argv)
{
    (void)argc, (void)argv;
    ch = goc_chan_make(sizeof(int), 0);
    goc_go(blocked_sender, NULL, 0);
    yield_n(1000);
    goc_chan_close(ch);
    for (;;)
        goc_yield(); /* the sender's panic ends the process */
    return 0;
}

Test(chan, panics)
{
    expect_panic(body_send_closed, "send on closed channel", "chan_test.goc:42");
    expect_panic(body_trysend_closed, "send on closed channel",
                 "chan_test.goc:42");
    expect_panic(body_close_closed, "close of closed channel",
                 "chan_test.goc:42");
    expect_panic(body_close_nil, "close of nil channel", "chan_test.goc:42");
    expect_panic(body_make_negative, "makechan: size out of range",
                 "chan_test.goc:42");
    expect_panic(body_close_wakes_sender, "send on closed channel",
                 "chan_test.goc:42");
}

/* ---- deadlock ------------------------------------------------------------ */

static const goc_loc recv_site = {"deadlock_test.goc", 7};

static int body_deadlock(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v;
    goc_chan *c = goc_chan_make(sizeof(int), 1);
    goc_chan_recv_at(c, &v, &recv_site); /* nobody will ever send */
    return 0;
}

static int body_deadlock_nil(int argc, char **argv)
{
    (void)argc, (void)argv;
    int v = 0;
    goc_chan_send_at(NULL, &v, &recv_site);
    return 0;
}

Test(chan, blocked_forever_is_a_deadlock)
{
    expect_panic(body_deadlock, "all coroutines are asleep - deadlock!",
                 "deadlock_test.goc:7");
    expect_panic(body_deadlock_nil, "all coroutines are asleep - deadlock!",
                 "deadlock_test.goc:7");
}
