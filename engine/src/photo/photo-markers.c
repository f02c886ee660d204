/* Reading what a JPEG says about itself before any decoding: the frame size
 * (to refuse absurd dimensions before libjpeg-turbo sees the file) and the
 * EXIF orientation (which libjpeg ignores but every viewer and minilab
 * applies). Every length read from the file is checked against the bytes
 * that are really there. */
#include <stdint.h>
#include <string.h>

#include "photo-check-private.h"

#define EXIF_TAG_ORIENTATION 0x0112
#define TIFF_TYPE_SHORT 3
#define TIFF_TYPE_LONG 4
#define TIFF_ENTRY_SIZE 12

static unsigned read16(const unsigned char *p, int little)
{
    return little ? (unsigned)p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | (unsigned)p[1];
}

static uint32_t read32(const unsigned char *p, int little)
{
    return little ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
                  : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int gp_exif_orientation(const unsigned char *tiff, size_t size)
{
    if (size < 8)
        return 0;
    int little;
    if (tiff[0] == 'I' && tiff[1] == 'I')
        little = 1;
    else if (tiff[0] == 'M' && tiff[1] == 'M')
        little = 0;
    else
        return 0;
    if (read16(tiff + 2, little) != 42)
        return 0;
    uint32_t ifd = read32(tiff + 4, little);
    if (ifd < 8 || ifd > size - 2)
        return 0;
    size_t entries = read16(tiff + ifd, little);
    if (entries > (size - ifd - 2) / TIFF_ENTRY_SIZE)
        return 0;
    for (size_t i = 0; i < entries; i++) {
        const unsigned char *e = tiff + ifd + 2 + i * TIFF_ENTRY_SIZE;
        if (read16(e, little) != EXIF_TAG_ORIENTATION)
            continue;
        unsigned type = read16(e + 2, little);
        if (read32(e + 4, little) < 1)
            return 0;
        /* SHORT is what the standard says; some writers use LONG. Either
         * fits in the four value bytes, left-justified. */
        if (type == TIFF_TYPE_SHORT)
            return (int)read16(e + 8, little);
        if (type == TIFF_TYPE_LONG) {
            uint32_t v = read32(e + 8, little);
            return v <= 0xFFFF ? (int)v : 0;
        }
        return 0;
    }
    return 0;
}

static int is_sof(unsigned marker)
{
    /* C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames. */
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

void gp_jpeg_scan_markers(const unsigned char *data, size_t size, gp_jpeg_markers *out)
{
    memset(out, 0, sizeof *out);
    if (size < 2 || data[0] != 0xFF || data[1] != 0xD8)
        return;
    size_t i = 2;
    int seen_exif = 0;
    while (size - i >= 2) {
        if (data[i] != 0xFF)
            return;
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
            return;
        size_t len = read16(data + i + 2, 0);
        if (len < 2 || len > size - i - 2)
            return;
        const unsigned char *body = data + i + 4;
        size_t body_len = len - 2;
        if (is_sof(marker) && out->width == 0 && body_len >= 6) {
            out->height = (int)read16(body + 1, 0);
            out->width = (int)read16(body + 3, 0);
            out->components = body[5];
        } else if (marker == 0xE1 && !seen_exif && body_len >= 6 && memcmp(body, "Exif\0\0", 6) == 0) {
            seen_exif = 1;
            out->orientation = gp_exif_orientation(body + 6, body_len - 6);
        }
        i += 2 + len;
    }
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
