/* syncfs is a GNU extension. */
#define _GNU_SOURCE
#include "fileio-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error-private.h"
#include "i18n-private.h"
#include "strbuf-private.h"

gp_status gp_read_file(const char *path, size_t max_size, unsigned char **data, size_t *size, gp_error **err)
{
    *data = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return gp_error_set(err, GP_E_IO, path, 0, _("cannot open: %s"), strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return gp_error_set(err, GP_E_IO, path, 0, "%s", _("not a regular file"));
    }
    if ((unsigned long long)st.st_size > max_size) {
        close(fd);
        return gp_error_set(err, GP_E_INVALID, path, 0, _("file is %lld bytes, more than the %zu this input may have"),
                            (long long)st.st_size, max_size);
    }
    size_t want = (size_t)st.st_size;
    unsigned char *buf = malloc(want + 1);
    if (buf == NULL) {
        close(fd);
        return gp_error_nomem(err);
    }
    size_t got = 0;
    while (got < want) {
        ssize_t n = read(fd, buf + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int saved = errno;
            free(buf);
            close(fd);
            return gp_error_set(err, GP_E_IO, path, 0, _("read failed: %s"), n < 0 ? strerror(saved) : _("file shrank while reading"));
        }
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    *data = buf;
    *size = got;
    return GP_OK;
}

gp_status gp_mkdir_p(const char *path, gp_error **err)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return gp_error_nomem(err);
    for (char *p = copy + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(copy, GP_DIR_MODE) != 0 && errno != EEXIST) {
            gp_status st = gp_error_set(err, GP_E_IO, copy, 0, _("cannot create directory: %s"), strerror(errno));
            free(copy);
            return st;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    free(copy);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return gp_error_set(err, GP_E_IO, path, 0, "%s", _("exists but is not a directory"));
    return GP_OK;
}

char *gp_path_join(const char *dir, const char *name)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_append(&sb, dir);
    if (sb.len > 0 && sb.data[sb.len - 1] != '/')
        gp_strbuf_append_char(&sb, '/');
    gp_strbuf_append(&sb, name);
    return gp_strbuf_steal(&sb);
}

gp_status gp_atomic_open(gp_atomic_file *af, const char *path, gp_error **err)
{
    return gp_atomic_open_flags(af, path, GP_ATOMIC_DEFAULT, err);
}

char *gp_staging_template(const char *target, const char *kind)
{
    size_t len = strlen(target);
    while (len > 1 && target[len - 1] == '/')
        len--;
    const char *slash = memrchr(target, '/', len);
    size_t dir = slash != NULL ? (size_t)(slash - target) + 1 : 0;
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    gp_strbuf_append_len(&sb, target, dir);
    gp_strbuf_append_char(&sb, '.');
    gp_strbuf_append_len(&sb, target + dir, len - dir);
    gp_strbuf_appendf(&sb, ".%s-%ld-XXXXXX", kind, (long)getpid());
    return gp_strbuf_steal(&sb);
}

gp_status gp_atomic_open_flags(gp_atomic_file *af, const char *path, unsigned flags, gp_error **err)
{
    memset(af, 0, sizeof *af);
    af->tmp_path = gp_staging_template(path, GP_STAGING_FILE);
    af->path = strdup(path);
    if (af->tmp_path == NULL || af->path == NULL) {
        gp_atomic_abort(af);
        return gp_error_nomem(err);
    }
    /* mkstemp creates the file 0600, which is what personal data needs. */
    int fd = mkstemp(af->tmp_path);
    if (fd < 0) {
        gp_status st = gp_error_set(err, GP_E_IO, path, 0, _("cannot create file: %s"), strerror(errno));
        free(af->tmp_path);
        af->tmp_path = NULL;
        gp_atomic_abort(af);
        return st;
    }
    /* Held until the file has its final name: a later run tells this
     * live file from one a killed run left (jobs/outdir.c). */
    flock(fd, LOCK_EX | LOCK_NB);
    af->fp = fdopen(fd, "wb");
    if (af->fp == NULL) {
        close(fd);
        gp_atomic_abort(af);
        return gp_error_nomem(err);
    }
    af->no_sync = (flags & GP_ATOMIC_NO_SYNC) != 0;
    return GP_OK;
}

