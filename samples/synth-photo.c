/* Synthetic ID photos: a cartoon head and shoulders on the light-blue
 * background Chinese graduation photos use. Deliberately asymmetric (hair
 * parted on the viewer's left, "SAMPLE" top left, the number bottom right)
 * so a mirrored or rotated copy on a sheet is obvious at a glance. A little
 * noise makes the JPEG as large as a real camera photo (20–40 KB), which
 * matters for the size checks and for benchmark realism. */
#include "synth.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <turbojpeg.h>

#define PHOTO_W 480
#define PHOTO_H 640
#define TARGET_MIN (21 * 1024)
#define TARGET_MAX (38 * 1024)

typedef struct rgb {
    double r, g, b;
} rgb;

static const rgb skins[] = {
    {0.98, 0.85, 0.74}, {0.95, 0.80, 0.67}, {0.91, 0.74, 0.60}, {0.85, 0.67, 0.52}, {0.76, 0.58, 0.44},
};
static const rgb hairs[] = {
    {0.08, 0.07, 0.07}, {0.15, 0.11, 0.09}, {0.24, 0.16, 0.11}, {0.05, 0.05, 0.08}, {0.32, 0.22, 0.15},
};
/* Dark clothes only: the number in the bottom right corner is white. */
static const rgb clothes[] = {
    {0.10, 0.14, 0.28}, {0.12, 0.12, 0.13}, {0.28, 0.29, 0.32}, {0.40, 0.10, 0.14},
    {0.10, 0.28, 0.20}, {0.30, 0.20, 0.12}, {0.18, 0.22, 0.40},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void set_rgb(cairo_t *cr, rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static rgb shade(rgb c, double f)
{
    return (rgb){c.r * f, c.g * f, c.b * f};
}

static void ellipse(cairo_t *cr, double cx, double cy, double rx, double ry)
{
    cairo_save(cr);
    cairo_translate(cr, cx, cy);
    cairo_scale(cr, rx, ry);
    cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
    cairo_restore(cr);
}

static void draw_background(cairo_t *cr, synth_rng *rng)
{
    /* About RGB 67,142,219, lighter at the top as under studio lights. */
    double dr = synth_rng_range(rng, -4, 4) / 255.0, dg = synth_rng_range(rng, -4, 4) / 255.0;
    cairo_pattern_t *bg = cairo_pattern_create_linear(0, 0, 0, PHOTO_H);
    cairo_pattern_add_color_stop_rgb(bg, 0, 80 / 255.0 + dr, 156 / 255.0 + dg, 230 / 255.0);
    cairo_pattern_add_color_stop_rgb(bg, 1, 56 / 255.0 + dr, 130 / 255.0 + dg, 208 / 255.0);
    cairo_set_source(cr, bg);
    cairo_paint(cr);
    cairo_pattern_destroy(bg);
}

static void draw_body(cairo_t *cr, rgb cloth, rgb skin, bool tie)
{
    /* Neck first: the collar overlaps it. */
    set_rgb(cr, shade(skin, 0.9));
    cairo_rectangle(cr, 240 - 48, 400, 96, 100);
    cairo_fill(cr);

    set_rgb(cr, cloth);
    cairo_move_to(cr, -10, PHOTO_H + 10);
    cairo_line_to(cr, -10, 600);
    cairo_curve_to(cr, 10, 530, 100, 495, 190, 482);
    cairo_line_to(cr, 290, 482);
    cairo_curve_to(cr, 380, 495, 470, 530, 490, 600);
    cairo_line_to(cr, 490, PHOTO_H + 10);
    cairo_close_path(cr);
    cairo_fill(cr);

    /* White shirt in the V of the jacket. */
    cairo_set_source_rgb(cr, 0.96, 0.96, 0.96);
    cairo_move_to(cr, 198, 482);
    cairo_line_to(cr, 240, 585);
    cairo_line_to(cr, 282, 482);
    cairo_close_path(cr);
    cairo_fill(cr);
    if (tie) {
        cairo_set_source_rgb(cr, 0.55, 0.08, 0.10);
        cairo_move_to(cr, 232, 492);
        cairo_line_to(cr, 248, 492);
        cairo_line_to(cr, 252, 560);
        cairo_line_to(cr, 240, 585);
        cairo_line_to(cr, 228, 560);
        cairo_close_path(cr);
        cairo_fill(cr);
    }
}

static void draw_head(cairo_t *cr, synth_rng *rng, rgb skin, rgb hair, bool long_hair)
{
    if (long_hair) {
        /* Behind the head, down to the shoulders. */
        set_rgb(cr, hair);
        cairo_move_to(cr, 130, 250);
        cairo_curve_to(cr, 115, 360, 120, 440, 150, 500);
        cairo_line_to(cr, 330, 500);
        cairo_curve_to(cr, 360, 440, 365, 360, 350, 250);
        cairo_close_path(cr);
        cairo_fill(cr);
    }

    set_rgb(cr, shade(skin, 0.93));
    ellipse(cr, 240 - 98, 300, 15, 26);
    ellipse(cr, 240 + 98, 300, 15, 26);
    cairo_fill(cr);

    set_rgb(cr, skin);
    ellipse(cr, 240, 285, 100, 128);
    cairo_fill(cr);

    /* Hair: a cap over the crown with the parting on the viewer's left, the
     * fringe sweeping across to the right. */
    set_rgb(cr, hair);
    cairo_move_to(cr, 138, 300);
    cairo_curve_to(cr, 120, 190, 170, 140, 240, 140);
    cairo_curve_to(cr, 320, 140, 362, 195, 342, 300);
    cairo_curve_to(cr, 330, 245, 300, 215, 250, 205);
    cairo_curve_to(cr, 225, 200, 205, 190, 196, 176);
    cairo_curve_to(cr, 175, 200, 150, 230, 138, 300);
    cairo_close_path(cr);
    cairo_fill(cr);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.25);
    cairo_set_line_width(cr, 3);
    cairo_move_to(cr, 196, 176);
    cairo_curve_to(cr, 193, 165, 190, 155, 192, 143);
    cairo_stroke(cr);

    /* Eyes, brows, nose and a small smile. */
    double eye_y = 292 + synth_rng_range(rng, -4, 4);
    for (int side = -1; side <= 1; side += 2) {
        double x = 240 + side * 40;
        cairo_set_source_rgb(cr, 1, 1, 1);
        ellipse(cr, x, eye_y, 17, 9);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.12, 0.09, 0.08);
        cairo_arc(cr, x + 2, eye_y, 7, 0, 2 * M_PI);
        cairo_fill(cr);
        set_rgb(cr, hair);
        cairo_set_line_width(cr, 6);
        cairo_move_to(cr, x - 20, eye_y - 24);
        cairo_curve_to(cr, x - 8, eye_y - 32, x + 8, eye_y - 32, x + 20, eye_y - 25);
        cairo_stroke(cr);
    }
    set_rgb(cr, shade(skin, 0.75));
    cairo_set_line_width(cr, 3);
    cairo_move_to(cr, 238, 305);
    cairo_line_to(cr, 230, 340);
    cairo_line_to(cr, 246, 343);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.72, 0.30, 0.30);
    cairo_set_line_width(cr, 4);
    cairo_arc(cr, 240, 352, 26, 0.25 * M_PI, 0.75 * M_PI);
    cairo_stroke(cr);
}

