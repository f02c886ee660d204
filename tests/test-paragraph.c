/* Paragraphs, checked on real output: PDFs read back with poppler (every
 * character's box), 600 dpi images for underlines, a 300 dpi raster against
 * the PDF rendered at 300 dpi, and the layout's findings for paragraphs that
 * do not fit. Widths and lines are computed from the fonts, so each case
 * states in code why it forces what it tests. */
#include <poppler.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "base/context-private.h"
#include "base/report-private.h"
#include "driver.h"
#include "gp-test.h"
#include "tempdir.h"
#include "layout/layout-private.h"
#include "render/render-private.h"
#include "text/text-private.h"

#define MM_PER_PT (25.4 / 72.0)
#define MAX_CHARS 1200
#define MAX_LINES 64

static gp_text_engine *te;
static char *tmpdir;

/* ------------------------------------------------------------------ */
/* Building cases                                                      */

/* "学生[张三]，" → "学生张三，" with a span over 张三. */
typedef struct marked {
    char *text;
    gp_span spans[32];
    size_t nspans;
} marked;

static marked mark_up(const char *src)
{
    marked m = {malloc(strlen(src) + 1), {{0, 0}}, 0};
    REQUIRE(m.text != NULL, "malloc");
    size_t len = 0;
    for (const char *p = src; *p != '\0'; p++) {
        if (*p == '[')
            m.spans[m.nspans].start = len;
        else if (*p == ']')
            m.spans[m.nspans++].end = len;
        else
            m.text[len++] = *p;
    }
    m.text[len] = '\0';
    return m;
}

typedef struct pcase {
    const char *src; /* marked-up text */
    gp_text_style style;
    gp_paragraph_style para;
    double size_pt;
    gp_box box;
} pcase;

static pcase make_case(const char *src, const char *family, double size, gp_box box, double line_height,
                       double indent)
{
    pcase c = {src, gp_text_style_simple(family, size, false, GP_ALIGN_LEFT),
               {line_height, indent, true, false, 0.2}, size, box};
    return c;
}

static double em(double size_pt) { return size_pt * MM_PER_PT; }

static void measure_case(const pcase *c, const marked *m, gp_paragraph_metrics *pm)
{
    gp_text_paragraph_measure(te, &c->style, &c->para, c->size_pt, m->text, m->spans, m->nspans, c->box.w, pm);
}

static void draw_case(cairo_t *cr, const pcase *c, const marked *m)
{
    gp_text_paragraph_draw(te, cr, &c->style, &c->para, c->size_pt, m->text, m->spans, m->nspans, &c->box);
}

/* ------------------------------------------------------------------ */
/* PDF out and back                                                    */

#define PAGE_W 250.0
#define PAGE_H 160.0

/* Draws each case on a page of its own. */
static void write_pdf(const char *path, const pcase *cases, size_t n)
{
    gp_driver *drv = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_pdf_driver_new(path, &drv, &err) == GP_OK, "pdf driver: %s", gp_error_message(err));
    for (size_t i = 0; i < n; i++) {
        gp_page_spec spec = {.width_mm = PAGE_W, .height_mm = PAGE_H};
        cairo_t *cr = NULL;
        REQUIRE(gp_driver_begin_page(drv, &spec, &cr, &err) == GP_OK, "page: %s", gp_error_message(err));
        marked m = mark_up(cases[i].src);
        draw_case(cr, &cases[i], &m);
        free(m.text);
        REQUIRE(gp_driver_end_page(drv, &err) == GP_OK, "end page: %s", gp_error_message(err));
    }
    REQUIRE(gp_driver_finish(drv, &err) == GP_OK, "finish: %s", gp_error_message(err));
    gp_driver_free(drv);
}

static PopplerDocument *open_pdf(const char *path)
{
    GError *gerr = NULL;
    char *uri = g_filename_to_uri(path, NULL, &gerr);
    PopplerDocument *doc = uri != NULL ? poppler_document_new_from_file(uri, NULL, &gerr) : NULL;
    g_free(uri);
    REQUIRE(doc != NULL, "poppler cannot open %s: %s", path, gerr != NULL ? gerr->message : "");
    return doc;
}

typedef struct pchar {
    gunichar c;
    double x1, y1, x2, y2; /* mm, from the page's top-left corner */
    bool after_space;      /* a space came before it in the text drawn (align_source) */
} pchar;

typedef struct pline {
    int first, count; /* into the chars */
    double top, bottom;
} pline;

typedef struct page_text {
    pchar chars[MAX_CHARS];
    int n;
    pline lines[MAX_LINES];
    int nlines;
} page_text;

static double median(const pchar *chars, int n, size_t field)
{
    double v[MAX_CHARS];
    for (int i = 0; i < n; i++)
        memcpy(&v[i], (const char *)&chars[i] + field, sizeof v[i]);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

/* Every visible character with its box (poppler's separators left out),
 * grouped into lines by their tops. */
static void read_page(PopplerDocument *doc, int index, page_text *pt)
{
    PopplerPage *page = poppler_document_get_page(doc, index);
    REQUIRE(page != NULL, "page %d", index);
    char *text = poppler_page_get_text(page);
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    REQUIRE(poppler_page_get_text_layout(page, &rects, &nrects), "text layout of page %d", index);
    pt->n = 0;
    guint i = 0;
    for (const char *s = text; *s != '\0' && i < nrects; s = g_utf8_next_char(s), i++) {
        gunichar c = g_utf8_get_char(s);
        if (g_unichar_isspace(c) || pt->n == MAX_CHARS)
            continue;
        pt->chars[pt->n++] = (pchar){c,
                                     rects[i].x1 * MM_PER_PT,
                                     rects[i].y1 * MM_PER_PT,
                                     rects[i].x2 * MM_PER_PT,
                                     rects[i].y2 * MM_PER_PT,
                                     false};
    }
    g_free(rects);
    g_free(text);
    g_object_unref(page);

    pt->nlines = 0;
    for (int k = 0; k < pt->n; k++) {
        pline *cur = pt->nlines > 0 ? &pt->lines[pt->nlines - 1] : NULL;
        if (cur == NULL || fabs(pt->chars[k].y1 - cur->top) > 2.0) {
            REQUIRE(pt->nlines < MAX_LINES, "too many lines");
            cur = &pt->lines[pt->nlines++];
            *cur = (pline){k, 0, pt->chars[k].y1, pt->chars[k].y2};
        }
        cur->count++;
    }
    /* poppler gives every character of a word the box of the word's first
     * character's face: a line's top and bottom are taken from the boxes
     * as tall as most on the page (the primary face's); a line with none
     * has no top or bottom to check (NAN). */
    double h[MAX_CHARS];
    for (int k = 0; k < pt->n; k++)
        h[k] = round((pt->chars[k].y2 - pt->chars[k].y1) * 100) / 100;
    double modal = 0;
    int best = 0;
    for (int k = 0; k < pt->n; k++) {
        int same = 0;
        for (int q = 0; q < pt->n; q++)
            same += h[q] == h[k];
        if (same > best)
            best = same, modal = h[k];
    }
    for (int l = 0; l < pt->nlines; l++) {
        pline *ln = &pt->lines[l];
        pchar primary[MAX_CHARS];
        int np = 0;
        for (int k = ln->first; k < ln->first + ln->count; k++)
            if (h[k] == modal)
                primary[np++] = pt->chars[k];
        ln->top = np > 0 ? median(primary, np, offsetof(pchar, y1)) : NAN;
        ln->bottom = np > 0 ? median(primary, np, offsetof(pchar, y2)) : NAN;
    }
}

/* Marks the page's characters that followed a space in the text drawn. */
static void align_source(page_text *pt, const char *text)
{
    int k = 0;
    bool space = false;
    for (const char *p = text; *p != '\0' && k < pt->n; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isspace(c)) {
            space = true;
            continue;
        }
        REQUIRE(pt->chars[k].c == c, "the page's character %d is U+%04X, the text's U+%04X", k, pt->chars[k].c, c);
        pt->chars[k++].after_space = space;
        space = false;
    }
}

