/* gradprint photos check | prepare | backup — the contractor's electronic
 * deliverables: photos checked against the 学信网 standard, prepared from
 * camera originals, and backed up (encrypted) for the school. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cmd-photos.h"

/* What every photos job gets from the terminal: a progress bar when it is
 * one, and Ctrl-C as a request to stop cleanly. */
static void attach_job(cli_progress *progress, bool quiet, gp_progress_fn *fn, void **user, gp_cancel_flag **cancel)
{
    cli_progress_init(progress, quiet);
    *fn = cli_progress_update;
    *user = progress;
    *cancel = cli_stop_on_signals(CLI_STOP_CLEANLY);
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

/* A measurement the check could not make is null. */
static void measured_number(cli_json *w, const char *name, double v, bool known)
{
    if (known)
        cli_json_number(w, name, v);
    else
        cli_json_null(w, name);
}

static void measured_ints(cli_json *w, const char *name, const int *v, size_t n)
{
    cli_json_array_begin(w, name);
    for (size_t i = 0; i < n; i++)
        cli_json_long(w, NULL, v[i]);
    cli_json_array_end(w);
}

static void write_measured(cli_json *w, const char *name, const gp_photo_measurements *m)
{
    cli_json_object_begin(w, name);
    measured_number(w, "width", m->width, m->width > 0);
    measured_number(w, "height", m->height, m->height > 0);
    measured_number(w, "components", m->components, m->components > 0);
    measured_number(w, "dpi_x", m->dpi_x, m->dpi_x > 0);
    measured_number(w, "dpi_y", m->dpi_y, m->dpi_y > 0);
    measured_number(w, "quality", m->quality, m->quality > 0);
    cli_json_size(w, "file_bytes", (size_t)m->file_bytes);
    measured_number(w, "orientation", m->orientation, m->orientation > 0);
    cli_json_bool(w, "icc", m->has_icc);
    cli_json_bool(w, "exif", m->has_exif);
    if (m->decoded)
        measured_ints(w, "background", (const int[]){m->background[0], m->background[1], m->background[2]}, 3);
    else
        cli_json_null(w, "background");
    measured_number(w, "background_delta_e", m->background_delta_e, m->decoded);
    measured_number(w, "background_stray", m->background_stray, m->decoded);
    measured_number(w, "black_edge", m->black_edge, m->decoded);
    measured_number(w, "faces", m->faces, m->decoded);
    if (m->faces > 0)
        measured_ints(w, "face_box", (const int[]){m->face_x, m->face_y, m->face_w, m->face_h}, 4);
    else
        cli_json_null(w, "face_box");
    measured_number(w, "face_width", m->face_width, m->face_width >= 0);
    measured_number(w, "head_top", m->head_top, m->head_top >= 0);
    measured_number(w, "eye_line", m->eye_line, m->faces > 0);
    cli_json_bool(w, "eyes_found", m->eyes_found);
    if (m->eyes_found) {
        const double eyes[2][2] = {{m->eye_left_x, m->eye_left_y}, {m->eye_right_x, m->eye_right_y}};
        cli_json_array_begin(w, "eyes");
        for (int e = 0; e < 2; e++) {
            cli_json_array_begin(w, NULL);
            cli_json_number(w, NULL, eyes[e][0]);
            cli_json_number(w, NULL, eyes[e][1]);
            cli_json_array_end(w);
        }
        cli_json_array_end(w);
    } else {
        cli_json_null(w, "eyes");
    }
    measured_number(w, "tilt", m->tilt, m->eyes_found);
    measured_number(w, "centre_offset", m->centre_offset, m->faces > 0);
    measured_number(w, "sharpness", m->sharpness, m->sharpness >= 0);
    cli_json_object_end(w);
}

/* A photo's own findings: it names the file already. */
static void write_photo_findings(cli_json *w, const gp_report *r)
{
    cli_json_array_begin(w, "findings");
    for (size_t i = 0; r != NULL && i < gp_report_count(r); i++) {
        const gp_finding *f = gp_report_get(r, i);
        cli_json_object_begin(w, NULL);
        cli_json_str(w, "severity", f->severity == GP_ERROR ? "error" : "warning");
        cli_json_str(w, "code", f->code);
        cli_json_str(w, "message", f->message);
        cli_json_object_end(w);
    }
    cli_json_array_end(w);
}

static int failed_before_result(const char *command, bool json, gp_status st, gp_error *err)
{
    cli_outcome o = {command, st, err, NULL, NULL, 0};
    return cli_finish_outcome(&o, json, false, NULL, NULL);
}

/* The options every photos command has. */
enum { OPT_ROSTER = 256, OPT_PROFILE, OPT_JOBS, OPT_JSON, OPT_QUIET, OPT_HELP, OPT_OWN };
#define COMMON_OPTIONS                                                                                 \
    {"roster", required_argument, NULL, OPT_ROSTER}, {"profile", required_argument, NULL, OPT_PROFILE}, \
        {"jobs", required_argument, NULL, OPT_JOBS}, CLI_ROSTER_OPTIONS, {"json", no_argument, NULL, OPT_JSON}, \
        {"quiet", no_argument, NULL, OPT_QUIET}, {"help", no_argument, NULL, OPT_HELP}

typedef struct common_opts {
    const char *command;
    const char *roster, *profile;
    gp_roster_options roster_opts;
    const char **maps; /* room for the --map values: one per argv entry */
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
        *code = cli_usage_error(co->command, _("--jobs takes a number from 1 to 256, not '%s'"), optarg);
        return STOP;
    case OPT_JSON: co->json = true; return TAKEN;
    case OPT_QUIET: co->quiet = true; return TAKEN;
    case OPT_HELP:
        co->help();
        *code = 0;
        return STOP;
    case OPT_OWN: break;
    default:
        if (cli_roster_option(c, optarg, &co->roster_opts, co->maps))
            return TAKEN;
        if (c >= OPT_OWN)
            return NOT_COMMON;
        *code = cli_usage_error(co->command, _("unknown or incomplete option '%s'"), argv[optind - 1]);
        return STOP;
    }
    return NOT_COMMON;
}

