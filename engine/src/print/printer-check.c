/* gp_printer_check and gp_queue_check (queue-private.h): the queue
 * preflight a print run makes before any prompt and before any serial is
 * used, also offered on its own as `gradprint printer check`. */
#include "queue-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/array-private.h"
#include "base/error-private.h"
#include "base/i18n-private.h"
#include "jobs/calibration-private.h"
#include "template/template-private.h"

struct gp_printer_check {
    char *queue;
    char *model;
    gp_queue_plan plan;
    gp_report *report;
    char loading[512];
};

/* Where the template prints, after calibration: every element's box but
 * the blank's own background (a line's box may run backwards). */
static void ink_box(const gp_template *tpl, const gp_calibration *cal, gp_plan_request *req)
{
    bool any = false;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    for (size_t i = 0; i < tpl->count; i++) {
        const gp_element *el = &tpl->elements[i];
        if (el->kind == GP_EL_BACKGROUND)
            continue;
        double ax = fmin(el->box.x, el->box.x + el->box.w), bx = fmax(el->box.x, el->box.x + el->box.w);
        double ay = fmin(el->box.y, el->box.y + el->box.h), by = fmax(el->box.y, el->box.y + el->box.h);
        if (!any || ax < x0)
            x0 = ax;
        if (!any || ay < y0)
            y0 = ay;
        if (!any || bx > x1)
            x1 = bx;
        if (!any || by > y1)
            y1 = by;
        any = true;
    }
    if (!any) {
        x0 = x1 = tpl->page_w_mm / 2;
        y0 = y1 = tpl->page_h_mm / 2;
    }
    req->ink_x0 = cal->offset_x_mm + cal->scale_x * x0;
    req->ink_x1 = cal->offset_x_mm + cal->scale_x * x1;
    req->ink_y0 = cal->offset_y_mm + cal->scale_y * y0;
    req->ink_y1 = cal->offset_y_mm + cal->scale_y * y1;
}

static gp_status check_one(const char *queue, const gp_plan_request *req, gp_queue_plan *plan, gp_report *report,
                           gp_queue_caps *caps, gp_error **err)
{
    gp_status st = gp_queue_caps_fetch(queue, caps, err);
    if (st != GP_OK || caps->is_class)
        return st;
    gp_queue_caps device;
    bool asked = false;
    if (gp_driver_family_of(caps)->ipp_everywhere)
        asked = gp_queue_caps_ask_device(caps, &device);
    st = gp_queue_plan_make(caps, asked ? &device : NULL, req, plan, report, err);
    if (asked)
        gp_queue_caps_free(&device);
    return st;
}

/* A class prints on whichever member is free: every member must print the
 * blank the same way, or the operator could not know how to load it. */
static gp_status check_class(const gp_queue_caps *cls, const gp_plan_request *req, gp_queue_plan *plan,
                             gp_report *report, gp_error **err)
{
    if (cls->n_members == 0) {
        gp_report_add(report, GP_ERROR, "queue-class-empty", NULL, 0, NULL,
                      _("printer class %s has no member printers; add one with lpadmin -p PRINTER -c %s"),
                      cls->queue, cls->queue);
        return GP_OK;
    }
    gp_status st = GP_OK;
    for (size_t i = 0; st == GP_OK && i < cls->n_members; i++) {
        gp_queue_caps caps;
        gp_queue_plan member;
        memset(&member, 0, sizeof member);
        st = check_one(cls->members[i], req, &member, report, &caps, err);
        if (st == GP_OK && i == 0) {
            *plan = member;
            memset(&member, 0, sizeof member);
        } else if (st == GP_OK && (member.fit != plan->fit || member.page_size == NULL || plan->page_size == NULL ||
                                   strcmp(member.page_size, plan->page_size) != 0)) {
            gp_report_add(report, GP_ERROR, "queue-class-mixed", NULL, 0, NULL,
                          _("printer class %s mixes printers that print this blank differently (%s: %s, %s: %s); "
                            "CUPS picks the member, so the operator could not know how to load blanks. Print to "
                            "the member queues themselves (--printer A --printer B)"),
                          cls->queue, cls->members[0], plan->page_size ? plan->page_size : _("refused"),
                          cls->members[i], member.page_size ? member.page_size : _("refused"));
            plan->fit = GP_FIT_NONE;
        } else if (st == GP_OK) {
            /* Options a member's driver needs and another's lacks do no harm:
             * CUPS hands each filter only the options its PPD knows. */
            for (size_t k = 0; k < member.n_options; k++) {
                bool have = false;
                for (size_t j = 0; j < plan->n_options && !have; j++)
                    have = strcmp(plan->options[j].name, member.options[k].name) == 0;
                if (!have) {
                    if (!GP_ARRAY_ROOM(plan->options, plan->n_options, plan->cap_options)) {
                        st = gp_error_nomem(err);
                        break;
                    }
                    plan->options[plan->n_options++] = member.options[k];
                    member.options[k].name = member.options[k].value = NULL;
                }
            }
        }
        gp_queue_plan_free(&member);
        gp_queue_caps_free(&caps);
    }
    if (gp_report_count_severity(report, GP_ERROR) > 0)
        plan->fit = GP_FIT_NONE;
    return st;
}

