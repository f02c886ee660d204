/*
 * gradprint.h — the one public header of libgradprint.
 *
 * libgradprint renders graduate photo sheets and certificates. Everything the
 * command-line tool can do goes through this header, so an embedding program
 * can do it too.
 *
 * Conventions:
 *  - Objects are opaque handles: gp_x_new()/gp_x_load() create, gp_x_free() frees.
 *  - Functions that can fail return gp_status and, when err is not NULL, store a
 *    gp_error the caller frees with gp_error_free(). The library never prints
 *    and never exits.
 *  - There is no global state of the library's own: all configuration lives
 *    in a gp_context. A context may be used from several threads at once;
 *    other handles belong to one thread at a time. The one process-wide
 *    thing it touches is gettext's binding of the "gradprint" domain
 *    (gp_bind_translations).
 *  - Lengths are millimetres; resolutions are dots per inch.
 */
#ifndef GRADPRINT_H
#define GRADPRINT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && defined(GP_BUILDING_LIBRARY)
#define GP_API __attribute__((visibility("default")))
#else
#define GP_API
#endif

/* ------------------------------------------------------------------ */
/* Versions and status codes                                           */

GP_API const char *gp_version(void);

typedef enum gp_status {
    GP_OK = 0,
    GP_E_USAGE = 1,    /* the caller asked for something impossible (bad option value) */
    GP_E_INVALID = 2,  /* input failed validation: roster, template, photo */
    GP_E_IO = 3,       /* reading, writing or printing failed */
    GP_E_NOMEM = 4,
    GP_E_INTERNAL = 5,
    GP_E_INTERRUPTED = 6 /* the caller asked to stop (gp_cancel_flag): print runs stay resumable, photos jobs leave nothing */
} gp_status;

/* ------------------------------------------------------------------ */
/* Errors                                                              */

typedef struct gp_error gp_error;

GP_API gp_status gp_error_status(const gp_error *err);
/* The whole message, localised, e.g.
 * "roster.csv:12: ID number has check digit 3 but should end in 7; correct the roster". */
GP_API const char *gp_error_message(const gp_error *err);
/* Where the problem is; NULL / 0 when it is not about a file or line. */
GP_API const char *gp_error_file(const gp_error *err);
GP_API long gp_error_line(const gp_error *err);
GP_API void gp_error_free(gp_error *err);

/* ------------------------------------------------------------------ */
/* Context                                                             */

typedef struct gp_context gp_context;

typedef struct gp_context_options {
    /* Directory holding templates/ and fonts/. NULL: $GRADPRINT_DATADIR, then
     * the data installed with the library, found relative to the library's
     * own file (so an install tree may be moved), then the configured
     * install directory. */
    const char *data_dir;
} gp_context_options;

/* Binds the "gradprint" gettext domain to the translations installed with
 * the library ($GRADPRINT_LOCALEDIR, else found relative to the library's
 * own file, else the configured install directory). gp_context_new does
 * this itself; a program that shows messages of this domain before it has
 * a context calls it first. Process-wide, as every gettext binding is. */
GP_API void gp_bind_translations(void);

GP_API gp_status gp_context_new(const gp_context_options *opts, gp_context **out, gp_error **err);
GP_API void gp_context_free(gp_context *ctx);
GP_API const char *gp_context_data_dir(const gp_context *ctx);
/* Resolves a template name ("photo-sheet-7in") or path to a file path the
 * caller frees with free(); NULL if no such template exists. */
GP_API char *gp_context_find_template(const gp_context *ctx, const char *name_or_path);

/* ------------------------------------------------------------------ */
/* Findings: what preflight found wrong with the input                 */

typedef enum gp_severity { GP_WARNING = 1, GP_ERROR = 2 } gp_severity;

typedef struct gp_finding {
    gp_severity severity;
    const char *code;       /* stable machine-readable code, e.g. "id-check-digit" */
    const char *file;       /* roster or photo file, or NULL */
    long line;              /* roster line (CSV) or row (XLSX), 0 when none */
    const char *student_no; /* the record's student number, or NULL */
    const char *message;    /* localised: what is wrong and what to do */
} gp_finding;

typedef struct gp_report gp_report;

GP_API size_t gp_report_count(const gp_report *report);
GP_API const gp_finding *gp_report_get(const gp_report *report, size_t index);
GP_API size_t gp_report_count_severity(const gp_report *report, gp_severity severity);

/* ------------------------------------------------------------------ */
/* Rosters                                                             */

typedef struct gp_roster gp_roster;
typedef struct gp_record gp_record;

typedef struct gp_roster_options {
    const char *encoding; /* CSV only: "utf-8", "gb18030", "gbk"; NULL detects */
    const char *sheet;    /* XLSX and ODS only: sheet name; NULL takes the first sheet */
    /* Columns named the school's own way, tried before the built-in names:
     * "列名=key" items, key a canonical key (id_number, class, ...) or a
     * header gradprint knows (身份证号, 班级, ...). */
    const char *const *map;
    size_t nmap;
    const char *map_file; /* a file of such lines ('#' comments); NULL: none */
} gp_roster_options;

/* Reads a CSV, XLSX, ODS or XLS roster and maps its headers to canonical keys
 * ("student_no", "name", "id_number", "college", "major", "class", ...).
 * Fails only when the file as a whole is unusable (unreadable, undecodable,
 * no recognisable header); problems of single records are reported by the
 * jobs' preflight. */
GP_API gp_status gp_roster_load(gp_context *ctx, const char *path, const gp_roster_options *opts,
                                gp_roster **out, gp_error **err);
GP_API void gp_roster_free(gp_roster *roster);
GP_API size_t gp_roster_size(const gp_roster *roster);
GP_API const gp_record *gp_roster_record(const gp_roster *roster, size_t index);
GP_API const char *gp_roster_path(const gp_roster *roster);
/* The value of a canonical key or an unmapped header's own name; NULL when the
 * roster has no such column or the cell is empty. */
