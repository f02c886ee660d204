/* What template patterns can ask a job for about one record: the roster's
 * values by canonical key or header, "school", and "gender" — from the roster,
 * or else from the ID number, so certificates need no 性别 column. */
#ifndef GP_FIELDS_PRIVATE_H
#define GP_FIELDS_PRIVATE_H

#include "roster/roster-private.h"

typedef struct gp_job_fields {
    const gp_record *record;
    const char *school;
} gp_job_fields;

/* A gp_field_lookup over a gp_job_fields. */
const char *gp_job_field(void *user, const char *field);

#endif