static const pchar *line_char(const page_text *pt, int line, int k)
{
    const pline *l = &pt->lines[line];
    return &pt->chars[l->first + (k < 0 ? l->count + k : k)];
}

/* A line's characters as UTF-8, for messages. */
static const char *line_str(const page_text *pt, int line)
{
    static char buf[4096];
    size_t len = 0;
    const pline *l = &pt->lines[line];
    for (int k = 0; k < l->count && len + 8 < sizeof buf; k++)
        len += (size_t)g_unichar_to_utf8(pt->chars[l->first + k].c, buf + len);
    buf[len] = '\0';
    return buf;
}

/* The page's characters in order, for comparing with what was drawn. */
static char *page_str(const page_text *pt)
{
    char *s = malloc((size_t)pt->n * 6 + 1);
    REQUIRE(s != NULL, "malloc");
    size_t len = 0;
    for (int k = 0; k < pt->n; k++)
        len += (size_t)g_unichar_to_utf8(pt->chars[k].c, s + len);
    s[len] = '\0';
    return s;
}

static char *without_spaces(const char *text)
{
    char *s = malloc(strlen(text) + 1);
    REQUIRE(s != NULL, "malloc");
    size_t len = 0;
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p))
        if (!g_unichar_isspace(g_utf8_get_char(p)))
            len += (size_t)g_unichar_to_utf8(g_utf8_get_char(p), s + len);
    s[len] = '\0';
    return s;
}

/* Where each character of a line starts when set naturally (no letter
 * spacing, no justification), from one-line measurements of the line's
 * prefixes: a dash or a kerned pair is as wide as in context. nat[count]
 * is the line's natural width. */
static void natural_x(const pcase *c, const page_text *pt, int line, double *nat)
{
    gp_text_style plain = c->style;
    plain.letter_spacing_pt = 0;
    char buf[4096];
    size_t len = 0;
    const pline *ln = &pt->lines[line];
    nat[0] = 0;
    for (int k = 0; k < ln->count && len + 16 < sizeof buf; k++) {
        const pchar *ch = &pt->chars[ln->first + k];
        if (ch->after_space && k > 0)
            buf[len++] = ' ';
        len += (size_t)g_unichar_to_utf8(ch->c, buf + len);
        buf[len] = '\0';
        gp_text_metrics m;
        gp_text_measure(te, &plain, c->size_pt, buf, &m);
        nat[k + 1] = m.width_mm;
    }
}

/* A character's advance on its own, at the case's size. */
static double advance(const pcase *c, gunichar ch)
{
    char u[8] = {0};
    g_unichar_to_utf8(ch, u);
    gp_text_style plain = c->style;
    plain.letter_spacing_pt = 0;
    gp_text_metrics m;
    gp_text_measure(te, &plain, c->size_pt, u, &m);
    return m.width_mm;
}

static bool in_set(gunichar c, const char *set)
{
    for (const char *p = set; *p != '\0'; p = g_utf8_next_char(p))
        if (g_utf8_get_char(p) == c)
            return true;
    return false;
}

static const char closing[] = "，。、；：？！）》」』】〕…—,.;:?!)·”’";
static const char opening[] = "（《「『【〔(“‘";

/* What every paragraph must look like on the page: full lines from edge to
 * edge with the extra space spread evenly, the last line natural, baselines
 * line-height apart from the box's top, the measured height and line count,
 * no line starting with closing or ending with opening punctuation, and all
 * the text there in order. */
static void check_page(const pcase *c, page_text *pt, const char *what)
{
    marked m = mark_up(c->src);
    gp_paragraph_metrics pm;
    measure_case(c, &m, &pm);
    char *want = without_spaces(m.text), *got = page_str(pt);
    CHECK(strcmp(want, got) == 0, "%s: the PDF reads \"%s\", expected \"%s\"", what, got, want);
    free(want);
    free(got);
    CHECK(pm.lines == pt->nlines, "%s: measured %d lines, the PDF has %d", what, pm.lines, pt->nlines);
    CHECK(pm.unknown_glyphs == 0, "%s: %d unknown glyphs (U+%04X)", what, pm.unknown_glyphs, pm.first_unknown);
    if (pt->nlines == 0) {
        free(m.text);
        return;
    }
    align_source(pt, m.text);
    double scale = c->size_pt / c->style.size_pt;
    double lh = c->para.line_height_mm * scale, indent = c->para.first_indent_mm * scale;
    double right = c->box.x + c->box.w, spacing = c->style.letter_spacing_pt * MM_PER_PT;
    for (int l = 0; l < pt->nlines; l++) {
        const pline *ln = &pt->lines[l];
        bool last = l + 1 == pt->nlines;
        double left = c->box.x + (l == 0 ? indent : 0);
        CHECK(fabs(line_char(pt, l, 0)->x1 - left) <= 0.1, "%s line %d \"%s\" starts at %.3f mm, not %.3f", what,
              l + 1, line_str(pt, l), line_char(pt, l, 0)->x1, left);
        double nat[MAX_CHARS + 1];
        natural_x(c, pt, l, nat);
        double end = line_char(pt, l, -1)->x1 + (nat[ln->count] - nat[ln->count - 1]);
        if (!last && c->para.justify && ln->count > 1)
            CHECK(fabs(end - right) <= 0.1, "%s line %d \"%s\" ends at %.3f mm, not at the edge %.3f", what, l + 1,
                  line_str(pt, l), end, right);
        CHECK(end <= right + 0.1, "%s line %d \"%s\" ends at %.3f mm, past the edge %.3f", what, l + 1,
              line_str(pt, l), end, right);
        /* Gaps after each character's own advance: the same all along a
         * line, only letter spacing on the last (and on all without justify). */
        double gmin = 1e9, gmax = -1e9;
        int gaps = 0;
        for (int k = 0; k + 1 < ln->count; k++) {
            const pchar *a = line_char(pt, l, k), *b = line_char(pt, l, k + 1);
            /* Latin pairs may be kerned, and a space's gap holds the space. */
            if ((a->c < 0x80 && b->c < 0x80) || b->after_space)
                continue;
            double gap = b->x1 - a->x1 - (nat[k + 1] - nat[k]);
            gmin = gap < gmin ? gap : gmin;
            gmax = gap > gmax ? gap : gmax;
            gaps++;
        }
        /* cairo writes positions to the PDF within ~0.017 mm (it lets
         * small drifts go before it adjusts). */
        if (gaps > 0) {
            CHECK(gmax - gmin <= 0.03, "%s line %d \"%s\": uneven gaps %.4f..%.4f mm", what, l + 1, line_str(pt, l),
                  gmin, gmax);
            if (last || !c->para.justify)
                CHECK(fabs(gmax - spacing) <= 0.03 && fabs(gmin - spacing) <= 0.03,
                      "%s line %d \"%s\" is stretched (gaps %.4f..%.4f mm)", what, l + 1, line_str(pt, l), gmin,
                      gmax);
        }
        if (l > 0 && !isnan(ln->top) && !isnan(pt->lines[l - 1].top))
            CHECK(fabs(ln->top - pt->lines[l - 1].top - lh) <= 0.05, "%s: line %d is %.3f mm below line %d, not %.3f",
                  what, l + 1, ln->top - pt->lines[l - 1].top, l, lh);
        if (l > 0) {
            CHECK(!in_set(line_char(pt, l, 0)->c, closing), "%s: line %d starts with closing punctuation: \"%s\"",
                  what, l + 1, line_str(pt, l));
        }
        if (!last)
            CHECK(!in_set(line_char(pt, l, -1)->c, opening), "%s: line %d ends with opening punctuation: \"%s\"",
                  what, l + 1, line_str(pt, l));
    }
    /* The face's ascent puts the first line's top at the box's top. */
    if (!isnan(pt->lines[0].top))
        CHECK(fabs(pt->lines[0].top - c->box.y) <= 0.1, "%s: first line's top at %.3f mm, box top %.3f", what,
              pt->lines[0].top, c->box.y);
    double shown = pt->lines[pt->nlines - 1].bottom - pt->lines[0].top;
    if (!isnan(shown))
        CHECK(fabs(shown - pm.height_mm) <= 0.1, "%s: measured %.3f mm tall, the PDF shows %.3f", what, pm.height_mm,
          shown);
    free(m.text);
}

