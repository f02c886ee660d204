/* One multi-page PDF: cairo's PDF surface streaming into an atomic file, so
 * a half-written document never appears under the final name. Each page is
 * sized before anything is drawn on it; the cairo_t handed out maps
 * millimetres. */
#include "driver.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"

#define PT_PER_MM (72.0 / 25.4)
#define QUARTER_TURN 1.57079632679489661923

typedef struct pdf_driver {
    gp_driver base;
    gp_atomic_file file;
    cairo_surface_t *surface;
    cairo_t *page;      /* the open page, or NULL */
    int write_errno;    /* first failed write, 0 when none */
    bool discard;       /* destroying without finish: no point writing */
    bool finished;
} pdf_driver;

static cairo_status_t write_bytes(void *closure, const unsigned char *data, unsigned int length)
{
    pdf_driver *drv = closure;
    if (drv->discard)
        return CAIRO_STATUS_SUCCESS;
    if (drv->write_errno != 0)
        return CAIRO_STATUS_WRITE_ERROR;
    if (length > 0 && fwrite(data, 1, length, drv->file.fp) != length) {
        drv->write_errno = errno != 0 ? errno : EIO;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

static gp_status cairo_failure(pdf_driver *drv, cairo_status_t cs, gp_error **err)
{
    if (cs == CAIRO_STATUS_NO_MEMORY)
        return gp_error_nomem(err);
    if (cs == CAIRO_STATUS_WRITE_ERROR || drv->write_errno != 0)
        return gp_error_set(err, GP_E_IO, drv->file.path, 0, _("writing the PDF failed: %s; free some disk space and "
                                                               "run again"),
                            strerror(drv->write_errno != 0 ? drv->write_errno : EIO));
    return gp_error_set(err, GP_E_INTERNAL, drv->file.path, 0, _("making the PDF failed: %s"),
                        cairo_status_to_string(cs));
}

static gp_status pdf_begin_page(gp_driver *base, const gp_page_spec *page, cairo_t **cr, gp_error **err)
{
    pdf_driver *drv = (pdf_driver *)base;
    *cr = NULL;
    if (drv->finished || drv->page != NULL)
        return gp_error_set(err, GP_E_INTERNAL, drv->file.path, 0, "%s",
                            _("a PDF page was started while another was open or after the document was finished"));
    if (!(page->width_mm > 0) || !(page->height_mm > 0))
        return gp_error_set(err, GP_E_USAGE, drv->file.path, 0, _("page size %.2f x %.2f mm is not positive"),
                            page->width_mm, page->height_mm);
    double medium_w = page->turned ? page->height_mm : page->width_mm;
    double medium_h = page->turned ? page->width_mm : page->height_mm;
    /* Must precede any drawing on the page, or the page keeps the old size. */
    cairo_pdf_surface_set_size(drv->surface, medium_w * PT_PER_MM, medium_h * PT_PER_MM);
    cairo_t *c = cairo_create(drv->surface);
    cairo_status_t cs = cairo_status(c);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_destroy(c);
        return cairo_failure(drv, cs, err);
    }
    cairo_scale(c, PT_PER_MM, PT_PER_MM);
    if (page->turned) {
        /* (x, y) on the upright page lands at (medium_w - y, x). */
        cairo_translate(c, medium_w, 0);
        cairo_rotate(c, QUARTER_TURN);
    }
    drv->page = c;
    *cr = c;
    return GP_OK;
}

static gp_status pdf_end_page(gp_driver *base, gp_error **err)
{
    pdf_driver *drv = (pdf_driver *)base;
    if (drv->page == NULL)
        return gp_error_set(err, GP_E_INTERNAL, drv->file.path, 0, "%s", _("a PDF page was ended that was not started"));
    cairo_show_page(drv->page);
    cairo_status_t cs = cairo_status(drv->page);
    cairo_destroy(drv->page);
    drv->page = NULL;
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(drv->surface);
    return cs == CAIRO_STATUS_SUCCESS && drv->write_errno == 0 ? GP_OK : cairo_failure(drv, cs, err);
}

static gp_status pdf_finish(gp_driver *base, gp_error **err)
{
    pdf_driver *drv = (pdf_driver *)base;
    if (drv->finished)
        return gp_error_set(err, GP_E_INTERNAL, drv->file.path, 0, "%s", _("the PDF was finished twice"));
    if (drv->page != NULL) {
        gp_status st = pdf_end_page(base, err);
        if (st != GP_OK)
            return st;
    }
    cairo_surface_finish(drv->surface);
    cairo_status_t cs = cairo_surface_status(drv->surface);
    if (cs != CAIRO_STATUS_SUCCESS || drv->write_errno != 0)
        return cairo_failure(drv, cs, err);
    drv->finished = true;
    return gp_atomic_commit(&drv->file, err);
}

static void pdf_destroy(gp_driver *base)
{
    pdf_driver *drv = (pdf_driver *)base;
    if (drv->page != NULL)
        cairo_destroy(drv->page);
    /* Destroying an unfinished surface finishes it: the bytes go nowhere. */
    drv->discard = true;
    if (drv->surface != NULL)
        cairo_surface_destroy(drv->surface);
    gp_atomic_abort(&drv->file);
    free(drv);
}

static const gp_driver_ops pdf_ops = {
    .name = "pdf",
    .raster = false,
    .begin_page = pdf_begin_page,
    .end_page = pdf_end_page,
    .finish = pdf_finish,
    .destroy = pdf_destroy,
};

gp_status gp_pdf_driver_new(const char *path, gp_driver **out, gp_error **err)
{
    *out = NULL;
    pdf_driver *drv = calloc(1, sizeof *drv);
    if (drv == NULL)
        return gp_error_nomem(err);
    drv->base.ops = &pdf_ops;
    gp_status st = gp_atomic_open(&drv->file, path, err);
    if (st != GP_OK) {
        free(drv);
        return st;
    }
    /* A4 until the first page sets its own size. */
    drv->surface = cairo_pdf_surface_create_for_stream(write_bytes, drv, 210.0 * PT_PER_MM, 297.0 * PT_PER_MM);
    cairo_status_t cs = cairo_surface_status(drv->surface);
    if (cs != CAIRO_STATUS_SUCCESS) {
        st = cairo_failure(drv, cs, err);
        pdf_destroy(&drv->base);
        return st;
    }
    /* The creator only: titles and authors would come from student data,
     * and a PDF's metadata travels further than its pages. */
    cairo_pdf_surface_set_metadata(drv->surface, CAIRO_PDF_METADATA_CREATOR, "gradprint");
    *out = &drv->base;
    return GP_OK;
}
