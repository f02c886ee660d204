/* Rendering onto pixels at 300 dpi: photo slots land exactly on
 * test_px-sized rectangles at rounded positions with the resampled photo
 * copied unchanged, the photo is not mirrored, the calibration offset moves
 * everything by whole pixels, and QR codes are exact and scannable. */
#include <qrencode.h>
#include <stdint.h>
#include <sys/stat.h>
#include <turbojpeg.h>
#include <unistd.h>

#include "base/fileio-private.h"
#include "driver.h"
#include "gp-test.h"
#include "tempdir.h"
#include "render/render-private.h"

#define DPI 300
#define PAGE_W_MM 127.0
#define PAGE_H_MM 177.8

/* A 480x640 photo, dark red with a green block in its top-left corner
 * (inside what survives the side crop), as a JPEG. */
static gp_photo *make_photo(void)
{
    const int w = 480, h = 640;
    unsigned char *rgb = malloc((size_t)w * h * 3);
    REQUIRE(rgb != NULL, "malloc");
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            unsigned char *p = rgb + ((size_t)y * w + x) * 3;
            bool marker = x >= 40 && x < 150 && y >= 10 && y < 120;
            p[0] = marker ? 20 : 190;
            p[1] = marker ? 180 : 25;
            p[2] = 30;
        }
    }
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long size = 0;
    REQUIRE(tj != NULL && tjCompress2(tj, rgb, w, 0, h, TJPF_RGB, &jpeg, &size, TJSAMP_444, 92, 0) == 0,
            "compress");
    gp_photo *photo = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_photo_from_memory("synthetic.jpg", jpeg, size, &photo, &err) == GP_OK, "photo: %s",
            gp_error_message(err));
    tjFree(jpeg);
    tjDestroy(tj);
    free(rgb);
    return photo;
}

typedef struct page {
    cairo_surface_t *surface;
    uint32_t *px;
    int w, h, stride; /* stride in pixels */
} page;

/* What a raster driver hands out: white pixels, user space in mm. */
static cairo_t *page_begin(page *pg)
{
    pg->w = test_px(PAGE_W_MM, DPI);
    pg->h = test_px(PAGE_H_MM, DPI);
    pg->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pg->w, pg->h);
    cairo_t *cr = cairo_create(pg->surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, DPI / 25.4, DPI / 25.4);
    return cr;
}

static void page_end(page *pg, cairo_t *cr)
{
    cairo_destroy(cr);
    cairo_surface_flush(pg->surface);
    pg->px = (uint32_t *)cairo_image_surface_get_data(pg->surface);
    pg->stride = cairo_image_surface_get_stride(pg->surface) / 4;
}

static uint32_t pixel(const page *pg, int x, int y)
{
    return pg->px[(size_t)y * pg->stride + x] & 0xffffff;
}

static bool is_white(uint32_t p) { return p == 0xffffff; }
static bool is_reddish(uint32_t p) { return ((p >> 16) & 0xff) > 150 && ((p >> 8) & 0xff) < 70; }
static bool is_greenish(uint32_t p) { return ((p >> 8) & 0xff) > 140 && ((p >> 16) & 0xff) < 70; }

/* Two photo slots at fractional positions, a line, a QR code. */
static gp_mark marks[] = {
    {.kind = GP_MARK_PHOTO, .box = {10.3, 12.7, 35, 49}},
    {.kind = GP_MARK_PHOTO, .box = {60.15, 20.42, 25, 35}},
    {.kind = GP_MARK_LINE, .box = {5.5, 80.2, 100, 0}, .line_width_mm = 0.3, .color = {0, 0, 0}},
    {.kind = GP_MARK_QR, .box = {70.4, 100.3, 25, 25}, .line = 7, .qr_level = 'M', .text = "GradPrint-Test-2024-abcXYZ"},
};

static gp_layout make_layout(void)
{
    gp_layout layout = {.page_w_mm = PAGE_W_MM, .page_h_mm = PAGE_H_MM, .marks = marks,
                        .count = sizeof marks / sizeof marks[0], .cap = sizeof marks / sizeof marks[0]};
    return layout;
}

static void render(page *pg, gp_render_env *env, double offset_mm)
{
    gp_layout layout = make_layout();
    cairo_t *cr = page_begin(pg);
    env->offset_x_mm = env->offset_y_mm = offset_mm;
    gp_error *err = NULL;
    CHECK(gp_render_layout(cr, &layout, env, &err) == GP_OK, "render: %s", gp_error_message(err));
    gp_error_free(err);
    page_end(pg, cr);
}

