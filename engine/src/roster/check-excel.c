/* What Excel does to ID numbers, said once per roster: a column of
 * 18-digit numbers typed without the Text format loses its digits the same
 * way on every row, and 36 findings saying so help nobody. Each kind is one
 * finding on the first record it hits, listing the others; every record is
 * still marked, so --skip-invalid leaves them all out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/strbuf-private.h"
#include "roster/check-private.h"
#include "roster/table-private.h"

#define LISTED 5

typedef enum damage { DAMAGE_NONE, DAMAGE_NUMBER, DAMAGE_X_DROPPED, DAMAGE_ZEROED, DAMAGE_KINDS } damage;

typedef struct damaged {
    size_t *records;
    size_t count;
    size_t with_photo; /* X dropped: photos named with the X exist */
} damaged;

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[n] == '\0';
}

static damage classify(const gp_record *rec, const char *id)
{
    if (rec->flags & GP_RECORD_ID_AS_NUMBER)
        return DAMAGE_NUMBER;
    size_t n = strlen(id);
    char expected;
    /* Dropped at the end: the 17 digits left call for X. */
    if (n == 17 && all_digits(id, 17) && !gp_id_number_valid(id, &expected) && expected == 'X')
        return DAMAGE_X_DROPPED;
    /* Excel keeps 15 significant digits: the last three become 0. */
    if (n == 18 && all_digits(id, 18) && strcmp(id + 15, "000") == 0 && !gp_id_number_valid(id, NULL))
        return DAMAGE_ZEROED;
    return DAMAGE_NONE;
}

static bool photo_with_x(const char *dir, const char *id)
{
    if (dir == NULL)
        return false;
    static const char *const suffixes[] = {"X.jpg", "x.jpg", "X.JPG", "X.jpeg"};
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        gp_strbuf path;
        gp_strbuf_init(&path);
        gp_strbuf_appendf(&path, "%s/%s%s", dir, id, suffixes[i]);
        struct stat st;
        bool found = !gp_strbuf_failed(&path) && stat(path.data, &st) == 0 && S_ISREG(st.st_mode);
        gp_strbuf_free(&path);
        if (found)
            return true;
    }
    return false;
}

/* "line 5 (学号 2021001), line 9 (学号 2021007) and 3 more" */
static void list_records(const gp_check *c, const damaged *d, gp_strbuf *sb)
{
    for (size_t i = 1; i < d->count && i <= LISTED; i++) {
        const gp_record *rec = &c->roster->records[d->records[i]];
        const char *sno = gp_record_key(rec, GP_KEY_STUDENT_NO);
        gp_strbuf_appendf(sb, i > 1 ? ", " : "");
        gp_strbuf_appendf(sb, _("line %ld (%s)"), rec->line, sno ? sno : "-");
    }
    if (d->count > LISTED + 1)
        gp_strbuf_appendf(sb, _(" and %zu more"), d->count - LISTED - 1);
}

