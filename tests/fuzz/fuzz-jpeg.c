/* Photo bytes from anywhere: header checks, EXIF parsing and decoding at
 * both scales must refuse bad input with an error, never crash or leak. */
#include <stddef.h>
#include <stdint.h>

#include "photo/photo-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gp_photo *photo = NULL;
    gp_error *err = NULL;
    if (gp_photo_from_memory("fuzz.jpg", data, size, &photo, &err) != GP_OK) {
        gp_error_free(err);
        return 0;
    }
    static const int scales[] = {1, 8};
    for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++) {
        cairo_surface_t *pixels = NULL;
        err = NULL;
        if (gp_photo_decode(photo, scales[i], &pixels, &err) == GP_OK) {
            /* Exercise the resampler on whatever decoded. */
            cairo_surface_t *slot = gp_photo_scale_to_slot(pixels, 25, 35);
            cairo_surface_destroy(slot);
            cairo_surface_destroy(pixels);
        } else {
            gp_error_free(err);
        }
    }
    gp_photo_free(photo);
    return 0;
}
