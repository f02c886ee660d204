#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/context-private.h"
#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/pool-private.h"
#include "fields-private.h"
#include "sheets-private.h"

struct gp_sheets_result {
    gp_report *report;
    size_t students, rendered, skipped, invalid, classes;
    char *out_dir;
    char *order_dir;
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
    if (o->group_order != GP_GROUP_ORDER_NATURAL && o->group_order != GP_GROUP_ORDER_ROSTER)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("unknown class order; use natural or roster order"));
    if (o->lab == NULL && (o->order_id != NULL || o->hot_folder != NULL))
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s",
                            _("an order name and a hot folder are for lab orders; name the lab (--lab)"));
    if (o->lab != NULL && o->formats != 0 && !(o->formats & GP_SHEETS_JPEG))
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s",
                            _("a lab order is made of JPEG sheets; use --format jpeg or both with --lab"));
    if (o->order_id != NULL && !gp_lab_order_id_valid(o->order_id))
        return gp_error_set(err, GP_E_USAGE, o->order_id, 0, "%s",
                            _("an order name is 1 to 12 ASCII letters and digits, such as 0042 or A2025"));
    if (o->hot_folder != NULL && (stat(o->hot_folder, &st) != 0 || !S_ISDIR(st.st_mode)))
        return gp_error_set(err, GP_E_USAGE, o->hot_folder, 0, "%s",
                            _("the hot folder does not exist; give the folder the lab's software watches"));
    if (o->jobs < 0)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("the number of jobs must be positive"));
    return GP_OK;
}

/* The lab's profile, its resolution (unless --dpi says otherwise) and the
 * paper the template prints on, and the order's names. */
static gp_status load_lab(gp_sheets_job *job, gp_error **err)
{
    const gp_sheets_options *o = job->opts;
    gp_status st = gp_lab_profile_load(job->ctx, o->lab, &job->lab, err);
    if (st != GP_OK)
        return st;
    job->lab_mode = true;
    job->dpi = o->dpi ? o->dpi : job->lab.dpi;
    double w = job->tpl->page_w_mm, h = job->tpl->page_h_mm;
    const gp_lab_paper *paper = gp_lab_paper_for(&job->lab, w, h);
    if (paper == NULL)
        return gp_error_set(err, GP_E_USAGE, job->lab.file, 0,
                            _("the lab prints none of its papers at the template's size, %g x %g mm; choose a "
                              "template of a paper the profile names, or add the paper to a copy of the profile"),
                            w, h);
    /* The paper's way up is the page's. */
    bool portrait = h >= w;
    job->paper_w_mm = portrait ? fmin(paper->w_mm, paper->h_mm) : fmax(paper->w_mm, paper->h_mm);
    job->paper_h_mm = portrait ? fmax(paper->w_mm, paper->h_mm) : fmin(paper->w_mm, paper->h_mm);
    if (o->order_id != NULL) {
        snprintf(job->order_id, sizeof job->order_id, "%s", o->order_id);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        snprintf(job->order_id, sizeof job->order_id, "%02u%02u%02u%02u%02u", (unsigned)tm.tm_year % 100u,
                 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
                 (unsigned)tm.tm_min % 100u);
    }
    snprintf(job->order_dir, sizeof job->order_dir, "%s%s", job->lab.ready_prefix, job->order_id);
    job->hot = o->hot_folder != NULL;
    return GP_OK;
}

static gp_status load_inputs(gp_sheets_job *job, gp_error **err)
{
    const gp_sheets_options *o = job->opts;
    char *tpl_path;
    gp_status located =
        gp_context_locate_template(job->ctx, o->template_path ? o->template_path : "photo-sheet-7in", &tpl_path, err);
    if (located != GP_OK)
        return located;
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
    return o->lab != NULL ? load_lab(job, err) : GP_OK;
}

static gp_status plan_delivery(gp_sheets_job *job, gp_error **err)
{
    gp_status st = gp_delivery_plan(job->roster, job->valid, job->opts->group_order, &job->delivery, err);
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
    gp_outdir_abort(&job->order_out);
    gp_sheet_plan_free(job->plan);
    gp_sheet_plan_free(job->divider_plan);
    free(job->divider);
    gp_sheet_snapped_free(&job->snapped);
    free(job->class_of);
    gp_delivery_free(&job->delivery);
    free(job->valid);
    gp_roster_free(job->roster);
    gp_template_free(job->tpl);
    gp_report_free(job->report);
}

/* The plan is made beside preflight: its ~50 ms leave the critical path. */
typedef struct prepare_thread {
    gp_sheets_job *job;
    pthread_t thread;
    bool started;
    gp_status status;
    gp_error *error;
} prepare_thread;

