/* Paragraph elements: expand with the fields' spans, shrink until the
 * wrapped text fits the box's height, and refuse what would print wrong.
 * A paragraph running out of its box prints over the blank's own printing
 * and wastes a serial-numbered certificate, so it is an error here, found
 * before any page is rendered. */
#include <math.h>
#include <stdlib.h>

#include "../base/i18n-private.h"
#include "base/utf8-private.h"
#include "layout-build-private.h"

/* Heights are exact to ~1e-5 mm; this only absorbs rounding in box
 * coordinates written as decimals. */
#define GP_FIT_EPSILON_MM 0.001

static bool fits(const gp_element *el, const gp_paragraph_metrics *m)
{
    return m->lines >= 0 && m->height_mm <= el->box.h + GP_FIT_EPSILON_MM;
}

static void measure(gp_layout_job *job, const gp_element *el, const gp_mark *mark, double size_pt,
                    gp_paragraph_metrics *m)
{
    gp_text_paragraph_measure(job->text, &el->style, &el->para, size_pt, mark->text, mark->spans, mark->nspans,
                              el->box.w, m);
}

/* The first size of the sequence at which the paragraph fits, else the
 * last; m gets that size's metrics. Size 0 does not fit. Smaller type never
 * needs more lines (every line's end can only move on: the same text is
 * narrower, and letter spacing does not grow), and lines then sit closer,
 * so fitting is monotone in the step: the search gallops down 1, 2, 4, ...
 * steps, then bisects the last stride. A paragraph one step too large costs
 * one measurement, one at the floor about 2 log2(steps). */
static int shrink(gp_layout_job *job, const gp_element *el, const gp_mark *mark, const gp_shrink *sizes,
                  gp_paragraph_metrics *m)
{
    int bad = 0, good = -1;
    gp_paragraph_metrics at;
    for (int stride = 1; good < 0; stride *= 2) {
        int k = bad + stride < sizes->steps ? bad + stride : sizes->steps;
        measure(job, el, mark, gp_layout_shrink_size(sizes, k), &at);
        if (at.lines < 0) {
            *m = at;
            return k;
        }
        if (fits(el, &at)) {
            good = k;
            *m = at;
        } else if (k == sizes->steps) {
            *m = at;
            return k;
        } else {
            bad = k;
        }
    }
    while (good - bad > 1) {
        int k = bad + (good - bad) / 2;
        measure(job, el, mark, gp_layout_shrink_size(sizes, k), &at);
        if (at.lines < 0) {
            *m = at;
            return k;
        }
        if (fits(el, &at)) {
            good = k;
            *m = at;
        } else {
            bad = k;
        }
    }
    return good;
}

static bool has_char(const char *s, unsigned int want)
{
    while (s != NULL && *s != '\0') {
        long c = gp_utf8_next(&s);
        if (c < 0)
            return false;
        if ((unsigned long)c == want)
            return true;
    }
    return false;
}

/* The field a character came from, for a finding that says what to
 * correct; "paragraph" when it is the template's own wording. */
static const char *label_of(const gp_layout_job *job, const gp_element *el, unsigned int c)
{
    size_t n = el->content != NULL ? gp_pattern_field_count(el->content) : 0;
    for (size_t i = 0; i < n; i++) {
        const char *field = gp_pattern_field(el->content, i);
        if (has_char(job->lookup(job->user, field), c))
            return field;
    }
    return _("paragraph");
}

void gp_layout_paragraph(gp_layout_job *job, const gp_element *el)
{
    gp_span *spans = NULL;
    size_t nspans = 0;
    char *text = gp_layout_expand_spans(job, el, &spans, &nspans);
    if (text == NULL)
        return;
    gp_mark *mark = gp_layout_add_mark(job, GP_MARK_PARAGRAPH, el);
    if (mark == NULL) {
        free(text);
        free(spans);
        return;
    }
    mark->text = text;
    mark->spans = spans;
    mark->nspans = nspans;

    gp_shrink sizes = gp_layout_shrink_of(&el->style);
    double lines = el->para.line_height_mm > 0 ? floor(el->box.h / el->para.line_height_mm) : 1;
    size_t chars;
    if (gp_layout_too_long(text, sizes.min_pt, el->box.w * (lines >= 1 ? lines : 1), &chars)) {
        mark->size_pt = sizes.min_pt;
        gp_layout_finding(job, "paragraph-overflow",
                          _("the paragraph has %zu characters, more than its %g x %g mm box could ever hold at %g "
                            "pt; shorten the fields (%s line %ld)"),
                          chars, el->box.w, el->box.h, sizes.min_pt, gp_layout_template_name(job), el->line);
        return;
    }
    gp_paragraph_metrics m;
    int k = 0;
    measure(job, el, mark, sizes.size_pt, &m);
    if (!fits(el, &m) && m.lines >= 0 && sizes.steps > 0)
        k = shrink(job, el, mark, &sizes, &m);
    mark->size_pt = gp_layout_shrink_size(&sizes, k);
    if (m.lines < 0) {
        gp_layout_nomem(job);
        return;
    }
    if (m.unknown_glyphs > 0)
        gp_layout_glyph_finding(job, label_of(job, el, m.first_unknown), m.unknown_glyphs, m.first_unknown);
    if (!fits(el, &m))
        gp_layout_finding(job, "paragraph-overflow",
                          _("the paragraph needs %d lines (%.1f mm) at %g pt but its box is %g mm tall; shorten "
                            "the fields, make the box taller or allow a smaller min-size in the template (%s "
                            "line %ld)"),
                          m.lines, m.height_mm, mark->size_pt, el->box.h, gp_layout_template_name(job), el->line);
}
