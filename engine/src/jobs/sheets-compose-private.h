/* Photo sheets assembled in the DCT domain. A sheet is 12 copies of two
 * scaled versions of one photo on constant paper (white, cut guides) with a
 * small label. So:
 *  - the photo slots sit on the JPEG's 8-pixel block grid (moved by at most
 *    4 pixels, 0.34 mm at 300 dpi; their sizes stay exact, and the cut
 *    guides, laid out from the moved slots, follow);
 *  - the paper is drawn, transformed and entropy-coded once per job, in
 *    runs between the slots (gp_sheet_plan, shared by the workers);
 *  - each student's photo is scaled once per slot size, its whole blocks
 *    transformed and each block row coded once, then spliced into every
 *    slot of that size;
 *  - only the label (drawn with cairo into a small surface) and the
 *    slots' partial edge blocks are transformed per sheet.
 * The result decodes to the pixels the cairo + libjpeg path makes from the
 * same layout, up to the rounding of the transform (jpeg-blocks.h). */
#ifndef GP_SHEETS_COMPOSE_PRIVATE_H
#define GP_SHEETS_COMPOSE_PRIVATE_H

#include <cairo.h>

#include "jpeg-blocks.h"
#include "layout/layout-private.h"
#include "render/render-private.h"

/* A template whose photo boxes were moved onto the block grid; everything
 * else is shared with the template it came from, which must outlive it. */
typedef struct gp_snapped_template {
    gp_template tpl;
    gp_element *elements; /* owned */
} gp_snapped_template;

/* Snaps every photo slot of tpl whose move keeps it on the page and clear
 * of the other slots (a slot that cannot move stays, and is then drawn
 * block by block). With page_w_mm and page_h_mm not 0 the page becomes
 * that size (a lab's paper), the template centred on it at 1:1. */
gp_status gp_sheet_snap_template(const gp_template *tpl, int dpi, double page_w_mm, double page_h_mm,
                                 gp_snapped_template *out, gp_error **err);
void gp_sheet_snapped_free(gp_snapped_template *s);

typedef struct gp_sheet_plan gp_sheet_plan;
typedef struct gp_sheet_writer gp_sheet_writer;

/* The job's constant part, from the layout of any one record on the
 * snapped template: the paper, which block is what, the coded paper runs.
 * Read-only afterwards, shared by all workers. */
gp_status gp_sheet_plan_new(const gp_template *snapped, int dpi, int quality, const gp_layout *sample,
                            gp_text_engine *text, gp_sheet_plan **out, gp_error **err);
void gp_sheet_plan_free(gp_sheet_plan *plan);

/* One worker's buffers and its render environment for the label. */
gp_status gp_sheet_writer_new(const gp_sheet_plan *plan, gp_text_engine *text, gp_sheet_writer **out,
                              gp_error **err);
void gp_sheet_writer_free(gp_sheet_writer *w);

/* Writes the sheet of one record: its layout on the snapped template and
 * its photo decoded at full size. *done is false (and nothing written)
 * when the record drew outside the areas the plan set aside for what
 * changes from sheet to sheet; the caller then draws that sheet the plain
 * way. */
gp_status gp_sheet_writer_write(gp_sheet_writer *w, const gp_layout *layout, cairo_surface_t *photo,
                                const char *path, unsigned atomic_flags, bool *done, gp_error **err);

/* How the plan cut the page, for tests and benchmarks. */
typedef struct gp_sheet_plan_stats {
    int width_px, height_px;
    size_t blocks, tile_blocks, edge_blocks, label_blocks, paper_runs;
    int slots, slots_on_grid, groups;
} gp_sheet_plan_stats;
void gp_sheet_plan_get_stats(const gp_sheet_plan *plan, gp_sheet_plan_stats *stats);

#endif
