#include "pool-private.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/i18n-private.h"

typedef struct pool {
    void *job;
    const gp_pool_worker_fns *fns;
    size_t ntasks;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t next;    /* next task to hand out */
    size_t done;    /* tasks finished */
    int running;    /* workers not yet returned */
    bool failed;
    gp_error *error;
    gp_status status;
} pool;

static void record_failure(pool *p, gp_status st, gp_error *err)
{
    if (!p->failed) {
        p->failed = true;
        p->status = st;
        p->error = err;
    } else {
        gp_error_free(err);
    }
}

static void *worker_main(void *arg)
{
    pool *p = arg;
    void *state = NULL;
    gp_error *err = NULL;
    gp_status st = p->fns->start(p->job, &state, &err);
    bool started = st == GP_OK; /* start cleans up after itself when it fails */
    pthread_mutex_lock(&p->lock);
    if (st != GP_OK)
        record_failure(p, st, err);
    while (st == GP_OK && !p->failed && p->next < p->ntasks) {
        size_t index = p->next++;
        pthread_mutex_unlock(&p->lock);
        err = NULL;
        st = p->fns->run(p->job, state, index, &err);
        pthread_mutex_lock(&p->lock);
        if (st != GP_OK)
            record_failure(p, st, err);
        p->done++;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    if (started)
        p->fns->stop(p->job, state);
    pthread_mutex_lock(&p->lock);
    p->running--;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

int gp_pool_default_workers(int requested)
{
    if (requested > 0)
        return requested;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? (int)cores : 1;
}

static double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct timespec deadline_after_ms(long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += ms * 1000000L;
    ts.tv_sec += ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    return ts;
}

gp_status gp_pool_run(void *job, const gp_pool_worker_fns *fns, size_t ntasks, int nworkers, gp_phase phase,
                      gp_progress_fn progress, void *progress_user, gp_error **err)
{
    if (ntasks == 0)
        return GP_OK;
    if ((size_t)nworkers > ntasks)
        nworkers = (int)ntasks;
    pool p = {.job = job, .fns = fns, .ntasks = ntasks, .status = GP_OK};
    pthread_mutex_init(&p.lock, NULL);
    pthread_cond_init(&p.changed, NULL);
    pthread_t *threads = calloc((size_t)nworkers, sizeof *threads);
    if (threads == NULL)
        return gp_error_nomem(err);

    int started = 0;
    pthread_mutex_lock(&p.lock);
    for (; started < nworkers; started++) {
        if (pthread_create(&threads[started], NULL, worker_main, &p) != 0)
            break;
        p.running++;
    }
    if (started == 0) {
        pthread_mutex_unlock(&p.lock);
        free(threads);
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s", _("cannot start worker threads"));
    }
    /* 0 of N first, so the caller knows when the phase began. */
    size_t reported = 0;
    if (progress != NULL) {
        pthread_mutex_unlock(&p.lock);
        progress(progress_user, phase, 0, ntasks);
        pthread_mutex_lock(&p.lock);
    }
    double last_report = monotonic_seconds();
    while (p.running > 0) {
        struct timespec until = deadline_after_ms(100);
        pthread_cond_timedwait(&p.changed, &p.lock, &until);
        /* Every 100 ms while tasks complete, not only after 100 ms in which
         * none did: fast tasks wake this loop all the time. */
        double now = monotonic_seconds();
        if (progress != NULL && (now - last_report >= 0.1 || p.running == 0) && p.done != reported) {
            reported = p.done;
            last_report = now;
            size_t done = p.done;
            pthread_mutex_unlock(&p.lock);
            progress(progress_user, phase, done, ntasks);
            pthread_mutex_lock(&p.lock);
        }
    }
    size_t done = p.done;
    pthread_mutex_unlock(&p.lock);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    if (progress != NULL && done != reported)
        progress(progress_user, phase, done, ntasks);
    pthread_cond_destroy(&p.changed);
    pthread_mutex_destroy(&p.lock);
    if (p.failed) {
        if (err != NULL && *err == NULL)
            *err = p.error;
        else
            gp_error_free(p.error);
        return p.status;
    }
    return GP_OK;
}
