/* gradprint photos check | prepare | backup — the contractor's electronic
 * deliverables: photos checked against the 学信网 standard, prepared from
 * camera originals, and backed up (encrypted) for the school. */
#include <getopt.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cmd-photos.h"

/* Set by SIGINT/SIGTERM; the jobs stop at the next photo and clean up. */
static gp_cancel_flag interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* --json anywhere on the line, so even a usage error answers in JSON. */
static bool wants_json(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--json") == 0)
            return true;
    return false;
}

/* What every photos job gets from the terminal: a progress bar when it is
 * one, and Ctrl-C as a request to stop cleanly. */
static void attach_job(cli_progress *progress, bool quiet, gp_progress_fn *fn, void **user, gp_cancel_flag **cancel)
{
    cli_progress_init(progress, quiet);
    *fn = cli_progress_update;
    *user = progress;
    *cancel = &interrupted;
    catch_signals();
}

/* File names and messages may carry control characters (a crafted file
 * name could retitle or clear the terminal): shown escaped. */
static void print_safe(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
}

static const char *severity_word(gp_severity s) { return s == GP_ERROR ? _("error") : _("warning"); }

/* "error: FILE[:LINE]: [STUDENT] message (code)" */
static void print_finding(const gp_finding *f, const char *file)
{
    fprintf(stderr, "%s: ", severity_word(f->severity));
    if (file != NULL) {
        print_safe(stderr, file);
        if (f->line > 0)
            fprintf(stderr, ":%ld", f->line);
        fputs(": ", stderr);
    }
    if (f->student_no != NULL) {
        fputc('[', stderr);
        print_safe(stderr, f->student_no);
        fputs("] ", stderr);
    }
    print_safe(stderr, f->message);
    fprintf(stderr, " (%s)\n", f->code);
}

/* A terminal full of findings helps nobody: after this many lines, the
 * rest is in --report and --json. */
#define MAX_LINES 200
static size_t lines_shown, lines_left;

static void print_report(const gp_report *r, bool quiet, const char *skip_code)
{
    for (size_t i = 0; r != NULL && i < gp_report_count(r); i++) {
        const gp_finding *f = gp_report_get(r, i);
        if ((quiet && f->severity != GP_ERROR) || (skip_code != NULL && strcmp(f->code, skip_code) == 0))
            continue;
        if (lines_shown++ < MAX_LINES)
            print_finding(f, f->file);
        else
            lines_left++;
    }
}

static void print_left_out(void)
{
    if (lines_left > 0)
        fprintf(stderr, _("... and %zu more findings; --report DIR or --json has them all\n"), lines_left);
}

/* ------------------------------------------------------------ JSON */

static void json_num(FILE *out, const char *name, double v, bool known, bool first)
{
    fprintf(out, "%s\"%s\":", first ? "" : ",", name);
    if (known)
        fprintf(out, "%.2f", v);
    else
        fputs("null", out);
}

static void json_measured(FILE *out, const gp_photo_measurements *m)
{
    fputs("{", out);
    json_num(out, "width", m->width, m->width > 0, true);
    json_num(out, "height", m->height, m->height > 0, false);
    json_num(out, "components", m->components, m->components > 0, false);
    json_num(out, "dpi_x", m->dpi_x, m->dpi_x > 0, false);
    json_num(out, "dpi_y", m->dpi_y, m->dpi_y > 0, false);
    json_num(out, "quality", m->quality, m->quality > 0, false);
    json_num(out, "file_bytes", (double)m->file_bytes, true, false);
    json_num(out, "orientation", m->orientation, m->orientation > 0, false);
    fprintf(out, ",\"icc\":%s,\"exif\":%s", m->has_icc ? "true" : "false", m->has_exif ? "true" : "false");
    if (m->decoded)
        fprintf(out, ",\"background\":[%d,%d,%d]", m->background[0], m->background[1], m->background[2]);
    else
        fputs(",\"background\":null", out);
    json_num(out, "background_delta_e", m->background_delta_e, m->decoded, false);
    json_num(out, "background_stray", m->background_stray, m->decoded, false);
    json_num(out, "black_edge", m->black_edge, m->decoded, false);
    json_num(out, "faces", m->faces, m->decoded, false);
    if (m->faces > 0)
        fprintf(out, ",\"face_box\":[%d,%d,%d,%d]", m->face_x, m->face_y, m->face_w, m->face_h);
    else
        fputs(",\"face_box\":null", out);
    json_num(out, "face_width", m->face_width, m->face_width >= 0, false);
    json_num(out, "head_top", m->head_top, m->head_top >= 0, false);
    json_num(out, "eye_line", m->eye_line, m->faces > 0, false);
    fprintf(out, ",\"eyes_found\":%s", m->eyes_found ? "true" : "false");
    if (m->eyes_found)
        fprintf(out, ",\"eyes\":[[%.1f,%.1f],[%.1f,%.1f]]", m->eye_left_x, m->eye_left_y, m->eye_right_x,
                m->eye_right_y);
    else
        fputs(",\"eyes\":null", out);
    json_num(out, "tilt", m->tilt, m->eyes_found, false);
    json_num(out, "centre_offset", m->centre_offset, m->faces > 0, false);
    json_num(out, "sharpness", m->sharpness, m->sharpness >= 0, false);
    fputs("}", out);
}

