/* The driver families gradprint knows and what each needs to print a page
 * at 1:1 — one table; adding a family is one entry. What is in it was
 * measured by printing through the real Debian drivers and decoding what
 * reached the device (tests/test-driver-chains.c):
 *
 *   Gutenprint 5.3   shrinks a page into its margins unless
 *                    StpiShrinkOutput=Crop (0.9765 in x, +3.2 mm otherwise)
 *   hpcups           exact, once the page size is within the PPD's range
 *                    (beyond it Ghostscript turns and crops the page)
 *   PostScript       exact (HP's hpps, foomatic-rip, a plain PS printer);
 *                    vendor options that fit, turn or hold jobs are set off
 *                    by the generic rules in queue-plan.c
 *   PCL 6 (gstopxl)  no custom sizes: a blank prints only if a named size
 *                    matches it
 *   IPP Everywhere   the PDF goes to the printer unscaled, but CUPS does not
 *                    pass print-scaling on: the printer's own default decides
 */
#include "queue-private.h"

#include <string.h>

static const char *const gutenprint_filters[] = {"rastertogutenprint", NULL};
static const gp_forced_option gutenprint_options[] = {
    {"StpiShrinkOutput", "Crop", "Gutenprint shrinks a page that reaches into the printer's margins; Crop keeps it 1:1"},
    {"StpFullBleed", "False", "borderless printing enlarges the page past the paper's edges"},
    {NULL, NULL, NULL},
};

static const char *const hpcups_filters[] = {"hpcups", "hpcupsfax", NULL};
static const char *const hpps_filters[] = {"hpps", NULL};
static const gp_forced_option hpps_options[] = {
    {"HPPinPrnt", "False", "a PIN-held job waits at the printer while CUPS reports it printed"},
    {NULL, NULL, NULL},
};
static const char *const foomatic_filters[] = {"foomatic-rip", NULL};
static const gp_forced_option foomatic_options[] = {
    {"RIPaperPolicy", "PromptUser", "the printer must ask for the blank's size, never fit the page to other paper"},
    {"JobType", "Normal", "sample, locked or stored jobs wait at the printer while CUPS reports them printed"},
    {NULL, NULL, NULL},
};
static const char *const pcl_filters[] = {"gstopxl", "rastertopclx", "rastertohp", "rastertopclm", NULL};
static const char *const none[] = {NULL};
static const gp_forced_option no_options[] = {{NULL, NULL, NULL}};

static const gp_driver_family families[] = {
    {"gutenprint", "Gutenprint", gutenprint_filters, gutenprint_options, false, false},
    {"hpcups", "HPLIP hpcups", hpcups_filters, no_options, false, false},
    {"hp-postscript", "HP PostScript (hpps)", hpps_filters, hpps_options, false, false},
    {"foomatic", "Foomatic (foomatic-rip)", foomatic_filters, foomatic_options, false, false},
    {"pcl", "PCL (cups-filters)", pcl_filters, no_options, false, true},
    {"ipp-everywhere", "IPP Everywhere / driverless", none, no_options, true, false},
    {"postscript", "PostScript", none, no_options, false, false},
    {"raw", "raw queue (no driver)", none, no_options, false, false},
    {"other", "other driver", none, no_options, false, false},
};

static const gp_driver_family *by_id(const char *id)
{
    for (size_t i = 0; i < sizeof families / sizeof *families; i++)
        if (strcmp(families[i].id, id) == 0)
            return &families[i];
    return NULL;
}

const gp_driver_family *gp_driver_family_by_id(const char *id) { return id != NULL ? by_id(id) : NULL; }

/* A generated PPD whose document goes to the printer as PDF, PWG raster
 * or Apple raster, with no driver program of its own ("-"). */
static bool driverless(const gp_ppd *ppd)
{
    const char *nick = ppd->nick_name != NULL ? ppd->nick_name : "";
    if (strstr(nick, "IPP Everywhere") != NULL || strstr(nick, "driverless") != NULL)
        return true;
    for (size_t i = 0; i < ppd->n_filters; i++)
        if (strcmp(ppd->filters[i], "-") != 0)
            return false;
    return ppd->ipp_document;
}

const gp_driver_family *gp_driver_family_of(const gp_queue_caps *caps)
{
    if (!caps->has_ppd) {
        const char *mm = caps->make_model != NULL ? caps->make_model : "";
        /* CUPS 2.5+ and temporary queues have no PPD but speak IPP. */
        if (caps->device_uri != NULL && (strncmp(caps->device_uri, "ipp", 3) == 0) && strstr(mm, "Raw") == NULL &&
            (caps->n_media > 0 || caps->custom))
            return by_id("ipp-everywhere");
        return by_id("raw");
    }
    const gp_ppd *ppd = &caps->ppd;
    for (size_t i = 0; i < sizeof families / sizeof *families; i++)
        for (const char *const *f = families[i].filters; *f != NULL; f++)
            if (gp_ppd_uses_filter(ppd, *f))
                return &families[i];
    if (driverless(ppd))
        return by_id("ipp-everywhere");
    /* No filter line at all: the printer takes PostScript itself. So do
     * PPDs whose only filter is the generic PostScript path. */
    if (!ppd->has_filter_lines || gp_ppd_uses_filter(ppd, "pstops"))
        return by_id("postscript");
    return by_id("other");
}
