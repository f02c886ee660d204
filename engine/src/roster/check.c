/* The roster preflight every job runs. Duplicates are found by sorting, so
 * a roster of thousands of students costs milliseconds. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/strbuf-private.h"
#include "roster/check-private.h"
#include "roster/table-private.h"
#include "base/clip-private.h"

bool gp_check_selected(const gp_check *c, size_t index)
{
    return c->opts->selected == NULL || c->opts->selected[index];
}

void gp_check_add(gp_check *c, size_t index, gp_severity severity, const char *code, const char *fmt, ...)
{
    const gp_roster *r = c->roster;
    const gp_record *rec = index == GP_CHECK_ROSTER ? NULL : &r->records[index];
    va_list ap;
    va_start(ap, fmt);
    gp_report_vadd(c->report, severity, code, r->path, rec ? rec->line : r->header_line,
                   rec ? gp_record_key(rec, GP_KEY_STUDENT_NO) : NULL, fmt, ap);
    va_end(ap);
    if (severity != GP_ERROR)
        return;
    if (rec == NULL)
        c->roster_errors++;
    else if (c->has_error != NULL)
        c->has_error[index] = true;
}

static size_t utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool real_date_digits(const char *digits)
{
    char text[9], out[11];
    memcpy(text, digits, 8);
    text[8] = '\0';
    return gp_date_parse(text, out);
}

/* +1 for men, -1 for women, 0 when the cell says neither. */
static int gender_sign(const char *gender)
{
    if (strcmp(gender, "男") == 0 || strcmp(gender, "M") == 0 || strcmp(gender, "m") == 0 ||
        strcmp(gender, "male") == 0 || strcmp(gender, "Male") == 0)
        return 1;
    if (strcmp(gender, "女") == 0 || strcmp(gender, "F") == 0 || strcmp(gender, "f") == 0 ||
        strcmp(gender, "female") == 0 || strcmp(gender, "Female") == 0)
        return -1;
    return 0;
}

/* GB 11643 numbers: the resident ID card, and the residence permits of
 * Hong Kong, Macao and Taiwan residents (810000/820000/830000), which use
 * the same form. Passports and other documents have their own. */
static bool is_gb11643_document(const char *type)
{
    if (type == NULL)
        return true;
    return strstr(type, "身份证") != NULL || strstr(type, "居住证") != NULL || strcmp(type, "1") == 0 ||
           strcmp(type, "01") == 0 || strcmp(type, "111") == 0;
}

static void check_id(gp_check *c, size_t index)
{
    const gp_record *rec = &c->roster->records[index];
    const char *id = gp_record_key(rec, GP_KEY_ID_NUMBER);
    if (id == NULL || !is_gb11643_document(gp_record_key(rec, GP_KEY_ID_TYPE)))
        return;
    gp_clip clip;
    size_t len = utf8_length(id);
    if (len != 18) {
        gp_check_add(c, index, GP_ERROR, "id-length",
                     len == 15 ? _("ID number \"%s\" has %zu characters, not 18 (an old 15-digit number); enter the "
                                   "student's current 18-character ID number in the roster")
                               : _("ID number \"%s\" has %zu characters, not 18; correct the ID number in the "
                                   "roster"),
                     gp_clip_text(&clip, id), len);
        return;
    }
    char expected;
    bool valid = gp_id_number_valid(id, &expected);
    char last = id[17] == 'x' ? 'X' : id[17];
    if (expected == '\0' || !((last >= '0' && last <= '9') || last == 'X')) {
        gp_check_add(c, index, GP_ERROR, "id-format",
                     _("ID number \"%s\" must be 17 digits followed by a digit or X; correct the ID number in "
                       "the roster"),
                     id);
        return;
    }
    if (!real_date_digits(id + 6)) {
        gp_check_add(c, index, GP_ERROR, "id-birth-date",
                     _("ID number \"%s\" has birth date digits %.8s, which are not a real date; correct the ID "
                       "number in the roster"),
                     id, id + 6);
        return;
    }
    if (!valid) {
        gp_check_add(c, index, GP_ERROR, "id-check-digit",
                     _("ID number \"%s\" ends in %c but its check digit should be %c; correct the ID number in the "
                       "roster"),
                     id, last, expected);
        return;
    }
    /* Only a real date is compared: an unparseable one is already a finding. */
    const char *birth = gp_record_key(rec, GP_KEY_BIRTH_DATE);
    char day[11];
    if (birth != NULL && gp_date_parse(birth, day) &&
        (memcmp(day, id + 6, 4) != 0 || memcmp(day + 5, id + 10, 2) != 0 || memcmp(day + 8, id + 12, 2) != 0))
        gp_check_add(c, index, GP_WARNING, "id-birth-mismatch",
                     _("出生日期 (birth_date) is %s but the ID number says %.4s-%.2s-%.2s; correct whichever is "
                       "wrong"),
                     day, id + 6, id + 10, id + 12);
    const char *gender = gp_record_key(rec, GP_KEY_GENDER);
    int sign = gender ? gender_sign(gender) : 0;
    int id_sign = (id[16] - '0') % 2 ? 1 : -1;
    if (sign != 0 && sign != id_sign)
        gp_check_add(c, index, GP_WARNING, "id-gender-mismatch",
                     _("性别 (gender) is %s but the ID number is a %s's; correct whichever is wrong"), gender,
                     id_sign > 0 ? _("man") : _("woman"));
}

