/* PNG previews of a finished PDF: one file per page at the page's pixel
 * size for the resolution, what the PDF shows where it shows it, files
 * 0600 in a directory made for them, and misuse refused. */
#include <dirent.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileio-private.h"
#include "driver.h"
#include "gp-test.h"
#include "tempdir.h"
#include "render/render-private.h"

static char *dir;

static const double sizes[3][2] = {{100, 50}, {210, 297}, {127, 177.8}};

/* Three pages of different sizes, each with a black box at (10, 10) 20 x 15
 * mm and a red one 20 x 10 mm whose far corner is 10 mm inside the bottom
 * right of the page. */
static char *make_pdf(void)
{
    char *path = gp_path_join(dir, "in.pdf");
    gp_driver *drv = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_pdf_driver_new(path, &drv, &err) == GP_OK, "driver: %s", gp_error_message(err));
    for (int i = 0; i < 3; i++) {
        gp_page_spec spec = {.width_mm = sizes[i][0], .height_mm = sizes[i][1]};
        cairo_t *cr = NULL;
        REQUIRE(gp_driver_begin_page(drv, &spec, &cr, &err) == GP_OK, "begin");
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_rectangle(cr, 10, 10, 20, 15);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 1, 0, 0);
        cairo_rectangle(cr, sizes[i][0] - 30, sizes[i][1] - 20, 20, 10);
        cairo_fill(cr);
        REQUIRE(gp_driver_end_page(drv, &err) == GP_OK, "end");
    }
    REQUIRE(gp_driver_finish(drv, &err) == GP_OK, "finish: %s", gp_error_message(err));
    gp_driver_free(drv);
    return path;
}

static uint32_t pixel_mm(cairo_surface_t *s, double dpi, double x_mm, double y_mm)
{
    int x = (int)(x_mm / 25.4 * dpi), y = (int)(y_mm / 25.4 * dpi);
    const uint32_t *px = (const uint32_t *)cairo_image_surface_get_data(s);
    return px[(size_t)y * (cairo_image_surface_get_stride(s) / 4) + x] & 0xffffff;
}

static int count_entries(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void check_previews(const char *pdf, double dpi)
{
    char *out = gp_path_join(dir, "previews/nested");
    const char *names[3] = {"0001_2021010101.png", "0002_2021010102.png", "0003_2021010103.png"};
    gp_error *err = NULL;
    CHECK(gp_preview_pngs(pdf, out, dpi, names, 3, &err) == GP_OK, "previews at %g dpi: %s", dpi,
          gp_error_message(err));
    gp_error_free(err);
    struct stat st;
    CHECK(stat(out, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700, "directory made, 0700");
    CHECK(count_entries(out) == 3, "three files and nothing else: %d", count_entries(out));
    for (int i = 0; i < 3; i++) {
        char *path = gp_path_join(out, names[i]);
        CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "%s: 0600", names[i]);
        cairo_surface_t *s = cairo_image_surface_create_from_png(path);
        REQUIRE(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, "%s is a PNG", names[i]);
        int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
        int ew = (int)(sizes[i][0] / 25.4 * dpi + 0.5), eh = (int)(sizes[i][1] / 25.4 * dpi + 0.5);
        CHECK(w == ew && h == eh, "%s: %dx%d px, expected %dx%d", names[i], w, h, ew, eh);
        cairo_surface_flush(s);
        double pw = sizes[i][0], ph = sizes[i][1];
        CHECK(pixel_mm(s, dpi, 20, 17.5) == 0x000000, "page %d: black box inside", i);
        CHECK(pixel_mm(s, dpi, 11, 11) == 0x000000, "page %d: black box top-left corner", i);
        CHECK(pixel_mm(s, dpi, 9, 17.5) == 0xffffff, "page %d: white left of it", i);
        CHECK(pixel_mm(s, dpi, 31, 17.5) == 0xffffff, "page %d: white right of it", i);
        CHECK(pixel_mm(s, dpi, 20, 26) == 0xffffff, "page %d: white below it", i);
        CHECK(pixel_mm(s, dpi, pw - 20, ph - 15) == 0xff0000, "page %d: red box: %06x", i,
              pixel_mm(s, dpi, pw - 20, ph - 15));
        CHECK(pixel_mm(s, dpi, pw - 9, ph - 15) == 0xffffff, "page %d: paper white beyond it", i);
        CHECK(pixel_mm(s, dpi, pw - 1, ph - 1) == 0xffffff, "page %d: white bottom-right corner", i);
        cairo_surface_destroy(s);
        unlink(path);
        free(path);
    }
    rmdir(out);
    free(out);
    out = gp_path_join(dir, "previews");
    rmdir(out);
    free(out);
}

static void check_misuse(const char *pdf)
{
    char *out = gp_path_join(dir, "never");
    const char *names[3] = {"a.png", "b.png", "c.png"};
    gp_error *err = NULL;
    CHECK(gp_preview_pngs(pdf, out, 100, names, 2, &err) == GP_E_INTERNAL, "2 names for 3 pages");
    CHECK(strstr(gp_error_message(err), "3 pages") != NULL, "says how many: %s", gp_error_message(err));
    gp_error_free(err);
    err = NULL;
    const char *bad[3] = {"a.png", "../b.png", "c.png"};
    CHECK(gp_preview_pngs(pdf, out, 100, bad, 3, &err) != GP_OK, "a name with a directory");
    gp_error_free(err);
    err = NULL;
    CHECK(gp_preview_pngs(pdf, out, 0, names, 3, &err) == GP_E_USAGE, "0 dpi");
    gp_error_free(err);
    err = NULL;
    CHECK(gp_preview_pngs(pdf, out, 20000, names, 3, &err) == GP_E_USAGE, "absurd dpi");
    gp_error_free(err);
    err = NULL;
    CHECK(access(out, F_OK) != 0, "nothing made when refused");
    char *missing = gp_path_join(dir, "missing.pdf");
    CHECK(gp_preview_pngs(missing, out, 100, names, 3, &err) == GP_E_IO, "missing PDF");
    CHECK(strstr(gp_error_message(err), "missing.pdf") != NULL, "names it: %s", gp_error_message(err));
    gp_error_free(err);
    err = NULL;
    /* Under a file: no directory can be made there, even as root. */
    char *under_file = gp_path_join(pdf, "x");
    CHECK(gp_preview_pngs(pdf, under_file, 100, names, 3, &err) == GP_E_IO, "directory cannot be made");
    gp_error_free(err);
    free(under_file);
    free(missing);
    free(out);
}

int main(void)
{
    dir = fixture_tempdir();
    char *pdf = make_pdf();
    check_previews(pdf, 100);
    check_previews(pdf, 150);
    check_misuse(pdf);
    unlink(pdf);
    free(pdf);
    CHECK(rmdir(dir) == 0, "tests clean up after themselves");
    return gp_test_done();
}
