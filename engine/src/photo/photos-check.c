/* gradprint photos check: every photo in the named files and folders
 * against a profile, in parallel (one checker per worker), then what only
 * the whole set shows: two files for one ID number, photos named after
 * nobody in the roster, students without a photo. */
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/pool-private.h"
#include "photo-checker-private.h"
#include "photo-listing-private.h"
#include "photo-orphans-private.h"
#include "photos-jobs-private.h"
#include "roster/roster-private.h"

gp_status gp_photos_cancelled(gp_error **err)
{
    return gp_error_set(err, GP_E_INTERRUPTED, NULL, 0, "%s", _("interrupted; nothing half-written was left behind"));
}

gp_status gp_photos_load_roster(gp_context *ctx, const char *path, const gp_roster_options *opts, gp_roster **out,
                                gp_error **err)
{
    *out = NULL;
    return path == NULL ? GP_OK : gp_roster_load(ctx, path, opts, out, err);
}

void gp_photos_check_options_init(gp_photos_check_options *opts) { memset(opts, 0, sizeof *opts); }

gp_status gp_photos_checker_start(void *job_, void **state, gp_error **err)
{
    const gp_photos_worker_job *job = job_;
    gp_photo_checker *k = NULL;
    gp_status st = gp_photo_checker_new(job->ctx, job->profile, &k, err);
    *state = k;
    return st;
}

void gp_photos_checker_stop(void *job_, void *state)
{
    (void)job_;
    gp_photo_checker_free(state);
}

typedef struct check_job {
    gp_photos_worker_job worker; /* first: the pool's start/stop see a gp_photos_worker_job */
    const gp_photos_check_options *opts;
    const gp_listing *files;
    gp_photos_check_result *result;
} check_job;

static gp_status check_one(void *job_, void *state, size_t i, gp_error **err)
{
    check_job *job = job_;
    if (job->opts->cancel != NULL && *job->opts->cancel)
        return gp_photos_cancelled(err);
    const gp_listed_file *f = &job->files->files[i];
    gp_checked_photo *out = &job->result->photos[i];
    if (f->outside != NULL) {
        char *msg = NULL;
        gp_report *tmp = gp_report_new();
        if (tmp == NULL)
            return gp_error_nomem(err);
        gp_report_add(tmp, GP_ERROR, "outside", f->path, 0, NULL,
                      _("this is a symbolic link to %s, outside its folder; it was not read: copy the photo into the "
                        "folder instead"),
                      f->outside);
        msg = (char *)gp_report_get(tmp, 0)->message;
        out->check = gp_photo_check_refused(f->path, "outside", msg);
        gp_report_free(tmp);
        return out->check != NULL ? GP_OK : gp_error_nomem(err);
    }
    return gp_photo_check_file(state, f->path, &out->check, err);
}

static int compare_by_id(const void *a, const void *b)
{
    const gp_checked_photo *x = *(gp_checked_photo *const *)a, *y = *(gp_checked_photo *const *)b;
    int c = strcmp(x->check->id_number, y->check->id_number);
    return c ? c : strcmp(x->file, y->file);
}

/* ID.jpg and ID.jpeg, or ID with x and with X: nobody can say which is
 * the photo, so both are errors. */
static gp_status check_duplicates(gp_photos_check_result *r, gp_error **err)
{
    gp_checked_photo **v = malloc((r->count ? r->count : 1) * sizeof *v);
    if (v == NULL)
        return gp_error_nomem(err);
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++)
        if (r->photos[i].check->id_number != NULL)
            v[n++] = &r->photos[i];
    qsort(v, n, sizeof *v, compare_by_id);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[i]->check->id_number, v[i - 1]->check->id_number) != 0)
            continue;
        gp_report_add(v[i]->check->report, GP_ERROR, "name", v[i]->file, 0, NULL,
                      _("%s is a photo of the same ID number; keep one of the two"), v[i - 1]->file);
        gp_report_add(v[i - 1]->check->report, GP_ERROR, "name", v[i - 1]->file, 0, NULL,
                      _("%s is a photo of the same ID number; keep one of the two"), v[i]->file);
    }
    free(v);
    return GP_OK;
}

