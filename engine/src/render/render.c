/* Marks onto cairo. Raster targets get each photo resampled once per slot
 * size and copied onto whole device pixels, so a slot is exactly
 * gp_mm_to_px(w) x gp_mm_to_px(h) at its rounded position; vector targets get
 * one JPEG surface per photo, clipped and scaled into every slot. Template
 * images come from the env's cache (image-load.c). The calibration moves
 * every mark except the background, which stands for the blank itself. */
#include "render-private.h"
#include "base/units-private.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/error-private.h"
#include "../base/i18n-private.h"

static void drop_slots(gp_render_env *env)
{
    for (int i = 0; i < GP_RENDER_SLOT_CACHE; i++) {
        if (env->slots[i].surface != NULL)
            cairo_surface_destroy(env->slots[i].surface);
        env->slots[i].surface = NULL;
        env->slots[i].w_px = env->slots[i].h_px = 0;
    }
}

static void drop_photo(gp_render_env *env)
{
    drop_slots(env);
    if (env->jpeg_surface != NULL)
        cairo_surface_destroy(env->jpeg_surface);
    env->jpeg_surface = NULL;
    if (env->photo_pixels != NULL)
        cairo_surface_destroy(env->photo_pixels);
    env->photo_pixels = NULL;
    env->photo = NULL;
}

void gp_render_env_init(gp_render_env *env, gp_text_engine *text, bool raster)
{
    memset(env, 0, sizeof *env);
    env->text = text;
    env->raster = raster;
    env->scale_x = env->scale_y = 1.0;
}

void gp_render_env_set_photo(gp_render_env *env, const gp_photo *photo, cairo_surface_t *pixels)
{
    drop_photo(env);
    env->photo = photo;
    env->photo_pixels = pixels != NULL ? cairo_surface_reference(pixels) : NULL;
}

void gp_render_env_reset(gp_render_env *env)
{
    drop_photo(env);
}

void gp_render_env_free(gp_render_env *env)
{
    drop_photo(env);
    gp_render_images_free(env);
}

static uint64_t rotl64(uint64_t v, int r)
{
    return (v << r) | (v >> (64 - r));
}

/* Two unrelated 64-bit hashes and the length: cairo trusts equal unique ids
 * blindly and would put one student's photo in another's slots, so a
 * collision must be out of the question, not merely unlikely. Eight bytes a
 * step keeps this under 0.1 ms for a 40 KB photo. */
static void jpeg_unique_id(const unsigned char *data, size_t size, int w, int h, char *out, size_t out_size)
{
    uint64_t a = 0xcbf29ce484222325u, b = 0x9e3779b97f4a7c15u;
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t v;
        memcpy(&v, data + i, 8);
        a = rotl64((a ^ v) * 0x100000001b3u, 29);
        b = (b + v) * 0xff51afd7ed558ccdu;
        b ^= b >> 31;
    }
    for (; i < size; i++) {
        a = rotl64((a ^ data[i]) * 0x100000001b3u, 29);
        b = (b + data[i]) * 0xff51afd7ed558ccdu;
        b ^= b >> 31;
    }
    a ^= a >> 33;
    a *= 0xc4ceb9fe1a85ec53u;
    a ^= a >> 33;
    b ^= b >> 29;
    b *= 0xbf58476d1ce4e5b9u;
    b ^= b >> 32;
    /* The backing size is part of the id: cairo reuses the first surface's
     * extents for every later one with the same id. */
    snprintf(out, out_size, "gp-jpeg-%016llx%016llx-%zu-%dx%d", (unsigned long long)a, (unsigned long long)b, size,
             w, h);
}

static void release_surface(void *data)
{
    cairo_surface_destroy(data);
}