static void json_photo_findings(FILE *out, const gp_report *r)
{
    fputs("[", out);
    for (size_t i = 0; r != NULL && i < gp_report_count(r); i++) {
        const gp_finding *f = gp_report_get(r, i);
        fputs(i ? ",{\"severity\":" : "{\"severity\":", out);
        cli_json_string(out, f->severity == GP_ERROR ? "error" : "warning");
        fputs(",\"code\":", out);
        cli_json_string(out, f->code);
        fputs(",\"message\":", out);
        cli_json_string(out, f->message);
        fputs("}", out);
    }
    fputs("]", out);
}

/* The envelope every command's JSON has: command, ok, exit, error. */
static void json_open(const char *command, int code, const gp_error *err)
{
    printf("{\"command\":");
    cli_json_string(stdout, command);
    printf(",\"ok\":%s,\"exit\":%d,\"error\":", code == 0 ? "true" : "false", code);
    cli_json_string(stdout, err != NULL ? gp_error_message(err) : NULL);
}

static int usage(const char *command, bool json, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int usage(const char *command, bool json, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (json) {
        json_open(command, EXIT_USAGE, NULL);
        printf(",\"usage\":");
        cli_json_string(stdout, msg);
        printf(",\"findings\":[]}\n");
        return EXIT_USAGE;
    }
    return cli_usage_error(command, "%s", msg);
}

static int failed_before_result(const char *command, bool json, gp_status st, gp_error *err)
{
    int code = cli_exit_status(st);
    if (json) {
        json_open(command, code, err);
        printf(",\"findings\":[]}\n");
        gp_error_free(err);
    } else {
        cli_print_error(err);
    }
    return code;
}

/* The options every photos command has. */
enum { OPT_ROSTER = 256, OPT_PROFILE, OPT_JOBS, OPT_ENCODING, OPT_SHEET, OPT_JSON, OPT_QUIET, OPT_HELP, OPT_OWN };
#define COMMON_OPTIONS                                                                                             \
    {"roster", required_argument, NULL, OPT_ROSTER}, {"profile", required_argument, NULL, OPT_PROFILE},             \
        {"jobs", required_argument, NULL, OPT_JOBS}, {"encoding", required_argument, NULL, OPT_ENCODING},           \
        {"sheet", required_argument, NULL, OPT_SHEET}, {"json", no_argument, NULL, OPT_JSON},                       \
        {"quiet", no_argument, NULL, OPT_QUIET}, {"help", no_argument, NULL, OPT_HELP}

typedef struct common_opts {
    const char *command;
    const char *roster, *profile;
    gp_roster_options roster_opts;
    int jobs;
    bool json, quiet;
    void (*help)(void);
} common_opts;

typedef enum { TAKEN, NOT_COMMON, STOP } option_outcome;

/* Handles option c when it is a common one; STOP sets *code. */
static option_outcome take_common(int c, common_opts *co, char **argv, int *code)
{
    switch (c) {
    case OPT_ROSTER: co->roster = optarg; return TAKEN;
    case OPT_PROFILE: co->profile = optarg; return TAKEN;
    case OPT_JOBS:
        if (cli_parse_int(optarg, 1, 256, &co->jobs))
            return TAKEN;
        *code = usage(co->command, co->json, _("--jobs takes a number from 1 to 256, not '%s'"), optarg);
        return STOP;
    case OPT_ENCODING: co->roster_opts.encoding = optarg; return TAKEN;
    case OPT_SHEET: co->roster_opts.sheet = optarg; return TAKEN;
    case OPT_JSON: co->json = true; return TAKEN;
    case OPT_QUIET: co->quiet = true; return TAKEN;
    case OPT_HELP:
        co->help();
        *code = 0;
        return STOP;
    case OPT_OWN: break;
    default:
        if (c >= OPT_OWN)
            return NOT_COMMON;
        *code = usage(co->command, co->json, _("unknown or incomplete option '%s'"), argv[optind - 1]);
        return STOP;
    }
    return NOT_COMMON;
}

static void start_options(common_opts *co, const char *command, void (*help)(void), int argc, char **argv)
{
    memset(co, 0, sizeof *co);
    co->command = command;
    co->help = help;
    co->json = wants_json(argc, argv);
    opterr = 0;
    optind = 1;
}

/* ------------------------------------------------------------ check */

static void check_help(void)
{
    printf("%s", _("Usage: gradprint photos check FILE|DIR... [options]\n"
                   "\n"
                   "Checks photos against the 学信网 image standard (教毕指〔2017〕99号): 480x640, 24-bit colour,\n"
                   "300 dpi, JPEG quality >= 60, 20-40 KB, light-blue background, head top 50-110 px (64 px\n"
                   "margin), eyes 200-300 px, face 180-300 px wide, upright (tilt <= 6 degrees), centred, sharp,\n"
                   "no border, named <ID number>.jpg. Each photo gets its measured values and findings.\n"
                   "\n"
                   "  --roster FILE      also: photos named after nobody in the roster, students without a photo\n"
                   "  --profile P        xuexin (default), xuexin-white, xuexin-grey, or a profile file\n"
                   "  --report DIR       write DIR/report.csv, DIR/contact-sheet.pdf (failing photos with the\n"
                   "                     bands and measurements drawn over them), DIR/orphans.csv\n"
                   "  --jobs N           worker threads (default: one per core)\n"
                   "  --encoding ENC     roster encoding: utf-8, gb18030 or gbk (default: detected)\n"
                   "  --sheet NAME       roster XLSX sheet (default: the first)\n"
                   "  --json             print the result as one JSON object on stdout\n"
                   "  --quiet            no progress bar, no warnings\n"
                   "  --help             this help\n"
                   "\n"
                   "Exit status: 0 all photos pass, 1 usage error, 2 a photo has an error, 3 I/O error.\n"));
}

static void check_json(const gp_photos_check_result *r, int code, const gp_error *err)
{
    json_open("photos check", code, err);
    printf(",\"profile\":");
    cli_json_string(stdout, r != NULL ? gp_photos_check_result_profile(r) : NULL);
    printf(",\"photos\":[");
    size_t n = r != NULL ? gp_photos_check_result_count(r) : 0;
    for (size_t i = 0; i < n; i++) {
        const gp_photo_check *c = gp_photos_check_result_photo(r, i);
        printf(i ? ",\n {\"file\":" : "\n {\"file\":");
        cli_json_string(stdout, gp_photos_check_result_file(r, i));
        printf(",\"id_number\":");
        cli_json_string(stdout, gp_photos_check_result_id(r, i));
        printf(",\"ok\":%s,\"measured\":", gp_photo_check_ok(c) ? "true" : "false");
        json_measured(stdout, gp_photo_check_measurements(c));
        printf(",\"findings\":");
        json_photo_findings(stdout, gp_photo_check_report(c));
        printf("}");
    }
    printf("%s]", n ? "\n" : "");
    if (r != NULL)
        printf(",\"summary\":{\"photos\":%zu,\"failed\":%zu,\"not_in_roster\":%zu,\"missing\":%zu}", n,
               gp_photos_check_result_failed(r), gp_photos_check_result_not_in_roster(r),
               gp_photos_check_result_missing(r));
    printf(",\"findings\":");
    cli_json_findings(stdout, r != NULL ? gp_photos_check_result_report(r) : NULL);
    printf("}\n");
}

static void check_human(const gp_photos_check_result *r, const char *report_dir, bool quiet)
{
    size_t n = gp_photos_check_result_count(r);
    for (size_t i = 0; i < n; i++)
        print_report(gp_photo_check_report(gp_photos_check_result_photo(r, i)), quiet, "not-in-roster");
    print_report(gp_photos_check_result_report(r), quiet, NULL);
    print_left_out();
    size_t orphans = gp_photos_check_result_not_in_roster(r);
    if (orphans > 0 && report_dir != NULL) {
        fprintf(stderr, _("the photos named after nobody in the roster are listed in %s/orphans.csv\n"), report_dir);
    }
    printf(_("photos check: %zu photos, %zu fail the standard (%s)"), n, gp_photos_check_result_failed(r),
           gp_photos_check_result_profile(r));
    if (orphans > 0)
        printf(_(", %zu named after nobody in the roster"), orphans);
    if (gp_photos_check_result_missing(r) > 0)
        printf(_(", %zu students without a photo"), gp_photos_check_result_missing(r));
    if (report_dir != NULL)
        printf(_("; report in %s"), report_dir);
    printf("\n");
}

static int photos_check(int argc, char **argv)
{
    enum { OPT_REPORT = OPT_OWN };
    static const struct option longopts[] = {
        COMMON_OPTIONS, {"report", required_argument, NULL, OPT_REPORT}, {NULL, 0, NULL, 0},
    };
    gp_photos_check_options o;
    gp_photos_check_options_init(&o);
    common_opts co;
    start_options(&co, "photos check", check_help, argc, argv);
    int c, code = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        option_outcome t = take_common(c, &co, argv, &code);
        if (t == STOP)
            return code;
        if (t == NOT_COMMON && c == OPT_REPORT)
            o.report_dir = optarg;
    }
    bool json = co.json, quiet = co.quiet;
    if (optind >= argc)
        return usage("photos check", json, "%s", _("name the photos or folders to check"));
    o.paths = (const char *const *)argv + optind;
    o.npaths = (size_t)(argc - optind);
    o.roster_path = co.roster;
    o.roster = co.roster_opts;
    o.profile = co.profile;
    o.jobs = co.jobs;
    gp_context *ctx = cli_context();
    if (ctx == NULL)
        return EXIT_USAGE;
    cli_progress progress;
    attach_job(&progress, quiet || json, &o.progress, &o.progress_user, &o.cancel);
    gp_photos_check_result *r = NULL;
    gp_error *err = NULL;
    gp_status st = gp_photos_check_run(ctx, &o, &r, &err);
    cli_progress_end(&progress);
    code = cli_exit_status(st);
    if (r == NULL) {
        gp_context_free(ctx);
        return failed_before_result("photos check", json, st, err);
    }
    if (json)
        check_json(r, code, err);
    else
        check_human(r, o.report_dir, quiet);
    gp_error_free(err);
    gp_photos_check_result_free(r);
    gp_context_free(ctx);
    return code;
}