GP_API const char *gp_record_get(const gp_record *record, const char *key);
/* 1-based line (CSV) or row (XLSX) the record came from. */
GP_API long gp_record_line(const gp_record *record);

/* GB 11643-1999: returns true when id is 18 characters with a valid check
 * digit. expected_check (may be NULL) receives the check character the first
 * 17 digits call for, or '\0' when they are not digits. Lowercase x is
 * accepted; gp_roster_load already normalises it to X. */
GP_API bool gp_id_number_valid(const char *id, char *expected_check);

/* ------------------------------------------------------------------ */
/* Templates                                                           */

typedef struct gp_template gp_template;

GP_API gp_status gp_template_load(gp_context *ctx, const char *path, gp_template **out, gp_error **err);
GP_API void gp_template_free(gp_template *tpl);
GP_API double gp_template_page_width_mm(const gp_template *tpl);
GP_API double gp_template_page_height_mm(const gp_template *tpl);
GP_API int gp_template_default_dpi(const gp_template *tpl);

/* Checking a template before anyone prints with it. */
typedef struct gp_template_check_options {
    /* The records to lay the template out for; NULL: the sample roster
     * installed with gradprint (<data dir>/samples/roster.csv). */
    const char *roster_path;
    gp_roster_options roster;
    const char *school;        /* {school}; NULL: the template's */
} gp_template_check_options;

typedef struct gp_template_check gp_template_check;

GP_API void gp_template_check_options_init(gp_template_check_options *opts);
/* Loads the template (well-formed XML, the schema, every element, field
 * and formatter: a failure there is the returned error, as for
 * gp_template_load), checks that every font family it names is installed,
 * and lays it out for every record of the roster: text that does not fit,
 * a field without a value, a character no font has. Those problems are
 * findings in the report; GP_E_INVALID when there is any error. *out is
 * set whenever memory allows, and its template details are NULL/0 when the
 * template did not load. */
GP_API gp_status gp_template_check_run(gp_context *ctx, const char *template_path,
                                       const gp_template_check_options *opts, gp_template_check **out,
                                       gp_error **err);
GP_API const gp_report *gp_template_check_report(const gp_template_check *check);
/* The loaded template (page size, dpi), or NULL. */
GP_API const gp_template *gp_template_check_template(const gp_template_check *check);
GP_API const char *gp_template_check_path(const gp_template_check *check);
GP_API const char *gp_template_check_name(const gp_template_check *check);
GP_API const char *gp_template_check_kind(const gp_template_check *check); /* "photo-sheet", "certificate" */
GP_API size_t gp_template_check_elements(const gp_template_check *check);
/* The distinct fields and font families the template uses. */
GP_API size_t gp_template_check_fields(const gp_template_check *check);
GP_API const char *gp_template_check_field(const gp_template_check *check, size_t index);
GP_API size_t gp_template_check_fonts(const gp_template_check *check);
GP_API const char *gp_template_check_font(const gp_template_check *check, size_t index);
/* The roster laid out, and how many of its records. */
GP_API const char *gp_template_check_roster(const gp_template_check *check);
GP_API size_t gp_template_check_records(const gp_template_check *check);
GP_API void gp_template_check_free(gp_template_check *check);

/* ------------------------------------------------------------------ */
/* Photo sheets for the photo lab                                      */

enum gp_sheet_format { GP_SHEETS_JPEG = 1u << 0, GP_SHEETS_PDF = 1u << 1 };

typedef enum gp_phase {
    GP_PHASE_PREFLIGHT = 1, /* checking every record and photo */
    GP_PHASE_RENDER = 2     /* writing output */
} gp_phase;

/* Progress of a long job: called on the calling thread, at most ~10 times a second. */
typedef void (*gp_progress_fn)(void *user, gp_phase phase, size_t done, size_t total);

/* A flag a long job polls (photos jobs, print runs), set to non-zero from a
 * signal handler, say: the job stops at its next safe point. What it then
 * leaves and returns is said by each job's options. */
typedef volatile sig_atomic_t gp_cancel_flag;

/* How the classes of a delivery follow each other; within a class the
 * students always follow their student numbers. */
typedef enum gp_group_order {
    GP_GROUP_ORDER_NATURAL = 0, /* colleges, majors, classes by name, numbers by value: 2班 before 10班 */
    GP_GROUP_ORDER_ROSTER = 1   /* each group where it first appears in the roster */
} gp_group_order;

typedef struct gp_sheets_options {
    const char *roster_path;
    gp_roster_options roster;
    const char *photos_dir;
    const char *out_dir;       /* must not exist yet, or be empty */
    bool overwrite;            /* out_dir may hold an earlier gradprint output, replaced whole */
    const char *template_path; /* NULL: the photo-sheet-7in template */
    const char *school;        /* NULL: the template's school name */
    unsigned formats;          /* gp_sheet_format bits; 0 means JPEG */
    int dpi;                   /* 0: the template's */
    int jobs;                  /* worker threads; 0: one per core */
    bool skip_invalid;         /* render the valid students, list the rest */
    gp_progress_fn progress;   /* called from the calling thread; may be NULL */
    void *progress_user;
    gp_group_order group_order; /* default: natural */
    /* A photo-lab order instead of the default layout: a built-in lab
     * ("generic", "frontier", "noritsu") or a lab profile file; NULL: the
     * default layout. The order has short ASCII names, the lab's dpi and
     * paper, a DPOF file where the lab reads one; manifest, packing lists
     * and dividers map its names to the classes and students. */
    const char *lab;
    /* The order's name: 1 to 12 ASCII letters and digits; NULL: the local
     * date and time, YYMMDDHHMM. */
    const char *order_id;
    /* Hand the order over into this folder (a lab's hot folder): it is
     * written under the lab's staging name (p<order>) and renamed to its
     * ready name (o<order>) once whole. NULL: the order is in out_dir. */
    const char *hot_folder;
} gp_sheets_options;

