/* A lab profile is a file a contractor copies and edits by hand: every
 * input must parse or fail with a message naming a line; a parsed one must
 * hold what the job relies on (a name, a resolution in range, papers of a
 * positive size, prefixes that differ), and the back-print lines it makes
 * must fit its width and be printable ASCII. Never a crash. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gradprint.h"
#include "jobs/sheets-lab-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gp_lab_profile lab;
    gp_error *err = NULL;
    gp_status st = gp_lab_profile_parse((const char *)data, size, "fuzz.conf", &lab, &err);
    if (st != GP_OK) {
        if (err == NULL || gp_error_message(err)[0] == '\0')
            abort();
        gp_error_free(err);
        return 0;
    }
    if (lab.name[0] == '\0' || lab.dpi < 72 || lab.dpi > 1200 || lab.npapers < 1 ||
        strcmp(lab.staging_prefix, lab.ready_prefix) == 0)
        abort();
    for (int i = 0; i < lab.npapers; i++)
        if (!(lab.papers[i].w_mm > 0) || !(lab.papers[i].h_mm > 0))
            abort();
    char lines[GP_LAB_MAX_BACK_LINES][GP_LAB_MAX_BACK_WIDTH + 1];
    int n = gp_lab_back_print_lines(&lab, "C001", "2021011101\"x", 12, 35, "2506201530", lines);
    for (int i = 0; i < n; i++) {
        if ((int)strlen(lines[i]) > lab.back_width)
            abort();
        for (const char *p = lines[i]; *p; p++)
            if (*p < 0x20 || *p > 0x7E || *p == '"')
                abort();
    }
    return 0;
}
