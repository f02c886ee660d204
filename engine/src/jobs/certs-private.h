/* The certificate job: select records, preflight them against the
 * template's validators, fonts and boxes, then stream one PDF page per
 * record. Split into prepare and render so a print run (issue 4) can
 * preflight everything once and render batches. */
#ifndef GP_CERTS_PRIVATE_H
#define GP_CERTS_PRIVATE_H

#include "base/context-private.h"
#include "roster/roster-private.h"
#include "template/template-private.h"

typedef struct gp_certs_job {
    gp_context *ctx;
    const gp_certs_options *opts;
    gp_template *tpl;
    gp_roster *roster;
    const char *school;
    bool has_photo;      /* the template places the student's photo */
    size_t *selected;    /* roster indices, in output order */
    size_t nselected;
    bool *valid;         /* per selected record */
    size_t roster_errors; /* errors about the roster as a whole: nothing can be printed */
    gp_report *report;
} gp_certs_job;

/* Parses --records: 1-based rows and ranges ("1-2,7") and student numbers,
 * mixed, comma-separated; fills job->selected. NULL selects every record. */
gp_status gp_certs_select(gp_certs_job *job, const char *records, gp_error **err);

/* Loads template and roster, selects, preflights. */
gp_status gp_certs_prepare(gp_certs_job *job, gp_context *ctx, const gp_certs_options *opts, gp_error **err);
void gp_certs_job_free(gp_certs_job *job);

/* Checks the selected records; fills job->report and job->valid. */
gp_status gp_certs_preflight(gp_certs_job *job, gp_error **err);

/* Writes the pages of the selected records at positions[0..n) into one PDF
 * at path, with the options' proof flag and calibration. */
gp_status gp_certs_render_pdf(gp_certs_job *job, const size_t *positions, size_t n, const char *path,
                              gp_error **err);

#endif