static void run_pdf_cases(const char *name, const pcase *cases, size_t n, page_text *pt)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.pdf", tmpdir, name);
    write_pdf(path, cases, n);
    PopplerDocument *doc = open_pdf(path);
    REQUIRE(poppler_document_get_n_pages(doc) == (int)n, "%s: page count", name);
    for (size_t i = 0; i < n; i++) {
        char what[64];
        snprintf(what, sizeof what, "%s case %zu", name, i + 1);
        read_page(doc, (int)i, pt);
        check_page(&cases[i], pt, what);
    }
    g_object_unref(doc);
    unlink(path);
}

/* ------------------------------------------------------------------ */
/* The wording of the certificates                                     */

static const char diploma[] =
    "学生[阿卜杜热依木·艾合买提江]，性别[男]，[二〇〇三年五月十二日]生，于[二〇二一年九月]至[二〇二五年六月]在本校"
    "[计算机科学与技术]专业[四年]制本科学习，修完教学计划规定的全部课程，成绩合格，准予毕业。";
static const char degree[] =
    "[张伟]，[男]，[2003]年[5]月[12]日生。在[重庆文理学院][软件工程]专业完成了本科学习计划，业已毕业。经审核符合"
    "《中华人民共和国学位条例》的规定，授予[工学]学士学位。";

static void test_wording(page_text *pt)
{
    pcase cases[8];
    size_t n = 0;
    cases[n++] = make_case(diploma, "song", 15, (gp_box){78, 50, 162, 64}, 9.5, 10.6);
    cases[n++] = make_case(degree, "song", 15, (gp_box){78, 50, 162, 64}, 9.5, 10.6);
    cases[n++] = make_case(diploma, "kai", 14, (gp_box){20, 30, 121.3, 90}, 8, 2 * em(14));
    cases[n++] = make_case(degree, "sans", 12, (gp_box){15.5, 12.25, 97.7, 120}, 6.5, 0);
    /* Letter spacing from the style goes between all characters. */
    cases[n] = make_case(diploma, "song", 13, (gp_box){30, 20, 150, 100}, 8, 9.2);
    cases[n++].style.letter_spacing_pt = 1.5;
    /* Shrunk: line height and indent keep their proportion to the type. */
    cases[n] = make_case(diploma, "song", 15, (gp_box){78, 50, 162, 64}, 9.5, 10.6);
    cases[n++].size_pt = 12.25;
    /* Without justification every line keeps its natural spacing. */
    cases[n] = make_case(degree, "song", 15, (gp_box){20, 20, 150, 80}, 9.5, 10.6);
    cases[n++].para.justify = false;
    run_pdf_cases("wording", cases, n, pt);
}

/* ------------------------------------------------------------------ */
/* Line-breaking rules                                                 */

/* A box exactly `chars` ideographs wide (plus a hair), no indent: with the
 * text below, breaking after any character would put the character at
 * position chars + 1 first on line 2. */
static pcase narrow_case(const char *src, int chars)
{
    double size = 12;
    return make_case(src, "song", size, (gp_box){20, 20, chars * em(size) + 0.05, 120}, 7, 0);
}

static void test_breaking(page_text *pt)
{
    /* 10 ideographs fill a line; each text puts the mark 11th. */
    static const char *const close_marks[] = {"，", "。", "、", "；", "：", "？", "！", "）", "》", "」",
                                               "』", "】", "〕", "”", ",", ".", ";", ":", "?", "!", ")"};
    char srcs[40][256];
    pcase cases[40];
    size_t n = 0;
    for (size_t i = 0; i < sizeof close_marks / sizeof close_marks[0]; i++) {
        snprintf(srcs[n], sizeof srcs[n], "一二三四五六七八九十%s甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉", close_marks[i]);
        cases[n] = narrow_case(srcs[n], 10);
        n++;
    }
    /* Paired marks (……, ——) must neither start a line nor split. */
    snprintf(srcs[n], sizeof srcs[n], "一二三四五六七八九……甲乙丙丁戊己庚辛壬癸");
    cases[n] = narrow_case(srcs[n], 10), n++;
    snprintf(srcs[n], sizeof srcs[n], "一二三四五六七八九——甲乙丙丁戊己庚辛壬癸");
    cases[n] = narrow_case(srcs[n], 10), n++;
    /* Two closing marks in a row at the break: the line gives up two. */
    snprintf(srcs[n], sizeof srcs[n], "一二三四五六七八九十》，甲乙丙丁戊己庚辛壬癸子丑");
    cases[n] = narrow_case(srcs[n], 10), n++;
    /* Opening marks would end line 1 as its 10th character. */
    static const char *const open_marks[] = {"（", "《", "「", "『", "【", "〔", "“", "("};
    for (size_t i = 0; i < sizeof open_marks / sizeof open_marks[0]; i++) {
        snprintf(srcs[n], sizeof srcs[n], "一二三四五六七八九%s书名甲乙丙丁戊己庚辛壬癸子丑寅卯", open_marks[i]);
        cases[n] = narrow_case(srcs[n], 10);
        n++;
    }
    /* The middle dot of a minority name stays off the start of a line. */
    snprintf(srcs[n], sizeof srcs[n], "学生阿卜杜热依木吐尔·艾合买提江同学");
    cases[n] = narrow_case(srcs[n], 10), n++;
    run_pdf_cases("breaking", cases, n, pt);

    /* Each mark must have been the 11th character: it moved, with the 10th. */
    char path[256];
    snprintf(path, sizeof path, "%s/breaking-again.pdf", tmpdir);
    write_pdf(path, cases, sizeof close_marks / sizeof close_marks[0]);
    PopplerDocument *doc = open_pdf(path);
    for (size_t i = 0; i < sizeof close_marks / sizeof close_marks[0]; i++) {
        read_page(doc, (int)i, pt);
        REQUIRE(pt->nlines >= 2, "mark %s: %d lines", close_marks[i], pt->nlines);
        CHECK(pt->lines[0].count == 9 && line_char(pt, 1, 0)->c == g_utf8_get_char("十"),
              "mark %s: line 1 \"%s\" should give its 10th character to line 2", close_marks[i], line_str(pt, 0));
    }
    g_object_unref(doc);
    unlink(path);
}

