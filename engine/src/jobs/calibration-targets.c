/* The calibration page's targets for calibration from a scan: a regular
 * grid, so the fit sees the whole page and its scale, and one at each
 * element's anchor, where the operator's eye looks too. The page draws them
 * and the scan is searched for them from the same list, so they cannot
 * disagree. */
#include <math.h>

#include "calibration-scan-private.h"

static bool too_close(const gp_calibration_target *t, size_t n, double x, double y)
{
    for (size_t i = 0; i < n; i++)
        if (hypot(t[i].x_mm - x, t[i].y_mm - y) < GP_TARGET_MIN_GAP_MM)
            return true;
    return false;
}

/* How many grid lines fit over length with at most the spacing between them. */
static int grid_lines(double length)
{
    double span = length - 2 * GP_TARGET_INSET_MM;
    if (span <= 0)
        return 1;
    return (int)ceil(span / GP_TARGET_SPACING_MM) + 1;
}

static double grid_at(double length, int i, int lines)
{
    if (lines == 1)
        return length / 2;
    return GP_TARGET_INSET_MM + (length - 2 * GP_TARGET_INSET_MM) * i / (lines - 1);
}

static bool is_anchored(const gp_element *el)
{
    return el->kind != GP_EL_CUT_GUIDES && el->kind != GP_EL_BACKGROUND;
}

size_t gp_calibration_targets(const gp_template *tpl, gp_calibration_target *out, size_t max)
{
    double w = tpl->page_w_mm, h = tpl->page_h_mm;
    int cols = grid_lines(w), rows = grid_lines(h);
    size_t n = 0;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols && n < max; c++)
            out[n++] = (gp_calibration_target){grid_at(w, c, cols), grid_at(h, r, rows), NULL};
    /* An anchor too near the edge would put its ring off a blank shifted by
     * a few millimetres. */
    double edge = GP_TARGET_OUTER_MM + 4.0;
    for (size_t i = 0; i < tpl->count && n < max; i++) {
        const gp_element *el = &tpl->elements[i];
        double x = el->box.x, y = el->box.y;
        if (!is_anchored(el) || x < edge || y < edge || x > w - edge || y > h - edge)
            continue;
        if (!too_close(out, n, x, y))
            out[n++] = (gp_calibration_target){x, y, el};
    }
    return n;
}

void gp_calibration_target_draw(cairo_t *cr, double x_mm, double y_mm)
{
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 0, 1);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_new_path(cr);
    cairo_arc(cr, x_mm, y_mm, GP_TARGET_OUTER_MM, 0, 2 * acos(-1.0));
    cairo_new_sub_path(cr);
    cairo_arc(cr, x_mm, y_mm, GP_TARGET_INNER_MM, 0, 2 * acos(-1.0));
    cairo_fill(cr);
    cairo_restore(cr);
}
