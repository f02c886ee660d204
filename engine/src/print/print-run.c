/* gp_print_run: check every queue (can it print the blank at exactly 1:1,
 * and how), preflight every record like `certs`, then print the records
 * the journal does not show printed, batch by batch. Starting a run saves
 * its settings (run.conf) and journals run-started; resuming reads them
 * back, refuses a changed roster or template and a journal that lost
 * events, takes a new printer, tray or batch size if given, settles the
 * batches whose outcome was lost, and goes on. Nothing is written before
 * the run directory is locked, and nothing before every check passed. */
#define _DEFAULT_SOURCE /* flock */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/strbuf-private.h"
#include "cups-private.h"
#include "jobs/calibration-private.h"
#include "print-run-private.h"
#include "template/template-private.h"

void gp_print_options_init(gp_print_options *opts)
{
    memset(opts, 0, sizeof *opts);
    gp_certs_options_init(&opts->certs);
}

const gp_report *gp_print_result_report(const gp_print_result *r) { return r ? r->report : NULL; }
const char *gp_print_result_run_id(const gp_print_result *r) { return r ? r->run_id : NULL; }
size_t gp_print_result_selected(const gp_print_result *r) { return r ? r->selected : 0; }
size_t gp_print_result_skipped(const gp_print_result *r) { return r ? r->skipped : 0; }
size_t gp_print_result_printed(const gp_print_result *r) { return r ? r->printed : 0; }
size_t gp_print_result_remaining(const gp_print_result *r) { return r ? r->remaining : 0; }
bool gp_print_result_stopped(const gp_print_result *r) { return r ? r->stopped : false; }
const char *gp_print_result_next_serial(const gp_print_result *r)
{
    return r && r->next_serial[0] ? r->next_serial : NULL;
}
size_t gp_print_result_batches(const gp_print_result *r) { return r ? r->n_batches : 0; }

void gp_print_result_batch(const gp_print_result *r, size_t i, gp_print_batch_result *out)
{
    memset(out, 0, sizeof *out);
    if (r == NULL || i >= r->n_batches)
        return;
    const gp_run_batch_done *b = &r->batches[i];
    out->batch = b->batch;
    out->queue = b->queue;
    out->job_id = b->job_id;
    out->pages = b->pages;
    out->first_serial = b->first_serial;
    out->last_serial = b->last_serial;
    out->state = b->state;
    out->media = b->media;
    out->orientation = b->turned ? GP_ORIENTATION_TURNED : GP_ORIENTATION_AS_IS;
}

void gp_print_result_free(gp_print_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n_batches; i++) {
        free(r->batches[i].queue);
        free(r->batches[i].first_serial);
        free(r->batches[i].last_serial);
        free(r->batches[i].media);
    }
    free(r->batches);
    gp_report_free(r->report);
    free(r->run_id);
    free(r);
}

void gp_run_notice(const gp_run *run, const char *fmt, ...)
{
    if (run->opts->notice == NULL)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    run->opts->notice(run->opts->notice_user, msg);
}

bool gp_run_interrupted(const gp_run *run)
{
    return run->opts->interrupted != NULL && *run->opts->interrupted != 0;
}

gp_status gp_run_interruption(const gp_run *run, gp_error **err)
{
    return gp_error_set(err, GP_E_INTERRUPTED, run->dir, 0,
                        _("interrupted; every step so far is journalled and no certificate is lost or printed "
                          "twice: continue with 'gradprint print --run %s --resume'"),
                        run->dir);
}

gp_status gp_run_emit(gp_run *run, const gp_journal_event *ev, gp_error **err)
{
    gp_status st = gp_print_state_apply(run->scan.state, ev, gp_journal_path(run->journal), 0, err);
    if (st == GP_OK)
        st = gp_journal_append(run->journal, ev, err);
    return st;
}

/* ------------------------------------------------------------------ */
/* Options                                                             */

static gp_status check_calibration(const gp_print_queue *q, gp_error **err)
{
    const gp_calibration *c = &q->calibration;
    if (c->scale_x < 0.9 || c->scale_x > 1.1 || c->scale_y < 0.9 || c->scale_y > 1.1 || c->offset_x_mm < -50 ||
        c->offset_x_mm > 50 || c->offset_y_mm < -50 || c->offset_y_mm > 50)
        return gp_error_set(err, GP_E_USAGE, NULL, 0,
                            _("the calibration of queue %s (offset %.2f,%.2f mm, scale %.4f x %.4f) is not a "
                              "printer's error; measure it again with 'gradprint calibrate'"),
                            q->name, c->offset_x_mm, c->offset_y_mm, c->scale_x, c->scale_y);
    return GP_OK;
}

