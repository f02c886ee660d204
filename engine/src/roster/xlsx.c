/* XLSX (Office Open XML spreadsheet) to rows of cells: the workbook's sheet
 * list and relationships, and which sheet to read. The parts the sheet
 * needs are read by xlsx-styles.c, xlsx-strings.c and xlsx-sheet.c. */
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

static void workbook_free(gp_xlsx_book *wb)
{
    for (size_t i = 0; i < wb->nsheets; i++) {
        xmlFree(wb->sheets[i].name);
        xmlFree(wb->sheets[i].rid);
    }
    free(wb->sheets);
    for (size_t i = 0; i < wb->nrels; i++) {
        xmlFree(wb->rels[i].id);
        xmlFree(wb->rels[i].type);
        xmlFree(wb->rels[i].target);
    }
    free(wb->rels);
    gp_strbuf_free(&wb->strings);
    free(wb->string_at);
    free(wb->date_style);
    gp_zip_close(&wb->zip);
}

gp_status gp_xlsx_open_part(gp_xlsx_book *wb, const char *part, bool required, gp_xml *x, unsigned char **data,
                            bool *present, gp_error **err)
{
    size_t size;
    *present = false;
    gp_status st = gp_zip_read(&wb->zip, part, required, data, &size, err);
    if (st != GP_OK || *data == NULL)
        return st;
    st = gp_xml_open(x, wb->path, part, *data, size, err);
    if (st != GP_OK) {
        free(*data);
        *data = NULL;
        return st;
    }
    *present = true;
    return GP_OK;
}

void gp_xlsx_close_part(gp_xml *x, unsigned char *data)
{
    gp_xml_close(x);
    free(data);
}

static gp_status read_workbook(gp_xlsx_book *wb, gp_error **err)
{
    gp_xml x;
    unsigned char *data;
    bool present, more = true;
    gp_status st = gp_xlsx_open_part(wb, "xl/workbook.xml", true, &x, &data, &present, err);
    if (st != GP_OK)
        return st;
    while (st == GP_OK && (st = gp_xml_next(&x, &more, err)) == GP_OK && more) {
        if (!gp_xml_at(&x, "sheet"))
            continue;
        char *name = gp_xml_attr(&x, "name");
        char *rid = gp_xml_attr(&x, "id");
        if (name == NULL || rid == NULL || !GP_ARRAY_ROOM(wb->sheets, wb->nsheets, wb->sheets_cap)) {
            bool nomem = name != NULL && rid != NULL;
            xmlFree(name);
            xmlFree(rid);
            st = nomem ? gp_error_nomem(err) : GP_OK;
            continue;
        }
        wb->sheets[wb->nsheets++] = (gp_xlsx_sheet){name, rid};
    }
    gp_xlsx_close_part(&x, data);
    if (st == GP_OK && wb->nsheets == 0)
        st = gp_error_set(err, GP_E_INVALID, wb->path, 0, "%s",
                          _("the workbook lists no sheets; open it in Excel or WPS and save it again"));
    return st;
}

static gp_status read_rels(gp_xlsx_book *wb, gp_error **err)
{
    gp_xml x;
    unsigned char *data;
    bool present, more = true;
    gp_status st = gp_xlsx_open_part(wb, "xl/_rels/workbook.xml.rels", true, &x, &data, &present, err);
    if (st != GP_OK)
        return st;
    while (st == GP_OK && (st = gp_xml_next(&x, &more, err)) == GP_OK && more) {
        if (!gp_xml_at(&x, "Relationship"))
            continue;
        char *mode = gp_xml_attr(&x, "TargetMode");
        bool external = mode != NULL && strcasecmp(mode, "External") == 0;
        xmlFree(mode);
        if (external)
            continue;
        gp_xlsx_rel r = {gp_xml_attr(&x, "Id"), gp_xml_attr(&x, "Type"), gp_xml_attr(&x, "Target")};
        if (r.id == NULL || r.type == NULL || r.target == NULL ||
            !GP_ARRAY_ROOM(wb->rels, wb->nrels, wb->rels_cap)) {
            bool nomem = r.id != NULL && r.type != NULL && r.target != NULL;
            xmlFree(r.id);
            xmlFree(r.type);
            xmlFree(r.target);
            st = nomem ? gp_error_nomem(err) : GP_OK;
            continue;
        }
        wb->rels[wb->nrels++] = r;
    }
    gp_xlsx_close_part(&x, data);
    return st;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static const gp_xlsx_rel *find_rel_by_id(const gp_xlsx_book *wb, const char *id)
{
    for (size_t i = 0; i < wb->nrels; i++)
        if (strcmp(wb->rels[i].id, id) == 0)
            return &wb->rels[i];
    return NULL;
}

const gp_xlsx_rel *gp_xlsx_find_rel(const gp_xlsx_book *wb, const char *type_suffix)
{
    for (size_t i = 0; i < wb->nrels; i++)
        if (ends_with(wb->rels[i].type, type_suffix))
            return &wb->rels[i];
    return NULL;
}

/* A relationship target is relative to xl/ unless it starts with '/'. */
char *gp_xlsx_part_name(const char *target)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    if (target[0] == '/')
        target++;
    else
        gp_strbuf_append(&sb, "xl/");
    while (*target) {
        const char *slash = strchr(target, '/');
        size_t n = slash ? (size_t)(slash - target) : strlen(target);
        if (n == 2 && strncmp(target, "..", 2) == 0) {
            /* drop the last directory of what we have */
            if (sb.len > 0)
                sb.len--;
            while (sb.len > 0 && sb.data[sb.len - 1] != '/')
                sb.len--;
            if (sb.len > 0 || sb.cap > 0)
                sb.data[sb.len] = '\0';
        } else if (!(n == 1 && target[0] == '.') && n > 0) {
            gp_strbuf_append_len(&sb, target, n);
            if (slash)
                gp_strbuf_append_char(&sb, '/');
        }
        target += n + (slash ? 1 : 0);
    }
    return gp_strbuf_steal(&sb);
}

