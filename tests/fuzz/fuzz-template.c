/* Template loading on arbitrary bytes: XML parsing, the DOCTYPE refusal,
 * schema validation, element parsing, patterns and the checks must refuse
 * garbage cleanly, never crash, leak or hang. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"
#include "template/template-private.h"

const char *__lsan_default_suppressions(void);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The system libraries' own blocks (fuzz-common.h). Everything this target
 * exercises is still leak-checked. */
const char *__lsan_default_suppressions(void) { return GP_FUZZ_LSAN_SUPPRESSIONS; }

/* One context for the whole run, made before the first input so what
 * fontconfig keeps for itself is not charged to an input as a leak. */
static gp_context *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ctx = gp_fuzz_context("fuzz-template");
    gp_error *err = NULL;
    /* libxml2 builds its tables on first use; do that here too, for the
     * same reason. */
    static const char warm[] = "<template name=\"w\" kind=\"photo-sheet\"><page width=\"1\" height=\"1\"/></template>";
    gp_template *tpl = NULL;
    if (gp_template_parse_memory(ctx, warm, sizeof warm - 1, "warm.xml", &tpl, &err) != GP_OK) {
        fprintf(stderr, "fuzz-template: %s\n", gp_error_message(err));
        abort();
    }
    gp_template_free(tpl);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gp_template *tpl = NULL;
    gp_error *err = NULL;
    gp_status st = gp_template_parse_memory(ctx, (const char *)data, size, "fuzz.xml", &tpl, &err);
    if ((st == GP_OK) != (tpl != NULL) || (st == GP_OK) != (err == NULL))
        abort();
    if (tpl != NULL && (tpl->page_w_mm <= 0 || tpl->page_h_mm <= 0))
        abort();
    gp_template_free(tpl);
    gp_error_free(err);
    return 0;
}
