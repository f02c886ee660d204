/* Layout: shrink-to-fit, findings for text that cannot print right, and
 * cutting ticks that never enter a photo slot. Templates are built in code
 * so each case controls every number. */
#include <time.h>

#include "base/report-private.h"
#include "gp-test.h"
#include "layout/layout-private.h"

#define MM_PER_PT (25.4 / 72.0)

typedef struct record {
    const char *name, *student_no, *major;
} record;

static const char *lookup(void *user, const char *field)
{
    const record *r = user;
    if (strcmp(field, "name") == 0)
        return r->name;
    if (strcmp(field, "student_no") == 0)
        return r->student_no;
    if (strcmp(field, "major") == 0)
        return r->major;
    return NULL;
}

static gp_pattern *pattern(const char *src, long line)
{
    gp_pattern *p = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_pattern_parse(src, "test.xml", line, &p, &err) == GP_OK, "pattern %s: %s", src,
            err ? gp_error_message(err) : "");
    return p;
}

static gp_element text_el(long line, gp_box box, const char *src, double size, double min)
{
    gp_element el;
    memset(&el, 0, sizeof el);
    el.kind = GP_EL_TEXT;
    el.line = line;
    el.box = box;
    el.style.family = "song";
    el.style.size_pt = size;
    el.style.min_size_pt = min;
    el.style.align = GP_ALIGN_CENTER;
    el.content = pattern(src, line);
    return el;
}

static gp_element photo_el(long line, double x, double y, double w, double h)
{
    gp_element el;
    memset(&el, 0, sizeof el);
    el.kind = GP_EL_PHOTO;
    el.line = line;
    el.box = (gp_box){x, y, w, h};
    el.size_name = "one-inch";
    return el;
}

static gp_element guides_el(long line, double length, double width)
{
    gp_element el;
    memset(&el, 0, sizeof el);
    el.kind = GP_EL_CUT_GUIDES;
    el.line = line;
    el.guide_length_mm = length;
    el.line_width_mm = width;
    el.color[0] = el.color[1] = el.color[2] = 0.5;
    return el;
}

static gp_template make_template(gp_element *els, size_t n, double w, double h)
{
    gp_template t;
    memset(&t, 0, sizeof t);
    t.path = "test.xml";
    t.name = "test";
    t.page_w_mm = w;
    t.page_h_mm = h;
    t.dpi = 300;
    t.elements = els;
    t.count = n;
    return t;
}

static void free_patterns(gp_element *els, size_t n)
{
    for (size_t i = 0; i < n; i++)
        gp_pattern_free(els[i].content);
}

static size_t count_code(const gp_report *rep, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < gp_report_count(rep); i++)
        n += strcmp(gp_report_get(rep, i)->code, code) == 0;
    return n;
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

/* The reference the layout's search must agree with: step down a quarter
 * point at a time until the line fits. */
static double brute_force_size(gp_text_engine *te, const gp_element *el, const char *text)
{
    double size = el->style.size_pt;
    for (;;) {
        gp_text_metrics m;
        gp_text_measure(te, &el->style, size, text, &m);
        if (m.width_mm <= el->box.w + 0.001 || size <= el->style.min_size_pt)
            return size;
        size = size - 0.25 < el->style.min_size_pt ? el->style.min_size_pt : size - 0.25;
    }
}

