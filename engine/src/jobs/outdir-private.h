/* A job's output directory appears whole or not at all: everything is
 * written into a hidden staging directory beside the target and renamed into
 * place at the end. A failed or interrupted run leaves the target untouched. */
#ifndef GP_OUTDIR_PRIVATE_H
#define GP_OUTDIR_PRIVATE_H

#include <stdbool.h>

#include "gradprint.h"

/* Marks a directory as gradprint output, so --overwrite may replace it. */
#define GP_OUTPUT_MARKER ".gradprint-output"

typedef struct gp_outdir {
    char *target;  /* where the output will be */
    char *staging; /* where it is written meanwhile */
} gp_outdir;

/* Checks the target (must not exist, be empty, or — with overwrite — be an
 * earlier gradprint output) and creates the staging directory. */
gp_status gp_outdir_begin(gp_outdir *od, const char *target, bool overwrite, gp_error **err);
/* For a hand-over into a photo lab's hot folder: target (which must not
 * exist) is staged under staging_name in the same folder ("p0042" for
 * "o0042"), a name the lab's software ignores, and renamed by
 * gp_outdir_commit once whole. The staging directory is made with mkdir,
 * so one left by a stopped run is reported rather than reused, and holds
 * no marker file: the lab reads every file of the order. */
gp_status gp_outdir_begin_named(gp_outdir *od, const char *target, const char *staging_name, gp_error **err);
/* A path inside the staging directory (malloc'd). */
char *gp_outdir_path(const gp_outdir *od, const char *relative);
/* Renames staging to target (replacing an earlier output when allowed). */
gp_status gp_outdir_commit(gp_outdir *od, gp_error **err);
/* Removes the staging directory and everything in it. */
void gp_outdir_abort(gp_outdir *od);

/* rm -rf for directories the engine made. */
void gp_remove_tree(const char *path);

#endif
