/* The calibration page: printed on plain paper through the printer and tray
 * that will print the certificates, laid on a blank against the light. A
 * millimetre ruler grid and a crosshair at each element's anchor (and at the
 * centre of each box that holds content) show how far this printer puts marks
 * from where the template wants them. The whole page is drawn under the
 * calibration, like the certificates, so a corrected profile can be checked
 * the same way; the blank's background is never drawn. Magenta rings
 * (calibration-targets.c) give `gradprint calibrate --scan` marks to find
 * in a scan of the page printed on a blank. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "calibration-private.h"
#include "calibration-scan-private.h"
#include "driver.h"
#include "text/text-private.h"
#include "template/template-private.h"

#define CROSS_HALF_MM 5.0   /* a crosshair is two 10 mm lines */
#define CROSS_RADIUS_MM 1.0
#define LABEL_GAP_MM 1.2    /* label's corner from the anchor, right and down */
#define LABEL_PT 5.0
#define NUMBER_PT 5.0
#define TITLE_PT 6.0
#define NUMBER_INSET_MM 3.3 /* grid numbers start inside the 3 mm edge ticks */
#define MAX_LABEL 160

typedef struct rect {
    double x, y, w, h;
} rect;

typedef struct page_ctx {
    cairo_t *cr;
    gp_text_engine *te;
    const gp_template *tpl;
    double w, h;   /* page, mm */
    rect *labels;  /* one per element; w = 0 for elements without a label */
    rect taken[8]; /* the title and legend lines placed so far */
    size_t n_taken;
    gp_calibration_target targets[GP_TARGET_MAX];
    size_t n_targets;
} page_ctx;

