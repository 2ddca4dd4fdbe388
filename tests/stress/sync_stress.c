/*
 * sync_stress.c - the sync primitives under contention from many
 * coroutines: mutex counts, rwmutex exclusion, a bounded queue built from a
 * mutex and two conds, a semaphore's bound, waitgroups reused round after
 * round, and once.  Exit status 0 on success.
 */
#include <goc.h>

#include <stdatomic.h>
#include <stdio.h>

#ifdef GOC_STRESS_SANITIZER
#define SCALE 1
#else
#define SCALE 32
#endif
#define WORKERS 16

static atomic_int failures;

static void fail(const char *what, long got, long want)
{
    atomic_fetch_add(&failures, 1);
    fprintf(stderr, "sync_stress: %s: got %ld, want %ld\n", what, got, want);
}

/* ---- mutex ---------------------------------------------------------------- */

static goc_mutex mu;
static long mu_count; /* guarded by mu */
static goc_waitgroup wg;

static void mutex_worker(void *arg)
{
    int iters = *(int *)arg;
    for (int i = 0; i < iters; i++) {
        if (i % 3 == 0) {
            while (!goc_mutex_trylock(&mu))
                goc_yield();
        } else {
            goc_mutex_lock(&mu);
        }
        long c = mu_count;
        if (i % 50 == 0)
            goc_yield();
        mu_count = c + 1;
        goc_mutex_unlock(&mu);
    }
    goc_waitgroup_done(&wg);
}

static void test_mutex(void)
{
    int iters = 2000 * SCALE;
    goc_waitgroup_add(&wg, WORKERS);
    for (int i = 0; i < WORKERS; i++)
        goc_go(mutex_worker, &iters, sizeof iters);
    goc_waitgroup_wait(&wg);
    if (mu_count != (long)WORKERS * iters)
        fail("mutex count", mu_count, (long)WORKERS * iters);
}

/* ---- rwmutex --------------------------------------------------------------- */

static goc_rwmutex rw;
static atomic_int rw_readers, rw_writers;
static long rw_value; /* guarded by rw */

static void rw_worker(void *arg)
{
    int id = *(int *)arg;
    for (int i = 0; i < 1000 * SCALE; i++) {
        if ((i + id) % 8 == 0) {
            goc_rwmutex_lock(&rw);
            if (atomic_fetch_add(&rw_writers, 1) != 0 ||
                atomic_load(&rw_readers) != 0)
                fail("writer not alone", 1, 0);
            rw_value++;
            atomic_fetch_sub(&rw_writers, 1);
            goc_rwmutex_unlock(&rw);
        } else {
            goc_rwmutex_rlock(&rw);
            atomic_fetch_add(&rw_readers, 1);
            if (atomic_load(&rw_writers) != 0)
                fail("reader beside a writer", 1, 0);
            (void)rw_value;
            if (i % 16 == 0)
                goc_yield();
            atomic_fetch_sub(&rw_readers, 1);
            goc_rwmutex_runlock(&rw);
        }
    }
    goc_waitgroup_done(&wg);
}

static void test_rwmutex(void)
{
    goc_waitgroup_add(&wg, WORKERS);
    for (int i = 0; i < WORKERS; i++)
        goc_go(rw_worker, &i, sizeof i);
    goc_waitgroup_wait(&wg);
    if (rw_value != (long)WORKERS * 1000 * SCALE / 8)
        fail("rwmutex writes", rw_value, (long)WORKERS * 1000 * SCALE / 8);
}

/* ---- bounded queue: mutex + two conds --------------------------------------- */

#define QCAP 8
static goc_mutex qmu;
static goc_cond not_empty, not_full;
static long qbuf[QCAP];
static int qhead, qlen; /* guarded by qmu */
static atomic_llong qsum;

static void q_put(long v)
{
    goc_mutex_lock(&qmu);
    while (qlen == QCAP)
        goc_cond_wait(&not_full, &qmu);
    qbuf[(qhead + qlen++) % QCAP] = v;
    goc_cond_signal(&not_empty);
    goc_mutex_unlock(&qmu);
}

