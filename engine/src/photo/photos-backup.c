/* gradprint photos backup: the school's electronic copy of the photos. A
 * zip holding every roster student's photo byte for byte under its ID
 * number, and manifest.csv (学号, 姓名, 身份证号, file, SHA-256, check
 * result); with a password every entry is AES-256 encrypted by libzip. It
 * is written under a temporary name (0600), read back entry by entry
 * (decrypted, hashed, compared with what was put in) and only then renamed
 * into place. ZIP encrypts contents, not entry names: the ID numbers in
 * the names stay readable, so the file needs the care the photos do. */
#include <dirent.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/strbuf-private.h"
#include "base/pool-private.h"
#include "photo-checker-private.h"
#include "photo-orphans-private.h"
#include "photos-jobs-private.h"
#include "roster/roster-private.h"

#define MIN_PASSWORD 8
#define SHA256_HEX 65

typedef struct backup_item {
    const gp_record *record;
    char *path;            /* the photo, NULL when missing or refused */
    char entry[32];        /* photos/<ID>.jpg */
    char sha256[SHA256_HEX];
    char *result;          /* "ok", "missing" or the error codes */
} backup_item;

struct gp_photos_backup_result {
    gp_report *report;
    size_t photos, missing, failed;
    bool encrypted;
    char *path;
};

void gp_photos_backup_options_init(gp_photos_backup_options *opts) { memset(opts, 0, sizeof *opts); }

typedef struct backup_job {
    gp_photos_worker_job worker; /* first: the pool's start/stop see a gp_photos_worker_job */
    const gp_photos_backup_options *opts;
    const gp_roster *roster;
    backup_item *items;
    gp_report **findings; /* per item, merged in roster order */
} backup_job;

static void hash_hex(const unsigned char *data, size_t size, char out[SHA256_HEX])
{
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(sum, data, (gssize)size);
    snprintf(out, SHA256_HEX, "%s", g_checksum_get_string(sum));
    g_checksum_free(sum);
}

/* One student: the photo found, read, hashed and checked. */
static gp_status prepare_item(void *job_, void *state, size_t i, gp_error **err)
{
    backup_job *job = job_;
    if (job->opts->cancel != NULL && *job->opts->cancel)
        return gp_photos_cancelled(err);
    backup_item *it = &job->items[i];
    gp_report *f = job->findings[i];
    const char *id = gp_record_key(it->record, GP_KEY_ID_NUMBER);
    const char *no = gp_record_key(it->record, GP_KEY_STUDENT_NO);
    const char *roster_path = gp_roster_path(job->roster);
    long line = gp_record_line(it->record);
    if (id == NULL) {
        gp_report_add(f, GP_WARNING, "photo-missing", roster_path, line, no, "%s",
                      _("no ID number, so no photo can be found; fill in the ID number"));
        it->result = strdup("missing");
        return it->result ? GP_OK : gp_error_nomem(err);
    }
    char *path = gp_photo_find(job->opts->photos_dir, id);
    char *outside = NULL;
    if (path != NULL && gp_photo_leaves_dir(job->opts->photos_dir, path, &outside)) {
        gp_report_add(f, GP_ERROR, "photo-outside", path, 0, no,
                      _("this is a symbolic link to %s, outside the photo folder; it is not backed up: copy the photo "
                        "into the folder"),
                      outside);
        free(outside);
        free(path);
        it->result = strdup("outside");
        return it->result ? GP_OK : gp_error_nomem(err);
    }
    if (path == NULL) {
        gp_report_add(f, GP_WARNING, "photo-missing", roster_path, line, no,
                      _("no photo for this student (%s.jpg) in the photo folder"), id);
        it->result = strdup("missing");
        return it->result ? GP_OK : gp_error_nomem(err);
    }
    unsigned char *data = NULL;
    size_t size = 0;
    gp_status st = gp_read_file(path, GP_PHOTO_MAX_FILE_BYTES, &data, &size, err);
    if (st != GP_OK) {
        free(path);
        return st;
    }
    hash_hex(data, size, it->sha256);
    gp_photo_check *chk = NULL;
    st = gp_photo_check_memory(state, path, data, size, &chk, err);
    free(data);
    if (st != GP_OK) {
        free(path);
        return st;
    }
    gp_strbuf codes;
    gp_strbuf_init(&codes);
    const gp_report *r = gp_photo_check_report(chk);
    for (size_t k = 0; k < gp_report_count(r); k++)
        if (gp_report_get(r, k)->severity == GP_ERROR) {
            gp_strbuf_append(&codes, codes.len ? " " : "");
            gp_strbuf_append(&codes, gp_report_get(r, k)->code);
        }
    if (codes.len > 0)
        gp_report_add(f, GP_WARNING, "photo-standard", path, 0, no,
                      _("backed up, but it fails the photo check (%s); run gradprint photos check on it"), codes.data);
    it->result = codes.len > 0 ? gp_strbuf_steal(&codes) : strdup("ok");
    gp_strbuf_free(&codes);
    gp_photo_check_free(chk);
    snprintf(it->entry, sizeof it->entry, "photos/%s.jpg", id);
    it->path = path;
    return it->result != NULL ? GP_OK : gp_error_nomem(err);
}

