/* Certificate numbers across a run: one school code, and serials without
 * holes. A different code is a typo or another school's roster (an error);
 * a gap is a blank number nobody will print, which the registrar must
 * account for (a warning: a reprint of a few records has gaps by design). */
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/strbuf-private.h"
#include "cert-numbers-private.h"
#include "fields-private.h"

#define GAPS_LISTED 5

typedef struct numbered {
    gp_number_parts parts;
    size_t pos; /* selected position */
} numbered;

static int by_prefix_serial(const void *a, const void *b)
{
    const numbered *x = a, *y = b;
    int c = strcmp(x->parts.prefix, y->parts.prefix);
    if (c != 0)
        return c;
    return x->parts.serial < y->parts.serial ? -1 : x->parts.serial > y->parts.serial;
}

static const gp_record *record_at(const gp_certs_job *job, size_t pos)
{
    return gp_roster_record(job->roster, job->selected[pos]);
}

/* The code most numbers start with stands for the school. */
static const char *majority_school(const numbered *n, size_t count, size_t *votes)
{
    const char *best = NULL;
    *votes = 0;
    for (size_t i = 0; i < count; i++) {
        size_t v = 0;
        for (size_t k = 0; k < count; k++)
            v += strcmp(n[i].parts.school, n[k].parts.school) == 0;
        if (v > *votes) {
            *votes = v;
            best = n[i].parts.school;
        }
        if (*votes * 2 > count)
            break;
    }
    return best;
}

static void check_school_codes(gp_certs_job *job, const gp_validator *val, const numbered *n, size_t count,
                               bool *has_error)
{
    size_t votes;
    const char *school = majority_school(n, count, &votes);
    if (school == NULL || votes == count)
        return;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(n[i].parts.school, school) == 0)
            continue;
        const gp_record *r = record_at(job, n[i].pos);
        gp_report_add(job->report, GP_ERROR, "number-school-code", gp_roster_path(job->roster), gp_record_line(r),
                      gp_record_key(r, GP_KEY_STUDENT_NO),
                      _("%s starts with school code %s, but %zu of the run's %zu numbers start with %s; one run "
                        "prints one school's certificates, so correct the number (or put school-code= on the "
                        "template's <validate>, line %ld)"),
                      val->field, n[i].parts.school, votes, count, school, val->line);
        has_error[n[i].pos] = true;
    }
}

/* One warning per series: "000004-000006, 000010 (4 numbers)". */
static void report_gaps(gp_certs_job *job, const gp_validator *val, const numbered *n, size_t from, size_t to)
{
    gp_strbuf list;
    gp_strbuf_init(&list);
    size_t ranges = 0;
    long missing = 0;
    for (size_t i = from + 1; i < to; i++) {
        long a = n[i - 1].parts.serial + 1, b = n[i].parts.serial - 1;
        if (b < a)
            continue;
        missing += b - a + 1;
        if (ranges++ < GAPS_LISTED) {
            if (a == b)
                gp_strbuf_appendf(&list, "%s%06ld", ranges > 1 ? ", " : "", a);
            else
                gp_strbuf_appendf(&list, "%s%06ld-%06ld", ranges > 1 ? ", " : "", a, b);
        }
    }
    if (ranges > GAPS_LISTED)
        gp_strbuf_append(&list, ", …");
    if (missing > 0 && !gp_strbuf_failed(&list)) {
        const gp_record *r = record_at(job, n[from].pos);
        gp_report_add(job->report, GP_WARNING, "number-serial-gap", gp_roster_path(job->roster), gp_record_line(r),
                      NULL,
                      _("%s serials %s%06ld to %s%06ld skip %ld numbers: %s; check that no graduate is missing "
                        "from the roster, and record the unused numbers"),
                      val->field, n[from].parts.prefix, n[from].parts.serial, n[to - 1].parts.prefix,
                      n[to - 1].parts.serial, missing, list.data);
    }
    gp_strbuf_free(&list);
}

static void check_one_validator(gp_certs_job *job, const gp_validator *val, numbered *n, bool *has_error)
{
    size_t count = 0;
    gp_strbuf why;
    gp_strbuf_init(&why);
    for (size_t p = 0; p < job->nselected; p++) {
        gp_job_fields f = {record_at(job, p), job->school};
        const char *value = gp_job_field(&f, val->field);
        /* Malformed numbers already have their finding. */
        gp_strbuf_clear(&why);
        if (value != NULL && gp_number_check(val, value, NULL, &n[count].parts, &why)) {
            n[count].pos = p;
            count++;
        }
    }
    gp_strbuf_free(&why);
    if (val->school_code[0] == '\0')
        check_school_codes(job, val, n, count, has_error);
    qsort(n, count, sizeof *n, by_prefix_serial);
    for (size_t i = 0, from = 0; i <= count; i++) {
        if (i < count && strcmp(n[i].parts.prefix, n[from].parts.prefix) == 0)
            continue;
        if (i > from)
            report_gaps(job, val, n, from, i);
        from = i;
    }
}

gp_status gp_cert_numbers_check(gp_certs_job *job, bool *has_error, gp_error **err)
{
    numbered *n = NULL;
    for (size_t v = 0; v < job->tpl->nvalidators; v++) {
        const gp_validator *val = &job->tpl->validators[v];
        if (val->scheme == GP_SCHEME_NONE)
            continue;
        if (n == NULL && (n = malloc((job->nselected ? job->nselected : 1) * sizeof *n)) == NULL)
            return gp_error_nomem(err);
        check_one_validator(job, val, n, has_error);
    }
    free(n);
    return GP_OK;
}
