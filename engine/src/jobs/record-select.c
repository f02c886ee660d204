/* --records (record-select-private.h). Lines, not positions: a registrar
 * reads "roster.csv:14" in a finding and types 14. */
#include "record-select-private.h"

#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "roster/roster-private.h"

/* Longest item quoted back in a message. */
#define QUOTE_MAX 40

typedef struct selection {
    const gp_roster *roster;
    size_t *indices, n;
    bool *taken;
} selection;

static bool parse_number(const char *s, size_t len, long *out)
{
    if (len == 0 || len > 9)
        return false;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
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

/* Records are in line order, so a binary search finds a line. */
static bool find_line(const gp_roster *roster, long line, size_t *out)
{
    size_t lo = 0, hi = gp_roster_size(roster);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        long l = gp_record_line(gp_roster_record(roster, mid));
        if (l == line) {
            *out = mid;
            return true;
        }
        if (l < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static gp_status add(selection *sel, size_t index, gp_error **err)
{
    const gp_record *r = gp_roster_record(sel->roster, index);
    if (sel->taken[index]) {
        const char *no = gp_record_key(r, GP_KEY_STUDENT_NO);
        return gp_error_set(err, GP_E_USAGE, gp_roster_path(sel->roster), gp_record_line(r),
                            _("--records names line %ld (student %s) twice; list each graduate once"),
                            gp_record_line(r), no != NULL ? no : "-");
    }
    sel->taken[index] = true;
    sel->indices[sel->n++] = index;
    return GP_OK;
}

static gp_status add_lines(selection *sel, long first, long last, const char *s, size_t len, gp_error **err)
{
    size_t n = gp_roster_size(sel->roster);
    long lo = n ? gp_record_line(gp_roster_record(sel->roster, 0)) : 0;
    long hi = n ? gp_record_line(gp_roster_record(sel->roster, n - 1)) : 0;
    size_t added = 0;
    for (long line = first; line <= last && line <= hi; line++) {
        size_t index;
        if (line < lo || !find_line(sel->roster, line, &index))
            continue;
        gp_status st = add(sel, index, err);
        if (st != GP_OK)
            return st;
        added++;
    }
    if (added == 0 || (first == last && added != 1))
        return gp_error_set(err, GP_E_INVALID, gp_roster_path(sel->roster), 0,
                            _("--records: '%.*s' names no graduate: the roster's records are on lines %ld to %ld, "
                              "as its messages number them"),
                            (int)(len < QUOTE_MAX ? len : QUOTE_MAX), s, lo, hi);
    return GP_OK;
}

/* One item: a student number, a line, or a range of lines. */
static gp_status select_item(selection *sel, const char *s, size_t len, gp_error **err)
{
    size_t index;
    if (find_student(sel->roster, s, len, &index))
        return add(sel, index, err);
    long a, b;
    if (parse_number(s, len, &a))
        return add_lines(sel, a, a, s, len, err);
    const char *dash = memchr(s, '-', len);
    if (dash != NULL && parse_number(s, (size_t)(dash - s), &a) &&
        parse_number(dash + 1, len - (size_t)(dash - s) - 1, &b)) {
        if (a > b)
            return gp_error_set(err, GP_E_USAGE, NULL, 0,
                                _("--records: the range '%.*s' runs backwards; write the lower line first"),
                                (int)(len < QUOTE_MAX ? len : QUOTE_MAX), s);
        return add_lines(sel, a, b, s, len, err);
    }
    return gp_error_set(err, GP_E_USAGE, NULL, 0,
                        _("--records: '%.*s' is neither a roster line, a range of lines like 3-7, nor a student "
                          "number in the roster"),
                        (int)(len < QUOTE_MAX ? len : QUOTE_MAX), s);
}

/* Length of the separator at p: ASCII comma or space, or the full-width
 * comma (U+FF0C) and ideographic comma (U+3001) a Chinese keyboard types. */
static size_t separator(const char *p)
{
    if (*p == ',' || *p == ' ' || *p == '\t')
        return 1;
    if (strncmp(p, "\xef\xbc\x8c", 3) == 0 || strncmp(p, "\xe3\x80\x81", 3) == 0)
        return 3;
    return 0;
}

gp_status gp_records_select(const gp_roster *roster, const char *spec, size_t **indices, size_t *n,
                            gp_error **err)
{
    *indices = NULL;
    *n = 0;
    size_t size = gp_roster_size(roster);
    selection sel = {roster, malloc((size ? size : 1) * sizeof *sel.indices), 0, calloc(size ? size : 1, 1)};
    if (sel.indices == NULL || sel.taken == NULL) {
        free(sel.indices);
        free(sel.taken);
        return gp_error_nomem(err);
    }
    gp_status st = GP_OK;
    if (spec == NULL) {
        for (size_t i = 0; i < size; i++)
            sel.indices[sel.n++] = i;
    } else {
        const char *p = spec;
        while (st == GP_OK && *p != '\0') {
            size_t skip;
            while ((skip = separator(p)) > 0)
                p += skip;
            size_t len = 0;
            while (p[len] != '\0' && separator(p + len) == 0)
                len++;
            if (len > 0)
                st = select_item(&sel, p, len, err);
            p += len;
        }
        if (st == GP_OK && sel.n == 0)
            st = gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("--records selects no graduate"));
    }
    free(sel.taken);
    if (st != GP_OK) {
        free(sel.indices);
        return st;
    }
    *indices = sel.indices;
    *n = sel.n;
    return GP_OK;
}
