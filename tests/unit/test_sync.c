/*
 * test_sync.c - mutex, rwmutex, cond, sema, waitgroup and once, all used
 * zero-initialised (but the semaphore's count), through the public API.
 */
#include "goc_test.h"

#include <stdatomic.h>
#include <stdlib.h>

static void yield_n(int n)
{
    for (int i = 0; i < n; i++)
        goc_yield();
}

/* Wait (cooperatively) until *c reaches n. */
static void await(atomic_int *c, int n)
{
    while (atomic_load(c) < n)
        goc_yield();
}

/* ---- mutex -------------------------------------------------------------- */

static goc_mutex mu;
static long counter; /* guarded by mu, deliberately not atomic */
static atomic_int inside, overlap, finished;

#define MX_WORKERS 8
#define MX_ITERS 3000

static void mx_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < MX_ITERS; i++) {
        goc_mutex_lock(&mu);
        if (atomic_fetch_add(&inside, 1) != 0)
            atomic_fetch_add(&overlap, 1);
        long c = counter;
        if (i % 64 == 0)
            goc_yield(); /* hold the lock across a switch now and then */
        counter = c + 1;
        atomic_fetch_sub(&inside, 1);
        goc_mutex_unlock(&mu);
    }
    atomic_fetch_add(&finished, 1);
}

static int body_mutex(int argc, char **argv)
{
    (void)argc, (void)argv;
    CHECK_EQ(goc_mutex_trylock(&mu), 1);
    CHECK_EQ(goc_mutex_trylock(&mu), 0);
    goc_mutex_unlock(&mu);
    for (int i = 0; i < MX_WORKERS; i++)
        goc_go(mx_worker, NULL, 0);
    await(&finished, MX_WORKERS);
    CHECK_EQ(atomic_load(&overlap), 0);
    CHECK_EQ(counter, (long)MX_WORKERS * MX_ITERS);
    CHECK_EQ(goc_mutex_trylock(&mu), 1);
    goc_mutex_unlock(&mu);
    return 0;
}

Test(sync, mutex_mutual_exclusion)
{
    cr_assert_eq(goc_run(body_mutex, 0, NULL), 0);
}

/* With one worker, a coroutine blocked on a mutex must not block the
 * worker: the holder still runs and releases it. */
static atomic_int mx_got;

static void mx_blocked(void *arg)
{
    (void)arg;
    goc_mutex_lock(&mu);
    atomic_store(&mx_got, 1);
    goc_mutex_unlock(&mu);
}

static int body_mutex_one_worker(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_mutex_lock(&mu);
    goc_go(mx_blocked, NULL, 0);
    yield_n(500);
    CHECK_EQ(atomic_load(&mx_got), 0);
    goc_mutex_unlock(&mu);
    while (!atomic_load(&mx_got))
        goc_yield();
    return 0;
}

Test(sync, mutex_blocks_coroutine_not_worker)
{
    setenv("GOC_PROCS", "1", 1);
    cr_assert_eq(goc_run(body_mutex_one_worker, 0, NULL), 0);
}

/* ---- rwmutex ----------------------------------------------------------- */

static goc_rwmutex rw;
static atomic_int readers_in, writers_in, rw_bad, rw_started;

static void two_readers(void *arg)
{
    (void)arg;
    goc_rwmutex_rlock(&rw);
    atomic_fetch_add(&readers_in, 1);
    await(&readers_in, 2); /* both hold the read lock at once */
    atomic_fetch_add(&finished, 1);
    goc_rwmutex_runlock(&rw);
}

static int body_rw_shared(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_go(two_readers, NULL, 0);
    goc_go(two_readers, NULL, 0);
    await(&finished, 2);
    goc_rwmutex_lock(&rw); /* free again */
    goc_rwmutex_unlock(&rw);
    return 0;
}

Test(sync, rwmutex_readers_share)
{
    cr_assert_eq(goc_run(body_rw_shared, 0, NULL), 0);
}

#define RW_ITERS 2000