typedef struct gp_sheets_result gp_sheets_result;

GP_API void gp_sheets_options_init(gp_sheets_options *opts);
/* Preflights every student, then renders. When preflight finds errors and
 * skip_invalid is false, returns GP_E_INVALID, writes nothing, and *result
 * (when result is not NULL) still holds the report. */
GP_API gp_status gp_sheets_run(gp_context *ctx, const gp_sheets_options *opts, gp_sheets_result **result,
                               gp_error **err);
GP_API const gp_report *gp_sheets_result_report(const gp_sheets_result *result);
GP_API size_t gp_sheets_result_students(const gp_sheets_result *result); /* records in the roster */
GP_API size_t gp_sheets_result_rendered(const gp_sheets_result *result);
/* Students left out of a written output (skip_invalid); 0 when nothing was written. */
GP_API size_t gp_sheets_result_skipped(const gp_sheets_result *result);
/* Students preflight found errors in, whether or not anything was written. */
GP_API size_t gp_sheets_result_invalid(const gp_sheets_result *result);
GP_API size_t gp_sheets_result_classes(const gp_sheets_result *result);
/* The output directory written, or NULL when nothing was written. */
GP_API const char *gp_sheets_result_out_dir(const gp_sheets_result *result);
/* A lab order's folder as handed over, or NULL. */
GP_API const char *gp_sheets_result_order_dir(const gp_sheets_result *result);
GP_API void gp_sheets_result_free(gp_sheets_result *result);


/* ------------------------------------------------------------------ */
/* Certificates printed onto pre-printed blanks                        */

/* Where a printer puts marks relative to where they should be, measured
 * with the calibration page: every mark moves by the offset (mm, +x right,
 * +y down) and scales by scale_x/scale_y about the blank's top-left corner. */
/* Which edge of a page, as it comes out printed, the printer takes in
 * first. Most printers take the top edge first. */
typedef enum gp_feed_edge { GP_FEED_TOP = 0, GP_FEED_BOTTOM = 1 } gp_feed_edge;
/* How a blank lies in the tray: the side to be printed facing down (most
 * laser cassettes) or up (most manual feeds and inkjets). */
typedef enum gp_face { GP_FACE_UNSAID = 0, GP_FACE_DOWN = 1, GP_FACE_UP = 2 } gp_face;

typedef struct gp_calibration {
    double offset_x_mm, offset_y_mm;
    double scale_x, scale_y;
    /* How blanks are loaded into this printer and tray, for the operator's
     * instructions (they do not move marks). */
    gp_feed_edge feed;
    gp_face face;
} gp_calibration;

/* No offset, no scaling, top edge first, face not said. */
GP_API void gp_calibration_init(gp_calibration *cal);
/* Reads a printer profile ("key = value" lines: offset-x, offset-y in mm,
 * scale-x, scale-y; feed = top|bottom and face = down|up for loading
 * blanks; printer and tray for the operator's reference). */
GP_API gp_status gp_calibration_load(const char *profile_path, gp_calibration *cal, gp_error **err);

typedef struct gp_certs_options {
    const char *roster_path;
    gp_roster_options roster;
    const char *photos_dir;    /* may be NULL when the template has no photo */
    const char *template_path; /* required */
    const char *out_path;      /* the PDF to write; must not exist unless overwrite */
    bool overwrite;            /* replace out_path (and png_dir) when they exist */
    bool proof;                /* draw the blank's background under the marks */
    const char *png_dir;       /* when set, also a preview PNG per page here */
    gp_calibration calibration;
    /* Which records: roster lines and ranges of lines ("5-6,12", numbered
     * as findings number them: "roster.csv:12") or student numbers
     * ("2021010101,2021010105"), mixed, separated by commas (also ，or 、);
     * NULL means all. A malformed list is GP_E_USAGE, one naming a line or
     * student the roster does not have GP_E_INVALID. */
    const char *records;
    bool skip_invalid;
    gp_progress_fn progress;
    void *progress_user;
} gp_certs_options;

typedef struct gp_certs_result gp_certs_result;

GP_API void gp_certs_options_init(gp_certs_options *opts);
/* Preflights every selected record, then writes one page per record into
 * one PDF (page size = the template's). On preflight errors without
 * skip_invalid: GP_E_INVALID, no output, the report in *result. */
GP_API gp_status gp_certs_run(gp_context *ctx, const gp_certs_options *opts, gp_certs_result **result,
                              gp_error **err);
GP_API const gp_report *gp_certs_result_report(const gp_certs_result *result);
GP_API size_t gp_certs_result_selected(const gp_certs_result *result);
GP_API size_t gp_certs_result_rendered(const gp_certs_result *result);
GP_API size_t gp_certs_result_skipped(const gp_certs_result *result);
GP_API void gp_certs_result_free(gp_certs_result *result);

/* The alignment page for a template: the blank's size, a millimetre ruler
 * grid and a crosshair at each field's anchor, to print on plain paper and
 * lay on a blank against the light. Drawn with cal applied (may be NULL) so
 * a corrected profile can be checked the same way. */
GP_API gp_status gp_calibration_page(gp_context *ctx, const char *template_path, const gp_calibration *cal,
                                     const char *out_path, gp_error **err);

/* ------------------------------------------------------------------ */
/* Printer queues: can a blank be printed at exactly 1:1, and how      */

