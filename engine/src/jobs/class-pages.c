#include "class-pages-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/fileio-private.h"

#include "base/strbuf-private.h"

/* These pages are documents for the contractor's staff and the lab in
 * China, so their text is Chinese whatever the operator's locale. */
#define A4_WIDTH_MM 210.0
#define A4_HEIGHT_MM 297.0
#define LIST_MARGIN_MM 18.0
#define LIST_ROW_MM 7.5
#define LIST_HEADER_MM 52.0
#define LIST_FOOTER_MM 22.0
/* Packing lists are PDFs with their fonts embedded. cairo subsets an
 * OpenType/CFF face by copying its whole CFF table (16-24 MB for Noto CJK,
 * ~15 ms a face a file); a TrueType face it reads glyph by glyph (~1.5 ms).
 * Kai (LXGW WenKai, TrueType) is also the face forms are set in. */
#define LIST_FONT "kai"

static void draw_line_of_text(cairo_t *cr, gp_text_engine *text, const char *family, double size_pt, bool bold,
                              gp_align align, double x, double y, double w, double h, const char *s)
{
    if (s == NULL)
        return;
    gp_text_style style = gp_text_style_simple(family, size_pt, bold, align);
    gp_text_metrics m;
    gp_text_measure(text, &style, size_pt, s, &m);
    /* Class names can be long; shrink rather than run off the page. */
    if (m.width_mm > w && m.width_mm > 0)
        size_pt *= w / m.width_mm;
    gp_box box = {x, y, w, h};
    gp_text_draw(text, cr, &style, size_pt, s, &box);
}

/* Where the divider's lines go, as fractions of the page's height: the
 * class number (or code) large, the order, school, college, major, class,
 * head count and what the sheet is. */
static const struct divider_line {
    const char *family;
    double size_pt;
    bool bold;
    double y, h;
} divider_lines[GP_DIVIDER_LINES] = {
    {"sans", 48, true, 0.12, 0.14},  {"sans", 11, false, 0.25, 0.04}, {"song", 14, false, 0.30, 0.06},
    {"song", 16, true, 0.38, 0.07},  {"song", 16, true, 0.46, 0.07},  {"song", 20, true, 0.54, 0.09},
    {"sans", 16, false, 0.66, 0.07}, {"sans", 11, false, 0.80, 0.05},
};

void gp_class_divider_design(const gp_sheets_job *job, gp_divider_design *d)
{
    memset(d, 0, sizeof *d);
    double w = job->sheet_tpl->page_w_mm, h = job->sheet_tpl->page_h_mm;
    /* Solid bands on every edge make the divider visible in a stack of
     * prints: lines as wide as the band along the edges' middles. */
    double band = w * 0.06;
    const gp_box bands[GP_DIVIDER_BANDS] = {
        {0, band / 2, w, 0}, {0, h - band / 2, w, 0}, {band / 2, 0, 0, h}, {w - band / 2, 0, 0, h}};
    for (int i = 0; i < GP_DIVIDER_BANDS; i++) {
        gp_element *el = &d->elements[i];
        el->kind = GP_EL_LINE;
        el->box = bands[i];
        el->line_width_mm = band;
    }
    double x = band * 1.5, tw = w - 3 * band;
    for (int i = 0; i < GP_DIVIDER_LINES; i++) {
        const struct divider_line *l = &divider_lines[i];
        gp_element *el = &d->elements[GP_DIVIDER_BANDS + i];
        el->kind = GP_EL_TEXT;
        el->box = (gp_box){x, h * l->y, tw, h * l->h};
        el->style = gp_text_style_simple(l->family, l->size_pt, l->bold, GP_ALIGN_CENTER);
    }
    d->tpl.name = (char *)"divider";
    d->tpl.page_w_mm = w;
    d->tpl.page_h_mm = h;
    d->tpl.dpi = job->dpi;
    d->tpl.elements = d->elements;
    d->tpl.count = GP_DIVIDER_BANDS + GP_DIVIDER_LINES;
}