static gp_status check_queues(const gp_print_queue *queues, size_t n, gp_error **err)
{
    for (size_t i = 0; i < n; i++) {
        const char *name = queues[i].name;
        if (name == NULL || name[0] == '\0' || strlen(name) > 127 || strpbrk(name, ";,=/#\n\r\t ") != NULL)
            return gp_error_set(err, GP_E_USAGE, NULL, 0,
                                _("'%s' is not a CUPS queue name; 'lpstat -p' lists the queues"), name ? name : "");
        gp_status st = check_calibration(&queues[i], err);
        if (st != GP_OK)
            return st;
    }
    return GP_OK;
}

static gp_status check_batch_and_tray(const gp_print_options *o, gp_error **err)
{
    if (o->batch_size < 0 || o->batch_size > 10000)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, _("a batch of %d pages is not possible; give what the tray "
                                                        "holds, 1 to 10000"),
                            o->batch_size);
    if (o->tray != NULL && (o->tray[0] == '\0' || strpbrk(o->tray, ",;\n\r\t ") != NULL))
        return gp_error_set(err, GP_E_USAGE, NULL, 0,
                            _("'%s' is not a tray name; use the queue's media-source keyword, e.g. tray-2"), o->tray);
    return GP_OK;
}

static gp_status check_new_options(const gp_print_options *o, gp_error **err)
{
    if (o->n_queues == 0 || o->queues == NULL)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("name the CUPS queue to print to (--printer QUEUE)"));
    gp_status st = check_queues(o->queues, o->n_queues, err);
    if (st == GP_OK)
        st = check_batch_and_tray(o, err);
    if (st == GP_OK && o->first_blank != NULL && !gp_serial_valid(o->first_blank))
        st = gp_error_set(err, GP_E_USAGE, NULL, 0,
                          _("blank serial '%s' does not end in digits; give the number printed on the first "
                            "blank, e.g. A0001234"),
                          o->first_blank);
    return st;
}

/* What a resume may change: the printers, the tray and the batch size. */
static gp_status apply_changes(gp_run *run, bool *changed, gp_error **err)
{
    const gp_print_options *o = run->opts;
    *changed = false;
    gp_status st = check_batch_and_tray(o, err);
    if (st == GP_OK && o->n_queues > 0) {
        st = check_queues(o->queues, o->n_queues, err);
        if (st == GP_OK)
            st = gp_run_conf_set_queues(&run->conf, o->queues, o->n_queues, err);
        *changed = true;
    }
    if (st == GP_OK && o->tray != NULL) {
        char *tray = strdup(o->tray);
        if (tray == NULL)
            return gp_error_nomem(err);
        free(run->conf.tray);
        run->conf.tray = tray;
        *changed = true;
    }
    if (st == GP_OK && o->batch_size > 0 && o->batch_size != run->conf.batch_size) {
        run->conf.batch_size = o->batch_size;
        *changed = true;
    }
    return st;
}

/* ------------------------------------------------------------------ */
/* The run directory                                                   */

/* Takes the directory's lock: two gradprints never share a run folder,
 * not even two new runs started at once into the same empty one. */
