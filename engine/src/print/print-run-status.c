/* What a run's journal says (status), and the two things an operator
 * journals between runs: reprint requests and voided blanks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "cups-private.h"
#include "print-run-private.h"

struct gp_print_status {
    gp_run_conf conf;
    gp_run_scan scan;
    long *records; /* indices the journal names */
    size_t n_records;
};

static gp_status load_run(const char *run_dir, gp_run_conf *conf, gp_run_scan *scan, gp_error **err)
{
    gp_status st = gp_run_conf_read(conf, run_dir, err);
    char *path = st == GP_OK ? gp_run_path(run_dir, GP_RUN_JOURNAL) : NULL;
    if (st == GP_OK && path == NULL)
        st = gp_error_nomem(err);
    if (st == GP_OK)
        st = gp_run_scan_load(path, scan, err);
    free(path);
    return st;
}

gp_status gp_print_status_load(const char *run_dir, gp_print_status **out, gp_error **err)
{
    *out = NULL;
    gp_print_status *s = calloc(1, sizeof *s);
    if (s == NULL)
        return gp_error_nomem(err);
    gp_status st = load_run(run_dir, &s->conf, &s->scan, err);
    const gp_print_state *ps = s->scan.state;
    if (st == GP_OK && (s->records = malloc((ps->n_records ? ps->n_records : 1) * sizeof *s->records)) == NULL)
        st = gp_error_nomem(err);
    for (size_t i = 0; st == GP_OK && i < ps->n_records; i++)
        if (ps->records[i].student_no != NULL)
            s->records[s->n_records++] = (long)i;
    if (st != GP_OK) {
        gp_print_status_free(s);
        return st;
    }
    *out = s;
    return GP_OK;
}

void gp_print_status_free(gp_print_status *s)
{
    if (s == NULL)
        return;
    gp_run_conf_free(&s->conf);
    gp_run_scan_free(&s->scan);
    free(s->records);
    free(s);
}

const char *gp_print_status_run_id(const gp_print_status *s) { return s->conf.run_id; }
const char *gp_print_status_template(const gp_print_status *s) { return s->scan.state->template_name; }
const char *gp_print_status_queues(const gp_print_status *s) { return s->scan.state->queues; }
const char *gp_print_status_started(const gp_print_status *s) { return s->scan.started; }
const char *gp_print_status_updated(const gp_print_status *s) { return s->scan.updated; }
size_t gp_print_status_batches(const gp_print_status *s) { return s->scan.state->n_batches; }
size_t gp_print_status_records(const gp_print_status *s) { return s->n_records; }
size_t gp_print_status_voided(const gp_print_status *s) { return s->scan.state->n_voided; }

size_t gp_print_status_total(const gp_print_status *s)
{
    return s->conf.total > s->n_records ? s->conf.total : s->n_records;
}

static gp_print_record_status public_state(gp_record_state rs)
{
    switch (rs) {
    case GP_RECORD_RENDERED: return GP_PRINT_RENDERED;
    case GP_RECORD_SUBMITTED: return GP_PRINT_SUBMITTED;
    case GP_RECORD_COMPLETED: return GP_PRINT_COMPLETED;
    case GP_RECORD_FAILED: return GP_PRINT_FAILED;
    default: return GP_PRINT_PENDING;
    }
}

size_t gp_print_status_count(const gp_print_status *s, gp_print_record_status status)
{
    size_t n = 0, known = 0;
    for (size_t i = 0; i < s->n_records; i++) {
        const gp_print_record *r = &s->scan.state->records[s->records[i]];
        n += public_state(r->state) == status ? 1 : 0;
        known++;
    }
    /* Records chosen but never rendered are pending too. */
    if (status == GP_PRINT_PENDING)
        n += gp_print_status_total(s) - known;
    return n;
}

