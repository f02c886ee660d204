/* How a blank is printed on a queue at exactly 1:1, or why it cannot be
 * (queue-private.h). The page goes out as the template has it when the
 * queue can take that size and print where the marks are; else turned a
 * quarter by gradprint itself, so the result never depends on which way a
 * driver would turn it (HP and Ricoh PPDs turn opposite ways); else not at
 * all. */
#include "queue-private.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array-private.h"
#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/strbuf-private.h"

#define PT_PER_MM (72.0 / 25.4)
/* A named size this close to the blank is the blank. */
#define SAME_SIZE_MM 0.05
/* The tolerance for a queue without custom sizes. */
#define NEAR_SIZE_MM 0.5
/* Slack for rounding in the queue's own numbers (hundredths of mm, points). */
#define RANGE_SLACK_MM 0.02

/* Why an orientation does not work, for the message. */
typedef enum why_not { WHY_OK = 0, WHY_SIZE, WHY_MARGIN } why_not;

typedef struct candidate {
    double w, h;           /* medium, mm */
    bool turned;
    why_not why;
    char size[96];         /* the PageSize value */
    double margins[4];     /* bottom, left, right, top, mm; -1 unknown */
    int edge;              /* WHY_MARGIN: the edge that is too close (GP_EDGE_*) */
    double ink_gap, limit; /* WHY_MARGIN: how close the marks come, and the limit */
} candidate;

static bool add_option(gp_queue_plan *plan, const char *name, const char *value)
{
    for (size_t i = 0; i < plan->n_options; i++)
        if (strcmp(plan->options[i].name, name) == 0) {
            char *v = strdup(value);
            if (v == NULL)
                return false;
            free(plan->options[i].value);
            plan->options[i].value = v;
            return true;
        }
    if (!GP_ARRAY_ROOM(plan->options, plan->n_options, plan->cap_options))
        return false;
    gp_job_option *o = &plan->options[plan->n_options];
    o->name = strdup(name);
    o->value = strdup(value);
    if (o->name == NULL || o->value == NULL) {
        free(o->name);
        free(o->value);
        return false;
    }
    plan->n_options++;
    return true;
}

void gp_queue_plan_free(gp_queue_plan *plan)
{
    if (plan == NULL)
        return;
    for (size_t i = 0; i < plan->n_options; i++) {
        free(plan->options[i].name);
        free(plan->options[i].value);
    }
    free(plan->options);
    free(plan->page_size);
    memset(plan, 0, sizeof *plan);
}

/* "270" or "190.5": the shortest exact-enough decimal. */
static void format_mm(char *buf, size_t size, double mm)
{
    snprintf(buf, size, "%.3f", mm);
    char *dot = strchr(buf, '.');
    if (dot == NULL)
        return;
    char *end = buf + strlen(buf) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}

/* ------------------------------------------------------------------ */
/* Sizes                                                               */

static bool in_range(double mm, int lo, int hi)
{
    return mm * 100 >= lo - RANGE_SLACK_MM * 100 && mm * 100 <= hi + RANGE_SLACK_MM * 100;
}

/* The custom range, from the PPD when there is one (its limits are what the
 * driver enforces), else from IPP. */
static bool custom_fits(const gp_queue_caps *caps, double w, double h)
{
    if (caps->has_ppd) {
        const gp_ppd *p = &caps->ppd;
        if (!p->custom_size || !p->has_custom_range)
            return false;
        double slack = RANGE_SLACK_MM * PT_PER_MM;
        double wpt = w * PT_PER_MM, hpt = h * PT_PER_MM;
        return wpt >= p->custom_min_w_pt - slack && wpt <= p->custom_max_w_pt + slack &&
               hpt >= p->custom_min_h_pt - slack && hpt <= p->custom_max_h_pt + slack;
    }
    return caps->custom && in_range(w, caps->custom_min_x, caps->custom_max_x) &&
           in_range(h, caps->custom_min_y, caps->custom_max_y);
}

