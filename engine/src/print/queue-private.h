/* A CUPS queue as gradprint needs to know it before a blank is spent: what
 * the queue can put on paper (its IPP attributes and, when it has one, its
 * PPD), which driver family runs behind it, and the plan for printing one
 * template on it at exactly 1:1 — or why that cannot be done.
 *
 *   queue-caps.c      IPP attributes (and the PPD) → gp_queue_caps
 *   driver-families.c the one table of driver families and what each needs
 *   queue-plan.c      caps + template → gp_queue_plan (orientation, size,
 *                     job options, findings)
 *   cupsd-settings.c  the scheduler's settings that matter for personal
 *                     data and for resuming
 *   printer-check.c   gp_printer_check, the public face of all of this */
#ifndef GP_QUEUE_PRIVATE_H
#define GP_QUEUE_PRIVATE_H

#include <cups/ipp.h>
#include <cups/pwg.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/report-private.h"
#include "gradprint.h"
#include "ppd-private.h"

/* Edges, in the order IPP lists margins: media-bottom/left/right/top-margin. */
enum { GP_EDGE_BOTTOM, GP_EDGE_LEFT, GP_EDGE_RIGHT, GP_EDGE_TOP };

/* A size the queue offers; lengths in hundredths of a millimetre, as IPP. */
typedef struct gp_queue_media {
    int x, y;
    int margins[4]; /* -1: not said */
} gp_queue_media;

typedef struct gp_queue_caps {
    char *queue;
    char *make_model;   /* printer-make-and-model, or NULL */
    char *device_uri;   /* without its query, or NULL */
    bool is_class;
    char **members;     /* a class's member queues */
    size_t n_members, cap_members;
    bool accepting, stopped;
    char *state_message;
    gp_queue_media *media;
    size_t n_media, cap_media;
    bool custom;        /* a custom size range is offered */
    int custom_min_x, custom_max_x, custom_min_y, custom_max_y;
    int custom_margins[4]; /* -1: not said */
    int min_margins[4];    /* the smallest of media-*-margin-supported; -1: not said */
    char **sources;        /* media-source-supported */
    size_t n_sources, cap_sources;
    char **scaling;        /* print-scaling-supported */
    size_t n_scaling, cap_scaling;
    char **sides;          /* sides-supported */
    size_t n_sides, cap_sides;
    char **mandatory;      /* printer-mandatory-job-attributes */
    size_t n_mandatory, cap_mandatory;
    char *scaling_default; /* print-scaling-default, or NULL */
    char *job_sheets_default;
    bool has_ppd;
    gp_ppd ppd;
} gp_queue_caps;

/* Fills caps from a Get-Printer-Attributes response (the queue's, or a
 * printer's own). Attributes that are missing or of the wrong type are
 * left unset; only memory can fail. */
gp_status gp_queue_caps_from_ipp(ipp_t *response, gp_queue_caps *caps, gp_error **err);
/* Asks CUPS about queue: its attributes and, where it has one, its PPD.
 * GP_E_IO when CUPS cannot be reached or has no such queue, with a message
 * saying what to do. */
gp_status gp_queue_caps_fetch(const char *queue, gp_queue_caps *caps, gp_error **err);
/* Asks the printer behind an IPP Everywhere queue (its device URI) for its
 * own scaling default and mandatory attributes; false when it cannot be
 * reached, which is not an error. */
bool gp_queue_caps_ask_device(const gp_queue_caps *queue, gp_queue_caps *device);
void gp_queue_caps_free(gp_queue_caps *caps);
bool gp_strv_has(char *const *list, size_t n, const char *s);

/* ------------------------------------------------------------------ */
/* Driver families                                                     */

/* A PPD option set to a value for every job, whatever the queue's default. */
typedef struct gp_forced_option {
    const char *keyword, *choice;
    const char *why; /* untranslated, for _() */
} gp_forced_option;

typedef struct gp_driver_family {
    const char *id;    /* "gutenprint", stable: journals, JSON */
    const char *label; /* "Gutenprint", for people */
    /* Filter programs, any of which makes a PPD this family's. */
    const char *const *filters;
    const gp_forced_option *options; /* ends with {NULL} */
    bool ipp_everywhere;             /* the PDF goes to an IPP printer that decides scaling itself */
    bool named_sizes_only;           /* custom sizes are dropped even when the PPD lists them */
} gp_driver_family;

/* The family of a queue (never NULL: unknown drivers get a generic entry). */
const gp_driver_family *gp_driver_family_of(const gp_queue_caps *caps);
const gp_driver_family *gp_driver_family_by_id(const char *id);

/* ------------------------------------------------------------------ */
/* The plan                                                            */

typedef enum gp_queue_fit {
    GP_FIT_NONE = 0,    /* cannot be printed at 1:1 */
    GP_FIT_AS_IS,       /* the page goes out as the template has it */
    GP_FIT_TURNED       /* turned a quarter clockwise by gradprint (gp_page_spec.turned) */
} gp_queue_fit;

/* One option for the job (PPD keyword or IPP attribute). */
typedef struct gp_job_option {
    char *name, *value;
} gp_job_option;

typedef struct gp_queue_plan {
    gp_queue_fit fit;
    const gp_driver_family *family;
    double medium_w_mm, medium_h_mm; /* the page as sent (turned when fit is GP_FIT_TURNED) */
    char *page_size;                 /* "Custom.190x270mm" or a named size, as sent */
    gp_job_option *options;          /* every option of the job, page size and tray included */
    size_t n_options, cap_options;
} gp_queue_plan;

/* What the plan is made for. */
typedef struct gp_plan_request {
    const char *template_path;
    double page_w_mm, page_h_mm;
    /* Where the template prints, upright, in mm: the union of its marks'
     * boxes (the blank's own background excluded), after calibration. */
    double ink_x0, ink_y0, ink_x1, ink_y1;
    const char *tray; /* media-source keyword or PPD InputSlot choice, or NULL */
} gp_plan_request;

/* Decides how req can be printed on the queue of caps, adding findings to
 * report (errors when it cannot, warnings for what the operator should
 * know), each naming the queue, the limit and what to do. The plan's fit
 * is GP_FIT_NONE when any error was added. */
gp_status gp_queue_plan_make(const gp_queue_caps *caps, const gp_queue_caps *device, const gp_plan_request *req,
                             gp_queue_plan *plan, gp_report *report, gp_error **err);
void gp_queue_plan_free(gp_queue_plan *plan);

/* Everything at once for one queue and template: caps (of every member,
 * for a class), the printer behind an IPP queue, the plan, the profile's
 * warnings. cal may be NULL. Findings go to report; GP_E_IO only when CUPS
 * cannot be asked at all. For a class the plan is its members' common one:
 * members that would print the blank differently are an error. */
gp_status gp_queue_check(const char *queue, const gp_template *tpl, const char *tray, const gp_calibration *cal,
                         gp_queue_plan *plan, gp_report *report, gp_error **err);

/* ------------------------------------------------------------------ */
/* The scheduler                                                       */

/* Reads cupsd.conf from the server (or the local file) and adds a finding
 * for each setting that keeps personal data or defeats resuming, with the
 * fix; one warning when the settings cannot be read. */
void gp_cupsd_settings_check(gp_report *report);
/* The same for a cupsd.conf already in memory (tests, fuzzing). */
void gp_cupsd_settings_check_text(const char *conf, size_t len, const char *name, gp_report *report);

#endif
