/* The text engine: glyph coverage of the logical families, unknown-glyph
 * detection, units, identical widths on PDF and 300 dpi targets, and where
 * drawn ink lands for each alignment. */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <poppler.h>

#include "base/context-private.h"
#include "gp-test.h"
#include "text/text-private.h"

#define MM_PER_PT (25.4 / 72.0)

static const char rare[] = "䶮龑堃喆犇淼昇赟玥𠇔𡒄𨭉𪚥𠮷";
static const char *const logical[] = {"song", "sans", "kai"};

/* The faces each chain may use: a rare character set in any other face would
 * mean the fallback went outside the chain (cjk-fonts.md, pitfall 1). */
static const char *const chain_song[] = {"Noto Serif CJK SC", "HanaMinB", "HanaMinA", "BabelStone Han", NULL};
static const char *const chain_sans[] = {"Noto Sans CJK SC", "HanaMinB", "HanaMinA", "BabelStone Han", NULL};
static const char *const chain_kai[] = {"LXGW WenKai", "AR PL UKai CN", "HanaMinB", "HanaMinA",
                                        "BabelStone Han", NULL};

static bool in_chain(const char *const *chain, const char *family)
{
    for (; *chain != NULL; chain++)
        if (g_ascii_strcasecmp(*chain, family) == 0)
            return true;
    return false;
}

/* An independent Pango layout on the context's fontconfig: its
 * unknown-glyph count cross-checks the engine's own, and its runs show
 * which faces the chain actually used. */
static void cross_check(const gp_context *ctx, const char *fc_family, const char *const *chain, const char *text,
                        int engine_unknown)
{
    PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), ctx->fonts);
    PangoContext *pc = pango_font_map_create_context(fm);
    pango_context_set_language(pc, pango_language_from_string("zh-cn"));
    PangoLayout *layout = pango_layout_new(pc);
    PangoFontDescription *desc = pango_font_description_new();
    pango_font_description_set_family(desc, fc_family);
    pango_font_description_set_size(desc, 20 * PANGO_SCALE);
    pango_layout_set_font_description(layout, desc);
    pango_layout_set_text(layout, text, -1);
    CHECK(pango_layout_get_unknown_glyphs_count(layout) == engine_unknown,
          "%s: Pango counts %d unknown glyphs, the engine %d", fc_family, pango_layout_get_unknown_glyphs_count(layout),
          engine_unknown);
    if (chain != NULL) {
        PangoLayoutIter *it = pango_layout_get_iter(layout);
        do {
            PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
            if (run == NULL)
                continue;
            PangoFontDescription *used = pango_font_describe(run->item->analysis.font);
            const char *family = pango_font_description_get_family(used);
            CHECK(in_chain(chain, family), "%s set characters at byte %d in \"%s\", outside its chain", fc_family,
                  run->item->offset, family);
            pango_font_description_free(used);
        } while (pango_layout_iter_next_run(it));
        pango_layout_iter_free(it);
    }
    pango_font_description_free(desc);
    g_object_unref(layout);
    g_object_unref(pc);
    g_object_unref(fm);
}

static void test_coverage(const gp_context *ctx, gp_text_engine *te)
{
    const char *const *chains[] = {chain_song, chain_sans, chain_kai};
    const char *fc[] = {"gradprint-song", "gradprint-sans", "gradprint-kai"};
    for (int i = 0; i < 3; i++) {
        for (int bold = 0; bold <= 1; bold++) {
            gp_text_style style = gp_text_style_simple(logical[i], 12, bold, GP_ALIGN_LEFT);
            gp_text_metrics m;
            gp_text_measure(te, &style, 12, rare, &m);
            CHECK(m.unknown_glyphs == 0 && m.first_unknown == 0, "%s%s: %d unknown, first U+%04X", logical[i],
                  bold ? " bold" : "", m.unknown_glyphs, m.first_unknown);
            CHECK(m.width_mm > 14 * 12 * MM_PER_PT * 0.9, "%s: 14 ideographs only %.2f mm wide", logical[i],
                  m.width_mm);
        }
        cross_check(ctx, fc[i], chains[i], rare, 0);
        gp_error *err = NULL;
        CHECK(gp_text_check_family(te, logical[i], "t.xml", 3, &err) == GP_OK, "%s: %s", logical[i],
              err ? gp_error_message(err) : "");
        gp_error_free(err);
    }
    gp_error *err = NULL;
    CHECK(gp_text_check_family(te, "No Such Family Gradprint", "t.xml", 7, &err) == GP_E_INVALID, "unknown family");
    CHECK(err != NULL && gp_error_line(err) == 7 && strstr(gp_error_message(err), "No Such Family") != NULL,
          "message: %s", err ? gp_error_message(err) : "(none)");
    gp_error_free(err);
}

