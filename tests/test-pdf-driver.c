/* The PDF driver and vector rendering, read back with poppler: exact page
 * sizes, real text where the layout put it, embedded subset fonts, each
 * photo embedded once as its original JPEG bytes and cropped into every
 * slot, the calibration offset, 0600 files, no temporary files left behind,
 * no personal metadata, and write errors reported as I/O errors. */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <turbojpeg.h>
#include <unistd.h>

#include "base/fileio-private.h"
#include "driver.h"
#include "gp-test-pdf.h"
#include "gp-test.h"
#include "tempdir.h"
#include "render/render-private.h"

/* A 480x640 JPEG, noisy enough to be tens of KB; seed makes different
 * photos different bytes. */
static unsigned char *make_jpeg(unsigned seed, size_t *size)
{
    const int w = 480, h = 640;
    unsigned char *rgb = malloc((size_t)w * h * 3);
    REQUIRE(rgb != NULL, "malloc");
    unsigned state = seed * 2654435761u + 1;
    for (size_t i = 0; i < (size_t)w * h * 3; i++) {
        state = state * 1103515245u + 12345u;
        rgb[i] = (unsigned char)((i / 3 % w) / 4 + (state >> 26)); /* never white */
    }
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long len = 0;
    REQUIRE(tj != NULL && tjCompress2(tj, rgb, w, 0, h, TJPF_RGB, &jpeg, &len, TJSAMP_420, 80, 0) == 0, "compress");
    unsigned char *copy = malloc(len);
    REQUIRE(copy != NULL, "malloc");
    memcpy(copy, jpeg, len);
    tjFree(jpeg);
    tjDestroy(tj);
    free(rgb);
    *size = len;
    return copy;
}

static gp_photo *make_photo(unsigned seed)
{
    size_t size;
    unsigned char *jpeg = make_jpeg(seed, &size);
    gp_photo *photo = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_photo_from_memory("synthetic.jpg", jpeg, size, &photo, &err) == GP_OK, "photo: %s",
            gp_error_message(err));
    free(jpeg);
    return photo;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static gp_driver *open_pdf(const char *path)
{
    gp_driver *drv = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_pdf_driver_new(path, &drv, &err) == GP_OK, "pdf driver: %s", gp_error_message(err));
    CHECK(!gp_driver_is_raster(drv), "a PDF is vectors");
    return drv;
}

static cairo_t *begin(gp_driver *drv, double w_mm, double h_mm)
{
    gp_page_spec spec = {.width_mm = w_mm, .height_mm = h_mm};
    cairo_t *cr = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_driver_begin_page(drv, &spec, &cr, &err) == GP_OK && cr != NULL, "begin page: %s",
            gp_error_message(err));
    return cr;
}

static void end(gp_driver *drv)
{
    gp_error *err = NULL;
    CHECK(gp_driver_end_page(drv, &err) == GP_OK, "end page: %s", gp_error_message(err));
    gp_error_free(err);
}

static void finish(gp_driver *drv)
{
    gp_error *err = NULL;
    CHECK(gp_driver_finish(drv, &err) == GP_OK, "finish: %s", gp_error_message(err));
    gp_error_free(err);
    gp_driver_free(drv);
}

static void render(cairo_t *cr, gp_mark *marks, size_t count, gp_render_env *env)
{
    gp_layout layout = {.page_w_mm = 200, .page_h_mm = 200, .marks = marks, .count = count, .cap = count};
    gp_error *err = NULL;
    CHECK(gp_render_layout(cr, &layout, env, &err) == GP_OK, "render: %s", gp_error_message(err));
    gp_error_free(err);
}

