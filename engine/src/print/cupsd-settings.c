/* The scheduler's settings that decide where certificate PDFs stay and
 * whether a run can be resumed (queue-private.h). They live in cupsd.conf,
 * which CUPS serves to administrators as /admin/conf/cupsd.conf. */
#include "queue-private.h"

#include <cups/cups.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "base/i18n-private.h"
#include "roster/table-private.h"

#define MAX_CONF_BYTES (4u * 1024u * 1024u)
/* CUPS 2.4's defaults when cupsd.conf does not say. */
#define DEFAULT_PRESERVE_FILES "86400"
#define DEFAULT_MAX_JOBS 500
/* Enough history for a school's run of thousands of certificates in
 * batches, with other users' jobs in between. */
#define MIN_MAX_JOBS 1000

typedef struct settings {
    char preserve_files[64], preserve_history[64], private_values[512], classification[64];
    long max_jobs;
    bool have_files, have_history, have_private, have_max;
} settings;

static bool is_off(const char *v)
{
    return strcasecmp(v, "no") == 0 || strcasecmp(v, "off") == 0 || strcasecmp(v, "false") == 0;
}

static bool is_on(const char *v)
{
    return strcasecmp(v, "yes") == 0 || strcasecmp(v, "on") == 0 || strcasecmp(v, "true") == 0;
}

/* "86400", "1d", "3h", "30m", "45s", "2w" in seconds; -1 when not a time. */
static double seconds(const char *v)
{
    char num[32];
    size_t n = 0;
    while (n + 1 < sizeof num && (isdigit((unsigned char)v[n]) || v[n] == '.'))
        num[n] = v[n], n++;
    num[n] = '\0';
    double d;
    if (n == 0 || !gp_number_parse(num, &d))
        return -1;
    switch (v[n]) {
    case '\0': case 's': return d;
    case 'm': return d * 60;
    case 'h': return d * 3600;
    case 'd': return d * 86400;
    case 'w': return d * 7 * 86400;
    default: return -1;
    }
}

static void copy_value(char *dst, size_t size, const char *v)
{
    snprintf(dst, size, "%s", v);
    size_t n = strlen(dst);
    while (n > 0 && isspace((unsigned char)dst[n - 1]))
        dst[--n] = '\0';
}

static void read_conf(const char *conf, size_t len, settings *s)
{
    memset(s, 0, sizeof *s);
    int depth = 0;
    bool in_default_policy = false;
    size_t pos = 0;
    while (pos < len) {
        const char *line = conf + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl != NULL ? (size_t)(nl - line) : len - pos;
        pos += n + (nl != NULL);
        char buf[600];
        if (n >= sizeof buf)
            continue;
        memcpy(buf, line, n);
        buf[n] = '\0';
        char *p = buf;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '#' || *p == '\0')
            continue;
        if (*p == '<') {
            if (p[1] == '/') {
                depth = depth > 0 ? depth - 1 : 0;
                if (depth == 0)
                    in_default_policy = false;
            } else {
                depth++;
                in_default_policy = depth == 1 && strncasecmp(p, "<Policy default>", 16) == 0;
            }
            continue;
        }
        char *v = p;
        while (*v != '\0' && !isspace((unsigned char)*v))
            v++;
        if (*v != '\0')
            *v++ = '\0';
        while (isspace((unsigned char)*v))
            v++;
        if (depth == 0 && strcasecmp(p, "PreserveJobFiles") == 0) {
            copy_value(s->preserve_files, sizeof s->preserve_files, v);
            s->have_files = true;
        } else if (depth == 0 && strcasecmp(p, "PreserveJobHistory") == 0) {
            copy_value(s->preserve_history, sizeof s->preserve_history, v);
            s->have_history = true;
        } else if (depth == 0 && strcasecmp(p, "MaxJobs") == 0) {
            double d;
            char num[32];
            copy_value(num, sizeof num, v);
            if (gp_number_parse(num, &d) && d >= 0 && d < 1e9) {
                s->max_jobs = (long)d;
                s->have_max = true;
            }
        } else if (depth == 0 && strcasecmp(p, "Classification") == 0) {
            copy_value(s->classification, sizeof s->classification, v);
        } else if (in_default_policy && strcasecmp(p, "JobPrivateValues") == 0) {
            copy_value(s->private_values, sizeof s->private_values, v);
            s->have_private = true;
        }
    }
}

static bool private_job_names(const char *values)
{
    if (strcasecmp(values, "default") == 0 || strcasecmp(values, "all") == 0)
        return true;
    char buf[520];
    snprintf(buf, sizeof buf, " %.500s ", values);
    for (char *c = buf; *c; c++)
        if (*c == ',')
            *c = ' ';
    return strstr(buf, " job-name ") != NULL;
}

