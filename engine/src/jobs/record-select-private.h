/* --records: which graduates a job takes. Registrars reprint a handful of
 * certificates by roster line ("12,15-18") or by student number; both may
 * be mixed. Certificates, print runs and reprints share this one reader. */
#ifndef GP_RECORD_SELECT_PRIVATE_H
#define GP_RECORD_SELECT_PRIVATE_H

#include <stddef.h>

#include "gradprint.h"

/* Parses spec into roster indices in the order named (*indices, *n; the
 * caller frees *indices). Items are separated by commas (also the
 * full-width ，and 、) or spaces: a student number, a roster line, or a
 * range of lines "A-B". NULL selects every record in roster order.
 * Errors: GP_E_USAGE for an item that is none of these or that names a
 * graduate twice, GP_E_INVALID for a line or student number the roster does
 * not have; the message names the item. */
gp_status gp_records_select(const gp_roster *roster, const char *spec, size_t **indices, size_t *n,
                            gp_error **err);

#endif
