/* Certificates end to end: render the shipped diploma template for a few
 * graduates, read the PDF back with poppler, and check what lands on the
 * blank — field positions against the template boxes, the calibration
 * offset, page size, embedded fonts, rare characters, photos as their
 * original JPEG bytes — and what preflight refuses. */
#include <sys/stat.h>
#include <unistd.h>

#include "gp-test-pdf.h"
#include "gp-test.h"
#include "gradprint.h"
#include "sheets-fixture.h"
#include "template/template-private.h"

#define N 5
#define PT_TO_MM GP_PDF_MM_PER_PT

static gp_context *ctx;
static char *dir;
static char ids[N][19];

typedef struct grad {
    const char *student_no, *name, *diploma_no;
} grad;

static const grad grads[N] = {
    {"2021010101", "王龑", "106421202501000001"},
    {"2021010102", "李䶮", "106421202501000002"},
    {"2021010103", "赵𠮷", "106421202501000003"},
    {"2021010104", "张喆", "106421202501000004"},
    {"2021010105", "阿卜杜热依木·艾合买提江", "106421202501000005"},
};

/* Writes roster.csv; override (when not NULL) replaces one graduate's name or number. */
static void write_roster(const char *file, int which, const char *name, const char *diploma_no)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    fputs("学号,姓名,性别,身份证号,出生日期,学院,专业,班级,学制,入学日期,毕业日期,毕业证书编号,学位门类,学位证书编号\n", f);
    for (int i = 0; i < N; i++)
        fprintf(f, "%s,%s,%s,%s,2003-05-1%d,文学与传媒学院,汉语言文学,2021级汉语言文学1班,4,2021-09-01,2025-06-30,%s,文学,10642420250000%02d\n",
                grads[i].student_no, i == which && name ? name : grads[i].name, i % 2 ? "女" : "男", ids[i], i,
                i == which && diploma_no ? diploma_no : grads[i].diploma_no, i + 1);
    fclose(f);
}

static gp_status run_certs(const char *roster, const char *out, double dx, double dy, bool proof, const char *records,
                           gp_certs_result **res)
{
    char roster_path[1024], photos[1024], tpl[1024];
    snprintf(roster_path, sizeof roster_path, "%s/%s", dir, roster);
    snprintf(photos, sizeof photos, "%s/photos", dir);
    snprintf(tpl, sizeof tpl, "%s/templates/diploma-bachelor.xml", GP_SOURCE_DIR);
    gp_certs_options o;
    gp_certs_options_init(&o);
    o.roster_path = roster_path;
    o.photos_dir = photos;
    o.template_path = tpl;
    o.out_path = out;
    o.proof = proof;
    o.records = records;
    o.calibration.offset_x_mm = dx;
    o.calibration.offset_y_mm = dy;
    gp_error *err = NULL;
    gp_status st = gp_certs_run(ctx, &o, res, &err);
    if (st != GP_OK && res == NULL)
        fprintf(stderr, "gp_certs_run: %s\n", gp_error_message(err));
    gp_error_free(err);
    return st;
}



/* The template's text element that prints field, or NULL. */
static const gp_element *element_with_field(const gp_template *tpl, const char *field)
{
    for (size_t i = 0; i < tpl->count; i++) {
        const gp_element *el = &tpl->elements[i];
        if (el->kind != GP_EL_TEXT || el->content == NULL)
            continue;
        for (size_t k = 0; k < gp_pattern_field_count(el->content); k++)
            if (strcmp(gp_pattern_field(el->content, k), field) == 0)
                return el;
    }
    return NULL;
}

static void check_positions(const char *pdf, const gp_template *tpl, double dx, double dy)
{
    PopplerDocument *doc = gp_pdf_open(pdf);
    REQUIRE(doc != NULL, "PDF opens");
    CHECK(poppler_document_get_n_pages(doc) == N, "%d pages", poppler_document_get_n_pages(doc));
    const gp_element *number = element_with_field(tpl, "diploma_no");
    REQUIRE(number != NULL, "the template prints diploma_no");
    for (int i = 0; i < poppler_document_get_n_pages(doc); i++) {
        double pw = 0, ph = 0;
        CHECK(gp_pdf_page_size_mm(doc, i, &pw, &ph), "page %d has a size", i + 1);
        CHECK_NEAR(pw, tpl->page_w_mm, 0.01);
        CHECK_NEAR(ph, tpl->page_h_mm, 0.01);
        gp_pdf_rect r;
        bool found = gp_pdf_find_text(doc, i, grads[i].diploma_no, &r);
        double x = r.x, y = r.y, w = r.w, h = r.h;
        CHECK(found, "page %d: certificate number %s", i + 1, grads[i].diploma_no);
        if (found) {
            const gp_box *b = &number->box;
            double tol = 0.2;
            CHECK(x >= b->x + dx - tol && x + w <= b->x + dx + b->w + tol && y >= b->y + dy - tol &&
                      y + h <= b->y + dy + b->h + tol,
                  "page %d: number at %.2f,%.2f %.2fx%.2f inside its box %.2f,%.2f %.2fx%.2f (offset %.2f,%.2f)", i + 1,
                  x, y, w, h, b->x, b->y, b->w, b->h, dx, dy);
            if (number->style.align == GP_ALIGN_LEFT)
                CHECK_NEAR(x, b->x + dx, 0.2);
        }
    }
    g_object_unref(doc);
}

