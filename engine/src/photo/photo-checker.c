/* Checking a photo against the 学信网 image standard (or another profile):
 * the file name, what the header declares, then what the pixels show. Each
 * measured value goes into the result whether or not it passes, so a
 * contractor sees how far off a photo is, not only that it is. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "base/report-private.h"
#include "photo-checker-private.h"
#include "photo-check-private.h"
#include "photo-icc-private.h"

#ifndef GP_HAARCASCADE_DIR
#define GP_HAARCASCADE_DIR "/usr/share/opencv4/haarcascades"
#endif
#define FACE_CASCADE "haarcascade_frontalface_default.xml"
#define EYE_CASCADE "haarcascade_eye.xml"
/* Above this share of strays a background is uneven (shadow, objects, text). */
#define MAX_STRAY 0.10

const char *gp_photo_cascade_dir(void)
{
    const char *env = getenv("GRADPRINT_CASCADE_DIR");
    return env != NULL && *env != '\0' ? env : GP_HAARCASCADE_DIR;
}

gp_status gp_photo_detector_new(gp_face_detector **out, gp_error **err)
{
    char *face = gp_path_join(gp_photo_cascade_dir(), FACE_CASCADE);
    char *eye = gp_path_join(gp_photo_cascade_dir(), EYE_CASCADE);
    gp_status st = GP_OK;
    *out = NULL;
    if (face == NULL || eye == NULL) {
        st = gp_error_nomem(err);
    } else {
        const char *missing = access(face, R_OK) != 0 ? face : access(eye, R_OK) != 0 ? eye : NULL;
        const char *failed = NULL;
        if (missing == NULL && (*out = gp_face_detector_new(face, eye, &failed)) == NULL)
            missing = failed;
        if (*out == NULL)
            st = missing != NULL
                     ? gp_error_set(err, GP_E_IO, missing, 0, "%s",
                                    _("cannot load this face detector cascade; install opencv-data "
                                      "(apt-get install opencv-data) or set GRADPRINT_CASCADE_DIR to the folder "
                                      "holding it"))
                     : gp_error_nomem(err);
    }
    free(face);
    free(eye);
    return st;
}

gp_status gp_photo_checker_new(gp_context *ctx, const gp_photo_profile *profile, gp_photo_checker **out,
                               gp_error **err)
{
    (void)ctx;
    *out = NULL;
    gp_photo_checker *k = calloc(1, sizeof *k);
    if (k == NULL)
        return gp_error_nomem(err);
    gp_status st = GP_OK;
    if (profile == NULL) {
        st = gp_photo_profile_load(NULL, &k->own_profile, err);
        profile = k->own_profile;
    }
    k->profile = profile;
    if (st == GP_OK)
        st = gp_photo_detector_new(&k->detector, err);
    if (st == GP_OK && (k->tj = tjInitDecompress()) == NULL)
        st = gp_error_nomem(err);
    if (st != GP_OK) {
        gp_photo_checker_free(k);
        return st;
    }
    *out = k;
    return GP_OK;
}

void gp_photo_checker_free(gp_photo_checker *checker)
{
    if (checker == NULL)
        return;
    gp_face_detector_free(checker->detector);
    if (checker->tj != NULL)
        tjDestroy(checker->tj);
    free(checker->rgb);
    gp_analysis_scratch_free(&checker->scratch);
    gp_photo_profile_free(checker->own_profile);
    free(checker);
}

bool gp_photo_check_ok(const gp_photo_check *check) { return gp_report_count_severity(check->report, GP_ERROR) == 0; }
const gp_photo_measurements *gp_photo_check_measurements(const gp_photo_check *check) { return &check->m; }
const gp_report *gp_photo_check_report(const gp_photo_check *check) { return check->report; }

void gp_photo_check_free(gp_photo_check *check)
{
    if (check == NULL)
        return;
    gp_report_free(check->report);
    free(check->id_number);
    free(check);
}

/* gp_photo_id_from_name without allocating: the ID into id, or false. */
static bool id_in_name(const char *path, char id[19])
{
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (dot == NULL || dot - base != 18 || (strcasecmp(dot, ".jpg") != 0 && strcasecmp(dot, ".jpeg") != 0))
        return false;
    memcpy(id, base, 18);
    id[18] = '\0';
    if (!gp_id_number_valid(id, NULL))
        return false;
    id[17] = (char)toupper((unsigned char)id[17]);
    return true;
}

