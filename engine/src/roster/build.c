/* From rows of cells to a roster: find the header, map it to keys, then
 * normalise the cells the engine interprets (ID numbers, dates, numbers
 * from spreadsheets) and note what cannot be normalised. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "roster/header-map-private.h"
#include "base/clip-private.h"
#include "roster/roster-private.h"
#include "roster/table-private.h"

#define HEADER_SEARCH_ROWS 10
#define UNMAPPED UINT32_MAX
#define MAX_HEADLESS_REPORTED 5

/* A school's own map first, then the names gradprint knows. */
static bool header_key(gp_header_map *map, const char *header, gp_key *key)
{
    return gp_header_map_lookup(map, header, key) || gp_key_from_header(header, key);
}

static size_t mapped_cells(const gp_table *t, gp_header_map *map, const gp_table_row *row)
{
    size_t n = 0;
    gp_key key;
    for (size_t i = 0; i < row->ncells; i++)
        n += header_key(map, gp_table_cell_text(t, &t->cells[row->first + i]), &key);
    return n;
}

bool gp_table_find_header(const gp_table *t, gp_header_map *map, size_t *row)
{
    for (size_t r = 0; r < t->nrows && r < HEADER_SEARCH_ROWS; r++)
        if (mapped_cells(t, map, &t->rows[r]) >= 2) {
            *row = r;
            return true;
        }
    return false;
}

typedef struct column {
    uint32_t source; /* column in the file */
    size_t header;   /* offset of the header text in the table */
    int key;         /* gp_key or -1 */
} column;

typedef struct builder {
    const char *path;
    gp_table *t;
    gp_header_map *map;
    unsigned *row_flags; /* gp_record_flags per record */
    gp_roster *roster;
    column *columns;
    size_t ncolumns;
    long header_line;
    gp_strbuf student_no; /* of the row being normalised */
    struct {
        uint32_t source;
        long line;
    } headless[MAX_HEADLESS_REPORTED];
    size_t nheadless;
} builder;

static int by_source(const void *a, const void *b)
{
    const column *x = a, *y = b;
    if (x->source != y->source)
        return x->source < y->source ? -1 : 1;
    /* Same column twice (a damaged sheet): the later cell comes last. */
    return x->header < y->header ? -1 : x->header > y->header;
}

static const char *header_text(const builder *b, size_t col)
{
    return b->t->text.data + b->columns[col].header;
}

/* The first row's cells, quoted, for a message: what the file has instead
 * of a header gradprint knows. */
static void first_row_cells(const gp_table *t, gp_strbuf *sb)
{
    if (t->nrows == 0)
        return;
    const gp_table_row *row = &t->rows[0];
    for (size_t i = 0; i < row->ncells && i < 12; i++) {
        gp_clip clip;
        gp_strbuf_appendf(sb, "%s\"%s\"", i ? ", " : "", gp_clip_text(&clip, gp_table_cell_text(t, &t->cells[row->first + i])));
    }
    if (row->ncells > 12)
        gp_strbuf_append(sb, ", …");
}

static gp_status no_header(const builder *b, gp_error **err)
{
    gp_strbuf cells;
    gp_strbuf_init(&cells);
    first_row_cells(b->t, &cells);
    if (gp_strbuf_failed(&cells))
        return gp_error_nomem(err);
    gp_status st = gp_error_set(
        err, GP_E_INVALID, b->path, 0,
        _("no header row found in the first %d rows (the first row holds %s); the roster needs a row of column "
          "headers such as 学号, 姓名, 身份证号, 学院, 专业, 班级 (or student_no, name, id_number, college, major, "
          "class) above the students; name other headers with --map 列名=key or a mapping file (--map-file)"),
        HEADER_SEARCH_ROWS, cells.len ? cells.data : "-");
    gp_strbuf_free(&cells);
    return st;
}