/* How the pages go onto the printer's paper. */
typedef enum gp_print_orientation {
    GP_ORIENTATION_NONE = 0, /* not at all at 1:1 on this queue */
    GP_ORIENTATION_AS_IS,    /* as the template has them */
    GP_ORIENTATION_TURNED    /* turned a quarter clockwise by gradprint: the blank's left edge along the paper's top */
} gp_print_orientation;

typedef struct gp_printer_check_options {
    const char *queue;         /* CUPS queue or class */
    const char *template_path; /* certificate template */
    const char *tray;          /* media-source keyword or the driver's InputSlot choice; NULL: the default */
    gp_calibration calibration; /* the queue's profile: moved marks must still print; feed and face for loading */
    bool server_settings;      /* also check cupsd.conf (PreserveJobFiles, PreserveJobHistory, MaxJobs, ...) */
} gp_printer_check_options;

typedef struct gp_printer_check gp_printer_check;

GP_API void gp_printer_check_options_init(gp_printer_check_options *opts);
/* Reads what the queue supports (IPP attributes, its PPD, for an IPP
 * Everywhere queue the printer's own scaling) and decides how the
 * template's blank prints on it at 1:1. GP_OK when the check could be made,
 * whatever it found (see gp_printer_check_orientation and the report);
 * GP_E_IO when CUPS cannot be reached or has no such queue; GP_E_INVALID
 * for a template that does not load. */
GP_API gp_status gp_printer_check_run(gp_context *ctx, const gp_printer_check_options *opts,
                                      gp_printer_check **out, gp_error **err);
GP_API const gp_report *gp_printer_check_report(const gp_printer_check *check);
GP_API gp_print_orientation gp_printer_check_orientation(const gp_printer_check *check);
GP_API const char *gp_printer_check_queue(const gp_printer_check *check);
GP_API const char *gp_printer_check_model(const gp_printer_check *check);        /* or NULL */
GP_API const char *gp_printer_check_driver(const gp_printer_check *check);       /* family id: "gutenprint", ... */
GP_API const char *gp_printer_check_driver_label(const gp_printer_check *check); /* "Gutenprint", ... */
GP_API const char *gp_printer_check_page_size(const gp_printer_check *check);    /* as sent, or NULL */
GP_API double gp_printer_check_medium_width(const gp_printer_check *check);      /* mm, as sent */
GP_API double gp_printer_check_medium_height(const gp_printer_check *check);
/* The job options gradprint sends (name=value), page size and tray included. */
GP_API size_t gp_printer_check_option_count(const gp_printer_check *check);
GP_API const char *gp_printer_check_option_name(const gp_printer_check *check, size_t i);
GP_API const char *gp_printer_check_option_value(const gp_printer_check *check, size_t i);
/* How to load the blanks, localised; NULL when the blank cannot be printed. */
GP_API const char *gp_printer_check_loading(const gp_printer_check *check);
GP_API void gp_printer_check_free(gp_printer_check *check);

/* The calibration page, written to a file and/or printed on a queue the
 * way a run prints there (the same check, turn and job options). */
typedef struct gp_calibration_page_options {
    const char *template_path;
    const char *out_path;       /* the PDF to write; may be NULL when printer is set */
    gp_calibration calibration; /* marks drawn moved by it; feed and face for the loading instruction */
    const char *printer;        /* print it on this CUPS queue; NULL: only write out_path */
    const char *tray;
    double wait_timeout_s;      /* printing: how long to wait for the page; 0: 300 s */
} gp_calibration_page_options;

typedef struct gp_calibration_page_result gp_calibration_page_result;

GP_API void gp_calibration_page_options_init(gp_calibration_page_options *opts);
/* *result is set whenever it could be made (findings: the queue check's,
 * and warnings for an unlikely profile such as a 25 mm offset). GP_E_IO
 * when the queue cannot print the blank at 1:1 or the page did not print. */
GP_API gp_status gp_calibration_page_make(gp_context *ctx, const gp_calibration_page_options *opts,
                                          gp_calibration_page_result **result, gp_error **err);
GP_API const gp_report *gp_calibration_page_result_report(const gp_calibration_page_result *result);
GP_API gp_print_orientation gp_calibration_page_result_orientation(const gp_calibration_page_result *result);
GP_API int gp_calibration_page_result_job(const gp_calibration_page_result *result); /* 0 unless printed */
GP_API const char *gp_calibration_page_result_loading(const gp_calibration_page_result *result);
GP_API void gp_calibration_page_result_free(gp_calibration_page_result *result);

/* Calibration from a scan: the calibration page printed on a real blank,
 * scanned (any dpi, skewed, anywhere on the bed) or photographed, is
 * registered against the template's <background> (features and a RANSAC
 * homography), its magenta targets found in the blank's millimetres, and
 * the printer's offset and scale fitted to them. */
typedef struct gp_calibration_scan_options {
    const char *template_path;
    const char *scan_path;      /* JPEG or PNG */
    gp_calibration printed_with; /* the profile the page was printed with (gp_calibration_init: none) */
    const char *profile_out;    /* write the corrected profile here, or NULL */
    const char *proof_out;      /* write the proof PNG here, or NULL */
} gp_calibration_scan_options;

typedef struct gp_calibration_scan_figures {
    size_t marks_expected, marks_found;
    int inliers;                 /* features that agree on the scan's placement */
    double registration_error_px; /* their RMS distance, at the working resolution */
    double similarity;           /* the registered scan against the blank, -1..1 */
    double scan_dpi;             /* the scan's resolution over the blank, as measured */
    double rotation_deg;         /* the page's rotation on the blank (feed skew), + clockwise */
    double rms_before_mm, max_before_mm; /* how far marks land from their places now */
    double rms_after_mm, max_after_mm;   /* and with the corrected profile */
    gp_calibration profile;      /* the corrected profile */
} gp_calibration_scan_figures;