static void draw_glasses(cairo_t *cr, double eye_y)
{
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.18);
    cairo_set_line_width(cr, 4);
    cairo_arc(cr, 200, eye_y, 26, 0, 2 * M_PI);
    cairo_stroke(cr);
    cairo_arc(cr, 280, eye_y, 26, 0, 2 * M_PI);
    cairo_stroke(cr);
    cairo_move_to(cr, 226, eye_y - 2);
    cairo_line_to(cr, 254, eye_y - 2);
    cairo_stroke(cr);
}

static void draw_marks(cairo_t *cr, int seq)
{
    /* The toy text API is enough for ASCII and keeps this tool free of Pango. */
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 22);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
    cairo_move_to(cr, 14, 34);
    cairo_show_text(cr, "SAMPLE");

    char number[32];
    snprintf(number, sizeof number, "No. %d", seq);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, number, &ext);
    cairo_move_to(cr, PHOTO_W - 14 - ext.x_advance, PHOTO_H - 16);
    cairo_show_text(cr, number);
}

static void add_noise(cairo_surface_t *surface, synth_rng *rng, int amplitude)
{
    cairo_surface_flush(surface);
    unsigned char *data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; y < PHOTO_H; y++) {
        uint32_t *row = (uint32_t *)(void *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < PHOTO_W; x += 2) {
            /* One draw gives luma noise for two pixels plus a little colour noise. */
            uint64_t bits = synth_rng_next(rng);
            for (int k = 0; k < 2; k++, bits >>= 32) {
                int luma = (int)(bits & 0xFF) % (2 * amplitude + 1) - amplitude;
                int chroma = (int)((bits >> 8) % 3) - 1;
                uint32_t px = row[x + k];
                int r = (int)((px >> 16) & 0xFF) + luma + chroma;
                int g = (int)((px >> 8) & 0xFF) + luma;
                int b = (int)(px & 0xFF) + luma - chroma;
                r = r < 0 ? 0 : r > 255 ? 255 : r;
                g = g < 0 ? 0 : g > 255 ? 255 : g;
                b = b < 0 ? 0 : b > 255 ? 255 : b;
                row[x + k] = 0xFF000000u | ((uint32_t)r << 16) | ((uint32_t)g << 8) | (uint32_t)b;
            }
        }
    }
    cairo_surface_mark_dirty(surface);
}

