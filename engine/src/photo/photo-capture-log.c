/* Reading the capture log. The file goes through the roster module's
 * readers (CSV in any of its encodings, tab-separated, XLSX) but not its
 * record builder, which wants a roster's headers: a log may have no more
 * than 文件名 and 身份证号. Its rows are checked one by one and each problem
 * names the log's line: an ID number with a wrong check digit or that
 * Excel turned into a number, a student number the roster does not have, a
 * file named twice, two files for one student. A row with a problem maps
 * nothing, so its photo is not prepared under a wrong name. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/strbuf-private.h"
#include "photo-capture-log-private.h"
#include "base/fileio-private.h"
#include "roster/roster-private.h"
#include "roster/table-private.h"

struct gp_capture_log {
    char *path;
    gp_capture_entry *entries;
    size_t count;
    gp_capture_entry **by_stem; /* entries sorted by file name without extension */
};

/* Headers photographers give the file column, compared without case. */
static const char *const file_headers[] = {
    "文件名", "照片文件名", "照片文件", "照片名", "照片名称", "照片", "文件", "原片", "原片文件名", "原始文件名",
    "file", "filename", "file name", "file_name", "photo", "photo file", "image", "original",
};

static bool is_file_header(const char *text)
{
    size_t len = strlen(text);
    for (size_t k = 0; k < sizeof file_headers / sizeof *file_headers; k++)
        if (strlen(file_headers[k]) == len && strncasecmp(text, file_headers[k], len) == 0)
            return true;
    return false;
}

typedef struct columns {
    long header_line;
    size_t header_row;
    int file, id, student_no; /* source columns, -1 when absent */
} columns;

/* The header: among the first rows, one with a file-name cell and an ID
 * number or student number cell. */
static bool find_columns(const gp_table *t, columns *c)
{
    for (size_t r = 0; r < t->nrows && r < 10; r++) {
        const gp_table_row *row = &t->rows[r];
        *c = (columns){row->line, r, -1, -1, -1};
        for (size_t i = 0; i < row->ncells; i++) {
            const gp_table_cell *cell = &t->cells[row->first + i];
            const char *text = gp_table_cell_text(t, cell);
            gp_key key;
            if (c->file < 0 && is_file_header(text))
                c->file = (int)cell->column;
            else if (gp_key_from_header(text, &key) && key == GP_KEY_ID_NUMBER && c->id < 0)
                c->id = (int)cell->column;
            else if (gp_key_from_header(text, &key) && key == GP_KEY_STUDENT_NO && c->student_no < 0)
                c->student_no = (int)cell->column;
        }
        if (c->file >= 0 && (c->id >= 0 || c->student_no >= 0))
            return true;
    }
    return false;
}

/* A row's cell in a source column, or NULL. */
static const gp_table_cell *cell_at(const gp_table *t, const gp_table_row *row, int column)
{
    for (size_t i = 0; column >= 0 && i < row->ncells; i++)
        if ((int)t->cells[row->first + i].column == column)
            return &t->cells[row->first + i];
    return NULL;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/'), *back = strrchr(path, '\\');
    if (back != NULL && (slash == NULL || back > slash))
        slash = back;
    return slash != NULL ? slash + 1 : path;
}

