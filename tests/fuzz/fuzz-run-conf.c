/* A run directory's run.conf read back on resume can be damaged or edited
 * by hand: every input must load or fail with a message, a loaded one must
 * write back and load again the same, and no blank serial may crash the
 * counter. Never a crash. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio-private.h"
#include "print/print-run-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *scratch(void)
{
    static char dir[] = "/tmp/fuzz-run-conf.XXXXXX";
    static bool made;
    if (!made && mkdtemp(dir) == NULL)
        abort();
    made = true;
    return dir;
}

static void serials(const uint8_t *data, size_t size)
{
    char s[80], next[80];
    size_t n = size < sizeof s - 1 ? size : sizeof s - 1;
    memcpy(s, data, n);
    s[n] = '\0';
    if (gp_serial_next(s, next, sizeof next) && (!gp_serial_valid(next) || strlen(next) < strlen(s)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    serials(data, size);
    const char *dir = scratch();
    char path[128];
    snprintf(path, sizeof path, "%s/" GP_RUN_CONF, dir);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    gp_run_conf conf;
    gp_error *err = NULL;
    gp_status st = gp_run_conf_read(&conf, dir, &err);
    if ((st == GP_OK) != (err == NULL) || (err != NULL && gp_error_message(err) == NULL))
        abort();
    gp_error_free(err);
    err = NULL;
    if (st == GP_OK && gp_run_conf_write(&conf, dir, &err) == GP_OK) {
        gp_run_conf again;
        if (gp_run_conf_read(&again, dir, &err) != GP_OK || again.n_queues != conf.n_queues || again.n_maps != conf.n_maps ||
            strcmp(again.run_id, conf.run_id) != 0 || again.batch_size != conf.batch_size)
            abort();
        gp_run_conf_free(&again);
    }
    gp_error_free(err);
    gp_run_conf_free(&conf);
    return 0;
}
