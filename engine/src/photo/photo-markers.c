/* Reading what a JPEG says about itself before any decoding: the frame
 * (to refuse absurd dimensions before libjpeg-turbo sees the file), the
 * density, the quantisation tables, the colour transform and profile, and
 * the EXIF orientation (which libjpeg ignores but every viewer and minilab
 * applies). Every length read from the file is checked against the bytes
 * that are really there. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "photo-check-private.h"

#define EXIF_TAG_ORIENTATION 0x0112
#define EXIF_TAG_X_RESOLUTION 0x011A
#define EXIF_TAG_Y_RESOLUTION 0x011B
#define EXIF_TAG_RESOLUTION_UNIT 0x0128
#define EXIF_TAG_GPS_IFD 0x8825
#define TIFF_TYPE_SHORT 3
#define TIFF_TYPE_LONG 4
#define TIFF_TYPE_RATIONAL 5
#define TIFF_ENTRY_SIZE 12
#define ICC_SIGNATURE "ICC_PROFILE"
#define ICC_HEADER_SIZE 14 /* signature with its NUL, sequence number, count */

static unsigned read16(const unsigned char *p, int little)
{
    return little ? (unsigned)p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | (unsigned)p[1];
}

static uint32_t read32(const unsigned char *p, int little)
{
    return little ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
                  : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* A SHORT or LONG value held in an entry's four value bytes (left-justified). */
static long entry_integer(const unsigned char *e, int little)
{
    unsigned type = read16(e + 2, little);
    if (read32(e + 4, little) < 1)
        return -1;
    if (type == TIFF_TYPE_SHORT)
        return (long)read16(e + 8, little);
    if (type == TIFF_TYPE_LONG) {
        uint32_t v = read32(e + 8, little);
        return v <= 0x7FFFFFFFu ? (long)v : -1;
    }
    return -1;
}

/* A RATIONAL lives at an offset: eight bytes, numerator then denominator. */
static double entry_rational(const unsigned char *tiff, size_t size, const unsigned char *e, int little)
{
    if (read16(e + 2, little) != TIFF_TYPE_RATIONAL || read32(e + 4, little) < 1)
        return 0.0;
    uint32_t offset = read32(e + 8, little);
    if (offset < 8 || offset > size || size - offset < 8)
        return 0.0;
    uint32_t num = read32(tiff + offset, little), den = read32(tiff + offset + 4, little);
    return den == 0 ? 0.0 : (double)num / den;
}

void gp_exif_read(const unsigned char *tiff, size_t size, gp_exif *out)
{
    memset(out, 0, sizeof *out);
    if (size < 8)
        return;
    int little;
    if (tiff[0] == 'I' && tiff[1] == 'I')
        little = 1;
    else if (tiff[0] == 'M' && tiff[1] == 'M')
        little = 0;
    else
        return;
    if (read16(tiff + 2, little) != 42)
        return;
    uint32_t ifd = read32(tiff + 4, little);
    if (ifd < 8 || ifd > size - 2)
        return;
    size_t entries = read16(tiff + ifd, little);
    if (entries > (size - ifd - 2) / TIFF_ENTRY_SIZE)
        return;
    for (size_t i = 0; i < entries; i++) {
        const unsigned char *e = tiff + ifd + 2 + i * TIFF_ENTRY_SIZE;
        long v;
        switch (read16(e, little)) {
        case EXIF_TAG_ORIENTATION:
            v = entry_integer(e, little);
            out->orientation = v >= 0 && v <= 0xFFFF ? (int)v : 0;
            break;
        case EXIF_TAG_RESOLUTION_UNIT:
            v = entry_integer(e, little);
            out->resolution_unit = v == 2 || v == 3 ? (int)v : 0;
            break;
        case EXIF_TAG_X_RESOLUTION: out->x_resolution = entry_rational(tiff, size, e, little); break;
        case EXIF_TAG_Y_RESOLUTION: out->y_resolution = entry_rational(tiff, size, e, little); break;
        case EXIF_TAG_GPS_IFD: out->has_gps = true; break;
        default: break;
        }
    }
}

int gp_exif_orientation(const unsigned char *tiff, size_t size)
{
    gp_exif exif;
    gp_exif_read(tiff, size, &exif);
    return exif.orientation;
}

static int is_sof(unsigned marker)
{
    /* C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames. */
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

typedef struct segment {
    unsigned marker;
    const unsigned char *body;
    size_t len;
} segment;

/* The next marker segment with a length at or after *pos; false at the
 * first scan, the end of the image or anything malformed. */
static int next_segment(const unsigned char *data, size_t size, size_t *pos, segment *seg)
{
    size_t i = *pos;
    while (size - i >= 2) {
        if (data[i] != 0xFF)
            return 0;
        unsigned marker = data[i + 1];
        if (marker == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) { /* no length */
            i += 2;
            continue;
        }
        if (marker == 0xDA || marker == 0xD9 || size - i < 4)
            return 0;
        size_t len = read16(data + i + 2, 0);
        if (len < 2 || len > size - i - 2)
            return 0;
        seg->marker = marker;
        seg->body = data + i + 4;
        seg->len = len - 2;
        *pos = i + 2 + len;
        return 1;
    }
    return 0;
}

static int starts_jpeg(const unsigned char *data, size_t size) { return size >= 2 && data[0] == 0xFF && data[1] == 0xD8; }

/* DQT: any number of tables, each a precision/id byte and 64 values of 8 or 16 bits. */
static void read_dqt(const segment *s, gp_jpeg_markers *out)
{
    size_t k = 0;
    while (k < s->len) {
        unsigned precision = s->body[k] >> 4, id = s->body[k] & 15;
        size_t bytes = precision ? 128 : 64;
        if (precision > 1 || s->len - k - 1 < bytes)
            return;
        if (id < 2) {
            for (int j = 0; j < 64; j++)
                out->qtable[id][j] =
                    precision ? (unsigned short)read16(s->body + k + 1 + 2 * j, 0) : s->body[k + 1 + j];
            out->has_qtable[id] = true;
        }
        k += 1 + bytes;
    }
}

static void read_sof(const segment *s, gp_jpeg_markers *out)
{
    if (s->len < 6)
        return;
    out->sof = (int)s->marker;
    out->precision = s->body[0];
    out->height = (int)read16(s->body + 1, 0);
    out->width = (int)read16(s->body + 3, 0);
    out->components = s->body[5];
    for (int c = 0; c < out->components && c < 4 && 6 + 3 * (size_t)c + 3 <= s->len; c++) {
        const unsigned char *p = s->body + 6 + 3 * c;
        out->h_sampling[c] = p[1] >> 4;
        out->v_sampling[c] = p[1] & 15;
        out->component_qtable[c] = p[2];
    }
}

static void read_app(const segment *s, gp_jpeg_markers *out)
{
    out->app_segments++;
    if (s->marker == 0xE0 && !out->has_jfif && s->len >= 12 && memcmp(s->body, "JFIF\0", 5) == 0) {
        out->has_jfif = true;
        out->jfif_units = s->body[7];
        out->jfif_x_density = (int)read16(s->body + 8, 0);
        out->jfif_y_density = (int)read16(s->body + 10, 0);
    } else if (s->marker == 0xE1 && !out->has_exif && s->len >= 6 && memcmp(s->body, "Exif\0\0", 6) == 0) {
        out->has_exif = true;
        gp_exif_read(s->body + 6, s->len - 6, &out->exif);
        out->orientation = out->exif.orientation;
    } else if (s->marker == 0xE2 && s->len >= ICC_HEADER_SIZE && memcmp(s->body, ICC_SIGNATURE, 12) == 0) {
        out->icc_chunks++;
    } else if (s->marker == 0xEE && s->len >= 12 && memcmp(s->body, "Adobe", 5) == 0) {
        out->has_adobe = true;
        out->adobe_transform = s->body[11];
    }
}

void gp_jpeg_scan_markers(const unsigned char *data, size_t size, gp_jpeg_markers *out)
{
    memset(out, 0, sizeof *out);
    if (!starts_jpeg(data, size))
        return;
    size_t pos = 2;
    segment s;
    while (next_segment(data, size, &pos, &s)) {
        if (is_sof(s.marker)) {
            if (out->width == 0)
                read_sof(&s, out);
        } else if (s.marker == 0xDB) {
            read_dqt(&s, out);
        } else if (s.marker >= 0xE0 && s.marker <= 0xEF) {
            read_app(&s, out);
        } else if (s.marker == 0xFE) {
            out->com_segments++;
        }
    }
}

unsigned char *gp_jpeg_icc_profile(const unsigned char *data, size_t size, size_t *profile_size)
{
    *profile_size = 0;
    if (!starts_jpeg(data, size))
        return NULL;
    /* Sequence numbers count from 1 to the chunk count, at most 255. */
    const unsigned char *chunk[256] = {NULL};
    size_t chunk_len[256] = {0};
    int count = 0;
    size_t pos = 2, total = 0;
    segment s;
    while (next_segment(data, size, &pos, &s)) {
        if (s.marker != 0xE2 || s.len < ICC_HEADER_SIZE || memcmp(s.body, ICC_SIGNATURE, 12) != 0)
            continue;
        int seq = s.body[12], n = s.body[13];
        if (n == 0 || seq == 0 || seq > n || (count != 0 && n != count) || chunk[seq] != NULL)
            return NULL;
        count = n;
        chunk[seq] = s.body + ICC_HEADER_SIZE;
        chunk_len[seq] = s.len - ICC_HEADER_SIZE;
        total += chunk_len[seq];
    }
    if (count == 0 || total == 0)
        return NULL;
    unsigned char *profile = malloc(total);
    if (profile == NULL)
        return NULL;
    size_t at = 0;
    for (int seq = 1; seq <= count; seq++) {
        if (chunk[seq] == NULL) {
            free(profile);
            return NULL;
        }
        memcpy(profile + at, chunk[seq], chunk_len[seq]);
        at += chunk_len[seq];
    }
    *profile_size = total;
    return profile;
}

const char *gp_photo_sniff_format(const unsigned char *data, size_t size)
{
    static const struct {
        const char *name;
        size_t offset;
        const char *magic;
        size_t len;
    } magics[] = {
        {"PNG", 0, "\x89PNG\r\n\x1a\n", 8},
        {"GIF", 0, "GIF8", 4},
        {"WebP", 8, "WEBP", 4},
        {"BMP", 0, "BM", 2},
        {"TIFF", 0, "II*\0", 4},
        {"TIFF", 0, "MM\0*", 4},
        {"PDF", 0, "%PDF", 4},
        {"JPEG 2000", 0, "\0\0\0\x0cjP  ", 8},
    };
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
        if (size >= magics[i].offset + magics[i].len &&
            memcmp(data + magics[i].offset, magics[i].magic, magics[i].len) == 0)
            return magics[i].name;
    /* ISO base media files: a box size, "ftyp", then the major brand. */
    if (size >= 12 && memcmp(data + 4, "ftyp", 4) == 0) {
        static const char *const heif_brands[] = {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"};
        for (size_t i = 0; i < sizeof heif_brands / sizeof heif_brands[0]; i++)
            if (memcmp(data + 8, heif_brands[i], 4) == 0)
                return "HEIC";
        if (memcmp(data + 8, "avif", 4) == 0)
            return "AVIF";
    }
    return NULL;
}
