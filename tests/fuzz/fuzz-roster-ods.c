/* ODS rosters. Inputs that start like a zip go to the loader as they are;
 * anything else is taken as content.xml and packed here with the
 * spreadsheet mimetype, so the fuzzer spends its time in the table XML
 * (repeated rows and columns, text runs, notes) rather than in checksums. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char mimetype[] = "application/vnd.oasis.opendocument.spreadsheet";
    unsigned char *packed = NULL;
    const unsigned char *input = data;
    size_t input_size = size;
    if (size < 4 || memcmp(data, "PK\x03\x04", 4) != 0) {
        const fuzz_part parts[] = {{"mimetype", mimetype, sizeof mimetype - 1}, {"content.xml", data, size}};
        packed = fuzz_zip(parts, 2, &input_size);
        if (packed == NULL)
            return 0;
        input = packed;
    }
    gp_roster_options opts = {.sheet = size > 0 && data[size - 1] == '2' ? "2025届" : NULL};
    fuzz_load_and_check("fuzz.ods", input, input_size, &opts);
    free(packed);
    return 0;
}
