/* Photo profile files from arbitrary bytes: every line refused cleanly or
 * read into a profile that checks can use. */
#include <stddef.h>
#include <stdint.h>

#include "photo/photo-profile-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gp_photo_profile *p = NULL;
    gp_error *err = NULL;
    if (gp_photo_profile_parse("fuzz.txt", (const char *)data, size, &p, &err) == GP_OK) {
        /* What a checker relies on. */
        if (p->head_top.min > p->head_top.max || p->eyes.min > p->eyes.max || p->file_kb.min > p->file_kb.max ||
            p->width < 16 || p->height < 16 || p->name == NULL)
            __builtin_trap();
        for (int c = 0; c < GP_PC_COUNT; c++)
            (void)gp_photo_profile_rule(p, (gp_photo_code)c);
        gp_photo_profile_free(p);
    } else {
        if (gp_error_message(err)[0] == '\0')
            __builtin_trap();
        gp_error_free(err);
    }
    return 0;
}
