/* Certificate templates: the shipped diploma and degree templates load with
 * their background, signature, wording and validators; their boxes line up
 * with the labels printed on the sample blanks; every mistake in the new
 * elements is refused with its line; paragraph text collapses blanks the
 * way Chinese needs; validators count characters, not bytes. */
#include <poppler.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/strbuf-private.h"
#include "gp-test.h"
#include "tempdir.h"
#include "template/build-private.h"
#include "template/template-private.h"

#define DATA GP_SOURCE_DIR "/tests/data/template/"
#define SHIPPED GP_SOURCE_DIR "/templates/"
#define PT_PER_MM (72 / 25.4)

static gp_context *ctx;

static bool near(double a, double b) { return fabs(a - b) < 1e-9; }

static size_t count_kind(const gp_template *tpl, gp_element_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < tpl->count; i++)
        n += tpl->elements[i].kind == kind;
    return n;
}

static const gp_element *by_id(const gp_template *tpl, const char *id)
{
    for (size_t i = 0; i < tpl->count; i++)
        if (tpl->elements[i].id != NULL && strcmp(tpl->elements[i].id, id) == 0)
            return &tpl->elements[i];
    return NULL;
}

static const gp_validator *validator(const gp_template *tpl, const char *field)
{
    for (size_t i = 0; i < tpl->nvalidators; i++)
        if (strcmp(tpl->validators[i].field, field) == 0)
            return &tpl->validators[i];
    return NULL;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

static const char *record_lookup(void *user, const char *field)
{
    const char *const *kv = user;
    for (; kv[0] != NULL; kv += 2)
        if (strcmp(kv[0], field) == 0)
            return kv[1];
    return NULL;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
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

static char *expand(const gp_element *el, const char *const *record)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_pattern_failure why;
    bool ok = gp_pattern_expand_ex(el->content, record_lookup, (void *)record, &sb, &why);
    CHECK(ok, "line %ld expands (field %s)", el->line, why.field ? why.field : "-");
    return gp_strbuf_steal(&sb);
}

/* The wording must fit its box at the full size with a 12-character name
 * and long values elsewhere. Every character is counted a full em (CJK
 * width; digits and Latin are narrower), lines break anywhere, and one
 * spare line is kept for the punctuation rules that push a character on. */
static void check_wording_fits(const gp_element *para, const char *text)
{
    double em = para->style.size_pt / PT_PER_MM;
    double per_line = floor(para->box.w / em);
    double chars = (double)utf8_chars(text) + para->para.first_indent_mm / em;
    double lines = ceil(chars / per_line) + 1;
    double room = floor((para->box.h + 1e-9) / para->para.line_height_mm);
    CHECK(lines <= room, "line %ld: %.0f characters need %.0f lines of %.0f, the box holds %.0f", para->line, chars,
          lines, per_line, room);
    CHECK(near(para->para.first_indent_mm, 10.6) && fabs(2 * em - para->para.first_indent_mm) < 0.05,
          "indent is two characters: %.2f mm for a %.2f mm em", para->para.first_indent_mm, em);
}

/* ---- the sample blanks ---------------------------------------------- */

typedef struct found {
    bool ok;
    double left, right, top, bottom; /* mm from the top-left corner */
} found;

static found find_label(PopplerPage *page, const char *text)
{
    found f = {false, 0, 0, 0, 0};
    double w_pt, h_pt;
    poppler_page_get_size(page, &w_pt, &h_pt);
    GList *hits = poppler_page_find_text(page, text);
    if (hits != NULL) {
        /* find_text counts y up from the bottom of the page. */
        const PopplerRectangle *r = hits->data;
        f.ok = g_list_length(hits) == 1;
        f.left = r->x1 / PT_PER_MM;
        f.right = r->x2 / PT_PER_MM;
        f.top = (h_pt - r->y2) / PT_PER_MM;
        f.bottom = (h_pt - r->y1) / PT_PER_MM;
    }
    g_list_free_full(hits, (GDestroyNotify)poppler_rectangle_free);
    return f;
}

/* A field printed after a label: it starts where the label ends (poppler's
 * box around a glyph runs a few tenths of a millimetre past its advance;
 * a fullwidth colon's ink sits in its left half) or at most 4 mm on, and
 * its box holds the label's middle, so both sit on one line. */
static void check_after_label(PopplerPage *page, const char *label, const gp_element *field)
{
    REQUIRE(field != NULL, "a field after %s", label);
    found f = find_label(page, label);
    CHECK(f.ok, "the blank prints %s once", label);
    double gap = field->box.x - f.right, middle = (f.top + f.bottom) / 2;
    CHECK(gap >= -0.5 && gap <= 4, "%s ends at x %.1f, its field (line %ld) starts at %.1f", label, f.right,
          field->line, field->box.x);
    CHECK(middle > field->box.y && middle < field->box.y + field->box.h,
          "%s sits at y %.1f..%.1f, its field (line %ld) spans %.1f..%.1f", label, f.top, f.bottom, field->line,
          field->box.y, field->box.y + field->box.h);
}

static PopplerDocument *open_blank(const gp_element *background, const gp_template *tpl)
{
    char *uri = g_filename_to_uri(background->src, NULL, NULL);
    PopplerDocument *doc = uri != NULL ? poppler_document_new_from_file(uri, NULL, NULL) : NULL;
    g_free(uri);
    REQUIRE(doc != NULL, "%s opens", background->src);
    CHECK(poppler_document_get_n_pages(doc) == 1, "one page");
    PopplerPage *page = poppler_document_get_page(doc, 0);
    double w_pt, h_pt;
    poppler_page_get_size(page, &w_pt, &h_pt);
    CHECK(fabs(w_pt / PT_PER_MM - tpl->page_w_mm) < 0.05 && fabs(h_pt / PT_PER_MM - tpl->page_h_mm) < 0.05,
          "the blank is %.1f x %.1f mm like the page", w_pt / PT_PER_MM, h_pt / PT_PER_MM);
    char *all = poppler_page_get_text(page);
    /* The watermark is set at an angle, which text extraction takes
     * apart; the footer says the same on one line. */
    CHECK(all != NULL && strstr(all, "自绘样张") != NULL && strstr(all, "仅供打样与校准") != NULL,
          "the blank says it is a sample");
    g_free(all);
    g_object_unref(page);
    return doc;
}

static void check_photo_frame(PopplerPage *page, const gp_element *photo)
{
    found f = find_label(page, "照片");
    CHECK(f.ok && f.left > photo->box.x && f.right < photo->box.x + photo->box.w && f.top > photo->box.y &&
              f.bottom < photo->box.y + photo->box.h,
          "the blank's photo caption lies inside the photo box");
}

static void check_signature(const gp_element *img)
{
    REQUIRE(img != NULL && img->kind == GP_EL_IMAGE, "a signature image");
    CHECK(img->src_format == GP_IMAGE_PNG && img->src_page == 1, "the signature is a PNG");
    CHECK(img->src[0] == '/' && strstr(img->src, "/templates/blanks/signature-") != NULL, "absolute path: %s",
          img->src);
    struct stat sb;
    CHECK(stat(img->src, &sb) == 0 && sb.st_size < 200 * 1024, "signature under 200 KB");
    /* Its 2:1 picture fills its 2:1 box. */
    CHECK(near(img->box.w, 2 * img->box.h), "box %g x %g is 2:1", img->box.w, img->box.h);
}

/* ---- the shipped templates ------------------------------------------ */

static void check_certificate_common(const gp_template *tpl, const char *blank)
{
    CHECK_STR(tpl->kind, "certificate");
    CHECK_STR(tpl->school, "重庆文理学院");
    CHECK(tpl->dpi == 600, "dpi %d", tpl->dpi);
    const gp_element *bg = &tpl->elements[0];
    REQUIRE(bg->kind == GP_EL_BACKGROUND, "the background comes first");
    CHECK(count_kind(tpl, GP_EL_BACKGROUND) == 1, "one background");
    CHECK(bg->src_format == GP_IMAGE_PDF && bg->src_page == 1, "the background is page 1 of a PDF");
    CHECK(bg->src[0] == '/' && ends_with(bg->src, blank), "background %s", bg->src);
    CHECK(near(bg->box.x, 0) && near(bg->box.y, 0) && near(bg->box.w, tpl->page_w_mm) &&
              near(bg->box.h, tpl->page_h_mm),
          "the background covers the page");
    const gp_element *photo = by_id(tpl, "photo");
    REQUIRE(photo != NULL && photo->kind == GP_EL_PHOTO, "photo");
    CHECK(near(photo->box.w, 33) && near(photo->box.h, 48), "photo 33 x 48");
    CHECK(photo->box.x < tpl->page_w_mm / 3 && photo->box.y < tpl->page_h_mm / 2, "photo top left");
    const gp_element *para = by_id(tpl, "wording");
    REQUIRE(para != NULL && para->kind == GP_EL_PARAGRAPH, "wording");
    CHECK(para->para.justify && !para->para.underline_fields && near(para->para.underline_width_mm, 0.2),
          "justified, fields not underlined");
    CHECK(para->style.size_pt >= 14 && para->style.size_pt <= 16 && para->style.min_size_pt < para->style.size_pt,
          "wording 14-16 pt and may shrink");
    CHECK(para->para.line_height_mm >= 9 && para->para.line_height_mm <= 10, "line height 9-10 mm");
    CHECK_STR(para->style.family, "song");
    const gp_element *qr = by_id(tpl, "qrcode");
    REQUIRE(qr != NULL && qr->kind == GP_EL_QRCODE, "QR code");
    CHECK(qr->box.w <= 20, "a small QR code: %g mm", qr->box.w);
    const gp_element *date = by_id(tpl, "date");
    REQUIRE(date != NULL && date->kind == GP_EL_TEXT, "date");
    CHECK(gp_pattern_field_count(date->content) == 1 && strcmp(gp_pattern_field(date->content, 0), "grad_date") == 0,
          "date of grad_date");
    const gp_element *number = by_id(tpl, "number");
    REQUIRE(number != NULL && number->kind == GP_EL_TEXT, "number");
    CHECK(strcmp(gp_pattern_field(number->content, 0), gp_pattern_field(qr->content, 0)) == 0,
          "the QR code holds the certificate number");

    const gp_validator *gender = validator(tpl, "gender");
    REQUIRE(gender != NULL, "gender validator");
    CHECK(!gender->required, "gender may come from the ID number");
    CHECK(gp_validator_accepts(gender, "男") && gp_validator_accepts(gender, "女") &&
              !gp_validator_accepts(gender, "M") && !gp_validator_accepts(gender, "男女"),
          "gender 男|女, anchored");
    for (size_t i = 0; i < tpl->nvalidators; i++) {
        const gp_validator *v = &tpl->validators[i];
        CHECK(v->message != NULL && strlen(v->message) > 10, "%s says what a valid value is", v->field);
        CHECK(v->line > 0, "%s has a line", v->field);
    }
    for (size_t i = 0; i < tpl->count; i++) {
        const gp_element *el = &tpl->elements[i];
        CHECK(el->box.x >= 0 && el->box.y >= 0 && el->box.x + el->box.w <= tpl->page_w_mm + 1e-9 &&
                  el->box.y + el->box.h <= tpl->page_h_mm + 1e-9,
              "line %ld inside the page", el->line);
        CHECK(el->kind == GP_EL_BACKGROUND || el->id != NULL, "line %ld has an id for the calibration page",
              el->line);
    }
}

static void test_diploma(void)
{
    gp_template *tpl = load(SHIPPED "diploma-bachelor.xml");
    REQUIRE(tpl != NULL, "diploma template");
    CHECK_STR(tpl->name, "diploma-bachelor");
    CHECK_NEAR(tpl->page_w_mm, 270, 1e-9);
    CHECK_NEAR(tpl->page_h_mm, 190, 1e-9);
    CHECK(tpl->count == 9, "background, photo, paragraph, QR, 4 texts, image: %zu", tpl->count);
    CHECK(count_kind(tpl, GP_EL_TEXT) == 4 && count_kind(tpl, GP_EL_IMAGE) == 1 &&
              count_kind(tpl, GP_EL_PARAGRAPH) == 1 && count_kind(tpl, GP_EL_PHOTO) == 1 &&
              count_kind(tpl, GP_EL_QRCODE) == 1,
          "element kinds");
    check_certificate_common(tpl, "/templates/blanks/diploma-blank.pdf");
    check_signature(by_id(tpl, "signature"));

    CHECK(tpl->nvalidators == 9, "9 validators: %zu", tpl->nvalidators);
    static const char *const required[] = {"name",       "id_number", "birth_date",  "enrol_date",
                                           "grad_date",  "major",     "study_years", "diploma_no"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        const gp_validator *v = validator(tpl, required[i]);
        CHECK(v != NULL && v->required, "%s required", required[i]);
    }
    const gp_validator *no = validator(tpl, "diploma_no");
    REQUIRE(no != NULL, "diploma_no validator");
    CHECK(no->unique && no->compiled != NULL, "unique, with a pattern");
    CHECK_STR(no->pattern, "[0-9]{18}");
    CHECK(strstr(no->message, "school code 5") != NULL && strstr(no->message, "serial 6") != NULL,
          "message explains the number: %s", no->message);
    CHECK(gp_validator_accepts(no, "105492025050000123"), "18 digits");
    CHECK(!gp_validator_accepts(no, "10549202505000012"), "17 digits");
    CHECK(!gp_validator_accepts(no, "1054920250500001234"), "19 digits");
    CHECK(!gp_validator_accepts(no, "10549202505000012X"), "a letter");
    CHECK(!gp_validator_accepts(no, " 105492025050000123"), "a blank");
    CHECK(!gp_validator_accepts(no, "１０５４９２０２５０５００００１２３"), "fullwidth digits");
    CHECK(!gp_validator_accepts(no, ""), "empty");
    const gp_validator *name = validator(tpl, "name");
    CHECK(name != NULL && name->max_chars == 40 && name->pattern == NULL, "name up to 40 characters");

    /* The wording, re-wrapped in the XML, reads as one sentence. */
    const char *rec[] = {"name",        "阿卜杜热依木·艾合买提江", "gender",    "男",
                         "birth_date",  "2003-12-29",             "enrol_date", "2021-09-01",
                         "grad_date",   "2025-06-30",             "major",      "数据科学与大数据技术",
                         "study_years", "4",                      "diploma_no", "105492025050000123",
                         "school",      "重庆文理学院",           NULL};
    const gp_element *para = by_id(tpl, "wording");
    char *text = expand(para, rec);
    CHECK_STR(text, "学生阿卜杜热依木·艾合买提江，性别男，二〇〇三年十二月二十九日生，于二〇二一年九月至二〇二五年六月"
                    "在本校数据科学与大数据技术专业四年制本科学习，修完教学计划规定的全部课程，成绩合格，准予毕业。");
    check_wording_fits(para, text);
    free(text);
    text = expand(by_id(tpl, "school"), rec);
    CHECK_STR(text, "重庆文理学院");
    free(text);
    text = expand(by_id(tpl, "date"), rec);
    CHECK_STR(text, "二〇二五年六月三十日");
    free(text);
    const gp_element *president = by_id(tpl, "president");
    CHECK(president != NULL && gp_pattern_is_literal(president->content) && president->style.size_pt >= 16 &&
              president->style.min_size_pt <= 9,
          "president: a literal sample name at 16 pt, shrinking for long names");
    /* A 12-character name fits at the smallest size, counted a full em each. */
    CHECK(12 * president->style.min_size_pt / PT_PER_MM <= president->box.w, "12 characters fit the name box");

    /* The boxes meet the labels of the sample blank. */
    PopplerDocument *doc = open_blank(&tpl->elements[0], tpl);
    PopplerPage *page = poppler_document_get_page(doc, 0);
    check_after_label(page, "校　名：", by_id(tpl, "school"));
    check_after_label(page, "校（院）长：", president);
    check_after_label(page, "证书编号：", by_id(tpl, "number"));
    check_photo_frame(page, by_id(tpl, "photo"));
    found title = find_label(page, "毕");
    CHECK(title.ok && title.bottom < by_id(tpl, "wording")->box.y, "the title stands above the wording");
    g_object_unref(page);
    g_object_unref(doc);
    gp_template_free(tpl);

    tpl = load("diploma-bachelor");
    CHECK(tpl != NULL && tpl->count == 9, "loads by name");
    gp_template_free(tpl);
}

static void test_degree(void)
{
    gp_template *tpl = load(SHIPPED "degree-bachelor.xml");
    REQUIRE(tpl != NULL, "degree template");
    CHECK_STR(tpl->name, "degree-bachelor");
    CHECK_NEAR(tpl->page_w_mm, 260, 1e-9);
    CHECK_NEAR(tpl->page_h_mm, 185, 1e-9);
    CHECK(tpl->count == 8, "background, photo, paragraph, QR, 3 texts, image: %zu", tpl->count);
    CHECK(count_kind(tpl, GP_EL_TEXT) == 3 && count_kind(tpl, GP_EL_IMAGE) == 1, "element kinds");
    check_certificate_common(tpl, "/templates/blanks/degree-blank.pdf");
    check_signature(by_id(tpl, "signature"));

    REQUIRE(tpl->nmaps == 1 && strcmp(tpl->maps[0].name, "degree-title") == 0, "the degree-title map");
    static const char *const fields[] = {"哲学", "经济学", "法学", "教育学", "文学",   "历史学",  "理学",
                                         "工学", "农学",   "医学", "管理学", "艺术学", "交叉学科"};
    CHECK(tpl->maps[0].count == 13, "13 fields: %zu", tpl->maps[0].count);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *title = gp_value_map_get(&tpl->maps[0], fields[i]);
        char want[64];
        snprintf(want, sizeof want, "%s学士", fields[i]);
        CHECK(title != NULL && strcmp(title, want) == 0, "%s → %s", fields[i], title ? title : "(none)");
    }

    CHECK(tpl->nvalidators == 8, "8 validators: %zu", tpl->nvalidators);
    const gp_validator *no = validator(tpl, "degree_no");
    REQUIRE(no != NULL, "degree_no validator");
    CHECK(no->required && no->unique, "required, unique");
    CHECK(gp_validator_accepts(no, "1054942025000123"), "16 digits");
    CHECK(!gp_validator_accepts(no, "105494202500012"), "15 digits");
    CHECK(!gp_validator_accepts(no, "105492025050000123"), "18 digits (a diploma number)");
    CHECK(strstr(no->message, "16 digits") != NULL, "message: %s", no->message);
    const gp_validator *field = validator(tpl, "degree_field");
    CHECK(field != NULL && field->required, "degree_field required");

    const char *rec[] = {"name",       "阿卜杜热依木·艾合买提江", "gender",       "女",
                         "birth_date", "2003-12-29",             "major",        "材料成型及控制工程专业方向",
                         "degree_field", "工学",                 "grad_date",    "2025-06-30",
                         "degree_no",  "1054942025000123",       NULL};
    const gp_element *para = by_id(tpl, "wording");
    char *text = expand(para, rec);
    CHECK_STR(text, "阿卜杜热依木·艾合买提江，女，二〇〇三年十二月二十九日生。在重庆文理学院材料成型及控制工程专业方向专业"
                    "完成了本科学习计划，业已毕业。经审核符合《中华人民共和国学位条例》的规定，授予工学学士学位。");
    check_wording_fits(para, text);
    free(text);
    const gp_element *chair = by_id(tpl, "chair");
    CHECK(chair != NULL && gp_pattern_is_literal(chair->content), "chair: a literal sample name");
    CHECK(12 * chair->style.min_size_pt / PT_PER_MM <= chair->box.w, "12 characters fit the chair's name box");

    PopplerDocument *doc = open_blank(&tpl->elements[0], tpl);
    PopplerPage *page = poppler_document_get_page(doc, 0);
    check_after_label(page, "学位评定委员会主席：", chair);
    check_after_label(page, "证书编号：", by_id(tpl, "number"));
    check_photo_frame(page, by_id(tpl, "photo"));
    g_object_unref(page);
    g_object_unref(doc);
    gp_template_free(tpl);
}

