/* Submitting a PDF to CUPS and following its job: the libcups 2.4
 * destination API for creating jobs, plain IPP requests for their state. */
#include "cups-private.h"

#include <cups/cups.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "base/strbuf-private.h"

#define POLL_INTERVAL_S 0.15
/* How long a vanished CUPS server (a restart takes about a second) is
 * waited for before gp_cups_wait gives up. */
#define OUTAGE_LIMIT_S 10.0
#define MAX_PAGE_MM 10000.0

const char *gp_cups_state_name(gp_cups_state state)
{
    switch (state) {
    case GP_CUPS_PENDING: return "pending";
    case GP_CUPS_HELD: return "held";
    case GP_CUPS_PROCESSING: return "processing";
    case GP_CUPS_STOPPED: return "stopped";
    case GP_CUPS_CANCELED: return "canceled";
    case GP_CUPS_ABORTED: return "aborted";
    case GP_CUPS_COMPLETED: return "completed";
    case GP_CUPS_UNKNOWN: break;
    }
    return "unknown";
}

bool gp_cups_state_is_final(gp_cups_state state)
{
    return state == GP_CUPS_COMPLETED || state == GP_CUPS_CANCELED || state == GP_CUPS_ABORTED ||
           state == GP_CUPS_UNKNOWN;
}

static gp_cups_state from_ipp(int jstate)
{
    switch (jstate) {
    case IPP_JSTATE_PENDING: return GP_CUPS_PENDING;
    case IPP_JSTATE_HELD: return GP_CUPS_HELD;
    case IPP_JSTATE_PROCESSING: return GP_CUPS_PROCESSING;
    case IPP_JSTATE_STOPPED: return GP_CUPS_STOPPED;
    case IPP_JSTATE_CANCELED: return GP_CUPS_CANCELED;
    case IPP_JSTATE_ABORTED: return GP_CUPS_ABORTED;
    case IPP_JSTATE_COMPLETED: return GP_CUPS_COMPLETED;
    default: return GP_CUPS_UNKNOWN;
    }
}

bool gp_cups_job_name_valid(const char *name)
{
    if (name == NULL)
        return false;
    size_t n = 0;
    for (const char *p = name; *p != '\0'; p++, n++) {
        char c = *p;
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == '-';
        if (!ok || n >= 64)
            return false;
    }
    return n > 0;
}

static gp_status bad_job_name(gp_error **err)
{
    /* The name is not repeated: it may be the very personal data that must
     * not spread, and error messages end up in logs. */
    return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s",
                        _("a print job name must be 1 to 64 characters from A-Z a-z 0-9 . _ - (it is made from the "
                          "run id and batch number, never from student data); the job was not sent"));
}

static gp_status bad_queue_name(gp_error **err)
{
    return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s",
                        _("no printer queue was named; give one of the queues lpstat -p lists"));
}

void gp_cups_server_name(char *buf, size_t size)
{
    const char *server = cupsServer();
    if (server != NULL && server[0] == '/')
        snprintf(buf, size, "%s", server);
    else
        snprintf(buf, size, "%s:%d", server != NULL ? server : "localhost", ippPort());
}

static bool transport_failure(ipp_status_t status)
{
    return status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || status == IPP_STATUS_ERROR_INTERNAL ||
           status == IPP_STATUS_ERROR_CUPS_PKI || status == IPP_STATUS_ERROR_CUPS_UPGRADE_REQUIRED;
}

static gp_status unreachable(gp_error **err)
{
    char server[256];
    gp_cups_server_name(server, sizeof server);
    return gp_error_set(err, GP_E_IO, NULL, 0,
                        _("cannot reach the CUPS server at %s: %s; start CUPS (systemctl start cups) or set "
                          "CUPS_SERVER, then run again to resume"),
                        server, cupsLastErrorString());
}

/* cupsGetNamedDest reports "not found" both for a missing queue and for a
 * server it could not reach; a request of our own tells them apart. */
static bool server_answers(void)
{
    ipp_t *resp = cupsDoRequest(CUPS_HTTP_DEFAULT, ippNewRequest(IPP_OP_CUPS_GET_DEFAULT), "/");
    bool answers = resp != NULL || !transport_failure(cupsLastError());
    ippDelete(resp);
    return answers;
}

