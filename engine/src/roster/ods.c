/* ODS (OpenDocument spreadsheet: LibreOffice, WPS, many 教务系统 exports on
 * Linux servers) to rows of cells. Like XLSX it is a zip of XML parts; the
 * whole workbook is content.xml, streamed table by table. Row and column
 * numbers follow what LibreOffice shows, so findings point at the row the
 * registrar sees; "repeated" rows and columns (how ODS stores runs of
 * empty cells down to row 1048576) cost nothing unless they hold values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array-private.h"
#include "base/error-private.h"
#include "base/i18n-private.h"
#include "roster/table-private.h"
#include "roster/xlsx-private.h"

#define MAX_COLUMN 16384
#define MAX_ROW_NUMBER 1048576L
#define MAX_SPACES 1000

static const char mimetype_prefix[] = "application/vnd.oasis.opendocument.";

/* The package's first entry must be "mimetype", stored uncompressed. */
bool gp_ods_detect(const unsigned char *data, size_t size)
{
    const size_t name_at = 30, n = sizeof mimetype_prefix - 1;
    if (size < name_at + 8 + n || memcmp(data, "PK\x03\x04", 4) != 0)
        return false;
    size_t name_len = (size_t)data[26] | (size_t)data[27] << 8;
    size_t extra_len = (size_t)data[28] | (size_t)data[29] << 8;
    if (name_len != 8 || memcmp(data + name_at, "mimetype", 8) != 0)
        return false;
    size_t at = name_at + 8 + extra_len;
    return at + n <= size && memcmp(data + at, mimetype_prefix, n) == 0;
}

typedef struct pending_cell {
    size_t text; /* offset in reader.row_text */
    uint32_t column;
    gp_cell_kind kind;
} pending_cell;

typedef struct ods_reader {
    const char *path;
    const char *want;   /* the sheet asked for, or NULL */
    gp_table *table;
    gp_strbuf names;    /* the tables seen, for a message */
    int depth;          /* table:table nesting */
    bool in_chosen, done, in_row, in_cell, in_annotation;
    int paragraphs;     /* text:p seen in the cell */
    long row;           /* rows before the current one */
    long row_repeat;
    uint64_t column;    /* columns before the current cell */
    uint64_t col_repeat;
    char *value;        /* office:value of a number cell, or date-value */
    gp_cell_kind kind;
    gp_strbuf text;     /* the cell's text */
    gp_strbuf row_text; /* the row's cells, each NUL-terminated */
    pending_cell *cells;
    size_t ncells, cells_cap;
    char *sheet_name;
} ods_reader;

static long attr_count(const gp_xml *x, const char *name, long max)
{
    char *v = gp_xml_attr(x, name);
    if (v == NULL)
        return 1;
    char *end;
    long n = strtol(v, &end, 10);
    bool ok = end != v && *end == '\0' && n >= 1;
    xmlFree(v);
    return !ok ? 1 : n > max ? max : n;
}

static bool push_cell(ods_reader *r, pending_cell cell)
{
    if (!GP_ARRAY_ROOM(r->cells, r->ncells, r->cells_cap))
        return false;
    r->cells[r->ncells++] = cell;
    return true;
}

static bool keep_cell(ods_reader *r)
{
    /* Numbers keep their full value; what the cell shows may be rounded. */
    const char *s = r->kind == GP_CELL_NUMBER && r->value != NULL ? r->value : r->text.data;
    if (r->kind != GP_CELL_NUMBER && r->text.len == 0 && r->value != NULL)
        s = r->value;
    size_t offset = r->row_text.len;
    gp_strbuf_append(&r->row_text, s);
    gp_strbuf_append_char(&r->row_text, '\0');
    if (gp_strbuf_failed(&r->row_text))
        return false;
    for (uint64_t k = 0; k < r->col_repeat && r->column + k < MAX_COLUMN; k++)
        if (!push_cell(r, (pending_cell){offset, (uint32_t)(r->column + k), r->kind}))
            return false;
    return true;
}

static gp_status too_many_rows(const ods_reader *r, gp_error **err)
{
    return gp_error_set(err, GP_E_INVALID, r->path, r->row,
                        _("sheet \"%s\" has more than %d rows of data; a roster has fewer, so split it into "
                          "several files"),
                        r->sheet_name ? r->sheet_name : "", GP_ROSTER_MAX_ROWS);
}

/* A repeated row with values is that many rows, as LibreOffice shows it. */
static gp_status end_row(ods_reader *r, gp_error **err)
{
    r->in_row = false;
    for (long k = 0; r->ncells > 0 && k < r->row_repeat; k++) {
        if (r->table->nrows > GP_ROSTER_MAX_ROWS)
            return too_many_rows(r, err);
        if (!gp_table_begin_row(r->table, r->row + 1 + k))
            return gp_error_nomem(err);
        for (size_t i = 0; i < r->ncells; i++) {
            const pending_cell *c = &r->cells[i];
            const char *s = r->row_text.data + c->text;
            if (!gp_table_add_cell(r->table, c->column, c->kind, s, strlen(s)))
                return gp_error_nomem(err);
        }
        gp_table_end_row(r->table);
    }
    r->row += r->row_repeat;
    if (r->table->failed)
        return gp_error_nomem(err);
    return GP_OK;
}

