/* Roster text through the text engine and layout: arbitrary bytes as names
 * (invalid UTF-8, controls, bidi marks, unassigned and private-use code
 * points, huge clusters) must measure, lay out and draw without crashing,
 * and the layout must keep its promises whatever the text.
 *
 * Input: one style byte (family, bold, letter spacing, one of four sizes,
 * alignment), then names separated by 0x1E.
 *
 * Speed: one text engine for the run, and a style space small enough that
 * Initialize loads every font an input can reach (for measuring and for
 * drawing), so an input costs what laying out its names costs. */
#include <cairo.h>
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

/* One text engine for the whole run, as a worker keeps one for a whole job:
 * an input then costs what laying out and drawing its names costs, not a
 * new Pango font map and fontconfig sort (which made this fuzzer run at a
 * few inputs a second). */
typedef struct fuzz_state {
    gp_context *ctx;
    gp_text_engine *te;
    gp_pattern *name;
} fuzz_state;

static fuzz_state st;



static void one_name(fuzz_state *s, gp_text_engine *te, const gp_text_style *style, const char *text);

static const char *const families[] = {"song", "sans", "kai", "NoSuchFamily"};
static const double sizes_pt[] = {8, 12};
/* Shrink-to-fit goes down this far below the size, in quarter points. */
#define SHRINK_PT 0.5

static gp_text_style style_of(uint8_t b)
{
    gp_text_style style =
        gp_text_style_simple(families[b & 3], sizes_pt[(b >> 4) & 1], b & 4, (gp_align)((b >> 6) % 3));
    style.min_size_pt = style.size_pt - SHRINK_PT;
    style.letter_spacing_pt = (b & 8) ? 1.5 : 0;
    return style;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    st.ctx = gp_fuzz_context("fuzz-text");
    gp_error *err = NULL;
    if (gp_text_engine_new(st.ctx, &st.te, &err) != GP_OK ||
        gp_pattern_parse("{name}", "fuzz.xml", 1, &st.name, &err) != GP_OK) {
        fprintf(stderr, "fuzz-text: %s\n", gp_error_message(err));
        abort();
    }
    /* Each family, bold and not, at each size once before the first input:
     * the faces' caches are the engine's, not an input's. Other scripts'
     * font lists fill as inputs need them and stay for the run. */
    static const char sample[] = "张三 Zhang \xf0\xa0\x80\x80 \xf0\xaa\x9a\xa5";
    for (unsigned b = 0; b < 32; b++)
        if (!(b & 8)) {
            gp_text_style style = style_of((uint8_t)b);
            one_name(&st, st.te, &style, sample);
        }
    return 0;
}

static const char *lookup(void *user, const char *field) { return strcmp(field, "name") == 0 ? user : NULL; }

static void one_name(fuzz_state *s, gp_text_engine *te, const gp_text_style *style, const char *text)
{
    gp_text_metrics m;
    gp_text_measure(te, style, style->size_pt, text, &m);
    if (!(m.width_mm >= 0) || !(m.height_mm >= 0) || m.unknown_glyphs < 0 ||
        (m.unknown_glyphs > 0) != (m.first_unknown != 0) || m.first_unknown > 0x10FFFF)
        abort();

    gp_element el;
    memset(&el, 0, sizeof el);
    el.kind = GP_EL_TEXT;
    el.line = 1;
    el.box = (gp_box){1, 1, 18, 4};
    el.style = *style;
    el.content = s->name;
    gp_template tpl;
    memset(&tpl, 0, sizeof tpl);
    tpl.path = "fuzz.xml";
    tpl.page_w_mm = 20;
    tpl.page_h_mm = 5;
    tpl.elements = &el;
    tpl.count = 1;
    gp_layout l;
    gp_layout_init(&l);
    gp_report *rep = gp_report_new();
    if (rep == NULL)
        abort();
    bool ok = gp_layout_build(&tpl, lookup, (void *)text, te, &l, rep, "roster.csv", 2, "1");
    /* One mark whatever happened, at a size between the floor and the size;
     * false exactly when there are findings. */
    if (l.count != 1 || l.marks[0].size_pt < style->min_size_pt || l.marks[0].size_pt > style->size_pt ||
        ok != (gp_report_count(rep) == 0))
        abort();

    cairo_t *cr = gp_fuzz_drawing();
    cairo_scale(cr, 240 / 20.0, 240 / 20.0);
    gp_text_draw(te, cr, style, l.marks[0].size_pt, l.marks[0].text, &l.marks[0].box);
    gp_fuzz_finish_drawing(cr);
    gp_report_free(rep);
    gp_layout_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 2000)
        return 0;
    gp_text_style style = style_of(data[0]);
    char *text = malloc(size);
    if (text == NULL)
        abort();
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    char *name = text;
    for (int n = 0; n < 16 && name != NULL; n++) {
        char *next = strchr(name, '\x1e');
        if (next != NULL)
            *next++ = '\0';
        one_name(&st, st.te, &style, name);
        name = next;
    }
    free(text);
    return 0;
}
