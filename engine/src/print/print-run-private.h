/* Print runs (gradprint print/status/reprint/void/report): the run
 * directory, its saved settings, and what the journal says beyond the
 * folded state (times, the last blank, the highest batch number).
 *
 * A run directory (mode 0700) holds:
 *   run.conf           the settings the run started with (below), 0600
 *   journal            the append-only journal (journal-private.h)
 *   <job name>.pdf     a batch's rendered pages until its job completed
 *                      (kept with --keep), 0600
 *
 * run.conf is "key=value" lines: run, total (records chosen after
 * preflight), roster, roster-sha256, encoding, sheet, photos, template,
 * template-sha256, records, skip-invalid, keep, batch, tray, first-blank,
 * and one "queue=NAME;OX;OY;SX;SY;FEED;FACE" line per queue. Paths are
 * absolute, so a run resumes from any working directory. A resume may
 * change the queues, the tray and the batch size (run.conf is rewritten,
 * the journal says run-changed); nothing else. */
#ifndef GP_PRINT_RUN_PRIVATE_H
#define GP_PRINT_RUN_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gradprint.h"
#include "journal-private.h"

#define GP_RUN_CONF "run.conf"
#define GP_RUN_JOURNAL "journal"
#define GP_RUN_LOCK ".lock"

/* The settings a run started with, owning its strings. */
typedef struct gp_run_conf {
    char *run_id;
    size_t total;
    char *roster, *encoding, *sheet, *photos, *template_path, *records, *tray, *first_blank;
    char **maps; /* the roster's --map COLUMN=KEY values, in order */
    size_t n_maps, cap_maps;
    char *map_file; /* --map-file, absolute, or NULL */
    char roster_sha256[65], template_sha256[65], map_file_sha256[65];
    bool skip_invalid, keep;
    int batch_size;
    gp_print_queue *queues; /* names owned */
    size_t n_queues, cap_queues;
} gp_run_conf;

/* Fills conf from opts (paths made absolute, files' size and mtime taken). */
gp_status gp_run_conf_from_options(gp_run_conf *conf, const gp_print_options *opts, const char *run_id,
                                   gp_error **err);
/* Replaces the run's queues (a resume on other printers). */
gp_status gp_run_conf_set_queues(gp_run_conf *conf, const gp_print_queue *queues, size_t n, gp_error **err);
gp_status gp_run_conf_write(const gp_run_conf *conf, const char *run_dir, gp_error **err);
gp_status gp_run_conf_read(gp_run_conf *conf, const char *run_dir, gp_error **err);
/* GP_E_INVALID when the roster or template is not the file the run started
 * with: their contents are compared (SHA-256), not their size or time. */
gp_status gp_run_conf_check_inputs(const gp_run_conf *conf, gp_error **err);
/* certs options pointing into conf. */
void gp_run_conf_certs_options(const gp_run_conf *conf, gp_certs_options *out);
void gp_run_conf_free(gp_run_conf *conf);

/* The serial of the next blank: the numeric suffix plus one, zero padding
 * and prefix kept ("A0001234" -> "A0001235", "0999" -> "1000"). false when
 * serial has no numeric suffix or out is too small. */
bool gp_serial_next(const char *serial, char *out, size_t size);
/* The prefix, digits only in the suffix, at most 64 characters. */
bool gp_serial_valid(const char *serial);

/* What the status and report need beyond gp_print_state, from one replay. */
typedef struct gp_run_scan {
    gp_print_state *state;
    char *started, *updated; /* times of the first and last event */
    long max_batch;          /* highest batch number any event named; 0 when none */
    char *last_serial;       /* the blank last assigned, or NULL */
    size_t blanks_assigned;  /* blank-assigned events */
    size_t blanks_released;  /* of those, given back by batches that never reached the printer */
    char **batch_times;      /* [i] for state->batches[i]: when it ended, or NULL */
    char **masked_ids;       /* [record]: the masked ID number, or NULL */
    size_t n_masked;
    long *void_rows;         /* [i] for state->voided[i]: the record on that blank + 1, or 0 */
    char **void_times;
    size_t n_batch_times, n_voids; /* lengths of the arrays above */
    struct gp_run_blank *blanks;   /* every blank assignment, in journal order */
    size_t n_blanks;
} gp_run_scan;

