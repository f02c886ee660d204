/* run.conf: the settings a print run started with, so `print --resume`
 * continues with exactly those, and refuses a roster or template that
 * changed underneath the run (its records would no longer be the same
 * graduates). Files are known by their content: a roster with two rows
 * swapped has the same size and may have the same time. */
/* realpath */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <sys/stat.h>

#include "base/array-private.h"
#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/strbuf-private.h"
#include "print-run-private.h"

char *gp_run_path(const char *run_dir, const char *name)
{
    return gp_path_join(run_dir, name);
}

static gp_status absolute(const char *path, char **out, gp_error **err)
{
    *out = NULL;
    if (path == NULL)
        return GP_OK;
    char buf[PATH_MAX];
    if (realpath(path, buf) == NULL)
        return gp_error_set(err, GP_E_USAGE, path, 0, _("cannot find this file or folder (%s); check the path"),
                            strerror(errno));
    *out = strdup(buf);
    return *out ? GP_OK : gp_error_nomem(err);
}

/* SHA-256 of the file's bytes as 64 hex digits. */
static gp_status fingerprint(const char *path, char out[65], gp_error **err)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return gp_error_set(err, GP_E_IO, path, 0, _("cannot read this file (%s)"), strerror(errno));
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        g_checksum_update(sum, buf, (gssize)n);
    bool failed = ferror(fp) != 0;
    fclose(fp);
    snprintf(out, 65, "%s", g_checksum_get_string(sum));
    g_checksum_free(sum);
    if (failed)
        return gp_error_set(err, GP_E_IO, path, 0, "%s", _("reading this file failed; check the disk"));
    return GP_OK;
}

static gp_status copy(const char *s, char **out, gp_error **err)
{
    *out = NULL;
    if (s == NULL)
        return GP_OK;
    *out = strdup(s);
    return *out ? GP_OK : gp_error_nomem(err);
}

static gp_status add_map(gp_run_conf *conf, const char *map, gp_error **err)
{
    if (!GP_ARRAY_ROOM(conf->maps, conf->n_maps, conf->cap_maps) || (conf->maps[conf->n_maps] = strdup(map)) == NULL)
        return gp_error_nomem(err);
    conf->n_maps++;
    return GP_OK;
}

/* How the roster's columns are named: --map values and --map-file, which
 * change its records as much as the roster itself does. */
static gp_status copy_column_map(gp_run_conf *conf, const gp_roster_options *roster, gp_error **err)
{
    gp_status st = GP_OK;
    for (size_t i = 0; st == GP_OK && i < roster->nmap; i++)
        st = add_map(conf, roster->map[i], err);
    if (st == GP_OK)
        st = absolute(roster->map_file, &conf->map_file, err);
    if (st == GP_OK && conf->map_file != NULL)
        st = fingerprint(conf->map_file, conf->map_file_sha256, err);
    return st;
}

gp_status gp_run_conf_from_options(gp_run_conf *conf, const gp_print_options *opts, const char *run_id,
                                   gp_error **err)
{
    memset(conf, 0, sizeof *conf);
    const gp_certs_options *c = &opts->certs;
    gp_status st = copy(run_id, &conf->run_id, err);
    if (st == GP_OK)
        st = absolute(c->roster_path, &conf->roster, err);
    if (st == GP_OK)
        st = absolute(c->template_path, &conf->template_path, err);
    if (st == GP_OK)
        st = absolute(c->photos_dir, &conf->photos, err);
    if (st == GP_OK)
        st = copy(c->roster.encoding, &conf->encoding, err);
    if (st == GP_OK)
        st = copy(c->roster.sheet, &conf->sheet, err);
    if (st == GP_OK)
        st = copy_column_map(conf, &c->roster, err);
    if (st == GP_OK)
        st = copy(c->records, &conf->records, err);
    if (st == GP_OK)
        st = copy(opts->tray, &conf->tray, err);
    if (st == GP_OK)
        st = copy(opts->first_blank, &conf->first_blank, err);
    if (st == GP_OK)
        st = fingerprint(conf->roster, conf->roster_sha256, err);
    if (st == GP_OK)
        st = fingerprint(conf->template_path, conf->template_sha256, err);
    if (st != GP_OK)
        return st;
    conf->skip_invalid = c->skip_invalid;
    conf->keep = opts->keep;
    conf->batch_size = opts->batch_size > 0 ? opts->batch_size : 50;
    return gp_run_conf_set_queues(conf, opts->queues, opts->n_queues, err);
}

