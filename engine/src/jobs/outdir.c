#define _GNU_SOURCE /* nftw's FTW_PHYS, memrchr */
#include "outdir-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "base/strbuf-private.h"

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void gp_remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* 0 = missing, 1 = empty directory, 2 = earlier gradprint output, 3 = other. */
static int target_kind(const char *target)
{
    struct stat st;
    if (stat(target, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return 3;
    DIR *d = opendir(target);
    if (d == NULL)
        return 3;
    bool empty = true, marked = false;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        empty = false;
        if (strcmp(e->d_name, GP_OUTPUT_MARKER) == 0)
            marked = true;
    }
    closedir(d);
    return empty ? 1 : marked ? 2 : 3;
}

/* The directory holding path, where staging and the final rename live. */
static char *parent_of(const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    const char *slash = memrchr(path, '/', len);
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Creates od->staging beside od->target (its parents too) and locks it. */
static gp_status make_staging(gp_outdir *od, gp_error **err)
{
    od->staging = gp_staging_template(od->target, GP_STAGING_DIR);
    char *parent = parent_of(od->target);
    gp_status st = od->staging != NULL && parent != NULL ? GP_OK : gp_error_nomem(err);
    if (st == GP_OK && strcmp(parent, ".") != 0 && strcmp(parent, "/") != 0)
        st = gp_mkdir_p(parent, err);
    free(parent);
    if (st != GP_OK)
        return st;
    if (mkdtemp(od->staging) == NULL) {
        st = gp_error_set(err, GP_E_IO, od->target, 0, _("cannot create the output directory: %s"), strerror(errno));
        free(od->staging);
        od->staging = NULL;
        return st;
    }
    /* Held until commit or abort: while it is, no other run takes this
     * staging for one a killed run left (gp_staging_sweep). */
    od->lock_fd = open(od->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    od->locked = od->lock_fd >= 0;
    if (od->locked)
        flock(od->lock_fd, LOCK_EX | LOCK_NB);
    return GP_OK;
}

static char *trimmed_copy(const char *path)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    gp_strbuf_append_len(&sb, path, len);
    return gp_strbuf_steal(&sb);
}

gp_status gp_outdir_begin(gp_outdir *od, const char *target, bool overwrite, gp_error **err)
{
    memset(od, 0, sizeof *od);
    int kind = target_kind(target);
    if (kind == 3 || (kind == 2 && !overwrite))
        return gp_error_set(err, GP_E_USAGE, target, 0, "%s",
                            kind == 2 ? _("holds an earlier gradprint output; pass --overwrite to replace it, "
                                          "or choose a new output directory")
                                      : _("already exists and is not empty; choose a new output directory"));
    od->target = trimmed_copy(target);
    gp_status st = od->target != NULL ? make_staging(od, err) : gp_error_nomem(err);
    if (st != GP_OK) {
        gp_outdir_abort(od);
        return st;
    }
    char *marker = gp_outdir_path(od, GP_OUTPUT_MARKER);
    st = marker ? gp_write_file_atomic_flags(marker, "gradprint\n", 10, GP_ATOMIC_NO_SYNC, err) : gp_error_nomem(err);
    free(marker);
    if (st != GP_OK)
        gp_outdir_abort(od);
    return st;
}

gp_status gp_outdir_begin_named(gp_outdir *od, const char *target, const char *staging_name, gp_error **err)
{
    memset(od, 0, sizeof *od);
    struct stat st;
    if (lstat(target, &st) == 0)
        return gp_error_set(err, GP_E_USAGE, target, 0, "%s",
                            _("an order of this name is already in the hot folder; choose another order name"));
    od->target = strdup(target);
    const char *slash = strrchr(target, '/');
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    if (slash != NULL)
        gp_strbuf_append_len(&sb, target, (size_t)(slash - target) + 1);
    gp_strbuf_append(&sb, staging_name);
    od->staging = gp_strbuf_steal(&sb);
    if (od->target == NULL || od->staging == NULL) {
        gp_outdir_abort(od);
        return gp_error_nomem(err);
    }
    if (mkdir(od->staging, 0700) != 0) {
        gp_status status =
            errno == EEXIST
                ? gp_error_set(err, GP_E_USAGE, od->staging, 0, "%s",
                               _("an unfinished order of this name is in the hot folder, left by a run that was "
                                 "stopped; remove it, or choose another order name"))
                : gp_error_set(err, GP_E_IO, od->staging, 0, _("cannot create the order folder: %s"), strerror(errno));
        free(od->staging);
        od->staging = NULL; /* not ours to remove */
        gp_outdir_abort(od);
        return status;
    }
    return GP_OK;
}

gp_status gp_outfile_begin(gp_outdir *od, const char *target, gp_error **err)
{
    memset(od, 0, sizeof *od);
    od->target = trimmed_copy(target);
    gp_status st = od->target != NULL ? make_staging(od, err) : gp_error_nomem(err);
    if (st == GP_OK) {
        const char *slash = strrchr(od->target, '/');
        od->file = gp_path_join(od->staging, slash != NULL ? slash + 1 : od->target);
        if (od->file == NULL)
            st = gp_error_nomem(err);
    }
    if (st != GP_OK)
        gp_outdir_abort(od);
    return st;
}

char *gp_outdir_path(const gp_outdir *od, const char *relative) { return gp_path_join(od->staging, relative); }

/* One-file output: the staged file goes over the target, staging goes. */
static gp_status commit_file(gp_outdir *od, gp_error **err)
{
    if (rename(od->file, od->target) != 0)
        return gp_error_set(err, GP_E_IO, od->target, 0, _("cannot move the finished file into place: %s"),
                            strerror(errno));
    rmdir(od->staging);
    return GP_OK;
}

static gp_status commit_dir(gp_outdir *od, gp_error **err)
{
    char *old = NULL;
    int kind = target_kind(od->target);
    if (kind == 1) {
        rmdir(od->target);
    } else if (kind == 2) {
        /* Move the earlier output aside first so the new one lands in one rename. */
        gp_strbuf sb;
        gp_strbuf_init(&sb);
        gp_strbuf_appendf(&sb, "%s.old-XXXXXX", od->staging);
        old = gp_strbuf_steal(&sb);
        if (old == NULL || mkdtemp(old) == NULL || rmdir(old) != 0 || rename(od->target, old) != 0) {
            gp_status st = gp_error_set(err, GP_E_IO, od->target, 0, _("cannot replace the earlier output: %s"),
                                        strerror(errno));
            free(old);
            return st;
        }
    }
    if (rename(od->staging, od->target) != 0) {
        gp_status st = gp_error_set(err, GP_E_IO, od->target, 0, _("cannot move the finished output into place: %s"),
                                    strerror(errno));
        if (old != NULL && rename(old, od->target) != 0)
            gp_remove_tree(old);
        free(old);
        return st;
    }
    if (old != NULL) {
        gp_remove_tree(old);
        free(old);
    }
    return GP_OK;
}

gp_status gp_outdir_commit(gp_outdir *od, gp_error **err)
{
    /* Files in staging are written without an fsync each (GP_ATOMIC_NO_SYNC):
     * the tree is made durable here in one go, before its name appears, so
     * a crash leaves either no output or a whole one. */
    /* Everything that can fail for want of memory comes before the rename:
     * after it the output is there, and the run must not report failure. */
    char *parent = parent_of(od->target);
    if (parent == NULL)
        return gp_error_nomem(err);
    gp_status st = gp_sync_tree(od->staging, err);
    if (st == GP_OK)
        st = od->file != NULL ? commit_file(od, err) : commit_dir(od, err);
    if (st == GP_OK)
        st = gp_sync_dir(parent, err);
    free(parent);
    if (st != GP_OK)
        return st;
    free(od->staging);
    od->staging = NULL;
    gp_outdir_abort(od);
    return GP_OK;
}

void gp_outdir_abort(gp_outdir *od)
{
    if (od->staging != NULL) {
        struct stat st;
        if (lstat(od->staging, &st) == 0)
            gp_remove_tree(od->staging);
    }
    if (od->locked)
        close(od->lock_fd);
    free(od->staging);
    free(od->target);
    free(od->file);
    memset(od, 0, sizeof *od);
}

/* ---- what interrupted runs leave -------------------------------------- */

/* name is ".BASE.KIND-PID-..." (gp_staging_template) for one of the kinds:
 * sets *pid. */
static bool staging_of(const char *name, const char *base, size_t base_len, long *pid)
{
    if (name[0] != '.' || strncmp(name + 1, base, base_len) != 0 || name[1 + base_len] != '.')
        return false;
    const char *kind = name + 2 + base_len;
    size_t n;
    if (strncmp(kind, GP_STAGING_DIR "-", n = sizeof GP_STAGING_DIR) != 0 &&
        strncmp(kind, GP_STAGING_FILE "-", n = sizeof GP_STAGING_FILE) != 0)
        return false;
    const char *digits = kind + n;
    char *end;
    errno = 0;
    *pid = strtol(digits, &end, 10);
    return end != digits && *end == '-' && end[1] != '\0' && errno == 0 && *pid > 0;
}

/* True when a live process holds path's lock (or path cannot be opened to
 * tell); otherwise *fd holds the lock for the caller while it removes. */
static bool in_use(const char *path, bool dir, int *fd)
{
    *fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (dir ? O_DIRECTORY : 0));
    if (*fd < 0)
        return true;
    if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        close(*fd);
        *fd = -1;
        return true;
    }
    return false;
}