/* ------------------------------------------------------------ prepare */

static void prepare_help(void)
{
    printf("%s", _("Usage: gradprint photos prepare --in DIR --out DIR [options]\n"
                   "\n"
                   "Makes conforming 480x640 photos, named <ID number>.jpg, out of camera originals (any size) or\n"
                   "students' own photos (JPEG or PNG): finds the face and eyes, crops and scales so that head top,\n"
                   "eye line and face width sit inside the standard's bands with the face centred, converts to\n"
                   "sRGB, strips all metadata (EXIF, GPS, camera serials) and writes 300 dpi JFIF at the highest\n"
                   "quality (at least 60) that fits the file-size window. Nothing is mirrored, straightened or\n"
                   "retouched: an original that cannot be made conforming is refused with its reason, and nothing\n"
                   "is written for it. Every photo written passes 'gradprint photos check'.\n"
                   "\n"
                   "  --in DIR           the originals\n"
                   "  --out DIR          where the photos go (created when missing)\n"
                   "  --names FILE       capture log, CSV or XLSX: a file-name column (文件名) and 身份证号, or\n"
                   "                     学号 with --roster; without it the originals must be named by ID number\n"
                   "  --roster FILE      every ID number must be in this roster\n"
                   "  --profile P        xuexin (default), xuexin-white, xuexin-grey, or a profile file\n"
                   "  --overwrite        replace photos already in --out\n"
                   "  --jobs N           worker threads (default: one per core)\n"
                   "  --encoding ENC     roster and capture-log encoding (default: detected)\n"
                   "  --json             print the result as one JSON object on stdout\n"
                   "  --quiet            no progress bar, no warnings\n"
                   "  --help             this help\n"
                   "\n"
                   "Exit status: 0 all prepared, 1 usage error, 2 some were refused, 3 I/O error.\n"));
}