gp_status gp_atomic_commit(gp_atomic_file *af, gp_error **err)
{
    gp_status st = GP_OK;
    if (fflush(af->fp) != 0 || ferror(af->fp) || (!af->no_sync && fsync(fileno(af->fp)) != 0))
        st = gp_error_set(err, GP_E_IO, af->path, 0, _("write failed: %s"), strerror(errno));
    /* Starts the write-back now without waiting for it, so the one sync at
     * the end (gp_sync_tree) finds little left to do; its errors surface
     * there. */
    if (st == GP_OK && af->no_sync)
        sync_file_range(fileno(af->fp), 0, 0, SYNC_FILE_RANGE_WRITE);
    /* Renamed while still open, so the lock lasts until the name is final. */
    if (st == GP_OK && rename(af->tmp_path, af->path) != 0)
        st = gp_error_set(err, GP_E_IO, af->path, 0, _("cannot move the finished file into place: %s"), strerror(errno));
    bool renamed = st == GP_OK;
    if (fclose(af->fp) != 0 && st == GP_OK) {
        st = gp_error_set(err, GP_E_IO, af->path, 0, _("write failed: %s"), strerror(errno));
        unlink(af->path); /* all or nothing */
    }
    af->fp = NULL;
    if (renamed) {
        free(af->tmp_path);
        af->tmp_path = NULL;
    }
    gp_atomic_abort(af);
    return st;
}

void gp_atomic_abort(gp_atomic_file *af)
{
    if (af->fp != NULL)
        fclose(af->fp);
    if (af->tmp_path != NULL)
        unlink(af->tmp_path);
    free(af->tmp_path);
    free(af->path);
    memset(af, 0, sizeof *af);
}

gp_status gp_write_file_atomic(const char *path, const void *data, size_t size, gp_error **err)
{
    return gp_write_file_atomic_flags(path, data, size, GP_ATOMIC_DEFAULT, err);
}

gp_status gp_write_file_atomic_flags(const char *path, const void *data, size_t size, unsigned flags,
                                     gp_error **err)
{
    gp_atomic_file af;
    gp_status st = gp_atomic_open_flags(&af, path, flags, err);
    if (st != GP_OK)
        return st;
    if (size > 0 && fwrite(data, 1, size, af.fp) != size) {
        st = gp_error_set(err, GP_E_IO, path, 0, _("write failed: %s"), strerror(errno));
        gp_atomic_abort(&af);
        return st;
    }
    return gp_atomic_commit(&af, err);
}

gp_status gp_sync_dir(const char *dir, gp_error **err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return gp_error_set(err, GP_E_IO, dir, 0, _("cannot open the directory to make it durable: %s"),
                            strerror(errno));
    gp_status st = GP_OK;
    if (fsync(fd) != 0)
        st = gp_error_set(err, GP_E_IO, dir, 0, _("cannot make the directory durable (fsync): %s; check the disk"),
                          strerror(errno));
    close(fd);
    return st;
}

gp_status gp_sync_tree(const char *dir, gp_error **err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return gp_error_set(err, GP_E_IO, dir, 0, _("cannot open the directory to make it durable: %s"),
                            strerror(errno));
    /* One syncfs writes back every file and directory of the tree in one
     * go, far cheaper than an fsync per file. Since Linux 5.8 it also
     * reports write-back errors on the file system that nobody has seen yet,
     * which covers pages written back early; the directory's own fsync is
     * nearly free after it and keeps older kernels honest about the names. */
    gp_status st = GP_OK;
    if (syncfs(fd) != 0 || fsync(fd) != 0)
        st = gp_error_set(err, GP_E_IO, dir, 0, _("cannot make the output durable: %s; check the disk and retry"),
                          strerror(errno));
    close(fd);
    return st;
}
