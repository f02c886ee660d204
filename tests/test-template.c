/* Templates: the shipped photo sheets load with the promised geometry; every
 * kind of mistake in a template is refused with the right line; hostile XML
 * (external entities, entity bombs, huge files) is refused quickly and
 * without reading anything it points at. */
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/strbuf-private.h"
#include "gp-test.h"
#include "tempdir.h"
#include "template/template-private.h"

#define DATA GP_SOURCE_DIR "/tests/data/template/"
#define SHIPPED GP_SOURCE_DIR "/templates/"

static gp_context *ctx;


static bool near(double a, double b) { return fabs(a - b) < 1e-9; }

static bool boxes_overlap(const gp_box *a, const gp_box *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static size_t count_kind(const gp_template *tpl, gp_element_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < tpl->count; i++)
        n += tpl->elements[i].kind == kind;
    return n;
}

static size_t count_slots(const gp_template *tpl, double w, double h)
{
    size_t n = 0;
    for (size_t i = 0; i < tpl->count; i++) {
        const gp_element *el = &tpl->elements[i];
        n += el->kind == GP_EL_PHOTO && near(el->box.w, w) && near(el->box.h, h);
    }
    return n;
}

static const char *lookup_none(void *user, const char *field)
{
    (void)user;
    (void)field;
    return NULL;
}

/* What every photo sheet promises: photos and text inside the page, no two
 * photos touching, no text or QR code over a photo or over each other,
 * fields the roster has, a school name. */
static void check_sheet_sanity(const gp_template *tpl)
{
    CHECK_STR(tpl->kind, "photo-sheet");
    CHECK_STR(tpl->school, "重庆文理学院");
    CHECK(tpl->description != NULL && strlen(tpl->description) > 20, "%s has a description", tpl->name);
    CHECK(count_kind(tpl, GP_EL_CUT_GUIDES) == 1, "%s draws cut guides", tpl->name);
    CHECK(count_kind(tpl, GP_EL_QRCODE) == 1, "%s has one QR code", tpl->name);
    for (size_t i = 0; i < tpl->count; i++) {
        const gp_element *a = &tpl->elements[i];
        if (a->kind == GP_EL_CUT_GUIDES)
            continue;
        CHECK(a->box.x >= 0 && a->box.y >= 0 && a->box.x + a->box.w <= tpl->page_w_mm + 1e-9 &&
                  a->box.y + a->box.h <= tpl->page_h_mm + 1e-9,
              "%s line %ld inside the page", tpl->name, a->line);
        for (size_t k = i + 1; k < tpl->count; k++) {
            const gp_element *b = &tpl->elements[k];
            if (b->kind == GP_EL_CUT_GUIDES)
                continue;
            bool photo_pair = a->kind == GP_EL_PHOTO && b->kind == GP_EL_PHOTO;
            bool mixed = (a->kind == GP_EL_PHOTO) != (b->kind == GP_EL_PHOTO);
            bool qr_text = (a->kind == GP_EL_QRCODE) != (b->kind == GP_EL_QRCODE) && a->kind != GP_EL_PHOTO &&
                           b->kind != GP_EL_PHOTO;
            if (photo_pair) {
                /* Room for a cut: at least 1.5 mm between slots. */
                double gap = fmax(fmax(b->box.x - (a->box.x + a->box.w), a->box.x - (b->box.x + b->box.w)),
                                  fmax(b->box.y - (a->box.y + a->box.h), a->box.y - (b->box.y + b->box.h)));
                CHECK(gap >= 1.5 - 1e-9, "%s: photos on lines %ld and %ld are %.2f mm apart", tpl->name, a->line,
                      b->line, gap);
            } else if (mixed || qr_text) {
                CHECK(!boxes_overlap(&a->box, &b->box), "%s: lines %ld and %ld overlap", tpl->name, a->line,
                      b->line);
            }
        }
        if (a->kind == GP_EL_TEXT || a->kind == GP_EL_QRCODE) {
            /* Every field expands to nothing here; the point is that none
             * is unknown, which loading already guarantees. */
            gp_strbuf sb;
            gp_strbuf_init(&sb);
            const char *missing = NULL;
            bool literal = gp_pattern_is_literal(a->content);
            CHECK(gp_pattern_expand(a->content, lookup_none, NULL, &sb, &missing) == literal,
                  "fields of line %ld", a->line);
            gp_strbuf_free(&sb);
        }
    }
}

