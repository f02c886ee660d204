/* manifest.csv: one row per sheet in delivery order, for the contractor's
 * records and the lab's order form. UTF-8 with a BOM, because that is what
 * makes Excel on a Chinese Windows open it without garbling. */
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/strbuf-private.h"
#include "sheets-private.h"

static void csv_cell(gp_strbuf *sb, const char *value, bool last)
{
    if (value == NULL)
        value = "";
    /* Quote everything that could be read as a formula or split a row. */
    bool formula = value[0] != '\0' && strchr("=+-@", value[0]) != NULL;
    if (formula || strpbrk(value, ",\"\r\n") != NULL) {
        gp_strbuf_append_char(sb, '"');
        if (formula)
            gp_strbuf_append_char(sb, '\''); /* keeps Excel from evaluating it */
        for (const char *p = value; *p; p++) {
            if (*p == '"')
                gp_strbuf_append_char(sb, '"');
            gp_strbuf_append_char(sb, *p);
        }
        gp_strbuf_append_char(sb, '"');
    } else {
        gp_strbuf_append(sb, value);
    }
    gp_strbuf_append(sb, last ? "\r\n" : ",");
}

static gp_status write_csv(const gp_sheets_job *job, const char *name, const gp_strbuf *sb, gp_error **err)
{
    if (gp_strbuf_failed(sb))
        return gp_error_nomem(err);
    char *path = gp_outdir_path(&job->out, name);
    if (path == NULL)
        return gp_error_nomem(err);
    gp_status st = gp_write_file_atomic(path, sb->data, sb->len, err);
    free(path);
    return st;
}

/* A lab order's rows also name the class code, the print's ASCII name in
 * the order and what is printed on its back: the map from the lab's names
 * to the classes and students. */
static gp_status write_manifest(const gp_sheets_job *job, gp_error **err)
{
    bool lab = job->lab_mode;
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_append(&sb, "\xEF\xBB\xBF");
    gp_strbuf_append(&sb, lab ? "序号,学院,专业,班级,班级代码,学号,姓名,身份证号,冲印文件,背印,装袋清单\r\n"
                              : "序号,学院,专业,班级,学号,姓名,身份证号,冲印文件,装袋清单\r\n");
    for (size_t p = 0; p < job->delivery.count; p++) {
        const gp_record *r = gp_roster_record(job->roster, job->delivery.order[p]);
        char seq[24];
        snprintf(seq, sizeof seq, "%zu", p + 1);
        char *sheet = (job->formats & GP_SHEETS_JPEG) ? gp_sheet_path(job, p) : NULL;
        char *list = gp_packing_list_path(job, job->class_of[p]);
        csv_cell(&sb, seq, false);
        csv_cell(&sb, gp_record_key(r, GP_KEY_COLLEGE), false);
        csv_cell(&sb, gp_record_key(r, GP_KEY_MAJOR), false);
        csv_cell(&sb, gp_record_key(r, GP_KEY_CLASS), false);
        if (lab) {
            char code[8];
            gp_class_code(job->class_of[p], code);
            csv_cell(&sb, code, false);
        }
        csv_cell(&sb, gp_record_key(r, GP_KEY_STUDENT_NO), false);
        csv_cell(&sb, gp_record_key(r, GP_KEY_NAME), false);
        csv_cell(&sb, gp_record_key(r, GP_KEY_ID_NUMBER), false);
        csv_cell(&sb, sheet, false);
        if (lab) {
            char lines[GP_LAB_MAX_BACK_LINES][GP_LAB_MAX_BACK_WIDTH + 1], joined[2 * GP_LAB_MAX_BACK_WIDTH + 8] = "";
            if (job->lab.back_print == GP_BACK_PRINT_DPOF) {
                int n = gp_sheets_back_print(job, job->class_of[p], p, lines);
                snprintf(joined, sizeof joined, "%s%s%s", lines[0], n > 1 ? " / " : "", n > 1 ? lines[1] : "");
            } else if (job->lab.back_print == GP_BACK_PRINT_FILENAME && sheet != NULL) {
                const char *base = strrchr(sheet, '/');
                snprintf(joined, sizeof joined, "%.*s", job->lab.back_width, base ? base + 1 : sheet);
            }
            csv_cell(&sb, joined, false);
        }
        csv_cell(&sb, list, true);
        free(sheet);
        free(list);
    }
    gp_status st = write_csv(job, "manifest.csv", &sb, err);
    gp_strbuf_free(&sb);
    return st;
}

/* skipped.csv: the students --skip-invalid left out, with the first reason. */
static gp_status write_skipped(const gp_sheets_job *job, gp_error **err)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_append(&sb, "\xEF\xBB\xBF");
    gp_strbuf_append(&sb, "行号,学号,姓名,原因\r\n");
    size_t n = gp_roster_size(job->roster), skipped = 0;
    for (size_t i = 0; i < n; i++) {
        if (job->valid[i])
            continue;
        skipped++;
        const gp_record *r = gp_roster_record(job->roster, i);
        const char *student_no = gp_record_key(r, GP_KEY_STUDENT_NO);
        const char *reason = "";
        for (size_t k = 0; k < gp_report_count(job->report); k++) {
            const gp_finding *f = gp_report_get(job->report, k);
            if (f->severity == GP_ERROR &&
                ((f->line == gp_record_line(r) && f->file && strcmp(f->file, gp_roster_path(job->roster)) == 0) ||
                 (student_no && f->student_no && strcmp(f->student_no, student_no) == 0))) {
                reason = f->message;
                break;
            }
        }
        char line[24];
        snprintf(line, sizeof line, "%ld", gp_record_line(r));
        csv_cell(&sb, line, false);
        csv_cell(&sb, student_no, false);
        csv_cell(&sb, gp_record_key(r, GP_KEY_NAME), false);
        csv_cell(&sb, reason, true);
    }
    gp_status st = skipped ? write_csv(job, "skipped.csv", &sb, err) : GP_OK;
    gp_strbuf_free(&sb);
    return st;
}

gp_status gp_sheets_write_manifest(const gp_sheets_job *job, gp_error **err)
{
    gp_status st = write_manifest(job, err);
    return st == GP_OK ? write_skipped(job, err) : st;
}
