#include "record-check-private.h"

#include <stdlib.h>

#include "base/error-private.h"
#include "base/report-private.h"
#include "base/pool-private.h"
#include "roster/roster-private.h"

typedef struct check_job {
    const gp_record_check *rc;
    gp_report **per_item;
} check_job;

static gp_status worker_start(void *cj_, void **state, gp_error **err)
{
    check_job *cj = cj_;
    gp_record_checker *w = calloc(1, sizeof *w);
    if (w == NULL)
        return gp_error_nomem(err);
    gp_status st = gp_text_engine_new(cj->rc->ctx, &w->text, err);
    if (st != GP_OK) {
        free(w);
        return st;
    }
    gp_layout_init(&w->layout);
    *state = w;
    return GP_OK;
}

static void worker_stop(void *cj_, void *state)
{
    (void)cj_;
    gp_record_checker *w = state;
    gp_layout_free(&w->layout);
    gp_text_engine_free(w->text);
    gp_photo_standard_clear(&w->photo);
    free(w);
}

static gp_status check_item(void *cj_, void *state, size_t i, gp_error **err)
{
    check_job *cj = cj_;
    gp_record_checker *checker = state;
    cj->rc->check(cj->rc->user, checker, i, cj->per_item[i]);
    /* A record whose layout or findings were cut short by memory has not
     * been checked: it must not pass. */
    if (gp_report_lost(cj->per_item[i]))
        return gp_error_nomem(err);
    return gp_layout_status(&checker->layout, err);
}

gp_status gp_check_records(const gp_record_check *rc, gp_report *into, bool *has_error, gp_error **err)
{
    check_job cj = {rc, calloc(rc->count ? rc->count : 1, sizeof(gp_report *))};
    if (cj.per_item == NULL)
        return gp_error_nomem(err);
    gp_status st = GP_OK;
    for (size_t i = 0; i < rc->count && st == GP_OK; i++)
        if ((cj.per_item[i] = gp_report_new()) == NULL)
            st = gp_error_nomem(err);
    if (st == GP_OK) {
        static const gp_pool_worker_fns fns = {worker_start, check_item, worker_stop};
        st = gp_pool_run(&cj, &fns, rc->count, rc->workers, GP_PHASE_PREFLIGHT, rc->progress, rc->progress_user,
                         err);
    }
    for (size_t i = 0; i < rc->count; i++) {
        if (cj.per_item[i] == NULL)
            continue;
        if (gp_report_count_severity(cj.per_item[i], GP_ERROR) > 0)
            has_error[i] = true;
        if (!gp_report_take(into, cj.per_item[i]) && st == GP_OK)
            st = gp_error_nomem(err);
        gp_report_free(cj.per_item[i]);
    }
    free(cj.per_item);
    return st;
}