static void *prepare_main(void *arg)
{
    prepare_thread *pt = arg;
    pt->status = gp_sheets_prepare(pt->job, &pt->error);
    return NULL;
}

static gp_status preflight_and_prepare(gp_sheets_job *job, gp_error **err)
{
    prepare_thread pt = {.job = job, .status = GP_OK};
    pt.started = pthread_create(&pt.thread, NULL, prepare_main, &pt) == 0;
    gp_status st = gp_sheets_preflight(job, err);
    if (pt.started)
        pthread_join(pt.thread, NULL);
    else
        pt.status = gp_sheets_prepare(job, &pt.error);
    if (st == GP_OK && pt.status != GP_OK) {
        st = pt.status;
        if (err != NULL && *err == NULL)
            *err = pt.error;
        else
            gp_error_free(pt.error);
    } else {
        gp_error_free(pt.error);
    }
    return st;
}

static gp_status run(gp_sheets_job *job, gp_sheets_result *res, gp_error **err)
{
    gp_status st = load_inputs(job, err);
    if (st == GP_OK)
        st = preflight_and_prepare(job, err);
    if (st != GP_OK)
        return st;
    res->students = gp_roster_size(job->roster);
    for (size_t i = 0; i < res->students; i++)
        res->invalid += !job->valid[i];
    if (job->roster_errors > 0)
        return gp_error_set(err, GP_E_INVALID, job->opts->roster_path, 0, "%s",
                            _("the roster as a whole has errors (see above); nothing was written"));
    if (res->invalid > 0 && !job->opts->skip_invalid)
        return gp_error_set(err, GP_E_INVALID, job->opts->roster_path, 0,
                            _("preflight found errors in %zu of %zu students; nothing was written. Correct them, "
                              "or pass --skip-invalid to make the sheets of the others"),
                            res->invalid, res->students);
    if (res->invalid == res->students)
        return gp_error_set(err, GP_E_INVALID, job->opts->roster_path, 0, "%s",
                            _("no student passed preflight; nothing to render"));
    if ((st = plan_delivery(job, err)) != GP_OK)
        return st;
    if (job->lab_mode && job->delivery.nclasses > 999)
        return gp_error_set(err, GP_E_USAGE, job->opts->roster_path, 0,
                            _("%zu classes are more than a lab order's folders C001 to C999 can hold; make one order "
                              "per part of the roster"),
                            job->delivery.nclasses);
    if ((st = gp_outdir_begin(&job->out, job->opts->out_dir, job->opts->overwrite, err)) != GP_OK)
        return st;
    if (job->hot) {
        char *target = gp_path_join(job->opts->hot_folder, job->order_dir);
        char staging[32];
        snprintf(staging, sizeof staging, "%s%s", job->lab.staging_prefix, job->order_id);
        st = target ? gp_outdir_begin_named(&job->order_out, target, staging, err) : gp_error_nomem(err);
        free(target);
        if (st != GP_OK)
            return st;
    }
    if ((st = gp_sheets_render(job, err)) != GP_OK)
        return st;
    if ((st = gp_sheets_write_manifest(job, err)) != GP_OK)
        return st;
    if (job->lab_mode && job->lab.dpof && (st = gp_sheets_write_dpof(job, err)) != GP_OK)
        return st;
    /* The contractor's side first: the lab must not start on an order
     * whose packing lists do not exist. */
    if ((st = gp_outdir_commit(&job->out, err)) != GP_OK)
        return st;
    if (job->hot) {
        res->order_dir = strdup(job->order_out.target);
        if ((st = gp_outdir_commit(&job->order_out, err)) != GP_OK)
            return st;
    } else if (job->lab_mode) {
        res->order_dir = gp_path_join(job->opts->out_dir, job->order_dir);
    }
    /* Only now were the invalid students left out of an output: a run
     * that wrote nothing skipped nobody. */
    res->skipped = res->invalid;
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
size_t gp_sheets_result_invalid(const gp_sheets_result *r) { return r ? r->invalid : 0; }
size_t gp_sheets_result_classes(const gp_sheets_result *r) { return r ? r->classes : 0; }
const char *gp_sheets_result_out_dir(const gp_sheets_result *r) { return r ? r->out_dir : NULL; }
const char *gp_sheets_result_order_dir(const gp_sheets_result *r) { return r ? r->order_dir : NULL; }

void gp_sheets_result_free(gp_sheets_result *r)
{
    if (r == NULL)
        return;
    gp_report_free(r->report);
    free(r->out_dir);
    free(r->order_dir);
    free(r);
}
