/* Option helpers, exit statuses, and how every command finishes: findings,
 * the error and a summary for a person, or one JSON envelope. */
#define _GNU_SOURCE /* vasprintf */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

/* The tool's one piece of process state: what main saw on the command line. */
static struct {
    const char *command;
    bool json;
} mode;

void cli_set_json_mode(const char *command, bool json)
{
    mode.command = command;
    mode.json = json;
}

bool cli_json_mode(void) { return mode.json; }
const char *cli_command_name(void) { return mode.command; }

void cli_print_error(gp_error *err)
{
    if (err != NULL)
        cli_say(stderr, "gradprint: %s\n", gp_error_message(err));
    gp_error_free(err);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = NULL;
    int n = vasprintf(&message, fmt, ap);
    va_end(ap);
    if (n < 0)
        message = NULL;
    if (mode.json) {
        /* A usage error has no gp_error; the envelope carries the text. */
        const cli_json_field fields[] = {CLI_JSON_STRING("usage", message)};
        cli_outcome o = {command, GP_E_USAGE, NULL, NULL, fields, CLI_JSON_COUNT(fields)};
        cli_json_envelope(stdout, &o, EXIT_USAGE);
    } else {
        if (command == NULL) {
            cli_say(stderr, "gradprint: %s\n", message != NULL ? message : "?");
            fprintf(stderr, "%s", _("Try 'gradprint --help'.\n"));
        } else {
            cli_say(stderr, "gradprint %s: %s\n", command, message != NULL ? message : "?");
            fprintf(stderr, _("Try 'gradprint %s --help'.\n"), command);
        }
    }
    free(message);
    return EXIT_USAGE;
}

int cli_fail(const char *command, gp_error *err)
{
    gp_status st = err != NULL ? gp_error_status(err) : GP_E_INTERNAL;
    cli_outcome o = {command, st, err, NULL, NULL, 0};
    return cli_finish_outcome(&o, mode.json, false, NULL, NULL);
}

gp_context *cli_open_context(const char *command, int *code)
{
    gp_context *ctx = NULL;
    gp_error *err = NULL;
    if (gp_context_new(NULL, &ctx, &err) != GP_OK) {
        *code = cli_fail(command, err);
        return NULL;
    }
    *code = 0;
    return ctx;
}

static const char *severity_name(gp_severity s) { return s == GP_ERROR ? _("error") : _("warning"); }

static void print_finding(const gp_finding *f)
{
    fprintf(stderr, "%s: ", severity_name(f->severity));
    if (f->file != NULL && f->line > 0)
        cli_say(stderr, "%s:%ld: ", f->file, f->line);
    else if (f->file != NULL)
        cli_say(stderr, "%s: ", f->file);
    if (f->student_no != NULL)
        cli_say(stderr, "[%s] ", f->student_no);
    cli_say(stderr, "%s (%s)\n", f->message, f->code);
}

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
            print_finding(f);
        }
    }
}

int cli_finish_outcome(const cli_outcome *o, bool json, bool quiet, void (*summary)(const void *data),
                       const void *data)
{
    cli_interrupt_settle();
    int code = cli_exit_status(o->status);
    if (json) {
        cli_json_envelope(stdout, o, code);
    } else {
        if (o->report != NULL && (!quiet || gp_report_count_severity(o->report, GP_ERROR) > 0))
            cli_print_findings(o->report, 200);
        if (o->status != GP_OK) {
            cli_print_error(o->error);
            return code;
        }
        if (summary != NULL)
            summary(data);
    }
    gp_error_free(o->error);
    return code;
}
