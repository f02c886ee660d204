/* Template images and backgrounds, read back from the PDF with poppler and
 * from pixels: PNG, JPEG and PDF pages scaled to fit their box with the
 * aspect kept and centred; a JPEG embedded once as its own bytes however
 * many pages show it; a PDF page embedded as vectors (its text is text at
 * the box's place); the background only in proofs, under everything and
 * never moved by the calibration, which moves and scales everything else;
 * each file loaded once per env; vanished and damaged files named in the
 * error with their template line. */
#include <stdint.h>
#include <sys/stat.h>
#include <turbojpeg.h>
#include <unistd.h>

#include <cairo-pdf.h>

#include "base/fileio-private.h"
#include "driver.h"
#include "gp-test-pdf.h"
#include "gp-test.h"
#include "tempdir.h"
#include "render/render-private.h"

#define PT_PER_MM (72.0 / 25.4)

static char *dir;
static gp_context *ctx;
static gp_text_engine *te;

static char *in_dir(const char *name)
{
    char *p = gp_path_join(dir, name);
    REQUIRE(p != NULL, "path");
    return p;
}

/* A w x h PNG of one colour. */
static char *write_png(const char *name, int w, int h, double r, double g, double b)
{
    char *path = in_dir(name);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, r, g, b);
    cairo_paint(cr);
    cairo_destroy(cr);
    REQUIRE(cairo_surface_write_to_png(s, path) == CAIRO_STATUS_SUCCESS, "write %s", path);
    cairo_surface_destroy(s);
    return path;
}

/* A w x h JPEG of one colour; *bytes receives the file's contents. */
static char *write_jpeg(const char *name, int w, int h, unsigned char *rgb3, unsigned char **bytes, size_t *size)
{
    unsigned char *rgb = malloc((size_t)w * h * 3);
    REQUIRE(rgb != NULL, "malloc");
    for (size_t i = 0; i < (size_t)w * h; i++)
        memcpy(rgb + i * 3, rgb3, 3);
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long len = 0;
    REQUIRE(tj != NULL && tjCompress2(tj, rgb, w, 0, h, TJPF_RGB, &jpeg, &len, TJSAMP_444, 90, 0) == 0, "compress");
    char *path = in_dir(name);
    gp_error *err = NULL;
    REQUIRE(gp_write_file_atomic(path, jpeg, len, &err) == GP_OK, "write: %s", gp_error_message(err));
    *bytes = malloc(len);
    REQUIRE(*bytes != NULL, "malloc");
    memcpy(*bytes, jpeg, len);
    *size = len;
    tjFree(jpeg);
    tjDestroy(tj);
    free(rgb);
    return path;
}

static void text_at(cairo_t *cr, const char *text, double x, double y, double w, double h, double pt)
{
    gp_text_style style = gp_text_style_simple("sans", pt, false, GP_ALIGN_LEFT);
    gp_text_draw(te, cr, &style, pt, text, &(gp_box){x, y, w, h});
}

/* A PDF made with cairo: page 1 says "FirstPageOnly"; page 2 (w x h mm) is
 * green with "Signature-Page2" in black at (10, 20) mm and a black 5 mm
 * square at (80, 5) mm. */
static char *write_src_pdf(const char *name, double w, double h)
{
    char *path = in_dir(name);
    cairo_surface_t *s = cairo_pdf_surface_create(path, w * PT_PER_MM, h * PT_PER_MM);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, PT_PER_MM, PT_PER_MM);
    text_at(cr, "FirstPageOnly", 10, 10, 80, 10, 12);
    cairo_show_page(cr);
    cairo_set_source_rgb(cr, 0.1, 0.7, 0.2);
    cairo_paint(cr);
    text_at(cr, "Signature-Page2", 10, 20, 80, 10, 12);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_rectangle(cr, 80, 5, 5, 5);
    cairo_fill(cr);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    REQUIRE(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, "source PDF");
    cairo_surface_destroy(s);
    return path;
}

