#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/strbuf-private.h"
#include "certs-private.h"
#include "record-select-private.h"
#include "outdir-private.h"
#include "render/render-private.h"

struct gp_certs_result {
    gp_report *report;
    size_t selected, rendered, skipped;
};

void gp_certs_options_init(gp_certs_options *opts)
{
    memset(opts, 0, sizeof *opts);
    gp_calibration_init(&opts->calibration);
}

static bool template_has(const gp_template *tpl, gp_element_kind kind)
{
    for (size_t i = 0; i < tpl->count; i++)
        if (tpl->elements[i].kind == kind)
            return true;
    return false;
}

static gp_status check_options(const gp_certs_options *o, gp_error **err)
{
    if (o->roster_path == NULL || o->template_path == NULL)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("a roster and a template are both required"));
    struct stat st;
    if (o->photos_dir != NULL && (stat(o->photos_dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        return gp_error_set(err, GP_E_USAGE, o->photos_dir, 0, "%s",
                            _("photo directory not found; pass the folder holding the <ID number>.jpg files"));
    const gp_calibration *c = &o->calibration;
    if (c->scale_x < 0.9 || c->scale_x > 1.1 || c->scale_y < 0.9 || c->scale_y > 1.1)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, _("calibration scale %.4f x %.4f is outside 0.9..1.1; "
                                                        "measure it again with 'gradprint calibrate'"),
                            c->scale_x, c->scale_y);
    if (c->offset_x_mm < -50 || c->offset_x_mm > 50 || c->offset_y_mm < -50 || c->offset_y_mm > 50)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("calibration offsets beyond 50 mm are not a printer's error; check the values"));
    if (o->out_path != NULL && !o->overwrite && access(o->out_path, F_OK) == 0)
        return gp_error_set(err, GP_E_USAGE, o->out_path, 0, "%s",
                            _("already exists; pass --overwrite to replace it, or choose another file"));
    return GP_OK;
}

static gp_status prepare(gp_certs_job *job, gp_context *ctx, const gp_certs_options *opts, gp_error **err)
{
    job->ctx = ctx;
    job->opts = opts;
    job->report = gp_report_new();
    if (job->report == NULL)
        return gp_error_nomem(err);
    gp_status st = check_options(opts, err);
    if (st == GP_OK) {
        gp_staging_sweep(opts->out_path, job->report);
        gp_staging_sweep(opts->png_dir, job->report);
        st = gp_template_load(ctx, opts->template_path, &job->tpl, err);
    }
    if (st != GP_OK)
        return st;
    job->has_photo = template_has(job->tpl, GP_EL_PHOTO);
    if (job->has_photo && opts->photos_dir == NULL)
        return gp_error_set(err, GP_E_USAGE, job->tpl->path, 0, "%s",
                            _("the template places the graduate's photo; pass the photo directory (--photos)"));
    st = gp_roster_load(ctx, opts->roster_path, &opts->roster, &job->roster, err);
    if (st != GP_OK)
        return st;
    job->school = job->tpl->school;
    st = gp_records_select(job->roster, opts->records, &job->selected, &job->nselected, err);
    if (st == GP_OK)
        st = gp_certs_preflight(job, err);
    return st;
}

gp_status gp_certs_job_prepare(gp_context *ctx, const gp_certs_options *opts, gp_certs_job **out, gp_error **err)
{
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return gp_error_nomem(err);
    return prepare(*out, ctx, opts, err);
}

void gp_certs_job_free(gp_certs_job *job)
{
    if (job == NULL)
        return;
    free(job->valid);
    free(job->selected);
    gp_roster_free(job->roster);
    gp_template_free(job->tpl);
    gp_report_free(job->report);
    free(job);
}

gp_report *gp_certs_job_take_report(gp_certs_job *job)
{
    gp_report *r = job->report;
    job->report = gp_report_new();
    return r;
}

size_t gp_certs_job_roster_errors(const gp_certs_job *job) { return job->roster_errors; }
size_t gp_certs_job_count(const gp_certs_job *job) { return job->nselected; }
size_t gp_certs_job_record_index(const gp_certs_job *job, size_t position) { return job->selected[position]; }
bool gp_certs_job_valid(const gp_certs_job *job, size_t position) { return job->valid != NULL && job->valid[position]; }
const gp_roster *gp_certs_job_roster(const gp_certs_job *job) { return job->roster; }
const gp_template *gp_certs_job_template(const gp_certs_job *job) { return job->tpl; }

/* "0001_2021010101.png": page order first, so a file listing reads like the PDF. */
static char **preview_names(const gp_certs_job *job, const size_t *positions, size_t n)
{
    char **names = calloc(n ? n : 1, sizeof *names);
    for (size_t i = 0; names != NULL && i < n; i++) {
        const char *no = gp_record_key(gp_roster_record(job->roster, job->selected[positions[i]]), GP_KEY_STUDENT_NO);
        gp_strbuf sb;
        gp_strbuf_init(&sb);
        gp_strbuf_appendf(&sb, "%04zu_%s.png", i + 1, no ? no : "");
        for (size_t k = 0; k < sb.len; k++)
            if (sb.data[k] == '/')
                sb.data[k] = '_';
        names[i] = gp_strbuf_steal(&sb);
    }
    return names;
}

