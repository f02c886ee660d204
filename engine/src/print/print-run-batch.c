/* One batch of a print run, in the order that keeps it idempotent across a
 * crash at any instant: render the pages, journal the records and their
 * blanks, journal the intent (the job name), create the CUPS job, journal
 * its id, follow it to the end, journal the outcome. A batch whose outcome
 * the journal lacks is settled by looking its job name up in CUPS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "cups-private.h"
#include "print-run-private.h"

static char *pdf_path(const gp_run *run, const char *job_name)
{
    char name[96];
    snprintf(name, sizeof name, "%s.pdf", job_name);
    return gp_run_path(run->dir, name);
}

static void remove_pdf(const gp_run *run, const char *job_name)
{
    if (run->keep)
        return;
    char *path = pdf_path(run, job_name);
    if (path != NULL)
        unlink(path);
    free(path);
}

void gp_run_remove_stale_pdfs(gp_run *run)
{
    const gp_print_state *s = run->scan.state;
    for (long b = 1; b <= run->scan.max_batch; b++) {
        const gp_print_batch *batch = gp_print_state_batch(s, b);
        if (batch != NULL && (batch->state == GP_BATCH_INTENT || batch->state == GP_BATCH_SUBMITTED))
            continue;
        char name[GP_RUN_ID_SIZE + 16];
        if (gp_print_job_name(run->conf.run_id, b, name, sizeof name, NULL) == GP_OK)
            remove_pdf(run, name);
    }
}

static gp_status end_batch(gp_run *run, const gp_print_batch *b, int job_id, gp_cups_state cs, const char *reason,
                           gp_error **err)
{
    gp_journal_event ev;
    bool ok = cs == GP_CUPS_COMPLETED;
    gp_journal_event_init(&ev, ok ? GP_JOURNAL_BATCH_COMPLETED : GP_JOURNAL_BATCH_FAILED);
    ev.batch = b->number;
    ev.job_id = job_id;
    ev.state = cs == GP_CUPS_UNKNOWN ? "not-found" : gp_cups_state_name(cs);
    ev.reason = reason != NULL && reason[0] != '\0' ? reason : NULL;
    char *name = strdup(b->job_name);
    if (name == NULL)
        return gp_error_nomem(err);
    size_t n = b->n_records;
    gp_status st = gp_run_emit(run, &ev, err);
    if (st == GP_OK)
        remove_pdf(run, name);
    if (st == GP_OK && ok) {
        run->res->printed += n;
        gp_run_notice(run, _("batch %ld: job %d completed (%zu pages)"), ev.batch, job_id, n);
    } else if (st == GP_OK && job_id == 0) {
        gp_run_notice(run, _("batch %ld: CUPS has no job named %s; its %zu records will be printed again"),
                      ev.batch, name, n);
    } else if (st == GP_OK) {
        gp_run_notice(run, _("batch %ld: job %d ended %s; its %zu records will be printed again"), ev.batch, job_id,
                      ev.state, n);
    }
    free(name);
    return st;
}

static gp_status submitted(gp_run *run, long batch, int job_id, gp_error **err)
{
    gp_journal_event ev;
    gp_journal_event_init(&ev, GP_JOURNAL_BATCH_SUBMITTED);
    ev.batch = batch;
    ev.job_id = job_id;
    return gp_run_emit(run, &ev, err);
}

/* Follows the job until it ends; a paused queue or the wait limit stops the
 * run (GP_E_IO) with the batch left open for the next resume. */