static void prepare_json(const gp_photos_prepare_result *r, int code, const gp_error *err)
{
    json_open("photos prepare", code, err);
    printf(",\"photos\":[");
    size_t n = r != NULL ? gp_photos_prepare_result_count(r) : 0;
    for (size_t i = 0; i < n; i++) {
        const gp_photo_prepared *p = gp_photos_prepare_result_get(r, i);
        printf(i ? ",\n {\"source\":" : "\n {\"source\":");
        cli_json_string(stdout, p->source);
        printf(",\"id_number\":");
        cli_json_string(stdout, p->id_number);
        printf(",\"file\":");
        cli_json_string(stdout, p->output);
        printf(",\"ok\":%s", p->output != NULL ? "true" : "false");
        if (p->output != NULL) {
            printf(",\"quality\":%d,\"bytes\":%ld,\"scale\":%.4f,\"crop\":[%d,%d,%d,%d],\"measured\":", p->quality,
                   p->bytes, p->scale, p->crop_x, p->crop_y, p->crop_w, p->crop_h);
            json_measured(stdout, gp_photo_check_measurements(p->check));
        }
        printf(",\"findings\":");
        json_photo_findings(stdout, p->findings);
        printf("}");
    }
    printf("%s]", n ? "\n" : "");
    if (r != NULL)
        printf(",\"written\":%zu,\"refused\":%zu", gp_photos_prepare_result_written(r),
               gp_photos_prepare_result_refused(r));
    printf(",\"findings\":");
    cli_json_findings(stdout, r != NULL ? gp_photos_prepare_result_report(r) : NULL);
    printf("}\n");
}