static gp_status get_dest(const char *queue, cups_dest_t **dest, gp_error **err)
{
    *dest = cupsGetNamedDest(CUPS_HTTP_DEFAULT, queue, NULL);
    if (*dest != NULL)
        return GP_OK;
    if (!server_answers())
        return unreachable(err);
    char server[256];
    gp_cups_server_name(server, sizeof server);
    return gp_error_set(err, GP_E_IO, NULL, 0, _("no printer queue named %s on the CUPS server %s; see lpstat -p"),
                        queue, server);
}

static void printer_uri(const char *queue, char *uri, size_t size)
{
    /* cupsd looks only at the path; the host part is for the record. */
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, (int)size, "ipp", NULL, "localhost", ippPort(), "/printers/%s", queue);
}

/* Get-Job-Attributes for the attributes named; the answer or NULL, with
 * cupsLastError() telling why. */
static ipp_t *get_job_attributes(const char *queue, int job_id, const char *const *want, int n)
{
    char uri[1024];
    printer_uri(queue, uri, sizeof uri);
    ipp_t *req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
    ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", n, NULL, want);
    return cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/");
}

static void copy_string(char *buf, size_t size, const char *s)
{
    if (buf != NULL && size > 0)
        snprintf(buf, size, "%s", s != NULL ? s : "");
}

/* The queue's printer-state-message, or "". */
static void queue_message(const char *queue, char *buf, size_t size)
{
    char uri[1024];
    printer_uri(queue, uri, sizeof uri);
    ipp_t *req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", NULL, "printer-state-message");
    ipp_t *resp = cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/");
    const char *msg = ippGetString(ippFindAttribute(resp, "printer-state-message", IPP_TAG_TEXT), 0, NULL);
    copy_string(buf, size, msg);
    ippDelete(resp);
}

/* Why CUPS turned a request about queue down, and what to do. */
static gp_status refused(const char *queue, const char *what, gp_error **err)
{
    ipp_status_t status = cupsLastError();
    if (transport_failure(status))
        return unreachable(err);
    /* Copied: the request below would overwrite it. */
    char msg[512];
    copy_string(msg, sizeof msg, cupsLastErrorString());
    switch (status) {
    case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS: {
        /* The operator's cupsreject -r reason says more than CUPS' message. */
        char why[256];
        queue_message(queue, why, sizeof why);
        return gp_error_set(err, GP_E_IO, NULL, 0,
                            _("printer queue %s is not accepting jobs (%s); once the printer is ready run "
                              "cupsaccept %s, then run again to resume"),
                            queue, why[0] != '\0' ? why : msg, queue);
    }
    case IPP_STATUS_ERROR_NOT_FOUND:
        return gp_error_set(err, GP_E_IO, NULL, 0, _("printer queue %s went away while %s (%s); see lpstat -p"),
                            queue, what, msg);
    case IPP_STATUS_ERROR_FORBIDDEN:
    case IPP_STATUS_ERROR_NOT_AUTHENTICATED:
    case IPP_STATUS_ERROR_NOT_AUTHORIZED:
    case IPP_STATUS_ERROR_CUPS_AUTHENTICATION_CANCELED:
        return gp_error_set(err, GP_E_IO, NULL, 0,
                            _("CUPS did not allow %s on printer queue %s (%s); ask the administrator to let this "
                              "user print there (lpadmin -p %s -u allow:USER), then run again to resume"),
                            what, queue, msg, queue);
    default:
        return gp_error_set(err, GP_E_IO, NULL, 0,
                            _("CUPS refused %s on printer queue %s: %s; check the queue with lpstat -l -p %s, "
                              "then run again to resume"),
                            what, queue, msg, queue);
    }
}

static gp_status check_options(const char *queue, const char *job_name, const gp_job_option *options,
                               size_t n_options, gp_error **err)
{
    if (!gp_cups_job_name_valid(job_name))
        return bad_job_name(err);
    if (queue == NULL || queue[0] == '\0')
        return bad_queue_name(err);
    bool page_size = false;
    for (size_t i = 0; i < n_options; i++)
        page_size = page_size || strcmp(options[i].name, "PageSize") == 0;
    if (!page_size)
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s",
                            _("a print job without a page size would print at the queue's default size; not sent"));
    return GP_OK;
}

