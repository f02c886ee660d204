#include "build-private.h"

#include <math.h>
#include <string.h>

#include "../base/error-private.h"
#include "../base/i18n-private.h"

/* Coordinates are decimals from the file; this absorbs binary rounding of
 * sums such as 5.5 + 35 without letting real overlaps through. */
#define EPS 1e-6

static const char *element_name(gp_element_kind kind)
{
    switch (kind) {
    case GP_EL_PHOTO:
        return "photo";
    case GP_EL_TEXT:
        return "text";
    case GP_EL_QRCODE:
        return "qrcode";
    case GP_EL_LINE:
        return "line";
    case GP_EL_CUT_GUIDES:
        return "cut-guides";
    case GP_EL_PARAGRAPH:
        return "paragraph";
    case GP_EL_IMAGE:
        return "image";
    case GP_EL_BACKGROUND:
        return "background";
    }
    return "?";
}

static bool point_inside(double x, double y, double w, double h)
{
    return x >= -EPS && y >= -EPS && x <= w + EPS && y <= h + EPS;
}

static gp_status check_inside(const gp_template *tpl, const gp_element *el, const char *file, gp_error **err)
{
    const gp_box *b = &el->box;
    double w = tpl->page_w_mm, h = tpl->page_h_mm;
    if (el->kind == GP_EL_CUT_GUIDES)
        return GP_OK;
    if (el->kind == GP_EL_LINE) {
        if (point_inside(b->x, b->y, w, h) && point_inside(b->x + b->w, b->y + b->h, w, h))
            return GP_OK;
        return gp_error_set(err, GP_E_INVALID, file, el->line,
                            _("<line> from (%g, %g) to (%g, %g) mm leaves the %g x %g mm page; move its ends "
                              "onto the page"),
                            b->x, b->y, b->x + b->w, b->y + b->h, w, h);
    }
    if (point_inside(b->x, b->y, w, h) && point_inside(b->x + b->w, b->y + b->h, w, h))
        return GP_OK;
    return gp_error_set(err, GP_E_INVALID, file, el->line,
                        _("<%s> reaches to x = %g, y = %g mm, outside the %g x %g mm page; move or shrink it "
                          "so it ends inside"),
                        element_name(el->kind), b->x + b->w, b->y + b->h, w, h);
}

static bool overlap(const gp_box *a, const gp_box *b)
{
    return a->x < b->x + b->w - EPS && b->x < a->x + a->w - EPS && a->y < b->y + b->h - EPS &&
           b->y < a->y + a->h - EPS;
}

/* Everything that puts ink in its box; lines are thin and deliberate, the
 * background lies under everything by definition. */
static bool covers_photos(gp_element_kind kind)
{
    return kind == GP_EL_TEXT || kind == GP_EL_QRCODE || kind == GP_EL_PARAGRAPH || kind == GP_EL_IMAGE;
}

/* el against the elements before it, so the error names the later line. */
static gp_status check_overlaps(const gp_template *tpl, size_t index, const char *file, gp_error **err)
{
    const gp_element *el = &tpl->elements[index];
    for (size_t k = 0; k < index; k++) {
        const gp_element *other = &tpl->elements[k];
        if (!overlap(&el->box, &other->box))
            continue;
        if (el->kind == GP_EL_PHOTO && other->kind == GP_EL_PHOTO)
            return gp_error_set(err, GP_E_INVALID, file, el->line,
                                _("<photo> overlaps the photo slot on line %ld; photo slots need a gap between "
                                  "them for cutting: move or shrink one"),
                                other->line);
        if ((el->kind == GP_EL_PHOTO && covers_photos(other->kind)) ||
            (other->kind == GP_EL_PHOTO && covers_photos(el->kind)))
            return gp_error_set(err, GP_E_INVALID, file, el->line,
                                _("<%s> overlaps the <%s> on line %ld; text, images and QR codes may not cover "
                                  "photo slots: move or shrink one"),
                                element_name(el->kind), element_name(other->kind), other->line);
    }
    return GP_OK;
}

#define MM_PER_PT (25.4 / 72)

/* One line must fit the box, and lines at the full size must not collide. */
static gp_status check_paragraph(const gp_element *el, const char *file, gp_error **err)
{
    double line = el->para.line_height_mm, size_mm = el->style.size_pt * MM_PER_PT;
    if (line > el->box.h + EPS)
        return gp_error_set(err, GP_E_INVALID, file, el->line,
                            _("<paragraph> is %g mm high, less than one line (line-height %g mm); make it taller "
                              "or the line height smaller"),
                            el->box.h, line);
    if (line + EPS < size_mm)
        return gp_error_set(err, GP_E_INVALID, file, el->line,
                            _("<paragraph line-height=\"%g\"> is less than the %g pt font (%.2f mm), so lines "
                              "would overlap; make line-height at least %.1f"),
                            line, el->style.size_pt, size_mm, size_mm);
    return GP_OK;
}

static gp_status check_id(const gp_template *tpl, size_t index, const char *file, gp_error **err)
{
    const gp_element *el = &tpl->elements[index];
    if (el->id == NULL)
        return GP_OK;
    for (size_t k = 0; k < index; k++)
        if (tpl->elements[k].id != NULL && strcmp(tpl->elements[k].id, el->id) == 0)
            return gp_error_set(err, GP_E_INVALID, file, el->line,
                                _("id=\"%s\" is already the id of the <%s> on line %ld; give each element its "
                                  "own id"),
                                el->id, element_name(tpl->elements[k].kind), tpl->elements[k].line);
    return GP_OK;
}

gp_status gp_template_check_relations(const gp_template *tpl, const char *file, gp_error **err)
{
    gp_status st = GP_OK;
    for (size_t i = 0; i < tpl->count && st == GP_OK; i++) {
        const gp_element *el = &tpl->elements[i];
        st = check_inside(tpl, el, file, err);
        if (st == GP_OK && el->kind == GP_EL_PARAGRAPH)
            st = check_paragraph(el, file, err);
        if (st == GP_OK)
            st = check_id(tpl, i, file, err);
        if (st == GP_OK && el->kind == GP_EL_QRCODE && fabs(el->box.w - el->box.h) > EPS)
            st = gp_error_set(err, GP_E_INVALID, file, el->line,
                              _("<qrcode> is %g x %g mm but QR codes are square; give it size=\"...\" instead "
                                "of width and height"),
                              el->box.w, el->box.h);
        if (st == GP_OK && el->kind != GP_EL_LINE && el->kind != GP_EL_CUT_GUIDES && el->kind != GP_EL_BACKGROUND)
            st = check_overlaps(tpl, i, file, err);
    }
    return st;
}
