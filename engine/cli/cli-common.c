#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include "cli.h"

int cli_exit_status(gp_status st)
{
    switch (st) {
    case GP_OK:
        return 0;
    case GP_E_USAGE:
        return EXIT_USAGE;
    case GP_E_INVALID:
        return EXIT_INVALID;
    case GP_E_INTERRUPTED:
        return EXIT_INTERRUPTED;
    default:
        return EXIT_IO;
    }
}

void cli_print_error(gp_error *err)
{
    if (err != NULL)
        fprintf(stderr, "gradprint: %s\n", gp_error_message(err));
    gp_error_free(err);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    fprintf(stderr, "gradprint %s: ", command);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, _("\nTry 'gradprint %s --help'.\n"), command);
    return EXIT_USAGE;
}

gp_context *cli_context(void)
{
    gp_context *ctx = NULL;
    gp_error *err = NULL;
    if (gp_context_new(NULL, &ctx, &err) != GP_OK) {
        cli_print_error(err);
        return NULL;
    }
    return ctx;
}

bool cli_parse_int(const char *s, int min, int max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return false;
    *out = (int)v;
    return true;
}

static const char *severity_name(gp_severity s) { return s == GP_ERROR ? _("error") : _("warning"); }

void cli_print_findings(const gp_report *report, size_t max_lines)
{
    size_t n = gp_report_count(report), shown = 0;
    /* Errors first: they are what stops a run. */
    for (int pass = 0; pass < 2; pass++) {
        gp_severity want = pass == 0 ? GP_ERROR : GP_WARNING;
        for (size_t i = 0; i < n; i++) {
            const gp_finding *f = gp_report_get(report, i);
            if (f->severity != want)
                continue;
            if (shown++ == max_lines) {
                fprintf(stderr, _("... and more; run with --json for the full list\n"));
                return;
            }
            fprintf(stderr, "%s: ", severity_name(f->severity));
            if (f->file != NULL)
                fprintf(stderr, f->line > 0 ? "%s:%ld: " : "%s: ", f->file, f->line);
            if (f->student_no != NULL)
                fprintf(stderr, "[%s] ", f->student_no);
            fprintf(stderr, "%s (%s)\n", f->message, f->code);
        }
    }
}

void cli_json_string(FILE *out, const char *s)
{
    if (s == NULL) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

void cli_json_findings(FILE *out, const gp_report *report)
{
    fputs("[", out);
    for (size_t i = 0; i < gp_report_count(report); i++) {
        const gp_finding *f = gp_report_get(report, i);
        fputs(i ? ",\n  {" : "\n  {", out);
        fputs("\"severity\":", out);
        cli_json_string(out, f->severity == GP_ERROR ? "error" : "warning");
        fputs(",\"code\":", out);
        cli_json_string(out, f->code);
        fputs(",\"file\":", out);
        cli_json_string(out, f->file);
        fprintf(out, ",\"line\":%ld,\"student_no\":", f->line);
        cli_json_string(out, f->student_no);
        fputs(",\"message\":", out);
        cli_json_string(out, f->message);
        fputs("}", out);
    }
    fputs(gp_report_count(report) ? "\n]" : "]", out);
}

int cli_finish(gp_status st, gp_error *err, const gp_report *report, bool json, bool quiet,
               const cli_result_view *view)
{
    if (json) {
        printf("{\"status\":");
        cli_json_string(stdout, st == GP_OK ? "ok" : st == GP_E_INVALID ? "invalid" : "failed");
        printf(",\"error\":");
        cli_json_string(stdout, err ? gp_error_message(err) : NULL);
        view->json_fields(stdout, view->result);
        printf(",\"findings\":");
        cli_json_findings(stdout, report);
        printf("}\n");
        gp_error_free(err);
        return cli_exit_status(st);
    }
    if (report != NULL && (!quiet || gp_report_count_severity(report, GP_ERROR) > 0))
        cli_print_findings(report, 200);
    if (st != GP_OK) {
        cli_print_error(err);
        return cli_exit_status(st);
    }
    view->summary(view->result);
    return 0;
}
