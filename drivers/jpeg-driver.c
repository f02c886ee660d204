/* JPEG files for photo labs: one file per page at the page's exact pixel
 * size. Minilabs print JPEG pixels 1:1 at the density in the file, so the
 * file says its dpi twice (JFIF and Exif), is marked sRGB, keeps full chroma
 * resolution (4:4:4) and is baseline, which every lab front end reads. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

#include "base/error-private.h"
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
/* Rows handed to libjpeg per call. */
#define ROWS_PER_WRITE 16
/* A q95 4:4:4 sheet of 1500x2100 is 0.5-1 MB; the buffer grows as needed. */
#define INITIAL_BUFFER (1024 * 1024)

/* CAIRO_FORMAT_RGB24 is a native-endian 32-bit 0x00RRGGBB word. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define CAIRO_RGB24_JCS JCS_EXT_XRGB
#else
#define CAIRO_RGB24_JCS JCS_EXT_BGRX
#endif

typedef struct jpeg_driver {
    gp_driver base;
    int quality;
    cairo_surface_t *surface; /* kept between pages of the same size */
    cairo_t *cr;              /* non-NULL between begin_page and end_page */
    char *file;
    unsigned atomic_flags; /* GP_ATOMIC_NO_SYNC inside a staging directory */
    /* The encoded file, kept between pages: written with one write() rather
     * than in libjpeg's 4 KB stdio pieces. */
    unsigned char *buf;
    size_t cap, len;
} jpeg_driver;

/* libjpeg destination filling drv->buf. */
typedef struct buffer_dest {
    struct jpeg_destination_mgr pub;
    jpeg_driver *drv;
} buffer_dest;

/* libjpeg reports fatal errors by calling error_exit, which must not return:
 * we jump back to the encoder with the message kept for the gp_error. */
typedef struct jpeg_error {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} jpeg_error;

static void on_error_exit(j_common_ptr cinfo)
{
    jpeg_error *e = (jpeg_error *)(void *)cinfo->err;
    e->mgr.format_message(cinfo, e->message);
    longjmp(e->jump, 1);
}

/* The library never prints: warnings are dropped. */
static void on_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void dest_init(j_compress_ptr cinfo)
{
    buffer_dest *d = (buffer_dest *)(void *)cinfo->dest;
    d->pub.next_output_byte = d->drv->buf;
    d->pub.free_in_buffer = d->drv->cap;
}

static boolean dest_grow(j_compress_ptr cinfo)
{
    buffer_dest *d = (buffer_dest *)(void *)cinfo->dest;
    jpeg_driver *drv = d->drv;
    size_t old = drv->cap, cap = old * 2;
    unsigned char *buf = cap > old ? realloc(drv->buf, cap) : NULL;
    if (buf == NULL)
        ERREXIT(cinfo, JERR_OUT_OF_MEMORY);
    drv->buf = buf;
    drv->cap = cap;
    d->pub.next_output_byte = buf + old;
    d->pub.free_in_buffer = cap - old;
    return TRUE;
}

static void dest_term(j_compress_ptr cinfo)
{
    buffer_dest *d = (buffer_dest *)(void *)cinfo->dest;
    d->drv->len = d->drv->cap - d->pub.free_in_buffer;
}

/* Encodes the page surface into drv->buf. Everything the error path needs
 * lives in *drv, *cinfo, *jerr and *dest, none of it changed after setjmp,
 * so longjmp leaves nothing indeterminate. */