typedef struct keyed {
    const char *value;
    size_t index;
} keyed;

static int by_value(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->value, y->value);
    if (c != 0)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Both records of a pair are in error: with --skip-invalid neither is
 * rendered, since the photo named by a shared ID number belongs to one of
 * them and nobody can tell which. */
static void report_duplicate(gp_check *c, gp_key key, size_t first, size_t again, bool first_too)
{
    const gp_roster *r = c->roster;
    const gp_record *a = &r->records[first], *b = &r->records[again];
    const char *value = gp_record_key(b, key);
    const char *sa = gp_record_key(a, GP_KEY_STUDENT_NO), *sb = gp_record_key(b, GP_KEY_STUDENT_NO);
    gp_clip clip;
    for (int side = first_too ? 0 : 1; side < 2; side++) {
        size_t index = side == 0 ? first : again;
        if (!gp_check_selected(c, index)) {
            continue;
        }
        if (key == GP_KEY_STUDENT_NO)
            gp_check_add(c, index, GP_ERROR, "duplicate-student-no",
                         _("student number %s is on lines %ld and %ld; each student must appear once, so remove "
                           "or correct one of them"),
                         gp_clip_text(&clip, value), a->line, b->line);
        else
            gp_check_add(c, index, GP_ERROR, "duplicate-id-number",
                         _("ID number %s is on lines %ld (student %s) and %ld (student %s); two students cannot "
                           "share an ID number (nor the photo named by it), so correct the wrong one"),
                         gp_clip_text(&clip, value), a->line, sa ? sa : "-", b->line, sb ? sb : "-");
    }
}

static void check_duplicates(gp_check *c, gp_key key)
{
    const gp_roster *r = c->roster;
    if (r->key_column[key] < 0 || r->count < 2)
        return;
    keyed *items = malloc(r->count * sizeof *items);
    if (items == NULL) {
        gp_report_note_nomem(c->report);
        gp_check_add(c, GP_CHECK_ROSTER, GP_ERROR, "out-of-memory", "%s",
                     _("out of memory while looking for duplicate students; close other programs and try again"));
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++) {
        const char *v = gp_record_key(&r->records[i], key);
        /* Twenty IDs Excel turned into 5.00118E+17 are one problem, said already. */
        if (v != NULL && !(key == GP_KEY_ID_NUMBER && gp_record_id_damaged(&r->records[i])))
            items[n++] = (keyed){v, i};
    }
    qsort(items, n, sizeof *items, by_value);
    for (size_t i = 1, first = 0; i < n; i++) {
        if (strcmp(items[i].value, items[first].value) != 0) {
            first = i;
            continue;
        }
        report_duplicate(c, key, items[first].index, items[i].index, i == first + 1);
    }
    free(items);
}

/* "学号, 姓名, 证件号（身份证）, …" */
static void list_headers(const gp_roster *r, gp_strbuf *sb)
{
    const size_t shown = 24;
    for (size_t i = 0; i < r->ncolumns && i < shown; i++) {
        gp_clip clip;
        gp_strbuf_appendf(sb, "%s%s", i ? ", " : "", gp_clip_text(&clip, r->headers[i]));
    }
    if (r->ncolumns > shown)
        gp_strbuf_appendf(sb, _(" and %zu more"), r->ncolumns - shown);
}

