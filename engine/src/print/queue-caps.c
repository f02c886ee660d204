/* What a queue can put on paper (queue-private.h): its IPP attributes,
 * read into plain fields by one function that takes any response, and its
 * PPD, fetched from the scheduler into an unlinked temporary file. */
#include "queue-private.h"
#include "cups-private.h"

#include <cups/cups.h>
#include <cups/pwg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/array-private.h"
#include "base/error-private.h"
#include "base/i18n-private.h"

#define MAX_LIST 512
#define MAX_MEDIA 4000

bool gp_strv_has(char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static bool dup_string(char **field, const char *s)
{
    free(*field);
    *field = s != NULL ? strdup(s) : NULL;
    return s == NULL || *field != NULL;
}

/* Every string value of attr into list (duplicates dropped). */
static bool take_strings(ipp_attribute_t *attr, char ***list, size_t *n, size_t *cap)
{
    int count = attr != NULL ? ippGetCount(attr) : 0;
    for (int i = 0; i < count && *n < MAX_LIST; i++) {
        const char *s = ippGetString(attr, i, NULL);
        if (s == NULL || gp_strv_has(*list, *n, s))
            continue;
        if (!GP_ARRAY_ROOM(*list, *n, *cap) || ((*list)[*n] = strdup(s)) == NULL)
            return false;
        (*n)++;
    }
    return true;
}

/* An integer or range member of a collection: lo..hi. */
static bool dimension(ipp_t *col, const char *name, int *lo, int *hi)
{
    ipp_attribute_t *a = ippFindAttribute(col, name, IPP_TAG_ZERO);
    if (a == NULL)
        return false;
    if (ippGetValueTag(a) == IPP_TAG_INTEGER) {
        *lo = *hi = ippGetInteger(a, 0);
    } else if (ippGetValueTag(a) == IPP_TAG_RANGE) {
        *lo = ippGetRange(a, 0, hi);
    } else {
        return false;
    }
    return *lo > 0 && *hi >= *lo && *hi < 10000000;
}

static int margin(ipp_t *col, const char *name)
{
    ipp_attribute_t *a = ippFindAttribute(col, name, IPP_TAG_INTEGER);
    int v = a != NULL ? ippGetInteger(a, 0) : -1;
    return v >= 0 && v < 1000000 ? v : -1;
}

static void widen_custom(gp_queue_caps *caps, int x0, int x1, int y0, int y1, const int *margins)
{
    if (!caps->custom) {
        caps->custom = true;
        caps->custom_min_x = x0;
        caps->custom_max_x = x1;
        caps->custom_min_y = y0;
        caps->custom_max_y = y1;
        if (margins != NULL)
            memcpy(caps->custom_margins, margins, sizeof caps->custom_margins);
        return;
    }
    caps->custom_min_x = x0 < caps->custom_min_x ? x0 : caps->custom_min_x;
    caps->custom_max_x = x1 > caps->custom_max_x ? x1 : caps->custom_max_x;
    caps->custom_min_y = y0 < caps->custom_min_y ? y0 : caps->custom_min_y;
    caps->custom_max_y = y1 > caps->custom_max_y ? y1 : caps->custom_max_y;
}

static bool add_media(gp_queue_caps *caps, int x, int y, const int *margins)
{
    for (size_t i = 0; i < caps->n_media; i++)
        if (caps->media[i].x == x && caps->media[i].y == y)
            return true;
    if (caps->n_media >= MAX_MEDIA)
        return true;
    if (!GP_ARRAY_ROOM(caps->media, caps->n_media, caps->cap_media))
        return false;
    gp_queue_media *m = &caps->media[caps->n_media++];
    m->x = x;
    m->y = y;
    for (int e = 0; e < 4; e++)
        m->margins[e] = margins != NULL ? margins[e] : -1;
    return true;
}

/* media-col-database, else media-size-supported: named sizes and ranges. */
static bool take_sizes(ipp_t *resp, gp_queue_caps *caps)
{
    static const char *const margin_names[4] = {"media-bottom-margin", "media-left-margin", "media-right-margin",
                                                "media-top-margin"};
    ipp_attribute_t *db = ippFindAttribute(resp, "media-col-database", IPP_TAG_BEGIN_COLLECTION);
    bool from_db = db != NULL;
    if (db == NULL)
        db = ippFindAttribute(resp, "media-size-supported", IPP_TAG_BEGIN_COLLECTION);
    for (int i = 0; db != NULL && i < ippGetCount(db); i++) {
        ipp_t *col = ippGetCollection(db, i);
        ipp_t *size = col;
        int margins[4] = {-1, -1, -1, -1};
        if (from_db) {
            ipp_attribute_t *ms = ippFindAttribute(col, "media-size", IPP_TAG_BEGIN_COLLECTION);
            size = ms != NULL ? ippGetCollection(ms, 0) : NULL;
            for (int e = 0; e < 4; e++)
                margins[e] = margin(col, margin_names[e]);
        }
        int x0, x1, y0, y1;
        if (size == NULL || !dimension(size, "x-dimension", &x0, &x1) || !dimension(size, "y-dimension", &y0, &y1))
            continue;
        if (x0 != x1 || y0 != y1)
            widen_custom(caps, x0, x1, y0, y1, from_db ? margins : NULL);
        else if (!add_media(caps, x0, y0, from_db ? margins : NULL))
            return false;
    }
    /* CUPS also names the range in media-supported: custom_min_… / custom_max_…. */
    ipp_attribute_t *ms = ippFindAttribute(resp, "media-supported", IPP_TAG_ZERO);
    pwg_media_t *lo = NULL, *hi = NULL;
    for (int i = 0; ms != NULL && i < ippGetCount(ms); i++) {
        const char *s = ippGetString(ms, i, NULL);
        if (s != NULL && strncmp(s, "custom_min_", 11) == 0)
            lo = pwgMediaForPWG(s);
        else if (s != NULL && strncmp(s, "custom_max_", 11) == 0)
            hi = pwgMediaForPWG(s);
    }
    if (lo != NULL && hi != NULL && lo->width > 0 && hi->width >= lo->width && lo->length > 0 &&
        hi->length >= lo->length)
        widen_custom(caps, lo->width, hi->width, lo->length, hi->length, NULL);
    return true;
}

static void min_margins(ipp_t *resp, gp_queue_caps *caps)
{
    static const char *const names[4] = {"media-bottom-margin-supported", "media-left-margin-supported",
                                         "media-right-margin-supported", "media-top-margin-supported"};
    for (int e = 0; e < 4; e++) {
        ipp_attribute_t *a = ippFindAttribute(resp, names[e], IPP_TAG_INTEGER);
        int best = -1;
        for (int i = 0; a != NULL && i < ippGetCount(a); i++) {
            int v = ippGetInteger(a, i);
            if (v >= 0 && v < 1000000 && (best < 0 || v < best))
                best = v;
        }
        caps->min_margins[e] = best;
    }
}

static const char *text_of(ipp_t *resp, const char *name)
{
    return ippGetString(ippFindAttribute(resp, name, IPP_TAG_ZERO), 0, NULL);
}

/* A device URI for messages and for asking the printer: its query cut off
 * (contimeout=…, waitjob=…), and any user:password@ part removed. */
static char *clean_uri(const char *uri)
{
    if (uri == NULL)
        return NULL;
    char scheme[32], user[256], host[256], resource[1024];
    int port;
    if (httpSeparateURI(HTTP_URI_CODING_ALL, uri, scheme, sizeof scheme, user, sizeof user, host, sizeof host,
                        &port, resource, sizeof resource) < HTTP_URI_STATUS_OK)
        return NULL;
    char *q = strchr(resource, '?');
    if (q != NULL)
        *q = '\0';
    char out[1400];
    if (httpAssembleURI(HTTP_URI_CODING_ALL, out, sizeof out, scheme, NULL, host, port, resource) <
        HTTP_URI_STATUS_OK)
        return NULL;
    return strdup(out);
}

gp_status gp_queue_caps_from_ipp(ipp_t *resp, gp_queue_caps *caps, gp_error **err)
{
    for (int e = 0; e < 4; e++)
        caps->custom_margins[e] = caps->min_margins[e] = -1;
    bool ok = dup_string(&caps->make_model, text_of(resp, "printer-make-and-model"));
    const char *uri = text_of(resp, "device-uri");
    if (ok && uri != NULL && (caps->device_uri = clean_uri(uri)) == NULL)
        caps->device_uri = NULL; /* a URI gradprint cannot read is one it does not use */
    ipp_attribute_t *type = ippFindAttribute(resp, "printer-type", IPP_TAG_ENUM);
    caps->is_class = type != NULL && (ippGetInteger(type, 0) & CUPS_PRINTER_CLASS) != 0;
    ipp_attribute_t *acc = ippFindAttribute(resp, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN);
    caps->accepting = acc == NULL || ippGetBoolean(acc, 0);
    ipp_attribute_t *ps = ippFindAttribute(resp, "printer-state", IPP_TAG_ENUM);
    caps->stopped = ps != NULL && ippGetInteger(ps, 0) == IPP_PSTATE_STOPPED;
    ok = ok && dup_string(&caps->state_message, text_of(resp, "printer-state-message"));
    ok = ok && dup_string(&caps->scaling_default, text_of(resp, "print-scaling-default"));
    ok = ok && dup_string(&caps->job_sheets_default, text_of(resp, "job-sheets-default"));
    ok = ok && take_strings(ippFindAttribute(resp, "member-names", IPP_TAG_ZERO), &caps->members, &caps->n_members,
                            &caps->cap_members);
    ok = ok && take_strings(ippFindAttribute(resp, "media-source-supported", IPP_TAG_ZERO), &caps->sources,
                            &caps->n_sources, &caps->cap_sources);
    ok = ok && take_strings(ippFindAttribute(resp, "print-scaling-supported", IPP_TAG_ZERO), &caps->scaling,
                            &caps->n_scaling, &caps->cap_scaling);
    ok = ok && take_strings(ippFindAttribute(resp, "sides-supported", IPP_TAG_ZERO), &caps->sides, &caps->n_sides,
                            &caps->cap_sides);
    ok = ok && take_strings(ippFindAttribute(resp, "printer-mandatory-job-attributes", IPP_TAG_ZERO),
                            &caps->mandatory, &caps->n_mandatory, &caps->cap_mandatory);
    ok = ok && take_sizes(resp, caps);
    min_margins(resp, caps);
    return ok ? GP_OK : gp_error_nomem(err);
}

/* ------------------------------------------------------------------ */
/* Talking to CUPS                                                     */

static const char *const wanted[] = {
    "printer-make-and-model", "device-uri", "printer-type", "member-names", "printer-is-accepting-jobs",
    "printer-state", "printer-state-message", "print-scaling-default", "print-scaling-supported",
    "job-sheets-default", "media-source-supported", "sides-supported", "media-col-database",
    "media-size-supported", "media-supported", "media-bottom-margin-supported", "media-left-margin-supported",
    "media-right-margin-supported", "media-top-margin-supported", "printer-mandatory-job-attributes",
};

static ipp_t *get_attributes(http_t *http, const char *uri, const char *resource)
{
    ipp_t *req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  (int)(sizeof wanted / sizeof *wanted), NULL, wanted);
    ipp_t *resp = cupsDoRequest(http, req, resource);
    if (resp != NULL && cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
        ippDelete(resp);
        resp = NULL;
    }
    return resp;
}

