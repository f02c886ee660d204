/* Roster text through the text engine and layout: arbitrary bytes as names
 * (invalid UTF-8, controls, bidi marks, unassigned and private-use code
 * points, huge clusters) must measure, lay out and draw without crashing,
 * and the layout must keep its promises whatever the text.
 *
 * Input: one style byte, then names separated by 0x1E. */
#include <cairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/report-private.h"
#include "layout/layout-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* Pango 1.50 runs fontconfig's match and sort in worker threads; when a
 * font map is freed while such a job is in flight, the job's result is
 * dropped (seen only here, where an engine lives for one input). Nothing in
 * gradprint calls these fontconfig functions itself. */
const char *__lsan_default_suppressions(void) { return "leak:FcFontSetMatch\nleak:FcFontSetSort\n"; }

typedef struct fuzz_state {
    gp_context *ctx;
    gp_pattern *name;
    cairo_surface_t *surface;
} fuzz_state;

static fuzz_state *state(void)
{
    static fuzz_state st;
    if (st.ctx == NULL) {
        gp_error *err = NULL;
        if (gp_context_new(NULL, &st.ctx, &err) != GP_OK ||
            gp_pattern_parse("{name}", "fuzz.xml", 1, &st.name, &err) != GP_OK) {
            fprintf(stderr, "fuzz-text: %s (set GRADPRINT_DATADIR)\n", gp_error_message(err));
            abort();
        }
        st.surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 240, 60);
    }
    return &st;
}

static const char *lookup(void *user, const char *field) { return strcmp(field, "name") == 0 ? user : NULL; }

static void one_name(fuzz_state *st, gp_text_engine *te, const gp_text_style *style, const char *text)
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
    el.content = st->name;
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

    cairo_t *cr = cairo_create(st->surface);
    cairo_scale(cr, 240 / 20.0, 240 / 20.0);
    gp_text_draw(te, cr, style, l.marks[0].size_pt, l.marks[0].text, &l.marks[0].box);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        abort();
    cairo_destroy(cr);
    gp_report_free(rep);
    gp_layout_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_state *st = state();
    if (size < 1 || size > 2000)
        return 0;
    static const char *const families[] = {"song", "sans", "kai", "NoSuchFamily"};
    gp_text_style style = gp_text_style_simple(families[data[0] & 3], 6 + (data[0] >> 4), data[0] & 4,
                                               (gp_align)((data[0] >> 2) % 3));
    style.min_size_pt = 4;
    style.letter_spacing_pt = (data[0] & 8) ? 1.5 : 0;
    char *text = malloc(size);
    if (text == NULL)
        abort();
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';

    /* An engine per input, as a worker has one per job: Pango's caches fill
     * from its own threads and hold fontconfig patterns LeakSanitizer cannot
     * trace while the engine lives, so a long-lived engine makes libFuzzer's
     * per-input leak check cry wolf; freeing it each time also checks that
     * everything it made goes away. */
    gp_text_engine *te = NULL;
    gp_error *err = NULL;
    if (gp_text_engine_new(st->ctx, &te, &err) != GP_OK)
        abort();
    char *name = text;
    for (int n = 0; n < 16 && name != NULL; n++) {
        char *next = strchr(name, '\x1e');
        if (next != NULL)
            *next++ = '\0';
        one_name(st, te, &style, name);
        name = next;
    }
    gp_text_engine_free(te);
    free(text);
    return 0;
}
