/* The block-level JPEG writer against libjpeg itself:
 *  - its transform against the DCT's definition, computed here in double
 *    precision with libjpeg's quantisation tables;
 *  - its files through libjpeg's decoder (coefficients) and turbojpeg's,
 *    strictly: dimensions, 4:4:4, JFIF density, Exif, no warnings;
 *  - its entropy coder: the coefficients libjpeg reads back, encoded again
 *    by libjpeg (jpeg_write_coefficients, standard tables), must give the
 *    same scan, byte for byte;
 *  - spliced runs (seal + append at every bit offset) equal one straight run;
 *  - pixels within 45 dB PSNR of the original, as libjpeg's own q95 file. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <turbojpeg.h>

#include "gp-test.h"
#include "jpeg-blocks.h"

static uint32_t rng_state = 12345;
static uint32_t rnd(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

/* A test image: smooth gradients, a photo-like noisy patch, saturated
 * colour bars and hard edges, so coefficients of every size occur. */
static uint32_t *make_image(int w, int h)
{
    uint32_t *px = malloc((size_t)w * (size_t)h * 4);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int r, g, b;
            if (y < h / 3) {
                r = w > 1 ? x * 255 / (w - 1) : 0;
                g = h > 1 ? y * 255 / (h - 1) : 0;
                b = 128;
            } else if (y < 2 * h / 3) {
                int n = (int)(rnd() % 61) - 30;
                r = 120 + n, g = 160 + n / 2, b = 200 - n;
            } else {
                static const int bars[6][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}, {0, 0, 0}, {255, 255, 0}};
                const int *c = bars[(x / 5) % 6];
                r = c[0], g = c[1], b = c[2];
            }
            px[(size_t)y * (size_t)w + (size_t)x] = 0xFF000000u | (uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)b;
        }
    return px;
}

/* ---- the transform against its definition */

static int zigzag_natural[64];

static void make_zigzag(void)
{
    /* Written out as the JPEG standard's figure shows it, not computed. */
    static const int zz[64] = {0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,  12, 19, 26, 33, 40, 48,
                               41, 34, 27, 20, 13, 6,  7,  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23,
                               30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};
    memcpy(zigzag_natural, zz, sizeof zz);
}

static void reference_quant(int quality, unsigned q[2][64])
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    c.in_color_space = JCS_RGB;
    c.input_components = 3;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    for (int t = 0; t < 2; t++)
        for (int i = 0; i < 64; i++)
            q[t][i] = c.quant_tbl_ptrs[t]->quantval[i];
    jpeg_destroy_compress(&c);
}

static void check_transform(const gp_jb_tables *t)
{
    unsigned q[2][64];
    reference_quant(95, q);
    for (int k = 0; k < 64; k++)
        CHECK(t->quant_zigzag[0][k] == q[0][zigzag_natural[k]] && t->quant_zigzag[1][k] == q[1][zigzag_natural[k]],
              "quantisation table entry %d", k);
    uint32_t *img = make_image(64, 48);
    int blocks = 0, exact = 0, worst = 0;
    const double pi = 3.14159265358979323846;
    for (int by = 0; by < 6; by++)
        for (int bx = 0; bx < 8; bx++) {
            const uint32_t *px = img + (size_t)by * 8 * 64 + (size_t)bx * 8;
            gp_jb_mcu mcu;
            gp_jb_fdct(t, px, 64, &mcu);
            double plane[3][64];
            for (int i = 0; i < 64; i++) {
                uint32_t p = px[(i / 8) * 64 + i % 8];
                double r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
                plane[0][i] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
                plane[1][i] = -0.168735892 * r - 0.331264108 * g + 0.5 * b;
                plane[2][i] = 0.5 * r - 0.418687589 * g - 0.081312411 * b;
            }
            for (int c = 0; c < 3; c++)
                for (int k = 0; k < 64; k++) {
                    int v = zigzag_natural[k] / 8, u = zigzag_natural[k] % 8;
                    double sum = 0;
                    for (int y = 0; y < 8; y++)
                        for (int x = 0; x < 8; x++)
                            sum += plane[c][y * 8 + x] * cos((2 * x + 1) * u * pi / 16) * cos((2 * y + 1) * v * pi / 16);
                    double f = 0.25 * (u ? 1 : 1 / sqrt(2)) * (v ? 1 : 1 / sqrt(2)) * sum;
                    double quant = f / q[c ? 1 : 0][zigzag_natural[k]];
                    int expect = (int)(quant < 0 ? quant - 0.5 : quant + 0.5);
                    int got = mcu.c[c][u * 8 + v]; /* gp_jb_mcu's documented order */
                    int diff = abs(got - expect);
                    blocks++;
                    exact += diff == 0;
                    if (diff > worst)
                        worst = diff;
                    /* Float rounding may tip a value lying on .5; anything
                     * more is a wrong transform. */
                    if (diff > 0 && fabs(fabs(quant - (int)quant) - 0.5) > 0.01)
                        CHECK(diff == 0, "block %d,%d comp %d zigzag %d: %d, expected %d (%.4f)", bx, by, c, k, got, expect,
                              quant);
                }
        }
    CHECK(worst <= 1, "coefficients within 1 of the definition, worst %d", worst);
    CHECK(exact * 1000 >= blocks * 998, "%d of %d coefficients exactly as defined", exact, blocks);
    free(img);
}