static gp_template *load(const char *path)
{
    gp_template *tpl = NULL;
    gp_error *err = NULL;
    gp_status st = gp_template_load(ctx, path, &tpl, &err);
    CHECK(st == GP_OK, "%s loads: %s", path, gp_error_message(err));
    gp_error_free(err);
    return tpl;
}

static void test_7in(void)
{
    gp_template *tpl = load(SHIPPED "photo-sheet-7in.xml");
    REQUIRE(tpl != NULL, "7in template");
    CHECK_STR(tpl->name, "photo-sheet-7in");
    CHECK_NEAR(gp_template_page_width_mm(tpl), 127, 1e-9);
    CHECK_NEAR(gp_template_page_height_mm(tpl), 177.8, 1e-9);
    CHECK(gp_template_default_dpi(tpl) == 300, "dpi %d", gp_template_default_dpi(tpl));
    CHECK(tpl->count == 21, "1 guide + 12 photos + 7 texts + 1 QR, got %zu", tpl->count);
    CHECK(count_kind(tpl, GP_EL_PHOTO) == 12, "12 photos");
    CHECK(count_slots(tpl, 35, 49) == 4, "4 two-inch slots, got %zu", count_slots(tpl, 35, 49));
    CHECK(count_slots(tpl, 25, 35) == 8, "8 one-inch slots, got %zu", count_slots(tpl, 25, 35));
    CHECK(count_kind(tpl, GP_EL_TEXT) == 7, "7 text lines");
    check_sheet_sanity(tpl);

    const gp_element *guides = &tpl->elements[0];
    CHECK(guides->kind == GP_EL_CUT_GUIDES && near(guides->guide_length_mm, 2) &&
              near(guides->line_width_mm, 0.15) && near(guides->color[0], 127 / 255.0),
          "cut guides as written");
    CHECK(guides->line == 21, "guides line %ld", guides->line);
    const gp_element *first = &tpl->elements[1];
    CHECK(first->kind == GP_EL_PHOTO && first->line == 23 && near(first->box.x, 5.5) && near(first->box.y, 2),
          "first photo at line 23, (5.5, 2)");
    CHECK_STR(first->size_name, "two-inch");

    /* The label: school bold and shrinking, names down to 7 pt, the QR code
     * of the student number about 14 mm, all inside x 46..121.5, y 53..102. */
    gp_box label = {46, 53, 75.5, 49};
    for (size_t i = 0; i < tpl->count; i++) {
        const gp_element *el = &tpl->elements[i];
        if (el->kind != GP_EL_TEXT && el->kind != GP_EL_QRCODE)
            continue;
        CHECK(el->box.x >= label.x && el->box.y >= label.y && el->box.x + el->box.w <= label.x + label.w + 1e-9 &&
                  el->box.y + el->box.h <= label.y + label.h + 1e-9,
              "line %ld inside the label", el->line);
        if (el->kind == GP_EL_QRCODE) {
            CHECK(el->box.w >= 12 && el->box.w <= 16 && near(el->box.w, el->box.h), "QR ~14 mm square");
            CHECK(el->qr_level == 'M', "level M");
            CHECK(gp_pattern_field_count(el->content) == 1 &&
                      strcmp(gp_pattern_field(el->content, 0), "student_no") == 0,
                  "QR of the student number");
        }
    }
    const gp_element *school = &tpl->elements[13];
    CHECK(school->kind == GP_EL_TEXT && school->style.bold && strcmp(school->style.family, "song") == 0 &&
              school->style.min_size_pt < school->style.size_pt,
          "school line: song, bold, shrinks");
    CHECK(gp_pattern_field_count(school->content) == 1 &&
              strcmp(gp_pattern_field(school->content, 0), GP_FIELD_SCHOOL) == 0,
          "school line shows {school}");
    const gp_element *name = &tpl->elements[15];
    CHECK(name->kind == GP_EL_TEXT && near(name->style.min_size_pt, 7) && !name->style.bold &&
              name->style.align == GP_ALIGN_LEFT && near(name->style.color[0], 0),
          "name line shrinks to 7 pt, defaults for the rest");
    /* College, major and class: one small sans line each. */
    static const char *const small_fields[] = {"college", "major", "class"};
    for (int k = 0; k < 3; k++) {
        const gp_element *small = &tpl->elements[17 + k];
        CHECK(small->kind == GP_EL_TEXT && strcmp(small->style.family, "sans") == 0 &&
                  gp_pattern_field_count(small->content) == 1 &&
                  strcmp(gp_pattern_field(small->content, 0), small_fields[k]) == 0,
              "%s line", small_fields[k]);
        CHECK(k == 0 || small->box.y >= tpl->elements[16 + k].box.y + tpl->elements[16 + k].box.h,
              "%s below the line before", small_fields[k]);
    }
    gp_template_free(tpl);

    /* By name, through the context's data directory. */
    tpl = load("photo-sheet-7in");
    CHECK(tpl != NULL && tpl->count == 21, "loads by name");
    gp_template_free(tpl);
}