/* Latin letters and digits: a year or a student number never splits unless
 * it alone is longer than the line. */
static void test_words(page_text *pt)
{
    pcase cases[6];
    size_t n = 0;
    /* "2025" would straddle the end of line 1: 9 ideographs + 2025 > 10 em. */
    cases[n++] = narrow_case("于一二三四五六七八2025年6月毕业，学号2021123456，英文名Zhang Sanfeng。", 10);
    cases[n++] = narrow_case("一二三四五六七八九学号2021123456，成绩合格。", 10);
    cases[n++] = narrow_case("一二三四五六七英文名Abdurehim Ahmetjan同学", 10);
    /* 40 digits cannot fit 10 ems: they break where the line is full. */
    cases[n++] = narrow_case("学号：1234567890123456789012345678901234567890，完。", 10);
    run_pdf_cases("words", cases, n, pt);

    char path[256];
    snprintf(path, sizeof path, "%s/words-again.pdf", tmpdir);
    write_pdf(path, cases, n);
    PopplerDocument *doc = open_pdf(path);
    /* Every run of digits or letters lies on one line. */
    for (size_t i = 0; i < 3; i++) {
        read_page(doc, (int)i, pt);
        align_source(pt, cases[i].src);
        for (int k = 1; k < pt->n; k++) {
            bool word = g_unichar_isalnum(pt->chars[k].c) && pt->chars[k].c < 0x80 &&
                        g_unichar_isalnum(pt->chars[k - 1].c) && pt->chars[k - 1].c < 0x80;
            if (word && !pt->chars[k].after_space)
                CHECK(fabs(pt->chars[k].y1 - pt->chars[k - 1].y1) < 0.5, "case %zu: a word splits at %c|%c", i + 1,
                      (char)pt->chars[k - 1].c, (char)pt->chars[k].c);
        }
    }
    /* "2025" really was at the end of line 1: line 1 broke before it. */
    read_page(doc, 0, pt);
    CHECK(pt->nlines >= 2 && line_char(pt, 1, 0)->c == '2' && pt->lines[0].count == 9,
          "the year should open line 2, line 1 is \"%s\"", line_str(pt, 0));
    read_page(doc, 3, pt);
    CHECK(pt->nlines >= 3, "40 digits in a 10-em box take %d lines", pt->nlines);
    g_object_unref(doc);
    unlink(path);
}

/* ------------------------------------------------------------------ */
/* Underlines                                                          */

typedef struct raster {
    cairo_surface_t *s;
    double ppmm;
} raster;

static raster draw_raster(const pcase *c, const marked *m, double dpi, double w_mm, double h_mm)
{
    raster r = {NULL, dpi / 25.4};
    r.s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(w_mm * r.ppmm), (int)ceil(h_mm * r.ppmm));
    cairo_t *cr = cairo_create(r.s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, r.ppmm, r.ppmm);
    draw_case(cr, c, m);
    CHECK(cairo_status(cr) == CAIRO_STATUS_SUCCESS, "cairo: %s", cairo_status_to_string(cairo_status(cr)));
    cairo_destroy(cr);
    cairo_surface_flush(r.s);
    return r;
}

static int px(const raster *r, int x, int y)
{
    const unsigned char *row = cairo_image_surface_get_data(r->s) + (size_t)y * cairo_image_surface_get_stride(r->s);
    uint32_t v = ((const uint32_t *)row)[x];
    return (int)(((v >> 16) & 0xff) + ((v >> 8) & 0xff) + (v & 0xff)) / 3;
}

static bool dark(const raster *r, int x, int y) { return px(r, x, y) < 128; }

