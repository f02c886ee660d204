#include "report-private.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array-private.h"
#include "strbuf-private.h"

struct gp_report {
    gp_finding *items;
    size_t count;
    size_t cap;
    bool lost; /* a finding could not be added for want of memory */
};

gp_report *gp_report_new(void) { return calloc(1, sizeof(gp_report)); }

static void finding_free(gp_finding *f)
{
    free((char *)f->code);
    free((char *)f->file);
    free((char *)f->student_no);
    free((char *)f->message);
}

void gp_report_free(gp_report *report)
{
    if (report == NULL)
        return;
    for (size_t i = 0; i < report->count; i++)
        finding_free(&report->items[i]);
    free(report->items);
    free(report);
}

static bool grow(gp_report *report, size_t extra)
{
    return extra <= SIZE_MAX - report->count &&
           gp_array_reserve((void **)&report->items, &report->cap, report->count + extra, sizeof *report->items);
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

bool gp_report_vadd(gp_report *report, gp_severity severity, const char *code, const char *file, long line,
                    const char *student_no, const char *fmt, va_list ap)
{
    if (!grow(report, 1)) {
        report->lost = true;
        return false;
    }
    gp_strbuf msg;
    gp_strbuf_init(&msg);
    gp_strbuf_vappendf(&msg, fmt, ap);
    gp_finding f = {
        .severity = severity,
        .code = dup_or_null(code),
        .file = dup_or_null(file),
        .line = line,
        .student_no = dup_or_null(student_no),
        .message = gp_strbuf_steal(&msg),
    };
    if (f.code == NULL || f.message == NULL || (file && !f.file) || (student_no && !f.student_no)) {
        finding_free(&f);
        report->lost = true;
        return false;
    }
    report->items[report->count++] = f;
    return true;
}

bool gp_report_add(gp_report *report, gp_severity severity, const char *code, const char *file, long line,
                   const char *student_no, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = gp_report_vadd(report, severity, code, file, line, student_no, fmt, ap);
    va_end(ap);
    return ok;
}

bool gp_report_take(gp_report *dst, gp_report *src)
{
    if (src->count == 0)
        return true;
    if (!grow(dst, src->count)) {
        dst->lost = true;
        return false;
    }
    memcpy(dst->items + dst->count, src->items, src->count * sizeof *src->items);
    dst->count += src->count;
    src->count = 0;
    return true;
}

bool gp_report_has_error_for(const gp_report *report, const char *student_no)
{
    for (size_t i = 0; i < report->count; i++) {
        const gp_finding *f = &report->items[i];
        if (f->severity == GP_ERROR && f->student_no && strcmp(f->student_no, student_no) == 0)
            return true;
    }
    return false;
}

size_t gp_report_count(const gp_report *report) { return report ? report->count : 0; }

const gp_finding *gp_report_get(const gp_report *report, size_t index)
{
    return report && index < report->count ? &report->items[index] : NULL;
}

size_t gp_report_count_severity(const gp_report *report, gp_severity severity)
{
    size_t n = 0;
    for (size_t i = 0; report && i < report->count; i++)
        n += report->items[i].severity == severity;
    return n;
}

bool gp_report_lost(const gp_report *report) { return report->lost; }
void gp_report_note_nomem(gp_report *report)
{
    if (report != NULL)
        report->lost = true;
}