/* A blank's scan stand-in: one page, "BLANK-FORM" at (30, 40) mm. */
static char *write_blank_pdf(const char *name, double w, double h)
{
    char *path = in_dir(name);
    cairo_surface_t *s = cairo_pdf_surface_create(path, w * PT_PER_MM, h * PT_PER_MM);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, PT_PER_MM, PT_PER_MM);
    text_at(cr, "BLANK-FORM", 30, 40, 80, 10, 12);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    REQUIRE(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, "blank PDF");
    cairo_surface_destroy(s);
    return path;
}

static gp_driver *open_pdf(const char *path)
{
    gp_driver *drv = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_pdf_driver_new(path, &drv, &err) == GP_OK, "pdf driver: %s", gp_error_message(err));
    return drv;
}

static void render_page(gp_driver *drv, double w, double h, gp_mark *marks, size_t n, gp_render_env *env)
{
    gp_page_spec spec = {.width_mm = w, .height_mm = h};
    cairo_t *cr = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_driver_begin_page(drv, &spec, &cr, &err) == GP_OK, "begin: %s", gp_error_message(err));
    gp_layout layout = {.page_w_mm = w, .page_h_mm = h, .marks = marks, .count = n, .cap = n};
    CHECK(gp_render_layout(cr, &layout, env, &err) == GP_OK, "render: %s", gp_error_message(err));
    gp_error_free(err);
    err = NULL;
    CHECK(gp_driver_end_page(drv, &err) == GP_OK, "end: %s", gp_error_message(err));
    gp_error_free(err);
}

static void finish(gp_driver *drv)
{
    gp_error *err = NULL;
    CHECK(gp_driver_finish(drv, &err) == GP_OK, "finish: %s", gp_error_message(err));
    gp_error_free(err);
    gp_driver_free(drv);
}

/* A page of a PDF as 300 dpi pixels on white. */
typedef struct raster {
    cairo_surface_t *s;
    const uint32_t *px;
    int w, h, stride;
    double px_per_mm;
} raster;

static raster rasterize(PopplerDocument *doc, int index)
{
    raster r = {.px_per_mm = 300 / 25.4};
    PopplerPage *page = poppler_document_get_page(doc, index);
    REQUIRE(page != NULL, "page %d", index);
    double w_pt, h_pt;
    poppler_page_get_size(page, &w_pt, &h_pt);
    r.w = (int)ceil(w_pt / 72 * 300);
    r.h = (int)ceil(h_pt / 72 * 300);
    r.s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, r.w, r.h);
    cairo_t *cr = cairo_create(r.s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, 300.0 / 72, 300.0 / 72);
    poppler_page_render(page, cr);
    cairo_destroy(cr);
    g_object_unref(page);
    cairo_surface_flush(r.s);
    r.px = (const uint32_t *)cairo_image_surface_get_data(r.s);
    r.stride = cairo_image_surface_get_stride(r.s) / 4;
    return r;
}

static uint32_t at_mm(const raster *r, double x, double y)
{
    int px = (int)(x * r->px_per_mm), py = (int)(y * r->px_per_mm);
    if (px < 0 || py < 0 || px >= r->w || py >= r->h)
        return 0xffffff;
    return r->px[(size_t)py * r->stride + px] & 0xffffff;
}

static bool near_colour(uint32_t p, int r, int g, int b)
{
    return abs((int)(p >> 16 & 0xff) - r) < 40 && abs((int)(p >> 8 & 0xff) - g) < 40 && abs((int)(p & 0xff) - b) < 40;
}

/* The fitted rectangle (fx, fy, fw, fh) is colour inside, white just
 * outside, checked 0.3 mm in and out of each edge at the middle. */
