/* Rendering the photo-lab output. Tasks run on the worker pool; each worker
 * owns a text engine, a JPEG driver and a render environment and keeps one
 * photo in memory at a time, so memory does not grow with the roster. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/strbuf-private.h"
#include "class-pages-private.h"
#include "driver.h"
#include "layout/layout-private.h"
#include "photo/photo-private.h"
#include "base/pool-private.h"
#include "render/render-private.h"
#include "fields-private.h"
#include "sheets-private.h"


typedef enum task_kind { TASK_PROOF, TASK_PACKING_LISTS, TASK_DIVIDER, TASK_SHEET } task_kind;

typedef struct task {
    task_kind kind;
    size_t index; /* class index or delivery position */
} task;

typedef struct render_job {
    gp_sheets_job *job;
    task *tasks;
    size_t ntasks;
    /* The proof is one task but many pages: progress counts its pages
     * (written by its worker, read by the calling thread). */
    bool has_proof;
    atomic_size_t proof_pages;
    atomic_size_t others_done; /* tasks other than the proof, finished */
} render_job;

typedef struct render_worker {
    gp_text_engine *text;
    gp_driver *jpeg;
    gp_sheet_writer *sheets; /* with the job's plan */
    gp_sheet_writer *dividers; /* with the job's divider plan */
    gp_layout layout;
    gp_render_env env;
} render_worker;

static gp_status worker_start(void *rj_, void **state, gp_error **err)
{
    render_job *rj = rj_;
    render_worker *w = calloc(1, sizeof *w);
    if (w == NULL)
        return gp_error_nomem(err);
    gp_status st = gp_text_engine_new(rj->job->ctx, &w->text, err);
    if (st == GP_OK && (rj->job->formats & GP_SHEETS_JPEG)) {
        /* gp_outdir_commit syncs the whole tree. */
        gp_driver_config jpeg = {
            .kind = GP_DRIVER_JPEG, .dpi = rj->job->dpi, .quality = GP_SHEET_JPEG_QUALITY, .no_sync = true};
        st = gp_driver_open(&jpeg, &w->jpeg, err);
    }
    if (st == GP_OK && rj->job->plan != NULL)
        st = gp_sheet_writer_new(rj->job->plan, w->text, &w->sheets, err);
    if (st == GP_OK && rj->job->divider_plan != NULL)
        st = gp_sheet_writer_new(rj->job->divider_plan, w->text, &w->dividers, err);
    if (st != GP_OK) {
        gp_sheet_writer_free(w->sheets);
        gp_driver_free(w->jpeg);
        gp_text_engine_free(w->text);
        free(w);
        return st;
    }
    gp_layout_init(&w->layout);
    /* Without a JPEG driver the env serves only the sheet writers, which
     * draw pixels. */
    gp_render_env_init(&w->env, w->text, w->jpeg == NULL || gp_driver_is_raster(w->jpeg));
    *state = w;
    return GP_OK;
}

static void worker_stop(void *rj_, void *state)
{
    (void)rj_;
    render_worker *w = state;
    gp_render_env_free(&w->env);
    gp_layout_free(&w->layout);
    gp_sheet_writer_free(w->sheets);
    gp_sheet_writer_free(w->dividers);
    gp_driver_free(w->jpeg);
    gp_text_engine_free(w->text);
    free(w);
}

/* Renders the sheet at a delivery position onto a driver. scale_denom picks
 * the decoded size: full for raster output, 1/8 for PDF, where the JPEG
 * bytes themselves are embedded and the pixels only stand in. */
