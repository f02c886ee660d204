/* From a camera original (any size) or a student's own photo to the
 * delivered photo: find the face on a reduced copy, plan the crop that puts
 * head top, eyes and face width inside the bands, decode just that part at
 * the resolution it needs, resample, convert to sRGB, encode to fit the
 * file-size window, and check the result with the same checker as
 * `photos check`. Nothing is mirrored, turned (beyond the camera's own
 * orientation tag), straightened or retouched: what cannot be made
 * conforming by cropping and scaling is refused with its reason. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "photo-checker-private.h"
#include "photo-icc-private.h"
#include "photo-prepare-private.h"

/* The reduced copy the face is looked for in: its long side at least this
 * (the DCT scales in eighths, so up to twice it). */
#define PREVIEW_SIDE 2048
/* The crop is resampled from at least this many times the output's
 * pixels when the original has them. */
#define SOURCE_MARGIN 1.0
/* Faces are looked for down to these shares of the short side: most
 * originals show the face large, and the smaller search costs four times. */
#define FACE_SHARE_FIRST 0.15
#define FACE_SHARE_SECOND 0.08

void gp_preparer_clear(gp_preparer *pp)
{
    gp_rgb_buffer_free(&pp->preview);
    gp_rgb_buffer_free(&pp->region);
    gp_rgb_buffer_free(&pp->out);
}

void gp_prepared_photo_clear(gp_prepared_photo *out)
{
    free(out->jpeg);
    gp_photo_check_free(out->check);
    memset(out, 0, sizeof *out);
}

bool gp_refuse(gp_report *findings, const char *source, gp_photo_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gp_report_vadd(findings, GP_ERROR, gp_photo_code_name(code), source, 0, NULL, fmt, ap);
    va_end(ap);
    return false;
}

static bool failed_nomem(gp_error **err)
{
    if (err == NULL || *err == NULL)
        gp_error_nomem(err);
    return false;
}

static int scale_for(int have, double need)
{
    int m = (int)ceil(8.0 * need / have);
    return m < 1 ? 1 : m > 8 ? 8 : m;
}

/* The face, its eyes and the top of the head in the preview. */
static bool locate(gp_preparer *pp, const char *source, gp_face_geometry *g, gp_report *findings, gp_error **err)
{
    gp_rgb_image img = gp_rgb_buffer_image(&pp->preview);
    int short_side = img.width < img.height ? img.width : img.height;
    const double shares[2] = {FACE_SHARE_FIRST, FACE_SHARE_SECOND};
    for (int pass = 0; pass < 2; pass++) {
        int min_face = (int)(short_side * shares[pass]);
        gp_status st = gp_locate_face(pp->checker->detector, &pp->checker->scratch, &img,
                                      min_face < 24 ? 24 : min_face, short_side, 0, g);
        if (st == GP_E_NOMEM)
            return failed_nomem(err);
        if (st != GP_OK) {
            gp_error_set(err, st, source, 0, "%s",
                         _("the face detector failed on this photo; report this as a gradprint bug"));
            return false;
        }
        if (g->faces > 0)
            break;
    }
    const gp_photo_profile *p = pp->checker->profile;
    if (g->faces == 0)
        return gp_refuse(findings, source, GP_PC_FACE, "%s",
                      _("no face found; the original must show the student's face from the front, eyes open"));
    if (g->faces > 1)
        return gp_refuse(findings, source, GP_PC_FACE, _("%d faces found; the original must show one person"), g->faces);
    if (!g->eyes_found)
        return gp_refuse(findings, source, GP_PC_EYES, "%s",
                      _("the eyes cannot be found (closed, glare on glasses, hair?), so the photo cannot be placed; "
                        "photograph the student again"));
    if (fabs(g->tilt) > p->max_tilt)
        return gp_refuse(findings, source, GP_PC_TILT,
                      _("the head is tilted by %.1f degrees (at most %.0f); a photo is never turned to straighten "
                        "it: photograph the student again with the head upright"),
                      g->tilt, p->max_tilt);
    if (g->head_top < 0)
        return gp_refuse(findings, source, GP_PC_HEAD_TOP, "%s",
                      _("the top of the head cannot be told from the background; photograph against a plain "
                        "background that differs from the hair"));
    if (g->head_top <= 1)
        return gp_refuse(findings, source, GP_PC_HEAD_TOP, "%s",
                      _("the head touches the top edge of the original; photograph with room above the head"));
    return true;
}