static bool overlaps(const rect *a, const rect *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static bool hits_label(const page_ctx *pc, const rect *r)
{
    for (size_t i = 0; i < pc->tpl->count; i++)
        if (pc->labels[i].w > 0 && overlaps(r, &pc->labels[i]))
            return true;
    return false;
}

/* Element kinds named as in the template file, which is what the operator
 * compares the page with. */
static const char *kind_name(gp_element_kind kind)
{
    switch (kind) {
    case GP_EL_PHOTO: return "photo";
    case GP_EL_TEXT: return "text";
    case GP_EL_QRCODE: return "qrcode";
    case GP_EL_LINE: return "line";
    case GP_EL_CUT_GUIDES: return "cut-guides";
    case GP_EL_PARAGRAPH: return "paragraph";
    case GP_EL_IMAGE: return "image";
    case GP_EL_BACKGROUND: return "background";
    }
    return "element";
}

/* Cut guides follow the photo slots and the background is the blank itself:
 * neither has a place of its own to check. */
static bool has_anchor(const gp_element *el)
{
    return el->kind != GP_EL_CUT_GUIDES && el->kind != GP_EL_BACKGROUND;
}

static bool has_centre(const gp_element *el)
{
    switch (el->kind) {
    case GP_EL_TEXT:
    case GP_EL_PARAGRAPH:
    case GP_EL_PHOTO:
    case GP_EL_QRCODE:
    case GP_EL_IMAGE:
        return true;
    default:
        return false;
    }
}

static void label_text(const gp_element *el, char *out, size_t size)
{
    if (el->id != NULL && el->id[0] != '\0')
        snprintf(out, size, "%s  %.1f, %.1f mm", el->id, el->box.x, el->box.y);
    else
        snprintf(out, size, "%s:%ld  %.1f, %.1f mm", kind_name(el->kind), el->line, el->box.x, el->box.y);
}

/* Right of and below the anchor, where the box is; turned to the other side
 * where the page ends. */
static rect place_label(const page_ctx *pc, const gp_element *el, const char *text)
{
    gp_text_style style = gp_text_style_simple("sans", LABEL_PT, false, GP_ALIGN_LEFT);
    gp_text_metrics m;
    gp_text_measure(pc->te, &style, LABEL_PT, text, &m);
    rect r = {el->box.x + LABEL_GAP_MM, el->box.y + LABEL_GAP_MM, m.width_mm, m.height_mm};
    if (r.x + r.w > pc->w)
        r.x = el->box.x - LABEL_GAP_MM - r.w;
    if (r.y + r.h > pc->h)
        r.y = el->box.y - LABEL_GAP_MM - r.h;
    return r;
}

static void stroke_line(cairo_t *cr, double x0, double y0, double x1, double y1)
{
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

static void draw_grid(const page_ctx *pc)
{
    cairo_t *cr = pc->cr;
    cairo_save(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    /* Every 5 mm thin and light, every 10 mm heavier, drawn over them. */
    for (int pass = 0; pass < 2; pass++) {
        int step = pass == 0 ? 5 : 10;
        cairo_set_line_width(cr, pass == 0 ? 0.05 : 0.12);
        cairo_set_source_rgb(cr, pass == 0 ? 0.72 : 0.5, pass == 0 ? 0.72 : 0.5, pass == 0 ? 0.72 : 0.5);
        for (int x = step; x < pc->w; x += step)
            if (pass == 1 || x % 10 != 0)
                stroke_line(cr, x, 0, x, pc->h);
        for (int y = step; y < pc->h; y += step)
            if (pass == 1 || y % 10 != 0)
                stroke_line(cr, 0, y, pc->w, y);
    }
    /* 1 mm ticks along all four edges: 1 mm long, 2 at every 5, 3 at every 10. */
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.08);
    for (int x = 0; x <= pc->w; x++) {
        double len = x % 10 == 0 ? 3 : x % 5 == 0 ? 2 : 1;
        stroke_line(cr, x, 0, x, len);
        stroke_line(cr, x, pc->h, x, pc->h - len);
    }
    for (int y = 0; y <= pc->h; y++) {
        double len = y % 10 == 0 ? 3 : y % 5 == 0 ? 2 : 1;
        stroke_line(cr, 0, y, len, y);
        stroke_line(cr, pc->w, y, pc->w - len, y);
    }
    cairo_restore(cr);
}

/* The millimetre value of every 10 mm line near the top and left edges;
 * left out where an element's label stands, which matters more. */
static void draw_numbers(const page_ctx *pc)
{
    gp_text_style centred = gp_text_style_simple("sans", NUMBER_PT, false, GP_ALIGN_CENTER);
    gp_text_style left = gp_text_style_simple("sans", NUMBER_PT, false, GP_ALIGN_LEFT);
    char text[16];
    gp_text_metrics m;
    for (int x = 10; x < pc->w - 2; x += 10) {
        snprintf(text, sizeof text, "%d", x);
        gp_text_measure(pc->te, &centred, NUMBER_PT, text, &m);
        rect r = {x - m.width_mm / 2, NUMBER_INSET_MM, m.width_mm, m.height_mm};
        if (!hits_label(pc, &r))
            gp_text_draw(pc->te, pc->cr, &centred, NUMBER_PT, text, &(gp_box){r.x, r.y, r.w, r.h});
    }
    for (int y = 10; y < pc->h - 2; y += 10) {
        snprintf(text, sizeof text, "%d", y);
        gp_text_measure(pc->te, &left, NUMBER_PT, text, &m);
        rect r = {NUMBER_INSET_MM, y - m.height_mm / 2, m.width_mm, m.height_mm};
        if (!hits_label(pc, &r))
            gp_text_draw(pc->te, pc->cr, &left, NUMBER_PT, text, &(gp_box){r.x, r.y, r.w, r.h});
    }
}

static void draw_crosshair(cairo_t *cr, double x, double y, double r, double g, double b)
{
    cairo_save(cr);
    cairo_set_source_rgb(cr, r, g, b);
    cairo_set_line_width(cr, 0.1);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    stroke_line(cr, x - CROSS_HALF_MM, y, x + CROSS_HALF_MM, y);
    stroke_line(cr, x, y - CROSS_HALF_MM, x, y + CROSS_HALF_MM);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, CROSS_RADIUS_MM, 0, 2 * acos(-1.0));
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void draw_element(const page_ctx *pc, size_t i)
{
    const gp_element *el = &pc->tpl->elements[i];
    if (!has_anchor(el))
        return;
    cairo_t *cr = pc->cr;
    if (has_centre(el) && el->box.w > 0 && el->box.h > 0) {
        /* The box itself, dashed, so its extent can be read off the blank. */
        cairo_save(cr);
        cairo_set_source_rgb(cr, 0.2, 0.35, 0.8);
        cairo_set_line_width(cr, 0.08);
        double dash[2] = {1.0, 1.0};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_rectangle(cr, el->box.x, el->box.y, el->box.w, el->box.h);
        cairo_stroke(cr);
        cairo_restore(cr);
        draw_crosshair(cr, el->box.x + el->box.w / 2, el->box.y + el->box.h / 2, 0.2, 0.35, 0.8);
    }
    draw_crosshair(cr, el->box.x, el->box.y, 0.85, 0, 0);

    char text[MAX_LABEL];
    label_text(el, text, sizeof text);
    const rect *r = &pc->labels[i];
    /* Paper-white under the label keeps it legible over the grid. */
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, r->x - 0.2, r->y, r->w + 0.4, r->h);
    cairo_fill(cr);
    cairo_restore(cr);
    gp_text_style style = gp_text_style_simple("sans", LABEL_PT, false, GP_ALIGN_LEFT);
    style.color[0] = 0.85;
    gp_text_draw(pc->te, cr, &style, LABEL_PT, text, &(gp_box){r->x, r->y, r->w, r->h});
}

/* Where a w x h block can stand: the first row from the top, at x, that no
 * label, crosshair or earlier block uses. It must not hide what the page
 * is for. */
static rect free_row(page_ctx *pc, double x, double w, double h, double from_y)
{
    rect r = {x, from_y, w, h};
    for (double y = from_y; y + h < pc->h - 4.0; y += 0.5) {
        r.y = y;
        bool found = !hits_label(pc, &r);
        for (size_t i = 0; i < pc->n_taken && found; i++)
            found = !overlaps(&r, &pc->taken[i]);
        for (size_t i = 0; found && i < pc->tpl->count; i++) {
            const gp_element *el = &pc->tpl->elements[i];
            if (!has_anchor(el))
                continue;
            rect cross = {el->box.x - CROSS_HALF_MM, el->box.y - CROSS_HALF_MM, 2 * CROSS_HALF_MM,
                          2 * CROSS_HALF_MM};
            rect centre = cross;
            centre.x += el->box.w / 2;
            centre.y += el->box.h / 2;
            found = !overlaps(&r, &cross) && !(has_centre(el) && overlaps(&r, &centre));
        }
        for (size_t i = 0; found && i < pc->n_targets; i++) {
            rect ring = {pc->targets[i].x_mm - GP_TARGET_OUTER_MM, pc->targets[i].y_mm - GP_TARGET_OUTER_MM,
                         2 * GP_TARGET_OUTER_MM, 2 * GP_TARGET_OUTER_MM};
            found = !overlaps(&r, &ring);
        }
        if (found)
            return r;
    }
    r.y = from_y; /* nowhere free: there, over the grid */
    return r;
}

/* One line of text on paper white in the first free row; smaller on a
 * narrow blank, so it stays on the paper. */
static void text_line(page_ctx *pc, const char *text, double size, bool bold, double from_y, double r, double g,
                      double b)
{
    double x = NUMBER_INSET_MM + 6.0;
    gp_text_style style = gp_text_style_simple("sans", size, bold, GP_ALIGN_LEFT);
    gp_text_metrics m;
    gp_text_measure(pc->te, &style, size, text, &m);
    if (m.width_mm > pc->w - x - 3.0 && m.width_mm > 0) {
        size = fmax(3.0, size * (pc->w - x - 3.0) / m.width_mm);
        style.size_pt = style.min_size_pt = size;
        gp_text_measure(pc->te, &style, size, text, &m);
    }
    rect place = free_row(pc, x, m.width_mm, m.height_mm, from_y);
    if (pc->n_taken < sizeof pc->taken / sizeof *pc->taken)
        pc->taken[pc->n_taken++] = place;
    cairo_save(pc->cr);
    cairo_set_source_rgb(pc->cr, 1, 1, 1);
    cairo_rectangle(pc->cr, place.x - 0.3, place.y, place.w + 0.6, place.h);
    cairo_fill(pc->cr);
    cairo_restore(pc->cr);
    style.color[0] = r;
    style.color[1] = g;
    style.color[2] = b;
    gp_text_draw(pc->te, pc->cr, &style, size, text, &(gp_box){place.x, place.y, place.w, place.h});
}

static void draw_title(page_ctx *pc, const gp_calibration *cal)
{
    char text[512];
    snprintf(text, sizeof text, _("Calibration page: %s, %.1f x %.1f mm; offset %+.2f, %+.2f mm, scale %.4f x %.4f"),
             pc->tpl->name != NULL ? pc->tpl->name : "", pc->w, pc->h, cal->offset_x_mm, cal->offset_y_mm,
             cal->scale_x, cal->scale_y);
    text_line(pc, text, TITLE_PT, true, 7.0, 0, 0, 0);
}

/* What the marks mean and how to read them, and how to load the blanks:
 * the page explains itself to an operator who has not read the manual. */
static void draw_legend(page_ctx *pc, const gp_calibration *cal, bool turned)
{
    const char *lines[] = {
        _("Red crosshair: where a field's box starts (its top-left corner). Blue crosshair: the box's centre. Blue "
          "dashes: the box."),
        _("Lay this sheet on a blank against the light: the offset is how far the red crosshairs miss the blank's "
          "boxes, in mm, + to the right and down. Put it into the printer profile (offset-x, offset-y)."),
        _("Or print it on a blank, scan it and let gradprint measure the magenta rings: gradprint calibrate "
          "--scan."),
    };
    double y = 12.0;
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        text_line(pc, lines[i], LABEL_PT, false, y, 0.85, 0, 0);
        y = pc->taken[pc->n_taken - 1].y + pc->taken[pc->n_taken - 1].h + 0.5;
    }
    char loading[512];
    gp_loading_instructions(turned, cal, loading, sizeof loading);
    text_line(pc, loading, LABEL_PT, true, y, 0, 0, 0);
}