static gp_status map_header(builder *b, const gp_table_row *row, gp_error **err)
{
    gp_table *t = b->t;
    b->columns = malloc((row->ncells ? row->ncells : 1) * sizeof *b->columns);
    if (b->columns == NULL)
        return gp_error_nomem(err);
    for (size_t i = 0; i < row->ncells; i++) {
        const gp_table_cell *c = &t->cells[row->first + i];
        b->columns[i] = (column){c->column, c->text, -1};
    }
    qsort(b->columns, row->ncells, sizeof *b->columns, by_source);
    size_t n = 0;
    for (size_t i = 0; i < row->ncells; i++) {
        if (n > 0 && b->columns[n - 1].source == b->columns[i].source)
            n--;
        b->columns[n++] = b->columns[i];
    }
    b->ncolumns = n;
    if (n > GP_ROSTER_MAX_COLUMNS)
        return gp_error_set(err, GP_E_INVALID, b->path, b->header_line,
                            _("the header row has %zu columns, more than the %d a roster may have; delete the columns "
                              "that are not needed"),
                            n, GP_ROSTER_MAX_COLUMNS);
    int *key_column = b->roster->key_column;
    for (int k = 0; k < GP_KEY_COUNT; k++)
        key_column[k] = -1;
    for (size_t i = 0; i < n; i++) {
        gp_key key;
        if (!header_key(b->map, header_text(b, i), &key))
            continue;
        if (key_column[key] >= 0) {
            size_t first = (size_t)key_column[key];
            char a[8], c[8];
            gp_column_letters(b->columns[first].source, a);
            gp_column_letters(b->columns[i].source, c);
            return gp_error_set(err, GP_E_INVALID, b->path, b->header_line,
                                _("headers \"%s\" (column %s) and \"%s\" (column %s) both mean %s (%s); delete or "
                                  "rename one of the two columns"),
                                header_text(b, first), a, header_text(b, i), c, gp_key_label(key), gp_key_name(key));
        }
        key_column[key] = (int)i;
        b->columns[i].key = (int)key;
    }
    return GP_OK;
}

static uint32_t find_column(const builder *b, uint32_t source)
{
    size_t lo = 0, hi = b->ncolumns;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->columns[mid].source < source)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->ncolumns && b->columns[lo].source == source ? (uint32_t)lo : UNMAPPED;
}

static void note_headless(builder *b, uint32_t source, long line)
{
    for (size_t i = 0; i < b->nheadless; i++)
        if (b->headless[i].source == source)
            return;
    if (b->nheadless < MAX_HEADLESS_REPORTED) {
        b->headless[b->nheadless].source = source;
        b->headless[b->nheadless].line = line;
        b->nheadless++;
    }
}

/* Gives a cell new text: in place when it fits, else appended. */
static bool set_text(builder *b, gp_table_cell *c, const char *text)
{
    size_t n = strlen(text);
    char *old = b->t->text.data + c->text;
    if (n <= strlen(old)) {
        memmove(old, text, n + 1);
        return true;
    }
    size_t offset = b->t->text.len;
    gp_strbuf_append_len(&b->t->text, text, n + 1);
    if (gp_strbuf_failed(&b->t->text))
        return false;
    c->text = offset;
    return true;
}

static bool is_date_key(int key)
{
    return key == GP_KEY_BIRTH_DATE || key == GP_KEY_ENROL_DATE || key == GP_KEY_GRAD_DATE;
}

static const char *cell_text(const builder *b, const gp_table_cell *c) { return gp_table_cell_text(b->t, c); }

