/* XLSX rosters. Inputs that start like a zip go to the loader as they are;
 * anything else is taken as a worksheet's XML and, after a NUL byte, a
 * shared-string table, and packed into a workbook here, so the fuzzer
 * spends its time in the XML rather than failing zip checksums. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *packed = NULL;
    const unsigned char *input = data;
    size_t input_size = size;
    if (size < 4 || memcmp(data, "PK\x03\x04", 4) != 0) {
        const uint8_t *nul = memchr(data, '\0', size);
        size_t sheet_size = nul ? (size_t)(nul - data) : size;
        const fuzz_part parts[] = {{"xl/workbook.xml", workbook, sizeof workbook - 1},
                                   {"xl/_rels/workbook.xml.rels", rels, sizeof rels - 1},
                                   {"xl/styles.xml", styles, sizeof styles - 1},
                                   {"xl/worksheets/sheet1.xml", data, sheet_size},
                                   {"xl/sharedStrings.xml", nul ? nul + 1 : NULL, nul ? size - sheet_size - 1 : 0}};
        packed = fuzz_zip(parts, nul ? 5 : 4, &input_size);
        if (packed == NULL)
            return 0;
        input = packed;
    }
    gp_roster *r = NULL;
    gp_error *err = NULL;
    if (gp_roster_load_memory("fuzz.xlsx", input, input_size, NULL, &r, &err) == GP_OK) {
        gp_report *report = gp_report_new();
        const gp_key required[] = {GP_KEY_STUDENT_NO, GP_KEY_NAME, GP_KEY_ID_NUMBER};
        if (report != NULL)
            gp_roster_check(r, required, 3, report);
        gp_report_free(report);
        gp_roster_free(r);
    }
    gp_error_free(err);
    free(packed);
    return 0;
}
