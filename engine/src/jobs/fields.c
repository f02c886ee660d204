#include "fields-private.h"

#include <string.h>

#include "template/template-private.h"

const char *gp_job_field(void *user, const char *field)
{
    const gp_job_fields *f = user;
    if (strcmp(field, GP_FIELD_SCHOOL) == 0)
        return f->school;
    const char *value = gp_record_get(f->record, field);
    if (value != NULL || strcmp(field, "gender") != 0)
        return value;
    /* GB 11643: the 17th character is odd for men, even for women. */
    const char *id = gp_record_key(f->record, GP_KEY_ID_NUMBER);
    if (id == NULL || strlen(id) != 18 || id[16] < '0' || id[16] > '9')
        return NULL;
    return (id[16] - '0') % 2 ? "男" : "女";
}
