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

#endif
