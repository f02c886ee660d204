/* Preflight for photo sheets: everything that can be wrong with a student's
 * data or photo is found before the first sheet is written, and each
 * finding names the roster line or the photo file. */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "layout/layout-private.h"
#include "photo/photo-private.h"
#include "pool-private.h"
#include "sheets-private.h"

static const gp_key required_keys[] = {GP_KEY_STUDENT_NO, GP_KEY_NAME,  GP_KEY_ID_NUMBER,
                                       GP_KEY_COLLEGE,    GP_KEY_MAJOR, GP_KEY_CLASS};

typedef struct preflight_job {
    gp_sheets_job *job;
    gp_report **per_record; /* findings of record i, merged in roster order afterwards */
} preflight_job;

typedef struct preflight_worker {
    gp_text_engine *text;
    gp_layout layout;
} preflight_worker;

static gp_status worker_start(void *pj_, void **state, gp_error **err)
{
    preflight_job *pj = pj_;
    preflight_worker *w = calloc(1, sizeof *w);
    if (w == NULL)
        return gp_error_nomem(err);
    gp_status st = gp_text_engine_new(pj->job->ctx, &w->text, err);
    if (st != GP_OK) {
        free(w);
        return st;
    }
    gp_layout_init(&w->layout);
    *state = w;
    return GP_OK;
}

static void worker_stop(void *pj_, void *state)
{
    (void)pj_;
    preflight_worker *w = state;
    gp_layout_free(&w->layout);
    gp_text_engine_free(w->text);
    free(w);
}

static gp_status check_record(void *pj_, void *state, size_t i, gp_error **err)
{
    preflight_job *pj = pj_;
    preflight_worker *w = state;
    gp_sheets_job *job = pj->job;
    const gp_record *r = gp_roster_record(job->roster, i);
    gp_report *report = pj->per_record[i];
    const char *id = gp_record_key(r, GP_KEY_ID_NUMBER);
    const char *student_no = gp_record_key(r, GP_KEY_STUDENT_NO);
    if (id != NULL)
        gp_photo_preflight(job->opts->photos_dir, id, student_no, report);
    /* Lay the sheet out once now, so a name too long for the label or a
     * character no font has stops the run before anything is written. */
    gp_sheet_fields fields = {r, job->school};
    gp_layout_clear(&w->layout);
    gp_layout_build(job->tpl, gp_sheet_field, &fields, w->text, &w->layout, report, gp_roster_path(job->roster),
                    gp_record_line(r), student_no);
    (void)err;
    return GP_OK;
}

static bool has_jpeg_extension(const char *name, size_t *stem_len)
{
    const char *dot = strrchr(name, '.');
    if (dot == NULL || dot == name)
        return false;
    *stem_len = (size_t)(dot - name);
    return strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0;
}

static int compare_strings(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Photos in the folder that no roster row asks for: usually a student
 * missing from the roster, or a photo named with a mistyped ID number. */
static gp_status find_orphan_photos(gp_sheets_job *job, gp_error **err)
{
    size_t n = gp_roster_size(job->roster), nids = 0;
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    if (ids == NULL)
        return gp_error_nomem(err);
    for (size_t i = 0; i < n; i++) {
        const char *id = gp_record_key(gp_roster_record(job->roster, i), GP_KEY_ID_NUMBER);
        if (id != NULL)
            ids[nids++] = id;
    }
    qsort(ids, nids, sizeof *ids, compare_strings);
    DIR *dir = opendir(job->opts->photos_dir);
    if (dir == NULL) {
        free(ids);
        return gp_error_set(err, GP_E_IO, job->opts->photos_dir, 0, "%s", _("cannot list the photo directory"));
    }
    struct dirent *e;
    char stem[256];
    while ((e = readdir(dir)) != NULL) {
        size_t len;
        if (!has_jpeg_extension(e->d_name, &len) || len >= sizeof stem)
            continue;
        for (size_t k = 0; k < len; k++)
            stem[k] = (char)toupper((unsigned char)e->d_name[k]);
        stem[len] = '\0';
        const char *key = stem;
        if (bsearch(&key, ids, nids, sizeof *ids, compare_strings) != NULL)
            continue;
        char *path = gp_path_join(job->opts->photos_dir, e->d_name);
        gp_report_add(job->report, GP_WARNING, "photo-orphan", path, 0, NULL,
                      _("no student in the roster has the ID number this photo is named after; add the student to "
                        "the roster or check the file name"));
        free(path);
    }
    closedir(dir);
    free(ids);
    return GP_OK;
}

/* The roster check reports lines; map them back to records to mark them. */
static void mark_invalid_lines(gp_sheets_job *job, const gp_report *report)
{
    size_t n = gp_roster_size(job->roster);
    for (size_t k = 0; k < gp_report_count(report); k++) {
        const gp_finding *f = gp_report_get(report, k);
        if (f->severity != GP_ERROR || f->line <= 0)
            continue;
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (gp_record_line(gp_roster_record(job->roster, mid)) < f->line)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < n && gp_record_line(gp_roster_record(job->roster, lo)) == f->line)
            job->valid[lo] = false;
    }
}

gp_status gp_sheets_preflight(gp_sheets_job *job, gp_error **err)
{
    size_t n = gp_roster_size(job->roster);
    job->valid = malloc((n ? n : 1) * sizeof *job->valid);
    preflight_job pj = {job, calloc(n ? n : 1, sizeof(gp_report *))};
    if (job->valid == NULL || pj.per_record == NULL) {
        free(pj.per_record);
        return gp_error_nomem(err);
    }
    gp_status st = GP_OK;
    for (size_t i = 0; i < n && st == GP_OK; i++) {
        job->valid[i] = true;
        if ((pj.per_record[i] = gp_report_new()) == NULL)
            st = gp_error_nomem(err);
    }
    gp_report *roster_findings = gp_report_new();
    if (st == GP_OK && roster_findings == NULL)
        st = gp_error_nomem(err);
    if (st == GP_OK) {
        gp_report_take(roster_findings, job->roster->issues);
        gp_roster_check(job->roster, required_keys, sizeof required_keys / sizeof *required_keys, roster_findings);
        mark_invalid_lines(job, roster_findings);
        gp_report_take(job->report, roster_findings);
        static const gp_pool_worker_fns fns = {worker_start, check_record, worker_stop};
        st = gp_pool_run(&pj, &fns, n, job->workers, GP_PHASE_PREFLIGHT, job->opts->progress,
                         job->opts->progress_user, err);
    }
    for (size_t i = 0; i < n; i++) {
        if (pj.per_record[i] == NULL)
            continue;
        if (gp_report_count_severity(pj.per_record[i], GP_ERROR) > 0)
            job->valid[i] = false;
        gp_report_take(job->report, pj.per_record[i]);
        gp_report_free(pj.per_record[i]);
    }
    free(pj.per_record);
    gp_report_free(roster_findings);
    if (st == GP_OK)
        st = find_orphan_photos(job, err);
    return st;
}