void gp_class_divider_layout(const gp_sheets_job *job, const gp_divider_design *d, size_t class_index,
                             gp_text_engine *text, gp_mark marks[GP_DIVIDER_BANDS + GP_DIVIDER_LINES],
                             char texts[GP_DIVIDER_LINES][256], gp_layout *out)
{
    const gp_delivery_class *c = &job->delivery.classes[class_index];
    /* In a lab order the class code, which is the folder's name and the
     * start of every print's name or back print. */
    if (job->lab_mode)
        gp_class_code(class_index, texts[0]);
    else
        snprintf(texts[0], 256, "%03zu", class_index + 1);
    snprintf(texts[1], 256, "%s", job->lab_mode ? job->order_dir : "");
    snprintf(texts[2], 256, "%s", job->school ? job->school : "");
    snprintf(texts[3], 256, "%s", c->college);
    snprintf(texts[4], 256, "%s", c->major);
    snprintf(texts[5], 256, "%s", c->klass);
    snprintf(texts[6], 256, "共 %zu 人", c->count);
    snprintf(texts[7], 256, "%s", "分隔页 · 非学生照片 / DIVIDER");
    size_t n = 0;
    for (int i = 0; i < GP_DIVIDER_BANDS + GP_DIVIDER_LINES; i++) {
        const gp_element *el = &d->elements[i];
        gp_mark *m = &marks[n];
        if (el->kind == GP_EL_LINE) {
            gp_mark_from_element(m, GP_MARK_LINE, el, i);
            n++;
            continue;
        }
        char *s = texts[i - GP_DIVIDER_BANDS];
        if (s[0] == '\0')
            continue;
        gp_mark_from_element(m, GP_MARK_TEXT, el, i);
        m->text = s;
        /* Class names can be long; shrink rather than run off the page. */
        gp_text_metrics metrics;
        m->size_pt = el->style.size_pt;
        gp_text_measure(text, &el->style, m->size_pt, s, &metrics);
        if (metrics.width_mm > el->box.w && metrics.width_mm > 0)
            m->size_pt *= el->box.w / metrics.width_mm;
        n++;
    }
    *out = (gp_layout){.page_w_mm = d->tpl.page_w_mm, .page_h_mm = d->tpl.page_h_mm, .marks = marks, .count = n,
                       .cap = n};
}

gp_status gp_class_divider_render(const gp_sheets_job *job, size_t class_index, gp_driver *jpeg,
                                  gp_sheet_writer *writer, gp_render_env *env, gp_text_engine *text,
                                  const char *path, gp_error **err)
{
    gp_divider_design local;
    const gp_divider_design *d = job->divider;
    if (d == NULL) {
        gp_class_divider_design(job, &local);
        d = &local;
    }
    gp_mark marks[GP_DIVIDER_BANDS + GP_DIVIDER_LINES];
    char texts[GP_DIVIDER_LINES][256];
    gp_layout layout;
    gp_class_divider_layout(job, d, class_index, text, marks, texts, &layout);
    if (writer != NULL) {
        bool done = false;
        gp_status st = gp_sheet_writer_write(writer, &layout, NULL, path, GP_ATOMIC_NO_SYNC, &done, err);
        if (st != GP_OK || done)
            return st;
    }
    gp_page_spec page = {d->tpl.page_w_mm, d->tpl.page_h_mm, path, false};
    cairo_t *cr = NULL;
    gp_status st = gp_driver_begin_page(jpeg, &page, &cr, err);
    if (st == GP_OK)
        st = gp_render_layout(cr, &layout, env, err);
    if (st == GP_OK)
        st = gp_driver_end_page(jpeg, err);
    return st;
}

