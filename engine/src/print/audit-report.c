/* The audit report of a print run, which the registrar signs: A4 pages
 * with the run, one line per record (student number, masked ID number,
 * blank, job, time), the voided blanks with their reasons, totals and
 * signature lines. Headings are Chinese with English beside them; ID
 * numbers appear only as the journal holds them, masked. */
#define _DEFAULT_SOURCE /* timegm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/strbuf-private.h"
#include "driver.h"
#include "print-run-private.h"
#include "text/text-private.h"

#define PAGE_W 210.0
#define PAGE_H 297.0
#define MARGIN 15.0
#define ROW_H 5.0
#define BOTTOM (PAGE_H - 20.0)

typedef struct page_writer {
    gp_driver *pdf;
    gp_text_engine *text;
    cairo_t *cr;
    double y;
    int page;
    const char *run_id;
} page_writer;

static void text_at(page_writer *w, double x, double width, double h, double size, bool bold, gp_align align,
                    const char *s)
{
    if (s == NULL || s[0] == '\0')
        return;
    gp_text_style style = gp_text_style_simple("sans", size, bold, align);
    gp_text_metrics m;
    gp_text_measure(w->text, &style, size, s, &m);
    /* Long reasons shrink to their column rather than run into the next. */
    if (m.width_mm > width && m.width_mm > 0)
        size *= width / m.width_mm;
    gp_box box = {x, w->y, width, h};
    gp_text_draw(w->text, w->cr, &style, size, s, &box);
}

static void rule(page_writer *w, double y, double width_pt)
{
    cairo_set_source_rgb(w->cr, 0, 0, 0);
    cairo_set_line_width(w->cr, width_pt * 25.4 / 72.0);
    cairo_move_to(w->cr, MARGIN, y);
    cairo_line_to(w->cr, PAGE_W - MARGIN, y);
    cairo_stroke(w->cr);
}

static gp_status end_page(page_writer *w, gp_error **err)
{
    if (w->cr == NULL)
        return GP_OK;
    char foot[128];
    snprintf(foot, sizeof foot, _("第 %d 页 · page %d · run %s"), w->page, w->page, w->run_id);
    w->y = PAGE_H - 12;
    text_at(w, MARGIN, PAGE_W - 2 * MARGIN, 5, 7, false, GP_ALIGN_CENTER, foot);
    w->cr = NULL;
    return gp_driver_end_page(w->pdf, err);
}

static gp_status new_page(page_writer *w, gp_error **err)
{
    gp_status st = end_page(w, err);
    gp_page_spec spec = {PAGE_W, PAGE_H, NULL, false};
    if (st == GP_OK)
        st = gp_driver_begin_page(w->pdf, &spec, &w->cr, err);
    if (st != GP_OK)
        return st;
    w->page++;
    w->y = MARGIN;
    cairo_set_source_rgb(w->cr, 1, 1, 1);
    cairo_paint(w->cr);
    return GP_OK;
}

/* Room for h more millimetres, else a new page. */
static gp_status need(page_writer *w, double h, gp_error **err)
{
    return w->y + h > BOTTOM ? new_page(w, err) : GP_OK;
}

/* "2026-05-01T08:00:02.518Z" (the journal's UTC) -> "2026-05-01 16:00:02"
 * in the local time of the machine making the report, which the heading
 * names: the registrar signs in local time. */
static void short_time(const char *t, char *out, size_t size)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (t == NULL || sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                            &tm.tm_min, &tm.tm_sec) != 6) {
        snprintf(out, size, "%s", t ? t : "");
        return;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t when = timegm(&tm);
    struct tm local;
    localtime_r(&when, &local);
    strftime(out, size, "%Y-%m-%d %H:%M:%S", &local);
}

static void zone_name(char *out, size_t size)
{
    time_t now = time(NULL);
    struct tm local;
    localtime_r(&now, &local);
    strftime(out, size, "UTC%z", &local);
}