/* The PPD the scheduler keeps for the queue, or none (a class, a queue
 * made without one). Read into memory through an unlinked file. */
static gp_status fetch_ppd(const char *queue, gp_queue_caps *caps, gp_error **err)
{
    http_t *http = httpConnect2(cupsServer(), ippPort(), NULL, AF_UNSPEC, cupsEncryption(), 1, 30000, NULL);
    if (http == NULL)
        return GP_OK; /* the attributes came through: judge by them alone */
    FILE *fp = tmpfile();
    gp_status st = GP_OK;
    char resource[300];
    snprintf(resource, sizeof resource, "/printers/%s.ppd", queue);
    if (fp != NULL && cupsGetFd(http, resource, fileno(fp)) == HTTP_STATUS_OK) {
        long size = fseek(fp, 0, SEEK_END) == 0 ? ftell(fp) : -1;
        char *data = size > 0 && (unsigned long)size <= GP_PPD_MAX_BYTES ? malloc((size_t)size) : NULL;
        if (size > 0 && (unsigned long)size <= GP_PPD_MAX_BYTES && data == NULL) {
            st = gp_error_nomem(err);
        } else if (data != NULL) {
            rewind(fp);
            if (fread(data, 1, (size_t)size, fp) == (size_t)size) {
                char name[300];
                snprintf(name, sizeof name, _("the PPD of queue %s"), queue);
                st = gp_ppd_parse(data, (size_t)size, name, &caps->ppd, err);
                caps->has_ppd = st == GP_OK;
            }
            free(data);
        }
    }
    if (fp != NULL)
        fclose(fp);
    httpClose(http);
    return st;
}

