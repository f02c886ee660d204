/* The photo-sheet job, shared between its stages: preflight
 * (sheets-preflight.c), rendering (sheets-render.c), the side products
 * (manifest.c, class-pages.c) and the driver of it all (sheets.c). */
#ifndef GP_SHEETS_PRIVATE_H
#define GP_SHEETS_PRIVATE_H

#include "base/context-private.h"
#include "delivery-private.h"
#include "outdir-private.h"
#include "roster/roster-private.h"
#include "sheets-compose-private.h"
#include "template/template-private.h"

typedef struct gp_sheets_job {
    gp_context *ctx;
    const gp_sheets_options *opts;
    gp_template *tpl;
    gp_roster *roster;
    const char *school;
    int dpi;
    unsigned formats;
    int workers;
    gp_report *report;   /* every finding, in roster order */
    bool *valid;         /* per roster record: no error found */
    size_t roster_errors; /* errors about the roster as a whole: nothing can be rendered */
    gp_delivery delivery;
    size_t *class_of;    /* per delivery position: its class */
    gp_outdir out;
    /* Sheets and the proof are drawn from the template with its photo
     * slots on the JPEG block grid; the plan assembles the JPEG sheets
     * from it in the DCT domain (NULL: drawn the plain way). */
    gp_snapped_template snapped;
    const gp_template *sheet_tpl;
    gp_sheet_plan *plan;
} gp_sheets_job;

/* Checks every record and photo (in parallel), fills job->report and
 * job->valid. */
gp_status gp_sheets_preflight(gp_sheets_job *job, gp_error **err);

/* Renders sheets, dividers, packing lists and the proof into the staging
 * directory. */
gp_status gp_sheets_render(gp_sheets_job *job, gp_error **err);

/* Relative output paths, malloc'd. */
char *gp_sheet_path(const gp_sheets_job *job, size_t position);
char *gp_divider_path(const gp_sheets_job *job, size_t class_index);
char *gp_packing_list_path(const gp_sheets_job *job, size_t class_index);

/* Writes manifest.csv (and skipped.csv when records were skipped). */
gp_status gp_sheets_write_manifest(const gp_sheets_job *job, gp_error **err);

#endif