typedef struct gp_calibration_scan_mark {
    const char *name;            /* the element's id, or "grid" */
    double x_mm, y_mm;           /* where the page put it, template mm */
    bool found;
    double dx_mm, dy_mm;         /* where it landed minus x, y */
    double after_dx_mm, after_dy_mm; /* what is left with the corrected profile */
} gp_calibration_scan_mark;

typedef struct gp_calibration_scan_result gp_calibration_scan_result;

GP_API void gp_calibration_scan_options_init(gp_calibration_scan_options *opts);
/* GP_E_INVALID, naming the reason, when the blank cannot be registered in
 * the scan (another blank, too blurred, too small), when too few marks are
 * found, or when the fit shows the scan is unusable (a scale beyond 1.5 %,
 * as a page printed scaled to fit has, or marks more than 0.3 mm RMS off
 * any one placement); nothing is written then. *result is set (unless
 * memory ran out first), with the figures measured so far. GP_E_USAGE for
 * a printed_with profile no page can be drawn with. */
GP_API gp_status gp_calibration_scan(gp_context *ctx, const gp_calibration_scan_options *opts,
                                     gp_calibration_scan_result **result, gp_error **err);
GP_API const gp_report *gp_calibration_scan_result_report(const gp_calibration_scan_result *result);
GP_API void gp_calibration_scan_result_figures(const gp_calibration_scan_result *result,
                                               gp_calibration_scan_figures *out);
GP_API size_t gp_calibration_scan_result_marks(const gp_calibration_scan_result *result);
GP_API void gp_calibration_scan_result_mark(const gp_calibration_scan_result *result, size_t i,
                                            gp_calibration_scan_mark *out);
GP_API void gp_calibration_scan_result_free(gp_calibration_scan_result *result);

/* ------------------------------------------------------------------ */
/* Interrupted runs                                                    */

/* Jobs write their output into hidden staging beside it (a directory
 * ".NAME.partial-PID-XXXXXX", files ".NAME.tmp-PID-XXXXXX") and rename it
 * into place only once everything is written. A job removes, when it
 * starts, the staging that runs killed on the same output left there, and
 * says so with a "stale-staging" warning. A program that takes SIGINT or
 * SIGTERM calls this, from a thread (not a signal handler), for each output
 * it passed to a job, just before it exits: it removes what this process
 * staged beside target. Returns how many staging entries it removed. */
GP_API size_t gp_staging_discard(const char *target);

/* ------------------------------------------------------------------ */
/* Print runs: certificates through CUPS onto serial-numbered blanks   */

/* A CUPS queue (or class) of the run and the calibration its batches are
 * rendered with. Every member of a class needs the same stock, tray and
 * calibration. */
typedef struct gp_print_queue {
    const char *name;
    gp_calibration calibration;
} gp_print_queue;

/* What the operator must do before a batch. */
typedef struct gp_print_batch_info {
    long batch;
    const char *queue;
    const char *tray;         /* NULL: the queue's default */
    size_t pages;
    const char *first_serial; /* the blanks to load; NULL without first_blank */
    const char *last_serial;
    gp_print_orientation orientation;
    const char *loading;      /* how to load them, localised ("Load the blanks turned: ...") */
} gp_print_batch_info;

/* Called before each batch is printed: return false to stop the run there
 * (it stays resumable). */
typedef bool (*gp_print_prompt_fn)(void *user, const gp_print_batch_info *batch);
/* Progress messages for the operator, localised ("batch 3: job 17 completed"). */
typedef void (*gp_print_notice_fn)(void *user, const char *message);

typedef struct gp_print_options {
    /* Roster, photos, template, records and skip_invalid as for
     * gp_certs_run; out_path, png_dir, proof and calibration are not used
     * (each queue has its calibration). */
    gp_certs_options certs;
    const char *run_dir;          /* created 0700 with missing parents; must not exist or be empty unless resume */
    const gp_print_queue *queues; /* batches go round-robin to them */
    size_t n_queues;
    int batch_size;               /* pages per batch, what the tray holds; 0: 50 */
    const char *tray;             /* IPP media-source ("tray-2") or the driver's InputSlot; NULL: the queue's default */
    const char *first_blank;      /* serial of the first blank ("A0001234"); NULL: not tracked */
    /* Continue the run in run_dir with the settings it was started with.
     * Only queues (when n_queues > 0), tray and batch_size (when > 0) may
     * change: each new queue must pass the same checks; certs and
     * first_blank are ignored. */
    bool resume;
    bool keep;                    /* keep rendered PDFs after their job completed (saved with the run) */
    double wait_timeout_s;        /* how long to wait for one job; 0: as long as it takes */
    gp_print_prompt_fn prompt;    /* may be NULL: no stop between batches */
    void *prompt_user;
    gp_print_notice_fn notice;    /* may be NULL */
    void *notice_user;
    /* Set to non-zero (e.g. from a SIGINT handler) to stop at the next safe
     * point with GP_E_INTERRUPTED; may be NULL. */
    const gp_cancel_flag *interrupted;
} gp_print_options;

/* One batch a gp_print_run call sent. */
typedef struct gp_print_batch_result {
    long batch;
    const char *queue;
    int job_id;               /* 0 when no job was created */
    size_t pages;
    const char *first_serial; /* NULL without blanks */
    const char *last_serial;
    const char *state;        /* "completed", "failed", "refused" (never reached the printer), "waiting" */
    const char *media;        /* the page size sent */
    gp_print_orientation orientation;
} gp_print_batch_result;

typedef struct gp_print_result gp_print_result;

GP_API void gp_print_options_init(gp_print_options *opts);
/* Preflights every selected record (on errors without skip_invalid:
 * GP_E_INVALID, nothing printed, the report in *result), then renders and
 * prints the records not yet printed in batches, journalling each step in
 * run_dir. GP_E_IO when printing failed (a paused queue, a refused or
 * failed job, CUPS unreachable): the run can be resumed. */
