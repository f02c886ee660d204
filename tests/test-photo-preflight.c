/* Preflight of photos: every way a photo can be wrong gives its own finding,
 * tagged with the student number and the file. */
#include <turbojpeg.h>
#include <unistd.h>

#include "base/report-private.h"
#include "gp-test.h"
#include "photo/photo-private.h"
#include "test-photo-util.h"

typedef struct fixture {
    char *dir;
    int next_id;
} fixture;

/* A fresh 18-character ID for each case. */
static void next_id(fixture *fx, char id[19])
{
    snprintf(id, 19, "3201021999%08u", (unsigned)(fx->next_id++ % 100000000));
}

static char *put_photo(fixture *fx, const char *id, const char *ext, const void *data, size_t size)
{
    char name[64];
    snprintf(name, sizeof name, "%s.%s", id, ext);
    char *path = tp_join(fx->dir, name);
    REQUIRE(tp_write_file(path, data, size), "cannot write %s", path);
    return path;
}

/* A valid photo of w x h padded to target bytes (0: as encoded). */
static unsigned char *make_photo(int w, int h, size_t target, size_t *size)
{
    cairo_surface_t *s = tp_draw_photo(w, h);
    size_t raw_size = 0;
    unsigned char *raw = tp_encode(s, 90, TJSAMP_420, TJPF_BGRX, &raw_size);
    cairo_surface_destroy(s);
    REQUIRE(raw != NULL, "encoding failed");
    if (target == 0) {
        *size = raw_size;
        return raw;
    }
    REQUIRE(target >= raw_size + 4, "test photo %dx%d is already %zu bytes, more than %zu", w, h, raw_size, target);
    unsigned char *padded = tp_pad_to(raw, raw_size, target, size);
    free(raw);
    return padded;
}

/* Runs preflight and checks it gives exactly the findings listed (codes,
 * severities), each with the student number and the file. */
static void expect(fixture *fx, const char *id, const char *path, bool usable, const char *codes[], int n,
                   const char *mention)
{
    gp_report *report = gp_report_new();
    REQUIRE(report != NULL, "no memory");
    char student_no[32];
    snprintf(student_no, sizeof student_no, "S%s", id + 10);
    bool ok = gp_photo_preflight(NULL, fx->dir, id, student_no, report);
    CHECK(ok == usable, "%s: preflight said %s", id, ok ? "usable" : "unusable");
    CHECK(gp_report_count(report) == (size_t)n, "%s: %zu findings, expected %d", id, gp_report_count(report), n);
    for (size_t i = 0; i < gp_report_count(report); i++) {
        const gp_finding *f = gp_report_get(report, i);
        fprintf(stderr, "  [%s] %s %s: %s\n", f->code, f->student_no, f->file, f->message);
        if ((int)i < n)
            CHECK_STR(f->code, codes[i]);
        CHECK_STR(f->student_no, student_no);
        CHECK_STR(f->file, path);
        bool is_warning = strcmp(f->code, "photo-file-size") == 0 || strcmp(f->code, "photo-dimensions") == 0;
        CHECK(f->severity == (is_warning ? GP_WARNING : GP_ERROR), "%s has severity %d", f->code, (int)f->severity);
        CHECK(f->message != NULL && strlen(f->message) > 20, "%s: message too short", f->code);
        if (mention != NULL && i == 0)
            CHECK(strstr(f->message, mention) != NULL, "%s: message \"%s\" lacks \"%s\"", f->code, f->message, mention);
    }
    gp_report_free(report);
}

static void test_good(fixture *fx)
{
    char id[19];
    next_id(fx, id);
    size_t size;
    unsigned char *jpeg = make_photo(480, 640, 30 * 1024, &size);
    char *path = put_photo(fx, id, "jpg", jpeg, size);
    expect(fx, id, path, true, NULL, 0, NULL);
    free(path);
    free(jpeg);
}

static void test_missing(fixture *fx)
{
    char id[19];
    next_id(fx, id);
    char name[32];
    snprintf(name, sizeof name, "%s.jpg", id);
    char *expected = tp_join(fx->dir, name);
    const char *codes[] = {"photo-missing"};
    expect(fx, id, expected, false, codes, 1, expected);
    free(expected);
}

static void test_not_jpeg(fixture *fx)
{
    char id[19];
    next_id(fx, id);
    char png[512];
    snprintf(png, sizeof png, "%s/%s.png", fx->dir, id);
    cairo_surface_t *s = tp_draw_photo(48, 64);
    REQUIRE(cairo_surface_write_to_png(s, png) == CAIRO_STATUS_SUCCESS, "cannot write PNG");
    cairo_surface_destroy(s);
    size_t size;
    unsigned char *bytes = tp_read_file(png, &size);
    REQUIRE(bytes != NULL, "cannot read back %s", png);
    unlink(png);
    char *path = put_photo(fx, id, "jpg", bytes, size);
    const char *codes[] = {"photo-not-jpeg"};
    expect(fx, id, path, false, codes, 1, "PNG");
    free(path);
    free(bytes);
}

