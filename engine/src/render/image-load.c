/* Template images (signatures, seals, the blank's scan) loaded once per
 * render env and painted on every page. Each format keeps what the PDF
 * needs to hold it once: PNG pixels in one image surface, a JPEG's own bytes
 * on a surface carrying them as mime data, a PDF page as a recording surface
 * that cairo writes as one form XObject, vectors and text intact. */
#include "render-private.h"

#include <errno.h>
#include <math.h>
#include <poppler.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/error-private.h"
#include "../base/fileio-private.h"
#include "../base/i18n-private.h"

/* A background scanned at 600 dpi is at most ~70 million pixels (A3); more
 * is a mistake, refused before cairo allocates it. */
#define GP_IMAGE_MAX_BYTES (64u * 1024u * 1024u)
#define GP_IMAGE_MAX_SIDE 20000
#define GP_IMAGE_MAX_PIXELS (80u * 1000u * 1000u)

static const char *format_name(gp_image_format f)
{
    switch (f) {
    case GP_IMAGE_PNG: return "PNG";
    case GP_IMAGE_JPEG: return "JPEG";
    case GP_IMAGE_PDF: return "PDF";
    }
    return "?";
}

/* The part of an inner error's message after its "path: " prefix, so the
 * wrapped message names the file once. */
static const char *message_without_path(const gp_error *inner, const char *path)
{
    const char *m = gp_error_message(inner);
    size_t n = strlen(path);
    if (strncmp(m, path, n) == 0 && m[n] == ':' && m[n + 1] == ' ')
        return m + n + 2;
    return m;
}

/* Re-states an error from a lower layer with the template line it concerns. */
static gp_status wrap_error(gp_error **err, gp_error *inner, const gp_mark_image *src, long line)
{
    gp_status st = gp_error_status(inner);
    if (st == GP_E_NOMEM) {
        gp_error_free(inner);
        return gp_error_nomem(err);
    }
    /* Lower layers say what to do about damaged files; a missing one is
     * about the template's files. */
    if (st == GP_E_IO)
        gp_error_set(err, st, src->path, 0,
                     _("the %s image of template line %ld cannot be read: %s; put the file back or change the "
                       "template"),
                     format_name(src->format), line, message_without_path(inner, src->path));
    else
        gp_error_set(err, st, src->path, 0, _("the %s image of template line %ld cannot be used: %s"),
                     format_name(src->format), line, message_without_path(inner, src->path));
    gp_error_free(inner);
    return st;
}

/* ---- PNG ---------------------------------------------------------------- */

typedef struct mem_reader {
    const unsigned char *data;
    size_t size, pos;
} mem_reader;

static cairo_status_t read_mem(void *closure, unsigned char *out, unsigned int length)
{
    mem_reader *r = closure;
    if (r->size - r->pos < length)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, r->data + r->pos, length);
    r->pos += length;
    return CAIRO_STATUS_SUCCESS;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static gp_status load_png(const gp_mark_image *src, long line, gp_render_image *img, gp_error **err)
{
    unsigned char *data = NULL;
    size_t size = 0;
    gp_error *inner = NULL;
    if (gp_read_file(src->path, GP_IMAGE_MAX_BYTES, &data, &size, &inner) != GP_OK)
        return wrap_error(err, inner, src, line);
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /* Signature, then IHDR's length and type, then width and height. */
    if (size < 24 || memcmp(data, signature, 8) != 0 || memcmp(data + 12, "IHDR", 4) != 0) {
        free(data);
        return gp_error_set(err, GP_E_INVALID, src->path, 0,
                            _("the image of template line %ld is not a PNG file; save it as PNG or change the "
                              "element's format"),
                            line);
    }
    uint32_t w = be32(data + 16), h = be32(data + 20);
    if (w == 0 || h == 0 || w > GP_IMAGE_MAX_SIDE || h > GP_IMAGE_MAX_SIDE ||
        (uint64_t)w * h > GP_IMAGE_MAX_PIXELS) {
        free(data);
        return gp_error_set(err, GP_E_INVALID, src->path, 0,
                            _("the PNG of template line %ld claims %lu x %lu pixels (at most %d per side and %u "
                              "million pixels); save it at 300 dpi"),
                            line, (unsigned long)w, (unsigned long)h, GP_IMAGE_MAX_SIDE,
                            GP_IMAGE_MAX_PIXELS / 1000000u);
    }
    mem_reader r = {data, size, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_mem, &r);
    free(data);
    cairo_status_t cs = cairo_surface_status(s);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        if (cs == CAIRO_STATUS_NO_MEMORY)
            return gp_error_nomem(err);
        return gp_error_set(err, GP_E_INVALID, src->path, 0,
                            _("the PNG of template line %ld is damaged (%s); save it again"), line,
                            cairo_status_to_string(cs));
    }
    img->surface = s;
    img->surface_w = cairo_image_surface_get_width(s);
    img->surface_h = cairo_image_surface_get_height(s);
    img->aspect = img->surface_w / img->surface_h;
    return GP_OK;
}

