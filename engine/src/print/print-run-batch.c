/* One batch of a print run, in the order that keeps it idempotent across a
 * crash at any instant: render the pages, journal the records and their
 * blanks, journal the intent (the job name), create the CUPS job, journal
 * its id, send the document, follow the job to the end, journal the
 * outcome. A batch whose outcome the journal lacks is settled by looking
 * its job name up in CUPS. A batch the printer never got (CUPS refused the
 * job, or it was cancelled before its document arrived) gives its blanks
 * back: the next batch takes the same serials. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/array-private.h"
#include "base/error-private.h"
#include "base/i18n-private.h"
#include "cups-private.h"
#include "print-run-private.h"
#include "roster/roster-private.h"

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

/* The record of what this call did with a batch, for the result. */
static void remember(gp_run *run, const gp_print_batch *b, const char *state, const char *first, const char *last)
{
    gp_print_result *res = run->res;
    for (size_t i = 0; i < res->n_batches; i++)
        if (res->batches[i].batch == b->number) {
            res->batches[i].state = state;
            res->batches[i].job_id = b->job_id;
            return;
        }
    if (!GP_ARRAY_ROOM(res->batches, res->n_batches, res->cap_batches))
        return; /* the result is a summary; the journal has it all */
    gp_run_batch_done *d = &res->batches[res->n_batches++];
    memset(d, 0, sizeof *d);
    d->batch = b->number;
    d->queue = strdup(b->queue);
    d->media = b->media ? strdup(b->media) : NULL;
    d->turned = b->turned;
    d->first_serial = first ? strdup(first) : NULL;
    d->last_serial = last ? strdup(last) : NULL;
    d->state = state;
    d->job_id = b->job_id;
    d->pages = b->n_records;
}

