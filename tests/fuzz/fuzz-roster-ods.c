/* ODS rosters. Inputs that start like a zip go to the loader as they are;
 * anything else is taken as content.xml and packed here with the
 * spreadsheet mimetype, so the fuzzer spends its time in the table XML
 * (repeated rows and columns, text runs, notes) rather than in checksums. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/report-private.h"
#include "fuzz-zip.h"
#include "roster/roster-private.h"

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
    gp_roster *r = NULL;
    gp_error *err = NULL;
    gp_roster_options opts = {.sheet = size > 0 && data[size - 1] == '2' ? "2025届" : NULL};
    if (gp_roster_load_memory("fuzz.ods", input, input_size, &opts, &r, &err) == GP_OK) {
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