static void check_slot(const page *pg, const gp_box *box, cairo_surface_t *decoded)
{
    int x = test_px(box->x, DPI), y = test_px(box->y, DPI);
    int w = test_px(box->w, DPI), h = test_px(box->h, DPI);
    /* The slot holds the resampled photo unchanged: no second resampling,
     * no smoothed edge. */
    cairo_surface_t *expected = gp_photo_scale_to_slot(decoded, w, h);
    REQUIRE(expected != NULL && cairo_image_surface_get_width(expected) == w &&
                cairo_image_surface_get_height(expected) == h,
            "scale_to_slot gives %dx%d", w, h);
    cairo_surface_flush(expected);
    const uint32_t *ex = (const uint32_t *)cairo_image_surface_get_data(expected);
    int ex_stride = cairo_image_surface_get_stride(expected) / 4;
    long differ = 0;
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++)
            if (pixel(pg, x + i, y + j) != (ex[(size_t)j * ex_stride + i] & 0xffffff))
                differ++;
    CHECK(differ == 0, "%ldx%ld slot at (%d,%d): %ld pixels differ from the resampled photo", (long)w, (long)h, x, y,
          differ);
    cairo_surface_destroy(expected);

    /* Exactly w x h: every pixel of the first and last row and column is
     * photo, every pixel just outside is page. */
    int edge_bad = 0, outside_bad = 0;
    for (int i = 0; i < w; i++) {
        edge_bad += is_white(pixel(pg, x + i, y)) + is_white(pixel(pg, x + i, y + h - 1));
        outside_bad += !is_white(pixel(pg, x + i, y - 1)) + !is_white(pixel(pg, x + i, y + h));
    }
    for (int j = 0; j < h; j++) {
        edge_bad += is_white(pixel(pg, x, y + j)) + is_white(pixel(pg, x + w - 1, y + j));
        outside_bad += !is_white(pixel(pg, x - 1, y + j)) + !is_white(pixel(pg, x + w, y + j));
    }
    CHECK(edge_bad == 0, "slot %dx%d at (%d,%d): %d edge pixels are blank", w, h, x, y, edge_bad);
    CHECK(outside_bad == 0, "slot %dx%d at (%d,%d): %d pixels outside are painted", w, h, x, y, outside_bad);

    /* Not mirrored: the green block stays top-left. */
    CHECK(is_greenish(pixel(pg, x + w * 15 / 100, y + h * 8 / 100)), "marker top-left: %06x",
          pixel(pg, x + w * 15 / 100, y + h * 8 / 100));
    CHECK(is_reddish(pixel(pg, x + w * 85 / 100, y + h * 8 / 100)), "top-right is plain photo: %06x",
          pixel(pg, x + w * 85 / 100, y + h * 8 / 100));
    CHECK(is_reddish(pixel(pg, x + w * 15 / 100, y + h * 90 / 100)), "bottom-left is plain photo");
}

static void test_slots_and_offset(void)
{
    gp_photo *photo = make_photo();
    gp_error *err = NULL;
    cairo_surface_t *decoded = NULL;
    REQUIRE(gp_photo_decode(photo, 1, &decoded, &err) == GP_OK, "decode: %s", gp_error_message(err));

    gp_render_env env;
    gp_render_env_init(&env, NULL, true);
    gp_render_env_set_photo(&env, photo, NULL); /* the env decodes it itself */
    page a, b;
    render(&a, &env, 0.0);
    CHECK(test_px(35, DPI) == 413 && test_px(49, DPI) == 579, "two-inch is 413x579");
    CHECK(test_px(25, DPI) == 295 && test_px(35, DPI) == 413, "one-inch is 295x413");
    check_slot(&a, &marks[0].box, decoded);
    check_slot(&a, &marks[1].box, decoded);
    int cached = 0;
    for (int i = 0; i < GP_RENDER_SLOT_CACHE; i++)
        cached += env.slots[i].surface != NULL;
    CHECK(cached == 2, "one cached surface per slot size, got %d", cached);

    /* The line: 0.3 mm at 300 dpi is 3.5 px; its middle row is black. */
    int line_y = test_px(80.2, DPI);
    CHECK(pixel(&a, test_px(50, DPI), line_y) == 0, "line drawn: %06x", pixel(&a, test_px(50, DPI), line_y));
    CHECK(is_white(pixel(&a, test_px(50, DPI), line_y - 4)), "line is thin");
    /* Butt caps: nothing before the start point. */
    CHECK(is_white(pixel(&a, test_px(5.5, DPI) - 2, line_y)), "butt cap");

    /* Calibration: 1.27 mm is 15 px at 300 dpi; the whole page moves by
     * exactly that. Pixels shifted in from outside the page are white. */
    render(&b, &env, 1.27);
    long differ = 0, blank_bad = 0;
    for (int y = 0; y < b.h; y++) {
        for (int x = 0; x < b.w; x++) {
            if (x < 15 || y < 15)
                blank_bad += !is_white(pixel(&b, x, y));
            else if (pixel(&b, x, y) != pixel(&a, x - 15, y - 15))
                differ++;
        }
    }
    CHECK(differ == 0, "offset page differs from the shifted page in %ld pixels", differ);
    CHECK(blank_bad == 0, "%ld pixels painted in the margin the offset opened", blank_bad);

    /* A photo-less render (template preview) leaves the slots empty. */
    gp_render_env_set_photo(&env, NULL, NULL);
    page c;
    render(&c, &env, 0.0);
    int x = test_px(marks[0].box.x, DPI) + 100, y = test_px(marks[0].box.y, DPI) + 100;
    CHECK(is_white(pixel(&c, x, y)), "no photo: slot left blank");

    /* Pixels handed in are used as they are (and referenced, not taken). */
    gp_render_env_set_photo(&env, photo, decoded);
    page d;
    render(&d, &env, 0.0);
    check_slot(&d, &marks[0].box, decoded);
    CHECK(cairo_surface_get_reference_count(decoded) == 2, "env holds one reference");
    gp_render_env_reset(&env);
    CHECK(cairo_surface_get_reference_count(decoded) == 1, "reset drops it");
    CHECK(env.photo == NULL && env.slots[0].surface == NULL, "reset empties the env");

    cairo_surface_destroy(a.surface);
    cairo_surface_destroy(b.surface);
    cairo_surface_destroy(c.surface);
    cairo_surface_destroy(d.surface);
    cairo_surface_destroy(decoded);
    gp_photo_free(photo);
}

