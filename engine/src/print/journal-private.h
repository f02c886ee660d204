/* The print journal: an append-only, fsync'd record of a print run in its
 * run directory, from which a run killed at any instant (kill -9, power
 * cut, CUPS restart) is resumed and `status` is answered.
 *
 * File format (UTF-8 text, one event per line, mode 0600):
 *
 *   SEQ TAB TIME TAB EVENT { TAB KEY=VALUE } TAB CRC LF
 *
 *   SEQ    line number, 1 for the first line, each line one more
 *   TIME   UTC when the event was written, 2026-05-01T08:00:00.123Z
 *   EVENT  run-started | run-changed | record-rendered | batch-intent |
 *          batch-submitted | batch-completed | batch-failed | blank-assigned |
 *          blank-voided | reprint-requested
 *   KEY    lower-case name; the keys of each event are listed at
 *          gp_journal_event; replay ignores keys it does not know
 *   VALUE  escaped: \\ \t \n \r, and \xHH for other control characters and
 *          bytes that are not UTF-8, so every line is valid UTF-8 text;
 *          record lists are comma-separated indices ("0,1,2")
 *   CRC    CRC-32 (IEEE 802.3, as zlib's crc32) of every byte of the line
 *          before it, tab included, as 8 lower-case hex digits
 *
 *   e.g. "3\t2026-05-01T08:00:02.518Z\tbatch-intent\tbatch=1\tjob=r20260501-0800-3fa2-b0001\t"
 *        "queue=office\trecords=0,1,2\t5b0e7c1d\n"
 *
 * Each append is one write() of one whole line followed by fdatasync(), and
 * returns only then: an event whose append returned is durable. A power cut
 * or kill during an append can leave the last line incomplete (or a run of
 * NUL bytes), never a line with its LF: replay ignores such a torn tail,
 * and opening the journal for appending cuts it off. Any line that ends in
 * LF but does not check out (checksum, sequence, syntax) was damaged after
 * it was written, the last one too: replay fails naming the line. Every
 * operator action is one event, so no crash can leave half of one.
 *
 * A journal cut short by something other than a crash (a copy, a restore,
 * a truncation) can look like one with a torn tail. CUPS knows the run's
 * jobs by name, so a resume checks that no job of the run is beyond what
 * the journal knows (print-run.c).
 *
 * ID numbers are never stored whole: an event's id_number is written masked
 * (gp_mask_id_number). Student numbers identify the records. */
#ifndef GP_JOURNAL_PRIVATE_H
#define GP_JOURNAL_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gradprint.h"

/* Journals larger than this are refused when read (about a million events). */
#define GP_JOURNAL_MAX_BYTES (256u * 1024u * 1024u)
/* Record indices are below this. */
#define GP_JOURNAL_MAX_RECORDS 10000000L

typedef enum gp_journal_kind {
    GP_JOURNAL_RUN_STARTED = 1,
    GP_JOURNAL_RECORD_RENDERED,
    GP_JOURNAL_BATCH_INTENT,
    GP_JOURNAL_BATCH_SUBMITTED,
    GP_JOURNAL_BATCH_COMPLETED,
    GP_JOURNAL_BATCH_FAILED,
    GP_JOURNAL_BLANK_ASSIGNED,
    GP_JOURNAL_BLANK_VOIDED,
    GP_JOURNAL_REPRINT_REQUESTED,
    GP_JOURNAL_RUN_CHANGED
} gp_journal_kind;

/* One event. Fields an event does not use are NULL / 0 / -1 and not
 * written. Required fields (R) must be set; optional ones (O) may be.
 *
 *   run-started        run (R) template (R) queues (R) options (O)
 *   run-changed        queues (R) options (O): a resume with another printer, tray or batch size
 *   record-rendered    record (R) student (R) batch (R) id (O) line (O: the roster line)
 *   batch-intent       batch (R) job (R) queue (R) records (R, at least one)
 *                      media (O: the page size sent) turned (O: the page went out turned)
 *   batch-submitted    batch (R) job-id (R)
 *   batch-completed    batch (R) job-id (O) state (O) reason (O)
 *   batch-failed       batch (R) job-id (O) state (R) reason (O)
 *                      unused (O: the printer never got the document, so its blanks are unused)
 *   blank-assigned     record (R) serial (R) batch (O)
 *   blank-voided       serial (R) reason (R) record (O: the record on it, printed again)
 *   reprint-requested  records (R, at least one) reason (R)
 *
 * The batch-intent line is the idempotency key of a batch: append it (it is
 * fsync'd) BEFORE creating the CUPS job named job_name; after a crash, a
 * batch with an intent but no outcome is looked up by that name among the
 * queue's jobs (gp_cups_find_job) before anything is printed again. So a
 * batch number, and with it the job name, is used once per run: records of
 * a failed batch are rendered again into a new batch. */
