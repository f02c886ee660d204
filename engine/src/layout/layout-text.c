/* Text elements: expand, shrink to fit the box, and refuse what would print
 * wrong. A name set as a box of hex digits or running past its box ruins a
 * serial-numbered certificate blank, so both are found here, before any
 * page is rendered. */
#include <math.h>
#include <stdlib.h>

#include "../base/i18n-private.h"
#include "base/clip-private.h"
#include "layout-build-private.h"

#define GP_SHRINK_STEP_PT 0.25
/* Widths are exact to ~1e-5 mm across targets; this only absorbs rounding
 * in box coordinates written as decimals. */
#define GP_FIT_EPSILON_MM 0.001

typedef struct fit {
    const gp_element *el;
    const char *text;
    gp_shrink sizes;
} fit;

gp_shrink gp_layout_shrink_of(const gp_text_style *style)
{
    gp_shrink s = {style->size_pt, style->min_size_pt, 0};
    if (!(s.min_pt > 0) || s.min_pt > s.size_pt)
        s.min_pt = s.size_pt;
    /* Capped so an absurd template size cannot overflow the step count. */
    double steps = ceil((s.size_pt - s.min_pt) / GP_SHRINK_STEP_PT - 1e-9);
    s.steps = !(steps <= 4000) ? 4000 : steps < 0 ? 0 : (int)steps;
    return s;
}

double gp_layout_shrink_size(const gp_shrink *s, int k)
{
    double size = s->size_pt - GP_SHRINK_STEP_PT * k;
    return size < s->min_pt || k >= s->steps ? s->min_pt : size;
}

static bool fits_width(const fit *f, const gp_text_metrics *m)
{
    return m->width_mm <= f->el->box.w + GP_FIT_EPSILON_MM;
}

static void measure(gp_layout_job *job, const fit *f, int k, gp_text_metrics *m)
{
    gp_text_measure(job->text, &f->el->style, gp_layout_shrink_size(&f->sizes, k), f->text, m);
}

/* The first size in the sequence whose line fits the box's width, else the
 * last. Widths shrink in proportion to size (plus a fixed amount for letter
 * spacing), so the proportion predicts the step; measuring both sides of the
 * prediction confirms it in two or three layouts instead of one per step. */
static int shrink(gp_layout_job *job, const fit *f, const gp_text_metrics *full, gp_text_metrics *m)
{
    int k = f->sizes.steps;
    if (full->width_mm > 0 && f->el->box.w > 0) {
        double want = f->sizes.size_pt * f->el->box.w / full->width_mm;
        double steps = ceil((f->sizes.size_pt - want) / GP_SHRINK_STEP_PT - 1e-9);
        k = steps < 1 ? 1 : steps < f->sizes.steps ? (int)steps : f->sizes.steps;
    }
    measure(job, f, k, m);
    if (fits_width(f, m)) {
        gp_text_metrics larger;
        while (k > 1) {
            measure(job, f, k - 1, &larger);
            if (!fits_width(f, &larger))
                break;
            k--;
            *m = larger;
        }
    } else {
        while (k < f->sizes.steps) {
            measure(job, f, ++k, m);
            if (fits_width(f, m))
                break;
        }
    }
    return k;
}

static const char *label_of(const gp_element *el)
{
    if (el->content != NULL && gp_pattern_field_count(el->content) > 0)
        return gp_pattern_field(el->content, 0);
    return _("text");
}

static void utf8_encode(unsigned int c, char out[5])
{
    if (c < 0x80) {
        out[0] = (char)c, out[1] = 0;
    } else if (c < 0x800) {
        out[0] = (char)(0xC0 | c >> 6), out[1] = (char)(0x80 | (c & 0x3F)), out[2] = 0;
    } else if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12), out[1] = (char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F)), out[3] = 0;
    } else {
        out[0] = (char)(0xF0 | c >> 18), out[1] = (char)(0x80 | (c >> 12 & 0x3F));
        out[2] = (char)(0x80 | (c >> 6 & 0x3F)), out[3] = (char)(0x80 | (c & 0x3F)), out[4] = 0;
    }
}