static void test_fit(gp_text_engine *te)
{
    gp_element els[] = {text_el(12, (gp_box){10, 10, 40, 10}, "{name}", 16, 7)};
    gp_template tpl = make_template(els, 1, 127, 178);
    gp_layout l;
    gp_layout_init(&l);
    gp_report *rep = gp_report_new();

    record shortname = {"张三", "2020001", NULL};
    CHECK(gp_layout_build(&tpl, lookup, &shortname, te, &l, rep, "roster.csv", 2, "2020001"), "short name");
    CHECK(gp_report_count(rep) == 0, "%zu findings for a short name", gp_report_count(rep));
    REQUIRE(l.count == 1 && l.marks[0].kind == GP_MARK_TEXT, "one text mark, got %zu", l.count);
    CHECK_STR(l.marks[0].text, "张三");
    CHECK(l.marks[0].size_pt == 16, "short name set at %g pt", l.marks[0].size_pt);
    CHECK(l.marks[0].source == 0 && l.marks[0].line == els[0].line && l.marks[0].box.w == 40 &&
              l.marks[0].style.family == els[0].style.family && l.marks[0].style.size_pt == els[0].style.size_pt,
          "mark keeps its element's index, line, box and style");
    CHECK(l.page_w_mm == 127 && l.page_h_mm == 178, "page size");

    record longname = {"阿卜杜热依木·艾合买提江", "2020002", NULL};
    CHECK(gp_layout_build(&tpl, lookup, &longname, te, &l, rep, "roster.csv", 3, "2020002"), "long name fits");
    CHECK(gp_report_count(rep) == 0, "%zu findings for a long name that shrinks", gp_report_count(rep));
    REQUIRE(l.count == 1, "one mark after rebuilding, got %zu", l.count);
    double size = l.marks[0].size_pt;
    CHECK(size < 16 && size >= 7, "long name at %g pt", size);
    CHECK(fmod(16 - size, 0.25) == 0, "size %g is off the quarter-point steps", size);
    gp_text_metrics m;
    gp_text_measure(te, &els[0].style, size, longname.name, &m);
    CHECK(m.width_mm <= 40, "long name is %.2f mm wide at %g pt", m.width_mm, size);
    gp_text_measure(te, &els[0].style, size + 0.25, longname.name, &m);
    CHECK(m.width_mm > 40, "a quarter point larger (%.2f mm) would have fitted too", m.width_mm);

    /* The search agrees with stepping down one quarter point at a time, also
     * when letter spacing makes width not proportional to size. */
    const char *names[] = {"欧阳", "司马相如", "阿卜杜热依木·艾合买提江", "买买提江·艾力", "Zhang Weiming-Alexander",
                           "迪丽热巴·迪力木拉提", "欧阳䶮龑堃𪚥"};
    const double widths[] = {8, 15, 22.5, 31, 40, 47.3};
    const double spacing[] = {0, 2.5};
    for (size_t s = 0; s < 2; s++) {
        els[0].style.letter_spacing_pt = spacing[s];
        for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
            for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
                els[0].box.w = widths[w];
                record r = {names[n], "1", NULL};
                gp_layout_build(&tpl, lookup, &r, te, &l, NULL, NULL, 0, NULL);
                double want = brute_force_size(te, &els[0], names[n]);
                CHECK(l.marks[0].size_pt == want, "\"%s\" in %g mm (spacing %g): %g pt, stepping gives %g pt",
                      names[n], widths[w], spacing[s], l.marks[0].size_pt, want);
            }
        }
    }
    els[0].style.letter_spacing_pt = 0;

    /* A floor off the quarter-point grid is still the last size tried. */
    els[0].box.w = 1;
    els[0].style.min_size_pt = 6.1;
    gp_layout_build(&tpl, lookup, &longname, te, &l, NULL, NULL, 0, NULL);
    CHECK(l.marks[0].size_pt == 6.1, "floor 6.1 pt, got %g", l.marks[0].size_pt);
    /* Text that may not shrink stays at its size. */
    els[0].box.w = 10;
    els[0].style.min_size_pt = 16;
    CHECK(!gp_layout_build(&tpl, lookup, &longname, te, &l, NULL, NULL, 0, NULL), "no shrinking allowed");
    CHECK(l.marks[0].size_pt == 16, "fixed size %g", l.marks[0].size_pt);

    gp_report_free(rep);
    gp_layout_free(&l);
    free_patterns(els, 1);
}

