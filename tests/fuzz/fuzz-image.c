/* Template images from arbitrary bytes: the PNG or PDF a template's
 * <image> or <background> names (a signature, a seal, the scan of a blank)
 * is outside input. Through the template loader (format sniffed from the
 * first bytes, a PDF's pages counted) and the image loader (PNG through
 * cairo with gradprint's size limits, a PDF page through poppler into a
 * recording surface), then painted onto a raster and a vector target: any
 * bytes must be refused with an error or drawn, never crash, hang or leak.
 *
 * Built twice: fuzz-image-png (GP_FUZZ_FORMAT=GP_IMAGE_PNG) and
 * fuzz-image-pdf (GP_IMAGE_PDF). The input is written to a file first, as
 * both libraries read images from files. */
#include <cairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "render/render-private.h"
#include "template/template-private.h"

#ifndef GP_FUZZ_FORMAT
#error "GP_FUZZ_FORMAT must be GP_IMAGE_PNG or GP_IMAGE_PDF"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* poppler keeps its global font and Unicode tables, glib its type system:
 * blocks made once per process, reachable only through library statics. */
const char *__lsan_default_suppressions(void)
{
    return GP_FUZZ_LSAN_SUPPRESSIONS "leak:libpoppler.so\nleak:libpoppler-glib.so\nleak:libglib-2.0.so\n"
                                     "leak:libgobject-2.0.so\n";
}

static gp_context *ctx;
static char image_path[64];
static char *template_xml;
static size_t template_len;

static void remove_image(void) { unlink(image_path); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ctx = gp_fuzz_context("fuzz-image");
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(image_path, sizeof image_path, "%s/gp-fuzz-image-%ld", dir, (long)getpid());
    atexit(remove_image);
    static const char form[] =
        "<template name=\"f\" kind=\"certificate\"><page width=\"100\" height=\"60\"/>"
        "<background src=\"%s\"/><image x=\"5\" y=\"5\" width=\"40\" height=\"20\" src=\"%s\" page=\"1\"/></template>";
    size_t cap = sizeof form + 2 * sizeof image_path;
    template_xml = malloc(cap);
    if (template_xml == NULL)
        abort();
    template_len = (size_t)snprintf(template_xml, cap, form, image_path, image_path);
    return 0;
}

static void paint(gp_render_env *env, const gp_mark *mark, cairo_surface_t *target)
{
    const gp_render_image *img = NULL;
    gp_error *err = NULL;
    gp_status st = gp_render_image_get(env, &mark->image, mark->line, &img, &err);
    if ((st == GP_OK) != (img != NULL) || (st == GP_OK) != (err == NULL))
        abort();
    if (st == GP_OK && (!(img->aspect > 0) || !(img->surface_w > 0) || !(img->surface_h > 0)))
        abort();
    gp_error_free(err);
    if (img == NULL)
        return;
    cairo_t *cr = cairo_create(target);
    cairo_scale(cr, 2, 2);
    gp_render_image_draw(cr, img, &mark->box);
    /* A second paint from the cache, as a second page would. */
    const gp_render_image *again = NULL;
    if (gp_render_image_get(env, &mark->image, mark->line, &again, NULL) != GP_OK || again != img)
        abort();
    gp_render_image_draw(cr, again, &(gp_box){50, 30, 10, 10});
    cairo_destroy(cr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2 * 1024 * 1024)
        return 0;
    FILE *f = fopen(image_path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();

    /* The template loader: sniffing, page count, refusal messages. */
    gp_template *tpl = NULL;
    gp_error *err = NULL;
    gp_status st = gp_template_parse_memory(ctx, template_xml, template_len, "fuzz.xml", &tpl, &err);
    if ((st == GP_OK) != (tpl != NULL) || (st == GP_OK) != (err == NULL))
        abort();
    gp_error_free(err);
    gp_template_free(tpl);

    /* The image loader, with the format the fuzzer is about whatever the
     * bytes look like, onto a raster and a vector target. */
    const gp_mark mark = {
        .kind = GP_MARK_IMAGE, .box = {5, 5, 40, 20}, .line = 1, .image = {image_path, GP_FUZZ_FORMAT, 1}};
    cairo_surface_t *raster = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 200, 120);
    cairo_surface_t *vector = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
    gp_render_env env;
    gp_render_env_init(&env, NULL, true);
    paint(&env, &mark, raster);
    gp_render_env_free(&env);
    gp_render_env_init(&env, NULL, false);
    paint(&env, &mark, vector);
    gp_render_env_free(&env);
    cairo_surface_destroy(raster);
    cairo_surface_destroy(vector);
    return 0;
}
