/* gp_calibration_scan: the calibration page printed on a blank, scanned or
 * photographed, turned into the printer profile that cancels the printer's
 * error. The blank's own printing places the scan (scan/scan-register.cpp);
 * the page's magenta targets (calibration-targets.c) are then measured in
 * the blank's millimetres (calibration-marks.c) and fitted
 * (calibration-fit.c).
 *
 * Thresholds, each a refusal with its reason:
 * - the scan's shorter side under 600 pixels, or the blank in it under
 *   100 dpi: too small to measure a tenth of a millimetre;
 * - fewer than 40 features agreeing on one placement, or a registered scan
 *   that does not look like the blank (correlation under 0.4): another
 *   blank, or one too blurred;
 * - fewer than 8 targets, or fewer than half, found: not the calibration
 *   page, or printed where the blank is dark;
 * - a scale more than 1.5 % from 1: printers stretch by tenths of a
 *   percent, a page printed "scaled to fit" by several percent;
 * - marks more than 0.3 mm RMS from the best affine placement: they do not
 *   come from one page (a crumpled sheet, a wrong template).
 * A rotation that leaves more than 0.2 mm somewhere on the page is a
 * warning: a profile cannot turn marks; straighten the tray's guides. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "calibration-private.h"
#include "calibration-scan-private.h"
#include "photo/photo-prepare-private.h"
#include "layout/layout-private.h"
#include "render/render-private.h"
#include "scan/scan-register-private.h"

/* The blank's frame is measured at this resolution: 0.127 mm a pixel; the
 * rings' centroids and the registration both reach a small part of it. */
#define WORK_DPI 200.0
#define MIN_SCAN_SIDE_PX 600
#define MIN_SCAN_DPI 100.0
#define MIN_INLIERS 40
#define MIN_SIMILARITY 0.4
#define MIN_MARKS 8
#define SCALE_LIMIT 0.015
#define MAX_AFFINE_RMS_MM 0.3
#define ROTATION_WARN_MM 0.2

struct gp_calibration_scan_result {
    gp_report *report;
    gp_calibration_scan_figures fig;
    size_t n;
    gp_calibration_target targets[GP_TARGET_MAX];
    gp_mark_found found[GP_TARGET_MAX];
    double after_x[GP_TARGET_MAX], after_y[GP_TARGET_MAX];
    char names[GP_TARGET_MAX][48];
};

/* Everything one run holds, freed in one place. */
typedef struct scan_job {
    const gp_calibration_scan_options *o;
    gp_template *tpl;
    gp_scan_image reference, registered;
    gp_rgb_buffer scan;
    double px_per_mm;
    gp_calibration_scan_result *r;
} scan_job;

void gp_calibration_scan_options_init(gp_calibration_scan_options *opts)
{
    memset(opts, 0, sizeof *opts);
    gp_calibration_init(&opts->printed_with);
}

static gp_status alloc_image(gp_scan_image *img, int w, int h, gp_error **err)
{
    img->width = w;
    img->height = h;
    img->stride = w * 3;
    img->pixels = malloc((size_t)img->stride * (size_t)h);
    return img->pixels != NULL ? GP_OK : gp_error_nomem(err);
}

static const gp_element *background_of(const gp_template *tpl)
{
    for (size_t i = 0; i < tpl->count; i++)
        if (tpl->elements[i].kind == GP_EL_BACKGROUND)
            return &tpl->elements[i];
    return NULL;
}

/* The blank as the template's <background> shows it, on white, at the
 * working resolution. */
