/* Finding, loading and decoding photos. */
#include <sys/stat.h>
#include <turbojpeg.h>
#include <unistd.h>

#include "gp-test.h"
#include "photo/photo-check-private.h"
#include "test-photo-util.h"

#define ID "11010519491231002X"

static void test_find(const char *dir)
{
    unsigned char byte = 0xFF;
    static const char *const names[] = {"110105194912310011.jpg", "110105194912310012.jpeg", "110105194912310013.JPG",
                                        "110105194912310014.JPEG", "110105194912310015.Jpg", "110105194912310016.jPeG"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *path = tp_join(dir, names[i]);
        REQUIRE(tp_write_file(path, &byte, 1), "cannot write %s", path);
        char id[19];
        memcpy(id, names[i], 18);
        id[18] = '\0';
        char *found = gp_photo_find(dir, id);
        CHECK_STR(found, path);
        free(found);
        free(path);
    }

    /* The roster's uppercase X finds a file named with a lowercase x. */
    char *lower = tp_join(dir, "11010519491231002x.jpg");
    REQUIRE(tp_write_file(lower, &byte, 1), "cannot write %s", lower);
    char *found = gp_photo_find(dir, ID);
    CHECK_STR(found, lower);
    free(found);
    /* ... but the exact spelling wins when both exist. */
    char *upper = tp_join(dir, ID ".JPG");
    REQUIRE(tp_write_file(upper, &byte, 1), "cannot write %s", upper);
    found = gp_photo_find(dir, ID);
    CHECK_STR(found, upper);
    free(found);
    unlink(upper);
    unlink(lower);
    free(upper);
    free(lower);

    /* A directory with the right name is not a photo. */
    char *subdir = tp_join(dir, "110105194912310020.jpg");
    REQUIRE(mkdir(subdir, 0700) == 0, "cannot mkdir %s", subdir);
    found = gp_photo_find(dir, "110105194912310020");
    CHECK(found == NULL, "a directory was taken for a photo: %s", found);
    free(found);
    rmdir(subdir);
    free(subdir);

    CHECK(gp_photo_find(dir, "110105194912310099") == NULL, "found a photo that does not exist");
    CHECK(gp_photo_find(dir, "") == NULL, "an empty ID found something");
    CHECK(gp_photo_find(dir, "../etc/passwd") == NULL, "an ID with a slash was looked up");
    /* Near misses are not matches. */
    char *other = tp_join(dir, "110105194912310030.jpg.bak");
    REQUIRE(tp_write_file(other, &byte, 1), "cannot write %s", other);
    CHECK(gp_photo_find(dir, "110105194912310030") == NULL, "a .jpg.bak file was taken for a photo");
    unlink(other);
    free(other);
}

