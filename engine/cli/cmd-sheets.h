/* Running the sheets job and reporting its result, shared with demo. */
#ifndef GP_CMD_SHEETS_H
#define GP_CMD_SHEETS_H

#include "cli.h"

int cli_sheets_run(gp_context *ctx, const gp_sheets_options *opts, bool json, bool quiet);

#endif
