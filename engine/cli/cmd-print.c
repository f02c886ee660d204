/* gradprint print — a print run of certificates through CUPS, journalled
 * in a run directory. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-print.h"

#define MAX_QUEUES 16

static void print_help(void)
{
    printf("%s", _("Usage: gradprint print --run DIR --printer QUEUE --roster FILE --template FILE [options]\n"
                   "       gradprint print --run DIR --resume [--printer QUEUE] [--tray NAME] [--batch N] [options]\n"
                   "\n"
                   "Prints one certificate per graduate through CUPS onto pre-printed blanks, in batches of what the\n"
                   "tray holds. Each queue is checked first: it must print the blank at exactly 1:1, as it is or\n"
                   "turned by gradprint (the prompt then says which edge of the blank goes in first), or the run is\n"
                   "refused before any blank is used. Every graduate is checked too, as by 'gradprint certs'; on\n"
                   "errors nothing prints. Each step is journalled in DIR, so a run stopped at any moment (crash,\n"
                   "paused printer, 'q' at the prompt, Ctrl-C) continues with --resume without printing any\n"
                   "certificate twice or wasting a blank.\n"
                   "\n"
                   "  --run DIR             run directory (created with its parents, private); new or empty unless\n"
                   "                        --resume\n"
                   "  --printer QUEUE[=PROFILE]  CUPS queue or class; repeat for several printers: batches go to them\n"
                   "                        in turn, each rendered with its own profile when given\n"
                   "  --roster FILE         roster: XLSX, XLS, ODS or CSV (UTF-8 or GB18030)\n"
                   "  --photos DIR          folder of photos named <ID number>.jpg\n"
                   "  --template FILE       certificate template, e.g. templates/diploma-bachelor.xml\n"
                   "  --records LIST        roster lines and ranges (5-6,12) or student numbers, comma-separated\n"
                   "  --profile FILE        printer profile for queues without their own\n"
                   "  --offset DX,DY        move every mark by DX,DY mm, added to the profile's\n"
                   "  --encoding ENC        roster encoding: utf-8, gb18030 or gbk (default: detected)\n"
                   "  --sheet NAME          spreadsheet sheet (default: the first)\n"
                   "  --map COLUMN=KEY      a roster column named the school's way, e.g. 行政班=class (repeatable)\n"
                   "  --map-file FILE       a file of COLUMN=KEY lines, one per line\n"
                   "  --skip-invalid        print the valid graduates, list the skipped ones\n"
                   "  --batch N             pages per batch, what the tray holds (default 50)\n"
                   "  --tray NAME           input tray: the queue's media-source (e.g. tray-2) or its driver's name\n"
                   "  --first-blank SERIAL  serial number of the first blank, e.g. A0001234: the journal and the\n"
                   "                        audit report then say which blank holds which certificate\n"
                   "  --resume              continue the run in DIR; only --printer (with --profile, --offset),\n"
                   "                        --tray and --batch may change, each checked again\n"
                   "  --no-prompt           do not stop before each batch to have blanks loaded\n"
                   "  --wait-timeout S      give up waiting for a job after S seconds (default: wait)\n"
                   "  --keep                keep each batch's PDF in DIR after it printed\n"
                   "  --json                print the result as JSON on stdout\n"
                   "  --quiet               no progress messages\n"
                   "  --help                this help\n"
                   "\n"
                   "Related: gradprint printer check, and status|reprint|void|report --run DIR (see their --help).\n"
                   "Exit status: 0 done (or stopped at the prompt), 1 usage error, 2 input failed validation,\n"
                   "3 printing or I/O failed or a queue cannot print the blank at 1:1, 130 interrupted (Ctrl-C).\n"
                   "After 3 or 130 the run continues with --resume.\n"));
}

typedef struct print_ui {
    bool quiet;
    cli_progress progress;
    const gp_cancel_flag *stop; /* set by Ctrl-C */
} print_ui;

/* The operator's answer: false for q, the end of input, or Ctrl-C. The
 * wait looks at the stop flag between short polls rather than blocking in
 * a read: a Ctrl-C that lands after the prompt is shown but before the
 * read starts (or on another thread) interrupts no read, and a blocking
 * one would wait for good. */