/* The named size nearest to w x h (this orientation only) within limit mm. */
static bool named_size(const gp_queue_caps *caps, double w, double h, double limit, char *name, size_t size)
{
    double best = limit;
    bool found = false;
    if (caps->has_ppd) {
        for (size_t i = 0; i < caps->ppd.n_sizes; i++) {
            const gp_ppd_size *s = &caps->ppd.sizes[i];
            double d = fmax(fabs(s->w_pt / PT_PER_MM - w), fabs(s->h_pt / PT_PER_MM - h));
            if (d <= best) {
                best = d;
                snprintf(name, size, "%s", s->name);
                found = true;
            }
        }
        return found;
    }
    for (size_t i = 0; i < caps->n_media; i++) {
        const gp_queue_media *m = &caps->media[i];
        double d = fmax(fabs(m->x / 100.0 - w), fabs(m->y / 100.0 - h));
        if (d <= best) {
            pwg_media_t *pwg = pwgMediaForSize(m->x, m->y);
            if (pwg == NULL)
                continue;
            best = d;
            snprintf(name, size, "%s", pwg->pwg);
            found = true;
        }
    }
    return found;
}

/* Margins that apply to a page of w x h on this queue, in mm. */
static void margins_for(const gp_queue_caps *caps, double w, double h, bool custom, double out[4])
{
    for (int e = 0; e < 4; e++)
        out[e] = -1;
    if (caps->has_ppd && caps->ppd.has_hw_margins) {
        /* HWMargins: left bottom right top, points. */
        const double *m = caps->ppd.hw_margins_pt;
        out[GP_EDGE_LEFT] = m[0] / PT_PER_MM;
        out[GP_EDGE_BOTTOM] = m[1] / PT_PER_MM;
        out[GP_EDGE_RIGHT] = m[2] / PT_PER_MM;
        out[GP_EDGE_TOP] = m[3] / PT_PER_MM;
        if (custom)
            return;
    }
    const int *src = NULL;
    for (size_t i = 0; !custom && i < caps->n_media; i++)
        if (fabs(caps->media[i].x / 100.0 - w) <= NEAR_SIZE_MM && fabs(caps->media[i].y / 100.0 - h) <= NEAR_SIZE_MM)
            src = caps->media[i].margins;
    if (src == NULL || src[0] < 0)
        src = custom && caps->custom_margins[0] >= 0 ? caps->custom_margins : caps->min_margins;
    for (int e = 0; e < 4; e++)
        if (src[e] >= 0 && (out[e] < 0 || src[e] / 100.0 > out[e]))
            out[e] = src[e] / 100.0;
}

/* Where the marks come closest to each edge of the medium. */
static void ink_gaps(const gp_plan_request *req, const candidate *c, double gap[4])
{
    double x0 = req->ink_x0, y0 = req->ink_y0, x1 = req->ink_x1, y1 = req->ink_y1;
    if (c->turned) {
        /* (x, y) upright lands at (medium_w - y, x). */
        double tx0 = c->w - y1, tx1 = c->w - y0, ty0 = x0, ty1 = x1;
        x0 = tx0, x1 = tx1, y0 = ty0, y1 = ty1;
    }
    gap[GP_EDGE_LEFT] = x0;
    gap[GP_EDGE_RIGHT] = c->w - x1;
    gap[GP_EDGE_TOP] = y0;
    gap[GP_EDGE_BOTTOM] = c->h - y1;
}

static void try_candidate(const gp_queue_caps *caps, const gp_driver_family *family, const gp_plan_request *req,
                          candidate *c)
{
    char w[32], h[32];
    format_mm(w, sizeof w, c->w);
    format_mm(h, sizeof h, c->h);
    bool custom = false;
    if (named_size(caps, c->w, c->h, SAME_SIZE_MM, c->size, sizeof c->size)) {
        /* the blank is a size the queue knows by name */
    } else if (!family->named_sizes_only && custom_fits(caps, c->w, c->h)) {
        snprintf(c->size, sizeof c->size, "Custom.%sx%smm", w, h);
        custom = true;
    } else if (!named_size(caps, c->w, c->h, NEAR_SIZE_MM, c->size, sizeof c->size)) {
        c->why = WHY_SIZE;
        return;
    }
    margins_for(caps, c->w, c->h, custom, c->margins);
    double gap[4];
    ink_gaps(req, c, gap);
    for (int e = 0; e < 4; e++)
        if (c->margins[e] >= 0 && gap[e] < c->margins[e] - 0.05 && c->why == WHY_OK) {
            c->why = WHY_MARGIN;
            c->edge = e;
            c->ink_gap = gap[e];
            c->limit = c->margins[e];
        }
}