static void test_page_sizes_and_files(const char *dir)
{
    char *path = gp_path_join(dir, "sizes.pdf");
    gp_driver *drv = open_pdf(path);
    CHECK(count_entries(dir) == 1, "only the temporary file while writing");
    CHECK(access(path, F_OK) != 0, "nothing under the final name before finish");
    cairo_t *cr = begin(drv, 127, 177.8);
    cairo_rectangle(cr, 10, 10, 20, 20);
    cairo_fill(cr);
    end(drv);
    begin(drv, 270, 190);
    end(drv);
    begin(drv, 35, 49);
    end(drv);

    /* Misuse is reported, not crashed on. */
    gp_error *err = NULL;
    CHECK(gp_driver_end_page(drv, &err) == GP_E_INTERNAL, "end without begin");
    gp_error_free(err);
    err = NULL;
    gp_page_spec bad = {.width_mm = 0, .height_mm = 10};
    CHECK(gp_driver_begin_page(drv, &bad, &cr, &err) == GP_E_USAGE, "zero-width page");
    gp_error_free(err);
    finish(drv);

    CHECK(count_entries(dir) == 1, "no temporary file after finish");
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600, got %o", (unsigned)(st.st_mode & 0777));
    PopplerDocument *doc = gp_pdf_open(path);
    REQUIRE(doc != NULL, "readable PDF");
    CHECK(gp_pdf_page_count(doc) == 3, "3 pages, got %d", gp_pdf_page_count(doc));
    const double sizes[3][2] = {{127, 177.8}, {270, 190}, {35, 49}};
    for (int i = 0; i < 3; i++) {
        double w = 0, h = 0;
        CHECK(gp_pdf_page_size_mm(doc, i, &w, &h), "page %d", i);
        CHECK_NEAR(w, sizes[i][0], 0.01);
        CHECK_NEAR(h, sizes[i][1], 0.01);
    }
    /* Only the creator: nothing that could come from student data. */
    char *creator = poppler_document_get_creator(doc);
    CHECK(creator != NULL && strcmp(creator, "gradprint") == 0, "creator %s", creator ? creator : "(none)");
    g_free(creator);
    char *title = poppler_document_get_title(doc), *author = poppler_document_get_author(doc);
    char *subject = poppler_document_get_subject(doc), *keywords = poppler_document_get_keywords(doc);
    CHECK(title == NULL && author == NULL && subject == NULL && keywords == NULL, "no title, author, subject, keywords");
    g_free(title);
    g_free(author);
    g_free(subject);
    g_free(keywords);
    gp_pdf_close(doc);
    unlink(path);
    free(path);

    /* Without finish nothing is left. */
    path = gp_path_join(dir, "abandoned.pdf");
    drv = open_pdf(path);
    begin(drv, 127, 177.8);
    end(drv);
    begin(drv, 127, 177.8); /* left open */
    gp_driver_free(drv);
    CHECK(count_entries(dir) == 0, "destroy without finish leaves nothing, %d entries", count_entries(dir));
    free(path);

    /* An unwritable place fails at once, as an I/O error. */
    err = NULL;
    drv = NULL;
    CHECK(gp_pdf_driver_new("/nonexistent-dir/x.pdf", &drv, &err) == GP_E_IO && drv == NULL, "unwritable dir");
    CHECK(strstr(gp_error_message(err), "/nonexistent-dir/x.pdf") != NULL, "names the file: %s",
          gp_error_message(err));
    gp_error_free(err);
}

static void check_inside(const gp_pdf_rect *r, const gp_box *box, const char *what)
{
    CHECK(r->y >= box->y - 0.2 && r->y + r->h <= box->y + box->h + 0.2,
          "%s: text %.2f..%.2f mm outside box %.2f..%.2f", what, r->y, r->y + r->h, box->y, box->y + box->h);
}