static void check_fill(const raster *r, const char *what, double fx, double fy, double fw, double fh, int cr_,
                       int cg, int cb)
{
    double mx = fx + fw / 2, my = fy + fh / 2;
    double in[4][2] = {{fx + 0.3, my}, {fx + fw - 0.3, my}, {mx, fy + 0.3}, {mx, fy + fh - 0.3}};
    double out[4][2] = {{fx - 0.3, my}, {fx + fw + 0.3, my}, {mx, fy - 0.3}, {mx, fy + fh + 0.3}};
    for (int k = 0; k < 4; k++) {
        uint32_t pi = at_mm(r, in[k][0], in[k][1]), po = at_mm(r, out[k][0], out[k][1]);
        CHECK(near_colour(pi, cr_, cg, cb), "%s: inside edge %d is %06x", what, k, pi);
        CHECK(po == 0xffffff, "%s: outside edge %d is %06x, not white", what, k, po);
    }
}

static void test_formats(void)
{
    char *png = write_png("wide.png", 200, 100, 0.9, 0.1, 0.1);
    unsigned char blue[3] = {20, 40, 200}, *jpeg_bytes = NULL;
    size_t jpeg_size = 0;
    char *jpeg = write_jpeg("tall.jpg", 120, 240, blue, &jpeg_bytes, &jpeg_size);
    char *pdf = write_src_pdf("signature.pdf", 100, 50);

    const gp_mark_image src_jpeg = {jpeg, GP_IMAGE_JPEG, 0};
    gp_mark marks[] = {
        {.kind = GP_MARK_IMAGE, .box = {10, 10, 40, 40}, .line = 11, .image = {png, GP_IMAGE_PNG, 0}},
        {.kind = GP_MARK_IMAGE, .box = {60, 10, 40, 40}, .line = 12, .image = src_jpeg},
        {.kind = GP_MARK_IMAGE, .box = {110, 10, 60, 60}, .line = 13, .image = {pdf, GP_IMAGE_PDF, 2}},
    };
    char *out = in_dir("images.pdf");
    gp_driver *drv = open_pdf(out);
    gp_render_env env;
    gp_render_env_init(&env, te, false);
    for (int page = 0; page < 3; page++) {
        render_page(drv, 200, 150, marks, sizeof marks / sizeof marks[0], &env);
        /* A job resets the env after every record; the images stay. */
        gp_render_env_reset(&env);
        CHECK(env.nimages == 3, "three files loaded once, %zu cached", env.nimages);
    }
    finish(drv);
    gp_render_env_free(&env);
    CHECK(env.nimages == 0 && env.images == NULL, "free empties the cache");

    CHECK(gp_pdf_file_count(out, jpeg_bytes, jpeg_size) == 1, "the JPEG's bytes occur once, unchanged: %d",
          gp_pdf_file_count(out, jpeg_bytes, jpeg_size));
    CHECK(gp_pdf_image_objects(out) == 2, "PNG and JPEG, one object each: %d", gp_pdf_image_objects(out));
    CHECK(gp_pdf_file_count(out, "/Subtype /Form", 14) == 1, "the PDF page is one form on all pages: %d",
          gp_pdf_file_count(out, "/Subtype /Form", 14));

    PopplerDocument *src = gp_pdf_open(pdf);
    REQUIRE(src != NULL, "source PDF readable");
    gp_pdf_rect src_text = {0};
    REQUIRE(gp_pdf_find_text(src, 1, "Signature-Page2", &src_text), "text in the source");
    gp_pdf_close(src);

    PopplerDocument *doc = gp_pdf_open(out);
    REQUIRE(doc != NULL && gp_pdf_page_count(doc) == 3, "3 pages");
    /* 100 x 50 mm into 60 x 60: scale 0.6, 60 x 30, centred at y 25. */
    for (int page = 0; page < 3; page++) {
        gp_pdf_rect r = {0};
        CHECK(gp_pdf_find_text(doc, page, "Signature-Page2", &r), "page %d: the PDF page's text is text", page);
        CHECK_NEAR(r.x, 110 + src_text.x * 0.6, 0.1);
        CHECK_NEAR(r.w, src_text.w * 0.6, 0.1);
        /* cairo embeds poppler's glyphs as a font of its own, whose
         * ascent differs: only the middle of the line is comparable. The
         * black square below pins the vertical placement exactly. */
        CHECK_NEAR(r.y + r.h / 2, 25 + (src_text.y + src_text.h / 2) * 0.6, 1.0);
        CHECK(!gp_pdf_find_text(doc, page, "FirstPageOnly", &r), "page %d: only the page asked for", page);
        gp_pdf_rect areas[4];
        int n = gp_pdf_images(doc, page, areas, 4);
        CHECK(n == 2, "page %d: two image placements, got %d", page, n);
        for (int i = 0; i < n && i < 4; i++) {
            bool is_png = areas[i].x < 55;
            double ex = is_png ? 10 : 70, ey = is_png ? 20 : 10, ew = is_png ? 40 : 20, eh = is_png ? 20 : 40;
            /* poppler rounds the edges out to whole points. */
            CHECK(fabs(areas[i].x - ex) <= GP_PDF_MM_PER_PT && fabs(areas[i].y - ey) <= GP_PDF_MM_PER_PT &&
                      fabs(areas[i].w - ew) <= 2 * GP_PDF_MM_PER_PT && fabs(areas[i].h - eh) <= 2 * GP_PDF_MM_PER_PT,
                  "page %d image %d at %.2f,%.2f %.2fx%.2f, expected %.0f,%.0f %.0fx%.0f", page, i, areas[i].x,
                  areas[i].y, areas[i].w, areas[i].h, ex, ey, ew, eh);
        }
    }
    /* Pixels: each image fills the middle of its box, aspect kept. */
    raster r = rasterize(doc, 2);
    check_fill(&r, "PNG 2:1 in a square", 10, 20, 40, 20, 230, 26, 26);
    check_fill(&r, "JPEG 1:2 in a square", 70, 10, 20, 40, 20, 40, 200);
    check_fill(&r, "PDF page 2:1 in a square", 110, 25, 60, 30, 26, 179, 51);
    /* The 5 mm square at (80, 5) of the page: 3 mm at (158, 28). */
    CHECK(near_colour(at_mm(&r, 159.5, 29.5), 0, 0, 0), "square in the middle: %06x", at_mm(&r, 159.5, 29.5));
    double around[4][2] = {{157.7, 29.5}, {161.3, 29.5}, {159.5, 27.7}, {159.5, 31.3}};
    for (int k = 0; k < 4; k++)
        CHECK(near_colour(at_mm(&r, around[k][0], around[k][1]), 26, 179, 51), "square ends at side %d: %06x", k,
              at_mm(&r, around[k][0], around[k][1]));
    cairo_surface_destroy(r.s);
    gp_pdf_close(doc);

    /* On pixels the JPEG is decoded at full size: a raster target has no
     * JPEG to pass through. */
    gp_render_env_init(&env, te, true);
    const gp_render_image *img = NULL;
    gp_error *err = NULL;
    CHECK(gp_render_image_get(&env, &src_jpeg, 12, &img, &err) == GP_OK, "raster load: %s", gp_error_message(err));
    CHECK(img != NULL && img->surface_w == 120 && img->surface_h == 240, "full-size pixels");
    gp_render_env_free(&env);
    gp_render_env_init(&env, te, false);
    CHECK(gp_render_image_get(&env, &src_jpeg, 12, &img, &err) == GP_OK, "vector load");
    CHECK(img != NULL && img->surface_w == 15 && img->surface_h == 30 && fabs(img->aspect - 0.5) < 1e-9,
          "1/8 stand-in behind the JPEG bytes, aspect of the JPEG");
    gp_render_env_free(&env);

    unlink(out);
    unlink(png);
    unlink(jpeg);
    unlink(pdf);
    free(out);
    free(png);
    free(jpeg);
    free(pdf);
    free(jpeg_bytes);
}

