/* The certificate job's insides, shared by jobs/certs*.c: select records,
 * preflight them against the template's validators, fonts and boxes, then
 * stream one PDF page per record. Others use certs-batch-private.h. */
#ifndef GP_CERTS_PRIVATE_H
#define GP_CERTS_PRIVATE_H

#include "base/context-private.h"
#include "roster/roster-private.h"
#include "template/template-private.h"
#include "certs-batch-private.h"

struct gp_certs_job {
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
};

/* Checks the selected records; fills job->report and job->valid. */
gp_status gp_certs_preflight(gp_certs_job *job, gp_error **err);


#endif
