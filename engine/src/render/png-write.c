/* A drawn picture saved as PNG: previews of certificate pages and the
 * proof of a calibration scan. Atomically (a reader never sees half a
 * file) and private (gp_atomic_open: mode 0600), as every output is. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "render-private.h"

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int length)
{
    FILE *fp = closure;
    return length == 0 || fwrite(data, 1, length, fp) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

gp_status gp_render_png_write(cairo_surface_t *surface, cairo_status_t drawn, const char *path, gp_error **err)
{
    cairo_status_t cs = drawn != CAIRO_STATUS_SUCCESS ? drawn : cairo_surface_status(surface);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return cs == CAIRO_STATUS_NO_MEMORY ? gp_error_nomem(err)
                                            : gp_error_set(err, GP_E_INTERNAL, path, 0, _("drawing the picture failed: %s"),
                                                           cairo_status_to_string(cs));
    }
    gp_atomic_file af;
    gp_status st = gp_atomic_open(&af, path, err);
    if (st != GP_OK) {
        cairo_surface_destroy(surface);
        return st;
    }
    errno = 0;
    cs = cairo_surface_write_to_png_stream(surface, write_stream, af.fp);
    int saved = errno;
    cairo_surface_destroy(surface);
    if (cs != CAIRO_STATUS_SUCCESS) {
        gp_atomic_abort(&af);
        if (cs == CAIRO_STATUS_NO_MEMORY)
            return gp_error_nomem(err);
        return gp_error_set(err, GP_E_IO, path, 0, _("writing this PNG failed: %s; free some disk space and run again"),
                            strerror(saved != 0 ? saved : EIO));
    }
    return gp_atomic_commit(&af, err);
}
