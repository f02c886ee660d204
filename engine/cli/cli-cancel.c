/* Ctrl-C, SIGTERM and SIGHUP as a request to stop, for the commands whose
 * jobs stop by themselves at a safe point (the photos jobs between photos,
 * a print run between steps of its journal) rather than by dying of the
 * signal as cli-interrupt.c's commands do. One flag per process: the
 * handler only sets it (and, for print runs, says what happens next). */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static gp_cancel_flag stop_requested;

static void request_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* A second signal ends the process at once: the default action, restored
 * here because the handler is the only code that runs between the two. */
static void request_stop_or_abort(int sig)
{
    stop_requested = 1;
    static const char msg[] = "\ngradprint: stopping after the current step (Ctrl-C again to stop at once)\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    signal(sig, SIG_DFL);
}

gp_cancel_flag *cli_stop_on_signals(cli_stop_mode mode)
{
    static const int taken[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = mode == CLI_STOP_OR_ABORT ? request_stop_or_abort : request_stop;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a prompt's read returns at once to see the flag. */
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++) {
        struct sigaction old;
        /* A signal the caller ignores stays ignored (nohup, or SIGINT for a
         * job a script started in the background). */
        if (sigaction(taken[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(taken[i], &sa, NULL);
    }
    return &stop_requested;
}
