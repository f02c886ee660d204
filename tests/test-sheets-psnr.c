/* Sheets assembled in the DCT domain against today's path: the same
 * record drawn with cairo onto a whole page (the pixels today's path
 * makes) and written with libjpeg (turbojpeg, q95, 4:4:4), as the JPEG
 * driver did before. The files are decoded here with turbojpeg, strictly,
 * and compared:
 *  - every photo slot, the old one where the template puts it and the new
 *    one on the block grid (the nearest multiple of 8 pixels, computed
 *    here), at PSNR >= 45 dB against today's pixels, and no further from
 *    them than today's own JPEG is (two independent q95 files differ from
 *    each other by both their errors, ~44 dB, which is why the bar is set
 *    against the pixels); a mirrored, cropped or shifted photo would be far
 *    below;
 *  - the label (the text and QR boxes of the template) likewise;
 *  - paper beside every slot, sizes, 4:4:4 and the JFIF density.
 * Run on the bundled samples (realistic photos and names) for each photo
 * sheet template, at 300, 320 and 254 dpi. */
#include <dirent.h>
#include <stdint.h>
#include <turbojpeg.h>

#include "gp-test-pdf.h"
#include "gp-test.h"
#include "gradprint.h"
#include "jobs/fields-private.h"
#include "layout/layout-private.h"
#include "photo/photo-private.h"
#include "render/render-private.h"
#include "roster/roster-private.h"
#include "sheets-fixture.h"

static gp_context *ctx;

static int px_of(double mm, int dpi) { return (int)floor(mm * dpi / 25.4 + 0.5); }
static int on_grid(int px) { return px % 8 <= 4 ? px - px % 8 : px + 8 - px % 8; }

typedef struct image {
    unsigned char *rgb;
    int w, h;
} image;

static double psnr(const image *a, int ax, int ay, const image *b, int bx, int by, int w, int h)
{
    double se = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) {
                double d = (double)a->rgb[3 * ((size_t)(ay + y) * (size_t)a->w + (size_t)(ax + x)) + (size_t)c] -
                           b->rgb[3 * ((size_t)(by + y) * (size_t)b->w + (size_t)(bx + x)) + (size_t)c];
                se += d * d;
            }
    double mse = se / ((double)w * h * 3);
    return mse > 0 ? 10 * log10(255.0 * 255.0 / mse) : 99.0;
}

/* PSNR over a rectangle in place, leaving out the pixels within near_px of
 * any photo slot (old place), where the cut guides moved with the slots. */
static double psnr_apart(const image *a, const image *b, int x0, int y0, int x1, int y1, const int (*slots)[4],
                         int nslots, int near_px)
{
    double se = 0;
    long n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            bool near = false;
            for (int k = 0; k < nslots && !near; k++)
                near = x >= slots[k][0] - near_px && x < slots[k][2] + near_px && y >= slots[k][1] - near_px &&
                       y < slots[k][3] + near_px;
            if (near)
                continue;
            for (int c = 0; c < 3; c++) {
                double d = (double)a->rgb[3 * ((size_t)y * (size_t)a->w + (size_t)x) + (size_t)c] -
                           b->rgb[3 * ((size_t)y * (size_t)b->w + (size_t)x) + (size_t)c];
                se += d * d;
            }
            n++;
        }
    double mse = n > 0 ? se / ((double)n * 3) : 0;
    return mse > 0 ? 10 * log10(255.0 * 255.0 / mse) : 99.0;
}

static bool decode(const unsigned char *jpeg, size_t size, image *out, const char *what)
{
    tjhandle tj = tjInitDecompress();
    int ss = -1, cs;
    bool ok = tjDecompressHeader3(tj, jpeg, (unsigned long)size, &out->w, &out->h, &ss, &cs) == 0;
    CHECK(ok && ss == TJSAMP_444, "%s: 4:4:4 (%d)", what, ss);
    out->rgb = ok ? malloc((size_t)out->w * (size_t)out->h * 3) : NULL;
    ok = ok && tjDecompress2(tj, jpeg, (unsigned long)size, out->rgb, out->w, 0, out->h, TJPF_RGB,
                             TJFLAG_STOPONWARNING) == 0;
    CHECK(ok, "%s: decodes strictly", what);
    tjDestroy(tj);
    return ok;
}