/* ------------------------------------------------------------------ */
/* Options                                                             */

/* PPD options that can move, scale, turn or hold a page, found by name in
 * drivers of many vendors (HP, Ricoh, Kyocera, Sharp, Canon, Lexmark,
 * Brother, Epson, Oki, Konica Minolta...), and set to their neutral
 * choice. Options for finishing (binding, punching, stapling, folding,
 * cutting) do not move the page on the sheet and are left alone. */
typedef struct risk {
    const char *const *patterns;
    const char *what;   /* untranslated, for _() */
    bool master_switch; /* one option of the kind set off makes the others (text, size, password) harmless */
} risk;

static const char *const scale_words[] = {"scal", "fit", "zoom", "reduc", "enlarg", "shrink", "paperpolicy",
                                          "pagepolicy", NULL};
static const char *const turn_words[] = {"rotat", "orient", "transverse", NULL};
static const char *const mirror_words[] = {"mirror", NULL};
static const char *const shift_words[] = {"shift", "imageposition", "imagepos", NULL};
static const char *const layout_words[] = {"nup", "n-up", "booklet", "pamphlet", "poster", NULL};
static const char *const mark_words[] = {"watermark", "overlay", "wmtext", "stamp", NULL};
static const char *const hold_words[] = {"hold", "secure", "pinprnt", "jobpin", "locked", "jobtype",
                                         "retention", "storedjob", "jobstor", NULL};
static const risk risks[] = {
    {scale_words, N_("may scale the page"), false},
    {turn_words, N_("may turn the page"), false},
    {mirror_words, N_("may mirror the page"), false},
    {shift_words, N_("may move the page on the sheet"), false},
    {layout_words, N_("may put several pages on one sheet"), false},
    {mark_words, N_("may print extra marks on the blank"), true},
    {hold_words, N_("may keep the job at the printer while CUPS reports it printed"), true},
};
/* Finishing does not move the page on the sheet; ink and colour settings
 * ("Light Cyan Scale") only share words with scaling. */
static const char *const finishing_words[] = {"bind", "punch", "staple", "fold", "cut", "trim", "finish",
                                              "cover", "tab", "jog", "sort", "cyan", "magenta", "yellow",
                                              "black", "ink", "density", "gamma", "contrast", "bright", "satur",
                                              "dot", "drop", "color", "colour", "halftone", "dither", "toner",
                                              "hue", "gray", "grey", NULL};
/* Options gradprint sets itself or that do not change geometry. */
static const char *const own_options[] = {"PageSize", "PageRegion", "InputSlot", "Duplex", "MediaType",
                                          "Resolution", "ColorModel", "OutputOrder", NULL};
static const char *const neutral_choices[] = {"Off", "None", "False", "Normal", "No", "PromptUser", "Disabled",
                                              "Disable", NULL};

static bool contains_word(const char *text, const char *const *words)
{
    char lower[512];
    size_t n = 0;
    for (; text[n] != '\0' && n + 1 < sizeof lower; n++)
        lower[n] = (char)tolower((unsigned char)text[n]);
    lower[n] = '\0';
    for (const char *const *w = words; *w != NULL; w++)
        if (strstr(lower, *w) != NULL)
            return true;
    return false;
}

static bool listed(const char *const *list, const char *s)
{
    for (const char *const *p = list; *p != NULL; p++)
        if (strcmp(*p, s) == 0)
            return true;
    return false;
}