static void rw_reader(void *arg)
{
    (void)arg;
    for (int i = 0; i < RW_ITERS; i++) {
        goc_rwmutex_rlock(&rw);
        atomic_fetch_add(&readers_in, 1);
        if (atomic_load(&writers_in) != 0)
            atomic_fetch_add(&rw_bad, 1);
        if (i % 32 == 0)
            goc_yield();
        atomic_fetch_sub(&readers_in, 1);
        goc_rwmutex_runlock(&rw);
    }
    atomic_fetch_add(&finished, 1);
}

static void rw_writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < RW_ITERS / 4; i++) {
        goc_rwmutex_lock(&rw);
        if (atomic_fetch_add(&writers_in, 1) != 0 ||
            atomic_load(&readers_in) != 0)
            atomic_fetch_add(&rw_bad, 1);
        counter++;
        if (i % 16 == 0)
            goc_yield();
        atomic_fetch_sub(&writers_in, 1);
        goc_rwmutex_unlock(&rw);
    }
    atomic_fetch_add(&finished, 1);
}

static int body_rw_exclusive(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (int i = 0; i < 4; i++)
        goc_go(rw_reader, NULL, 0);
    for (int i = 0; i < 3; i++)
        goc_go(rw_writer, NULL, 0);
    await(&finished, 7);
    CHECK_EQ(atomic_load(&rw_bad), 0);
    CHECK_EQ(counter, 3L * (RW_ITERS / 4));
    return 0;
}

Test(sync, rwmutex_writers_exclusive)
{
    cr_assert_eq(goc_run(body_rw_exclusive, 0, NULL), 0);
}

/* Writer preference: once a writer waits, a new reader waits behind it. */
static atomic_int order_log[3], order_n;

static void pref_writer(void *arg)
{
    (void)arg;
    atomic_fetch_add(&rw_started, 1);
    goc_rwmutex_lock(&rw);
    atomic_store(&order_log[atomic_fetch_add(&order_n, 1)], 'W');
    goc_rwmutex_unlock(&rw);
}

static void pref_reader(void *arg)
{
    (void)arg;
    goc_rwmutex_rlock(&rw);
    atomic_store(&order_log[atomic_fetch_add(&order_n, 1)], 'R');
    goc_rwmutex_runlock(&rw);
}

static int body_rw_pref(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_rwmutex_rlock(&rw); /* the first reader holds it */
    goc_go(pref_writer, NULL, 0);
    await(&rw_started, 1);
    yield_n(300); /* the writer is now queued */
    goc_go(pref_reader, NULL, 0);
    yield_n(300);
    CHECK_EQ(atomic_load(&order_n), 0); /* neither got in */
    goc_rwmutex_runlock(&rw);
    while (atomic_load(&order_n) < 2)
        goc_yield();
    CHECK_EQ(atomic_load(&order_log[0]), 'W');
    CHECK_EQ(atomic_load(&order_log[1]), 'R');
    return 0;
}

Test(sync, rwmutex_prefers_waiting_writer)
{
    cr_assert_eq(goc_run(body_rw_pref, 0, NULL), 0);
}

/* ---- cond --------------------------------------------------------------- */

static goc_cond cv;
static int queue_items; /* guarded by mu */
static atomic_int consumed, woken;

#define CV_ITEMS 2000

static void cv_consumer(void *arg)
{
    (void)arg;
    for (;;) {
        goc_mutex_lock(&mu);
        while (queue_items == 0 && atomic_load(&consumed) < CV_ITEMS)
            goc_cond_wait(&cv, &mu);
        if (queue_items == 0) {
            goc_mutex_unlock(&mu);
            break;
        }
        queue_items--;
        atomic_fetch_add(&consumed, 1);
        goc_mutex_unlock(&mu);
    }
    atomic_fetch_add(&finished, 1);
}

static int body_cond(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (int i = 0; i < 3; i++)
        goc_go(cv_consumer, NULL, 0);
    for (int i = 0; i < CV_ITEMS; i++) {
        goc_mutex_lock(&mu);
        queue_items++;
        goc_cond_signal(&cv);
        goc_mutex_unlock(&mu);
        if (i % 8 == 0)
            goc_yield();
    }
    /* Once everything is consumed, wake everyone so they see the end. */
    while (atomic_load(&consumed) < CV_ITEMS)
        goc_yield();
    goc_mutex_lock(&mu);
    goc_cond_broadcast(&cv);
    goc_mutex_unlock(&mu);
    await(&finished, 3);
    CHECK_EQ(queue_items, 0);
    return 0;
}