static void test_underline(page_text *pt)
{
    /* The major wraps from line 2 to line 3 of this box. */
    pcase c = make_case(diploma, "song", 15, (gp_box){20, 20, 150, 70}, 9.5, 10.6);
    c.para.underline_fields = true;
    c.para.underline_width_mm = 0.2;
    char path[256];
    snprintf(path, sizeof path, "%s/underline.pdf", tmpdir);
    write_pdf(path, &c, 1);
    PopplerDocument *doc = open_pdf(path);
    read_page(doc, 0, pt);
    g_object_unref(doc);
    unlink(path);
    check_page(&c, pt, "underlined");

    marked m = mark_up(c.src);
    raster with = draw_raster(&c, &m, 600, PAGE_W, PAGE_H);
    c.para.underline_fields = false;
    raster plain = draw_raster(&c, &m, 600, PAGE_W, PAGE_H);
    int w = cairo_image_surface_get_width(with.s), h = cairo_image_surface_get_height(with.s);

    /* Which page characters came from fields, in text order. */
    int k = 0, wrapped_spans = 0;
    double span_line[32];
    for (size_t s = 0; s < m.nspans; s++)
        span_line[s] = -1;
    for (const char *p = m.text; *p != '\0' && k < pt->n; p = g_utf8_next_char(p)) {
        if (g_unichar_isspace(g_utf8_get_char(p)))
            continue;
        const pchar *ch = &pt->chars[k++];
        REQUIRE(ch->c == g_utf8_get_char(p), "PDF and text disagree at character %d", k);
        size_t off = (size_t)(p - m.text);
        int span = -1;
        for (size_t s = 0; s < m.nspans; s++)
            if (off >= m.spans[s].start && off < m.spans[s].end)
                span = (int)s;
        if (span >= 0) {
            if (span_line[span] >= 0 && fabs(span_line[span] - ch->y1) > 1)
                wrapped_spans++;
            span_line[span] = ch->y1;
        }
        /* The underline's pixels: in the underlined image, not the plain one,
         * below the character's baseline and above the next line. */
        int x0 = (int)((ch->x1 + 0.15) * with.ppmm), x1 = (int)((ch->x1 + advance(&c, ch->c) - 0.15) * with.ppmm);
        int y0 = (int)(ch->y1 * with.ppmm), y1 = (int)((ch->y2 + 1.0) * with.ppmm);
        int columns = 0, underlined = 0, thick_min = 1000, thick_max = 0, ink_bottom = -1, bar_top = h;
        for (int x = x0; x < x1 && x < w; x++) {
            columns++;
            int thick = 0;
            for (int y = y0; y < y1 && y < h; y++) {
                if (dark(&plain, x, y))
                    ink_bottom = y > ink_bottom ? y : ink_bottom;
                if (dark(&with, x, y) && !dark(&plain, x, y)) {
                    thick++;
                    bar_top = y < bar_top ? y : bar_top;
                }
            }
            underlined += thick > 0;
            if (thick > 0) {
                thick_min = thick < thick_min ? thick : thick_min;
                thick_max = thick > thick_max ? thick : thick_max;
            }
        }
        char u[8] = {0};
        g_unichar_to_utf8(ch->c, u);
        if (span >= 0) {
            CHECK(underlined == columns, "field character %s: %d of %d columns underlined", u, underlined, columns);
            /* 0.2 mm at 600 dpi is 4.7 px. */
            CHECK(thick_min >= 3 && thick_max <= 7, "field character %s: underline %d..%d px thick", u, thick_min,
                  thick_max);
            /* Ideographs end above the underline; the narrow middle dot
             * has no ink down there at all. */
            CHECK(bar_top > ink_bottom, "field character %s: underline at row %d overlaps ink down to row %d", u,
                  bar_top, ink_bottom);
        } else {
            CHECK(underlined == 0, "literal character %s: %d columns underlined", u, underlined);
        }
    }
    CHECK(k == pt->n, "compared %d of %d characters", k, pt->n);
    CHECK(wrapped_spans >= 1, "no field wraps in this case: the test proves nothing about wrapping");

    /* Not one underline pixel away from the field characters: compare the
     * images everywhere. */
    long diff = 0, outside = 0;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            if (px(&with, x, y) == px(&plain, x, y))
                continue;
            diff++;
            double xm = x / with.ppmm, ym = y / with.ppmm;
            bool near_field = false;
            for (int q = 0; q < pt->n && !near_field; q++) {
                const pchar *ch = &pt->chars[q];
                near_field = xm >= ch->x1 - 0.1 && xm <= ch->x2 + 0.1 && ym >= ch->y1 && ym <= ch->y2 + 1.0;
            }
            outside += !near_field;
        }
    }
    CHECK(diff > 0 && outside == 0, "%ld underline pixels, %ld away from any character", diff, outside);
    cairo_surface_destroy(with.s);
    cairo_surface_destroy(plain.s);
    free(m.text);
}

/* ------------------------------------------------------------------ */
/* One measurement for every output                                   */

typedef struct ink {
    int x0, y0, x1, y1;
} ink;

static ink ink_in(const raster *r, double top_mm, double bottom_mm)
{
    ink k = {1 << 20, 1 << 20, -1, -1};
    int h = cairo_image_surface_get_height(r->s), w = cairo_image_surface_get_width(r->s);
    for (int y = (int)(top_mm * r->ppmm); y < (int)(bottom_mm * r->ppmm) && y < h; y++)
        for (int x = 0; x < w; x++)
            if (dark(r, x, y)) {
                k.x0 = x < k.x0 ? x : k.x0;
                k.y0 = y < k.y0 ? y : k.y0;
                k.x1 = x > k.x1 ? x : k.x1;
                k.y1 = y > k.y1 ? y : k.y1;
            }
    return k;
}

/* The measurement has no target; the drawn lines must be where it says on a
 * 300 dpi raster and in the PDF (rendered by poppler at 300 dpi) alike:
 * each line's ink within a pixel of the other's, so no line broke
 * differently. */
static void test_targets(page_text *pt)
{
    pcase cases[3];
    cases[0] = make_case(diploma, "song", 15, (gp_box){20, 20, 162, 64}, 9.5, 10.6);
    cases[1] = make_case(degree, "kai", 10.5, (gp_box){10.3, 15.7, 90.1, 90}, 6.1, 7.4);
    cases[2] = make_case(diploma, "sans", 7.25, (gp_box){12, 12, 60.7, 90}, 4.4, 5.1);
    char path[256];
    snprintf(path, sizeof path, "%s/targets.pdf", tmpdir);
    write_pdf(path, cases, 3);
    PopplerDocument *doc = open_pdf(path);
    for (int i = 0; i < 3; i++) {
        marked m = mark_up(cases[i].src);
        gp_paragraph_metrics a, b;
        measure_case(&cases[i], &m, &a);
        measure_case(&cases[i], &m, &b);
        CHECK(a.lines == b.lines && a.height_mm == b.height_mm, "measuring twice differs");

        raster direct = draw_raster(&cases[i], &m, 300, PAGE_W, PAGE_H);
        raster via = {cairo_image_surface_create(CAIRO_FORMAT_RGB24, cairo_image_surface_get_width(direct.s),
                                                 cairo_image_surface_get_height(direct.s)),
                      direct.ppmm};
        cairo_t *cr = cairo_create(via.s);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_scale(cr, 300 / 72.0, 300 / 72.0);
        PopplerPage *page = poppler_document_get_page(doc, i);
        poppler_page_render(page, cr);
        g_object_unref(page);
        cairo_destroy(cr);
        cairo_surface_flush(via.s);

        read_page(doc, i, pt);
        check_page(&cases[i], pt, "targets");
        for (int l = 0; l < pt->nlines; l++) {
            ink d = ink_in(&direct, pt->lines[l].top, pt->lines[l].bottom);
            ink v = ink_in(&via, pt->lines[l].top, pt->lines[l].bottom);
            CHECK(abs(d.x0 - v.x0) <= 1 && abs(d.x1 - v.x1) <= 1 && abs(d.y0 - v.y0) <= 1 && abs(d.y1 - v.y1) <= 1,
                  "case %d line %d: 300 dpi ink %d,%d..%d,%d, PDF ink %d,%d..%d,%d", i + 1, l + 1, d.x0, d.y0, d.x1,
                  d.y1, v.x0, v.y0, v.x1, v.y1);
        }
        /* Measured height against the raster: the last line's ink ends
         * inside the measured box. */
        ink all = ink_in(&direct, 0, PAGE_H);
        CHECK(all.y1 / direct.ppmm <= cases[i].box.y + a.height_mm + 0.1, "case %d: ink to %.2f mm, measured %.2f",
              i + 1, all.y1 / direct.ppmm, cases[i].box.y + a.height_mm);
        cairo_surface_destroy(direct.s);
        cairo_surface_destroy(via.s);
        free(m.text);
    }
    g_object_unref(doc);
    unlink(path);
}