static gp_status render_reference(scan_job *j, gp_error **err)
{
    const gp_element *bg = background_of(j->tpl);
    if (bg == NULL)
        return gp_error_set(err, GP_E_INVALID, j->o->template_path, 0, "%s",
                            _("the template has no <background>: a scan is placed by the blank's own printing, so "
                              "name a PDF or picture of the blank in <background src=\"...\"/>"));
    int w = (int)lround(j->tpl->page_w_mm * j->px_per_mm), h = (int)lround(j->tpl->page_h_mm * j->px_per_mm);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return gp_error_nomem(err);
    }
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, j->px_per_mm, j->px_per_mm);
    gp_render_env env;
    gp_render_env_init(&env, NULL, true);
    gp_mark blank;
    gp_mark_from_element(&blank, GP_MARK_BACKGROUND, bg, bg - j->tpl->elements);
    const gp_render_image *img = NULL;
    gp_status st = gp_render_image_get(&env, &blank.image, blank.line, &img, err);
    if (st == GP_OK)
        gp_render_image_draw(cr, img, &(gp_box){0, 0, j->tpl->page_w_mm, j->tpl->page_h_mm});
    gp_render_env_free(&env);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    if (st == GP_OK && cs != CAIRO_STATUS_SUCCESS)
        st = cs == CAIRO_STATUS_NO_MEMORY ? gp_error_nomem(err)
                                          : gp_error_set(err, GP_E_INTERNAL, NULL, 0, _("drawing the blank failed: %s"),
                                                         cairo_status_to_string(cs));
    if (st == GP_OK)
        st = alloc_image(&j->reference, w, h, err);
    if (st == GP_OK) {
        cairo_surface_flush(s);
        const unsigned char *src = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s);
        for (int y = 0; y < h; y++) {
            const uint32_t *p = (const uint32_t *)(const void *)(src + (size_t)y * stride);
            unsigned char *q = j->reference.pixels + (size_t)y * j->reference.stride;
            for (int x = 0; x < w; x++, q += 3) {
                q[0] = (unsigned char)(p[x] >> 16);
                q[1] = (unsigned char)(p[x] >> 8);
                q[2] = (unsigned char)p[x];
            }
        }
    }
    cairo_surface_destroy(s);
    return st;
}

/* The scan, decoded upright at full size; its refusals (not a picture,
 * greyscale, too large) become the error. */
static gp_status read_scan(scan_job *j, gp_error **err)
{
    const char *path = j->o->scan_path;
    unsigned char *data = NULL;
    size_t size = 0;
    gp_status st = gp_read_file(path, GP_ORIGINAL_MAX_FILE_BYTES, &data, &size, err);
    if (st != GP_OK)
        return st;
    gp_report *why = gp_report_new();
    if (why == NULL) {
        free(data);
        return gp_error_nomem(err);
    }
    gp_original o;
    if (!gp_original_open(&o, path, data, size, why)) {
        const gp_finding *f = gp_report_count(why) > 0 ? gp_report_get(why, 0) : NULL;
        st = gp_report_lost(why) ? gp_error_nomem(err)
                                 : gp_error_set(err, GP_E_INVALID, path, 0, _("the scan cannot be used: %s"),
                                                f != NULL ? f->message : _("it is not a JPEG or PNG picture"));
    } else {
        if (!gp_original_decode(&o, 8, &j->scan, err))
            st = err != NULL && *err != NULL ? gp_error_status(*err) : GP_E_INVALID;
        gp_original_close(&o);
    }
    gp_report_free(why);
    free(data);
    if (st == GP_OK && (j->scan.width < MIN_SCAN_SIDE_PX || j->scan.height < MIN_SCAN_SIDE_PX))
        st = gp_error_set(err, GP_E_INVALID, path, 0,
                          _("the scan is %d x %d pixels, too small to measure the marks; scan the whole blank at "
                            "300 dpi (or photograph it so it fills the picture)"),
                          j->scan.width, j->scan.height);
    return st;
}

