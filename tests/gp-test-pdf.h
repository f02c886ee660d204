/* Reading PDFs back in tests with poppler-glib: page sizes, text positions,
 * fonts, images, and whether a JPEG went into the file byte for byte.
 * Lengths are millimetres from the page's top-left corner, like the engine's. */
#ifndef GP_TEST_PDF_H
#define GP_TEST_PDF_H

#include <math.h>
#include <poppler.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GP_PDF_MM_PER_PT (25.4 / 72.0)

typedef struct gp_pdf_rect {
    double x, y, w, h; /* mm, origin top-left */
} gp_pdf_rect;

/* NULL (with the reason on stderr) when the file is not a readable PDF. */
static inline PopplerDocument *gp_pdf_open(const char *path)
{
    GError *gerr = NULL;
    char *abs = g_canonicalize_filename(path, NULL);
    char *uri = g_filename_to_uri(abs, NULL, &gerr);
    g_free(abs);
    PopplerDocument *doc = uri != NULL ? poppler_document_new_from_file(uri, NULL, &gerr) : NULL;
    if (doc == NULL)
        fprintf(stderr, "cannot open %s as PDF: %s\n", path, gerr != NULL ? gerr->message : "bad path");
    if (gerr != NULL)
        g_error_free(gerr);
    g_free(uri);
    return doc;
}

static inline void gp_pdf_close(PopplerDocument *doc)
{
    if (doc != NULL)
        g_object_unref(doc);
}

static inline int gp_pdf_page_count(PopplerDocument *doc)
{
    return poppler_document_get_n_pages(doc);
}

static inline bool gp_pdf_page_size_mm(PopplerDocument *doc, int page, double *w_mm, double *h_mm)
{
    PopplerPage *p = poppler_document_get_page(doc, page);
    if (p == NULL)
        return false;
    double w, h;
    poppler_page_get_size(p, &w, &h);
    *w_mm = w * GP_PDF_MM_PER_PT;
    *h_mm = h * GP_PDF_MM_PER_PT;
    g_object_unref(p);
    return true;
}

/* All text of a page (g_free it), or NULL. */
static inline char *gp_pdf_page_text(PopplerDocument *doc, int page)
{
    PopplerPage *p = poppler_document_get_page(doc, page);
    if (p == NULL)
        return NULL;
    char *text = poppler_page_get_text(p);
    g_object_unref(p);
    return text;
}

/* The first occurrence of text on page, case sensitive. poppler 22 gives
 * rectangles in points with the origin at the bottom-left (y1 is the lower
 * edge); this turns them into top-left millimetres. */
static inline bool gp_pdf_find_text(PopplerDocument *doc, int page, const char *text, gp_pdf_rect *out)
{
    PopplerPage *p = poppler_document_get_page(doc, page);
    if (p == NULL)
        return false;
    double page_w, page_h;
    poppler_page_get_size(p, &page_w, &page_h);
    GList *found = poppler_page_find_text_with_options(p, text, POPPLER_FIND_CASE_SENSITIVE);
    bool ok = found != NULL;
    if (ok) {
        const PopplerRectangle *r = found->data;
        double top = page_h - (r->y1 > r->y2 ? r->y1 : r->y2);
        double bottom = page_h - (r->y1 > r->y2 ? r->y2 : r->y1);
        out->x = (r->x1 < r->x2 ? r->x1 : r->x2) * GP_PDF_MM_PER_PT;
        out->w = fabs(r->x2 - r->x1) * GP_PDF_MM_PER_PT;
        out->y = top * GP_PDF_MM_PER_PT;
        out->h = (bottom - top) * GP_PDF_MM_PER_PT;
    }
    g_list_free_full(found, (GDestroyNotify)poppler_rectangle_free);
    g_object_unref(p);
    return ok;
}

typedef struct gp_pdf_font {
    char name[128];
    bool embedded, subset;
} gp_pdf_font;

/* Fills up to max fonts used anywhere in the document; returns how many
 * there are. */