gp_status gp_queue_caps_fetch(const char *queue, gp_queue_caps *caps, gp_error **err)
{
    memset(caps, 0, sizeof *caps);
    if ((caps->queue = strdup(queue)) == NULL)
        return gp_error_nomem(err);
    char uri[1024], server[256];
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", NULL, "localhost", ippPort(), "/printers/%s",
                     queue);
    ipp_t *resp = get_attributes(CUPS_HTTP_DEFAULT, uri, "/");
    if (resp == NULL) {
        ipp_status_t status = cupsLastError();
        gp_cups_server_name(server, sizeof server);
        if (status == IPP_STATUS_ERROR_NOT_FOUND)
            return gp_error_set(err, GP_E_IO, NULL, 0,
                                _("no printer queue named %s on the CUPS server %s; see lpstat -p"), queue, server);
        if (status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || status == IPP_STATUS_ERROR_INTERNAL)
            return gp_error_set(err, GP_E_IO, NULL, 0,
                                _("cannot reach the CUPS server at %s to ask about queue %s; start CUPS (systemctl "
                                  "start cups) or set CUPS_SERVER, then run again"),
                                server, queue);
        return gp_error_set(err, GP_E_IO, NULL, 0,
                            _("cannot ask the CUPS server at %s about queue %s: %s; start CUPS (systemctl start "
                              "cups) or set CUPS_SERVER, then run again"),
                            server, queue, cupsLastErrorString());
    }
    gp_status st = gp_queue_caps_from_ipp(resp, caps, err);
    ippDelete(resp);
    if (st == GP_OK && !caps->is_class)
        st = fetch_ppd(queue, caps, err);
    return st;
}

