/* What a run's journal says (status), and the two things an operator
 * journals between runs: reprint requests and voided blanks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "cups-private.h"
#include "jobs/record-select-private.h"
#include "roster/roster-private.h"
#include "print-run-private.h"

struct gp_print_status {
    gp_run_conf conf;
    gp_run_scan scan;
    long *records; /* indices the journal names */
    size_t n_records;
    char **why;    /* [i]: why records[i] is not printed yet, or NULL */
    char *dir;
    char next_serial[80];
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

/* The latest voided blank a record was on, or NULL. */
static const gp_print_void *void_of(const gp_print_state *ps, long index)
{
    for (size_t i = ps->n_voided; i-- > 0;)
        if (ps->voided[i].record == index)
            return &ps->voided[i];
    return NULL;
}

/* The latest reprint reason a record's blanks carry, or NULL. */
static const char *reprint_reason(const gp_run_scan *scan, long index)
{
    for (size_t i = scan->n_blanks; i-- > 0;)
        if (scan->blanks[i].record == index && scan->blanks[i].reprint_reason != NULL)
            return scan->blanks[i].reprint_reason;
    return NULL;
}

/* Why a record the journal names is not printed (yet), for the operator. */
static bool pending_reason(const gp_print_status *s, long index, char **out)
{
    const gp_print_state *ps = s->scan.state;
    const gp_print_record *r = &ps->records[index];
    const gp_print_batch *b = gp_run_record_batch(ps, r);
    char buf[600];
    buf[0] = '\0';
    switch (r->state) {
    case GP_RECORD_COMPLETED: break;
    case GP_RECORD_SUBMITTED:
        snprintf(buf, sizeof buf, _("sent to CUPS as job %d (batch %ld); its outcome is not journalled yet, and "
                                    "--resume asks CUPS"),
                 r->job_id, r->batch);
        break;
    case GP_RECORD_RENDERED:
        snprintf(buf, sizeof buf, _("rendered into batch %ld, which was not sent yet"), r->batch);
        break;
    case GP_RECORD_FAILED:
        if (b != NULL && b->unused)
            snprintf(buf, sizeof buf, _("batch %ld never reached the printer (%s); its blanks were not used"),
                     r->batch, b->reason ? b->reason : b->cups_state ? b->cups_state : "-");
        else
            snprintf(buf, sizeof buf, _("its job %d (batch %ld) ended %s; printed again on --resume"), r->job_id,
                     r->batch, b != NULL && b->cups_state ? b->cups_state : "-");
        break;
    case GP_RECORD_NONE: {
        const gp_print_void *v = void_of(ps, index);
        const char *why = reprint_reason(&s->scan, index);
        if (v != NULL && r->reprints > 0)
            snprintf(buf, sizeof buf, _("its blank %s was voided (%s); printed again on --resume"), v->serial,
                     v->reason);
        else if (r->reprints > 0)
            snprintf(buf, sizeof buf, _("a reprint was asked for (%s); printed again on --resume"), why ? why : "-");
        else
            snprintf(buf, sizeof buf, "%s", _("not printed yet"));
        break;
    }
    }
    *out = buf[0] ? strdup(buf) : NULL;
    return buf[0] == '\0' || *out != NULL;
}