void gp_cupsd_settings_check_text(const char *conf, size_t len, const char *name, gp_report *report)
{
    settings s;
    read_conf(conf, len, &s);
    const char *files = s.have_files ? s.preserve_files : DEFAULT_PRESERVE_FILES;
    if (!is_off(files))
        gp_report_add(report, GP_WARNING, "cupsd-preserve-job-files", name, 0, NULL,
                      is_on(files) ? _("CUPS keeps every printed document in its spool (PreserveJobFiles %s): "
                                       "certificate PDFs with names and ID numbers stay on the print server. Set "
                                       "PreserveJobFiles No in cupsd.conf and restart CUPS")
                                   : _("CUPS keeps every printed document in its spool for %s (PreserveJobFiles): "
                                       "certificate PDFs with names and ID numbers stay on the print server. Set "
                                       "PreserveJobFiles No in cupsd.conf and restart CUPS"),
                      files);
    const char *history = s.have_history ? s.preserve_history : "Yes";
    double keep = seconds(history);
    if (is_off(history))
        gp_report_add(report, GP_WARNING, "cupsd-preserve-job-history", name, 0, NULL, "%s",
                      _("CUPS forgets each job as soon as it ends (PreserveJobHistory No): a run interrupted "
                        "between sending a batch and recording its outcome can then not tell whether the batch "
                        "printed. Set PreserveJobHistory Yes (or 1d) in cupsd.conf"));
    else if (keep >= 0 && keep < 86400)
        gp_report_add(report, GP_WARNING, "cupsd-preserve-job-history", name, 0, NULL,
                      _("CUPS forgets finished jobs after %s (PreserveJobHistory): resume an interrupted run "
                        "within that time, or set PreserveJobHistory 1d in cupsd.conf"),
                      history);
    long max = s.have_max ? s.max_jobs : DEFAULT_MAX_JOBS;
    if (max != 0 && max < MIN_MAX_JOBS)
        gp_report_add(report, GP_WARNING, "cupsd-max-jobs", name, 0, NULL,
                      _("CUPS keeps the history of only %ld jobs (MaxJobs): on a busy server a run's jobs drop out "
                        "of it before an interrupted run is resumed. Set MaxJobs 10000 in cupsd.conf"),
                      max);
    if (s.have_private && !private_job_names(s.private_values))
        gp_report_add(report, GP_WARNING, "cupsd-job-private-values", name, 0, NULL,
                      _("CUPS shows every job's name to every user (JobPrivateValues %s). gradprint's job names "
                        "are opaque, but other programs put document titles there: keep JobPrivateValues default"),
                      s.private_values);
    if (s.classification[0] != '\0' && strcasecmp(s.classification, "none") != 0)
        gp_report_add(report, GP_ERROR, "cupsd-classification", name, 0, NULL,
                      _("CUPS prints a %s banner page with every job (Classification): it would land on a "
                        "numbered blank. Remove Classification from cupsd.conf"),
                      s.classification);
}

/* cupsd.conf as the server gives it to administrators, or NULL. */
static char *fetch_conf(size_t *len)
{
    http_t *http = httpConnect2(cupsServer(), ippPort(), NULL, AF_UNSPEC, cupsEncryption(), 1, 10000, NULL);
    if (http == NULL)
        return NULL;
    FILE *fp = tmpfile();
    char *data = NULL;
    if (fp != NULL && cupsGetFd(http, "/admin/conf/cupsd.conf", fileno(fp)) == HTTP_STATUS_OK) {
        long size = fseek(fp, 0, SEEK_END) == 0 ? ftell(fp) : -1;
        if (size >= 0 && (unsigned long)size <= MAX_CONF_BYTES && (data = malloc((size_t)size + 1)) != NULL) {
            rewind(fp);
            if (fread(data, 1, (size_t)size, fp) == (size_t)size) {
                data[size] = '\0';
                *len = (size_t)size;
            } else {
                free(data);
                data = NULL;
            }
        }
    }
    if (fp != NULL)
        fclose(fp);
    httpClose(http);
    return data;
}

void gp_cupsd_settings_check(gp_report *report)
{
    size_t len = 0;
    char *conf = fetch_conf(&len);
    if (conf == NULL) {
        gp_report_add(report, GP_WARNING, "cupsd-settings-unknown", NULL, 0, NULL, "%s",
                      _("the CUPS server's settings could not be read (cupsd.conf is for its administrators); check "
                        "by hand that it has PreserveJobFiles No, PreserveJobHistory Yes and MaxJobs 10000, or run "
                        "'gradprint printer check' as an administrator"));
        return;
    }
    gp_cupsd_settings_check_text(conf, len, "cupsd.conf", report);
    free(conf);
}