static long q_get(void)
{
    goc_mutex_lock(&qmu);
    while (qlen == 0)
        goc_cond_wait(&not_empty, &qmu);
    long v = qbuf[qhead];
    qhead = (qhead + 1) % QCAP;
    qlen--;
    goc_cond_signal(&not_full);
    goc_mutex_unlock(&qmu);
    return v;
}

static void q_producer(void *arg)
{
    int n = *(int *)arg;
    for (int i = 1; i <= n; i++)
        q_put(i);
    goc_waitgroup_done(&wg);
}

static void q_consumer(void *arg)
{
    long s = 0, v;
    (void)arg;
    while ((v = q_get()) != 0)
        s += v;
    atomic_fetch_add(&qsum, s);
    goc_waitgroup_done(&wg);
}

static void test_cond_queue(void)
{
    int n = 1000 * SCALE, producers = WORKERS / 2, consumers = WORKERS / 2;
    goc_waitgroup_add(&wg, producers);
    for (int i = 0; i < producers; i++)
        goc_go(q_producer, &n, sizeof n);
    for (int i = 0; i < consumers; i++)
        goc_go(q_consumer, NULL, 0);
    goc_waitgroup_wait(&wg);
    goc_waitgroup_add(&wg, consumers);
    for (int i = 0; i < consumers; i++)
        q_put(0); /* one end marker per consumer */
    goc_waitgroup_wait(&wg);
    long long want = (long long)producers * n * (n + 1) / 2;
    if (atomic_load(&qsum) != want)
        fail("cond queue sum", (long)atomic_load(&qsum), (long)want);
}

/* ---- sema ------------------------------------------------------------------ */

static goc_sema sem;
static atomic_int sem_in;

static void sem_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 500 * SCALE; i++) {
        goc_sema_acquire(&sem);
        int in = atomic_fetch_add(&sem_in, 1) + 1;
        if (in > 3)
            fail("semaphore bound", in, 3);
        if (i % 4 == 0)
            goc_yield();
        atomic_fetch_sub(&sem_in, 1);
        goc_sema_release(&sem);
    }
    goc_waitgroup_done(&wg);
}

static void test_sema(void)
{
    goc_sema_init(&sem, 3);
    goc_waitgroup_add(&wg, WORKERS);
    for (int i = 0; i < WORKERS; i++)
        goc_go(sem_worker, NULL, 0);
    goc_waitgroup_wait(&wg);
    for (int i = 0; i < 3; i++)
        if (!goc_sema_tryacquire(&sem))
            fail("semaphore units back", i, 3);
    if (goc_sema_tryacquire(&sem))
        fail("semaphore units back", 4, 3);
}

/* ---- waitgroup rounds and once --------------------------------------------- */

static atomic_int round_work;
static goc_once onces[64];
static atomic_int once_runs[64];

static void once_fn(void *arg)
{
    atomic_fetch_add(&once_runs[*(int *)arg], 1);
}

static void round_worker(void *arg)
{
    int r = *(int *)arg;
    atomic_fetch_add(&round_work, 1);
    goc_once_do(&onces[r % 64], once_fn, &(int){r % 64});
    goc_waitgroup_done(&wg);
}

static void test_waitgroup_rounds(void)
{
    int rounds = 100 * SCALE;
    for (int r = 0; r < rounds; r++) {
        goc_waitgroup_add(&wg, WORKERS);
        for (int i = 0; i < WORKERS; i++)
            goc_go(round_worker, &r, sizeof r);
        goc_waitgroup_wait(&wg);
        if (atomic_load(&round_work) != (r + 1) * WORKERS) {
            fail("waitgroup round", atomic_load(&round_work),
                 (long)(r + 1) * WORKERS);
            return;
        }
    }
    for (int i = 0; i < 64; i++)
        if (atomic_load(&once_runs[i]) != 1)
            fail("once runs", atomic_load(&once_runs[i]), 1);
}

static int stress_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    test_mutex();
    test_rwmutex();
    test_cond_queue();
    test_sema();
    test_waitgroup_rounds();
    fprintf(stderr, "sync_stress: %s\n",
            atomic_load(&failures) ? "FAILED" : "ok");
    return atomic_load(&failures) != 0;
}

int main(int argc, char **argv)
{
    goc_main(stress_main, argc, argv);
}