static gp_status lock_dir(gp_run *run, gp_error **err)
{
    run->dir_lock = open(run->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (run->dir_lock < 0)
        return gp_error_set(err, GP_E_IO, run->dir, 0, _("cannot open the run directory (%s)"), strerror(errno));
    if (flock(run->dir_lock, LOCK_EX | LOCK_NB) != 0)
        return gp_error_set(err, GP_E_IO, run->dir, 0, "%s",
                            errno == EWOULDBLOCK
                                ? _("another gradprint is using this run directory right now; wait for it to end or "
                                    "stop it, then run again")
                                : _("cannot lock the run directory"));
    return GP_OK;
}

/* A folder left by a run stopped before its first step (killed, or the
 * disk full on the first write): run.conf and a journal holding at most
 * run-started, nothing rendered or sent. */
static gp_status abandoned_start(const char *dir, bool *abandoned, gp_error **err)
{
    *abandoned = false;
    char *journal = gp_run_path(dir, GP_RUN_JOURNAL);
    if (journal == NULL)
        return gp_error_nomem(err);
    gp_print_state *state = NULL;
    gp_error *ignored = NULL;
    if (access(journal, F_OK) != 0) {
        *abandoned = true;
    } else if (gp_print_state_load(journal, &state, &ignored) == GP_OK) {
        *abandoned = state->n_records == 0 && state->n_batches == 0 && state->n_voided == 0;
        gp_print_state_free(state);
    }
    gp_error_free(ignored);
    free(journal);
    return GP_OK;
}

/* A new run needs a folder that is empty (or left by a run that never
 * started, which is cleared). */
static gp_status check_new_dir(gp_run *run, gp_error **err)
{
    DIR *d = opendir(run->dir);
    if (d == NULL)
        return gp_error_set(err, GP_E_USAGE, run->dir, 0, _("cannot use this folder as the run directory (%s)"),
                            strerror(errno));
    struct dirent *e;
    bool only_run_files = true, empty = true;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        empty = false;
        only_run_files = only_run_files && (strcmp(e->d_name, GP_RUN_CONF) == 0 || strcmp(e->d_name, GP_RUN_JOURNAL) == 0);
    }
    closedir(d);
    if (empty)
        return GP_OK;
    bool abandoned = false;
    gp_status st = only_run_files ? abandoned_start(run->dir, &abandoned, err) : GP_OK;
    if (st != GP_OK)
        return st;
    if (!abandoned)
        return gp_error_set(err, GP_E_USAGE, run->dir, 0, "%s",
                            _("the run directory already holds files; continue that run with --resume, or give a "
                              "new folder"));
    char *conf = gp_run_path(run->dir, GP_RUN_CONF), *journal = gp_run_path(run->dir, GP_RUN_JOURNAL);
    if (conf == NULL || journal == NULL) {
        free(conf);
        free(journal);
        return gp_error_nomem(err);
    }
    unlink(conf);
    unlink(journal);
    free(conf);
    free(journal);
    gp_run_notice(run, "%s", _("this folder held a run that stopped before its first step; it is started anew"));
    return GP_OK;
}

/* Makes the folder (and missing parents) for a new run and locks it. */
static gp_status prepare_new_dir(gp_run *run, gp_error **err)
{
    char *parent = strdup(run->dir);
    if (parent == NULL)
        return gp_error_nomem(err);
    char *slash = strrchr(parent, '/');
    gp_status st = GP_OK;
    if (slash != NULL && slash != parent) {
        *slash = '\0';
        st = gp_mkdir_p(parent, err);
    }
    free(parent);
    if (st != GP_OK)
        return st;
    if (mkdir(run->dir, GP_DIR_MODE) == 0)
        run->made_dir = true;
    else if (errno != EEXIST)
        return gp_error_set(err, GP_E_IO, run->dir, 0, _("cannot create the run directory (%s)"), strerror(errno));
    if (chmod(run->dir, GP_DIR_MODE) != 0)
        return gp_error_set(err, GP_E_IO, run->dir, 0, _("cannot make the run directory private (%s)"),
                            strerror(errno));
    st = lock_dir(run, err);
    if (st == GP_OK)
        st = check_new_dir(run, err);
    return st;
}

/* ------------------------------------------------------------------ */
/* Checks                                                              */

/* Every queue, before any prompt and before any serial is used: can it
 * print the blank at 1:1, and how. */
