/* Ctrl-C, SIGTERM and SIGHUP during a run. A job writes into hidden
 * staging beside its output, full of names and ID numbers, and renames it
 * into place only when everything is written; killed midway it would leave
 * that staging behind. So the signals are blocked in every thread and taken
 * by one thread of ours (sigwait): there, in normal thread context rather
 * than in a signal handler, the staging of every protected output is
 * removed, and then the process dies of the signal as it would have, so
 * the shell still sees an interrupted command (exit status 128 + signal).
 *
 * A SIGKILL cannot be caught: the next run removes what it left (the
 * library does, and says so). */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_TARGETS 32

static struct {
    pthread_mutex_t lock;
    char *targets[MAX_TARGETS];
    size_t count;
    bool started;
    sigset_t signals;
} guard = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void *take_signals(void *arg)
{
    (void)arg;
    int sig = 0;
    while (sigwait(&guard.signals, &sig) != 0)
        ;
    pthread_mutex_lock(&guard.lock);
    size_t removed = 0;
    for (size_t i = 0; i < guard.count; i++)
        removed += gp_staging_discard(guard.targets[i]);
    /* Stays locked while the process goes: nothing is added, and
     * cli_interrupt_settle holds the main thread, whose job fails as its
     * staging vanishes, from reporting that failure and exiting first. */
    if (removed > 0)
        fprintf(stderr, _("\ngradprint: interrupted; the unfinished output was removed, nothing was written\n"));
    else
        fprintf(stderr, _("\ngradprint: interrupted\n"));
    fflush(stderr);
    signal(sig, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, sig);
    pthread_sigmask(SIG_UNBLOCK, &only, NULL);
    raise(sig);
    _exit(128 + sig); /* not reached: the default action ends the process */
}

void cli_interrupt_init(void)
{
    if (guard.started)
        return;
    sigemptyset(&guard.signals);
    static const int taken[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++) {
        /* A signal the caller ignores stays ignored (nohup, or SIGINT for a
         * job started in the background by a script). */
        struct sigaction old;
        if (sigaction(taken[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaddset(&guard.signals, taken[i]);
    }
    /* Threads inherit the mask: every thread started from here on, the
     * library's workers included, leaves these signals to take_signals. */
    pthread_sigmask(SIG_BLOCK, &guard.signals, NULL);
    pthread_t thread;
    if (pthread_create(&thread, NULL, take_signals, NULL) != 0) {
        pthread_sigmask(SIG_UNBLOCK, &guard.signals, NULL);
        return;
    }
    pthread_detach(thread);
    guard.started = true;
}

void cli_interrupt_settle(void)
{
    if (!guard.started)
        return;
    pthread_mutex_lock(&guard.lock);
    pthread_mutex_unlock(&guard.lock);
}

void cli_interrupt_protect(const char *target)
{
    if (target == NULL)
        return;
    pthread_mutex_lock(&guard.lock);
    if (guard.count < MAX_TARGETS) {
        char *copy = strdup(target);
        if (copy != NULL)
            guard.targets[guard.count++] = copy;
    }
    pthread_mutex_unlock(&guard.lock);
}
