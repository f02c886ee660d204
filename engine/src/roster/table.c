#include "roster/table-private.h"

#include "base/array-private.h"

#include <stdlib.h>
#include <string.h>

void gp_table_init(gp_table *t)
{
    memset(t, 0, sizeof *t);
    gp_strbuf_init(&t->text);
}

void gp_table_free(gp_table *t)
{
    gp_strbuf_free(&t->text);
    free(t->cells);
    free(t->rows);
    gp_table_init(t);
}

bool gp_table_begin_row(gp_table *t, long line)
{
    if (t->failed || !GP_ARRAY_ROOM(t->rows, t->nrows, t->rows_cap)) {
        t->failed = true;
        return false;
    }
    t->rows[t->nrows] = (gp_table_row){.line = line, .first = t->ncells, .ncells = 0};
    return true;
}

bool gp_table_add_cell(gp_table *t, uint32_t column, gp_cell_kind kind, const char *text, size_t len)
{
    if (t->failed)
        return false;
    gp_trim(&text, &len);
    if (len == 0)
        return true;
    bool too_long = false;
    size_t chars = 0;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)text[i] & 0xC0) == 0x80)
            continue;
        if (++chars > GP_ROSTER_MAX_CELL_CHARS) {
            len = i;
            too_long = true;
            break;
        }
    }
    if (!GP_ARRAY_ROOM(t->cells, t->ncells, t->cells_cap)) {
        t->failed = true;
        return false;
    }
    size_t offset = t->text.len;
    gp_strbuf_append_len(&t->text, text, len);
    gp_strbuf_append_char(&t->text, '\0');
    if (gp_strbuf_failed(&t->text)) {
        t->failed = true;
        return false;
    }
    t->cells[t->ncells++] =
        (gp_table_cell){.text = offset, .column = column, .kind = (uint16_t)kind, .too_long = too_long};
    t->rows[t->nrows].ncells++;
    return true;
}

void gp_table_end_row(gp_table *t)
{
    if (!t->failed && t->rows[t->nrows].ncells > 0)
        t->nrows++;
}

/* Length of the blank character starting at s (n bytes available), 0 if none. */
static size_t blank_at(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x8B)
        return 3;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        return 3;
    return 0;
}

/* Length of the blank character ending at s + n, 0 if none. */
static size_t blank_before(const unsigned char *s, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++)
        if (blank_at(s + n - k, k) == k)
            return k;
    return 0;
}

void gp_trim(const char **s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)*s;
    size_t n = *len, k;
    while (n > 0 && (k = blank_at(p, n)) > 0) {
        p += k;
        n -= k;
    }
    while (n > 0 && (k = blank_before(p, n)) > 0)
        n -= k;
    *s = (const char *)p;
    *len = n;
}

void gp_column_letters(uint32_t column, char buf[8])
{
    char tmp[8];
    int n = 0;
    uint64_t c = (uint64_t)column + 1;
    while (c > 0 && n < 7) {
        c--;
        tmp[n++] = (char)('A' + c % 26);
        c /= 26;
    }
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
}

size_t gp_utf8_invalid_at(const unsigned char *s, size_t size)
{
    size_t i = 0;
    while (i < size) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else
            return i;
        if (i + n >= size)
            return i;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k <= n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        i += n + 1;
    }
    return size;
}