static const char *neutral_choice(const gp_ppd_option *o)
{
    for (const char *const *c = neutral_choices; *c != NULL; c++)
        if (gp_ppd_option_has_choice(o, *c))
            return *c;
    return NULL;
}

static bool forced_by_family(const gp_driver_family *family, const char *keyword)
{
    for (const gp_forced_option *f = family->options; f->keyword != NULL; f++)
        if (strcmp(f->keyword, keyword) == 0)
            return true;
    return false;
}

/* Options of a category whose risk is a neutral-able option of the same
 * category (watermark text when the watermark is set off) are harmless. */
static const risk *risk_of(const gp_ppd_option *o)
{
    char text[600];
    snprintf(text, sizeof text, "%s %s", o->keyword, o->label);
    if (contains_word(text, finishing_words))
        return NULL;
    for (size_t k = 0; k < sizeof risks / sizeof *risks; k++)
        if (contains_word(text, risks[k].patterns))
            return &risks[k];
    return NULL;
}

static bool candidate_option(const gp_ppd_option *o, const gp_driver_family *family)
{
    return o->ui && !o->installable && !listed(own_options, o->keyword) && !forced_by_family(family, o->keyword);
}

static bool risky_options(const gp_queue_caps *caps, const gp_driver_family *family, gp_queue_plan *plan,
                          gp_report *report)
{
    const gp_ppd *ppd = &caps->ppd;
    bool neutralised[sizeof risks / sizeof *risks] = {false};
    for (size_t i = 0; i < ppd->n_options; i++) {
        const gp_ppd_option *o = &ppd->options[i];
        const risk *r = candidate_option(o, family) ? risk_of(o) : NULL;
        const char *choice = r != NULL ? neutral_choice(o) : NULL;
        if (choice != NULL) {
            if (!add_option(plan, o->keyword, choice))
                return false;
            neutralised[r - risks] = true;
        }
    }
    for (size_t i = 0; i < ppd->n_options; i++) {
        const gp_ppd_option *o = &ppd->options[i];
        const risk *r = candidate_option(o, family) ? risk_of(o) : NULL;
        if (r == NULL || neutral_choice(o) != NULL || (r->master_switch && neutralised[r - risks]))
            continue;
        if (o->default_choice == NULL || !listed(neutral_choices, o->default_choice)) {
            gp_report_add(report, GP_WARNING, "queue-option-unknown", NULL, 0, NULL,
                          _("queue %s: its driver's option %s (%s) %s, and none of its choices is plainly off "
                            "(default %s); print the calibration page through this queue and check it"),
                          caps->queue, o->keyword, o->label[0] ? o->label : "-", _(r->what),
                          o->default_choice ? o->default_choice : "-");
        }
    }
    return true;
}

/* PPD options every driver family gets, where the PPD has them. */
static const gp_forced_option every_family[] = {
    {"OutputOrder", "Normal", "page 1 must print first, onto the first blank"},
    {NULL, NULL, NULL},
};

static bool family_options(const gp_queue_caps *caps, const gp_driver_family *family, gp_queue_plan *plan)
{
    for (const gp_forced_option *f = every_family; f->keyword != NULL; f++) {
        const gp_ppd_option *o = gp_ppd_find_option(&caps->ppd, f->keyword);
        if (o != NULL && gp_ppd_option_has_choice(o, f->choice) && !add_option(plan, f->keyword, f->choice))
            return false;
    }
    for (const gp_forced_option *f = family->options; f->keyword != NULL; f++) {
        const gp_ppd_option *o = gp_ppd_find_option(&caps->ppd, f->keyword);
        if (o != NULL && gp_ppd_option_has_choice(o, f->choice) && !add_option(plan, f->keyword, f->choice))
            return false;
    }
    return true;
}

/* Nothing rescales, rotates onto other media, puts pages together or adds
 * banner pages: the page is the blank. ipp-attribute-fidelity is never
 * sent, because pdftopdf then scales every page to fit. */