cairo_surface_t *gp_render_jpeg_surface(const gp_photo *photo, cairo_surface_t *pixels)
{
    static cairo_user_data_key_t backing_key; /* only its address is used */
    if (photo == NULL || photo->jpeg == NULL || photo->size == 0 || photo->size > UINT32_MAX || pixels == NULL ||
        cairo_surface_status(pixels) != CAIRO_STATUS_SUCCESS ||
        cairo_surface_get_type(pixels) != CAIRO_SURFACE_TYPE_IMAGE)
        return NULL;
    cairo_surface_flush(pixels);
    int w = cairo_image_surface_get_width(pixels), h = cairo_image_surface_get_height(pixels);
    /* A wrapper over the same memory: mime data must not go onto the
     * caller's surface, whose later drawing or mark_dirty would detach it
     * or trip cairo's assertion. */
    cairo_surface_t *s = cairo_image_surface_create_for_data(cairo_image_surface_get_data(pixels),
                                                             cairo_image_surface_get_format(pixels), w, h,
                                                             cairo_image_surface_get_stride(pixels));
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    if (cairo_surface_set_user_data(s, &backing_key, cairo_surface_reference(pixels), release_surface) !=
        CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(pixels);
        cairo_surface_destroy(s);
        return NULL;
    }
    cairo_surface_mark_dirty(s); /* before any mime data: afterwards it aborts */

    /* cairo keeps the surface until the page is shown; its own copy of the
     * bytes makes that independent of when the caller frees the photo. */
    unsigned char *bytes = malloc(photo->size);
    char id[96];
    jpeg_unique_id(photo->jpeg, photo->size, w, h, id, sizeof id);
    char *id_copy = strdup(id);
    if (bytes == NULL || id_copy == NULL) {
        free(bytes);
        free(id_copy);
        cairo_surface_destroy(s);
        return NULL;
    }
    memcpy(bytes, photo->jpeg, photo->size);
    if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, bytes, (unsigned long)photo->size, free, bytes) !=
        CAIRO_STATUS_SUCCESS) {
        free(bytes);
        free(id_copy);
        cairo_surface_destroy(s);
        return NULL;
    }
    if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_UNIQUE_ID, (const unsigned char *)id_copy, strlen(id_copy),
                                    free, id_copy) != CAIRO_STATUS_SUCCESS) {
        free(id_copy);
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

static gp_status status_from_cairo(cairo_status_t cs, gp_error **err)
{
    if (cs == CAIRO_STATUS_NO_MEMORY)
        return gp_error_nomem(err);
    if (cs == CAIRO_STATUS_WRITE_ERROR)
        return gp_error_set(err, GP_E_IO, NULL, 0, _("writing the output failed; check free disk space and retry"));
    return gp_error_set(err, GP_E_INTERNAL, NULL, 0, _("drawing failed: %s"), cairo_status_to_string(cs));
}

static gp_status photo_pixels(gp_render_env *env, gp_error **err)
{
    if (env->photo_pixels != NULL)
        return GP_OK;
    /* A PDF carries the JPEG itself; its stand-in pixels only need to exist. */
    return gp_photo_decode(env->photo, env->raster ? 1 : 8, &env->photo_pixels, err);
}

static cairo_surface_t *slot_surface(gp_render_env *env, int w_px, int h_px, gp_error **err)
{
    int free_slot = -1;
    for (int i = 0; i < GP_RENDER_SLOT_CACHE; i++) {
        if (env->slots[i].surface == NULL) {
            if (free_slot < 0)
                free_slot = i;
        } else if (env->slots[i].w_px == w_px && env->slots[i].h_px == h_px) {
            return env->slots[i].surface;
        }
    }
    cairo_surface_t *s = gp_photo_scale_to_slot(env->photo_pixels, w_px, h_px);
    if (s == NULL || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        if (s != NULL)
            cairo_surface_destroy(s);
        gp_error_nomem(err);
        return NULL;
    }
    if (free_slot < 0) {
        /* More slot sizes than the cache holds: the oldest goes. */
        cairo_surface_destroy(env->slots[0].surface);
        memmove(&env->slots[0], &env->slots[1], sizeof env->slots[0] * (GP_RENDER_SLOT_CACHE - 1));
        free_slot = GP_RENDER_SLOT_CACHE - 1;
    }
    env->slots[free_slot].w_px = w_px;
    env->slots[free_slot].h_px = h_px;
    env->slots[free_slot].surface = s;
    return s;
}

/* The surface pixels, clipped to the box, scaled so the crop of the photo
 * fills it. photo_w/h is the photo's real size; the surface may be smaller
 * (a 1/8 stand-in) and the crop is mapped onto it. */
static void paint_cropped(cairo_t *cr, cairo_surface_t *surface, int photo_w, int photo_h, const gp_box *box)
{
    int sw = cairo_image_surface_get_width(surface), sh = cairo_image_surface_get_height(surface);
    gp_crop crop = gp_photo_crop(photo_w, photo_h, box->w, box->h);
    double fx = (double)sw / photo_w, fy = (double)sh / photo_h;
    cairo_save(cr);
    cairo_rectangle(cr, box->x, box->y, box->w, box->h);
    cairo_clip(cr);
    cairo_translate(cr, box->x, box->y);
    cairo_scale(cr, box->w / (crop.w * fx), box->h / (crop.h * fy));
    /* Default extend: cairo's PDF backend re-encodes a padded image, which
     * would lose the JPEG pass-through; the crop lies inside the photo. */
    cairo_set_source_surface(cr, surface, -crop.x * fx, -crop.y * fy);
    cairo_paint(cr);
    cairo_restore(cr);
}

static bool axis_aligned(cairo_t *cr)
{
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    return m.xy == 0.0 && m.yx == 0.0 && m.xx > 0.0 && m.yy > 0.0;
}

static gp_status draw_photo_raster(cairo_t *cr, gp_render_env *env, const gp_box *box, gp_error **err)
{
    if (!axis_aligned(cr)) {
        /* Not a driver's page (rotated or mirrored): no pixel grid to hit. */
        paint_cropped(cr, env->photo_pixels, env->photo->width, env->photo->height, box);
        return GP_OK;
    }
    double x0 = box->x, y0 = box->y, w = box->w, h = box->h;
    cairo_user_to_device(cr, &x0, &y0);
    cairo_user_to_device_distance(cr, &w, &h);
    /* Edges and size rounded separately, as gp_mm_to_px does, so a 35 mm
     * slot is 413 px wherever it sits. */
    int x_px = (int)floor(x0 + 0.5), y_px = (int)floor(y0 + 0.5);
    int w_px = (int)floor(w + 0.5), h_px = (int)floor(h + 0.5);
    if (w_px <= 0 || h_px <= 0)
        return GP_OK;
    cairo_surface_t *slot = slot_surface(env, w_px, h_px, err);
    if (slot == NULL)
        return GP_E_NOMEM;
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_set_source_surface(cr, slot, x_px, y_px);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_rectangle(cr, x_px, y_px, w_px, h_px);
    cairo_fill(cr);
    cairo_restore(cr);
    return GP_OK;
}

static gp_status draw_photo(cairo_t *cr, gp_render_env *env, const gp_mark *mark, gp_error **err)
{
    if (env->photo == NULL || mark->box.w <= 0 || mark->box.h <= 0)
        return GP_OK;
    gp_status st = photo_pixels(env, err);
    if (st != GP_OK)
        return st;
    if (env->raster)
        return draw_photo_raster(cr, env, &mark->box, err);
    if (env->jpeg_surface == NULL) {
        env->jpeg_surface = gp_render_jpeg_surface(env->photo, env->photo_pixels);
        if (env->jpeg_surface == NULL)
            return gp_error_nomem(err);
    }
    paint_cropped(cr, env->jpeg_surface, env->photo->width, env->photo->height, &mark->box);
    return GP_OK;
}

static void draw_line(cairo_t *cr, const gp_mark *mark)
{
    if (mark->line_width_mm <= 0)
        return;
    cairo_save(cr);
    cairo_set_source_rgb(cr, mark->color[0], mark->color[1], mark->color[2]);
    cairo_set_line_width(cr, mark->line_width_mm);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_move_to(cr, mark->box.x, mark->box.y);
    cairo_line_to(cr, mark->box.x + mark->box.w, mark->box.y + mark->box.h);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void draw_text(cairo_t *cr, gp_render_env *env, const gp_mark *mark)
{
    if (mark->text == NULL || mark->text[0] == '\0')
        return;
    if (mark->style.family != NULL) {
        gp_text_draw(env->text, cr, &mark->style, mark->size_pt, mark->text, &mark->box);
    } else {
        gp_text_style style = gp_text_style_simple("sans", mark->size_pt, false, GP_ALIGN_LEFT);
        gp_text_draw(env->text, cr, &style, mark->size_pt, mark->text, &mark->box);
    }
}

static gp_status draw_image(cairo_t *cr, gp_render_env *env, const gp_mark *mark, gp_error **err)
{
    const gp_render_image *img = NULL;
    gp_status st = gp_render_image_get(env, &mark->image, mark->line, &img, err);
    if (st == GP_OK)
        gp_render_image_draw(cr, img, &mark->box);
    return st;
}

/* The blank under a proof: in the page's own coordinates, since it shows
 * where the paper's printing is, which no printer setting moves. */
static gp_status draw_backgrounds(cairo_t *cr, const gp_layout *layout, gp_render_env *env, gp_error **err)
{
    if (!env->proof)
        return GP_OK;
    for (size_t i = 0; i < layout->count; i++) {
        if (layout->marks[i].kind != GP_MARK_BACKGROUND)
            continue;
        gp_status st = draw_image(cr, env, &layout->marks[i], err);
        if (st != GP_OK)
            return st;
    }
    return GP_OK;
}

static gp_status draw_mark(cairo_t *cr, gp_render_env *env, const gp_mark *mark, gp_error **err)
{
    switch (mark->kind) {
    case GP_MARK_LINE:
        draw_line(cr, mark);
        return GP_OK;
    case GP_MARK_PHOTO:
        return draw_photo(cr, env, mark, err);
    case GP_MARK_QR: {
        char level = mark->qr_level != 0 ? mark->qr_level : 'M';
        double size = mark->box.w < mark->box.h ? mark->box.w : mark->box.h;
        gp_error *qr_err = NULL;
        gp_status st = gp_render_qr(cr, mark->text != NULL ? mark->text : "", level, mark->box.x, mark->box.y, size,
                                    &qr_err);
        if (st != GP_OK) {
            /* Point at the template element the QR code comes from. */
            if (mark->line > 0)
                gp_error_set(err, st, NULL, 0, _("template line %ld: %s"), mark->line,
                             gp_error_message(qr_err));
            else
                gp_error_set(err, st, NULL, 0, "%s", gp_error_message(qr_err));
            gp_error_free(qr_err);
        }
        return st;
    }
    case GP_MARK_TEXT:
        draw_text(cr, env, mark);
        return GP_OK;
    case GP_MARK_IMAGE:
        return draw_image(cr, env, mark, err);
    case GP_MARK_BACKGROUND:
        /* Drawn before everything else, outside the calibration. */
        return GP_OK;
    case GP_MARK_PARAGRAPH:
        /* A certificate without its paragraph must never reach a blank. */
        if (mark->style.family != NULL && mark->text != NULL &&
            !gp_text_paragraph_draw(env->text, cr, &mark->style, &mark->para, mark->size_pt,
                                    mark->text, mark->spans, mark->nspans, &mark->box))
            return gp_error_nomem(err);
        return GP_OK;
    }
    return gp_error_set(err, GP_E_INTERNAL, NULL, 0, _("unknown mark kind %d"), (int)mark->kind);
}

gp_status gp_render_layout(cairo_t *cr, const gp_layout *layout, gp_render_env *env, gp_error **err)
{
    cairo_status_t cs = cairo_status(cr);
    if (cs != CAIRO_STATUS_SUCCESS)
        return status_from_cairo(cs, err);
    if (!(env->scale_x > 0) || !(env->scale_y > 0) || !isfinite(env->scale_x) || !isfinite(env->scale_y) ||
        !isfinite(env->offset_x_mm) || !isfinite(env->offset_y_mm))
        return gp_error_set(err, GP_E_USAGE, NULL, 0,
                            _("calibration offset %g, %g mm and scale %g x %g cannot be applied; check the printer "
                              "profile"),
                            env->offset_x_mm, env->offset_y_mm, env->scale_x, env->scale_y);
    gp_status st = draw_backgrounds(cr, layout, env, err);
    if (st != GP_OK)
        return st;
    cairo_save(cr);
    cairo_translate(cr, env->offset_x_mm, env->offset_y_mm);
    cairo_scale(cr, env->scale_x, env->scale_y);
    for (size_t i = 0; i < layout->count && st == GP_OK; i++)
        st = draw_mark(cr, env, &layout->marks[i], err);
    cairo_restore(cr);
    if (st != GP_OK)
        return st;
    cs = cairo_status(cr);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(cairo_get_target(cr));
    return cs == CAIRO_STATUS_SUCCESS ? GP_OK : status_from_cairo(cs, err);
}