static void test_load_decode(const char *dir)
{
    cairo_surface_t *src = tp_draw_photo(480, 640);
    size_t size = 0;
    unsigned char *jpeg = tp_encode(src, 95, TJSAMP_444, TJPF_BGRX, &size);
    REQUIRE(jpeg != NULL, "encoding the test photo failed");
    char *path = tp_join(dir, "photo.jpg");
    REQUIRE(tp_write_file(path, jpeg, size), "cannot write %s", path);

    gp_photo *photo = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_photo_load(path, &photo, &err) == GP_OK, "load failed: %s", gp_error_message(err));
    CHECK(photo->width == 480 && photo->height == 640, "dimensions %dx%d", photo->width, photo->height);
    CHECK(photo->size == size && memcmp(photo->jpeg, jpeg, size) == 0, "the bytes are not the file's bytes");
    CHECK_STR(photo->path, path);

    cairo_surface_t *full = NULL;
    REQUIRE(gp_photo_decode(photo, 1, &full, &err) == GP_OK, "decode failed: %s", gp_error_message(err));
    CHECK(cairo_image_surface_get_format(full) == CAIRO_FORMAT_RGB24, "not RGB24");
    CHECK(cairo_image_surface_get_width(full) == 480 && cairo_image_surface_get_height(full) == 640, "size %dx%d",
          cairo_image_surface_get_width(full), cairo_image_surface_get_height(full));
    /* Samples away from edges, where q95 4:4:4 stays within a few levels. */
    static const int points[][2] = {{20, 10}, {200, 100}, {100, 400}, {300, 600}, {460, 300}, {240, 320}, {10, 630}};
    for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
        tp_rgb want = tp_pixel(src, points[i][0], points[i][1]);
        tp_rgb got = tp_pixel(full, points[i][0], points[i][1]);
        CHECK(tp_near(got, want, 6), "pixel (%d,%d) is %d,%d,%d, drawn %d,%d,%d", points[i][0], points[i][1], got.r,
              got.g, got.b, want.r, want.g, want.b);
    }
    tp_rgb red = tp_pixel(full, 20, 10);
    CHECK(red.r > 240 && red.g < 20 && red.b < 20, "top-left marker is %d,%d,%d, not red", red.r, red.g, red.b);

    cairo_surface_t *small = NULL;
    REQUIRE(gp_photo_decode(photo, 8, &small, &err) == GP_OK, "1/8 decode failed: %s", gp_error_message(err));
    CHECK(cairo_image_surface_get_width(small) == 60 && cairo_image_surface_get_height(small) == 80, "1/8 size %dx%d",
          cairo_image_surface_get_width(small), cairo_image_surface_get_height(small));
    tp_rgb band = tp_pixel(small, 58, 40);
    CHECK(band.b > 220 && band.r < 30, "1/8: right band is %d,%d,%d, not blue", band.r, band.g, band.b);
    tp_rgb corner = tp_pixel(small, 2, 1);
    CHECK(corner.r > 220 && corner.b < 40, "1/8: top-left is %d,%d,%d, not red", corner.r, corner.g, corner.b);
    cairo_surface_destroy(small);

    cairo_surface_t *none = NULL;
    CHECK(gp_photo_decode(photo, 3, &none, &err) == GP_E_USAGE && none == NULL, "1/3 was accepted");
    CHECK(err != NULL && strstr(gp_error_message(err), "1/3") != NULL, "message: %s", gp_error_message(err));
    gp_error_free(err);
    err = NULL;

    /* The same bytes from memory. */
    gp_photo *mem = NULL;
    REQUIRE(gp_photo_from_memory("mem.jpg", jpeg, size, &mem, &err) == GP_OK, "from_memory: %s",
            gp_error_message(err));
    CHECK(mem->width == 480 && mem->height == 640 && mem->jpeg != jpeg, "from_memory did not copy or read the header");
    CHECK_STR(mem->path, "mem.jpg");
    gp_photo_free(mem);

    gp_photo_free(photo);
    cairo_surface_destroy(full);
    free(jpeg);
    free(path);
    cairo_surface_destroy(src);
}

static void test_grayscale(void)
{
    cairo_surface_t *src = tp_draw_photo(120, 160);
    size_t size = 0;
    unsigned char *jpeg = tp_encode(src, 95, TJSAMP_GRAY, TJPF_GRAY, &size);
    REQUIRE(jpeg != NULL, "grayscale encoding failed");
    gp_photo *photo = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_photo_from_memory("grey.jpg", jpeg, size, &photo, &err) == GP_OK, "grayscale refused: %s",
            gp_error_message(err));
    cairo_surface_t *pixels = NULL;
    REQUIRE(gp_photo_decode(photo, 1, &pixels, &err) == GP_OK, "grayscale decode: %s", gp_error_message(err));
    tp_rgb c = tp_pixel(pixels, 30, 80);
    int want = tp_luma(tp_pixel(src, 30, 80));
    CHECK(c.r == c.g && c.g == c.b && abs(c.r - want) <= 4, "grey pixel %d,%d,%d, expected %d", c.r, c.g, c.b, want);
    cairo_surface_destroy(pixels);
    gp_photo_free(photo);
    free(jpeg);
    cairo_surface_destroy(src);
}