GP_API gp_status gp_print_run(gp_context *ctx, const gp_print_options *opts, gp_print_result **result,
                              gp_error **err);
GP_API const gp_report *gp_print_result_report(const gp_print_result *result);
GP_API const char *gp_print_result_run_id(const gp_print_result *result); /* NULL before the run existed */
GP_API size_t gp_print_result_selected(const gp_print_result *result);   /* records chosen */
GP_API size_t gp_print_result_skipped(const gp_print_result *result);    /* invalid, left out */
GP_API size_t gp_print_result_printed(const gp_print_result *result);    /* pages completed by this call */
GP_API size_t gp_print_result_remaining(const gp_print_result *result);  /* still to print */
GP_API bool gp_print_result_stopped(const gp_print_result *result);      /* the prompt said stop */
GP_API const char *gp_print_result_next_serial(const gp_print_result *result); /* the next blank, or NULL */
GP_API size_t gp_print_result_batches(const gp_print_result *result);
GP_API void gp_print_result_batch(const gp_print_result *result, size_t i, gp_print_batch_result *out);
GP_API void gp_print_result_free(gp_print_result *result);

/* The state of a run, read from its journal (no lock: a run may be going on). */
typedef enum gp_print_record_status {
    GP_PRINT_PENDING = 0, /* not printed yet, or a reprint was asked for */
    GP_PRINT_RENDERED,
    GP_PRINT_SUBMITTED,   /* its job is in CUPS, outcome not journalled yet */
    GP_PRINT_COMPLETED,
    GP_PRINT_FAILED       /* its job failed: printed again on resume */
} gp_print_record_status;

typedef struct gp_print_record_info {
    long line;               /* the roster line, as findings and --records number it */
    const char *student_no;
    const char *id_masked;   /* "110101********1234", or NULL */
    gp_print_record_status status;
    long batch;              /* latest batch, -1 when none */
    int job_id;              /* its CUPS job, 0 when none */
    const char *queue;       /* NULL when none */
    const char *blank_serial; /* the latest blank, or NULL */
    const char *time;        /* when its latest job completed, or NULL */
    int printed, reprints;
    const char *pending_reason; /* why it is not printed (yet), localised; NULL when printed */
} gp_print_record_info;

typedef struct gp_print_void_info {
    const char *serial, *reason, *time;
    long line;               /* the roster line of the record the blank held, 0 when none */
} gp_print_void_info;

typedef struct gp_print_status gp_print_status;

GP_API gp_status gp_print_status_load(const char *run_dir, gp_print_status **out, gp_error **err);
GP_API const char *gp_print_status_run_id(const gp_print_status *s);
GP_API const char *gp_print_status_template(const gp_print_status *s);
GP_API const char *gp_print_status_queues(const gp_print_status *s);
GP_API const char *gp_print_status_started(const gp_print_status *s); /* UTC, ISO 8601 */
GP_API const char *gp_print_status_updated(const gp_print_status *s);
/* Records chosen for the run (those not rendered yet count as pending). */
GP_API size_t gp_print_status_total(const gp_print_status *s);
GP_API size_t gp_print_status_count(const gp_print_status *s, gp_print_record_status status);
GP_API size_t gp_print_status_batches(const gp_print_status *s);
/* Records the journal names, in roster order. */
GP_API size_t gp_print_status_records(const gp_print_status *s);
GP_API void gp_print_status_record(const gp_print_status *s, size_t i, gp_print_record_info *out);
GP_API size_t gp_print_status_blanks_used(const gp_print_status *s);
/* Every blank record i took, oldest first, and what became of it. */
typedef struct gp_print_blank_history {
    const char *serial, *time;
    const char *fate; /* localised: "holds the certificate", "voided", "replaced, not voided", "unused (...)" */
} gp_print_blank_history;
GP_API size_t gp_print_status_record_blank_count(const gp_print_status *s, size_t i);
GP_API void gp_print_status_record_blank(const gp_print_status *s, size_t i, size_t which,
                                         gp_print_blank_history *out);
GP_API size_t gp_print_status_voided(const gp_print_status *s);
/* Checks the journal against CUPS: a job of this run that the journal does
 * not know means the journal lost events (cut short, restored from an old
 * copy): GP_E_INVALID saying how to recover. GP_E_IO when CUPS cannot be
 * asked. */
GP_API gp_status gp_print_status_verify(const gp_print_status *s, gp_error **err);
GP_API const char *gp_print_status_dir(const gp_print_status *s);
/* The serial the next batch starts at, or NULL when blanks are not tracked. */
GP_API const char *gp_print_status_next_serial(const gp_print_status *s);
GP_API void gp_print_status_void(const gp_print_status *s, size_t i, gp_print_void_info *out);
/* Blanks printed on whose record went onto a later blank (a reprint, or a
 * job that failed) and that were not voided: the operator accounts for
 * them (void them, or load them again when they came out unprinted).
 * reason is the reprint's, or the failed job's state. */
GP_API size_t gp_print_status_replaced(const gp_print_status *s);
GP_API void gp_print_status_replaced_blank(const gp_print_status *s, size_t i, gp_print_void_info *out);
GP_API void gp_print_status_free(gp_print_status *s);

/* Asks for records (as gp_certs_options.records) to be printed again by
 * the next resume; *count (may be NULL) receives how many. */
GP_API gp_status gp_print_reprint(gp_context *ctx, const char *run_dir, const char *records, const char *reason,
                                  size_t *count, gp_error **err);