static gp_status follow(gp_run *run, long batch, int job_id, gp_error **err)
{
    const gp_print_batch *b = gp_print_state_batch(run->scan.state, batch);
    double limit = run->opts->wait_timeout_s;
    gp_cups_wait_result w;
    for (;;) {
        gp_status st = gp_cups_wait(b->queue, job_id, limit > 0 ? limit : 600, &w, err);
        if (st != GP_OK)
            return st;
        if (w.finished)
            return end_batch(run, b, job_id, w.state, w.reason, err);
        if (w.queue_paused)
            return gp_error_set(err, GP_E_IO, run->dir, 0,
                                _("queue %s is stopped%s%s%s; job %d (batch %ld) waits in it. Fix the printer, "
                                  "start the queue again (cupsenable %s), then continue with 'gradprint print "
                                  "--run %s --resume'"),
                                b->queue, w.reason[0] ? " (" : "", w.reason, w.reason[0] ? ")" : "", job_id, batch,
                                b->queue, run->dir);
        if (limit > 0)
            return gp_error_set(err, GP_E_IO, run->dir, 0,
                                _("job %d (batch %ld) on queue %s did not finish within %.0f s (it is %s); check "
                                  "the printer, then continue with 'gradprint print --run %s --resume'"),
                                job_id, batch, b->queue, limit, gp_cups_state_name(w.state), run->dir);
        gp_run_notice(run, _("batch %ld: still waiting for job %d (%s)"), batch, job_id, gp_cups_state_name(w.state));
    }
}

gp_status gp_run_resolve_open(gp_run *run, gp_error **err)
{
    gp_print_state *s = run->scan.state;
    for (size_t i = 0; i < s->n_batches; i++) {
        const gp_print_batch *b = &s->batches[i];
        if (b->state != GP_BATCH_INTENT && b->state != GP_BATCH_SUBMITTED)
            continue;
        long number = b->number;
        int job_id = 0;
        gp_cups_state cs = GP_CUPS_UNKNOWN;
        gp_status st = gp_cups_find_job(b->queue, b->job_name, &job_id, &cs, err);
        if (st != GP_OK)
            return st;
        gp_run_notice(run, _("batch %ld (job name %s): CUPS says %s"), number, b->job_name,
                      job_id ? gp_cups_state_name(cs) : _("no such job"));
        if (job_id != 0 && b->state == GP_BATCH_INTENT) {
            st = submitted(run, number, job_id, err);
            b = &s->batches[i];
        }
        if (st == GP_OK && job_id != 0 && !gp_cups_state_is_final(cs))
            st = follow(run, number, job_id, err);
        else if (st == GP_OK)
            st = end_batch(run, b, job_id, cs, job_id ? NULL : _("CUPS has no job of this name"), err);
        if (st != GP_OK)
            return st;
    }
    return GP_OK;
}

/* The next n serials, skipping blanks voided before they were used. */
static gp_status take_serials(gp_run *run, char (*serials)[80], size_t n, gp_error **err)
{
    for (size_t i = 0; i < n; i++) {
        while (gp_print_state_blank_voided(run->scan.state, run->next_serial))
            if (!gp_serial_next(run->next_serial, run->next_serial, sizeof run->next_serial))
                return gp_error_set(err, GP_E_INVALID, NULL, 0, _("blank serial %s cannot be counted on"),
                                    run->next_serial);
        memcpy(serials[i], run->next_serial, sizeof serials[i]);
        if (!gp_serial_next(run->next_serial, run->next_serial, sizeof run->next_serial))
            return gp_error_set(err, GP_E_INVALID, NULL, 0, _("blank serial %s cannot be counted on"),
                                run->next_serial);
    }
    return GP_OK;
}

static gp_status journal_records(gp_run *run, const size_t *positions, size_t n, long batch, char (*serials)[80],
                                 gp_error **err)
{
    gp_status st = GP_OK;
    for (size_t i = 0; st == GP_OK && i < n; i++) {
        size_t index = run->job.selected[positions[i]];
        const gp_record *r = gp_roster_record(run->job.roster, index);
        char masked[GP_MASKED_ID_SIZE];
        const char *id = gp_record_key(r, GP_KEY_ID_NUMBER);
        if (id != NULL)
            gp_mask_id_number(id, masked, sizeof masked);
        gp_journal_event ev;
        gp_journal_event_init(&ev, GP_JOURNAL_RECORD_RENDERED);
        ev.record = (long)index;
        ev.student_no = gp_record_key(r, GP_KEY_STUDENT_NO);
        ev.id_number = id != NULL ? masked : NULL;
        ev.batch = batch;
        if (ev.student_no == NULL)
            ev.student_no = "-";
        st = gp_run_emit(run, &ev, err);
        if (st == GP_OK && serials != NULL) {
            gp_journal_event_init(&ev, GP_JOURNAL_BLANK_ASSIGNED);
            ev.record = (long)index;
            ev.serial = serials[i];
            ev.batch = batch;
            st = gp_run_emit(run, &ev, err);
        }
    }
    return st;
}

