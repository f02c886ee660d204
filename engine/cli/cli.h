/* Shared pieces of the gradprint command-line tool. The tool uses only the
 * public header gradprint.h, like any other program embedding the engine.
 *
 * One file per concern, as curl's tool does: option helpers and the way a
 * command finishes (cli-common.c), JSON output (cli-json.c), terminal-safe
 * text (cli-escape.c), Ctrl-C and SIGTERM (cli-interrupt.c: die cleanly;
 * cli-cancel.c: stop at a safe point), the progress
 * bar (progress.c), and a file per command (cmd-*.c). */
#ifndef GP_CLI_H
#define GP_CLI_H

#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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
    /* main starts cli_interrupt_init before the command runs */
    bool cleans_up_on_interrupt;
} cli_command;

int cmd_sheets(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_certs(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_template(int argc, char **argv);

/* ------------------------------------------------------------------ */
/* Options and exit statuses (cli-common.c)                            */

/* Parses a positive integer option value; false if it is not one. */
bool cli_parse_int(const char *s, int min, int max, int *out);

/* Maps a library status to the tool's exit status. */
int cli_exit_status(gp_status st);

/* Set by main when the command line asks for --json, before the command
 * parses its options, so that even a usage error answers in JSON. */
void cli_set_json_mode(const char *command, bool json);
bool cli_json_mode(void);
const char *cli_command_name(void);

/* A usage error: the message and a hint at --help on stderr (or, under
 * --json, the envelope with exit 1 on stdout); returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An error that ends a command before it has a result (a profile that does
 * not load, no context): the message on stderr, or the envelope under
 * --json. Frees err; returns the exit status. */
int cli_fail(const char *command, gp_error *err);

/* Creates a context from the environment's data directory; on failure
 * reports it as cli_fail does and stores the exit status in *code. */
gp_context *cli_open_context(const char *command, int *code);

/* Findings, one per line, on stderr: "error: FILE:LINE: [STUDENT] message (code)",
 * every control character escaped. */
void cli_print_findings(const gp_report *report, size_t max_lines);
/* Prints "gradprint: <message>" (escaped) for an error and frees it. */
void cli_print_error(gp_error *err);

/* ------------------------------------------------------------------ */
/* Text for a person's terminal (cli-escape.c)                         */

/* Decodes one UTF-8 sequence at s (not at its NUL): its length, and the
 * code point in *cp; 0 when the bytes are not valid UTF-8. */
size_t cli_utf8_decode(const unsigned char *s, uint32_t *cp);
/* C1 controls, bidirectional and other invisible format characters. */
bool cli_is_invisible(uint32_t cp);

/* Writes s with every character that could steer a terminal or hide text
 * made visible: C0 and C1 controls as \n, \t, \x1b ..., DEL, bidirectional
 * and other invisible format characters as \u202e ..., and bytes that are
 * not UTF-8 as \xff. Roster cells and file names are outside input: an
 * ESC ] 0 ; ... BEL in a name must not retitle or clear the terminal, and a
 * newline must not split a finding in two. */
void cli_put_escaped(FILE *out, const char *s);
/* printf into out with the whole result escaped as cli_put_escaped does,
 * except one newline at its very end: for one-line messages that carry
 * outside text ("certs: 36 pages -> %s\n"). */
void cli_say(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------ */
/* JSON output (cli-json.c)                                            */
/*
 * One writer for every command's --json, in the manner of curl's
 * tool_writeout_json.c: a command lists its own fields as a table of named,
 * typed values, and one function writes them into the envelope every
 * command shares:
 *
 *   {"command":"sheets","ok":true,"exit":0,"error":null,
 *    "findings":[{"severity":"error","code":...,"file":...,"line":12,
 *                 "student_no":...,"message":...}, ...],
 *    <the command's own fields>}
 *
 * A command's result in three steps:
 *
 *   const cli_json_field fields[] = {
 *       CLI_JSON_SIZE("rendered", gp_sheets_result_rendered(r)),
 *       CLI_JSON_STRING("out_dir", gp_sheets_result_out_dir(r)),
 *       CLI_JSON_CUSTOM("records", write_records, status),   // arrays, objects
 *   };
 *   cli_outcome o = {"status", st, err, report, fields, CLI_JSON_COUNT(fields)};
 *   return cli_finish_outcome(&o, json, quiet, print_summary, r);
 *
 * A CUSTOM field's function writes exactly one value with the cli_json_*
 * calls below (an array of objects, say), that value itself with the name
 * NULL; inside it, calls within an object give names, calls within an
 * array give NULL. Strings are escaped (invalid UTF-8
 * becomes U+FFFD), non-finite numbers become null. */

typedef struct cli_json cli_json;

typedef enum cli_json_type {
    CLI_JSON_T_STRING, /* .str; NULL writes null */
    CLI_JSON_T_SIZE,   /* .size */
    CLI_JSON_T_LONG,   /* .integer */
    CLI_JSON_T_NUMBER, /* .number */
    CLI_JSON_T_BOOL,   /* .boolean */
    CLI_JSON_T_NULL,
    CLI_JSON_T_CUSTOM  /* .write(w, .data) writes the value */
} cli_json_type;

typedef struct cli_json_field {
    const char *name;
    cli_json_type type;
    union {
        const char *str;
        size_t size;
        long integer;
        double number;
        bool boolean;
        const void *data;
    };
    void (*write)(cli_json *w, const void *data);
} cli_json_field;

#define CLI_JSON_STRING(n, v) {.name = (n), .type = CLI_JSON_T_STRING, .str = (v)}
#define CLI_JSON_SIZE(n, v) {.name = (n), .type = CLI_JSON_T_SIZE, .size = (v)}
#define CLI_JSON_LONG(n, v) {.name = (n), .type = CLI_JSON_T_LONG, .integer = (v)}
#define CLI_JSON_NUMBER(n, v) {.name = (n), .type = CLI_JSON_T_NUMBER, .number = (v)}
#define CLI_JSON_BOOL(n, v) {.name = (n), .type = CLI_JSON_T_BOOL, .boolean = (v)}
#define CLI_JSON_NULL(n) {.name = (n), .type = CLI_JSON_T_NULL}
#define CLI_JSON_CUSTOM(n, fn, d) {.name = (n), .type = CLI_JSON_T_CUSTOM, .data = (d), .write = (fn)}
#define CLI_JSON_COUNT(fields) (sizeof(fields) / sizeof((fields)[0]))

/* The values of a table, each under its name (inside an object). */
void cli_json_fields(cli_json *w, const cli_json_field *fields, size_t n);
/* The table as one object (name NULL inside an array). */
void cli_json_object(cli_json *w, const char *name, const cli_json_field *fields, size_t n);
/* One value; name is NULL inside an array. */
void cli_json_value(cli_json *w, const char *name, const cli_json_field *value);
void cli_json_str(cli_json *w, const char *name, const char *s);
void cli_json_size(cli_json *w, const char *name, size_t v);
void cli_json_long(cli_json *w, const char *name, long v);
void cli_json_bool(cli_json *w, const char *name, bool v);
void cli_json_number(cli_json *w, const char *name, double v);
void cli_json_null(cli_json *w, const char *name);
void cli_json_object_begin(cli_json *w, const char *name);
void cli_json_object_end(cli_json *w);
void cli_json_array_begin(cli_json *w, const char *name);
void cli_json_array_end(cli_json *w);
/* A report's findings as an array. */
void cli_json_report(cli_json *w, const char *name, const gp_report *report);

/* How a command ended, for the envelope and the summary. */
typedef struct cli_outcome {
    const char *command;
    gp_status status;
    gp_error *error;          /* may be NULL; cli_finish_outcome frees it */
    const gp_report *report;  /* may be NULL */
    const cli_json_field *fields;
    size_t nfields;
} cli_outcome;

/* Writes the envelope for o (exit status exit) as one line to out. */
void cli_json_envelope(FILE *out, const cli_outcome *o, int exit);

/* Shows a command's outcome and returns its exit status: under --json the
 * envelope on stdout; otherwise the findings (warnings only when not
 * quiet), the error, and on success summary(data) (may be NULL). Frees
 * o->error. */
int cli_finish_outcome(const cli_outcome *o, bool json, bool quiet, void (*summary)(const void *data),
                       const void *data);

/* ------------------------------------------------------------------ */
/* Roster options: --encoding, --sheet, --map, --map-file (cli-roster-args.c) */

/* Option codes above any command's own. */
enum { CLI_OPT_ENCODING = 0x10000, CLI_OPT_SHEET, CLI_OPT_MAP, CLI_OPT_MAP_FILE };
#define CLI_ROSTER_OPTIONS                                                                                   \
    {"encoding", required_argument, NULL, CLI_OPT_ENCODING}, {"sheet", required_argument, NULL, CLI_OPT_SHEET}, \
        {"map", required_argument, NULL, CLI_OPT_MAP}, {"map-file", required_argument, NULL, CLI_OPT_MAP_FILE}
/* Takes option c with its argument into roster when it is one of these
 * (true). --map values go into maps, which must have room for as many
 * entries as the command line has (argc). */
bool cli_roster_option(int c, const char *arg, gp_roster_options *roster, const char **maps);
bool cli_is_roster_option(int c);

/* ------------------------------------------------------------------ */
/* Where a printer puts marks: --profile and --offset (cli-placement.c) */

typedef struct cli_placement {
    const char *profile; /* --profile FILE, or NULL */
    double dx, dy;       /* --offset DX,DY in mm, added to the profile's offset */
} cli_placement;

/* --offset's value into p: 0, or EXIT_USAGE with the usage error reported. */
int cli_placement_offset(const char *command, const char *arg, cli_placement *p);
/* The calibration to draw with: profile (p->profile when NULL; none when
 * both are) with p's offset on top. 0, or the exit status with the error
 * reported under command's name. */
int cli_placement_calibration(const char *command, const cli_placement *p, const char *profile, gp_calibration *out);

/* ------------------------------------------------------------------ */
/* Stopping at a safe point (cli-cancel.c)                             */

typedef enum cli_stop_mode {
    CLI_STOP_CLEANLY, /* every signal only asks the job to stop */
    CLI_STOP_OR_ABORT /* the first asks (and says so on stderr), a second ends the process */
} cli_stop_mode;

/* SIGINT, SIGTERM and SIGHUP (those not ignored) set the returned flag, for
 * a job's cancel option; the job stops at its next safe point and its
 * command exits with EXIT_INTERRUPTED. For commands that are not
 * cleans_up_on_interrupt. */
gp_cancel_flag *cli_stop_on_signals(cli_stop_mode mode);

/* ------------------------------------------------------------------ */
/* Interrupted runs (cli-interrupt.c)                                  */

/* Takes SIGINT, SIGTERM and SIGHUP on one thread of its own, so that the
 * staging an interrupted job leaves (hidden, full of personal data) is
 * removed before the process dies of the signal. main calls it before a
 * command whose table entry says cleans_up_on_interrupt, before anything
 * starts a thread; the other commands keep the default signal behaviour. */
void cli_interrupt_init(void);
/* On an interrupt, the staging of target (an output file or directory)
 * that this process made is removed. target is copied. */
void cli_interrupt_protect(const char *target);
/* Returns at once, unless an interrupt is being handled: then it never
 * returns (the process ends by the signal). Called before a command reports
 * its outcome and before main returns, so a job that failed only because
 * its staging was being removed neither reports that nor exits first. */
void cli_interrupt_settle(void);

/* ------------------------------------------------------------------ */
/* A progress bar on stderr when it is a terminal; silent otherwise.   */

typedef struct cli_progress {
    bool enabled;
    double started;
    gp_phase phase;
} cli_progress;
void cli_progress_init(cli_progress *p, bool quiet);
void cli_progress_update(void *user, gp_phase phase, size_t done, size_t total);
void cli_progress_end(cli_progress *p);

#endif