static void test_background_and_calibration(void)
{
    char *blank = write_blank_pdf("blank.pdf", 200, 150);
    char *png = write_png("red.png", 50, 50, 0.9, 0.1, 0.1);
    gp_mark marks[] = {
        {.kind = GP_MARK_TEXT, .box = {50, 80, 100, 10}, .text = "MOVED-TEXT", .size_pt = 12},
        {.kind = GP_MARK_BACKGROUND, .box = {0, 0, 200, 150}, .line = 4, .image = {blank, GP_IMAGE_PDF, 1}},
        {.kind = GP_MARK_IMAGE, .box = {100, 100, 20, 20}, .line = 9, .image = {png, GP_IMAGE_PNG, 0}},
        {.kind = GP_MARK_TEXT, .box = {130, 20, 60, 10}, .text = "SECOND-MARK", .size_pt = 12},
    };
    char *out = in_dir("proof.pdf");
    gp_driver *drv = open_pdf(out);
    gp_render_env env;
    gp_render_env_init(&env, te, false);
    CHECK(!env.proof && env.scale_x == 1 && env.scale_y == 1 && env.offset_x_mm == 0, "defaults");
    render_page(drv, 200, 150, marks, sizeof marks / sizeof marks[0], &env); /* 0: print run, no background */
    env.proof = true;
    render_page(drv, 200, 150, marks, sizeof marks / sizeof marks[0], &env); /* 1: proof */
    env.offset_x_mm = 3;
    env.offset_y_mm = -2;
    render_page(drv, 200, 150, marks, sizeof marks / sizeof marks[0], &env); /* 2: proof, moved */
    env.offset_x_mm = 1.5;
    env.offset_y_mm = -0.7;
    env.scale_x = 1.02;
    env.scale_y = 0.98;
    render_page(drv, 200, 150, marks, sizeof marks / sizeof marks[0], &env); /* 3: proof, moved and scaled */
    env.scale_x = 0;
    gp_error *err = NULL;
    cairo_surface_t *scratch = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4, 4);
    cairo_t *cr = cairo_create(scratch);
    gp_layout layout = {.page_w_mm = 200, .page_h_mm = 150, .marks = marks, .count = 4, .cap = 4};
    CHECK(gp_render_layout(cr, &layout, &env, &err) == GP_E_USAGE, "a zero scale is refused");
    gp_error_free(err);
    cairo_destroy(cr);
    cairo_surface_destroy(scratch);
    finish(drv);
    gp_render_env_free(&env);

    PopplerDocument *doc = gp_pdf_open(out);
    REQUIRE(doc != NULL && gp_pdf_page_count(doc) == 4, "4 pages");
    gp_pdf_rect blank_at[4] = {{0}}, text_at_[4] = {{0}}, second[4] = {{0}}, img[4][2] = {{{0}}};
    bool has_blank[4];
    for (int p = 0; p < 4; p++) {
        has_blank[p] = gp_pdf_find_text(doc, p, "BLANK-FORM", &blank_at[p]);
        CHECK(gp_pdf_find_text(doc, p, "MOVED-TEXT", &text_at_[p]), "page %d: the text", p);
        CHECK(gp_pdf_find_text(doc, p, "SECOND-MARK", &second[p]), "page %d: the second text", p);
        CHECK(gp_pdf_images(doc, p, img[p], 2) == 1, "page %d: one image", p);
    }
    CHECK(!has_blank[0], "no background without proof");
    CHECK(has_blank[1] && has_blank[2] && has_blank[3], "background in every proof");
    if (has_blank[1] && has_blank[2] && has_blank[3]) {
        CHECK_NEAR(blank_at[1].x, 30, 0.5);
        for (int p = 2; p < 4; p++) {
            CHECK_NEAR(blank_at[p].x, blank_at[1].x, 0.01);
            CHECK_NEAR(blank_at[p].y, blank_at[1].y, 0.01);
        }
    }
    /* The proof draws the same marks where the print run does. */
    CHECK_NEAR(text_at_[1].x, text_at_[0].x, 0.01);
    CHECK_NEAR(text_at_[1].y, text_at_[0].y, 0.01);
    CHECK_NEAR(text_at_[2].x - text_at_[1].x, 3, 0.05);
    CHECK_NEAR(text_at_[2].y - text_at_[1].y, -2, 0.05);
    CHECK_NEAR(img[2][0].x - img[1][0].x, 3, GP_PDF_MM_PER_PT);
    CHECK_NEAR(img[2][0].y - img[1][0].y, -2, GP_PDF_MM_PER_PT);
    CHECK_NEAR(second[2].x - second[1].x, 3, 0.05);
    CHECK_NEAR(second[2].y - second[1].y, -2, 0.05);
    /* Scaled about the top-left corner, then moved: two marks far apart
     * pin both the scale and the offset. (poppler's text widths and image
     * areas are unreliable under unequal x and y scales; the pixels below
     * check the image.) */
    const gp_pdf_rect *t1[2] = {&text_at_[1], &second[1]}, *t3[2] = {&text_at_[3], &second[3]};
    for (int k = 0; k < 2; k++) {
        CHECK_NEAR(t3[k]->x, 1.5 + 1.02 * t1[k]->x, 0.05);
        CHECK_NEAR(t3[k]->y, -0.7 + 0.98 * t1[k]->y, 0.05);
    }
    raster r = rasterize(doc, 3);
    int x0 = r.w, x1 = -1, y0 = r.h, y1 = -1;
    for (int y = 0; y < r.h; y++) {
        for (int x = 0; x < r.w; x++) {
            if (!near_colour(r.px[(size_t)y * r.stride + x], 230, 26, 26))
                continue;
            x0 = x < x0 ? x : x0;
            x1 = x > x1 ? x : x1;
            y0 = y < y0 ? y : y0;
            y1 = y > y1 ? y : y1;
        }
    }
    /* Within a pixel or two: the edges of a smoothly scaled image blend. */
    CHECK_NEAR(x0 / r.px_per_mm, 1.5 + 1.02 * 100, 0.2);
    CHECK_NEAR(y0 / r.px_per_mm, -0.7 + 0.98 * 100, 0.2);
    CHECK_NEAR((x1 + 1) / r.px_per_mm, 1.5 + 1.02 * 120, 0.2);
    CHECK_NEAR((y1 + 1) / r.px_per_mm, -0.7 + 0.98 * 120, 0.2);
    cairo_surface_destroy(r.s);
    gp_pdf_close(doc);
    unlink(out);
    unlink(blank);
    unlink(png);
    free(out);
    free(blank);
    free(png);
}

