/* XLS (Excel 97-2003: BIFF in an OLE compound document), which 正方 and
 * other registrar systems still export, read with libfreexl: the format
 * has decades of quirks a small library already handles (BIFF5 code pages,
 * shared strings split over CONTINUE records, RK numbers, date formats).
 * libfreexl opens files by name only, so bytes in memory are handed to it
 * through an anonymous memory file, never through a file on disk: a roster
 * is personal data and must not be left in /tmp. */
#define _GNU_SOURCE
#include <errno.h>
#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "roster/table-private.h"

#define MAX_SHEETS 1024

static gp_status not_readable(const char *path, int code, gp_error **err)
{
    if (code == FREEXL_BIFF_WORKBOOK_NOT_FOUND || code == FREEXL_INVALID_CFBF_HEADER)
        return gp_error_set(err, GP_E_INVALID, path, 0, "%s",
                            _("this compound document holds no Excel 97-2003 workbook: it is a password-protected "
                              "workbook, or a Word or other Office file; remove the password in Excel (or open the "
                              "right file) and save the roster as .xlsx or .xls"));
    return gp_error_set(err, GP_E_INVALID, path, 0,
                        _("this Excel 97-2003 .xls file is damaged and cannot be read (libfreexl error %d); open it "
                          "in Excel or WPS and save it again, as .xlsx if you can"),
                        code);
}

/* A name libfreexl can open for bytes held in memory. */
static int memory_file(const unsigned char *data, size_t size)
{
    int fd = memfd_create("gradprint-roster", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    return fd;
}

static gp_status choose_sheet(const void *xls, const char *path, const char *want, unsigned short *chosen,
                              const char **chosen_name, gp_error **err)
{
    unsigned int count = 0;
    if (freexl_get_info(xls, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK || count == 0)
        return gp_error_set(err, GP_E_INVALID, path, 0, "%s",
                            _("the workbook lists no sheets; open it in Excel or WPS and save it again"));
    if (count > MAX_SHEETS)
        count = MAX_SHEETS;
    gp_strbuf names;
    gp_strbuf_init(&names);
    for (unsigned short i = 0; i < count; i++) {
        const char *name = NULL;
        if (freexl_get_worksheet_name(xls, i, &name) != FREEXL_OK || name == NULL)
            name = "";
        if (want == NULL || strcmp(name, want) == 0) {
            *chosen = i;
            *chosen_name = name;
            gp_strbuf_free(&names);
            return GP_OK;
        }
        gp_strbuf_appendf(&names, "%s\"%s\"", i ? ", " : "", name);
    }
    gp_status st = gp_strbuf_failed(&names)
                       ? gp_error_nomem(err)
                       : gp_error_set(err, GP_E_INVALID, path, 0,
                                      _("the workbook has no sheet named \"%s\"; its sheets are %s"), want, names.data);
    gp_strbuf_free(&names);
    return st;
}

/* One cell as text and kind; false for an empty cell. */
static bool cell_text(const FreeXL_CellValue *v, char *buf, size_t size, const char **text, gp_cell_kind *kind)
{
    *kind = GP_CELL_TEXT;
    switch (v->type) {
    case FREEXL_CELL_INT:
        snprintf(buf, size, "%d", v->value.int_value);
        *text = buf;
        *kind = GP_CELL_NUMBER;
        return true;
    case FREEXL_CELL_DOUBLE:
        /* %g follows LC_NUMERIC; the roster's numbers always use '.'. */
        snprintf(buf, size, "%.17g", v->value.double_value);
        for (char *p = buf; *p; p++)
            if (*p == ',')
                *p = '.';
        *text = buf;
        *kind = GP_CELL_NUMBER;
        return true;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_TIME:
        *text = v->value.text_value;
        return *text != NULL;
    case FREEXL_CELL_DATETIME:
        /* "2003-05-12 00:00:00": the day is what a roster means. */
        if (v->value.text_value == NULL)
            return false;
        snprintf(buf, size, "%.10s", v->value.text_value);
        *text = buf;
        return true;
    default:
        return false;
    }
}

static gp_status read_sheet(const void *xls, const char *path, const char *sheet_name, gp_table *table,
                            gp_error **err)
{
    unsigned int rows = 0;
    unsigned short columns = 0;
    if (freexl_worksheet_dimensions(xls, &rows, &columns) != FREEXL_OK)
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("sheet \"%s\" of the workbook cannot be read; open it in Excel or WPS and save it again"),
                            sheet_name);
    for (unsigned int r = 0; r < rows; r++) {
        if (!gp_table_begin_row(table, (long)r + 1))
            return gp_error_nomem(err);
        for (unsigned short c = 0; c < columns; c++) {
            FreeXL_CellValue v;
            if (freexl_get_cell_value(xls, r, c, &v) != FREEXL_OK)
                continue;
            char buf[64];
            const char *text;
            gp_cell_kind kind;
            if (cell_text(&v, buf, sizeof buf, &text, &kind) && !gp_table_add_cell(table, c, kind, text, strlen(text)))
                return gp_error_nomem(err);
        }
        gp_table_end_row(table);
        if (table->failed)
            return gp_error_nomem(err);
        if (table->nrows > GP_ROSTER_MAX_ROWS)
            return gp_error_set(err, GP_E_INVALID, path, (long)r + 1,
                                _("sheet \"%s\" has more than %d rows of data; a roster has fewer, so split it into "
                                  "several files"),
                                sheet_name, GP_ROSTER_MAX_ROWS);
    }
    return GP_OK;
}

gp_status gp_xls_read(const char *path, const unsigned char *data, size_t size, const char *sheet, gp_table *table,
                      gp_error **err)
{
    int fd = memory_file(data, size);
    if (fd < 0)
        return gp_error_set(err, GP_E_IO, path, 0, _("cannot hand the .xls workbook to its reader (%s)"),
                            strerror(errno));
    char name[64];
    snprintf(name, sizeof name, "/proc/self/fd/%d", fd);
    const void *xls = NULL;
    int rc = freexl_open(name, &xls);
    gp_status st = rc == FREEXL_OK ? GP_OK : not_readable(path, rc, err);
    unsigned int password = 0;
    if (st == GP_OK && freexl_get_info(xls, FREEXL_BIFF_PASSWORD, &password) == FREEXL_OK &&
        password == FREEXL_BIFF_OBFUSCATED)
        st = gp_error_set(err, GP_E_INVALID, path, 0, "%s",
                          _("the .xls workbook is password-protected; remove the password in Excel and save it "
                            "again"));
    unsigned short index = 0;
    const char *sheet_name = NULL;
    if (st == GP_OK)
        st = choose_sheet(xls, path, sheet, &index, &sheet_name, err);
    if (st == GP_OK && freexl_select_active_worksheet(xls, index) != FREEXL_OK)
        st = not_readable(path, FREEXL_BIFF_ILLEGAL_SHEET_INDEX, err);
    if (st == GP_OK)
        st = read_sheet(xls, path, sheet_name, table, err);
    if (xls != NULL)
        freexl_close(xls);
    close(fd);
    return st;
}