static void start_cell(ods_reader *r, const gp_xml *x)
{
    r->in_cell = true;
    r->paragraphs = 0;
    r->col_repeat = (uint64_t)attr_count(x, "number-columns-repeated", MAX_COLUMN);
    gp_strbuf_clear(&r->text);
    xmlFree(r->value);
    r->value = NULL;
    r->kind = GP_CELL_TEXT;
    char *type = gp_xml_attr(x, "value-type");
    if (type != NULL && (strcmp(type, "float") == 0 || strcmp(type, "percentage") == 0 ||
                         strcmp(type, "currency") == 0)) {
        r->kind = GP_CELL_NUMBER;
        r->value = gp_xml_attr(x, "value");
    } else if (type != NULL && strcmp(type, "date") == 0) {
        /* "2003-05-12" or "2003-05-12T00:00:00": the day is what a roster means. */
        r->value = gp_xml_attr(x, "date-value");
        if (r->value != NULL && strlen(r->value) > 10 && r->value[10] == 'T')
            r->value[10] = '\0';
    } else if (type != NULL && strcmp(type, "boolean") == 0) {
        char *b = gp_xml_attr(x, "boolean-value");
        r->value = (char *)xmlStrdup((const xmlChar *)(b != NULL && strcmp(b, "true") == 0 ? "TRUE" : "FALSE"));
        xmlFree(b);
    }
    xmlFree(type);
}

static gp_status end_cell(ods_reader *r, gp_error **err)
{
    r->in_cell = false;
    bool has_value = r->text.len > 0 || (r->value != NULL && r->value[0] != '\0');
    if (gp_strbuf_failed(&r->text) || (has_value && !keep_cell(r)))
        return gp_error_nomem(err);
    r->column += r->col_repeat;
    return GP_OK;
}

/* The text inside a cell: paragraphs on lines of their own, <text:s/>
 * spaces, tabs and line breaks; notes (office:annotation) are not values. */
static void cell_text_event(ods_reader *r, const gp_xml *x, int type, const char *name)
{
    if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "annotation") == 0) {
        r->in_annotation = !gp_xml_empty(x);
        return;
    }
    if (type == XML_READER_TYPE_END_ELEMENT && strcmp(name, "annotation") == 0) {
        r->in_annotation = false;
        return;
    }
    if (r->in_annotation)
        return;
    if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
        type == XML_READER_TYPE_CDATA) {
        const xmlChar *v = xmlTextReaderConstValue(x->reader);
        if (v != NULL)
            gp_strbuf_append(&r->text, (const char *)v);
        return;
    }
    if (type != XML_READER_TYPE_ELEMENT)
        return;
    if (strcmp(name, "p") == 0 || strcmp(name, "h") == 0) {
        if (r->paragraphs++ > 0)
            gp_strbuf_append_char(&r->text, '\n');
    } else if (strcmp(name, "s") == 0) {
        long n = attr_count(x, "c", MAX_SPACES);
        for (long i = 0; i < n; i++)
            gp_strbuf_append_char(&r->text, ' ');
    } else if (strcmp(name, "tab") == 0) {
        gp_strbuf_append_char(&r->text, '\t');
    } else if (strcmp(name, "line-break") == 0) {
        gp_strbuf_append_char(&r->text, '\n');
    }
}

static gp_status start_table(ods_reader *r, const gp_xml *x, gp_error **err)
{
    char *name = gp_xml_attr(x, "name");
    const char *shown = name ? name : "";
    gp_strbuf_appendf(&r->names, "%s\"%s\"", r->names.len ? ", " : "", shown);
    bool chosen = r->want == NULL || strcmp(r->want, shown) == 0;
    if (chosen) {
        r->in_chosen = true;
        r->row = 0;
        r->sheet_name = strdup(shown);
        if (r->sheet_name == NULL) {
            xmlFree(name);
            return gp_error_nomem(err);
        }
    }
    xmlFree(name);
    return gp_strbuf_failed(&r->names) ? gp_error_nomem(err) : GP_OK;
}

