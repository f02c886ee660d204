/* gradprint print / status / reprint / void / report — a print run of
 * certificates through CUPS, journalled in a run directory. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-print.h"

#define MAX_QUEUES 16

static void print_help(void)
{
    printf("%s", _("Usage: gradprint print --run DIR --printer QUEUE --roster FILE --template FILE [options]\n"
                   "       gradprint print --run DIR --resume [--no-prompt] [--wait-timeout S] [--keep] [--json]\n"
                   "\n"
                   "Prints one certificate per graduate through CUPS onto pre-printed blanks, in batches of what the\n"
                   "tray holds. Every graduate is checked first, as by 'gradprint certs'; on errors nothing prints.\n"
                   "Each step is journalled in DIR, so a run stopped at any moment (crash, paused printer, 'q' at the\n"
                   "prompt) continues with --resume without printing any certificate twice.\n"
                   "\n"
                   "  --run DIR             run directory (created, private); must be new or empty unless --resume\n"
                   "  --printer QUEUE[=PROFILE]  CUPS queue or class; repeat for several printers: batches go to them\n"
                   "                        in turn, each rendered with its own profile when given\n"
                   "  --roster FILE         roster: XLSX, XLS, ODS or CSV (UTF-8 or GB18030)\n"
                   "  --photos DIR          folder of photos named <ID number>.jpg\n"
                   "  --template FILE       certificate template, e.g. templates/diploma-bachelor.xml\n"
                   "  --records LIST        rows and ranges (1-2,7) or student numbers, comma-separated\n"
                   "  --profile FILE        printer profile for queues without their own\n"
                   "  --offset DX,DY        move every mark by DX,DY mm, added to the profile's\n"
                   "  --encoding ENC        roster encoding: utf-8, gb18030 or gbk (default: detected)\n"
                   "  --sheet NAME          spreadsheet sheet (default: the first)\n"
                   "  --skip-invalid        print the valid graduates, list the skipped ones\n"
                   "  --batch N             pages per batch, what the tray holds (default 50)\n"
                   "  --tray NAME           input tray as the queue names it (media-source), e.g. tray-2\n"
                   "  --first-blank SERIAL  serial number of the first blank, e.g. A0001234: the journal and the\n"
                   "                        audit report then say which blank holds which certificate\n"
                   "  --resume              continue the run in DIR with the settings it started with\n"
                   "  --no-prompt           do not stop before each batch to have blanks loaded\n"
                   "  --wait-timeout S      give up waiting for a job after S seconds (default: wait)\n"
                   "  --keep                keep each batch's PDF in DIR after it printed\n"
                   "  --json                print the result as JSON on stdout\n"
                   "  --quiet               no progress messages\n"
                   "  --help                this help\n"
                   "\n"
                   "Related: gradprint status|reprint|void|report --run DIR (see their --help).\n"
                   "Exit status: 0 done, 1 usage error, 2 input failed validation, 3 printing or I/O failed\n"
                   "(resumable).\n"));
}

typedef struct print_ui {
    bool quiet;
    cli_progress progress;
} print_ui;

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
    if (b->first_serial != NULL)
        fprintf(stderr, _("Load %zu blanks (serials %s–%s) into %s, then press Enter; q to stop: "), b->pages,
                b->first_serial, b->last_serial, where);
    else
        fprintf(stderr, _("Load %zu blanks into %s, then press Enter; q to stop: "), b->pages, where);
    fflush(stderr);
    char line[64];
    if (fgets(line, sizeof line, stdin) == NULL)
        return false;
    return line[0] != 'q' && line[0] != 'Q';
}

static void json_fields(FILE *out, const void *result)
{
    const gp_print_result *r = result;
    fprintf(out, ",\"run\":");
    cli_json_string(out, gp_print_result_run_id(r));
    fprintf(out, ",\"selected\":%zu,\"skipped\":%zu,\"printed\":%zu,\"remaining\":%zu,\"stopped\":%s",
            gp_print_result_selected(r), gp_print_result_skipped(r), gp_print_result_printed(r),
            gp_print_result_remaining(r), gp_print_result_stopped(r) ? "true" : "false");
}

static void summary(const void *result)
{
    const gp_print_result *r = result;
    if (gp_print_result_stopped(r))
        printf(_("print: stopped; %zu pages printed now, %zu still to print (continue with --resume)\n"),
               gp_print_result_printed(r), gp_print_result_remaining(r));
    else
        printf(_("print: run %s done; %zu pages printed now, %zu skipped\n"), gp_print_result_run_id(r),
               gp_print_result_printed(r), gp_print_result_skipped(r));
}

/* QUEUE or QUEUE=PROFILE */
static int add_queue(gp_print_queue *queues, size_t *n, char *arg, const gp_calibration *base, double dx, double dy)
{
    if (*n == MAX_QUEUES)
        return cli_usage_error("print", _("at most %d printers"), MAX_QUEUES);
    gp_print_queue *q = &queues[*n];
    char *eq = strchr(arg, '=');
    q->name = arg;
    q->calibration = *base;
    if (eq != NULL) {
        *eq = '\0';
        gp_error *err = NULL;
        if (gp_calibration_load(eq + 1, &q->calibration, &err) != GP_OK) {
            gp_status st = gp_error_status(err);
            cli_print_error(err);
            return cli_exit_status(st);
        }
    }
    q->calibration.offset_x_mm += dx;
    q->calibration.offset_y_mm += dy;
    (*n)++;
    return 0;
}

