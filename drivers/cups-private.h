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

#include "driver.h"
#include "gradprint.h"

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

/* "pending", "held", ..., "unknown": stable, for journals and messages. */
const char *gp_cups_state_name(gp_cups_state state);
/* completed, canceled, aborted and unknown: the job will not change again. */
bool gp_cups_state_is_final(gp_cups_state state);

typedef struct gp_cups_job_options {
    /* The document's page size, which is also the media size: sent as
     * PageSize=Custom.WxHmm (exact to 0.001 mm; media=Custom... would be
     * truncated to whole points). gp_cups_submit needs them; the driver
     * takes them from its pages. */
    double width_mm, height_mm;
    /* The tray as an IPP media-source keyword ("tray-1", "manual"), or NULL
     * for the queue's default. A tray the queue does not list is refused. */
    const char *media_source;
    /* Driver only: after submitting, wait up to this many seconds for the
     * job to end (0: return once CUPS has the document). */
    double wait_s;
    /* Driver only: keep the rendered PDF after its job completed. */
    bool keep_pdf;
} gp_cups_job_options;

/* true when name may be used as a job name (see above). */
bool gp_cups_job_name_valid(const char *name);

/* Sends the PDF at pdf_path to queue as one job named job_name: one copy,
 * one-sided, PageSize=Custom.WxHmm, print-scaling=none, fit-to-page=false,
 * and the tray when opts->media_source is set. The document name CUPS sees
 * is job_name too, not the file's name. On success *job_id is CUPS' job id.
 * Errors (GP_E_IO unless said otherwise), each saying what to do:
 * no such queue, server unreachable, queue not accepting jobs, job refused,
 * document upload failed (the half-made job is cancelled); GP_E_USAGE for a
 * bad job name, page size or tray. */
gp_status gp_cups_submit(const char *queue, const char *pdf_path, const char *job_name,
                         const gp_cups_job_options *opts, int *job_id, gp_error **err);

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

/* A driver that prints: pages go into run_dir/<job_name>.pdf (mode 0600,
 * written through gp_pdf_driver_new), every page the same size; finish
 * submits the document to queue with opts (its page size comes from the
 * pages), then, when opts->wait_s > 0, waits for the job. Only with a wait
 * that ends in completed is the PDF removed (unless opts->keep_pdf);
 * otherwise it stays for the caller, who knows when the job completed.
 * Journal the job name before finish: finish creates the job. */
gp_status gp_cups_driver_new(const char *queue, const char *run_dir, const char *job_name,
                             const gp_cups_job_options *opts, gp_driver **out, gp_error **err);
/* CUPS' job id after a successful finish, else 0. */
int gp_cups_driver_job_id(const gp_driver *drv);
/* The PDF's path. */
const char *gp_cups_driver_pdf_path(const gp_driver *drv);
/* How the wait in finish ended (all zero when finish did not wait). A job
 * that ended canceled or aborted makes finish fail with GP_E_IO too. */
const gp_cups_wait_result *gp_cups_driver_wait_result(const gp_driver *drv);

#endif