void gp_print_status_record(const gp_print_status *s, size_t i, gp_print_record_info *out)
{
    memset(out, 0, sizeof *out);
    long index = s->records[i];
    const gp_print_state *ps = s->scan.state;
    const gp_print_record *r = &ps->records[index];
    out->row = index + 1;
    out->student_no = r->student_no;
    out->id_masked = (size_t)index < s->scan.n_masked ? s->scan.masked_ids[index] : NULL;
    out->status = public_state(r->state);
    out->batch = r->batch;
    out->job_id = r->job_id;
    out->blank_serial = r->blank_serial;
    out->printed = r->printed;
    out->reprints = r->reprints;
    const gp_print_batch *b = gp_run_record_batch(ps, r);
    if (b != NULL) {
        out->queue = b->queue;
        out->job_id = b->job_id;
        size_t k = (size_t)(b - ps->batches);
        out->time = k < s->scan.n_batch_times ? s->scan.batch_times[k] : NULL;
    }
}

size_t gp_print_status_blanks_used(const gp_print_status *s)
{
    return s->scan.blanks_assigned;
}

void gp_print_status_void(const gp_print_status *s, size_t i, gp_print_void_info *out)
{
    const gp_print_state *ps = s->scan.state;
    out->serial = ps->voided[i].serial;
    out->reason = ps->voided[i].reason;
    out->time = i < s->scan.n_voids ? s->scan.void_times[i] : NULL;
    out->row = i < s->scan.n_voids ? s->scan.void_rows[i] : 0;
}

size_t gp_print_status_replaced(const gp_print_status *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->scan.n_blanks; i++)
        n += gp_run_blank_replaced(&s->scan, i) ? 1 : 0;
    return n;
}

void gp_print_status_replaced_blank(const gp_print_status *s, size_t i, gp_print_void_info *out)
{
    memset(out, 0, sizeof *out);
    for (size_t k = 0; k < s->scan.n_blanks; k++) {
        if (!gp_run_blank_replaced(&s->scan, k) || i-- > 0)
            continue;
        const gp_run_blank *b = &s->scan.blanks[k];
        const gp_print_batch *batch = gp_print_state_batch(s->scan.state, b->batch);
        out->serial = b->serial;
        out->time = b->time;
        out->row = b->record + 1;
        out->reason = b->reprint_reason ? b->reprint_reason
                      : batch != NULL && batch->cups_state != NULL ? batch->cups_state : NULL;
        return;
    }
}

/* Opens the journal for writing (locked) and folds it. */
static gp_status open_for_write(const char *run_dir, gp_run_conf *conf, gp_journal **j, gp_run_scan *scan,
                                gp_error **err)
{
    gp_status st = gp_run_conf_read(conf, run_dir, err);
    char *path = st == GP_OK ? gp_run_path(run_dir, GP_RUN_JOURNAL) : NULL;
    if (st == GP_OK && path == NULL)
        st = gp_error_nomem(err);
    if (st == GP_OK)
        st = gp_journal_open(path, false, j, err);
    if (st == GP_OK)
        st = gp_run_scan_load(path, scan, err);
    free(path);
    return st;
}

static gp_status emit(gp_journal *j, gp_print_state *state, const gp_journal_event *ev, gp_error **err)
{
    gp_status st = gp_print_state_apply(state, ev, gp_journal_path(j), 0, err);
    if (st == GP_OK)
        st = gp_journal_append(j, ev, err);
    return st;
}

static gp_status reason_ok(const char *reason, gp_error **err)
{
    if (reason == NULL || reason[0] == '\0')
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("say why (--reason TEXT): it goes into the audit report"));
    return GP_OK;
}