/* More slot sizes than the cache holds: the oldest entry goes, every slot
 * is still drawn at its own size. */
static void test_slot_cache_eviction(void)
{
    gp_photo *photo = make_photo();
    gp_render_env env;
    gp_render_env_init(&env, NULL, true);
    gp_render_env_set_photo(&env, photo, NULL);
    gp_mark many[GP_RENDER_SLOT_CACHE + 2];
    for (int i = 0; i < GP_RENDER_SLOT_CACHE + 2; i++)
        many[i] = (gp_mark){.kind = GP_MARK_PHOTO, .box = {5 + 20 * (i % 5), 5 + 40 * (i / 5), 10 + i, 14 + i}};
    gp_layout layout = {.page_w_mm = PAGE_W_MM, .page_h_mm = PAGE_H_MM, .marks = many,
                        .count = GP_RENDER_SLOT_CACHE + 2, .cap = GP_RENDER_SLOT_CACHE + 2};
    page pg;
    cairo_t *cr = page_begin(&pg);
    gp_error *err = NULL;
    CHECK(gp_render_layout(cr, &layout, &env, &err) == GP_OK, "render: %s", gp_error_message(err));
    page_end(&pg, cr);
    for (int i = 0; i < GP_RENDER_SLOT_CACHE + 2; i++) {
        const gp_box *bx = &many[i].box;
        int x = test_px(bx->x, DPI), y = test_px(bx->y, DPI);
        int w = test_px(bx->w, DPI), h = test_px(bx->h, DPI);
        CHECK(!is_white(pixel(&pg, x + w - 1, y + h - 1)) && is_white(pixel(&pg, x + w, y + h - 1)) &&
                  is_white(pixel(&pg, x + w - 1, y + h)),
              "slot %d is %dx%d", i, w, h);
    }
    CHECK(env.slots[GP_RENDER_SLOT_CACHE - 1].w_px == test_px(many[GP_RENDER_SLOT_CACHE + 1].box.w, DPI),
          "newest size cached last");
    gp_render_env_reset(&env);
    cairo_surface_destroy(pg.surface);
    gp_photo_free(photo);
}

/* With 4-pixel modules on whole pixels, every module centre must match the
 * symbol libqrencode makes, the quiet zone must be white, and no pixel grey. */