typedef struct gp_journal_event {
    gp_journal_kind kind;
    const char *run_id;        /* run= */
    const char *template_name; /* template= */
    const char *queues;        /* queues= : the queue(s) of the run, comma-separated */
    const char *options;       /* options= : the print options, as the operator gave them */
    long record;               /* record= : 0-based index in the roster; -1 when unused */
    const char *student_no;    /* student= */
    const char *id_number;     /* id= : stored masked; replay gives the masked form */
    long batch;                /* batch= : -1 when unused */
    const char *job_name;      /* job= : the opaque CUPS job name */
    const char *queue;         /* queue= */
    const long *records;       /* records= */
    size_t n_records;
    int job_id;                /* job-id= : CUPS' job id; 0 when unused */
    const char *state;         /* state= : CUPS' final job state, "not-found", "refused", ... */
    const char *reason;        /* reason= */
    const char *serial;        /* serial= : a blank's serial number */
    long line;                 /* line= : the record's roster line; 0 when unused */
    const char *media;         /* media= : the page size the job was sent with */
    bool turned;               /* turned=1 : the page went out turned a quarter */
    bool unused_blanks;        /* unused=1 : the batch never reached the printer */
    /* Set by replay: when the event was written. Ignored by append. */
    const char *time;
} gp_journal_event;

/* An event with every field unused. */
void gp_journal_event_init(gp_journal_event *ev, gp_journal_kind kind);
/* "run-started", ...; NULL for a kind that does not exist. */
const char *gp_journal_kind_name(gp_journal_kind kind);

/* "110101199003071234" → "110101********1234": the first 6 and last 4
 * characters; shorter or non-ASCII input becomes "********". out_size of
 * GP_MASKED_ID_SIZE is always enough. */
#define GP_MASKED_ID_SIZE 32
void gp_mask_id_number(const char *id, char *out, size_t out_size);

/* ------------------------------------------------------------------ */
/* Writing                                                             */

typedef struct gp_journal gp_journal;

/* Opens the journal for appending. With create, a missing file is made
 * (0600, O_APPEND, the directory fsync'd); without, a missing journal is
 * GP_E_IO ("not a run directory"). An existing journal is checked first:
 * damage before its last line is GP_E_INVALID naming the line, a torn last
 * line is cut off (and fsync'd). The journal is locked for this handle:
 * a second writer, e.g. a second `gradprint print` resuming the same run,
 * gets GP_E_IO. Readers (replay, status) need no lock. */
gp_status gp_journal_open(const char *path, bool create, gp_journal **out, gp_error **err);

/* Appends one event as one line, then fdatasync. GP_E_USAGE for an event
 * missing a required field or holding a bad value (nothing is written);
 * GP_E_IO when the write or the sync failed: the partial line is cut off
 * again, the journal stays replayable, and the caller must stop the run
 * (it can be resumed once the disk is fixed). After a failure that could
 * not be cleaned up, every later append fails. */
gp_status gp_journal_append(gp_journal *j, const gp_journal_event *ev, gp_error **err);

/* Events in the journal, including those there before it was opened. */
long gp_journal_events(const gp_journal *j);
const char *gp_journal_path(const gp_journal *j);
void gp_journal_close(gp_journal *j);

/* ------------------------------------------------------------------ */
/* Reading                                                             */

/* Called for each event in order; line is its line number. The event and
 * its strings live until the callback returns. A status other than GP_OK
 * stops the replay and is returned. */
typedef gp_status (*gp_journal_fn)(void *user, const gp_journal_event *ev, long line, gp_error **err);

/* Replays the journal at path. *torn_tail (may be NULL) tells whether a
 * torn last line was ignored. A missing or unreadable file is GP_E_IO,
 * damage before the last line GP_E_INVALID with gp_error_line() naming it. */
gp_status gp_journal_replay(const char *path, gp_journal_fn fn, void *user, bool *torn_tail, gp_error **err);

/* ------------------------------------------------------------------ */
/* The state of a run, folded from its events                          */

typedef enum gp_record_state {
    GP_RECORD_NONE = 0,  /* not rendered (or a reprint was requested) */
    GP_RECORD_RENDERED,  /* rendered into a batch not yet submitted */
    GP_RECORD_SUBMITTED, /* its batch's job was created in CUPS */
    GP_RECORD_COMPLETED, /* its batch's job completed */
    GP_RECORD_FAILED     /* its batch failed: to be printed again */
} gp_record_state;

