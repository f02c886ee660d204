/* The two layers under the XLSX reader: parts of the zip package, read with
 * size limits, and a streaming XML reader that refuses DTDs and never
 * touches the network or other files. */
#ifndef GP_ROSTER_XLSX_PRIVATE_H
#define GP_ROSTER_XLSX_PRIVATE_H

#include <libxml/xmlreader.h>
#include <zip.h>

#include "base/strbuf-private.h"
#include "gradprint.h"
#include "roster/table-private.h"

typedef struct gp_zip {
    const char *path; /* the workbook, for messages */
    zip_t *zip;
    zip_source_t *source;
} gp_zip;

gp_status gp_zip_open(gp_zip *z, const char *path, const unsigned char *data, size_t size, gp_error **err);
void gp_zip_close(gp_zip *z);
/* Reads a part into a NUL-terminated buffer the caller frees. When the part
 * does not exist: an error if required, else GP_OK with *data NULL. */
gp_status gp_zip_read(gp_zip *z, const char *name, bool required, unsigned char **data, size_t *size,
                      gp_error **err);

typedef struct gp_xml {
    xmlTextReaderPtr reader;
    const char *path; /* the workbook */
    const char *part; /* the part being read */
    char *error;      /* libxml2's first error message */
    int error_line;
} gp_xml;

gp_status gp_xml_open(gp_xml *x, const char *path, const char *part, const unsigned char *data, size_t size,
                      gp_error **err);
/* Moves to the next node: GP_OK with *more false at the end. */
gp_status gp_xml_next(gp_xml *x, bool *more, gp_error **err);
/* True on a start tag written as <x/>: no end tag will follow. */
bool gp_xml_empty(const gp_xml *x);
/* The text inside the current element (free with xmlFree); NULL if none. */
char *gp_xml_text(const gp_xml *x);
void gp_xml_close(gp_xml *x);
/* True when the reader is on a start tag with this local name (prefixes
 * such as x: are ignored, as some generators write them). */
bool gp_xml_at(const gp_xml *x, const char *local_name);
bool gp_xml_at_end(const gp_xml *x, const char *local_name);
/* An attribute of the current element by local name, copied (free with
 * xmlFree); NULL when absent. */
char *gp_xml_attr(const gp_xml *x, const char *local_name);

/* The workbook being read, and what its parts told so far. */
typedef struct gp_xlsx_sheet {
    char *name;
    char *rid; /* relationship id of its part */
} gp_xlsx_sheet;

typedef struct gp_xlsx_rel {
    char *id;
    char *type;
    char *target;
} gp_xlsx_rel;

typedef struct gp_xlsx_book {
    gp_zip zip;
    const char *path;
    gp_xlsx_sheet *sheets;
    size_t nsheets, sheets_cap;
    gp_xlsx_rel *rels;
    size_t nrels, rels_cap;
    gp_strbuf strings; /* shared strings, each NUL-terminated */
    size_t *string_at;
    size_t nstrings, strings_cap;
    bool *date_style; /* by cellXfs index */
    size_t nstyles;
} gp_xlsx_book;

/* Opens a part for streaming; *present is false for an optional part that
 * is not there. gp_xlsx_close_part frees both. */
gp_status gp_xlsx_open_part(gp_xlsx_book *wb, const char *part, bool required, gp_xml *x, unsigned char **data,
                            bool *present, gp_error **err);
void gp_xlsx_close_part(gp_xml *x, unsigned char *data);
/* The package name of a relationship target ("worksheets/sheet1.xml" →
 * "xl/worksheets/sheet1.xml"); NULL when memory ran out. */
char *gp_xlsx_part_name(const char *target);
/* The first relationship whose type ends in type_suffix ("/styles"). */
const gp_xlsx_rel *gp_xlsx_find_rel(const gp_xlsx_book *wb, const char *type_suffix);

/* Appends spreadsheet text, decoding Excel's _xHHHH_ escapes. */
void gp_xlsx_append_text(gp_strbuf *sb, const char *s);
/* Appends the text inside the element the reader is on. */
void gp_xlsx_append_element_text(gp_strbuf *sb, const gp_xml *x);

gp_status gp_xlsx_read_styles(gp_xlsx_book *wb, gp_error **err);
gp_status gp_xlsx_read_shared_strings(gp_xlsx_book *wb, gp_error **err);
gp_status gp_xlsx_read_sheet(gp_xlsx_book *wb, const char *part, const char *sheet_name, gp_table *table,
                             gp_error **err);

#endif