typedef struct gp_print_void_outcome {
    long line;    /* roster line of the record printed again onto the next blank, 0 when none */
    bool already; /* the blank was void already: nothing changed */
    bool unused;  /* a blank of this run not reached yet: it will be skipped */
} gp_print_void_outcome;
/* Records a blank as void, in one journal event with the reprint of the
 * certificate printed on it (if any), which the next resume prints onto
 * the next blank. A serial the run never used and will not reach is
 * GP_E_USAGE; voiding a void blank again changes nothing and succeeds. */
GP_API gp_status gp_print_void_blank(const char *run_dir, const char *serial, const char *reason,
                                     gp_print_void_outcome *out, gp_error **err);
/* The audit report for the registrar: an A4 PDF with the run, every
 * record's blank and job, the voided blanks, totals and signature lines. */
GP_API gp_status gp_print_audit_report(gp_context *ctx, const char *run_dir, const char *out_pdf, gp_error **err);

/* ------------------------------------------------------------------ */
/* Student photos against the 学信网 image standard                     */

/* The numbers a photo is checked against and prepared toward: size, dpi,
 * quality, file size, background, head-top, eye and face-width bands. A
 * profile is read-only once loaded and may be shared between threads. */
typedef struct gp_photo_profile gp_photo_profile;

/* A built-in profile ("xuexin": light blue, the default; "xuexin-white";
 * "xuexin-grey") or a profile file ("key = value" lines starting from a
 * built-in, see the README). NULL loads "xuexin". */
GP_API gp_status gp_photo_profile_load(const char *name_or_path, gp_photo_profile **out, gp_error **err);
GP_API void gp_photo_profile_free(gp_photo_profile *profile);
GP_API const char *gp_photo_profile_name(const gp_photo_profile *profile);

/* What was measured in one photo. Pixel values are in the photo's own
 * pixels, y down from the top edge; a value that could not be measured is
 * negative (or false). */
typedef struct gp_photo_measurements {
    int width, height;
    int components;       /* 3 colour, 1 grey, 4 CMYK; 0 when not a JPEG */
    double dpi_x, dpi_y;  /* 0 when the file declares none */
    int quality;          /* estimated from the quantisation tables, 0 unknown */
    long file_bytes;
    int orientation;      /* EXIF orientation, 0 when there is none */
    bool has_icc;         /* an embedded colour profile */
    bool has_exif;
    bool decoded;         /* the pixels were read; the rest needs them */
    int background[3];    /* sRGB of the background behind the head */
    double background_delta_e; /* CIE76 distance from the profile's colour */
    double background_stray;   /* share of the background area that is not background, 0..1 */
    int black_edge;       /* widest dark or framed edge, px (0: none) */
    int faces;            /* faces found */
    int face_x, face_y, face_w, face_h; /* the detector's box around the face */
    int face_left, face_right;          /* cheek to cheek */
    int face_width;
    bool eyes_found;      /* false: eye line estimated from the face box */
    double eye_left_x, eye_left_y, eye_right_x, eye_right_y; /* in the picture: left = the viewer's left */
    double eye_line;      /* y of the eye line */
    double tilt;          /* degrees of the pupil line, + clockwise; 0 without eyes */
    int head_top;         /* y of the top of the head (hair included) */
    double centre_offset; /* face centre minus the photo's centre, px, + right */
    double sharpness;     /* variance of the face's Laplacian */
} gp_photo_measurements;

/* Checks photos against a profile. A checker holds the face detector, so
 * it belongs to one thread; make one per thread. */
typedef struct gp_photo_checker gp_photo_checker;

/* profile may be NULL (the default "xuexin"); the checker keeps a pointer
 * to it, so it must outlive the checker. The cascades are read from
 * opencv-data's folder ($GRADPRINT_CASCADE_DIR overrides it); ctx is
 * taken for symmetry with the jobs and may be NULL. */
GP_API gp_status gp_photo_checker_new(gp_context *ctx, const gp_photo_profile *profile, gp_photo_checker **out,
                                      gp_error **err);
GP_API void gp_photo_checker_free(gp_photo_checker *checker);

/* One photo's result: its measurements and findings (code "size",
 * "head-top", ...; file set to the photo, line 0). */
typedef struct gp_photo_check gp_photo_check;

/* Checks the file at path. The file name must be the ID number (GB 11643)
 * with .jpg or .jpeg, or a "name" finding follows. Fails (GP_E_IO,
 * GP_E_NOMEM) only when the file cannot be read at all. */
GP_API gp_status gp_photo_check_file(gp_photo_checker *checker, const char *path, gp_photo_check **out,
                                     gp_error **err);
/* The same on bytes in memory; name stands for the file. */
GP_API gp_status gp_photo_check_memory(gp_photo_checker *checker, const char *name, const unsigned char *data,
                                       size_t size, gp_photo_check **out, gp_error **err);
GP_API bool gp_photo_check_ok(const gp_photo_check *check); /* no error finding */
GP_API const gp_photo_measurements *gp_photo_check_measurements(const gp_photo_check *check);
GP_API const gp_report *gp_photo_check_report(const gp_photo_check *check);
GP_API void gp_photo_check_free(gp_photo_check *check);

/* gradprint photos check: every JPEG in the listed files and directories. */
typedef struct gp_photos_check_options {
    const char *const *paths;  /* files and directories */
    size_t npaths;
    const char *roster_path;   /* NULL: no roster (no not-in-roster, no missing photos) */
    gp_roster_options roster;
    const char *profile;       /* as gp_photo_profile_load; NULL: xuexin */
    const char *report_dir;    /* NULL: no report files; else report.csv, contact-sheet.pdf, orphans.csv */
    int jobs;                  /* worker threads; 0: one per core */
    gp_progress_fn progress;
    void *progress_user;
    gp_cancel_flag *cancel;    /* may be NULL; set: stop at the next photo, remove what was half written, GP_E_INTERRUPTED */
} gp_photos_check_options;