int cmd_print(int argc, char **argv)
{
    enum { OPT_RUN = 256, OPT_PRINTER, OPT_ROSTER, OPT_PHOTOS, OPT_TEMPLATE, OPT_RECORDS, OPT_PROFILE, OPT_OFFSET,
           OPT_ENCODING, OPT_SHEET, OPT_SKIP, OPT_BATCH, OPT_TRAY, OPT_FIRST, OPT_RESUME, OPT_NOPROMPT, OPT_WAIT,
           OPT_KEEP, OPT_JSON, OPT_QUIET, OPT_HELP };
    static const struct option longopts[] = {
        {"run", required_argument, NULL, OPT_RUN},           {"printer", required_argument, NULL, OPT_PRINTER},
        {"roster", required_argument, NULL, OPT_ROSTER},     {"photos", required_argument, NULL, OPT_PHOTOS},
        {"template", required_argument, NULL, OPT_TEMPLATE}, {"records", required_argument, NULL, OPT_RECORDS},
        {"profile", required_argument, NULL, OPT_PROFILE},   {"offset", required_argument, NULL, OPT_OFFSET},
        {"encoding", required_argument, NULL, OPT_ENCODING}, {"sheet", required_argument, NULL, OPT_SHEET},
        {"skip-invalid", no_argument, NULL, OPT_SKIP},       {"batch", required_argument, NULL, OPT_BATCH},
        {"tray", required_argument, NULL, OPT_TRAY},         {"first-blank", required_argument, NULL, OPT_FIRST},
        {"resume", no_argument, NULL, OPT_RESUME},           {"no-prompt", no_argument, NULL, OPT_NOPROMPT},
        {"wait-timeout", required_argument, NULL, OPT_WAIT}, {"keep", no_argument, NULL, OPT_KEEP},
        {"json", no_argument, NULL, OPT_JSON},               {"quiet", no_argument, NULL, OPT_QUIET},
        {"help", no_argument, NULL, OPT_HELP},               {NULL, 0, NULL, 0},
    };
    gp_print_options o;
    gp_print_options_init(&o);
    char *printers[MAX_QUEUES];
    size_t n_printers = 0;
    const char *profile = NULL, *settings = NULL;
    double dx = 0, dy = 0;
    bool json = false, no_prompt = false;
    print_ui ui;
    memset(&ui, 0, sizeof ui);
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != OPT_RUN && c != OPT_RESUME && c != OPT_NOPROMPT && c != OPT_WAIT && c != OPT_KEEP &&
            c != OPT_JSON && c != OPT_QUIET && c != OPT_HELP && c != '?' && c != ':')
            settings = argv[optind - 1];
        switch (c) {
        case OPT_RUN: o.run_dir = optarg; break;
        case OPT_PRINTER:
            if (n_printers == MAX_QUEUES)
                return cli_usage_error("print", _("at most %d printers"), MAX_QUEUES);
            printers[n_printers++] = optarg;
            break;
        case OPT_ROSTER: o.certs.roster_path = optarg; break;
        case OPT_PHOTOS: o.certs.photos_dir = optarg; break;
        case OPT_TEMPLATE: o.certs.template_path = optarg; break;
        case OPT_RECORDS: o.certs.records = optarg; break;
        case OPT_PROFILE: profile = optarg; break;
        case OPT_OFFSET:
            if (!cli_parse_offset(optarg, &dx, &dy))
                return cli_usage_error("print", _("--offset takes DX,DY in millimetres, e.g. 0.8,-1.2, not '%s'"),
                                       optarg);
            break;
        case OPT_ENCODING: o.certs.roster.encoding = optarg; break;
        case OPT_SHEET: o.certs.roster.sheet = optarg; break;
        case OPT_SKIP: o.certs.skip_invalid = true; break;
        case OPT_BATCH:
            if (!cli_parse_int(optarg, 1, 10000, &o.batch_size))
                return cli_usage_error("print", _("--batch takes the number of blanks the tray holds, 1 to 10000, "
                                                  "not '%s'"),
                                       optarg);
            break;
        case OPT_TRAY: o.tray = optarg; break;
        case OPT_FIRST: o.first_blank = optarg; break;
        case OPT_RESUME: o.resume = true; break;
        case OPT_NOPROMPT: no_prompt = true; break;
        case OPT_WAIT: {
            char *end;
            o.wait_timeout_s = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(o.wait_timeout_s > 0) || o.wait_timeout_s > 86400 * 7)
                return cli_usage_error("print", _("--wait-timeout takes seconds, e.g. 300, not '%s'"), optarg);
            break;
        }
        case OPT_KEEP: o.keep = true; break;
        case OPT_JSON: json = true; break;
        case OPT_QUIET: ui.quiet = true; break;
        case OPT_HELP: print_help(); return 0;
        default: return cli_usage_error("print", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("print", _("unexpected argument '%s'"), argv[optind]);
    if (o.run_dir == NULL)
        return cli_usage_error("print", "%s", _("--run DIR is required"));
    if (o.resume && settings != NULL)
        return cli_usage_error("print", _("--resume continues with the settings the run started with; leave out "
                                          "'%s'"),
                               settings);
    gp_print_queue queues[MAX_QUEUES];
    if (!o.resume) {
        if (o.certs.roster_path == NULL || o.certs.template_path == NULL || n_printers == 0)
            return cli_usage_error("print", "%s", _("--roster, --template and --printer are required"));
        gp_calibration base;
        gp_calibration_init(&base);
        gp_error *err = NULL;
        if (profile != NULL && gp_calibration_load(profile, &base, &err) != GP_OK) {
            gp_status st = gp_error_status(err);
            cli_print_error(err);
            return cli_exit_status(st);
        }
        size_t nq = 0;
        for (size_t i = 0; i < n_printers; i++) {
            int rc = add_queue(queues, &nq, printers[i], &base, dx, dy);
            if (rc != 0)
                return rc;
        }
        o.queues = queues;
        o.n_queues = nq;
    }
    if (json)
        ui.quiet = true;
    o.notice = notice;
    o.notice_user = &ui;
    if (!no_prompt && !json && isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
        o.prompt = prompt;
        o.prompt_user = &ui;
    }

    gp_context *ctx = cli_context();
    if (ctx == NULL)
        return EXIT_USAGE;
    cli_progress_init(&ui.progress, ui.quiet);
    o.certs.progress = print_progress;
    o.certs.progress_user = &ui;
    gp_print_result *res = NULL;
    gp_error *err = NULL;
    gp_status st = gp_print_run(ctx, &o, &res, &err);
    cli_progress_end(&ui.progress);
    cli_result_view view = {json_fields, summary, res};
    int code = cli_finish(st, err, gp_print_result_report(res), json, ui.quiet, &view);
    gp_print_result_free(res);
    gp_context_free(ctx);
    return code;
}

