#define _POSIX_C_SOURCE 200809L
/* PPDs come from driver packages, vendors' downloads and whoever set the
 * queue up: every input parses or is refused with a message, and what
 * parses gives a plan for a diploma without a crash or leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/report-private.h"
#include "print/ppd-private.h"
#include "print/queue-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gp_queue_caps caps;
    memset(&caps, 0, sizeof caps);
    gp_error *err = NULL;
    gp_status st = gp_ppd_parse((const char *)data, size, "fuzz.ppd", &caps.ppd, &err);
    if ((st == GP_OK) != (err == NULL) || (err != NULL && gp_error_message(err) == NULL))
        abort();
    gp_error_free(err);
    if (st != GP_OK)
        return 0;
    caps.has_ppd = true;
    caps.accepting = true;
    caps.queue = strdup("fuzz");
    for (int e = 0; e < 4; e++)
        caps.custom_margins[e] = caps.min_margins[e] = -1;
    gp_plan_request req = {"diploma.xml", 270, 190, 25, 20, 240, 170, "Tray2"};
    gp_queue_plan plan;
    gp_report *report = gp_report_new();
    err = NULL;
    if (report != NULL && gp_queue_plan_make(&caps, NULL, &req, &plan, report, &err) == GP_OK) {
        /* A plan that prints has a page size among its options. */
        bool size_sent = false;
        for (size_t i = 0; i < plan.n_options; i++)
            size_sent = size_sent || strcmp(plan.options[i].name, "PageSize") == 0;
        if (plan.fit != GP_FIT_NONE && !size_sent)
            abort();
        gp_queue_plan_free(&plan);
    }
    gp_error_free(err);
    gp_report_free(report);
    gp_queue_caps_free(&caps);
    return 0;
}