/* The photo of the student at a delivery position, decoded at 1/scale_denom. */
static gp_status load_photo(const gp_sheets_job *job, const gp_record *r, int scale_denom, gp_photo **photo,
                            cairo_surface_t **pixels, gp_error **err)
{
    *photo = NULL;
    *pixels = NULL;
    bool nomem;
    char *photo_path = gp_photo_find_checked(job->opts->photos_dir, gp_record_key(r, GP_KEY_ID_NUMBER), &nomem);
    if (photo_path == NULL && nomem)
        return gp_error_nomem(err);
    if (photo_path == NULL)
        return gp_error_set(err, GP_E_IO, job->opts->photos_dir, 0, _("the photo of student %s disappeared after preflight"),
                            gp_record_key(r, GP_KEY_STUDENT_NO));
    gp_status st = gp_photo_load(photo_path, photo, err);
    free(photo_path);
    if (st == GP_OK)
        st = gp_photo_decode(*photo, scale_denom, pixels, err);
    return st;
}

static void unload_photo(gp_photo *photo, cairo_surface_t *pixels)
{
    if (pixels != NULL)
        cairo_surface_destroy(pixels);
    gp_photo_free(photo);
}

/* Renders the sheet at a delivery position onto a driver. scale_denom picks
 * the decoded size: full for raster output, 1/8 for PDF, where the JPEG
 * bytes themselves are embedded and the pixels only stand in. */
static gp_status render_sheet(gp_sheets_job *job, gp_driver *drv, gp_render_env *env, gp_layout *layout,
                              gp_text_engine *text, size_t position, const char *file, int scale_denom,
                              gp_error **err)
{
    const gp_record *r = gp_roster_record(job->roster, job->delivery.order[position]);
    gp_photo *photo = NULL;
    cairo_surface_t *pixels = NULL;
    gp_status st = load_photo(job, r, scale_denom, &photo, &pixels, err);
    if (st == GP_OK) {
        gp_job_fields fields = {r, job->school};
        gp_layout_build(job->sheet_tpl, gp_job_field, &fields, text, layout, NULL, NULL, 0, NULL);
        /* A layout cut short by memory lacks marks: never draw it. */
        st = gp_layout_status(layout, err);
        gp_render_env_set_photo(env, photo, pixels);
        gp_page_spec page = {job->sheet_tpl->page_w_mm, job->sheet_tpl->page_h_mm, file, false};
        cairo_t *cr = NULL;
        if (st == GP_OK)
            st = gp_driver_begin_page(drv, &page, &cr, err);
        if (st == GP_OK)
            st = gp_render_layout(cr, layout, env, err);
        if (st == GP_OK)
            st = gp_driver_end_page(drv, err);
        gp_render_env_reset(env);
    }
    unload_photo(photo, pixels);
    return st;
}

/* A JPEG sheet assembled from the plan; drawn the plain way when the
 * record drew where the plan did not expect it. */
static gp_status write_sheet(gp_sheets_job *job, render_worker *w, size_t position, const char *file,
                             gp_error **err)
{
    const gp_record *r = gp_roster_record(job->roster, job->delivery.order[position]);
    gp_photo *photo = NULL;
    cairo_surface_t *pixels = NULL;
    gp_status st = load_photo(job, r, 1, &photo, &pixels, err);
    bool done = false;
    if (st == GP_OK) {
        gp_job_fields fields = {r, job->school};
        gp_layout_build(job->sheet_tpl, gp_job_field, &fields, w->text, &w->layout, NULL, NULL, 0, NULL);
        st = gp_layout_status(&w->layout, err);
        if (st == GP_OK)
            st = gp_sheet_writer_write(w->sheets, &w->layout, pixels, file, GP_ATOMIC_NO_SYNC, &done, err);
    }
    unload_photo(photo, pixels);
    if (st == GP_OK && !done)
        st = render_sheet(job, w->jpeg, &w->env, &w->layout, w->text, position, file, 1, err);
    return st;
}

/* The proof: every sheet in delivery order in one PDF, written by one
 * worker because a PDF is a single stream. */