Test(sync, cond_signal_producer_consumer)
{
    cr_assert_eq(goc_run(body_cond, 0, NULL), 0);
}

static int go_flag; /* guarded by mu */

static void cv_waiter(void *arg)
{
    (void)arg;
    goc_mutex_lock(&mu);
    atomic_fetch_add(&rw_started, 1);
    while (!go_flag)
        goc_cond_wait(&cv, &mu);
    atomic_fetch_add(&woken, 1);
    goc_mutex_unlock(&mu);
}

static int body_broadcast(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (int i = 0; i < 10; i++)
        goc_go(cv_waiter, NULL, 0);
    await(&rw_started, 10);
    yield_n(200);
    CHECK_EQ(atomic_load(&woken), 0);
    goc_mutex_lock(&mu);
    go_flag = 1;
    goc_cond_broadcast(&cv);
    goc_mutex_unlock(&mu);
    await(&woken, 10);
    return 0;
}

Test(sync, cond_broadcast_wakes_all)
{
    cr_assert_eq(goc_run(body_broadcast, 0, NULL), 0);
}

/* ---- sema --------------------------------------------------------------- */

static goc_sema sem;
static atomic_int sem_in, sem_max;

static void sem_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 500; i++) {
        goc_sema_acquire(&sem);
        int n = atomic_fetch_add(&sem_in, 1) + 1;
        int m = atomic_load(&sem_max);
        while (n > m && !atomic_compare_exchange_weak(&sem_max, &m, n))
            ;
        if (i % 8 == 0)
            goc_yield();
        atomic_fetch_sub(&sem_in, 1);
        goc_sema_release(&sem);
    }
    atomic_fetch_add(&finished, 1);
}

static int body_sema(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_sema zero = {0};
    CHECK_EQ(goc_sema_tryacquire(&zero), 0);
    goc_sema_release(&zero);
    CHECK_EQ(goc_sema_tryacquire(&zero), 1);
    goc_sema_init(&sem, 2);
    CHECK_EQ(goc_sema_tryacquire(&sem), 1);
    goc_sema_acquire(&sem);
    CHECK_EQ(goc_sema_tryacquire(&sem), 0);
    goc_sema_release(&sem);
    goc_sema_release(&sem);
    goc_sema_init(&sem, 3);
    for (int i = 0; i < 8; i++)
        goc_go(sem_worker, NULL, 0);
    await(&finished, 8);
    CHECK(atomic_load(&sem_max) <= 3);
    CHECK(atomic_load(&sem_max) >= 1);
    /* All three units are back. */
    for (int i = 0; i < 3; i++)
        CHECK_EQ(goc_sema_tryacquire(&sem), 1);
    CHECK_EQ(goc_sema_tryacquire(&sem), 0);
    return 0;
}

Test(sync, sema_counts)
{
    cr_assert_eq(goc_run(body_sema, 0, NULL), 0);
}

/* ---- waitgroup ------------------------------------------------------------- */

static goc_waitgroup wg;
static atomic_int wg_work;

static void wg_worker(void *arg)
{
    int n = *(int *)arg;
    yield_n(n % 50);
    atomic_fetch_add(&wg_work, 1);
    goc_waitgroup_done(&wg);
}

static void wg_waiter(void *arg)
{
    (void)arg;
    goc_waitgroup_wait(&wg);
    if (atomic_load(&wg_work) != 200)
        atomic_fetch_add(&rw_bad, 1);
    atomic_fetch_add(&finished, 1);
}

static int body_waitgroup(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_waitgroup empty = {0};
    goc_waitgroup_wait(&empty); /* zero: returns at once */
    goc_waitgroup_add(&wg, 200);
    for (int i = 0; i < 3; i++)
        goc_go(wg_waiter, NULL, 0);
    for (int i = 0; i < 200; i++)
        goc_go(wg_worker, &i, sizeof i);
    goc_waitgroup_wait(&wg);
    CHECK_EQ(atomic_load(&wg_work), 200);
    await(&finished, 3);
    CHECK_EQ(atomic_load(&rw_bad), 0);
    return 0;
}

Test(sync, waitgroup_waits_for_all)
{
    cr_assert_eq(goc_run(body_waitgroup, 0, NULL), 0);
}

