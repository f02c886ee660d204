/* XLS (Excel 97-2003: BIFF in an OLE compound document), which 正方 and
 * other registrar systems still export, read with libfreexl: the format
 * has decades of quirks a small library already handles (BIFF5 code pages,
 * shared strings split over CONTINUE records, RK numbers, date formats).
 * libfreexl opens files by name only, so bytes in memory are handed to it
 * through an anonymous memory file, never through a file on disk: a roster
 * is personal data and must not be left in /tmp.
 *
 * libfreexl 1.0.6 (Debian 12) reads uninitialised stack memory on
 * malformed strings (fuzz-roster-xls found it in a second; valgrind agrees).
 * So it runs in a child process that hands back only the cells, through a
 * pipe: a crash or a stray read there cannot touch this process, and what
 * comes back is checked like any input (UTF-8, sizes, row order). */
#define _GNU_SOURCE
#include <errno.h>
#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
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

static gp_status read_here(const char *path, const unsigned char *data, size_t size, const char *sheet,
                           gp_table *table, gp_error **err)
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

/* ---- the child process and what it sends back ---------------------- */

/* Seconds the reader may take: a roster of thousands reads in well under one. */
#define CHILD_SECONDS 60

typedef struct wire {
    int fd;
    bool ok;
} wire;

static void put(wire *w, const void *p, size_t n)
{
    const unsigned char *b = p;
    while (w->ok && n > 0) {
        ssize_t k = write(w->fd, b, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            w->ok = false;
            return;
        }
        b += k;
        n -= (size_t)k;
    }
}

static void put_u64(wire *w, uint64_t v) { put(w, &v, sizeof v); }

static void put_text(wire *w, const char *s, size_t n)
{
    put_u64(w, n);
    put(w, s, n);
}

/* status, error line, message without its "file:line: " prefix; then the
 * rows: line, cell count, and per cell column, kind and text. */
static void send_result(int fd, const char *path, gp_status st, const gp_error *e, const gp_table *t)
{
    wire w = {fd, true};
    put_u64(&w, (uint64_t)st);
    if (st != GP_OK) {
        const char *msg = gp_error_message(e);
        long line = gp_error_line(e);
        char prefix[64];
        snprintf(prefix, sizeof prefix, line > 0 ? ":%ld: " : ": ", line);
        size_t skip = strlen(path);
        if (strncmp(msg, path, skip) == 0 && strncmp(msg + skip, prefix, strlen(prefix)) == 0)
            msg += skip + strlen(prefix);
        put_u64(&w, (uint64_t)line);
        put_text(&w, msg, strlen(msg));
        return;
    }
    put_u64(&w, t->nrows);
    for (size_t r = 0; r < t->nrows; r++) {
        const gp_table_row *row = &t->rows[r];
        put_u64(&w, (uint64_t)row->line);
        put_u64(&w, row->ncells);
        for (size_t i = 0; i < row->ncells; i++) {
            const gp_table_cell *c = &t->cells[row->first + i];
            const char *text = gp_table_cell_text(t, c);
            put_u64(&w, c->column);
            put_u64(&w, c->kind);
            put_text(&w, text, strlen(text));
        }
    }
}

/* Set by sanitizer runtimes (and libFuzzer through them); absent otherwise. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static void child(int fd, const char *path, const unsigned char *data, size_t size, const char *sheet)
{
    /* A core file would hold the roster. */
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    /* A crash in the reader ends this process only: no handler of the
     * embedding program (or of a fuzzer, which would record it as its
     * own) runs for it. */
    static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
        signal(fatal[i], SIG_DFL);
    if (__sanitizer_set_death_callback != NULL)
        __sanitizer_set_death_callback(NULL);
    alarm(CHILD_SECONDS);
    gp_table table;
    gp_table_init(&table);
    gp_error *e = NULL;
    gp_status st = read_here(path, data, size, sheet, &table, &e);
    send_result(fd, path, st, e, &table);
    _exit(0);
}

typedef struct reader {
    int fd;
    uint64_t budget; /* bytes still accepted */
    bool ok;
} reader;