/* Every word of every page moves by exactly the offset. */
/* The long minority name stays inside the paragraph's box. */
static void check_long_name(const char *pdf, const gp_template *tpl)
{
    const gp_element *para = NULL;
    for (size_t i = 0; i < tpl->count; i++)
        if (tpl->elements[i].kind == GP_EL_PARAGRAPH)
            para = &tpl->elements[i];
    REQUIRE(para != NULL, "the diploma has a paragraph");
    PopplerDocument *doc = gp_pdf_open(pdf);
    gp_pdf_rect r;
    bool found = doc && gp_pdf_find_text(doc, 4, "艾合买提江", &r);
    CHECK(found, "the long name is on page 5");
    if (found)
        CHECK(r.x >= para->box.x - 0.2 && r.x + r.w <= para->box.x + para->box.w + 0.2 && r.y >= para->box.y - 0.2 &&
                  r.y + r.h <= para->box.y + para->box.h + 0.2,
              "long name at %.1f,%.1f inside the paragraph box", r.x, r.y);
    gp_pdf_close(doc);
}

static void check_offset_moves_everything(const char *plain, const char *moved, double dx, double dy)
{
    PopplerDocument *a = gp_pdf_open(plain), *b = gp_pdf_open(moved);
    REQUIRE(a && b, "both PDFs open");
    PopplerPage *pa = poppler_document_get_page(a, 0), *pb = poppler_document_get_page(b, 0);
    PopplerRectangle *ra = NULL, *rb = NULL;
    guint na = 0, nb = 0;
    CHECK(poppler_page_get_text_layout(pa, &ra, &na) && poppler_page_get_text_layout(pb, &rb, &nb) && na == nb && na > 20,
          "same characters on both pages (%u, %u)", na, nb);
    int off = 0;
    for (guint k = 0; k < na && k < nb; k++)
        if (fabs((rb[k].x1 - ra[k].x1) * PT_TO_MM - dx) > 0.01 || fabs((rb[k].y1 - ra[k].y1) * PT_TO_MM - dy) > 0.01)
            off++;
    CHECK(off == 0, "%d of %u glyphs did not move by exactly %.2f,%.2f mm", off, na, dx, dy);
    g_free(ra);
    g_free(rb);
    g_object_unref(pa);
    g_object_unref(pb);
    g_object_unref(a);
    g_object_unref(b);
}


static void check_content(const char *pdf)
{
    PopplerDocument *doc = gp_pdf_open(pdf);
    REQUIRE(doc != NULL, "PDF opens");
    const char *rare[] = {"王龑", "李䶮", "赵𠮷", "张喆"};
    for (int i = 0; i < 4; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        char *text = poppler_page_get_text(page);
        CHECK(text != NULL && strstr(text, rare[i]) != NULL, "page %d: %s extracted intact", i + 1, rare[i]);
        g_free(text);
        g_object_unref(page);
    }
    /* Fonts embedded (as subsets). */
    gp_pdf_font fonts[32];
    int nfonts = gp_pdf_fonts(doc, fonts, 32), embedded = 0;
    for (int i = 0; i < nfonts && i < 32; i++)
        embedded += fonts[i].embedded && fonts[i].subset;
    CHECK(nfonts > 0 && nfonts == embedded, "%d of %d fonts embedded as subsets", embedded, nfonts);
    g_object_unref(doc);

    /* Each photo is in the PDF byte for byte. */
    for (int i = 0; i < N; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/photos/%s.jpg", dir, ids[i]);
        size_t jpeg_size;
        unsigned char *jpeg = gp_pdf_slurp(path, &jpeg_size);
        CHECK(jpeg != NULL && gp_pdf_file_count(pdf, jpeg, jpeg_size) == 1, "photo %d embedded once as its original JPEG", i + 1);
        free(jpeg);
    }
}

static const gp_finding *find(const gp_certs_result *res, const char *code, const char *student_no)
{
    const gp_report *r = gp_certs_result_report(res);
    for (size_t i = 0; i < gp_report_count(r); i++) {
        const gp_finding *f = gp_report_get(r, i);
        if (strcmp(f->code, code) == 0 && (!student_no || (f->student_no && !strcmp(f->student_no, student_no))))
            return f;
    }
    return NULL;
}

