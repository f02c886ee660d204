/* Two things a JPEG's header implies without saying outright: the quality
 * factor it was written with, and its resolution. */
#include <limits.h>
#include <stdlib.h>

#include "photo-check-private.h"

/* The example tables of the JPEG standard (ITU T.81 Annex K), which libjpeg
 * scales by quality, in the zigzag order DQT stores them in. */
static const unsigned char std_luminance[64] = {
    16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49,
    35, 37, 29, 40, 58, 51, 61, 60, 57, 51, 56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56,
    80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99};
static const unsigned char std_chrominance[64] = {
    17, 18, 18, 24, 21, 24, 47, 26, 26, 47, 99, 66, 56, 66, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};

/* libjpeg's jpeg_quality_scaling and jpeg_add_quant_table, baseline-limited. */
static long scaled(unsigned basic, int quality)
{
    long scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
    long v = ((long)basic * scale + 50) / 100;
    return v < 1 ? 1 : v > 255 ? 255 : v;
}

int gp_jpeg_estimate_quality(const gp_jpeg_markers *m)
{
    if (!m->has_qtable[0])
        return 0;
    int best = 0;
    long best_error = LONG_MAX;
    /* From the top, so a tie (tables saturate near 100) goes to the higher quality. */
    for (int q = 100; q >= 1; q--) {
        long error = 0;
        for (int i = 0; i < 64; i++) {
            error += labs((long)m->qtable[0][i] - scaled(std_luminance[i], q));
            if (m->has_qtable[1])
                error += labs((long)m->qtable[1][i] - scaled(std_chrominance[i], q));
        }
        if (error < best_error) {
            best_error = error;
            best = q;
        }
    }
    return best;
}

bool gp_jpeg_density(const gp_jpeg_markers *m, double *x_dpi, double *y_dpi)
{
    if (m->has_jfif && m->jfif_units != GP_JFIF_ASPECT && m->jfif_x_density > 0 && m->jfif_y_density > 0) {
        double factor = m->jfif_units == GP_JFIF_DPCM ? 2.54 : 1.0;
        *x_dpi = m->jfif_x_density * factor;
        *y_dpi = m->jfif_y_density * factor;
        return true;
    }
    if (m->has_exif && m->exif.x_resolution > 0.0 && m->exif.y_resolution > 0.0) {
        /* TIFF's default unit is the inch. */
        double factor = m->exif.resolution_unit == 3 ? 2.54 : 1.0;
        *x_dpi = m->exif.x_resolution * factor;
        *y_dpi = m->exif.y_resolution * factor;
        return true;
    }
    *x_dpi = *y_dpi = 0.0;
    return false;
}