static int compare_entry_files(const void *a, const void *b)
{
    const gp_capture_entry *x = *(const gp_capture_entry *const *)a, *y = *(const gp_capture_entry *const *)b;
    int c = strcasecmp(base_name(x->file), base_name(y->file));
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* A file name's length without its extension. */
static size_t stem_length(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot != NULL && dot != name ? (size_t)(dot - name) : strlen(name);
}

static int compare_stems(const void *a, const void *b)
{
    const char *x = base_name((*(const gp_capture_entry *const *)a)->file);
    const char *y = base_name((*(const gp_capture_entry *const *)b)->file);
    size_t nx = stem_length(x), ny = stem_length(y);
    int c = strncasecmp(x, y, nx < ny ? nx : ny);
    return c ? c : (nx > ny) - (nx < ny);
}

static int compare_entry_ids(const void *a, const void *b)
{
    const gp_capture_entry *x = *(const gp_capture_entry *const *)a, *y = *(const gp_capture_entry *const *)b;
    int c = strcmp(x->id_number, y->id_number);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static void bad_row(gp_report *findings, const char *log, gp_capture_entry *e, const char *code, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));
static void bad_row(gp_report *findings, const char *log, gp_capture_entry *e, const char *code, const char *fmt,
                    ...)
{
    va_list ap;
    va_start(ap, fmt);
    gp_report_vadd(findings, GP_ERROR, code, log, e->line, e->student_no, fmt, ap);
    va_end(ap);
    e->usable = false;
}

/* One row: its file and the ID number it gives, directly or through the
 * roster's student number. */
static void read_row(gp_capture_entry *e, const char *log, const gp_roster_index *index, gp_report *findings)
{
    char *id = e->id_number;
    e->id_number = NULL;
    e->usable = true;
    if (id == NULL && e->student_no != NULL && index != NULL) {
        const gp_record *student = gp_roster_index_by_student_no(index, e->student_no);
        if (student == NULL) {
            bad_row(findings, log, e, "not-in-roster",
                    _("student number %s (for %s) is not in the roster; correct the capture log"), e->student_no,
                    e->file);
            return;
        }
        const char *known = gp_record_key(student, GP_KEY_ID_NUMBER);
        if (known == NULL || (id = strdup(known)) == NULL) {
            bad_row(findings, log, e, "name", _("the roster has no ID number for student %s; fill it in the roster"),
                    e->student_no);
            return;
        }
    }
    if (id == NULL) {
        bad_row(findings, log, e, "name", _("no ID number for %s; fill it in the capture log"), e->file);
        return;
    }
    gp_id_number_normalise(id);
    char expected = '\0';
    if (gp_id_number_is_mangled(id)) {
        bad_row(findings, log, e, "name",
                _("the ID number for %s was stored by Excel as a number, which keeps only 15 digits; format the "
                  "column as text and type it again"),
                e->file);
    } else if (!gp_id_number_valid(id, &expected)) {
        if (expected != '\0' && strlen(id) == 18)
            bad_row(findings, log, e, "name",
                    _("the ID number for %s has check digit %c but should end in %c (GB 11643); correct the "
                      "capture log"),
                    e->file, id[17], expected);
        else
            bad_row(findings, log, e, "name",
                    _("the ID number for %s is not 18 characters of digits and a check character; correct the "
                      "capture log"),
                    e->file);
    } else if (index != NULL && gp_roster_index_by_id(index, id) == NULL) {
        bad_row(findings, log, e, "not-in-roster",
                _("the ID number for %s is not in the roster; correct the capture log or add the student"), e->file);
    }
    if (e->usable)
        e->id_number = id;
    else
        free(id);
}

/* A file listed twice, or two files for one student: none of them is
 * used, since there is no telling which is right. */
static gp_status check_duplicates(gp_capture_log *log, gp_report *findings, gp_error **err)
{
    gp_capture_entry **v = malloc((log->count ? log->count : 1) * sizeof *v);
    if (v == NULL)
        return gp_error_nomem(err);
    for (size_t i = 0; i < log->count; i++)
        v[i] = &log->entries[i];
    qsort(v, log->count, sizeof *v, compare_entry_files);
    for (size_t i = 1; i < log->count; i++)
        if (strcasecmp(base_name(v[i]->file), base_name(v[i - 1]->file)) == 0) {
            bad_row(findings, log->path, v[i], "name", _("%s is also on line %ld; list each file once"), v[i]->file,
                    v[i - 1]->line);
            v[i - 1]->usable = false;
        }
    size_t n = 0;
    for (size_t i = 0; i < log->count; i++)
        if (log->entries[i].id_number != NULL)
            v[n++] = &log->entries[i];
    qsort(v, n, sizeof *v, compare_entry_ids);
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i]->id_number, v[i - 1]->id_number) == 0) {
            bad_row(findings, log->path, v[i], "name",
                    _("%s and %s (line %ld) are both for the same student; keep one row"), v[i]->file, v[i - 1]->file,
                    v[i - 1]->line);
            v[i - 1]->usable = false;
        }
    free(v);
    return GP_OK;
}

/* "文件名, 身份证号" as found, for a message. */
static char *header_text(const gp_table *t)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    for (size_t i = 0; t->nrows > 0 && i < t->rows[0].ncells; i++) {
        if (i > 0)
            gp_strbuf_append(&sb, ", ");
        gp_strbuf_append(&sb, gp_table_cell_text(t, &t->cells[t->rows[0].first + i]));
    }
    return gp_strbuf_steal(&sb);
}