/* Along the edge of the blank that enters the printer first: arrows
 * pointing at it and a line saying so, so a test print on plain paper
 * shows how to put a blank in. */
static void draw_leading_edge(page_ctx *pc, gp_blank_edge edge)
{
    cairo_t *cr = pc->cr;
    bool across = edge == GP_BLANK_TOP || edge == GP_BLANK_BOTTOM;
    double len = across ? pc->w : pc->h;
    cairo_save(cr);
    /* Work in a frame where the leading edge is the top one. */
    switch (edge) {
    case GP_BLANK_TOP: break;
    case GP_BLANK_BOTTOM:
        cairo_translate(cr, pc->w, pc->h);
        cairo_rotate(cr, acos(-1.0));
        break;
    case GP_BLANK_LEFT:
        cairo_translate(cr, 0, pc->h);
        cairo_rotate(cr, -acos(-1.0) / 2);
        break;
    case GP_BLANK_RIGHT:
        cairo_translate(cr, pc->w, 0);
        cairo_rotate(cr, acos(-1.0) / 2);
        break;
    }
    cairo_set_source_rgb(cr, 0.1, 0.55, 0.1);
    for (double x = len * 0.2; x < len * 0.85; x += len * 0.15) {
        cairo_move_to(cr, x, 4.0);
        cairo_line_to(cr, x - 2.5, 8.0);
        cairo_line_to(cr, x + 2.5, 8.0);
        cairo_close_path(cr);
        cairo_fill(cr);
    }
    const char *text = _("this edge of the blank enters the printer first");
    gp_text_style style = gp_text_style_simple("sans", LABEL_PT, true, GP_ALIGN_CENTER);
    style.color[1] = 0.55;
    style.color[0] = style.color[2] = 0.1;
    gp_text_draw(pc->te, cr, &style, LABEL_PT, text, &(gp_box){len * 0.2, 8.6, len * 0.6, 3.0});
    cairo_restore(cr);
}

