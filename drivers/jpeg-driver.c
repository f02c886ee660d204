/* JPEG files for photo labs: one file per page at the page's exact pixel
 * size. Minilabs print JPEG pixels 1:1 at the density in the file, so the
 * file says its dpi twice (JFIF and Exif), is marked sRGB, keeps full chroma
 * resolution (4:4:4) and is baseline, which every lab front end reads. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/units-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "driver.h"
#include "jpeg-blocks.h"

#define MIN_DPI 72
#define MAX_DPI 1200
#define MIN_QUALITY 92
#define MAX_QUALITY 100
/* cairo's image surfaces stop at 32767 pixels a side. */
#define MAX_SIDE_PX 32767

/* The encoder is jpeg-blocks': libjpeg's tables and Huffman codes, its
 * transform at least as fast as libjpeg-turbo's and pages of paper (one
 * colour a block) transformed once per colour. */
typedef struct jpeg_driver {
    gp_driver base;
    gp_jb_tables tables;
    cairo_surface_t *surface; /* kept between pages of the same size */
    cairo_t *cr;              /* non-NULL between begin_page and end_page */
    char *file;
    unsigned atomic_flags; /* GP_ATOMIC_NO_SYNC inside a staging directory */
    /* The coded page and the file, kept between pages: written with one
     * write(). */
    gp_jb_bits scan;
    gp_jb_file out;
} jpeg_driver;

static gp_status drv_begin_page(gp_driver *base, const gp_page_spec *page, cairo_t **cr, gp_error **err)
{
    jpeg_driver *drv = (jpeg_driver *)base;
    *cr = NULL;
    if (drv->cr != NULL)
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s", _("JPEG driver: a page was begun twice"));
    if (page->file == NULL || page->file[0] == '\0')
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s", _("JPEG driver: the page has no file name"));
    if (page->turned)
        return gp_error_set(err, GP_E_INTERNAL, page->file, 0, "%s",
                            _("JPEG driver: photo-lab files are never turned; the page asked for it"));
    int w = gp_mm_to_px(page->width_mm, base->dpi);
    int h = gp_mm_to_px(page->height_mm, base->dpi);
    if (!(page->width_mm > 0.0) || !(page->height_mm > 0.0) || w < 1 || h < 1 ||
        page->width_mm / 25.4 * base->dpi > MAX_SIDE_PX || page->height_mm / 25.4 * base->dpi > MAX_SIDE_PX)
        return gp_error_set(err, GP_E_USAGE, page->file, 0,
                            _("a page of %g x %g mm at %g dpi cannot be made (at most %d pixels a side); use a "
                              "smaller page or resolution"),
                            page->width_mm, page->height_mm, base->dpi, MAX_SIDE_PX);

    if (drv->surface != NULL && (cairo_image_surface_get_width(drv->surface) != w ||
                                 cairo_image_surface_get_height(drv->surface) != h)) {
        cairo_surface_destroy(drv->surface);
        drv->surface = NULL;
    }
    if (drv->surface == NULL) {
        drv->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        if (cairo_surface_status(drv->surface) != CAIRO_STATUS_SUCCESS) {
            cairo_surface_destroy(drv->surface);
            drv->surface = NULL;
            return gp_error_nomem(err);
        }
    }
    char *file = strdup(page->file);
    cairo_t *c = cairo_create(drv->surface);
    if (file == NULL || cairo_status(c) != CAIRO_STATUS_SUCCESS) {
        free(file);
        cairo_destroy(c);
        return gp_error_nomem(err);
    }
    cairo_set_source_rgb(c, 1.0, 1.0, 1.0);
    cairo_paint(c);
    cairo_scale(c, base->dpi / 25.4, base->dpi / 25.4);
    free(drv->file);
    drv->file = file;
    drv->cr = c;
    *cr = c;
    return GP_OK;
}