static gp_status no_columns(const char *path, const gp_table *t, const gp_roster *roster, gp_error **err)
{
    columns c = {0, 0, -1, -1, -1};
    /* What the first row has, to say what is missing. */
    for (size_t i = 0; t->nrows > 0 && i < t->rows[0].ncells; i++) {
        const char *text = gp_table_cell_text(t, &t->cells[t->rows[0].first + i]);
        gp_key key;
        if (is_file_header(text))
            c.file = 0;
        else if (gp_key_from_header(text, &key) && key == GP_KEY_STUDENT_NO)
            c.student_no = 0;
    }
    char *found = header_text(t);
    const char *cols = found != NULL ? found : "";
    gp_status st;
    if (c.file < 0)
        st = gp_error_set(err, GP_E_INVALID, path, 1,
                          _("the capture log has no file-name column (文件名); its columns are: %s"), cols);
    else if (c.student_no >= 0)
        st = gp_error_set(err, GP_E_INVALID, path, 1,
                          _("the capture log gives student numbers (学号) but no ID numbers (身份证号); give --roster "
                            "to look them up; its columns are: %s"),
                          cols);
    else
        st = gp_error_set(err, GP_E_INVALID, path, 1,
                          _("the capture log has no ID-number column (身份证号) and no student-number column (学号); "
                            "its columns are: %s"),
                          cols);
    (void)roster;
    free(found);
    return st;
}

static gp_status build(const char *path, gp_table *t, const gp_roster *roster, gp_capture_log **out,
                       gp_report *findings, gp_error **err)
{
    columns c;
    if (!find_columns(t, &c) || (c.id < 0 && roster == NULL))
        return no_columns(path, t, roster, err);
    gp_capture_log *log = calloc(1, sizeof *log);
    gp_roster_index *index = roster != NULL ? gp_roster_index_new(roster) : NULL;
    if (log == NULL || (log->path = strdup(path)) == NULL ||
        (log->entries = calloc(t->nrows ? t->nrows : 1, sizeof *log->entries)) == NULL ||
        (roster != NULL && index == NULL)) {
        gp_capture_log_free(log);
        gp_roster_index_free(index);
        return gp_error_nomem(err);
    }
    gp_status st = GP_OK;
    for (size_t r = c.header_row + 1; r < t->nrows && st == GP_OK; r++) {
        const gp_table_row *row = &t->rows[r];
        const gp_table_cell *file = cell_at(t, row, c.file), *id = cell_at(t, row, c.id),
                            *no = cell_at(t, row, c.student_no);
        if (file == NULL) {
            if (id != NULL || no != NULL)
                gp_report_add(findings, GP_WARNING, "name", path, row->line,
                              no != NULL ? gp_table_cell_text(t, no) : NULL, "%s",
                              _("this row has no file name; it is skipped"));
            continue;
        }
        gp_capture_entry *e = &log->entries[log->count++];
        e->line = row->line;
        e->file = strdup(gp_table_cell_text(t, file));
        e->student_no = no != NULL ? strdup(gp_table_cell_text(t, no)) : NULL;
        e->id_number = id != NULL ? strdup(gp_table_cell_text(t, id)) : NULL;
        if (e->file == NULL || (no != NULL && e->student_no == NULL) || (id != NULL && e->id_number == NULL))
            st = gp_error_nomem(err);
        else
            read_row(e, path, index, findings);
    }
    gp_roster_index_free(index);
    if (st == GP_OK)
        st = check_duplicates(log, findings, err);
    if (st == GP_OK && (log->by_stem = malloc((log->count ? log->count : 1) * sizeof *log->by_stem)) == NULL)
        st = gp_error_nomem(err);
    if (st != GP_OK) {
        gp_capture_log_free(log);
        return st;
    }
    for (size_t i = 0; i < log->count; i++)
        log->by_stem[i] = &log->entries[i];
    qsort(log->by_stem, log->count, sizeof *log->by_stem, compare_stems);
    *out = log;
    return GP_OK;
}