/* On pixels, a background listed after an image still goes under it, and
 * stays put when the calibration moves the image. */
static void test_background_order(void)
{
    char *grey = write_png("grey.png", 100, 100, 0.5, 0.5, 0.5);
    char *png = write_png("red2.png", 50, 50, 0.9, 0.1, 0.1);
    gp_mark marks[] = {
        {.kind = GP_MARK_IMAGE, .box = {40, 40, 20, 20}, .line = 9, .image = {png, GP_IMAGE_PNG, 0}},
        {.kind = GP_MARK_BACKGROUND, .box = {0, 0, 100, 100}, .line = 4, .image = {grey, GP_IMAGE_PNG, 0}},
    };
    gp_layout layout = {.page_w_mm = 100, .page_h_mm = 100, .marks = marks, .count = 2, .cap = 2};
    gp_render_env env;
    gp_render_env_init(&env, te, true);
    for (int round = 0; round < 3; round++) {
        env.proof = round > 0;
        env.offset_x_mm = env.offset_y_mm = round == 2 ? 5 : 0;
        raster r = {.px_per_mm = 300 / 25.4};
        r.w = r.h = test_px(100, 300);
        r.s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, r.w, r.h);
        cairo_t *cr = cairo_create(r.s);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_scale(cr, r.px_per_mm, r.px_per_mm);
        gp_error *err = NULL;
        CHECK(gp_render_layout(cr, &layout, &env, &err) == GP_OK, "render: %s", gp_error_message(err));
        gp_error_free(err);
        cairo_destroy(cr);
        cairo_surface_flush(r.s);
        r.px = (const uint32_t *)cairo_image_surface_get_data(r.s);
        r.stride = cairo_image_surface_get_stride(r.s) / 4;
        double shift = round == 2 ? 5 : 0;
        CHECK(near_colour(at_mm(&r, 50 + shift, 50 + shift), 230, 26, 26), "round %d: the image on top", round);
        uint32_t corner = at_mm(&r, 10, 10);
        if (round == 0)
            CHECK(corner == 0xffffff, "no background outside proofs: %06x", corner);
        else
            CHECK(near_colour(corner, 128, 128, 128), "round %d: background under everything: %06x", round, corner);
        if (round == 2) {
            /* Where the image was before the offset, the unmoved blank shows. */
            CHECK(near_colour(at_mm(&r, 42, 42), 128, 128, 128), "the background did not move");
            CHECK(near_colour(at_mm(&r, 99.5, 99.5), 128, 128, 128), "the background still reaches the corner");
        }
        cairo_surface_destroy(r.s);
    }
    gp_render_env_free(&env);
    unlink(grey);
    unlink(png);
    free(grey);
    free(png);
}

