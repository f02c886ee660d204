/* Certificate paragraphs from arbitrary bytes: any text (invalid UTF-8,
 * controls, bidi, huge clusters, endless digits), any spans (overlapping,
 * reversed, past the end), any box width must measure, lay out and draw
 * without crashing, and keep the measurement's promises.
 *
 * Input: a style byte, a box byte, a span count n (low 3 bits), 2n span
 * bytes (start and end as 1/256 of the text's length), then the text. */
#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/report-private.h"
#include "layout/layout-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* As in fuzz-text: Pango 1.50's fontconfig worker threads drop their result
 * when the font map goes while they run. */
const char *__lsan_default_suppressions(void) { return "leak:FcFontSetMatch\nleak:FcFontSetSort\n"; }

typedef struct fuzz_state {
    gp_context *ctx;
    gp_pattern *wording;
    cairo_surface_t *surface;
} fuzz_state;

static fuzz_state *state(void)
{
    static fuzz_state st;
    if (st.ctx == NULL) {
        gp_error *err = NULL;
        if (gp_context_new(NULL, &st.ctx, &err) != GP_OK ||
            gp_pattern_parse("学生{name}，准予毕业。", "fuzz.xml", 1, &st.wording, &err) != GP_OK) {
            fprintf(stderr, "fuzz-paragraph: %s (set GRADPRINT_DATADIR)\n", gp_error_message(err));
            abort();
        }
        st.surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 300, 200);
    }
    return &st;
}

static const char *lookup(void *user, const char *field) { return strcmp(field, "name") == 0 ? user : NULL; }

static void check_metrics(const gp_paragraph_metrics *m, double one_line_mm, double line_mm)
{
    if (m->lines < 0 || !(m->height_mm >= 0) || !isfinite(m->height_mm) || (m->lines == 0) != (m->height_mm == 0) ||
        m->unknown_glyphs < 0 || (m->unknown_glyphs > 0) != (m->first_unknown != 0) || m->first_unknown > 0x10FFFF)
        abort();
    /* Lines are line_mm apart whatever they hold: the face's ascent and
     * descent, not a fallback face's, frame them. */
    if (m->lines > 0 && fabs(m->height_mm - (one_line_mm + (m->lines - 1) * line_mm)) > 1e-6)
        abort();
}

static void layout_and_draw(fuzz_state *st, gp_text_engine *te, const gp_element *proto, const char *name)
{
    gp_element el = *proto;
    el.content = st->wording;
    gp_template tpl;
    memset(&tpl, 0, sizeof tpl);
    tpl.path = "fuzz.xml";
    tpl.page_w_mm = 100;
    tpl.page_h_mm = 60;
    tpl.elements = &el;
    tpl.count = 1;
    gp_layout l;
    gp_layout_init(&l);
    gp_report *rep = gp_report_new();
    if (rep == NULL)
        abort();
    bool ok = gp_layout_build(&tpl, lookup, (void *)name, te, &l, rep, "roster.csv", 2, "1");
    if (l.count != 1 || l.marks[0].kind != GP_MARK_PARAGRAPH || l.marks[0].size_pt < el.style.min_size_pt ||
        l.marks[0].size_pt > el.style.size_pt || ok != (gp_report_count(rep) == 0))
        abort();
    const gp_mark *mk = &l.marks[0];
    for (size_t i = 0; i < mk->nspans; i++)
        if (mk->spans[i].start >= mk->spans[i].end || mk->spans[i].end > strlen(mk->text))
            abort();
    cairo_t *cr = cairo_create(st->surface);
    cairo_scale(cr, 3, 3);
    gp_text_paragraph_draw(te, cr, &el.style, &el.para, mk->size_pt, mk->text, mk->spans, mk->nspans, &mk->box);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        abort();
    cairo_destroy(cr);
    gp_report_free(rep);
    gp_layout_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_state *st = state();
    if (size < 3 || size > 3000)
        return 0;
    static const char *const families[] = {"song", "sans", "kai", "NoSuchFamily"};
    gp_element el;
    memset(&el, 0, sizeof el);
    el.kind = GP_EL_PARAGRAPH;
    el.line = 1;
    el.style = gp_text_style_simple(families[data[0] & 3], 6 + (data[0] >> 4), data[0] & 4, GP_ALIGN_LEFT);
    el.style.min_size_pt = 5;
    el.style.letter_spacing_pt = (data[0] & 8) ? 0.75 : 0;
    el.box = (gp_box){2, 2, data[1] & 0x80 ? 0.5 + (data[1] & 0x7f) * 0.75 : 90, 50};
    el.para = (gp_paragraph_style){el.style.size_pt * 0.5, (data[1] & 3) * 2.5, data[1] & 4, data[1] & 8, 0.3};
    size_t nspans = data[2] & 7, at = 3;
    if (size < at + 2 * nspans)
        return 0;
    size_t text_len = size - at - 2 * nspans;
    char *text = malloc(text_len + 1);
    gp_span *spans = malloc((nspans + 1) * sizeof *spans);
    if (text == NULL || spans == NULL)
        abort();
    memcpy(text, data + at + 2 * nspans, text_len);
    text[text_len] = '\0';
    for (size_t i = 0; i < nspans; i++) {
        spans[i].start = data[at + 2 * i] * (text_len + 8) / 256;
        spans[i].end = data[at + 2 * i + 1] * (text_len + 8) / 256;
    }

    /* An engine per input, as in fuzz-text. */
    gp_text_engine *te = NULL;
    gp_error *err = NULL;
    if (gp_text_engine_new(st->ctx, &te, &err) != GP_OK)
        abort();
    gp_paragraph_metrics one, m, again;
    gp_text_paragraph_measure(te, &el.style, &el.para, el.style.size_pt, "一", NULL, 0, 1000, &one);
    if (one.lines != 1)
        abort();
    gp_text_paragraph_measure(te, &el.style, &el.para, el.style.size_pt, text, spans, nspans, el.box.w, &m);
    check_metrics(&m, one.height_mm, el.para.line_height_mm);
    gp_text_paragraph_measure(te, &el.style, &el.para, el.style.size_pt, text, spans, nspans, el.box.w, &again);
    if (m.lines != again.lines || m.height_mm != again.height_mm || m.unknown_glyphs != again.unknown_glyphs ||
        m.first_unknown != again.first_unknown)
        abort();
    cairo_t *cr = cairo_create(st->surface);
    cairo_scale(cr, 3, 3);
    gp_text_paragraph_draw(te, cr, &el.style, &el.para, el.style.size_pt, text, spans, nspans, &el.box);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        abort();
    cairo_destroy(cr);
    /* The same bytes as a field of a paragraph, through shrink-to-fit. */
    layout_and_draw(st, te, &el, text);

    gp_text_engine_free(te);
    free(spans);
    free(text);
    return 0;
}
