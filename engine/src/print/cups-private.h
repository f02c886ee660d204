/* Printing through CUPS with the libcups 2.4 destination API.
 *
 * Every call talks to the CUPS server libcups is configured for
 * (CUPS_SERVER, ~/.cups/client.conf, else the local scheduler) over
 * CUPS_HTTP_DEFAULT, libcups' per-thread connection: each thread printing has
 * its own, and a cupsConnectDest() connection would make libcups 2.4.2 ask
 * the wrong host for the queue's capabilities.
 *
 * Job names are the idempotency key of a print run (journal the name, then
 * submit; after a crash look the name up with gp_cups_find_job) and they leave
 * the machine in the clear, in CUPS' job history and on printer front panels:
 * they must be opaque (run id + batch number) and are refused unless they
 * match ^[A-Za-z0-9._-]{1,64}$. Student names, ID numbers and certificate
 * numbers only ever travel inside the document. */
#ifndef GP_CUPS_PRIVATE_H
#define GP_CUPS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gradprint.h"
#include "queue-private.h"

/* What CUPS says about a job. */
typedef enum gp_cups_state {
    GP_CUPS_UNKNOWN = 0, /* CUPS does not know the job (any more) */
    GP_CUPS_PENDING,
    GP_CUPS_HELD,
    GP_CUPS_PROCESSING,
    GP_CUPS_STOPPED,     /* processing stopped, e.g. the queue was paused mid-job */
    GP_CUPS_CANCELED,
    GP_CUPS_ABORTED,
    GP_CUPS_COMPLETED
} gp_cups_state;

/* "localhost:631" or the socket path of the CUPS server libcups talks to,
 * for messages. */
void gp_cups_server_name(char *buf, size_t size);

/* "pending", "held", ..., "unknown": stable, for journals and messages. */
const char *gp_cups_state_name(gp_cups_state state);
/* completed, canceled, aborted and unknown: the job will not change again. */
bool gp_cups_state_is_final(gp_cups_state state);

/* Called once CUPS created the job, before its document is sent: a print
 * run journals the job id there. A failure cancels the job unsent. */
typedef gp_status (*gp_cups_created_fn)(void *user, int job_id, gp_error **err);

/* true when name may be used as a job name (see above). */
bool gp_cups_job_name_valid(const char *name);

/* Sends the PDF at pdf_path to queue as one job named job_name with exactly
 * the options given (gp_queue_plan_make decides them; PageSize must be
 * among them). The document name CUPS sees is job_name too, not the file's
 * name. created (may be NULL) runs between creating the job and sending the
 * document. *job_id is the job's id once it existed (also when sending then
 * failed: the job was cancelled). *refused is true when CUPS answered but
 * would not create the job at all (not accepting, options refused): the
 * batch never reached the printer. Errors (GP_E_IO unless said otherwise),
 * each saying what to do: no such queue, server unreachable, queue not
 * accepting jobs, job refused, document upload failed (the half-made job is
 * cancelled); GP_E_USAGE for a bad job name. */
gp_status gp_cups_submit(const char *queue, const char *pdf_path, const char *job_name, const gp_job_option *options,
                         size_t n_options, gp_cups_created_fn created, void *user, int *job_id, bool *refused,
                         gp_error **err);

/* The names of every job CUPS holds for queue (finished ones too, as far as
 * its history goes); the caller frees each and the array. */
gp_status gp_cups_job_names(const char *queue, char ***names, size_t *n, gp_error **err);

/* Cancels a job; one that already ended is fine. */
gp_status gp_cups_cancel(const char *queue, int job_id, gp_error **err);
/* How many documents CUPS holds for a job (-1 when it does not say): a job
 * created by a run killed before its upload has none. */
gp_status gp_cups_job_documents(const char *queue, int job_id, int *documents, gp_error **err);

/* The job's state now, and why (job-printer-state-message, else its
 * job-state-reasons; "" when none) in reason (may be NULL). A job CUPS no
 * longer knows is GP_CUPS_UNKNOWN with GP_OK; GP_E_IO when CUPS cannot be
 * asked. */
gp_status gp_cups_job_state(const char *queue, int job_id, gp_cups_state *state, char *reason, size_t reason_size,
                            gp_error **err);

/* Looks job_name up among all of queue's jobs, finished ones included (as
 * long as CUPS keeps their history: MaxJobs, 500 by default). Not found:
 * GP_OK with *job_id 0 and *state GP_CUPS_UNKNOWN. When several jobs carry
 * the name, a completed one wins (its records were printed), then one still
 * in progress, then a canceled or aborted one; among equals the newest.
 * CUPS shows job names only to their owner unless the queue's policy says
 * otherwise, so look jobs up as the user who submitted them. */
gp_status gp_cups_find_job(const char *queue, const char *job_name, int *job_id, gp_cups_state *state,
                           gp_error **err);

typedef struct gp_cups_wait_result {
    gp_cups_state state; /* the job's last state */
    bool finished;       /* state is final */
    bool queue_paused;   /* the queue is stopped (cupsdisable, or a printer error) with the job
                            still waiting in it: tell the operator, then wait again */
    char reason[256];    /* the job's, or when paused the queue's, state message; may be "" */
} gp_cups_wait_result;

/* Polls the job every 150 ms until it ends (finished), its queue is seen
 * paused twice in a row (queue_paused), or timeout_s passes (neither).
 * A paused queue keeps the job; calling again goes on waiting. The CUPS
 * server going away for up to 10 s (a restart) is ridden out; longer is
 * GP_E_IO. */
gp_status gp_cups_wait(const char *queue, int job_id, double timeout_s, gp_cups_wait_result *result,
                       gp_error **err);

#endif