static void expect_refused(const char *what, const char *code, const char *student_no)
{
    char out[1024];
    snprintf(out, sizeof out, "%s/refused.pdf", dir);
    gp_certs_result *res = NULL;
    gp_status st = run_certs("bad.csv", out, 0, 0, false, NULL, &res);
    CHECK(st == GP_E_INVALID, "%s: refused (status %d)", what, st);
    CHECK(access(out, F_OK) != 0, "%s: no PDF written", what);
    CHECK(find(res, code, student_no) != NULL, "%s: finding %s for %s", what, code, student_no);
    gp_certs_result_free(res);
}

static void test_preflight(void)
{
    /* U+E000 is a private-use character no font has. */
    write_roster("bad.csv", 1, "李\xee\x80\x80", NULL);
    expect_refused("missing glyph", "missing-glyph", grads[1].student_no);
    write_roster("bad.csv", 2, NULL, "10642120250100000X");
    expect_refused("malformed certificate number", "field-format", grads[2].student_no);
    write_roster("bad.csv", 3, NULL, grads[0].diploma_no);
    expect_refused("duplicate certificate number", "field-not-unique", NULL);
    /* A name longer than any real one is refused before it can crowd the
     * wording off the blank. */
    char huge[2048] = "";
    for (int k = 0; k < 12; k++)
        strcat(huge, "阿卜杜热依木·艾合买提江·");
    write_roster("bad.csv", 4, huge, NULL);
    expect_refused("name far too long", "field-format", grads[4].student_no);

    /* --skip-invalid prints the rest; --records picks graduates. */
    char out[1024];
    snprintf(out, sizeof out, "%s/some.pdf", dir);
    gp_certs_result *res = NULL;
    CHECK(run_certs("roster.csv", out, 0, 0, false, "2021010103,2-3" /* roster lines 2-3: the first two records */, &res) == GP_OK, "records selection");
    CHECK(gp_certs_result_rendered(res) == 3, "3 pages, got %zu", gp_certs_result_rendered(res));
    gp_certs_result_free(res);
    PopplerDocument *doc = gp_pdf_open(out);
    if (doc != NULL) {
        PopplerPage *first = poppler_document_get_page(doc, 0);
        char *text = poppler_page_get_text(first);
        CHECK(text && strstr(text, "赵𠮷"), "--records order kept: first page is 2021010103");
        g_free(text);
        g_object_unref(first);
        g_object_unref(doc);
    }
    res = NULL;
    CHECK(run_certs("roster.csv", out, 0, 0, false, "99", &res) == GP_E_USAGE, "row 99 does not exist");
    gp_certs_result_free(res);
}

int main(void)
{
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context: %s", gp_error_message(err));
    dir = fixture_tempdir();
    for (int i = 0; i < N; i++) {
        char first17[18];
        snprintf(first17, sizeof first17, "5001012003051%d%03d", i, 100 + 2 * i + (i % 2));
        fixture_id_with_check(first17, ids[i]);
        fixture_write_photo(dir, ids[i], 480, 640, 92);
    }
    write_roster("roster.csv", -1, NULL, NULL);

    char tpl_path[1024];
    snprintf(tpl_path, sizeof tpl_path, "%s/templates/diploma-bachelor.xml", GP_SOURCE_DIR);
    gp_template *tpl = NULL;
    REQUIRE(gp_template_load(ctx, tpl_path, &tpl, &err) == GP_OK, "template: %s", gp_error_message(err));

    char plain[1024], moved[1024];
    snprintf(plain, sizeof plain, "%s/plain.pdf", dir);
    snprintf(moved, sizeof moved, "%s/moved.pdf", dir);
    gp_certs_result *res = NULL;
    REQUIRE(run_certs("roster.csv", plain, 0, 0, false, NULL, &res) == GP_OK, "certificates render");
    CHECK(gp_certs_result_rendered(res) == N, "%zu pages", gp_certs_result_rendered(res));
    gp_certs_result_free(res);
    struct stat st;
    CHECK(stat(plain, &st) == 0 && (st.st_mode & 077) == 0, "PDF is private (mode %o)", st.st_mode & 0777);
    check_positions(plain, tpl, 0, 0);
    check_content(plain);
    check_long_name(plain, tpl);

    REQUIRE(run_certs("roster.csv", moved, 1.5, -0.8, false, NULL, NULL) == GP_OK, "with an offset");
    check_positions(moved, tpl, 1.5, -0.8);
    check_offset_moves_everything(plain, moved, 1.5, -0.8);

    test_preflight();
    gp_template_free(tpl);
    fixture_remove(dir);
    free(dir);
    gp_context_free(ctx);
    return gp_test_done();
}
