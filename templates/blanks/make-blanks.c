/* gradprint-make-blanks: draws gradprint's OWN sample certificate blanks and
 * sample signatures, for proofs, calibration and tests.
 *
 * These are not copies of any real certificate: the border is a pattern of
 * sine curves made up here, every page says "SAMPLE 样张", and nothing on
 * them is personal data. A school proofs on a scan or PDF of its own blank
 * (every school has designed its own blanks since 2016); these only stand
 * in for one.
 *
 * The labels below are the one table both sides follow: each label is set
 * flush right in its box, colons in a column as on printed forms, and the
 * field it names starts where the box ends (x + w), at the same y and
 * height. The certificate templates beside this directory state the same
 * coordinates; test-template-cert checks them against the PDFs written
 * here.
 *
 *   gradprint-make-blanks OUTDIR
 *
 * writes OUTDIR/diploma-blank.pdf, degree-blank.pdf, signature-president.png
 * and signature-chair.png, and prints the field boxes the labels imply. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#define PT_PER_MM (72.0 / 25.4)
#define MM_PER_PT (25.4 / 72.0)

/* Faces the blanks are set in (Debian: fonts-noto-cjk, fonts-lxgw-wenkai). */
#define LABEL_FONT "Noto Serif CJK SC"
#define TITLE_FONT "Noto Serif CJK SC"
#define SIGN_FONT "LXGW WenKai"

typedef enum label_kind {
    LABEL_TEXT,  /* a printed caption, flush right; the field follows at x + w */
    LABEL_TITLE, /* the title, centred in its box */
    LABEL_PHOTO, /* a frame where the photo goes, captioned inside */
    LABEL_NOTE   /* small print, centred */
} label_kind;

typedef struct label {
    label_kind kind;
    const char *text;
    double x, y, w, h; /* mm from the blank's top-left corner */
    double size_pt;
} label;

typedef struct blank {
    const char *file;
    const char *title; /* PDF metadata */
    double w, h;       /* mm */
    double ink[3];     /* the border's colour */
    const label *labels;
    size_t nlabels;
} blank;

/* 毕业证书, 270 x 190 mm. Fields: 校名 → x 166..240, y 120..130;
 * 校（院）长 → x 166..206, y 133..143; 证书编号 → x 50..112, y 150..159. */
static const label diploma_labels[] = {
    {LABEL_TITLE, "毕业证书", 60, 24, 150, 18, 30},
    {LABEL_PHOTO, "照片", 30, 50, 33, 48, 10},
    {LABEL_TEXT, "校　名：", 136, 120, 30, 10, 12},
    {LABEL_TEXT, "校（院）长：", 136, 133, 30, 10, 12},
    {LABEL_TEXT, "证书编号：", 30, 150, 20, 9, 11},
    {LABEL_NOTE, "gradprint 自绘样张，仅供打样与校准，不是学历证书", 35, 162, 200, 6, 8},
};

/* 学士学位证书, 260 x 185 mm. Fields: 学位评定委员会主席 → x 164..204,
 * y 118..128; 证书编号 → x 48..104, y 146..155. */
static const label degree_labels[] = {
    {LABEL_TITLE, "学士学位证书", 55, 24, 150, 18, 30},
    {LABEL_PHOTO, "照片", 28, 50, 33, 48, 10},
    {LABEL_TEXT, "学位评定委员会主席：", 120, 118, 44, 10, 12},
    {LABEL_TEXT, "证书编号：", 28, 146, 20, 9, 11},
    {LABEL_NOTE, "gradprint 自绘样张，仅供打样与校准，不是学位证书", 30, 158, 200, 6, 8},
};

static const blank blanks[] = {
    {"diploma-blank.pdf", "gradprint sample diploma blank (毕业证书样张)", 270, 190, {0.16, 0.45, 0.42},
     diploma_labels, sizeof diploma_labels / sizeof diploma_labels[0]},
    {"degree-blank.pdf", "gradprint sample degree certificate blank (学士学位证书样张)", 260, 185, {0.55, 0.22, 0.16},
     degree_labels, sizeof degree_labels / sizeof degree_labels[0]},
};