/* ---- JPEG --------------------------------------------------------------- */

static gp_status load_jpeg(const gp_mark_image *src, long line, bool raster, gp_render_image *img, gp_error **err)
{
    gp_photo *photo = NULL;
    cairo_surface_t *pixels = NULL;
    gp_error *inner = NULL;
    /* Raster output needs every pixel; a PDF gets the file's own bytes, and
     * the pixels behind them only stand in. */
    gp_status st = gp_photo_load(src->path, &photo, &inner);
    if (st == GP_OK)
        st = gp_photo_decode(photo, raster ? 1 : 8, &pixels, &inner);
    if (st != GP_OK) {
        gp_photo_free(photo);
        return wrap_error(err, inner, src, line);
    }
    cairo_surface_t *s = raster ? cairo_surface_reference(pixels) : gp_render_jpeg_surface(photo, pixels);
    img->aspect = (double)photo->width / photo->height;
    cairo_surface_destroy(pixels);
    gp_photo_free(photo);
    if (s == NULL)
        return gp_error_nomem(err);
    img->surface = s;
    img->surface_w = cairo_image_surface_get_width(s);
    img->surface_h = cairo_image_surface_get_height(s);
    return GP_OK;
}

/* ---- PDF ---------------------------------------------------------------- */

static gp_status load_pdf(const gp_mark_image *src, long line, gp_render_image *img, gp_error **err)
{
    /* poppler says only "failed to load" for a missing file: look first, so
     * a vanished file is an I/O error that says why. */
    struct stat sb;
    if (stat(src->path, &sb) != 0)
        return gp_error_set(err, GP_E_IO, src->path, 0,
                            _("the PDF of template line %ld cannot be opened (%s); put the file back or change the "
                              "template"),
                            line, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return gp_error_set(err, GP_E_IO, src->path, 0,
                            _("the PDF of template line %ld is not a regular file; put the file back or change the "
                              "template"),
                            line);
    GError *gerr = NULL;
    char *abs = g_canonicalize_filename(src->path, NULL);
    char *uri = g_filename_to_uri(abs, NULL, &gerr);
    g_free(abs);
    PopplerDocument *doc = uri != NULL ? poppler_document_new_from_file(uri, NULL, &gerr) : NULL;
    g_free(uri);
    if (doc == NULL) {
        gp_status st = gerr != NULL && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_OPEN_FILE
                           ? GP_E_IO
                           : GP_E_INVALID;
        gp_error_set(err, st, src->path, 0,
                     _("the PDF of template line %ld cannot be read (%s); save it again as a plain PDF without a "
                       "password"),
                     line, gerr != NULL ? gerr->message : _("unknown reason"));
        if (gerr != NULL)
            g_error_free(gerr);
        return st;
    }
    if (gerr != NULL)
        g_error_free(gerr);
    int pages = poppler_document_get_n_pages(doc);
    if (src->page < 1 || src->page > pages) {
        g_object_unref(doc);
        return gp_error_set(err, GP_E_INVALID, src->path, 0,
                            _("template line %ld asks for page %d of this PDF, which has %d; change the element's "
                              "page"),
                            line, src->page, pages);
    }
    PopplerPage *page = poppler_document_get_page(doc, src->page - 1);
    if (page == NULL) {
        g_object_unref(doc);
        return gp_error_nomem(err);
    }
    double w = 0, h = 0;
    poppler_page_get_size(page, &w, &h);
    if (!(w > 0) || !(h > 0) || !isfinite(w) || !isfinite(h)) {
        g_object_unref(page);
        g_object_unref(doc);
        return gp_error_set(err, GP_E_INVALID, src->path, 0,
                            _("page %d of the PDF of template line %ld has no size; save the PDF again"),
                            src->page, line);
    }
    /* Recorded once, replayed on every page: cairo's PDF backend writes a
     * recording surface it has written before as the same form XObject, so
     * the page's vectors, text and images are in the output once. The
     * recording keeps its own references to poppler's fonts and images. */
    cairo_rectangle_t extents = {0, 0, w, h};
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents);
    cairo_t *cr = cairo_create(rec);
    poppler_page_render(page, cr);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(rec);
    g_object_unref(page);
    g_object_unref(doc);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(rec);
        if (cs == CAIRO_STATUS_NO_MEMORY)
            return gp_error_nomem(err);
        return gp_error_set(err, GP_E_INVALID, src->path, 0,
                            _("page %d of the PDF of template line %ld cannot be drawn (%s); save the PDF again"),
                            src->page, line, cairo_status_to_string(cs));
    }
    img->surface = rec;
    img->surface_w = w;
    img->surface_h = h;
    img->aspect = w / h;
    return GP_OK;
}