static gp_status preflight_queues(gp_run *run, gp_error **err)
{
    gp_template *tpl = NULL;
    gp_status st = gp_template_load(run->ctx, run->conf.template_path, &tpl, err);
    if (st != GP_OK)
        return st;
    run->queues = calloc(run->conf.n_queues, sizeof *run->queues);
    if (run->queues == NULL) {
        gp_template_free(tpl);
        return gp_error_nomem(err);
    }
    const gp_print_queue *refused = NULL;
    for (size_t i = 0; st == GP_OK && i < run->conf.n_queues; i++) {
        gp_run_queue *rq = &run->queues[i];
        rq->queue = &run->conf.queues[i];
        st = gp_queue_check(rq->queue->name, tpl, run->conf.tray, &rq->queue->calibration, &rq->plan,
                            run->res->report, err);
        if (st == GP_OK && rq->plan.fit == GP_FIT_NONE && refused == NULL)
            refused = rq->queue;
        if (st == GP_OK && rq->plan.fit != GP_FIT_NONE)
            gp_loading_instructions(rq->plan.fit == GP_FIT_TURNED, &rq->queue->calibration, rq->loading,
                                    sizeof rq->loading);
    }
    gp_template_free(tpl);
    if (st == GP_OK && refused != NULL)
        st = gp_error_set(err, GP_E_IO, NULL, 0,
                          _("queue %s cannot print this run's blanks at exactly 1:1 (see above); nothing was "
                            "printed and no blank used. 'gradprint printer check --printer %s --template ...' "
                            "shows the details"),
                          refused->name, refused->name);
    return st;
}

static gp_status preflight_records(gp_run *run, size_t *valid, gp_error **err)
{
    gp_run_conf_certs_options(&run->conf, &run->certs);
    run->certs.progress = run->opts->certs.progress;
    run->certs.progress_user = run->opts->certs.progress_user;
    gp_status st = gp_certs_job_prepare(run->ctx, &run->certs, &run->job, err);
    if (run->job != NULL) {
        gp_report *found = gp_certs_job_take_report(run->job);
        bool kept = found != NULL && gp_report_take(run->res->report, found);
        gp_report_free(found);
        if (!kept && st == GP_OK)
            st = gp_error_nomem(err);
    }
    if (st != GP_OK)
        return st;
    size_t n = gp_certs_job_count(run->job);
    *valid = 0;
    for (size_t p = 0; p < n; p++)
        *valid += gp_certs_job_valid(run->job, p) ? 1 : 0;
    run->res->selected = n;
    run->res->skipped = n - *valid;
    if (gp_certs_job_roster_errors(run->job) > 0)
        return gp_error_set(err, GP_E_INVALID, run->conf.roster, 0, "%s",
                            _("the roster as a whole has errors (see above); nothing was printed"));
    if (run->res->skipped > 0 && !run->conf.skip_invalid)
        return gp_error_set(err, GP_E_INVALID, run->conf.roster, 0,
                            _("%zu of %zu graduates failed the checks (see above); nothing was printed: correct the "
                              "roster or photos, or pass --skip-invalid to print the others"),
                            run->res->skipped, n);
    if (*valid == 0)
        return gp_error_set(err, GP_E_INVALID, run->conf.roster, 0, "%s",
                            _("no graduate passed the checks; nothing was printed"));
    return GP_OK;
}

/* ------------------------------------------------------------------ */
/* The journal                                                         */

/* "batch=50 tray=tray-2 first-blank=A0001234 ...": the options as given. */
static gp_status describe_run(const gp_run *run, gp_strbuf *queues, gp_strbuf *options)
{
    for (size_t i = 0; i < run->conf.n_queues; i++)
        gp_strbuf_appendf(queues, "%s%s", i ? "," : "", run->conf.queues[i].name);
    gp_strbuf_appendf(options, "batch=%d", run->conf.batch_size);
    if (run->conf.tray)
        gp_strbuf_appendf(options, " tray=%s", run->conf.tray);
    if (run->conf.first_blank)
        gp_strbuf_appendf(options, " first-blank=%s", run->conf.first_blank);
    if (run->conf.records)
        gp_strbuf_appendf(options, " records=%s", run->conf.records);
    if (run->conf.skip_invalid)
        gp_strbuf_append(options, " skip-invalid");
    return gp_strbuf_failed(queues) || gp_strbuf_failed(options) ? GP_E_NOMEM : GP_OK;
}

static gp_status journal_settings(gp_run *run, gp_journal_kind kind, gp_error **err)
{
    gp_strbuf queues, options;
    gp_strbuf_init(&queues);
    gp_strbuf_init(&options);
    gp_status st = describe_run(run, &queues, &options);
    if (st != GP_OK) {
        st = gp_error_nomem(err);
    } else {
        gp_journal_event ev;
        gp_journal_event_init(&ev, kind);
        if (kind == GP_JOURNAL_RUN_STARTED) {
            const gp_template *tpl = gp_certs_job_template(run->job);
            ev.run_id = run->conf.run_id;
            ev.template_name = tpl->name ? tpl->name : run->conf.template_path;
        }
        ev.queues = queues.data;
        ev.options = options.data;
        st = gp_run_emit(run, &ev, err);
    }
    gp_strbuf_free(&queues);
    gp_strbuf_free(&options);
    return st;
}

