/* The scan simulator (scan-sim.h). Everything here is written for the
 * tests, independently of the engine: the sheet is rendered with poppler
 * straight from the PDFs, the geometry is sampled pixel by pixel. */
#include "scan-sim.h"

#include <cairo.h>
#include <math.h>
#include <poppler.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

static uint32_t rng_state = 12345;

/* xorshift32: the same noise on every run. */
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* About Gaussian, sd levels: the sum of four uniform draws. */
static int noise_of(int sd)
{
    if (sd <= 0)
        return 0;
    double s = 0;
    for (int i = 0; i < 4; i++)
        s += (rng() & 0xffff) / 65535.0 - 0.5;
    return (int)lround(s * sd * sqrt(3.0));
}

static unsigned char clamp8(double v) { return v < 0 ? 0 : v > 255 ? 255 : (unsigned char)lround(v); }

/* Draws pdf's first page at w x h pixels, in mm through px_per_mm and then
 * the printer's move and scale; white paper under it. */
static cairo_surface_t *render_pdf(const char *pdf, int w, int h, double px_per_mm, const scan_sim_printer *printer)
{
    GError *gerr = NULL;
    char *uri = g_filename_to_uri(pdf, NULL, &gerr);
    PopplerDocument *doc = uri != NULL ? poppler_document_new_from_file(uri, NULL, &gerr) : NULL;
    g_free(uri);
    if (doc == NULL) {
        fprintf(stderr, "scan-sim: %s: %s\n", pdf, gerr != NULL ? gerr->message : "cannot open");
        if (gerr != NULL)
            g_error_free(gerr);
        return NULL;
    }
    PopplerPage *page = poppler_document_get_page(doc, 0);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, px_per_mm, px_per_mm);
    if (printer != NULL) {
        cairo_translate(cr, printer->offset_x_mm, printer->offset_y_mm);
        cairo_rotate(cr, printer->angle_deg * acos(-1.0) / 180.0);
        cairo_scale(cr, printer->scale_x, printer->scale_y);
    }
    cairo_scale(cr, 25.4 / 72.0, 25.4 / 72.0);
    poppler_page_render(page, cr);
    cairo_destroy(cr);
    g_object_unref(page);
    g_object_unref(doc);
    cairo_surface_flush(s);
    return s;
}

bool scan_sim_sheet(const char *blank_pdf, const char *page_pdf, double w_mm, double h_mm, double dpi,
                    const scan_sim_printer *printer, scan_sim_image *out)
{
    double ppm = dpi / 25.4;
    int w = (int)lround(w_mm * ppm), h = (int)lround(h_mm * ppm);
    cairo_surface_t *blank = render_pdf(blank_pdf, w, h, ppm, NULL);
    cairo_surface_t *page = page_pdf != NULL ? render_pdf(page_pdf, w, h, ppm, printer) : NULL;
    if (blank == NULL || (page_pdf != NULL && page == NULL))
        return false;
    out->w = w;
    out->h = h;
    out->rgb = malloc((size_t)w * h * 3);
    int bs = cairo_image_surface_get_stride(blank);
    const unsigned char *bd = cairo_image_surface_get_data(blank);
    const unsigned char *pd = page != NULL ? cairo_image_surface_get_data(page) : NULL;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t b = *(const uint32_t *)(const void *)(bd + (size_t)y * bs + 4 * (size_t)x);
            uint32_t p = pd != NULL ? *(const uint32_t *)(const void *)(pd + (size_t)y * bs + 4 * (size_t)x)
                                    : 0xffffffu;
            unsigned char *q = out->rgb + ((size_t)y * w + x) * 3;
            for (int c = 0; c < 3; c++) {
                int shift = 16 - 8 * c;
                /* Ink on paper: what the page lets through of the blank. */
                q[c] = (unsigned char)(((b >> shift) & 0xff) * ((p >> shift) & 0xff) / 255);
            }
        }
    cairo_surface_destroy(blank);
    if (page != NULL)
        cairo_surface_destroy(page);
    return true;
}