static void test_overflow(gp_text_engine *te)
{
    gp_element els[] = {text_el(14, (gp_box){10, 10, 20, 10}, "{name}", 16, 7),
                        text_el(15, (gp_box){10, 30, 60, 3}, "学号 {student_no}", 16, 16)};
    gp_template tpl = make_template(els, 1, 127, 178);
    gp_layout l;
    gp_layout_init(&l);
    gp_report *rep = gp_report_new();

    record longname = {"阿卜杜热依木·艾合买提江", "2020003", NULL};
    CHECK(!gp_layout_build(&tpl, lookup, &longname, te, &l, rep, "roster.csv", 4, "2020003"), "too long at min");
    CHECK(gp_report_count(rep) == 1 && count_code(rep, "text-overflow") == 1, "%zu findings, %zu text-overflow",
          gp_report_count(rep), count_code(rep, "text-overflow"));
    const gp_finding *f = find_code(rep, "text-overflow");
    REQUIRE(f != NULL, "no text-overflow finding");
    CHECK(f->severity == GP_ERROR, "overflow is an error");
    CHECK_STR(f->student_no, "2020003");
    CHECK_STR(f->file, "roster.csv");
    CHECK(f->line == 4, "line %ld", f->line);
    CHECK(strstr(f->message, "阿卜杜热依木·艾合买提江") != NULL && strstr(f->message, "test.xml line 14") != NULL &&
              strstr(f->message, "7 pt") != NULL && strstr(f->message, "20 mm") != NULL,
          "message: %s", f->message);
    /* The mark is still there, at the floor, for previews. */
    REQUIRE(l.count == 1, "%zu marks", l.count);
    CHECK(l.marks[0].size_pt == 7 && l.marks[0].text != NULL, "overflowing mark at %g pt", l.marks[0].size_pt);

    /* Too tall for its box, whatever its width. */
    gp_report_free(rep);
    rep = gp_report_new();
    tpl.elements = &els[1];
    CHECK(!gp_layout_build(&tpl, lookup, &longname, te, &l, rep, "roster.csv", 5, "2020003"), "too tall");
    f = find_code(rep, "text-overflow");
    CHECK(gp_report_count(rep) == 1 && f != NULL && strstr(f->message, "tall") != NULL &&
              strstr(f->message, "line 15") != NULL,
          "height finding: %s", f ? f->message : "(none)");
    REQUIRE(l.count == 1, "%zu marks", l.count);
    CHECK_STR(l.marks[0].text, "学号 2020003");

    gp_report_free(rep);
    gp_layout_free(&l);
    free_patterns(els, 2);
}

static void test_fields_and_glyphs(gp_text_engine *te)
{
    gp_element els[] = {text_el(20, (gp_box){10, 10, 60, 10}, "{name}", 14, 8),
                        text_el(21, (gp_box){10, 25, 60, 10}, "专业：{major}", 10, 8)};
    gp_template tpl = make_template(els, 2, 127, 178);
    gp_layout l;
    gp_layout_init(&l);
    gp_report *rep = gp_report_new();

    record nomajor = {"李四", "2020004", NULL};
    CHECK(!gp_layout_build(&tpl, lookup, &nomajor, te, &l, rep, "roster.csv", 6, "2020004"), "missing field");
    const gp_finding *f = find_code(rep, "missing-field");
    CHECK(gp_report_count(rep) == 1 && f != NULL, "%zu findings", gp_report_count(rep));
    if (f != NULL) {
        CHECK(strstr(f->message, "major") != NULL && strstr(f->message, "test.xml line 21") != NULL, "message: %s",
              f->message);
        CHECK_STR(f->student_no, "2020004");
        CHECK(f->line == 6, "line %ld", f->line);
    }
    CHECK(l.count == 2 && l.marks[1].text != NULL && strcmp(l.marks[1].text, "专业：") == 0,
          "layout still complete");

    gp_report_free(rep);
    rep = gp_report_new();
    record pua = {"张\xee\x80\x80明", "2020005", "数学"};
    CHECK(!gp_layout_build(&tpl, lookup, &pua, te, &l, rep, "roster.csv", 7, "2020005"), "private-use character");
    f = find_code(rep, "missing-glyph");
    CHECK(gp_report_count(rep) == 1 && f != NULL, "%zu findings", gp_report_count(rep));
    if (f != NULL) {
        CHECK(strstr(f->message, "U+E000") != NULL && strstr(f->message, "name") != NULL, "message: %s",
              f->message);
        CHECK_STR(f->student_no, "2020005");
    }

    gp_report_free(rep);
    rep = gp_report_new();
    record two = {"\xcd\xb8张\xee\x80\x80", "2020006", "数学"};
    CHECK(!gp_layout_build(&tpl, lookup, &two, te, &l, rep, "roster.csv", 8, "2020006"), "two missing");
    f = find_code(rep, "missing-glyph");
    CHECK(gp_report_count(rep) == 1 && f != NULL && strstr(f->message, "U+0378") != NULL &&
              strstr(f->message, "1 more") != NULL,
          "message: %s", f ? f->message : "(none)");

    record rare = {"欧阳䶮龑堃喆𠮷𡒄𪚥", "2020007", "数学"};
    gp_report_free(rep);
    rep = gp_report_new();
    CHECK(gp_layout_build(&tpl, lookup, &rare, te, &l, rep, "roster.csv", 9, "2020007"), "rare characters");
    CHECK(gp_report_count(rep) == 0, "%zu findings for rare characters", gp_report_count(rep));

    /* Without a report the result still says something is wrong. */
    CHECK(!gp_layout_build(&tpl, lookup, &nomajor, te, &l, NULL, NULL, 0, NULL), "no report");

    gp_report_free(rep);
    gp_layout_free(&l);
    free_patterns(els, 2);
}