static void test_other_sheets(void)
{
    gp_template *tpl = load(SHIPPED "photo-sheet-6in.xml");
    REQUIRE(tpl != NULL, "6in template");
    CHECK_NEAR(tpl->page_w_mm, 101.6, 1e-9);
    CHECK_NEAR(tpl->page_h_mm, 152.4, 1e-9);
    CHECK(tpl->dpi == 300, "6in dpi");
    CHECK(count_slots(tpl, 35, 49) == 2 && count_slots(tpl, 25, 35) == 6 && count_kind(tpl, GP_EL_PHOTO) == 8,
          "6in: 2 two-inch + 6 one-inch");
    CHECK(strstr(tpl->description, "2 two-inch photos (35 x 49 mm)") != NULL &&
              strstr(tpl->description, "6 one-inch photos (25 x 35 mm)") != NULL,
          "6in description says what it holds: %s", tpl->description);
    check_sheet_sanity(tpl);
    gp_template_free(tpl);

    tpl = load(SHIPPED "photo-sheet-7in-large.xml");
    REQUIRE(tpl != NULL, "7in-large template");
    CHECK_NEAR(tpl->page_w_mm, 127, 1e-9);
    CHECK_NEAR(tpl->page_h_mm, 177.8, 1e-9);
    CHECK(count_slots(tpl, 35, 53) == 3 && count_slots(tpl, 25, 35) == 8 && count_kind(tpl, GP_EL_PHOTO) == 11,
          "large: 3 large two-inch + 8 one-inch");
    CHECK(strstr(tpl->description, "3 large two-inch photos (大二寸, 35 x 53 mm)") != NULL &&
              strstr(tpl->description, "8 one-inch photos (25 x 35 mm)") != NULL,
          "large description says what it holds: %s", tpl->description);
    check_sheet_sanity(tpl);
    gp_template_free(tpl);
}

static const char *record_lookup(void *user, const char *field)
{
    const char *const *kv = user;
    for (; kv[0] != NULL; kv += 2)
        if (strcmp(kv[0], field) == 0)
            return kv[1];
    return NULL;
}

