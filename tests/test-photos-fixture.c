#include "test-photos-fixture.h"

#include <stdio.h>

#include <jpeglib.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static cairo_surface_t *cutout;

/* A generous outline of the person: the flag on the left and the shuttle on
 * the right stay outside it. */
static const double outline[][2] = {
    {150, 60}, {160, 25}, {200, 8}, {260, 8}, {300, 30}, {310, 80}, {305, 130}, {300, 150}, {330, 170},
    {350, 230}, {362, 300}, {362, 511}, {100, 511}, {100, 300}, {110, 200}, {140, 150}, {148, 110},
};

/* The studio backdrop is light and almost grey. */
static bool backdrop_like(const unsigned char *p)
{
    int b = p[0], g = p[1], r = p[2];
    int hi = r > g ? (r > b ? r : b) : (g > b ? g : b), lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
    return hi - lo < 32 && (299 * r + 587 * g + 114 * b) / 1000 > 150;
}

/* Background: everything outside the outline, and backdrop-like pixels
 * connected to it (so the teeth and the whites of the eyes stay hers). */
static unsigned char *background_mask(cairo_surface_t *src, int w, int h)
{
    cairo_surface_t *poly = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
    cairo_t *cr = cairo_create(poly);
    cairo_move_to(cr, outline[0][0], outline[0][1]);
    for (size_t i = 1; i < sizeof outline / sizeof *outline; i++)
        cairo_line_to(cr, outline[i][0], outline[i][1]);
    cairo_close_path(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(poly);
    const unsigned char *inside = cairo_image_surface_get_data(poly);
    int pstride = cairo_image_surface_get_stride(poly);
    const unsigned char *px = cairo_image_surface_get_data(src);
    int stride = cairo_image_surface_get_stride(src);

    unsigned char *bg = calloc((size_t)w * h, 1);
    int *queue = malloc(sizeof *queue * (size_t)w * h);
    size_t head = 0, tail = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (inside[y * pstride + x] == 0) {
                bg[y * w + x] = 1;
                queue[tail++] = y * w + x;
            }
    while (head < tail) {
        int at = queue[head++], x = at % w, y = at / w;
        static const int dx[4] = {1, -1, 0, 0}, dy[4] = {0, 0, 1, -1};
        for (int k = 0; k < 4; k++) {
            int nx = x + dx[k], ny = y + dy[k];
            if (nx < 0 || ny < 0 || nx >= w || ny >= h || bg[ny * w + nx])
                continue;
            if (backdrop_like(px + (size_t)ny * stride + (size_t)nx * 4)) {
                bg[ny * w + nx] = 1;
                queue[tail++] = ny * w + nx;
            }
        }
    }
    free(queue);
    cairo_surface_destroy(poly);
    return bg;
}

cairo_surface_t *tpf_cutout(void)
{
    if (cutout != NULL)
        return cutout;
    cairo_surface_t *src = cairo_image_surface_create_from_png(TPF_ASTRONAUT_PNG);
    if (cairo_surface_status(src) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(src);
        return NULL;
    }
    int w = cairo_image_surface_get_width(src), h = cairo_image_surface_get_height(src);
    cairo_surface_t *rgb = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(rgb);
    cairo_set_source_surface(cr, src, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(src);
    cairo_surface_flush(rgb);
    unsigned char *bg = background_mask(rgb, w, h);

    /* Premultiplied ARGB with the mask's edge softened over 3x3. */
    cutout = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    unsigned char *out = cairo_image_surface_get_data(cutout);
    const unsigned char *in = cairo_image_surface_get_data(rgb);
    int stride = cairo_image_surface_get_stride(cutout), istride = cairo_image_surface_get_stride(rgb);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int sum = 0, n = 0;
            for (int j = -1; j <= 1; j++)
                for (int i = -1; i <= 1; i++) {
                    int xx = x + i, yy = y + j;
                    if (xx < 0 || yy < 0 || xx >= w || yy >= h)
                        continue;
                    sum += bg[yy * w + xx] ? 0 : 255;
                    n++;
                }
            int a = (sum + n / 2) / n;
            const unsigned char *p = in + (size_t)y * istride + (size_t)x * 4;
            unsigned char *q = out + (size_t)y * stride + (size_t)x * 4;
            for (int c = 0; c < 3; c++)
                q[c] = (unsigned char)((p[c] * a + 127) / 255);
            q[3] = (unsigned char)a;
        }
    cairo_surface_mark_dirty(cutout);
    free(bg);
    cairo_surface_destroy(rgb);
    return cutout;
}

tpf_place tpf_standard(void)
{
    tpf_place p = {480, 640, {100 / 255.0, 197 / 255.0, 255 / 255.0}, 2.3, 80.0, 240.0, 0.0};
    return p;
}

static void place_matrix(cairo_t *cr, const tpf_place *p)
{
    cairo_translate(cr, p->centre_x, p->head_top + p->scale * (TPF_EYE_Y - TPF_HEAD_TOP));
    cairo_rotate(cr, p->turn * 3.14159265358979323846 / 180.0);
    cairo_scale(cr, p->scale, p->scale);
    cairo_translate(cr, -TPF_FACE_CX, -TPF_EYE_Y);
}

void tpf_map(const tpf_place *p, double sx, double sy, double *ox, double *oy)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t *cr = cairo_create(s);
    place_matrix(cr, p);
    cairo_user_to_device(cr, &sx, &sy);
    *ox = sx;
    *oy = sy;
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

cairo_surface_t *tpf_compose(const tpf_place *p)
{
    cairo_surface_t *cut = tpf_cutout();
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, p->width, p->height);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, p->background[0], p->background[1], p->background[2]);
    cairo_paint(cr);
    if (cut != NULL) {
        place_matrix(cr, p);
        cairo_set_source_surface(cr, cut, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BEST);
        cairo_paint(cr);
    }
    cairo_destroy(cr);
    cairo_surface_flush(s);
    return s;
}