typedef struct gp_photos_check_result gp_photos_check_result;

GP_API void gp_photos_check_options_init(gp_photos_check_options *opts);
/* Checks every photo. GP_E_INVALID when any photo has an error (the result
 * holds everything), GP_E_USAGE/GP_E_IO/GP_E_INVALID for a bad roster,
 * profile or path (then *result may be NULL), GP_E_INTERRUPTED when
 * opts->cancel was set (no report written). */
GP_API gp_status gp_photos_check_run(gp_context *ctx, const gp_photos_check_options *opts,
                                     gp_photos_check_result **result, gp_error **err);
GP_API size_t gp_photos_check_result_count(const gp_photos_check_result *result);
GP_API const char *gp_photos_check_result_file(const gp_photos_check_result *result, size_t i);
/* The ID number the file is named by, or NULL when the name is none. */
GP_API const char *gp_photos_check_result_id(const gp_photos_check_result *result, size_t i);
GP_API const gp_photo_check *gp_photos_check_result_photo(const gp_photos_check_result *result, size_t i);
/* Findings about the set rather than one photo: roster problems, students
 * without a photo, the one-line summary of photos named after nobody. */
GP_API const gp_report *gp_photos_check_result_report(const gp_photos_check_result *result);
GP_API size_t gp_photos_check_result_failed(const gp_photos_check_result *result); /* photos with an error */
GP_API size_t gp_photos_check_result_not_in_roster(const gp_photos_check_result *result);
GP_API size_t gp_photos_check_result_missing(const gp_photos_check_result *result); /* students without a photo */
GP_API const char *gp_photos_check_result_profile(const gp_photos_check_result *result);
GP_API void gp_photos_check_result_free(gp_photos_check_result *result);

/* gradprint photos prepare: camera originals or student photos to
 * conforming, ID-named photos. */
typedef struct gp_photos_prepare_options {
    const char *in_dir;
    const char *out_dir;       /* created when missing */
    const char *names_path;    /* capture log (CSV/XLSX: 文件名 + 身份证号 or 学号); NULL: files are ID-named */
    const char *roster_path;   /* NULL: none; with it, every ID must be in the roster */
    gp_roster_options roster;
    const char *profile;
    bool overwrite;            /* replace photos already in out_dir */
    int jobs;
    gp_progress_fn progress;
    void *progress_user;
    gp_cancel_flag *cancel;
} gp_photos_prepare_options;

typedef struct gp_photos_prepare_result gp_photos_prepare_result;

/* One input file's outcome. */
typedef struct gp_photo_prepared {
    const char *source;        /* the input file */
    const char *id_number;     /* NULL when the file maps to no ID number */
    const char *output;        /* the photo written, NULL when refused */
    int quality;               /* JPEG quality used */
    long bytes;
    double scale;              /* output pixels per original pixel */
    int crop_x, crop_y, crop_w, crop_h; /* the part of the (upright) original used */
    const gp_photo_check *check; /* the written photo's check, NULL when refused before writing */
    const gp_report *findings;   /* why it was refused (errors), or warnings */
} gp_photo_prepared;

GP_API void gp_photos_prepare_options_init(gp_photos_prepare_options *opts);
/* Prepares every photo that can be made conforming and refuses the rest,
 * writing nothing for them: GP_E_INVALID when any was refused. */
GP_API gp_status gp_photos_prepare_run(gp_context *ctx, const gp_photos_prepare_options *opts,
                                       gp_photos_prepare_result **result, gp_error **err);
GP_API size_t gp_photos_prepare_result_count(const gp_photos_prepare_result *result);
GP_API const gp_photo_prepared *gp_photos_prepare_result_get(const gp_photos_prepare_result *result, size_t i);
GP_API const gp_report *gp_photos_prepare_result_report(const gp_photos_prepare_result *result);
GP_API size_t gp_photos_prepare_result_written(const gp_photos_prepare_result *result);
GP_API size_t gp_photos_prepare_result_refused(const gp_photos_prepare_result *result);
GP_API void gp_photos_prepare_result_free(gp_photos_prepare_result *result);

/* gradprint photos backup: the school's electronic copy. */
typedef struct gp_photos_backup_options {
    const char *photos_dir;
    const char *roster_path;
    gp_roster_options roster;
    const char *out_path;      /* the .zip; must not exist */
    const char *password;      /* NULL: not encrypted; else every entry AES-256 */
    const char *profile;       /* for the manifest's check result */
    int jobs;
    gp_progress_fn progress;
    void *progress_user;
    gp_cancel_flag *cancel;
} gp_photos_backup_options;

typedef struct gp_photos_backup_result gp_photos_backup_result;

GP_API void gp_photos_backup_options_init(gp_photos_backup_options *opts);
/* Writes the zip (the photos byte for byte, manifest.csv) to a temporary
 * file, reads every entry back and compares, then renames it into place. */
GP_API gp_status gp_photos_backup_run(gp_context *ctx, const gp_photos_backup_options *opts,
                                      gp_photos_backup_result **result, gp_error **err);
GP_API const gp_report *gp_photos_backup_result_report(const gp_photos_backup_result *result);
GP_API size_t gp_photos_backup_result_photos(const gp_photos_backup_result *result);
GP_API size_t gp_photos_backup_result_missing(const gp_photos_backup_result *result);
GP_API size_t gp_photos_backup_result_failed(const gp_photos_backup_result *result); /* photos failing the check */
GP_API bool gp_photos_backup_result_encrypted(const gp_photos_backup_result *result);
GP_API const char *gp_photos_backup_result_path(const gp_photos_backup_result *result); /* NULL: nothing written */
GP_API void gp_photos_backup_result_free(gp_photos_backup_result *result);

#ifdef __cplusplus
}
#endif

#endif /* GRADPRINT_H */