static int compare_strings(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* With a roster: each photo's student, photos named after nobody (an
 * error of that photo; the set's report says how many, once), and
 * students without a photo in what was checked. */
static gp_status against_roster(gp_photos_check_result *r, const gp_roster *roster, gp_error **err)
{
    gp_roster_index *index = gp_roster_index_new(roster);
    if (index == NULL)
        return gp_error_nomem(err);
    r->orphans = calloc(r->count ? r->count : 1, sizeof *r->orphans);
    if (r->orphans == NULL) {
        gp_roster_index_free(index);
        return gp_error_nomem(err);
    }
    gp_status st = GP_OK;
    for (size_t i = 0; i < r->count && st == GP_OK; i++) {
        gp_checked_photo *ph = &r->photos[i];
        if (ph->check->id_number == NULL)
            continue;
        ph->record = gp_roster_index_by_id(index, ph->check->id_number);
        if (ph->record != NULL)
            continue;
        gp_rule rule = gp_photo_profile_rule(r->profile, GP_PC_NOT_IN_ROSTER);
        if (rule != GP_RULE_OFF)
            gp_report_add(ph->check->report, rule == GP_RULE_ERROR ? GP_ERROR : GP_WARNING, "not-in-roster", ph->file,
                          0, NULL, "%s",
                          _("no student in the roster has the ID number this photo is named after; correct the "
                            "file name or the roster"));
        if ((r->orphans[r->norphans] = strdup(ph->file)) == NULL)
            st = gp_error_nomem(err);
        else
            r->norphans++;
    }
    if (st == GP_OK && r->norphans > 0)
        gp_report_add(r->report, GP_WARNING, "not-in-roster", gp_roster_path(roster), 0, NULL,
                      _("photos named after an ID number that no student in the roster has: %zu; --report DIR lists "
                        "them in DIR/orphans.csv"),
                      r->norphans);
    const char **ids = malloc((r->count ? r->count : 1) * sizeof *ids);
    size_t nids = 0;
    if (ids == NULL && st == GP_OK)
        st = gp_error_nomem(err);
    for (size_t i = 0; i < r->count && ids != NULL; i++)
        if (r->photos[i].check->id_number != NULL)
            ids[nids++] = r->photos[i].check->id_number;
    if (ids != NULL)
        qsort(ids, nids, sizeof *ids, compare_strings);
    size_t n = gp_roster_size(roster);
    for (size_t i = 0; i < n && st == GP_OK; i++) {
        const gp_record *rec = gp_roster_record(roster, i);
        const char *id = gp_record_key(rec, GP_KEY_ID_NUMBER);
        if (id == NULL || bsearch(&id, ids, nids, sizeof *ids, compare_strings) != NULL)
            continue;
        r->missing++;
        gp_report_add(r->report, GP_WARNING, "photo-missing", gp_roster_path(roster), gp_record_line(rec),
                      gp_record_key(rec, GP_KEY_STUDENT_NO), _("no photo of this student among those checked (%s.jpg)"),
                      id);
    }
    free(ids);
    gp_roster_index_free(index);
    return st;
}

void gp_photos_check_result_free(gp_photos_check_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->count; i++) {
        free(r->photos[i].file);
        gp_photo_check_free(r->photos[i].check);
    }
    for (size_t i = 0; i < r->norphans; i++)
        free(r->orphans[i]);
    free(r->orphans);
    free(r->photos);
    gp_report_free(r->report);
    free(r->profile_name);
    free(r);
}

gp_status gp_photos_check_run(gp_context *ctx, const gp_photos_check_options *opts, gp_photos_check_result **result,
                              gp_error **err)
{
    *result = NULL;
    if (opts->npaths == 0)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("name at least one photo or folder to check"));
    gp_photo_profile *profile = NULL;
    gp_roster *roster = NULL;
    gp_listing files = {0};
    gp_status st = gp_photo_profile_load(opts->profile, &profile, err);
    if (st == GP_OK)
        st = gp_photos_load_roster(ctx, opts->roster_path, &opts->roster, &roster, err);
    if (st == GP_OK)
        st = gp_listing_make(opts->paths, opts->npaths, true, &files, err);
    gp_photos_check_result *r = NULL;
    if (st == GP_OK) {
        r = calloc(1, sizeof *r);
        if (r == NULL || (r->report = gp_report_new()) == NULL ||
            (r->photos = calloc(files.count ? files.count : 1, sizeof *r->photos)) == NULL ||
            (r->profile_name = strdup(gp_photo_profile_name(profile))) == NULL)
            st = gp_error_nomem(err);
    }
    if (st == GP_OK) {
        r->profile = profile;
        r->count = files.count;
        for (size_t i = 0; i < files.count && st == GP_OK; i++)
            if ((r->photos[i].file = strdup(files.files[i].path)) == NULL)
                st = gp_error_nomem(err);
    }
    if (st == GP_OK && files.count == 0)
        gp_report_add(r->report, GP_WARNING, "photo-missing", NULL, 0, NULL, "%s",
                      _("there are no photos (.jpg) where you pointed; check the folder"));
    if (st == GP_OK && files.count > 0) {
        check_job job = {{ctx, profile}, opts, &files, r};
        static const gp_pool_worker_fns fns = {gp_photos_checker_start, check_one, gp_photos_checker_stop};
        st = gp_pool_run(&job, &fns, files.count, gp_pool_default_workers(opts->jobs), GP_PHASE_PREFLIGHT,
                         opts->progress, opts->progress_user, err);
    }
    if (st == GP_OK)
        st = check_duplicates(r, err);
    if (st == GP_OK && roster != NULL)
        st = against_roster(r, roster, err);
    if (st == GP_OK) {
        for (size_t i = 0; i < r->count; i++)
            r->failed += !gp_photo_check_ok(r->photos[i].check);
        if (opts->report_dir != NULL)
            st = gp_photos_write_report(ctx, r, profile, opts->report_dir, err);
    }
    gp_listing_free(&files);
    if (r != NULL) {
        r->profile = NULL;
        /* Records point into the roster, which goes now. */
        for (size_t i = 0; i < r->count; i++)
            r->photos[i].record = NULL;
    }
    gp_roster_free(roster);
    gp_photo_profile_free(profile);
    if (st != GP_OK) {
        gp_photos_check_result_free(r);
        return st;
    }
    *result = r;
    return r->failed > 0 ? GP_E_INVALID : GP_OK;
}

size_t gp_photos_check_result_count(const gp_photos_check_result *r) { return r->count; }
const char *gp_photos_check_result_file(const gp_photos_check_result *r, size_t i) { return r->photos[i].file; }
const char *gp_photos_check_result_id(const gp_photos_check_result *r, size_t i)
{
    return r->photos[i].check->id_number;
}
const gp_photo_check *gp_photos_check_result_photo(const gp_photos_check_result *r, size_t i)
{
    return r->photos[i].check;
}
const gp_report *gp_photos_check_result_report(const gp_photos_check_result *r) { return r->report; }
size_t gp_photos_check_result_failed(const gp_photos_check_result *r) { return r->failed; }
size_t gp_photos_check_result_not_in_roster(const gp_photos_check_result *r) { return r->norphans; }
size_t gp_photos_check_result_missing(const gp_photos_check_result *r) { return r->missing; }
const char *gp_photos_check_result_profile(const gp_photos_check_result *r) { return r->profile_name; }