static const double rec_x[] = {MARGIN, 27, 55, 90, 118, 134, 152};
static const double rec_w[] = {11, 27, 34, 27, 15, 17, 43};

static void record_row(page_writer *w, const char *const cells[7], bool bold)
{
    for (int c = 0; c < 7; c++)
        text_at(w, rec_x[c], rec_w[c], ROW_H, 8, bold, GP_ALIGN_LEFT, cells[c]);
    w->y += ROW_H;
}

/* Every blank a record took, when it took more than one: the registrar
 * accounts for each serial. */
static gp_status history_row(page_writer *w, const gp_print_status *s, size_t i, gp_error **err)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_append(&sb, _("证书纸经历 Blanks taken: "));
    size_t n = gp_print_status_record_blank_count(s, i);
    for (size_t k = 0; k < n; k++) {
        gp_print_blank_history h;
        gp_print_status_record_blank(s, i, k, &h);
        char when[32];
        short_time(h.time, when, sizeof when);
        gp_strbuf_appendf(&sb, "%s%s %s (%s)", k ? "; " : "", h.serial, h.fate, when);
    }
    if (gp_strbuf_failed(&sb))
        return gp_error_nomem(err);
    gp_status st = GP_OK;
    if (w->y + ROW_H > BOTTOM)
        st = new_page(w, err);
    if (st == GP_OK) {
        text_at(w, rec_x[1], PAGE_W - MARGIN - rec_x[1], ROW_H, 7, false, GP_ALIGN_LEFT, sb.data);
        w->y += ROW_H;
    }
    gp_strbuf_free(&sb);
    return st;
}

static gp_status records_table(page_writer *w, const gp_print_status *s, gp_error **err)
{
    static const char *const head[7] = {N_("行 Line"), N_("学号 Student no."), N_("身份证号 ID no."),
                                        N_("证书纸 Blank"), N_("作业 Job"), N_("状态 State"), N_("完成时间 Time")};
    static const char *const states[] = {N_("待打印"), N_("已排版"), N_("打印中"), N_("已完成"), N_("失败")};
    const char *h[7];
    for (int c = 0; c < 7; c++)
        h[c] = _(head[c]);
    gp_status st = need(w, 3 * ROW_H, err);
    if (st != GP_OK)
        return st;
    text_at(w, MARGIN, 120, 7, 11, true, GP_ALIGN_LEFT, _("打印记录 Records printed"));
    w->y += 8;
    record_row(w, h, true);
    rule(w, w->y, 0.5);
    for (size_t i = 0; st == GP_OK && i < gp_print_status_records(s); i++) {
        if (w->y + ROW_H > BOTTOM) {
            st = new_page(w, err);
            if (st != GP_OK)
                break;
            record_row(w, h, true);
            rule(w, w->y, 0.5);
        }
        gp_print_record_info r;
        gp_print_status_record(s, i, &r);
        char row[32], job[32], when[32];
        snprintf(row, sizeof row, "%ld", r.line);
        snprintf(job, sizeof job, r.job_id > 0 ? "%d" : "-", r.job_id);
        short_time(r.status == GP_PRINT_COMPLETED ? r.time : NULL, when, sizeof when);
        const char *cells[7] = {row, r.student_no, r.id_masked ? r.id_masked : "-",
                                r.blank_serial ? r.blank_serial : "-", job, _(states[r.status]), when};
        record_row(w, cells, false);
        if (gp_print_status_record_blank_count(s, i) > 1)
            st = history_row(w, s, i, err);
    }
    return st;
}

typedef void (*blank_getter)(const gp_print_status *s, size_t i, gp_print_void_info *out);