static gp_status open_journal(gp_run *run, bool create, gp_error **err)
{
    char *path = gp_run_path(run->dir, GP_RUN_JOURNAL);
    if (path == NULL)
        return gp_error_nomem(err);
    gp_status st = gp_journal_open(path, create, &run->journal, err);
    if (st == GP_OK)
        st = gp_run_scan_load(path, &run->scan, err);
    free(path);
    if (st == GP_OK && !create && run->scan.state->run_id == NULL)
        st = gp_error_set(err, GP_E_INVALID, run->dir, 0,
                          _("this run stopped before its first step, so there is nothing to resume; start it again "
                            "with the same command without --resume (the folder is reused)"));
    return st;
}

/* The next blank: after the highest one a record holds now (blanks of a
 * batch that never reached the printer went back to the stack). */
static gp_status first_serial(gp_run *run, gp_error **err)
{
    const char *first = run->conf.first_blank;
    if (first == NULL)
        return GP_OK;
    const char *highest = gp_print_state_highest_blank(run->scan.state);
    if (highest == NULL) {
        snprintf(run->next_serial, sizeof run->next_serial, "%s", first);
        return GP_OK;
    }
    if (!gp_serial_next(highest, run->next_serial, sizeof run->next_serial))
        return gp_error_set(err, GP_E_INVALID, run->dir, 0, _("the last blank serial %s cannot be counted on"),
                            highest);
    return GP_OK;
}

/* ------------------------------------------------------------------ */
/* Printing                                                            */

/* Positions of the valid records the journal does not show printed. */
static gp_status todo_list(gp_run *run, size_t **out, size_t *n, gp_error **err)
{
    size_t count = gp_certs_job_count(run->job);
    *n = 0;
    *out = malloc((count ? count : 1) * sizeof **out);
    if (*out == NULL)
        return gp_error_nomem(err);
    for (size_t p = 0; p < count; p++) {
        if (!gp_certs_job_valid(run->job, p))
            continue;
        const gp_print_record *r =
            gp_print_state_record(run->scan.state, (long)gp_certs_job_record_index(run->job, p));
        if (r == NULL || r->state == GP_RECORD_NONE || r->state == GP_RECORD_RENDERED ||
            r->state == GP_RECORD_FAILED)
            (*out)[(*n)++] = p;
    }
    return GP_OK;
}

static gp_status print_all(gp_run *run, gp_error **err)
{
    size_t *todo = NULL, n = 0;
    gp_status st = todo_list(run, &todo, &n, err);
    run->res->remaining = n;
    if (st == GP_OK && n == 0)
        gp_run_notice(run, "%s", _("every certificate of this run is printed"));
    size_t size = (size_t)run->conf.batch_size;
    for (size_t k = 0; st == GP_OK && k < n; k += size) {
        if (gp_run_interrupted(run)) {
            st = gp_run_interruption(run, err);
            break;
        }
        size_t m = n - k < size ? n - k : size;
        bool stopped = false;
        st = gp_run_batch(run, todo + k, m, &stopped, err);
        if (st == GP_OK && stopped) {
            run->res->stopped = true;
            break;
        }
        if (st == GP_OK)
            run->res->remaining -= m;
    }
    free(todo);
    return st;
}

/* Starting: everything checked first, then the directory and its files. */
static gp_status start_new(gp_run *run, gp_error **err)
{
    const gp_print_options *o = run->opts;
    gp_status st = check_new_options(o, err);
    char id[GP_RUN_ID_SIZE];
    if (st == GP_OK)
        st = gp_print_run_id_new(id, sizeof id, err);
    if (st == GP_OK)
        st = gp_run_conf_from_options(&run->conf, o, id, err);
    if (st == GP_OK)
        st = preflight_queues(run, err);
    if (st == GP_OK)
        st = prepare_new_dir(run, err);
    size_t valid = 0;
    if (st == GP_OK)
        st = preflight_records(run, &valid, err);
    if (st == GP_OK) {
        run->conf.total = valid;
        st = gp_run_conf_write(&run->conf, run->dir, err);
    }
    if (st == GP_OK)
        st = open_journal(run, true, err);
    if (st == GP_OK)
        st = journal_settings(run, GP_JOURNAL_RUN_STARTED, err);
    return st;
}

