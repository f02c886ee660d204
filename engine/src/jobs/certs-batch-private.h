/* Certificates rendered batch by batch, for print runs: prepare once
 * (template, roster, the records chosen, preflight), then render any of the
 * chosen records into a PDF, each batch with its own page setup (the
 * queue's calibration, and whether the page goes onto the medium turned).
 * The job itself stays opaque outside jobs/. */
#ifndef GP_CERTS_BATCH_PRIVATE_H
#define GP_CERTS_BATCH_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/report-private.h"
#include "gradprint.h"

typedef struct gp_certs_job gp_certs_job;

/* How one batch's pages are put on paper. */
typedef struct gp_cert_page_setup {
    gp_calibration calibration;
    bool turned;  /* onto the medium a quarter clockwise (gp_page_spec.turned) */
    bool proof;   /* draw the blank under the marks */
} gp_cert_page_setup;

/* Loads, selects (opts->records) and preflights; opts->out_path and
 * png_dir are not used, opts must outlive the job. *out is set whenever
 * the job could be made, also when preflight failed, so the caller can take
 * its findings; free it with gp_certs_job_free. */
gp_status gp_certs_job_prepare(gp_context *ctx, const gp_certs_options *opts, gp_certs_job **out, gp_error **err);
void gp_certs_job_free(gp_certs_job *job);

/* The findings so far; the job keeps an empty report. */
gp_report *gp_certs_job_take_report(gp_certs_job *job);
/* Findings about the roster as a whole (nothing can be printed). */
size_t gp_certs_job_roster_errors(const gp_certs_job *job);
/* Records chosen, and for each position its roster index and whether it
 * passed preflight. */
size_t gp_certs_job_count(const gp_certs_job *job);
size_t gp_certs_job_record_index(const gp_certs_job *job, size_t position);
bool gp_certs_job_valid(const gp_certs_job *job, size_t position);
const gp_roster *gp_certs_job_roster(const gp_certs_job *job);
const gp_template *gp_certs_job_template(const gp_certs_job *job);

/* Writes the pages of the records at positions[0..n) into one PDF at path
 * (atomically, mode 0600). */
gp_status gp_certs_job_render(gp_certs_job *job, const size_t *positions, size_t n, const gp_cert_page_setup *setup,
                              const char *path, gp_error **err);

#endif
