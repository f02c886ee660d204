/* Which cell styles show numbers as dates. */
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

/* Built-in number formats that show dates (with or without a time), as
 * Excel numbers them, including the Chinese-locale ones 27-31, 36 and 50-58
 * that are dates (年月日) rather than times (时分). */
static bool builtin_date_format(long id)
{
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) ||
           id == 57 || id == 58;
}

/* A custom format shows a date when its first section has a year or day
 * part outside quoted text, escapes and [bracketed] modifiers. */
static bool format_code_is_date(const char *code)
{
    for (const char *p = code; *p && *p != ';'; p++) {
        switch (*p) {
        case '"':
            p = strchr(p + 1, '"');
            if (p == NULL)
                return false;
            break;
        case '\\':
        case '_':
        case '*':
            if (p[1] == '\0')
                return false;
            p++;
            break;
        case '[':
            p = strchr(p + 1, ']');
            if (p == NULL)
                return false;
            break;
        case 'y':
        case 'Y':
        case 'd':
        case 'D':
            return true;
        default:
            break;
        }
    }
    return false;
}

typedef struct custom_format {
    long id;
    bool date;
} custom_format;

static long attr_long(const gp_xml *x, const char *name, long fallback)
{
    char *v = gp_xml_attr(x, name);
    if (v == NULL)
        return fallback;
    char *end;
    long n = strtol(v, &end, 10);
    bool ok = end != v && *end == '\0';
    xmlFree(v);
    return ok ? n : fallback;
}

gp_status gp_xlsx_read_styles(gp_xlsx_book *wb, gp_error **err)
{
    const gp_xlsx_rel *r = gp_xlsx_find_rel(wb, "/styles");
    char *part = gp_xlsx_part_name(r ? r->target : "styles.xml");
    if (part == NULL)
        return gp_error_nomem(err);
    gp_xml x;
    unsigned char *data;
    bool present, more = true, in_cell_xfs = false;
    gp_status st = gp_xlsx_open_part(wb, part, false, &x, &data, &present, err);
    if (st != GP_OK || !present) {
        free(part);
        return st;
    }
    custom_format *custom = NULL;
    size_t ncustom = 0, custom_cap = 0;
    long *xf_format = NULL;
    size_t nxf = 0, xf_cap = 0;
    while (st == GP_OK && (st = gp_xml_next(&x, &more, err)) == GP_OK && more) {
        if (gp_xml_at(&x, "cellXfs")) {
            in_cell_xfs = !xmlTextReaderIsEmptyElement(x.reader);
        } else if (gp_xml_at_end(&x, "cellXfs")) {
            in_cell_xfs = false;
        } else if (gp_xml_at(&x, "numFmt")) {
            char *code = gp_xml_attr(&x, "formatCode");
            long id = attr_long(&x, "numFmtId", -1);
            bool date = code != NULL && format_code_is_date(code);
            xmlFree(code);
            if (!GP_ARRAY_ROOM(custom, ncustom, custom_cap))
                st = gp_error_nomem(err);
            else
                custom[ncustom++] = (custom_format){id, date};
        } else if (in_cell_xfs && gp_xml_at(&x, "xf")) {
            if (!GP_ARRAY_ROOM(xf_format, nxf, xf_cap))
                st = gp_error_nomem(err);
            else
                xf_format[nxf++] = attr_long(&x, "numFmtId", 0);
        }
    }
    gp_xlsx_close_part(&x, data);
    free(part);
    if (st == GP_OK && nxf > 0) {
        wb->date_style = calloc(nxf, sizeof *wb->date_style);
        if (wb->date_style == NULL)
            st = gp_error_nomem(err);
        for (size_t i = 0; st == GP_OK && i < nxf; i++) {
            bool date = builtin_date_format(xf_format[i]);
            /* A workbook may redefine an id; its own definition wins. */
            for (size_t k = 0; k < ncustom; k++)
                if (custom[k].id == xf_format[i])
                    date = custom[k].date;
            wb->date_style[i] = date;
        }
        if (st == GP_OK)
            wb->nstyles = nxf;
    }
    free(custom);
    free(xf_format);
    return st;
}