static void expect_unknown(const gp_context *ctx, gp_text_engine *te, const char *text, int count, unsigned first)
{
    for (int i = 0; i < 3; i++) {
        gp_text_style style = gp_text_style_simple(logical[i], 10, false, GP_ALIGN_LEFT);
        gp_text_metrics m;
        gp_text_measure(te, &style, 10, text, &m);
        CHECK(m.unknown_glyphs == count, "%s: %d unknown in \"%s\", expected %d", logical[i], m.unknown_glyphs, text,
              count);
        CHECK(m.first_unknown == first, "%s: first unknown U+%04X, expected U+%04X", logical[i], m.first_unknown,
              first);
        char fc[32];
        snprintf(fc, sizeof fc, "gradprint-%s", logical[i]);
        cross_check(ctx, fc, NULL, text, m.unknown_glyphs);
    }
}

static void test_unknown(const gp_context *ctx, gp_text_engine *te)
{
    expect_unknown(ctx, te, "张\xee\x80\x80三", 1, 0xE000);        /* private use */
    expect_unknown(ctx, te, "李\xcd\xb8四", 1, 0x378);              /* unassigned */
    expect_unknown(ctx, te, "王五\xf3\xb0\x80\x80", 1, 0xF0000);    /* plane 15 private use */
    expect_unknown(ctx, te, "ab\xcd\xb8 c\xee\x80\x80 d", 2, 0x378); /* the first in reading order */
    expect_unknown(ctx, te, "阿卜杜热依木·艾合买提江", 0, 0);
    expect_unknown(ctx, te, "", 0, 0);

    /* Invalid UTF-8 must neither crash nor upset Pango. */
    gp_text_style style = gp_text_style_simple("song", 10, false, GP_ALIGN_LEFT);
    gp_text_metrics m;
    gp_text_measure(te, &style, 10, "\xff\xfe张", &m);
    CHECK(m.width_mm > 0, "invalid UTF-8 measured %.2f mm", m.width_mm);
}

static void test_units(gp_text_engine *te)
{
    const char *samples[] = {"一二三四", "张三 Zhang San", rare, "2024届 计算机科学与技术"};
    for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
        for (int i = 0; i < 3; i++) {
            gp_text_style style = gp_text_style_simple(logical[i], 10, false, GP_ALIGN_LEFT);
            gp_text_metrics m10, m5;
            gp_text_measure(te, &style, 10, samples[s], &m10);
            gp_text_measure(te, &style, 5, samples[s], &m5);
            CHECK(fabs(m10.width_mm / m5.width_mm - 2) <= 0.02, "%s \"%s\": 10 pt %.3f mm, 5 pt %.3f mm", logical[i],
                  samples[s], m10.width_mm, m5.width_mm);
            CHECK(m10.height_mm > 0 && m10.baseline_mm > 0 && m10.baseline_mm < m10.height_mm,
                  "height %.3f baseline %.3f", m10.height_mm, m10.baseline_mm);
        }
    }
    /* An ideograph is one em wide: four of them at 10 pt are 40 pt. */
    gp_text_style style = gp_text_style_simple("song", 10, false, GP_ALIGN_LEFT);
    gp_text_metrics m, spaced;
    gp_text_measure(te, &style, 10, "一二三四", &m);
    CHECK_NEAR(m.width_mm, 40 * MM_PER_PT, 0.01);
    /* Letter spacing goes between characters. */
    style.letter_spacing_pt = 3;
    gp_text_measure(te, &style, 10, "一二三四", &spaced);
    CHECK_NEAR(spaced.width_mm, 40 * MM_PER_PT + 3 * 3 * MM_PER_PT, 0.01);
    style.letter_spacing_pt = 0;
    gp_text_measure(te, &style, 10, "一二三四", &spaced);
    CHECK_NEAR(spaced.width_mm, m.width_mm, 0.001);
    /* Bold CJK keeps its advances. */
    style.bold = true;
    gp_text_measure(te, &style, 10, "一二三四", &spaced);
    CHECK_NEAR(spaced.width_mm, m.width_mm, 0.01);
}