gp_status gp_class_divider_plan(gp_sheets_job *job, gp_text_engine *text, gp_error **err)
{
    job->divider = malloc(sizeof *job->divider);
    if (job->divider == NULL)
        return gp_error_nomem(err);
    gp_class_divider_design(job, job->divider);
    /* The plan wants the paper's marks, the bands; the text boxes come
     * from the design's elements. */
    gp_mark marks[GP_DIVIDER_BANDS];
    for (int i = 0; i < GP_DIVIDER_BANDS; i++)
        gp_mark_from_element(&marks[i], GP_MARK_LINE, &job->divider->elements[i], i);
    gp_layout bands = {.page_w_mm = job->divider->tpl.page_w_mm, .page_h_mm = job->divider->tpl.page_h_mm,
                       .marks = marks, .count = GP_DIVIDER_BANDS, .cap = GP_DIVIDER_BANDS};
    return gp_sheet_plan_new(&job->divider->tpl, job->dpi, GP_SHEET_JPEG_QUALITY, &bands, text, &job->divider_plan,
                             err);
}

static void draw_list_header(const gp_sheets_job *job, const gp_delivery_class *c, cairo_t *cr,
                             gp_text_engine *text, int page_no, int pages)
{
    double x = LIST_MARGIN_MM, w = A4_WIDTH_MM - 2 * LIST_MARGIN_MM;
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_appendf(&sb, "%s 毕业照片装袋清单", job->school);
    draw_line_of_text(cr, text, LIST_FONT, 16, true, GP_ALIGN_CENTER, x, 14, w, 9, sb.data);
    gp_strbuf_clear(&sb);
    gp_strbuf_appendf(&sb, "%s　%s", c->college, c->major);
    draw_line_of_text(cr, text, LIST_FONT, 11, false, GP_ALIGN_LEFT, x, 27, w, 6, sb.data);
    gp_strbuf_clear(&sb);
    gp_strbuf_appendf(&sb, "班级：%s　　人数：%zu　　第 %d 页 / 共 %d 页", c->klass, c->count, page_no, pages);
    draw_line_of_text(cr, text, LIST_FONT, 11, false, GP_ALIGN_LEFT, x, 34, w, 6, sb.data);
    if (job->lab_mode) {
        char code[8];
        gp_class_code((size_t)(c - job->delivery.classes), code);
        gp_strbuf_clear(&sb);
        gp_strbuf_appendf(&sb, "冲印订单：%s　　班级代码：%s（冲印文件夹 %s/%s）", job->order_dir, code, job->order_dir,
                          code);
        draw_line_of_text(cr, text, LIST_FONT, 10, false, GP_ALIGN_LEFT, x, 39.5, w, 5, sb.data);
    }
    gp_strbuf_free(&sb);
    double y = LIST_HEADER_MM - LIST_ROW_MM;
    draw_line_of_text(cr, text, LIST_FONT, 10, true, GP_ALIGN_LEFT, x, y, 18, LIST_ROW_MM, "序号");
    draw_line_of_text(cr, text, LIST_FONT, 10, true, GP_ALIGN_LEFT, x + 20, y, 45, LIST_ROW_MM, "学号");
    draw_line_of_text(cr, text, LIST_FONT, 10, true, GP_ALIGN_LEFT, x + 68, y, job->lab_mode ? 42 : 70, LIST_ROW_MM,
                      "姓名");
    if (job->lab_mode)
        draw_line_of_text(cr, text, LIST_FONT, 10, true, GP_ALIGN_LEFT, x + 112, y, 40, LIST_ROW_MM, "冲印文件");
    draw_line_of_text(cr, text, LIST_FONT, 10, true, GP_ALIGN_RIGHT, x + w - 30, y, 30, LIST_ROW_MM, "已装袋");
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.3);
    cairo_move_to(cr, x, LIST_HEADER_MM);
    cairo_line_to(cr, x + w, LIST_HEADER_MM);
    cairo_stroke(cr);
}

