/* The whole 学信网 check and the preparing of an original, on arbitrary
 * bytes: decoding (JPEG and PNG), colour profiles, the face detector and
 * every measurement must refuse or measure, never crash or leak. The first
 * byte picks check or prepare. */
#include <stdint.h>
#include <stdlib.h>

#include "base/report-private.h"
#include "photo/photo-checker-private.h"
#include "photo/photo-prepare-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gp_preparer *preparer(void)
{
    static gp_preparer pp;
    if (pp.checker == NULL && gp_photo_checker_new(NULL, NULL, &pp.checker, NULL) != GP_OK)
        abort();
    return &pp;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    gp_preparer *pp = preparer();
    if (data[0] & 1) {
        gp_photo_check *c = NULL;
        if (gp_photo_check_memory(pp->checker, "500102199901010015.jpg", data + 1, size - 1, &c, NULL) == GP_OK) {
            const gp_photo_measurements *m = gp_photo_check_measurements(c);
            if (m->decoded && (m->background_delta_e < 0 || m->black_edge < 0))
                __builtin_trap();
            gp_photo_check_free(c);
        }
    } else {
        gp_report *findings = gp_report_new();
        gp_prepared_photo out;
        gp_error *err = NULL;
        if (gp_prepare_photo(pp, "fuzz.jpg", "50010219990101001X.jpg", data + 1, size - 1, findings, &out, &err))
            gp_prepared_photo_clear(&out);
        gp_error_free(err);
        gp_report_free(findings);
    }
    return 0;
}
