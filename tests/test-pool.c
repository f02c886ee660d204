/* The worker pool's progress reports: 0 at the start, values between while
 * tasks finish faster than the report interval (they used to be held back
 * until the end: a bar at 0/141 for a whole run), and the total at the end. */
#include <time.h>

#include "gp-test.h"
#include "jobs/pool-private.h"

typedef struct calls {
    size_t n, first, last, middle, total;
    bool decreasing;
} calls;

static void on_progress(void *user, gp_phase phase, size_t done, size_t total)
{
    calls *c = user;
    (void)phase;
    if (c->n == 0)
        c->first = done;
    else if (done < c->last)
        c->decreasing = true;
    if (done > 0 && done < total)
        c->middle++;
    c->last = done;
    c->total = total;
    c->n++;
}

static gp_status start(void *job, void **state, gp_error **err)
{
    (void)job;
    (void)err;
    *state = NULL;
    return GP_OK;
}

static gp_status run(void *job, void *state, size_t index, gp_error **err)
{
    (void)job;
    (void)state;
    (void)index;
    (void)err;
    struct timespec ts = {0, 4 * 1000 * 1000}; /* 4 ms a task: 25 finish per report interval */
    nanosleep(&ts, NULL);
    return GP_OK;
}

static void stop(void *job, void *state)
{
    (void)job;
    (void)state;
}

int main(void)
{
    static const gp_pool_worker_fns fns = {start, run, stop};
    calls c = {0};
    gp_error *err = NULL;
    CHECK(gp_pool_run(NULL, &fns, 120, 2, GP_PHASE_RENDER, on_progress, &c, &err) == GP_OK, "pool runs");
    CHECK(c.first == 0, "first report is 0 done, got %zu", c.first);
    CHECK(c.last == 120 && c.total == 120, "last report is 120/120, got %zu/%zu", c.last, c.total);
    CHECK(c.middle >= 1, "reports between start and end: %zu", c.middle);
    CHECK(!c.decreasing, "done never goes back");
    return gp_test_done();
}
