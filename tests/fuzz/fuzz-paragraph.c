/* Certificate paragraphs from arbitrary bytes: any text (invalid UTF-8,
 * controls, bidi, huge clusters, endless digits), any spans (overlapping,
 * reversed, past the end), any box width must measure, lay out and draw
 * without crashing, and keep the measurement's promises.
 *
 * Input: a style byte (family, bold, letter spacing, one of four sizes), a
 * box byte, a span count n (low 3 bits), 2n span bytes (start and end as
 * 1/256 of the text's length; bit 3 of this byte: as a field through
 * layout, or as the whole paragraph), then the text (at most a paragraph's
 * worth, 480 bytes).
 *
 * Speed: one text engine for the run, and a style space small enough that
 * Initialize loads every font the inputs can ask for (4 families x bold x
 * 4 sizes x the quarter points shrinking may visit), so an input costs what
 * one paragraph costs, never a fontconfig sort. */
#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/report-private.h"
#include "fuzz-common.h"
#include "layout/layout-private.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

const char *__lsan_default_suppressions(void) { return GP_FUZZ_LSAN_SUPPRESSIONS; }

/* One text engine for the run, as a worker keeps one for a job: an input
 * costs what measuring, laying out and drawing one paragraph costs. */
typedef struct fuzz_state {
    gp_context *ctx;
    gp_text_engine *te;
    gp_pattern *wording;
    double one_line_mm[64]; /* the height of one line in each style */
} fuzz_state;

static fuzz_state st;



static void run_one(const uint8_t *data, size_t size);

static const char *const families[] = {"song", "sans", "kai", "NoSuchFamily"};
static const double sizes_pt[] = {9, 15};
/* Shrink-to-fit goes down this far below the size, in quarter points. */
#define SHRINK_PT 0.5

static gp_text_style style_of(uint8_t b)
{
    gp_text_style style = gp_text_style_simple(families[b & 3], sizes_pt[(b >> 4) & 1], b & 4, GP_ALIGN_LEFT);
    style.min_size_pt = style.size_pt - SHRINK_PT;
    style.letter_spacing_pt = (b & 8) ? 0.75 : 0;
    return style;
}

/* Each family, bold and not, at each size an input can reach, measured once
 * before the first input: the faces' caches are the engine's, not an
 * input's. Other scripts' font lists fill as inputs need them and stay. */
static void load_every_font(void)
{
    static const char sample[] = "学生张三 Zhang，准予毕业。\xf0\xa0\x80\x80\xf0\xaa\x9a\xa5";
    for (unsigned b = 0; b < 32; b++) {
        if (b & 8)
            continue;
        gp_text_style style = style_of((uint8_t)b);
        gp_paragraph_style para = {style.size_pt * 0.5, 0, true, false, 0.3};
        for (double pt = style.min_size_pt; pt <= style.size_pt; pt += 0.25) {
            gp_paragraph_metrics m;
            gp_text_paragraph_measure(st.te, &style, &para, pt, sample, NULL, 0, 40, &m);
        }
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    st.ctx = gp_fuzz_context("fuzz-paragraph");
    gp_error *err = NULL;
    if (gp_text_engine_new(st.ctx, &st.te, &err) != GP_OK ||
        gp_pattern_parse("学生{name}，准予毕业。", "fuzz.xml", 1, &st.wording, &err) != GP_OK) {
        fprintf(stderr, "fuzz-paragraph: %s\n", gp_error_message(err));
        abort();
    }
    /* The fonts' caches are the engine's, filled here rather than charged
     * to whichever input first needs a face. */
    load_every_font();
    for (unsigned b = 0; b < 64; b++) {
        gp_text_style style = style_of((uint8_t)b);
        gp_paragraph_style para = {style.size_pt * 0.5, 0, false, false, 0.3};
        gp_paragraph_metrics one;
        gp_text_paragraph_measure(st.te, &style, &para, style.size_pt, "一", NULL, 0, 1000, &one);
        if (one.lines != 1)
            abort();
        st.one_line_mm[b] = one.height_mm;
    }
    for (unsigned b = 0; b < 32; b++) {
        uint8_t warm[] = {(uint8_t)b, 0x80, 0x01, 0x00, 0xff, 0xe5, 0xad, 0xa6, ' ', 'A', 0xf0, 0xa0, 0x80, 0x80,
                          0xef, 0xb7, 0xbd};
        run_one(warm, sizeof warm);
    }
    return 0;
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

static void layout_and_draw(fuzz_state *s, gp_text_engine *te, const gp_element *proto, const char *name)
{
    gp_element el = *proto;
    el.content = s->wording;
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
    cairo_t *cr = gp_fuzz_drawing();
    cairo_scale(cr, 3, 3);
    gp_text_paragraph_draw(te, cr, &mk->style, &mk->para, mk->size_pt, mk->text, mk->spans, mk->nspans, &mk->box);
    gp_fuzz_finish_drawing(cr);
    gp_report_free(rep);
    gp_layout_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 3 && size <= 480)
        run_one(data, size);
    return 0;
}

static void run_one(const uint8_t *data, size_t size)
{
    gp_element el;
    memset(&el, 0, sizeof el);
    el.kind = GP_EL_PARAGRAPH;
    el.line = 1;
    el.style = style_of(data[0]);
    el.box = (gp_box){2, 2, data[1] & 0x80 ? 0.5 + (data[1] & 0x7f) * 0.75 : 90, 50};
    el.para = (gp_paragraph_style){el.style.size_pt * 0.5, (data[1] & 3) * 2.5, data[1] & 4, data[1] & 8, 0.3};
    size_t nspans = data[2] & 7, at = 3;
    if (size < at + 2 * nspans)
        return;
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

    gp_text_engine *te = st.te;
    if (data[2] & 8) {
        /* The bytes as a field of a paragraph, through shrink-to-fit, then
         * drawn: what a certificate's wording costs. */
        layout_and_draw(&st, te, &el, text);
    } else {
        /* The bytes as the whole paragraph with spans, measured and drawn;
         * now and then measured twice, which must agree. */
        gp_paragraph_metrics m, again;
        gp_text_paragraph_measure(te, &el.style, &el.para, el.style.size_pt, text, spans, nspans, el.box.w, &m);
        check_metrics(&m, st.one_line_mm[data[0] & 0x3f], el.para.line_height_mm);
        if ((data[2] & 0x30) == 0) {
            gp_text_paragraph_measure(te, &el.style, &el.para, el.style.size_pt, "一", NULL, 0, 1000, &again);
            gp_text_paragraph_measure(te, &el.style, &el.para, el.style.size_pt, text, spans, nspans, el.box.w,
                                      &again);
            if (m.lines != again.lines || m.height_mm != again.height_mm ||
                m.unknown_glyphs != again.unknown_glyphs || m.first_unknown != again.first_unknown)
                abort();
        }
        cairo_t *cr = gp_fuzz_drawing();
        cairo_scale(cr, 3, 3);
        gp_text_paragraph_draw(te, cr, &el.style, &el.para, el.style.size_pt, text, spans, nspans, &el.box);
        gp_fuzz_finish_drawing(cr);
    }
    free(spans);
    free(text);
}