static void test_maps_and_styles(void)
{
    gp_template *tpl = load(DATA "certificate-maps.xml");
    REQUIRE(tpl != NULL, "certificate-maps template");
    CHECK_STR(tpl->kind, "certificate");
    CHECK(tpl->dpi == 600, "dpi 600");
    CHECK(tpl->nmaps == 1 && tpl->maps[0].count == 2 && tpl->maps[0].line == 7, "one map of two entries");
    CHECK(tpl->count == 5, "3 texts, QR, line: %zu", tpl->count);
    const gp_element *t0 = &tpl->elements[0];
    CHECK(t0->line == 12 && strcmp(t0->style.family, "kai") == 0 && t0->style.align == GP_ALIGN_CENTER &&
              near(t0->style.letter_spacing_pt, 2) && near(t0->style.color[0], 192 / 255.0) &&
              near(t0->style.color[1], 0),
          "kai, centred, spaced, red");
    const char *rec[] = {"name", "张三", "birth_date", "2003-05-12", "degree_field", "工学", "study_years", "4",
                         "diploma_no", "abc123x", "grad_date", "2023-06-30", "school", "重庆文理学院", NULL};
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    const char *missing = "unset";
    /* Indentation and the line break around the content are gone. */
    CHECK(gp_pattern_expand(t0->content, record_lookup, (void *)rec, &sb, &missing), "expand line 11");
    CHECK_STR(sb.data, "张　三，二〇〇三年五月十二日生，");
    CHECK(missing == NULL, "nothing missing");
    gp_strbuf_clear(&sb);
    CHECK(gp_pattern_expand(tpl->elements[1].content, record_lookup, (void *)rec, &sb, &missing), "expand map");
    CHECK_STR(sb.data, "授予工学学士学位；学制四年");
    gp_strbuf_clear(&sb);
    CHECK(gp_pattern_expand(tpl->elements[2].content, record_lookup, (void *)rec, &sb, &missing), "braces");
    CHECK_STR(sb.data, "{重庆文理学院} 二〇二三年六月");
    CHECK(tpl->elements[2].style.bold, "bold=\"1\"");
    const gp_element *qr = &tpl->elements[3];
    CHECK(qr->kind == GP_EL_QRCODE && qr->qr_level == 'H' && near(qr->box.w, 30) && near(qr->box.h, 30),
          "QR from width/height");
    gp_strbuf_clear(&sb);
    CHECK(gp_pattern_expand(qr->content, record_lookup, (void *)rec, &sb, &missing), "upper");
    CHECK_STR(sb.data, "ABC123X");
    const gp_element *line = &tpl->elements[4];
    CHECK(line->kind == GP_EL_LINE && near(line->box.x, 20) && near(line->box.w, 200) && near(line->box.h, 0) &&
              near(line->line_width_mm, 0.3),
          "line from (20,75) to (220,75)");

    /* A degree field the map does not have is the record's problem. */
    const char *rec2[] = {"degree_field", "医学", "study_years", "四年", NULL};
    gp_strbuf_clear(&sb);
    gp_pattern_failure why;
    CHECK(!gp_pattern_expand_ex(tpl->elements[1].content, record_lookup, (void *)rec2, &sb, &why), "map miss");
    CHECK(why.problem == GP_PATTERN_NOT_IN_MAP && strcmp(why.field, "degree_field") == 0 &&
              strcmp(why.formatter, "map:degree-title") == 0 && strcmp(why.value, "医学") == 0,
          "miss names field, map and value");
    CHECK_STR(sb.data, "授予；学制四年");
    gp_strbuf_free(&sb);
    gp_template_free(tpl);
}

typedef struct bad_case {
    const char *file;
    long line;
    const char *says; /* a part of the message */
} bad_case;