static bool read_answer(const print_ui *ui)
{
    for (;;) {
        if (*ui->stop)
            return false;
        struct pollfd in = {STDIN_FILENO, POLLIN, 0};
        int ready = poll(&in, 1, 200);
        if (ready > 0)
            break;
        if (ready < 0 && errno != EINTR)
            return false;
    }
    char line[64];
    if (fgets(line, sizeof line, stdin) == NULL)
        return false;
    /* A terminal hands over whole lines: the rest of a long one is buffered. */
    for (int ch = 0; strchr(line, '\n') == NULL && ch != '\n' && ch != EOF;)
        ch = getchar();
    return line[0] != 'q' && line[0] != 'Q';
}

/* The bar shows the checks; batches report through notices instead. */
static void print_progress(void *user, gp_phase phase, size_t done, size_t total)
{
    print_ui *ui = user;
    if (phase == GP_PHASE_PREFLIGHT)
        cli_progress_update(&ui->progress, phase, done, total);
}

static void notice(void *user, const char *message)
{
    print_ui *ui = user;
    cli_progress_end(&ui->progress);
    if (!ui->quiet)
        fprintf(stderr, "gradprint: %s\n", message);
}

static bool prompt(void *user, const gp_print_batch_info *b)
{
    print_ui *ui = user;
    cli_progress_end(&ui->progress);
    char where[300];
    if (b->tray != NULL)
        snprintf(where, sizeof where, _("%s of %s"), b->tray, b->queue);
    else
        snprintf(where, sizeof where, "%s", b->queue);
    if (b->loading != NULL)
        fprintf(stderr, "%s\n", b->loading);
    if (b->first_serial != NULL)
        fprintf(stderr, _("Load %zu blanks (serials %s–%s) into %s, then press Enter; q to stop: "), b->pages,
                b->first_serial, b->last_serial, where);
    else
        fprintf(stderr, _("Load %zu blanks into %s, then press Enter; q to stop: "), b->pages, where);
    fflush(stderr);
    return read_answer(ui);
}

static const char *orientation_name(gp_print_orientation o)
{
    return o == GP_ORIENTATION_TURNED ? "turned" : o == GP_ORIENTATION_AS_IS ? "as-is" : "none";
}

static void write_batches(cli_json *w, const void *data)
{
    const gp_print_result *r = data;
    cli_json_array_begin(w, NULL);
    for (size_t i = 0; i < gp_print_result_batches(r); i++) {
        gp_print_batch_result b;
        gp_print_result_batch(r, i, &b);
        const cli_json_field fields[] = {
            CLI_JSON_LONG("batch", b.batch),
            CLI_JSON_STRING("queue", b.queue),
            CLI_JSON_LONG("job", b.job_id),
            CLI_JSON_SIZE("pages", b.pages),
            CLI_JSON_STRING("state", b.state),
            CLI_JSON_STRING("first_blank", b.first_serial),
            CLI_JSON_STRING("last_blank", b.last_serial),
            CLI_JSON_STRING("page_size", b.media),
            CLI_JSON_STRING("orientation", orientation_name(b.orientation)),
        };
        cli_json_object(w, NULL, fields, CLI_JSON_COUNT(fields));
    }
    cli_json_array_end(w);
}

static void summary(const void *result)
{
    const gp_print_result *r = result;
    if (r == NULL)
        return;
    if (gp_print_result_stopped(r))
        printf(_("print: stopped; %zu pages printed now, %zu still to print (continue with --resume)\n"),
               gp_print_result_printed(r), gp_print_result_remaining(r));
    else
        printf(_("print: run %s done; %zu pages printed now, %zu skipped\n"), gp_print_result_run_id(r),
               gp_print_result_printed(r), gp_print_result_skipped(r));
}

/* The command line, read but not yet checked against itself. */
typedef struct print_args {
    gp_print_options o;
    char *printers[MAX_QUEUES];
    size_t n_printers;
    cli_placement placement;
    const char **maps; /* room for the --map values: one per argv entry */
    const char *fixed; /* the name of the last option a resume may not change, or NULL */
    bool json, no_prompt;
    print_ui ui;
} print_args;

