/* The report of `photos check --report DIR`: report.csv with every photo's
 * measurements and findings (UTF-8 with a BOM, so Excel reads it),
 * orphans.csv listing photos named after nobody in the roster, and
 * contact-sheet.pdf: each failing photo with the standard's bands (green)
 * and what was measured (red) drawn over it, so a contractor sees at a
 * glance why it failed. Everything is written 0600 and atomically: the
 * files hold personal data. */
#include <cairo-pdf.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/context-private.h"
#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/strbuf-private.h"
#include "photo-checker-private.h"
#include "photo-private.h"
#include "photos-jobs-private.h"
#include "roster/roster-private.h"

#define MM_PER_PT (25.4 / 72.0)
#define PAGE_W 210.0
#define PAGE_H 297.0
#define MARGIN 12.0
#define COLUMNS 3
#define ROWS 3
#define CELL_W 58.0
#define PHOTO_W 54.0
#define CAPTION_H 14.0

static void csv_field(gp_strbuf *sb, const char *s, bool last)
{
    if (s == NULL)
        s = "";
    if (strpbrk(s, ",\"\r\n") != NULL) {
        gp_strbuf_append_char(sb, '"');
        for (; *s; s++) {
            if (*s == '"')
                gp_strbuf_append_char(sb, '"');
            gp_strbuf_append_char(sb, *s);
        }
        gp_strbuf_append_char(sb, '"');
    } else {
        gp_strbuf_append(sb, s);
    }
    gp_strbuf_append(sb, last ? "\r\n" : ",");
}

static void csv_number(gp_strbuf *sb, double v, int decimals, bool known)
{
    if (known)
        gp_strbuf_appendf(sb, "%.*f,", decimals, v);
    else
        gp_strbuf_append(sb, ",");
}

/* The findings of a photo as "code; code" and their messages. */
static void findings_text(const gp_report *r, gp_strbuf *codes, gp_strbuf *messages)
{
    for (size_t i = 0; i < gp_report_count(r); i++) {
        const gp_finding *f = gp_report_get(r, i);
        if (i > 0) {
            gp_strbuf_append(codes, "; ");
            gp_strbuf_append(messages, " | ");
        }
        gp_strbuf_append(codes, f->code);
        if (f->severity == GP_WARNING)
            gp_strbuf_append(codes, "?");
        gp_strbuf_append(messages, f->message);
    }
}

static gp_status write_csv(const gp_photos_check_result *r, const char *dir, gp_error **err)
{
    gp_strbuf sb, codes, messages;
    gp_strbuf_init(&sb);
    gp_strbuf_init(&codes);
    gp_strbuf_init(&messages);
    gp_strbuf_append(&sb, "\xEF\xBB\xBF");
    gp_strbuf_append(&sb, "file,id_number,student_no,ok,width,height,dpi,quality,kb,background,delta_e,head_top,"
                          "eye_line,face_width,tilt,centre_offset,sharpness,black_edge,findings,messages\r\n");
    for (size_t i = 0; i < r->count; i++) {
        const gp_checked_photo *p = &r->photos[i];
        const gp_photo_measurements *m = gp_photo_check_measurements(p->check);
        csv_field(&sb, p->file, false);
        csv_field(&sb, p->check->id_number, false);
        csv_field(&sb, p->record != NULL ? gp_record_key(p->record, GP_KEY_STUDENT_NO) : NULL, false);
        csv_field(&sb, gp_photo_check_ok(p->check) ? "yes" : "no", false);
        csv_number(&sb, m->width, 0, m->width > 0);
        csv_number(&sb, m->height, 0, m->height > 0);
        csv_number(&sb, m->dpi_x, 0, m->dpi_x > 0);
        csv_number(&sb, m->quality, 0, m->quality > 0);
        csv_number(&sb, m->file_bytes / 1024.0, 1, true);
        if (m->decoded)
            gp_strbuf_appendf(&sb, "#%02X%02X%02X,", m->background[0], m->background[1], m->background[2]);
        else
            gp_strbuf_append(&sb, ",");
        csv_number(&sb, m->background_delta_e, 1, m->decoded);
        csv_number(&sb, m->head_top, 0, m->head_top >= 0);
        csv_number(&sb, m->eye_line, 0, m->faces > 0);
        csv_number(&sb, m->face_width, 0, m->face_width >= 0);
        csv_number(&sb, m->tilt, 1, m->eyes_found);
        csv_number(&sb, m->centre_offset, 0, m->faces > 0);
        csv_number(&sb, m->sharpness, 1, m->sharpness >= 0);
        csv_number(&sb, m->black_edge, 0, m->decoded);
        gp_strbuf_clear(&codes);
        gp_strbuf_clear(&messages);
        findings_text(gp_photo_check_report(p->check), &codes, &messages);
        csv_field(&sb, codes.data, false);
        csv_field(&sb, messages.data, true);
    }
    gp_strbuf_free(&codes);
    gp_strbuf_free(&messages);
    if (gp_strbuf_failed(&sb))
        return gp_error_nomem(err);
    char *path = gp_path_join(dir, "report.csv");
    gp_status st = path != NULL ? gp_write_file_atomic(path, sb.data, sb.len, err) : gp_error_nomem(err);
    free(path);
    gp_strbuf_free(&sb);
    return st;
}

