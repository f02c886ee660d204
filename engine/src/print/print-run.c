/* gp_print_run: preflight every record like `certs`, then print the records
 * the journal does not show printed, batch by batch. Starting a run saves
 * its settings (run.conf) and journals run-started; resuming reads them
 * back, refuses a changed roster or template, settles the batches whose
 * outcome was lost, and goes on. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/strbuf-private.h"
#include "cups-private.h"
#include "print-run-private.h"

void gp_print_options_init(gp_print_options *opts)
{
    memset(opts, 0, sizeof *opts);
    gp_certs_options_init(&opts->certs);
    opts->batch_size = 50;
}

const gp_report *gp_print_result_report(const gp_print_result *r) { return r ? r->report : NULL; }
const char *gp_print_result_run_id(const gp_print_result *r) { return r ? r->run_id : NULL; }
size_t gp_print_result_selected(const gp_print_result *r) { return r ? r->selected : 0; }
size_t gp_print_result_skipped(const gp_print_result *r) { return r ? r->skipped : 0; }
size_t gp_print_result_printed(const gp_print_result *r) { return r ? r->printed : 0; }
size_t gp_print_result_remaining(const gp_print_result *r) { return r ? r->remaining : 0; }
bool gp_print_result_stopped(const gp_print_result *r) { return r ? r->stopped : false; }

void gp_print_result_free(gp_print_result *r)
{
    if (r == NULL)
        return;
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

gp_status gp_run_emit(gp_run *run, const gp_journal_event *ev, gp_error **err)
{
    gp_status st = gp_print_state_apply(run->scan.state, ev, gp_journal_path(run->journal), 0, err);
    if (st == GP_OK)
        st = gp_journal_append(run->journal, ev, err);
    return st;
}

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

static gp_status check_new_options(const gp_print_options *o, gp_error **err)
{
    if (o->n_queues == 0 || o->queues == NULL)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("name the CUPS queue to print to (--printer QUEUE)"));
    for (size_t i = 0; i < o->n_queues; i++) {
        const char *n = o->queues[i].name;
        if (n == NULL || n[0] == '\0' || strlen(n) > 127 || strpbrk(n, ";,=/#\n\r\t ") != NULL)
            return gp_error_set(err, GP_E_USAGE, NULL, 0,
                                _("'%s' is not a CUPS queue name; 'lpstat -p' lists the queues"), n ? n : "");
        gp_status st = check_calibration(&o->queues[i], err);
        if (st != GP_OK)
            return st;
    }
    if (o->batch_size < 0 || o->batch_size > 10000)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, _("a batch of %d pages is not possible; give what the tray "
                                                        "holds, 1 to 10000"),
                            o->batch_size);
    if (o->first_blank != NULL && !gp_serial_valid(o->first_blank))
        return gp_error_set(err, GP_E_USAGE, NULL, 0,
                            _("blank serial '%s' does not end in digits; give the number printed on the first "
                              "blank, e.g. A0001234"),
                            o->first_blank);
    if (o->tray != NULL && (o->tray[0] == '\0' || strpbrk(o->tray, ",;\n\r\t ") != NULL))
        return gp_error_set(err, GP_E_USAGE, NULL, 0,
                            _("'%s' is not a tray name; use the queue's media-source keyword, e.g. tray-2"), o->tray);
    return GP_OK;
}

/* A new run needs a folder that does not exist yet or is empty. */
static gp_status check_new_dir(const char *dir, gp_error **err)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        if (errno == ENOENT)
            return GP_OK;
        return gp_error_set(err, GP_E_USAGE, dir, 0, _("cannot use this folder as the run directory (%s)"),
                            strerror(errno));
    }
    struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    if (!empty)
        return gp_error_set(err, GP_E_USAGE, dir, 0, "%s",
                            _("the run directory already holds files; continue that run with --resume, or give a "
                              "new folder"));
    return GP_OK;
}