static gp_status encode(jpeg_driver *drv, struct jpeg_compress_struct *cinfo, jpeg_error *jerr, buffer_dest *dest,
                        gp_error **err)
{
    /* Zeroed so that jpeg_destroy_compress is safe even if creation fails. */
    memset(cinfo, 0, sizeof *cinfo);
    cinfo->err = jpeg_std_error(&jerr->mgr);
    jerr->mgr.error_exit = on_error_exit;
    jerr->mgr.output_message = on_output_message;
    jerr->message[0] = '\0';
    if (setjmp(jerr->jump)) {
        jpeg_destroy_compress(cinfo);
        return gp_error_set(err, GP_E_IO, drv->file, 0, _("cannot write the JPEG file: %s"), jerr->message);
    }
    jpeg_create_compress(cinfo);
    dest->pub.init_destination = dest_init;
    dest->pub.empty_output_buffer = dest_grow;
    dest->pub.term_destination = dest_term;
    dest->drv = drv;
    cinfo->dest = &dest->pub;

    cairo_surface_t *surface = drv->surface;
    cinfo->image_width = (JDIMENSION)cairo_image_surface_get_width(surface);
    cinfo->image_height = (JDIMENSION)cairo_image_surface_get_height(surface);
    cinfo->input_components = 4;
    cinfo->in_color_space = CAIRO_RGB24_JCS;
    jpeg_set_defaults(cinfo);
    jpeg_set_quality(cinfo, drv->quality, TRUE);
    for (int c = 0; c < cinfo->num_components; c++) {
        cinfo->comp_info[c].h_samp_factor = 1;
        cinfo->comp_info[c].v_samp_factor = 1;
    }
    cinfo->write_JFIF_header = TRUE;
    cinfo->density_unit = 1;
    cinfo->X_density = (UINT16)drv->base.dpi;
    cinfo->Y_density = (UINT16)drv->base.dpi;
    /* Optimised Huffman tables save ~9% of the bytes but need a second
     * pass over a whole-image coefficient buffer: measured 112 ms instead of
     * 20 ms for a 1500x2100 sheet, which would cap a worker at ~9 sheets/s. */
    cinfo->optimize_coding = FALSE;
    jpeg_start_compress(cinfo, TRUE);

    unsigned char exif[GP_JPEG_EXIF_APP1_SIZE];
    gp_jpeg_exif_app1(exif, (int)drv->base.dpi);
    jpeg_write_marker(cinfo, JPEG_APP0 + 1, exif, GP_JPEG_EXIF_APP1_SIZE);

    unsigned char *data = cairo_image_surface_get_data(surface);
    size_t stride = (size_t)cairo_image_surface_get_stride(surface);
    JSAMPROW rows[ROWS_PER_WRITE];
    while (cinfo->next_scanline < cinfo->image_height) {
        JDIMENSION n = 0;
        while (n < ROWS_PER_WRITE && cinfo->next_scanline + n < cinfo->image_height) {
            rows[n] = data + (cinfo->next_scanline + n) * stride;
            n++;
        }
        jpeg_write_scanlines(cinfo, rows, n);
    }
    jpeg_finish_compress(cinfo);
    jpeg_destroy_compress(cinfo);
    return GP_OK;
}

static gp_status drv_begin_page(gp_driver *base, const gp_page_spec *page, cairo_t **cr, gp_error **err)
{
    jpeg_driver *drv = (jpeg_driver *)base;
    *cr = NULL;
    if (drv->cr != NULL)
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s", _("JPEG driver: a page was begun twice"));
    if (page->file == NULL || page->file[0] == '\0')
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s", _("JPEG driver: the page has no file name"));
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

    if (drv->buf == NULL) {
        drv->buf = malloc(INITIAL_BUFFER);
        if (drv->buf == NULL)
            return gp_error_nomem(err);
        drv->cap = INITIAL_BUFFER;
    }
    struct jpeg_compress_struct cinfo;
    jpeg_error jerr;
    buffer_dest dest;
    gp_status st = encode(drv, &cinfo, &jerr, &dest, err);
    if (st != GP_OK)
        return st;
    return gp_write_file_atomic_flags(drv->file, drv->buf, drv->len, drv->atomic_flags, err);
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
    free(drv->buf);
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
    drv->quality = quality;
    *out = &drv->base;
    return GP_OK;
}

void gp_jpeg_driver_set_sync(gp_driver *base, bool sync)
{
    if (base != NULL && base->ops == &jpeg_ops)
        ((jpeg_driver *)base)->atomic_flags = sync ? GP_ATOMIC_DEFAULT : GP_ATOMIC_NO_SYNC;
}