static gp_status send_document(const char *queue, const char *pdf_path, const char *job_name, cups_dest_t *dest,
                               cups_dinfo_t *info, int job_id, gp_error **err)
{
    FILE *fp = fopen(pdf_path, "rb");
    if (fp == NULL)
        return gp_error_set(err, GP_E_IO, pdf_path, 0, _("cannot open the document to print: %s"), strerror(errno));
    /* The document name travels like the job name: opaque, never the file's. */
    if (cupsStartDestDocument(CUPS_HTTP_DEFAULT, dest, info, job_id, job_name, CUPS_FORMAT_PDF, 0, NULL, 1) !=
        HTTP_STATUS_CONTINUE) {
        fclose(fp);
        return refused(queue, _("sending the document"), err);
    }
    char buf[65536];
    size_t n;
    gp_status st = GP_OK;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        if (cupsWriteRequestData(CUPS_HTTP_DEFAULT, buf, n) != HTTP_STATUS_CONTINUE) {
            st = refused(queue, _("sending the document"), err);
            break;
        }
    }
    if (st == GP_OK && ferror(fp))
        st = gp_error_set(err, GP_E_IO, pdf_path, 0, _("reading the document to print failed: %s"), strerror(errno));
    fclose(fp);
    /* Finishing also ends a failed upload, so the connection is usable for
     * the cancel that follows. */
    ipp_status_t finished = cupsFinishDestDocument(CUPS_HTTP_DEFAULT, dest, info);
    if (st == GP_OK && finished > IPP_STATUS_OK_CONFLICTING)
        st = refused(queue, _("sending the document"), err);
    return st;
}

gp_status gp_cups_submit(const char *queue, const char *pdf_path, const char *job_name, const gp_job_option *options,
                         size_t n_options, gp_cups_created_fn created, void *user, int *job_id, bool *refused_job,
                         gp_error **err)
{
    *job_id = 0;
    *refused_job = false;
    gp_status st = check_options(queue, job_name, options, n_options, err);
    if (st != GP_OK)
        return st;
    cups_dest_t *dest;
    st = get_dest(queue, &dest, err);
    if (st != GP_OK)
        return st;
    cups_dinfo_t *info = cupsCopyDestInfo(CUPS_HTTP_DEFAULT, dest);
    if (info == NULL) {
        st = refused(queue, _("asking for the queue's capabilities"), err);
        cupsFreeDests(1, dest);
        return st;
    }
    cups_option_t *opts = NULL;
    int n = 0;
    for (size_t i = 0; i < n_options; i++)
        n = cupsAddOption(options[i].name, options[i].value, n, &opts);
    int id = 0;
    if (cupsCreateDestJob(CUPS_HTTP_DEFAULT, dest, info, &id, job_name, n, opts) > IPP_STATUS_OK_CONFLICTING) {
        /* No job exists: the batch never reached the printer. */
        *refused_job = !transport_failure(cupsLastError());
        st = refused(queue, _("creating the print job"), err);
    }
    if (st == GP_OK && id <= 0)
        st = gp_error_set(err, GP_E_IO, NULL, 0, _("CUPS accepted the job on printer queue %s but gave no job id; "
                                                   "check lpstat -o %s before running again"),
                          queue, queue);
    if (st == GP_OK && created != NULL)
        st = created(user, id, err);
    if (st == GP_OK)
        st = send_document(queue, pdf_path, job_name, dest, info, id, err);
    /* A job without its document would sit in the queue for ever. */
    if (st != GP_OK && id > 0)
        cupsCancelDestJob(CUPS_HTTP_DEFAULT, dest, id);
    cupsFreeOptions(n, opts);
    cupsFreeDestInfo(info);
    cupsFreeDests(1, dest);
    *job_id = id;
    return st;
}

gp_status gp_cups_cancel(const char *queue, int job_id, gp_error **err)
{
    cups_dest_t *dest;
    gp_status st = get_dest(queue, &dest, err);
    if (st != GP_OK)
        return st;
    ipp_status_t status = cupsCancelDestJob(CUPS_HTTP_DEFAULT, dest, job_id);
    cupsFreeDests(1, dest);
    /* A job that ended meanwhile cannot be cancelled, and need not be. */
    if (status > IPP_STATUS_OK_CONFLICTING && status != IPP_STATUS_ERROR_NOT_POSSIBLE &&
        status != IPP_STATUS_ERROR_NOT_FOUND)
        return refused(queue, _("cancelling a job"), err);
    return GP_OK;
}

gp_status gp_cups_job_documents(const char *queue, int job_id, int *documents, gp_error **err)
{
    static const char *const want[] = {"number-of-documents"};
    ipp_t *resp = get_job_attributes(queue, job_id, want, 1);
    ipp_status_t status = cupsLastError();
    gp_status st = GP_OK;
    *documents = -1;
    if (resp == NULL || status > IPP_STATUS_OK_CONFLICTING) {
        st = transport_failure(status) ? unreachable(err) : refused(queue, _("asking for a job's documents"), err);
    } else {
        ipp_attribute_t *a = ippFindAttribute(resp, "number-of-documents", IPP_TAG_INTEGER);
        *documents = a != NULL ? ippGetInteger(a, 0) : -1;
    }
    ippDelete(resp);
    return st;
}