/* The fuzzer parses the shipped templates from memory under a made-up
 * name: their src paths resolve against the working directory and fail
 * as an ordinary error at the background's line. */
static void test_sources_from_memory(void)
{
    FILE *fp = fopen(SHIPPED "diploma-bachelor.xml", "rb");
    REQUIRE(fp != NULL, "open diploma");
    char buf[16384];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    gp_template *tpl = NULL;
    gp_error *err = NULL;
    CHECK(gp_template_parse_memory(ctx, buf, n, "fuzz.xml", &tpl, &err) == GP_E_INVALID && tpl == NULL,
          "refused");
    const char *msg = gp_error_message(err);
    CHECK(strstr(msg, "fuzz.xml:") == msg && strstr(msg, "<background src=\"blanks/diploma-blank.pdf\">") != NULL &&
              strstr(msg, "no such file") != NULL,
          "names the background: %s", msg);
    gp_error_free(err);
}

/* ---- mistakes ------------------------------------------------------- */

typedef struct bad_case {
    const char *file;
    long line;
    const char *says; /* a part of the message */
} bad_case;

static const bad_case bad_cases[] = {
    {"image-missing.xml", 5, "no-such-signature.png: no such file; put the file there"},
    {"image-not-png.xml", 5, "not a PNG, JPEG or PDF file (judged by its first bytes, not its name)"},
    {"image-directory.xml", 4, "not a regular file"},
    {"image-png-page.xml", 4, "is a PNG image, which has one page; remove page"},
    {"background-page.xml", 4, "diploma-blank.pdf has 1 page(s)"},
    {"two-backgrounds.xml", 5, "a second <background>, after the one on line 4"},
    {"background-late.xml", 5, "<background> comes after the <text> on line 4"},
    {"validate-late.xml", 5, "<validate> comes after the <text> on line 4"},
    {"bad-regex.xml", 5, "<validate pattern=\"[0-9{18}\">: not a regular expression ("},
    {"stray-paren.xml", 4, "a \")\" that closes no \"(\""},
    {"heavy-regex.xml", 4, "repetitions multiply to more than 10000 copies"},
    {"validate-unknown-field.xml", 6, "<validate field=\"diplom_no\">: not a roster field (did you mean diploma_no?); the fields are seq, student_no"},
    {"validate-twice.xml", 5, "repeats the one on line 4"},
    {"validate-nothing.xml", 4, "checks nothing"},
    {"validate-lengths.xml", 4, "<validate max-length=\"4\">: is less than min-length"},
    {"paragraph-outside.xml", 4, "<paragraph> reaches to x = 240, y = 214 mm, outside the 270 x 190 mm page"},
    {"paragraph-line-height-zero.xml", 5, "<paragraph line-height=\"0\">: must be more than 0"},
    {"paragraph-too-short.xml", 4, "less than one line (line-height 9.5 mm)"},
    {"paragraph-tight-lines.xml", 4, "is less than the 18 pt font"},
    {"paragraph-over-photo.xml", 5, "<paragraph> overlaps the <photo> on line 4"},
    {"paragraph-unknown-field.xml", 4, "<paragraph>: unknown field {enrol_dat}"},
    {"image-over-photo.xml", 5, "<photo> overlaps the <image> on line 4"},
    {"duplicate-id.xml", 5, "id=\"name\" is already the id of the <text> on line 4"},
    {"unknown-element.xml", 5, "picture"},
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
        CHECK(strchr(gp_error_message(err), ';') != NULL, "%s: message says what to do: %s", c->file,
              gp_error_message(err));
        gp_template_free(tpl);
        gp_error_free(err);
    }
}