static void csv_field(gp_strbuf *sb, const char *s, bool last)
{
    s = s != NULL ? s : "";
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        gp_strbuf_append_char(sb, '"');
    for (; *s; s++) {
        if (*s == '"')
            gp_strbuf_append_char(sb, '"');
        gp_strbuf_append_char(sb, *s);
    }
    if (quote)
        gp_strbuf_append_char(sb, '"');
    gp_strbuf_append(sb, last ? "\r\n" : ",");
}

static char *manifest(const backup_item *items, size_t n, size_t *len)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_append(&sb, "\xEF\xBB\xBF");
    gp_strbuf_append(&sb, "学号,姓名,身份证号,file,SHA-256,check\r\n");
    for (size_t i = 0; i < n; i++) {
        const gp_record *r = items[i].record;
        csv_field(&sb, gp_record_key(r, GP_KEY_STUDENT_NO), false);
        csv_field(&sb, gp_record_key(r, GP_KEY_NAME), false);
        csv_field(&sb, gp_record_key(r, GP_KEY_ID_NUMBER), false);
        csv_field(&sb, items[i].path != NULL ? items[i].entry : NULL, false);
        csv_field(&sb, items[i].path != NULL ? items[i].sha256 : NULL, false);
        csv_field(&sb, items[i].result, true);
    }
    *len = sb.len;
    return gp_strbuf_steal(&sb);
}

static gp_status zip_failed(gp_error **err, const char *path, zip_t *za, const char *what)
{
    return gp_error_set(err, GP_E_IO, path, 0, _("%s failed (%s); is the disk full?"), what,
                        za != NULL ? zip_strerror(za) : "libzip");
}

static gp_status add_entry(zip_t *za, const char *tmp, const char *name, zip_source_t *src, bool store,
                           const char *password, gp_error **err)
{
    if (src == NULL)
        return zip_failed(err, tmp, za, _("adding to the zip"));
    zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(src);
        return zip_failed(err, tmp, za, _("adding to the zip"));
    }
    /* JPEG does not deflate. */
    if (store && zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) != 0)
        return zip_failed(err, tmp, za, _("adding to the zip"));
    if (password != NULL && zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256, password) != 0)
        return zip_failed(err, tmp, za, _("encrypting"));
    return GP_OK;
}