static gp_status make_dir(const char *dir, gp_error **err)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return gp_error_set(err, GP_E_IO, dir, 0, _("cannot create the run directory (%s)"), strerror(errno));
    if (chmod(dir, 0700) != 0)
        return gp_error_set(err, GP_E_IO, dir, 0, _("cannot make the run directory private (%s)"), strerror(errno));
    return GP_OK;
}

static gp_status start_journal(gp_run *run, bool create, gp_error **err)
{
    char *path = gp_run_path(run->dir, GP_RUN_JOURNAL);
    if (path == NULL)
        return gp_error_nomem(err);
    gp_status st = gp_journal_open(path, create, &run->journal, err);
    if (st == GP_OK)
        st = gp_run_scan_load(path, &run->scan, err);
    free(path);
    if (st != GP_OK || !create)
        return st;
    gp_strbuf queues, options;
    gp_strbuf_init(&queues);
    gp_strbuf_init(&options);
    for (size_t i = 0; i < run->conf.n_queues; i++)
        gp_strbuf_appendf(&queues, "%s%s", i ? "," : "", run->conf.queues[i].name);
    gp_strbuf_appendf(&options, "batch=%d", run->conf.batch_size);
    if (run->conf.tray)
        gp_strbuf_appendf(&options, " tray=%s", run->conf.tray);
    if (run->conf.first_blank)
        gp_strbuf_appendf(&options, " first-blank=%s", run->conf.first_blank);
    if (run->conf.records)
        gp_strbuf_appendf(&options, " records=%s", run->conf.records);
    if (run->conf.skip_invalid)
        gp_strbuf_append(&options, " skip-invalid");
    if (gp_strbuf_failed(&queues) || gp_strbuf_failed(&options)) {
        st = gp_error_nomem(err);
    } else {
        gp_journal_event ev;
        gp_journal_event_init(&ev, GP_JOURNAL_RUN_STARTED);
        ev.run_id = run->conf.run_id;
        ev.template_name = run->job.tpl->name ? run->job.tpl->name : run->conf.template_path;
        ev.queues = queues.data;
        ev.options = options.data;
        st = gp_run_emit(run, &ev, err);
    }
    gp_strbuf_free(&queues);
    gp_strbuf_free(&options);
    return st;
}

/* The run's settings: saved ones on resume, else the caller's. */
static gp_status load_conf(gp_run *run, gp_error **err)
{
    const gp_print_options *o = run->opts;
    if (o->resume) {
        gp_status st = gp_run_conf_read(&run->conf, run->dir, err);
        if (st == GP_OK)
            st = gp_run_conf_check_inputs(&run->conf, err);
        return st;
    }
    gp_status st = check_new_options(o, err);
    if (st == GP_OK)
        st = check_new_dir(run->dir, err);
    /* A queue that does not exist, or a CUPS that does not answer, is
     * better said before a run directory exists. Looking up a name no job
     * has asks CUPS about the queue and nothing else. */
    for (size_t i = 0; st == GP_OK && i < o->n_queues; i++) {
        int id;
        gp_cups_state cs;
        st = gp_cups_find_job(o->queues[i].name, "gradprint-queue-check", &id, &cs, err);
    }
    char id[GP_RUN_ID_SIZE];
    if (st == GP_OK)
        st = gp_print_run_id_new(id, sizeof id, err);
    if (st == GP_OK)
        st = gp_run_conf_from_options(&run->conf, o, id, err);
    return st;
}