/* A blank as assigned to a record; why it was replaced when it was. */
typedef struct gp_run_blank {
    char *serial, *time;
    long record, batch;
    char *reprint_reason; /* the reprint request that replaced it, or NULL */
    bool released;        /* its batch never reached the printer: the blank went back to the stack */
} gp_run_blank;

/* Blank i was replaced: its record is on a later blank now, and it was not voided. */
bool gp_run_blank_replaced(const gp_run_scan *scan, size_t i);

gp_status gp_run_scan_load(const char *journal_path, gp_run_scan *scan, gp_error **err);
void gp_run_scan_free(gp_run_scan *scan);

/* The batch a record's latest rendering went into, or NULL. */
const gp_print_batch *gp_run_record_batch(const gp_print_state *state, const gp_print_record *r);

/* run_dir/name, or NULL without memory. */
char *gp_run_path(const char *run_dir, const char *name);

/* ------------------------------------------------------------------ */
/* A print run in progress (print-run.c, print-run-batch.c)            */

#include "jobs/certs-batch-private.h"
#include "queue-private.h"

/* A queue of the run with the plan its preflight made. */
typedef struct gp_run_queue {
    const gp_print_queue *queue; /* in the run's conf */
    gp_queue_plan plan;
    char loading[512];           /* the operator's loading instruction */
} gp_run_queue;

/* One batch this call sent, for the result. */
typedef struct gp_run_batch_done {
    long batch;
    char *queue, *first_serial, *last_serial, *media;
    const char *state; /* static: "completed", "failed", "refused", "waiting" */
    int job_id;
    size_t pages;
    bool turned;
} gp_run_batch_done;

typedef struct gp_run {
    gp_context *ctx;
    const gp_print_options *opts; /* the caller's: prompt, notice, keep, wait timeout */
    gp_print_result *res;
    char *dir;
    int dir_lock;         /* the run directory, flock'ed for this run; -1 before */
    bool made_dir;        /* this call created dir: remove it again if nothing was written */
    gp_run_conf conf;
    gp_certs_options certs; /* from conf */
    gp_certs_job *job;
    gp_run_queue *queues; /* one per conf queue */
    gp_journal *journal;
    gp_run_scan scan;
    bool keep;            /* the run's --keep, or this call's */
    long next_batch;
    char next_serial[80]; /* "" when blanks are not tracked */
} gp_run;

struct gp_print_result {
    gp_report *report;
    char *run_id;
    size_t selected, skipped, printed, remaining;
    bool stopped;
    char next_serial[80];
    gp_run_batch_done *batches;
    size_t n_batches, cap_batches;
};

/* Applies the event to the run's state, then appends it to the journal. */
gp_status gp_run_emit(gp_run *run, const gp_journal_event *ev, gp_error **err);
/* Tells the operator (opts->notice), printf-style. */
void gp_run_notice(const gp_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether the caller asked the run to stop (Ctrl-C); the error says how
 * to resume. */
bool gp_run_interrupted(const gp_run *run);
gp_status gp_run_interruption(const gp_run *run, gp_error **err);
/* Settles every batch whose outcome the journal does not know, by asking
 * CUPS for its job by name: completed, waited for, or failed (re-queued);
 * a job a killed run created but never sent its document to is cancelled. */
gp_status gp_run_resolve_open(gp_run *run, gp_error **err);
/* Renders, journals, submits and follows one batch of the job's selected
 * positions. *stopped when the operator said stop at the prompt. */
gp_status gp_run_batch(gp_run *run, const size_t *positions, size_t n, bool *stopped, gp_error **err);
/* Removes the PDFs of batches that are not open (personal data), unless --keep. */
void gp_run_remove_stale_pdfs(gp_run *run);
/* Refuses a journal that lost events: CUPS holding a job of this run with
 * a batch number beyond the journal's. */
gp_status gp_run_check_cups_history(const char *run_dir, const gp_run_conf *conf, const gp_run_scan *scan,
                                    gp_error **err);

#endif