void scan_sim_image_free(scan_sim_image *img)
{
    free(img->rgb);
    img->rgb = NULL;
}

/* Bilinear sample of the sheet at (x, y) pixels (centres at .5); false
 * off the sheet. */
static bool sample(const scan_sim_image *s, double x, double y, double rgb[3])
{
    x -= 0.5;
    y -= 0.5;
    if (x < 0 || y < 0 || x > s->w - 1 || y > s->h - 1)
        return false;
    int x0 = (int)x, y0 = (int)y;
    int x1 = x0 + 1 < s->w ? x0 + 1 : x0, y1 = y0 + 1 < s->h ? y0 + 1 : y0;
    double fx = x - x0, fy = y - y0;
    for (int c = 0; c < 3; c++) {
        double a = s->rgb[((size_t)y0 * s->w + x0) * 3 + c], b = s->rgb[((size_t)y0 * s->w + x1) * 3 + c];
        double d = s->rgb[((size_t)y1 * s->w + x0) * 3 + c], e = s->rgb[((size_t)y1 * s->w + x1) * 3 + c];
        rgb[c] = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
    }
    return true;
}

static bool write_jpeg(const unsigned char *rgb, int w, int h, int quality, const char *path)
{
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long len = 0;
    int rc = tjCompress2(tj, rgb, w, w * 3, h, TJPF_RGB, &jpeg, &len, TJSAMP_420, quality, 0);
    tjDestroy(tj);
    if (rc != 0)
        return false;
    FILE *f = fopen(path, "wb");
    bool ok = f != NULL && fwrite(jpeg, 1, len, f) == len;
    if (f != NULL)
        ok = fclose(f) == 0 && ok;
    tjFree(jpeg);
    return ok;
}

bool scan_sim_flatbed(const scan_sim_image *sheet, double dpi, double bed_w_mm, double bed_h_mm, double x_mm,
                      double y_mm, double angle_deg, int noise, int quality, const char *jpeg_path)
{
    double ppm = dpi / 25.4, a = angle_deg * acos(-1.0) / 180.0, ca = cos(a), sa = sin(a);
    int w = (int)lround(bed_w_mm * ppm), h = (int)lround(bed_h_mm * ppm);
    unsigned char *out = malloc((size_t)w * h * 3);
    for (int v = 0; v < h; v++)
        for (int u = 0; u < w; u++) {
            /* The bed point, back into the sheet: turned by -angle about
             * the sheet's corner. */
            double bx = (u + 0.5) / ppm - x_mm, by = (v + 0.5) / ppm - y_mm;
            double sx = ca * bx + sa * by, sy = -sa * bx + ca * by;
            double rgb[3] = {232, 233, 230}; /* the lid */
            sample(sheet, sx * ppm, sy * ppm, rgb);
            unsigned char *q = out + ((size_t)v * w + u) * 3;
            for (int c = 0; c < 3; c++)
                q[c] = clamp8(rgb[c] + noise_of(noise));
        }
    bool ok = write_jpeg(out, w, h, quality, jpeg_path);
    free(out);
    return ok;
}

/* The homography taking the unit square's corners (0,0) (1,0) (1,1) (0,1)
 * to the four points, by the closed form for a square. */
static void square_to_quad(const double p[8], double m[9])
{
    double x0 = p[0], y0 = p[1], x1 = p[2], y1 = p[3], x2 = p[4], y2 = p[5], x3 = p[6], y3 = p[7];
    double dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
    double dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
    double den = dx1 * dy2 - dx2 * dy1;
    double g = (dx3 * dy2 - dx2 * dy3) / den, hh = (dx1 * dy3 - dx3 * dy1) / den;
    m[0] = x1 - x0 + g * x1;
    m[1] = x3 - x0 + hh * x3;
    m[2] = x0;
    m[3] = y1 - y0 + g * y1;
    m[4] = y3 - y0 + hh * y3;
    m[5] = y0;
    m[6] = g;
    m[7] = hh;
    m[8] = 1;
}