/* Reads the options into a: -1 to go on, else the exit status (--help: 0). */
static int read_print_args(int argc, char **argv, print_args *a)
{
    enum { OPT_RUN = 256, OPT_PRINTER, OPT_ROSTER, OPT_PHOTOS, OPT_TEMPLATE, OPT_RECORDS, OPT_PROFILE, OPT_OFFSET,
           OPT_SKIP, OPT_BATCH, OPT_TRAY, OPT_FIRST, OPT_RESUME, OPT_NOPROMPT, OPT_WAIT,
           OPT_KEEP, OPT_JSON, OPT_QUIET, OPT_HELP };
    static const struct option longopts[] = {
        {"run", required_argument, NULL, OPT_RUN},           {"printer", required_argument, NULL, OPT_PRINTER},
        {"roster", required_argument, NULL, OPT_ROSTER},     {"photos", required_argument, NULL, OPT_PHOTOS},
        {"template", required_argument, NULL, OPT_TEMPLATE}, {"records", required_argument, NULL, OPT_RECORDS},
        {"profile", required_argument, NULL, OPT_PROFILE},   {"offset", required_argument, NULL, OPT_OFFSET},
        CLI_ROSTER_OPTIONS,
        {"skip-invalid", no_argument, NULL, OPT_SKIP},       {"batch", required_argument, NULL, OPT_BATCH},
        {"tray", required_argument, NULL, OPT_TRAY},         {"first-blank", required_argument, NULL, OPT_FIRST},
        {"resume", no_argument, NULL, OPT_RESUME},           {"no-prompt", no_argument, NULL, OPT_NOPROMPT},
        {"wait-timeout", required_argument, NULL, OPT_WAIT}, {"keep", no_argument, NULL, OPT_KEEP},
        {"json", no_argument, NULL, OPT_JSON},               {"quiet", no_argument, NULL, OPT_QUIET},
        {"help", no_argument, NULL, OPT_HELP},               {NULL, 0, NULL, 0},
    };
    gp_print_options *o = &a->o;
    int c, which = -1;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, &which)) != -1) {
        /* What a resume may not change: the run's records and blanks. */
        if (c == OPT_ROSTER || c == OPT_PHOTOS || c == OPT_TEMPLATE || c == OPT_RECORDS || cli_is_roster_option(c) ||
            c == OPT_SKIP || c == OPT_FIRST)
            a->fixed = longopts[which].name;
        switch (c) {
        case OPT_RUN: o->run_dir = optarg; break;
        case OPT_PRINTER:
            if (a->n_printers == MAX_QUEUES)
                return cli_usage_error("print", _("at most %d printers"), MAX_QUEUES);
            a->printers[a->n_printers++] = optarg;
            break;
        case OPT_ROSTER: o->certs.roster_path = optarg; break;
        case OPT_PHOTOS: o->certs.photos_dir = optarg; break;
        case OPT_TEMPLATE: o->certs.template_path = optarg; break;
        case OPT_RECORDS: o->certs.records = optarg; break;
        case OPT_PROFILE: a->placement.profile = optarg; break;
        case OPT_OFFSET:
            if (cli_placement_offset("print", optarg, &a->placement) != 0)
                return EXIT_USAGE;
            break;
        case OPT_SKIP: o->certs.skip_invalid = true; break;
        case OPT_BATCH:
            if (!cli_parse_int(optarg, 1, 10000, &o->batch_size))
                return cli_usage_error("print", _("--batch takes the number of blanks the tray holds, 1 to 10000, "
                                                  "not '%s'"),
                                       optarg);
            break;
        case OPT_TRAY: o->tray = optarg; break;
        case OPT_FIRST: o->first_blank = optarg; break;
        case OPT_RESUME: o->resume = true; break;
        case OPT_NOPROMPT: a->no_prompt = true; break;
        case OPT_WAIT: {
            char *end;
            o->wait_timeout_s = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(o->wait_timeout_s > 0) || o->wait_timeout_s > 86400 * 7)
                return cli_usage_error("print", _("--wait-timeout takes seconds, e.g. 300, not '%s'"), optarg);
            break;
        }
        case OPT_KEEP: o->keep = true; break;
        case OPT_JSON: a->json = true; break;
        case OPT_QUIET: a->ui.quiet = true; break;
        case OPT_HELP: print_help(); return 0;
        default:
            if (cli_roster_option(c, optarg, &o->certs.roster, a->maps))
                break;
            return cli_usage_error("print", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("print", _("unexpected argument '%s'"), argv[optind]);
    return -1;
}

/* The options that only make sense together: 0, or the usage error's status. */
static int check_print_args(const print_args *a)
{
    const gp_print_options *o = &a->o;
    if (o->run_dir == NULL)
        return cli_usage_error("print", "%s", _("--run DIR is required"));
    if (o->resume && a->fixed != NULL)
        return cli_usage_error("print", _("--resume continues with the records and blanks the run started with; "
                                          "leave out --%s (a resume may change --printer, --tray and --batch)"),
                               a->fixed);
    if (!o->resume && (o->certs.roster_path == NULL || o->certs.template_path == NULL || a->n_printers == 0))
        return cli_usage_error("print", "%s", _("--roster, --template and --printer are required"));
    bool placed = a->placement.profile != NULL || a->placement.dx != 0 || a->placement.dy != 0;
    if (o->resume && a->n_printers == 0 && placed)
        return cli_usage_error("print", "%s", _("--profile and --offset belong to --printer; name the printers too"));
    return 0;
}

/* The operator's side of the run: notices and the progress bar on stderr,
 * the prompt between batches when a person is at the terminal, Ctrl-C. */
static void attach_operator(print_args *a)
{
    gp_print_options *o = &a->o;
    if (a->json)
        a->ui.quiet = true;
    o->notice = notice;
    o->notice_user = &a->ui;
    if (!a->no_prompt && !a->json && isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
        o->prompt = prompt;
        o->prompt_user = &a->ui;
    }
    /* Ctrl-C: stop at the next safe point; a second one stops at once (the
     * journal makes that safe too). */
    o->interrupted = cli_stop_on_signals(CLI_STOP_OR_ABORT);
    a->ui.stop = o->interrupted;
    cli_progress_init(&a->ui.progress, a->ui.quiet);
    o->certs.progress = print_progress;
    o->certs.progress_user = &a->ui;
}

static int report_print_run(const print_args *a, gp_status st, gp_error *err, const gp_print_result *res)
{
    const cli_json_field fields[] = {
        CLI_JSON_STRING("run", gp_print_result_run_id(res)),
        CLI_JSON_SIZE("selected", gp_print_result_selected(res)),
        CLI_JSON_SIZE("skipped", gp_print_result_skipped(res)),
        CLI_JSON_SIZE("printed", gp_print_result_printed(res)),
        CLI_JSON_SIZE("remaining", gp_print_result_remaining(res)),
        CLI_JSON_BOOL("stopped", gp_print_result_stopped(res)),
        CLI_JSON_STRING("next_blank", gp_print_result_next_serial(res)),
        CLI_JSON_CUSTOM("batches", write_batches, res),
    };
    cli_outcome outcome = {"print", st, err, gp_print_result_report(res), fields, CLI_JSON_COUNT(fields)};
    return cli_finish_outcome(&outcome, a->json, a->ui.quiet, summary, res);
}

int cmd_print(int argc, char **argv)
{
    print_args a;
    memset(&a, 0, sizeof a);
    gp_print_options_init(&a.o);
    const char *maps[argc > 0 ? argc : 1];
    a.maps = maps;
    int code = read_print_args(argc, argv, &a);
    if (code >= 0)
        return code;
    if ((code = check_print_args(&a)) != 0)
        return code;
    gp_print_queue queues[MAX_QUEUES];
    for (size_t i = 0; i < a.n_printers; i++)
        if ((code = parse_queue_arg("print", a.printers[i], &a.placement, &queues[i])) != 0)
            return code;
    a.o.queues = a.n_printers > 0 ? queues : NULL;
    a.o.n_queues = a.n_printers;

    gp_context *ctx = cli_open_context("print", &code);
    if (ctx == NULL)
        return code;
    attach_operator(&a);
    gp_print_result *res = NULL;
    gp_error *err = NULL;
    gp_status st = gp_print_run(ctx, &a.o, &res, &err);
    cli_progress_end(&a.ui.progress);
    code = report_print_run(&a, st, err, res);
    gp_print_result_free(res);
    gp_context_free(ctx);
    return code;
}