static void test_text(const char *dir)
{
    gp_context *ctx = NULL;
    gp_text_engine *te = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context: %s", gp_error_message(err));
    REQUIRE(gp_text_engine_new(ctx, &te, &err) == GP_OK, "text engine: %s", gp_error_message(err));

    const gp_text_style left = {.family = "song", .size_pt = 14, .min_size_pt = 14, .align = GP_ALIGN_LEFT};
    gp_text_style right = left;
    right.align = GP_ALIGN_RIGHT;
    right.family = "kai";
    gp_mark marks[] = {
        {.kind = GP_MARK_TEXT, .box = {20, 30, 120, 12}, .style = left, .text = "䶮龑𠮷", .size_pt = 14},
        {.kind = GP_MARK_TEXT, .box = {20, 60, 120, 12}, .style = right, .text = "王小明", .size_pt = 12},
        {.kind = GP_MARK_TEXT, .box = {20, 90, 120, 12}, .text = "Class 2024", .size_pt = 10},
    };
    char *path = gp_path_join(dir, "text.pdf");
    gp_driver *drv = open_pdf(path);
    gp_render_env env;
    gp_render_env_init(&env, te, false);
    cairo_t *cr = begin(drv, 210, 297);
    render(cr, marks, 3, &env);
    end(drv);
    /* The same page moved by a calibration offset. */
    env.offset_x_mm = 1.5;
    env.offset_y_mm = -0.7;
    cr = begin(drv, 210, 297);
    render(cr, marks, 3, &env);
    end(drv);
    finish(drv);

    PopplerDocument *doc = gp_pdf_open(path);
    REQUIRE(doc != NULL, "readable PDF");
    char *text = gp_pdf_page_text(doc, 0);
    CHECK(text != NULL && strstr(text, "䶮龑𠮷") != NULL, "rare characters extractable, got \"%s\"", text ? text : "");
    CHECK(text != NULL && strstr(text, "王小明") != NULL && strstr(text, "Class 2024") != NULL, "all text there");
    g_free(text);

    gp_pdf_rect r, moved;
    CHECK(gp_pdf_find_text(doc, 0, "䶮龑𠮷", &r), "find rare text");
    CHECK_NEAR(r.x, 20, 0.2);
    check_inside(&r, &marks[0].box, "left");
    CHECK(gp_pdf_find_text(doc, 1, "䶮龑𠮷", &moved), "find on offset page");
    CHECK_NEAR(moved.x - r.x, 1.5, 0.01);
    CHECK_NEAR(moved.y - r.y, -0.7, 0.01);
    CHECK(gp_pdf_find_text(doc, 0, "𠮷", &r), "find the Ext-B character alone");
    CHECK(r.x > 20 + 5 && r.x < 20 + 15, "third character after the first two: %.2f", r.x);

    CHECK(gp_pdf_find_text(doc, 0, "王小明", &r), "find right-aligned text");
    CHECK_NEAR(r.x + r.w, 140, 0.2);
    check_inside(&r, &marks[1].box, "right");
    CHECK(gp_pdf_find_text(doc, 0, "Class 2024", &r), "find generated text");
    CHECK_NEAR(r.x, 20, 0.2);
    check_inside(&r, &marks[2].box, "generated");

    gp_pdf_font fonts[16];
    int n = gp_pdf_fonts(doc, fonts, 16);
    CHECK(n >= 2, "fonts found: %d", n);
    for (int i = 0; i < n && i < 16; i++) {
        CHECK(fonts[i].embedded, "font %s embedded", fonts[i].name);
        CHECK(fonts[i].subset, "font %s subset", fonts[i].name);
    }
    gp_pdf_close(doc);
    /* Metadata stays free of what the pages say. */
    CHECK(gp_pdf_file_count(path, "/Title", 6) == 0 && gp_pdf_file_count(path, "/Author", 7) == 0,
          "no title or author entry");
    unlink(path);
    free(path);
    gp_render_env_reset(&env);
    gp_text_engine_free(te);
    gp_context_free(ctx);
}

/* A sheet's 12 slots: 4 two-inch, 8 one-inch. */
static size_t sheet_marks(gp_mark *marks)
{
    size_t n = 0;
    for (int i = 0; i < 4; i++)
        marks[n++] = (gp_mark){.kind = GP_MARK_PHOTO, .box = {3.2 + i * 30.5, 4.1, 29.5, 41.3}};
    for (int i = 0; i < 8; i++)
        marks[n++] = (gp_mark){.kind = GP_MARK_PHOTO, .box = {3.2 + (i % 4) * 30.5, 50.7 + (i / 4) * 36.0, 25, 35}};
    return n;
}

static const gp_pdf_rect *closest_area(const gp_pdf_rect *areas, int n, const gp_box *b)
{
    const gp_pdf_rect *best = &areas[0];
    double best_d = INFINITY;
    for (int i = 0; i < n; i++) {
        double d = fabs(areas[i].x + areas[i].w / 2 - (b->x + b->w / 2)) + fabs(areas[i].y - b->y);
        if (d < best_d) {
            best_d = d;
            best = &areas[i];
        }
    }
    return best;
}

/* Rendered at 300 dpi, each slot is photo up to its edges and page just
 * beyond them: the image, wider than the slot, is clipped to it. */
static void check_clipped(PopplerDocument *doc, const gp_mark *marks, size_t count)
{
    const double dpi = 300, px_per_mm = dpi / 25.4;
    PopplerPage *page = poppler_document_get_page(doc, 0);
    double w_pt, h_pt;
    poppler_page_get_size(page, &w_pt, &h_pt);
    int w = (int)ceil(w_pt / 72 * dpi), h = (int)ceil(h_pt / 72 * dpi);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72, dpi / 72);
    poppler_page_render(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    const uint32_t *px = (const uint32_t *)cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s) / 4;