static gp_status unknown_sheet(const gp_xlsx_book *wb, const char *sheet, gp_error **err)
{
    gp_strbuf names;
    gp_strbuf_init(&names);
    for (size_t i = 0; i < wb->nsheets; i++)
        gp_strbuf_appendf(&names, "%s\"%s\"", i ? ", " : "", wb->sheets[i].name);
    if (gp_strbuf_failed(&names))
        return gp_error_nomem(err);
    gp_status st = gp_error_set(err, GP_E_INVALID, wb->path, 0,
                                _("the workbook has no sheet named \"%s\"; its sheets are %s"), sheet, names.data);
    gp_strbuf_free(&names);
    return st;
}

static gp_status choose_sheet(const gp_xlsx_book *wb, const char *sheet, const gp_xlsx_sheet **chosen,
                              const gp_xlsx_rel **target, gp_error **err)
{
    *chosen = NULL;
    *target = NULL;
    if (sheet != NULL) {
        for (size_t i = 0; i < wb->nsheets && *chosen == NULL; i++)
            if (strcmp(wb->sheets[i].name, sheet) == 0)
                *chosen = &wb->sheets[i];
        for (size_t i = 0; i < wb->nsheets && *chosen == NULL; i++)
            if (strcasecmp(wb->sheets[i].name, sheet) == 0)
                *chosen = &wb->sheets[i];
        if (*chosen == NULL)
            return unknown_sheet(wb, sheet, err);
        *target = find_rel_by_id(wb, (*chosen)->rid);
        if (*target != NULL && !ends_with((*target)->type, "/worksheet"))
            return gp_error_set(err, GP_E_INVALID, wb->path, 0,
                                _("sheet \"%s\" is a chart or dialog sheet, not a table; name the sheet that holds "
                                  "the roster"),
                                (*chosen)->name);
    } else {
        for (size_t i = 0; i < wb->nsheets && *chosen == NULL; i++) {
            const gp_xlsx_rel *r = find_rel_by_id(wb, wb->sheets[i].rid);
            if (r != NULL && ends_with(r->type, "/worksheet")) {
                *chosen = &wb->sheets[i];
                *target = r;
            }
        }
        if (*chosen == NULL)
            return gp_error_set(err, GP_E_INVALID, wb->path, 0, "%s",
                                _("the workbook has no worksheet; open it in Excel or WPS and save it again"));
    }
    if (*target == NULL)
        return gp_error_set(err, GP_E_INVALID, wb->path, 0,
                            _("sheet \"%s\" has no contents in the workbook; open it in Excel or WPS and save it "
                              "again"),
                            (*chosen)->name);
    return GP_OK;
}

gp_status gp_xlsx_read(const char *path, const unsigned char *data, size_t size, const char *sheet, gp_table *table,
                       gp_error **err)
{
    gp_xlsx_book wb;
    memset(&wb, 0, sizeof wb);
    gp_strbuf_init(&wb.strings);
    wb.path = path;
    gp_status st = gp_zip_open(&wb.zip, path, data, size, err);
    if (st == GP_OK)
        st = read_workbook(&wb, err);
    if (st == GP_OK)
        st = read_rels(&wb, err);
    const gp_xlsx_sheet *chosen = NULL;
    const gp_xlsx_rel *target = NULL;
    if (st == GP_OK)
        st = choose_sheet(&wb, sheet, &chosen, &target, err);
    char *part = NULL;
    if (st == GP_OK && (part = gp_xlsx_part_name(target->target)) == NULL)
        st = gp_error_nomem(err);
    if (st == GP_OK)
        st = gp_xlsx_read_styles(&wb, err);
    if (st == GP_OK)
        st = gp_xlsx_read_shared_strings(&wb, err);
    if (st == GP_OK)
        st = gp_xlsx_read_sheet(&wb, part, chosen->name, table, err);
    free(part);
    workbook_free(&wb);
    return st;
}