gp_status gp_queue_check(const char *queue, const gp_template *tpl, const char *tray, const gp_calibration *cal,
                         gp_queue_plan *plan, gp_report *report, gp_error **err)
{
    memset(plan, 0, sizeof *plan);
    gp_calibration none;
    gp_calibration_init(&none);
    if (cal == NULL)
        cal = &none;
    gp_plan_request req = {tpl->path, tpl->page_w_mm, tpl->page_h_mm, 0, 0, 0, 0, tray};
    ink_box(tpl, cal, &req);
    gp_calibration_warnings(cal, queue, report);
    size_t errors_before = gp_report_count_severity(report, GP_ERROR);
    gp_queue_caps caps;
    gp_status st = check_one(queue, &req, plan, report, &caps, err);
    if (st == GP_OK && caps.is_class)
        st = check_class(&caps, &req, plan, report, err);
    gp_queue_caps_free(&caps);
    if (st == GP_OK && gp_report_count_severity(report, GP_ERROR) > errors_before)
        plan->fit = GP_FIT_NONE;
    if (st != GP_OK)
        gp_queue_plan_free(plan);
    return st;
}

/* ------------------------------------------------------------------ */
/* The public check                                                    */

void gp_printer_check_options_init(gp_printer_check_options *opts)
{
    memset(opts, 0, sizeof *opts);
    gp_calibration_init(&opts->calibration);
}

gp_status gp_printer_check_run(gp_context *ctx, const gp_printer_check_options *opts, gp_printer_check **out,
                               gp_error **err)
{
    *out = NULL;
    if (opts == NULL || opts->queue == NULL || opts->queue[0] == '\0' || opts->template_path == NULL)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("name the queue (--printer) and the template (--template)"));
    gp_template *tpl = NULL;
    gp_status st = gp_template_load(ctx, opts->template_path, &tpl, err);
    if (st != GP_OK)
        return st;
    gp_printer_check *c = calloc(1, sizeof *c);
    if (c == NULL || (c->report = gp_report_new()) == NULL || (c->queue = strdup(opts->queue)) == NULL) {
        gp_printer_check_free(c);
        gp_template_free(tpl);
        return gp_error_nomem(err);
    }
    st = gp_queue_check(opts->queue, tpl, opts->tray, &opts->calibration, &c->plan, c->report, err);
    if (st == GP_OK && opts->server_settings)
        gp_cupsd_settings_check(c->report);
    if (st == GP_OK) {
        gp_queue_caps caps;
        if (gp_queue_caps_fetch(opts->queue, &caps, NULL) == GP_OK && caps.make_model != NULL)
            c->model = strdup(caps.make_model);
        gp_queue_caps_free(&caps);
        if (c->plan.fit != GP_FIT_NONE)
            gp_loading_instructions(c->plan.fit == GP_FIT_TURNED, &opts->calibration, c->loading, sizeof c->loading);
    }
    gp_template_free(tpl);
    if (st != GP_OK) {
        gp_printer_check_free(c);
        return st;
    }
    *out = c;
    return GP_OK;
}

const gp_report *gp_printer_check_report(const gp_printer_check *c) { return c ? c->report : NULL; }

gp_print_orientation gp_printer_check_orientation(const gp_printer_check *c)
{
    if (c == NULL)
        return GP_ORIENTATION_NONE;
    return c->plan.fit == GP_FIT_AS_IS ? GP_ORIENTATION_AS_IS
           : c->plan.fit == GP_FIT_TURNED ? GP_ORIENTATION_TURNED
                                          : GP_ORIENTATION_NONE;
}

const char *gp_printer_check_queue(const gp_printer_check *c) { return c ? c->queue : NULL; }
const char *gp_printer_check_model(const gp_printer_check *c) { return c ? c->model : NULL; }
const char *gp_printer_check_driver(const gp_printer_check *c)
{
    return c && c->plan.family ? c->plan.family->id : NULL;
}
const char *gp_printer_check_driver_label(const gp_printer_check *c)
{
    return c && c->plan.family ? c->plan.family->label : NULL;
}
const char *gp_printer_check_page_size(const gp_printer_check *c) { return c ? c->plan.page_size : NULL; }
double gp_printer_check_medium_width(const gp_printer_check *c) { return c ? c->plan.medium_w_mm : 0; }
double gp_printer_check_medium_height(const gp_printer_check *c) { return c ? c->plan.medium_h_mm : 0; }
size_t gp_printer_check_option_count(const gp_printer_check *c) { return c ? c->plan.n_options : 0; }

const char *gp_printer_check_option_name(const gp_printer_check *c, size_t i)
{
    return c && i < c->plan.n_options ? c->plan.options[i].name : NULL;
}

const char *gp_printer_check_option_value(const gp_printer_check *c, size_t i)
{
    return c && i < c->plan.n_options ? c->plan.options[i].value : NULL;
}

const char *gp_printer_check_loading(const gp_printer_check *c)
{
    return c && c->plan.fit != GP_FIT_NONE ? c->loading : NULL;
}

void gp_printer_check_free(gp_printer_check *c)
{
    if (c == NULL)
        return;
    free(c->queue);
    free(c->model);
    gp_queue_plan_free(&c->plan);
    gp_report_free(c->report);
    free(c);
}