static void prepare_human(const gp_photos_prepare_result *r, const char *out, bool quiet)
{
    print_report(gp_photos_prepare_result_report(r), quiet, NULL);
    for (size_t i = 0; i < gp_photos_prepare_result_count(r); i++)
        print_report(gp_photos_prepare_result_get(r, i)->findings, quiet, NULL);
    print_left_out();
    printf(_("photos prepare: %zu written to %s, %zu refused\n"), gp_photos_prepare_result_written(r), out,
           gp_photos_prepare_result_refused(r));
}

static int photos_prepare(int argc, char **argv)
{
    enum { OPT_IN = OPT_OWN, OPT_OUT, OPT_NAMES, OPT_OVERWRITE };
    static const struct option longopts[] = {
        COMMON_OPTIONS,
        {"in", required_argument, NULL, OPT_IN},
        {"out", required_argument, NULL, OPT_OUT},
        {"names", required_argument, NULL, OPT_NAMES},
        {"overwrite", no_argument, NULL, OPT_OVERWRITE},
        {NULL, 0, NULL, 0},
    };
    gp_photos_prepare_options o;
    gp_photos_prepare_options_init(&o);
    common_opts co;
    start_options(&co, "photos prepare", prepare_help, argc, argv);
    int c, code = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        option_outcome t = take_common(c, &co, argv, &code);
        if (t == STOP)
            return code;
        if (t == TAKEN)
            continue;
        switch (c) {
        case OPT_IN: o.in_dir = optarg; break;
        case OPT_OUT: o.out_dir = optarg; break;
        case OPT_NAMES: o.names_path = optarg; break;
        default: o.overwrite = true; break;
        }
    }
    bool json = co.json, quiet = co.quiet;
    o.roster_path = co.roster;
    o.roster = co.roster_opts;
    o.profile = co.profile;
    o.jobs = co.jobs;
    if (optind < argc)
        return usage("photos prepare", json, _("unexpected argument '%s'"), argv[optind]);
    if (o.in_dir == NULL || o.out_dir == NULL)
        return usage("photos prepare", json, "%s", _("--in and --out are required"));
    gp_context *ctx = cli_context();
    if (ctx == NULL)
        return EXIT_USAGE;
    cli_progress progress;
    attach_job(&progress, quiet || json, &o.progress, &o.progress_user, &o.cancel);
    gp_photos_prepare_result *r = NULL;
    gp_error *err = NULL;
    gp_status st = gp_photos_prepare_run(ctx, &o, &r, &err);
    cli_progress_end(&progress);
    code = cli_exit_status(st);
    if (r == NULL || (st != GP_OK && st != GP_E_INVALID && !json)) {
        if (r != NULL && !json)
            prepare_human(r, o.out_dir, quiet);
        gp_photos_prepare_result_free(r);
        gp_context_free(ctx);
        return failed_before_result("photos prepare", json, st, err);
    }
    if (json)
        prepare_json(r, code, err);
    else
        prepare_human(r, o.out_dir, quiet);
    gp_error_free(err);
    gp_photos_prepare_result_free(r);
    gp_context_free(ctx);
    return code;
}