static void test_targets(gp_text_engine *te)
{
    cairo_surface_t *pdf = cairo_pdf_surface_create(NULL, 595, 842);
    cairo_t *pdf_cr = cairo_create(pdf);
    cairo_scale(pdf_cr, 72 / 25.4, 72 / 25.4);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 300, 300);
    cairo_t *img_cr = cairo_create(img);
    cairo_scale(img_cr, 300 / 25.4, 300 / 25.4);

    const char *samples[] = {"阿卜杜热依木·艾合买提江", "Zhang Wei 张伟", "学号 2020123456", rare,
                             "兹证明阿卜杜热依木·艾合买提江同学于二〇二〇年九月至二〇二四年六月在本校计算机科学与技术专业"
                             "四年制本科学习，修完教学计划规定的全部课程，成绩合格，准予毕业。"};
    const double sizes[] = {5.25, 7, 7.25, 10.5, 16, 28};
    for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
        for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
            for (int i = 0; i < 3; i++) {
                gp_text_style style = gp_text_style_simple(logical[i], sizes[z], z % 2 == 1, GP_ALIGN_LEFT);
                style.letter_spacing_pt = s == 1 ? 1.5 : 0;
                gp_text_metrics plain, on_pdf, on_img;
                gp_text_measure(te, &style, sizes[z], samples[s], &plain);
                gp_text_measure_on(te, pdf_cr, &style, sizes[z], samples[s], &on_pdf);
                gp_text_measure_on(te, img_cr, &style, sizes[z], samples[s], &on_img);
                CHECK(fabs(on_pdf.width_mm - on_img.width_mm) <= 0.01 && fabs(plain.width_mm - on_img.width_mm) <= 0.01,
                      "%s %.2f pt \"%s\": preflight %.4f, PDF %.4f, 300 dpi %.4f mm", logical[i], sizes[z], samples[s],
                      plain.width_mm, on_pdf.width_mm, on_img.width_mm);
                CHECK(fabs(on_pdf.height_mm - on_img.height_mm) <= 0.01, "heights %.4f / %.4f", on_pdf.height_mm,
                      on_img.height_mm);
            }
        }
    }
    cairo_destroy(pdf_cr);
    cairo_surface_finish(pdf);
    CHECK(cairo_surface_status(pdf) == CAIRO_STATUS_SUCCESS, "pdf surface");
    cairo_surface_destroy(pdf);
    cairo_destroy(img_cr);
    cairo_surface_destroy(img);
}

typedef struct ink {
    bool any;
    double x0, y0, x1, y1; /* mm */
    double r, g, b;        /* mean colour of the darkest pixels */
} ink;