/* ---- files through libjpeg */

typedef struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
    int warnings;
} jerr;

static void on_error(j_common_ptr c)
{
    longjmp(((jerr *)(void *)c->err)->jump, 1);
}

static void on_message(j_common_ptr c, int level)
{
    if (level < 0)
        ((jerr *)(void *)c->err)->warnings++;
}

/* Offset and length of the entropy-coded data: after SOS's header, up to EOI. */
static bool find_scan(const uint8_t *f, size_t n, size_t *start, size_t *len)
{
    for (size_t i = 2; i + 4 < n;) {
        if (f[i] != 0xFF)
            return false;
        unsigned marker = f[i + 1], seg = (unsigned)f[i + 2] << 8 | f[i + 3];
        if (marker == 0xDA) {
            *start = i + 2 + seg;
            if (n < *start + 2 || f[n - 2] != 0xFF || f[n - 1] != 0xD9)
                return false;
            *len = n - 2 - *start;
            return true;
        }
        i += 2 + seg;
    }
    return false;
}

/* Reads the file's coefficients with libjpeg, writes them again with
 * libjpeg and compares both scans. */
static void check_against_libjpeg(const gp_jb_file *file, int w, int h, const char *what)
{
    struct jpeg_decompress_struct d;
    jerr de = {0};
    d.err = jpeg_std_error(&de.mgr);
    de.mgr.error_exit = on_error;
    de.mgr.emit_message = on_message;
    struct jpeg_compress_struct c;
    jerr ce = {0};
    memset(&c, 0, sizeof c);
    unsigned char *again = NULL;
    unsigned long again_len = 0;
    if (setjmp(de.jump)) {
        CHECK(0, "%s: libjpeg refuses the file", what);
        jpeg_destroy_decompress(&d);
        return;
    }
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, file->data, (unsigned long)file->len);
    jpeg_read_header(&d, TRUE);
    CHECK((int)d.image_width == w && (int)d.image_height == h, "%s: %ux%u", what, d.image_width, d.image_height);
    CHECK(d.num_components == 3 && d.jpeg_color_space == JCS_YCbCr, "%s: YCbCr", what);
    for (int i = 0; i < d.num_components; i++)
        CHECK(d.comp_info[i].h_samp_factor == 1 && d.comp_info[i].v_samp_factor == 1, "%s: 4:4:4", what);
    CHECK(d.saw_JFIF_marker && d.density_unit == 1 && d.X_density == 300 && d.Y_density == 300, "%s: JFIF 300 dpi",
          what);
    CHECK(!d.progressive_mode && d.restart_interval == 0, "%s: sequential, no restarts", what);
    jvirt_barray_ptr *coefs = jpeg_read_coefficients(&d);
    CHECK(de.warnings == 0, "%s: libjpeg reads it without a warning (%d)", what, de.warnings);

    c.err = jpeg_std_error(&ce.mgr);
    ce.mgr.error_exit = on_error;
    if (setjmp(ce.jump)) {
        CHECK(0, "%s: libjpeg cannot write the coefficients again", what);
    } else {
        jpeg_create_compress(&c);
        jpeg_mem_dest(&c, &again, &again_len);
        jpeg_copy_critical_parameters(&d, &c);
        c.optimize_coding = FALSE;
        /* libjpeg's standard Huffman tables, as the writer uses. */
        jpeg_write_coefficients(&c, coefs);
        jpeg_finish_compress(&c);
        size_t s1 = 0, l1 = 0, s2 = 0, l2 = 0;
        CHECK(find_scan(file->data, file->len, &s1, &l1) && find_scan(again, again_len, &s2, &l2), "%s: scans", what);
        CHECK(l1 == l2 && memcmp(file->data + s1, again + s2, l1) == 0,
              "%s: the scan is what libjpeg writes for the same coefficients (%zu vs %zu bytes)", what, l1, l2);
    }
    jpeg_destroy_compress(&c);
    free(again);
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
}