/* A FIFO named as an image would block a plain open() for ever. */
static void test_fifo_source(void)
{
    char *dir = fixture_tempdir();
    char fifo[256], xml[256];
    snprintf(fifo, sizeof fifo, "%s/pipe.png", dir);
    snprintf(xml, sizeof xml, "%s/t.xml", dir);
    REQUIRE(mkfifo(fifo, 0600) == 0, "mkfifo");
    FILE *fp = fopen(xml, "w");
    REQUIRE(fp != NULL, "write template");
    fputs("<template name=\"t\" kind=\"certificate\">\n<page width=\"100\" height=\"100\"/>\n"
          "<image x=\"1\" y=\"1\" width=\"20\" height=\"10\" src=\"pipe.png\"/>\n</template>\n",
          fp);
    fclose(fp);
    gp_template *tpl = NULL;
    gp_error *err = NULL;
    CHECK(gp_template_load(ctx, xml, &tpl, &err) == GP_E_INVALID, "FIFO refused");
    CHECK(gp_error_line(err) == 3 && strstr(gp_error_message(err), "not a regular file") != NULL, "%s",
          gp_error_message(err));
    gp_error_free(err);

    /* The same directory with a real signature copied in loads, and src
     * comes back absolute. */
    char png[256];
    snprintf(png, sizeof png, "%s/pipe.png", dir);
    unlink(png);
    FILE *in = fopen(SHIPPED "blanks/signature-chair.png", "rb");
    FILE *out = fopen(png, "wb");
    REQUIRE(in != NULL && out != NULL, "copy signature");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
    err = NULL;
    CHECK(gp_template_load(ctx, xml, &tpl, &err) == GP_OK, "loads: %s", gp_error_message(err));
    CHECK(tpl != NULL && tpl->count == 1 && tpl->elements[0].src_format == GP_IMAGE_PNG &&
              strcmp(tpl->elements[0].src, png) == 0,
          "src %s", tpl != NULL ? tpl->elements[0].src : "-");
    gp_template_free(tpl);
    gp_error_free(err);
    unlink(png);
    unlink(xml);
    rmdir(dir);
    free(dir);
}

