/* gradprint print, status, reprint, void, report and printer check:
 * certificates through CUPS onto serial-numbered blanks, with a journal to
 * resume and audit. One file per command; run-args.c parses the options
 * the run commands share. */
#ifndef GP_CMD_PRINT_H
#define GP_CMD_PRINT_H

#include <stdbool.h>

#include "gradprint.h"

int cmd_print(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_reprint(int argc, char **argv);
int cmd_void(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_printer(int argc, char **argv);

/* The options status, reprint, void and report share. */
typedef struct run_args {
    const char *run, *records, *reason, *blank, *out;
    bool json;
} run_args;

/* Parses them; 0 to go on, -1 when --help was printed, else the exit status. */
int parse_run_args(const char *command, int argc, char **argv, run_args *a, const char *help);

/* --printer QUEUE[=PROFILE] with --profile and --offset: a queue and its
 * calibration (its own PROFILE in place of --profile). 0, or the exit
 * status of a bad profile (reported as cli_fail does, under command's name). */
int parse_queue_arg(const char *command, char *arg, const cli_placement *placement, gp_print_queue *out);

#endif
