/* One worksheet's cells, streamed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "roster/roster-private.h"
#include "roster/table-private.h"
#include "roster/xlsx-private.h"

#define MAX_COLUMN 16384 /* XFD, Excel's last column */
#define MAX_ROW_NUMBER 1048576

/* "C7" → column 2. Returns false for anything that is not letters then digits. */
static bool parse_ref(const char *ref, uint32_t *column)
{
    uint64_t c = 0;
    const char *p = ref;
    for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'); p++) {
        c = c * 26 + (uint64_t)((*p | 0x20) - 'a' + 1);
        if (c > MAX_COLUMN)
            return false;
    }
    if (p == ref || c == 0)
        return false;
    for (; *p >= '0' && *p <= '9'; p++)
        ;
    if (*p != '\0')
        return false;
    *column = (uint32_t)(c - 1);
    return true;
}

/* The worksheet is streamed cell by cell, so memory follows the roster's
 * contents, not the XML's nesting. */
typedef struct sheet_reader {
    gp_xlsx_book *wb;
    const char *sheet_name;
    gp_table *table;
    bool in_row, in_cell, in_inline, in_phonetic, has_inline;
    long row;          /* current row number */
    uint32_t column;   /* current cell's column */
    bool first_cell;   /* no cell seen yet in this row */
    char *type;        /* current cell's t attribute */
    unsigned long style;
    gp_strbuf v;       /* the cell's <v> */
    gp_strbuf inline_text;
    gp_strbuf value;   /* what goes into the table */
} sheet_reader;

static gp_status bad_shared_index(const sheet_reader *sr, const char *text, gp_error **err)
{
    char letters[8];
    gp_column_letters(sr->column, letters);
    return gp_error_set(err, GP_E_INVALID, sr->wb->path, sr->row,
                        _("sheet \"%s\", cell %s%ld refers to shared string \"%s\", but the workbook has only %zu; "
                          "the workbook is damaged, open it in Excel or WPS and save it again"),
                        sr->sheet_name, letters, sr->row, text, sr->wb->nstrings);
}

static gp_status finish_cell(sheet_reader *sr, gp_error **err)
{
    gp_xlsx_book *wb = sr->wb;
    const char *type = sr->type ? sr->type : "n";
    const char *text = sr->v.data;
    gp_cell_kind kind = GP_CELL_TEXT;
    gp_strbuf_clear(&sr->value);
    if (strcmp(type, "inlineStr") == 0) {
        gp_strbuf_append(&sr->value, sr->has_inline ? sr->inline_text.data : text);
    } else if (sr->v.len == 0) {
        /* a formula without a cached value, or a styled empty cell */
    } else if (strcmp(type, "s") == 0) {
        char *end;
        unsigned long index = strtoul(text, &end, 10);
        if (end == text || *end != '\0' || index >= wb->nstrings)
            return bad_shared_index(sr, text, err);
        gp_strbuf_append(&sr->value, wb->strings.data + wb->string_at[index]);
    } else if (strcmp(type, "b") == 0) {
        gp_strbuf_append(&sr->value, strcmp(text, "1") == 0 ? "TRUE" : "FALSE");
    } else if (strcmp(type, "str") == 0 || strcmp(type, "e") == 0) {
        gp_xlsx_append_text(&sr->value, text);
    } else if (strcmp(type, "d") == 0) {
        /* ISO 8601 date cells: keep the day, as the roster wants dates. */
        char head[11], day[11];
        snprintf(head, sizeof head, "%s", text);
        gp_strbuf_append(&sr->value, strlen(text) >= 10 && gp_date_parse(head, day) ? day : text);
    } else {
        kind = sr->style < wb->nstyles && wb->date_style[sr->style] ? GP_CELL_DATE_NUMBER : GP_CELL_NUMBER;
        gp_strbuf_append(&sr->value, text);
    }
    if (gp_strbuf_failed(&sr->value) ||
        !gp_table_add_cell(sr->table, sr->column, kind, sr->value.data, sr->value.len))
        return gp_error_nomem(err);
    return GP_OK;
}

static gp_status start_cell(sheet_reader *sr, const gp_xml *x, gp_error **err)
{
    char *ref = gp_xml_attr(x, "r");
    uint32_t at;
    if (ref != NULL && parse_ref(ref, &at))
        sr->column = at;
    else if (!sr->first_cell)
        sr->column++;
    xmlFree(ref);
    sr->first_cell = false;
    if (sr->column >= MAX_COLUMN)
        return gp_error_set(err, GP_E_INVALID, sr->wb->path, sr->row,
                            _("sheet \"%s\" has a cell beyond column XFD, Excel's last; the workbook is damaged, "
                              "open it in Excel or WPS and save it again"),
                            sr->sheet_name);
    xmlFree(sr->type);
    sr->type = gp_xml_attr(x, "t");
    char *style = gp_xml_attr(x, "s");
    sr->style = style ? strtoul(style, NULL, 10) : 0;
    xmlFree(style);
    gp_strbuf_clear(&sr->v);
    gp_strbuf_clear(&sr->inline_text);
    sr->has_inline = false;
    sr->in_inline = false;
    sr->in_phonetic = false;
    sr->in_cell = true;
    return GP_OK;
}