static void test_qr_modules(const char *dir)
{
    const char *data = "GradPrint-Test-2024-abcXYZ";
    QRcode *ref = QRcode_encodeString(data, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    REQUIRE(ref != NULL, "reference QR");
    int n = ref->width, module_px = 4, origin_px = 20;
    double px_mm = 25.4 / DPI;
    int size_px = (n + 8) * module_px;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, size_px + 2 * origin_px, size_px + 2 * origin_px);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.5, 0.5, 0.5); /* the QR code paints its own white */
    cairo_paint(cr);
    cairo_scale(cr, 1 / px_mm, 1 / px_mm);
    gp_error *err = NULL;
    CHECK(gp_render_qr(cr, data, 'M', origin_px * px_mm, origin_px * px_mm, size_px * px_mm, &err) == GP_OK,
          "qr: %s", gp_error_message(err));
    cairo_destroy(cr);
    cairo_surface_flush(s);
    const uint32_t *px = (const uint32_t *)cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s) / 4;
    int wrong = 0, grey = 0, quiet_bad = 0;
    for (int my = -4; my < n + 4; my++) {
        for (int mx = -4; mx < n + 4; mx++) {
            int cx = origin_px + (mx + 4) * module_px + module_px / 2;
            int cy = origin_px + (my + 4) * module_px + module_px / 2;
            uint32_t p = px[(size_t)cy * stride + cx] & 0xffffff;
            bool inside = mx >= 0 && my >= 0 && mx < n && my < n;
            if (!inside)
                quiet_bad += p != 0xffffff;
            else if ((p == 0) != ((ref->data[my * n + mx] & 1) != 0))
                wrong++;
        }
    }
    for (int y = origin_px; y < origin_px + size_px; y++)
        for (int x = origin_px; x < origin_px + size_px; x++) {
            uint32_t p = px[(size_t)y * stride + x] & 0xffffff;
            grey += p != 0 && p != 0xffffff;
        }
    CHECK(wrong == 0, "%d modules differ from libqrencode's symbol", wrong);
    CHECK(quiet_bad == 0, "%d quiet-zone modules not white", quiet_bad);
    CHECK(grey == 0, "%d grey pixels: raster QR codes must not be antialiased", grey);
    QRcode_free(ref);

    /* A scanner reads it back, case and all. Without the scanner this is a
     * failure, never a skip: .ci/install-deps.sh installs zbar-tools. */
    CHECK(access("/usr/bin/zbarimg", X_OK) == 0, "zbarimg is not installed: apt-get install zbar-tools");
    if (access("/usr/bin/zbarimg", X_OK) == 0) {
        char *png = gp_path_join(dir, "qr.png");
        CHECK(cairo_surface_write_to_png(s, png) == CAIRO_STATUS_SUCCESS, "png");
        char cmd[512];
        snprintf(cmd, sizeof cmd, "/usr/bin/zbarimg --raw -q '%s' 2>/dev/null", png);
        FILE *p = popen(cmd, "r");
        char out[256] = "";
        if (p != NULL) {
            if (fgets(out, sizeof out, p) == NULL)
                out[0] = '\0';
            pclose(p);
        }
        out[strcspn(out, "\n")] = '\0';
        CHECK_STR(out, data);
        unlink(png);
        free(png);
    }
    cairo_surface_destroy(s);
}

static void test_qr_errors(void)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
    cairo_t *cr = cairo_create(s);
    gp_error *err = NULL;
    char *big = malloc(4001);
    memset(big, 'x', 4000);
    big[4000] = '\0';
    CHECK(gp_render_qr(cr, big, 'H', 0, 0, 20, &err) == GP_E_INVALID, "too long");
    CHECK(strstr(gp_error_message(err), "too long") != NULL && strstr(gp_error_message(err), "4000") != NULL,
          "message says what and how much: %s", gp_error_message(err));
    gp_error_free(err);
    err = NULL;
    CHECK(gp_render_qr(cr, "abc", 'X', 0, 0, 20, &err) == GP_E_INVALID, "unknown level");
    CHECK(strstr(gp_error_message(err), "L, M, Q or H") != NULL, "%s", gp_error_message(err));
    gp_error_free(err);
    err = NULL;
    CHECK(gp_render_qr(cr, "", 'M', 0, 0, 20, &err) == GP_E_INVALID, "empty data");
    gp_error_free(err);
    err = NULL;
    CHECK(gp_render_qr(cr, "abc", 'M', 0, 0, 0, &err) == GP_E_INVALID, "zero size");
    gp_error_free(err);

    /* Through a layout, the error names the template line. */
    gp_mark m = {.kind = GP_MARK_QR, .box = {0, 0, 20, 20}, .line = 7, .qr_level = 'H', .text = big};
    gp_layout layout = {.page_w_mm = 50, .page_h_mm = 50, .marks = &m, .count = 1, .cap = 1};
    gp_render_env env;
    gp_render_env_init(&env, NULL, true);
    err = NULL;
    CHECK(gp_render_layout(cr, &layout, &env, &err) == GP_E_INVALID, "layout QR error");
    CHECK(strstr(gp_error_message(err), "line 7") != NULL, "names the line: %s", gp_error_message(err));
    gp_error_free(err);
    free(big);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

int main(void)
{
    char *dir = fixture_tempdir();
    test_slots_and_offset();
    test_slot_cache_eviction();
    test_qr_modules(dir);
    test_qr_errors();
    rmdir(dir);
    free(dir);
    return gp_test_done();
}