char *gp_photo_id_from_name(const char *path)
{
    char id[19];
    return id_in_name(path, id) ? strdup(id) : NULL;
}

/* ------------------------------------------------------------ findings */

typedef struct run {
    gp_photo_checker *k;
    gp_photo_check *chk;
    const char *name;
    /* Memory ran out: the check is incomplete and must not be a verdict. */
    bool nomem;
} run;

/* A finding of code at its natural severity, lowered (or dropped) by the
 * profile's rule for the code. */
static void __attribute__((format(printf, 4, 5))) add(run *r, gp_photo_code code, gp_severity natural,
                                                      const char *fmt, ...)
{
    gp_rule rule = gp_photo_profile_rule(r->k->profile, code);
    if (rule == GP_RULE_OFF)
        return;
    gp_severity severity = rule == GP_RULE_WARNING ? GP_WARNING : natural;
    va_list ap;
    va_start(ap, fmt);
    gp_report_vadd(r->chk->report, severity, gp_photo_code_name(code), r->name, 0, NULL, fmt, ap);
    va_end(ap);
}

static void check_name(run *r)
{
    const char *base = strrchr(r->name, '/');
    base = base != NULL ? base + 1 : r->name;
    const char *dot = strrchr(base, '.');
    char id[19];
    if (id_in_name(r->name, id) && (r->chk->id_number = strdup(id)) == NULL) {
        r->nomem = true;
        return;
    }
    if (dot == NULL || (strcasecmp(dot, ".jpg") != 0 && strcasecmp(dot, ".jpeg") != 0)) {
        add(r, GP_PC_NAME, GP_ERROR, "%s",
            _("the file name does not end in .jpg; name the photo <ID number>.jpg"));
        return;
    }
    if (r->chk->id_number == NULL) {
        char stem[19] = "";
        size_t len = (size_t)(dot - base);
        char expected = '\0';
        if (len == 18) {
            memcpy(stem, base, 18);
            gp_id_number_valid(stem, &expected);
        }
        if (expected != '\0')
            add(r, GP_PC_NAME, GP_ERROR,
                _("the file is named after %s, whose check digit should be %c (GB 11643); correct the ID number in "
                  "the file name"),
                stem, expected);
        else
            add(r, GP_PC_NAME, GP_ERROR, "%s",
                _("the file name is not an 18-character ID number; name the photo <ID number>.jpg"));
    } else if (base[17] == 'x') {
        add(r, GP_PC_NAME, GP_WARNING, "%s",
            _("the ID number in the file name ends in a lowercase x; rename it with an uppercase X"));
    }
}

static const char *jpeg_process(int sof)
{
    switch (sof) {
    case 0xC3: case 0xC7: case 0xCB: case 0xCF: return _("lossless");
    case 0xC5: case 0xC6: case 0xCD: case 0xCE: return _("hierarchical");
    case 0xC9: case 0xCA: return _("arithmetic-coded");
    default: return NULL;
    }
}

