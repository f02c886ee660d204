/* The XLSX parts fuzz-roster-xlsx holds fixed: the input is split at NUL
 * bytes into xl/workbook.xml, xl/_rels/workbook.xml.rels, xl/styles.xml
 * and the sheet; a part left out gets a plain default, so each can be
 * mutated alone (sheet lists and ids, relationship targets with ../ and
 * absolute paths, number formats that are and are not dates). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sheet[] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>学号</t></is></c>"
                            "<c r=\"B1\" t=\"inlineStr\"><is><t>出生日期</t></is></c></row><row r=\"2\"><c r=\"A2\">"
                            "<v>2021001</v></c><c r=\"B2\" s=\"1\"><v>37753</v></c></row></sheetData></worksheet>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_part parts[4] = {{"xl/workbook.xml", fuzz_workbook, sizeof fuzz_workbook - 1},
                          {"xl/_rels/workbook.xml.rels", fuzz_rels, sizeof fuzz_rels - 1},
                          {"xl/styles.xml", fuzz_styles, sizeof fuzz_styles - 1},
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
    fuzz_load_and_check("fuzz.xlsx", packed, packed_size, NULL);
    free(packed);
    return 0;
}
