#define _POSIX_C_SOURCE 200809L
/* The Get-Printer-Attributes answer as libcups hands it to gradprint: any
 * IPP message the CUPS server (or a printer behind an IPP Everywhere queue)
 * could send is read into queue capabilities and planned for without a
 * crash or leak. The input is an IPP message in its wire encoding. */
#include <cups/ipp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/report-private.h"
#include "print/queue-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct reader {
    const uint8_t *data;
    size_t size, pos;
} reader;

static ssize_t read_cb(void *ctx, ipp_uchar_t *buf, size_t bytes)
{
    reader *r = ctx;
    size_t n = r->size - r->pos < bytes ? r->size - r->pos : bytes;
    memcpy(buf, r->data + r->pos, n);
    r->pos += n;
    return (ssize_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size, 0};
    ipp_t *ipp = ippNew();
    if (ippReadIO(&r, read_cb, 1, NULL, ipp) != IPP_STATE_DATA) {
        ippDelete(ipp);
        return 0;
    }
    gp_queue_caps caps, device;
    memset(&caps, 0, sizeof caps);
    memset(&device, 0, sizeof device);
    caps.queue = strdup("fuzz");
    if (gp_queue_caps_from_ipp(ipp, &caps, NULL) == GP_OK && gp_queue_caps_from_ipp(ipp, &device, NULL) == GP_OK) {
        gp_plan_request req = {"diploma.xml", 270, 190, 25, 20, 240, 170, "tray-2"};
        gp_queue_plan plan;
        gp_report *report = gp_report_new();
        if (report != NULL && gp_queue_plan_make(&caps, &device, &req, &plan, report, NULL) == GP_OK)
            gp_queue_plan_free(&plan);
        gp_report_free(report);
    }
    gp_queue_caps_free(&caps);
    gp_queue_caps_free(&device);
    ippDelete(ipp);
    return 0;
}
