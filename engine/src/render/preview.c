/* PNG review copies of a finished PDF, drawn from the PDF itself with
 * poppler: what registrars look at before the blanks go into the printer is
 * what the printer gets, not a second rendering of the layout. */
#include "render-private.h"

#include <errno.h>
#include <math.h>
#include <poppler.h>
#include <string.h>

#include "../base/error-private.h"
#include "../base/fileio-private.h"
#include "../base/i18n-private.h"
#include "base/units-private.h"

/* cairo's image surfaces stop at 32767 pixels a side. */
#define GP_PREVIEW_MAX_SIDE 32767

static bool plain_name(const char *name)
{
    return name != NULL && name[0] != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
           strcmp(name, "..") != 0;
}

static PopplerDocument *open_pdf(const char *pdf_path, gp_error **err)
{
    GError *gerr = NULL;
    char *abs = g_canonicalize_filename(pdf_path, NULL);
    char *uri = g_filename_to_uri(abs, NULL, &gerr);
    g_free(abs);
    PopplerDocument *doc = uri != NULL ? poppler_document_new_from_file(uri, NULL, &gerr) : NULL;
    g_free(uri);
    if (doc == NULL)
        gp_error_set(err, GP_E_IO, pdf_path, 0, _("cannot read the PDF back for the previews (%s); check the disk"),
                     gerr != NULL ? gerr->message : _("unknown reason"));
    if (gerr != NULL)
        g_error_free(gerr);
    return doc;
}

static gp_status write_page(PopplerPage *page, double dpi, const char *path, gp_error **err)
{
    double w_pt = 0, h_pt = 0;
    poppler_page_get_size(page, &w_pt, &h_pt);
    int w = gp_mm_to_px(w_pt * 25.4 / 72.0, dpi), h = gp_mm_to_px(h_pt * 25.4 / 72.0, dpi);
    if (w < 1 || h < 1 || w > GP_PREVIEW_MAX_SIDE || h > GP_PREVIEW_MAX_SIDE)
        return gp_error_set(err, GP_E_USAGE, path, 0,
                            _("a preview of %.1f x %.1f mm at %g dpi would be %d x %d pixels; choose a lower "
                              "resolution"),
                            w_pt * 25.4 / 72.0, h_pt * 25.4 / 72.0, dpi, w, h);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    /* Paper is white; poppler draws only what is printed. */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    poppler_page_render(page, cr);
    cairo_status_t drawn = cairo_status(cr);
    cairo_destroy(cr);
    return gp_render_png_write(s, drawn, path, err);
}

gp_status gp_preview_pngs(const char *pdf_path, const char *png_dir, double dpi, const char *const *names,
                          size_t count, gp_error **err)
{
    if (!(dpi >= 1 && dpi <= 2400))
        return gp_error_set(err, GP_E_USAGE, NULL, 0, _("a preview resolution of %g dpi is out of range (1 to 2400)"),
                            dpi);
    for (size_t i = 0; i < count; i++)
        if (!plain_name(names[i]))
            return gp_error_set(err, GP_E_INTERNAL, png_dir, 0, _("preview name '%s' is not a plain file name"),
                                names[i] != NULL ? names[i] : "(null)");
    PopplerDocument *doc = open_pdf(pdf_path, err);
    if (doc == NULL)
        return GP_E_IO;
    int pages = poppler_document_get_n_pages(doc);
    if (pages < 0 || (size_t)pages != count) {
        g_object_unref(doc);
        return gp_error_set(err, GP_E_INTERNAL, pdf_path, 0, _("the PDF has %d pages but %zu previews were asked for"),
                            pages, count);
    }
    gp_status st = gp_mkdir_p(png_dir, err);
    for (size_t i = 0; st == GP_OK && i < count; i++) {
        PopplerPage *page = poppler_document_get_page(doc, (int)i);
        if (page == NULL) {
            st = gp_error_nomem(err);
            break;
        }
        char *path = gp_path_join(png_dir, names[i]);
        st = path != NULL ? write_page(page, dpi, path, err) : gp_error_nomem(err);
        free(path);
        g_object_unref(page);
    }
    g_object_unref(doc);
    return st;
}
