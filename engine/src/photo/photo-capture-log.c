/* Reading the capture log. Its rows are checked one by one and each
 * problem names the log's line: an ID number with a wrong check digit, a
 * student number the roster does not have, a file named twice, two files
 * for one student. A row with a problem maps nothing, so its photo is not
 * prepared under a wrong name. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/strbuf-private.h"
#include "photo-capture-log-private.h"
#include "roster/roster-private.h"

struct gp_capture_log {
    gp_capture_entry *entries;
    size_t count;
    gp_capture_entry **by_stem; /* entries sorted by file name without extension */
    gp_roster *table;           /* the log as read; entries point into it */
};

/* Headers photographers give the file column, compared without case. */
static const char *const file_headers[] = {
    "文件名", "照片文件名", "照片文件", "照片名", "照片名称", "照片", "文件", "原片", "原片文件名", "原始文件名",
    "file", "filename", "file name", "file_name", "photo", "photo file", "image", "original",
};

static int file_column(const gp_roster *t)
{
    for (size_t c = 0; c < t->ncolumns; c++) {
        const char *name = t->column_names[c];
        if (name == NULL)
            continue;
        while (*name == ' ')
            name++;
        size_t len = strlen(name);
        while (len > 0 && name[len - 1] == ' ')
            len--;
        for (size_t k = 0; k < sizeof file_headers / sizeof *file_headers; k++)
            if (strlen(file_headers[k]) == len && strncasecmp(name, file_headers[k], len) == 0)
                return (int)c;
    }
    return -1;
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

static void bad_row(gp_report *findings, const gp_roster *t, gp_capture_entry *e, const char *code, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));
static void bad_row(gp_report *findings, const gp_roster *t, gp_capture_entry *e, const char *code, const char *fmt,
                    ...)
{
    va_list ap;
    va_start(ap, fmt);
    gp_report_vadd(findings, GP_ERROR, code, gp_roster_path(t), e->line, e->student_no, fmt, ap);
    va_end(ap);
    e->usable = false;
}

/* One row: its file and the ID number it gives, directly or through the
 * roster's student number. */
static void read_row(gp_capture_entry *e, const gp_record *r, int col, const gp_roster *t,
                     const gp_roster_index *index, gp_report *findings)
{
    e->line = gp_record_line(r);
    e->file = (char *)r->cells[col];
    const char *id = gp_record_key(r, GP_KEY_ID_NUMBER);
    const char *no = gp_record_key(r, GP_KEY_STUDENT_NO);
    e->student_no = no;
    e->usable = true;
    if (id == NULL && no != NULL && index != NULL) {
        const gp_record *student = gp_roster_index_by_student_no(index, no);
        if (student == NULL) {
            bad_row(findings, t, e, "not-in-roster",
                    _("student number %s (for %s) is not in the roster; correct the capture log"), no, e->file);
            return;
        }
        id = gp_record_key(student, GP_KEY_ID_NUMBER);
        if (id == NULL) {
            bad_row(findings, t, e, "name", _("the roster has no ID number for student %s; fill it in the roster"), no);
            return;
        }
    }
    if (id == NULL) {
        bad_row(findings, t, e, "name", _("no ID number for %s; fill it in the capture log"), e->file);
        return;
    }
    char expected = '\0';
    if (!gp_id_number_valid(id, &expected)) {
        if (expected != '\0' && strlen(id) == 18)
            bad_row(findings, t, e, "name",
                    _("the ID number for %s has check digit %c but should end in %c (GB 11643); correct the "
                      "capture log"),
                    e->file, id[17], expected);
        else
            bad_row(findings, t, e, "name",
                    _("the ID number for %s is not 18 characters of digits and a check character; correct the "
                      "capture log"),
                    e->file);
        return;
    }
    if (index != NULL && gp_roster_index_by_id(index, id) == NULL) {
        bad_row(findings, t, e, "not-in-roster",
                _("the ID number for %s is not in the roster; correct the capture log or add the student"), e->file);
        return;
    }
    e->id_number = (char *)id;
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
            bad_row(findings, log->table, v[i], "name", _("%s is also on line %ld; list each file once"), v[i]->file,
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
            bad_row(findings, log->table, v[i], "name",
                    _("%s and %s (line %ld) are both for the same student; keep one row"), v[i]->file, v[i - 1]->file,
                    v[i - 1]->line);
            v[i - 1]->usable = false;
        }
    free(v);
    return GP_OK;
}

