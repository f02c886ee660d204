/* Printer profiles: the offset and scale an operator measured with the
 * calibration page, one small text file per printer and tray.
 *
 *     # office laser, tray 2
 *     printer = office-laser
 *     tray = tray2
 *     offset-x = 0.8
 *     offset-y = -1.2
 *     scale-x = 1.000
 *     scale-y = 0.998
 *     feed = top        # the page's top edge enters the printer first
 *     face = down       # blanks lie printed side down in the tray
 *
 * Numbers are read without the C library's locale: a host program running
 * with a comma as its decimal separator must not turn 0.8 into 0. */
#include "calibration-private.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"

#define PROFILE_MAX_BYTES (64 * 1024)
/* A printer that misses by more than this is not a calibration problem;
 * the limits catch a typed 15 meant as 1.5. */
#define OFFSET_LIMIT_MM 50.0
#define SCALE_MIN 0.9
#define SCALE_MAX 1.1
/* Beyond these a profile is more likely wrong than the printer that far off. */
#define UNUSUAL_OFFSET_MM 10.0
#define UNUSUAL_SCALE 0.02

void gp_calibration_init(gp_calibration *cal)
{
    cal->offset_x_mm = cal->offset_y_mm = 0.0;
    cal->scale_x = cal->scale_y = 1.0;
    cal->feed = GP_FEED_TOP;
    cal->face = GP_FACE_UNSAID;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Strips leading and trailing blanks in place. */
static char *trim(char *s)
{
    while (is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_space(s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* [+-]digits[.digits] or [+-].digits, nothing else; at most 12 significant
 * digits so the value is exact enough and cannot overflow. */
static bool parse_number(const char *s, double *out)
{
    double sign = 1.0, value = 0.0, scale = 1.0;
    int digits = 0;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1.0 : 1.0;
    for (; *s >= '0' && *s <= '9'; s++, digits++)
        value = value * 10.0 + (*s - '0');
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
            scale /= 10.0;
            value += (*s - '0') * scale;
        }
    }
    if (*s != '\0' || digits == 0 || digits > 12)
        return false;
    *out = sign * value;
    return true;
}

typedef enum key_kind {
    KEY_OFFSET_X,
    KEY_OFFSET_Y,
    KEY_SCALE_X,
    KEY_SCALE_Y,
    KEY_FEED,
    KEY_FACE,
    KEY_PRINTER,
    KEY_TRAY,
    KEY_COUNT
} key_kind;

static const char *const key_names[KEY_COUNT] = {"offset-x", "offset-y", "scale-x", "scale-y",
                                                 "feed",     "face",     "printer", "tray"};

static gp_status parse_line(const char *path, long line, char *text, gp_calibration *cal, long seen[KEY_COUNT],
                            gp_error **err)
{
    char *eq = strchr(text, '=');
    if (eq == NULL)
        return gp_error_set(err, GP_E_INVALID, path, line,
                            _("'%s' is not a \"key = value\" line; write e.g. \"offset-x = 0.8\" or start the line "
                              "with # to make it a comment"),
                            text);
    *eq = '\0';
    char *key = trim(text), *value = trim(eq + 1);
    int k = 0;
    while (k < KEY_COUNT && strcmp(key, key_names[k]) != 0)
        k++;
    if (k == KEY_COUNT)
        return gp_error_set(err, GP_E_INVALID, path, line,
                            _("unknown key '%s'; a printer profile has offset-x, offset-y, scale-x, scale-y, feed, "
                              "face, printer and tray"),
                            key);
    if (seen[k] != 0)
        return gp_error_set(err, GP_E_INVALID, path, line,
                            _("%s is set again (first on line %ld); keep one of the two lines"), key, seen[k]);
    seen[k] = line;
    if (k == KEY_PRINTER || k == KEY_TRAY)
        return GP_OK; /* for the operator: which printer and tray the numbers belong to */
    if (k == KEY_FEED) {
        if (strcmp(value, "top") != 0 && strcmp(value, "bottom") != 0)
            return gp_error_set(err, GP_E_INVALID, path, line,
                                _("feed = '%s': write top (the printed page's top edge enters the printer first, as "
                                  "on most printers) or bottom"),
                                value);
        cal->feed = strcmp(value, "top") == 0 ? GP_FEED_TOP : GP_FEED_BOTTOM;
        return GP_OK;
    }
    if (k == KEY_FACE) {
        if (strcmp(value, "down") != 0 && strcmp(value, "up") != 0)
            return gp_error_set(err, GP_E_INVALID, path, line,
                                _("face = '%s': write down (blanks lie printed side down in the tray, as in most "
                                  "laser cassettes) or up (most manual feeds)"),
                                value);
        cal->face = strcmp(value, "down") == 0 ? GP_FACE_DOWN : GP_FACE_UP;
        return GP_OK;
    }
    double v;
    if (!parse_number(value, &v))
        return gp_error_set(err, GP_E_INVALID, path, line,
                            _("%s = '%s' is not a number; write it like 0.8, -1.25 or 1.002 (a point, no unit)"), key,
                            value);
    if (k == KEY_OFFSET_X || k == KEY_OFFSET_Y) {
        if (v < -OFFSET_LIMIT_MM || v > OFFSET_LIMIT_MM)
            return gp_error_set(err, GP_E_INVALID, path, line,
                                _("%s = %s mm is more than %.0f mm; measure the offset again with the calibration "
                                  "page (the value is in millimetres)"),
                                key, value, OFFSET_LIMIT_MM);
        *(k == KEY_OFFSET_X ? &cal->offset_x_mm : &cal->offset_y_mm) = v;
    } else {
        if (v < SCALE_MIN || v > SCALE_MAX)
            return gp_error_set(err, GP_E_INVALID, path, line,
                                _("%s = %s is outside %.1f to %.1f; a scale is a factor near 1 (1.002 stretches by "
                                  "0.2%%), measure it again"),
                                key, value, SCALE_MIN, SCALE_MAX);
        *(k == KEY_SCALE_X ? &cal->scale_x : &cal->scale_y) = v;
    }
    return GP_OK;
}

gp_status gp_calibration_parse(const char *text, size_t size, const char *name, gp_calibration *cal, gp_error **err)
{
    if (size > PROFILE_MAX_BYTES)
        return gp_error_set(err, GP_E_INVALID, name, 0, _("a printer profile is a few lines; this file is larger "
                                                          "than %d KB"),
                            PROFILE_MAX_BYTES / 1024);
    if (memchr(text, '\0', size) != NULL)
        return gp_error_set(err, GP_E_INVALID, name, 0, "%s",
                            _("this is not a text file; a printer profile holds \"key = value\" lines"));
    char *data = malloc(size + 1);
    if (data == NULL)
        return gp_error_nomem(err);
    memcpy(data, text, size);
    data[size] = '\0';
    gp_calibration result;
    gp_calibration_init(&result);
    long seen[KEY_COUNT] = {0};
    char *p = data;
    /* A BOM from Windows editors. */
    if (size >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    long line = 0;
    gp_status st = GP_OK;
    while (st == GP_OK && p != NULL) {
        line++;
        char *next = strchr(p, '\n');
        if (next != NULL)
            *next++ = '\0';
        char *hash = strchr(p, '#');
        if (hash != NULL)
            *hash = '\0';
        char *line_text = trim(p);
        if (line_text[0] != '\0')
            st = parse_line(name, line, line_text, &result, seen, err);
        p = next;
    }
    free(data);
    if (st == GP_OK)
        *cal = result;
    return st;
}

gp_status gp_calibration_load(const char *profile_path, gp_calibration *cal, gp_error **err)
{
    unsigned char *data = NULL;
    size_t size = 0;
    gp_status st = gp_read_file(profile_path, PROFILE_MAX_BYTES, &data, &size, err);
    if (st == GP_OK)
        st = gp_calibration_parse((const char *)data, size, profile_path, cal, err);
    free(data);
    return st;
}

void gp_calibration_warnings(const gp_calibration *cal, const char *queue, gp_report *report)
{
    double worst = fmax(fabs(cal->offset_x_mm), fabs(cal->offset_y_mm));
    if (worst > UNUSUAL_OFFSET_MM)
        gp_report_add(report, GP_WARNING, "calibration-offset", NULL, 0, NULL,
                      _("%s%s%sthe profile moves every mark by %.1f, %.1f mm; a printer misses by a few millimetres "
                        "at most, so check that the profile was measured for this printer, tray and template "
                        "(print the calibration page and measure again)"),
                      queue ? _("queue ") : "", queue ? queue : "", queue ? ": " : "", cal->offset_x_mm,
                      cal->offset_y_mm);
    double scale = fmax(fabs(cal->scale_x - 1), fabs(cal->scale_y - 1));
    if (scale > UNUSUAL_SCALE)
        gp_report_add(report, GP_WARNING, "calibration-scale", NULL, 0, NULL,
                      _("%s%s%sthe profile scales by %.4f x %.4f; printers stretch by a few tenths of a percent at "
                        "most, so a page printed scaled to fit was probably measured: measure again"),
                      queue ? _("queue ") : "", queue ? queue : "", queue ? ": " : "", cal->scale_x, cal->scale_y);
}