static void start_options(common_opts *co, const char *command, void (*help)(void), const char **maps)
{
    memset(co, 0, sizeof *co);
    co->command = command;
    co->maps = maps;
    co->help = help;
    co->json = cli_json_mode(); /* main looks at the whole line, so usage errors answer in JSON too */
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
                   "  --map COLUMN=KEY   a roster column named the school's way, e.g. 行政班=class (repeatable)\n"
                   "  --map-file FILE    a file of COLUMN=KEY lines, one per line\n"
                   "  --json             print the result as one JSON object on stdout\n"
                   "  --quiet            no progress bar, no warnings\n"
                   "  --help             this help\n"
                   "\n"
                   "Exit status: 0 all photos pass, 1 usage error, 2 a photo has an error, 3 I/O error, 130 interrupted.\n"));
}

static void write_checked_photos(cli_json *w, const void *data)
{
    const gp_photos_check_result *r = data;
    cli_json_array_begin(w, NULL);
    for (size_t i = 0; i < gp_photos_check_result_count(r); i++) {
        const gp_photo_check *c = gp_photos_check_result_photo(r, i);
        cli_json_object_begin(w, NULL);
        cli_json_str(w, "file", gp_photos_check_result_file(r, i));
        cli_json_str(w, "id_number", gp_photos_check_result_id(r, i));
        cli_json_bool(w, "ok", gp_photo_check_ok(c));
        write_measured(w, "measured", gp_photo_check_measurements(c));
        write_photo_findings(w, gp_photo_check_report(c));
        cli_json_object_end(w);
    }
    cli_json_array_end(w);
}