typedef enum gp_batch_state {
    GP_BATCH_INTENT = 1, /* journalled, job maybe created: outcome unknown */
    GP_BATCH_SUBMITTED,  /* job created, outcome unknown */
    GP_BATCH_COMPLETED,
    GP_BATCH_FAILED
} gp_batch_state;

typedef struct gp_print_record {
    gp_record_state state;
    char *student_no;   /* NULL until first rendered */
    long batch;         /* the batch of its latest rendering, -1 before */
    int job_id;         /* that batch's job, 0 before it was submitted */
    char *blank_serial; /* the latest blank it was printed on, or NULL */
    char *prev_blank;   /* the one before, while its latest batch is open (a released batch restores it) */
    long line;          /* its roster line, 0 when the journal did not say */
    int printed;        /* completed jobs that held it */
    int reprints;       /* reprint requests */
} gp_print_record;

typedef struct gp_print_batch {
    long number;
    char *job_name, *queue;
    int job_id;         /* 0 until known */
    gp_batch_state state;
    char *cups_state;   /* as journalled by batch-completed / batch-failed, or NULL */
    char *reason;       /* or NULL */
    long *records;
    size_t n_records;
    long intent_line;   /* the journal line of its batch-intent */
    char *media;        /* the page size it was sent with, or NULL */
    bool turned;        /* its pages went out turned */
    bool unused;        /* it never reached the printer: its blanks went back to the stack */
} gp_print_batch;

typedef struct gp_print_void {
    char *serial, *reason;
    long record; /* the record printed again because of it, or -1 */
} gp_print_void;

typedef struct gp_print_state {
    char *run_id, *template_name, *queues, *options; /* from the latest run-started */
    gp_print_record *records; /* indexed by record index */
    size_t n_records;         /* highest index seen + 1 */
    gp_print_batch *batches;  /* in the order of their intents */
    size_t n_batches, cap_batches;
    gp_print_void *voided;    /* in the order voided */
    size_t n_voided, cap_voided;
    long events;
    bool torn_tail;           /* replay ignored a torn last line */
    void *serials;            /* private: every blank serial used or voided */
} gp_print_state;

gp_print_state *gp_print_state_new(void);
void gp_print_state_free(gp_print_state *state);

/* Replays the journal at path into a new state. */
gp_status gp_print_state_load(const char *path, gp_print_state **out, gp_error **err);

/* Applies one event, refusing those the run's history does not allow (with
 * GP_E_INVALID naming file and line; file may be NULL, line 0):
 * an event before run-started; a record rendered again while its batch's
 * outcome is unknown, or after it was printed without a reprint request,
 * or under another student number; a batch announced twice, or one whose
 * records were not rendered for it; a batch submitted, completed or failed
 * that was not announced or has already ended; a blank used twice or used
 * after it was voided; a reprint of a record whose batch's outcome is
 * unknown. A writer applies each event to its state before appending it,
 * so the journal never holds what replay would refuse. */
gp_status gp_print_state_apply(gp_print_state *state, const gp_journal_event *ev, const char *file, long line,
                               gp_error **err);

/* The record with that index, or NULL when the journal never mentioned it. */
const gp_print_record *gp_print_state_record(const gp_print_state *state, long index);
/* The batch with that number, or NULL. */
const gp_print_batch *gp_print_state_batch(const gp_print_state *state, long number);
/* Whether the blank was voided; whether it holds a record now (used and
 * not given back by a batch that never reached the printer). */
bool gp_print_state_blank_voided(const gp_print_state *state, const char *serial);
bool gp_print_state_blank_used(const gp_print_state *state, const char *serial);
/* Orders blank serials by their number (the longer number, then the
 * larger); *same_series (may be NULL) tells whether both have the same
 * prefix and width, as the serials of one run do. */
int gp_serial_compare(const char *a, const char *b, bool *same_series);
/* The highest serial a record holds now, or NULL: the next blank follows it. */
const char *gp_print_state_highest_blank(const gp_print_state *state);

/* ------------------------------------------------------------------ */
/* Names                                                               */

/* A new run id, unique across runs on one CUPS server: "r20260501-080000-3fa2c1"
 * (UTC time and 24 random bits). size >= GP_RUN_ID_SIZE. */
#define GP_RUN_ID_SIZE 32
gp_status gp_print_run_id_new(char *buf, size_t size, gp_error **err);

/* The opaque CUPS job name of a batch: "<run_id>-b<batch, 4+ digits>", e.g.
 * "r20260501-080000-3fa2c1-b0007". GP_E_USAGE when it would not be a valid
 * job name (gp_cups_job_name_valid's rule: 1-64 of A-Z a-z 0-9 . _ -). */
gp_status gp_print_job_name(const char *run_id, long batch, char *buf, size_t size, gp_error **err);

#endif
