/* Run-wide checks of certificate numbers whose template names their
 * scheme (<validate scheme="cn-diploma|cn-degree">): one school code for
 * the run, and a warning for each series with serials skipped. Each
 * number's own form is checked record by record in certs-preflight.c. */
#ifndef GP_CERT_NUMBERS_PRIVATE_H
#define GP_CERT_NUMBERS_PRIVATE_H

#include "certs-private.h"

/* Adds findings to job->report; sets has_error[pos] (selected positions). */
gp_status gp_cert_numbers_check(gp_certs_job *job, bool *has_error, gp_error **err);

#endif