static void draw_list_row(const gp_sheets_job *job, size_t position, size_t number, double y, cairo_t *cr,
                          gp_text_engine *text)
{
    const gp_record *r = gp_roster_record(job->roster, job->delivery.order[position]);
    double x = LIST_MARGIN_MM, w = A4_WIDTH_MM - 2 * LIST_MARGIN_MM;
    char no[32];
    snprintf(no, sizeof no, "%zu", number);
    draw_line_of_text(cr, text, LIST_FONT, 10, false, GP_ALIGN_LEFT, x, y, 18, LIST_ROW_MM, no);
    draw_line_of_text(cr, text, LIST_FONT, 10, false, GP_ALIGN_LEFT, x + 20, y, 45, LIST_ROW_MM,
                      gp_record_key(r, GP_KEY_STUDENT_NO));
    draw_line_of_text(cr, text, LIST_FONT, 11, false, GP_ALIGN_LEFT, x + 68, y, job->lab_mode ? 42 : 70, LIST_ROW_MM,
                      gp_record_key(r, GP_KEY_NAME));
    if (job->lab_mode) {
        /* The print's name in the order: what the Frontier prints on its back. */
        char file[16];
        gp_lab_file_name(job->class_of[position], number, file);
        draw_line_of_text(cr, text, LIST_FONT, 10, false, GP_ALIGN_LEFT, x + 112, y, 40, LIST_ROW_MM, file);
    }
    double box = 4.5;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.3);
    cairo_rectangle(cr, x + w - box - 6, y + (LIST_ROW_MM - box) / 2, box, box);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
    cairo_set_line_width(cr, 0.1);
    cairo_move_to(cr, x, y + LIST_ROW_MM);
    cairo_line_to(cr, x + w, y + LIST_ROW_MM);
    cairo_stroke(cr);
}

static void draw_list_footer(cairo_t *cr, gp_text_engine *text)
{
    double x = LIST_MARGIN_MM, w = A4_WIDTH_MM - 2 * LIST_MARGIN_MM;
    draw_line_of_text(cr, text, LIST_FONT, 10, false, GP_ALIGN_LEFT, x, A4_HEIGHT_MM - LIST_FOOTER_MM + 6, w, 6,
                      "装袋人：____________　　复核人：____________　　日期：____________");
}

gp_status gp_class_packing_list_render(const gp_sheets_job *job, size_t class_index, gp_text_engine *text,
                                       const char *path, gp_error **err)
{
    const gp_delivery_class *c = &job->delivery.classes[class_index];
    size_t rows_per_page = (size_t)((A4_HEIGHT_MM - LIST_HEADER_MM - LIST_FOOTER_MM) / LIST_ROW_MM);
    int pages = (int)((c->count + rows_per_page - 1) / rows_per_page);
    gp_driver *pdf = NULL;
    gp_status st = gp_driver_open(&(gp_driver_config){.kind = GP_DRIVER_PDF, .path = path}, &pdf, err);
    gp_page_spec page = {A4_WIDTH_MM, A4_HEIGHT_MM, NULL, false};
    for (int p = 0; st == GP_OK && p < pages; p++) {
        cairo_t *cr = NULL;
        st = gp_driver_begin_page(pdf, &page, &cr, err);
        if (st != GP_OK)
            break;
        draw_list_header(job, c, cr, text, p + 1, pages);
        for (size_t k = 0; k < rows_per_page; k++) {
            size_t i = (size_t)p * rows_per_page + k;
            if (i >= c->count)
                break;
            draw_list_row(job, c->first + i, i + 1, LIST_HEADER_MM + (double)k * LIST_ROW_MM, cr, text);
        }
        draw_list_footer(cr, text);
        st = gp_driver_end_page(pdf, err);
    }
    if (st == GP_OK)
        st = gp_driver_finish(pdf, err);
    gp_driver_free(pdf);
    return st;
}
