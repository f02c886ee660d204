/* Photo profiles: the built-in 学信网 profiles, and profile files that start
 * from one and change what a school or collector needs changed.
 *
 *     # our collector wants 30-60 KB and white
 *     base = xuexin
 *     name = 学信网, white background
 *     background = 255,255,255
 *     file-size = 30-60
 *     severity.density = warning
 *
 * Numbers are read without the C library's locale, so a host program with a
 * decimal comma reads "6.5" as six and a half. */
#include <stdlib.h>
#include <string.h>

#include "base/hex-private.h"
#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "photo-private.h"
#include "photo-profile-private.h"

#define PROFILE_MAX_BYTES (64 * 1024)
#define PROFILE_MAX_LINE 1024

static const char *const code_names[GP_PC_COUNT] = {
    "name", "not-in-roster", "format", "size", "colour", "density", "quality", "file-size", "orientation",
    "background", "black-edge", "face", "head-top", "eyes", "face-width", "tilt", "centre", "sharpness",
};

const char *gp_photo_code_name(gp_photo_code code)
{
    return code >= 0 && code < GP_PC_COUNT ? code_names[code] : NULL;
}

bool gp_photo_code_from_name(const char *name, gp_photo_code *out)
{
    for (int c = 0; c < GP_PC_COUNT; c++)
        if (strcmp(name, code_names[c]) == 0) {
            *out = (gp_photo_code)c;
            return true;
        }
    return false;
}

/* 《高等教育学历证书电子注册图像采集规范及信息标准》 (教毕指〔2017〕99号),
 * with the 10 % head-top margin (64 px) the school asks for on top. */
static void set_xuexin(gp_photo_profile *p)
{
    p->width = 480;
    p->height = 640;
    p->dpi = 300.0;
    p->min_quality = 60;
    p->file_kb = (gp_band){20, 40};
    p->background[0] = 100;
    p->background[1] = 197;
    p->background[2] = 255;
    p->background_tolerance = 20.0;
    p->head_top = (gp_band){50, 110};
    p->head_top_margin = 64;
    p->eyes = (gp_band){200, 300};
    p->face_width = (gp_band){180, 300};
    p->max_tilt = 6.0;
    p->centre_tolerance = 30;
    p->min_sharpness = 20.0;
    for (int c = 0; c < GP_PC_COUNT; c++)
        p->rule[c] = GP_RULE_ERROR;
}

typedef struct builtin {
    const char *name;
    const char *title;
    int background[3];
} builtin;

static const builtin builtins[] = {
    {"xuexin", N_("学信网, light blue background"), {100, 197, 255}},
    {"xuexin-white", N_("学信网, white background"), {255, 255, 255}},
    {"xuexin-grey", N_("学信网, light grey background"), {240, 240, 240}},
};

static const builtin *find_builtin(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return &builtins[i];
    return NULL;
}

static gp_photo_profile *builtin_profile(const builtin *b)
{
    gp_photo_profile *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    set_xuexin(p);
    memcpy(p->background, b->background, sizeof p->background);
    p->name = strdup(_(b->title));
    if (p->name == NULL) {
        free(p);
        return NULL;
    }
    return p;
}

void gp_photo_profile_free(gp_photo_profile *profile)
{
    if (profile == NULL)
        return;
    free(profile->name);
    free(profile);
}

const char *gp_photo_profile_name(const gp_photo_profile *profile) { return profile->name; }

gp_rule gp_photo_profile_rule(const gp_photo_profile *profile, gp_photo_code code) { return profile->rule[code]; }