static gp_status write_orphans(const gp_photos_check_result *r, const char *dir, gp_error **err)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_append(&sb, "\xEF\xBB\xBF" "file\r\n");
    for (size_t i = 0; i < r->norphans; i++)
        csv_field(&sb, r->orphans[i], true);
    if (gp_strbuf_failed(&sb))
        return gp_error_nomem(err);
    char *path = gp_path_join(dir, "orphans.csv");
    gp_status st = path != NULL ? gp_write_file_atomic(path, sb.data, sb.len, err) : gp_error_nomem(err);
    free(path);
    gp_strbuf_free(&sb);
    return st;
}

/* ------------------------------------------------------------ contact sheet */

typedef struct sheet {
    cairo_t *cr;
    PangoLayout *layout;
    const gp_photo_profile *profile;
    int slot;
} sheet;

/* Text is laid out in points (the PDF's own unit): pango measures glyphs
 * at the size they are drawn, and a millimetre-scaled context would round
 * their advances. */
static void text(sheet *s, double x, double y, double width, double size_pt, const char *utf8)
{
    cairo_save(s->cr);
    cairo_scale(s->cr, MM_PER_PT, MM_PER_PT);
    pango_cairo_update_layout(s->cr, s->layout);
    PangoFontDescription *desc = pango_font_description_from_string("sans");
    pango_font_description_set_absolute_size(desc, size_pt * PANGO_SCALE);
    pango_layout_set_font_description(s->layout, desc);
    pango_font_description_free(desc);
    pango_layout_set_width(s->layout, (int)(width / MM_PER_PT * PANGO_SCALE));
    pango_layout_set_ellipsize(s->layout, PANGO_ELLIPSIZE_END);
    pango_layout_set_text(s->layout, utf8, -1);
    cairo_move_to(s->cr, x / MM_PER_PT, y / MM_PER_PT);
    pango_cairo_show_layout(s->cr, s->layout);
    cairo_restore(s->cr);
}

static void hline(cairo_t *cr, double y, double x0, double x1)
{
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1, y);
    cairo_stroke(cr);
}