/* The message of an attribute, else its keywords joined, skipping "none". */
static void describe(ipp_t *resp, const char *message_attr, const char *reasons_attr, char *buf, size_t size)
{
    if (buf == NULL || size == 0)
        return;
    buf[0] = '\0';
    const char *msg = ippGetString(ippFindAttribute(resp, message_attr, IPP_TAG_TEXT), 0, NULL);
    if (msg != NULL && msg[0] != '\0') {
        copy_string(buf, size, msg);
        return;
    }
    ipp_attribute_t *reasons = ippFindAttribute(resp, reasons_attr, IPP_TAG_KEYWORD);
    size_t len = 0;
    for (int i = 0; reasons != NULL && i < ippGetCount(reasons); i++) {
        const char *r = ippGetString(reasons, i, NULL);
        if (r == NULL || strcmp(r, "none") == 0 || len + 1 >= size)
            continue;
        int wrote = snprintf(buf + len, size - len, "%s%s", len > 0 ? ", " : "", r);
        len = wrote > 0 && (size_t)wrote < size - len ? len + (size_t)wrote : size - 1;
    }
}

/* Job state without an error object: *transport tells a lost server from
 * an unknown job, so gp_cups_wait can ride out a restart. */
static gp_status query_job(const char *queue, int job_id, gp_cups_state *state, char *reason, size_t reason_size,
                           bool *transport)
{
    static const char *const want[] = {"job-state", "job-state-reasons", "job-printer-state-message"};
    ipp_t *resp = get_job_attributes(queue, job_id, want, 3);
    ipp_status_t status = cupsLastError();
    *transport = false;
    *state = GP_CUPS_UNKNOWN;
    copy_string(reason, reason_size, "");
    gp_status st = GP_OK;
    if (status == IPP_STATUS_ERROR_NOT_FOUND) {
        /* CUPS has forgotten the job: purged from its history. */
    } else if (resp == NULL || status > IPP_STATUS_OK_CONFLICTING) {
        *transport = transport_failure(status);
        st = GP_E_IO;
    } else {
        ipp_attribute_t *js = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM);
        *state = js != NULL ? from_ipp(ippGetInteger(js, 0)) : GP_CUPS_UNKNOWN;
        describe(resp, "job-printer-state-message", "job-state-reasons", reason, reason_size);
    }
    ippDelete(resp);
    return st;
}

gp_status gp_cups_job_state(const char *queue, int job_id, gp_cups_state *state, char *reason, size_t reason_size,
                            gp_error **err)
{
    *state = GP_CUPS_UNKNOWN;
    copy_string(reason, reason_size, "");
    if (queue == NULL || queue[0] == '\0')
        return bad_queue_name(err);
    bool transport;
    if (query_job(queue, job_id, state, reason, reason_size, &transport) == GP_OK)
        return GP_OK;
    if (transport)
        return unreachable(err);
    return refused(queue, _("asking for a job's state"), err);
}

/* completed > still going > canceled/aborted (see the header). */
static int find_rank(ipp_jstate_t state)
{
    if (state == IPP_JSTATE_COMPLETED)
        return 3;
    if (state == IPP_JSTATE_CANCELED || state == IPP_JSTATE_ABORTED)
        return 1;
    return 2;
}

gp_status gp_cups_find_job(const char *queue, const char *job_name, int *job_id, gp_cups_state *state,
                           gp_error **err)
{
    *job_id = 0;
    *state = GP_CUPS_UNKNOWN;
    if (!gp_cups_job_name_valid(job_name))
        return bad_job_name(err);
    if (queue == NULL || queue[0] == '\0')
        return bad_queue_name(err);
    cups_job_t *jobs = NULL;
    /* myjobs=0 with CUPS_WHICHJOBS_ALL: every job of the queue, finished
     * ones too, as far as the history goes. */
    int n = cupsGetJobs2(CUPS_HTTP_DEFAULT, &jobs, queue, 0, CUPS_WHICHJOBS_ALL);
    if (n < 0) {
        if (transport_failure(cupsLastError()))
            return unreachable(err);
        if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) {
            char server[256];
            gp_cups_server_name(server, sizeof server);
            return gp_error_set(err, GP_E_IO, NULL, 0,
                                _("no printer queue named %s on the CUPS server %s; see lpstat -p"), queue, server);
        }
        return refused(queue, _("listing its jobs"), err);
    }
    const cups_job_t *best = NULL;
    for (int i = 0; i < n; i++) {
        const cups_job_t *j = &jobs[i];
        if (j->title == NULL || strcmp(j->title, job_name) != 0)
            continue;
        if (best == NULL || find_rank(j->state) > find_rank(best->state) ||
            (find_rank(j->state) == find_rank(best->state) && j->id > best->id))
            best = j;
    }
    if (best != NULL) {
        *job_id = best->id;
        *state = from_ipp(best->state);
    }
    cupsFreeJobs(n, jobs);
    return GP_OK;
}