static gp_status check_calibration(const gp_calibration *cal, gp_error **err)
{
    if (!(cal->scale_x >= 0.9 && cal->scale_x <= 1.1 && cal->scale_y >= 0.9 && cal->scale_y <= 1.1))
        return gp_error_set(err, GP_E_USAGE, NULL, 0,
                            _("calibration scale %g x %g is outside 0.9 to 1.1; check the printer profile"),
                            cal->scale_x, cal->scale_y);
    if (!(fabs(cal->offset_x_mm) <= 50 && fabs(cal->offset_y_mm) <= 50))
        return gp_error_set(err, GP_E_USAGE, NULL, 0,
                            _("calibration offset %g, %g mm is beyond 50 mm; check the printer profile"),
                            cal->offset_x_mm, cal->offset_y_mm);
    return GP_OK;
}

static gp_status draw_page(gp_driver *drv, page_ctx *pc, const gp_calibration *cal, bool turned, gp_error **err)
{
    gp_page_spec spec = {pc->w, pc->h, NULL, turned};
    gp_status st = gp_driver_begin_page(drv, &spec, &pc->cr, err);
    if (st != GP_OK)
        return st;
    pc->n_targets = gp_calibration_targets(pc->tpl, pc->targets, GP_TARGET_MAX);
    for (size_t i = 0; i < pc->tpl->count; i++) {
        const gp_element *el = &pc->tpl->elements[i];
        if (has_anchor(el)) {
            char text[MAX_LABEL];
            label_text(el, text, sizeof text);
            pc->labels[i] = place_label(pc, el, text);
        }
    }
    cairo_t *cr = pc->cr;
    cairo_save(cr);
    /* As gp_render_layout places marks: scaled about the top-left corner,
     * then moved. */
    cairo_translate(cr, cal->offset_x_mm, cal->offset_y_mm);
    cairo_scale(cr, cal->scale_x, cal->scale_y);
    draw_grid(pc);
    draw_numbers(pc);
    for (size_t i = 0; i < pc->tpl->count; i++)
        draw_element(pc, i);
    draw_title(pc, cal);
    draw_legend(pc, cal, turned);
    for (size_t i = 0; i < pc->n_targets; i++)
        gp_calibration_target_draw(cr, pc->targets[i].x_mm, pc->targets[i].y_mm);
    cairo_restore(cr);
    /* The edge marks belong to the sheet, not to the moved marks. */
    draw_leading_edge(pc, gp_leading_edge(turned, cal->feed));
    cairo_status_t cs = cairo_status(cr);
    if (cs == CAIRO_STATUS_NO_MEMORY)
        return gp_error_nomem(err);
    if (cs != CAIRO_STATUS_SUCCESS)
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, _("drawing the calibration page failed: %s"),
                            cairo_status_to_string(cs));
    return gp_driver_end_page(drv, err);
}

