/* scan-sim: simulated scans for the CLI tests (tests/cli/calibrate-scan.sh).
 *
 *   scan-sim BLANK.pdf PAGE.pdf|- W_MM H_MM DX DY SCALE OUT.jpg
 *
 * prints PAGE.pdf (- for none) onto BLANK.pdf through a printer that moves
 * it by DX, DY mm and scales it by SCALE, and scans it on a flatbed at
 * 300 dpi, turned 0.3 degrees. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan-sim.h"

int main(int argc, char **argv)
{
    if (argc != 9) {
        fprintf(stderr, "usage: scan-sim BLANK.pdf PAGE.pdf|- W_MM H_MM DX DY SCALE OUT.jpg\n");
        return 1;
    }
    double w = atof(argv[3]), h = atof(argv[4]), scale = atof(argv[7]);
    scan_sim_printer printer = {atof(argv[5]), atof(argv[6]), scale, scale, 0};
    scan_sim_image sheet;
    const char *page = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
    if (!scan_sim_sheet(argv[1], page, w, h, 300, &printer, &sheet))
        return 1;
    bool ok = scan_sim_flatbed(&sheet, 300, w + 40, h + 40, 18, 14, 0.3, 3, 88, argv[8]);
    scan_sim_image_free(&sheet);
    return ok ? 0 : 1;
}