static bool process_alive(long pid) { return kill((pid_t)pid, 0) == 0 || errno == EPERM; }

/* Moves a staging directory out of the way before emptying it, so workers
 * still writing into it by name find nothing to write into. */
static void remove_staging(const char *path, bool dir)
{
    if (!dir) {
        unlink(path);
        return;
    }
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_appendf(&sb, "%s-removing", path);
    char *gone = gp_strbuf_steal(&sb);
    const char *victim = gone != NULL && rename(path, gone) == 0 ? gone : path;
    struct stat st;
    for (int tries = 0; tries < 50 && lstat(victim, &st) == 0; tries++)
        gp_remove_tree(victim);
    free(gone);
}

typedef enum sweep_mode { SWEEP_STALE, SWEEP_OWN } sweep_mode;

static size_t sweep(const char *target, sweep_mode mode, gp_report *report)
{
    if (target == NULL || *target == '\0')
        return 0;
    char *dir = parent_of(target), *base = trimmed_copy(target);
    DIR *d = dir != NULL && base != NULL ? opendir(dir) : NULL;
    size_t removed = 0;
    const char *slash = base != NULL ? strrchr(base, '/') : NULL;
    const char *name = slash != NULL ? slash + 1 : base;
    size_t name_len = name != NULL ? strlen(name) : 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        long pid;
        struct stat st;
        if (!staging_of(e->d_name, name, name_len, &pid) || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            st.st_uid != geteuid() || !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
            continue;
        bool is_dir = S_ISDIR(st.st_mode);
        char *path = gp_path_join(dir, e->d_name);
        if (path == NULL)
            break;
        int fd = -1;
        if (mode == SWEEP_OWN && pid == (long)getpid()) {
            remove_staging(path, is_dir);
            removed++;
        } else if (mode == SWEEP_STALE && pid != (long)getpid() && !process_alive(pid) && !in_use(path, is_dir, &fd)) {
            remove_staging(path, is_dir);
            removed++;
            if (report != NULL)
                gp_report_add(report, GP_WARNING, "stale-staging", path, 0, NULL,
                              _("left by a gradprint run that was killed before it finished (process %ld); "
                                "removed, as it may hold personal data"),
                              pid);
        }
        if (fd >= 0)
            close(fd);
        free(path);
    }
    if (d != NULL)
        closedir(d);
    free(dir);
    free(base);
    return removed;
}

size_t gp_staging_sweep(const char *target, gp_report *report) { return sweep(target, SWEEP_STALE, report); }

size_t gp_staging_discard(const char *target) { return sweep(target, SWEEP_OWN, NULL); }