static gp_status resume(gp_run *run, gp_error **err)
{
    bool changed = false;
    gp_status st = lock_dir(run, err);
    if (st == GP_OK)
        st = gp_run_conf_read(&run->conf, run->dir, err);
    if (st == GP_OK)
        st = gp_run_conf_check_inputs(&run->conf, err);
    if (st == GP_OK)
        st = apply_changes(run, &changed, err);
    if (st == GP_OK)
        st = preflight_queues(run, err);
    size_t valid = 0;
    if (st == GP_OK)
        st = preflight_records(run, &valid, err);
    if (st == GP_OK)
        st = open_journal(run, false, err);
    if (st == GP_OK)
        st = gp_run_check_cups_history(run->dir, &run->conf, &run->scan, err);
    if (st == GP_OK && changed) {
        st = gp_run_conf_write(&run->conf, run->dir, err);
        if (st == GP_OK)
            st = journal_settings(run, GP_JOURNAL_RUN_CHANGED, err);
        if (st == GP_OK)
            gp_run_notice(run, "%s", _("the run goes on with the printer, tray and batch size given now"));
    }
    return st;
}

/* A new run that failed before writing anything leaves no folder behind. */
static void undo_new_dir(gp_run *run)
{
    if (run->made_dir && run->journal == NULL) {
        char *conf = gp_run_path(run->dir, GP_RUN_CONF);
        if (conf != NULL && access(conf, F_OK) != 0)
            rmdir(run->dir);
        free(conf);
    }
}

gp_status gp_print_run(gp_context *ctx, const gp_print_options *opts, gp_print_result **result, gp_error **err)
{
    if (result)
        *result = NULL;
    if (opts == NULL || opts->run_dir == NULL || opts->run_dir[0] == '\0')
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("a run directory is required (--run DIR)"));
    gp_run run;
    memset(&run, 0, sizeof run);
    run.dir_lock = -1;
    run.ctx = ctx;
    run.opts = opts;
    run.res = calloc(1, sizeof *run.res);
    run.dir = strdup(opts->run_dir);
    if (run.res == NULL || run.dir == NULL || (run.res->report = gp_report_new()) == NULL) {
        gp_print_result_free(run.res);
        free(run.dir);
        return gp_error_nomem(err);
    }
    size_t len = strlen(run.dir);
    while (len > 1 && run.dir[len - 1] == '/')
        run.dir[--len] = '\0';
    gp_status st = opts->resume ? resume(&run, err) : start_new(&run, err);
    if (st == GP_OK && (run.res->run_id = strdup(run.conf.run_id)) == NULL)
        st = gp_error_nomem(err);
    if (st == GP_OK) {
        run.keep = run.conf.keep || opts->keep;
        run.next_batch = run.scan.max_batch + 1;
        gp_run_remove_stale_pdfs(&run);
        st = gp_run_resolve_open(&run, err);
    }
    /* After settling: a batch that never reached the printer gave its
     * blanks back. */
    if (st == GP_OK)
        st = first_serial(&run, err);
    if (st == GP_OK)
        st = print_all(&run, err);
    if (run.journal != NULL) {
        /* The next blank as the journal has it now, for status and JSON. */
        gp_error *ignored = NULL;
        if (first_serial(&run, &ignored) == GP_OK)
            snprintf(run.res->next_serial, sizeof run.res->next_serial, "%s", run.next_serial);
        gp_error_free(ignored);
        gp_journal_close(run.journal);
    } else {
        undo_new_dir(&run);
    }
    if (run.dir_lock >= 0)
        close(run.dir_lock);
    for (size_t i = 0; run.queues != NULL && i < run.conf.n_queues; i++)
        gp_queue_plan_free(&run.queues[i].plan);
    free(run.queues);
    gp_run_scan_free(&run.scan);
    gp_certs_job_free(run.job);
    gp_run_conf_free(&run.conf);
    free(run.dir);
    if (result)
        *result = run.res;
    else
        gp_print_result_free(run.res);
    return st;
}