static bool add_finding(builder *b, gp_severity severity, const char *code, long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static bool add_finding(builder *b, gp_severity severity, const char *code, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = gp_report_vadd(b->roster->issues, severity, code, b->path, line,
                             b->student_no.len > 0 ? b->student_no.data : NULL, fmt, ap);
    va_end(ap);
    return ok;
}

/* Plain columns: numbers as Excel shows them, date-formatted numbers as dates. */
static bool normalise_plain(builder *b, gp_table_cell *c)
{
    char buf[64];
    if (c->kind == GP_CELL_DATE_NUMBER) {
        double serial;
        if (gp_number_parse(cell_text(b, c), &serial) && gp_date_from_excel_serial(serial, buf))
            return set_text(b, c, buf);
    }
    if (c->kind != GP_CELL_TEXT && gp_number_format(cell_text(b, c), buf, sizeof buf))
        return set_text(b, c, buf);
    return true;
}

/* An ID number Excel turned into a number is flagged, not reported here:
 * the preflight reports all of a roster's in one finding. */
static bool normalise_id(builder *b, gp_table_cell *c, unsigned *flags)
{
    char *text = b->t->text.data + c->text;
    bool number = c->kind != GP_CELL_TEXT;
    if (number) {
        char buf[64];
        if (gp_number_format(text, buf, sizeof buf) && !set_text(b, c, buf))
            return false;
    } else {
        gp_id_number_normalise(text);
        number = gp_id_number_is_mangled(text);
    }
    if (number)
        *flags |= GP_RECORD_ID_AS_NUMBER;
    return true;
}

/* GB/T 2261.1 codes (1 男, 2 女) and 男性/女性, as code columns (XBM) and
 * some exports write them, become what a certificate prints. */
static bool normalise_gender(builder *b, gp_table_cell *c)
{
    const char *text = cell_text(b, c);
    if (strcmp(text, "1") == 0 || strcmp(text, "男性") == 0)
        return set_text(b, c, "男");
    if (strcmp(text, "2") == 0 || strcmp(text, "女性") == 0)
        return set_text(b, c, "女");
    return true;
}

static bool report_too_long(builder *b, const gp_table_cell *c, long line)
{
    char letters[8];
    gp_column_letters(b->columns[c->column].source, letters);
    return add_finding(b, GP_ERROR, "cell-too-long", line,
                       _("column %s (%s) holds more than %d characters, which no name, class or number has; "
                         "correct the cell (a paste into the wrong cell?)"),
                       letters, header_text(b, c->column), GP_ROSTER_MAX_CELL_CHARS);
}

static bool normalise_date(builder *b, gp_table_cell *c, size_t col, long line)
{
    char letters[8], day[11];
    gp_column_letters(b->columns[col].source, letters);
    if (c->kind != GP_CELL_TEXT) {
        double serial;
        if (gp_number_parse(cell_text(b, c), &serial) && gp_date_from_excel_serial(serial, day))
            return set_text(b, c, day);
        /* 20030512 typed into a cell Excel took for a number. */
        if (gp_date_parse(cell_text(b, c), day))
            return set_text(b, c, day);
        return add_finding(b, GP_ERROR, "bad-date", line,
                           _("column %s (%s) holds the number %s, which is not a date; type the date as 2003-05-12, "
                             "2003/5/12, 2003.5.12, 2003年5月12日 or 20030512"),
                           letters, header_text(b, col), cell_text(b, c));
    }
    if (gp_date_parse(cell_text(b, c), day))
        return set_text(b, c, day);
    return add_finding(b, GP_ERROR, "bad-date", line,
                       _("column %s (%s) holds \"%s\", which is not a real date; write dates as 2003-05-12, "
                         "2003/5/12, 2003.5.12, 2003年5月12日 or 20030512"),
                       letters, header_text(b, col), cell_text(b, c));
}

static gp_status normalise_row(builder *b, const gp_table_row *row, unsigned *flags, gp_error **err)
{
    gp_table_cell *cells = b->t->cells + row->first;
    int student_col = b->roster->key_column[GP_KEY_STUDENT_NO];
    gp_strbuf_clear(&b->student_no);
    bool ok = true;
    for (size_t i = 0; i < row->ncells && ok; i++) {
        gp_table_cell *c = &cells[i];
        uint32_t source = c->column;
        c->column = find_column(b, source);
        if (c->column == UNMAPPED) {
            note_headless(b, source, row->line);
            continue;
        }
        int key = b->columns[c->column].key;
        if (key != GP_KEY_ID_NUMBER && !is_date_key(key))
            ok = normalise_plain(b, c);
        if (ok && key == GP_KEY_GENDER)
            ok = normalise_gender(b, c);
        if (ok && student_col >= 0 && c->column == (uint32_t)student_col) {
            gp_strbuf_clear(&b->student_no);
            gp_strbuf_append(&b->student_no, cell_text(b, c));
            ok = !gp_strbuf_failed(&b->student_no);
        }
    }
    for (size_t i = 0; i < row->ncells && ok; i++) {
        gp_table_cell *c = &cells[i];
        if (c->column == UNMAPPED)
            continue;
        int key = b->columns[c->column].key;
        if (c->too_long) {
            *flags |= GP_RECORD_CELL_TOO_LONG;
            ok = report_too_long(b, c, row->line);
        } else if (key == GP_KEY_ID_NUMBER) {
            ok = normalise_id(b, c, flags);
        } else if (is_date_key(key)) {
            ok = normalise_date(b, c, c->column, row->line);
        }
    }
    return ok ? GP_OK : gp_error_nomem(err);
}

static bool report_headless(builder *b)
{
    if (b->nheadless == 0)
        return true;
    gp_strbuf list;
    gp_strbuf_init(&list);
    for (size_t i = 0; i < b->nheadless; i++) {
        char letters[8];
        gp_column_letters(b->headless[i].source, letters);
        gp_strbuf_appendf(&list, i ? _(", column %s (first on line %ld)") : _("column %s (first on line %ld)"),
                          letters, b->headless[i].line);
    }
    gp_strbuf_clear(&b->student_no);
    bool ok = !gp_strbuf_failed(&list) &&
              add_finding(b, GP_WARNING, "column-without-header", b->headless[0].line,
                          _("cells in columns without a header are ignored: %s; give those columns a header in "
                            "the header row if they matter"),
                          list.data);
    gp_strbuf_free(&list);
    return ok;
}

/* Everything the records point at lives in one block of text. */
static gp_status finish(builder *b, size_t header_row, gp_error **err)
{
    gp_roster *roster = b->roster;
    gp_table *t = b->t;
    size_t count = t->nrows - header_row - 1;
    roster->ncolumns = b->ncolumns;
    roster->count = count;
    roster->column_names = calloc(b->ncolumns ? b->ncolumns : 1, sizeof *roster->column_names);
    roster->headers = calloc(b->ncolumns ? b->ncolumns : 1, sizeof *roster->headers);
    roster->sources = calloc(b->ncolumns ? b->ncolumns : 1, sizeof *roster->sources);
    roster->records = calloc(count ? count : 1, sizeof *roster->records);
    size_t ncells = count * b->ncolumns;
    roster->cell_storage = calloc(ncells > 0 ? ncells : 1, sizeof *roster->cell_storage);
    roster->text = gp_strbuf_steal(&t->text);
    if (!roster->column_names || !roster->headers || !roster->sources || !roster->records || !roster->cell_storage || !roster->text)
        return gp_error_nomem(err);
    for (size_t i = 0; i < b->ncolumns; i++) {
        int key = b->columns[i].key;
        roster->headers[i] = roster->text + b->columns[i].header;
        roster->sources[i] = b->columns[i].source;
        roster->column_names[i] = key >= 0 ? (char *)gp_key_name((gp_key)key) : roster->text + b->columns[i].header;
    }
    for (size_t r = 0; r < count; r++) {
        const gp_table_row *row = &t->rows[header_row + 1 + r];
        gp_record *rec = &roster->records[r];
        rec->line = row->line;
        rec->flags = b->row_flags[r];
        rec->cells = roster->cell_storage + r * b->ncolumns;
        rec->roster = roster;
        for (size_t i = 0; i < row->ncells; i++) {
            const gp_table_cell *c = &t->cells[row->first + i];
            if (c->column != UNMAPPED)
                rec->cells[c->column] = roster->text + c->text;
        }
    }
    return GP_OK;
}

/* Map entries that named no column: a typo in the map, or a map for
 * another export. One finding lists them. */
static bool report_unused_map(builder *b)
{
    if (b->map == NULL)
        return true;
    gp_strbuf list;
    gp_strbuf_init(&list);
    size_t n = 0;
    for (size_t i = 0; i < b->map->count; i++) {
        const gp_header_map_entry *e = &b->map->entries[i];
        if (e->used)
            continue;
        gp_clip clip;
        gp_strbuf_appendf(&list, "%s\"%s\"", n++ ? ", " : "", gp_clip_text(&clip, e->header));
    }
    gp_strbuf_clear(&b->student_no);
    bool ok = !gp_strbuf_failed(&list) &&
              (n == 0 || add_finding(b, GP_WARNING, "map-unused", b->header_line,
                                     _("the column map names %s, which the header row does not have; check the "
                                       "spelling against the header row"),
                                     list.data));
    gp_strbuf_free(&list);
    return ok;
}

gp_status gp_roster_build(const char *path, gp_table *t, gp_header_map *map, gp_roster **out, gp_error **err)
{
    *out = NULL;
    builder b = {.path = path, .t = t, .map = map};
    gp_strbuf_init(&b.student_no);
    size_t header_row;
    if (!gp_table_find_header(t, map, &header_row))
        return no_header(&b, err);
    /* The search looked at rows above the header too. */
    for (size_t i = 0; map != NULL && i < map->count; i++)
        map->entries[i].used = false;
    b.header_line = t->rows[header_row].line;
    size_t count = t->nrows - header_row - 1;
    gp_status st = GP_OK;
    b.roster = calloc(1, sizeof *b.roster);
    if (b.roster == NULL || (b.roster->path = strdup(path)) == NULL ||
        (b.roster->issues = gp_report_new()) == NULL)
        st = gp_error_nomem(err);
    if (st == GP_OK) {
        b.roster->header_line = b.header_line;
        st = map_header(&b, &t->rows[header_row], err);
    }
    if (st == GP_OK && (count > GP_ROSTER_MAX_ROWS || (b.ncolumns > 0 && count > GP_ROSTER_MAX_CELLS / b.ncolumns)))
        st = gp_error_set(err, GP_E_INVALID, path, 0,
                          _("the roster has %zu rows of %zu columns, more than gradprint reads at once (%d rows, %u "
                            "cells); split it into several files"),
                          count, b.ncolumns, GP_ROSTER_MAX_ROWS, GP_ROSTER_MAX_CELLS);
    if (st == GP_OK && (b.row_flags = calloc(count ? count : 1, sizeof *b.row_flags)) == NULL)
        st = gp_error_nomem(err);
    for (size_t r = header_row + 1; st == GP_OK && r < t->nrows; r++)
        st = normalise_row(&b, &t->rows[r], &b.row_flags[r - header_row - 1], err);
    if (st == GP_OK && (!report_headless(&b) || !report_unused_map(&b)))
        st = gp_error_nomem(err);
    if (st == GP_OK)
        st = finish(&b, header_row, err);
    gp_strbuf_free(&b.student_no);
    free(b.columns);
    free(b.row_flags);
    if (st != GP_OK) {
        gp_roster_free(b.roster);
        return st;
    }
    *out = b.roster;
    return GP_OK;
}