/* ---- paragraphs ----------------------------------------------------- */

static void test_collapse(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"甲\n    乙", "甲乙"},
        {"  \n  甲乙\n  ", "甲乙"},
        {"alpha\n    beta", "alpha beta"},
        {"alpha   \t beta", "alpha beta"},
        {"甲 乙", "甲 乙"},             /* a space typed on one line is meant */
        {"于2023年\n  9月", "于2023年9月"}, /* one wide side is enough */
        {"，\n  {name}", "，{name}"},
        {"{birth_date|cn-date}\n   生", "{birth_date|cn-date}生"},
        {"{a}\n{b}", "{a} {b}"},
        {"{ birth_date\n   | cn-date }", "{ birth_date | cn-date }"},
        {"{{\n甲", "{{甲"},
        {"《学位条例》\n的规定", "《学位条例》的规定"},
        {"𠮷\n野", "𠮷野"}, /* Extension B, four bytes */
        {"Tom\n  {name}", "Tom {name}"},
        {"甲\n\n\n乙", "甲乙"},
        {"", ""},
        {"\n \t", ""},
        {"{never closed\n 甲", "{never closed甲"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = gp_build_paragraph_text(cases[i].in);
        CHECK(got != NULL && strcmp(got, cases[i].out) == 0, "collapse case %zu: got \"%s\", expected \"%s\"", i,
              got ? got : "(null)", cases[i].out);
        free(got);
    }

    /* Through the loader: <paragraph> collapses, <text> keeps its rule. */
    const char doc[] = "<template name=\"t\" kind=\"certificate\">\n"
                       "<page width=\"200\" height=\"100\"/>\n"
                       "<paragraph x=\"10\" y=\"10\" width=\"150\" height=\"40\" font=\"song\" size=\"12\"\n"
                       "           line-height=\"6\" indent=\"8.5\" justify=\"false\" underline-fields=\"true\"\n"
                       "           underline-width=\"0.3\" color=\"#203040\" bold=\"true\">\n"
                       "  学生{name}，\n"
                       "  性别{gender}。Grade\n"
                       "  point    average\n"
                       "</paragraph>\n"
                       "<text x=\"10\" y=\"60\" width=\"150\" height=\"10\" font=\"kai\" size=\"12\">\n"
                       "  甲\n"
                       "  乙\n"
                       "</text>\n"
                       "</template>\n";
    gp_template *tpl = NULL;
    gp_error *err = NULL;
    CHECK(gp_template_parse_memory(ctx, doc, sizeof doc - 1, "mem.xml", &tpl, &err) == GP_OK, "loads: %s",
          gp_error_message(err));
    gp_error_free(err);
    REQUIRE(tpl != NULL && tpl->count == 2, "paragraph and text");
    const gp_element *p = &tpl->elements[0];
    /* libxml2 dates an element by the end of its start tag. */
    CHECK(p->kind == GP_EL_PARAGRAPH && p->line == 5, "paragraph at line 5: %ld", p->line);
    CHECK(!p->para.justify && p->para.underline_fields && near(p->para.underline_width_mm, 0.3) &&
              near(p->para.first_indent_mm, 8.5) && near(p->para.line_height_mm, 6),
          "paragraph attributes as written");
    CHECK(p->style.bold && near(p->style.color[0], 0x20 / 255.0) && near(p->style.min_size_pt, 12) &&
              p->id == NULL,
          "style: bold, colour, no shrinking, no id");
    const char *rec[] = {"name", "张三", "gender", "男", NULL};
    char *text = expand(p, rec);
    CHECK_STR(text, "学生张三，性别男。Grade point average");
    free(text);
    text = expand(&tpl->elements[1], rec);
    CHECK_STR(text, "甲 乙");
    free(text);
    gp_template_free(tpl);
}