/* What the header alone shows. False when the pixels cannot be read. */
static bool check_header(run *r, const unsigned char *data, size_t size, gp_jpeg_markers *mk)
{
    const gp_photo_profile *p = r->k->profile;
    gp_photo_measurements *m = &r->chk->m;
    if (size == 0) {
        add(r, GP_PC_FORMAT, GP_ERROR, "%s", _("the file is empty; copy the photo again"));
        return false;
    }
    if (size < 2 || data[0] != 0xFF || data[1] != 0xD8) {
        const char *format = gp_photo_sniff_format(data, size);
        if (format != NULL)
            add(r, GP_PC_FORMAT, GP_ERROR,
                _("this is a %s file, not a JPEG; convert it (gradprint photos prepare reads PNG too)"), format);
        else
            add(r, GP_PC_FORMAT, GP_ERROR, "%s", _("this is not a JPEG file; export the photo as JPEG"));
        return false;
    }
    gp_jpeg_scan_markers(data, size, mk);
    m->width = mk->width;
    m->height = mk->height;
    m->components = mk->components;
    m->orientation = mk->orientation;
    m->has_exif = mk->has_exif;
    m->has_icc = mk->icc_chunks > 0;
    m->quality = gp_jpeg_estimate_quality(mk);
    if (mk->width <= 0 || mk->height <= 0) {
        add(r, GP_PC_FORMAT, GP_ERROR, "%s", _("the JPEG holds no readable image frame; export the photo again"));
        return false;
    }
    if (mk->width > GP_PHOTO_MAX_SIDE || mk->height > GP_PHOTO_MAX_SIDE ||
        (unsigned long long)mk->width * (unsigned long long)mk->height > GP_PHOTO_MAX_PIXELS) {
        add(r, GP_PC_SIZE, GP_ERROR,
            _("the photo is %d x %d pixels, far beyond %d x %d; prepare it with gradprint photos prepare"),
            mk->width, mk->height, p->width, p->height);
        return false;
    }
    if (mk->width != p->width || mk->height != p->height)
        add(r, GP_PC_SIZE, GP_ERROR,
            _("the photo is %d x %d pixels; the standard asks for exactly %d x %d (width x height)"), mk->width,
            mk->height, p->width, p->height);
    const char *process = jpeg_process(mk->sof);
    bool readable = mk->precision == 8 && (process == NULL || mk->sof == 0xC9 || mk->sof == 0xCA);
    if (mk->precision != 8)
        add(r, GP_PC_FORMAT, GP_ERROR,
            _("the JPEG has %d bits per sample; save it as an ordinary 8-bit (baseline) JPEG"), mk->precision);
    else if (process != NULL)
        add(r, GP_PC_FORMAT, GP_ERROR, _("the JPEG is %s, which most viewers cannot open; save it as a baseline JPEG"),
            process);
    if (mk->components == 1)
        add(r, GP_PC_COLOUR, GP_ERROR, "%s",
            _("the photo is greyscale; the standard asks for 24-bit colour: deliver a colour photo"));
    else if (mk->components == 4)
        add(r, GP_PC_COLOUR, GP_ERROR, "%s",
            _("the photo is CMYK (made for offset printing); the standard asks for 24-bit RGB colour: convert it to "
              "sRGB"));
    else if (mk->components != 3)
        add(r, GP_PC_COLOUR, GP_ERROR, _("the JPEG has %d colour components; save it as an ordinary colour JPEG"),
            mk->components);

    double dx = 0.0, dy = 0.0;
    if (gp_jpeg_density(mk, &dx, &dy)) {
        m->dpi_x = dx;
        m->dpi_y = dy;
        /* 118 dots per centimetre is how many programs write 300 dpi. */
        if (fabs(dx - p->dpi) > p->dpi * 0.005 || fabs(dy - p->dpi) > p->dpi * 0.005)
            add(r, GP_PC_DENSITY, GP_ERROR, _("the photo declares %.0f x %.0f dpi; the standard asks for %.0f dpi"),
                dx, dy, p->dpi);
    } else {
        add(r, GP_PC_DENSITY, GP_ERROR,
            _("the photo declares no resolution (viewers then assume 72 or 96 dpi); the standard asks for %.0f dpi"),
            p->dpi);
    }
    if (m->quality > 0 && m->quality < p->min_quality)
        add(r, GP_PC_QUALITY, GP_ERROR,
            _("the JPEG was saved at quality %d (judged by its quantisation tables); the standard asks for at least "
              "%d"),
            m->quality, p->min_quality);
    long lo = p->file_kb.min * 1024L, hi = p->file_kb.max * 1024L;
    if (m->file_bytes < lo || m->file_bytes > hi)
        add(r, GP_PC_FILE_SIZE, GP_ERROR, _("the file is %.1f KB; the profile asks for %d-%d KB"),
            m->file_bytes / 1024.0, p->file_kb.min, p->file_kb.max);
    if (mk->orientation >= 2 && mk->orientation <= 8)
        add(r, GP_PC_ORIENTATION, GP_ERROR,
            _("the photo carries EXIF orientation %d, so viewers show it turned or mirrored; save it upright "
              "without an orientation tag"),
            mk->orientation);
    if (mk->exif.has_gps)
        add(r, GP_PC_FORMAT, GP_WARNING, "%s",
            _("the photo's EXIF data holds a GPS position, which is personal data; strip it (gradprint photos "
              "prepare writes none)"));
    return readable && mk->components == 3;
}

