/* CSV rosters from arbitrary bytes: decoding, parsing, header mapping,
 * normalising and every check must hold up. The first byte picks the
 * encoding option so the forced-encoding paths are reached too. */
#include <stdint.h>
#include <stdlib.h>

#include "base/report-private.h"
#include "roster/roster-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const encodings[] = {NULL, "utf-8", "gb18030", "gbk"};
    if (size < 1)
        return 0;
    gp_roster_options opts = {.encoding = encodings[data[0] % 4]};
    gp_roster *r = NULL;
    gp_error *err = NULL;
    if (gp_roster_load_memory("fuzz.csv", data + 1, size - 1, &opts, &r, &err) == GP_OK) {
        gp_report *report = gp_report_new();
        gp_key all[GP_KEY_COUNT];
        for (int k = 0; k < GP_KEY_COUNT; k++)
            all[k] = (gp_key)k;
        if (report != NULL)
            gp_roster_check(r, all, GP_KEY_COUNT, report);
        for (size_t i = 0; i < gp_roster_size(r); i++) {
            const gp_record *rec = gp_roster_record(r, i);
            for (size_t c = 0; c < r->ncolumns; c++)
                (void)gp_record_get(rec, r->column_names[c]);
        }
        gp_report_free(report);
        gp_roster_free(r);
    }
    gp_error_free(err);
    return 0;
}