gp_status gp_cups_job_names(const char *queue, char ***names, size_t *n, gp_error **err)
{
    *names = NULL;
    *n = 0;
    cups_job_t *jobs = NULL;
    int count = cupsGetJobs2(CUPS_HTTP_DEFAULT, &jobs, queue, 0, CUPS_WHICHJOBS_ALL);
    if (count < 0) {
        if (transport_failure(cupsLastError()))
            return unreachable(err);
        return refused(queue, _("listing its jobs"), err);
    }
    char **list = calloc(count > 0 ? (size_t)count : 1, sizeof *list);
    if (list == NULL) {
        cupsFreeJobs(count, jobs);
        return gp_error_nomem(err);
    }
    size_t k = 0;
    for (int i = 0; i < count; i++)
        if (jobs[i].title != NULL && (list[k] = strdup(jobs[i].title)) != NULL)
            k++;
    cupsFreeJobs(count, jobs);
    *names = list;
    *n = k;
    return GP_OK;
}

/* Whether the queue is stopped, with its state message. */
static gp_status query_queue(const char *queue, bool *stopped, char *reason, size_t reason_size, bool *transport)
{
    static const char *const want[] = {"printer-state", "printer-state-reasons", "printer-state-message"};
    char uri[1024];
    printer_uri(queue, uri, sizeof uri);
    ipp_t *req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 3, NULL, want);
    ipp_t *resp = cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/");
    ipp_status_t status = cupsLastError();
    *stopped = false;
    *transport = false;
    gp_status st = GP_OK;
    if (resp == NULL || status > IPP_STATUS_OK_CONFLICTING) {
        *transport = transport_failure(status);
        st = GP_E_IO;
    } else {
        ipp_attribute_t *ps = ippFindAttribute(resp, "printer-state", IPP_TAG_ENUM);
        *stopped = ps != NULL && ippGetInteger(ps, 0) == IPP_PSTATE_STOPPED;
        if (*stopped)
            describe(resp, "printer-state-message", "printer-state-reasons", reason, reason_size);
    }
    ippDelete(resp);
    return st;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

gp_status gp_cups_wait(const char *queue, int job_id, double timeout_s, gp_cups_wait_result *result,
                       gp_error **err)
{
    memset(result, 0, sizeof *result);
    if (queue == NULL || queue[0] == '\0')
        return bad_queue_name(err);
    double start = now_s(), outage_since = -1.0;
    int paused_seen = 0;
    for (;;) {
        bool transport = false, stopped = false;
        gp_status st = query_job(queue, job_id, &result->state, result->reason, sizeof result->reason, &transport);
        if (st == GP_OK && !gp_cups_state_is_final(result->state))
            st = query_queue(queue, &stopped, result->reason, sizeof result->reason, &transport);
        if (st != GP_OK) {
            if (!transport)
                return refused(queue, _("following a job"), err);
            if (outage_since < 0)
                outage_since = now_s();
            if (now_s() - outage_since >= OUTAGE_LIMIT_S)
                return unreachable(err);
        } else {
            outage_since = -1.0;
            if (gp_cups_state_is_final(result->state)) {
                result->finished = true;
                return GP_OK;
            }
            /* A job the printer is printing goes on even if the queue was
             * just stopped; one left waiting will not move until
             * cupsenable. Twice in a row, so a caller that waits again
             * does not spin. */
            bool waiting = result->state == GP_CUPS_PENDING || result->state == GP_CUPS_STOPPED ||
                           result->state == GP_CUPS_HELD;
            paused_seen = stopped && waiting ? paused_seen + 1 : 0;
            if (paused_seen >= 2) {
                result->queue_paused = true;
                return GP_OK;
            }
        }
        if (now_s() - start >= timeout_s)
            return GP_OK;
        sleep_s(POLL_INTERVAL_S);
    }
}