/* Every entry is what was put in: decrypted with the password, hashed. */
static gp_status verify(const char *tmp, const backup_item *items, size_t n, const char *man, size_t man_len,
                        const char *password, gp_error **err)
{
    int code = 0;
    zip_t *za = zip_open(tmp, ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (za == NULL)
        return gp_error_set(err, GP_E_IO, tmp, 0, "%s", _("the zip just written cannot be opened again; nothing was kept"));
    if (password != NULL)
        zip_set_default_password(za, password);
    char man_sha[SHA256_HEX];
    hash_hex((const unsigned char *)man, man_len, man_sha);
    size_t expected = 1;
    for (size_t i = 0; i < n; i++)
        expected += items[i].path != NULL;
    gp_status st = (size_t)zip_get_num_entries(za, 0) == expected
                       ? GP_OK
                       : gp_error_set(err, GP_E_IO, tmp, 0, "%s", _("the zip just written lacks entries; nothing was kept"));
    unsigned char *buf = NULL;
    for (size_t i = 0; i <= n && st == GP_OK; i++) {
        if (i < n && items[i].path == NULL)
            continue;
        const char *name = i < n ? items[i].entry : "manifest.csv";
        const char *want = i < n ? items[i].sha256 : man_sha;
        zip_stat_t zs;
        zip_int64_t idx = zip_name_locate(za, name, 0);
        if (idx < 0 || zip_stat_index(za, (zip_uint64_t)idx, 0, &zs) != 0 ||
            (password != NULL && zs.encryption_method != ZIP_EM_AES_256)) {
            st = gp_error_set(err, GP_E_IO, tmp, 0, _("%s is missing or not encrypted in the zip just written"), name);
            break;
        }
        zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
        unsigned char *grown = realloc(buf, zs.size ? zs.size : 1);
        if (zf == NULL || grown == NULL) {
            if (zf != NULL)
                zip_fclose(zf);
            st = grown == NULL ? gp_error_nomem(err) : zip_failed(err, tmp, za, _("reading back"));
            break;
        }
        buf = grown;
        zip_int64_t got = zip_fread(zf, buf, zs.size);
        zip_fclose(zf);
        char sha[SHA256_HEX];
        hash_hex(buf, got > 0 ? (size_t)got : 0, sha);
        if (got != (zip_int64_t)zs.size || strcmp(sha, want) != 0)
            st = gp_error_set(err, GP_E_IO, tmp, 0,
                              _("%s read back from the zip differs from what was put in (did the photo change during "
                                "the backup?); nothing was kept"),
                              name);
    }
    free(buf);
    zip_discard(za);
    return st;
}

static gp_status write_zip(const char *tmp, const backup_item *items, size_t n, const char *man, size_t man_len,
                           const gp_photos_backup_options *opts, gp_error **err)
{
    int code = 0;
    zip_t *za = zip_open(tmp, ZIP_TRUNCATE, &code);
    if (za == NULL)
        return gp_error_set(err, GP_E_IO, tmp, 0, "%s", _("cannot start the zip file; check the folder"));
    gp_status st = GP_OK;
    for (size_t i = 0; i < n && st == GP_OK; i++)
        if (items[i].path != NULL)
            st = add_entry(za, tmp, items[i].entry, zip_source_file(za, items[i].path, 0, -1), true, opts->password, err);
    if (st == GP_OK)
        st = add_entry(za, tmp, "manifest.csv", zip_source_buffer(za, man, man_len, 0), false, opts->password, err);
    if (st == GP_OK && opts->cancel != NULL && *opts->cancel)
        st = gp_photos_cancelled(err);
    if (st == GP_OK && zip_close(za) != 0) {
        st = zip_failed(err, tmp, za, _("writing the zip"));
        zip_discard(za);
    } else if (st != GP_OK) {
        zip_discard(za);
    }
    return st;
}

/* .<name>.tmp-XXXXXX beside the target, made 0600 before libzip writes
 * into it: libzip keeps an existing file's mode. */
static char *placeholder(const char *out, gp_error **err)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    const char *slash = strrchr(out, '/');
    if (slash != NULL)
        gp_strbuf_append_len(&sb, out, (size_t)(slash - out) + 1);
    gp_strbuf_appendf(&sb, ".%s.tmp-XXXXXX", slash != NULL ? slash + 1 : out);
    char *tmp = gp_strbuf_steal(&sb);
    if (tmp == NULL) {
        gp_error_nomem(err);
        return NULL;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        gp_error_set(err, GP_E_IO, out, 0, "%s", _("cannot create a file beside the backup; check the folder"));
        free(tmp);
        return NULL;
    }
    close(fd);
    return tmp;
}