bool gp_queue_caps_ask_device(const gp_queue_caps *queue, gp_queue_caps *device)
{
    memset(device, 0, sizeof *device);
    const char *uri = queue->device_uri;
    if (uri == NULL || (strncmp(uri, "ipp://", 6) != 0 && strncmp(uri, "ipps://", 7) != 0))
        return false;
    char scheme[32], user[256], host[256], resource[1024];
    int port;
    if (httpSeparateURI(HTTP_URI_CODING_ALL, uri, scheme, sizeof scheme, user, sizeof user, host, sizeof host,
                        &port, resource, sizeof resource) < HTTP_URI_STATUS_OK)
        return false;
    http_encryption_t enc = strcmp(scheme, "ipps") == 0 ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED;
    http_t *http = httpConnect2(host, port, NULL, AF_UNSPEC, enc, 1, 5000, NULL);
    if (http == NULL)
        return false;
    ipp_t *resp = get_attributes(http, uri, resource);
    httpClose(http);
    if (resp == NULL)
        return false;
    bool ok = gp_queue_caps_from_ipp(resp, device, NULL) == GP_OK;
    ippDelete(resp);
    if (!ok)
        gp_queue_caps_free(device);
    return ok;
}

static void free_strv(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

void gp_queue_caps_free(gp_queue_caps *caps)
{
    if (caps == NULL)
        return;
    free(caps->queue);
    free(caps->make_model);
    free(caps->device_uri);
    free(caps->state_message);
    free(caps->scaling_default);
    free(caps->job_sheets_default);
    free(caps->media);
    free_strv(caps->members, caps->n_members);
    free_strv(caps->sources, caps->n_sources);
    free_strv(caps->scaling, caps->n_scaling);
    free_strv(caps->sides, caps->n_sides);
    free_strv(caps->mandatory, caps->n_mandatory);
    gp_ppd_free(&caps->ppd);
    memset(caps, 0, sizeof *caps);
}
