/* What gradprint reads from a JPEG's header itself, from arbitrary bytes:
 * markers, JFIF density, the EXIF IFD (orientation, resolution, GPS),
 * quantisation tables and quality, and an ICC profile reassembled from its
 * APP2 chunks and opened with lcms2. The bytes are also read as a bare
 * TIFF/EXIF block. */
#include <stdint.h>
#include <stdlib.h>

#include "photo/photo-check-private.h"
#include "photo/photo-icc-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gp_jpeg_markers m;
    gp_jpeg_scan_markers(data, size, &m);
    int q = gp_jpeg_estimate_quality(&m);
    if (q < 0 || q > 100)
        __builtin_trap();
    double x, y;
    (void)gp_jpeg_density(&m, &x, &y);
    size_t icc_size = 0;
    unsigned char *icc = gp_jpeg_icc_profile(data, size, &icc_size);
    if (icc != NULL) {
        gp_icc *p = gp_icc_open(icc, icc_size);
        if (p != NULL) {
            unsigned char px[6] = {0, 128, 255, 12, 200, 99};
            (void)gp_icc_is_srgb(p);
            gp_icc_to_srgb(p, px, 2);
            (void)gp_icc_description(p);
            gp_icc_free(p);
        }
        free(icc);
    }
    gp_exif exif;
    gp_exif_read(data, size, &exif);
    (void)gp_photo_sniff_format(data, size);
    return 0;
}