static double psnr(const unsigned char *a, const uint32_t *orig, int w, int h)
{
    double se = 0;
    for (int i = 0; i < w * h; i++)
        for (int c = 0; c < 3; c++) {
            double d = a[3 * i + c] - (double)((orig[i] >> (16 - 8 * c)) & 0xFF);
            se += d * d;
        }
    double mse = se / (w * h * 3.0);
    return mse > 0 ? 10 * log10(255.0 * 255.0 / mse) : 99;
}

static void check_file(const gp_jb_tables *t, int w, int h)
{
    char what[64];
    snprintf(what, sizeof what, "%dx%d", w, h);
    uint32_t *img = make_image(w, h);
    gp_jb_bits scan;
    gp_jb_bits_init(&scan);
    gp_jb_file file = {0};
    gp_error *err = NULL;
    CHECK(gp_jb_encode_pixels(t, img, (size_t)w, w, h, &scan, &err) == GP_OK, "%s: encodes", what);
    CHECK(gp_jb_file_build(&file, t, w, h, 300, &scan, &err) == GP_OK, "%s: file", what);
    check_against_libjpeg(&file, w, h, what);

    tjhandle tj = tjInitDecompress();
    int dw, dh, ss, cs;
    unsigned char *rgb = malloc((size_t)w * (size_t)h * 3);
    CHECK(tjDecompressHeader3(tj, file.data, (unsigned long)file.len, &dw, &dh, &ss, &cs) == 0 && ss == TJSAMP_444,
          "%s: turbojpeg sees 4:4:4", what);
    CHECK(tjDecompress2(tj, file.data, (unsigned long)file.len, rgb, w, 0, h, TJPF_RGB, TJFLAG_STOPONWARNING) == 0,
          "%s: turbojpeg decodes it strictly: %s", what, tjGetErrorStr2(tj));
    double mine = psnr(rgb, img, w, h);
    /* libjpeg's own file of the same pixels at the same quality. */
    unsigned char *src = malloc((size_t)w * (size_t)h * 3);
    for (int i = 0; i < w * h; i++)
        for (int c = 0; c < 3; c++)
            src[3 * i + c] = (unsigned char)((img[i] >> (16 - 8 * c)) & 0xFF);
    tjhandle tc = tjInitCompress();
    unsigned char *ref = NULL;
    unsigned long ref_len = 0;
    CHECK(tjCompress2(tc, src, w, 0, h, TJPF_RGB, &ref, &ref_len, TJSAMP_444, 95, 0) == 0, "libjpeg encodes");
    CHECK(tjDecompress2(tj, ref, ref_len, rgb, w, 0, h, TJPF_RGB, 0) == 0, "libjpeg decodes its own");
    double theirs = psnr(rgb, img, w, h);
    CHECK(mine >= theirs - 0.5, "%s: %.2f dB against the pixels, libjpeg %.2f dB", what, mine, theirs);
    /* Exif with the resolution after JFIF. */
    CHECK(file.len > 40 && file.data[20] == 0xFF && file.data[21] == 0xE1 && memcmp(file.data + 24, "Exif\0\0", 6) == 0,
          "%s: Exif APP1 after JFIF", what);
    tjFree(ref);
    tjDestroy(tc);
    free(src);
    free(rgb);
    tjDestroy(tj);
    gp_jb_file_free(&file);
    gp_jb_bits_free(&scan);
    free(img);
}

/* ---- splicing */

