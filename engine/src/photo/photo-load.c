/* Loading a photo: its bytes and what its header promises, checked so that
 * everything refused is refused before a single pixel is allocated. */
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "photo-check-private.h"

static const char *orientation_meaning(int orientation)
{
    switch (orientation) {
    case 2: return _("mirrored");
    case 3: return _("upside down");
    case 4: return _("upside down and mirrored");
    case 5: return _("turned and mirrored");
    case 6: return _("turned 90 degrees clockwise");
    case 7: return _("turned and mirrored");
    case 8: return _("turned 90 degrees counter-clockwise");
    default: return _("of unknown meaning");
    }
}

static bool too_large(int width, int height)
{
    return width > GP_PHOTO_MAX_SIDE || height > GP_PHOTO_MAX_SIDE ||
           (unsigned long long)width * (unsigned long long)height > GP_PHOTO_MAX_PIXELS;
}

static gp_status refuse_too_large(const char *name, int width, int height, gp_photo_problem *problem, gp_error **err)
{
    *problem = GP_PHOTO_TOO_LARGE;
    return gp_error_set(err, GP_E_INVALID, name, 0,
                        _("the JPEG header claims %d x %d pixels, more than a photo may have (at most %d per side "
                          "and %u million pixels); export the photo again at %d x %d"),
                        width, height, GP_PHOTO_MAX_SIDE, GP_PHOTO_MAX_PIXELS / 1000000u, GP_PHOTO_EXPECTED_WIDTH,
                        GP_PHOTO_EXPECTED_HEIGHT);
}

/* Checks the bytes in photo->jpeg and fills in width and height. */
static gp_status check_header(gp_photo *photo, gp_photo_problem *problem, gp_error **err)
{
    const char *name = photo->path;
    const unsigned char *data = photo->jpeg;
    size_t size = photo->size;

    if (size == 0) {
        *problem = GP_PHOTO_NOT_JPEG;
        return gp_error_set(err, GP_E_INVALID, name, 0, "%s", _("the photo file is empty; copy the photo again"));
    }
    if (size < 2 || data[0] != 0xFF || data[1] != 0xD8) {
        *problem = GP_PHOTO_NOT_JPEG;
        const char *format = gp_photo_sniff_format(data, size);
        if (format != NULL)
            return gp_error_set(err, GP_E_INVALID, name, 0,
                                _("this is a %s file, not a JPEG (only its name says JPEG); export it as JPEG"),
                                format);
        return gp_error_set(err, GP_E_INVALID, name, 0, "%s",
                            _("this is not a JPEG file (it does not start with a JPEG marker); export the photo as "
                              "JPEG"));
    }

    /* Our own look at the frame header comes first: a file claiming
     * 60000 x 65000 pixels is refused without libjpeg-turbo touching it. */
    gp_jpeg_markers markers;
    gp_jpeg_scan_markers(data, size, &markers);
    if (too_large(markers.width, markers.height))
        return refuse_too_large(name, markers.width, markers.height, problem, err);

    tjhandle tj = tjInitDecompress();
    if (tj == NULL)
        return gp_error_nomem(err);
    int width = 0, height = 0, subsamp = 0, colorspace = 0;
    int rc = tjDecompressHeader3(tj, data, (unsigned long)size, &width, &height, &subsamp, &colorspace);
    if (rc != 0) {
        *problem = GP_PHOTO_CORRUPT;
        gp_status st = gp_error_set(err, GP_E_INVALID, name, 0,
                                    _("cannot read the JPEG header (%s); the photo is damaged, export it again"),
                                    tjGetErrorStr2(tj));
        tjDestroy(tj);
        return st;
    }
    tjDestroy(tj);

    /* turbojpeg reports a tables-only stream (no frame at all) as success
     * with no size. */
    if (width <= 0 || height <= 0) {
        *problem = GP_PHOTO_CORRUPT;
        return gp_error_set(err, GP_E_INVALID, name, 0, "%s",
                            _("the JPEG file holds no image; the photo is damaged, export it again"));
    }
    if (too_large(width, height))
        return refuse_too_large(name, width, height, problem, err);
    if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) {
        *problem = GP_PHOTO_CMYK;
        return gp_error_set(err, GP_E_INVALID, name, 0, "%s",
                            _("this is a CMYK JPEG (made for offset printing); convert it to sRGB and export it "
                              "again"));
    }
    /* 1 is upright; values outside 1..8 mean nothing and no viewer applies them. */
    if (markers.orientation >= 2 && markers.orientation <= 8) {
        *problem = GP_PHOTO_ORIENTATION;
        return gp_error_set(err, GP_E_INVALID, name, 0,
                            _("the photo carries an EXIF orientation tag (%d: %s), so viewers and the lab would "
                              "show it turned; save it upright without an orientation tag"),
                            markers.orientation, orientation_meaning(markers.orientation));
    }
    photo->width = width;
    photo->height = height;
    return GP_OK;
}

