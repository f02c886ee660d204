/* Where the photo-sheet job puts each file, in the default layout (names
 * for people, in Chinese, sorted by their number prefixes) and in a lab
 * order (short ASCII names a minilab's front end takes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf-private.h"
#include "sheets-private.h"

void gp_class_code(size_t class_index, char out[8]) { snprintf(out, 8, "C%03zu", (class_index + 1) % 1000); }

void gp_lab_file_name(size_t class_index, size_t position, char out[16])
{
    snprintf(out, 16, "%04zu%04zu.JPG", (class_index + 1) % 10000, position % 10000);
}

char *gp_class_dir_path(const gp_sheets_job *job, size_t class_index)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    if (job->lab_mode) {
        char code[8];
        gp_class_code(class_index, code);
        gp_strbuf_appendf(&sb, "%s/%s", job->order_dir, code);
    } else {
        gp_strbuf_appendf(&sb, "sheets/%s", job->delivery.classes[class_index].dir_name);
    }
    return gp_strbuf_steal(&sb);
}

char *gp_sheet_path(const gp_sheets_job *job, size_t position)
{
    size_t c = job->class_of[position];
    const gp_delivery_class *klass = &job->delivery.classes[c];
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    char *dir = gp_class_dir_path(job, c);
    if (dir == NULL) {
        gp_strbuf_free(&sb);
        return NULL;
    }
    if (job->lab_mode) {
        char name[16];
        gp_lab_file_name(c, position - klass->first + 1, name);
        gp_strbuf_appendf(&sb, "%s/%s", dir, name);
    } else {
        const gp_record *r = gp_roster_record(job->roster, job->delivery.order[position]);
        char *student_no = gp_safe_file_component(gp_record_key(r, GP_KEY_STUDENT_NO), 40);
        if (student_no != NULL)
            gp_strbuf_appendf(&sb, "%s/%04zu_%s.jpg", dir, position - klass->first + 1, student_no);
        else
            sb.failed = true;
        free(student_no);
    }
    free(dir);
    return gp_strbuf_steal(&sb);
}

char *gp_divider_path(const gp_sheets_job *job, size_t class_index)
{
    char *dir = gp_class_dir_path(job, class_index);
    if (dir == NULL)
        return NULL;
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    if (job->lab_mode) {
        char name[16];
        gp_lab_file_name(class_index, 0, name);
        gp_strbuf_appendf(&sb, "%s/%s", dir, name);
    } else {
        gp_strbuf_appendf(&sb, "%s/0000_divider.jpg", dir);
    }
    free(dir);
    return gp_strbuf_steal(&sb);
}

char *gp_packing_list_path(const gp_sheets_job *job, size_t class_index)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_appendf(&sb, "packing-lists/%s.pdf", job->delivery.classes[class_index].dir_name);
    return gp_strbuf_steal(&sb);
}

char *gp_sheets_staged(const gp_sheets_job *job, const char *relative)
{
    size_t n = strlen(job->order_dir);
    if (job->lab_mode && job->hot && n > 0 && strncmp(relative, job->order_dir, n) == 0 &&
        (relative[n] == '/' || relative[n] == '\0'))
        return relative[n] == '\0' ? strdup(job->order_out.staging) : gp_outdir_path(&job->order_out, relative + n + 1);
    return gp_outdir_path(&job->out, relative);
}

int gp_sheets_back_print(const gp_sheets_job *job, size_t class_index, size_t position,
                         char lines[GP_LAB_MAX_BACK_LINES][GP_LAB_MAX_BACK_WIDTH + 1])
{
    const gp_delivery_class *c = &job->delivery.classes[class_index];
    char code[8];
    gp_class_code(class_index, code);
    if (position == (size_t)-1)
        return gp_lab_back_print_lines(&job->lab, code, NULL, 0, c->count, job->order_id, lines);
    const gp_record *r = gp_roster_record(job->roster, job->delivery.order[position]);
    return gp_lab_back_print_lines(&job->lab, code, gp_record_key(r, GP_KEY_STUDENT_NO), position - c->first + 1,
                                   c->count, job->order_id, lines);
}
