/* Preflight of one student's photo: every reason a photo cannot go to the
 * lab becomes a finding with its own code, the student number and the path. */
#include <math.h>
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
    if (strcmp(code, "photo-unreadable") == 0)
        gp_report_add(report, GP_ERROR, code, path, 0, student_no, _("%s; make the photo a readable file"),
                      bare_message(e));
    else
        gp_report_add(report, GP_ERROR, code, path, 0, student_no, "%s", bare_message(e));
    gp_error_free(e);
    return false;
}

bool gp_photo_preflight(const char *photos_dir, const char *id_number, const char *student_no, gp_report *report)
{
    char *path = gp_photo_find(photos_dir, id_number);
    if (path == NULL) {
        char *name = malloc(strlen(id_number != NULL ? id_number : "") + 5);
        char *expected = NULL;
        if (name != NULL) {
            strcpy(name, id_number != NULL ? id_number : "");
            strcat(name, ".jpg");
            expected = gp_path_join(photos_dir != NULL ? photos_dir : ".", name);
        }
        gp_report_add(report, GP_ERROR, "photo-missing", expected, 0, student_no,
                      _("no photo for ID number %s: expected %s (or .jpeg); put the student's photo there under "
                        "that name"),
                      id_number != NULL ? id_number : "", expected != NULL ? expected : "");
        free(name);
        free(expected);
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
    gp_photo_free(photo);
    free(path);
    return usable;
}
