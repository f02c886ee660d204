/* QR data comes from roster fields: any bytes (empty, NUL inside, invalid
 * UTF-8, thousands of bytes) at any level must draw or fail with a message,
 * on pixels and in a PDF, never crash. The first byte picks the level. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/render-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cairo_status_t discard(void *closure, const unsigned char *bytes, unsigned int length)
{
    (void)closure;
    (void)bytes;
    (void)length;
    return CAIRO_STATUS_SUCCESS;
}

static void draw(cairo_surface_t *target, const char *text, char level)
{
    cairo_t *cr = cairo_create(target);
    gp_error *err = NULL;
    gp_status st = gp_render_qr(cr, text, level, 1.0, 1.0, 30.0, &err);
    if ((st == GP_OK) != (err == NULL) || (st != GP_OK && gp_error_message(err)[0] == '\0'))
        abort();
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        abort();
    gp_error_free(err);
    cairo_destroy(cr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char levels[] = "LMQHX";
    char level = size > 0 ? levels[data[0] % 5] : 'M';
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    if (size > 1)
        memcpy(text, data + 1, size - 1);
    text[size > 0 ? size - 1 : 0] = '\0';

    cairo_surface_t *px = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 128, 128);
    draw(px, text, level);
    cairo_surface_destroy(px);
    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(discard, NULL, 100, 100);
    draw(pdf, text, level);
    cairo_surface_finish(pdf);
    cairo_surface_destroy(pdf);
    free(text);
    return 0;
}