gp_status gp_run_conf_set_queues(gp_run_conf *conf, const gp_print_queue *queues, size_t n, gp_error **err)
{
    gp_print_queue *list = calloc(n ? n : 1, sizeof *list);
    if (list == NULL)
        return gp_error_nomem(err);
    for (size_t i = 0; i < n; i++) {
        list[i] = queues[i];
        if ((list[i].name = strdup(queues[i].name)) == NULL) {
            while (i-- > 0)
                free((char *)list[i].name);
            free(list);
            return gp_error_nomem(err);
        }
    }
    for (size_t i = 0; i < conf->n_queues; i++)
        free((char *)conf->queues[i].name);
    free(conf->queues);
    conf->queues = list;
    conf->n_queues = n;
    conf->cap_queues = n ? n : 1;
    return GP_OK;
}

static void put(gp_strbuf *sb, const char *key, const char *value)
{
    if (value != NULL)
        gp_strbuf_appendf(sb, "%s=%s\n", key, value);
}

/* Values are single lines; a path with a line break cannot be saved. */
static gp_status check_value(const char *key, const char *value, gp_error **err)
{
    if (value != NULL && strpbrk(value, "\n\r") != NULL)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, _("the %s '%s' holds a line break; rename it"), key, value);
    return GP_OK;
}

gp_status gp_run_conf_write(const gp_run_conf *c, const char *run_dir, gp_error **err)
{
    const char *keys[] = {"roster", "photos", "template", "records", "tray", "encoding", "sheet", "map file"};
    const char *values[] = {c->roster, c->photos,    c->template_path, c->records,
                            c->tray,   c->encoding, c->sheet,         c->map_file};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        gp_status st = check_value(keys[i], values[i], err);
        if (st != GP_OK)
            return st;
    }
    for (size_t i = 0; i < c->n_maps; i++) {
        gp_status st = check_value("--map", c->maps[i], err);
        if (st != GP_OK)
            return st;
    }
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_append(&sb, "# gradprint print run: the settings it started with; do not edit\n");
    put(&sb, "run", c->run_id);
    gp_strbuf_appendf(&sb, "total=%zu\n", c->total);
    put(&sb, "roster", c->roster);
    put(&sb, "roster-sha256", c->roster_sha256);
    put(&sb, "encoding", c->encoding);
    put(&sb, "sheet", c->sheet);
    for (size_t i = 0; i < c->n_maps; i++)
        put(&sb, "map", c->maps[i]);
    put(&sb, "map-file", c->map_file);
    put(&sb, "map-file-sha256", c->map_file != NULL ? c->map_file_sha256 : NULL);
    put(&sb, "photos", c->photos);
    put(&sb, "template", c->template_path);
    put(&sb, "template-sha256", c->template_sha256);
    put(&sb, "records", c->records);
    gp_strbuf_appendf(&sb, "skip-invalid=%d\nkeep=%d\nbatch=%d\n", c->skip_invalid ? 1 : 0, c->keep ? 1 : 0,
                      c->batch_size);
    put(&sb, "tray", c->tray);
    put(&sb, "first-blank", c->first_blank);
    for (size_t i = 0; i < c->n_queues; i++) {
        const gp_calibration *k = &c->queues[i].calibration;
        gp_strbuf_appendf(&sb, "queue=%s;%.6f;%.6f;%.8f;%.8f;%d;%d\n", c->queues[i].name, k->offset_x_mm,
                          k->offset_y_mm, k->scale_x, k->scale_y, (int)k->feed, (int)k->face);
    }
    if (gp_strbuf_failed(&sb)) {
        gp_strbuf_free(&sb);
        return gp_error_nomem(err);
    }
    char *path = gp_run_path(run_dir, GP_RUN_CONF);
    gp_status st = path ? gp_write_file_atomic(path, sb.data, sb.len, err) : gp_error_nomem(err);
    free(path);
    gp_strbuf_free(&sb);
    return st;
}