static bool plan(gp_preparer *pp, const gp_original *o, const char *source, const gp_face_geometry *g,
                 gp_crop_plan *plan_out, gp_report *findings)
{
    const gp_photo_profile *p = pp->checker->profile;
    double k = (double)o->width / pp->preview.width; /* original pixels per preview pixel */
    double ipd = hypot(g->eye_rx - g->eye_lx, g->eye_ry - g->eye_ly);
    double face = g->face_width > 0 ? g->face_width : 2.2 * ipd;
    double cx = g->face_left >= 0 ? (g->face_left + g->face_right) / 2.0 : (g->eye_lx + g->eye_rx) / 2.0;
    gp_face_facts facts = {g->head_top * k, g->eye_line * k, cx * k, face * k, o->width, o->height};
    switch (gp_plan_crop(p, &facts, plan_out)) {
    case GP_PLAN_OK: return true;
    case GP_PLAN_TOP:
        return gp_refuse(findings, source, GP_PC_HEAD_TOP, "%s",
                      _("the head is too close to the top of the original for the space the standard asks above "
                        "it; photograph with more room above the head"));
    case GP_PLAN_BOTTOM:
        return gp_refuse(findings, source, GP_PC_SIZE, "%s",
                      _("the original ends too close below the face for a 3:4 photo; photograph down to the "
                        "shoulders"));
    case GP_PLAN_SIDES:
        return gp_refuse(findings, source, GP_PC_CENTRE, "%s",
                      _("the face is too close to a side of the original to be centred; photograph the student in "
                        "the middle"));
    case GP_PLAN_SMALL:
        return gp_refuse(findings, source, GP_PC_FACE_WIDTH,
                      _("the face is only %.0f px wide in the original; the standard asks for %d-%d px and "
                        "enlarging blurs it: photograph closer or deliver a larger original"),
                      facts.face_width, p->face_width.min, p->face_width.max);
    case GP_PLAN_PROPORTIONS: break;
    }
    return gp_refuse(findings, source, GP_PC_EYES,
                  _("the head top, the eye line and the face width cannot all meet their bands at once (%.0f px "
                    "from head top to eyes for a face %.0f px wide); check the hair or headwear"),
                  facts.eye_line - facts.head_top, facts.face_width);
}

/* The crop, resampled to the output size: from the preview when it has
 * pixels enough, otherwise from a second decode of just the crop. */
static bool render(gp_preparer *pp, gp_original *o, const gp_crop_plan *pl, gp_prepared_photo *out, gp_error **err)
{
    const gp_photo_profile *p = pp->checker->profile;
    double cw = p->width / pl->scale, ch = p->height / pl->scale;
    out->crop_x = (int)lround(pl->x);
    out->crop_y = (int)lround(pl->y);
    out->crop_w = (int)lround(cw);
    out->crop_h = (int)lround(ch);
    double k = (double)pp->preview.width / o->width;
    gp_rgb_image src;
    double sx, sy, sw, sh;
    if (cw * k >= p->width * SOURCE_MARGIN || k >= 1.0) {
        src = gp_rgb_buffer_image(&pp->preview);
        sx = pl->x * k;
        sy = pl->y * k;
        sw = cw * k;
        sh = ch * k;
    } else {
        int m = scale_for((int)cw, p->width * SOURCE_MARGIN);
        int pad = 8; /* room for the filter's taps */
        double ox = 0, oy = 0;
        if (!gp_original_decode_region(o, m, (int)floor(pl->x) - pad, (int)floor(pl->y) - pad, (int)ceil(cw) + 2 * pad,
                                       (int)ceil(ch) + 2 * pad, &pp->region, &ox, &oy, err))
            return false;
        double f = m / 8.0;
        src = gp_rgb_buffer_image(&pp->region);
        sx = (pl->x - ox) * f;
        sy = (pl->y - oy) * f;
        sw = cw * f;
        sh = ch * f;
    }
    if (!gp_rgb_resample(&src, sx, sy, sw, sh, &pp->out, p->width, p->height))
        return failed_nomem(err);
    return true;
}

/* Camera and editing software tag Adobe RGB and their own profiles; the
 * delivered photo carries none, so it must be sRGB itself. */
