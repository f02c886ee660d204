/* XLSX rosters. Inputs that start like a zip go to the loader as they are;
 * anything else is taken as a worksheet's XML and, after a NUL byte, a
 * shared-string table, and packed into a workbook here, so the fuzzer
 * spends its time in the XML rather than failing zip checksums. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *packed = NULL;
    const unsigned char *input = data;
    size_t input_size = size;
    if (size < 4 || memcmp(data, "PK\x03\x04", 4) != 0) {
        const uint8_t *nul = memchr(data, '\0', size);
        size_t sheet_size = nul ? (size_t)(nul - data) : size;
        const fuzz_part parts[] = {{"xl/workbook.xml", fuzz_workbook, sizeof fuzz_workbook - 1},
                                   {"xl/_rels/workbook.xml.rels", fuzz_rels, sizeof fuzz_rels - 1},
                                   {"xl/styles.xml", fuzz_styles, sizeof fuzz_styles - 1},
                                   {"xl/worksheets/sheet1.xml", data, sheet_size},
                                   {"xl/sharedStrings.xml", nul ? nul + 1 : NULL, nul ? size - sheet_size - 1 : 0}};
        packed = fuzz_zip(parts, nul ? 5 : 4, &input_size);
        if (packed == NULL)
            return 0;
        input = packed;
    }
    fuzz_load_and_check("fuzz.xlsx", input, input_size, NULL);
    free(packed);
    return 0;
}