static inline int gp_pdf_fonts(PopplerDocument *doc, gp_pdf_font *fonts, int max)
{
    PopplerFontInfo *info = poppler_font_info_new(doc);
    PopplerFontsIter *iter = NULL;
    int n = 0;
    if (poppler_font_info_scan(info, poppler_document_get_n_pages(doc), &iter) && iter != NULL) {
        do {
            if (n < max) {
                const char *name = poppler_fonts_iter_get_name(iter);
                snprintf(fonts[n].name, sizeof fonts[n].name, "%s", name != NULL ? name : "(unnamed)");
                fonts[n].embedded = poppler_fonts_iter_is_embedded(iter);
                fonts[n].subset = poppler_fonts_iter_is_subset(iter);
            }
            n++;
        } while (poppler_fonts_iter_next(iter));
    }
    if (iter != NULL)
        poppler_fonts_iter_free(iter);
    g_object_unref(info);
    return n;
}

/* Where images are painted on a page (each placement once, unclipped), up
 * to max; returns how many there are. */
static inline int gp_pdf_images(PopplerDocument *doc, int page, gp_pdf_rect *areas, int max)
{
    PopplerPage *p = poppler_document_get_page(doc, page);
    if (p == NULL)
        return -1;
    double page_w, page_h;
    poppler_page_get_size(p, &page_w, &page_h);
    GList *map = poppler_page_get_image_mapping(p);
    int n = 0;
    for (GList *l = map; l != NULL; l = l->next, n++) {
        const PopplerImageMapping *m = l->data;
        if (n < max && areas != NULL) {
            /* Image areas are already top-left based, unlike find_text. */
            areas[n].x = m->area.x1 * GP_PDF_MM_PER_PT;
            areas[n].y = m->area.y1 * GP_PDF_MM_PER_PT;
            areas[n].w = (m->area.x2 - m->area.x1) * GP_PDF_MM_PER_PT;
            areas[n].h = (m->area.y2 - m->area.y1) * GP_PDF_MM_PER_PT;
        }
    }
    poppler_page_free_image_mapping(map);
    g_object_unref(p);
    return n;
}

/* A whole file in memory (free it), NUL-terminated for text files, or NULL. */
static inline unsigned char *gp_pdf_slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 1 >= cap) {
            cap = cap ? cap * 2 : 65536;
            unsigned char *grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        if (n == 0)
            break;
        len += n;
    }
    fclose(f);
    buf[len] = '\0';
    *size = len;
    return buf;
}

/* memmem is a GNU extension; tests build with plain POSIX. */
static inline const unsigned char *gp_pdf_find_bytes(const unsigned char *hay, size_t hay_len,
                                                     const unsigned char *needle, size_t needle_len)
{
    while (hay_len >= needle_len) {
        const unsigned char *first = memchr(hay, needle[0], hay_len - needle_len + 1);
        if (first == NULL)
            return NULL;
        if (memcmp(first, needle, needle_len) == 0)
            return first;
        hay_len -= (size_t)(first - hay) + 1;
        hay = first + 1;
    }
    return NULL;
}

/* How often needle occurs verbatim in the file: a JPEG's bytes found once
 * mean it was embedded unchanged (pass-through) and only once. -1 when the
 * file cannot be read. */
static inline int gp_pdf_file_count(const char *path, const void *needle, size_t needle_len)
{
    size_t size;
    unsigned char *data = gp_pdf_slurp(path, &size);
    if (data == NULL)
        return -1;
    int count = 0;
    const unsigned char *p = data, *end = data + size;
    while (needle_len > 0 && (size_t)(end - p) >= needle_len) {
        const unsigned char *hit = gp_pdf_find_bytes(p, (size_t)(end - p), needle, needle_len);
        if (hit == NULL)
            break;
        count++;
        p = hit + needle_len;
    }
    free(data);
    return count;
}

/* Image XObjects in the file. cairo writes object dictionaries as plain
 * text (no object streams), so counting their subtype counts the objects. */
static inline int gp_pdf_image_objects(const char *path)
{
    return gp_pdf_file_count(path, "/Subtype /Image", strlen("/Subtype /Image"));
}

#endif
