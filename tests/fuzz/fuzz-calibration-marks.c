/* What calibration from a scan does with a scan's pixels, on arbitrary
 * pixels: the registration against a reference (OpenCV through
 * scan/scan-register.cpp, warping included), the search for magenta rings
 * around expected places (flood fills near the image's edges, rings of any
 * size) and the least-squares fit of whatever was found. The scan's bytes
 * are decoded by the photo module's decoder, fuzzed by fuzz-photo-check.
 *
 * Input: two bytes width and height (16..143 pixels), then RGB pixels
 * (repeated to fill the image), the first half of them also the reference. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/calibration-scan-private.h"
#include "scan/scan-register-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PX_PER_MM 4.0

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    int w = 16 + data[0] % 128, h = 16 + data[1] % 128;
    data += 2;
    size -= 2;
    size_t bytes = (size_t)w * h * 3;
    unsigned char *pixels = malloc(bytes);
    if (pixels == NULL)
        return 0;
    for (size_t i = 0; i < bytes; i++)
        pixels[i] = data[i % size];
    gp_scan_image img = {pixels, w, h, w * 3};

    /* Targets over the image and beyond its edges. */
    gp_calibration_target targets[12];
    size_t n = 0;
    for (int ty = 0; ty < 3; ty++)
        for (int tx = 0; tx < 4; tx++)
            targets[n++] = (gp_calibration_target){(tx - 0.5) * w / (3 * PX_PER_MM),
                                                   (ty - 0.5) * h / (2 * PX_PER_MM), NULL};
    gp_mark_found found[12];
    if (gp_calibration_find_marks(&img, PX_PER_MM, targets, n, found)) {
        double tx[12], ty[12], mx[12], my[12];
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (!found[i].found)
                continue;
            if (!(found[i].x_mm >= -1 && found[i].x_mm <= w / PX_PER_MM + 1))
                abort(); /* a centroid outside the pixels it came from */
            tx[k] = targets[i].x_mm;
            ty[k] = targets[i].y_mm;
            mx[k] = found[i].x_mm;
            my[k++] = found[i].y_mm;
        }
        gp_calibration_fit fit;
        double rx[12], ry[12];
        if (gp_calibration_fit_marks(tx, ty, mx, my, k, &fit, rx, ry) && !isfinite(fit.rms_after_mm))
            abort();
    }

    gp_scan_view scan = {pixels, w, h, w * 3};
    gp_scan_view ref = {pixels, w, h / 2 > 8 ? h / 2 : h, w * 3};
    gp_scan_registration reg;
    if (gp_scan_register(&ref, &scan, 8, &reg) == GP_SCAN_REGISTERED) {
        unsigned char *out = malloc((size_t)ref.width * ref.height * 3);
        if (out != NULL)
            gp_scan_warp(&scan, reg.h, out, ref.width, ref.height, ref.width * 3);
        free(out);
    }
    free(pixels);
    return 0;
}