static const bad_case bad_cases[] = {
    {"missing-attribute.xml", 5, "<photo> needs the attribute height"},
    {"bad-number.xml", 5, "<photo y=\"2,5\">: not a number of millimetres"},
    {"negative-number.xml", 4, "<photo x=\"-1\">: may not be negative"},
    {"outside-page.xml", 5, "outside the 127 x 177.8 mm page"},
    {"overlapping-photos.xml", 6, "<photo> overlaps the photo slot on line 4"},
    {"text-over-photo.xml", 6, "<text> overlaps the <photo> on line 4"},
    {"qr-over-photo.xml", 5, "<photo> overlaps the <qrcode> on line 4"},
    {"unknown-field.xml", 5, "unknown field {studnet_no} (did you mean {student_no}?); the fields are school, "},
    {"unknown-formatter.xml", 5, "unknown formatter \"chinese-date\" (did you mean date?); the formatters are cn-date"},
    {"unknown-map.xml", 4, "\"map:titles\" names no map"},
    {"bad-colour.xml", 5, "<line color=\"#12345g\">: not a colour; write #rrggbb"},
    {"non-square-qr.xml", 5, "<qrcode> is 20 x 15 mm but QR codes are square"},
    {"min-size-above-size.xml", 4, "<text min-size=\"14\">: must be between 0 and 12"},
    {"bad-font.xml", 4, "<text font=\"SimSun.ttf\">: templates name a font family, not a font or a font file; write song"},
    {"unknown-element.xml", 5, "picture"},
    {"unbalanced-brace.xml", 4, "never closed"},
    {"line-outside.xml", 4, "<line> from (0, 52) to (130, 52) mm leaves the 127 x 177.8 mm page"},
    {"missing-page.xml", 2, "<template> has no <page>; every template needs one <page"},
    {"wrong-order.xml", 5, "<school>"},
    {"not-well-formed.xml", 5, "well-formed XML"},
    {"duplicate-map-key.xml", 6, "repeats the key of line 5"},
    /* libxml2 would say "Element text failed to validate attributes" or
     * "Did not expect element txt there", in English, often at the parent. */
    {"attribute-typo.xml", 4, "<text> has no attribute fontsize (did you mean size?); <text x="},
    {"element-typo.xml", 4, "<txt> is not a template element (did you mean <text>?); a template is"},
    {"value-typo.xml", 4, "<text align=\"centre\">: not an allowed value (did you mean center?); write one of left|"},
    {"stray-text.xml", 4, "<template> holds text (\"stray words\") where only elements belong"},
    {"element-in-text.xml", 5, "<b> is not a template element; <text x="},
    {"element-in-photo.xml", 5, "<photo> holds no elements, so the <text> inside it does not belong"},
    {"namespace.xml", 2, "<template> is in the namespace http://example.org/t; templates have none"},
    {"root-typo.xml", 2, "the file's outermost element is <templates>, not <template> (a typing slip?)"},
};

static void test_bad_templates(void)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        char path[512];
        snprintf(path, sizeof path, DATA "%s", c->file);
        gp_template *tpl = NULL;
        gp_error *err = NULL;
        gp_status st = gp_template_load(ctx, path, &tpl, &err);
        CHECK(st == GP_E_INVALID && tpl == NULL, "%s refused (status %d)", c->file, st);
        CHECK(gp_error_line(err) == c->line, "%s: line %ld, expected %ld: %s", c->file, gp_error_line(err), c->line,
              gp_error_message(err));
        CHECK(strstr(gp_error_message(err), c->says) != NULL, "%s: message \"%s\" lacks \"%s\"", c->file,
              gp_error_message(err), c->says);
        CHECK(strncmp(gp_error_message(err), path, strlen(path)) == 0, "%s: message starts with the file",
              c->file);
        /* Every message tells what to do, after a semicolon. */
        CHECK(strchr(gp_error_message(err), ';') != NULL || strstr(gp_error_message(err), "；") != NULL,
              "%s: message says what to do: %s", c->file, gp_error_message(err));
        gp_template_free(tpl);
        gp_error_free(err);
    }
}

