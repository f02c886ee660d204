/* Collecting preflight findings. A report is filled by one thread at a time;
 * parallel preflight gives each worker its own report and merges them. */
#ifndef GP_REPORT_PRIVATE_H
#define GP_REPORT_PRIVATE_H

#include <stdarg.h>

#include "gradprint.h"

gp_report *gp_report_new(void);
void gp_report_free(gp_report *report);

/* Adds a finding; file, student_no may be NULL, line 0. Returns false only
 * when memory ran out (the report then keeps what it had). */
bool gp_report_add(gp_report *report, gp_severity severity, const char *code, const char *file, long line,
                   const char *student_no, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* gp_report_add for callers that already hold a va_list. */
bool gp_report_vadd(gp_report *report, gp_severity severity, const char *code, const char *file, long line,
                    const char *student_no, const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));

/* Moves every finding of src to the end of dst, leaving src empty. */
bool gp_report_take(gp_report *dst, gp_report *src);

/* True when a finding could not be added (memory ran out): the report then
 * says less than was found, so a job must not act on it (GP_E_NOMEM). */
bool gp_report_lost(const gp_report *report);
/* For a check that could not run for want of memory: the report is then
 * as incomplete as one that lost a finding. */
void gp_report_note_nomem(gp_report *report);

/* Findings about one record, for skip-invalid decisions: true when the report
 * has an error whose student_no equals student_no. */
bool gp_report_has_error_for(const gp_report *report, const char *student_no);

#endif