/* libjpeg, from the surface's RGB or its luminance. */
static unsigned char *encode(cairo_surface_t *s, int quality, bool subsample, int density_unit, int density, bool grey,
                             size_t *size)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    unsigned char *buf = NULL;
    unsigned long len = 0;
    jpeg_mem_dest(&c, &buf, &len);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = grey ? 1 : 3;
    c.in_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    c.density_unit = (UINT8)density_unit;
    c.X_density = c.Y_density = (UINT16)(density_unit ? density : 1);
    if (!subsample && !grey)
        c.comp_info[0].h_samp_factor = c.comp_info[0].v_samp_factor = 1;
    jpeg_start_compress(&c, TRUE);
    unsigned char *row = malloc((size_t)w * 3);
    while (c.next_scanline < c.image_height) {
        const uint32_t *src = (const uint32_t *)(const void *)(px + (size_t)c.next_scanline * stride);
        for (int x = 0; x < w; x++) {
            unsigned r = (src[x] >> 16) & 255, g = (src[x] >> 8) & 255, b = src[x] & 255;
            if (grey) {
                row[x] = (unsigned char)((r * 299 + g * 587 + b * 114) / 1000);
            } else {
                row[3 * x] = (unsigned char)r;
                row[3 * x + 1] = (unsigned char)g;
                row[3 * x + 2] = (unsigned char)b;
            }
        }
        JSAMPROW rows[1] = {row};
        jpeg_write_scanlines(&c, rows, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    *size = len;
    return buf;
}

unsigned char *tpf_encode(cairo_surface_t *s, int quality, bool subsample, int density_unit, int density,
                          size_t *size)
{
    return encode(s, quality, subsample, density_unit, density, false, size);
}

unsigned char *tpf_encode_grey(cairo_surface_t *s, int quality, size_t *size)
{
    return encode(s, quality, false, 1, 300, true, size);
}

unsigned char *tpf_encode_fit(cairo_surface_t *s, size_t max_bytes, int *quality, size_t *size)
{
    for (int q = 95; q >= 30; q -= 1) {
        unsigned char *jpeg = tpf_encode(s, q, true, 1, 300, size);
        if (*size <= max_bytes || q == 30) {
            *quality = q;
            return jpeg;
        }
        free(jpeg);
    }
    return NULL;
}

/* One horizontal box pass of radius r over each channel, then transposed. */
static void box_pass(uint32_t *px, int w, int h, int stride_px, int r, bool vertical)
{
    int n = vertical ? h : w, lines = vertical ? w : h;
    uint32_t *tmp = malloc(sizeof *tmp * (size_t)n);
    for (int l = 0; l < lines; l++) {
        for (int i = 0; i < n; i++)
            tmp[i] = vertical ? px[(size_t)i * stride_px + l] : px[(size_t)l * stride_px + i];
        for (int i = 0; i < n; i++) {
            int sum[3] = {0, 0, 0}, cnt = 0;
            for (int k = i - r; k <= i + r; k++) {
                int kk = k < 0 ? 0 : k >= n ? n - 1 : k;
                for (int c = 0; c < 3; c++)
                    sum[c] += (tmp[kk] >> (8 * c)) & 0xFF;
                cnt++;
            }
            uint32_t v = 0xFF000000u;
            for (int c = 0; c < 3; c++)
                v |= (uint32_t)((sum[c] + cnt / 2) / cnt) << (8 * c);
            if (vertical)
                px[(size_t)i * stride_px + l] = v;
            else
                px[(size_t)l * stride_px + i] = v;
        }
    }
    free(tmp);
}

void tpf_blur(cairo_surface_t *s, int r)
{
    cairo_surface_flush(s);
    uint32_t *px = (uint32_t *)(void *)cairo_image_surface_get_data(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride_px = cairo_image_surface_get_stride(s) / 4;
    for (int pass = 0; pass < 3; pass++) {
        box_pass(px, w, h, stride_px, r, false);
        box_pass(px, w, h, stride_px, r, true);
    }
    cairo_surface_mark_dirty(s);
}

void tpf_id(unsigned serial, char id[19])
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char checks[] = "10X98765432";
    snprintf(id, 19, "50010219990101%03u", serial % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (id[i] - '0') * weights[i];
    id[17] = checks[sum % 11];
    id[18] = '\0';
}