static gp_status render_proof(render_job *rj, render_worker *w, gp_error **err)
{
    gp_sheets_job *job = rj->job;
    char *path = gp_outdir_path(&job->out, "proof.pdf");
    if (path == NULL)
        return gp_error_nomem(err);
    gp_driver *pdf = NULL;
    gp_status st = gp_driver_open(&(gp_driver_config){.kind = GP_DRIVER_PDF, .path = path}, &pdf, err);
    free(path);
    gp_render_env env;
    gp_render_env_init(&env, w->text, pdf != NULL && gp_driver_is_raster(pdf));
    for (size_t p = 0; st == GP_OK && p < job->delivery.count; p++) {
        st = render_sheet(job, pdf, &env, &w->layout, w->text, p, NULL, 8, err);
        if (st == GP_OK && p + 1 < job->delivery.count)
            atomic_fetch_add(&rj->proof_pages, 1);
    }
    if (st == GP_OK)
        st = gp_driver_finish(pdf, err);
    if (st == GP_OK)
        atomic_fetch_add(&rj->proof_pages, 1); /* the last page counts once the file is whole */
    gp_render_env_free(&env);
    gp_driver_free(pdf);
    return st;
}

/* Every class's packing list, one after the other on one worker. Each
 * list is a PDF with its fonts embedded, and cairo builds a subset by
 * copying the font's whole CFF table (16-24 MB for a CJK face, four faces):
 * two workers doing that at once doubled the peak memory of the run. */
static gp_status render_packing_lists(gp_sheets_job *job, render_worker *w, gp_error **err)
{
    gp_status st = GP_OK;
    for (size_t c = 0; st == GP_OK && c < job->delivery.nclasses; c++) {
        char *rel = gp_packing_list_path(job, c);
        char *path = rel ? gp_outdir_path(&job->out, rel) : NULL;
        free(rel);
        st = path ? gp_class_packing_list_render(job, c, w->text, path, err) : gp_error_nomem(err);
        free(path);
    }
    return st;
}

static gp_status run_other_task(render_job *rj, render_worker *w, const task *t, gp_error **err);

static gp_status run_task(void *rj_, void *state, size_t i, gp_error **err)
{
    render_job *rj = rj_;
    render_worker *w = state;
    const task *t = &rj->tasks[i];
    if (t->kind == TASK_PROOF)
        return render_proof(rj, w, err);
    gp_status st = run_other_task(rj, w, t, err);
    atomic_fetch_add(&rj->others_done, 1);
    return st;
}

static gp_status run_other_task(render_job *rj, render_worker *w, const task *t, gp_error **err)
{
    gp_sheets_job *job = rj->job;
    if (t->kind == TASK_PACKING_LISTS)
        return render_packing_lists(job, w, err);
    char *rel = t->kind == TASK_SHEET ? gp_sheet_path(job, t->index) : gp_divider_path(job, t->index);
    char *path = rel ? gp_sheets_staged(job, rel) : NULL;
    free(rel);
    if (path == NULL)
        return gp_error_nomem(err);
    gp_status st;
    if (t->kind == TASK_SHEET && w->sheets != NULL)
        st = write_sheet(job, w, t->index, path, err);
    else if (t->kind == TASK_SHEET)
        st = render_sheet(job, w->jpeg, &w->env, &w->layout, w->text, t->index, path, 1, err);
    else
        st = gp_class_divider_render(job, t->index, w->jpeg, w->dividers, &w->env, w->text, path, err);
    free(path);
    return st;
}

/* Tasks in the order workers pick them up: the long proof and the packing
 * lists first so they run beside the sheets, then class by class, so a run
 * that fails midway has spent its time on the first classes. */
static task *plan_tasks(const gp_sheets_job *job, size_t *ntasks)
{
    size_t n = job->delivery.count + job->delivery.nclasses + 2, k = 0;
    task *tasks = malloc(n * sizeof *tasks);
    if (tasks == NULL)
        return NULL;
    bool jpeg = job->formats & GP_SHEETS_JPEG;
    if (job->formats & GP_SHEETS_PDF)
        tasks[k++] = (task){TASK_PROOF, 0};
    tasks[k++] = (task){TASK_PACKING_LISTS, 0};
    for (size_t c = 0; jpeg && c < job->delivery.nclasses; c++) {
        tasks[k++] = (task){TASK_DIVIDER, c};
        for (size_t i = 0; i < job->delivery.classes[c].count; i++)
            tasks[k++] = (task){TASK_SHEET, job->delivery.classes[c].first + i};
    }
    *ntasks = k;
    return tasks;
}

