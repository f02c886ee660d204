/* --records is typed by registrars: any text selects graduates of the
 * roster, each once, or is refused with a message. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/record-select-private.h"
#include "roster/roster-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gp_roster *roster;

/* Twelve graduates on lines 2-13, an empty line in between. */
static void load_roster(void)
{
    char csv[2048];
    size_t n = (size_t)snprintf(csv, sizeof csv, "学号,姓名,身份证号\n");
    for (int i = 1; i <= 12; i++)
        n += (size_t)snprintf(csv + n, sizeof csv - n, "202101%04d,学生%d,\n%s", i, i, i == 6 ? "\n" : "");
    if (gp_roster_load_memory("fuzz.csv", (const unsigned char *)csv, n, NULL, &roster, NULL) != GP_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (roster == NULL)
        load_roster();
    char *spec = malloc(size + 1);
    if (spec == NULL)
        return 0;
    memcpy(spec, data, size);
    spec[size] = '\0';
    size_t *chosen = NULL, n = 0;
    gp_error *err = NULL;
    gp_status st = gp_records_select(roster, spec, &chosen, &n, &err);
    if ((st == GP_OK) != (err == NULL))
        abort();
    bool seen[64] = {false};
    for (size_t i = 0; st == GP_OK && i < n; i++) {
        if (chosen[i] >= gp_roster_size(roster) || seen[chosen[i]])
            abort();
        seen[chosen[i]] = true;
    }
    free(chosen);
    gp_error_free(err);
    free(spec);
    return 0;
}