#define AT(xmm, ymm) (px[(size_t)(int)((ymm) * px_per_mm) * stride + (size_t)(int)((xmm) * px_per_mm)] & 0xffffff)
    int bad = 0;
    for (size_t i = 0; i < count; i++) {
        const gp_box *b = &marks[i].box;
        double mid_y = b->y + b->h / 2, mid_x = b->x + b->w / 2;
        uint32_t in[4] = {AT(b->x + 0.15, mid_y), AT(b->x + b->w - 0.15, mid_y), AT(mid_x, b->y + 0.15),
                          AT(mid_x, b->y + b->h - 0.15)};
        uint32_t out[4] = {AT(b->x - 0.15, mid_y), AT(b->x + b->w + 0.15, mid_y), AT(mid_x, b->y - 0.15),
                           AT(mid_x, b->y + b->h + 0.15)};
        for (int k = 0; k < 4; k++) {
            if (in[k] == 0xffffff || out[k] != 0xffffff) {
                bad++;
                fprintf(stderr, "slot %zu side %d: inside %06x, outside %06x\n", i, k, in[k], out[k]);
            }
        }
    }
#undef AT
    CHECK(bad == 0, "%d slot edges wrong: photo must fill each slot and stop at its edge", bad);
    cairo_surface_destroy(s);
    g_object_unref(page);
}

static void test_photos(const char *dir)
{
    gp_photo *one = make_photo(1), *two = make_photo(2);
    gp_mark marks[12];
    size_t count = sheet_marks(marks);
    char *path = gp_path_join(dir, "photos.pdf");
    gp_driver *drv = open_pdf(path);
    gp_render_env env;
    gp_render_env_init(&env, NULL, false);
    /* One photo on three pages: set anew for every page, as a job does for
     * every record, so the de-duplication rests on the content id. */
    for (int page = 0; page < 3; page++) {
        gp_render_env_set_photo(&env, one, NULL);
        cairo_t *cr = begin(drv, 127, 177.8);
        render(cr, marks, count, &env);
        end(drv);
    }
    finish(drv);
    CHECK(gp_pdf_image_objects(path) == 1, "36 placements, one image object: %d", gp_pdf_image_objects(path));
    CHECK(gp_pdf_file_count(path, one->jpeg, one->size) == 1, "the JPEG bytes occur once, unchanged");

    PopplerDocument *doc = gp_pdf_open(path);
    REQUIRE(doc != NULL, "readable PDF");
    for (int page = 0; page < 3; page++) {
        gp_pdf_rect areas[16];
        int n = gp_pdf_images(doc, page, areas, 16);
        CHECK(n == 12, "page %d: 12 placements, got %d", page, n);
        for (size_t i = 0; i < count && n == 12; i++) {
            /* The image covers the slot's full height; its sides are cut
             * equally (the 3:4 photo is wider than the slot). poppler
             * reports areas in whole points, hence the tolerance. */
            const gp_box *b = &marks[i].box;
            const gp_pdf_rect *a = closest_area(areas, n, b);
            CHECK_NEAR(a->y, b->y, GP_PDF_MM_PER_PT);
            CHECK_NEAR(a->h, b->h, GP_PDF_MM_PER_PT);
            CHECK_NEAR(a->x + a->w / 2, b->x + b->w / 2, GP_PDF_MM_PER_PT);
            CHECK_NEAR(a->w, b->h * 480.0 / 640.0, GP_PDF_MM_PER_PT);
        }
    }
    check_clipped(doc, marks, count);
    gp_pdf_close(doc);
    unlink(path);

    /* Two students: two objects, each JPEG once. */
    drv = open_pdf(path);
    gp_photo *photos[2] = {one, two};
    for (int page = 0; page < 4; page++) {
        gp_render_env_set_photo(&env, photos[page % 2], NULL);
        cairo_t *cr = begin(drv, 127, 177.8);
        render(cr, marks, count, &env);
        end(drv);
    }
    /* The env borrows the photo only until the next set_photo: the bytes
     * cairo still holds are its own copy. */
    gp_render_env_reset(&env);
    finish(drv);
    CHECK(gp_pdf_image_objects(path) == 2, "two photos, two objects: %d", gp_pdf_image_objects(path));
    CHECK(gp_pdf_file_count(path, one->jpeg, one->size) == 1, "first JPEG once");
    CHECK(gp_pdf_file_count(path, two->jpeg, two->size) == 1, "second JPEG once");
    unlink(path);
    free(path);
    gp_photo_free(one);
    gp_photo_free(two);
}