static bool decode(run *r, const unsigned char *data, size_t size, gp_rgb_image *img)
{
    gp_photo_checker *k = r->k;
    size_t need = (size_t)r->chk->m.width * (size_t)r->chk->m.height * 3;
    if (need > k->rgb_cap) {
        unsigned char *p = realloc(k->rgb, need);
        if (p == NULL) {
            r->nomem = true;
            return false;
        }
        k->rgb = p;
        k->rgb_cap = need;
    }
    /* STOPONWARNING: a half-grey, cut-short photo must not pass. */
    if (tjDecompress2(k->tj, data, (unsigned long)size, k->rgb, r->chk->m.width, r->chk->m.width * 3,
                      r->chk->m.height, TJPF_RGB, TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) != 0) {
        add(r, GP_PC_FORMAT, GP_ERROR, _("the photo is damaged or cut short (%s); export it again"),
            tjGetErrorStr2(k->tj));
        return false;
    }
    *img = (gp_rgb_image){k->rgb, r->chk->m.width, r->chk->m.height, r->chk->m.width * 3};
    return true;
}

static void convert_profile(run *r, const unsigned char *data, size_t size, gp_rgb_image *img)
{
    size_t icc_size = 0;
    unsigned char *bytes = gp_jpeg_icc_profile(data, size, &icc_size);
    gp_icc *icc = bytes != NULL ? gp_icc_open(bytes, icc_size) : NULL;
    free(bytes);
    if (icc == NULL) {
        add(r, GP_PC_COLOUR, GP_WARNING, "%s",
            _("the photo's embedded colour profile cannot be read; viewers may show wrong colours: save it as sRGB"));
        return;
    }
    if (!gp_icc_is_srgb(icc)) {
        add(r, GP_PC_COLOUR, GP_WARNING,
            _("the photo is in the colour space \"%s\", not sRGB; web viewers ignore that and show wrong colours: "
              "convert it to sRGB (gradprint photos prepare does)"),
            gp_icc_description(icc));
        gp_icc_to_srgb(icc, (unsigned char *)img->pixels, (size_t)img->width * img->height);
    }
    gp_icc_free(icc);
}

static const char *edge_name(gp_edge e)
{
    switch (e) {
    case GP_EDGE_TOP: return _("top edge");
    case GP_EDGE_BOTTOM: return _("bottom edge");
    case GP_EDGE_LEFT: return _("left edge");
    case GP_EDGE_RIGHT: break;
    }
    return _("right edge");
}

static void check_band(run *r, gp_photo_code code, const char *what, double value, gp_band band, const char *fix)
{
    if (value < band.min || value > band.max)
        add(r, code, GP_ERROR, _("%s is %.0f px; the standard asks for %d-%d px: %s"), what, value, band.min,
            band.max, fix);
}