static bool base_options(gp_queue_plan *plan)
{
    /* Page 1 prints first, onto the first blank: the journal maps pages to
     * serials in that order (inkjets with face-up output default to
     * printing the last page first). */
    static const char *const fixed[][2] = {
        {"print-scaling", "none"}, {"fit-to-page", "false"}, {"number-up", "1"},     {"copies", "1"},
        {"sides", "one-sided"},    {"job-sheets", "none"},   {"mirror", "false"},    {"page-border", "none"},
        {"outputorder", "normal"},
    };
    if (!add_option(plan, "PageSize", plan->page_size))
        return false;
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (!add_option(plan, fixed[i][0], fixed[i][1]))
            return false;
    return true;
}

/* ------------------------------------------------------------------ */
/* Trays                                                               */

static void list_trays(const gp_queue_caps *caps, gp_strbuf *sb)
{
    for (size_t i = 0; i < caps->n_sources; i++)
        gp_strbuf_appendf(sb, "%s%s", sb->len ? ", " : "", caps->sources[i]);
    const gp_ppd_option *slot = caps->has_ppd ? gp_ppd_find_option(&caps->ppd, "InputSlot") : NULL;
    for (size_t i = 0; slot != NULL && i < slot->n_choices; i++)
        if (!gp_strv_has(caps->sources, caps->n_sources, slot->choices[i]))
            gp_strbuf_appendf(sb, "%s%s", sb->len ? ", " : "", slot->choices[i]);
}

/* The PPD choice CUPS makes of a media-source keyword ("tray-1" → "Tray1"),
 * the rule of its pwg_ppdize_name: IPP Everywhere queues take the tray
 * only as InputSlot. */