static void write_check_summary(cli_json *w, const void *data)
{
    const gp_photos_check_result *r = data;
    const cli_json_field fields[] = {
        CLI_JSON_SIZE("photos", gp_photos_check_result_count(r)),
        CLI_JSON_SIZE("failed", gp_photos_check_result_failed(r)),
        CLI_JSON_SIZE("not_in_roster", gp_photos_check_result_not_in_roster(r)),
        CLI_JSON_SIZE("missing", gp_photos_check_result_missing(r)),
    };
    cli_json_object(w, NULL, fields, CLI_JSON_COUNT(fields));
}

static void check_json(const gp_photos_check_result *r, int code, gp_error *err)
{
    const cli_json_field fields[] = {
        CLI_JSON_STRING("profile", gp_photos_check_result_profile(r)),
        CLI_JSON_CUSTOM("photos", write_checked_photos, r),
        CLI_JSON_CUSTOM("summary", write_check_summary, r),
    };
    cli_outcome o = {"photos check", GP_OK, err, gp_photos_check_result_report(r), fields,
                     CLI_JSON_COUNT(fields)};
    cli_json_envelope(stdout, &o, code);
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
    const char *maps[argc > 0 ? argc : 1];
    start_options(&co, "photos check", check_help, maps);
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
        return cli_usage_error("photos check", "%s", _("name the photos or folders to check"));
    o.paths = (const char *const *)argv + optind;
    o.npaths = (size_t)(argc - optind);
    o.roster_path = co.roster;
    o.roster = co.roster_opts;
    o.profile = co.profile;
    o.jobs = co.jobs;
    gp_context *ctx = cli_open_context(co.command, &code);
    if (ctx == NULL)
        return code;
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
                   "  --sheet NAME       roster XLSX sheet (default: the first)\n"
                   "  --map COLUMN=KEY   a roster column named the school's way, e.g. 行政班=class (repeatable)\n"
                   "  --map-file FILE    a file of COLUMN=KEY lines, one per line\n"
                   "  --json             print the result as one JSON object on stdout\n"
                   "  --quiet            no progress bar, no warnings\n"
                   "  --help             this help\n"
                   "\n"
                   "Exit status: 0 all prepared, 1 usage error, 2 some were refused, 3 I/O error, 130 interrupted.\n"));
}

static void write_prepared_photos(cli_json *w, const void *data)
{
    const gp_photos_prepare_result *r = data;
    cli_json_array_begin(w, NULL);
    for (size_t i = 0; i < gp_photos_prepare_result_count(r); i++) {
        const gp_photo_prepared *p = gp_photos_prepare_result_get(r, i);
        cli_json_object_begin(w, NULL);
        cli_json_str(w, "source", p->source);
        cli_json_str(w, "id_number", p->id_number);
        cli_json_str(w, "file", p->output);
        cli_json_bool(w, "ok", p->output != NULL);
        if (p->output != NULL) {
            cli_json_long(w, "quality", p->quality);
            cli_json_long(w, "bytes", p->bytes);
            cli_json_number(w, "scale", p->scale);
            measured_ints(w, "crop", (const int[]){p->crop_x, p->crop_y, p->crop_w, p->crop_h}, 4);
            write_measured(w, "measured", gp_photo_check_measurements(p->check));
        }
        write_photo_findings(w, p->findings);
        cli_json_object_end(w);
    }
    cli_json_array_end(w);
}