static gp_status announce(gp_run *run, const size_t *positions, size_t n, long batch, const char *job_name,
                          const char *queue, gp_error **err)
{
    long *records = malloc(n * sizeof *records);
    if (records == NULL)
        return gp_error_nomem(err);
    for (size_t i = 0; i < n; i++)
        records[i] = (long)run->job.selected[positions[i]];
    gp_journal_event ev;
    gp_journal_event_init(&ev, GP_JOURNAL_BATCH_INTENT);
    ev.batch = batch;
    ev.job_name = job_name;
    ev.queue = queue;
    ev.records = records;
    ev.n_records = n;
    gp_status st = gp_run_emit(run, &ev, err);
    free(records);
    return st;
}

gp_status gp_run_batch(gp_run *run, const size_t *positions, size_t n, bool *stopped, gp_error **err)
{
    *stopped = false;
    long batch = run->next_batch++;
    const gp_print_queue *q = &run->conf.queues[(size_t)(batch - 1) % run->conf.n_queues];
    char job_name[GP_RUN_ID_SIZE + 16];
    gp_status st = gp_print_job_name(run->conf.run_id, batch, job_name, sizeof job_name, err);
    if (st != GP_OK)
        return st;
    bool blanks = run->next_serial[0] != '\0';
    char (*serials)[80] = blanks ? calloc(n, sizeof *serials) : NULL;
    if (blanks && serials == NULL)
        return gp_error_nomem(err);
    if (blanks)
        st = take_serials(run, serials, n, err);
    if (st == GP_OK && run->opts->prompt != NULL) {
        gp_print_batch_info info = {batch, q->name, run->conf.tray, n, blanks ? serials[0] : NULL,
                                    blanks ? serials[n - 1] : NULL};
        *stopped = !run->opts->prompt(run->opts->prompt_user, &info);
    }
    char *path = st == GP_OK && !*stopped ? pdf_path(run, job_name) : NULL;
    if (st == GP_OK && !*stopped && path == NULL)
        st = gp_error_nomem(err);
    if (path != NULL) {
        run->certs.calibration = q->calibration;
        st = gp_certs_render_pdf(&run->job, positions, n, path, err);
        if (st == GP_OK && chmod(path, 0600) != 0)
            st = gp_error_set(err, GP_E_IO, path, 0, "%s", _("cannot make the batch's PDF private"));
        if (st == GP_OK)
            st = journal_records(run, positions, n, batch, serials, err);
        if (st == GP_OK)
            st = announce(run, positions, n, batch, job_name, q->name, err);
        int job_id = 0;
        if (st == GP_OK) {
            gp_cups_job_options jo = {0};
            jo.width_mm = run->job.tpl->page_w_mm;
            jo.height_mm = run->job.tpl->page_h_mm;
            jo.media_source = run->conf.tray;
            /* A failed submit leaves the intent open: the next resume asks CUPS
             * whether the job came to exist after all. */
            st = gp_cups_submit(q->name, path, job_name, &jo, &job_id, err);
        }
        if (st == GP_OK) {
            st = submitted(run, batch, job_id, err);
            gp_run_notice(run, _("batch %ld: %zu pages sent to %s as job %d"), batch, n, q->name, job_id);
        }
        if (st == GP_OK)
            st = follow(run, batch, job_id, err);
        const gp_print_batch *b = gp_print_state_batch(run->scan.state, batch);
        if (st == GP_OK && b != NULL && b->state == GP_BATCH_FAILED)
            st = gp_error_set(err, GP_E_IO, run->dir, 0,
                              _("job %d (batch %ld) on queue %s ended %s%s%s%s; its records will be printed again "
                                "in a new batch: check the printer and the blanks it took, void spoilt blanks "
                                "('gradprint void'), then continue with 'gradprint print --run %s --resume'"),
                              job_id, batch, q->name, b->cups_state ? b->cups_state : "", b->reason ? " (" : "",
                              b->reason ? b->reason : "", b->reason ? ")" : "", run->dir);
        if (b == NULL)
            remove_pdf(run, job_name);
    }
    free(path);
    free(serials);
    return st;
}