static void test_truncated(fixture *fx)
{
    char id[19];
    next_id(fx, id);
    size_t size;
    unsigned char *jpeg = make_photo(480, 640, 0, &size);
    char *path = put_photo(fx, id, "jpg", jpeg, size / 2);
    /* Half a file is also below 20 KB; the damage is the error. */
    const char *codes[] = {"photo-corrupt", "photo-file-size"};
    expect(fx, id, path, false, codes, 2 - (size / 2 >= 20 * 1024), "damaged or cut short");
    free(path);

    /* Decoding it directly fails with the file named, at both scales. */
    gp_photo *photo = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_photo_from_memory("half.jpg", jpeg, size / 2, &photo, &err) == GP_OK, "the header was lost: %s",
            gp_error_message(err));
    for (int denom = 1; denom <= 8; denom *= 8) {
        cairo_surface_t *pixels = NULL;
        CHECK(gp_photo_decode(photo, denom, &pixels, &err) == GP_E_INVALID && pixels == NULL,
              "a truncated photo decoded at 1/%d", denom);
        CHECK(err != NULL && strstr(gp_error_message(err), "half.jpg") && strstr(gp_error_message(err), "export it"),
              "message: %s", gp_error_message(err));
        gp_error_free(err);
        err = NULL;
    }
    gp_photo_free(photo);
    free(jpeg);
}

static void test_corrupt_scan(fixture *fx)
{
    char id[19];
    next_id(fx, id);
    size_t size;
    unsigned char *jpeg = make_photo(480, 640, 0, &size);
    size_t sos = tp_find_marker(jpeg, size, 0xDA);
    REQUIRE(sos > 0, "no SOS");
    /* Garbage in the middle of the entropy-coded data: a run of bytes that
     * no Huffman table decodes, ending in a stray marker. */
    size_t mid = sos + (size - sos) / 2;
    for (size_t i = 0; i < 64; i++)
        jpeg[mid + i] = (unsigned char)(i % 2 ? 0xFF : 0xFE);
    jpeg[mid + 64] = 0xFF;
    jpeg[mid + 65] = 0xC4;
    char *path = put_photo(fx, id, "jpg", jpeg, size);
    const char *codes[] = {"photo-corrupt", "photo-file-size"};
    expect(fx, id, path, false, codes, 1 + (size < 20 * 1024), "damaged");

    gp_photo *photo = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_photo_from_memory("mid.jpg", jpeg, size, &photo, &err) == GP_OK, "header lost: %s",
            gp_error_message(err));
    cairo_surface_t *pixels = NULL;
    CHECK(gp_photo_decode(photo, 1, &pixels, &err) == GP_E_INVALID, "full-size decode missed the damage");
    gp_error_free(err);
    gp_photo_free(photo);
    free(path);
    free(jpeg);
}

static void test_huge_header(fixture *fx)
{
    char id[19];
    next_id(fx, id);
    size_t size;
    unsigned char *jpeg = make_photo(480, 640, 30 * 1024, &size);
    size_t sof = tp_find_marker(jpeg, size, 0xC0);
    REQUIRE(sof > 0, "no SOF0");
    /* FF C0, length (2), precision (1), height (2), width (2). */
    jpeg[sof + 5] = 65000 >> 8;
    jpeg[sof + 6] = 65000 & 0xFF;
    jpeg[sof + 7] = 60000 >> 8;
    jpeg[sof + 8] = 60000 & 0xFF;
    char *path = put_photo(fx, id, "jpg", jpeg, size);
    const char *codes[] = {"photo-too-large"};
    double t0 = tp_now_ms();
    expect(fx, id, path, false, codes, 1, "60000 x 65000");
    double ms = tp_now_ms() - t0;
    CHECK(ms < 50.0, "refusing a 60000x65000 header took %.1f ms", ms);

    /* Just over the side limit, with a modest pixel count, also refused. */
    jpeg[sof + 5] = 0;
    jpeg[sof + 6] = 100;
    jpeg[sof + 7] = 8001 >> 8;
    jpeg[sof + 8] = 8001 & 0xFF;
    gp_photo *photo = NULL;
    gp_error *err = NULL;
    CHECK(gp_photo_from_memory("wide.jpg", jpeg, size, &photo, &err) == GP_E_INVALID, "8001 wide accepted");
    gp_error_free(err);
    free(path);
    free(jpeg);
}

static void test_too_big_file(fixture *fx)
{
    char id[19];
    next_id(fx, id);
    char name[32];
    snprintf(name, sizeof name, "%s.jpg", id);
    char *path = tp_join(fx->dir, name);
    FILE *f = fopen(path, "wb");
    REQUIRE(f != NULL, "cannot create %s", path);
    /* A sparse file: the size is what matters. */
    REQUIRE(fseek(f, (long)GP_PHOTO_MAX_FILE_BYTES + 1, SEEK_SET) == 0 && fputc(0, f) == 0 && fclose(f) == 0,
            "cannot extend %s", path);
    const char *codes[] = {"photo-too-large"};
    expect(fx, id, path, false, codes, 1, "MB");
    free(path);
}