/* ------------------------------------------------------------ backup */

static void backup_help(void)
{
    printf("%s", _("Usage: gradprint photos backup --photos DIR --roster FILE --out FILE.zip [options]\n"
                   "\n"
                   "The school's electronic backup: every roster student's photo, byte for byte, named by ID\n"
                   "number, and manifest.csv (学号, 姓名, 身份证号, file, SHA-256, check result). With a password\n"
                   "every entry is AES-256 encrypted (7-Zip, WinZip and bsdtar open it). The zip is written under\n"
                   "a temporary name, read back and compared entry by entry, and only then put in place. ZIP\n"
                   "encrypts contents, not names: the ID numbers in the entry names remain readable.\n"
                   "\n"
                   "  --photos DIR        the delivered photos, <ID number>.jpg\n"
                   "  --roster FILE       the students to back up\n"
                   "  --out FILE.zip      the backup (must not exist)\n"
                   "  --password-file F   the password on the file's first line (- reads standard input);\n"
                   "                      at least 8 characters\n"
                   "  --profile P         the profile for the manifest's check result (default: xuexin)\n"
                   "  --jobs N            worker threads (default: one per core)\n"
                   "  --encoding ENC      roster encoding (default: detected)\n"
                   "  --sheet NAME        roster XLSX sheet (default: the first)\n"
                   "  --json              print the result as one JSON object on stdout\n"
                   "  --quiet             no progress bar, no warnings\n"
                   "  --help              this help\n"
                   "\n"
                   "Exit status: 0 done, 1 usage error, 2 the roster failed validation, 3 I/O error.\n"));
}

/* The first line of the file, without its line end. */
static char *read_password(const char *path, bool json)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (f == NULL)
        return NULL;
    struct stat s;
    if (f != stdin && fstat(fileno(f), &s) == 0 && (s.st_mode & 077) != 0 && !json)
        fprintf(stderr, _("warning: %s can be read by other users; keep the password file private (chmod 600)\n"),
                path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, f);
    if (f != stdin)
        fclose(f);
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