/* ---- text ----------------------------------------------------------- */

static PangoLayout *make_layout(cairo_t *cr, const char *family, double size_pt, const char *text)
{
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *font = pango_font_description_new();
    pango_font_description_set_family(font, family);
    /* The context's user unit is the millimetre. */
    pango_font_description_set_absolute_size(font, size_pt * MM_PER_PT * PANGO_SCALE);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    pango_layout_set_text(layout, text, -1);
    return layout;
}

static void letter_space(PangoLayout *layout, double mm)
{
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_letter_spacing_new((int)(mm * PANGO_SCALE)));
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
}

typedef enum across { ACROSS_CENTRE, ACROSS_RIGHT } across;

/* Draws text in the box: centred or flush right across, centred down (by
 * the line's logical height, as the engine sets field text). */
static void draw_text(cairo_t *cr, const char *family, double size_pt, const char *text, double x, double y,
                      double w, double h, across how, double spacing_mm)
{
    PangoLayout *layout = make_layout(cr, family, size_pt, text);
    if (spacing_mm > 0)
        letter_space(layout, spacing_mm);
    PangoRectangle ink, logical;
    pango_layout_get_extents(layout, &ink, &logical);
    double lw = logical.width / (double)PANGO_SCALE - spacing_mm, lh = logical.height / (double)PANGO_SCALE;
    double left = how == ACROSS_CENTRE ? x + (w - lw) / 2 : x + w - lw;
    cairo_move_to(cr, left, y + (h - lh) / 2);
    pango_cairo_show_layout(cr, layout);
    g_object_unref(layout);
}

/* ---- the border ----------------------------------------------------- */

/* A point and outward normal at arc length s along a rounded rectangle
 * inset by d from a w x h page with corner radius r. */
static void rounded_rect_at(double w, double h, double d, double r, double s, double *px, double *py,
                            double *nx, double *ny)
{
    double top = w - 2 * d - 2 * r, side = h - 2 * d - 2 * r, arc = M_PI * r / 2;
    double segs[8] = {top, arc, side, arc, top, arc, side, arc};
    int i = 0;
    while (i < 7 && s > segs[i]) {
        s -= segs[i];
        i++;
    }
    double cx[4] = {w - d - r, w - d - r, d + r, d + r}, cy[4] = {d + r, h - d - r, h - d - r, d + r};
    switch (i) {
    case 0:
        *px = d + r + s, *py = d, *nx = 0, *ny = -1;
        return;
    case 2:
        *px = w - d, *py = d + r + s, *nx = 1, *ny = 0;
        return;
    case 4:
        *px = w - d - r - s, *py = h - d, *nx = 0, *ny = 1;
        return;
    case 6:
        *px = d, *py = h - d - r - s, *nx = -1, *ny = 0;
        return;
    default: {
        int c = i / 2;
        double a = -M_PI / 2 + c * M_PI / 2 + s / r;
        *nx = cos(a), *ny = sin(a);
        *px = cx[c] + r * *nx, *py = cy[c] + r * *ny;
        return;
    }
    }
}

/* Two families of sine curves around the page between frames at 7 and 17
 * mm: they cross and weave like the guilloché of security printing, and a
 * photocopy blurs them. Wave counts are whole, so every curve closes. */
