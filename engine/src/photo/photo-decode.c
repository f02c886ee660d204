/* Decoding straight into a cairo image surface: libjpeg-turbo writes cairo's
 * native pixel layout itself, so there is no conversion pass. */
#include <turbojpeg.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "photo-private.h"

/* CAIRO_FORMAT_RGB24 is a native-endian 32-bit 0x00RRGGBB word. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define GP_TJ_CAIRO_FORMAT TJPF_XRGB
#else
#define GP_TJ_CAIRO_FORMAT TJPF_BGRX
#endif

static bool find_scaling(int denom, tjscalingfactor *out)
{
    int n = 0;
    tjscalingfactor *factors = tjGetScalingFactors(&n);
    for (int i = 0; factors != NULL && i < n; i++) {
        if (factors[i].num == 1 && factors[i].denom == denom) {
            *out = factors[i];
            return true;
        }
    }
    return false;
}

gp_status gp_photo_decode(const gp_photo *photo, int scale_denom, cairo_surface_t **out, gp_error **err)
{
    *out = NULL;
    tjscalingfactor factor;
    if (!find_scaling(scale_denom, &factor))
        return gp_error_set(err, GP_E_USAGE, photo->path, 0,
                            _("cannot decode at 1/%d of the size; use 1, 2, 4 or 8"), scale_denom);
    int width = TJSCALED(photo->width, factor);
    int height = TJSCALED(photo->height, factor);

    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return gp_error_nomem(err);
    }
    tjhandle tj = tjInitDecompress();
    if (tj == NULL) {
        cairo_surface_destroy(surface);
        return gp_error_nomem(err);
    }
    cairo_surface_flush(surface);
    /* STOPONWARNING turns "premature end of JPEG file" and "corrupt JPEG
     * data" into failures: a half-grey photo must not reach the lab.
     * LIMITSCANS stops crafted progressive files with thousands of scans. */
    int rc = tjDecompress2(tj, photo->jpeg, (unsigned long)photo->size, cairo_image_surface_get_data(surface), width,
                           cairo_image_surface_get_stride(surface), height, GP_TJ_CAIRO_FORMAT,
                           TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS);
    if (rc != 0) {
        gp_status st = gp_error_set(err, GP_E_INVALID, photo->path, 0,
                                    _("the photo is damaged or cut short (%s); export it again"), tjGetErrorStr2(tj));
        tjDestroy(tj);
        cairo_surface_destroy(surface);
        return st;
    }
    tjDestroy(tj);
    cairo_surface_mark_dirty(surface);
    *out = surface;
    return GP_OK;
}