static void report_missing_column(gp_check *c, gp_key key)
{
    const gp_roster *r = c->roster;
    gp_strbuf headers;
    gp_strbuf_init(&headers);
    list_headers(r, &headers);
    const char *found = gp_strbuf_failed(&headers) ? "…" : headers.data;
    size_t closest;
    const char *label = gp_key_label(key), *name = gp_key_name(key);
    /* A column already mapped to another key is no candidate. */
    bool near = gp_key_closest_header(key, (const char *const *)r->headers, r->ncolumns, &closest) &&
                strcmp(r->column_names[closest], r->headers[closest]) == 0;
    if (near) {
        gp_clip clip;
        const char *h = gp_clip_text(&clip, r->headers[closest]);
        gp_check_add(c, GP_CHECK_ROSTER, GP_ERROR, "missing-column",
                     _("the roster has no %s (%s) column, which is needed; the header row has %s. The closest is "
                       "\"%s\": if it holds the %s, rename it to %s or pass --map '%s=%s'"),
                     label, name, found, h, label, label, h, name);
    } else {
        gp_check_add(c, GP_CHECK_ROSTER, GP_ERROR, "missing-column",
                     _("the roster has no %s (%s) column, which is needed; the header row has %s. Add a column "
                       "headed %s, or name the column that holds it with --map 列名=%s"),
                     label, name, found, label, name);
    }
    gp_strbuf_free(&headers);
}

/* The load's findings, kept for the records checked. */
static void copy_load_findings(gp_check *c)
{
    const gp_roster *r = c->roster;
    for (size_t k = 0; k < gp_report_count(r->issues); k++) {
        const gp_finding *f = gp_report_get(r->issues, k);
        long index = gp_roster_index_of_line(r, f->line);
        if (index >= 0 && !gp_check_selected(c, (size_t)index))
            continue;
        gp_report_add(c->report, f->severity, f->code, f->file, f->line, f->student_no, "%s", f->message);
        if (f->severity != GP_ERROR)
            continue;
        if (index < 0)
            c->roster_errors++;
        else if (c->has_error != NULL)
            c->has_error[index] = true;
    }
}

size_t gp_roster_preflight(const gp_roster *roster, const gp_roster_preflight_options *opts, gp_report *report,
                           bool *has_error)
{
    gp_roster_preflight_options none = {0};
    if (roster == NULL || report == NULL)
        return 0;
    gp_check c = {roster, opts ? opts : &none, report, has_error, 0};
    copy_load_findings(&c);
    bool wanted[GP_KEY_COUNT] = {false};
    for (size_t i = 0; i < c.opts->nrequired; i++)
        if ((unsigned)c.opts->required[i] < GP_KEY_COUNT)
            wanted[c.opts->required[i]] = true;
    /* A whole missing column is one finding, not one per student. */
    for (int k = 0; k < GP_KEY_COUNT; k++) {
        if (!wanted[k] || roster->key_column[k] >= 0)
            continue;
        wanted[k] = false;
        report_missing_column(&c, (gp_key)k);
    }
    bool *claimed = calloc(roster->count ? roster->count : 1, sizeof *claimed);
    if (claimed == NULL) {
        gp_report_note_nomem(c.report);
        gp_check_add(&c, GP_CHECK_ROSTER, GP_ERROR, "out-of-memory", "%s",
                     _("out of memory while checking the roster; close other programs and try again"));
        return c.roster_errors;
    }
    gp_check_damaged_ids(&c, claimed);
    for (size_t i = 0; i < roster->count; i++) {
        if (!gp_check_selected(&c, i))
            continue;
        const gp_record *rec = &roster->records[i];
        for (int k = 0; k < GP_KEY_COUNT; k++)
            if (wanted[k] && gp_record_key(rec, (gp_key)k) == NULL)
                gp_check_add(&c, i, GP_ERROR, "missing-field", _("%s (%s) is empty; fill it in in the roster"),
                             gp_key_label((gp_key)k), gp_key_name((gp_key)k));
        gp_check_text(&c, i);
        /* A cut cell has already said what is wrong with it. */
        if (!claimed[i] && !(rec->flags & GP_RECORD_CELL_TOO_LONG))
            check_id(&c, i);
    }
    free(claimed);
    check_duplicates(&c, GP_KEY_STUDENT_NO);
    check_duplicates(&c, GP_KEY_ID_NUMBER);
    return c.roster_errors;
}

void gp_roster_check(const gp_roster *roster, const gp_key *required, size_t nrequired, gp_report *report)
{
    gp_roster_preflight_options opts = {.required = required, .nrequired = nrequired};
    gp_roster_preflight(roster, &opts, report, NULL);
}
