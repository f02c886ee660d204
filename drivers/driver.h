/* Output drivers: where rendered pages go. One small table of operations,
 * filled in by each backend (PDF file, JPEG files for photo labs), the way
 * cairo's surfaces fill in a backend table. The engine draws on the cairo_t a
 * driver hands out and never asks which driver it is; gp_driver_open
 * (driver.c) is the one place a backend is chosen. Printing through CUPS
 * is not a driver: a print run renders batches with the PDF driver and hands
 * the files to CUPS itself (print/), because the journal must record each
 * step between rendering and submitting. */
#ifndef GP_DRIVER_H
#define GP_DRIVER_H

#include <cairo.h>
#include <stdbool.h>

#include "gradprint.h"

typedef struct gp_driver gp_driver;

typedef struct gp_page_spec {
    /* The page as the template sees it (the blank, upright). */
    double width_mm, height_mm;
    /* Drivers that write a file per page (raster) write this page here;
     * document drivers ignore it. */
    const char *file;
    /* Put the page onto the medium turned a quarter clockwise: the medium is
     * height_mm wide and width_mm tall, the page's left edge lies along the
     * medium's top edge, and the cairo_t still maps the upright page. Some
     * printers take a landscape blank only fed long edge first; turning it
     * here, not in the print system, keeps the result independent of how
     * each driver would turn it. Raster drivers refuse it. */
    bool turned;
} gp_page_spec;

typedef struct gp_driver_ops {
    const char *name;
    /* Pixels at a fixed resolution (photo labs) rather than vectors. */
    bool raster;
    /* Starts a page; *cr maps millimetres from the page's top-left corner,
     * with a white page already painted for raster drivers. */
    gp_status (*begin_page)(gp_driver *drv, const gp_page_spec *page, cairo_t **cr, gp_error **err);
    gp_status (*end_page)(gp_driver *drv, gp_error **err);
    /* Completes the output: a document driver renames its finished file
     * into place here. Without finish, nothing is left behind. */
    gp_status (*finish)(gp_driver *drv, gp_error **err);
    void (*destroy)(gp_driver *drv);
} gp_driver_ops;

/* Every driver struct starts with this. */
struct gp_driver {
    const gp_driver_ops *ops;
    double dpi; /* raster drivers only */
};

static inline gp_status gp_driver_begin_page(gp_driver *drv, const gp_page_spec *page, cairo_t **cr, gp_error **err)
{
    return drv->ops->begin_page(drv, page, cr, err);
}
static inline gp_status gp_driver_end_page(gp_driver *drv, gp_error **err) { return drv->ops->end_page(drv, err); }
static inline gp_status gp_driver_finish(gp_driver *drv, gp_error **err) { return drv->ops->finish(drv, err); }
static inline bool gp_driver_is_raster(const gp_driver *drv) { return drv->ops->raster; }
/* Frees the driver; output not finished is removed. */
static inline void gp_driver_free(gp_driver *drv)
{
    if (drv != NULL)
        drv->ops->destroy(drv);
}

/* The kinds of output a job can ask for. */
typedef enum gp_driver_kind {
    GP_DRIVER_PDF,  /* one multi-page PDF file */
    GP_DRIVER_JPEG  /* one JPEG file per page, for photo labs */
} gp_driver_kind;

/* What a job wants written; each kind reads the fields it names. */
typedef struct gp_driver_config {
    gp_driver_kind kind;
    /* PDF: the file, written to a temporary file until finish. Text stays
     * text, fonts are embedded as subsets, JPEGs pass through. */
    const char *path;
    /* JPEG: each page at its exact pixel size for dpi (round(mm / 25.4 *
     * dpi)), baseline, quality (92-100), 4:4:4, JFIF density in dots per
     * inch, marked sRGB; each file written atomically. */
    int dpi;
    int quality;
    /* JPEG: no fsync of each file before its rename, for jobs writing into
     * a staging directory that gp_outdir_commit makes durable as a whole. */
    bool no_sync;
} gp_driver_config;

/* The one place a driver is made: jobs say what they want and never name a
 * backend. A kind this build does not know is GP_E_INTERNAL; settings the
 * backend refuses (a JPEG's dpi or quality) are GP_E_USAGE with what to do;
 * an output that cannot be created is GP_E_IO. *out is NULL on failure. */
gp_status gp_driver_open(const gp_driver_config *cfg, gp_driver **out, gp_error **err);

/* The backends' own constructors, for gp_driver_open and the backends'
 * tests. Jobs use gp_driver_open. */
gp_status gp_pdf_driver_new(const char *path, gp_driver **out, gp_error **err);
gp_status gp_jpeg_driver_new(int dpi, int quality, gp_driver **out, gp_error **err);

/* Typed setters: like cairo's for a surface of the wrong type, each refuses
 * a driver of another kind (GP_E_INTERNAL, naming both kinds) instead of
 * ignoring it: a caller that thinks it set this and did not would lose the
 * guarantee silently. */

/* Whether each JPEG file is fsync'd before its rename (the default). */
gp_status gp_jpeg_driver_set_sync(gp_driver *drv, bool sync, gp_error **err);

#endif