static gp_status event(ods_reader *r, const gp_xml *x, gp_error **err)
{
    int type = xmlTextReaderNodeType(x->reader);
    const char *name = (const char *)xmlTextReaderConstLocalName(x->reader);
    if (name == NULL)
        return GP_OK;
    bool start = type == XML_READER_TYPE_ELEMENT, end = type == XML_READER_TYPE_END_ELEMENT;
    if (strcmp(name, "table") == 0 && (start || end)) {
        if (start && gp_xml_empty(x)) {
            /* <table:table/>: a sheet without a row. */
            gp_status st = r->depth == 0 ? start_table(r, x, err) : GP_OK;
            if (r->in_chosen) {
                r->in_chosen = false;
                r->done = true;
            }
            return st;
        }
        if (start && r->depth++ == 0)
            return start_table(r, x, err);
        if (end && --r->depth == 0 && r->in_chosen) {
            r->in_chosen = false;
            r->done = true;
        }
        return GP_OK;
    }
    if (!r->in_chosen || r->depth != 1)
        return GP_OK;
    if (r->in_cell && !(end && (strcmp(name, "table-cell") == 0 || strcmp(name, "covered-table-cell") == 0))) {
        cell_text_event(r, x, type, name);
        return gp_strbuf_failed(&r->text) ? gp_error_nomem(err) : GP_OK;
    }
    if (strcmp(name, "table-row") == 0) {
        if (start) {
            r->in_row = true;
            r->row_repeat = attr_count(x, "number-rows-repeated", MAX_ROW_NUMBER);
            if (r->row + r->row_repeat > MAX_ROW_NUMBER)
                r->row_repeat = MAX_ROW_NUMBER - r->row > 0 ? MAX_ROW_NUMBER - r->row : 0;
            r->column = 0;
            r->ncells = 0;
            gp_strbuf_clear(&r->row_text);
            return gp_xml_empty(x) ? end_row(r, err) : GP_OK;
        }
        return end && r->in_row ? end_row(r, err) : GP_OK;
    }
    if (!r->in_row)
        return GP_OK;
    if (strcmp(name, "table-cell") == 0 || strcmp(name, "covered-table-cell") == 0) {
        if (start) {
            start_cell(r, x);
            return gp_xml_empty(x) ? end_cell(r, err) : GP_OK;
        }
        return end && r->in_cell ? end_cell(r, err) : GP_OK;
    }
    return GP_OK;
}

static gp_status check_mimetype(gp_zip *z, const char *path, gp_error **err)
{
    unsigned char *mt;
    size_t n;
    gp_status st = gp_zip_read(z, "mimetype", false, &mt, &n, err);
    if (st != GP_OK)
        return st;
    static const char spreadsheet[] = "application/vnd.oasis.opendocument.spreadsheet";
    bool ok = mt != NULL && n >= sizeof spreadsheet - 1 && memcmp(mt, spreadsheet, sizeof spreadsheet - 1) == 0;
    if (!ok) {
        char shown[64];
        snprintf(shown, sizeof shown, "%.*s", mt ? (int)(n < 60 ? n : 60) : 0, mt ? (const char *)mt : "");
        for (char *p = shown; *p; p++)
            if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F)
                *p = '?';
        st = gp_error_set(err, GP_E_INVALID, path, 0,
                          _("is an OpenDocument file of type \"%s\", not a spreadsheet (.ods); save the roster from "
                            "LibreOffice Calc or WPS as .ods or .xlsx"),
                          shown);
    }
    free(mt);
    return st;
}

gp_status gp_ods_read(const char *path, const unsigned char *data, size_t size, const char *sheet, gp_table *table,
                      gp_error **err)
{
    gp_zip z;
    gp_status st = gp_zip_open(&z, path, data, size, err);
    if (st != GP_OK)
        return st;
    st = check_mimetype(&z, path, err);
    unsigned char *content = NULL;
    size_t content_size = 0;
    if (st == GP_OK)
        st = gp_zip_read(&z, "content.xml", false, &content, &content_size, err);
    if (st == GP_OK && content == NULL)
        st = gp_error_set(err, GP_E_INVALID, path, 0, "%s",
                          _("the ODS spreadsheet has no content.xml, so it holds no table; open it in LibreOffice "
                            "Calc or WPS and save it again"));
    gp_xml x;
    bool open = false;
    if (st == GP_OK)
        open = (st = gp_xml_open(&x, path, "content.xml", content, content_size, err)) == GP_OK;
    ods_reader r = {.path = path, .want = sheet, .table = table};
    gp_strbuf_init(&r.names);
    gp_strbuf_init(&r.text);
    gp_strbuf_init(&r.row_text);
    bool more = true;
    while (st == GP_OK && open && !r.done && (st = gp_xml_next(&x, &more, err)) == GP_OK && more)
        st = event(&r, &x, err);
    if (st == GP_OK && !r.done && sheet != NULL)
        st = gp_error_set(err, GP_E_INVALID, path, 0, _("the spreadsheet has no sheet named \"%s\"; its sheets are %s"),
                          sheet, r.names.len ? r.names.data : "-");
    else if (st == GP_OK && !r.done)
        st = gp_error_set(err, GP_E_INVALID, path, 0, "%s",
                          _("the ODS spreadsheet holds no table; open it in LibreOffice Calc or WPS and save it "
                            "again"));
    if (open)
        gp_xml_close(&x);
    xmlFree(r.value);
    free(r.cells);
    free(r.sheet_name);
    gp_strbuf_free(&r.names);
    gp_strbuf_free(&r.text);
    gp_strbuf_free(&r.row_text);
    free(content);
    gp_zip_close(&z);
    return st;
}
