/* Printer profiles are typed by operators: every input loads within the
 * documented limits or is refused with a message naming the line. */
#include <stdint.h>
#include <stdlib.h>

#include "jobs/calibration-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gp_calibration cal;
    gp_error *err = NULL;
    gp_status st = gp_calibration_parse((const char *)data, size, "fuzz.profile", &cal, &err);
    if ((st == GP_OK) != (err == NULL) || (err != NULL && gp_error_message(err) == NULL))
        abort();
    if (st == GP_OK && !(cal.scale_x >= 0.9 && cal.scale_x <= 1.1 && cal.scale_y >= 0.9 && cal.scale_y <= 1.1 &&
                         cal.offset_x_mm >= -50 && cal.offset_x_mm <= 50 && cal.offset_y_mm >= -50 &&
                         cal.offset_y_mm <= 50 && (cal.feed == GP_FEED_TOP || cal.feed == GP_FEED_BOTTOM)))
        abort();
    gp_error_free(err);
    return 0;
}