static gp_status write_previews(const gp_certs_job *job, const char *pdf, const size_t *positions, size_t n,
                                gp_error **err)
{
    gp_outdir od;
    gp_status st = gp_outdir_begin(&od, job->opts->png_dir, job->opts->overwrite, err);
    if (st != GP_OK)
        return st;
    char **names = preview_names(job, positions, n);
    char **paths = calloc(n ? n : 1, sizeof *paths);
    for (size_t i = 0; names && paths && i < n; i++)
        paths[i] = names[i] ? gp_outdir_path(&od, names[i]) : NULL;
    bool complete = names != NULL && paths != NULL;
    for (size_t i = 0; complete && i < n; i++)
        complete = paths[i] != NULL;
    if (!complete)
        st = gp_error_nomem(err);
    if (st == GP_OK)
        st = gp_preview_pngs(pdf, od.staging, 100, (const char *const *)names, n, err);
    if (st == GP_OK)
        st = gp_outdir_commit(&od, err);
    gp_outdir_abort(&od);
    for (size_t i = 0; i < n; i++) {
        if (names)
            free(names[i]);
        if (paths)
            free(paths[i]);
    }
    free(names);
    free(paths);
    return st;
}

static gp_status run(gp_certs_job *job, gp_certs_result *res, gp_error **err)
{
    res->selected = job->nselected;
    size_t *positions = malloc((job->nselected ? job->nselected : 1) * sizeof *positions), n = 0;
    if (positions == NULL)
        return gp_error_nomem(err);
    for (size_t p = 0; p < job->nselected; p++)
        if (job->valid[p])
            positions[n++] = p;
    res->skipped = job->nselected - n;
    gp_status st = GP_OK;
    if (job->roster_errors > 0)
        st = gp_error_set(err, GP_E_INVALID, job->opts->roster_path, 0, "%s",
                          _("the roster as a whole has errors (see above); nothing was written"));
    else if (res->skipped > 0 && !job->opts->skip_invalid)
        st = gp_error_set(err, GP_E_INVALID, job->opts->roster_path, 0,
                          _("preflight found errors in %zu of %zu graduates; nothing was written. Correct them, "
                            "or pass --skip-invalid to print the others"),
                          res->skipped, res->selected);
    else if (n == 0)
        st = gp_error_set(err, GP_E_INVALID, job->opts->roster_path, 0, "%s",
                          _("no graduate passed preflight; nothing to print"));
    /* The PDF stays in staging until its previews are in place too: a run
     * killed midway leaves neither (and the next run removes the staging). */
    gp_outdir pdf = {0};
    if (st == GP_OK)
        st = gp_outfile_begin(&pdf, job->opts->out_path, err);
    gp_cert_page_setup setup = {job->opts->calibration, false, job->opts->proof};
    if (st == GP_OK)
        st = gp_certs_job_render(job, positions, n, &setup, pdf.file, err);
    if (st == GP_OK && job->opts->png_dir != NULL)
        st = write_previews(job, pdf.file, positions, n, err);
    if (st == GP_OK)
        st = gp_outdir_commit(&pdf, err);
    gp_outdir_abort(&pdf);
    if (st == GP_OK)
        res->rendered = n;
    free(positions);
    return st;
}

gp_status gp_certs_run(gp_context *ctx, const gp_certs_options *opts, gp_certs_result **result, gp_error **err)
{
    if (result != NULL)
        *result = NULL;
    gp_certs_result *res = calloc(1, sizeof *res);
    if (res == NULL)
        return gp_error_nomem(err);
    gp_certs_job *job = NULL;
    gp_status st = opts == NULL || opts->out_path == NULL
                       ? gp_error_set(err, GP_E_USAGE, NULL, 0, "%s",
                                      _("a roster, a template and an output file are all required"))
                       : gp_certs_job_prepare(ctx, opts, &job, err);
    if (st == GP_OK)
        st = run(job, res, err);
    else if (job != NULL && job->valid == NULL)
        res->selected = job->nselected;
    res->report = job != NULL ? gp_certs_job_take_report(job) : gp_report_new();
    gp_certs_job_free(job);
    if (result != NULL)
        *result = res;
    else
        gp_certs_result_free(res);
    return st;
}

const gp_report *gp_certs_result_report(const gp_certs_result *r) { return r ? r->report : NULL; }
size_t gp_certs_result_selected(const gp_certs_result *r) { return r ? r->selected : 0; }
size_t gp_certs_result_rendered(const gp_certs_result *r) { return r ? r->rendered : 0; }
size_t gp_certs_result_skipped(const gp_certs_result *r) { return r ? r->skipped : 0; }

void gp_certs_result_free(gp_certs_result *r)
{
    if (r == NULL)
        return;
    gp_report_free(r->report);
    free(r);
}
