/* The journal file: appending durably, and reading back what was made
 * durable, telling a torn last line (a crash mid-append) from damage. */
#define _DEFAULT_SOURCE /* flock: a lock that belongs to the open file, not the process */
#include "print/journal-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/strbuf-private.h"
#include "print/journal-line-private.h"

/* One event line longer than this is a caller's mistake, not a record. */
#define MAX_LINE_BYTES (1024u * 1024u)

struct gp_journal {
    int fd;
    char *path;
    long events;
    off_t end;   /* the length of the intact journal */
    bool broken; /* a failed append could not be undone */
};

/* ---- reading ---- */

typedef struct scan_result {
    long events;
    size_t good_end; /* bytes up to the end of the last intact line */
    bool torn;
} scan_result;

static gp_status damaged(const char *path, long line, const char *why, gp_error **err)
{
    return gp_error_set(err, GP_E_INVALID, path, line,
                        _("the print journal is damaged at this line (%s): it was changed after it was written, so "
                          "the run cannot safely be resumed from it; restore the run directory from a backup, or "
                          "keep this journal for the audit, check which blanks were printed and start a new run"),
                        _(why));
}

/* A crash leaves a prefix of the line being written (or NUL bytes); a
 * whole intact line followed by more text means a line's LF was destroyed,
 * which is damage, not a crash. */
static bool holds_whole_line(const char *seg, size_t len)
{
    while (len > 0 && seg[len - 1] == '\0')
        len--;
    for (size_t i = 0; i + 9 < len; i++) {
        if (seg[i] != '\t')
            continue;
        uint32_t crc = 0;
        size_t k;
        for (k = 1; k <= 8; k++) {
            char c = seg[i + k];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0)
                break;
            crc = crc * 16 + (uint32_t)d;
        }
        if (k > 8 && gp_journal_crc32(seg, i + 1) == crc)
            return true;
    }
    return false;
}

/* Whether a torn tail can be the start of line seq: its digits, as far as
 * they go, are seq's (NUL bytes, a crash's other leftover, pass too). */
static bool starts_with_seq(const char *seg, size_t len, long seq)
{
    char want[32];
    int n = snprintf(want, sizeof want, "%ld\t", seq);
    size_t i = 0;
    while (i < len && seg[i] == '\0')
        i++;
    if (i == len)
        return true;
    for (size_t k = 0; k < (size_t)n && i + k < len; k++)
        if (seg[i + k] != want[k])
            return false;
    return true;
}

static gp_status scan(const char *path, char *data, size_t size, gp_journal_fn fn, void *user, scan_result *res,
                      gp_error **err)
{
    memset(res, 0, sizeof *res);
    size_t pos = 0;
    long line_no = 0;
    while (pos < size) {
        line_no++;
        char *start = data + pos;
        char *nl = memchr(start, '\n', size - pos);
        if (nl == NULL) {
            /* The last append never finished its line. What it wrote is a
             * prefix of the next line, so it starts with the next number. */
            if (holds_whole_line(start, size - pos))
                return damaged(path, line_no, N_("a line break is missing"), err);
            if (!starts_with_seq(start, size - pos, line_no))
                return damaged(path, line_no, N_("the unfinished last line is not the next event"), err);
            res->torn = true;
            return GP_OK;
        }
        /* A line with its LF was written whole: if it does not check out
         * now, it was damaged since, the last line too. */
        size_t len = (size_t)(nl - start);
        gp_journal_line line;
        const char *why;
        gp_line_result r = gp_journal_parse(start, len, &line, &why);
        gp_status st = GP_OK;
        if (r == GP_LINE_NOMEM)
            st = gp_error_nomem(err);
        else if (r != GP_LINE_OK)
            st = damaged(path, line_no, why, err);
        else if (line.seq != line_no)
            st = damaged(path, line_no, N_("its sequence number does not follow the line before"), err);
        else if (fn != NULL)
            st = fn(user, &line.ev, line_no, err);
        gp_journal_line_free(&line);
        if (st != GP_OK)
            return st;
        res->events = line_no;
        pos = (size_t)(nl - data) + 1;
        res->good_end = pos;
    }
    return GP_OK;
}

