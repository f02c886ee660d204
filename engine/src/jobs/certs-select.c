/* --records: which graduates to print. Registrars reprint a handful of
 * certificates by row ("12,15-18") or by student number; both may be mixed. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "certs-private.h"

static bool parse_row(const char *s, size_t len, size_t limit, size_t *out)
{
    if (len == 0 || len > 9)
        return false;
    size_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    if (v < 1 || v > limit)
        return false;
    *out = v - 1;
    return true;
}

static bool find_student(const gp_roster *roster, const char *s, size_t len, size_t *out)
{
    for (size_t i = 0; i < gp_roster_size(roster); i++) {
        const char *no = gp_record_key(gp_roster_record(roster, i), GP_KEY_STUDENT_NO);
        if (no != NULL && strlen(no) == len && memcmp(no, s, len) == 0) {
            *out = i;
            return true;
        }
    }
    return false;
}

static gp_status add(gp_certs_job *job, bool *taken, size_t index, gp_error **err)
{
    if (taken[index])
        return gp_error_set(err, GP_E_USAGE, NULL, 0,
                            _("--records names row %zu (student %s) twice; list each graduate once"), index + 1,
                            gp_record_key(gp_roster_record(job->roster, index), GP_KEY_STUDENT_NO));
    taken[index] = true;
    job->selected[job->nselected++] = index;
    return GP_OK;
}

/* One comma-separated item: a student number, a row, or a row range. */
static gp_status select_item(gp_certs_job *job, bool *taken, const char *s, size_t len, gp_error **err)
{
    size_t n = gp_roster_size(job->roster), a, b;
    if (find_student(job->roster, s, len, &a) || parse_row(s, len, n, &a))
        return add(job, taken, a, err);
    const char *dash = memchr(s, '-', len);
    if (dash != NULL && parse_row(s, (size_t)(dash - s), n, &a) &&
        parse_row(dash + 1, len - (size_t)(dash - s) - 1, n, &b) && a <= b) {
        gp_status st = GP_OK;
        for (size_t i = a; i <= b && st == GP_OK; i++)
            st = add(job, taken, i, err);
        return st;
    }
    return gp_error_set(err, GP_E_USAGE, NULL, 0,
                        _("--records: '%.*s' is neither a row number (1 to %zu), a range of rows like 3-7, nor a "
                          "student number in the roster"),
                        (int)len, s, n);
}

gp_status gp_certs_select(gp_certs_job *job, const char *records, gp_error **err)
{
    size_t n = gp_roster_size(job->roster);
    job->selected = malloc((n ? n : 1) * sizeof *job->selected);
    bool *taken = calloc(n ? n : 1, sizeof *taken);
    if (job->selected == NULL || taken == NULL) {
        free(taken);
        return gp_error_nomem(err);
    }
    gp_status st = GP_OK;
    if (records == NULL) {
        for (size_t i = 0; i < n; i++)
            job->selected[job->nselected++] = i;
    } else {
        const char *p = records;
        while (st == GP_OK && *p != '\0') {
            while (*p == ' ' || *p == ',')
                p++;
            size_t len = strcspn(p, ", ");
            if (len > 0)
                st = select_item(job, taken, p, len, err);
            p += len;
        }
        if (st == GP_OK && job->nselected == 0)
            st = gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("--records selects no graduate"));
    }
    free(taken);
    return st;
}
