/* gradprint photos prepare: a folder of camera originals (or students' own
 * photos) in, ID-named conforming photos out. Which original is which
 * student comes from the capture log or the file names; each photo is
 * prepared on a worker with its own detector and written whole (0600) or
 * not at all. A photo that cannot be made conforming is refused with its
 * reasons and nothing is written for it. */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/pool-private.h"
#include "photo-checker-private.h"
#include "photo-listing-private.h"
#include "photo-prepare-private.h"
#include "photos-jobs-private.h"
#include "roster/roster-private.h"

typedef struct prepared_item {
    gp_photo_prepared view; /* what the API hands out; points into the rest */
    char *source, *id_number, *output;
    gp_report *findings;
    gp_prepared_photo photo;
    bool refused;
} prepared_item;

struct gp_photos_prepare_result {
    prepared_item *items;
    size_t count;
    gp_report *report;
    size_t written, refused;
};

void gp_photos_prepare_options_init(gp_photos_prepare_options *opts) { memset(opts, 0, sizeof *opts); }

typedef struct prepare_job {
    gp_context *ctx;
    const gp_photos_prepare_options *opts;
    const gp_photo_profile *profile;
    gp_photos_prepare_result *r;
} prepare_job;

static void refuse_item(prepared_item *it, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void refuse_item(prepared_item *it, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gp_report_vadd(it->findings, GP_ERROR, code, it->source, 0, NULL, fmt, ap);
    va_end(ap);
    it->refused = true;
}

/* An input named <ID>.jpg, .jpeg or .png. */
static char *id_from_file_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot == NULL || dot - name != 18 ||
        (strcasecmp(dot, ".jpg") != 0 && strcasecmp(dot, ".jpeg") != 0 && strcasecmp(dot, ".png") != 0))
        return NULL;
    char id[19];
    memcpy(id, name, 18);
    id[18] = '\0';
    if (!gp_id_number_valid(id, NULL))
        return NULL;
    id[17] = (char)toupper((unsigned char)id[17]);
    return strdup(id);
}

/* Which student each input is. */
static gp_status assign_ids(gp_photos_prepare_result *r, const gp_listing *files, const gp_capture_log *log,
                            const gp_roster *roster, gp_error **err)
{
    gp_roster_index *index = roster != NULL ? gp_roster_index_new(roster) : NULL;
    if (roster != NULL && index == NULL)
        return gp_error_nomem(err);
    bool *used = log != NULL ? calloc(gp_capture_log_count(log) + 1, sizeof *used) : NULL;
    if (log != NULL && used == NULL) {
        gp_roster_index_free(index);
        return gp_error_nomem(err);
    }
    for (size_t i = 0; i < r->count; i++) {
        prepared_item *it = &r->items[i];
        const gp_listed_file *f = &files->files[i];
        if (f->outside != NULL) {
            refuse_item(it, "outside",
                        _("this is a symbolic link to %s, outside the input folder; copy the original into it instead"),
                        f->outside);
            continue;
        }
        if (log != NULL) {
            const gp_capture_entry *e = gp_capture_log_find(log, f->name);
            if (e == NULL) {
                refuse_item(it, "name", "%s", _("this file is not in the capture log; add it, or it is not prepared"));
                continue;
            }
            used[e - gp_capture_log_entry(log, 0)] = true;
            if (!e->usable) {
                refuse_item(it, "name", _("line %ld of the capture log has a problem (see above); correct it"),
                            e->line);
                continue;
            }
            it->id_number = strdup(e->id_number);
        } else {
            it->id_number = id_from_file_name(f->name);
            if (it->id_number == NULL) {
                refuse_item(it, "name", "%s",
                            _("the file is not named <ID number>.jpg; rename it or give a capture log (--names)"));
                continue;
            }
        }
        if (it->id_number == NULL) {
            free(used);
            gp_roster_index_free(index);
            return gp_error_nomem(err);
        }
        if (index != NULL && gp_roster_index_by_id(index, it->id_number) == NULL)
            refuse_item(it, "not-in-roster", "%s",
                        _("no student in the roster has this ID number; correct the roster, the capture log or the "
                          "file name"));
    }
    for (size_t k = 0; log != NULL && k < gp_capture_log_count(log); k++) {
        const gp_capture_entry *e = gp_capture_log_entry(log, k);
        if (!used[k] && e->usable)
            gp_report_add(r->report, GP_WARNING, "photo-missing", NULL, e->line, e->student_no,
                          _("the capture log names %s, which is not in the input folder"), e->file);
    }
    free(used);
    gp_roster_index_free(index);
    return GP_OK;
}

static int compare_items_by_id(const void *a, const void *b)
{
    const prepared_item *x = *(prepared_item *const *)a, *y = *(prepared_item *const *)b;
    return strcmp(x->id_number, y->id_number);
}