/* ------------------------------------------------------------------ */
/* Rare characters                                                     */

static void test_rare(page_text *pt)
{
    static const char *const families[] = {"song", "sans", "kai"};
    pcase cases[3];
    for (int i = 0; i < 3; i++)
        cases[i] = make_case("学生[王䶮]、[刘龑]、[吉𠮷]与[阿卜杜热依木·艾合买提江]，于[二〇二一年九月]入学，[计算机科学与技术]"
                             "专业，[𪚥堃喆犇淼昇赟玥𠇔𡒄𨭉]。",
                             families[i], 14, (gp_box){20, 20, 120, 100}, 8, 9.9);
    for (int i = 0; i < 3; i++) {
        marked m = mark_up(cases[i].src);
        gp_paragraph_metrics pm;
        measure_case(&cases[i], &m, &pm);
        CHECK(pm.unknown_glyphs == 0 && pm.first_unknown == 0, "%s: %d unknown glyphs, first U+%04X", families[i],
              pm.unknown_glyphs, pm.first_unknown);
        free(m.text);
    }
    run_pdf_cases("rare", cases, 3, pt);

    /* What no font has is counted, the first in reading order named. */
    pcase c = make_case("学生张\xee\x80\x80三，李\xcd\xb8四", "song", 14, (gp_box){20, 20, 120, 100}, 8, 0);
    marked m = mark_up(c.src);
    gp_paragraph_metrics pm;
    measure_case(&c, &m, &pm);
    CHECK(pm.unknown_glyphs == 2 && pm.first_unknown == 0xE000, "%d unknown, first U+%04X", pm.unknown_glyphs,
          pm.first_unknown);
    free(m.text);
}

/* ------------------------------------------------------------------ */
/* Odd input                                                           */

static void test_odd(void)
{
    gp_text_style style = gp_text_style_simple("song", 12, false, GP_ALIGN_LEFT);
    gp_paragraph_style para = {7, 8.5, true, true, 0.2};
    gp_paragraph_metrics m;
    gp_text_paragraph_measure(te, &style, &para, 12, "", NULL, 0, 100, &m);
    CHECK(m.lines == 0 && m.height_mm == 0, "empty text: %d lines, %.2f mm", m.lines, m.height_mm);
    gp_text_paragraph_measure(te, &style, &para, 12, NULL, NULL, 0, 100, &m);
    CHECK(m.lines == 0, "NULL text: %d lines", m.lines);

    /* One line: as tall as the face. */
    gp_text_metrics one;
    gp_text_measure(te, &style, 12, "准予毕业", &one);
    gp_text_paragraph_measure(te, &style, &para, 12, "准予毕业", NULL, 0, 100, &m);
    CHECK(m.lines == 1 && fabs(m.height_mm - one.height_mm) < 0.01, "one line: %d lines %.3f mm, a line is %.3f",
          m.lines, m.height_mm, one.height_mm);
    /* No width: a character a line, never none. */
    gp_text_paragraph_measure(te, &style, &para, 12, "准予毕业。", NULL, 0, 0, &m);
    CHECK(m.lines == 5, "zero width: %d lines", m.lines);
    gp_text_paragraph_measure(te, &style, &para, 12, "准予毕业", NULL, 0, NAN, &m);
    CHECK(m.lines == 4, "NaN width: %d lines", m.lines);
    /* Spaces at the end of a line take no room. */
    para.first_indent_mm = 0;
    gp_text_paragraph_measure(te, &style, &para, 12, "Zhang      San      Feng", NULL, 0, 15, &m);
    CHECK(m.lines == 3, "spaces: %d lines", m.lines);

    /* Invalid UTF-8 and spans past the end draw without harm. */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 400);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, 4, 4);
    gp_span wild[] = {{2, 3}, {5, 999}, {40, 20}};
    gp_box box = {5, 5, 80, 80};
    gp_text_paragraph_draw(te, cr, &style, &para, 12, "学生\xff\xfe张三\xe4，准予毕业", wild, 3, &box);
    para.underline_fields = true;
    gp_text_paragraph_draw(te, cr, &style, &para, 12, "学生张三，准予毕业。", wild, 3, &box);
    gp_text_paragraph_draw(te, cr, &style, &para, 12, "", wild, 3, &box);
    gp_box flat = {5, 5, 0, 0};
    gp_text_paragraph_draw(te, cr, &style, &para, 12, "学生张三", wild, 3, &flat);
    CHECK(cairo_status(cr) == CAIRO_STATUS_SUCCESS, "cairo: %s", cairo_status_to_string(cairo_status(cr)));
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* ------------------------------------------------------------------ */
/* Layout: findings, shrink-to-fit, marks                              */

typedef struct record {
    const char *name, *gender, *birth, *major, *years;
} record;

static const char *lookup(void *user, const char *field)
{
    const record *r = user;
    if (strcmp(field, "name") == 0)
        return r->name;
    if (strcmp(field, "gender") == 0)
        return r->gender;
    if (strcmp(field, "birth_date") == 0)
        return r->birth;
    if (strcmp(field, "major") == 0)
        return r->major;
    if (strcmp(field, "study_years") == 0)
        return r->years;
    return NULL;
}

static const char wording[] = "学生{name}，性别{gender}，{birth_date|cn-date}生，在本校{major}专业{study_years|cn-years}"
                              "制本科学习，修完教学计划规定的全部课程，成绩合格，准予毕业。";

typedef struct tpl {
    gp_element els[3];
    gp_template t;
} tpl;

static void make_tpl(tpl *t, gp_box box, double size, double min)
{
    memset(t, 0, sizeof *t);
    gp_element *p = &t->els[0];
    p->kind = GP_EL_PARAGRAPH;
    p->line = 27;
    p->box = box;
    p->style = gp_text_style_simple("song", size, false, GP_ALIGN_LEFT);
    p->style.min_size_pt = min;
    p->para = (gp_paragraph_style){9.5, 10.6, true, true, 0.2};
    gp_error *err = NULL;
    REQUIRE(gp_pattern_parse(wording, "cert.xml", 27, &p->content, &err) == GP_OK, "pattern: %s",
            gp_error_message(err));
    t->els[1] = (gp_element){.kind = GP_EL_IMAGE, .line = 30, .box = {208, 131, 30, 15}, .src = "/nonexistent.png"};
    t->els[2] = (gp_element){.kind = GP_EL_BACKGROUND, .line = 12, .box = {0, 0, 1, 1}, .src = "/nonexistent.pdf"};
    t->t.path = "cert.xml";
    t->t.name = "cert";
    t->t.page_w_mm = 270;
    t->t.page_h_mm = 190;
    t->t.dpi = 600;
    t->t.elements = t->els;
    t->t.count = 3;
}

static const gp_finding *find_code(const gp_report *rep, const char *code)
{
    for (size_t i = 0; i < gp_report_count(rep); i++)
        if (strcmp(gp_report_get(rep, i)->code, code) == 0)
            return gp_report_get(rep, i);
    return NULL;
}

