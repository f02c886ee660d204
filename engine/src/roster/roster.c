/* Loading rosters and the public accessors. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "roster/header-map-private.h"
#include "roster/roster-private.h"
#include "roster/table-private.h"

static bool is_zip(const unsigned char *data, size_t size)
{
    return size >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

/* Compound documents: Excel 97-2003 .xls, and password-protected .xlsx. */
static bool is_ole(const unsigned char *data, size_t size)
{
    return size >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0;
}

static gp_status read_csv(const char *name, const unsigned char *data, size_t size, const char *encoding,
                          gp_header_map *map, gp_table *table, gp_error **err)
{
    char *text;
    size_t len;
    gp_status st = gp_csv_decode(name, data, size, encoding, &text, &len, err);
    if (st != GP_OK)
        return st;
    st = gp_csv_parse(name, text, len, ',', table, err);
    size_t header;
    /* Tab-separated text (Excel's "Text" export, copies from a web page):
     * only when commas give no header, so a comma file is never re-read. */
    if (st == GP_OK && !gp_table_find_header(table, map, &header) && memchr(text, '\t', len) != NULL) {
        gp_table tabs;
        gp_table_init(&tabs);
        gp_error *tab_err = NULL;
        if (gp_csv_parse(name, text, len, '\t', &tabs, &tab_err) == GP_OK && gp_table_find_header(&tabs, map, &header)) {
            gp_table_free(table);
            *table = tabs;
        } else {
            gp_table_free(&tabs);
        }
        gp_error_free(tab_err);
    }
    free(text);
    return st;
}

/* The format is told by the first bytes, never by the file's name: a
 * roster saved as .xls by a system that writes CSV is common. */
static gp_status read_table(const char *name, const unsigned char *data, size_t size, const gp_roster_options *opts,
                            gp_header_map *map, gp_table *table, gp_error **err)
{
    const char *sheet = opts ? opts->sheet : NULL;
    if (is_ole(data, size))
        return gp_xls_read(name, data, size, sheet, table, err);
    if (is_zip(data, size) && gp_ods_detect(data, size))
        return gp_ods_read(name, data, size, sheet, table, err);
    if (is_zip(data, size))
        return gp_xlsx_read(name, data, size, sheet, table, err);
    return read_csv(name, data, size, opts ? opts->encoding : NULL, map, table, err);
}

gp_status gp_roster_load_memory(const char *name, const unsigned char *data, size_t size,
                                const gp_roster_options *opts, gp_roster **out, gp_error **err)
{
    if (out == NULL || name == NULL || (data == NULL && size > 0))
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("gp_roster_load: no roster given"));
    *out = NULL;
    if (size == 0)
        return gp_error_set(err, GP_E_INVALID, name, 0, "%s",
                            _("the roster file is empty; export the roster again from Excel or the registrar's "
                              "system"));
    if (size > GP_ROSTER_MAX_FILE)
        return gp_error_set(err, GP_E_INVALID, name, 0, _("the roster file has %zu bytes, more than the %u MB allowed"),
                            size, GP_ROSTER_MAX_FILE / (1024u * 1024u));
    gp_header_map map;
    gp_header_map_init(&map);
    gp_status st = gp_header_map_from_options(&map, opts, err);
    gp_table table;
    gp_table_init(&table);
    if (st == GP_OK)
        st = read_table(name, data, size, opts, &map, &table, err);
    if (st == GP_OK)
        st = gp_roster_build(name, &table, &map, out, err);
    gp_table_free(&table);
    gp_header_map_free(&map);
    return st;
}

gp_status gp_roster_load(gp_context *ctx, const char *path, const gp_roster_options *opts, gp_roster **out,
                         gp_error **err)
{
    (void)ctx; /* reading a roster needs no fonts or data files */
    if (out != NULL)
        *out = NULL;
    if (path == NULL || out == NULL)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("gp_roster_load: no roster path given"));
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return gp_error_set(err, GP_E_INVALID, path, 0, "%s",
                            _("is a folder, not a roster file; pass the roster itself (.xlsx, .xls, .ods or .csv)"));
    unsigned char *data;
    size_t size;
    gp_status st = gp_read_file(path, GP_ROSTER_MAX_FILE, &data, &size, err);
    if (st != GP_OK)
        return st;
    st = gp_roster_load_memory(path, data, size, opts, out, err);
    free(data);
    return st;
}

void gp_roster_free(gp_roster *roster)
{
    if (roster == NULL)
        return;
    free(roster->path);
    free(roster->column_names);
    free(roster->headers);
    free(roster->sources);
    free(roster->records);
    free(roster->cell_storage);
    free(roster->text);
    gp_report_free(roster->issues);
    free(roster);
}

size_t gp_roster_size(const gp_roster *roster) { return roster ? roster->count : 0; }

const gp_record *gp_roster_record(const gp_roster *roster, size_t index)
{
    return roster && index < roster->count ? &roster->records[index] : NULL;
}

const char *gp_roster_path(const gp_roster *roster) { return roster ? roster->path : NULL; }

long gp_record_line(const gp_record *record) { return record ? record->line : 0; }

long gp_roster_index_of_line(const gp_roster *roster, long line)
{
    size_t n = gp_roster_size(roster), lo = 0, hi = n;
    if (line <= 0)
        return -1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (roster->records[mid].line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && roster->records[lo].line == line ? (long)lo : -1;
}

const char *gp_record_key(const gp_record *record, gp_key key)
{
    if (record == NULL || (unsigned)key >= GP_KEY_COUNT)
        return NULL;
    int col = record->roster->key_column[key];
    return col >= 0 ? record->cells[col] : NULL;
}

const char *gp_record_get(const gp_record *record, const char *key)
{
    if (record == NULL || key == NULL || *key == '\0')
        return NULL;
    gp_key k;
    if (gp_key_from_name(key, &k))
        return gp_record_key(record, k);
    const gp_roster *roster = record->roster;
    for (size_t i = 0; i < roster->ncolumns; i++)
        if (strcmp(roster->column_names[i], key) == 0)
            return record->cells[i];
    /* "学号", "ID Number": the header as a user would write it. */
    if (gp_key_from_header(key, &k))
        return gp_record_key(record, k);
    return NULL;
}