static bool get(reader *r, void *p, size_t n)
{
    unsigned char *b = p;
    if (!r->ok || n > r->budget)
        return r->ok = false;
    r->budget -= n;
    while (n > 0) {
        ssize_t k = read(r->fd, b, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return r->ok = false;
        b += k;
        n -= (size_t)k;
    }
    return true;
}

static bool get_u64(reader *r, uint64_t *v) { return get(r, v, sizeof *v); }

/* A length-prefixed text into *out: GP_E_NOMEM when it cannot be held,
 * GP_E_INVALID when the child sent no such text. */
static gp_status get_text(reader *r, char **out)
{
    *out = NULL;
    uint64_t n;
    if (!get_u64(r, &n) || n > r->budget)
        return GP_E_INVALID;
    char *s = malloc((size_t)n + 1);
    if (s == NULL)
        return GP_E_NOMEM;
    if (!get(r, s, (size_t)n)) {
        free(s);
        return GP_E_INVALID;
    }
    s[n] = '\0';
    *out = s;
    return GP_OK;
}

static gp_status damaged(const char *path, gp_error **err)
{
    return gp_error_set(err, GP_E_INVALID, path, 0, "%s",
                        _("this Excel 97-2003 .xls file is damaged and cannot be read; open it in Excel or WPS and "
                          "save it again, as .xlsx if you can"));
}

static gp_status receive(reader *r, const char *path, gp_table *table, gp_error **err)
{
    uint64_t st, nrows;
    if (!get_u64(r, &st))
        return damaged(path, err);
    if (st != GP_OK) {
        uint64_t line;
        char *msg = NULL;
        gp_status got = get_u64(r, &line) ? get_text(r, &msg) : GP_E_INVALID;
        if (got == GP_E_NOMEM)
            return gp_error_nomem(err);
        gp_status out = msg == NULL || gp_utf8_invalid_at((unsigned char *)msg, strlen(msg)) < strlen(msg) ||
                                st > GP_E_INTERNAL
                            ? damaged(path, err)
                            : gp_error_set(err, (gp_status)st, path, (long)line, "%s", msg);
        free(msg);
        return out;
    }
    if (!get_u64(r, &nrows) || nrows > GP_ROSTER_MAX_ROWS + 1)
        return damaged(path, err);
    long last = 0;
    for (uint64_t i = 0; i < nrows; i++) {
        uint64_t line, ncells;
        if (!get_u64(r, &line) || !get_u64(r, &ncells) || (long)line <= last || line > 65536 || ncells > 256)
            return damaged(path, err);
        last = (long)line;
        if (!gp_table_begin_row(table, (long)line))
            return gp_error_nomem(err);
        for (uint64_t k = 0; k < ncells; k++) {
            uint64_t column, kind;
            char *text = NULL;
            gp_status got = get_u64(r, &column) && get_u64(r, &kind) ? get_text(r, &text) : GP_E_INVALID;
            if (got == GP_E_NOMEM)
                return gp_error_nomem(err);
            bool fine = text != NULL && column < 256 && kind <= GP_CELL_DATE_NUMBER &&
                        gp_utf8_invalid_at((unsigned char *)text, strlen(text)) == strlen(text);
            bool added = fine && gp_table_add_cell(table, (uint32_t)column, (gp_cell_kind)kind, text, strlen(text));
            free(text);
            if (!fine)
                return damaged(path, err);
            if (!added)
                return gp_error_nomem(err);
        }
        gp_table_end_row(table);
    }
    return table->failed ? gp_error_nomem(err) : GP_OK;
}

gp_status gp_xls_read(const char *path, const unsigned char *data, size_t size, const char *sheet, gp_table *table,
                      gp_error **err)
{
    int fds[2];
    if (pipe(fds) != 0)
        return gp_error_set(err, GP_E_IO, path, 0, _("cannot start the .xls reader (%s)"), strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return gp_error_set(err, GP_E_IO, path, 0, _("cannot start the .xls reader (%s)"), strerror(e));
    }
    if (pid == 0) {
        close(fds[0]);
        child(fds[1], path, data, size, sheet);
    }
    close(fds[1]);
    /* What a roster can hold, with room for the numbers around each cell. */
    reader r = {fds[0], (uint64_t)GP_ROSTER_MAX_FILE * 4, true};
    gp_status st = receive(&r, path, table, err);
    close(fds[0]);
    /* Not waiting for a child blocked on a pipe nobody reads any more. */
    if (st != GP_OK)
        kill(pid, SIGKILL);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return st;
}