static gp_status registration_error(const scan_job *j, gp_scan_outcome outcome, const gp_scan_registration *reg,
                                    gp_error **err)
{
    const char *path = j->o->scan_path;
    switch (outcome) {
    case GP_SCAN_REGISTERED: return GP_OK;
    case GP_SCAN_NO_MEMORY: return gp_error_nomem(err);
    case GP_SCAN_FEW_FEATURES:
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("the scan shows too little detail to find the blank in it (%d features); it is "
                              "blurred, empty or too small: scan it sharp at 300 dpi"),
                            reg->scan_features);
    case GP_SCAN_FEW_INLIERS:
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("the blank of %s cannot be found in the scan (%d of %d features agree, %d needed): "
                              "scan the blank this template is for, flat and sharp"),
                            j->o->template_path, reg->inliers, reg->matches, MIN_INLIERS);
    case GP_SCAN_DEGENERATE:
        return gp_error_set(err, GP_E_INVALID, path, 0, "%s",
                            _("the blank seems folded, mirrored or seen from too steep an angle in the scan; scan "
                              "it flat, printed side to the glass, or photograph it from straight above"));
    case GP_SCAN_FAILED: break;
    }
    return gp_error_set(err, GP_E_INTERNAL, path, 0, "%s", _("registering the scan failed inside OpenCV"));
}

/* Places the scan over the blank and warps it into the blank's frame. */
static gp_status register_scan(scan_job *j, gp_error **err)
{
    gp_scan_view ref = {j->reference.pixels, j->reference.width, j->reference.height, j->reference.stride};
    gp_scan_view scan = {j->scan.pixels, j->scan.width, j->scan.height, j->scan.width * 3};
    gp_scan_registration reg;
    gp_scan_outcome outcome = gp_scan_register(&ref, &scan, MIN_INLIERS, &reg);
    gp_calibration_scan_figures *fig = &j->r->fig;
    fig->inliers = reg.inliers;
    fig->registration_error_px = reg.inlier_error_px;
    fig->similarity = reg.similarity;
    gp_status st = registration_error(j, outcome, &reg, err);
    if (st != GP_OK)
        return st;
    const double *h = reg.h;
    fig->scan_dpi = WORK_DPI / sqrt(fabs(h[0] * h[4] - h[1] * h[3]));
    if (reg.similarity < MIN_SIMILARITY)
        return gp_error_set(err, GP_E_INVALID, j->o->scan_path, 0,
                            _("the scan does not look like the blank of %s (similarity %.2f, %.2f needed): it is "
                              "another blank, or too dark or blurred; scan the blank this template is for"),
                            j->o->template_path, reg.similarity, MIN_SIMILARITY);
    if (fig->scan_dpi < MIN_SCAN_DPI)
        return gp_error_set(err, GP_E_INVALID, j->o->scan_path, 0,
                            _("the blank is only %.0f dpi in the scan, too coarse to measure the marks; scan at "
                              "300 dpi or photograph it closer"),
                            fig->scan_dpi);
    st = alloc_image(&j->registered, j->reference.width, j->reference.height, err);
    int warped = st == GP_OK ? gp_scan_warp(&scan, h, j->registered.pixels, j->registered.width,
                                            j->registered.height, j->registered.stride)
                             : 1;
    if (warped == 0)
        return gp_error_nomem(err);
    if (warped < 0)
        return registration_error(j, GP_SCAN_FAILED, &reg, err);
    return st;
}

static void name_marks(gp_calibration_scan_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const gp_element *el = r->targets[i].element;
        if (el == NULL)
            snprintf(r->names[i], sizeof r->names[i], "grid");
        else if (el->id != NULL && el->id[0] != '\0')
            snprintf(r->names[i], sizeof r->names[i], "%s", el->id);
        else
            snprintf(r->names[i], sizeof r->names[i], "line %ld", el->line);
        r->targets[i].element = NULL; /* the template does not outlive the job */
    }
}

/* The farthest a found mark is from the others' centre, for what a
 * rotation does at the page's edges. */
static double reach(const double *x, const double *y, size_t n)
{
    double cx = 0, cy = 0, far = 0;
    for (size_t i = 0; i < n; i++) {
        cx += x[i] / n;
        cy += y[i] / n;
    }
    for (size_t i = 0; i < n; i++)
        far = fmax(far, hypot(x[i] - cx, y[i] - cy));
    return far;
}