static void test_cmyk(fixture *fx)
{
    char id[19];
    next_id(fx, id);
    cairo_surface_t *s = tp_draw_photo(480, 640);
    size_t size;
    unsigned char *jpeg = tp_encode(s, 90, TJSAMP_444, TJPF_CMYK, &size);
    cairo_surface_destroy(s);
    REQUIRE(jpeg != NULL, "CMYK encoding failed");
    char *path = put_photo(fx, id, "jpg", jpeg, size);
    const char *codes[] = {"photo-cmyk"};
    expect(fx, id, path, false, codes, 1, "sRGB");
    free(path);
    free(jpeg);
}

static void test_orientation(fixture *fx)
{
    size_t size;
    unsigned char *jpeg = make_photo(480, 640, 0, &size);
    for (int variant = 0; variant < 3; variant++) {
        static const int orientation[] = {6, 3, 1};
        static const bool little[] = {false, true, true};
        char id[19];
        next_id(fx, id);
        unsigned char body[64];
        size_t len = tp_exif_orientation_body(body, orientation[variant], little[variant]);
        size_t with_size;
        unsigned char *with = tp_insert_segment(jpeg, size, 0xE1, body, len, &with_size);
        size_t padded_size;
        unsigned char *padded = tp_pad_to(with, with_size, 30 * 1024, &padded_size);
        char *path = put_photo(fx, id, "jpg", padded, padded_size);
        if (orientation[variant] == 1) {
            expect(fx, id, path, true, NULL, 0, NULL);
        } else {
            const char *codes[] = {"photo-orientation"};
            expect(fx, id, path, false, codes, 1, "upright");
        }
        free(path);
        free(padded);
        free(with);
    }
    free(jpeg);
}

static void test_shape_and_size(fixture *fx)
{
    char id[19];
    size_t size;
    unsigned char *jpeg;
    char *path;

    /* Square: an error, whatever its size. */
    next_id(fx, id);
    jpeg = make_photo(480, 480, 30 * 1024, &size);
    path = put_photo(fx, id, "jpeg", jpeg, size);
    const char *square[] = {"photo-not-3x4"};
    expect(fx, id, path, false, square, 1, "480 x 480");
    free(path);
    free(jpeg);

    /* 484 x 640 is within 1% of 3:4: only the dimension warning. */
    next_id(fx, id);
    jpeg = make_photo(484, 640, 30 * 1024, &size);
    path = put_photo(fx, id, "JPG", jpeg, size);
    const char *near[] = {"photo-dimensions"};
    expect(fx, id, path, true, near, 1, "484 x 640");
    free(path);
    free(jpeg);

    /* 490 x 640 is 2% off. */
    next_id(fx, id);
    jpeg = make_photo(490, 640, 30 * 1024, &size);
    path = put_photo(fx, id, "jpg", jpeg, size);
    expect(fx, id, path, false, square, 1, "490 x 640");
    free(path);
    free(jpeg);

    /* 3:4 but larger, and too small a file. */
    next_id(fx, id);
    cairo_surface_t *flat = tp_draw_flat(600, 800, (tp_rgb){170, 210, 240});
    jpeg = tp_encode(flat, 92, TJSAMP_420, TJPF_BGRX, &size);
    cairo_surface_destroy(flat);
    REQUIRE(size < 20 * 1024, "a flat 600x800 photo is %zu bytes", size);
    path = put_photo(fx, id, "jpg", jpeg, size);
    const char *both[] = {"photo-dimensions", "photo-file-size"};
    expect(fx, id, path, true, both, 2, "600 x 800");
    free(path);
    free(jpeg);

    /* Right dimensions, file too big. */
    next_id(fx, id);
    jpeg = make_photo(480, 640, 45 * 1024, &size);
    path = put_photo(fx, id, "jpg", jpeg, size);
    const char *big[] = {"photo-file-size"};
    expect(fx, id, path, true, big, 1, "45.0 KB");
    free(path);
    free(jpeg);
}

int main(void)
{
    fixture fx = {fixture_tempdir(), 1};
    REQUIRE(fx.dir != NULL, "cannot make a temporary directory");
    test_good(&fx);
    test_missing(&fx);
    test_not_jpeg(&fx);
    test_truncated(&fx);
    test_corrupt_scan(&fx);
    test_huge_header(&fx);
    test_too_big_file(&fx);
    test_cmyk(&fx);
    test_orientation(&fx);
    test_shape_and_size(&fx);
    fixture_remove(fx.dir);
    free(fx.dir);
    return gp_test_done();
}
