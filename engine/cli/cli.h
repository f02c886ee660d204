/* Shared pieces of the gradprint command-line tool. The tool uses only the
 * public header gradprint.h, like any other program embedding the engine. */
#ifndef GP_CLI_H
#define GP_CLI_H

#include <libintl.h>
#include <stdbool.h>
#include <stdio.h>

#include "gradprint.h"

#define _(msgid) dgettext("gradprint", msgid)
#define N_(msgid) msgid

/* Exit statuses users rely on. */
enum { EXIT_USAGE = 1, EXIT_INVALID = 2, EXIT_IO = 3, EXIT_INTERRUPTED = 130 };

typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} cli_command;

int cmd_sheets(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_certs(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);

/* "DX,DY" in millimetres. */
bool cli_parse_offset(const char *s, double *dx, double *dy);

/* Maps a library status to the tool's exit status. */
int cli_exit_status(gp_status st);
/* Prints "gradprint: <message>" for an error and frees it. */
void cli_print_error(gp_error *err);
/* A usage error: message, a hint at --help, exit status 1. */
int cli_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Creates a context from the environment's data directory. */
gp_context *cli_context(void);

/* Findings, one per line, on stderr: "error: FILE:LINE: [STUDENT] message (code)". */
void cli_print_findings(const gp_report *report, size_t max_lines);
/* How a command shows its result: its own JSON fields (written after
 * "status" and "error", each starting with a comma) and its one-line summary. */
typedef struct cli_result_view {
    void (*json_fields)(FILE *out, const void *result);
    void (*summary)(const void *result);
    const void *result;
} cli_result_view;

/* Prints a job's outcome — findings, the error, then the summary or one JSON
 * object on stdout — frees err and returns the exit status. */
int cli_finish(gp_status st, gp_error *err, const gp_report *report, bool json, bool quiet,
               const cli_result_view *view);

/* JSON output helpers. */
void cli_json_string(FILE *out, const char *s);
void cli_json_findings(FILE *out, const gp_report *report);

/* A progress bar on stderr when it is a terminal; silent otherwise. */
typedef struct cli_progress {
    bool enabled;
    double started;
    gp_phase phase;
} cli_progress;
void cli_progress_init(cli_progress *p, bool quiet);
void cli_progress_update(void *user, gp_phase phase, size_t done, size_t total);
void cli_progress_end(cli_progress *p);

/* Parses a positive integer option value; false if it is not one. */
bool cli_parse_int(const char *s, int min, int max, int *out);

#endif