/* The JPEG surface: the unique id follows the content, and the mime bytes
 * are a copy. */
static void test_jpeg_surface(void)
{
    gp_photo *one = make_photo(1), *same = make_photo(1), *two = make_photo(2);
    cairo_surface_t *px = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 60, 80);
    cairo_surface_t *a = gp_render_jpeg_surface(one, px), *b = gp_render_jpeg_surface(same, px);
    cairo_surface_t *c = gp_render_jpeg_surface(two, px);
    REQUIRE(a != NULL && b != NULL && c != NULL, "jpeg surfaces");
    const unsigned char *ida, *idb, *idc, *data;
    unsigned long la, lb, lc, ld;
    cairo_surface_get_mime_data(a, CAIRO_MIME_TYPE_UNIQUE_ID, &ida, &la);
    cairo_surface_get_mime_data(b, CAIRO_MIME_TYPE_UNIQUE_ID, &idb, &lb);
    cairo_surface_get_mime_data(c, CAIRO_MIME_TYPE_UNIQUE_ID, &idc, &lc);
    CHECK(la > 0 && la == lb && memcmp(ida, idb, la) == 0, "same bytes, same id");
    CHECK(la != lc || memcmp(ida, idc, la) != 0, "different bytes, different id");
    cairo_surface_get_mime_data(a, CAIRO_MIME_TYPE_JPEG, &data, &ld);
    CHECK(ld == one->size && memcmp(data, one->jpeg, ld) == 0 && data != one->jpeg, "a copy of the bytes");
    CHECK(cairo_image_surface_get_width(a) == 60 && cairo_image_surface_get_height(a) == 80, "backed by the pixels");
    CHECK(gp_render_jpeg_surface(one, NULL) == NULL, "no pixels, no surface");
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    cairo_surface_destroy(c);
    CHECK(cairo_surface_get_reference_count(px) == 1, "wrappers release the pixels");
    cairo_surface_destroy(px);
    gp_photo_free(one);
    gp_photo_free(same);
    gp_photo_free(two);
}

/* A full disk shows up as an I/O error, and the partial file goes. A file
 * size limit stands in for the full disk. */
static void test_write_error(const char *dir)
{
    char *path = gp_path_join(dir, "full.pdf");
    gp_photo *photo = make_photo(3);
    REQUIRE(photo->size > 20000, "photo big enough to overflow the limit");
    gp_mark marks[12];
    size_t count = sheet_marks(marks);
    gp_driver *drv = open_pdf(path);
    struct rlimit old, small;
    getrlimit(RLIMIT_FSIZE, &old);
    small = old;
    small.rlim_cur = 16 * 1024;
    signal(SIGXFSZ, SIG_IGN);
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0, "setrlimit");
    gp_render_env env;
    gp_render_env_init(&env, NULL, false);
    gp_render_env_set_photo(&env, photo, NULL);
    gp_status st = GP_OK;
    gp_error *err = NULL;
    for (int page = 0; page < 3 && st == GP_OK; page++) {
        gp_page_spec spec = {.width_mm = 127, .height_mm = 177.8};
        cairo_t *cr = NULL;
        st = gp_driver_begin_page(drv, &spec, &cr, &err);
        if (st == GP_OK) {
            gp_layout layout = {.page_w_mm = 127, .page_h_mm = 177.8, .marks = marks, .count = count, .cap = count};
            st = gp_render_layout(cr, &layout, &env, &err);
        }
        if (st == GP_OK)
            st = gp_driver_end_page(drv, &err);
    }
    if (st == GP_OK)
        st = gp_driver_finish(drv, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_DFL);
    CHECK(st == GP_E_IO, "write error is GP_E_IO, got %d (%s)", (int)st, gp_error_message(err));
    CHECK(strstr(gp_error_message(err), "full.pdf") != NULL, "names the file: %s", gp_error_message(err));
    gp_error_free(err);
    gp_driver_free(drv);
    CHECK(count_entries(dir) == 0, "nothing left after a failed write");
    gp_render_env_reset(&env);
    gp_photo_free(photo);
    free(path);
}

int main(void)
{
    char *dir = fixture_tempdir();
    test_page_sizes_and_files(dir);
    test_text(dir);
    test_photos(dir);
    test_jpeg_surface();
    test_write_error(dir);
    CHECK(count_entries(dir) == 0, "tests clean up");
    rmdir(dir);
    free(dir);
    return gp_test_done();
}