/* ---- validators ----------------------------------------------------- */

static gp_template *parse(const char *body, gp_error **err)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_appendf(&sb, "<template name=\"t\" kind=\"certificate\">\n<page width=\"100\" height=\"100\"/>\n%s\n"
                           "</template>\n",
                      body);
    gp_template *tpl = NULL;
    *err = NULL;
    gp_template_parse_memory(ctx, sb.data, sb.len, "v.xml", &tpl, err);
    gp_strbuf_free(&sb);
    return tpl;
}

static void test_validators(void)
{
    gp_error *err;
    gp_template *tpl = parse("<validate field=\"name\" min-length=\"2\" max-length=\"4\"/>\n"
                             "<validate field=\"major\" pattern=\"[^0-9]+\" max-length=\"3\"/>\n"
                             "<validate field=\"class\" pattern=\"(男|女)班\" message=\"  \"/>\n"
                             "<validate field=\"student_no\" required=\"1\" unique=\"true\" pattern=\"20[0-9]{8}\"/>",
                             &err);
    CHECK(tpl != NULL, "validators load: %s", gp_error_message(err));
    gp_error_free(err);
    REQUIRE(tpl != NULL && tpl->nvalidators == 4, "4 validators");
    const gp_validator *name = validator(tpl, "name");
    CHECK(name->line == 3 && !name->required && !name->unique && name->compiled == NULL && name->message == NULL,
          "name: lengths only, line 3");
    CHECK(name->min_chars == 2 && name->max_chars == 4, "2..4 characters");
    /* 𠮷 is four bytes, 野 three: lengths count characters. */
    CHECK(gp_validator_accepts(name, "𠮷野"), "2 characters, 7 bytes");
    CHECK(gp_validator_accepts(name, "𠮷𠮷𠮷𠮷"), "4 characters, 16 bytes");
    CHECK(!gp_validator_accepts(name, "𠮷𠮷𠮷𠮷𠮷"), "5 characters");
    CHECK(!gp_validator_accepts(name, "𠮷"), "1 character");
    CHECK(gp_validator_accepts(name, "张三"), "张三");
    CHECK(gp_validator_accepts(name, "Anna"), "Anna");
    CHECK(!gp_validator_accepts(name, "Annas"), "Annas");
    CHECK(!gp_validator_accepts(name, "\xE5\xBC\xA0\xE4\xB8"), "cut-off UTF-8");
    CHECK(!gp_validator_accepts(name, "\xF0\x80\x80\xAF\xF0\x80\x80\xAF"), "overlong forms");
    const gp_validator *major = validator(tpl, "major");
    CHECK(gp_validator_accepts(major, "abc") && !gp_validator_accepts(major, "ab1") &&
              !gp_validator_accepts(major, "abcd"),
          "pattern and length together");
    const gp_validator *cls = validator(tpl, "class");
    CHECK(gp_validator_accepts(cls, "男班") && gp_validator_accepts(cls, "女班") && !gp_validator_accepts(cls, "男") &&
              !gp_validator_accepts(cls, "x男班"),
          "alternation inside the anchors");
    CHECK(cls->message != NULL && strcmp(cls->message, "  ") == 0, "message kept as written");
    const gp_validator *no = validator(tpl, "student_no");
    CHECK(no->required && no->unique && gp_validator_accepts(no, "2021010101") &&
              !gp_validator_accepts(no, "1921010101") && !gp_validator_accepts(no, "20210101011"),
          "student_no 20 + 8 digits");
    gp_template_free(tpl);

    /* An alternation without a group would anchor only its ends without
     * the wrapping group; ^(...)$ keeps it whole. */
    tpl = parse("<validate field=\"gender\" pattern=\"男|女\"/>", &err);
    REQUIRE(tpl != NULL, "gender validator");
    CHECK(!gp_validator_accepts(&tpl->validators[0], "男x") && !gp_validator_accepts(&tpl->validators[0], "x女"),
          "both alternatives anchored");
    gp_template_free(tpl);

    static const struct {
        const char *body;
        const char *says;
    } bad[] = {
        {"<validate field=\"school\" required=\"true\"/>", "not a roster field"},
        {"<validate field=\"name\" pattern=\"\"/>", "is empty"},
        {"<validate field=\"name\" pattern=\"(\"/>", "not a regular expression"},
        {"<validate field=\"name\" pattern=\"a{2,1}\"/>", "not a regular expression"},
        {"<validate field=\"name\" pattern=\"(a{200}){200}\"/>", "multiply"},
        {"<validate field=\"name\" pattern=\"a{9999}|b{9999}\"/>", "multiply"},
        {"<validate field=\"name\" min-length=\"0\"/>", "not a whole number above 0"},
        {"<validate field=\"name\" max-length=\"100000\"/>", "at most 10000 characters"},
        {"<validate field=\"name\" unique=\"maybe\"/>", "write true or false"},
        {"<validate field=\"name\" required=\"true\" colour=\"red\"/>", "has no attribute colour"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tpl = parse(bad[i].body, &err);
        CHECK(tpl == NULL && gp_error_line(err) == 3 && strstr(gp_error_message(err), bad[i].says) != NULL,
              "%s: %s", bad[i].body, gp_error_message(err));
        gp_template_free(tpl);
        gp_error_free(err);
    }
    /* Bracket expressions and escapes are not groups. */
    tpl = parse("<validate field=\"name\" pattern=\"[)(]\\)x[[:digit:]]{2}\"/>", &err);
    CHECK(tpl != NULL, "parentheses in brackets and escaped: %s", gp_error_message(err));
    if (tpl != NULL)
        CHECK(gp_validator_accepts(&tpl->validators[0], "()x12") && !gp_validator_accepts(&tpl->validators[0], "))x1"),
              "matches as written");
    gp_template_free(tpl);
    gp_error_free(err);
}

int main(void)
{
    gp_error *err = NULL;
    if (gp_context_new(NULL, &ctx, &err) != GP_OK) {
        fprintf(stderr, "context: %s\n", gp_error_message(err));
        return 1;
    }
    test_diploma();
    test_degree();
    test_sources_from_memory();
    test_bad_templates();
    test_fifo_source();
    test_collapse();
    test_validators();
    gp_context_free(ctx);
    return gp_test_done();
}
