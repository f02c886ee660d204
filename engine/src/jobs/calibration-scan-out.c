/* What calibration from a scan writes: the printer profile (in the format
 * calibration-profile.c reads, numbers written without the C library's
 * locale, as they are read) and the proof, the registered scan with the
 * places the marks should be and where they were found. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/strbuf-private.h"
#include "render/render-private.h"
#include "calibration-scan-private.h"

/* v with decimals digits after a point, whatever LC_NUMERIC says. */
static void fixed(char *out, size_t size, double v, int decimals)
{
    long long unit = 1;
    for (int i = 0; i < decimals; i++)
        unit *= 10;
    long long n = llround(fabs(v) * (double)unit);
    snprintf(out, size, "%s%lld.%0*lld", v < 0 && n != 0 ? "-" : "", n / unit, decimals, n % unit);
}

/* The file's own name, with anything that could end the comment line or
 * confuse a terminal replaced. */
static void comment_safe(char *out, size_t size, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash != NULL ? slash + 1 : path;
    size_t n = 0;
    for (; *name != '\0' && n + 1 < size; name++)
        out[n++] = (unsigned char)*name < 0x20 || *name == 0x7f ? '?' : *name;
    out[n] = '\0';
}

char *gp_calibration_profile_text(const gp_calibration *cal, const char *scan_path, const char *template_path,
                                  size_t found, size_t expected, double rms_after_mm)
{
    char when[32] = "";
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) != NULL)
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    char scan[256], tpl[256], ox[32], oy[32], sx[32], sy[32], rms[32];
    comment_safe(scan, sizeof scan, scan_path);
    comment_safe(tpl, sizeof tpl, template_path);
    fixed(ox, sizeof ox, cal->offset_x_mm, 3);
    fixed(oy, sizeof oy, cal->offset_y_mm, 3);
    fixed(sx, sizeof sx, cal->scale_x, 6);
    fixed(sy, sizeof sy, cal->scale_y, 6);
    fixed(rms, sizeof rms, rms_after_mm, 3);
    gp_strbuf b;
    gp_strbuf_init(&b);
    gp_strbuf_appendf(&b,
                      "# printer profile made by gradprint calibrate --scan on %s\n"
                      "# from the scan %s of the calibration page of %s: %zu of %zu marks found,\n"
                      "# %s mm RMS left after this profile\n"
                      "offset-x = %s\n"
                      "offset-y = %s\n"
                      "scale-x = %s\n"
                      "scale-y = %s\n"
                      "feed = %s\n",
                      when, scan, tpl, found, expected, rms, ox, oy, sx, sy,
                      cal->feed == GP_FEED_BOTTOM ? "bottom" : "top");
    if (cal->face != GP_FACE_UNSAID)
        gp_strbuf_appendf(&b, "face = %s\n", cal->face == GP_FACE_DOWN ? "down" : "up");
    if (gp_strbuf_failed(&b)) {
        gp_strbuf_free(&b);
        return NULL;
    }
    return gp_strbuf_steal(&b);
}

/* Error vectors are drawn this many times their length: a tenth of a
 * millimetre must show. */
#define PROOF_VECTOR_GAIN 10.0

static cairo_surface_t *surface_of(const gp_scan_image *img)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, img->width, img->height);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        return s;
    cairo_surface_flush(s);
    unsigned char *dst = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < img->height; y++) {
        const unsigned char *p = img->pixels + (size_t)y * img->stride;
        uint32_t *q = (uint32_t *)(void *)(dst + (size_t)y * stride);
        for (int x = 0; x < img->width; x++, p += 3)
            q[x] = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    }
    cairo_surface_mark_dirty(s);
    return s;
}

static void draw_marks(cairo_t *cr, const gp_calibration_target *targets, const gp_mark_found *found, size_t n)
{
    cairo_set_line_width(cr, 0.25);
    for (size_t i = 0; i < n; i++) {
        double x = targets[i].x_mm, y = targets[i].y_mm;
        /* Where the mark belongs: a green cross. */
        cairo_set_source_rgb(cr, 0, 0.6, 0);
        cairo_move_to(cr, x - 4, y);
        cairo_line_to(cr, x + 4, y);
        cairo_move_to(cr, x, y - 4);
        cairo_line_to(cr, x, y + 4);
        cairo_stroke(cr);
        if (!found[i].found) {
            /* Not found: a red X. */
            cairo_set_source_rgb(cr, 0.9, 0, 0);
            cairo_set_line_width(cr, 0.5);
            cairo_move_to(cr, x - 3, y - 3);
            cairo_line_to(cr, x + 3, y + 3);
            cairo_move_to(cr, x + 3, y - 3);
            cairo_line_to(cr, x - 3, y + 3);
            cairo_stroke(cr);
            cairo_set_line_width(cr, 0.25);
            continue;
        }
        /* Where it was found: a blue circle, and the error, enlarged, in red. */
        cairo_set_source_rgb(cr, 0, 0.2, 0.9);
        cairo_new_sub_path(cr);
        cairo_arc(cr, found[i].x_mm, found[i].y_mm, GP_TARGET_OUTER_MM + 0.6, 0, 2 * acos(-1.0));
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.9, 0, 0);
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + PROOF_VECTOR_GAIN * (found[i].x_mm - x), y + PROOF_VECTOR_GAIN * (found[i].y_mm - y));
        cairo_stroke(cr);
    }
}

gp_status gp_calibration_scan_proof(const char *path, const gp_scan_image *img, double px_per_mm,
                                    const gp_calibration_target *targets, const gp_mark_found *found, size_t n,
                                    gp_error **err)
{
    cairo_surface_t *s = surface_of(img);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, px_per_mm, px_per_mm);
    draw_marks(cr, targets, found, n);
    cairo_status_t drawn = cairo_status(cr);
    cairo_destroy(cr);
    return gp_render_png_write(s, drawn, path, err);
}