static gp_status parse_queue(gp_run_conf *c, const char *value, const char *path, long line, gp_error **err)
{
    const char *semi = strchr(value, ';');
    gp_print_queue q;
    gp_calibration_init(&q.calibration);
    gp_calibration *k = &q.calibration;
    int feed = 0, face = 0;
    int got = semi != NULL ? sscanf(semi + 1, "%lf;%lf;%lf;%lf;%d;%d", &k->offset_x_mm, &k->offset_y_mm,
                                    &k->scale_x, &k->scale_y, &feed, &face)
                           : 0;
    if (semi == NULL || semi == value || (got != 4 && got != 6) || feed < 0 || feed > 1 || face < 0 || face > 2 ||
        !(k->scale_x > 0.5 && k->scale_x < 2) || !(k->scale_y > 0.5 && k->scale_y < 2) ||
        !(k->offset_x_mm > -100 && k->offset_x_mm < 100) || !(k->offset_y_mm > -100 && k->offset_y_mm < 100))
        return gp_error_set(err, GP_E_INVALID, path, line, "%s", _("damaged queue line; the run cannot be resumed"));
    k->feed = (gp_feed_edge)feed;
    k->face = (gp_face)face;
    if (!GP_ARRAY_ROOM(c->queues, c->n_queues, c->cap_queues))
        return gp_error_nomem(err);
    if ((q.name = strndup(value, (size_t)(semi - value))) == NULL)
        return gp_error_nomem(err);
    c->queues[c->n_queues++] = q;
    return GP_OK;
}

static gp_status parse_line(gp_run_conf *c, char *s, const char *path, long line, gp_error **err)
{
    if (s[0] == '#' || s[0] == '\0')
        return GP_OK;
    char *eq = strchr(s, '=');
    if (eq == NULL)
        return gp_error_set(err, GP_E_INVALID, path, line, "%s", _("not a key=value line; the run cannot be resumed"));
    *eq = '\0';
    const char *key = s, *value = eq + 1;
    struct {
        const char *key;
        char **slot;
    } strings[] = {{"run", &c->run_id},           {"roster", &c->roster},     {"encoding", &c->encoding},
                   {"sheet", &c->sheet},          {"photos", &c->photos},     {"template", &c->template_path},
                   {"records", &c->records},      {"tray", &c->tray},         {"first-blank", &c->first_blank},
                   {"map-file", &c->map_file}};
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
        if (strcmp(key, strings[i].key) == 0) {
            free(*strings[i].slot);
            *strings[i].slot = strdup(value);
            return *strings[i].slot ? GP_OK : gp_error_nomem(err);
        }
    if (strcmp(key, "queue") == 0)
        return parse_queue(c, value, path, line, err);
    if (strcmp(key, "map") == 0)
        return add_map(c, value, err);
    char (*const digests[3])[65] = {&c->roster_sha256, &c->template_sha256, &c->map_file_sha256};
    const char *const digest_keys[3] = {"roster-sha256", "template-sha256", "map-file-sha256"};
    for (int i = 0; i < 3; i++)
        if (strcmp(key, digest_keys[i]) == 0) {
            if (strlen(value) != 64 || strspn(value, "0123456789abcdef") != 64)
                return gp_error_set(err, GP_E_INVALID, path, line, _("%s is not a SHA-256; the run cannot be "
                                                                     "resumed"),
                                    key);
            memcpy(*digests[i], value, 65);
            return GP_OK;
        }
    char *end;
    errno = 0;
    long long n = strtoll(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || n < 0)
        return gp_error_set(err, GP_E_INVALID, path, line, _("%s is not a number; the run cannot be resumed"), key);
    if (strcmp(key, "total") == 0)
        c->total = (size_t)n;
    else if (strcmp(key, "skip-invalid") == 0)
        c->skip_invalid = n != 0;
    else if (strcmp(key, "keep") == 0)
        c->keep = n != 0;
    else if (strcmp(key, "batch") == 0 && n > 0 && n <= 100000)
        c->batch_size = (int)n;
    return GP_OK;
}

