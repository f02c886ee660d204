/* Preflight checks every job needs on a roster. Duplicates are found by
 * sorting, so a roster of thousands of students costs milliseconds. */
#include <stdlib.h>
#include <string.h>

#include "base/i18n-private.h"
#include "base/report-private.h"
#include "roster/roster-private.h"

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

static void check_id(const gp_roster *roster, const gp_record *rec, const char *sno, gp_report *report)
{
    const char *id = gp_record_key(rec, GP_KEY_ID_NUMBER);
    if (id == NULL)
        return;
    const char *file = roster->path;
    size_t len = utf8_length(id);
    if (len != 18) {
        gp_report_add(report, GP_ERROR, "id-length", file, rec->line, sno,
                      len == 15 ? _("ID number \"%s\" has %zu characters, not 18 (an old 15-digit number); enter the "
                                    "student's current 18-character ID number in the roster")
                                : _("ID number \"%s\" has %zu characters, not 18; correct the ID number in the "
                                    "roster"),
                      id, len);
        return;
    }
    char expected;
    bool valid = gp_id_number_valid(id, &expected);
    char last = id[17] == 'x' ? 'X' : id[17];
    if (expected == '\0' || !((last >= '0' && last <= '9') || last == 'X')) {
        gp_report_add(report, GP_ERROR, "id-format", file, rec->line, sno,
                      _("ID number \"%s\" must be 17 digits followed by a digit or X; correct the ID number in "
                        "the roster"),
                      id);
        return;
    }
    if (!real_date_digits(id + 6)) {
        gp_report_add(report, GP_ERROR, "id-birth-date", file, rec->line, sno,
                      _("ID number \"%s\" has birth date digits %.8s, which are not a real date; correct the ID "
                        "number in the roster"),
                      id, id + 6);
        return;
    }
    if (!valid) {
        gp_report_add(report, GP_ERROR, "id-check-digit", file, rec->line, sno,
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
        gp_report_add(report, GP_WARNING, "id-birth-mismatch", file, rec->line, sno,
                      _("出生日期 (birth_date) is %s but the ID number says %.4s-%.2s-%.2s; correct whichever is "
                        "wrong"),
                      day, id + 6, id + 10, id + 12);
    const char *gender = gp_record_key(rec, GP_KEY_GENDER);
    int sign = gender ? gender_sign(gender) : 0;
    int id_sign = (id[16] - '0') % 2 ? 1 : -1;
    if (sign != 0 && sign != id_sign)
        gp_report_add(report, GP_WARNING, "id-gender-mismatch", file, rec->line, sno,
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

static void check_duplicates(const gp_roster *roster, gp_key key, gp_report *report)
{
    if (roster->key_column[key] < 0 || roster->count < 2)
        return;
    keyed *items = malloc(roster->count * sizeof *items);
    if (items == NULL) {
        gp_report_add(report, GP_ERROR, "out-of-memory", roster->path, 0, NULL, "%s",
                      _("out of memory while looking for duplicate students; close other programs and try again"));
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < roster->count; i++) {
        const char *v = gp_record_key(&roster->records[i], key);
        if (v != NULL)
            items[n++] = (keyed){v, i};
    }
    qsort(items, n, sizeof *items, by_value);
    for (size_t i = 1, first = 0; i < n; i++) {
        if (strcmp(items[i].value, items[first].value) != 0) {
            first = i;
            continue;
        }
        const gp_record *a = &roster->records[items[first].index];
        const gp_record *b = &roster->records[items[i].index];
        const char *sno = gp_record_key(b, GP_KEY_STUDENT_NO);
        if (key == GP_KEY_STUDENT_NO) {
            gp_report_add(report, GP_ERROR, "duplicate-student-no", roster->path, b->line, sno,
                          _("student number %s is on lines %ld and %ld; each student must appear once, so remove "
                            "or correct one of them"),
                          items[i].value, a->line, b->line);
        } else {
            const char *first_sno = gp_record_key(a, GP_KEY_STUDENT_NO);
            gp_report_add(report, GP_ERROR, "duplicate-id-number", roster->path, b->line, sno,
                          _("ID number %s is on lines %ld (student %s) and %ld (student %s); two students cannot "
                            "share an ID number, so correct the wrong one"),
                          items[i].value, a->line, first_sno ? first_sno : "-", b->line, sno ? sno : "-");
        }
    }
    free(items);
}

static int by_line(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

/* Lines whose ID number Excel stored as a number: the load already said
 * so, and the digits left say nothing more about the real number. Sorted;
 * NULL when there are none (or no memory, which only costs extra findings). */
static long *mangled_id_lines(const gp_roster *roster, size_t *n)
{
    *n = 0;
    size_t count = gp_report_count(roster->issues);
    long *lines = NULL;
    for (size_t i = 0; i < count; i++) {
        const gp_finding *f = gp_report_get(roster->issues, i);
        if (strcmp(f->code, "id-stored-as-number") != 0)
            continue;
        if (lines == NULL && (lines = malloc(count * sizeof *lines)) == NULL)
            return NULL;
        lines[(*n)++] = f->line;
    }
    if (lines != NULL)
        qsort(lines, *n, sizeof *lines, by_line);
    return lines;
}

void gp_roster_check(const gp_roster *roster, const gp_key *required, size_t nrequired, gp_report *report)
{
    if (roster == NULL || report == NULL)
        return;
    bool wanted[GP_KEY_COUNT] = {false};
    for (size_t i = 0; i < nrequired; i++)
        if ((unsigned)required[i] < GP_KEY_COUNT)
            wanted[required[i]] = true;
    /* A whole missing column is one finding, not one per student. */
    for (int k = 0; k < GP_KEY_COUNT; k++) {
        if (!wanted[k] || roster->key_column[k] >= 0)
            continue;
        wanted[k] = false;
        gp_report_add(report, GP_ERROR, "missing-field", roster->path, roster->header_line, NULL,
                      _("the roster has no %s (%s) column, which is needed; add a column headed %s"),
                      gp_key_label((gp_key)k), gp_key_name((gp_key)k), gp_key_label((gp_key)k));
    }
    size_t nmangled;
    long *mangled = mangled_id_lines(roster, &nmangled);
    for (size_t i = 0; i < roster->count; i++) {
        const gp_record *rec = &roster->records[i];
        const char *sno = gp_record_key(rec, GP_KEY_STUDENT_NO);
        for (int k = 0; k < GP_KEY_COUNT; k++)
            if (wanted[k] && gp_record_key(rec, (gp_key)k) == NULL)
                gp_report_add(report, GP_ERROR, "missing-field", roster->path, rec->line, sno,
                              _("%s (%s) is empty; fill it in in the roster"), gp_key_label((gp_key)k),
                              gp_key_name((gp_key)k));
        if (mangled == NULL || bsearch(&rec->line, mangled, nmangled, sizeof *mangled, by_line) == NULL)
            check_id(roster, rec, sno, report);
    }
    free(mangled);
    check_duplicates(roster, GP_KEY_STUDENT_NO, report);
    check_duplicates(roster, GP_KEY_ID_NUMBER, report);
}
