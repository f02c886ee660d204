/* Cropping and scaling photos into slots: full height kept, sides cropped
 * equally, never mirrored or rotated, edges covered, no aliasing. */
#include "gp-test.h"
#include "photo/photo-private.h"
#include "test-photo-util.h"

static void test_crop_numbers(void)
{
    gp_crop c = gp_photo_crop(480, 640, 413, 579);
    double want_w = 640.0 * 413 / 579;
    CHECK_NEAR(c.y, 0.0, 1e-9);
    CHECK_NEAR(c.h, 640.0, 1e-9);
    CHECK_NEAR(c.w, want_w, 1e-9);
    CHECK_NEAR(c.x, (480.0 - want_w) / 2, 1e-9);

    /* A photo narrower than the slot keeps its top and loses the bottom. */
    c = gp_photo_crop(400, 640, 5, 7);
    CHECK_NEAR(c.x, 0.0, 1e-9);
    CHECK_NEAR(c.y, 0.0, 1e-9);
    CHECK_NEAR(c.w, 400.0, 1e-9);
    CHECK_NEAR(c.h, 560.0, 1e-9);

    /* Same shape: nothing lost; units do not matter. */
    c = gp_photo_crop(500, 700, 25.0, 35.0);
    CHECK(c.x == 0 && c.y == 0 && c.w == 500 && c.h == 700, "5:7 into 5:7 cropped to %g,%g %gx%g", c.x, c.y, c.w, c.h);

    /* Never different scales for x and y: the crop has the slot's shape. */
    c = gp_photo_crop(480, 640, 35.0, 49.0);
    CHECK_NEAR(c.w / c.h, 35.0 / 49.0, 1e-12);
}

static int column_luma(cairo_surface_t *s, int x, int y0, int y1)
{
    int sum = 0;
    for (int y = y0; y < y1; y++)
        sum += tp_luma(tp_pixel(s, x, y));
    return sum / (y1 - y0);
}

static void check_layout(cairo_surface_t *src, int sw, int sh)
{
    cairo_surface_t *out = gp_photo_scale_to_slot(src, sw, sh);
    REQUIRE(out != NULL, "scaling to %dx%d failed", sw, sh);
    CHECK(cairo_image_surface_get_width(out) == sw && cairo_image_surface_get_height(out) == sh, "%dx%d became %dx%d",
          sw, sh, cairo_image_surface_get_width(out), cairo_image_surface_get_height(out));
    CHECK(cairo_image_surface_get_format(out) == CAIRO_FORMAT_RGB24, "not RGB24");

    int w = cairo_image_surface_get_width(src), h = cairo_image_surface_get_height(src);
    gp_crop c = gp_photo_crop(w, h, sw, sh);
    double scale = sh / c.h;
    /* The red marker (0..w/8, 0..h/16 in the photo) sits in the top-left
     * corner: top rows kept, left stays left. */
    int marker_right = (int)((w / 8 - c.x) * scale), marker_bottom = (int)(h / 16 * scale);
    tp_rgb tl = tp_pixel(out, 1, 0);
    tp_rgb inside = tp_pixel(out, marker_right / 2, marker_bottom / 2);
    tp_rgb below = tp_pixel(out, marker_right / 2, marker_bottom + 3);
    tp_rgb tr = tp_pixel(out, sw - 2, 0);
    CHECK(tl.r > 240 && tl.g < 15 && tl.b < 15, "%dx%d: top-left corner is %d,%d,%d, not the red marker", sw, sh, tl.r,
          tl.g, tl.b);
    CHECK(inside.r > 240 && inside.g < 15, "%dx%d: marker centre is %d,%d,%d", sw, sh, inside.r, inside.g, inside.b);
    CHECK(below.r < 220, "%dx%d: red below the marker (%d,%d,%d): top rows were cut", sw, sh, below.r, below.g,
          below.b);
    /* The blue band stays on the right, over the full height. */
    CHECK(tr.b > 240 && tr.r < 15, "%dx%d: top-right is %d,%d,%d, not the blue band", sw, sh, tr.r, tr.g, tr.b);
    tp_rgb br = tp_pixel(out, sw - 2, sh - 1);
    CHECK(br.b > 240 && br.r < 15, "%dx%d: bottom-right is %d,%d,%d, not the blue band", sw, sh, br.r, br.g, br.b);
    tp_rgb bl = tp_pixel(out, 1, sh - 1);
    CHECK(bl.b < 200 && bl.r > 80, "%dx%d: bottom-left is %d,%d,%d: mirrored or rotated?", sw, sh, bl.r, bl.g, bl.b);

    /* The black centre line stays in the centre: equal crop on both sides. */
    int darkest = 0, darkest_luma = 1 << 30;
    for (int x = 0; x < sw; x++) {
        int l = column_luma(out, x, sh / 4, sh / 2);
        if (l < darkest_luma) {
            darkest_luma = l;
            darkest = x;
        }
    }
    /* The line is several pixels wide: take the centroid of its darkness. */
    double mass = 0, moment = 0;
    for (int x = darkest - 8; x <= darkest + 8; x++) {
        if (x < 0 || x >= sw)
            continue;
        double ink = fmax(0.0, 150.0 - column_luma(out, x, sh / 4, sh / 2));
        mass += ink;
        moment += ink * (x + 0.5);
    }
    double line = mass > 0 ? moment / mass : -1;
    double centre = (w / 2.0 - c.x) * scale;
    CHECK(fabs(line - centre) <= 0.25, "%dx%d: centre line at %.2f, expected %.2f", sw, sh, line, centre);
    CHECK_NEAR(centre, sw / 2.0, 0.5);

    /* The vertical gradient runs top to bottom, as drawn. */
    int top = column_luma(out, sw / 4, 0 + marker_bottom + 2, marker_bottom + 12);
    int bottom = column_luma(out, sw / 4, sh - 10, sh);
    CHECK(top > bottom + 30, "%dx%d: gradient top %d, bottom %d: upside down?", sw, sh, top, bottom);

    /* Edges: no black or dark columns or rows from rounding. */
    for (int y = marker_bottom + 2; y < sh; y += 7) {
        tp_rgb e0 = tp_pixel(out, 0, y), e1 = tp_pixel(out, 1, y);
        CHECK(tp_near(e0, e1, 6), "%dx%d: left edge pixel (0,%d) %d,%d,%d differs from its neighbour %d,%d,%d", sw, sh,
              y, e0.r, e0.g, e0.b, e1.r, e1.g, e1.b);
    }
    for (int x = marker_right + 2; x < sw * 7 / 8 - 4; x += 5) {
        if (abs(x - darkest) < 5)
            continue;
        tp_rgb last = tp_pixel(out, x, sh - 1), prev = tp_pixel(out, x, sh - 2);
        CHECK(tp_near(last, prev, 4), "%dx%d: bottom row at x=%d is %d,%d,%d, above it %d,%d,%d", sw, sh, x, last.r,
              last.g, last.b, prev.r, prev.g, prev.b);
    }
    cairo_surface_destroy(out);
}

