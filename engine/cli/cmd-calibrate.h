/* gradprint calibrate: the alignment page (cmd-calibrate.c) and, with
 * --scan, the printer profile measured from a scan of it printed on a
 * blank (cmd-calibrate-scan.c). */
#ifndef GP_CMD_CALIBRATE_H
#define GP_CMD_CALIBRATE_H

#include <stdbool.h>

#include "gradprint.h"

/* opts' paths are checked for presence here; printed_with is the page's
 * profile (--profile, --offset). */
int cmd_calibrate_scan(const gp_calibration_scan_options *opts, bool overwrite, bool json);

#endif