/* Drawn in the photo's own pixels. */
static void overlays(cairo_t *cr, const gp_photo_profile *p, const gp_photo_measurements *m, double px)
{
    int w = m->width > 0 ? m->width : p->width;
    cairo_set_line_width(cr, px * 0.35);
    /* The standard's bands. */
    cairo_set_source_rgba(cr, 0.1, 0.75, 0.2, 0.22);
    cairo_rectangle(cr, 0, p->head_top.min, w, p->head_top.max - p->head_top.min);
    cairo_rectangle(cr, 0, p->eyes.min, w, p->eyes.max - p->eyes.min);
    cairo_fill(cr);
    cairo_set_source_rgba(cr, 0.0, 0.55, 0.1, 0.9);
    double dash[] = {px * 1.2, px * 0.8};
    cairo_set_dash(cr, dash, 2, 0);
    double cx = w / 2.0, y0 = p->eyes.min, y1 = p->eyes.max + (p->eyes.max - p->eyes.min);
    for (int k = -1; k <= 1; k += 2) {
        double xs[2] = {cx + k * p->face_width.min / 2.0, cx + k * p->face_width.max / 2.0};
        for (int j = 0; j < 2; j++) {
            cairo_move_to(cr, xs[j], y0);
            cairo_line_to(cr, xs[j], y1);
        }
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    /* What was measured. */
    cairo_set_source_rgba(cr, 0.9, 0.05, 0.05, 0.95);
    cairo_set_line_width(cr, px * 0.45);
    if (m->head_top >= 0)
        hline(cr, m->head_top, 0, w);
    if (m->faces > 0) {
        hline(cr, m->eye_line, 0, w);
        cairo_rectangle(cr, m->face_x, m->face_y, m->face_w, m->face_h);
        cairo_stroke(cr);
        if (m->face_left >= 0) {
            double yc = m->eye_line + 0.25 * m->face_h;
            for (int k = 0; k < 2; k++) {
                double x = k ? m->face_right : m->face_left;
                cairo_move_to(cr, x, yc - 18);
                cairo_line_to(cr, x, yc + 18);
            }
            cairo_stroke(cr);
        }
        if (m->eyes_found) {
            double e = 6;
            double xs[2] = {m->eye_left_x, m->eye_right_x}, ys[2] = {m->eye_left_y, m->eye_right_y};
            for (int k = 0; k < 2; k++) {
                cairo_move_to(cr, xs[k] - e, ys[k]);
                cairo_line_to(cr, xs[k] + e, ys[k]);
                cairo_move_to(cr, xs[k], ys[k] - e);
                cairo_line_to(cr, xs[k], ys[k] + e);
            }
            cairo_stroke(cr);
        }
    }
}

static cairo_surface_t *photo_pixels(const char *path)
{
    gp_photo *photo = NULL;
    if (gp_photo_load(path, &photo, NULL) != GP_OK)
        return NULL;
    cairo_surface_t *s = NULL;
    if (gp_photo_decode(photo, 1, &s, NULL) != GP_OK)
        s = NULL;
    gp_photo_free(photo);
    return s;
}

static gp_status draw_photo(sheet *s, const gp_checked_photo *ph)
{
    int col = s->slot % COLUMNS, row = (s->slot / COLUMNS) % ROWS;
    if (s->slot % (COLUMNS * ROWS) == 0) {
        if (s->slot > 0)
            cairo_show_page(s->cr);
        cairo_set_source_rgb(s->cr, 0, 0, 0);
        text(s, MARGIN, MARGIN - 2.0, PAGE_W - 2 * MARGIN, 8,
             _("green: the standard's bands (head top, eye line, face width); red: what was measured"));
    }
    s->slot++;
    const gp_photo_measurements *m = gp_photo_check_measurements(ph->check);
    int w = m->width > 0 ? m->width : s->profile->width, h = m->height > 0 ? m->height : s->profile->height;
    double x = MARGIN + col * (CELL_W + 6.0), y = MARGIN + 8.0 + row * (PHOTO_W * 4.0 / 3.0 + CAPTION_H + 4.0);
    double scale = fmin(PHOTO_W / w, PHOTO_W * 4.0 / 3.0 / h);
    cairo_t *cr = s->cr;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, scale, scale);
    cairo_surface_t *pixels = ph->check->m.decoded ? photo_pixels(ph->file) : NULL;
    if (pixels != NULL) {
        cairo_set_source_surface(cr, pixels, 0, 0);
        cairo_paint(cr);
        cairo_surface_destroy(pixels);
    } else {
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_rectangle(cr, 0, 0, w, h);
        cairo_fill(cr);
    }
    overlays(cr, s->profile, m, 1.0 / scale);
    cairo_restore(cr);

    const char *slash = strrchr(ph->file, '/');
    gp_strbuf caption;
    gp_strbuf_init(&caption);
    const gp_report *r = gp_photo_check_report(ph->check);
    for (size_t i = 0, n = 0; i < gp_report_count(r); i++)
        if (gp_report_get(r, i)->severity == GP_ERROR) {
            gp_strbuf_append(&caption, n++ ? ", " : "");
            gp_strbuf_append(&caption, gp_report_get(r, i)->code);
        }
    double cy = y + PHOTO_W * 4.0 / 3.0 + 1.0;
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(s, x, cy, PHOTO_W, 7, slash != NULL ? slash + 1 : ph->file);
    cairo_set_source_rgb(cr, 0.8, 0, 0);
    text(s, x, cy + 3.5, PHOTO_W, 7, caption.data != NULL ? caption.data : "");
    gp_strbuf_clear(&caption);
    if (m->faces > 0)
        gp_strbuf_appendf(&caption, _("head %d, eyes %.0f, face %d, tilt %.1f, off centre %.0f"), m->head_top,
                          m->eye_line, m->face_width, m->tilt, m->centre_offset);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    text(s, x, cy + 7.0, PHOTO_W, 6, caption.data != NULL ? caption.data : "");
    gp_strbuf_free(&caption);
    return GP_OK;
}