static void report(gp_check *c, damage kind, const damaged *d)
{
    const gp_roster *r = c->roster;
    int col = r->key_column[GP_KEY_ID_NUMBER];
    char letters[8];
    gp_column_letters(r->sources[col], letters);
    const char *header = r->headers[col];
    size_t first = d->records[0];
    const char *id = gp_record_key(&r->records[first], GP_KEY_ID_NUMBER);
    gp_strbuf others;
    gp_strbuf_init(&others);
    list_records(c, d, &others);
    const char *also = gp_strbuf_failed(&others) ? "…" : others.data;
    bool one = d->count == 1;
    switch (kind) {
    case DAMAGE_NUMBER:
        if (one)
            gp_check_add(c, first, GP_ERROR, "id-stored-as-number",
                         _("the ID number in column %s (%s) is stored as a number (%s), so Excel has lost its last "
                           "digits; format the column as Text in Excel and type the ID number in again"),
                         letters, header, id);
        else
            gp_check_add(c, first, GP_ERROR, "id-stored-as-number",
                         _("%zu ID numbers in column %s (%s) are stored as numbers (here %s; also %s), so Excel has "
                           "lost their last digits; format the column as Text in Excel and type the ID numbers in "
                           "again (or export them from the registrar's system as text)"),
                         d->count, letters, header, id, also);
        break;
    case DAMAGE_X_DROPPED:
        if (one)
            gp_check_add(c, first, GP_ERROR, "id-x-dropped",
                         d->with_photo ? _("the ID number %s in column %s (%s) has 17 characters and its check "
                                           "character would be X, and the photo %sX.jpg exists: the X was dropped; "
                                           "add it back in the roster")
                                       : _("the ID number %s in column %s (%s) has 17 characters and its check "
                                           "character would be X%.0s: the X was dropped; add it back in the "
                                           "roster"),
                         id, letters, header, id);
        else
            gp_check_add(c, first, GP_ERROR, "id-x-dropped",
                         _("%zu ID numbers in column %s (%s) have 17 characters and their check character would be "
                           "X (here %s; also %s), and %zu of them have a photo named with the X: the X was "
                           "dropped, as happens when a column is converted to numbers; add it back in the roster"),
                         d->count, letters, header, id, also, d->with_photo);
        break;
    case DAMAGE_ZEROED:
        if (one)
            gp_check_add(c, first, GP_ERROR, "id-digits-zeroed",
                         _("the ID number %s in column %s (%s) ends in 000 and fails the check digit: Excel keeps "
                           "only 15 significant digits of a number and set the last three to 0; format the column "
                           "as Text and type the ID number in again"),
                         id, letters, header);
        else
            gp_check_add(c, first, GP_ERROR, "id-digits-zeroed",
                         _("%zu ID numbers in column %s (%s) end in 000 and fail the check digit (here %s; also "
                           "%s): Excel keeps only 15 significant digits of a number and set the last three to 0; "
                           "format the column as Text and type the ID numbers in again"),
                         d->count, letters, header, id, also);
        break;
    default:
        break;
    }
    gp_strbuf_free(&others);
}

bool gp_record_id_damaged(const gp_record *rec)
{
    const char *id = gp_record_key(rec, GP_KEY_ID_NUMBER);
    return id != NULL && classify(rec, id) != DAMAGE_NONE;
}

void gp_check_damaged_ids(gp_check *c, bool *claimed)
{
    const gp_roster *r = c->roster;
    if (r->key_column[GP_KEY_ID_NUMBER] < 0)
        return;
    damaged kinds[DAMAGE_KINDS];
    memset(kinds, 0, sizeof kinds);
    bool nomem = false;
    for (size_t i = 0; i < r->count; i++) {
        const char *id = gp_record_key(&r->records[i], GP_KEY_ID_NUMBER);
        if (id == NULL || !gp_check_selected(c, i))
            continue;
        damage kind = classify(&r->records[i], id);
        if (kind == DAMAGE_NONE)
            continue;
        claimed[i] = true;
        damaged *d = &kinds[kind];
        if (d->records == NULL && (d->records = malloc(r->count * sizeof *d->records)) == NULL) {
            nomem = true;
            continue;
        }
        d->records[d->count++] = i;
        if (kind == DAMAGE_X_DROPPED && photo_with_x(c->opts->photos_dir, id))
            d->with_photo++;
    }
    for (int k = DAMAGE_NUMBER; k < DAMAGE_KINDS; k++) {
        damaged *d = &kinds[k];
        if (d->count > 0)
            report(c, (damage)k, d);
        /* Marked even when the list could not be kept. */
        for (size_t i = 0; i < d->count; i++)
            if (c->has_error != NULL)
                c->has_error[d->records[i]] = true;
        free(d->records);
    }
    if (nomem) {
        gp_report_note_nomem(c->report);
        gp_check_add(c, GP_CHECK_ROSTER, GP_ERROR, "out-of-memory", "%s",
                     _("out of memory while checking ID numbers; close other programs and try again"));
    }
}