void gp_layout_glyph_finding(gp_layout_job *job, const char *label, int count, unsigned int first)
{
    if (count == 0)
        return;
    char ch[5];
    utf8_encode(first, ch);
    if (count == 1)
        gp_layout_finding(job, "missing-glyph",
                          _("U+%04X '%s' in %s has no glyph in any installed font; install fonts-hanazono or "
                            "correct the %s"),
                          first, ch, label, label);
    else
        gp_layout_finding(job, "missing-glyph",
                          _("U+%04X '%s' and %d more characters in %s have no glyph in any installed font; "
                            "install fonts-hanazono or correct the %s"),
                          first, ch, count - 1, label, label);
}

/* No glyph of any script is narrower than this share of an em (the
 * narrowest Latin letters are about a fifth). */
#define GP_NARROWEST_EM 0.05

bool gp_layout_too_long(const char *text, double min_pt, double capacity_mm, size_t *chars)
{
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    *chars = n;
    double narrowest_mm = min_pt * 25.4 / 72.0 * GP_NARROWEST_EM;
    return n > 0 && !((double)n * narrowest_mm <= capacity_mm);
}

/* Metrics Pango keeps in ints wrap for absurd texts: a negative or
 * non-finite extent is no fit. */
static bool metrics_sane(const gp_text_metrics *m)
{
    return isfinite(m->width_mm) && isfinite(m->height_mm) && m->width_mm >= 0 && m->height_mm >= 0;
}

static void check_box(gp_layout_job *job, const fit *f, double size_pt, const gp_text_metrics *m)
{
    const gp_element *el = f->el;
    gp_clip clip;
    const char *shown = gp_clip_text(&clip, f->text);
    if (!metrics_sane(m))
        gp_layout_finding(job, "text-overflow",
                          _("%s '%s' cannot be measured at %g pt (it is far too long for its %g mm box); shorten "
                            "it (%s line %ld)"),
                          label_of(el), shown, size_pt, el->box.w, gp_layout_template_name(job), el->line);
    else if (!fits_width(f, m))
        gp_layout_finding(job, "text-overflow",
                          _("%s '%s' needs %.1f mm at %g pt but its box is %g mm wide; shorten it or change "
                            "the template (%s line %ld)"),
                          label_of(el), shown, m->width_mm, size_pt, el->box.w, gp_layout_template_name(job),
                          el->line);
    else if (m->height_mm > el->box.h + GP_FIT_EPSILON_MM && f->text[0] != '\0')
        gp_layout_finding(job, "text-overflow",
                          _("%s '%s' is %.1f mm tall at %g pt but its box is %g mm high; make the box taller "
                            "or the text smaller in the template (%s line %ld)"),
                          label_of(el), shown, m->height_mm, size_pt, el->box.h, gp_layout_template_name(job),
                          el->line);
}

void gp_layout_text(gp_layout_job *job, const gp_element *el)
{
    char *text = gp_layout_expand(job, el);
    if (text == NULL)
        return;
    gp_mark *mark = gp_layout_add_mark(job, GP_MARK_TEXT, el);
    if (mark == NULL) {
        free(text);
        return;
    }
    mark->text = text;

    fit f = {el, text, gp_layout_shrink_of(&el->style)};
    size_t chars;
    if (gp_layout_too_long(text, f.sizes.min_pt, el->box.w, &chars)) {
        /* Not measured: Pango's integer extents wrap for such texts. */
        gp_clip clip;
        mark->size_pt = f.sizes.min_pt;
        gp_layout_finding(job, "text-overflow",
                          _("%s '%s' has %zu characters, more than could ever fit its %g mm box at %g pt; shorten "
                            "it (%s line %ld)"),
                          label_of(el), gp_clip_text(&clip, text), chars, el->box.w, f.sizes.min_pt,
                          gp_layout_template_name(job), el->line);
        return;
    }

    gp_text_metrics m;
    measure(job, &f, 0, &m);
    int k = 0;
    if (!fits_width(&f, &m) && f.sizes.steps > 0) {
        gp_text_metrics full = m;
        k = shrink(job, &f, &full, &m);
    }
    mark->size_pt = gp_layout_shrink_size(&f.sizes, k);
    gp_layout_glyph_finding(job, label_of(el), m.unknown_glyphs, m.first_unknown);
    check_box(job, &f, mark->size_pt, &m);
}
