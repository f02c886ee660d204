/* Lengths: templates are in millimetres, rasters in pixels. */
#ifndef GP_UNITS_PRIVATE_H
#define GP_UNITS_PRIVATE_H

/* Pixels for a length at a resolution, the one rounding rule every raster
 * size and position uses. */
static inline int gp_mm_to_px(double mm, double dpi)
{
    double px = mm / 25.4 * dpi;
    return (int)(px + 0.5);
}

#endif