static void test_qr_and_lines(gp_text_engine *te)
{
    gp_element els[3];
    memset(els, 0, sizeof els);
    els[0].kind = GP_EL_QRCODE;
    els[0].line = 30;
    els[0].box = (gp_box){100, 150, 20, 20};
    els[0].qr_level = 'M';
    els[0].content = pattern("https://verify.example.edu.cn/{student_no}", 30);
    els[1].kind = GP_EL_LINE;
    els[1].line = 31;
    els[1].box = (gp_box){5, 100, 117, 0};
    els[1].line_width_mm = 0.3;
    els[1].color[2] = 1;
    els[2] = photo_el(32, 10, 10, 25, 35);
    gp_template tpl = make_template(els, 3, 127, 178);
    gp_layout l;
    gp_layout_init(&l);
    record r = {"王五", "2020008", NULL};
    CHECK(gp_layout_build(&tpl, lookup, &r, te, &l, NULL, NULL, 0, NULL), "qr, line, photo");
    REQUIRE(l.count == 3, "%zu marks", l.count);
    CHECK(l.marks[0].kind == GP_MARK_QR, "qr kind");
    CHECK_STR(l.marks[0].text, "https://verify.example.edu.cn/2020008");
    CHECK(l.marks[0].box.w == 20 && l.marks[0].box.x == 100, "qr box");
    CHECK(l.marks[1].kind == GP_MARK_LINE && l.marks[1].box.w == 117 && l.marks[1].line_width_mm == 0.3 &&
              l.marks[1].color[2] == 1,
          "line mark");
    CHECK(l.marks[2].kind == GP_MARK_PHOTO && l.marks[2].box.h == 35 && l.marks[2].source == 2, "photo mark");

    gp_report *rep = gp_report_new();
    record nono = {"王五", NULL, NULL};
    CHECK(!gp_layout_build(&tpl, lookup, &nono, te, &l, rep, "roster.csv", 9, NULL), "qr without data");
    CHECK(count_code(rep, "missing-field") == 1, "missing field in qr");
    gp_report_free(rep);
    gp_layout_free(&l);
    free_patterns(els, 3);
}

typedef struct rect {
    double x0, y0, x1, y1;
} rect;

static rect tick_rect(const gp_mark *m)
{
    double hw = m->line_width_mm / 2;
    double xa = fmin(m->box.x, m->box.x + m->box.w), xb = fmax(m->box.x, m->box.x + m->box.w);
    double ya = fmin(m->box.y, m->box.y + m->box.h), yb = fmax(m->box.y, m->box.y + m->box.h);
    if (m->box.h == 0)
        return (rect){xa, ya - hw, xb, yb + hw};
    return (rect){xa - hw, ya, xb + hw, yb};
}

/* Checks every tick of l against the template's photo slots; returns how many
 * there were. */
