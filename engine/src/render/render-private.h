/* Rendering a layout onto a cairo context whose user space is millimetres
 * (the driver sets that up). Raster targets get photos resampled once per
 * slot size and placed on whole device pixels, so a slot is exactly its size
 * at the output resolution; vector targets get the original JPEG bytes,
 * embedded once, clipped and scaled into each slot. */
#ifndef GP_RENDER_PRIVATE_H
#define GP_RENDER_PRIVATE_H

#include <cairo.h>

#include "../layout/layout-private.h"
#include "../photo/photo-private.h"

#define GP_RENDER_SLOT_CACHE 4

typedef struct gp_render_env {
    gp_text_engine *text;
    bool raster;                     /* target is pixels: place photos pixel-exact */
    const gp_photo *photo;           /* the record's photo, or NULL */
    cairo_surface_t *photo_pixels;   /* photo decoded at full size (raster) or any size (vector) */
    double offset_x_mm, offset_y_mm; /* calibration: every mark moves by this */
    /* Raster: the photo scaled to each slot size used on this page, reused by
     * all slots of that size. Owned by the env; gp_render_env_reset frees it. */
    struct {
        int w_px, h_px;
        cairo_surface_t *surface;
    } slots[GP_RENDER_SLOT_CACHE];
    /* Vector: the photo's JPEG surface, made once per photo so every slot
     * paints the same surface. Owned by the env. */
    cairo_surface_t *jpeg_surface;
} gp_render_env;

void gp_render_env_init(gp_render_env *env, gp_text_engine *text, bool raster);
/* Sets the photo for the next page(s) and drops cached slot surfaces.
 * The env takes its own reference to pixels (the caller still destroys its
 * own) and only borrows photo: photo must stay alive until the next
 * set_photo or reset (the JPEG surfaces carry their own copy of the bytes, so
 * cairo, which holds a page's images until cairo_show_page, never sees freed
 * memory).
 * pixels may be NULL: the env then decodes the photo itself when a slot needs
 * it, at full size for raster output and at 1/8 for vector output (the PDF
 * gets the JPEG bytes; the pixels are only a stand-in). For vector output
 * pass NULL or a 1/8 decode: cairo's PDF backend spends ~8 ms a page on a
 * full-size 480x640 stand-in, next to nothing on a 60x80 one. A layout drawn
 * without a photo leaves its photo slots empty (template previews). */
void gp_render_env_set_photo(gp_render_env *env, const gp_photo *photo, cairo_surface_t *pixels);
/* Drops the photo, pixels and every cached surface; the env stays usable
 * with the same text engine and target kind. */
void gp_render_env_reset(gp_render_env *env);

/* For vector output: a surface carrying photo's JPEG bytes as
 * CAIRO_MIME_TYPE_JPEG (with a content-derived unique id, so a photo drawn in
 * many slots is embedded once), backed by pixels for viewers that need them.
 * pixels must be an image surface of the photo at any scale; the PDF stretches
 * the JPEG over the pixels' size, so draw the surface in those units. The new
 * surface shares pixels' memory and keeps a reference to it, and carries its
 * own copy of the JPEG bytes, so photo may be freed at once. NULL when pixels
 * is not an image surface, the photo has no bytes, or memory ran out. */
cairo_surface_t *gp_render_jpeg_surface(const gp_photo *photo, cairo_surface_t *pixels);

gp_status gp_render_layout(cairo_t *cr, const gp_layout *layout, gp_render_env *env, gp_error **err);

/* Draws a QR code of data as filled vector squares in a size_mm square at
 * (x_mm, y_mm), with the quiet zone inside the square. level: L M Q H. */
gp_status gp_render_qr(cairo_t *cr, const char *data, char level, double x_mm, double y_mm, double size_mm,
                       gp_error **err);

#endif