static gp_status build(gp_roster *t, const gp_roster *roster, gp_capture_log **out, gp_report *findings,
                       gp_error **err)
{
    int col = file_column(t);
    bool has_id = t->key_column[GP_KEY_ID_NUMBER] >= 0, has_no = t->key_column[GP_KEY_STUDENT_NO] >= 0;
    if (col < 0 || (!has_id && !(has_no && roster != NULL))) {
        gp_strbuf found;
        gp_strbuf_init(&found);
        for (size_t c = 0; c < t->ncolumns; c++) {
            if (c > 0)
                gp_strbuf_append(&found, ", ");
            /* Known headers are stored under their key; name them as people write them. */
            gp_key key;
            const char *name = t->column_names[c] != NULL ? t->column_names[c] : "";
            gp_strbuf_append(&found, gp_key_from_name(name, &key) ? gp_key_label(key) : name);
        }
        gp_status st =
            col < 0 ? gp_error_set(err, GP_E_INVALID, gp_roster_path(t), t->header_line,
                                   _("the capture log has no file-name column (文件名); its columns are: %s"),
                                   found.data != NULL ? found.data : "")
                    : gp_error_set(err, GP_E_INVALID, gp_roster_path(t), t->header_line,
                                   has_no ? _("the capture log gives student numbers (学号) but no ID numbers (身份证号); "
                                              "give --roster to look them up; its columns are: %s")
                                          : _("the capture log has no ID-number column (身份证号) and no student-number "
                                              "column (学号); its columns are: %s"),
                                   found.data != NULL ? found.data : "");
        gp_strbuf_free(&found);
        gp_roster_free(t);
        return st;
    }
    gp_capture_log *log = calloc(1, sizeof *log);
    size_t n = gp_roster_size(t);
    gp_roster_index *index = roster != NULL ? gp_roster_index_new(roster) : NULL;
    if (log != NULL)
        log->entries = calloc(n ? n : 1, sizeof *log->entries);
    if (log == NULL || log->entries == NULL || (roster != NULL && index == NULL)) {
        if (log != NULL)
            free(log->entries);
        free(log);
        gp_roster_index_free(index);
        gp_roster_free(t);
        return gp_error_nomem(err);
    }
    log->table = t;
    for (size_t i = 0; i < n; i++) {
        const gp_record *r = gp_roster_record(t, i);
        if (r->cells[col] == NULL) {
            if (gp_record_key(r, GP_KEY_ID_NUMBER) != NULL || gp_record_key(r, GP_KEY_STUDENT_NO) != NULL)
                gp_report_add(findings, GP_WARNING, "name", gp_roster_path(t), gp_record_line(r),
                              gp_record_key(r, GP_KEY_STUDENT_NO), "%s",
                              _("this row has no file name; it is skipped"));
            continue;
        }
        read_row(&log->entries[log->count++], r, col, t, index, findings);
    }
    gp_roster_index_free(index);
    gp_status st = check_duplicates(log, findings, err);
    if (st == GP_OK && (log->by_stem = malloc((log->count ? log->count : 1) * sizeof *log->by_stem)) == NULL)
        st = gp_error_nomem(err);
    if (st == GP_OK) {
        for (size_t i = 0; i < log->count; i++)
            log->by_stem[i] = &log->entries[i];
        qsort(log->by_stem, log->count, sizeof *log->by_stem, compare_stems);
    }
    if (st != GP_OK) {
        gp_capture_log_free(log);
        return st;
    }
    *out = log;
    return GP_OK;
}

gp_status gp_capture_log_load(const char *path, const gp_roster_options *opts, const gp_roster *roster,
                              gp_capture_log **out, gp_report *findings, gp_error **err)
{
    *out = NULL;
    gp_roster *t = NULL;
    gp_status st = gp_roster_load(NULL, path, opts, &t, err);
    return st != GP_OK ? st : build(t, roster, out, findings, err);
}

gp_status gp_capture_log_parse(const char *name, const unsigned char *data, size_t size, const gp_roster *roster,
                               gp_capture_log **out, gp_report *findings, gp_error **err)
{
    *out = NULL;
    gp_roster *t = NULL;
    gp_status st = gp_roster_load_memory(name, data, size, NULL, &t, err);
    return st != GP_OK ? st : build(t, roster, out, findings, err);
}

void gp_capture_log_free(gp_capture_log *log)
{
    if (log == NULL)
        return;
    free(log->entries);
    free(log->by_stem);
    gp_roster_free(log->table);
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
