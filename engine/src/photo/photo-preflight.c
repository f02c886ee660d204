/* Preflight of one student's photo: every reason a photo cannot go to the
 * lab becomes a finding with its own code, the student number and the path. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "photo-check-private.h"

/* How far from exactly 3:4 a photo may be and still count as 3:4. */
#define ASPECT_TOLERANCE 0.01

static const char *problem_code(gp_photo_problem problem)
{
    switch (problem) {
    case GP_PHOTO_NOT_JPEG: return "photo-not-jpeg";
    case GP_PHOTO_TOO_LARGE: return "photo-too-large";
    case GP_PHOTO_CMYK: return "photo-cmyk";
    case GP_PHOTO_ORIENTATION: return "photo-orientation";
    case GP_PHOTO_UNREADABLE: return "photo-unreadable";
    case GP_PHOTO_CORRUPT:
    case GP_PHOTO_FINE: break;
    }
    return "photo-corrupt";
}

/* The message of an error without the "path: " prefix gp_error_set puts in
 * front, since a finding carries the path in its own field. */
static const char *bare_message(const gp_error *e)
{
    const char *msg = gp_error_message(e);
    const char *file = gp_error_file(e);
    if (file != NULL && strncmp(msg, file, strlen(file)) == 0 && strncmp(msg + strlen(file), ": ", 2) == 0)
        return msg + strlen(file) + 2;
    return msg;
}

static bool add_error_finding(gp_report *report, const char *code, const char *path, const char *student_no,
                              gp_error *e)
{
    /* A photo that could not be read for want of memory is not a bad photo. */
    if (gp_error_status(e) == GP_E_NOMEM) {
        gp_report_note_nomem(report);
        gp_error_free(e);
        return false;
    }
    if (strcmp(code, "photo-unreadable") == 0)
        gp_report_add(report, GP_ERROR, code, path, 0, student_no, _("%s; make the photo a readable file"),
                      bare_message(e));
    else
        gp_report_add(report, GP_ERROR, code, path, 0, student_no, "%s", bare_message(e));
    gp_error_free(e);
    return false;
}

void gp_photo_standard_clear(gp_photo_standard *standard)
{
    gp_photo_checker_free(standard->checker);
    standard->checker = NULL;
    standard->failed = false;
}

/* Codes the loading checks above already cover, or that say nothing about
 * a photo found by its roster record. */
static bool covered_above(const char *code)
{
    static const char *const covered[] = {"name", "not-in-roster", "size", "file-size", "orientation", "format"};
    for (size_t i = 0; i < sizeof covered / sizeof *covered; i++)
        if (strcmp(code, covered[i]) == 0)
            return true;
    return false;
}

/* The 学信网 check of a usable photo, its findings as warnings: sheets and
 * certificates print from a photo the standard rejects, but the contractor
 * should hear of it. */
static void check_standard(gp_photo_standard *standard, const gp_photo *photo, const char *student_no,
                           gp_report *report)
{
    if (standard->checker == NULL && !standard->failed) {
        gp_error *e = NULL;
        if (gp_photo_checker_new(NULL, NULL, &standard->checker, &e) != GP_OK) {
            standard->failed = true;
            gp_report_add(report, GP_WARNING, "photo-standard", NULL, 0, NULL,
                          _("photos are not checked against the 学信网 standard: %s"), gp_error_message(e));
            gp_error_free(e);
        }
    }
    if (standard->checker == NULL)
        return;
    gp_photo_check *check = NULL;
    if (gp_photo_check_memory(standard->checker, photo->path, photo->jpeg, photo->size, &check, NULL) != GP_OK)
        return;
    const gp_report *found = gp_photo_check_report(check);
    for (size_t i = 0; i < gp_report_count(found); i++) {
        const gp_finding *f = gp_report_get(found, i);
        if (covered_above(f->code))
            continue;
        char code[48];
        snprintf(code, sizeof code, "photo-%s", f->code);
        gp_report_add(report, GP_WARNING, code, photo->path, 0, student_no, "%s", f->message);
    }
    gp_photo_check_free(check);
}