/* ------------------------------------------------------------ values */

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static char *strip(char *s)
{
    while (blank(*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && blank(end[-1]))
        *--end = '\0';
    return s;
}

/* A decimal number, digits with at most one point, no sign, no exponent;
 * *end is set after it. */
static bool read_decimal(const char *s, const char **end, double *out)
{
    double v = 0.0, unit = 1.0;
    int digits = 0;
    bool point = false;
    for (; (*s >= '0' && *s <= '9') || (*s == '.' && !point); s++) {
        if (*s == '.') {
            point = true;
            continue;
        }
        if (++digits > 9)
            return false;
        if (point) {
            unit /= 10.0;
            v += (*s - '0') * unit;
        } else {
            v = v * 10.0 + (*s - '0');
        }
    }
    *end = s;
    *out = v;
    return digits > 0;
}

static bool read_whole(const char *s, const char **end, int *out)
{
    double v;
    const char *e;
    if (!read_decimal(s, &e, &v) || memchr(s, '.', (size_t)(e - s)) != NULL)
        return false;
    *end = e;
    *out = (int)v;
    return true;
}

static const char *skip_blank(const char *s)
{
    while (blank(*s))
        s++;
    return s;
}

static bool parse_number(const char *s, double lo, double hi, double *out)
{
    const char *end;
    return read_decimal(s, &end, out) && *skip_blank(end) == '\0' && *out >= lo && *out <= hi;
}

static bool parse_whole(const char *s, int lo, int hi, int *out)
{
    const char *end;
    return read_whole(s, &end, out) && *skip_blank(end) == '\0' && *out >= lo && *out <= hi;
}

/* "A-B" (blanks allowed around the dash), lo <= A <= B <= hi. */
static bool parse_band(const char *s, int lo, int hi, gp_band *out)
{
    const char *end;
    if (!read_whole(s, &end, &out->min))
        return false;
    end = skip_blank(end);
    if (*end != '-')
        return false;
    return read_whole(skip_blank(end + 1), &end, &out->max) && *skip_blank(end) == '\0' && out->min >= lo &&
           out->min <= out->max && out->max <= hi;
}

/* "WxH" or "W x H". */
static bool parse_size(const char *s, int *w, int *h)
{
    const char *end;
    if (!read_whole(s, &end, w))
        return false;
    end = skip_blank(end);
    if (*end != 'x' && *end != 'X')
        return false;
    return read_whole(skip_blank(end + 1), &end, h) && *skip_blank(end) == '\0' && *w >= 16 && *h >= 16 &&
           *w <= GP_PHOTO_MAX_SIDE && *h <= GP_PHOTO_MAX_SIDE;
}

/* "R,G,B" (0..255 each) or "#RRGGBB". */
static bool parse_colour(const char *s, int rgb[3])
{
    if (*s == '#')
        return gp_parse_hex_rgb(s, strlen(s), rgb);
    const char *end = s;
    for (int i = 0; i < 3; i++) {
        if (!read_whole(skip_blank(end), &end, &rgb[i]) || rgb[i] > 255)
            return false;
        end = skip_blank(end);
        if (i < 2 && *end++ != ',')
            return false;
    }
    return *end == '\0';
}

/* ------------------------------------------------------------ keys */

typedef enum key {
    KEY_BASE, KEY_NAME, KEY_SIZE, KEY_DPI, KEY_MIN_QUALITY, KEY_FILE_SIZE, KEY_BACKGROUND, KEY_BACKGROUND_TOLERANCE,
    KEY_HEAD_TOP, KEY_HEAD_TOP_MARGIN, KEY_EYES, KEY_FACE_WIDTH, KEY_MAX_TILT, KEY_CENTRE_TOLERANCE,
    KEY_MIN_SHARPNESS, KEY_COUNT
} key;

static const char *const key_names[KEY_COUNT] = {
    "base", "name", "size", "dpi", "min-quality", "file-size", "background", "background-tolerance", "head-top",
    "head-top-margin", "eyes", "face-width", "max-tilt", "centre-tolerance", "min-sharpness",
};

#define SEVERITY_PREFIX "severity."

static const char *key_hint(key k)
{
    switch (k) {
    case KEY_BASE: return _("the name of a built-in profile: xuexin, xuexin-white or xuexin-grey");
    case KEY_NAME: return _("any text");
    case KEY_SIZE: return _("width x height in pixels, e.g. 480x640");
    case KEY_DPI: return _("a resolution from 50 to 1200, e.g. 300");
    case KEY_MIN_QUALITY: return _("a JPEG quality factor from 1 to 100, e.g. 60");
    case KEY_FILE_SIZE: return _("a range of kilobytes, e.g. 20-40");
    case KEY_BACKGROUND: return _("a colour as R,G,B or #RRGGBB, e.g. 100,197,255");
    case KEY_BACKGROUND_TOLERANCE: return _("a colour difference (CIE delta E) from 1 to 100, e.g. 20");
    case KEY_HEAD_TOP:
    case KEY_EYES:
    case KEY_FACE_WIDTH: return _("a range of pixels within the photo, e.g. 200-300");
    case KEY_HEAD_TOP_MARGIN:
    case KEY_CENTRE_TOLERANCE: return _("a number of pixels within the photo, e.g. 64");
    case KEY_MAX_TILT: return _("degrees from 0 to 45, e.g. 6");
    case KEY_MIN_SHARPNESS: return _("a number from 0 to 10000, e.g. 20");
    case KEY_COUNT: break;
    }
    return "";
}

typedef struct parser {
    const char *path;
    long line;
    gp_photo_profile *p;
    long seen[KEY_COUNT];
    long rule_seen[GP_PC_COUNT];
    bool named;
} parser;

static bool set_value(gp_photo_profile *p, key k, const char *v)
{
    int w, h;
    switch (k) {
    case KEY_NAME: {
        char *copy = strdup(v);
        if (copy == NULL)
            return false;
        free(p->name);
        p->name = copy;
        return true;
    }
    case KEY_SIZE:
        if (!parse_size(v, &w, &h))
            return false;
        p->width = w;
        p->height = h;
        return true;
    case KEY_DPI: return parse_number(v, 50.0, 1200.0, &p->dpi);
    case KEY_MIN_QUALITY: return parse_whole(v, 1, 100, &p->min_quality);
    case KEY_FILE_SIZE: return parse_band(v, 1, (int)(GP_PHOTO_MAX_FILE_BYTES / 1024u), &p->file_kb);
    case KEY_BACKGROUND: return parse_colour(v, p->background);
    case KEY_BACKGROUND_TOLERANCE: return parse_number(v, 1.0, 100.0, &p->background_tolerance);
    case KEY_HEAD_TOP: return parse_band(v, 0, GP_PHOTO_MAX_SIDE, &p->head_top);
    case KEY_HEAD_TOP_MARGIN: return parse_whole(v, 0, GP_PHOTO_MAX_SIDE, &p->head_top_margin);
    case KEY_EYES: return parse_band(v, 0, GP_PHOTO_MAX_SIDE, &p->eyes);
    case KEY_FACE_WIDTH: return parse_band(v, 1, GP_PHOTO_MAX_SIDE, &p->face_width);
    case KEY_MAX_TILT: return parse_number(v, 0.0, 45.0, &p->max_tilt);
    case KEY_CENTRE_TOLERANCE: return parse_whole(v, 0, GP_PHOTO_MAX_SIDE, &p->centre_tolerance);
    case KEY_MIN_SHARPNESS: return parse_number(v, 0.0, 10000.0, &p->min_sharpness);
    case KEY_BASE:
    case KEY_COUNT: break;
    }
    return false;
}

static gp_status bad_line(parser *ps, gp_error **err, const char *what)
{
    return gp_error_set(err, GP_E_INVALID, ps->path, ps->line, "%s", what);
}

static gp_status parse_severity(parser *ps, const char *name, const char *value, gp_error **err)
{
    gp_photo_code code;
    if (!gp_photo_code_from_name(name, &code))
        return gp_error_set(err, GP_E_INVALID, ps->path, ps->line,
                            _("'%s' is not a finding code; use one of: name, not-in-roster, format, size, colour, "
                              "density, quality, file-size, orientation, background, black-edge, face, head-top, "
                              "eyes, face-width, tilt, centre, sharpness"),
                            name);
    if (ps->rule_seen[code])
        return gp_error_set(err, GP_E_INVALID, ps->path, ps->line,
                            _("severity.%s is set twice (first on line %ld); keep one"), name, ps->rule_seen[code]);
    ps->rule_seen[code] = ps->line;
    if (strcmp(value, "error") == 0)
        ps->p->rule[code] = GP_RULE_ERROR;
    else if (strcmp(value, "warning") == 0)
        ps->p->rule[code] = GP_RULE_WARNING;
    else if (strcmp(value, "off") == 0)
        ps->p->rule[code] = GP_RULE_OFF;
    else
        return gp_error_set(err, GP_E_INVALID, ps->path, ps->line,
                            _("severity.%s is '%s'; it takes error, warning or off"), name, value);
    return GP_OK;
}

static gp_status parse_line(parser *ps, char *text, gp_error **err)
{
    char *eq = strchr(text, '=');
    if (eq == NULL)
        return bad_line(ps, err, _("this line is not 'key = value'; write it like 'file-size = 20-40'"));
    *eq = '\0';
    char *name = strip(text), *value = strip(eq + 1);
    if (*value == '\0')
        return gp_error_set(err, GP_E_INVALID, ps->path, ps->line, _("%s has no value; give one or remove the line"),
                            name);
    if (strncmp(name, SEVERITY_PREFIX, strlen(SEVERITY_PREFIX)) == 0)
        return parse_severity(ps, name + strlen(SEVERITY_PREFIX), value, err);
    int k = 0;
    while (k < KEY_COUNT && strcmp(name, key_names[k]) != 0)
        k++;
    if (k == KEY_COUNT)
        return gp_error_set(err, GP_E_INVALID, ps->path, ps->line,
                            _("unknown key '%s'; the keys are base, name, size, dpi, min-quality, file-size, "
                              "background, background-tolerance, head-top, head-top-margin, eyes, face-width, "
                              "max-tilt, centre-tolerance, min-sharpness and severity.CODE"),
                            name);
    if (ps->seen[k])
        return gp_error_set(err, GP_E_INVALID, ps->path, ps->line, _("%s is set twice (first on line %ld); keep one"),
                            name, ps->seen[k]);
    ps->seen[k] = ps->line;
    if (k == KEY_BASE) {
        const builtin *b = find_builtin(value);
        bool first = true;
        for (int j = 0; j < KEY_COUNT; j++)
            first = first && (j == KEY_BASE || !ps->seen[j]);
        for (int c = 0; c < GP_PC_COUNT; c++)
            first = first && !ps->rule_seen[c];
        if (b == NULL)
            return gp_error_set(err, GP_E_INVALID, ps->path, ps->line, _("base is '%s'; it takes %s"), value,
                                key_hint(KEY_BASE));
        if (!first)
            return gp_error_set(err, GP_E_INVALID, ps->path, ps->line, "%s",
                                _("base must come before every other key; move it to the top"));
        memcpy(ps->p->background, b->background, sizeof ps->p->background);
        if (!ps->named) {
            char *title = strdup(_(b->title));
            if (title == NULL)
                return gp_error_nomem(err);
            free(ps->p->name);
            ps->p->name = title;
        }
        return GP_OK;
    }
    if (k == KEY_NAME)
        ps->named = true;
    if (!set_value(ps->p, (key)k, value))
        return gp_error_set(err, GP_E_INVALID, ps->path, ps->line, _("%s is '%s'; it takes %s"), name, value,
                            key_hint((key)k));
    return GP_OK;
}

/* Bands that cannot all hold in one photo are a typing mistake. */
static gp_status check_consistent(const char *path, const gp_photo_profile *p, gp_error **err)
{
    if (p->head_top.max >= p->height || p->eyes.max >= p->height || p->face_width.max > p->width)
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("head-top, eyes and face-width must lie within the photo's %d x %d pixels; correct "
                              "the profile"),
                            p->width, p->height);
    if (p->head_top.min >= p->eyes.max)
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("head-top (%d-%d) must start above the eye line (%d-%d); correct the profile"),
                            p->head_top.min, p->head_top.max, p->eyes.min, p->eyes.max);
    return GP_OK;
}

