/* Capture logs (--names) from arbitrary bytes, read against a small fixed
 * roster so the student-number and roster lookups run too: every row is
 * either mapped to a valid ID number or refused with a finding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/report-private.h"
#include "photo/photo-capture-log-private.h"
#include "roster/roster-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gp_roster *fixed_roster(void)
{
    static gp_roster *roster;
    static const char csv[] = "学号,姓名,身份证号\n"
                              "2021010101,甲,11010519491231002X\n"
                              "2021010102,乙,500102199901010015\n";
    if (roster == NULL)
        gp_roster_load_memory("roster.csv", (const unsigned char *)csv, sizeof csv - 1, NULL, &roster, NULL);
    return roster;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* The first byte picks with or without the roster. */
    const gp_roster *roster = data[0] & 1 ? fixed_roster() : NULL;
    gp_report *findings = gp_report_new();
    gp_capture_log *log = NULL;
    gp_error *err = NULL;
    if (gp_capture_log_parse("fuzz.csv", data + 1, size - 1, roster, &log, findings, &err) == GP_OK) {
        for (size_t i = 0; i < gp_capture_log_count(log); i++) {
            const gp_capture_entry *e = gp_capture_log_entry(log, i);
            if (e->usable && (e->id_number == NULL || !gp_id_number_valid(e->id_number, NULL)))
                __builtin_trap();
            /* Found again by the name the input file would have. */
            const char *base = e->file;
            for (const char *p = e->file; *p; p++)
                if (*p == '/' || *p == '\\')
                    base = p + 1;
            if (*base != '\0' && gp_capture_log_find(log, base) == NULL)
                __builtin_trap();
        }
        gp_capture_log_free(log);
    } else {
        gp_error_free(err);
    }
    gp_report_free(findings);
    return 0;
}