gp_status gp_journal_replay_buffer(const char *name, char *data, size_t size, gp_journal_fn fn, void *user,
                                   bool *torn_tail, gp_error **err)
{
    scan_result res;
    gp_status st = scan(name, data, size, fn, user, &res, err);
    if (torn_tail != NULL)
        *torn_tail = st == GP_OK && res.torn;
    return st;
}

gp_status gp_journal_replay(const char *path, gp_journal_fn fn, void *user, bool *torn_tail, gp_error **err)
{
    if (torn_tail != NULL)
        *torn_tail = false;
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return gp_error_set(err, GP_E_IO, path, 0, "%s",
                            _("there is no print journal here; give the run directory of an earlier print run"));
    unsigned char *data;
    size_t size;
    gp_status st = gp_read_file(path, GP_JOURNAL_MAX_BYTES, &data, &size, err);
    if (st != GP_OK)
        return st;
    st = gp_journal_replay_buffer(path, (char *)data, size, fn, user, torn_tail, err);
    free(data);
    return st;
}

/* ---- writing ---- */

static gp_status sync_directory(const char *path, gp_error **err)
{
    char *dir = strdup(path);
    if (dir == NULL)
        return gp_error_nomem(err);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash != NULL)
        *slash = '\0';
    else
        strcpy(dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    gp_status st = GP_OK;
    if (fd < 0 || fsync(fd) != 0)
        st = gp_error_set(err, GP_E_IO, dir, 0, _("cannot make the new print journal durable: %s"), strerror(errno));
    if (fd >= 0)
        close(fd);
    free(dir);
    return st;
}

static gp_status read_fd(int fd, const char *path, off_t size, char **out, gp_error **err)
{
    *out = NULL;
    if ((unsigned long long)size > GP_JOURNAL_MAX_BYTES)
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("the print journal is %lld bytes, more than the %u a run may have; start a new run"),
                            (long long)size, GP_JOURNAL_MAX_BYTES);
    char *buf = malloc((size_t)size + 1);
    if (buf == NULL)
        return gp_error_nomem(err);
    size_t got = 0;
    while (got < (size_t)size) {
        ssize_t n = pread(fd, buf + got, (size_t)size - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            free(buf);
            return gp_error_set(err, GP_E_IO, path, 0, _("cannot read the print journal: %s"),
                                n < 0 ? strerror(errno) : _("it shrank while being read"));
        }
        got += (size_t)n;
    }
    buf[got] = '\0';
    *out = buf;
    return GP_OK;
}

/* Cuts a torn last line off so the next line starts clean. */
static gp_status check_existing(gp_journal *j, gp_error **err)
{
    struct stat sb;
    if (fstat(j->fd, &sb) != 0)
        return gp_error_set(err, GP_E_IO, j->path, 0, _("cannot read the print journal: %s"), strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return gp_error_set(err, GP_E_IO, j->path, 0, "%s", _("the print journal is not a regular file"));
    char *data;
    gp_status st = read_fd(j->fd, j->path, sb.st_size, &data, err);
    if (st != GP_OK)
        return st;
    scan_result res;
    st = scan(j->path, data, (size_t)sb.st_size, NULL, NULL, &res, err);
    free(data);
    if (st != GP_OK)
        return st;
    if (res.torn && (ftruncate(j->fd, (off_t)res.good_end) != 0 || fdatasync(j->fd) != 0))
        return gp_error_set(err, GP_E_IO, j->path, res.events + 1,
                            _("cannot cut off the unfinished last line of the print journal: %s; check the disk"),
                            strerror(errno));
    j->events = res.events;
    j->end = (off_t)res.good_end;
    return GP_OK;
}

gp_status gp_journal_open(const char *path, bool create, gp_journal **out, gp_error **err)
{
    *out = NULL;
    gp_journal *j = calloc(1, sizeof *j);
    if (j == NULL)
        return gp_error_nomem(err);
    j->fd = -1;
    j->path = strdup(path);
    if (j->path == NULL) {
        free(j);
        return gp_error_nomem(err);
    }
    bool created = false;
    if (create) {
        j->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, GP_FILE_MODE);
        created = j->fd >= 0;
    }
    if (j->fd < 0 && (!create || errno == EEXIST))
        j->fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
    gp_status st = GP_OK;
    if (j->fd < 0) {
        if (errno == ENOENT && !create)
            st = gp_error_set(err, GP_E_IO, path, 0, "%s",
                              _("there is no print journal here; give the run directory of an earlier print run"));
        else
            st = gp_error_set(err, GP_E_IO, path, 0, _("cannot open the print journal: %s"), strerror(errno));
    } else if (flock(j->fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            st = gp_error_set(err, GP_E_IO, path, 0, "%s",
                              _("another gradprint is printing this run right now; wait for it to end or stop it, "
                                "then run again"));
        else
            st = gp_error_set(err, GP_E_IO, path, 0, _("cannot lock the print journal: %s"), strerror(errno));
    } else if (created) {
        st = sync_directory(path, err);
    } else {
        st = check_existing(j, err);
    }
    if (st != GP_OK) {
        gp_journal_close(j);
        return st;
    }
    *out = j;
    return GP_OK;
}

static void utc_now(char *buf, size_t size)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char day[32];
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, size, "%s.%03ldZ", day, ts.tv_nsec / 1000000L);
}