gp_status gp_photo_profile_parse(const char *path, const char *text, size_t size, gp_photo_profile **out,
                                 gp_error **err)
{
    *out = NULL;
    parser ps = {path, 0, builtin_profile(&builtins[0]), {0}, {0}, false};
    if (ps.p == NULL)
        return gp_error_nomem(err);
    if (size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        size -= 3;
    }
    gp_status st = GP_OK;
    char buf[PROFILE_MAX_LINE + 1];
    size_t at = 0;
    while (at < size && st == GP_OK) {
        const char *nl = memchr(text + at, '\n', size - at);
        size_t len = nl ? (size_t)(nl - (text + at)) : size - at;
        ps.line++;
        if (len > PROFILE_MAX_LINE) {
            st = gp_error_set(err, GP_E_INVALID, path, ps.line, _("the line is longer than %d characters"),
                              PROFILE_MAX_LINE);
            break;
        }
        memcpy(buf, text + at, len);
        buf[len] = '\0';
        at += len + (nl != NULL);
        if (memchr(buf, '\0', len) != NULL) {
            st = bad_line(&ps, err, _("the line holds a NUL byte; this is not a text file"));
            break;
        }
        char *hash = strchr(buf, '#');
        if (hash != NULL)
            *hash = '\0';
        char *line = strip(buf);
        if (*line != '\0')
            st = parse_line(&ps, line, err);
    }
    if (st == GP_OK)
        st = check_consistent(path, ps.p, err);
    if (st != GP_OK) {
        gp_photo_profile_free(ps.p);
        return st;
    }
    *out = ps.p;
    return GP_OK;
}

