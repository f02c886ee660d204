/* A journal read back after a crash or a bad disk can hold anything: every
 * input must replay, or fail with a message naming a line, and the state
 * fold must take whatever replay hands it. Never a crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/journal-line-private.h"
#include "print/journal-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gp_status fold(void *user, const gp_journal_event *ev, long line, gp_error **err)
{
    /* Rule violations are expected here; only their reporting is checked. */
    gp_error *rule = NULL;
    gp_status st = gp_print_state_apply(user, ev, "fuzz.journal", line, &rule);
    if ((st == GP_OK) != (rule == NULL) || (st != GP_OK && gp_error_line(rule) != line))
        abort();
    gp_error_free(rule);
    (void)err;
    return GP_OK;
}

/* Mutations rarely keep a checksum right; recomputing them lets the
 * fuzzer reach the field parser and the fold. */
static void fix_checksums(char *text, size_t size)
{
    size_t start = 0;
    while (start < size) {
        char *nl = memchr(text + start, '\n', size - start);
        size_t end = nl != NULL ? (size_t)(nl - text) : size;
        size_t len = end - start;
        if (len >= 10 && text[end - 9] == '\t') {
            char hex[9];
            snprintf(hex, sizeof hex, "%08x", (unsigned)gp_journal_crc32(text + start, len - 8));
            memcpy(text + end - 8, hex, 8);
        }
        start = end + 1;
    }
}

static void replay(const uint8_t *data, size_t size, bool fix)
{
    char *copy = malloc(size + 1);
    gp_print_state *state = gp_print_state_new();
    if (copy == NULL || state == NULL)
        abort();
    memcpy(copy, data, size);
    copy[size] = '\0';
    if (fix)
        fix_checksums(copy, size);
    bool torn = false;
    gp_error *err = NULL;
    gp_status st = gp_journal_replay_buffer("fuzz.journal", copy, size, fold, state, &torn, &err);
    if ((st == GP_OK) != (err == NULL))
        abort();
    if (st != GP_OK && (gp_error_message(err)[0] == '\0' || (st == GP_E_INVALID && gp_error_line(err) < 1)))
        abort();
    gp_error_free(err);
    gp_print_state_free(state);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    replay(data, size, false);
    replay(data, size, true);
    return 0;
}