gp_status gp_print_reprint(gp_context *ctx, const char *run_dir, const char *records, const char *reason,
                           size_t *count, gp_error **err)
{
    if (count)
        *count = 0;
    if (records == NULL || records[0] == '\0')
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s",
                            _("name the records to print again (--records 12,15-18 or student numbers)"));
    gp_run_conf conf;
    gp_run_scan scan;
    gp_journal *j = NULL;
    memset(&scan, 0, sizeof scan);
    gp_certs_job job;
    memset(&job, 0, sizeof job);
    gp_status st = open_for_write(run_dir, &conf, &j, &scan, err);
    if (st == GP_OK)
        st = gp_run_conf_check_inputs(&conf, err);
    if (st == GP_OK)
        st = gp_roster_load(ctx, conf.roster, &(gp_roster_options){.encoding = conf.encoding, .sheet = conf.sheet}, &job.roster, err);
    if (st == GP_OK)
        st = gp_certs_select(&job, records, err);
    long *list = st == GP_OK ? malloc((job.nselected ? job.nselected : 1) * sizeof *list) : NULL;
    if (st == GP_OK && list == NULL)
        st = gp_error_nomem(err);
    for (size_t i = 0; st == GP_OK && i < job.nselected; i++) {
        list[i] = (long)job.selected[i];
        const gp_print_record *r = gp_print_state_record(scan.state, list[i]);
        if (r == NULL || r->state != GP_RECORD_COMPLETED)
            st = gp_error_set(err, GP_E_USAGE, run_dir, 0,
                              _("record %ld (student %s) has not been printed in this run (%s); only printed "
                                "records can be printed again — the next resume prints the others anyway"),
                              list[i] + 1,
                              gp_record_key(gp_roster_record(job.roster, job.selected[i]), GP_KEY_STUDENT_NO),
                              r == NULL ? _("never rendered") : _("its job has not completed"));
    }
    if (st == GP_OK)
        st = reason_ok(reason, err);
    if (st == GP_OK) {
        gp_journal_event ev;
        gp_journal_event_init(&ev, GP_JOURNAL_REPRINT_REQUESTED);
        ev.records = list;
        ev.n_records = job.nselected;
        ev.reason = reason;
        st = emit(j, scan.state, &ev, err);
    }
    if (st == GP_OK && count)
        *count = job.nselected;
    free(list);
    free(job.selected);
    gp_roster_free(job.roster);
    if (j != NULL)
        gp_journal_close(j);
    gp_run_scan_free(&scan);
    gp_run_conf_free(&conf);
    return st;
}

gp_status gp_print_void_blank(const char *run_dir, const char *serial, const char *reason, long *row, gp_error **err)
{
    if (row)
        *row = 0;
    if (!gp_serial_valid(serial))
        return gp_error_set(err, GP_E_USAGE, NULL, 0,
                            _("'%s' is not a blank serial; give the number printed on the blank, e.g. A0001234"),
                            serial ? serial : "");
    gp_status st = reason_ok(reason, err);
    if (st != GP_OK)
        return st;
    gp_run_conf conf;
    gp_run_scan scan;
    gp_journal *j = NULL;
    memset(&scan, 0, sizeof scan);
    st = open_for_write(run_dir, &conf, &j, &scan, err);
    long holder = -1;
    const gp_print_state *ps = scan.state;
    for (size_t i = 0; st == GP_OK && ps != NULL && i < ps->n_records; i++)
        if (ps->records[i].blank_serial != NULL && strcmp(ps->records[i].blank_serial, serial) == 0)
            holder = (long)i;
    if (st == GP_OK && holder >= 0) {
        const gp_print_record *r = &ps->records[holder];
        const gp_print_batch *b = gp_run_record_batch(ps, r);
        if (b != NULL && (b->state == GP_BATCH_INTENT || b->state == GP_BATCH_SUBMITTED))
            st = gp_error_set(err, GP_E_USAGE, run_dir, 0,
                              _("blank %s holds record %ld of batch %ld, whose job's outcome is not known yet; "
                                "run 'gradprint print --run %s --resume' first, then void it"),
                              serial, holder + 1, b->number, run_dir);
    }
    if (st == GP_OK) {
        gp_journal_event ev;
        gp_journal_event_init(&ev, GP_JOURNAL_BLANK_VOIDED);
        ev.serial = serial;
        ev.reason = reason;
        st = emit(j, scan.state, &ev, err);
    }
    /* The record on a spoilt blank is printed again onto the next one. */
    if (st == GP_OK && holder >= 0 && ps->records[holder].state == GP_RECORD_COMPLETED) {
        char why[600];
        snprintf(why, sizeof why, _("blank %s voided: %s"), serial, reason);
        gp_journal_event ev;
        gp_journal_event_init(&ev, GP_JOURNAL_REPRINT_REQUESTED);
        ev.records = &holder;
        ev.n_records = 1;
        ev.reason = why;
        st = emit(j, scan.state, &ev, err);
        if (st == GP_OK && row)
            *row = holder + 1;
    }
    if (j != NULL)
        gp_journal_close(j);
    gp_run_scan_free(&scan);
    gp_run_conf_free(&conf);
    return st;
}