static bool encode(cairo_surface_t *surface, int quality, unsigned char **jpeg, unsigned long *size)
{
    tjhandle tj = tjInitCompress();
    if (!tj)
        return false;
    /* cairo's ARGB32 is native-endian 32-bit words. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    int format = TJPF_XRGB;
#else
    int format = TJPF_BGRX;
#endif
    int rc = tjCompress2(tj, cairo_image_surface_get_data(surface), PHOTO_W, cairo_image_surface_get_stride(surface),
                         PHOTO_H, format, jpeg, size, TJSAMP_420, quality, TJFLAG_ACCURATEDCT);
    if (rc != 0)
        fprintf(stderr, "gradprint-synth: JPEG encoding failed: %s\n", tjGetErrorStr2(tj));
    tjDestroy(tj);
    return rc == 0;
}

static bool write_file(const char *path, const unsigned char *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return false;
    }
    bool ok = fwrite(data, 1, size, f) == size;
    if (fclose(f) != 0)
        ok = false;
    if (!ok)
        perror(path);
    return ok;
}

bool synth_photo_write(const synth_student *st, uint64_t seed, const char *path, synth_photo_result *result)
{
    /* A stream of its own (offset far from the people streams), so photos stay
     * the same when the name rules change. */
    synth_rng rng;
    synth_rng_init(&rng, seed, 0x100000000u + (uint64_t)st->seq);

    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, PHOTO_W, PHOTO_H);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "gradprint-synth: out of memory\n");
        cairo_surface_destroy(surface);
        return false;
    }
    cairo_t *cr = cairo_create(surface);
    rgb skin = skins[synth_rng_below(&rng, COUNT(skins))];
    rgb hair = hairs[synth_rng_below(&rng, COUNT(hairs))];
    rgb cloth = clothes[synth_rng_below(&rng, COUNT(clothes))];
    bool long_hair = !st->male && synth_rng_below(&rng, 3) != 0;
    bool tie = st->male && synth_rng_below(&rng, 2) == 0;
    bool glasses = synth_rng_below(&rng, 5) == 0;

    draw_background(cr, &rng);
    draw_body(cr, cloth, skin, tie);
    /* The head drawn 1.2 times its design size fills the frame as an ID
     * photo's does: crown near the top tenth, chin at about two thirds. */
    cairo_save(cr);
    cairo_translate(cr, 240, 300);
    cairo_scale(cr, 1.2, 1.2);
    cairo_translate(cr, -240, -300);
    draw_head(cr, &rng, skin, hair, long_hair);
    if (glasses)
        draw_glasses(cr, 292);
    cairo_restore(cr);
    draw_marks(cr, st->seq);
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    if (!ok) {
        fprintf(stderr, "gradprint-synth: drawing failed\n");
        cairo_surface_destroy(surface);
        return false;
    }
    add_noise(surface, &rng, 2);

    /* Start where most photos land and step the quality until the file is
     * inside the 20–40 KB the photo standard asks for. */
    unsigned char *jpeg = NULL;
    unsigned long size = 0;
    int quality = 86, used = quality;
    for (int attempt = 0; attempt < 12; attempt++) {
        tjFree(jpeg);
        jpeg = NULL;
        used = quality;
        if (!encode(surface, quality, &jpeg, &size)) {
            ok = false;
            break;
        }
        if (size > TARGET_MAX && quality > 50)
            quality -= 3;
        else if (size < TARGET_MIN && quality < 97)
            quality += 2;
        else
            break;
    }
    cairo_surface_destroy(surface);
    if (ok)
        ok = write_file(path, jpeg, size);
    tjFree(jpeg);
    if (ok && result) {
        result->bytes = size;
        result->quality = used;
    }
    return ok;
}