/* ------------------------------------------------------------------ */

/* Parses the options shared by status, reprint, void and report. */
typedef struct run_args {
    const char *run, *records, *reason, *blank, *out;
    bool json;
} run_args;

static int parse_run_args(const char *command, int argc, char **argv, run_args *a, const char *help)
{
    enum { OPT_RUN = 256, OPT_RECORDS, OPT_REASON, OPT_BLANK, OPT_OUT, OPT_JSON, OPT_HELP };
    static const struct option longopts[] = {
        {"run", required_argument, NULL, OPT_RUN},       {"records", required_argument, NULL, OPT_RECORDS},
        {"reason", required_argument, NULL, OPT_REASON}, {"blank", required_argument, NULL, OPT_BLANK},
        {"out", required_argument, NULL, OPT_OUT},       {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, OPT_HELP},           {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_RUN: a->run = optarg; break;
        case OPT_RECORDS: a->records = optarg; break;
        case OPT_REASON: a->reason = optarg; break;
        case OPT_BLANK: a->blank = optarg; break;
        case OPT_OUT: a->out = optarg; break;
        case OPT_JSON: a->json = true; break;
        case OPT_HELP: printf("%s", help); return -1;
        default: return cli_usage_error(command, _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(command, _("unexpected argument '%s'"), argv[optind]);
    if (a->run == NULL)
        return cli_usage_error(command, "%s", _("--run DIR is required"));
    return 0;
}

static int fail(gp_error *err)
{
    gp_status st = gp_error_status(err);
    cli_print_error(err);
    return cli_exit_status(st);
}

static const char *status_name(gp_print_record_status s)
{
    static const char *const names[] = {"pending", "rendered", "submitted", "completed", "failed"};
    return names[s];
}

static void status_json(const gp_print_status *s)
{
    printf("{\"run\":");
    cli_json_string(stdout, gp_print_status_run_id(s));
    printf(",\"template\":");
    cli_json_string(stdout, gp_print_status_template(s));
    printf(",\"queues\":");
    cli_json_string(stdout, gp_print_status_queues(s));
    printf(",\"started\":");
    cli_json_string(stdout, gp_print_status_started(s));
    printf(",\"updated\":");
    cli_json_string(stdout, gp_print_status_updated(s));
    printf(",\"total\":%zu,\"counts\":{", gp_print_status_total(s));
    for (int k = GP_PRINT_PENDING; k <= GP_PRINT_FAILED; k++)
        printf("%s\"%s\":%zu", k ? "," : "", status_name((gp_print_record_status)k),
               gp_print_status_count(s, (gp_print_record_status)k));
    printf("},\"batches\":%zu,\"blanks_used\":%zu,\"blanks_voided\":%zu,\"blanks_replaced\":%zu,\"records\":[",
           gp_print_status_batches(s), gp_print_status_blanks_used(s), gp_print_status_voided(s),
           gp_print_status_replaced(s));
    for (size_t i = 0; i < gp_print_status_records(s); i++) {
        gp_print_record_info r;
        gp_print_status_record(s, i, &r);
        printf("%s{\"row\":%ld,\"student_no\":", i ? "," : "", r.row);
        cli_json_string(stdout, r.student_no);
        printf(",\"status\":\"%s\",\"batch\":%ld,\"job\":%d,\"queue\":", status_name(r.status), r.batch, r.job_id);
        cli_json_string(stdout, r.queue);
        printf(",\"blank\":");
        cli_json_string(stdout, r.blank_serial);
        printf(",\"printed\":%d,\"reprints\":%d}", r.printed, r.reprints);
    }
    printf("],\"voided\":[");
    for (size_t i = 0; i < gp_print_status_voided(s); i++) {
        gp_print_void_info v;
        gp_print_status_void(s, i, &v);
        printf("%s{\"serial\":", i ? "," : "");
        cli_json_string(stdout, v.serial);
        printf(",\"reason\":");
        cli_json_string(stdout, v.reason);
        printf(",\"row\":%ld}", v.row);
    }
    printf("],\"replaced\":[");
    for (size_t i = 0; i < gp_print_status_replaced(s); i++) {
        gp_print_void_info v;
        gp_print_status_replaced_blank(s, i, &v);
        printf("%s{\"serial\":", i ? "," : "");
        cli_json_string(stdout, v.serial);
        printf(",\"reason\":");
        cli_json_string(stdout, v.reason);
        printf(",\"row\":%ld}", v.row);
    }
    printf("]}\n");
}

static void status_text(const gp_print_status *s)
{
    printf(_("run %s: template %s, queue(s) %s, started %s\n"), gp_print_status_run_id(s),
           gp_print_status_template(s) ? gp_print_status_template(s) : "-",
           gp_print_status_queues(s) ? gp_print_status_queues(s) : "-",
           gp_print_status_started(s) ? gp_print_status_started(s) : "-");
    printf(_("records: %zu in the run: %zu completed, %zu submitted, %zu rendered, %zu pending, %zu failed\n"),
           gp_print_status_total(s), gp_print_status_count(s, GP_PRINT_COMPLETED),
           gp_print_status_count(s, GP_PRINT_SUBMITTED), gp_print_status_count(s, GP_PRINT_RENDERED),
           gp_print_status_count(s, GP_PRINT_PENDING), gp_print_status_count(s, GP_PRINT_FAILED));
    printf(_("batches: %zu; blanks used: %zu, voided: %zu\n"), gp_print_status_batches(s),
           gp_print_status_blanks_used(s), gp_print_status_voided(s));
    for (size_t i = 0; i < gp_print_status_records(s); i++) {
        gp_print_record_info r;
        gp_print_status_record(s, i, &r);
        if (r.status == GP_PRINT_FAILED)
            printf(_("  failed: row %ld, student %s, batch %ld, job %d (printed again on --resume)\n"), r.row,
                   r.student_no, r.batch, r.job_id);
    }
    for (size_t i = 0; i < gp_print_status_voided(s); i++) {
        gp_print_void_info v;
        gp_print_status_void(s, i, &v);
        if (v.row > 0)
            printf(_("  voided: blank %s (row %ld): %s\n"), v.serial, v.row, v.reason);
        else
            printf(_("  voided: blank %s: %s\n"), v.serial, v.reason);
    }
    for (size_t i = 0; i < gp_print_status_replaced(s); i++) {
        gp_print_void_info v;
        gp_print_status_replaced_blank(s, i, &v);
        printf(_("  replaced: blank %s (row %ld printed again: %s); void it, or load it again if it came out "
                 "unprinted\n"),
               v.serial, v.row, v.reason ? v.reason : "-");
    }
}

int cmd_status(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args("status", argc, argv, &a,
                            _("Usage: gradprint status --run DIR [--json]\n\n"
                              "Shows a print run: records per state, the failed ones, blanks used and voided.\n"));
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    gp_print_status *s = NULL;
    gp_error *err = NULL;
    if (gp_print_status_load(a.run, &s, &err) != GP_OK)
        return fail(err);
    if (a.json)
        status_json(s);
    else
        status_text(s);
    gp_print_status_free(s);
    return 0;
}

int cmd_reprint(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args("reprint", argc, argv, &a,
                            _("Usage: gradprint reprint --run DIR --records LIST [--reason TEXT]\n\n"
                              "Asks for printed records (rows such as 12,15-18, or student numbers) to be printed\n"
                              "again; 'gradprint print --run DIR --resume' prints exactly those onto the next blanks.\n"
                              "Void their spoilt blanks with 'gradprint void'.\n"));
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (a.records == NULL)
        return cli_usage_error("reprint", "%s", _("--records LIST is required"));
    gp_context *ctx = cli_context();
    if (ctx == NULL)
        return EXIT_USAGE;
    size_t n = 0;
    gp_error *err = NULL;
    gp_status st = gp_print_reprint(ctx, a.run, a.records, a.reason ? a.reason : _("reprint requested"), &n, &err);
    gp_context_free(ctx);
    if (st != GP_OK)
        return fail(err);
    printf(_("reprint: %zu records will be printed again by 'gradprint print --run %s --resume'\n"), n, a.run);
    return 0;
}

int cmd_void(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args("void", argc, argv, &a,
                            _("Usage: gradprint void --run DIR --blank SERIAL --reason TEXT\n\n"
                              "Records a jammed or misprinted blank as void. The certificate printed on it is printed\n"
                              "again onto the next blank by 'gradprint print --run DIR --resume'.\n"));
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (a.blank == NULL || a.reason == NULL)
        return cli_usage_error("void", "%s", _("--blank SERIAL and --reason TEXT are required"));
    long row = 0;
    gp_error *err = NULL;
    if (gp_print_void_blank(a.run, a.blank, a.reason, &row, &err) != GP_OK)
        return fail(err);
    if (row > 0)
        printf(_("void: blank %s voided; row %ld will be printed again by --resume\n"), a.blank, row);
    else
        printf(_("void: blank %s voided\n"), a.blank);
    return 0;
}

int cmd_report(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args("report", argc, argv, &a,
                            _("Usage: gradprint report --run DIR --out FILE.pdf\n\n"
                              "Writes the audit report of a print run for the registrar to sign: every record's\n"
                              "blank and job, voided blanks with reasons, totals and signature lines (A4 PDF).\n"));
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    if (a.out == NULL)
        return cli_usage_error("report", "%s", _("--out FILE.pdf is required"));
    gp_context *ctx = cli_context();
    if (ctx == NULL)
        return EXIT_USAGE;
    gp_error *err = NULL;
    gp_status st = gp_print_audit_report(ctx, a.run, a.out, &err);
    gp_context_free(ctx);
    if (st != GP_OK)
        return fail(err);
    printf(_("report: %s\n"), a.out);
    return 0;
}