/* Two originals for one student: no telling which to deliver. */
static gp_status refuse_duplicates(gp_photos_prepare_result *r, gp_error **err)
{
    prepared_item **v = malloc((r->count ? r->count : 1) * sizeof *v);
    if (v == NULL)
        return gp_error_nomem(err);
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i].id_number != NULL && !r->items[i].refused)
            v[n++] = &r->items[i];
    qsort(v, n, sizeof *v, compare_items_by_id);
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i]->id_number, v[i - 1]->id_number) == 0) {
            refuse_item(v[i], "name", _("%s is for the same student; keep one of the two"), v[i - 1]->source);
            refuse_item(v[i - 1], "name", _("%s is for the same student; keep one of the two"), v[i]->source);
        }
    free(v);
    return GP_OK;
}

/* Temporary files of a run that was killed: gone before anything else. */
static gp_status clean_stale(const char *dir, gp_report *report, gp_error **err)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return gp_error_set(err, GP_E_IO, dir, 0, "%s", _("cannot list the output folder"));
    size_t removed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.' || strstr(e->d_name, ".tmp-") == NULL)
            continue;
        char *path = gp_path_join(dir, e->d_name);
        if (path != NULL && unlink(path) == 0)
            removed++;
        free(path);
    }
    closedir(d);
    if (removed > 0)
        gp_report_add(report, GP_WARNING, "stale", dir, 0, NULL,
                      _("removed %zu unfinished files that an interrupted run left here"), removed);
    return GP_OK;
}

static gp_status check_outputs(prepare_job *job, gp_error **err)
{
    gp_photos_prepare_result *r = job->r;
    size_t existing = 0;
    const char *first = NULL;
    for (size_t i = 0; i < r->count; i++) {
        prepared_item *it = &r->items[i];
        if (it->id_number == NULL)
            continue;
        char name[32];
        snprintf(name, sizeof name, "%s.jpg", it->id_number);
        if ((it->output = gp_path_join(job->opts->out_dir, name)) == NULL)
            return gp_error_nomem(err);
        if (!it->refused && access(it->output, F_OK) == 0 && existing++ == 0)
            first = it->output;
    }
    if (existing > 0 && !job->opts->overwrite)
        return gp_error_set(err, GP_E_USAGE, job->opts->out_dir, 0,
                            _("%zu of the photos to prepare are there already (the first: %s); give --overwrite to "
                              "replace them, or another --out"),
                            existing, first);
    return GP_OK;
}

static gp_status worker_start(void *job_, void **state, gp_error **err)
{
    prepare_job *job = job_;
    gp_preparer *pp = calloc(1, sizeof *pp);
    if (pp == NULL)
        return gp_error_nomem(err);
    gp_status st = gp_photo_checker_new(job->ctx, job->profile, &pp->checker, err);
    if (st != GP_OK) {
        free(pp);
        return st;
    }
    *state = pp;
    return GP_OK;
}

static void worker_stop(void *job_, void *state)
{
    (void)job_;
    gp_preparer *pp = state;
    gp_preparer_clear(pp);
    gp_photo_checker_free(pp->checker);
    free(pp);
}

static gp_status prepare_one(void *job_, void *state, size_t i, gp_error **err)
{
    prepare_job *job = job_;
    prepared_item *it = &job->r->items[i];
    if (it->refused)
        return GP_OK;
    if (job->opts->cancel != NULL && *job->opts->cancel)
        return gp_photos_cancelled(err);
    unsigned char *data = NULL;
    size_t size = 0;
    gp_error *read_err = NULL;
    gp_status st = gp_read_file(it->source, GP_ORIGINAL_MAX_FILE_BYTES, &data, &size, &read_err);
    if (st != GP_OK) {
        refuse_item(it, "format", _("cannot read the file (%s)"), gp_error_message(read_err));
        gp_error_free(read_err);
        return GP_OK;
    }
    const char *slash = strrchr(it->output, '/');
    if (!gp_prepare_photo(state, it->source, slash != NULL ? slash + 1 : it->output, data, size, it->findings,
                          &it->photo, err)) {
        free(data);
        if (err != NULL && *err != NULL)
            return gp_error_status(*err);
        it->refused = true;
        return GP_OK;
    }
    free(data);
    /* The folder is synced once at the end, not per photo. */
    return gp_write_file_atomic_flags(it->output, it->photo.jpeg, it->photo.size, GP_ATOMIC_NO_SYNC, err);
}

