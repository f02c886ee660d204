/* A progress bar for long runs, drawn on stderr only when it is a terminal,
 * so logs and pipes get clean, parseable output. */
#include <time.h>
#include <unistd.h>

#include "cli.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(cli_progress *p, bool quiet)
{
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->started = now_seconds();
    p->phase = 0;
}

void cli_progress_update(void *user, gp_phase phase, size_t done, size_t total)
{
    cli_progress *p = user;
    if (!p->enabled || total == 0)
        return;
    if (phase != p->phase) {
        if (p->phase != 0)
            fputc('\n', stderr);
        p->phase = phase;
        p->started = now_seconds();
    }
    enum { WIDTH = 30 };
    int filled = (int)(WIDTH * done / total);
    double elapsed = now_seconds() - p->started;
    fprintf(stderr, "\r%-10s [", phase == GP_PHASE_PREFLIGHT ? _("checking") : _("rendering"));
    for (int i = 0; i < WIDTH; i++)
        fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %zu/%zu", done, total);
    /* A rate over a few milliseconds (a phase that ends as it begins)
     * means nothing: it read 373831757/s. */
    if (elapsed >= 0.5 && done > 0) {
        double rate = (double)done / elapsed;
        double eta = (double)(total - done) / rate;
        fprintf(stderr, "  %.0f/s  %s %d:%02d ", rate, _("left"), (int)eta / 60, (int)eta % 60);
    } else {
        fputs("                    ", stderr);
    }
    fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
    if (p->enabled && p->phase != 0)
        fputc('\n', stderr);
    p->phase = 0;
}