static gp_status preflight(gp_run *run, size_t *valid, gp_error **err)
{
    gp_run_conf_certs_options(&run->conf, &run->certs);
    /* The certs job wants an output; a run writes per-batch PDFs instead. */
    run->certs.out_path = run->dir;
    run->certs.progress = run->opts->certs.progress;
    run->certs.progress_user = run->opts->certs.progress_user;
    gp_status st = gp_certs_prepare(&run->job, run->ctx, &run->certs, err);
    if (run->job.report != NULL && !gp_report_take(run->res->report, run->job.report) && st == GP_OK)
        st = gp_error_nomem(err);
    if (st != GP_OK)
        return st;
    *valid = 0;
    for (size_t p = 0; p < run->job.nselected; p++)
        *valid += run->job.valid[p] ? 1 : 0;
    run->res->selected = run->job.nselected;
    run->res->skipped = run->job.nselected - *valid;
    if (run->job.roster_errors > 0)
        return gp_error_set(err, GP_E_INVALID, run->conf.roster, 0, "%s",
                            _("the roster as a whole has errors (see above); nothing was printed"));
    if (run->res->skipped > 0 && !run->conf.skip_invalid)
        return gp_error_set(err, GP_E_INVALID, run->conf.roster, 0,
                            _("%zu of %zu graduates failed the checks (see above); nothing was printed: correct the "
                              "roster or photos, or pass --skip-invalid to print the others"),
                            run->res->skipped, run->job.nselected);
    if (*valid == 0)
        return gp_error_set(err, GP_E_INVALID, run->conf.roster, 0, "%s",
                            _("no graduate passed the checks; nothing was printed"));
    return GP_OK;
}

/* Positions of the valid records the journal does not show printed. */
static gp_status todo_list(gp_run *run, size_t **out, size_t *n, gp_error **err)
{
    gp_certs_job *job = &run->job;
    *n = 0;
    *out = malloc((job->nselected ? job->nselected : 1) * sizeof **out);
    if (*out == NULL)
        return gp_error_nomem(err);
    for (size_t p = 0; p < job->nselected; p++) {
        if (!job->valid[p])
            continue;
        const gp_print_record *r = gp_print_state_record(run->scan.state, (long)job->selected[p]);
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

gp_status gp_print_run(gp_context *ctx, const gp_print_options *opts, gp_print_result **result, gp_error **err)
{
    if (result)
        *result = NULL;
    if (opts == NULL || opts->run_dir == NULL || opts->run_dir[0] == '\0')
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("a run directory is required (--run DIR)"));
    gp_run run;
    memset(&run, 0, sizeof run);
    run.ctx = ctx;
    run.opts = opts;
    run.res = calloc(1, sizeof *run.res);
    run.dir = strdup(opts->run_dir);
    if (run.res == NULL || run.dir == NULL || (run.res->report = gp_report_new()) == NULL) {
        gp_print_result_free(run.res);
        free(run.dir);
        return gp_error_nomem(err);
    }
    size_t valid = 0;
    gp_status st = load_conf(&run, err);
    if (st == GP_OK && (run.res->run_id = strdup(run.conf.run_id)) == NULL)
        st = gp_error_nomem(err);
    if (st == GP_OK)
        st = preflight(&run, &valid, err);
    if (st == GP_OK && !opts->resume) {
        run.conf.total = valid;
        st = make_dir(run.dir, err);
        if (st == GP_OK)
            st = gp_run_conf_write(&run.conf, run.dir, err);
    }
    if (st == GP_OK)
        st = start_journal(&run, !opts->resume, err);
    if (st == GP_OK) {
        run.keep = run.conf.keep || opts->keep;
        run.next_batch = run.scan.max_batch + 1;
        const char *first = run.conf.first_blank;
        if (first != NULL && run.scan.last_serial != NULL &&
            !gp_serial_next(run.scan.last_serial, run.next_serial, sizeof run.next_serial))
            st = gp_error_set(err, GP_E_INVALID, run.dir, 0, _("the last blank serial %s cannot be counted on"),
                              run.scan.last_serial);
        else if (first != NULL && run.scan.last_serial == NULL)
            snprintf(run.next_serial, sizeof run.next_serial, "%s", first);
    }
    if (st == GP_OK) {
        gp_run_remove_stale_pdfs(&run);
        st = gp_run_resolve_open(&run, err);
    }
    if (st == GP_OK)
        st = print_all(&run, err);
    if (run.journal != NULL)
        gp_journal_close(run.journal);
    gp_run_scan_free(&run.scan);
    gp_certs_job_free(&run.job);
    gp_run_conf_free(&run.conf);
    free(run.dir);
    if (result)
        *result = run.res;
    else
        gp_print_result_free(run.res);
    return st;
}