static void check_splicing(const gp_jb_tables *t)
{
    uint32_t *img = make_image(160, 16);
    gp_jb_mcu mcus[40];
    for (int i = 0; i < 40; i++)
        gp_jb_fdct(t, img + (size_t)(i / 20) * 8 * 160 + (size_t)(i % 20) * 8, 160, &mcus[i]);
    gp_jb_bits straight, spliced, run;
    gp_jb_bits_init(&straight);
    gp_jb_bits_init(&spliced);
    gp_jb_bits_init(&run);
    int pred[3] = {0, 0, 0};
    for (int i = 0; i < 40; i++)
        gp_jb_encode_mcu(&straight, t, &mcus[i], pred);
    size_t total;
    gp_jb_bits_seal(&straight, &total);
    /* Runs of every length 1..7 cut the sequence at shifting bit offsets;
     * each run is coded with its own DC chain, as a precoded run would be,
     * after its first MCU is coded in place. */
    int sp[3] = {0, 0, 0};
    int i = 0, len = 1;
    while (i < 40) {
        int n = len < 40 - i ? len : 40 - i;
        gp_jb_encode_mcu(&spliced, t, &mcus[i], sp);
        if (n > 1) {
            /* All runs in one buffer, one after the other, as the job keeps them. */
            size_t offset = run.len;
            int rp[3] = {mcus[i].c[0][0], mcus[i].c[1][0], mcus[i].c[2][0]};
            for (int k = 1; k < n; k++)
                gp_jb_encode_mcu(&run, t, &mcus[i + k], rp);
            size_t nbits;
            gp_jb_bits_seal(&run, &nbits);
            gp_jb_bits_append(&spliced, run.data + offset, nbits);
            for (int c = 0; c < 3; c++)
                sp[c] = rp[c];
        }
        i += n;
        len = len % 7 + 1;
    }
    size_t total2;
    gp_jb_bits_seal(&spliced, &total2);

    /* Pieces of a coded run cut at any bit and put together again. */
    gp_jb_bits again, whole;
    gp_jb_bits_init(&again);
    gp_jb_bits_init(&whole);
    size_t at[41];
    int wp[3] = {0, 0, 0};
    for (int k = 0; k < 40; k++) {
        at[k] = gp_jb_bits_count(&whole);
        gp_jb_encode_mcu(&whole, t, &mcus[k], wp);
    }
    size_t whole_bits;
    gp_jb_bits_seal(&whole, &whole_bits);
    at[40] = whole_bits;
    for (int a = 0; a < 40; a += 3) {
        gp_jb_bits_reset(&again);
        gp_jb_bits_append_from(&again, whole.data, 0, at[a]);
        gp_jb_bits_append_from(&again, whole.data, at[a], at[a + 1] - at[a]);
        gp_jb_bits_append_from(&again, whole.data, at[a + 1], at[40] - at[a + 1]);
        size_t n;
        gp_jb_bits_seal(&again, &n);
        CHECK(n == whole_bits && memcmp(again.data, whole.data, whole.len) == 0, "cut at MCU %d and put together", a);
    }
    gp_jb_bits_free(&again);
    gp_jb_bits_free(&whole);
    CHECK(total == total2 && straight.len == spliced.len && memcmp(straight.data, spliced.data, straight.len) == 0,
          "spliced runs equal the straight scan (%zu vs %zu bits)", total, total2);
    gp_jb_bits_free(&straight);
    gp_jb_bits_free(&spliced);
    gp_jb_bits_free(&run);
    free(img);
}

int main(void)
{
    make_zigzag();
    gp_jb_tables t;
    gp_error *err = NULL;
    REQUIRE(gp_jb_tables_init(&t, 95, &err) == GP_OK, "tables");
    CHECK(gp_jb_tables_init(&t, 0, &err) == GP_E_USAGE, "quality 0 refused");
    gp_error_free(err);
    err = NULL;
    REQUIRE(gp_jb_tables_init(&t, 95, &err) == GP_OK, "tables");
    check_transform(&t);
    check_splicing(&t);
    check_file(&t, 64, 48);
    check_file(&t, 13, 9);    /* partial blocks on both edges */
    check_file(&t, 1, 1);
    check_file(&t, 333, 251); /* enough data for 0xFF bytes to be stuffed */
    gp_jb_tables t92;
    REQUIRE(gp_jb_tables_init(&t92, 92, &err) == GP_OK, "q92 tables");
    CHECK(t92.quant_zigzag[0][0] >= t.quant_zigzag[0][0], "q92 quantises no finer than q95");
    return gp_test_done();
}