/* CSV (comma, else tab) or XLSX into rows of cells. */
static gp_status read_table(const char *name, const unsigned char *data, size_t size, const char *encoding,
                            gp_table *t, gp_error **err)
{
    if (size >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
        return gp_xlsx_read(name, data, size, NULL, t, err);
    char *text = NULL;
    size_t len = 0;
    gp_status st = gp_csv_decode(name, data, size, encoding, &text, &len, err);
    if (st != GP_OK)
        return st;
    st = gp_csv_parse(name, text, len, ',', t, err);
    columns c;
    if (st == GP_OK && !find_columns(t, &c) && memchr(text, '\t', len) != NULL) {
        gp_table tabs;
        gp_table_init(&tabs);
        gp_error *tab_err = NULL;
        if (gp_csv_parse(name, text, len, '\t', &tabs, &tab_err) == GP_OK && find_columns(&tabs, &c)) {
            gp_table_free(t);
            *t = tabs;
        } else {
            gp_table_free(&tabs);
        }
        gp_error_free(tab_err);
    }
    free(text);
    return st;
}

gp_status gp_capture_log_parse(const char *name, const unsigned char *data, size_t size, const gp_roster *roster,
                               gp_capture_log **out, gp_report *findings, gp_error **err)
{
    *out = NULL;
    if (size == 0)
        return gp_error_set(err, GP_E_INVALID, name, 0, "%s", _("the capture log is empty"));
    gp_table t;
    gp_table_init(&t);
    gp_status st = read_table(name, data, size, NULL, &t, err);
    if (st == GP_OK && t.failed)
        st = gp_error_nomem(err);
    if (st == GP_OK)
        st = build(name, &t, roster, out, findings, err);
    gp_table_free(&t);
    return st;
}

gp_status gp_capture_log_load(const char *path, const gp_roster_options *opts, const gp_roster *roster,
                              gp_capture_log **out, gp_report *findings, gp_error **err)
{
    *out = NULL;
    unsigned char *data = NULL;
    size_t size = 0;
    gp_status st = gp_read_file(path, GP_ROSTER_MAX_FILE, &data, &size, err);
    if (st != GP_OK)
        return st;
    gp_table t;
    gp_table_init(&t);
    st = size == 0 ? gp_error_set(err, GP_E_INVALID, path, 0, "%s", _("the capture log is empty"))
                   : read_table(path, data, size, opts != NULL ? opts->encoding : NULL, &t, err);
    free(data);
    if (st == GP_OK && t.failed)
        st = gp_error_nomem(err);
    if (st == GP_OK)
        st = build(path, &t, roster, out, findings, err);
    gp_table_free(&t);
    return st;
}

void gp_capture_log_free(gp_capture_log *log)
{
    if (log == NULL)
        return;
    for (size_t i = 0; i < log->count; i++) {
        free(log->entries[i].file);
        free(log->entries[i].id_number);
        free((char *)log->entries[i].student_no);
    }
    free(log->entries);
    free(log->by_stem);
    free(log->path);
    free(log);
}

size_t gp_capture_log_count(const gp_capture_log *log) { return log->count; }
const gp_capture_entry *gp_capture_log_entry(const gp_capture_log *log, size_t i) { return &log->entries[i]; }

/* "IMG_0012.JPG" against a row's "IMG_0012" or "img_0012.jpg". */
static bool names_match(const char *row, const char *file)
{
    row = base_name(row);
    if (strcasecmp(row, file) == 0)
        return true;
    const char *dot = strrchr(file, '.');
    return dot != NULL && strchr(row, '.') == NULL && strlen(row) == (size_t)(dot - file) &&
           strncasecmp(row, file, (size_t)(dot - file)) == 0;
}

const gp_capture_entry *gp_capture_log_find(const gp_capture_log *log, const char *file_name)
{
    gp_capture_entry probe = {(char *)file_name, NULL, NULL, 0, false};
    const gp_capture_entry *key = &probe;
    gp_capture_entry **hit = bsearch(&key, log->by_stem, log->count, sizeof *log->by_stem, compare_stems);
    if (hit == NULL)
        return NULL;
    /* Rows with the same stem (IMG_1.JPG, IMG_1.PNG) sit side by side. */
    size_t at = (size_t)(hit - log->by_stem);
    while (at > 0 && compare_stems(&log->by_stem[at - 1], &key) == 0)
        at--;
    for (; at < log->count && compare_stems(&log->by_stem[at], &key) == 0; at++)
        if (names_match(log->by_stem[at]->file, file_name))
            return log->by_stem[at];
    return NULL;
}
