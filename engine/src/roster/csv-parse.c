/* RFC 4180 CSV, read the lenient way Excel reads it: a quote only opens a
 * quoted field at the start of the field, text after a closing quote is kept,
 * and lines may end in CRLF, LF or a lone CR (old Mac exports). */
#include <string.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "roster/table-private.h"

typedef struct parser {
    const char *path;
    const char *text;
    size_t len, pos;
    long line;
    char delim;
    gp_strbuf scratch;
} parser;

/* Consumes one line break at pos if there is one. */
static bool eat_newline(parser *p)
{
    if (p->pos >= p->len)
        return false;
    if (p->text[p->pos] == '\r') {
        p->pos += p->pos + 1 < p->len && p->text[p->pos + 1] == '\n' ? 2 : 1;
    } else if (p->text[p->pos] == '\n') {
        p->pos++;
    } else {
        return false;
    }
    p->line++;
    return true;
}

/* Cells written as ="0012345" make Excel keep leading zeros and long digit
 * strings; what users mean is the text inside. */
static bool add_cell(parser *p, gp_table *t, uint32_t column, const char *s, size_t n)
{
    gp_trim(&s, &n);
    if (n >= 3 && s[0] == '=' && s[1] == '"' && s[n - 1] == '"') {
        gp_strbuf_clear(&p->scratch);
        for (size_t i = 2; i < n - 1; i++) {
            gp_strbuf_append_char(&p->scratch, s[i]);
            if (s[i] == '"' && i + 1 < n - 1 && s[i + 1] == '"')
                i++;
        }
        if (gp_strbuf_failed(&p->scratch))
            return false;
        return gp_table_add_cell(t, column, GP_CELL_TEXT, p->scratch.data, p->scratch.len);
    }
    return gp_table_add_cell(t, column, GP_CELL_TEXT, s, n);
}

static gp_status quoted_field(parser *p, gp_table *t, uint32_t column, gp_error **err)
{
    long start_line = p->line;
    gp_strbuf_clear(&p->scratch);
    p->pos++; /* the opening quote */
    for (;;) {
        if (p->pos >= p->len)
            return gp_error_set(err, GP_E_INVALID, p->path, start_line,
                                "%s", _("a quoted cell starting on this line is never closed; look for a stray "
                                        "\" in that line and double it (\"\") or remove it"));
        char c = p->text[p->pos];
        if (c == '"') {
            if (p->pos + 1 < p->len && p->text[p->pos + 1] == '"') {
                gp_strbuf_append_char(&p->scratch, '"');
                p->pos += 2;
                continue;
            }
            p->pos++;
            break;
        }
        if (c == '\r' || c == '\n') {
            eat_newline(p);
            gp_strbuf_append_char(&p->scratch, '\n');
            continue;
        }
        size_t run = p->pos;
        while (run < p->len && p->text[run] != '"' && p->text[run] != '\r' && p->text[run] != '\n')
            run++;
        gp_strbuf_append_len(&p->scratch, p->text + p->pos, run - p->pos);
        p->pos = run;
    }
    /* "abc"def: Excel keeps the tail. */
    size_t tail = p->pos;
    while (tail < p->len && p->text[tail] != p->delim && p->text[tail] != '\r' && p->text[tail] != '\n')
        tail++;
    gp_strbuf_append_len(&p->scratch, p->text + p->pos, tail - p->pos);
    p->pos = tail;
    if (gp_strbuf_failed(&p->scratch))
        return gp_error_nomem(err);
    char *copy = p->scratch.data;
    size_t n = p->scratch.len;
    /* add_cell may reuse scratch for ="..." cells: hand it a stable copy. */
    gp_strbuf held = p->scratch;
    gp_strbuf_init(&p->scratch);
    bool ok = add_cell(p, t, column, copy, n);
    gp_strbuf_free(&p->scratch);
    p->scratch = held;
    return ok ? GP_OK : gp_error_nomem(err);
}

gp_status gp_csv_parse(const char *path, const char *text, size_t len, char delim, gp_table *t, gp_error **err)
{
    parser p = {.path = path, .text = text, .len = len, .pos = 0, .line = 1, .delim = delim};
    gp_strbuf_init(&p.scratch);
    gp_status st = GP_OK;
    while (st == GP_OK && p.pos < p.len) {
        if (!gp_table_begin_row(t, p.line)) {
            st = gp_error_nomem(err);
            break;
        }
        uint32_t column = 0;
        for (;;) {
            size_t lead = p.pos;
            while (lead < p.len && text[lead] == ' ')
                lead++;
            if (lead < p.len && text[lead] == '"') {
                p.pos = lead;
                st = quoted_field(&p, t, column, err);
                if (st != GP_OK)
                    break;
            } else {
                size_t end = p.pos;
                while (end < p.len && text[end] != delim && text[end] != '\r' && text[end] != '\n')
                    end++;
                if (!add_cell(&p, t, column, text + p.pos, end - p.pos)) {
                    st = gp_error_nomem(err);
                    break;
                }
                p.pos = end;
            }
            if (p.pos < p.len && text[p.pos] == delim) {
                p.pos++;
                if (column == UINT32_MAX - 1) {
                    st = gp_error_set(err, GP_E_INVALID, path, p.line, "%s", _("this line has too many cells"));
                    break;
                }
                column++;
                continue;
            }
            eat_newline(&p);
            break;
        }
        if (st != GP_OK)
            break;
        gp_table_end_row(t);
        if (t->nrows > GP_ROSTER_MAX_ROWS + 10)
            st = gp_error_set(err, GP_E_INVALID, path, p.line,
                              _("the roster has more than %d rows; split it into several files"), GP_ROSTER_MAX_ROWS);
    }
    gp_strbuf_free(&p.scratch);
    if (st == GP_OK && t->failed)
        st = gp_error_nomem(err);
    return st;
}