static void draw_border(cairo_t *cr, const blank *bk)
{
    const double d = 12, r = 8, step = 0.9;
    double top = bk->w - 2 * d - 2 * r, side = bk->h - 2 * d - 2 * r;
    double length = 2 * top + 2 * side + 2 * M_PI * r;
    int waves1 = (int)lround(length / 7.0), waves2 = (int)lround(length / 11.0);
    cairo_set_source_rgb(cr, bk->ink[0], bk->ink[1], bk->ink[2]);
    cairo_set_line_width(cr, 0.5);
    cairo_rectangle(cr, 7, 7, bk->w - 14, bk->h - 14);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 0.3);
    cairo_rectangle(cr, 17, 17, bk->w - 34, bk->h - 34);
    cairo_stroke(cr);

    cairo_set_line_width(cr, 0.12);
    for (int family = 0; family < 2; family++) {
        int curves = family == 0 ? 6 : 4;
        for (int k = 0; k < curves; k++) {
            double phase = 2 * M_PI * k / curves;
            int n = (int)ceil(length / step);
            for (int i = 0; i <= n; i++) {
                double s = length * i / n, t = 2 * M_PI * s / length;
                double off = family == 0 ? 4.2 * sin(waves1 * t + phase)
                                         : 2.6 * sin(waves2 * t + phase) + 1.2 * sin(3 * waves2 * t - phase);
                double px, py, nx, ny;
                rounded_rect_at(bk->w, bk->h, d, r, fmin(s, length - 1e-9), &px, &py, &nx, &ny);
                if (i == 0)
                    cairo_move_to(cr, px + off * nx, py + off * ny);
                else
                    cairo_line_to(cr, px + off * nx, py + off * ny);
            }
            cairo_close_path(cr);
            cairo_stroke(cr);
        }
    }
}

/* ---- a blank -------------------------------------------------------- */

static void draw_watermark(cairo_t *cr, const blank *bk)
{
    cairo_save(cr);
    cairo_translate(cr, bk->w / 2, bk->h / 2);
    cairo_rotate(cr, -18 * M_PI / 180);
    cairo_set_source_rgba(cr, bk->ink[0], bk->ink[1], bk->ink[2], 0.10);
    draw_text(cr, LABEL_FONT, 72, "SAMPLE 样张", -bk->w / 2, -20, bk->w, 40, ACROSS_CENTRE, 0);
    cairo_restore(cr);
}

static void draw_label(cairo_t *cr, const label *l)
{
    switch (l->kind) {
    case LABEL_TITLE:
        cairo_set_source_rgb(cr, 0.55, 0.10, 0.10);
        draw_text(cr, TITLE_FONT, l->size_pt, l->text, l->x, l->y, l->w, l->h, ACROSS_CENTRE, 4);
        break;
    case LABEL_PHOTO: {
        static const double dash[] = {1.2, 0.8};
        cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
        cairo_set_line_width(cr, 0.2);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_rectangle(cr, l->x, l->y, l->w, l->h);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        draw_text(cr, LABEL_FONT, l->size_pt, l->text, l->x, l->y, l->w, l->h, ACROSS_CENTRE, 0);
        break;
    }
    case LABEL_TEXT:
        cairo_set_source_rgb(cr, 0.30, 0.30, 0.30);
        draw_text(cr, LABEL_FONT, l->size_pt, l->text, l->x, l->y, l->w, l->h, ACROSS_RIGHT, 0);
        break;
    case LABEL_NOTE:
        cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
        draw_text(cr, LABEL_FONT, l->size_pt, l->text, l->x, l->y, l->w, l->h, ACROSS_CENTRE, 0);
        break;
    }
}