static gp_status measure(scan_job *j, gp_error **err)
{
    gp_calibration_scan_result *r = j->r;
    r->n = gp_calibration_targets(j->tpl, r->targets, GP_TARGET_MAX);
    if (!gp_calibration_find_marks(&j->registered, j->px_per_mm, r->targets, r->n, r->found))
        return gp_error_nomem(err);
    name_marks(r);
    double tx[GP_TARGET_MAX], ty[GP_TARGET_MAX], mx[GP_TARGET_MAX], my[GP_TARGET_MAX];
    double rx[GP_TARGET_MAX], ry[GP_TARGET_MAX];
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (!r->found[i].found)
            continue;
        tx[n] = r->targets[i].x_mm;
        ty[n] = r->targets[i].y_mm;
        mx[n] = r->found[i].x_mm;
        my[n] = r->found[i].y_mm;
        n++;
    }
    r->fig.marks_expected = r->n;
    r->fig.marks_found = n;
    const char *path = j->o->scan_path;
    if (n < MIN_MARKS || 2 * n < r->n)
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("only %zu of the calibration page's %zu magenta marks were found (%d needed): scan "
                              "the calibration page of this template printed on the blank, in colour"),
                            n, r->n, MIN_MARKS);
    gp_calibration_fit fit;
    if (!gp_calibration_fit_marks(tx, ty, mx, my, n, &fit, rx, ry))
        return gp_error_set(err, GP_E_INVALID, path, 0, "%s",
                            _("the marks found lie on one line and do not give an offset and a scale; scan the "
                              "whole page"));
    gp_calibration_scan_figures *fig = &r->fig;
    fig->rotation_deg = fit.rotation_deg;
    fig->rms_before_mm = fit.rms_before_mm;
    fig->max_before_mm = fit.max_before_mm;
    fig->rms_after_mm = fit.rms_after_mm;
    fig->max_after_mm = fit.max_after_mm;
    for (size_t i = 0, k = 0; i < r->n; i++)
        if (r->found[i].found) {
            r->after_x[i] = rx[k];
            r->after_y[i] = ry[k++];
        }
    gp_calibration_correct(&j->o->printed_with, &fit, &fig->profile);
    if (fabs(fit.b_x / j->o->printed_with.scale_x - 1) > SCALE_LIMIT ||
        fabs(fit.b_y / j->o->printed_with.scale_y - 1) > SCALE_LIMIT)
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("the page came out scaled by %.2f %% x %.2f %%, far more than a printer stretches "
                              "(%.1f %%): it was printed \"scaled to fit\" or on the wrong paper size; print it at "
                              "100 %% (actual size) and scan again"),
                            100 * (fit.b_x / j->o->printed_with.scale_x - 1),
                            100 * (fit.b_y / j->o->printed_with.scale_y - 1), 100 * SCALE_LIMIT);
    if (fit.rms_affine_mm > MAX_AFFINE_RMS_MM)
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("the marks are %.2f mm RMS from any one placement (%.1f mm allowed): the sheet was "
                              "not flat, or the page is not this template's; scan it again flat"),
                            fit.rms_affine_mm, MAX_AFFINE_RMS_MM);
    if (fabs(fig->profile.offset_x_mm) > 50 || fabs(fig->profile.offset_y_mm) > 50)
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("the printer misses by %.1f, %.1f mm, more than a profile can hold (50 mm); check "
                              "the tray's guides and scan again"),
                            fig->profile.offset_x_mm, fig->profile.offset_y_mm);
    double turned = fabs(fit.rotation_deg) * acos(-1.0) / 180.0 * reach(tx, ty, n);
    if (turned > ROTATION_WARN_MM)
        gp_report_add(r->report, GP_WARNING, "calibration-rotation", path, 0, NULL,
                      _("the page is turned by %.2f° on the blank, which moves marks up to %.2f mm and which a "
                        "profile cannot correct: set the tray's paper guides snug and feed the blanks straight"),
                      fit.rotation_deg, turned);
    gp_calibration_warnings(&fig->profile, NULL, r->report);
    return GP_OK;
}