static void remove_stale(const char *out, gp_report *report)
{
    const char *slash = strrchr(out, '/');
    char *dir = slash != NULL ? strndup(out, (size_t)(slash - out) + (slash == out)) : strdup(".");
    const char *base = slash != NULL ? slash + 1 : out;
    char prefix[512];
    snprintf(prefix, sizeof prefix, ".%s.tmp-", base);
    DIR *d = dir != NULL ? opendir(dir) : NULL;
    size_t removed = 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        char *path = gp_path_join(dir, e->d_name);
        if (path != NULL && unlink(path) == 0)
            removed++;
        free(path);
    }
    if (d != NULL)
        closedir(d);
    if (removed > 0)
        gp_report_add(report, GP_WARNING, "stale", out, 0, NULL,
                      _("removed %zu unfinished copies of this backup that an interrupted run left"), removed);
    free(dir);
}

static gp_status commit(const char *tmp, const char *out, gp_error **err)
{
    int fd = open(tmp, O_RDONLY);
    if (fd < 0 || fchmod(fd, GP_FILE_MODE) != 0 || fsync(fd) != 0) {
        if (fd >= 0)
            close(fd);
        return gp_error_set(err, GP_E_IO, tmp, 0, "%s", _("cannot make the backup durable; is the disk full?"));
    }
    close(fd);
    /* link + unlink rather than rename: a backup that appeared meanwhile is
     * never replaced. */
    if (link(tmp, out) != 0)
        return gp_error_set(err, GP_E_IO, out, 0, "%s", _("cannot put the backup in place (does it exist already?)"));
    unlink(tmp);
    const char *slash = strrchr(out, '/');
    char *dir = slash != NULL ? strndup(out, (size_t)(slash - out) + (slash == out)) : strdup(".");
    gp_status st = dir != NULL ? gp_sync_dir(dir, err) : gp_error_nomem(err);
    free(dir);
    return st;
}

void gp_photos_backup_result_free(gp_photos_backup_result *r)
{
    if (r == NULL)
        return;
    gp_report_free(r->report);
    free(r->path);
    free(r);
}

static gp_status run_checks(backup_job *job, size_t n, gp_photos_backup_result *r, gp_error **err)
{
    for (size_t i = 0; i < n; i++)
        if ((job->findings[i] = gp_report_new()) == NULL)
            return gp_error_nomem(err);
    static const gp_pool_worker_fns fns = {gp_photos_checker_start, prepare_item, gp_photos_checker_stop};
    gp_status st = n > 0 ? gp_pool_run(job, &fns, n, gp_pool_default_workers(job->opts->jobs), GP_PHASE_PREFLIGHT,
                                       job->opts->progress, job->opts->progress_user, err)
                         : GP_OK;
    /* A roster with an ID number twice (its check says so) still gets one
     * photo per ID number in the zip. */
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < n && st == GP_OK; i++) {
        backup_item *it = &job->items[i];
        if (it->path == NULL)
            continue;
        if (g_hash_table_contains(seen, it->entry)) {
            gp_report_add(job->findings[i], GP_WARNING, "photo-duplicate", it->path, gp_record_line(it->record),
                          gp_record_key(it->record, GP_KEY_STUDENT_NO), "%s",
                          _("another roster line has the same ID number; the photo is in the backup once"));
            free(it->path);
            it->path = NULL;
            free(it->result);
            if ((it->result = strdup("duplicate")) == NULL)
                st = gp_error_nomem(err);
        } else {
            g_hash_table_add(seen, it->entry);
        }
    }
    g_hash_table_destroy(seen);
    for (size_t i = 0; i < n; i++) {
        gp_report_take(r->report, job->findings[i]);
        r->photos += job->items[i].path != NULL;
        r->missing += job->items[i].result != NULL && strcmp(job->items[i].result, "missing") == 0;
        r->failed += job->items[i].path != NULL && strcmp(job->items[i].result, "ok") != 0;
    }
    return st;
}