static void ppd_choice_name(const char *keyword, char *buf, size_t size)
{
    size_t n = 0;
    bool upper = true;
    for (const char *p = keyword; *p != '\0' && n + 1 < size; p++) {
        if (*p == '-' && isalnum((unsigned char)p[1])) {
            upper = true;
            continue;
        }
        char c = *p;
        if (upper && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        upper = false;
        buf[n++] = c;
    }
    buf[n] = '\0';
}

static bool tray_options(const gp_queue_caps *caps, const char *tray, gp_queue_plan *plan, gp_report *report)
{
    const gp_ppd_option *slot = caps->has_ppd ? gp_ppd_find_option(&caps->ppd, "InputSlot") : NULL;
    if (gp_strv_has(caps->sources, caps->n_sources, tray)) {
        char choice[128];
        ppd_choice_name(tray, choice, sizeof choice);
        if (slot != NULL && gp_ppd_option_has_choice(slot, choice) && !add_option(plan, "InputSlot", choice))
            return false;
        return add_option(plan, "media-source", tray);
    }
    if (slot != NULL && gp_ppd_option_has_choice(slot, tray))
        return add_option(plan, "InputSlot", tray);
    gp_strbuf list;
    gp_strbuf_init(&list);
    list_trays(caps, &list);
    if (gp_strbuf_failed(&list))
        return false;
    if (list.len == 0)
        gp_report_add(report, GP_ERROR, "queue-tray", NULL, 0, NULL,
                      _("queue %s has no trays to choose from, so tray \"%s\" cannot be used; leave --tray out"),
                      caps->queue, tray);
    else
        gp_report_add(report, GP_ERROR, "queue-tray", NULL, 0, NULL,
                      _("queue %s has no tray \"%s\"; its trays are: %s"), caps->queue, tray, list.data);
    gp_strbuf_free(&list);
    return true;
}

/* ------------------------------------------------------------------ */
/* The decision                                                        */

static const char *edge_name(int edge)
{
    switch (edge) {
    case GP_EDGE_LEFT: return _("left");
    case GP_EDGE_RIGHT: return _("right");
    case GP_EDGE_TOP: return _("top");
    default: return _("bottom");
    }
}

static void describe_limits(const gp_queue_caps *caps, gp_strbuf *sb)
{
    if (caps->has_ppd && caps->ppd.custom_size && caps->ppd.has_custom_range)
        gp_strbuf_appendf(sb, _("its custom sizes run from %.1f x %.1f to %.1f x %.1f mm"),
                          caps->ppd.custom_min_w_pt / PT_PER_MM, caps->ppd.custom_min_h_pt / PT_PER_MM,
                          caps->ppd.custom_max_w_pt / PT_PER_MM, caps->ppd.custom_max_h_pt / PT_PER_MM);
    else if (!caps->has_ppd && caps->custom)
        gp_strbuf_appendf(sb, _("its custom sizes run from %.1f x %.1f to %.1f x %.1f mm"),
                          caps->custom_min_x / 100.0, caps->custom_min_y / 100.0, caps->custom_max_x / 100.0,
                          caps->custom_max_y / 100.0);
    else
        gp_strbuf_append(sb, _("its driver takes no custom page sizes, and none of its named sizes is within "
                               "0.5 mm of the blank"));
}

static void refuse_fit(const gp_queue_caps *caps, const gp_driver_family *family, const gp_plan_request *req,
                       const candidate *c, gp_report *report)
{
    char w[32], h[32];
    format_mm(w, sizeof w, req->page_w_mm);
    format_mm(h, sizeof h, req->page_h_mm);
    const candidate *margin = c[0].why == WHY_MARGIN ? &c[0] : c[1].why == WHY_MARGIN ? &c[1] : NULL;
    if (margin != NULL) {
        gp_report_add(report, GP_ERROR, "queue-margins", req->template_path, 0, NULL,
                      _("queue %s cannot print the %s x %s mm blank at 1:1: the template prints %.1f mm from the "
                        "medium's %s edge%s, but the printer cannot print closer than %.1f mm to it, so those "
                        "marks would be lost. Move the marks inward in the template, or use a printer that "
                        "prints closer to the edge"),
                      caps->queue, w, h, margin->ink_gap, edge_name(margin->edge),
                      margin->turned ? _(" (with the blank turned)") : "", margin->limit);
        return;
    }
    gp_strbuf why;
    gp_strbuf_init(&why);
    describe_limits(caps, &why);
    gp_report_add(report, GP_ERROR, "queue-size", req->template_path, 0, NULL,
                  _("queue %s (%s) cannot print the %s x %s mm blank at 1:1, neither as it is nor turned (%s x %s "
                    "mm): %s. Print on a queue whose driver takes this size (for example the printer's PostScript "
                    "driver, or IPP Everywhere: lpadmin -p %s -m everywhere), or choose another printer"),
                  caps->queue, family->label, w, h, h, w, why.data != NULL ? why.data : "", caps->queue);
    gp_strbuf_free(&why);
}

/* The printer behind an IPP Everywhere queue decides scaling itself. */
static void check_device_scaling(const gp_queue_caps *caps, const gp_queue_caps *device, gp_report *report)
{
    if (device == NULL) {
        gp_report_add(report, GP_WARNING, "queue-ipp-scaling", NULL, 0, NULL,
                      _("queue %s sends the page to an IPP printer, which could not be asked how it scales "
                        "pages; CUPS does not pass print-scaling=none on. Set the printer's own scaling default "
                        "to none or auto on its web page, and check the calibration page printed through %s"),
                      caps->queue, caps->queue);
        return;
    }
    bool passed_on = gp_strv_has(device->mandatory, device->n_mandatory, "print-scaling");
    const char *def = device->scaling_default;
    if (!passed_on && def != NULL && (strcmp(def, "fit") == 0 || strcmp(def, "fill") == 0)) {
        gp_report_add(report, GP_ERROR, "queue-ipp-scaling", NULL, 0, NULL,
                      _("the printer behind queue %s scales every page by default (print-scaling-default=%s), and "
                        "CUPS does not pass gradprint's print-scaling=none on to it. Set the printer's default to "
                        "none (or auto) on its web page, then check again"),
                      caps->queue, def);
    } else if (device->n_scaling > 0 && !gp_strv_has(device->scaling, device->n_scaling, "none")) {
        gp_report_add(report, GP_WARNING, "queue-ipp-scaling", NULL, 0, NULL,
                      _("the printer behind queue %s does not list print-scaling none; it prints this page 1:1 "
                        "only while its default (%s) leaves a page that fits alone. Check the calibration page "
                        "printed through %s"),
                      caps->queue, def != NULL ? def : "-", caps->queue);
    }
}

static void check_queue_state(const gp_queue_caps *caps, gp_report *report)
{
    if (!caps->accepting)
        gp_report_add(report, GP_ERROR, "queue-rejecting", NULL, 0, NULL,
                      _("queue %s is not accepting jobs%s%s%s; accept them again with: cupsaccept %s"), caps->queue,
                      caps->state_message && caps->state_message[0] ? " (" : "",
                      caps->state_message ? caps->state_message : "",
                      caps->state_message && caps->state_message[0] ? ")" : "", caps->queue);
    else if (caps->stopped)
        gp_report_add(report, GP_WARNING, "queue-stopped", NULL, 0, NULL,
                      _("queue %s is stopped%s%s%s: jobs wait until it is started again with: cupsenable %s"),
                      caps->queue, caps->state_message && caps->state_message[0] ? " (" : "",
                      caps->state_message ? caps->state_message : "",
                      caps->state_message && caps->state_message[0] ? ")" : "", caps->queue);
    if (caps->job_sheets_default != NULL && strcmp(caps->job_sheets_default, "none") != 0)
        gp_report_add(report, GP_WARNING, "queue-banner", NULL, 0, NULL,
                      _("queue %s prints banner pages by default (job-sheets %s); gradprint turns them off for its "
                        "jobs, but a Classification in cupsd.conf would still force them onto blanks"),
                      caps->queue, caps->job_sheets_default);
}

gp_status gp_queue_plan_make(const gp_queue_caps *caps, const gp_queue_caps *device, const gp_plan_request *req,
                             gp_queue_plan *plan, gp_report *report, gp_error **err)
{
    memset(plan, 0, sizeof *plan);
    const gp_driver_family *family = gp_driver_family_of(caps);
    plan->family = family;
    size_t errors_before = gp_report_count_severity(report, GP_ERROR);
    check_queue_state(caps, report);
    if (strcmp(family->id, "raw") == 0) {
        gp_report_add(report, GP_ERROR, "queue-raw", NULL, 0, NULL,
                      _("queue %s is a raw queue: CUPS sends the PDF to the printer unchanged and without a page "
                        "size, so the printer decides how to scale it. Set the queue up with its driver or with "
                        "IPP Everywhere (lpadmin -p %s -m everywhere)"),
                      caps->queue, caps->queue);
        return GP_OK;
    }
    candidate c[2] = {{req->page_w_mm, req->page_h_mm, false, WHY_OK, "", {0}, 0, 0, 0},
                      {req->page_h_mm, req->page_w_mm, true, WHY_OK, "", {0}, 0, 0, 0}};
    const candidate *chosen = NULL;
    for (int i = 0; i < 2 && chosen == NULL; i++) {
        try_candidate(caps, family, req, &c[i]);
        if (c[i].why == WHY_OK)
            chosen = &c[i];
    }
    if (chosen == NULL) {
        refuse_fit(caps, family, req, c, report);
        return GP_OK;
    }
    plan->medium_w_mm = chosen->w;
    plan->medium_h_mm = chosen->h;
    plan->page_size = strdup(chosen->size);
    bool ok = plan->page_size != NULL && base_options(plan) && family_options(caps, family, plan) &&
              (!caps->has_ppd || risky_options(caps, family, plan, report)) &&
              (req->tray == NULL || tray_options(caps, req->tray, plan, report));
    if (!ok) {
        gp_queue_plan_free(plan);
        return gp_error_nomem(err);
    }
    if (family->ipp_everywhere)
        check_device_scaling(caps, device, report);
    plan->fit = gp_report_count_severity(report, GP_ERROR) > errors_before ? GP_FIT_NONE
                : chosen->turned                                         ? GP_FIT_TURNED
                                                                         : GP_FIT_AS_IS;
    return GP_OK;
}
