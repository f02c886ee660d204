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
#include "sheets-lab-private.h"
#include "template/template-private.h"

/* Photo-lab quality: q95, 4:4:4. */
#define GP_SHEET_JPEG_QUALITY 95

typedef struct gp_divider_design gp_divider_design;

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
    /* A lab order (opts->lab): the profile, the order's name, the folder
     * it goes in ("o2506201530") and, with a hot folder, where it is
     * staged until handed over. */
    bool lab_mode;
    gp_lab_profile lab;
    char order_id[16];
    char order_dir[32];
    bool hot;
    gp_outdir order_out;
    double paper_w_mm, paper_h_mm; /* the lab's paper, the page's way up; 0: the template's page */
    /* Divider sheets drawn from a design and assembled from a plan of
     * their own (NULL: drawn the plain way). */
    gp_divider_design *divider;
    gp_sheet_plan *divider_plan;
} gp_sheets_job;

/* Checks every record and photo (in parallel), fills job->report and
 * job->valid. */
gp_status gp_sheets_preflight(gp_sheets_job *job, gp_error **err);

/* The snapped template (job->sheet_tpl) and, for JPEG output, the plan,
 * from the layout of the roster's first record (any would do: only the
 * record's text differs). Reads only what load_inputs set, so it runs on
 * its own thread beside preflight. */
gp_status gp_sheets_prepare(gp_sheets_job *job, gp_error **err);

/* Renders sheets, dividers, packing lists and the proof into the staging
 * directory (after gp_sheets_prepare). */
gp_status gp_sheets_render(gp_sheets_job *job, gp_error **err);

/* Relative output paths, malloc'd (sheets-paths.c). A lab order's files
 * are "<order_dir>/C001/00010001.JPG"; the default layout's are
 * "sheets/001_学院_专业_班级/0001_<学号>.jpg". */
char *gp_sheet_path(const gp_sheets_job *job, size_t position);
char *gp_divider_path(const gp_sheets_job *job, size_t class_index);
char *gp_packing_list_path(const gp_sheets_job *job, size_t class_index);
/* The directory of a class's sheets, relative. */
char *gp_class_dir_path(const gp_sheets_job *job, size_t class_index);
/* Where a relative output path is written meanwhile: the staging
 * directory, or for a lab order handed over into a hot folder, its own
 * staging there. malloc'd. */
char *gp_sheets_staged(const gp_sheets_job *job, const char *relative);
/* "C001": a class's code in lab orders. */
void gp_class_code(size_t class_index, char out[8]);
/* "00010001.JPG": a print's file name in lab orders; position 0 is the
 * class's divider. */
void gp_lab_file_name(size_t class_index, size_t position, char out[16]);
/* The back-print lines of the print at a delivery position (or of a
 * class's divider when position is (size_t)-1). */
int gp_sheets_back_print(const gp_sheets_job *job, size_t class_index, size_t position,
                         char lines[GP_LAB_MAX_BACK_LINES][GP_LAB_MAX_BACK_WIDTH + 1]);

/* Writes <order_dir>/MISC/AUTPRINT.MRK (sheets-dpof.c). */
gp_status gp_sheets_write_dpof(const gp_sheets_job *job, gp_error **err);

/* Writes manifest.csv (and skipped.csv when records were skipped). */
gp_status gp_sheets_write_manifest(const gp_sheets_job *job, gp_error **err);

#endif
