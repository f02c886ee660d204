/* What a gp_context holds. Everything in it is read-only after
 * gp_context_new, which is what makes a context safe to share across threads. */
#ifndef GP_CONTEXT_PRIVATE_H
#define GP_CONTEXT_PRIVATE_H

#include <fontconfig/fontconfig.h>

#include "gradprint.h"

struct gp_context {
    char *data_dir;   /* holds templates/ and fonts/ */
    FcConfig *fonts;  /* the system fonts plus fonts/gradprint-fonts.conf's logical families */
};

/* gp_context_find_template telling the two failures apart: GP_OK with
 * *out NULL when there is no such template, GP_E_NOMEM when the path could
 * not be built. *out is the caller's to free(). */
gp_status gp_context_locate_template(const gp_context *ctx, const char *name_or_path, char **out, gp_error **err);

#endif
