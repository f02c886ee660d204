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
    GP_E_INTERNAL = 5
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
    const char *sheet;    /* XLSX only: sheet name; NULL takes the first sheet */
} gp_roster_options;

/* Reads a CSV or XLSX roster and maps its headers to canonical keys
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
GP_API size_t gp_sheets_result_skipped(const gp_sheets_result *result);
GP_API size_t gp_sheets_result_classes(const gp_sheets_result *result);
/* The output directory written, or NULL when nothing was written. */
GP_API const char *gp_sheets_result_out_dir(const gp_sheets_result *result);
GP_API void gp_sheets_result_free(gp_sheets_result *result);


/* ------------------------------------------------------------------ */
/* Certificates printed onto pre-printed blanks                        */

/* Where a printer puts marks relative to where they should be, measured
 * with the calibration page: every mark moves by the offset (mm, +x right,
 * +y down) and scales by scale_x/scale_y about the blank's top-left corner. */
typedef struct gp_calibration {
    double offset_x_mm, offset_y_mm;
    double scale_x, scale_y;
} gp_calibration;

/* No offset, no scaling. */
GP_API void gp_calibration_init(gp_calibration *cal);
/* Reads a printer profile ("key = value" lines: offset-x, offset-y in mm,
 * scale-x, scale-y, plus printer and tray for the operator's reference). */
GP_API gp_status gp_calibration_load(const char *profile_path, gp_calibration *cal, gp_error **err);

typedef struct gp_certs_options {
    const char *roster_path;
    gp_roster_options roster;
    const char *photos_dir;    /* may be NULL when the template has no photo */
    const char *template_path; /* required */
    const char *out_path;      /* the PDF to write */
    bool proof;                /* draw the blank's background under the marks */
    const char *png_dir;       /* when set, also a preview PNG per page here */
    gp_calibration calibration;
    /* Which records: 1-based roster rows and ranges ("1-2,7") or student
     * numbers ("2021010101,2021010105"), mixed; NULL means all. */
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
    const char *run_dir;          /* created 0700; must not exist or be empty unless resume */
    const gp_print_queue *queues; /* batches go round-robin to them */
    size_t n_queues;
    int batch_size;               /* pages per batch, what the tray holds; 0: 50 */
    const char *tray;             /* IPP media-source ("tray-2"); NULL: the queue's default */
    const char *first_blank;      /* serial of the first blank ("A0001234"); NULL: not tracked */
    /* Continue the run in run_dir with the settings it was started with:
     * certs, queues, batch_size, tray, first_blank are then ignored. */
    bool resume;
    bool keep;                    /* keep rendered PDFs after their job completed (saved with the run) */
    double wait_timeout_s;        /* how long to wait for one job; 0: as long as it takes */
    gp_print_prompt_fn prompt;    /* may be NULL: no stop between batches */
    void *prompt_user;
    gp_print_notice_fn notice;    /* may be NULL */
    void *notice_user;
} gp_print_options;

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
    long row;                /* 1-based roster row (record index + 1) */
    const char *student_no;
    const char *id_masked;   /* "110101********1234", or NULL */
    gp_print_record_status status;
    long batch;              /* latest batch, -1 when none */
    int job_id;              /* its CUPS job, 0 when none */
    const char *queue;       /* NULL when none */
    const char *blank_serial; /* the latest blank, or NULL */
    const char *time;        /* when its latest job completed, or NULL */
    int printed, reprints;
} gp_print_record_info;

typedef struct gp_print_void_info {
    const char *serial, *reason, *time;
    long row;                /* the record the blank held, 0 when none */
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
GP_API size_t gp_print_status_voided(const gp_print_status *s);
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
/* Records a blank as void; the record printed on it (if any) is printed
 * again onto the next blank by the next resume. *row (may be NULL) receives
 * that record's 1-based row, or 0. */
GP_API gp_status gp_print_void_blank(const char *run_dir, const char *serial, const char *reason, long *row,
                                     gp_error **err);
/* The audit report for the registrar: an A4 PDF with the run, every
 * record's blank and job, the voided blanks, totals and signature lines. */
GP_API gp_status gp_print_audit_report(gp_context *ctx, const char *run_dir, const char *out_pdf, gp_error **err);

#ifdef __cplusplus
}
#endif

#endif /* GRADPRINT_H */
