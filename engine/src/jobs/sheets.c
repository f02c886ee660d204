#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "pool-private.h"
#include "fields-private.h"
#include "sheets-private.h"

struct gp_sheets_result {
    gp_report *report;
    size_t students, rendered, skipped, classes;
    char *out_dir;
};

void gp_sheets_options_init(gp_sheets_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->formats = GP_SHEETS_JPEG;
}

static gp_status check_options(const gp_sheets_options *o, gp_error **err)
{
    if (o->roster_path == NULL || o->photos_dir == NULL || o->out_dir == NULL)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("a roster, a photo directory and an output directory are all required"));
    struct stat st;
    if (stat(o->photos_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return gp_error_set(err, GP_E_USAGE, o->photos_dir, 0, "%s", _("photo directory not found; pass the folder holding the <ID number>.jpg files"));
    if (o->dpi != 0 && (o->dpi < 72 || o->dpi > 1200))
        return gp_error_set(err, GP_E_USAGE, NULL, 0, _("resolution %d dpi is outside 72..1200; photo labs print at 300, 320 or 254"), o->dpi);
    if (o->formats & ~(unsigned)(GP_SHEETS_JPEG | GP_SHEETS_PDF))
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("unknown output format"));
    if (o->jobs < 0)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("the number of jobs must be positive"));
    return GP_OK;
}

static gp_status load_inputs(gp_sheets_job *job, gp_error **err)
{
    const gp_sheets_options *o = job->opts;
    char *tpl_path = gp_context_find_template(job->ctx, o->template_path ? o->template_path : "photo-sheet-7in");
    if (tpl_path == NULL)
        return gp_error_set(err, GP_E_USAGE, o->template_path ? o->template_path : "photo-sheet-7in", 0, "%s",
                            _("template not found; give a template file or the name of one in templates/"));
    gp_status st = gp_template_load(job->ctx, tpl_path, &job->tpl, err);
    free(tpl_path);
    if (st != GP_OK)
        return st;
    st = gp_roster_load(job->ctx, o->roster_path, &o->roster, &job->roster, err);
    if (st != GP_OK)
        return st;
    job->school = o->school ? o->school : job->tpl->school;
    if (job->school == NULL)
        return gp_error_set(err, GP_E_USAGE, job->tpl->path, 0, "%s",
                            _("the template names no school; pass the school name (--school)"));
    job->dpi = o->dpi ? o->dpi : job->tpl->dpi;
    job->formats = o->formats ? o->formats : GP_SHEETS_JPEG;
    job->workers = gp_pool_default_workers(o->jobs);
    return GP_OK;
}

static gp_status plan_delivery(gp_sheets_job *job, gp_error **err)
{
    gp_status st = gp_delivery_plan(job->roster, job->valid, &job->delivery, err);
    if (st != GP_OK)
        return st;
    job->class_of = malloc((job->delivery.count ? job->delivery.count : 1) * sizeof *job->class_of);
    if (job->class_of == NULL)
        return gp_error_nomem(err);
    for (size_t c = 0; c < job->delivery.nclasses; c++)
        for (size_t i = 0; i < job->delivery.classes[c].count; i++)
            job->class_of[job->delivery.classes[c].first + i] = c;
    return GP_OK;
}

static void job_free(gp_sheets_job *job)
{
    gp_outdir_abort(&job->out);
    free(job->class_of);
    gp_delivery_free(&job->delivery);
    free(job->valid);
    gp_roster_free(job->roster);
    gp_template_free(job->tpl);
    gp_report_free(job->report);
}

static gp_status run(gp_sheets_job *job, gp_sheets_result *res, gp_error **err)
{
    gp_status st = load_inputs(job, err);
    if (st == GP_OK)
        st = gp_sheets_preflight(job, err);
    if (st != GP_OK)
        return st;
    res->students = gp_roster_size(job->roster);
    for (size_t i = 0; i < res->students; i++)
        res->skipped += !job->valid[i];
    if (job->roster_errors > 0)
        return gp_error_set(err, GP_E_INVALID, job->opts->roster_path, 0, "%s",
                            _("the roster as a whole has errors (see above); nothing was written"));
    if (res->skipped > 0 && !job->opts->skip_invalid)
        return gp_error_set(err, GP_E_INVALID, job->opts->roster_path, 0,
                            _("preflight found errors in %zu of %zu students; nothing was written. Correct them, "
                              "or pass --skip-invalid to make the sheets of the others"),
                            res->skipped, res->students);
    if (res->skipped == res->students)
        return gp_error_set(err, GP_E_INVALID, job->opts->roster_path, 0, "%s",
                            _("no student passed preflight; nothing to render"));
    if ((st = plan_delivery(job, err)) != GP_OK)
        return st;
    if ((st = gp_outdir_begin(&job->out, job->opts->out_dir, job->opts->overwrite, err)) != GP_OK)
        return st;
    if ((st = gp_sheets_render(job, err)) != GP_OK)
        return st;
    if ((st = gp_sheets_write_manifest(job, err)) != GP_OK)
        return st;
    if ((st = gp_outdir_commit(&job->out, err)) != GP_OK)
        return st;
    res->rendered = job->delivery.count;
    res->classes = job->delivery.nclasses;
    res->out_dir = strdup(job->opts->out_dir);
    return GP_OK;
}

gp_status gp_sheets_run(gp_context *ctx, const gp_sheets_options *opts, gp_sheets_result **result, gp_error **err)
{
    if (result != NULL)
        *result = NULL;
    gp_status st = check_options(opts, err);
    if (st != GP_OK)
        return st;
    gp_sheets_result *res = calloc(1, sizeof *res);
    gp_sheets_job job = {.ctx = ctx, .opts = opts, .report = gp_report_new()};
    if (res == NULL || job.report == NULL) {
        free(res);
        job_free(&job);
        return gp_error_nomem(err);
    }
    gp_staging_sweep(opts->out_dir, job.report);
    st = run(&job, res, err);
    res->report = job.report;
    job.report = NULL;
    job_free(&job);
    if (result != NULL)
        *result = res;
    else
        gp_sheets_result_free(res);
    return st;
}

const gp_report *gp_sheets_result_report(const gp_sheets_result *r) { return r ? r->report : NULL; }
size_t gp_sheets_result_students(const gp_sheets_result *r) { return r ? r->students : 0; }
size_t gp_sheets_result_rendered(const gp_sheets_result *r) { return r ? r->rendered : 0; }
size_t gp_sheets_result_skipped(const gp_sheets_result *r) { return r ? r->skipped : 0; }
size_t gp_sheets_result_classes(const gp_sheets_result *r) { return r ? r->classes : 0; }
const char *gp_sheets_result_out_dir(const gp_sheets_result *r) { return r ? r->out_dir : NULL; }

void gp_sheets_result_free(gp_sheets_result *r)
{
    if (r == NULL)
        return;
    gp_report_free(r->report);
    free(r->out_dir);
    free(r);
}