static const gp_mark *first_mark(const gp_layout *l, gp_mark_kind kind)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->marks[i].kind == kind)
            return &l->marks[i];
    return NULL;
}

static void measure_mark(const gp_mark *mk, double size_pt, gp_paragraph_metrics *m)
{
    gp_text_paragraph_measure(te, &mk->style, &mk->para, size_pt, mk->text, mk->spans, mk->nspans,
                              mk->box.w, m);
}

static void test_layout(void)
{
    record ok = {"阿卜杜热依木·艾合买提江", "男", "2003-05-12", "计算机科学与技术", "4"};
    tpl t;
    make_tpl(&t, (gp_box){78, 50, 162, 64}, 15, 12);
    gp_layout layout;
    gp_layout_init(&layout);
    gp_report *rep = gp_report_new();
    REQUIRE(rep != NULL, "report");

    CHECK(gp_layout_build(&t.t, lookup, &ok, te, &layout, rep, "roster.csv", 4, "2021001"), "a good record fails");
    CHECK(gp_report_count(rep) == 0, "%zu findings, first %s", gp_report_count(rep),
          gp_report_count(rep) ? gp_report_get(rep, 0)->message : "");
    const gp_mark *mk = first_mark(&layout, GP_MARK_PARAGRAPH);
    REQUIRE(mk != NULL, "no paragraph mark");
    CHECK_STR(mk->text, "学生阿卜杜热依木·艾合买提江，性别男，二〇〇三年五月十二日生，在本校计算机科学与技术专业四年"
                        "制本科学习，修完教学计划规定的全部课程，成绩合格，准予毕业。");
    CHECK(mk->size_pt == 15, "size %.2f", mk->size_pt);
    const char *const fields[] = {"阿卜杜热依木·艾合买提江", "男", "二〇〇三年五月十二日", "计算机科学与技术", "四年"};
    CHECK(mk->nspans == 5, "%zu spans", mk->nspans);
    for (size_t i = 0; i < mk->nspans && i < 5; i++)
        CHECK(mk->spans[i].end - mk->spans[i].start == strlen(fields[i]) &&
                  memcmp(mk->text + mk->spans[i].start, fields[i], strlen(fields[i])) == 0,
              "span %zu does not cover %s", i, fields[i]);
    CHECK(mk->box.x == 78 && mk->box.w == 162 && mk->source == 0 &&
              mk->para.line_height_mm == t.els[0].para.line_height_mm && mk->style.size_pt == t.els[0].style.size_pt,
          "paragraph box and style");
    const gp_mark *img = first_mark(&layout, GP_MARK_IMAGE), *bg = first_mark(&layout, GP_MARK_BACKGROUND);
    CHECK(img != NULL && img->box.x == 208 && img->box.y == 131 && img->box.w == 30 && img->box.h == 15 &&
              img->source == 1 && img->image.path == t.els[1].src && img->image.format == t.els[1].src_format,
          "image mark");
    CHECK(bg != NULL && bg->box.x == 0 && bg->box.y == 0 && bg->box.w == 270 && bg->box.h == 190 &&
              bg->source == 2 && bg->image.path == t.els[2].src,
          "background mark covers the page");

    /* Shrink to fit: the largest quarter-point size whose lines fit. */
    record longer = ok;
    longer.major = "汉语言文学（师范）与中国少数民族语言文学（维吾尔语言文学方向）及对外汉语教学";
    gp_pattern_free(t.els[0].content);
    make_tpl(&t, (gp_box){78, 50, 162, 30}, 15, 12);
    gp_report_free(rep);
    rep = gp_report_new();
    CHECK(gp_layout_build(&t.t, lookup, &longer, te, &layout, rep, "roster.csv", 5, "2021002"),
          "the long major should shrink to fit: %s", gp_report_count(rep) ? gp_report_get(rep, 0)->message : "");
    mk = first_mark(&layout, GP_MARK_PARAGRAPH);
    REQUIRE(mk != NULL, "no paragraph mark");
    gp_paragraph_metrics at, above;
    measure_mark(mk, mk->size_pt, &at);
    measure_mark(mk, mk->size_pt + 0.25, &above);
    CHECK(mk->size_pt < 15 && mk->size_pt >= 12, "shrunk to %.2f pt", mk->size_pt);
    CHECK(fmod(mk->size_pt * 4, 1) == 0, "%.3f pt is off the quarter-point grid", mk->size_pt);
    CHECK(at.height_mm <= 30 && above.height_mm > 30, "at %.2f pt %.2f mm, at %.2f pt %.2f mm (box 30)", mk->size_pt,
          at.height_mm, mk->size_pt + 0.25, above.height_mm);

    /* The search agrees with stepping down a quarter point at a time, for
     * boxes from roomy to hopeless and for a floor off the grid. */
    const char *const majors[] = {"软件工程", "汉语言文学（师范）与中国少数民族语言文学（维吾尔语言文学方向）",
                                  "计算机科学与技术（中外合作办学）及人工智能与大数据应用方向实验班"};
    for (int mi = 0; mi < 3; mi++) {
        for (double hgt = 12; hgt <= 48; hgt += 2.75) {
            gp_pattern_free(t.els[0].content);
            make_tpl(&t, (gp_box){78, 50, 162, hgt}, 16, 9.6);
            t.t.count = 1;
            record r = ok;
            r.major = majors[mi];
            CHECK(gp_layout_build(&t.t, lookup, &r, te, &layout, NULL, NULL, 0, NULL) || hgt < 20,
                  "%s in %.2f mm does not fit", majors[mi], hgt);
            mk = first_mark(&layout, GP_MARK_PARAGRAPH);
            REQUIRE(mk != NULL, "no mark");
            double want = 9.6;
            for (double size = 16; size > 9.6; size -= 0.25) {
                measure_mark(mk, size, &at);
                if (at.height_mm <= hgt + 0.001) {
                    want = size;
                    break;
                }
            }
            CHECK(mk->size_pt == want, "%s in %.2f mm: %.2f pt, stepping finds %.2f pt", majors[mi], hgt, mk->size_pt,
                  want);
        }
    }
    gp_pattern_free(t.els[0].content);
    make_tpl(&t, (gp_box){78, 50, 162, 30}, 15, 12);

    /* Still too tall at the smallest size: an error naming all of it. */
    record longest = longer;
    longest.name = "阿卜杜热依木·艾合买提江·买买提明·阿卜杜克热木·吐尔逊·艾力·穆罕默德·阿卜杜拉·热合曼";
    longest.major = "汉语言文学（师范）与中国少数民族语言文学（维吾尔语言文学方向）及对外汉语教学、"
                    "汉语言文学（师范）与中国少数民族语言文学（哈萨克语言文学方向）";
    gp_report_free(rep);
    rep = gp_report_new();
    CHECK(!gp_layout_build(&t.t, lookup, &longest, te, &layout, rep, "roster.csv", 6, "2021003"),
          "an overflowing paragraph passes");
    const gp_finding *f = find_code(rep, "paragraph-overflow");
    REQUIRE(f != NULL, "no paragraph-overflow finding");
    mk = first_mark(&layout, GP_MARK_PARAGRAPH);
    REQUIRE(mk != NULL, "the layout is complete for previews");
    CHECK(mk->size_pt == 12, "tried down to %.2f pt", mk->size_pt);
    measure_mark(mk, 12, &at);
    char lines[64];
    snprintf(lines, sizeof lines, "needs %d lines (%.1f mm)", at.lines, at.height_mm);
    CHECK(f->severity == GP_ERROR && strcmp(f->file, "roster.csv") == 0 && f->line == 6 &&
              strcmp(f->student_no, "2021003") == 0,
          "finding %s:%ld %s", f->file, f->line, f->student_no);
    CHECK(strstr(f->message, lines) != NULL && strstr(f->message, "30 mm") != NULL &&
              strstr(f->message, "cert.xml line 27") != NULL && strstr(f->message, "12 pt") != NULL,
          "message: %s", f->message);

    /* A size that may not shrink overflows at once. */
    gp_pattern_free(t.els[0].content);
    make_tpl(&t, (gp_box){78, 50, 162, 20}, 15, 15);
    gp_report_free(rep);
    rep = gp_report_new();
    CHECK(!gp_layout_build(&t.t, lookup, &ok, te, &layout, rep, "roster.csv", 7, "2021004"), "20 mm is too short");
    f = find_code(rep, "paragraph-overflow");
    CHECK(f != NULL && strstr(f->message, "15 pt") != NULL && strstr(f->message, "20 mm") != NULL, "message: %s",
          f != NULL ? f->message : "(none)");
    gp_pattern_free(t.els[0].content);

    /* Missing fields and glyphs: the findings text elements give. */
    make_tpl(&t, (gp_box){78, 50, 162, 64}, 15, 12);
    record missing = ok;
    missing.major = NULL;
    missing.name = "张\xee\x80\x80三";
    gp_report_free(rep);
    rep = gp_report_new();
    CHECK(!gp_layout_build(&t.t, lookup, &missing, te, &layout, rep, "roster.csv", 8, "2021005"), "missing passes");
    f = find_code(rep, "missing-field");
    CHECK(f != NULL && strstr(f->message, "major") != NULL && strstr(f->message, "cert.xml line 27") != NULL,
          "missing field: %s", f != NULL ? f->message : "(none)");
    f = find_code(rep, "missing-glyph");
    CHECK(f != NULL && strstr(f->message, "U+E000") != NULL && strstr(f->message, "name") != NULL &&
              f->line == 8,
          "missing glyph: %s", f != NULL ? f->message : "(none)");
    mk = first_mark(&layout, GP_MARK_PARAGRAPH);
    CHECK(mk != NULL && strstr(mk->text, "在本校专业") != NULL, "the paragraph is laid out without the major");
    record bad_date = ok;
    bad_date.birth = "not a date";
    gp_report_free(rep);
    rep = gp_report_new();
    CHECK(!gp_layout_build(&t.t, lookup, &bad_date, te, &layout, rep, "roster.csv", 9, "2021006"), "bad date passes");
    CHECK(find_code(rep, "field-format") != NULL, "no field-format finding");

    gp_report_free(rep);
    gp_layout_free(&layout);
    gp_pattern_free(t.els[0].content);
}

