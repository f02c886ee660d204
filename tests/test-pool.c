/* The worker pool: every task runs once, the first failure stops the rest,
 * and progress comes about every 100 ms while tasks complete, however fast
 * they do (it came only after 100 ms in which none had completed, so a run
 * of quick sheets beside one long proof showed 0/141 to its end). */
#include <pthread.h>
#include <time.h>

#include "base/error-private.h"
#include "gp-test.h"
#include "base/pool-private.h"

typedef struct job {
    pthread_mutex_t lock;
    int runs[400];
    size_t fail_at; /* (size_t)-1: none */
    long sleep_us;
} job;

typedef struct progress_log {
    int calls;
    size_t last_done, total;
    bool monotonic;
} progress_log;

static gp_status start(void *j, void **state, gp_error **err)
{
    (void)j;
    (void)err;
    *state = NULL;
    return GP_OK;
}

static gp_status run(void *j_, void *state, size_t index, gp_error **err)
{
    (void)state;
    job *j = j_;
    struct timespec ts = {0, j->sleep_us * 1000};
    nanosleep(&ts, NULL);
    pthread_mutex_lock(&j->lock);
    j->runs[index]++;
    pthread_mutex_unlock(&j->lock);
    if (index == j->fail_at)
        return gp_error_set(err, GP_E_IO, NULL, 0, "task %zu failed", index);
    return GP_OK;
}

static void stop(void *j, void *state)
{
    (void)j;
    (void)state;
}

static void on_progress(void *user, gp_phase phase, size_t done, size_t total)
{
    progress_log *log = user;
    (void)phase;
    if (log->calls > 0 && done < log->last_done)
        log->monotonic = false;
    log->calls++;
    log->last_done = done;
    log->total = total;
}

static const gp_pool_worker_fns fns = {start, run, stop};

int main(void)
{
    /* 300 tasks of 4 ms on 2 workers: ~0.6 s, a task completing every 2 ms. */
    job j = {.lock = PTHREAD_MUTEX_INITIALIZER, .fail_at = (size_t)-1, .sleep_us = 4000};
    progress_log log = {.monotonic = true};
    gp_error *err = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    gp_status st = gp_pool_run(&j, &fns, 300, 2, GP_PHASE_RENDER, on_progress, &log, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    CHECK(st == GP_OK && err == NULL, "all tasks succeed");
    int wrong = 0;
    for (int i = 0; i < 300; i++)
        wrong += j.runs[i] != 1;
    CHECK(wrong == 0, "%d tasks did not run exactly once", wrong);
    /* One call per 100 ms of the run, give or take, and one at the end. */
    CHECK(log.calls >= (int)(seconds * 10 * 0.5), "%d progress calls in %.2f s", log.calls, seconds);
    CHECK(log.calls <= (int)(seconds * 10) + 3, "%d progress calls in %.2f s: at most every 100 ms", log.calls,
          seconds);
    CHECK(log.last_done == 300 && log.total == 300 && log.monotonic, "ends at 300/300, never goes back");

    /* The first failure is the result, and the rest stop. */
    job f = {.lock = PTHREAD_MUTEX_INITIALIZER, .fail_at = 5, .sleep_us = 1000};
    st = gp_pool_run(&f, &fns, 400, 2, GP_PHASE_RENDER, NULL, NULL, &err);
    CHECK(st == GP_E_IO && err != NULL && strstr(gp_error_message(err), "task 5 failed"), "the failure is returned");
    int ran = 0;
    for (int i = 0; i < 400; i++)
        ran += f.runs[i];
    CHECK(ran < 400, "tasks after the failure did not run (%d ran)", ran);
    gp_error_free(err);
    return gp_test_done();
}
