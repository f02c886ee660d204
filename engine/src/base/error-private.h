/* Building gp_error values inside the library. */
#ifndef GP_ERROR_PRIVATE_H
#define GP_ERROR_PRIVATE_H

#include "gradprint.h"

/* Stores a new error in *err (when err is not NULL and *err is still NULL, so
 * the first, most specific error wins) and returns status, so callers can
 * write `return gp_error_set(err, GP_E_IO, path, 0, "...", ...);`.
 * file may be NULL, line 0. The message is formatted with printf rules and
 * should already be localised with _(). */
gp_status gp_error_set(gp_error **err, gp_status status, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Same, for an allocation failure. */
gp_status gp_error_nomem(gp_error **err);

#endif