static size_t check_ticks(const gp_layout *l, const gp_template *tpl, double length, const char *what)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++) {
        const gp_mark *m = &l->marks[i];
        if (m->kind != GP_MARK_LINE || tpl->elements[m->source].kind != GP_EL_CUT_GUIDES)
            continue;
        n++;
        CHECK((m->box.w == 0) != (m->box.h == 0), "%s: tick %zu is not axis-aligned", what, i);
        double len = fabs(m->box.w) + fabs(m->box.h);
        CHECK(len <= length + 1e-9 && len >= 0.5 - 1e-9, "%s: tick %zu is %.3f mm long", what, i, len);
        CHECK(m->line_width_mm > 0 && m->color[0] == 0.5, "%s: tick style", what);
        double x2 = m->box.x + m->box.w, y2 = m->box.y + m->box.h;
        CHECK(m->box.x >= 0 && x2 >= 0 && m->box.x <= tpl->page_w_mm && x2 <= tpl->page_w_mm && m->box.y >= 0 &&
                  y2 >= 0 && m->box.y <= tpl->page_h_mm && y2 <= tpl->page_h_mm,
              "%s: tick %zu (%.2f,%.2f)-(%.2f,%.2f) leaves the page", what, i, m->box.x, m->box.y, x2, y2);
        rect t = tick_rect(m);
        bool marks_a_corner = false;
        for (size_t e = 0; e < tpl->count; e++) {
            const gp_element *p = &tpl->elements[e];
            if (p->kind != GP_EL_PHOTO)
                continue;
            rect q = {p->box.x, p->box.y, p->box.x + p->box.w, p->box.y + p->box.h};
            bool apart = t.x1 < q.x0 || t.x0 > q.x1 || t.y1 < q.y0 || t.y0 > q.y1;
            CHECK(apart, "%s: tick %zu (%.2f,%.2f)-(%.2f,%.2f) enters the photo at line %ld", what, i, t.x0, t.y0,
                  t.x1, t.y1, p->line);
            /* It continues an edge of some slot, starting 0.3 mm off its corner. */
            double cx[2] = {q.x0, q.x1}, cy[2] = {q.y0, q.y1};
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 2; b++)
                    if (fabs(fabs(m->box.x - cx[a]) + fabs(m->box.y - cy[b]) - 0.3) < 1e-9 &&
                        (m->box.x == cx[a] || m->box.y == cy[b]))
                        marks_a_corner = true;
        }
        CHECK(marks_a_corner, "%s: tick %zu at (%.2f,%.2f) does not start by a corner", what, i, m->box.x, m->box.y);
    }
    return n;
}

static void test_cut_guides(gp_text_engine *te)
{
    /* A alone would get 8 ticks. B sits 2 mm right of A: the 4 ticks in that
     * gap shrink to 1.4 mm. C sits 0.8 mm below A: no room for the 4 ticks
     * between them. D is 0.5 mm from the left page edge: no ticks there. */
    gp_element els[] = {photo_el(40, 10, 10, 20, 30), photo_el(41, 32, 10, 20, 30), photo_el(42, 10, 40.8, 20, 30),
                        photo_el(43, 0.5, 80, 20, 30), guides_el(44, 3, 0.2)};
    gp_template tpl = make_template(els, 5, 100, 120);
    gp_layout l;
    gp_layout_init(&l);
    record r = {"张三", "1", NULL};
    CHECK(gp_layout_build(&tpl, lookup, &r, te, &l, NULL, NULL, 0, NULL), "cut guides");
    size_t n = check_ticks(&l, &tpl, 3, "grid");
    CHECK(n == 4 * 8 - 4 - 2, "%zu ticks, expected 26", n);
    size_t short_ticks = 0, full = 0;
    for (size_t i = 0; i < l.count; i++) {
        if (l.marks[i].kind != GP_MARK_LINE || l.marks[i].source != 4)
            continue;
        double len = fabs(l.marks[i].box.w) + fabs(l.marks[i].box.h);
        short_ticks += fabs(len - 1.4) < 1e-9;
        full += fabs(len - 3) < 1e-9;
    }
    CHECK(short_ticks == 4 && full == n - 4, "%zu ticks of 1.4 mm, %zu of 3 mm", short_ticks, full);
    CHECK(first_mark(&l, GP_MARK_PHOTO) != NULL && first_mark(&l, GP_MARK_PHOTO)->box.x == 10, "photos kept");

    /* A slot alone in the middle of the page gets all eight, at full length. */
    tpl.elements = &els[0];
    els[1] = els[4];
    tpl.count = 2;
    gp_layout_build(&tpl, lookup, &r, te, &l, NULL, NULL, 0, NULL);
    CHECK(check_ticks(&l, &tpl, 3, "alone") == 8, "a lone slot gets 8 ticks");

    /* Random arrangements of slots: wherever they are, no tick enters one or
     * leaves the page. */
    gp_element many[13];
    unsigned seed = 12345;
    for (int round = 0; round < 200; round++) {
        size_t k = 0;
        for (int tries = 0; tries < 60 && k < 12; tries++) {
            seed = seed * 1103515245u + 12345u;
            double x = (seed >> 8) % 1000 / 10.0;
            seed = seed * 1103515245u + 12345u;
            double y = (seed >> 8) % 1400 / 10.0;
            seed = seed * 1103515245u + 12345u;
            double w = 5 + (seed >> 8) % 300 / 10.0, h = w * 1.4;
            if (x + w > 100 || y + h > 140)
                continue;
            bool overlaps = false;
            for (size_t j = 0; j < k; j++) {
                const gp_box *b = &many[j].box;
                if (x <= b->x + b->w && b->x <= x + w && y <= b->y + b->h && b->y <= y + h)
                    overlaps = true;
            }
            if (!overlaps) {
                many[k] = photo_el(100 + (long)k, x, y, w, h);
                k++;
            }
        }
        many[k] = guides_el(99, 4, 0.25);
        gp_template rt = make_template(many, k + 1, 100, 140);
        gp_layout_build(&rt, lookup, &r, te, &l, NULL, NULL, 0, NULL);
        int failed = gp_test_failed;
        size_t ticks = check_ticks(&l, &rt, 4, "random");
        CHECK(ticks <= 8 * k, "%zu ticks for %zu slots", ticks, k);
        if (gp_test_failed != failed)
            break;
    }
    gp_layout_free(&l);
}