static void start_row(sheet_reader *sr, const gp_xml *x)
{
    char *r = gp_xml_attr(x, "r");
    long line = sr->row + 1;
    if (r != NULL) {
        char *end;
        long n = strtol(r, &end, 10);
        if (end != r && *end == '\0' && n >= 1 && n <= MAX_ROW_NUMBER)
            line = n;
        xmlFree(r);
    }
    sr->row = line;
    sr->column = 0;
    sr->first_cell = true;
    sr->in_row = true;
}

static gp_status end_row(sheet_reader *sr, gp_error **err)
{
    sr->in_row = false;
    gp_table_end_row(sr->table);
    if (sr->table->failed)
        return gp_error_nomem(err);
    /* Only rows with values count: formatting can make Excel write empty
     * rows down to row 1048576, and those cost nothing here. */
    if (sr->table->nrows > GP_ROSTER_MAX_ROWS)
        return gp_error_set(err, GP_E_INVALID, sr->wb->path, sr->row,
                            _("sheet \"%s\" has more than %d rows of data; a roster has fewer, so split it into "
                              "several files"),
                            sr->sheet_name, GP_ROSTER_MAX_ROWS);
    return GP_OK;
}

static gp_status sheet_event(sheet_reader *sr, const gp_xml *x, gp_error **err)
{
    /* Called for every node of the sheet: look at the node once. */
    int type = xmlTextReaderNodeType(x->reader);
    if (type != XML_READER_TYPE_ELEMENT && type != XML_READER_TYPE_END_ELEMENT)
        return GP_OK;
    bool start = type == XML_READER_TYPE_ELEMENT;
    const char *name = (const char *)xmlTextReaderConstLocalName(x->reader);
    if (name == NULL)
        return GP_OK;
    gp_status st = GP_OK;
    if (strcmp(name, "row") == 0) {
        if (!start)
            return sr->in_row ? end_row(sr, err) : GP_OK;
        if (sr->in_row)
            return GP_OK; /* a row inside a row: not SpreadsheetML, ignored */
        start_row(sr, x);
        if (!gp_table_begin_row(sr->table, sr->row))
            return gp_error_nomem(err);
        return gp_xml_empty(x) ? end_row(sr, err) : GP_OK;
    }
    if (!sr->in_row)
        return GP_OK;
    if (strcmp(name, "c") == 0) {
        if (!start) {
            if (!sr->in_cell)
                return GP_OK;
            sr->in_cell = false;
            return finish_cell(sr, err);
        }
        if ((st = start_cell(sr, x, err)) == GP_OK && gp_xml_empty(x)) {
            sr->in_cell = false;
            st = finish_cell(sr, err);
        }
        return st;
    }
    if (!sr->in_cell)
        return GP_OK;
    if (strcmp(name, "v") == 0) {
        if (start) {
            gp_strbuf_clear(&sr->v);
            gp_xlsx_append_element_text(&sr->v, x);
        }
    } else if (strcmp(name, "is") == 0) {
        sr->in_inline = start && !gp_xml_empty(x);
        sr->has_inline |= start;
    } else if (strcmp(name, "rPh") == 0) {
        sr->in_phonetic = start && !gp_xml_empty(x);
    } else if (start && sr->in_inline && !sr->in_phonetic && strcmp(name, "t") == 0) {
        gp_xlsx_append_element_text(&sr->inline_text, x);
    }
    return gp_strbuf_failed(&sr->v) || gp_strbuf_failed(&sr->inline_text) ? gp_error_nomem(err) : GP_OK;
}

gp_status gp_xlsx_read_sheet(gp_xlsx_book *wb, const char *part, const char *sheet_name, gp_table *table,
                             gp_error **err)
{
    gp_xml x;
    unsigned char *data;
    bool present, more = true;
    gp_status st = gp_xlsx_open_part(wb, part, true, &x, &data, &present, err);
    if (st != GP_OK)
        return st;
    sheet_reader sr = {.wb = wb, .sheet_name = sheet_name, .table = table};
    gp_strbuf_init(&sr.v);
    gp_strbuf_init(&sr.inline_text);
    gp_strbuf_init(&sr.value);
    while (st == GP_OK && (st = gp_xml_next(&x, &more, err)) == GP_OK && more)
        st = sheet_event(&sr, &x, err);
    xmlFree(sr.type);
    gp_strbuf_free(&sr.v);
    gp_strbuf_free(&sr.inline_text);
    gp_strbuf_free(&sr.value);
    gp_xlsx_close_part(&x, data);
    return st;
}