/* state: what to journal instead of CUPS' state name ("refused"), or NULL. */
static gp_status end_batch(gp_run *run, const gp_print_batch *b, int job_id, gp_cups_state cs, const char *state,
                           const char *reason, bool unused, gp_error **err)
{
    gp_journal_event ev;
    bool ok = cs == GP_CUPS_COMPLETED;
    gp_journal_event_init(&ev, ok ? GP_JOURNAL_BATCH_COMPLETED : GP_JOURNAL_BATCH_FAILED);
    ev.batch = b->number;
    ev.job_id = job_id;
    ev.state = state != NULL ? state : cs == GP_CUPS_UNKNOWN ? "not-found" : gp_cups_state_name(cs);
    ev.reason = reason != NULL && reason[0] != '\0' ? reason : NULL;
    ev.unused_blanks = !ok && unused;
    char *name = strdup(b->job_name);
    if (name == NULL)
        return gp_error_nomem(err);
    long number = b->number;
    size_t n = b->n_records;
    gp_status st = gp_run_emit(run, &ev, err);
    const gp_print_batch *after = gp_print_state_batch(run->scan.state, number);
    if (st == GP_OK) {
        remove_pdf(run, name);
        remember(run, after, ok ? "completed" : unused ? "refused" : "failed", NULL, NULL);
    }
    if (st == GP_OK && ok) {
        run->res->printed += n;
        gp_run_notice(run, _("batch %ld: job %d completed (%zu pages)"), number, job_id, n);
    } else if (st == GP_OK && unused) {
        gp_run_notice(run, _("batch %ld: the printer never got job %s, so its blanks are unused: load them again; its "
                             "%zu records will be printed onto them"),
                      number, name, n);
    } else if (st == GP_OK && job_id == 0) {
        gp_run_notice(run, _("batch %ld: CUPS has no job named %s; its %zu records will be printed again"), number,
                      name, n);
    } else if (st == GP_OK) {
        gp_run_notice(run, _("batch %ld: job %d ended %s; its %zu records will be printed again"), number, job_id,
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

/* Follows the job until it ends; a paused queue, the wait limit or an
 * interruption stops the run with the batch left open for the next resume. */
static gp_status follow(gp_run *run, long batch, int job_id, gp_error **err)
{
    const gp_print_batch *b = gp_print_state_batch(run->scan.state, batch);
    double limit = run->opts->wait_timeout_s;
    double step = limit > 0 && limit < 2 ? limit : 2;
    double waited = 0;
    gp_cups_wait_result w;
    for (;;) {
        /* Short waits, so Ctrl-C is answered within a couple of seconds. */
        gp_status st = gp_cups_wait(b->queue, job_id, step, &w, err);
        if (st != GP_OK)
            return st;
        waited += step;
        if (w.finished)
            return end_batch(run, b, job_id, w.state, NULL, w.reason, false, err);
        if (gp_run_interrupted(run)) {
            remember(run, b, "waiting", NULL, NULL);
            return gp_run_interruption(run, err);
        }
        if (w.queue_paused) {
            remember(run, b, "waiting", NULL, NULL);
            return gp_error_set(err, GP_E_IO, run->dir, 0,
                                _("queue %s is stopped%s%s%s; job %d (batch %ld) waits in it. Fix the printer, "
                                  "start the queue again (cupsenable %s), then continue with 'gradprint print "
                                  "--run %s --resume'"),
                                b->queue, w.reason[0] ? " (" : "", w.reason, w.reason[0] ? ")" : "", job_id, batch,
                                b->queue, run->dir);
        }
        if (limit > 0 && waited >= limit) {
            remember(run, b, "waiting", NULL, NULL);
            return gp_error_set(err, GP_E_IO, run->dir, 0,
                                _("job %d (batch %ld) on queue %s did not finish within %.0f s (it is %s); check "
                                  "the printer, then continue with 'gradprint print --run %s --resume'"),
                                job_id, batch, b->queue, limit, gp_cups_state_name(w.state), run->dir);
        }
        if (limit <= 0 && (long)waited % 600 == 0)
            gp_run_notice(run, _("batch %ld: still waiting for job %d (%s)"), batch, job_id,
                          gp_cups_state_name(w.state));
    }
}

/* A job the resumed run finds unfinished and without a document was made
 * by a run killed between creating it and sending its pages: it would
 * wait for ever. Cancelled, it printed nothing. */
static gp_status documentless(gp_run *run, const gp_print_batch *b, int job_id, gp_cups_state cs, bool *cancelled,
                              gp_error **err)
{
    *cancelled = false;
    bool waiting = cs == GP_CUPS_PENDING || cs == GP_CUPS_HELD;
    if (!waiting && cs != GP_CUPS_CANCELED && cs != GP_CUPS_ABORTED)
        return GP_OK;
    int docs = -1;
    gp_status st = gp_cups_job_documents(b->queue, job_id, &docs, err);
    if (st != GP_OK || docs != 0)
        return st;
    if (!waiting) {
        /* Ended without ever getting its pages: nothing was printed. */
        *cancelled = true;
        return GP_OK;
    }
    st = gp_cups_cancel(b->queue, job_id, err);
    if (st == GP_OK) {
        gp_run_notice(run, _("batch %ld: job %d was created but never got its pages (the run was stopped in "
                             "between); it is cancelled and the batch printed again"),
                      b->number, job_id);
        *cancelled = true;
    }
    return st;
}

gp_status gp_run_resolve_open(gp_run *run, gp_error **err)
{
    gp_print_state *s = run->scan.state;
    for (size_t i = 0; i < s->n_batches; i++) {
        const gp_print_batch *b = &s->batches[i];
        if (b->state != GP_BATCH_INTENT && b->state != GP_BATCH_SUBMITTED)
            continue;
        long number = b->number;
        bool announced_only = b->state == GP_BATCH_INTENT;
        int job_id = 0;
        gp_cups_state cs = GP_CUPS_UNKNOWN;
        gp_status st = gp_cups_find_job(b->queue, b->job_name, &job_id, &cs, err);
        if (st != GP_OK)
            return st;
        gp_run_notice(run, _("batch %ld (job name %s): CUPS says %s"), number, b->job_name,
                      job_id ? gp_cups_state_name(cs) : _("no such job"));
        bool cancelled = false;
        if (job_id != 0)
            st = documentless(run, b, job_id, cs, &cancelled, err);
        if (st == GP_OK && job_id != 0 && announced_only) {
            st = submitted(run, number, job_id, err);
            b = &s->batches[i];
        }
        if (st == GP_OK && cancelled)
            st = end_batch(run, b, job_id, GP_CUPS_CANCELED, NULL,
                           _("cancelled by gradprint: the job never got its pages"), true, err);
        else if (st == GP_OK && job_id != 0 && !gp_cups_state_is_final(cs))
            st = follow(run, number, job_id, err);
        else if (st == GP_OK && job_id == 0)
            /* Announced but never created: the printer never saw it. Sent
             * but forgotten by CUPS: it may have printed, so the blanks stay
             * spent and the operator checks them. */
            st = end_batch(run, b, 0, GP_CUPS_UNKNOWN, NULL, _("CUPS has no job of this name"), announced_only, err);
        else if (st == GP_OK)
            st = end_batch(run, b, job_id, cs, NULL, NULL, false, err);
        if (st != GP_OK)
            return st;
    }
    return GP_OK;
}

/* The next n serials, skipping blanks voided before they were used. */
static gp_status take_serials(gp_run *run, char (*serials)[80], size_t n, gp_error **err)
{
    char next[80];
    memcpy(next, run->next_serial, sizeof next);
    for (size_t i = 0; i < n; i++) {
        while (gp_print_state_blank_voided(run->scan.state, next) || gp_print_state_blank_used(run->scan.state, next))
            if (!gp_serial_next(next, next, sizeof next))
                return gp_error_set(err, GP_E_INVALID, NULL, 0, _("blank serial %s cannot be counted on"), next);
        memcpy(serials[i], next, sizeof serials[i]);
        if (!gp_serial_next(next, next, sizeof next))
            return gp_error_set(err, GP_E_INVALID, NULL, 0, _("blank serial %s cannot be counted on"), next);
    }
    return GP_OK;
}

static gp_status journal_records(gp_run *run, const size_t *positions, size_t n, long batch, char (*serials)[80],
                                 gp_error **err)
{
    gp_status st = GP_OK;
    const gp_roster *roster = gp_certs_job_roster(run->job);
    for (size_t i = 0; st == GP_OK && i < n; i++) {
        size_t index = gp_certs_job_record_index(run->job, positions[i]);
        const gp_record *r = gp_roster_record(roster, index);
        char masked[GP_MASKED_ID_SIZE];
        const char *id = gp_record_key(r, GP_KEY_ID_NUMBER);
        if (id != NULL)
            gp_mask_id_number(id, masked, sizeof masked);
        gp_journal_event ev;
        gp_journal_event_init(&ev, GP_JOURNAL_RECORD_RENDERED);
        ev.record = (long)index;
        ev.line = gp_record_line(r);
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
                          const gp_run_queue *q, gp_error **err)
{
    long *records = malloc(n * sizeof *records);
    if (records == NULL)
        return gp_error_nomem(err);
    for (size_t i = 0; i < n; i++)
        records[i] = (long)gp_certs_job_record_index(run->job, positions[i]);
    gp_journal_event ev;
    gp_journal_event_init(&ev, GP_JOURNAL_BATCH_INTENT);
    ev.batch = batch;
    ev.job_name = job_name;
    ev.queue = q->queue->name;
    ev.records = records;
    ev.n_records = n;
    ev.media = q->plan.page_size;
    ev.turned = q->plan.fit == GP_FIT_TURNED;
    gp_status st = gp_run_emit(run, &ev, err);
    free(records);
    return st;
}

typedef struct created_ctx {
    gp_run *run;
    long batch;
} created_ctx;

/* The job id is journalled before the document goes: a run killed during
 * the upload is resumed knowing the job. */
static gp_status on_created(void *user, int job_id, gp_error **err)
{
    created_ctx *c = user;
    return submitted(c->run, c->batch, job_id, err);
}

static gp_status send_batch(gp_run *run, const gp_run_queue *q, long batch, const char *job_name, const char *path,
                            const char *first, const char *last, size_t n, gp_error **err)
{
    created_ctx cc = {run, batch};
    int job_id = 0;
    bool refused = false;
    gp_status st = gp_cups_submit(q->queue->name, path, job_name, q->plan.options, q->plan.n_options, on_created, &cc,
                                  &job_id, &refused, err);
    const gp_print_batch *b = gp_print_state_batch(run->scan.state, batch);
    if (st != GP_OK && b != NULL && (refused || (job_id != 0 && b->state == GP_BATCH_SUBMITTED))) {
        /* CUPS would not take the job, or it was cancelled before its pages
         * arrived: the printer got nothing, so the blanks are unused. */
        gp_error *ignored = NULL;
        if (end_batch(run, b, job_id, GP_CUPS_CANCELED, refused ? "refused" : NULL,
                      gp_error_message(err ? *err : NULL), true, &ignored) != GP_OK)
            gp_error_free(ignored);
        return st;
    }
    /* A failed submit otherwise leaves the intent open: the next resume asks
     * CUPS whether the job came to exist after all. */
    if (st != GP_OK)
        return st;
    remember(run, b, "waiting", first, last);
    gp_run_notice(run, _("batch %ld: %zu pages sent to %s as job %d"), batch, n, q->queue->name, job_id);
    st = follow(run, batch, job_id, err);
    b = gp_print_state_batch(run->scan.state, batch);
    if (st == GP_OK && b != NULL && b->state == GP_BATCH_FAILED)
        st = gp_error_set(err, GP_E_IO, run->dir, 0,
                          _("job %d (batch %ld) on queue %s ended %s%s%s%s; its records will be printed again "
                            "in a new batch: check the printer and the blanks it took, void spoilt blanks "
                            "('gradprint void'), then continue with 'gradprint print --run %s --resume'"),
                          job_id, batch, q->queue->name, b->cups_state ? b->cups_state : "", b->reason ? " (" : "",
                          b->reason ? b->reason : "", b->reason ? ")" : "", run->dir);
    return st;
}

gp_status gp_run_batch(gp_run *run, const size_t *positions, size_t n, bool *stopped, gp_error **err)
{
    *stopped = false;
    long batch = run->next_batch++;
    const gp_run_queue *q = &run->queues[(size_t)(batch - 1) % run->conf.n_queues];
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
    const char *first = blanks ? serials[0] : NULL, *last = blanks ? serials[n - 1] : NULL;
    if (st == GP_OK && run->opts->prompt != NULL) {
        gp_print_orientation o = q->plan.fit == GP_FIT_TURNED ? GP_ORIENTATION_TURNED : GP_ORIENTATION_AS_IS;
        gp_print_batch_info info = {batch, q->queue->name, run->conf.tray, n, first, last, o, q->loading};
        *stopped = !run->opts->prompt(run->opts->prompt_user, &info);
        if (*stopped && gp_run_interrupted(run)) {
            *stopped = false;
            st = gp_run_interruption(run, err);
        }
    }
    char *path = st == GP_OK && !*stopped ? pdf_path(run, job_name) : NULL;
    if (st == GP_OK && !*stopped && path == NULL)
        st = gp_error_nomem(err);
    if (path != NULL) {
        gp_cert_page_setup setup = {q->queue->calibration, q->plan.fit == GP_FIT_TURNED, false};
        st = gp_certs_job_render(run->job, positions, n, &setup, path, err);
        if (st == GP_OK && chmod(path, 0600) != 0)
            st = gp_error_set(err, GP_E_IO, path, 0, "%s", _("cannot make the batch's PDF private"));
        if (st == GP_OK)
            st = journal_records(run, positions, n, batch, serials, err);
        if (st == GP_OK)
            st = announce(run, positions, n, batch, job_name, q, err);
        if (st == GP_OK)
            st = send_batch(run, q, batch, job_name, path, first, last, n, err);
        if (gp_print_state_batch(run->scan.state, batch) == NULL)
            remove_pdf(run, job_name);
    }
    if (st == GP_OK && run->next_serial[0] != '\0') {
        /* The serials after those this batch holds now (none when it gave them back). */
        const char *highest = gp_print_state_highest_blank(run->scan.state);
        if (highest != NULL)
            gp_serial_next(highest, run->next_serial, sizeof run->next_serial);
    }
    free(path);
    free(serials);
    return st;
}

/* ------------------------------------------------------------------ */
/* A journal that lost events                                          */

/* The batch number of one of this run's job names, or 0. */
static long batch_of(const char *run_id, const char *job_name)
{
    size_t n = strlen(run_id);
    if (strncmp(job_name, run_id, n) != 0 || strncmp(job_name + n, "-b", 2) != 0)
        return 0;
    const char *p = job_name + n + 2;
    long v = 0;
    for (; *p >= '0' && *p <= '9' && v < 100000000L; p++)
        v = v * 10 + (*p - '0');
    return *p == '\0' ? v : 0;
}

gp_status gp_run_check_cups_history(const char *run_dir, const gp_run_conf *conf, const gp_run_scan *scan,
                                    gp_error **err)
{
    /* Every queue the run printed to, now and before. */
    const gp_print_state *s = scan->state;
    for (size_t q = 0; q < conf->n_queues + s->n_batches; q++) {
        const char *queue = q < conf->n_queues ? conf->queues[q].name : s->batches[q - conf->n_queues].queue;
        bool seen = false;
        for (size_t k = 0; k < q && !seen; k++)
            seen = strcmp(queue, k < conf->n_queues ? conf->queues[k].name : s->batches[k - conf->n_queues].queue) == 0;
        if (seen)
            continue;
        char **names = NULL;
        size_t n = 0;
        gp_status st = gp_cups_job_names(queue, &names, &n, err);
        if (st != GP_OK)
            return st;
        long beyond = 0;
        for (size_t i = 0; i < n; i++) {
            long b = batch_of(conf->run_id, names[i]);
            if (b > scan->max_batch && b > beyond)
                beyond = b;
            free(names[i]);
        }
        free(names);
        if (beyond > 0)
            return gp_error_set(err, GP_E_INVALID, run_dir, 0,
                                _("the print journal has lost events: CUPS queue %s holds job %s-b%04ld of this run, "
                                  "but the journal knows batches up to %ld only (it was cut short or restored from an "
                                  "old copy). Resuming could print certificates twice, so it is refused. Restore the "
                                  "run directory from a backup; otherwise list what CUPS printed (lpstat -W all -o "
                                  "%s), void or account for those blanks, and start a new run with --records for the "
                                  "graduates still missing"),
                                queue, conf->run_id, beyond, scan->max_batch, queue);
    }
    return GP_OK;
}