/* Reuse round after round: a wait that returned on the fast path, followed
 * by the next round's add and wait, must not be woken by the previous
 * round's last done (which may still be on its way to the wake). */
static atomic_int round_done;

static void round_worker(void *arg)
{
    (void)arg;
    atomic_fetch_add(&round_done, 1);
    goc_waitgroup_done(&wg);
}

static int body_wg_rounds(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_waitgroup_wait(&wg);
    for (int r = 1; r <= 3000; r++) {
        goc_waitgroup_add(&wg, 2);
        goc_go(round_worker, NULL, 0);
        goc_go(round_worker, NULL, 0);
        if (r % 3 == 0)
            goc_yield(); /* let some rounds finish before the wait */
        goc_waitgroup_wait(&wg);
        CHECK_EQ(atomic_load(&round_done), 2 * r);
    }
    return 0;
}

Test(sync, waitgroup_reused_round_after_round)
{
    cr_assert_eq(goc_run(body_wg_rounds, 0, NULL), 0);
}

static int body_wg_negative(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_waitgroup w = {0};
    goc_waitgroup_add(&w, 1);
    goc_waitgroup_done(&w);
    goc_waitgroup_done(&w);
    return 0;
}

Test(sync, waitgroup_negative_counter_panics)
{
    expect_panic(body_wg_negative, "panic: sync: negative WaitGroup counter");
}

/* ---- once --------------------------------------------------------------- */

static goc_once once;
static atomic_int once_runs, once_seen;
static int once_value; /* written by the once function only */

static void once_fn(void *arg)
{
    atomic_fetch_add(&once_runs, 1);
    yield_n(50); /* others arrive while it runs */
    once_value = *(int *)arg;
}

static void once_caller(void *arg)
{
    (void)arg;
    int v = 1234;
    goc_once_do(&once, once_fn, &v);
    if (once_value == 1234)
        atomic_fetch_add(&once_seen, 1);
    atomic_fetch_add(&finished, 1);
}

static int body_once(int argc, char **argv)
{
    (void)argc, (void)argv;
    for (int i = 0; i < 10; i++)
        goc_go(once_caller, NULL, 0);
    await(&finished, 10);
    CHECK_EQ(atomic_load(&once_runs), 1);
    CHECK_EQ(atomic_load(&once_seen), 10);
    return 0;
}

Test(sync, once_runs_exactly_once)
{
    cr_assert_eq(goc_run(body_once, 0, NULL), 0);
}

/* ---- misuse ------------------------------------------------------------- */

static int body_unlock_unlocked(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_mutex m = {0};
    goc_mutex_unlock(&m);
    return 0;
}

static int body_runlock_unlocked(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_rwmutex m = {0};
    goc_rwmutex_runlock(&m);
    return 0;
}

static int body_wunlock_unlocked(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_rwmutex m = {0};
    goc_rwmutex_rlock(&m);
    goc_rwmutex_unlock(&m);
    return 0;
}

Test(sync, unlock_of_unlocked_is_fatal)
{
    expect_panic(body_unlock_unlocked,
                 "fatal error: sync: unlock of unlocked mutex");
    expect_panic(body_runlock_unlocked,
                 "fatal error: sync: RUnlock of unlocked RWMutex");
    expect_panic(body_wunlock_unlocked,
                 "fatal error: sync: Unlock of unlocked RWMutex");
}

static const goc_loc wait_site = {"sync_test.goc", 99};

static int body_wg_deadlock(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_waitgroup w = {0};
    goc_waitgroup_add(&w, 1);
    goc_waitgroup_wait_at(&w, &wait_site);
    return 0;
}

static int body_mutex_deadlock(int argc, char **argv)
{
    (void)argc, (void)argv;
    goc_mutex m = {0};
    goc_mutex_lock(&m);
    goc_mutex_lock_at(&m, &wait_site);
    return 0;
}

Test(sync, blocked_forever_is_a_deadlock)
{
    expect_panic(body_wg_deadlock, "all coroutines are asleep - deadlock!",
                 "sync_test.goc:99");
    expect_panic(body_mutex_deadlock, "all coroutines are asleep - deadlock!",
                 "sync_test.goc:99");
}