/* Undoes a partial append so the journal ends on a whole line again. */
static void undo_append(gp_journal *j)
{
    if (ftruncate(j->fd, j->end) != 0 || fdatasync(j->fd) != 0)
        j->broken = true;
}

gp_status gp_journal_append(gp_journal *j, const gp_journal_event *ev, gp_error **err)
{
    const char *field;
    const char *problem = gp_journal_event_problem(ev, &field);
    const char *kind = gp_journal_kind_name(ev->kind);
    if (problem != NULL)
        return gp_error_set(err, GP_E_USAGE, j->path, 0, _("a %s event cannot be journalled: %s%s%s%s"),
                            kind != NULL ? kind : "?", _(problem), field != NULL ? " (" : "",
                            field != NULL ? field : "", field != NULL ? ")" : "");
    if (j->broken)
        return gp_error_set(err, GP_E_IO, j->path, j->events + 1, "%s",
                            _("an earlier write to the print journal failed and could not be undone; fix the disk, "
                              "then run again to resume"));
    char now[48];
    utc_now(now, sizeof now);
    gp_strbuf line;
    gp_strbuf_init(&line);
    gp_journal_format(&line, j->events + 1, now, ev);
    if (gp_strbuf_failed(&line))
        return gp_error_nomem(err);
    if (line.len > MAX_LINE_BYTES) {
        gp_strbuf_free(&line);
        return gp_error_set(err, GP_E_USAGE, j->path, 0, _("a %s event would make a journal line of %zu bytes; "
                                                           "the limit is %u"),
                            kind, line.len, MAX_LINE_BYTES);
    }
    size_t done = 0;
    int failure = 0;
    while (done < line.len) {
        ssize_t n = write(j->fd, line.data + done, line.len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            failure = n < 0 ? errno : EIO;
            break;
        }
        done += (size_t)n;
    }
    if (failure == 0 && fdatasync(j->fd) != 0)
        failure = errno;
    gp_strbuf_free(&line);
    if (failure != 0) {
        undo_append(j);
        return gp_error_set(err, GP_E_IO, j->path, j->events + 1,
                            _("writing the print journal failed: %s; the event was not recorded, so stop, free disk "
                              "space or fix the disk, then run again to resume"),
                            strerror(failure));
    }
    j->end += (off_t)done;
    j->events++;
    return GP_OK;
}

long gp_journal_events(const gp_journal *j)
{
    return j->events;
}

const char *gp_journal_path(const gp_journal *j)
{
    return j->path;
}

void gp_journal_close(gp_journal *j)
{
    if (j == NULL)
        return;
    if (j->fd >= 0)
        close(j->fd);
    free(j->path);
    free(j);
}