static void test_refusals(const char *dir)
{
    gp_photo *photo = NULL;
    gp_error *err = NULL;
    gp_photo_problem problem;

    /* Missing and unreadable files are I/O errors, not photo problems. */
    char *missing = tp_join(dir, "missing.jpg");
    CHECK(gp_photo_load_checked(missing, &photo, &problem, &err) == GP_E_IO && photo == NULL, "missing file loaded");
    CHECK(problem == GP_PHOTO_UNREADABLE, "problem %d", (int)problem);
    CHECK(err != NULL && strstr(gp_error_message(err), missing) != NULL, "message does not name the file: %s",
          gp_error_message(err));
    gp_error_free(err);
    err = NULL;
    free(missing);

    static const struct {
        const char *bytes;
        size_t len;
        const char *mentions;
    } not_jpeg[] = {
        {"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "PNG"},
        {"GIF89a\x01\0\x01\0", 10, "GIF"},
        {"\0\0\0\x18" "ftypheic\0\0\0\0", 16, "HEIC"},
        {"RIFF\0\0\0\0WEBPVP8 ", 16, "WebP"},
        {"hello, this is text", 19, "not a JPEG"},
        {"", 0, "empty"},
        {"\xFF", 1, "not a JPEG"},
    };
    for (size_t i = 0; i < sizeof not_jpeg / sizeof not_jpeg[0]; i++) {
        CHECK(gp_photo_from_memory("x.jpg", (const unsigned char *)not_jpeg[i].bytes, not_jpeg[i].len, &photo,
                                   &err) == GP_E_INVALID && photo == NULL,
              "case %zu accepted", i);
        CHECK(err != NULL && strstr(gp_error_message(err), not_jpeg[i].mentions) != NULL &&
                  strstr(gp_error_message(err), "x.jpg") != NULL,
              "case %zu: message \"%s\" lacks \"%s\"", i, gp_error_message(err), not_jpeg[i].mentions);
        gp_error_free(err);
        err = NULL;
    }

    /* SOI and nothing that makes a header. */
    static const unsigned char soi_only[] = {0xFF, 0xD8, 0xFF, 0xD9};
    CHECK(gp_photo_from_memory("soi.jpg", soi_only, sizeof soi_only, &photo, &err) == GP_E_INVALID, "SOI+EOI accepted");
    CHECK(err != NULL && strstr(gp_error_message(err), "damaged") != NULL, "message: %s", gp_error_message(err));
    gp_error_free(err);
    err = NULL;
}

/* The EXIF reader on hand-made TIFF structures, including broken ones. */
static void test_exif(void)
{
    unsigned char body[64];
    size_t len = tp_exif_orientation_body(body, 6, true);
    CHECK(gp_exif_orientation(body + 6, len - 6) == 6, "little-endian orientation 6 not read");
    len = tp_exif_orientation_body(body, 8, false);
    CHECK(gp_exif_orientation(body + 6, len - 6) == 8, "big-endian orientation 8 not read");
    /* Cut anywhere, it reads nothing rather than past the end. */
    for (size_t cut = 0; cut < len - 6 - 4; cut++)
        CHECK(gp_exif_orientation(body + 6, cut) == 0, "read an orientation from %zu bytes", cut);
    unsigned char bad[64];
    memcpy(bad, body, len);
    bad[6 + 7] = 200; /* IFD0 offset far outside */
    CHECK(gp_exif_orientation(bad + 6, len - 6) == 0, "followed an IFD offset outside the data");
    memcpy(bad, body, len);
    bad[6 + 8] = 0xFF; /* 65280+ entries claimed */
    CHECK(gp_exif_orientation(bad + 6, len - 6) == 0, "believed an entry count larger than the data");
    memcpy(bad, body, len);
    bad[6 + 0] = 'X';
    CHECK(gp_exif_orientation(bad + 6, len - 6) == 0, "accepted an unknown byte order");

    /* Whole files: the marker walk finds the frame size and the orientation. */
    cairo_surface_t *src = tp_draw_flat(32, 48, (tp_rgb){200, 100, 50});
    size_t size = 0;
    unsigned char *jpeg = tp_encode(src, 90, TJSAMP_444, TJPF_BGRX, &size);
    cairo_surface_destroy(src);
    len = tp_exif_orientation_body(body, 3, false);
    size_t with_size;
    unsigned char *with = tp_insert_segment(jpeg, size, 0xE1, body, len, &with_size);
    gp_jpeg_markers m;
    gp_jpeg_scan_markers(with, with_size, &m);
    CHECK(m.width == 32 && m.height == 48 && m.components == 3 && m.orientation == 3, "markers: %dx%d c%d o%d",
          m.width, m.height, m.components, m.orientation);
    /* Orientation values outside 1..8 mean nothing: the photo is kept. */
    len = tp_exif_orientation_body(body, 9, true);
    free(with);
    with = tp_insert_segment(jpeg, size, 0xE1, body, len, &with_size);
    gp_photo *photo = NULL;
    gp_error *err = NULL;
    CHECK(gp_photo_from_memory("o9.jpg", with, with_size, &photo, &err) == GP_OK, "orientation 9 refused: %s",
          gp_error_message(err));
    gp_photo_free(photo);
    gp_error_free(err);
    /* A segment length running past the end stops the walk quietly. */
    with[4] = 0xFF;
    gp_jpeg_scan_markers(with, with_size, &m);
    CHECK(m.width == 0 && m.orientation == 0, "walked past a broken segment length");
    free(with);
    free(jpeg);
}

int main(void)
{
    char *dir = fixture_tempdir();
    REQUIRE(dir != NULL, "cannot make a temporary directory");
    test_find(dir);
    test_load_decode(dir);
    test_grayscale();
    test_exif();
    test_refusals(dir);
    fixture_remove(dir);
    free(dir);
    return gp_test_done();
}
