/* QR codes as vectors: one filled path of rectangles, one per horizontal run
 * of dark modules, on a white square that includes the 4-module quiet zone. */
#include "render-private.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

#include "../base/error-private.h"
#include "../base/i18n-private.h"

#define QR_QUIET_MODULES 4

static bool level_from_char(char level, QRecLevel *out)
{
    switch (level) {
    case 'L': *out = QR_ECLEVEL_L; return true;
    case 'M': *out = QR_ECLEVEL_M; return true;
    case 'Q': *out = QR_ECLEVEL_Q; return true;
    case 'H': *out = QR_ECLEVEL_H; return true;
    default: return false;
    }
}

gp_status gp_render_qr(cairo_t *cr, const char *data, char level, double x_mm, double y_mm, double size_mm,
                       gp_error **err)
{
    QRecLevel ec;
    if (!level_from_char(level, &ec))
        return gp_error_set(err, GP_E_INVALID, NULL, 0,
                            _("QR code error correction level '%c' is unknown; use L, M, Q or H"), level);
    if (data == NULL || data[0] == '\0')
        return gp_error_set(err, GP_E_INVALID, NULL, 0,
                            "%s", _("QR code data is empty; check the fields the QR pattern refers to"));
    if (!(size_mm > 0))
        return gp_error_set(err, GP_E_INVALID, NULL, 0, _("QR code size %.2f mm is not positive; give the box a size"),
                            size_mm);
    /* Version 0 picks the smallest symbol that holds the data; case
     * sensitive, because IDs and URLs are. */
    errno = 0;
    QRcode *qr = QRcode_encodeString(data, 0, ec, QR_MODE_8, 1);
    if (qr == NULL) {
        if (errno == ENOMEM)
            return gp_error_nomem(err);
        if (errno == ERANGE)
            return gp_error_set(err, GP_E_INVALID, NULL, 0,
                                _("QR code data is %zu bytes, too long for a QR code at error correction level %c; "
                                  "shorten the QR pattern or choose a lower level"),
                                strlen(data), level);
        return gp_error_set(err, GP_E_INVALID, NULL, 0, _("QR code data cannot be encoded: %s"), strerror(errno));
    }

    int n = qr->width;
    double module = size_mm / (n + 2 * QR_QUIET_MODULES);
    double x0 = x_mm + QR_QUIET_MODULES * module, y0 = y_mm + QR_QUIET_MODULES * module;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x_mm, y_mm, size_mm, size_mm);
    cairo_fill(cr);
    /* Smoothed edges on pixels would grey the modules a scanner has to tell
     * apart; vector output keeps exact edges anyway. */
    if (cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE)
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int row = 0; row < n; row++) {
        const unsigned char *line = qr->data + (size_t)row * (size_t)n;
        for (int col = 0; col < n;) {
            if (!(line[col] & 1)) {
                col++;
                continue;
            }
            int start = col;
            while (col < n && (line[col] & 1))
                col++;
            cairo_rectangle(cr, x0 + start * module, y0 + row * module, (col - start) * module, module);
        }
    }
    /* One fill for all runs: shared edges between rows leave no seams. */
    cairo_fill(cr);
    cairo_restore(cr);
    QRcode_free(qr);
    return GP_OK;
}
