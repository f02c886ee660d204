/* The one place where jobs go parallel (after libvips' threadpool): a fixed
 * set of workers pulls task indices from a shared counter; each worker owns
 * its own state (text engine, driver, surfaces), so task code stays
 * single-threaded. Memory is bounded by the number of workers, not tasks. */
#ifndef GP_POOL_PRIVATE_H
#define GP_POOL_PRIVATE_H

#include <stddef.h>

#include "gradprint.h"

typedef struct gp_pool_worker_fns {
    /* Makes one worker's private state; called on the worker's thread. */
    gp_status (*start)(void *job, void **worker_state, gp_error **err);
    /* Runs task index on the worker's state. */
    gp_status (*run)(void *job, void *worker_state, size_t index, gp_error **err);
    void (*stop)(void *job, void *worker_state);
} gp_pool_worker_fns;

/* Runs ntasks tasks on nworkers threads and returns when all are done or the
 * first one failed (the others stop at their next task; the first error is
 * returned). progress, when not NULL, is called on the calling thread with
 * 0 done when the tasks start, as tasks complete at most every 100 ms, and
 * once at the end. */
gp_status gp_pool_run(void *job, const gp_pool_worker_fns *fns, size_t ntasks, int nworkers, gp_phase phase,
                      gp_progress_fn progress, void *progress_user, gp_error **err);

/* Worker threads to use for a requested count (0 = one per online core). */
int gp_pool_default_workers(int requested);

#endif