gp_status gp_photo_profile_load(const char *name_or_path, gp_photo_profile **out, gp_error **err)
{
    *out = NULL;
    if (name_or_path == NULL || find_builtin(name_or_path) != NULL) {
        *out = builtin_profile(name_or_path ? find_builtin(name_or_path) : &builtins[0]);
        return *out ? GP_OK : gp_error_nomem(err);
    }
    unsigned char *data = NULL;
    size_t size = 0;
    gp_error *read_err = NULL;
    gp_status st = gp_read_file(name_or_path, PROFILE_MAX_BYTES, &data, &size, &read_err);
    if (st != GP_OK) {
        gp_error_free(read_err);
        if (strchr(name_or_path, '/') == NULL && strchr(name_or_path, '.') == NULL)
            return gp_error_set(err, GP_E_USAGE, NULL, 0,
                                _("no photo profile '%s': use xuexin, xuexin-white, xuexin-grey or a profile file"),
                                name_or_path);
        return gp_error_set(err, st == GP_E_INVALID ? GP_E_INVALID : GP_E_IO, name_or_path, 0,
                            st == GP_E_INVALID ? _("the photo profile is larger than 64 KB; is it the right file?")
                                               : _("cannot read the photo profile; check the path"));
    }
    st = gp_photo_profile_parse(name_or_path, (const char *)data, size, out, err);
    free(data);
    return st;
}
