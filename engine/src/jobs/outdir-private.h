/* A job's output appears whole or not at all: everything is written into
 * hidden staging beside the target and renamed into place at the end. A
 * failed or interrupted run leaves the target untouched; what a killed run
 * leaves in staging, the next run on the same target removes. */
#ifndef GP_OUTDIR_PRIVATE_H
#define GP_OUTDIR_PRIVATE_H

#include <stdbool.h>

#include "gradprint.h"

/* Marks a directory as gradprint output, so --overwrite may replace it. */
#define GP_OUTPUT_MARKER ".gradprint-output"

typedef struct gp_outdir {
    char *target;  /* where the output will be */
    char *staging; /* where it is written meanwhile */
    char *file;    /* one-file output: the staged file inside staging; NULL for a directory */
    bool locked;   /* lock_fd holds a flock on staging while this run lives */
    int lock_fd;
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
/* Staging for one output file: written as od->file (inside a staging
 * directory beside target) and renamed over target by gp_outdir_commit. */
gp_status gp_outfile_begin(gp_outdir *od, const char *target, gp_error **err);
/* A path inside the staging directory (malloc'd). */
char *gp_outdir_path(const gp_outdir *od, const char *relative);
/* Renames staging to target (replacing an earlier output when allowed). */
gp_status gp_outdir_commit(gp_outdir *od, gp_error **err);
/* Removes the staging directory and everything in it; safe on a zeroed
 * struct and after commit. */
void gp_outdir_abort(gp_outdir *od);

/* Removes the staging that dead runs left beside target (may be NULL):
 * entries whose lock nobody holds and whose process is gone, each with a
 * "stale-staging" warning in report (may be NULL). Returns how many. */
size_t gp_staging_sweep(const char *target, gp_report *report);

/* rm -rf for directories the engine made; never follows symbolic links. */
void gp_remove_tree(const char *path);

#endif