gp_status gp_calibration_page_draw(gp_context *ctx, const char *template_path, const gp_calibration *cal, bool turned,
                                   const char *out_path, gp_error **err)
{
    gp_calibration c;
    gp_calibration_init(&c);
    if (cal != NULL)
        c = *cal;
    gp_status st = check_calibration(&c, err);
    if (st != GP_OK)
        return st;
    gp_template *tpl = NULL;
    st = gp_template_load(ctx, template_path, &tpl, err);
    if (st != GP_OK)
        return st;
    gp_text_engine *te = NULL;
    gp_driver *drv = NULL;
    page_ctx pc = {.tpl = tpl, .w = tpl->page_w_mm, .h = tpl->page_h_mm};
    pc.labels = calloc(tpl->count > 0 ? tpl->count : 1, sizeof *pc.labels);
    if (pc.labels == NULL)
        st = gp_error_nomem(err);
    if (st == GP_OK)
        st = gp_text_engine_new(ctx, &te, err);
    pc.te = te;
    if (st == GP_OK)
        st = gp_driver_open(&(gp_driver_config){.kind = GP_DRIVER_PDF, .path = out_path}, &drv, err);
    if (st == GP_OK)
        st = draw_page(drv, &pc, &c, turned, err);
    if (st == GP_OK)
        st = gp_driver_finish(drv, err);
    gp_driver_free(drv);
    gp_text_engine_free(te);
    free(pc.labels);
    gp_template_free(tpl);
    return st;
}

gp_status gp_calibration_page(gp_context *ctx, const char *template_path, const gp_calibration *cal,
                              const char *out_path, gp_error **err)
{
    return gp_calibration_page_draw(ctx, template_path, cal, false, out_path, err);
}
