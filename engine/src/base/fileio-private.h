/* File helpers shared by every module: bounded reads, and writes that either
 * land whole under their final name or not at all. Everything the engine
 * writes holds personal data, so files are created 0600 and directories 0700. */
#ifndef GP_FILEIO_PRIVATE_H
#define GP_FILEIO_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "gradprint.h"

#define GP_FILE_MODE 0600
#define GP_DIR_MODE 0700

/* Reads a whole file into a NUL-terminated buffer (the NUL is not counted in
 * *size). Files larger than max_size are refused with GP_E_INVALID. */
gp_status gp_read_file(const char *path, size_t max_size, unsigned char **data, size_t *size, gp_error **err);

/* Creates path and its missing parents with GP_DIR_MODE. */
gp_status gp_mkdir_p(const char *path, gp_error **err);

/* Staging beside an output NAME, in the same directory so that one rename
 * puts it in place: ".NAME.partial-PID-XXXXXX" directories (jobs/outdir.c)
 * and ".NAME.tmp-PID-XXXXXX" files (gp_atomic_open). The PID lets an
 * interrupted process find its own; a flock its writer holds tells a live
 * run's staging from a dead one's, which a later run removes. */
#define GP_STAGING_DIR "partial"
#define GP_STAGING_FILE "tmp"
/* The mkdtemp/mkstemp template for target's staging of kind (malloc'd). */
char *gp_staging_template(const char *target, const char *kind);

/* An output file under construction: written to a hidden temporary file in the
 * target's directory, renamed over the target by gp_atomic_commit. */
typedef struct gp_atomic_file {
    FILE *fp;
    char *path;     /* the final name */
    char *tmp_path; /* where the bytes go until commit */
    bool no_sync;   /* GP_ATOMIC_NO_SYNC: commit skips the fsync */
} gp_atomic_file;

typedef enum gp_atomic_flags {
    GP_ATOMIC_DEFAULT = 0,
    /* For files inside a staging directory that is made durable as a whole
     * before it is renamed into place (gp_outdir_commit): an fsync per file
     * would cost milliseconds each and protect nothing. */
    GP_ATOMIC_NO_SYNC = 1 << 0,
} gp_atomic_flags;

gp_status gp_atomic_open(gp_atomic_file *af, const char *path, gp_error **err);
gp_status gp_atomic_open_flags(gp_atomic_file *af, const char *path, unsigned flags, gp_error **err);
/* Flushes, fsyncs (unless opened with GP_ATOMIC_NO_SYNC) and renames into
 * place. Closes the file either way. */
gp_status gp_atomic_commit(gp_atomic_file *af, gp_error **err);
/* Removes the temporary file; safe to call after commit or on a zeroed struct. */
void gp_atomic_abort(gp_atomic_file *af);
/* Writes a whole buffer to path atomically. */
gp_status gp_write_file_atomic(const char *path, const void *data, size_t size, gp_error **err);
gp_status gp_write_file_atomic_flags(const char *path, const void *data, size_t size, unsigned flags,
                                     gp_error **err);

/* Makes everything written so far under dir durable: the data of every file
 * on dir's file system (syncfs), then dir itself, so the names are too. */
gp_status gp_sync_tree(const char *dir, gp_error **err);
/* fsync of a directory, so renames and new entries in it survive a crash. */
gp_status gp_sync_dir(const char *dir, gp_error **err);

/* Joins two path parts with one '/'. Returns NULL on allocation failure. */
char *gp_path_join(const char *dir, const char *name);

#endif
