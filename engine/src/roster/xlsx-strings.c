/* Text in spreadsheet parts, and the shared-string table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/array-private.h"
#include "base/error-private.h"
#include "base/i18n-private.h"
#include "roster/roster-private.h"
#include "roster/table-private.h"
#include "roster/xlsx-private.h"

/* Excel writes characters XML cannot hold as _xHHHH_ ("_x000D_" for a
 * carriage return) and a literal "_x" as "_x005F_x". */
void gp_xlsx_append_text(gp_strbuf *sb, const char *s)
{
    while (*s) {
        const char *u = strstr(s, "_x");
        if (u == NULL) {
            gp_strbuf_append(sb, s);
            return;
        }
        gp_strbuf_append_len(sb, s, (size_t)(u - s));
        unsigned cp = 0;
        bool ok = true;
        for (int i = 2; i < 6 && ok; i++) {
            char c = u[i];
            if (c >= '0' && c <= '9')
                cp = cp * 16 + (unsigned)(c - '0');
            else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                cp = cp * 16 + (unsigned)((c | 0x20) - 'a' + 10);
            else
                ok = false;
        }
        if (!ok || u[6] != '_' || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
            gp_strbuf_append_len(sb, u, 2);
            s = u + 2;
            continue;
        }
        char utf8[4];
        size_t n;
        if (cp < 0x80) {
            utf8[0] = (char)cp;
            n = 1;
        } else if (cp < 0x800) {
            utf8[0] = (char)(0xC0 | (cp >> 6));
            utf8[1] = (char)(0x80 | (cp & 0x3F));
            n = 2;
        } else {
            utf8[0] = (char)(0xE0 | (cp >> 12));
            utf8[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            utf8[2] = (char)(0x80 | (cp & 0x3F));
            n = 3;
        }
        gp_strbuf_append_len(sb, utf8, n);
        s = u + 7;
    }
}

/* Appends the text of the element the reader is on. */
void gp_xlsx_append_element_text(gp_strbuf *sb, const gp_xml *x)
{
    char *text = gp_xml_text(x);
    if (text != NULL)
        gp_xlsx_append_text(sb, text);
    xmlFree(text);
}

/* Shared strings are streamed: an <si> holds a <t>, or rich-text runs
 * <r><t>, and maybe phonetic guides <rPh><t> that are not part of the value. */
gp_status gp_xlsx_read_shared_strings(gp_xlsx_book *wb, gp_error **err)
{
    const gp_xlsx_rel *r = gp_xlsx_find_rel(wb, "/sharedStrings");
    char *part = gp_xlsx_part_name(r ? r->target : "sharedStrings.xml");
    if (part == NULL)
        return gp_error_nomem(err);
    gp_xml x;
    unsigned char *data;
    bool present, more = true, in_si = false, in_phonetic = false;
    gp_status st = gp_xlsx_open_part(wb, part, false, &x, &data, &present, err);
    if (st != GP_OK || !present) {
        free(part);
        return st;
    }
    while (st == GP_OK && (st = gp_xml_next(&x, &more, err)) == GP_OK && more) {
        bool end_si = false;
        if (gp_xml_at(&x, "si")) {
            if (!GP_ARRAY_ROOM(wb->string_at, wb->nstrings, wb->strings_cap)) {
                st = gp_error_nomem(err);
                break;
            }
            wb->string_at[wb->nstrings++] = wb->strings.len;
            in_si = true;
            end_si = gp_xml_empty(&x);
        } else if (gp_xml_at_end(&x, "si")) {
            end_si = in_si;
        } else if (gp_xml_at(&x, "rPh")) {
            in_phonetic = !gp_xml_empty(&x);
        } else if (gp_xml_at_end(&x, "rPh")) {
            in_phonetic = false;
        } else if (in_si && !in_phonetic && gp_xml_at(&x, "t")) {
            gp_xlsx_append_element_text(&wb->strings, &x);
        }
        if (end_si) {
            gp_strbuf_append_char(&wb->strings, '\0');
            in_si = false;
        }
        if (gp_strbuf_failed(&wb->strings))
            st = gp_error_nomem(err);
    }
    gp_xlsx_close_part(&x, data);
    free(part);
    return st;
}