/* The mark through gp_render_layout: drawn where layout put it. */
static void test_render_mark(page_text *pt)
{
    record ok = {"张伟", "男", "2003-05-12", "软件工程", "四年"};
    tpl t;
    make_tpl(&t, (gp_box){78, 50, 162, 64}, 15, 12);
    t.t.count = 1;
    gp_layout layout;
    gp_layout_init(&layout);
    CHECK(gp_layout_build(&t.t, lookup, &ok, te, &layout, NULL, "roster.csv", 4, "2021001"), "layout");
    char path[256];
    snprintf(path, sizeof path, "%s/mark.pdf", tmpdir);
    gp_driver *drv = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_pdf_driver_new(path, &drv, &err) == GP_OK, "pdf driver");
    gp_page_spec spec = {.width_mm = 270, .height_mm = 190};
    cairo_t *cr = NULL;
    REQUIRE(gp_driver_begin_page(drv, &spec, &cr, &err) == GP_OK, "page");
    gp_render_env env;
    gp_render_env_init(&env, te, false);
    CHECK(gp_render_layout(cr, &layout, &env, &err) == GP_OK, "render: %s", gp_error_message(err));
    gp_render_env_free(&env);
    REQUIRE(gp_driver_end_page(drv, &err) == GP_OK && gp_driver_finish(drv, &err) == GP_OK, "finish");
    gp_driver_free(drv);
    PopplerDocument *doc = open_pdf(path);
    read_page(doc, 0, pt);
    g_object_unref(doc);
    unlink(path);
    const gp_mark *mk = first_mark(&layout, GP_MARK_PARAGRAPH);
    REQUIRE(mk != NULL, "no mark");
    pcase c = make_case("", "song", mk->size_pt, mk->box, 9.5, 10.6);
    c.src = mk->text;
    c.para.underline_fields = true;
    check_page(&c, pt, "rendered mark");
    gp_layout_free(&layout);
    gp_pattern_free(t.els[0].content);
}

/* Shrinking a paragraph that does not fit at its size: it ends smaller and
 * inside its box. How fast is bench/bench-certs.sh's business. */
static void test_shrink(void)
{
    record ok = {"阿卜杜热依木·艾合买提江", "男", "2003-05-12", "计算机科学与技术", "4"};
    tpl t;
    make_tpl(&t, (gp_box){78, 50, 162, 30}, 15, 12);
    t.t.count = 1;
    gp_layout layout;
    gp_layout_init(&layout);
    record longer = ok;
    longer.major = "汉语言文学（师范）与中国少数民族语言文学（维吾尔语言文学方向）及对外汉语教学";
    gp_layout_build(&t.t, lookup, &longer, te, &layout, NULL, NULL, 0, NULL);
    CHECK(first_mark(&layout, GP_MARK_PARAGRAPH)->size_pt < 15, "the paragraph did not shrink");
    gp_layout_free(&layout);
    gp_pattern_free(t.els[0].content);
}

int main(void)
{
    gp_context *ctx = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context: %s", err ? gp_error_message(err) : "");
    REQUIRE(gp_text_engine_new(ctx, &te, &err) == GP_OK, "engine: %s", err ? gp_error_message(err) : "");
    tmpdir = fixture_tempdir();
    page_text *pt = malloc(sizeof *pt);
    REQUIRE(pt != NULL, "malloc");

    test_wording(pt);
    test_breaking(pt);
    test_words(pt);
    test_underline(pt);
    test_targets(pt);
    test_rare(pt);
    test_odd();
    test_layout();
    test_render_mark(pt);
    test_shrink();

    free(pt);
    rmdir(tmpdir);
    gp_text_engine_free(te);
    gp_context_free(ctx);
    return gp_test_done();
}
