/* What the file readers hand to the roster builder: rows of trimmed UTF-8
 * cells with their source line and column. Only non-blank rows and non-empty
 * cells are stored, so a sparse sheet costs what its contents cost. */
#ifndef GP_ROSTER_TABLE_PRIVATE_H
#define GP_ROSTER_TABLE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/strbuf-private.h"
#include "gradprint.h"

struct gp_header_map;

/* Limits that keep a hostile or broken file from exhausting memory. */
#define GP_ROSTER_MAX_FILE (64u * 1024u * 1024u)  /* bytes of a roster file or of one XLSX part */
#define GP_ROSTER_MAX_ROWS 200000                  /* rows of a sheet or records of a CSV */
#define GP_ROSTER_MAX_COLUMNS 512                  /* named columns */
#define GP_ROSTER_MAX_CELLS (8u * 1024u * 1024u)   /* records x columns */
/* Characters of one cell: a name, a class or a major is a few dozen; a
 * longer cell is kept cut to this (with a finding), so a hostile megabyte
 * never reaches layout or a message. */
#define GP_ROSTER_MAX_CELL_CHARS 1000

typedef enum gp_cell_kind {
    GP_CELL_TEXT,
    GP_CELL_NUMBER,      /* a spreadsheet number, as the file stores it ("2021001", "1.1E+17") */
    GP_CELL_DATE_NUMBER  /* a spreadsheet number shown with a date format: an Excel serial day */
} gp_cell_kind;

typedef struct gp_table_cell {
    size_t text;       /* offset of the NUL-terminated text in gp_table.text */
    uint32_t column;   /* 0-based source column */
    uint16_t kind;     /* gp_cell_kind */
    uint16_t too_long; /* cut to GP_ROSTER_MAX_CELL_CHARS */
} gp_table_cell;

typedef struct gp_table_row {
    long line;    /* CSV line the row starts on, or XLSX row number */
    size_t first; /* index of its first cell in gp_table.cells */
    size_t ncells;
} gp_table_row;

typedef struct gp_table {
    gp_strbuf text;
    gp_table_cell *cells;
    size_t ncells, cells_cap;
    gp_table_row *rows;
    size_t nrows, rows_cap;
    bool failed; /* an allocation failed; the table is incomplete */
} gp_table;

void gp_table_init(gp_table *t);
void gp_table_free(gp_table *t);
/* Rows are built one at a time: begin, add cells, end. A row that got no
 * non-empty cell is dropped at the end. Return false when memory ran out. */
bool gp_table_begin_row(gp_table *t, long line);
/* Trims the text (see gp_trim) and stores it unless it is then empty; text
 * past GP_ROSTER_MAX_CELL_CHARS characters is dropped (too_long set). */
bool gp_table_add_cell(gp_table *t, uint32_t column, gp_cell_kind kind, const char *text, size_t len);
void gp_table_end_row(gp_table *t);
static inline const char *gp_table_cell_text(const gp_table *t, const gp_table_cell *c)
{
    return t->text.data + c->text;
}

/* Narrows [*s, *s + *len) past blanks at both ends: ASCII white space,
 * U+00A0, U+3000 (ideographic space), U+200B and U+FEFF. */
void gp_trim(const char **s, size_t *len);

/* Offset of the first byte that does not belong to well-formed UTF-8 (no
 * overlong forms, surrogates or code points past U+10FFFF), or size. */
size_t gp_utf8_invalid_at(const unsigned char *s, size_t size);

/* Spreadsheet column letters for a 0-based column ("A", "AB"); buf holds 8. */
void gp_column_letters(uint32_t column, char buf[8]);

/* CSV: bytes in any supported encoding to UTF-8 text. encoding may be NULL
 * (detect). The result is NUL-terminated and has no NUL inside. */
gp_status gp_csv_decode(const char *path, const unsigned char *data, size_t size, const char *encoding,
                        char **utf8, size_t *len, gp_error **err);
/* CSV: UTF-8 text to rows, splitting cells at delim (',' or '\t'). */
gp_status gp_csv_parse(const char *path, const char *text, size_t len, char delim, gp_table *table, gp_error **err);

/* ODS (OpenDocument spreadsheet, LibreOffice and WPS): true when the zip's
 * mimetype says so; the rows of one table (sheet NULL: the first). */
bool gp_ods_detect(const unsigned char *data, size_t size);
gp_status gp_ods_read(const char *path, const unsigned char *data, size_t size, const char *sheet, gp_table *table,
                      gp_error **err);
/* XLS (Excel 97-2003, BIFF8 in a compound document), read with libfreexl:
 * the rows of one worksheet (sheet NULL: the first). */
gp_status gp_xls_read(const char *path, const unsigned char *data, size_t size, const char *sheet, gp_table *table,
                      gp_error **err);
/* XLSX: the rows of one worksheet (sheet NULL: the first). */
gp_status gp_xlsx_read(const char *path, const unsigned char *data, size_t size, const char *sheet, gp_table *table,
                       gp_error **err);

/* The header row, columns, normalised records and load-time findings. Takes
 * over table's text; the table is left empty. */
gp_status gp_roster_build(const char *path, gp_table *table, struct gp_header_map *map, gp_roster **out,
                          gp_error **err);
/* Finds the header among the first rows (map, which may be NULL, names
 * columns besides the built-in names); false when none qualifies. */
bool gp_table_find_header(const gp_table *table, struct gp_header_map *map, size_t *row);

/* ID numbers in place: drops blanks, full-width digits and Ｘ to ASCII,
 * x to X. Returns the new length. */
size_t gp_id_number_normalise(char *id);
/* True when text looks like a number Excel wrote in E notation or with a
 * fraction: the sign an ID number lost its digits. */
bool gp_id_number_is_mangled(const char *id);

/* A spreadsheet number as its user sees it: integers without ".0", others
 * with up to 15 significant digits. Independent of the C locale. False if
 * text is not a number. */
bool gp_number_format(const char *text, char *out, size_t outsize);
/* Parses a spreadsheet number written with '.' whatever the C locale. */
bool gp_number_parse(const char *text, double *value);

#endif