static void check_face(run *r, const gp_rgb_image *img, const gp_face_geometry *g, int frame)
{
    const gp_photo_profile *p = r->k->profile;
    gp_photo_measurements *m = &r->chk->m;
    m->faces = g->faces;
    if (g->faces == 0) {
        add(r, GP_PC_FACE, GP_ERROR, "%s",
            _("no face found: the photo must show the student's face from the front, eyes open, nothing covering "
              "it"));
    } else if (g->faces > 1) {
        add(r, GP_PC_FACE, GP_ERROR, _("%d faces found; the photo must show one person only"), g->faces);
    }
    m->head_top = g->head_top;
    if (g->head_top < 0)
        add(r, GP_PC_HEAD_TOP, GP_ERROR, "%s",
            _("the top of the head cannot be told from the background; photograph against a plain background that "
              "differs from the hair"));
    else if (g->head_top <= frame + 1)
        add(r, GP_PC_HEAD_TOP, GP_ERROR, _("the head touches the top edge; the standard asks for %d-%d px of space above it"),
            p->head_top.min, p->head_top.max);
    else if (g->head_top < p->head_top.min || g->head_top > p->head_top.max)
        check_band(r, GP_PC_HEAD_TOP, _("the space above the head"), g->head_top, p->head_top,
                   _("crop the photo again (gradprint photos prepare aims at the middle)"));
    else if (g->head_top < p->head_top_margin)
        add(r, GP_PC_HEAD_TOP, GP_WARNING,
            _("the space above the head is %d px, within the standard but under the %d px margin asked for; crop "
              "with a little more space above"),
            g->head_top, p->head_top_margin);
    if (g->faces == 0)
        return;

    m->face_x = g->face.x;
    m->face_y = g->face.y;
    m->face_w = g->face.w;
    m->face_h = g->face.h;
    m->eyes_found = g->eyes_found;
    m->eye_line = g->eye_line;
    if (g->eyes_found) {
        m->eye_left_x = g->eye_lx;
        m->eye_left_y = g->eye_ly;
        m->eye_right_x = g->eye_rx;
        m->eye_right_y = g->eye_ry;
        m->tilt = g->tilt;
    } else {
        add(r, GP_PC_EYES, GP_WARNING,
            _("the eyes cannot be found (closed, hidden by glasses glare or hair?); the eye line was estimated at "
              "%.0f px"),
            g->eye_line);
    }
    check_band(r, GP_PC_EYES, _("the eye line"), g->eye_line, p->eyes,
               _("crop and scale the photo again so that the eyes sit in that band"));

    m->face_left = g->face_left;
    m->face_right = g->face_right;
    m->face_width = g->face_width >= 0 ? g->face_width : g->face.w;
    check_band(r, GP_PC_FACE_WIDTH, _("the face width (cheek to cheek)"), m->face_width, p->face_width,
               m->face_width < p->face_width.min ? _("the face is too small: crop closer")
                                                 : _("the face is too large: crop wider"));
    if (g->eyes_found && fabs(g->tilt) > p->max_tilt)
        add(r, GP_PC_TILT, GP_ERROR,
            _("the line through the pupils is tilted by %.1f degrees (at most %.0f allowed); photograph the "
              "student again with the head upright"),
            g->tilt, p->max_tilt);
    double cx = g->face_left >= 0 ? (g->face_left + g->face_right) / 2.0
                : g->eyes_found     ? (g->eye_lx + g->eye_rx) / 2.0
                                    : g->face.x + g->face.w / 2.0;
    m->centre_offset = cx - img->width / 2.0;
    if (fabs(m->centre_offset) > p->centre_tolerance)
        add(r, GP_PC_CENTRE, GP_ERROR,
            m->centre_offset < 0 ? _("the face is %.0f px left of the centre (at most %d allowed); crop it centred")
                                 : _("the face is %.0f px right of the centre (at most %d allowed); crop it centred"),
            fabs(m->centre_offset), p->centre_tolerance);
    m->sharpness = gp_measure_sharpness(img, g->face);
    if (m->sharpness < p->min_sharpness)
        add(r, GP_PC_SHARPNESS, GP_ERROR,
            _("the face is blurred (sharpness %.1f, at least %.1f needed); photograph again in focus, and never "
              "enlarge a small photo"),
            m->sharpness, p->min_sharpness);
}

static void check_pixels(run *r, const unsigned char *data, size_t size, const gp_jpeg_markers *mk)
{
    const gp_photo_profile *p = r->k->profile;
    gp_photo_measurements *m = &r->chk->m;
    gp_rgb_image img;
    if (!decode(r, data, size, &img))
        return;
    m->decoded = true;
    if (mk->icc_chunks > 0)
        convert_profile(r, data, size, &img);
    if (gp_is_grey(&img))
        add(r, GP_PC_COLOUR, GP_ERROR, "%s",
            _("the photo is black and white (saved as colour); the standard asks for a colour photo"));

    gp_frame frame;
    gp_measure_frame(&img, &frame);
    m->black_edge = frame.width;
    if (frame.width > 0)
        add(r, GP_PC_BLACK_EDGE, GP_ERROR,
            frame.dark ? _("a black edge %d px wide runs along the photo's %s; crop it off or prepare the photo "
                           "again")
                       : _("a border %d px wide runs along the photo's %s; the standard allows no border: crop it "
                           "off"),
            frame.width, edge_name(frame.edge));

    gp_face_geometry g;
    /* Faces well under the band are still found (and said to be too small);
     * a smaller limit costs much more detector time. */
    int min_face = p->face_width.min * 7 / 10 > 32 ? p->face_width.min * 7 / 10 : 32;
    int max_face = img.width < img.height ? img.width : img.height;
    gp_status located = gp_locate_face(r->k->detector, &r->k->scratch, &img, min_face, max_face, frame.width, &g);
    if (located == GP_E_NOMEM) {
        r->nomem = true;
        return;
    }
    if (located != GP_OK) {
        add(r, GP_PC_FACE, GP_ERROR, "%s", _("the face detector failed on this photo; report this as a gradprint bug"));
        return;
    }
    check_face(r, &img, &g, frame.width);

    gp_measure_background(&img, g.head_top, g.faces > 0 ? g.eye_line : -1.0, frame.width, m->background,
                          &m->background_stray);
    m->background_delta_e = gp_delta_e(m->background, p->background);
    if (m->background_delta_e > p->background_tolerance)
        add(r, GP_PC_BACKGROUND, GP_ERROR,
            _("the background is RGB(%d,%d,%d), %.0f colour units (delta E) from the profile's RGB(%d,%d,%d); "
              "photograph against the right background"),
            m->background[0], m->background[1], m->background[2], m->background_delta_e, p->background[0],
            p->background[1], p->background[2]);
    else if (m->background_stray > MAX_STRAY)
        add(r, GP_PC_BACKGROUND, GP_WARNING,
            _("%.0f%% of the background differs from its colour (shadows, objects or text?); the standard asks for "
              "a plain background"),
            m->background_stray * 100.0);
}

