/* The tests' DPOF 1.10 reader (tests/dpof-parse.c) reads whatever a test
 * hands it, our writer's files and broken ones alike: any input is read or
 * refused with a reason naming a line, and a file it reads holds jobs with
 * rising print ids and an image each. Never a crash. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../dpof-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dpof_order order;
    char why[200];
    bool ok = dpof_parse((const char *)data, size, &order, why, sizeof why);
    if (!ok && strncmp(why, "line ", 5) != 0)
        abort();
    if (ok) {
        if (order.njobs == 0 || strcmp(order.rev, "01.10") != 0)
            abort();
        for (size_t i = 0; i < order.njobs; i++)
            if (order.jobs[i].src[0] == '\0' || (i > 0 && order.jobs[i].pid <= order.jobs[i - 1].pid))
                abort();
    }
    dpof_free(&order);
    return 0;
}