static void prepare_json(const gp_photos_prepare_result *r, int code, gp_error *err)
{
    const cli_json_field fields[] = {
        CLI_JSON_CUSTOM("photos", write_prepared_photos, r),
        CLI_JSON_SIZE("written", gp_photos_prepare_result_written(r)),
        CLI_JSON_SIZE("refused", gp_photos_prepare_result_refused(r)),
    };
    cli_outcome o = {"photos prepare", GP_OK, err, gp_photos_prepare_result_report(r), fields,
                     CLI_JSON_COUNT(fields)};
    cli_json_envelope(stdout, &o, code);
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
    const char *maps[argc > 0 ? argc : 1];
    start_options(&co, "photos prepare", prepare_help, maps);
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
        return cli_usage_error("photos prepare", _("unexpected argument '%s'"), argv[optind]);
    if (o.in_dir == NULL || o.out_dir == NULL)
        return cli_usage_error("photos prepare", "%s", _("--in and --out are required"));
    gp_context *ctx = cli_open_context(co.command, &code);
    if (ctx == NULL)
        return code;
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
                   "  --map COLUMN=KEY    a roster column named the school's way, e.g. 行政班=class (repeatable)\n"
                   "  --map-file FILE     a file of COLUMN=KEY lines, one per line\n"
                   "  --json              print the result as one JSON object on stdout\n"
                   "  --quiet             no progress bar, no warnings\n"
                   "  --help              this help\n"
                   "\n"
                   "Exit status: 0 done, 1 usage error, 2 the roster failed validation, 3 I/O error, 130 interrupted.\n"));
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

static void backup_json(const gp_photos_backup_result *r, int code, gp_error *err)
{
    cli_outcome o = {"photos backup", GP_OK, err, NULL, NULL, 0};
    if (r == NULL) {
        cli_json_envelope(stdout, &o, code);
        return;
    }
    const cli_json_field fields[] = {
        CLI_JSON_SIZE("photos", gp_photos_backup_result_photos(r)),
        CLI_JSON_SIZE("missing", gp_photos_backup_result_missing(r)),
        CLI_JSON_SIZE("failed", gp_photos_backup_result_failed(r)),
        CLI_JSON_BOOL("encrypted", gp_photos_backup_result_encrypted(r)),
        CLI_JSON_STRING("out", gp_photos_backup_result_path(r)),
    };
    o.report = gp_photos_backup_result_report(r);
    o.fields = fields;
    o.nfields = CLI_JSON_COUNT(fields);
    cli_json_envelope(stdout, &o, code);
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
    const char *maps[argc > 0 ? argc : 1];
    start_options(&co, "photos backup", backup_help, maps);
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
        return cli_usage_error("photos backup", _("unexpected argument '%s'"), argv[optind]);
    if (o.photos_dir == NULL || o.roster_path == NULL || o.out_path == NULL)
        return cli_usage_error("photos backup", "%s", _("--photos, --roster and --out are required"));
    char *password = NULL;
    if (password_file != NULL && (password = read_password(password_file, json)) == NULL)
        return cli_usage_error("photos backup", _("cannot read a password from '%s'"), password_file);
    o.password = password;
    gp_context *ctx = cli_open_context(co.command, &code);
    if (ctx == NULL) {
        free(password);
        return code;
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
        backup_json(r, code, err);
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
    /* The subcommand is the first word that is not --json (main has seen that one). */
    int i = 1;
    while (i < argc && strcmp(argv[i], "--json") == 0)
        i++;
    if (i == argc && cli_json_mode())
        return cli_usage_error("photos", "%s", _("say what to do with the photos: check, prepare or backup"));
    if (i == argc) {
        photos_help(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "help") == 0) {
        photos_help(stdout);
        return 0;
    }
    if (strcmp(argv[i], "check") == 0)
        return photos_check(argc - i, argv + i);
    if (strcmp(argv[i], "prepare") == 0)
        return photos_prepare(argc - i, argv + i);
    if (strcmp(argv[i], "backup") == 0)
        return photos_backup(argc - i, argv + i);
    if (cli_json_mode())
        return cli_usage_error("photos", _("unknown photos command '%s'; the commands are check, prepare and backup"),
                               argv[i]);
    cli_say(stderr, _("gradprint photos: unknown command '%s'\n"), argv[i]);
    photos_help(stderr);
    return EXIT_USAGE;
}