static gp_status load_once(gp_element *el, gp_error **err)
{
    gp_render_env env;
    gp_render_env_init(&env, te, false);
    const gp_render_image *img = NULL;
    const gp_mark_image src = {el->src, el->src_format, el->src_page};
    gp_status st = gp_render_image_get(&env, &src, el->line, &img, err);
    gp_render_env_free(&env);
    return st;
}

static void expect_failure(gp_element *el, gp_status want, const char *what, const char *needle)
{
    gp_error *err = NULL;
    gp_status st = load_once(el, &err);
    CHECK(st == want, "%s: status %d, expected %d (%s)", what, (int)st, (int)want, gp_error_message(err));
    char line[32];
    snprintf(line, sizeof line, "line %ld", el->line);
    const char *msg = gp_error_message(err);
    CHECK(strstr(msg, el->src) != NULL && strstr(msg, line) != NULL, "%s: names file and line: %s", what, msg);
    CHECK(needle == NULL || strstr(msg, needle) != NULL, "%s: says '%s': %s", what, needle, msg);
    CHECK(gp_error_file(err) != NULL && strcmp(gp_error_file(err), el->src) == 0, "%s: error file", what);
    gp_error_free(err);
}

static void write_bytes(const char *path, const void *data, size_t size)
{
    gp_error *err = NULL;
    REQUIRE(gp_write_file_atomic(path, data, size, &err) == GP_OK, "write %s", path);
}

