/* The XLSX parts fuzz-roster-xlsx holds fixed: the input is split at NUL
 * bytes into xl/workbook.xml, xl/_rels/workbook.xml.rels, xl/styles.xml
 * and the sheet; a part left out gets a plain default, so each can be
 * mutated alone (sheet lists and ids, relationship targets with ../ and
 * absolute paths, number formats that are and are not dates). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/report-private.h"
#include "fuzz-zip.h"
#include "roster/roster-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char workbook[] =
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] =
    "<Relationships><Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/></Relationships>";
static const char styles[] = "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";
static const char sheet[] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>学号</t></is></c>"
                            "<c r=\"B1\" t=\"inlineStr\"><is><t>出生日期</t></is></c></row><row r=\"2\"><c r=\"A2\">"
                            "<v>2021001</v></c><c r=\"B2\" s=\"1\"><v>37753</v></c></row></sheetData></worksheet>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_part parts[4] = {{"xl/workbook.xml", workbook, sizeof workbook - 1},
                          {"xl/_rels/workbook.xml.rels", rels, sizeof rels - 1},
                          {"xl/styles.xml", styles, sizeof styles - 1},
                          {"xl/worksheets/sheet1.xml", sheet, sizeof sheet - 1}};
    const uint8_t *p = data, *end = data + size;
    for (int i = 0; i < 4 && p <= end; i++) {
        const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));
        size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);
        if (n > 0) {
            parts[i].data = p;
            parts[i].size = n;
        }
        if (nul == NULL)
            break;
        p = nul + 1;
    }
    size_t packed_size;
    unsigned char *packed = fuzz_zip(parts, 4, &packed_size);
    if (packed == NULL)
        return 0;
    gp_roster *r = NULL;
    gp_error *err = NULL;
    if (gp_roster_load_memory("fuzz.xlsx", packed, packed_size, NULL, &r, &err) == GP_OK) {
        gp_report *report = gp_report_new();
        if (report != NULL)
            gp_roster_check(r, NULL, 0, report);
        gp_report_free(report);
        gp_roster_free(r);
    }
    gp_error_free(err);
    free(packed);
    return 0;
}
