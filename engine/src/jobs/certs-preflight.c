/* Certificate preflight: a blank wasted on a wrong, clipped or tofu-boxed
 * name is a serial-numbered security document lost, so every selected
 * record is proven clean before the first page is written: the template's
 * validators, uniqueness across the run, the photo, every character's glyph
 * and every text's fit. */
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "cert-numbers-private.h"
#include "certs-private.h"
#include "fields-private.h"
#include "photo/photo-private.h"
#include "base/pool-private.h"
#include "record-check-private.h"

/* A certificate number against its scheme and the record's year and level. */
static void check_number(const gp_certs_job *job, const gp_record *r, const gp_validator *val, const char *value,
                         gp_report *report)
{
    gp_job_fields fields = {r, job->school};
    gp_number_context ctx = {gp_job_field(&fields, "grad_date"), gp_job_field(&fields, "level")};
    gp_strbuf why;
    gp_strbuf_init(&why);
    if (!gp_number_check(val, value, &ctx, NULL, &why))
        gp_report_add(report, GP_ERROR, "number-structure", gp_roster_path(job->roster), gp_record_line(r),
                      gp_record_key(r, GP_KEY_STUDENT_NO), _("%s %s: %s (template line %ld)"), val->field, value,
                      gp_strbuf_failed(&why) ? "?" : why.data, val->line);
    gp_strbuf_free(&why);
}

static void check_validators(const gp_certs_job *job, const gp_record *r, gp_report *report)
{
    gp_job_fields fields = {r, job->school};
    const char *student_no = gp_record_key(r, GP_KEY_STUDENT_NO);
    for (size_t v = 0; v < job->tpl->nvalidators; v++) {
        const gp_validator *val = &job->tpl->validators[v];
        const char *value = gp_job_field(&fields, val->field);
        if (value == NULL) {
            if (val->required)
                gp_report_add(report, GP_ERROR, "field-required", gp_roster_path(job->roster), gp_record_line(r),
                              student_no, _("%s is empty but the template (line %ld) requires it; fill it in the roster"),
                              val->field, val->line);
            continue;
        }
        if (!gp_validator_accepts(val, value))
            gp_report_add(report, GP_ERROR, "field-format", gp_roster_path(job->roster), gp_record_line(r), student_no,
                          _("%s \"%s\" is not valid: %s (template line %ld); correct it in the roster"), val->field,
                          value, val->message ? val->message : _("it does not have the form the template requires"),
                          val->line);
        else if (val->scheme != GP_SCHEME_NONE)
            check_number(job, r, val, value, report);
    }
}

static void check_one(void *job_, gp_record_checker *checker, size_t pos, gp_report *report)
{
    gp_certs_job *job = job_;
    const gp_record *r = gp_roster_record(job->roster, job->selected[pos]);
    const char *student_no = gp_record_key(r, GP_KEY_STUDENT_NO);
    check_validators(job, r, report);
    if (job->has_photo) {
        const char *id = gp_record_key(r, GP_KEY_ID_NUMBER);
        if (id != NULL && !gp_record_id_damaged(r))
            gp_photo_preflight(&checker->photo, job->opts->photos_dir, id, student_no, report);
        else
            gp_report_add(report, GP_ERROR, "photo-missing", gp_roster_path(job->roster), gp_record_line(r), student_no,
                          "%s", _("no ID number, so no photo can be found; fill in the ID number"));
    }
    gp_job_fields fields = {r, job->school};
    gp_layout_clear(&checker->layout);
    gp_layout_build(job->tpl, gp_job_field, &fields, checker->text, &checker->layout, report,
                    gp_roster_path(job->roster), gp_record_line(r), student_no);
}

typedef struct unique_value {
    const char *value;
    size_t pos;
} unique_value;

static int compare_values(const void *a, const void *b)
{
    const unique_value *x = a, *y = b;
    int c = strcmp(x->value, y->value);
    return c ? c : (x->pos < y->pos ? -1 : x->pos > y->pos);
}

