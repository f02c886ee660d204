/* cupsd.conf as the scheduler serves it: any text gives findings without
 * a crash. */
#include <stdint.h>
#include <stdlib.h>

#include "base/report-private.h"
#include "print/queue-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gp_report *r = gp_report_new();
    if (r == NULL)
        return 0;
    gp_cupsd_settings_check_text((const char *)data, size, "cupsd.conf", r);
    for (size_t i = 0; i < gp_report_count(r); i++)
        if (gp_report_get(r, i)->message == NULL)
            abort();
    gp_report_free(r);
    return 0;
}