static gp_status write_outputs(scan_job *j, gp_error **err)
{
    const gp_calibration_scan_options *o = j->o;
    gp_calibration_scan_result *r = j->r;
    gp_status st = GP_OK;
    if (o->proof_out != NULL)
        st = gp_calibration_scan_proof(o->proof_out, &j->registered, j->px_per_mm, r->targets, r->found, r->n, err);
    if (st == GP_OK && o->profile_out != NULL) {
        char *text = gp_calibration_profile_text(&r->fig.profile, o->scan_path, o->template_path,
                                                 r->fig.marks_found, r->fig.marks_expected, r->fig.rms_after_mm);
        st = text != NULL ? gp_write_file_atomic(o->profile_out, text, strlen(text), err) : gp_error_nomem(err);
        free(text);
    }
    return st;
}

gp_status gp_calibration_scan(gp_context *ctx, const gp_calibration_scan_options *opts,
                              gp_calibration_scan_result **result, gp_error **err)
{
    *result = NULL;
    if (opts->template_path == NULL || opts->scan_path == NULL)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("a template and a scan are needed"));
    const gp_calibration *p = &opts->printed_with;
    if (!(p->scale_x >= 0.9 && p->scale_x <= 1.1 && p->scale_y >= 0.9 && p->scale_y <= 1.1) ||
        !(fabs(p->offset_x_mm) <= 50 && fabs(p->offset_y_mm) <= 50))
        return gp_error_set(err, GP_E_USAGE, NULL, 0,
                            _("the page cannot have been printed with offset %g, %g mm and scale %g x %g; check the "
                              "printer profile"),
                            p->offset_x_mm, p->offset_y_mm, p->scale_x, p->scale_y);
    scan_job j = {.o = opts, .px_per_mm = WORK_DPI / 25.4};
    j.r = calloc(1, sizeof *j.r);
    if (j.r == NULL || (j.r->report = gp_report_new()) == NULL) {
        free(j.r);
        return gp_error_nomem(err);
    }
    gp_status st = gp_template_load(ctx, opts->template_path, &j.tpl, err);
    if (st == GP_OK)
        st = render_reference(&j, err);
    if (st == GP_OK)
        st = read_scan(&j, err);
    if (st == GP_OK)
        st = register_scan(&j, err);
    if (st == GP_OK)
        st = measure(&j, err);
    if (st == GP_OK && gp_report_lost(j.r->report))
        st = gp_error_nomem(err);
    if (st == GP_OK)
        st = write_outputs(&j, err);
    gp_template_free(j.tpl);
    free(j.reference.pixels);
    free(j.registered.pixels);
    gp_rgb_buffer_free(&j.scan);
    *result = j.r;
    return st;
}

const gp_report *gp_calibration_scan_result_report(const gp_calibration_scan_result *result)
{
    return result->report;
}

void gp_calibration_scan_result_figures(const gp_calibration_scan_result *result, gp_calibration_scan_figures *out)
{
    *out = result->fig;
}

size_t gp_calibration_scan_result_marks(const gp_calibration_scan_result *result) { return result->n; }

void gp_calibration_scan_result_mark(const gp_calibration_scan_result *result, size_t i,
                                     gp_calibration_scan_mark *out)
{
    const gp_mark_found *f = &result->found[i];
    *out = (gp_calibration_scan_mark){result->names[i], result->targets[i].x_mm, result->targets[i].y_mm, f->found,
                                      f->found ? f->x_mm - result->targets[i].x_mm : 0,
                                      f->found ? f->y_mm - result->targets[i].y_mm : 0,
                                      f->found ? result->after_x[i] : 0, f->found ? result->after_y[i] : 0};
}

void gp_calibration_scan_result_free(gp_calibration_scan_result *result)
{
    if (result == NULL)
        return;
    gp_report_free(result->report);
    free(result);
}