/* Today's path: the layout on a whole cairo page, libjpeg q95 4:4:4. */
static bool old_sheet(const gp_template *tpl, const gp_record *r, const char *school, int dpi, image *out, image *raw)
{
    gp_text_engine *text = NULL;
    REQUIRE(gp_text_engine_new(ctx, &text, NULL) == GP_OK, "text engine");
    gp_layout layout;
    gp_layout_init(&layout);
    gp_job_fields fields = {r, school};
    gp_layout_build(tpl, gp_job_field, &fields, text, &layout, NULL, NULL, 0, NULL);
    char *path = gp_photo_find(GP_SOURCE_DIR "/samples/photos", gp_record_key(r, GP_KEY_ID_NUMBER));
    gp_photo *photo = NULL;
    cairo_surface_t *pixels = NULL;
    REQUIRE(path != NULL && gp_photo_load(path, &photo, NULL) == GP_OK && gp_photo_decode(photo, 1, &pixels, NULL) == GP_OK,
            "photo of %s", gp_record_key(r, GP_KEY_STUDENT_NO));
    int w = px_of(tpl->page_w_mm, dpi), h = px_of(tpl->page_h_mm, dpi);
    cairo_surface_t *page = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(page);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 25.4, dpi / 25.4);
    gp_render_env env;
    gp_render_env_init(&env, text, true);
    gp_render_env_set_photo(&env, photo, pixels);
    CHECK(gp_render_layout(cr, &layout, &env, NULL) == GP_OK, "old path renders");
    gp_render_env_free(&env);
    cairo_destroy(cr);
    cairo_surface_flush(page);
    tjhandle tc = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long size = 0;
    bool ok = tjCompress2(tc, cairo_image_surface_get_data(page), w, cairo_image_surface_get_stride(page), h,
                          TJPF_BGRX, &jpeg, &size, TJSAMP_444, 95, 0) == 0;
    CHECK(ok, "libjpeg encodes the old page");
    raw->w = w, raw->h = h;
    raw->rgb = malloc((size_t)w * (size_t)h * 3);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t p = ((uint32_t *)(void *)(cairo_image_surface_get_data(page) + (size_t)y * (size_t)cairo_image_surface_get_stride(page)))[x];
            raw->rgb[3 * ((size_t)y * (size_t)w + (size_t)x)] = (unsigned char)(p >> 16);
            raw->rgb[3 * ((size_t)y * (size_t)w + (size_t)x) + 1] = (unsigned char)(p >> 8);
            raw->rgb[3 * ((size_t)y * (size_t)w + (size_t)x) + 2] = (unsigned char)p;
        }
    ok = ok && decode(jpeg, size, out, "old sheet");
    tjFree(jpeg);
    tjDestroy(tc);
    cairo_surface_destroy(page);
    cairo_surface_destroy(pixels);
    gp_photo_free(photo);
    free(path);
    gp_layout_free(&layout);
    gp_text_engine_free(text);
    return ok;
}

/* The sheet file of a student number somewhere under dir. */
static char *find_sheet(const char *dir, const char *student_no)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return NULL;
    char suffix[64], *found = NULL;
    snprintf(suffix, sizeof suffix, "_%s.jpg", student_no);
    struct dirent *e;
    while (found == NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t n = strlen(e->d_name), m = strlen(suffix);
        if (n > m && strcmp(e->d_name + n - m, suffix) == 0)
            found = strdup(path);
        else if (strchr(e->d_name, '.') == NULL)
            found = find_sheet(path, student_no);
    }
    closedir(d);
    return found;
}

static bool is_white_px(const image *im, int x, int y)
{
    const unsigned char *p = im->rgb + 3 * ((size_t)y * (size_t)im->w + (size_t)x);
    return p[0] > 235 && p[1] > 235 && p[2] > 235;
}