static void invert3(const double m[9], double r[9])
{
    double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) +
                 m[2] * (m[3] * m[7] - m[4] * m[6]);
    r[0] = (m[4] * m[8] - m[5] * m[7]) / det;
    r[1] = (m[2] * m[7] - m[1] * m[8]) / det;
    r[2] = (m[1] * m[5] - m[2] * m[4]) / det;
    r[3] = (m[5] * m[6] - m[3] * m[8]) / det;
    r[4] = (m[0] * m[8] - m[2] * m[6]) / det;
    r[5] = (m[2] * m[3] - m[0] * m[5]) / det;
    r[6] = (m[3] * m[7] - m[4] * m[6]) / det;
    r[7] = (m[1] * m[6] - m[0] * m[7]) / det;
    r[8] = (m[0] * m[4] - m[1] * m[3]) / det;
}

/* Box blur of radius r, horizontally then vertically, in place. */
static void box_blur(unsigned char *img, int w, int h, int r)
{
    if (r <= 0)
        return;
    int n = w > h ? w : h;
    double *line = malloc((size_t)n * 3 * sizeof *line);
    for (int pass = 0; pass < 2; pass++) {
        int len = pass == 0 ? w : h, count = pass == 0 ? h : w;
        for (int k = 0; k < count; k++) {
            for (int i = 0; i < len; i++) {
                size_t at = pass == 0 ? ((size_t)k * w + i) * 3 : ((size_t)i * w + k) * 3;
                for (int c = 0; c < 3; c++)
                    line[i * 3 + c] = img[at + c];
            }
            for (int i = 0; i < len; i++) {
                double s[3] = {0, 0, 0};
                int m = 0;
                for (int d = -r; d <= r; d++) {
                    int j = i + d < 0 ? 0 : i + d >= len ? len - 1 : i + d;
                    for (int c = 0; c < 3; c++)
                        s[c] += line[j * 3 + c];
                    m++;
                }
                size_t at = pass == 0 ? ((size_t)k * w + i) * 3 : ((size_t)i * w + k) * 3;
                for (int c = 0; c < 3; c++)
                    img[at + c] = clamp8(s[c] / m);
            }
        }
    }
    free(line);
}

bool scan_sim_phone(const scan_sim_image *sheet, int out_w, int out_h, const double corners[8], double blur_px,
                    int noise, int quality, const char *jpeg_path)
{
    double m[9], inv[9];
    square_to_quad(corners, m);
    invert3(m, inv);
    unsigned char *out = malloc((size_t)out_w * out_h * 3);
    for (int v = 0; v < out_h; v++)
        for (int u = 0; u < out_w; u++) {
            double x = u + 0.5, y = v + 0.5;
            double z = inv[6] * x + inv[7] * y + inv[8];
            double sx = (inv[0] * x + inv[1] * y + inv[2]) / z, sy = (inv[3] * x + inv[4] * y + inv[5]) / z;
            double rgb[3];
            if (!sample(sheet, sx * sheet->w, sy * sheet->h, rgb)) {
                /* A dark wooden desk: brown, with grain along x. */
                double grain = 0.75 + 0.25 * sin(y * 0.21 + 3 * sin(x * 0.013)) + 0.1 * sin(x * 0.9 + y * 0.05);
                rgb[0] = 70 * grain;
                rgb[1] = 45 * grain;
                rgb[2] = 28 * grain;
            }
            /* Light from the upper left, falling off across the picture. */
            double light = 1.02 - 0.28 * (double)u / out_w - 0.12 * (double)v / out_h;
            unsigned char *q = out + ((size_t)v * out_w + u) * 3;
            for (int c = 0; c < 3; c++)
                q[c] = clamp8(rgb[c] * light);
        }
    box_blur(out, out_w, out_h, (int)lround(blur_px));
    for (size_t i = 0; i < (size_t)out_w * out_h * 3; i++)
        out[i] = clamp8(out[i] + noise_of(noise));
    bool ok = write_jpeg(out, out_w, out_h, quality, jpeg_path);
    free(out);
    return ok;
}