static int photos_backup(int argc, char **argv)
{
    enum { OPT_PHOTOS = OPT_OWN, OPT_OUT, OPT_PASSWORD };
    static const struct option longopts[] = {
        COMMON_OPTIONS,
        {"photos", required_argument, NULL, OPT_PHOTOS},
        {"out", required_argument, NULL, OPT_OUT},
        {"password-file", required_argument, NULL, OPT_PASSWORD},
        {NULL, 0, NULL, 0},
    };
    gp_photos_backup_options o;
    gp_photos_backup_options_init(&o);
    common_opts co;
    start_options(&co, "photos backup", backup_help, argc, argv);
    const char *password_file = NULL;
    int c, code = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        option_outcome t = take_common(c, &co, argv, &code);
        if (t == STOP)
            return code;
        if (t == TAKEN)
            continue;
        switch (c) {
        case OPT_PHOTOS: o.photos_dir = optarg; break;
        case OPT_OUT: o.out_path = optarg; break;
        default: password_file = optarg; break;
        }
    }
    bool json = co.json, quiet = co.quiet;
    o.roster_path = co.roster;
    o.roster = co.roster_opts;
    o.profile = co.profile;
    o.jobs = co.jobs;
    if (optind < argc)
        return usage("photos backup", json, _("unexpected argument '%s'"), argv[optind]);
    if (o.photos_dir == NULL || o.roster_path == NULL || o.out_path == NULL)
        return usage("photos backup", json, "%s", _("--photos, --roster and --out are required"));
    char *password = NULL;
    if (password_file != NULL && (password = read_password(password_file, json)) == NULL)
        return usage("photos backup", json, _("cannot read a password from '%s'"), password_file);
    o.password = password;
    gp_context *ctx = cli_context();
    if (ctx == NULL) {
        free(password);
        return EXIT_USAGE;
    }
    cli_progress progress;
    attach_job(&progress, quiet || json, &o.progress, &o.progress_user, &o.cancel);
    gp_photos_backup_result *r = NULL;
    gp_error *err = NULL;
    gp_status st = gp_photos_backup_run(ctx, &o, &r, &err);
    cli_progress_end(&progress);
    if (password != NULL) {
        memset(password, 0, strlen(password));
        free(password);
    }
    code = cli_exit_status(st);
    if (json) {
        json_open("photos backup", code, err);
        if (r != NULL)
            printf(",\"photos\":%zu,\"missing\":%zu,\"failed\":%zu,\"encrypted\":%s,\"out\":",
                   gp_photos_backup_result_photos(r), gp_photos_backup_result_missing(r),
                   gp_photos_backup_result_failed(r), gp_photos_backup_result_encrypted(r) ? "true" : "false");
        if (r != NULL)
            cli_json_string(stdout, gp_photos_backup_result_path(r));
        printf(",\"findings\":");
        cli_json_findings(stdout, r != NULL ? gp_photos_backup_result_report(r) : NULL);
        printf("}\n");
        gp_error_free(err);
    } else {
        if (r != NULL)
            print_report(gp_photos_backup_result_report(r), quiet, NULL);
        if (st != GP_OK)
            cli_print_error(err);
        else
            printf(_("photos backup: %zu photos (%zu students without one, %zu failing the check) -> %s%s\n"),
                   gp_photos_backup_result_photos(r), gp_photos_backup_result_missing(r),
                   gp_photos_backup_result_failed(r), gp_photos_backup_result_path(r),
                   gp_photos_backup_result_encrypted(r) ? _(" (AES-256 encrypted)") : _(" (not encrypted)"));
    }
    gp_photos_backup_result_free(r);
    gp_context_free(ctx);
    return code;
}

/* ------------------------------------------------------------ dispatch */

static void photos_help(FILE *out)
{
    fprintf(out, "%s", _("Usage: gradprint photos <check|prepare|backup> [options]\n"
                         "\n"
                         "  check     check photos against the 学信网 image standard\n"
                         "  prepare   make conforming photos from camera originals or students' own photos\n"
                         "  backup    the school's electronic backup: photos + manifest, AES-256 encrypted\n"
                         "\n"
                         "Run 'gradprint photos <command> --help' for its options.\n"));
}

int cmd_photos(int argc, char **argv)
{
    if (argc < 2) {
        photos_help(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        photos_help(stdout);
        return 0;
    }
    if (strcmp(argv[1], "check") == 0)
        return photos_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "prepare") == 0)
        return photos_prepare(argc - 1, argv + 1);
    if (strcmp(argv[1], "backup") == 0)
        return photos_backup(argc - 1, argv + 1);
    fprintf(stderr, _("gradprint photos: unknown command '%s'\n"), argv[1]);
    photos_help(stderr);
    return EXIT_USAGE;
}
