#define _XOPEN_SOURCE 700
#include "outdir-private.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
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

gp_status gp_outdir_begin(gp_outdir *od, const char *target, bool overwrite, gp_error **err)
{
    memset(od, 0, sizeof *od);
    int kind = target_kind(target);
    if (kind == 3 || (kind == 2 && !overwrite))
        return gp_error_set(err, GP_E_USAGE, target, 0, "%s",
                            kind == 2 ? _("holds an earlier gradprint output; pass --overwrite to replace it, "
                                          "or choose a new output directory")
                                      : _("already exists and is not empty; choose a new output directory"));
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    size_t len = strlen(target);
    while (len > 1 && target[len - 1] == '/')
        len--;
    gp_strbuf_append_len(&sb, target, len);
    od->target = gp_strbuf_steal(&sb);
    gp_strbuf_init(&sb);
    const char *slash = od->target ? strrchr(od->target, '/') : NULL;
    if (od->target != NULL) {
        if (slash != NULL)
            gp_strbuf_append_len(&sb, od->target, (size_t)(slash - od->target) + 1);
        gp_strbuf_appendf(&sb, ".%s.partial-XXXXXX", slash ? slash + 1 : od->target);
    }
    od->staging = gp_strbuf_steal(&sb);
    if (od->target == NULL || od->staging == NULL) {
        gp_outdir_abort(od);
        return gp_error_nomem(err);
    }
    if (slash != NULL && slash != od->target) {
        char *parent = strndup(od->target, (size_t)(slash - od->target));
        gp_status st = parent ? gp_mkdir_p(parent, err) : gp_error_nomem(err);
        free(parent);
        if (st != GP_OK) {
            gp_outdir_abort(od);
            return st;
        }
    }
    if (mkdtemp(od->staging) == NULL) {
        gp_status st = gp_error_set(err, GP_E_IO, od->target, 0, _("cannot create the output directory: %s"),
                                    strerror(errno));
        free(od->staging);
        od->staging = NULL;
        gp_outdir_abort(od);
        return st;
    }
    char *marker = gp_outdir_path(od, GP_OUTPUT_MARKER);
    gp_status st = marker ? gp_write_file_atomic_flags(marker, "gradprint\n", 10, GP_ATOMIC_NO_SYNC, err)
                          : gp_error_nomem(err);
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

char *gp_outdir_path(const gp_outdir *od, const char *relative) { return gp_path_join(od->staging, relative); }

/* The directory holding the target, where the final rename lands. */
static char *target_parent(const char *target)
{
    const char *slash = strrchr(target, '/');
    if (slash == NULL)
        return strdup(".");
    if (slash == target)
        return strdup("/");
    return strndup(target, (size_t)(slash - target));
}

gp_status gp_outdir_commit(gp_outdir *od, gp_error **err)
{
    /* Files in staging are written without an fsync each (GP_ATOMIC_NO_SYNC):
     * the tree is made durable here in one go, before its name appears, so
     * a crash leaves either no output or a whole one. */
    gp_status synced = gp_sync_tree(od->staging, err);
    if (synced != GP_OK)
        return synced;
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
    char *parent = target_parent(od->target);
    gp_status st = parent ? gp_sync_dir(parent, err) : gp_error_nomem(err);
    free(parent);
    if (st != GP_OK)
        return st;
    free(od->staging);
    od->staging = NULL;
    free(od->target);
    od->target = NULL;
    return GP_OK;
}

void gp_outdir_abort(gp_outdir *od)
{
    if (od->staging != NULL) {
        struct stat st;
        if (stat(od->staging, &st) == 0)
            gp_remove_tree(od->staging);
    }
    free(od->staging);
    free(od->target);
    memset(od, 0, sizeof *od);
}