static void test_flat(int w, int h, int sw, int sh)
{
    tp_rgb blue = {171, 214, 243};
    cairo_surface_t *src = tp_draw_flat(w, h, blue);
    cairo_surface_t *out = gp_photo_scale_to_slot(src, sw, sh);
    REQUIRE(out != NULL, "scaling failed");
    int bad = 0;
    for (int y = 0; y < sh; y++)
        for (int x = 0; x < sw; x++)
            bad += !tp_near(tp_pixel(out, x, y), blue, 0);
    CHECK(bad == 0, "%dx%d -> %dx%d: %d pixels are not the photo's flat colour", w, h, sw, sh, bad);
    cairo_surface_destroy(out);
    cairo_surface_destroy(src);
}

/* One-pixel stripes carry detail beyond what the slot can show: a proper
 * low-pass turns them into even grey, point sampling into bold bars. */
static void test_no_aliasing(int sw, int sh)
{
    cairo_surface_t *src = tp_draw_stripes(480, 640);
    cairo_surface_t *out = gp_photo_scale_to_slot(src, sw, sh);
    REQUIRE(out != NULL, "scaling failed");
    int lo = 255, hi = 0;
    for (int x = 0; x < sw; x++) {
        int l = tp_luma(tp_pixel(out, x, sh / 2));
        lo = l < lo ? l : lo;
        hi = l > hi ? l : hi;
    }
    /* Area averaging leaves at most one stripe's share per pixel of error. */
    double step = 640.0 / sh;
    int allowed = (int)(255 / step / 2) + 2;
    CHECK(lo >= 127 - allowed && hi <= 128 + allowed, "%dx%d: stripes became %d..%d (allowed 127±%d)", sw, sh, lo, hi,
          allowed);
    cairo_surface_destroy(out);
    cairo_surface_destroy(src);
}

static void test_bad_input(void)
{
    cairo_surface_t *src = tp_draw_flat(48, 64, (tp_rgb){1, 2, 3});
    CHECK(gp_photo_scale_to_slot(src, 0, 10) == NULL, "zero width accepted");
    CHECK(gp_photo_scale_to_slot(src, 10, -1) == NULL, "negative height accepted");
    CHECK(gp_photo_scale_to_slot(NULL, 10, 10) == NULL, "NULL accepted");
    cairo_surface_t *a8 = cairo_image_surface_create(CAIRO_FORMAT_A8, 10, 10);
    CHECK(gp_photo_scale_to_slot(a8, 10, 10) == NULL, "an A8 surface accepted");
    cairo_surface_destroy(a8);
    /* 1x1 slots and 1x1 photos still work. */
    cairo_surface_t *one = gp_photo_scale_to_slot(src, 1, 1);
    CHECK(one != NULL && tp_near(tp_pixel(one, 0, 0), (tp_rgb){1, 2, 3}, 0), "1x1 slot");
    cairo_surface_destroy(one);
    cairo_surface_t *dot = tp_draw_flat(1, 1, (tp_rgb){9, 8, 7});
    cairo_surface_t *big = gp_photo_scale_to_slot(dot, 30, 40);
    CHECK(big != NULL && tp_near(tp_pixel(big, 29, 39), (tp_rgb){9, 8, 7}, 0), "1x1 photo");
    cairo_surface_destroy(big);
    cairo_surface_destroy(dot);
    cairo_surface_destroy(src);
}

int main(void)
{
    test_crop_numbers();

    cairo_surface_t *photo = tp_draw_photo(480, 640);
    check_layout(photo, 413, 579); /* two-inch at 300 dpi */
    check_layout(photo, 295, 413); /* one-inch */
    check_layout(photo, 480, 672); /* enlarging: 5:7 at the photo's own width */
    cairo_surface_destroy(photo);
    cairo_surface_t *large = tp_draw_photo(960, 1280);
    check_layout(large, 295, 413);
    cairo_surface_destroy(large);

    test_flat(480, 640, 413, 579);
    test_flat(480, 640, 295, 413);
    test_flat(240, 320, 413, 579);
    test_flat(400, 640, 295, 413); /* taller than the slot */
    test_flat(1000, 600, 35, 49);  /* far wider */

    test_no_aliasing(413, 579);
    test_no_aliasing(295, 413);
    test_bad_input();
    return gp_test_done();
}
