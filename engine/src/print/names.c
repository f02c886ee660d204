/* Names a print run gives itself and its CUPS jobs: opaque, unique, and
 * safe to show anywhere, because job names leave the machine in the clear. */
#include "print/journal-private.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/i18n-private.h"

static unsigned long random_bits(void)
{
    unsigned char b[3] = {0, 0, 0};
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && read(fd, b, sizeof b) == (ssize_t)sizeof b;
    if (fd >= 0)
        close(fd);
    if (!ok) {
        /* Uniqueness only has to hold among runs on one CUPS server. */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long mix = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 7);
        return mix & 0xFFFFFFu;
    }
    return ((unsigned long)b[0] << 16) | ((unsigned long)b[1] << 8) | b[2];
}

gp_status gp_print_run_id_new(char *buf, size_t size, gp_error **err)
{
    if (size < GP_RUN_ID_SIZE)
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s", _("the buffer for a run id is too small"));
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[24];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(buf, size, "r%s-%06lx", stamp, random_bits());
    return GP_OK;
}

static bool name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
}

gp_status gp_print_job_name(const char *run_id, long batch, char *buf, size_t size, gp_error **err)
{
    if (size > 0)
        buf[0] = '\0';
    bool ok = run_id != NULL && run_id[0] != '\0' && batch >= 0;
    for (const char *p = run_id; ok && *p != '\0'; p++)
        ok = name_char(*p);
    char name[96];
    int n = ok ? snprintf(name, sizeof name, "%s-b%04ld", run_id, batch) : -1;
    if (n < 1 || n > 64)
        return gp_error_set(err, GP_E_USAGE, NULL, 0, "%s",
                            _("the run id cannot make a print job name: it must be letters, digits, . _ - and short "
                              "enough for a name of at most 64 characters"));
    if ((size_t)n >= size)
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s", _("the buffer for a job name is too small"));
    memcpy(buf, name, (size_t)n + 1);
    return GP_OK;
}