/* Blanks that hold no valid certificate: voided ones, and replaced ones not voided. */
static gp_status blanks_table(page_writer *w, const gp_print_status *s, const char *title, size_t n,
                              blank_getter get, gp_error **err)
{
    gp_status st = need(w, 4 * ROW_H, err);
    if (st != GP_OK)
        return st;
    w->y += 4;
    text_at(w, MARGIN, PAGE_W - 2 * MARGIN, 7, 11, true, GP_ALIGN_LEFT, title);
    w->y += 8;
    if (n == 0) {
        text_at(w, MARGIN, 150, ROW_H, 8, false, GP_ALIGN_LEFT, _("无 None"));
        w->y += ROW_H;
        return GP_OK;
    }
    static const double x[] = {MARGIN, 45, 62, 150}, width[] = {28, 15, 86, 45};
    const char *head[4] = {_("证书纸 Blank"), _("行 Line"), _("原因 Reason"), _("时间 Time")};
    for (int c = 0; c < 4; c++)
        text_at(w, x[c], width[c], ROW_H, 8, true, GP_ALIGN_LEFT, head[c]);
    w->y += ROW_H;
    rule(w, w->y, 0.5);
    for (size_t i = 0; st == GP_OK && i < n; i++) {
        st = need(w, ROW_H, err);
        if (st != GP_OK)
            break;
        gp_print_void_info v;
        get(s, i, &v);
        char row[32], when[32];
        snprintf(row, sizeof row, v.line > 0 ? "%ld" : "-", v.line);
        short_time(v.time, when, sizeof when);
        const char *cells[4] = {v.serial, row, v.reason ? v.reason : "-", when};
        for (int c = 0; c < 4; c++)
            text_at(w, x[c], width[c], ROW_H, 8, false, GP_ALIGN_LEFT, cells[c]);
        w->y += ROW_H;
    }
    return st;
}

static gp_status totals_and_signatures(page_writer *w, const gp_print_status *s, gp_error **err)
{
    gp_status st = need(w, 75, err);
    if (st != GP_OK)
        return st;
    w->y += 6;
    text_at(w, MARGIN, 150, 7, 11, true, GP_ALIGN_LEFT, _("合计 Totals"));
    w->y += 8;
    struct {
        const char *label;
        size_t n;
    } lines[] = {
        {_("应打印 Records in the run"), gp_print_status_total(s)},
        {_("已完成 Printed"), gp_print_status_count(s, GP_PRINT_COMPLETED)},
        {_("失败待重打 Failed, to print again"), gp_print_status_count(s, GP_PRINT_FAILED)},
        {_("未打印 Not printed yet"), gp_print_status_count(s, GP_PRINT_PENDING) +
                                          gp_print_status_count(s, GP_PRINT_RENDERED) +
                                          gp_print_status_count(s, GP_PRINT_SUBMITTED)},
        {_("已用证书纸 Blanks used"), gp_print_status_blanks_used(s)},
        {_("作废证书纸 Blanks voided"), gp_print_status_voided(s)},
        {_("已替换未作废 Blanks replaced, not voided"), gp_print_status_replaced(s)},
        {_("打印批次 Batches (CUPS jobs)"), gp_print_status_batches(s)},
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        char n[32];
        snprintf(n, sizeof n, "%zu", lines[i].n);
        text_at(w, MARGIN, 80, ROW_H, 9, false, GP_ALIGN_LEFT, lines[i].label);
        text_at(w, MARGIN + 80, 20, ROW_H, 9, true, GP_ALIGN_RIGHT, n);
        w->y += ROW_H;
    }
    w->y += 10;
    const char *sign[3] = {_("打印操作员 Operator"), _("核对人 Checked by"), _("教务处负责人 Registrar（盖章 seal）")};
    for (int i = 0; i < 3; i++) {
        text_at(w, MARGIN, 60, 7, 9, false, GP_ALIGN_LEFT, sign[i]);
        text_at(w, 130, 15, 7, 9, false, GP_ALIGN_LEFT, _("日期 Date"));
        cairo_set_source_rgb(w->cr, 0, 0, 0);
        cairo_set_line_width(w->cr, 0.25);
        cairo_move_to(w->cr, 78, w->y + 6);
        cairo_line_to(w->cr, 125, w->y + 6);
        cairo_move_to(w->cr, 146, w->y + 6);
        cairo_line_to(w->cr, PAGE_W - MARGIN, w->y + 6);
        cairo_stroke(w->cr);
        w->y += 11;
    }
    return GP_OK;
}

