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
#include "../text/text-private.h"

#define GP_RENDER_SLOT_CACHE 4

/* A template's fixed image (signature, seal, the blank's scan), loaded once
 * and drawn on every page: a certificate run paints the same few files on
 * thousands of pages, and cairo's PDF backend writes a surface it has seen
 * before as a reference to the first copy. */
typedef struct gp_render_image {
    char *path;
    gp_image_format format;
    int page;                 /* PDF: 1-based page */
    cairo_surface_t *surface; /* PNG, JPEG: image surface; PDF: recording surface in points */
    double surface_w, surface_h; /* the surface's extent in its own units */
    double aspect;            /* width / height of the image as it is meant to be seen */
} gp_render_image;

typedef struct gp_render_env {
    gp_text_engine *text;
    bool raster;                     /* target is pixels: place photos pixel-exact */
    bool proof;                      /* draw BACKGROUND marks (the blank) under everything */
    const gp_photo *photo;           /* the record's photo, or NULL */
    cairo_surface_t *photo_pixels;   /* photo decoded at full size (raster) or any size (vector) */
    /* Calibration: every mark but the background moves to
     * offset + scale * position, i.e. scales about the page's top-left
     * corner, then moves by the offset. */
    double offset_x_mm, offset_y_mm;
    double scale_x, scale_y;
    /* Raster: the photo scaled to each slot size used on this page, reused by
     * all slots of that size. Owned by the env; gp_render_env_reset frees it. */
    struct {
        int w_px, h_px;
        cairo_surface_t *surface;
    } slots[GP_RENDER_SLOT_CACHE];
    /* Vector: the photo's JPEG surface, made once per photo so every slot
     * paints the same surface. Owned by the env. */
    cairo_surface_t *jpeg_surface;
    /* Template images loaded so far, kept until gp_render_env_free: they do
     * not change from record to record. */
    gp_render_image *images;
    size_t nimages, cap_images;
} gp_render_env;

/* No offset, scale 1, not a proof. */
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
/* Drops the photo, its pixels and the surfaces made from them (call it
 * after each record); the template images stay cached. The env stays usable
 * with the same text engine and target kind. */
void gp_render_env_reset(gp_render_env *env);
/* Where the env's life ends: drops everything, template images too. The env
 * may be initialised again afterwards. */
void gp_render_env_free(gp_render_env *env);

/* The loaded image an IMAGE or BACKGROUND mark shows (line: its template line, for messages), from the env's
 * cache or loaded now (PNG with cairo, JPEG with its bytes kept for the PDF,
 * a PDF page with poppler as vectors). Owned by the env. A file that is gone
 * or unreadable is GP_E_IO, a damaged or unusable one GP_E_INVALID; either
 * message names the file and the template line. *out stays valid until the
 * next call (the cache may grow) or gp_render_env_free. */
gp_status gp_render_image_get(gp_render_env *env, const gp_mark_image *src, long line, const gp_render_image **out,
                              gp_error **err);
/* Empties the env's image cache. */
void gp_render_images_free(gp_render_env *env);
/* Writes surface to path as a PNG, atomically and private, and destroys
 * it. drawn is the status of the drawing on it (cairo_status of its
 * cairo_t); that or a surface in an error state is the error (out of
 * memory as GP_E_NOMEM) and nothing is written. */
gp_status gp_render_png_write(cairo_surface_t *surface, cairo_status_t drawn, const char *path, gp_error **err);
/* Paints img scaled to fit inside box, aspect kept, centred. */
void gp_render_image_draw(cairo_t *cr, const gp_render_image *img, const gp_box *box);

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

/* Review copies of a finished PDF: page i drawn on white at dpi (each side
 * round(mm / 25.4 * dpi) pixels) and written to png_dir/names[i], atomically
 * and mode 0600; png_dir is made when missing. names are plain file names.
 * A PDF without exactly count pages is GP_E_INTERNAL: the caller made it. */
gp_status gp_preview_pngs(const char *pdf_path, const char *png_dir, double dpi, const char *const *names,
                          size_t count, gp_error **err);

#endif