gp_status gp_run_conf_read(gp_run_conf *c, const char *run_dir, gp_error **err)
{
    memset(c, 0, sizeof *c);
    char *path = gp_run_path(run_dir, GP_RUN_CONF);
    if (path == NULL)
        return gp_error_nomem(err);
    unsigned char *data = NULL;
    size_t size = 0;
    gp_status st = gp_read_file(path, 1u << 20, &data, &size, err);
    if (st == GP_E_NOMEM) {
        free(path);
        return st;
    }
    if (st != GP_OK) {
        gp_error_free(err ? *err : NULL);
        if (err)
            *err = NULL;
        st = gp_error_set(err, GP_E_IO, run_dir, 0, "%s",
                          _("not a print run directory (no run.conf); give the --run folder of an earlier "
                            "'gradprint print'"));
    }
    char *text = st == GP_OK ? malloc(size + 1) : NULL;
    if (st == GP_OK && text == NULL)
        st = gp_error_nomem(err);
    if (text != NULL) {
        memcpy(text, data, size);
        text[size] = '\0';
    }
    long line = 0;
    for (char *s = text, *next; st == GP_OK && s != NULL && *s != '\0'; s = next) {
        line++;
        next = strchr(s, '\n');
        if (next != NULL)
            *next++ = '\0';
        st = parse_line(c, s, path, line, err);
    }
    if (st == GP_OK && (c->run_id == NULL || c->roster == NULL || c->template_path == NULL || c->n_queues == 0 ||
                        c->batch_size <= 0 || c->roster_sha256[0] == '\0' || c->template_sha256[0] == '\0' ||
                        (c->map_file != NULL && c->map_file_sha256[0] == '\0')))
        st = gp_error_set(err, GP_E_INVALID, path, 0, "%s",
                          _("run.conf lacks the run id, roster, template, map file, their fingerprints, batch size or "
                            "queue; "
                            "the run cannot be resumed: start a new run in a new folder"));
    free(text);
    free(data);
    free(path);
    return st;
}

static gp_status check_one(const char *what, const char *path, const char *sha256, gp_error **err)
{
    char now[65];
    gp_status st = fingerprint(path, now, err);
    if (st != GP_OK)
        return st;
    if (strcmp(now, sha256) != 0)
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("the %s changed since this run started (its content differs), so its records may no "
                              "longer be the graduates printed so far; put the original file back, or start a new "
                              "run in a new folder for the changed %s"),
                            what, what);
    return GP_OK;
}

gp_status gp_run_conf_check_inputs(const gp_run_conf *c, gp_error **err)
{
    gp_status st = check_one(_("roster"), c->roster, c->roster_sha256, err);
    if (st == GP_OK)
        st = check_one(_("template"), c->template_path, c->template_sha256, err);
    if (st == GP_OK && c->map_file != NULL)
        st = check_one(_("map file"), c->map_file, c->map_file_sha256, err);
    return st;
}

void gp_run_conf_certs_options(const gp_run_conf *c, gp_certs_options *o)
{
    gp_certs_options_init(o);
    o->roster_path = c->roster;
    o->roster.encoding = c->encoding;
    o->roster.sheet = c->sheet;
    o->roster.map = (const char *const *)c->maps;
    o->roster.nmap = c->n_maps;
    o->roster.map_file = c->map_file;
    o->photos_dir = c->photos;
    o->template_path = c->template_path;
    o->records = c->records;
    o->skip_invalid = c->skip_invalid;
}

void gp_run_conf_free(gp_run_conf *c)
{
    free(c->run_id);
    free(c->roster);
    free(c->encoding);
    free(c->sheet);
    free(c->photos);
    free(c->template_path);
    free(c->records);
    free(c->tray);
    free(c->first_blank);
    for (size_t i = 0; i < c->n_maps; i++)
        free(c->maps[i]);
    free(c->maps);
    free(c->map_file);
    for (size_t i = 0; i < c->n_queues; i++)
        free((char *)c->queues[i].name);
    free(c->queues);
    memset(c, 0, sizeof *c);
}

bool gp_serial_valid(const char *serial)
{
    size_t n = serial ? strlen(serial) : 0;
    if (n == 0 || n > 64 || serial[n - 1] < '0' || serial[n - 1] > '9')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)serial[i];
        if (ch <= ' ' || ch == 0x7f || ch == ',')
            return false;
    }
    return true;
}

bool gp_serial_next(const char *serial, char *out, size_t size)
{
    if (!gp_serial_valid(serial))
        return false;
    size_t n = strlen(serial), start = n;
    while (start > 0 && serial[start - 1] >= '0' && serial[start - 1] <= '9')
        start--;
    /* All nines: the number grows by a digit, as the printed numbers do. */
    bool grow = true;
    for (size_t i = start; i < n; i++)
        grow = grow && serial[i] == '9';
    /* A serial that would outgrow the longest valid one has no successor. */
    if (n + (grow ? 1 : 0) > 64 || n + (grow ? 1 : 0) + 1 > size)
        return false;
    memcpy(out, serial, n + 1);
    size_t i = n;
    while (i > start) {
        i--;
        if (out[i] == '9') {
            out[i] = '0';
            continue;
        }
        out[i]++;
        return true;
    }
    memmove(out + start + 1, out + start, n - start + 1);
    out[start] = '1';
    return true;
}
