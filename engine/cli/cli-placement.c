/* --profile FILE and --offset DX,DY: where a printer puts marks, as every
 * command that draws or prints for one (certs, calibrate, print, printer
 * check) is told. One reading of the two, so "the profile, then the
 * offset on top" means the same everywhere. */
#include <stdlib.h>

#include "cli.h"

/* "DX,DY" in millimetres. */
static bool parse_offset(const char *s, double *dx, double *dy)
{
    char *end;
    *dx = strtod(s, &end);
    if (end == s || *end != ',')
        return false;
    const char *second = end + 1;
    *dy = strtod(second, &end);
    return end != second && *end == '\0';
}

int cli_placement_offset(const char *command, const char *arg, cli_placement *p)
{
    if (parse_offset(arg, &p->dx, &p->dy))
        return 0;
    return cli_usage_error(command, _("--offset takes DX,DY in millimetres, e.g. 0.8,-1.2, not '%s'"), arg);
}

int cli_placement_calibration(const char *command, const cli_placement *p, const char *profile, gp_calibration *out)
{
    const char *path = profile != NULL ? profile : p->profile;
    gp_calibration_init(out);
    gp_error *err = NULL;
    if (path != NULL && gp_calibration_load(path, out, &err) != GP_OK)
        return cli_fail(command, err);
    out->offset_x_mm += p->dx;
    out->offset_y_mm += p->dy;
    return 0;
}