static gp_photo_check *check_new(size_t size)
{
    gp_photo_check *chk = calloc(1, sizeof *chk);
    if (chk == NULL || (chk->report = gp_report_new()) == NULL) {
        free(chk);
        return NULL;
    }
    gp_photo_measurements *m = &chk->m;
    m->head_top = m->face_left = m->face_right = m->face_width = -1;
    m->face_x = m->face_y = m->face_w = m->face_h = -1;
    m->eye_line = m->sharpness = -1.0;
    m->file_bytes = (long)size;
    return chk;
}

gp_photo_check *gp_photo_check_refused(const char *name, const char *code, const char *message)
{
    gp_photo_check *chk = check_new(0);
    if (chk == NULL)
        return NULL;
    chk->id_number = gp_photo_id_from_name(name);
    gp_report_add(chk->report, GP_ERROR, code, name, 0, NULL, "%s", message);
    return chk;
}

gp_status gp_photo_check_memory(gp_photo_checker *checker, const char *name, const unsigned char *data,
                                size_t size, gp_photo_check **out, gp_error **err)
{
    *out = check_new(size);
    if (*out == NULL)
        return gp_error_nomem(err);
    run r = {checker, *out, name, false};
    check_name(&r);
    gp_jpeg_markers mk;
    if (check_header(&r, data, size, &mk))
        check_pixels(&r, data, size, &mk);
    if (r.nomem) {
        gp_photo_check_free(*out);
        *out = NULL;
        return gp_error_nomem(err);
    }
    return GP_OK;
}

gp_status gp_photo_check_file(gp_photo_checker *checker, const char *path, gp_photo_check **out, gp_error **err)
{
    *out = NULL;
    unsigned char *data = NULL;
    size_t size = 0;
    gp_error *read_err = NULL;
    gp_status st = gp_read_file(path, GP_PHOTO_MAX_FILE_BYTES, &data, &size, &read_err);
    if (st == GP_E_INVALID) {
        /* gp_read_file refuses only oversized files with GP_E_INVALID. */
        gp_error_free(read_err);
        if ((*out = check_new(GP_PHOTO_MAX_FILE_BYTES)) == NULL)
            return gp_error_nomem(err);
        run r = {checker, *out, path, false};
        check_name(&r);
        if (r.nomem) {
            gp_photo_check_free(*out);
            *out = NULL;
            return gp_error_nomem(err);
        }
        add(&r, GP_PC_FILE_SIZE, GP_ERROR, _("the file is larger than %u MB, far beyond the standard's %d-%d KB"),
            GP_PHOTO_MAX_FILE_BYTES / (1024u * 1024u), checker->profile->file_kb.min, checker->profile->file_kb.max);
        return GP_OK;
    }
    if (st != GP_OK) {
        if (err != NULL && *err == NULL)
            *err = read_err;
        else
            gp_error_free(read_err);
        return st;
    }
    st = gp_photo_check_memory(checker, path, data, size, out, err);
    free(data);
    return st;
}