static int write_blank(const char *dir, const blank *bk)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, bk->file);
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, bk->w * PT_PER_MM, bk->h * PT_PER_MM);
    /* Fixed metadata, so drawing the same blank twice gives the same file. */
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE, bk->title);
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATOR, "gradprint-make-blanks");
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATE_DATE, "2025-01-01T00:00:00Z");
    cairo_t *cr = cairo_create(pdf);
    cairo_scale(cr, PT_PER_MM, PT_PER_MM);
    cairo_set_source_rgb(cr, 1, 0.995, 0.975);
    cairo_paint(cr);
    draw_watermark(cr, bk);
    draw_border(cr, bk);
    for (size_t i = 0; i < bk->nlabels; i++)
        draw_label(cr, &bk->labels[i]);
    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(pdf);
    cairo_surface_destroy(pdf);
    if (st != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "gradprint-make-blanks: %s: %s\n", path, cairo_status_to_string(st));
        return 1;
    }
    printf("%s (%g x %g mm)\n", path, bk->w, bk->h);
    for (size_t i = 0; i < bk->nlabels; i++) {
        const label *l = &bk->labels[i];
        if (l->kind == LABEL_TEXT)
            printf("  %-24s label x %g..%g  field x %g, y %g..%g\n", l->text, l->x, l->x + l->w, l->x + l->w,
                   l->y, l->y + l->h);
        else if (l->kind == LABEL_PHOTO)
            printf("  %-24s frame x %g..%g, y %g..%g\n", l->text, l->x, l->x + l->w, l->y, l->y + l->h);
    }
    return 0;
}

/* ---- signatures ----------------------------------------------------- */

typedef struct signature {
    const char *file;
    const char *glyph; /* written large in the middle: obviously a sample */
    double seed;       /* varies the loops */
} signature;

static const signature signatures[] = {
    {"signature-president.png", "样", 0.0},
    {"signature-chair.png", "样", 1.7},
};

/* 2:1, as the templates' signature boxes; 600 x 300 px is 500 dpi at 30 mm. */
#define SIG_W 600
#define SIG_H 300

/* A made-up flourish: a run of loops (a trochoid) that rises and falls,
 * then an underline swash. It imitates no one's hand. */
static void draw_flourish(cairo_t *cr, double seed)
{
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_width(cr, 7);
    int n = 2000;
    for (int i = 0; i <= n; i++) {
        double t = (double)i / n;
        double a = t * (7 + seed) * 2 * M_PI;
        double x = 40 + 520 * t + 38 * cos(a + seed);
        double y = 150 - 60 * sin(M_PI * t + seed) * (0.6 + 0.4 * t) + 42 * sin(a);
        if (i == 0)
            cairo_move_to(cr, x, y);
        else
            cairo_line_to(cr, x, y);
    }
    cairo_stroke(cr);
    cairo_set_line_width(cr, 5);
    cairo_move_to(cr, 60, 250 - 10 * seed);
    cairo_curve_to(cr, 200, 300, 380, 190 + 15 * seed, 580, 235);
    cairo_stroke(cr);
}

static int write_signature(const char *dir, const signature *sig)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, sig->file);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, SIG_W, SIG_H);
    cairo_t *cr = cairo_create(img);
    cairo_set_source_rgba(cr, 0.08, 0.12, 0.35, 0.95);
    draw_flourish(cr, sig->seed);
    /* The glyph in user units of pixels: 1 "mm" here is one pixel. */
    cairo_save(cr);
    cairo_translate(cr, SIG_W / 2.0, SIG_H / 2.0);
    cairo_rotate(cr, -0.15);
    draw_text(cr, SIGN_FONT, 200 * PT_PER_MM, sig->glyph, -150, -140, 300, 280, ACROSS_CENTRE, 0);
    cairo_restore(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_write_to_png(img, path);
    cairo_surface_destroy(img);
    if (st != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "gradprint-make-blanks: %s: %s\n", path, cairo_status_to_string(st));
        return 1;
    }
    printf("%s (%d x %d px, transparent)\n", path, SIG_W, SIG_H);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gradprint-make-blanks OUTDIR\n"
                        "draws gradprint's own sample blanks and signatures into OUTDIR\n");
        return 2;
    }
    int bad = 0;
    for (size_t i = 0; i < sizeof blanks / sizeof blanks[0]; i++)
        bad |= write_blank(argv[1], &blanks[i]);
    for (size_t i = 0; i < sizeof signatures / sizeof signatures[0]; i++)
        bad |= write_signature(argv[1], &signatures[i]);
    /* Let go of the font caches, so a leak checker sees only real leaks. */
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    FcFini();
    return bad;
}