static gp_status heading(page_writer *w, const gp_print_status *s, gp_error **err)
{
    gp_status st = new_page(w, err);
    if (st != GP_OK)
        return st;
    text_at(w, MARGIN, PAGE_W - 2 * MARGIN, 9, 16, true, GP_ALIGN_CENTER, _("毕业证书打印审计报告"));
    w->y += 9;
    text_at(w, MARGIN, PAGE_W - 2 * MARGIN, 5, 9, false, GP_ALIGN_CENTER, _("Certificate print run audit report"));
    w->y += 9;
    char made[32], zone[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(made, sizeof made, "%Y-%m-%d %H:%M:%S", &tm);
    zone_name(zone, sizeof zone);
    char started[32], updated[32];
    short_time(gp_print_status_started(s), started, sizeof started);
    short_time(gp_print_status_updated(s), updated, sizeof updated);
    const char *label[] = {_("运行编号 Run"),       _("模板 Template"),          _("打印机队列 Queue(s)"),
                           _("开始 Started"),       _("最后记录 Last entry"),    _("报告生成 Report made"),
                           _("时区 Time zone"),      _("下一张证书纸 Next blank")};
    const char *next = gp_print_status_next_serial(s);
    const char *value[] = {gp_print_status_run_id(s), gp_print_status_template(s), gp_print_status_queues(s),
                           started, updated, made, zone, next ? next : "-"};
    for (size_t i = 0; i < sizeof label / sizeof *label; i++) {
        text_at(w, MARGIN, 50, ROW_H, 9, false, GP_ALIGN_LEFT, label[i]);
        text_at(w, MARGIN + 50, PAGE_W - 2 * MARGIN - 50, ROW_H, 9, true, GP_ALIGN_LEFT, value[i]);
        w->y += ROW_H;
    }
    rule(w, w->y + 2, 0.75);
    w->y += 6;
    return GP_OK;
}

gp_status gp_print_audit_report(gp_context *ctx, const char *run_dir, const char *out_pdf, gp_error **err)
{
    if (run_dir == NULL || out_pdf == NULL)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("a run directory and an output PDF are required"));
    gp_print_status *s = NULL;
    gp_status st = gp_print_status_load(run_dir, &s, err);
    page_writer w;
    memset(&w, 0, sizeof w);
    if (st == GP_OK) {
        w.run_id = gp_print_status_run_id(s);
        st = gp_text_engine_new(ctx, &w.text, err);
    }
    if (st == GP_OK)
        st = gp_driver_open(&(gp_driver_config){.kind = GP_DRIVER_PDF, .path = out_pdf}, &w.pdf, err);
    if (st == GP_OK)
        st = heading(&w, s, err);
    if (st == GP_OK)
        st = records_table(&w, s, err);
    if (st == GP_OK)
        st = blanks_table(&w, s, _("作废证书纸 Voided blanks"), gp_print_status_voided(s), gp_print_status_void, err);
    if (st == GP_OK)
        st = blanks_table(&w, s, _("已重打、未作废的证书纸 Blanks replaced by a reprint, not voided"),
                          gp_print_status_replaced(s), gp_print_status_replaced_blank, err);
    if (st == GP_OK)
        st = totals_and_signatures(&w, s, err);
    if (st == GP_OK)
        st = end_page(&w, err);
    if (st == GP_OK)
        st = gp_driver_finish(w.pdf, err);
    if (w.pdf != NULL)
        gp_driver_free(w.pdf);
    gp_text_engine_free(w.text);
    gp_print_status_free(s);
    return st;
}
