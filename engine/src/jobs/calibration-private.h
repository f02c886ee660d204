/* Printer profiles (calibration-profile.c) and how blanks are loaded
 * (loading.c), shared by certificates, the calibration page and print runs. */
#ifndef GP_CALIBRATION_PRIVATE_H
#define GP_CALIBRATION_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/report-private.h"
#include "gradprint.h"

/* gp_calibration_load for a profile already in memory (fuzzing, tests);
 * name is what messages call it. */
gp_status gp_calibration_parse(const char *text, size_t size, const char *name, gp_calibration *cal, gp_error **err);
/* Warnings for a profile whose numbers are possible but unlikely (an
 * offset of 25 mm, a scale of 3%); queue names the printer or is NULL. */
void gp_calibration_warnings(const gp_calibration *cal, const char *queue, gp_report *report);

/* The edge of the blank (as the template has it, upright) that enters the
 * printer first when its page goes out as it is or turned a quarter
 * clockwise (gp_page_spec.turned), for a printer that takes the page's
 * feed edge first. */
typedef enum gp_blank_edge { GP_BLANK_TOP, GP_BLANK_RIGHT, GP_BLANK_BOTTOM, GP_BLANK_LEFT } gp_blank_edge;
gp_blank_edge gp_leading_edge(bool turned, gp_feed_edge feed);
/* The operator's loading instruction, localised, e.g. "Load the blanks
 * turned: their left edge enters the printer first, printed side down." */
void gp_loading_instructions(bool turned, const gp_calibration *cal, char *buf, size_t size);

/* The calibration page (gp_calibration_page), put on the medium turned a
 * quarter when the queue that prints it turns pages: the legend, the
 * loading instruction and the leading-edge arrows follow cal's feed and
 * face. */
gp_status gp_calibration_page_draw(gp_context *ctx, const char *template_path, const gp_calibration *cal, bool turned,
                                   const char *out_path, gp_error **err);

#endif
