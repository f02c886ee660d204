/* Pages the engine sets itself for each class: the divider sheet that goes
 * into the lab run before a class's sheets, and the packing list (A4 PDF)
 * the contractor ticks off while filling the class's envelopes. */
#ifndef GP_CLASS_PAGES_PRIVATE_H
#define GP_CLASS_PAGES_PRIVATE_H

#include "driver.h"
#include "render/text-private.h"
#include "sheets-private.h"

gp_status gp_class_divider_render(const gp_sheets_job *job, size_t class_index, gp_driver *jpeg,
                                  gp_text_engine *text, const char *path, gp_error **err);

gp_status gp_class_packing_list_render(const gp_sheets_job *job, size_t class_index, gp_text_engine *text,
                                       const char *path, gp_error **err);

#endif