static void test_schema_error_count(void)
{
    /* Three problems: the first is reported, the others counted. */
    const char doc[] = "<?xml version=\"1.0\"?>\n"
                       "<template name=\"t\" kind=\"photo-sheet\">\n"
                       "  <page width=\"127\" height=\"177.8\"/>\n"
                       "  <photo x=\"1\" y=\"1\" width=\"10\"/>\n"
                       "  <photo x=\"20\" y=\"1\" width=\"10\"/>\n"
                       "  <photo x=\"40\" y=\"1\" width=\"10\"/>\n"
                       "</template>\n";
    gp_template *tpl = NULL;
    gp_error *err = NULL;
    CHECK(gp_template_parse_memory(ctx, doc, sizeof doc - 1, "mem.xml", &tpl, &err) == GP_E_INVALID, "refused");
    CHECK(gp_error_line(err) == 4, "first problem's line: %ld", gp_error_line(err));
    CHECK(strstr(gp_error_message(err), "mem.xml:4: <photo> needs the attribute height") != NULL &&
              strstr(gp_error_message(err), "more problem(s) after this one") != NULL,
          "first problem plus a count: %s", gp_error_message(err));
    gp_error_free(err);

    /* A kind the schema does not know. */
    const char doc2[] = "<template name=\"t\" kind=\"poster\"><page width=\"10\" height=\"10\"/></template>";
    err = NULL;
    CHECK(gp_template_parse_memory(ctx, doc2, sizeof doc2 - 1, "k.xml", &tpl, &err) == GP_E_INVALID, "bad kind");
    CHECK(strstr(gp_error_message(err), "photo-sheet|certificate") != NULL, "kind choices: %s",
          gp_error_message(err));
    gp_error_free(err);

    /* Not XML at all, and empty. */
    err = NULL;
    CHECK(gp_template_parse_memory(ctx, "hello", 5, "h.xml", &tpl, &err) == GP_E_INVALID, "not XML");
    CHECK(strstr(gp_error_message(err), "h.xml:1:") != NULL, "%s", gp_error_message(err));
    gp_error_free(err);
    err = NULL;
    CHECK(gp_template_parse_memory(ctx, "", 0, "e.xml", &tpl, &err) == GP_E_INVALID, "empty");
    gp_error_free(err);
}

static void check_refused_quietly(const char *file, long line)
{
    char path[512];
    snprintf(path, sizeof path, DATA "%s", file);
    gp_template *tpl = NULL;
    gp_error *err = NULL;
    gp_status st = gp_template_load(ctx, path, &tpl, &err);
    CHECK(st == GP_E_INVALID && tpl == NULL, "%s refused", file);
    const char *msg = gp_error_message(err);
    CHECK(strstr(msg, "templates may not contain a DOCTYPE") != NULL, "%s: %s", file, msg);
    CHECK(gp_error_line(err) == line, "%s: DOCTYPE line %ld", file, gp_error_line(err));
    CHECK(strstr(msg, "root:") == NULL && strstr(msg, "/bin/") == NULL && strstr(msg, "lollol") == NULL,
          "%s: nothing of what the DOCTYPE points at: %s", file, msg);
    gp_error_free(err);
}