static void to_srgb(gp_preparer *pp, const gp_original *o, const char *source, gp_report *findings)
{
    if (o->is_png || o->markers.icc_chunks == 0)
        return;
    size_t icc_size = 0;
    unsigned char *bytes = gp_jpeg_icc_profile(o->data, o->size, &icc_size);
    gp_icc *icc = bytes != NULL ? gp_icc_open(bytes, icc_size) : NULL;
    free(bytes);
    if (icc == NULL) {
        gp_report_add(findings, GP_WARNING, gp_photo_code_name(GP_PC_COLOUR), source, 0, NULL, "%s",
                      _("the original's colour profile cannot be read; its colours were taken as sRGB"));
        return;
    }
    if (!gp_icc_is_srgb(icc))
        gp_icc_to_srgb(icc, pp->out.pixels, (size_t)pp->out.width * (size_t)pp->out.height);
    gp_icc_free(icc);
}

static bool encode_and_check(gp_preparer *pp, const char *source, const char *out_name, gp_prepared_photo *out,
                             gp_report *findings, gp_error **err)
{
    const gp_photo_profile *p = pp->checker->profile;
    gp_rgb_image img = gp_rgb_buffer_image(&pp->out);
    int why = 0;
    out->jpeg = gp_encode_fitting(p, &img, pp->last_quality, &out->quality, &out->size, &why);
    if (out->jpeg != NULL)
        pp->last_quality = out->quality;
    if (out->jpeg == NULL && why == 1)
        return gp_refuse(findings, source, GP_PC_FILE_SIZE,
                      _("even at quality %d the photo is %.1f KB, over the %d KB allowed (a noisy original?); "
                        "photograph again in better light"),
                      p->min_quality, out->size / 1024.0, p->file_kb.max);
    if (out->jpeg == NULL && why == 2)
        return gp_refuse(findings, source, GP_PC_FILE_SIZE,
                      _("even at quality 100 the photo is only %.1f KB, under the %d KB asked for, and gradprint "
                        "never pads a file; is the original blurred?"),
                      out->size / 1024.0, p->file_kb.min);
    if (out->jpeg == NULL)
        return failed_nomem(err);
    if (gp_photo_check_memory(pp->checker, out_name, out->jpeg, out->size, &out->check, err) != GP_OK)
        return false;
    const gp_report *r = gp_photo_check_report(out->check);
    bool ok = gp_photo_check_ok(out->check);
    for (size_t i = 0; i < gp_report_count(r); i++) {
        const gp_finding *f = gp_report_get(r, i);
        if (f->severity == GP_ERROR)
            gp_report_add(findings, GP_ERROR, f->code, source, 0, NULL, _("the prepared photo would fail the check: %s"),
                          f->message);
        else
            gp_report_add(findings, GP_WARNING, f->code, source, 0, NULL, "%s", f->message);
    }
    return ok;
}

bool gp_prepare_photo(gp_preparer *pp, const char *source, const char *out_name, const unsigned char *data,
                      size_t size, gp_report *findings, gp_prepared_photo *out, gp_error **err)
{
    memset(out, 0, sizeof *out);
    gp_original o;
    bool ok = gp_original_open(&o, source, data, size, findings);
    if (ok) {
        int long_side = o.width > o.height ? o.width : o.height;
        ok = gp_original_decode(&o, scale_for(long_side, PREVIEW_SIDE), &pp->preview, err);
        if (!ok && err != NULL && *err != NULL && gp_error_status(*err) == GP_E_INVALID) {
            /* Damage is the photo's problem, not the run's. */
            gp_refuse(findings, source, GP_PC_FORMAT, "%s", gp_error_message(*err));
            gp_error_free(*err);
            *err = NULL;
        }
    }
    gp_face_geometry g;
    ok = ok && locate(pp, source, &g, findings, err);
    ok = ok && plan(pp, &o, source, &g, &out->plan, findings);
    ok = ok && render(pp, &o, &out->plan, out, err);
    if (ok)
        to_srgb(pp, &o, source, findings);
    ok = ok && encode_and_check(pp, source, out_name, out, findings, err);
    gp_original_close(&o);
    if (!ok) {
        gp_prepared_photo_clear(out);
        return false;
    }
    return true;
}