/* unique="true": two certificates must never carry the same number. */
static gp_status check_unique(gp_certs_job *job, bool *has_error, gp_error **err)
{
    unique_value *vals = malloc((job->nselected ? job->nselected : 1) * sizeof *vals);
    if (vals == NULL)
        return gp_error_nomem(err);
    for (size_t v = 0; v < job->tpl->nvalidators; v++) {
        const gp_validator *val = &job->tpl->validators[v];
        if (!val->unique)
            continue;
        size_t n = 0;
        for (size_t p = 0; p < job->nselected; p++) {
            gp_job_fields f = {gp_roster_record(job->roster, job->selected[p]), job->school};
            const char *value = gp_job_field(&f, val->field);
            if (value != NULL)
                vals[n++] = (unique_value){value, p};
        }
        qsort(vals, n, sizeof *vals, compare_values);
        for (size_t k = 1; k < n; k++) {
            if (strcmp(vals[k].value, vals[k - 1].value) != 0)
                continue;
            const gp_record *first = gp_roster_record(job->roster, job->selected[vals[k - 1].pos]);
            const gp_record *again = gp_roster_record(job->roster, job->selected[vals[k].pos]);
            gp_report_add(job->report, GP_ERROR, "field-not-unique", gp_roster_path(job->roster), gp_record_line(again),
                          gp_record_key(again, GP_KEY_STUDENT_NO),
                          _("%s \"%s\" is also on line %ld; each certificate needs its own number"), val->field,
                          vals[k].value, gp_record_line(first));
            has_error[vals[k].pos] = has_error[vals[k - 1].pos] = true;
        }
    }
    free(vals);
    return GP_OK;
}

/* Roster-wide checks (ID check digits, duplicates) for the selected
 * records only: a broken row nobody prints must not stop a reprint. */
static gp_status check_roster(gp_certs_job *job, bool *has_error, gp_error **err)
{
    size_t n = gp_roster_size(job->roster);
    bool *selected = calloc(n ? n : 1, sizeof *selected), *row_error = calloc(n ? n : 1, sizeof *row_error);
    if (selected == NULL || row_error == NULL) {
        free(selected);
        free(row_error);
        return gp_error_nomem(err);
    }
    for (size_t p = 0; p < job->nselected; p++)
        selected[job->selected[p]] = true;
    /* A column the template requires that the roster lacks is one finding,
     * not a field-required per graduate. */
    gp_key required[GP_KEY_COUNT];
    size_t nrequired = 0;
    for (size_t v = 0; v < job->tpl->nvalidators && nrequired < GP_KEY_COUNT; v++) {
        gp_key key;
        const gp_validator *val = &job->tpl->validators[v];
        /* gender and the like may come from the ID number instead. */
        if (val->required && gp_key_from_name(val->field, &key) && key != GP_KEY_GENDER)
            required[nrequired++] = key;
    }
    gp_roster_preflight_options ro = {required, nrequired, selected, job->has_photo ? job->opts->photos_dir : NULL};
    job->roster_errors = gp_roster_preflight(job->roster, &ro, job->report, row_error);
    for (size_t p = 0; p < job->nselected; p++)
        has_error[p] = row_error[job->selected[p]];
    free(selected);
    free(row_error);
    return GP_OK;
}

gp_status gp_certs_preflight(gp_certs_job *job, gp_error **err)
{
    bool *has_error = calloc(job->nselected ? job->nselected : 1, sizeof *has_error);
    job->valid = malloc((job->nselected ? job->nselected : 1) * sizeof *job->valid);
    if (has_error == NULL || job->valid == NULL) {
        free(has_error);
        return gp_error_nomem(err);
    }
    gp_status st = check_roster(job, has_error, err);
    if (st == GP_OK && job->roster_errors == 0) {
        gp_record_check rc = {job->ctx, job->nselected, gp_pool_default_workers(0), check_one, job, job->opts->progress,
                              job->opts->progress_user};
        st = gp_check_records(&rc, job->report, has_error, err);
    }
    if (st == GP_OK)
        st = check_unique(job, has_error, err);
    if (st == GP_OK && job->roster_errors == 0)
        st = gp_cert_numbers_check(job, has_error, err);
    /* A check that ran out of memory has not passed anyone. */
    if (st == GP_OK && gp_report_lost(job->report))
        st = gp_error_nomem(err);
    for (size_t p = 0; p < job->nselected; p++)
        job->valid[p] = !has_error[p];
    free(has_error);
    return st;
}