static void test_hostile(void)
{
    check_refused_quietly("xxe-internal.xml", 2);
    check_refused_quietly("xxe-external.xml", 2);
    check_refused_quietly("billion-laughs.xml", 2);

    /* Without a DOCTYPE an entity reference is simply undefined. */
    const char doc[] = "<template name=\"t\" kind=\"photo-sheet\"><page width=\"10\" height=\"10\"/>"
                       "<school>&xxe;</school></template>";
    gp_template *tpl = NULL;
    gp_error *err = NULL;
    CHECK(gp_template_parse_memory(ctx, doc, sizeof doc - 1, "ent.xml", &tpl, &err) == GP_E_INVALID,
          "undefined entity refused");
    CHECK(strstr(gp_error_message(err), "xxe") != NULL, "names the entity: %s", gp_error_message(err));
    gp_error_free(err);

    /* 2 MB: refused by size before any parsing. */
    char *dir = fixture_tempdir();
    char path[256];
    snprintf(path, sizeof path, "%s/huge.xml", dir);
    FILE *fp = fopen(path, "w");
    REQUIRE(fp != NULL, "create huge.xml");
    fputs("<?xml version=\"1.0\"?>\n<template name=\"t\" kind=\"photo-sheet\">\n<!-- ", fp);
    for (int i = 0; i < 2 * 1024 * 1024 / 64; i++)
        fputs("padding padding padding padding padding padding padding padding\n", fp);
    fputs("-->\n<page width=\"10\" height=\"10\"/></template>\n", fp);
    fclose(fp);
    err = NULL;
    CHECK(gp_template_load(ctx, path, &tpl, &err) == GP_E_INVALID && tpl == NULL, "2 MB template refused");
    CHECK(strstr(gp_error_message(err), "bytes") != NULL, "says why: %s", gp_error_message(err));
    gp_error_free(err);
    unlink(path);
    rmdir(dir);
    free(dir);

    /* Element counts are bounded, so the pairwise checks stay cheap. */
    gp_strbuf big;
    gp_strbuf_init(&big);
    gp_strbuf_append(&big, "<template name=\"t\" kind=\"photo-sheet\">\n<page width=\"100\" height=\"100\"/>\n");
    for (int i = 0; i < 2001; i++)
        gp_strbuf_append(&big, "<line x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\" width=\"0.1\"/>\n");
    gp_strbuf_append(&big, "</template>\n");
    err = NULL;
    CHECK(gp_template_parse_memory(ctx, big.data, big.len, "big.xml", &tpl, &err) == GP_E_INVALID, "2001 lines");
    CHECK(gp_error_line(err) == 2003 && strstr(gp_error_message(err), "more than 2000 elements") != NULL, "%s",
          gp_error_message(err));
    gp_error_free(err);
    gp_strbuf_free(&big);

    err = NULL;
    CHECK(gp_template_load(ctx, "/nonexistent/template.xml", &tpl, &err) == GP_E_IO, "missing file");
    CHECK(strstr(gp_error_message(err), "no such template") != NULL, "%s", gp_error_message(err));
    gp_error_free(err);
}

/* Loading shares nothing between threads: libxml2's lazy set-up runs once,
 * errors go to per-call handlers. Each thread loads good and bad templates
 * and must see exactly its own results. */
static void *load_many(void *arg)
{
    long bad = 0;
    for (int i = 0; i < 10; i++) {
        gp_template *tpl = NULL;
        gp_error *err = NULL;
        const char *path = (i + (int)(long)arg) % 2 ? SHIPPED "photo-sheet-7in.xml" : DATA "bad-number.xml";
        gp_status st = gp_template_load(ctx, path, &tpl, &err);
        if ((i + (int)(long)arg) % 2 ? (st != GP_OK || tpl->count != 21)
                                     : (st != GP_E_INVALID || gp_error_line(err) != 5))
            bad++;
        gp_template_free(tpl);
        gp_error_free(err);
    }
    return (void *)bad;
}

static void test_threads(void)
{
    pthread_t threads[4];
    for (long i = 0; i < 4; i++)
        REQUIRE(pthread_create(&threads[i], NULL, load_many, (void *)i) == 0, "thread");
    for (int i = 0; i < 4; i++) {
        void *bad;
        pthread_join(threads[i], &bad);
        CHECK(bad == NULL, "thread %d saw %ld wrong results", i, (long)bad);
    }
}

int main(void)
{
    gp_error *err = NULL;
    if (gp_context_new(NULL, &ctx, &err) != GP_OK) {
        fprintf(stderr, "context: %s\n", gp_error_message(err));
        return 1;
    }
    test_7in();
    test_other_sheets();
    test_maps_and_styles();
    test_bad_templates();
    test_schema_error_count();
    test_hostile();
    test_threads();
    gp_context_free(ctx);
    return gp_test_done();
}