static cairo_status_t write_fp(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static gp_status write_contact_sheet(gp_context *ctx, const gp_photos_check_result *r, const gp_photo_profile *p,
                                     const char *dir, gp_error **err)
{
    char *path = gp_path_join(dir, "contact-sheet.pdf");
    if (path == NULL)
        return gp_error_nomem(err);
    gp_atomic_file af = {0};
    gp_status st = gp_atomic_open(&af, path, err);
    if (st != GP_OK) {
        free(path);
        return st;
    }
    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(write_fp, af.fp, PAGE_W / MM_PER_PT, PAGE_H / MM_PER_PT);
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE, "gradprint photos check");
    cairo_t *cr = cairo_create(pdf);
    cairo_scale(cr, 1.0 / MM_PER_PT, 1.0 / MM_PER_PT);
    PangoFontMap *fonts = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (fonts != NULL && PANGO_IS_FC_FONT_MAP(fonts))
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fonts), ctx->fonts);
    PangoContext *pc = fonts != NULL ? pango_font_map_create_context(fonts) : NULL;
    PangoLayout *layout = pc != NULL ? pango_layout_new(pc) : NULL;
    if (layout == NULL) {
        st = gp_error_nomem(err);
    } else {
        /* Hinted metrics would round each advance to a whole millimetre. */
        cairo_font_options_t *fo = cairo_font_options_create();
        cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
        pango_cairo_context_set_font_options(pc, fo);
        cairo_font_options_destroy(fo);
        pango_cairo_update_context(cr, pc);
        sheet s = {cr, layout, p, 0};
        for (size_t i = 0; i < r->count && st == GP_OK; i++)
            if (!gp_photo_check_ok(r->photos[i].check))
                st = draw_photo(&s, &r->photos[i]);
    }
    if (layout != NULL)
        g_object_unref(layout);
    if (pc != NULL)
        g_object_unref(pc);
    if (fonts != NULL)
        g_object_unref(fonts);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    if (st == GP_OK && cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS)
        st = gp_error_set(err, GP_E_IO, path, 0, "%s", _("cannot write the contact sheet; is the disk full?"));
    cairo_surface_destroy(pdf);
    if (st == GP_OK)
        st = gp_atomic_commit(&af, err);
    else
        gp_atomic_abort(&af);
    free(path);
    return st;
}

gp_status gp_photos_write_report(gp_context *ctx, const gp_photos_check_result *r, const gp_photo_profile *profile,
                                 const char *dir, gp_error **err)
{
    gp_status st = gp_mkdir_p(dir, err);
    if (st == GP_OK)
        st = write_csv(r, dir, err);
    if (st == GP_OK && r->orphans != NULL)
        st = write_orphans(r, dir, err);
    if (st == GP_OK && r->failed > 0)
        st = write_contact_sheet(ctx, r, profile, dir, err);
    return st;
}