static gp_status make_directory(const gp_sheets_job *job, char *rel, gp_error **err)
{
    char *path = rel ? gp_sheets_staged(job, rel) : NULL;
    gp_status st = path ? gp_mkdir_p(path, err) : gp_error_nomem(err);
    free(rel);
    free(path);
    return st;
}

static gp_status make_directories(gp_sheets_job *job, gp_error **err)
{
    gp_status st = make_directory(job, strdup("packing-lists"), err);
    for (size_t c = 0; st == GP_OK && (job->formats & GP_SHEETS_JPEG) && c < job->delivery.nclasses; c++)
        st = make_directory(job, gp_class_dir_path(job, c), err);
    if (st == GP_OK && job->lab_mode && job->lab.dpof) {
        gp_strbuf sb;
        gp_strbuf_init(&sb);
        gp_strbuf_appendf(&sb, "%s/MISC", job->order_dir);
        st = make_directory(job, gp_strbuf_steal(&sb), err);
    }
    return st;
}

gp_status gp_sheets_prepare(gp_sheets_job *job, gp_error **err)
{
    gp_status st = gp_sheet_snap_template(job->tpl, job->dpi, job->paper_w_mm, job->paper_h_mm, &job->snapped, err);
    if (st != GP_OK)
        return st;
    job->sheet_tpl = &job->snapped.tpl;
    if (!(job->formats & GP_SHEETS_JPEG) || gp_roster_size(job->roster) == 0)
        return GP_OK;
    gp_text_engine *text = NULL;
    if ((st = gp_text_engine_new(job->ctx, &text, err)) != GP_OK)
        return st;
    gp_layout sample;
    gp_layout_init(&sample);
    gp_job_fields fields = {gp_roster_record(job->roster, 0), job->school};
    gp_layout_build(job->sheet_tpl, gp_job_field, &fields, text, &sample, NULL, NULL, 0, NULL);
    st = gp_layout_status(&sample, err);
    if (st == GP_OK)
        st = gp_sheet_plan_new(job->sheet_tpl, job->dpi, GP_SHEET_JPEG_QUALITY, &sample, text, &job->plan, err);
    if (st == GP_OK)
        st = gp_class_divider_plan(job, text, err);
    gp_layout_free(&sample);
    gp_text_engine_free(text);
    return st;
}

/* The pool's count of tasks done, with the proof's task counted as its
 * pages: the bar moves while the proof is written, and ends at the total. */
static void progress(void *rj_, gp_phase phase, size_t done, size_t total)
{
    render_job *rj = rj_;
    const gp_sheets_options *o = rj->job->opts;
    if (rj->has_proof) {
        done = atomic_load(&rj->others_done) + atomic_load(&rj->proof_pages);
        total = total - 1 + rj->job->delivery.count;
    }
    o->progress(o->progress_user, phase, done, total);
}

gp_status gp_sheets_render(gp_sheets_job *job, gp_error **err)
{
    gp_status st = make_directories(job, err);
    if (st != GP_OK)
        return st;
    render_job rj = {job, NULL, 0, (job->formats & GP_SHEETS_PDF) != 0, 0, 0};
    rj.tasks = plan_tasks(job, &rj.ntasks);
    if (rj.tasks == NULL)
        return gp_error_nomem(err);
    static const gp_pool_worker_fns fns = {worker_start, run_task, worker_stop};
    st = gp_pool_run(&rj, &fns, rj.ntasks, job->workers, GP_PHASE_RENDER, job->opts->progress ? progress : NULL, &rj,
                     err);
    free(rj.tasks);
    return st;
}