static void fill_views(gp_photos_prepare_result *r)
{
    for (size_t i = 0; i < r->count; i++) {
        prepared_item *it = &r->items[i];
        bool written = !it->refused && it->photo.jpeg != NULL;
        it->view = (gp_photo_prepared){
            it->source, it->id_number, written ? it->output : NULL, it->photo.quality, (long)it->photo.size,
            it->photo.plan.scale, it->photo.crop_x, it->photo.crop_y, it->photo.crop_w, it->photo.crop_h,
            written ? it->photo.check : NULL, it->findings,
        };
        r->written += written;
        r->refused += !written;
        /* The bytes are on disk; the result keeps only what it reports. */
        free(it->photo.jpeg);
        it->photo.jpeg = NULL;
    }
}

void gp_photos_prepare_result_free(gp_photos_prepare_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->count; i++) {
        prepared_item *it = &r->items[i];
        free(it->source);
        free(it->id_number);
        free(it->output);
        gp_report_free(it->findings);
        gp_prepared_photo_clear(&it->photo);
    }
    free(r->items);
    gp_report_free(r->report);
    free(r);
}

static gp_status setup(gp_photos_prepare_result **out, const gp_listing *files, gp_error **err)
{
    gp_photos_prepare_result *r = calloc(1, sizeof *r);
    if (r == NULL || (r->report = gp_report_new()) == NULL ||
        (r->items = calloc(files->count ? files->count : 1, sizeof *r->items)) == NULL) {
        gp_photos_prepare_result_free(r);
        return gp_error_nomem(err);
    }
    *out = r;
    r->count = files->count;
    for (size_t i = 0; i < files->count; i++)
        if ((r->items[i].source = strdup(files->files[i].path)) == NULL ||
            (r->items[i].findings = gp_report_new()) == NULL)
            return gp_error_nomem(err);
    return GP_OK;
}

gp_status gp_photos_prepare_run(gp_context *ctx, const gp_photos_prepare_options *opts,
                                gp_photos_prepare_result **result, gp_error **err)
{
    *result = NULL;
    if (opts->in_dir == NULL || opts->out_dir == NULL)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("--in and --out are required"));
    gp_photo_profile *profile = NULL;
    gp_roster *roster = NULL;
    gp_capture_log *log = NULL;
    gp_listing files = {0};
    gp_photos_prepare_result *r = NULL;
    gp_report *log_findings = gp_report_new();
    gp_status st = log_findings != NULL ? gp_photo_profile_load(opts->profile, &profile, err) : gp_error_nomem(err);
    if (st == GP_OK)
        st = gp_photos_load_roster(ctx, opts->roster_path, &opts->roster, &roster, err);
    if (st == GP_OK && opts->names_path != NULL)
        st = gp_capture_log_load(opts->names_path, NULL, roster, &log, log_findings, err);
    const char *in[1] = {opts->in_dir};
    if (st == GP_OK)
        st = gp_listing_make(in, 1, true, &files, err);
    if (st == GP_OK)
        st = setup(&r, &files, err);
    if (st == GP_OK) {
        gp_report_take(r->report, log_findings);
        if (files.skipped > 0)
            gp_report_add(r->report, GP_WARNING, "format", opts->in_dir, 0, NULL,
                          _("%zu files in the input folder are not pictures and were left alone"), files.skipped);
        st = assign_ids(r, &files, log, roster, err);
    }
    if (st == GP_OK)
        st = refuse_duplicates(r, err);
    if (st == GP_OK)
        st = gp_mkdir_p(opts->out_dir, err);
    prepare_job job = {ctx, opts, profile, r};
    if (st == GP_OK)
        st = clean_stale(opts->out_dir, r->report, err);
    if (st == GP_OK)
        st = check_outputs(&job, err);
    if (st == GP_OK && r->count > 0) {
        static const gp_pool_worker_fns fns = {worker_start, prepare_one, worker_stop};
        st = gp_pool_run(&job, &fns, r->count, gp_pool_default_workers(opts->jobs), GP_PHASE_RENDER, opts->progress,
                         opts->progress_user, err);
    }
    if (st == GP_OK)
        st = gp_sync_tree(opts->out_dir, err);
    if (r != NULL)
        fill_views(r);
    gp_report_free(log_findings);
    gp_listing_free(&files);
    gp_capture_log_free(log);
    gp_roster_free(roster);
    gp_photo_profile_free(profile);
    if (st != GP_OK) {
        /* What was written stays: each photo is whole and conforming. */
        *result = r;
        return st;
    }
    *result = r;
    return r->refused > 0 ? GP_E_INVALID : GP_OK;
}

size_t gp_photos_prepare_result_count(const gp_photos_prepare_result *r) { return r->count; }
const gp_photo_prepared *gp_photos_prepare_result_get(const gp_photos_prepare_result *r, size_t i)
{
    return &r->items[i].view;
}
const gp_report *gp_photos_prepare_result_report(const gp_photos_prepare_result *r) { return r->report; }
size_t gp_photos_prepare_result_written(const gp_photos_prepare_result *r) { return r->written; }
size_t gp_photos_prepare_result_refused(const gp_photos_prepare_result *r) { return r->refused; }
