/* What a queue's PPD says about putting a page on paper: which driver runs
 * (its filters), how it turns landscape pages, the custom page size range,
 * the named sizes, and the options with their defaults and choices. Only
 * the few keywords gradprint decides with are read; the rest of the file
 * (PostScript code, translations, constraints) is skipped.
 *
 * PPDs come from drivers and from whoever set the queue up, so they are
 * outside input: every line is length-limited, counts are capped, and a
 * file that is not a PPD is refused with its line number. */
#ifndef GP_PPD_PRIVATE_H
#define GP_PPD_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gradprint.h"

#define GP_PPD_MAX_BYTES (16u * 1024u * 1024u)

typedef struct gp_ppd_option {
    char *keyword;        /* "StpiShrinkOutput" */
    char *label;          /* "Shrink Page If Necessary to Fit Borders", printable ASCII, or "" */
    char *default_choice; /* from *Default<keyword>, or NULL */
    char **choices;       /* "Shrink", "Crop", "Expand" */
    size_t n_choices, cap_choices;
    bool installable;     /* in the InstallableOptions group: hardware, not a job option */
    bool ui;              /* opened by *OpenUI: an option a job can set (not just a *Default line) */
} gp_ppd_option;

typedef struct gp_ppd_size {
    char *name;           /* "A4" */
    double w_pt, h_pt;    /* from *PaperDimension */
} gp_ppd_size;

typedef enum gp_ppd_turn {
    GP_PPD_TURN_UNKNOWN = 0,
    GP_PPD_TURN_PLUS90,   /* *LandscapeOrientation: Plus90 */
    GP_PPD_TURN_MINUS90,
    GP_PPD_TURN_ANY
} gp_ppd_turn;

typedef struct gp_ppd {
    char *model_name, *nick_name, *manufacturer; /* or NULL */
    char **filters;       /* program of each *cupsFilter / *cupsFilter2 line ("hpcups", "-") */
    size_t n_filters, cap_filters;
    bool has_filter_lines; /* any *cupsFilter line: a PPD without one drives a PostScript printer */
    bool foomatic;        /* *FoomaticRIPCommandLine present */
    bool ipp_document;    /* a *cupsFilter2 hands PDF, PWG or Apple raster to the device as is (driverless) */
    gp_ppd_turn landscape;
    bool custom_size;     /* *CustomPageSize True */
    bool has_custom_range;
    double custom_min_w_pt, custom_max_w_pt, custom_min_h_pt, custom_max_h_pt;
    double max_media_w_pt, max_media_h_pt; /* *MaxMediaWidth/Height, 0 when absent */
    bool has_hw_margins;
    double hw_margins_pt[4]; /* left, bottom, right, top */
    gp_ppd_option *options;
    size_t n_options, cap_options;
    gp_ppd_size *sizes;
    size_t n_sizes, cap_sizes;
} gp_ppd;

/* Parses a PPD held in memory; name is what messages call it. A file that
 * does not start with "*PPD-Adobe:" or is larger than GP_PPD_MAX_BYTES is
 * GP_E_INVALID. Lines gradprint does not read are skipped whatever they
 * hold. On failure *ppd holds nothing to free. */
gp_status gp_ppd_parse(const char *data, size_t len, const char *name, gp_ppd *ppd, gp_error **err);
void gp_ppd_free(gp_ppd *ppd);

const gp_ppd_option *gp_ppd_find_option(const gp_ppd *ppd, const char *keyword);
/* Whether option has a choice of that name (case-sensitive, as CUPS). */
bool gp_ppd_option_has_choice(const gp_ppd_option *option, const char *choice);
/* Whether any filter program's name contains needle. */
bool gp_ppd_uses_filter(const gp_ppd *ppd, const char *needle);

#endif