/* ---- the cache ---------------------------------------------------------- */

static bool same_source(const gp_render_image *img, const gp_mark_image *src)
{
    return img->format == src->format && strcmp(img->path, src->path) == 0 &&
           (src->format != GP_IMAGE_PDF || img->page == src->page);
}

gp_status gp_render_image_get(gp_render_env *env, const gp_mark_image *src, long line, const gp_render_image **out,
                              gp_error **err)
{
    *out = NULL;
    if (src == NULL || src->path == NULL || src->path[0] == '\0')
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s", _("an image mark has no source file"));
    for (size_t i = 0; i < env->nimages; i++) {
        if (same_source(&env->images[i], src)) {
            *out = &env->images[i];
            return GP_OK;
        }
    }
    if (env->nimages == env->cap_images) {
        size_t cap = env->cap_images ? env->cap_images * 2 : 4;
        gp_render_image *grown = realloc(env->images, cap * sizeof *grown);
        if (grown == NULL)
            return gp_error_nomem(err);
        env->images = grown;
        env->cap_images = cap;
    }
    gp_render_image img = {.format = src->format, .page = src->page};
    gp_status st;
    switch (src->format) {
    case GP_IMAGE_PNG: st = load_png(src, line, &img, err); break;
    case GP_IMAGE_JPEG: st = load_jpeg(src, line, env->raster, &img, err); break;
    case GP_IMAGE_PDF: st = load_pdf(src, line, &img, err); break;
    default:
        st = gp_error_set(err, GP_E_INTERNAL, src->path, 0, _("template line %ld: unknown image format %d"), line,
                          (int)src->format);
        break;
    }
    if (st != GP_OK)
        return st;
    img.path = strdup(src->path);
    if (img.path == NULL) {
        cairo_surface_destroy(img.surface);
        return gp_error_nomem(err);
    }
    env->images[env->nimages] = img;
    *out = &env->images[env->nimages++];
    return GP_OK;
}

void gp_render_images_free(gp_render_env *env)
{
    for (size_t i = 0; i < env->nimages; i++) {
        cairo_surface_destroy(env->images[i].surface);
        free(env->images[i].path);
    }
    free(env->images);
    env->images = NULL;
    env->nimages = env->cap_images = 0;
}

void gp_render_image_draw(cairo_t *cr, const gp_render_image *img, const gp_box *box)
{
    if (!(box->w > 0) || !(box->h > 0) || !(img->aspect > 0))
        return;
    double w = box->w, h = box->w / img->aspect;
    if (h > box->h) {
        h = box->h;
        w = box->h * img->aspect;
    }
    cairo_save(cr);
    cairo_translate(cr, box->x + (box->w - w) / 2, box->y + (box->h - h) / 2);
    /* x and y apart: a 1/8 JPEG stand-in is rounded to whole pixels, the
     * JPEG the PDF carries is stretched over the same rectangle. */
    cairo_scale(cr, w / img->surface_w, h / img->surface_h);
    cairo_set_source_surface(cr, img->surface, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
}