gp_status gp_photos_backup_run(gp_context *ctx, const gp_photos_backup_options *opts,
                               gp_photos_backup_result **result, gp_error **err)
{
    *result = NULL;
    if (opts->photos_dir == NULL || opts->roster_path == NULL || opts->out_path == NULL)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s", _("--photos, --roster and --out are required"));
    if (opts->password != NULL && strlen(opts->password) < MIN_PASSWORD)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, _("the password must have at least %d characters"),
                            MIN_PASSWORD);
    struct stat s;
    if (lstat(opts->out_path, &s) == 0)
        return gp_error_set(err, GP_E_USAGE, opts->out_path, 0, "%s",
                            _("exists already; a backup is never overwritten: choose another name"));
    gp_photos_backup_result *r = calloc(1, sizeof *r);
    if (r == NULL || (r->report = gp_report_new()) == NULL) {
        free(r);
        return gp_error_nomem(err);
    }
    gp_photo_profile *profile = NULL;
    gp_roster *roster = NULL;
    gp_status st = gp_photo_profile_load(opts->profile, &profile, err);
    if (st == GP_OK)
        st = gp_roster_load(ctx, opts->roster_path, &opts->roster, &roster, err);
    size_t n = roster != NULL ? gp_roster_size(roster) : 0;
    backup_item *items = calloc(n ? n : 1, sizeof *items);
    gp_report **findings = calloc(n ? n : 1, sizeof *findings);
    if (st == GP_OK && (items == NULL || findings == NULL))
        st = gp_error_nomem(err);
    backup_job job = {{ctx, profile}, opts, roster, items, findings};
    if (st == GP_OK) {
        for (size_t i = 0; i < n; i++)
            items[i].record = gp_roster_record(roster, i);
        remove_stale(opts->out_path, r->report);
        st = run_checks(&job, n, r, err);
    }
    if (st == GP_OK)
        st = gp_photo_report_orphans(roster, opts->photos_dir, r->report, err);
    char *tmp = NULL, *man = NULL;
    size_t man_len = 0;
    if (st == GP_OK && (man = manifest(items, n, &man_len)) == NULL)
        st = gp_error_nomem(err);
    if (st == GP_OK && (tmp = placeholder(opts->out_path, err)) == NULL)
        st = gp_error_status(*err);
    if (st == GP_OK)
        st = write_zip(tmp, items, n, man, man_len, opts, err);
    if (st == GP_OK)
        st = verify(tmp, items, n, man, man_len, opts->password, err);
    if (st == GP_OK)
        st = commit(tmp, opts->out_path, err);
    if (tmp != NULL && st != GP_OK)
        unlink(tmp);
    if (st == GP_OK) {
        r->encrypted = opts->password != NULL;
        r->path = strdup(opts->out_path);
    }
    for (size_t i = 0; i < n && items != NULL; i++) {
        free(items[i].path);
        free(items[i].result);
        if (findings != NULL)
            gp_report_free(findings[i]);
    }
    free(items);
    free(findings);
    free(man);
    free(tmp);
    gp_roster_free(roster);
    gp_photo_profile_free(profile);
    *result = r;
    return st;
}

const gp_report *gp_photos_backup_result_report(const gp_photos_backup_result *r) { return r->report; }
size_t gp_photos_backup_result_photos(const gp_photos_backup_result *r) { return r->photos; }
size_t gp_photos_backup_result_missing(const gp_photos_backup_result *r) { return r->missing; }
size_t gp_photos_backup_result_failed(const gp_photos_backup_result *r) { return r->failed; }
bool gp_photos_backup_result_encrypted(const gp_photos_backup_result *r) { return r->encrypted; }
const char *gp_photos_backup_result_path(const gp_photos_backup_result *r) { return r->path; }
