#include "error-private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n-private.h"
#include "strbuf-private.h"

struct gp_error {
    gp_status status;
    char *message;
    char *file;
    long line;
};

/* Returned when even the error object cannot be allocated, so callers always
 * get something to print. Never freed (gp_error_free checks for it). */
static const struct gp_error out_of_memory = {GP_E_NOMEM, (char *)"out of memory", NULL, 0};

gp_status gp_error_set(gp_error **err, gp_status status, const char *file, long line, const char *fmt, ...)
{
    if (err == NULL || *err != NULL)
        return status;
    struct gp_error *e = calloc(1, sizeof *e);
    gp_strbuf msg;
    gp_strbuf_init(&msg);
    if (file != NULL) {
        gp_strbuf_append(&msg, file);
        if (line > 0)
            gp_strbuf_appendf(&msg, ":%ld", line);
        gp_strbuf_append(&msg, ": ");
    }
    va_list ap;
    va_start(ap, fmt);
    gp_strbuf_vappendf(&msg, fmt, ap);
    va_end(ap);
    if (e == NULL || gp_strbuf_failed(&msg)) {
        free(e);
        gp_strbuf_free(&msg);
        *err = (gp_error *)&out_of_memory;
        return status;
    }
    e->status = status;
    e->message = gp_strbuf_steal(&msg);
    e->file = file ? strdup(file) : NULL;
    e->line = line;
    *err = e;
    return status;
}

gp_status gp_error_nomem(gp_error **err)
{
    return gp_error_set(err, GP_E_NOMEM, NULL, 0, "%s", _("out of memory"));
}

gp_status gp_error_status(const gp_error *err) { return err ? err->status : GP_OK; }
const char *gp_error_message(const gp_error *err) { return err ? err->message : ""; }
const char *gp_error_file(const gp_error *err) { return err ? err->file : NULL; }
long gp_error_line(const gp_error *err) { return err ? err->line : 0; }

void gp_error_free(gp_error *err)
{
    if (err == NULL || err == &out_of_memory)
        return;
    free(err->message);
    free(err->file);
    free(err);
}