static gp_status drv_end_page(gp_driver *base, gp_error **err)
{
    jpeg_driver *drv = (jpeg_driver *)base;
    if (drv->cr == NULL)
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s", _("JPEG driver: a page was ended but never begun"));
    cairo_status_t cs = cairo_status(drv->cr);
    cairo_destroy(drv->cr);
    drv->cr = NULL;
    if (cs != CAIRO_STATUS_SUCCESS)
        return gp_error_set(err, cs == CAIRO_STATUS_NO_MEMORY ? GP_E_NOMEM : GP_E_INTERNAL, drv->file, 0,
                            _("drawing the page failed: %s"), cairo_status_to_string(cs));
    cairo_surface_flush(drv->surface);

    gp_jb_bits_reset(&drv->scan);
    const uint32_t *px = (const uint32_t *)(const void *)cairo_image_surface_get_data(drv->surface);
    size_t stride = (size_t)cairo_image_surface_get_stride(drv->surface) / 4;
    int w = cairo_image_surface_get_width(drv->surface), h = cairo_image_surface_get_height(drv->surface);
    gp_status st = gp_jb_encode_pixels(&drv->tables, px, stride, w, h, &drv->scan, err);
    if (st == GP_OK)
        st = gp_jb_file_build(&drv->out, &drv->tables, w, h, (int)drv->base.dpi, &drv->scan, err);
    if (st != GP_OK)
        return st;
    return gp_write_file_atomic_flags(drv->file, drv->out.data, drv->out.len, drv->atomic_flags, err);
}

static gp_status drv_finish(gp_driver *base, gp_error **err)
{
    (void)base;
    (void)err;
    return GP_OK;
}

static void drv_destroy(gp_driver *base)
{
    jpeg_driver *drv = (jpeg_driver *)base;
    cairo_destroy(drv->cr);
    cairo_surface_destroy(drv->surface);
    free(drv->file);
    gp_jb_bits_free(&drv->scan);
    gp_jb_file_free(&drv->out);
    free(drv);
}

static const gp_driver_ops jpeg_ops = {
    .name = "jpeg",
    .raster = true,
    .begin_page = drv_begin_page,
    .end_page = drv_end_page,
    .finish = drv_finish,
    .destroy = drv_destroy,
};

gp_status gp_jpeg_driver_new(int dpi, int quality, gp_driver **out, gp_error **err)
{
    *out = NULL;
    if (dpi < MIN_DPI || dpi > MAX_DPI)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, _("resolution %d dpi is outside %d-%d; photo labs print at 300 "
                                                        "dpi (some at 320 or 254)"),
                            dpi, MIN_DPI, MAX_DPI);
    if (quality < MIN_QUALITY || quality > MAX_QUALITY)
        return gp_error_set(err, GP_E_USAGE, NULL, 0,
                            _("JPEG quality %d is outside %d-%d; photo labs need at least %d (95 is a good choice)"),
                            quality, MIN_QUALITY, MAX_QUALITY, MIN_QUALITY);
    jpeg_driver *drv = calloc(1, sizeof *drv);
    if (drv == NULL)
        return gp_error_nomem(err);
    drv->base.ops = &jpeg_ops;
    drv->base.dpi = dpi;
    gp_jb_bits_init(&drv->scan);
    gp_status st = gp_jb_tables_init(&drv->tables, quality, err);
    if (st != GP_OK) {
        free(drv);
        return st;
    }
    *out = &drv->base;
    return GP_OK;
}

gp_status gp_jpeg_driver_set_sync(gp_driver *base, bool sync, gp_error **err)
{
    if (base == NULL)
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s", "gp_jpeg_driver_set_sync: no driver");
    if (base->ops != &jpeg_ops)
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "gp_jpeg_driver_set_sync: a %s driver is not a JPEG driver",
                            base->ops->name);
    ((jpeg_driver *)base)->atomic_flags = sync ? GP_ATOMIC_DEFAULT : GP_ATOMIC_NO_SYNC;
    return GP_OK;
}