static void report_missing(const char *photos_dir, const char *id_number, const char *student_no, gp_report *report)
{
    const char *id = id_number != NULL ? id_number : "";
    char *name = malloc(strlen(id) + 5);
    char *expected = NULL;
    if (name != NULL) {
        strcpy(name, id);
        strcat(name, ".jpg");
        expected = gp_path_join(photos_dir != NULL ? photos_dir : ".", name);
    }
    char *other = gp_photo_find_other_format(photos_dir, id_number);
    if (other != NULL) {
        const char *slash = strrchr(other, '/');
        gp_report_add(report, GP_ERROR, "photo-missing", other, 0, student_no,
                      _("there is %s but no %s: photos must be JPEG; convert it (gradprint photos prepare does) "
                        "and keep the name"),
                      slash != NULL ? slash + 1 : other, name != NULL ? name : "");
    } else {
        gp_report_add(report, GP_ERROR, "photo-missing", expected, 0, student_no,
                      _("no photo for ID number %s: expected %s (or .jpeg); put the student's photo there under "
                        "that name"),
                      id, expected != NULL ? expected : "");
    }
    free(other);
    free(name);
    free(expected);
}

bool gp_photo_preflight(gp_photo_standard *standard, const char *photos_dir, const char *id_number,
                        const char *student_no, gp_report *report)
{
    bool nomem;
    char *path = gp_photo_find_checked(photos_dir, id_number, &nomem);
    if (path == NULL) {
        /* Not looked for is not missing: the job stops for want of memory. */
        if (nomem)
            gp_report_note_nomem(report);
        else
            report_missing(photos_dir, id_number, student_no, report);
        return false;
    }
    char *target = NULL;
    if (gp_photo_leaves_dir(photos_dir, path, &target)) {
        /* A link out of the folder can put any file of the machine on a
         * sheet, in a backup or in front of the lab. */
        gp_report_add(report, GP_ERROR, "photo-outside", path, 0, student_no,
                      _("this is a symbolic link to %s, outside the photo folder; copy the photo into the folder "
                        "instead of linking to it"),
                      target);
        free(target);
        free(path);
        return false;
    }

    gp_photo *photo = NULL;
    gp_photo_problem problem = GP_PHOTO_FINE;
    gp_error *e = NULL;
    if (gp_photo_load_checked(path, &photo, &problem, &e) != GP_OK) {
        add_error_finding(report, problem_code(problem), path, student_no, e);
        free(path);
        return false;
    }

    bool usable = true;
    /* Only the entropy-coded data can hide damage, and libjpeg-turbo reads
     * all of it at any scale; 1/8 skips the inverse DCT of the AC terms. */
    cairo_surface_t *pixels = NULL;
    if (gp_photo_decode(photo, 8, &pixels, &e) != GP_OK)
        usable = add_error_finding(report, "photo-corrupt", path, student_no, e);
    cairo_surface_destroy(pixels);

    int w = photo->width, h = photo->height;
    double aspect = (double)w / h / (3.0 / 4.0);
    bool is_3x4 = fabs(aspect - 1.0) <= ASPECT_TOLERANCE;
    if (!is_3x4) {
        gp_report_add(report, GP_ERROR, "photo-not-3x4", path, 0, student_no,
                      _("the photo is %d x %d pixels, not 3:4 (width:height); crop it to 3:4 (%d x %d) without "
                        "cutting the head"),
                      w, h, GP_PHOTO_EXPECTED_WIDTH, GP_PHOTO_EXPECTED_HEIGHT);
        usable = false;
    } else if (w != GP_PHOTO_EXPECTED_WIDTH || h != GP_PHOTO_EXPECTED_HEIGHT) {
        gp_report_add(report, GP_WARNING, "photo-dimensions", path, 0, student_no,
                      _("the photo is %d x %d pixels instead of %d x %d; it will be scaled, but check it with the "
                        "photo contractor"),
                      w, h, GP_PHOTO_EXPECTED_WIDTH, GP_PHOTO_EXPECTED_HEIGHT);
    }
    if (photo->size < GP_PHOTO_MIN_BYTES || photo->size > GP_PHOTO_MAX_BYTES)
        gp_report_add(report, GP_WARNING, "photo-file-size", path, 0, student_no,
                      _("the photo file is %.1f KB, outside the %u-%u KB the photo standard asks for; check it "
                        "with the photo contractor"),
                      photo->size / 1024.0, GP_PHOTO_MIN_BYTES / 1024u, GP_PHOTO_MAX_BYTES / 1024u);
    if (usable && standard != NULL)
        check_standard(standard, photo, student_no, report);
    gp_photo_free(photo);
    free(path);
    return usable;
}