static void compare(const char *template_name, int dpi)
{
    char *tpl_path = gp_context_find_template(ctx, template_name);
    gp_template *tpl = NULL;
    REQUIRE(tpl_path != NULL && gp_template_load(ctx, tpl_path, &tpl, NULL) == GP_OK, "%s", template_name);
    char *dir = fixture_tempdir();
    char out[1100], roster_path[1100];
    snprintf(out, sizeof out, "%s/out", dir);
    /* The samples' first 9 students: enough classes and names, a short run. */
    snprintf(roster_path, sizeof roster_path, "%s/roster.csv", dir);
    {
        FILE *in = fopen(GP_SOURCE_DIR "/samples/roster.csv", "rb"), *to = fopen(roster_path, "wb");
        REQUIRE(in != NULL && to != NULL, "roster copy");
        char line[4096];
        for (int n = 0; n < 10 && fgets(line, sizeof line, in) != NULL; n++)
            fputs(line, to);
        fclose(in);
        fclose(to);
    }
    gp_sheets_options o;
    gp_sheets_options_init(&o);
    o.roster_path = roster_path;
    o.photos_dir = GP_SOURCE_DIR "/samples/photos";
    o.out_dir = out;
    o.template_path = tpl_path;
    o.dpi = dpi;
    gp_error *err = NULL;
    REQUIRE(gp_sheets_run(ctx, &o, NULL, &err) == GP_OK, "%s at %d dpi: %s", template_name, dpi,
            err ? gp_error_message(err) : "");
    gp_roster *roster = NULL;
    REQUIRE(gp_roster_load(ctx, o.roster_path, NULL, &roster, NULL) == GP_OK, "roster");
    double worst_slot = 99, worst_label = 99, worst_today = 99, worst_files = 99;
    int page_w = px_of(tpl->page_w_mm, dpi), page_h = px_of(tpl->page_h_mm, dpi);
    for (size_t i = 0; i < gp_roster_size(roster); i += 3) {
        const gp_record *r = gp_roster_record(roster, i);
        char sheets[1200];
        snprintf(sheets, sizeof sheets, "%s/sheets", out);
        char *path = find_sheet(sheets, gp_record_key(r, GP_KEY_STUDENT_NO));
        REQUIRE(path != NULL, "sheet of %s", gp_record_key(r, GP_KEY_STUDENT_NO));
        size_t size = 0;
        unsigned char *jpeg = gp_pdf_slurp(path, &size);
        image now = {0}, before = {0}, raw = {0};
        REQUIRE(jpeg != NULL && decode(jpeg, size, &now, path), "new sheet");
        CHECK(now.w == page_w && now.h == page_h, "%s: %dx%d, expected %dx%d", path, now.w, now.h, page_w, page_h);
        int units, dx, dy;
        CHECK(fixture_jfif_density(path, &units, &dx, &dy) && units == 1 && dx == dpi && dy == dpi, "JFIF %d dpi", dpi);
        REQUIRE(old_sheet(tpl, r, tpl->school, dpi, &before, &raw), "old sheet");

        /* Photo slots: old place against new place, pixel for pixel. */
        int slots[64][4], nslots = 0;
        for (size_t e = 0; e < tpl->count; e++) {
            const gp_element *el = &tpl->elements[e];
            if (el->kind != GP_EL_PHOTO)
                continue;
            int x = px_of(el->box.x, dpi), y = px_of(el->box.y, dpi);
            int w = px_of(el->box.w, dpi), h = px_of(el->box.h, dpi);
            int nx = on_grid(x), ny = on_grid(y);
            if (nslots < 64) {
                slots[nslots][0] = x, slots[nslots][1] = y, slots[nslots][2] = x + w, slots[nslots][3] = y + h;
                nslots++;
            }
            CHECK(abs(nx - x) <= 4 && abs(ny - y) <= 4, "moved at most 4 px");
            double q = psnr(&raw, x, y, &now, nx, ny, w, h), today = psnr(&raw, x, y, &before, x, y, w, h);
            double files = psnr(&before, x, y, &now, nx, ny, w, h);
            worst_slot = q < worst_slot ? q : worst_slot;
            worst_files = files < worst_files ? files : worst_files;
            worst_today = today < worst_today ? today : worst_today;
            CHECK(q >= 45 && q >= today - 0.5, "%s %s slot at %d,%d (now %d,%d): %.2f dB, today's file %.2f dB",
                  template_name, gp_record_key(r, GP_KEY_STUDENT_NO), x, y, nx, ny, q, today);
            /* The same slot mirrored would not match: the check can fail. */
            double mirrored = 0;
            {
                image flip = {malloc((size_t)w * (size_t)h * 3), w, h};
                for (int yy = 0; yy < h; yy++)
                    for (int xx = 0; xx < w; xx++)
                        memcpy(flip.rgb + 3 * ((size_t)yy * (size_t)w + (size_t)xx),
                               now.rgb + 3 * ((size_t)(ny + yy) * (size_t)now.w + (size_t)(nx + w - 1 - xx)), 3);
                mirrored = psnr(&raw, x, y, &flip, 0, 0, w, h);
                free(flip.rgb);
            }
            CHECK(mirrored < 35, "a mirrored photo is told apart (%.2f dB)", mirrored);
            /* Outside the new slot, a pixel beyond the photo is paper. */
            if (nx + w + 2 < page_w)
                CHECK(is_white_px(&now, nx + w + 1, ny + h / 2), "paper right of the slot");
            if (nx >= 2)
                CHECK(is_white_px(&now, nx - 2, ny + h / 2), "paper left of the slot");
        }
        /* The label: the bounding box of the text and QR boxes, in place. */
        double lx0 = 1e9, ly0 = 1e9, lx1 = -1e9, ly1 = -1e9;
        for (size_t e = 0; e < tpl->count; e++) {
            const gp_element *el = &tpl->elements[e];
            if (el->kind != GP_EL_TEXT && el->kind != GP_EL_QRCODE)
                continue;
            lx0 = fmin(lx0, el->box.x), ly0 = fmin(ly0, el->box.y);
            lx1 = fmax(lx1, el->box.x + el->box.w), ly1 = fmax(ly1, el->box.y + el->box.h);
        }
        int x0 = px_of(lx0, dpi), y0 = px_of(ly0, dpi), x1 = px_of(lx1, dpi), y1 = px_of(ly1, dpi);
        /* Cut guides: 2 mm from 0.3 mm off each corner, moved with the slot. */
        int near_px = px_of(3.0, dpi);
        double q = psnr_apart(&raw, &now, x0, y0, x1, y1, (const int(*)[4])slots, nslots, near_px);
        double today = psnr_apart(&raw, &before, x0, y0, x1, y1, (const int(*)[4])slots, nslots, near_px);
        worst_label = q < worst_label ? q : worst_label;
        CHECK(q >= 45 && q >= today - 0.5, "%s %s label: %.2f dB, today's file %.2f dB", template_name,
              gp_record_key(r, GP_KEY_STUDENT_NO), q, today);
        free(raw.rgb);
        free(before.rgb);
        free(now.rgb);
        free(jpeg);
        free(path);
    }
    printf("%s at %d dpi, against today's pixels: worst slot %.2f dB (today's file %.2f dB), worst label %.2f dB; "
           "against today's file: worst slot %.2f dB\n",
           template_name, dpi, worst_slot, worst_today, worst_label, worst_files);
    gp_roster_free(roster);
    gp_template_free(tpl);
    free(tpl_path);
    fixture_remove(dir);
    free(dir);
}

int main(void)
{
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context");
    compare("photo-sheet-7in", 300);
    compare("photo-sheet-7in", 320);
    compare("photo-sheet-6in", 300);
    compare("photo-sheet-7in-large", 254);
    gp_context_free(ctx);
    return gp_test_done();
}