/* A 7-inch photo-lab sheet: 4 two-inch and 8 one-inch slots, ticks, and
 * three lines of text, one of which has to shrink. */
static void test_speed(gp_text_engine *te)
{
    gp_element els[16];
    size_t n = 0;
    for (int i = 0; i < 4; i++)
        els[n++] = photo_el(50 + i, 6 + i * 30, 8, 26, 38);
    for (int i = 0; i < 8; i++)
        els[n++] = photo_el(60 + i, 6 + (i % 4) * 30, 54 + (i / 4) * 36, 25, 35);
    els[n++] = guides_el(70, 3, 0.2);
    els[n++] = text_el(71, (gp_box){6, 140, 35, 9}, "{name}", 16, 8);
    els[n++] = text_el(72, (gp_box){45, 140, 60, 9}, "学号 {student_no}", 12, 9);
    els[n++] = text_el(73, (gp_box){6, 155, 115, 9}, "{major}", 12, 9);
    gp_template tpl = make_template(els, n, 127, 178);
    gp_layout l;
    gp_layout_init(&l);
    const record recs[] = {{"阿卜杜热依木·艾合买提江", "2020123456", "计算机科学与技术"},
                           {"张伟", "2020123457", "汉语言文学"},
                           {"欧阳䶮", "2020123458", "电子信息工程（中外合作办学）"}};
    /* Warm the font caches first: the first layout of a family loads it. */
    for (int i = 0; i < 3; i++)
        CHECK(gp_layout_build(&tpl, lookup, (void *)&recs[i], te, &l, NULL, NULL, 0, NULL), "sheet %d", i);
    const int rounds = 1500;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < rounds; i++)
        gp_layout_build(&tpl, lookup, (void *)&recs[i % 3], te, &l, NULL, NULL, 0, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double us = ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) / rounds;
    printf("layout of a 12-slot sheet with 3 texts: %.1f us per record, %zu marks\n", us, l.count);
#if defined(__SANITIZE_ADDRESS__)
    (void)us;
#else
    CHECK(us < 1000, "%.1f us per record", us);
#endif
    gp_layout_free(&l);
    free_patterns(els, n);
}

int main(void)
{
    gp_context *ctx = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context: %s", err ? gp_error_message(err) : "");
    gp_text_engine *te = NULL;
    REQUIRE(gp_text_engine_new(ctx, &te, &err) == GP_OK, "engine: %s", err ? gp_error_message(err) : "");

    test_fit(te);
    test_overflow(te);
    test_fields_and_glyphs(te);
    test_qr_and_lines(te);
    test_cut_guides(te);
    test_speed(te);

    gp_text_engine_free(te);
    gp_context_free(ctx);
    return gp_test_done();
}