static ink find_ink(cairo_surface_t *s, double px_per_mm)
{
    cairo_surface_flush(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    double r = 0, g = 0, b = 0;
    long n = 0;
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            int pr = (row[x] >> 16) & 0xff, pg = (row[x] >> 8) & 0xff, pb = row[x] & 0xff;
            if (pr + pg + pb > 3 * 200)
                continue;
            if (x < x0) x0 = x;
            if (y < y0) y0 = y;
            if (x > x1) x1 = x;
            if (y > y1) y1 = y;
            r += pr, g += pg, b += pb, n++;
        }
    }
    ink k = {n > 0, x0 / px_per_mm, y0 / px_per_mm, (x1 + 1) / px_per_mm, (y1 + 1) / px_per_mm, 0, 0, 0};
    if (n > 0) {
        k.r = r / n / 255, k.g = g / n / 255, k.b = b / n / 255;
    }
    return k;
}

static void test_draw(gp_text_engine *te)
{
    const double ppmm = 300 / 25.4;
    const gp_box box = {10, 8, 70, 14};
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(100 * ppmm), (int)(30 * ppmm));
    const gp_align aligns[] = {GP_ALIGN_LEFT, GP_ALIGN_CENTER, GP_ALIGN_RIGHT};
    const char *names[] = {"left", "center", "right"};
    for (int i = 0; i < 3; i++) {
        for (int f = 0; f < 3; f++) {
            cairo_t *cr = cairo_create(img);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_paint(cr);
            cairo_scale(cr, ppmm, ppmm);
            gp_text_style style = gp_text_style_simple(logical[f], 24, false, aligns[i]);
            style.color[0] = 0.8;
            const char *text = "张𪚥堃 Zhang";
            gp_text_draw(te, cr, &style, 24, text, &box);
            CHECK(cairo_status(cr) == CAIRO_STATUS_SUCCESS, "cairo status");
            cairo_destroy(cr);
            gp_text_metrics m;
            gp_text_measure(te, &style, 24, text, &m);
            ink k = find_ink(img, ppmm);
            REQUIRE(k.any, "%s %s: nothing drawn", logical[f], names[i]);
            CHECK(k.x0 >= box.x && k.x1 <= box.x + box.w && k.y0 >= box.y && k.y1 <= box.y + box.h,
                  "%s %s: ink %.2f..%.2f x %.2f..%.2f mm outside the box", logical[f], names[i], k.x0, k.x1, k.y0,
                  k.y1);
            /* Side bearings are a fraction of a millimetre at 24 pt. */
            if (aligns[i] == GP_ALIGN_LEFT)
                CHECK(k.x0 - box.x < 1.0, "%s left: ink starts %.2f mm in", logical[f], k.x0 - box.x);
            else if (aligns[i] == GP_ALIGN_RIGHT)
                CHECK(box.x + box.w - k.x1 < 1.0, "%s right: ink ends %.2f mm short", logical[f],
                      box.x + box.w - k.x1);
            else
                CHECK(fabs((k.x0 + k.x1) / 2 - (box.x + box.w / 2)) < 1.0, "%s center: ink centre at %.2f mm",
                      logical[f], (k.x0 + k.x1) / 2);
            CHECK(k.x1 - k.x0 > m.width_mm - 2 && k.x1 - k.x0 <= m.width_mm + 0.5,
                  "%s: ink %.2f mm wide, measured %.2f mm", logical[f], k.x1 - k.x0, m.width_mm);
            CHECK(fabs((k.y0 + k.y1) / 2 - (box.y + box.h / 2)) < 2.0, "%s: ink not centred vertically (%.2f..%.2f)",
                  logical[f], k.y0, k.y1);
            CHECK(k.r > k.g + 0.3 && k.r > k.b + 0.3, "%s: ink colour %.2f %.2f %.2f is not red", logical[f], k.r,
                  k.g, k.b);
        }
    }
    cairo_surface_destroy(img);
}

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int length)
{
    g_byte_array_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* Rare characters drawn into a PDF come back out of it: the fonts are
 * embedded with their Unicode mapping, and no character became a box. */
static void test_pdf_text(gp_text_engine *te)
{
    GByteArray *bytes = g_byte_array_new();
    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(collect, bytes, 595, 842);
    cairo_t *cr = cairo_create(pdf);
    cairo_scale(cr, 72 / 25.4, 72 / 25.4);
    for (int i = 0; i < 3; i++) {
        gp_text_style style = gp_text_style_simple(logical[i], 14, i == 1, GP_ALIGN_CENTER);
        gp_box box = {20, 20 + 20 * i, 170, 15};
        gp_text_draw(te, cr, &style, 14, rare, &box);
    }
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    REQUIRE(cairo_surface_status(pdf) == CAIRO_STATUS_SUCCESS, "pdf");
    cairo_surface_destroy(pdf);

    GBytes *data = g_byte_array_free_to_bytes(bytes);
    GError *gerr = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(data, NULL, &gerr);
    REQUIRE(doc != NULL, "poppler: %s", gerr ? gerr->message : "");
    PopplerPage *page = poppler_document_get_page(doc, 0);
    char *text = poppler_page_get_text(page);
    int found = 0;
    for (const char *p = rare; *p != '\0'; p = g_utf8_next_char(p)) {
        char ch[8] = {0};
        memcpy(ch, p, (size_t)(g_utf8_next_char(p) - p));
        const char *at = text;
        int n = 0;
        while ((at = strstr(at, ch)) != NULL)
            n++, at++;
        CHECK(n == 3, "U+%04X found %d times in the PDF's text, expected 3", g_utf8_get_char(p), n);
        found += n;
    }
    CHECK(found == 3 * 14, "%d of 42 characters read back", found);
    g_free(text);
    g_object_unref(page);
    g_object_unref(doc);
    g_bytes_unref(data);
}

/* Noncharacters (U+FDD0..U+FDEF, U+FFFE, U+1FFFF) are valid UTF-8 to GLib
 * but cairo refuses them as a PDF's text and puts the whole surface into an
 * error state: one such byte sequence in a roster cell would spoil every
 * later page. Lines and paragraphs draw them as U+FFFD. (Found by
 * fuzz-paragraph drawing onto a recording surface.) */
static void test_noncharacters(gp_text_engine *te)
{
    static const char *const texts[] = {"张\xef\xb7\x90三", "李\xef\xbf\xbe四", "王\xf0\x9f\xbf\xbf五",
                                        "赵\xef\xb7\xad\xff六"};
    cairo_surface_t *pdf = cairo_pdf_surface_create(NULL, 595, 842);
    cairo_t *cr = cairo_create(pdf);
    gp_text_style style = gp_text_style_simple("song", 12, false, GP_ALIGN_LEFT);
    gp_paragraph_style para = {6, 0, true, true, 0.3};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        gp_box box = {10, 10 + 20.0 * (double)i, 80, 10};
        gp_text_draw(te, cr, &style, 12, texts[i], &box);
        CHECK(cairo_status(cr) == CAIRO_STATUS_SUCCESS, "line %zu: %s", i, cairo_status_to_string(cairo_status(cr)));
        gp_span span = {0, 3};
        gp_text_paragraph_draw(te, cr, &style, &para, 12, texts[i], &span, 1, &box);
        CHECK(cairo_status(cr) == CAIRO_STATUS_SUCCESS, "paragraph %zu: %s", i,
              cairo_status_to_string(cairo_status(cr)));
    }
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    CHECK(cairo_surface_status(pdf) == CAIRO_STATUS_SUCCESS, "the PDF: %s",
          cairo_status_to_string(cairo_surface_status(pdf)));
    cairo_surface_destroy(pdf);
}

int main(void)
{
    gp_context *ctx = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context: %s", err ? gp_error_message(err) : "");
    gp_text_engine *te = NULL;
    REQUIRE(gp_text_engine_new(ctx, &te, &err) == GP_OK, "engine: %s", err ? gp_error_message(err) : "");

    test_coverage(ctx, te);
    test_unknown(ctx, te);
    test_units(te);
    test_targets(te);
    test_draw(te);
    test_pdf_text(te);
    test_noncharacters(te);

    gp_text_engine_free(te);
    gp_context_free(ctx);
    return gp_test_done();
}