/* Takes ownership of data. */
static gp_status load_bytes(const char *name, unsigned char *data, size_t size, gp_photo **out,
                            gp_photo_problem *problem, gp_error **err)
{
    gp_photo *photo = calloc(1, sizeof *photo);
    char *path = strdup(name);
    if (photo == NULL || path == NULL) {
        free(photo);
        free(path);
        free(data);
        *problem = GP_PHOTO_UNREADABLE;
        return gp_error_nomem(err);
    }
    photo->path = path;
    photo->jpeg = data;
    photo->size = size;
    gp_status st = check_header(photo, problem, err);
    if (st != GP_OK) {
        gp_photo_free(photo);
        return st;
    }
    *out = photo;
    return GP_OK;
}

gp_status gp_photo_load_checked(const char *path, gp_photo **out, gp_photo_problem *problem, gp_error **err)
{
    *out = NULL;
    *problem = GP_PHOTO_FINE;
    unsigned char *data = NULL;
    size_t size = 0;
    gp_error *read_err = NULL;
    gp_status st = gp_read_file(path, GP_PHOTO_MAX_FILE_BYTES, &data, &size, &read_err);
    if (st == GP_E_INVALID) {
        /* gp_read_file refuses only oversized files with GP_E_INVALID. */
        gp_error_free(read_err);
        *problem = GP_PHOTO_TOO_LARGE;
        return gp_error_set(err, GP_E_INVALID, path, 0,
                            _("the photo file is larger than %u MB; export it as a %d x %d JPEG of 20-40 KB"),
                            GP_PHOTO_MAX_FILE_BYTES / (1024u * 1024u), GP_PHOTO_EXPECTED_WIDTH,
                            GP_PHOTO_EXPECTED_HEIGHT);
    }
    if (st != GP_OK) {
        *problem = GP_PHOTO_UNREADABLE;
        if (err != NULL && *err == NULL)
            *err = read_err;
        else
            gp_error_free(read_err);
        return st;
    }
    return load_bytes(path, data, size, out, problem, err);
}

gp_status gp_photo_load(const char *path, gp_photo **out, gp_error **err)
{
    gp_photo_problem problem;
    return gp_photo_load_checked(path, out, &problem, err);
}

gp_status gp_photo_from_memory(const char *name, const unsigned char *data, size_t size, gp_photo **out,
                               gp_error **err)
{
    *out = NULL;
    if (size > GP_PHOTO_MAX_FILE_BYTES)
        return gp_error_set(err, GP_E_INVALID, name, 0,
                            _("the photo file is larger than %u MB; export it as a %d x %d JPEG of 20-40 KB"),
                            GP_PHOTO_MAX_FILE_BYTES / (1024u * 1024u), GP_PHOTO_EXPECTED_WIDTH,
                            GP_PHOTO_EXPECTED_HEIGHT);
    /* One spare byte keeps malloc(0) out of the picture for empty input. */
    unsigned char *copy = malloc(size + 1);
    if (copy == NULL)
        return gp_error_nomem(err);
    if (size > 0)
        memcpy(copy, data, size);
    gp_photo_problem problem;
    return load_bytes(name, copy, size, out, &problem, err);
}

void gp_photo_free(gp_photo *photo)
{
    if (photo == NULL)
        return;
    free(photo->path);
    free(photo->jpeg);
    free(photo);
}
