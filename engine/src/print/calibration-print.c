/* gp_calibration_page_make: the calibration page for a template, written
 * to a file and/or printed through a queue exactly as a run's batches are
 * (the same queue check, the same turn, the same job options), so what the
 * operator measures is what the run will do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "cups-private.h"
#include "jobs/calibration-private.h"
#include "journal-private.h"
#include "queue-private.h"
#include "template/template-private.h"

struct gp_calibration_page_result {
    gp_report *report;
    gp_print_orientation orientation;
    int job_id;
    char loading[512];
};

void gp_calibration_page_options_init(gp_calibration_page_options *opts)
{
    memset(opts, 0, sizeof *opts);
    gp_calibration_init(&opts->calibration);
}

const gp_report *gp_calibration_page_result_report(const gp_calibration_page_result *r) { return r ? r->report : NULL; }
gp_print_orientation gp_calibration_page_result_orientation(const gp_calibration_page_result *r)
{
    return r ? r->orientation : GP_ORIENTATION_NONE;
}
int gp_calibration_page_result_job(const gp_calibration_page_result *r) { return r ? r->job_id : 0; }
const char *gp_calibration_page_result_loading(const gp_calibration_page_result *r)
{
    return r && r->loading[0] ? r->loading : NULL;
}

void gp_calibration_page_result_free(gp_calibration_page_result *r)
{
    if (r == NULL)
        return;
    gp_report_free(r->report);
    free(r);
}

/* Sends the page and waits for it to print. */
static gp_status print_page(const gp_calibration_page_options *o, const gp_queue_plan *plan, const char *pdf,
                            int *job_id, gp_error **err)
{
    char name[64], id[GP_RUN_ID_SIZE];
    gp_status st = gp_print_run_id_new(id, sizeof id, err);
    if (st != GP_OK)
        return st;
    snprintf(name, sizeof name, "gradprint-calibration-%s", id);
    bool refused;
    st = gp_cups_submit(o->printer, pdf, name, plan->options, plan->n_options, NULL, NULL, job_id, &refused, err);
    if (st != GP_OK)
        return st;
    gp_cups_wait_result w;
    st = gp_cups_wait(o->printer, *job_id, o->wait_timeout_s > 0 ? o->wait_timeout_s : 300, &w, err);
    if (st == GP_OK && !w.finished)
        st = gp_error_set(err, GP_E_IO, NULL, 0,
                          w.queue_paused ? _("queue %s is stopped (%s); the calibration page waits in it as job %d")
                                         : _("the calibration page did not print on queue %s in time (%s); it is job "
                                             "%d"),
                          o->printer, w.reason[0] ? w.reason : gp_cups_state_name(w.state), *job_id);
    else if (st == GP_OK && w.state != GP_CUPS_COMPLETED)
        st = gp_error_set(err, GP_E_IO, NULL, 0, _("the calibration page's job %d on queue %s ended %s%s%s%s"),
                          *job_id, o->printer, gp_cups_state_name(w.state), w.reason[0] ? " (" : "", w.reason,
                          w.reason[0] ? ")" : "");
    return st;
}

/* A private folder for the page when it is only printed. */
static char *scratch_pdf(char *dir, size_t size, gp_error **err)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, size, "%s/gradprint-calibration-XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        gp_error_set(err, GP_E_IO, dir, 0, "%s", _("cannot make a private temporary folder for the calibration page"));
        return NULL;
    }
    char *path = gp_path_join(dir, "calibration.pdf");
    if (path == NULL)
        gp_error_nomem(err);
    return path;
}

gp_status gp_calibration_page_make(gp_context *ctx, const gp_calibration_page_options *o,
                                   gp_calibration_page_result **out, gp_error **err)
{
    *out = NULL;
    if (o == NULL || o->template_path == NULL || (o->out_path == NULL && o->printer == NULL))
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s",
                            _("the calibration page needs a template, and a file to write or a printer to print on"));
    gp_calibration_page_result *r = calloc(1, sizeof *r);
    if (r == NULL || (r->report = gp_report_new()) == NULL) {
        gp_calibration_page_result_free(r);
        return gp_error_nomem(err);
    }
    *out = r;
    gp_queue_plan plan;
    memset(&plan, 0, sizeof plan);
    gp_status st = GP_OK;
    r->orientation = GP_ORIENTATION_AS_IS;
    if (o->printer != NULL) {
        gp_template *tpl = NULL;
        st = gp_template_load(ctx, o->template_path, &tpl, err);
        if (st == GP_OK)
            st = gp_queue_check(o->printer, tpl, o->tray, &o->calibration, &plan, r->report, err);
        gp_template_free(tpl);
        if (st == GP_OK && plan.fit == GP_FIT_NONE)
            st = gp_error_set(err, GP_E_IO, NULL, 0,
                              _("queue %s cannot print this template's blank at exactly 1:1 (see above), so its "
                                "calibration page would not tell the truth either"),
                              o->printer);
        r->orientation = plan.fit == GP_FIT_TURNED ? GP_ORIENTATION_TURNED : GP_ORIENTATION_AS_IS;
    } else {
        gp_calibration_warnings(&o->calibration, NULL, r->report);
    }
    bool turned = r->orientation == GP_ORIENTATION_TURNED;
    gp_loading_instructions(turned, &o->calibration, r->loading, sizeof r->loading);
    char dir[512] = "";
    char *pdf = NULL;
    if (st == GP_OK)
        pdf = o->out_path != NULL ? strdup(o->out_path) : scratch_pdf(dir, sizeof dir, err);
    if (st == GP_OK && pdf == NULL)
        st = dir[0] ? GP_E_IO : gp_error_nomem(err);
    if (st == GP_OK)
        st = gp_calibration_page_draw(ctx, o->template_path, &o->calibration, turned, pdf, err);
    if (st == GP_OK && o->printer != NULL)
        st = print_page(o, &plan, pdf, &r->job_id, err);
    if (dir[0] != '\0') {
        if (pdf != NULL)
            unlink(pdf);
        rmdir(dir);
    }
    free(pdf);
    gp_queue_plan_free(&plan);
    return st;
}
