/* Photo-lab orders: what a minilab's front end takes as it is. A lab
 * profile (templates/labs/NAME.conf, or a file of the same form) says the
 * lab's resolution and papers, whether it reads a DPOF order file, what it
 * prints on the back of each print, and how an order folder is handed over
 * into a hot folder. The order itself has short ASCII names:
 *
 *   o2506201530/C001/00010000.JPG   the divider of class 001
 *   o2506201530/C001/00010001.JPG   its first student (class, position)
 *   o2506201530/MISC/AUTPRINT.MRK   DPOF 1.10, where the lab reads one
 *
 * and the manifest, the packing lists and the dividers map these names to
 * the Chinese class names and the students. */
#ifndef GP_SHEETS_LAB_PRIVATE_H
#define GP_SHEETS_LAB_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gradprint.h"

#define GP_LAB_MAX_PAPERS 8
#define GP_LAB_MAX_BACK_LINES 2
#define GP_LAB_MAX_BACK_WIDTH 80
/* A lab profile is a few lines; anything larger is not one. */
#define GP_LAB_PROFILE_MAX_BYTES (64 * 1024)

typedef enum gp_lab_back_print {
    GP_BACK_PRINT_NONE,     /* nothing, or whatever the lab prints by itself */
    GP_BACK_PRINT_FILENAME, /* the lab prints the start of each file name */
    GP_BACK_PRINT_DPOF      /* lines in the DPOF order file (PRT CVP1, CVP2) */
} gp_lab_back_print;

typedef struct gp_lab_paper {
    double w_mm, h_mm;
    bool inches; /* given in inches: pixels are inches x dpi exactly */
    double w_in, h_in;
} gp_lab_paper;

typedef struct gp_lab_profile {
    char name[32];
    char file[512]; /* where it came from, for messages */
    int dpi;
    gp_lab_paper papers[GP_LAB_MAX_PAPERS];
    int npapers;
    bool dpof;
    char vendor[40];      /* DPOF vendor region (VUQ VNM), "" for none */
    char vendor_attr[40]; /* its -ATR */
    gp_lab_back_print back_print;
    int back_lines, back_width;
    char staging_prefix[8], ready_prefix[8];
} gp_lab_profile;

/* Parses a profile's text; file names it in messages. GP_E_INVALID with
 * the line and what to write instead for anything wrong. */
gp_status gp_lab_profile_parse(const char *text, size_t size, const char *file, gp_lab_profile *out, gp_error **err);
/* A built-in profile by name (templates/labs/NAME.conf in the data
 * directory) or a profile file by path. */
gp_status gp_lab_profile_load(const gp_context *ctx, const char *name_or_path, gp_lab_profile *out,
                              gp_error **err);

/* The profile's paper a page of w x h mm prints on (either way up, within
 * 1 mm), or NULL. */
const gp_lab_paper *gp_lab_paper_for(const gp_lab_profile *lab, double w_mm, double h_mm);
/* A paper's pixels at dpi, the long side as the page's. */
void gp_lab_paper_pixels(const gp_lab_paper *paper, int dpi, bool portrait, int *w_px, int *h_px);

/* Checks an order name: 1 to 12 ASCII letters and digits. */
bool gp_lab_order_id_valid(const char *id);

/* The back-print lines of one print, fitted to the profile's width: the
 * class code and the student number (its last digits when the line is
 * short), then the position in the class and the order. student_no NULL
 * for a divider. lines[i] holds at most GP_LAB_MAX_BACK_WIDTH characters,
 * printable ASCII without '"'. Returns the number of lines. */
int gp_lab_back_print_lines(const gp_lab_profile *lab, const char *class_code, const char *student_no,
                            size_t position, size_t class_size, const char *order_id,
                            char lines[GP_LAB_MAX_BACK_LINES][GP_LAB_MAX_BACK_WIDTH + 1]);

#endif
