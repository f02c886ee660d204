/* The printing driver: a PDF driver underneath, whose finished file is
 * handed to CUPS as one job. The PDF sits in the run directory (0600, it
 * holds personal data) so a crashed run can be looked at and resumed. */
#include "cups-private.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/strbuf-private.h"

/* Pages of one job are one media size; this much difference is rounding. */
#define SIZE_TOLERANCE_MM 0.001

typedef struct cups_driver {
    gp_driver base;
    gp_driver *pdf;
    char *queue, *job_name, *pdf_path, *media_source;
    double wait_s;
    bool keep_pdf;
    double width_mm, height_mm; /* of the first page; 0 before it */
    int pages;
    int job_id;
    bool finished;
    gp_cups_wait_result wait;
} cups_driver;

static gp_status cups_begin_page(gp_driver *base, const gp_page_spec *page, cairo_t **cr, gp_error **err)
{
    cups_driver *drv = (cups_driver *)base;
    *cr = NULL;
    if (drv->finished)
        return gp_error_set(err, GP_E_INTERNAL, drv->pdf_path, 0, "%s",
                            _("a page was started after the print job was sent"));
    if (drv->pages > 0 && (fabs(page->width_mm - drv->width_mm) > SIZE_TOLERANCE_MM ||
                           fabs(page->height_mm - drv->height_mm) > SIZE_TOLERANCE_MM))
        return gp_error_set(err, GP_E_USAGE, drv->pdf_path, 0,
                            _("page %d is %.3f x %.3f mm but the print job's first page is %.3f x %.3f mm; one job "
                              "prints on one size of blank, so split the pages into jobs by size"),
                            drv->pages + 1, page->width_mm, page->height_mm, drv->width_mm, drv->height_mm);
    gp_status st = gp_driver_begin_page(drv->pdf, page, cr, err);
    if (st != GP_OK)
        return st;
    if (drv->pages == 0) {
        drv->width_mm = page->width_mm;
        drv->height_mm = page->height_mm;
    }
    drv->pages++;
    return GP_OK;
}

static gp_status cups_end_page(gp_driver *base, gp_error **err)
{
    cups_driver *drv = (cups_driver *)base;
    return gp_driver_end_page(drv->pdf, err);
}

static gp_status cups_finish(gp_driver *base, gp_error **err)
{
    cups_driver *drv = (cups_driver *)base;
    if (drv->finished)
        return gp_error_set(err, GP_E_INTERNAL, drv->pdf_path, 0, "%s", _("the print job was sent twice"));
    if (drv->pages == 0)
        return gp_error_set(err, GP_E_INTERNAL, drv->pdf_path, 0, "%s", _("a print job without pages was sent"));
    gp_status st = gp_driver_finish(drv->pdf, err);
    if (st != GP_OK)
        return st;
    drv->finished = true;
    gp_cups_job_options opts = {
        .width_mm = drv->width_mm,
        .height_mm = drv->height_mm,
        .media_source = drv->media_source,
    };
    st = gp_cups_submit(drv->queue, drv->pdf_path, drv->job_name, &opts, &drv->job_id, err);
    if (st != GP_OK || !(drv->wait_s > 0))
        return st;
    st = gp_cups_wait(drv->queue, drv->job_id, drv->wait_s, &drv->wait, err);
    if (st != GP_OK)
        return st;
    if (drv->wait.state == GP_CUPS_COMPLETED) {
        if (!drv->keep_pdf && unlink(drv->pdf_path) != 0 && errno != ENOENT)
            return gp_error_set(err, GP_E_IO, drv->pdf_path, 0,
                                _("job %d printed, but its PDF could not be removed: %s; delete it by hand, it holds "
                                  "personal data"),
                                drv->job_id, strerror(errno));
        return GP_OK;
    }
    if (drv->wait.finished)
        return gp_error_set(err, GP_E_IO, NULL, 0, _("print job %d on queue %s ended %s%s%s; check the printer, then "
                                                     "run again to resume"),
                            drv->job_id, drv->queue, gp_cups_state_name(drv->wait.state),
                            drv->wait.reason[0] != '\0' ? ": " : "", drv->wait.reason);
    /* Paused or still going: not a failure of the job, the caller decides. */
    return GP_OK;
}

static void cups_destroy(gp_driver *base)
{
    cups_driver *drv = (cups_driver *)base;
    /* An unfinished PDF driver removes its temporary file. */
    gp_driver_free(drv->pdf);
    free(drv->queue);
    free(drv->job_name);
    free(drv->pdf_path);
    free(drv->media_source);
    free(drv);
}

static const gp_driver_ops cups_ops = {
    .name = "cups",
    .raster = false,
    .begin_page = cups_begin_page,
    .end_page = cups_end_page,
    .finish = cups_finish,
    .destroy = cups_destroy,
};

gp_status gp_cups_driver_new(const char *queue, const char *run_dir, const char *job_name,
                             const gp_cups_job_options *opts, gp_driver **out, gp_error **err)
{
    *out = NULL;
    if (!gp_cups_job_name_valid(job_name))
        return gp_error_set(err, GP_E_USAGE, run_dir, 0, "%s",
                            _("a print job name must be 1 to 64 characters from A-Z a-z 0-9 . _ - (it is made from "
                              "the run id and batch number, never from student data); the job was not sent"));
    if (queue == NULL || queue[0] == '\0')
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s",
                            _("no printer queue was named; give one of the queues lpstat -p lists"));
    cups_driver *drv = calloc(1, sizeof *drv);
    if (drv == NULL)
        return gp_error_nomem(err);
    drv->base.ops = &cups_ops;
    drv->queue = strdup(queue);
    drv->job_name = strdup(job_name);
    gp_strbuf name;
    gp_strbuf_init(&name);
    gp_strbuf_appendf(&name, "%s.pdf", job_name);
    char *file = gp_strbuf_steal(&name);
    drv->pdf_path = file != NULL ? gp_path_join(run_dir, file) : NULL;
    free(file);
    if (opts != NULL && opts->media_source != NULL)
        drv->media_source = strdup(opts->media_source);
    if (drv->queue == NULL || drv->job_name == NULL || drv->pdf_path == NULL ||
        (opts != NULL && opts->media_source != NULL && drv->media_source == NULL)) {
        cups_destroy(&drv->base);
        return gp_error_nomem(err);
    }
    if (opts != NULL) {
        drv->wait_s = opts->wait_s;
        drv->keep_pdf = opts->keep_pdf;
    }
    gp_status st = gp_pdf_driver_new(drv->pdf_path, &drv->pdf, err);
    if (st != GP_OK) {
        cups_destroy(&drv->base);
        return st;
    }
    *out = &drv->base;
    return GP_OK;
}

static const cups_driver *as_cups(const gp_driver *drv)
{
    return drv != NULL && drv->ops == &cups_ops ? (const cups_driver *)drv : NULL;
}

int gp_cups_driver_job_id(const gp_driver *drv)
{
    const cups_driver *c = as_cups(drv);
    return c != NULL ? c->job_id : 0;
}

const char *gp_cups_driver_pdf_path(const gp_driver *drv)
{
    const cups_driver *c = as_cups(drv);
    return c != NULL ? c->pdf_path : NULL;
}

const gp_cups_wait_result *gp_cups_driver_wait_result(const gp_driver *drv)
{
    const cups_driver *c = as_cups(drv);
    return c != NULL ? &c->wait : NULL;
}