gp_status gp_print_status_load(const char *run_dir, gp_print_status **out, gp_error **err)
{
    *out = NULL;
    gp_print_status *s = calloc(1, sizeof *s);
    if (s == NULL)
        return gp_error_nomem(err);
    gp_status st = (s->dir = strdup(run_dir)) != NULL ? load_run(run_dir, &s->conf, &s->scan, err)
                                                       : gp_error_nomem(err);
    const gp_print_state *ps = s->scan.state;
    if (st == GP_OK && (s->records = malloc((ps->n_records ? ps->n_records : 1) * sizeof *s->records)) == NULL)
        st = gp_error_nomem(err);
    for (size_t i = 0; st == GP_OK && i < ps->n_records; i++)
        if (ps->records[i].student_no != NULL)
            s->records[s->n_records++] = (long)i;
    if (st == GP_OK && (s->why = calloc(s->n_records ? s->n_records : 1, sizeof *s->why)) == NULL)
        st = gp_error_nomem(err);
    for (size_t i = 0; st == GP_OK && i < s->n_records; i++)
        if (!pending_reason(s, s->records[i], &s->why[i]))
            st = gp_error_nomem(err);
    if (st == GP_OK && s->conf.first_blank != NULL) {
        const char *highest = gp_print_state_highest_blank(ps);
        if (highest == NULL)
            snprintf(s->next_serial, sizeof s->next_serial, "%s", s->conf.first_blank);
        else if (!gp_serial_next(highest, s->next_serial, sizeof s->next_serial))
            s->next_serial[0] = '\0';
    }
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
    for (size_t i = 0; s->why != NULL && i < s->n_records; i++)
        free(s->why[i]);
    free(s->why);
    free(s->dir);
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
gp_status gp_print_status_verify(const gp_print_status *s, gp_error **err)
{
    return gp_run_check_cups_history(gp_print_status_dir(s), &s->conf, &s->scan, err);
}

const char *gp_print_status_dir(const gp_print_status *s) { return s->dir; }

const char *gp_print_status_next_serial(const gp_print_status *s) { return s->next_serial[0] ? s->next_serial : NULL; }

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
    out->line = r->line > 0 ? r->line : index + 1;
    out->student_no = r->student_no;
    out->pending_reason = s->why[i];
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

size_t gp_print_status_record_blank_count(const gp_print_status *s, size_t i)
{
    size_t n = 0;
    for (size_t k = 0; k < s->scan.n_blanks; k++)
        n += s->scan.blanks[k].record == s->records[i];
    return n;
}

void gp_print_status_record_blank(const gp_print_status *s, size_t i, size_t which, gp_print_blank_history *out)
{
    memset(out, 0, sizeof *out);
    const gp_print_state *ps = s->scan.state;
    for (size_t k = 0; k < s->scan.n_blanks; k++) {
        const gp_run_blank *b = &s->scan.blanks[k];
        if (b->record != s->records[i] || which-- > 0)
            continue;
        const gp_print_record *r = &ps->records[b->record];
        out->serial = b->serial;
        out->time = b->time;
        if (b->released)
            out->fate = _("unused (its batch never reached the printer)");
        else if (gp_print_state_blank_voided(ps, b->serial))
            out->fate = _("voided");
        else if (r->blank_serial != NULL && strcmp(r->blank_serial, b->serial) == 0)
            out->fate = r->state == GP_RECORD_COMPLETED ? _("holds the certificate") : _("in use");
        else
            out->fate = _("replaced, not voided");
        return;
    }
}

size_t gp_print_status_blanks_used(const gp_print_status *s)
{
    return s->scan.blanks_assigned - s->scan.blanks_released;
}

static long record_line(const gp_print_state *ps, long index)
{
    const gp_print_record *r = gp_print_state_record(ps, index);
    return r != NULL && r->line > 0 ? r->line : index + 1;
}

void gp_print_status_void(const gp_print_status *s, size_t i, gp_print_void_info *out)
{
    const gp_print_state *ps = s->scan.state;
    out->serial = ps->voided[i].serial;
    out->reason = ps->voided[i].reason;
    out->time = i < s->scan.n_voids ? s->scan.void_times[i] : NULL;
    long rec = i < s->scan.n_voids ? s->scan.void_rows[i] - 1 : -1;
    out->line = rec >= 0 ? record_line(ps, rec) : 0;
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
        out->line = record_line(s->scan.state, b->record);
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
    gp_roster *roster = NULL;
    size_t *chosen = NULL, n = 0;
    gp_status st = open_for_write(run_dir, &conf, &j, &scan, err);
    if (st == GP_OK)
        st = gp_run_conf_check_inputs(&conf, err);
    if (st == GP_OK)
        st = gp_roster_load(ctx, conf.roster, &(gp_roster_options){conf.encoding, conf.sheet}, &roster, err);
    if (st == GP_OK)
        st = gp_records_select(roster, records, &chosen, &n, err);
    long *list = st == GP_OK ? malloc((n ? n : 1) * sizeof *list) : NULL;
    if (st == GP_OK && list == NULL)
        st = gp_error_nomem(err);
    for (size_t i = 0; st == GP_OK && i < n; i++) {
        list[i] = (long)chosen[i];
        const gp_print_record *r = gp_print_state_record(scan.state, list[i]);
        const gp_record *rec = gp_roster_record(roster, chosen[i]);
        if (r == NULL || r->state != GP_RECORD_COMPLETED)
            st = gp_error_set(err, GP_E_USAGE, conf.roster, gp_record_line(rec),
                              _("student %s has not been printed in this run (%s); only printed records can be "
                                "printed again — the next resume prints the others anyway"),
                              gp_record_key(rec, GP_KEY_STUDENT_NO),
                              r == NULL ? _("never rendered") : _("its job has not completed"));
    }
    if (st == GP_OK)
        st = reason_ok(reason, err);
    if (st == GP_OK) {
        gp_journal_event ev;
        gp_journal_event_init(&ev, GP_JOURNAL_REPRINT_REQUESTED);
        ev.records = list;
        ev.n_records = n;
        ev.reason = reason;
        st = emit(j, scan.state, &ev, err);
    }
    if (st == GP_OK && count)
        *count = n;
    free(list);
    free(chosen);
    gp_roster_free(roster);
    if (j != NULL)
        gp_journal_close(j);
    gp_run_scan_free(&scan);
    gp_run_conf_free(&conf);
    return st;
}

/* Whether serial is a blank this run has not reached yet: its own prefix
 * and width, at or after the next serial. */
static bool ahead_of_run(const char *serial, const char *next)
{
    bool same;
    return gp_serial_compare(serial, next, &same) >= 0 && same;
}

static bool ever_assigned(const gp_run_scan *scan, const char *serial)
{
    for (size_t i = 0; i < scan->n_blanks; i++)
        if (strcmp(scan->blanks[i].serial, serial) == 0)
            return true;
    return false;
}

gp_status gp_print_void_blank(const char *run_dir, const char *serial, const char *reason,
                              gp_print_void_outcome *out, gp_error **err)
{
    gp_print_void_outcome ignored;
    if (out == NULL)
        out = &ignored;
    memset(out, 0, sizeof *out);
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
    const gp_print_state *ps = scan.state;
    char next[80] = "";
    if (st == GP_OK && conf.first_blank == NULL)
        st = gp_error_set(err, GP_E_USAGE, run_dir, 0, "%s",
                          _("this run does not track blanks (it was started without --first-blank), so a blank "
                            "cannot be voided; reprint the record instead ('gradprint reprint')"));
    if (st == GP_OK) {
        const char *highest = gp_print_state_highest_blank(ps);
        if (highest == NULL)
            snprintf(next, sizeof next, "%s", conf.first_blank);
        else if (!gp_serial_next(highest, next, sizeof next))
            next[0] = '\0';
    }
    long holder = -1;
    for (size_t i = 0; st == GP_OK && i < ps->n_records; i++)
        if (ps->records[i].blank_serial != NULL && strcmp(ps->records[i].blank_serial, serial) == 0)
            holder = (long)i;
    bool done = false;
    if (st == GP_OK && gp_print_state_blank_voided(ps, serial)) {
        /* Voiding again is asking for what is already so: a retry after a
         * failed write, or a second operator. Nothing to do. */
        out->already = true;
        done = true;
    } else if (st == GP_OK && holder < 0 && !ever_assigned(&scan, serial)) {
        if (next[0] != '\0' && ahead_of_run(serial, next))
            out->unused = true;
        else
            st = gp_error_set(err, GP_E_USAGE, run_dir, 0,
                              _("blank %s is not one of this run's: its blanks start at %s and the next one is %s; "
                                "check the number on the blank"),
                              serial, conf.first_blank, next[0] ? next : "-");
    }
    if (st == GP_OK && !done && holder >= 0) {
        const gp_print_record *r = &ps->records[holder];
        const gp_print_batch *b = gp_run_record_batch(ps, r);
        if (b != NULL && (b->state == GP_BATCH_INTENT || b->state == GP_BATCH_SUBMITTED))
            st = gp_error_set(err, GP_E_USAGE, run_dir, 0,
                              _("blank %s holds student %s of batch %ld, whose job's outcome is not known yet; "
                                "run 'gradprint print --run %s --resume' first, then void it"),
                              serial, r->student_no, b->number, run_dir);
    }
    if (st == GP_OK && !done) {
        /* One event voids the blank and, when a printed certificate is on
         * it, queues that certificate for the next blank. */
        gp_journal_event ev;
        gp_journal_event_init(&ev, GP_JOURNAL_BLANK_VOIDED);
        ev.serial = serial;
        ev.reason = reason;
        bool reprint = holder >= 0 && ps->records[holder].state == GP_RECORD_COMPLETED;
        ev.record = reprint ? holder : -1;
        st = emit(j, scan.state, &ev, err);
        if (st == GP_OK && reprint)
            out->line = record_line(ps, holder);
    }
    if (j != NULL)
        gp_journal_close(j);
    gp_run_scan_free(&scan);
    gp_run_conf_free(&conf);
    return st;
}