static void test_failures(void)
{
    char *missing = in_dir("missing.png");
    gp_element el = {.kind = GP_EL_IMAGE, .line = 12, .src = missing, .src_format = GP_IMAGE_PNG};
    expect_failure(&el, GP_E_IO, "missing PNG", "put the file back");
    el.src_format = GP_IMAGE_JPEG;
    expect_failure(&el, GP_E_IO, "missing JPEG", NULL);
    el.src_format = GP_IMAGE_PDF;
    el.src_page = 1;
    expect_failure(&el, GP_E_IO, "missing PDF", NULL);

    /* A PNG cut short after its header. */
    char *good = write_png("cut.png", 64, 64, 0.2, 0.3, 0.4);
    size_t size = 0;
    unsigned char *bytes = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_read_file(good, 1 << 20, &bytes, &size, &err) == GP_OK && size > 60, "read PNG");
    write_bytes(good, bytes, 50);
    gp_element cut = {.kind = GP_EL_IMAGE, .line = 20, .src = good, .src_format = GP_IMAGE_PNG};
    expect_failure(&cut, GP_E_INVALID, "truncated PNG", "damaged");
    /* A header claiming a gigapixel. */
    bytes[16] = 0x00, bytes[17] = 0x01, bytes[18] = 0x00, bytes[19] = 0x00;
    bytes[20] = 0x00, bytes[21] = 0x01, bytes[22] = 0x00, bytes[23] = 0x00;
    write_bytes(good, bytes, size);
    expect_failure(&cut, GP_E_INVALID, "huge PNG", "65536 x 65536");
    free(bytes);
    /* Text called PNG, JPEG, PDF. */
    write_bytes(good, "hello, not an image\n", 20);
    expect_failure(&cut, GP_E_INVALID, "text as PNG", "not a PNG");
    cut.src_format = GP_IMAGE_JPEG;
    expect_failure(&cut, GP_E_INVALID, "text as JPEG", NULL);
    cut.src_format = GP_IMAGE_PDF;
    cut.src_page = 1;
    expect_failure(&cut, GP_E_INVALID, "text as PDF", NULL);

    /* A JPEG cut in the middle of its scan. */
    unsigned char grey[3] = {128, 100, 90}, *jbytes = NULL;
    size_t jsize = 0;
    char *jpeg = write_jpeg("cut.jpg", 400, 300, grey, &jbytes, &jsize);
    write_bytes(jpeg, jbytes, jsize * 2 / 3);
    gp_element cutj = {.kind = GP_EL_IMAGE, .line = 30, .src = jpeg, .src_format = GP_IMAGE_JPEG};
    expect_failure(&cutj, GP_E_INVALID, "truncated JPEG", NULL);
    free(jbytes);

    /* A page the PDF does not have. */
    char *pdf = write_src_pdf("two-pages.pdf", 100, 50);
    gp_element page5 = {.kind = GP_EL_IMAGE, .line = 40, .src = pdf, .src_format = GP_IMAGE_PDF, .src_page = 5};
    expect_failure(&page5, GP_E_INVALID, "page 5 of 2", "which has 2");

    /* Loaded once: a file that vanishes after the first page does not
     * matter until the env ends; a new env finds it gone. */
    char *png = write_png("vanishing.png", 30, 20, 0, 0, 0);
    gp_mark m = {.kind = GP_MARK_IMAGE, .box = {10, 10, 30, 20}, .line = 50, .image = {png, GP_IMAGE_PNG, 0}};
    gp_layout layout = {.page_w_mm = 50, .page_h_mm = 50, .marks = &m, .count = 1, .cap = 1};
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 100, 100);
    cairo_t *cr = cairo_create(s);
    gp_render_env env;
    gp_render_env_init(&env, te, true);
    CHECK(gp_render_layout(cr, &layout, &env, &err) == GP_OK, "first page: %s", gp_error_message(err));
    unlink(png);
    gp_render_env_reset(&env);
    CHECK(gp_render_layout(cr, &layout, &env, &err) == GP_OK, "second page from the cache: %s",
          gp_error_message(err));
    gp_render_env_free(&env);
    gp_render_env_init(&env, te, true);
    CHECK(gp_render_layout(cr, &layout, &env, &err) == GP_E_IO, "a new env finds the file gone");
    CHECK(strstr(gp_error_message(err), "vanishing.png") != NULL && strstr(gp_error_message(err), "line 50"),
          "names it: %s", gp_error_message(err));
    gp_error_free(err);
    gp_render_env_free(&env);
    cairo_destroy(cr);
    cairo_surface_destroy(s);

    unlink(good);
    unlink(jpeg);
    unlink(pdf);
    free(missing);
    free(good);
    free(jpeg);
    free(pdf);
    free(png);
}

int main(void)
{
    dir = fixture_tempdir();
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context: %s", gp_error_message(err));
    REQUIRE(gp_text_engine_new(ctx, &te, &err) == GP_OK, "text engine: %s", gp_error_message(err));
    test_formats();
    test_background_and_calibration();
    test_background_order();
    test_failures();
    gp_text_engine_free(te);
    gp_context_free(ctx);
    CHECK(rmdir(dir) == 0, "tests clean up after themselves");
    return gp_test_done();
}
