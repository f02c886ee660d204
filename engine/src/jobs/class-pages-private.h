/* Pages the engine sets itself for each class: the divider sheet that goes
 * into the lab run before a class's sheets, and the packing list (A4 PDF)
 * the contractor ticks off while filling the class's envelopes. */
#ifndef GP_CLASS_PAGES_PRIVATE_H
#define GP_CLASS_PAGES_PRIVATE_H

#include "driver.h"
#include "text/text-private.h"
#include "sheets-private.h"

/* The divider as a page of marks: four solid bands on the edges (lines)
 * and its lines of text, the boxes on a template of the sheet's page, so
 * the DCT-domain writer can assemble it from a plan like a sheet. */
#define GP_DIVIDER_BANDS 4
#define GP_DIVIDER_LINES 8
struct gp_divider_design {
    gp_template tpl;
    gp_element elements[GP_DIVIDER_BANDS + GP_DIVIDER_LINES];
};

void gp_class_divider_design(const gp_sheets_job *job, gp_divider_design *d);
/* job->divider and job->divider_plan (after job->sheet_tpl is set). */
gp_status gp_class_divider_plan(gp_sheets_job *job, gp_text_engine *text, gp_error **err);

/* One class's divider as a layout on design d: its marks are in marks, its
 * texts in texts, both the caller's (no gp_layout_free). */
void gp_class_divider_layout(const gp_sheets_job *job, const gp_divider_design *d, size_t class_index,
                             gp_text_engine *text, gp_mark marks[GP_DIVIDER_BANDS + GP_DIVIDER_LINES],
                             char texts[GP_DIVIDER_LINES][256], gp_layout *out);

/* Writes a class's divider: through writer (a gp_sheet_writer on the job's
 * divider plan) when given, else (or when the writer declines) drawn with
 * env onto the JPEG driver. */
gp_status gp_class_divider_render(const gp_sheets_job *job, size_t class_index, gp_driver *jpeg,
                                  gp_sheet_writer *writer, gp_render_env *env, gp_text_engine *text,
                                  const char *path, gp_error **err);

gp_status gp_class_packing_list_render(const gp_sheets_job *job, size_t class_index, gp_text_engine *text,
                                       const char *path, gp_error **err);

#endif
