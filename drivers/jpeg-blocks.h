/* Baseline JPEG written block by block, for pages assembled in the DCT
 * domain: the photo-sheet job transforms each student's photo once per slot
 * size, entropy-codes those blocks once, and splices the coded rows into
 * every slot of the sheet, with the constant paper around them coded once
 * per job. libjpeg cannot splice coded data, so the entropy coder and the
 * file's markers are here; the tables are libjpeg's own (its standard
 * Huffman tables and its quantisation tables for the quality), read from it
 * at start, so a file from here is what libjpeg would write for the same
 * coefficients, bit for bit.
 *
 * Files are sequential baseline, three components (Y, Cb, Cr), 4:4:4 (one
 * 8x8 block of each per MCU), no restart markers; the JFIF and Exif markers
 * say the resolution in dots per inch and sRGB, as the JPEG driver's do. */
#ifndef GP_JPEG_BLOCKS_H
#define GP_JPEG_BLOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gradprint.h"

/* One MCU: an 8x8 block each of Y, Cb and Cr, quantised, in the order the
 * transform leaves them: c[comp][u * 8 + v] for horizontal frequency u and
 * vertical frequency v (natural order transposed). The coder walks them
 * in zigzag order through the tables. */
typedef struct gp_jb_mcu {
    int16_t c[3][64];
} gp_jb_mcu;

typedef struct gp_jb_huff {
    uint16_t code[256];
    uint8_t size[256]; /* 0: the symbol has no code */
    uint8_t bits[17];  /* DHT: codes of each length 1..16 */
    uint8_t vals[256]; /* DHT: the symbols in code order */
    int nvals;
} gp_jb_huff;

/* Tables of one quality: [0] luminance, [1] chrominance. */
typedef struct gp_jb_tables {
    int quality;
    uint16_t quant_zigzag[2][64]; /* as DQT carries them */
    /* Per coefficient (gp_jb_mcu order): from the transform's output to
     * quantised units. */
    float scale[2][64];
    /* The gp_jb_mcu index of zigzag position k. */
    uint8_t zigzag_from[64];
    /* A mask of coefficients in gp_jb_mcu order, a byte at a time, as a
     * mask in zigzag order: zigzag_bits[i][byte i of the mask]. */
    uint64_t zigzag_bits[8][256];
    gp_jb_huff dc[2], ac[2];
} gp_jb_tables;

/* The tables libjpeg uses for quality (1..100, baseline). GP_E_USAGE for a
 * quality outside that range. */
gp_status gp_jb_tables_init(gp_jb_tables *t, int quality, gp_error **err);

/* Colour conversion (JFIF), forward DCT and quantisation of the 8x8 pixels
 * at px: CAIRO_FORMAT_RGB24 words, stride in words. */
void gp_jb_fdct(const gp_jb_tables *t, const uint32_t *px, size_t stride, gp_jb_mcu *out);

/* True when the 64 pixels at px are all one colour (the paper, a band). */
bool gp_jb_block_uniform(const uint32_t *px, size_t stride);

/* Entropy-coded data, before byte stuffing. Allocation failure is sticky:
 * writes become no-ops and failed says so at the end. */
typedef struct gp_jb_bits {
    uint8_t *data;
    size_t len, cap; /* whole bytes in data */
    size_t run_start; /* the byte where the current run began */
    uint64_t acc;    /* pending bits, the last nacc of them */
    int nacc;
    bool failed;
} gp_jb_bits;

void gp_jb_bits_init(gp_jb_bits *b);
void gp_jb_bits_free(gp_jb_bits *b);
/* Empties b, keeping its memory. */
void gp_jb_bits_reset(gp_jb_bits *b);
/* Bits in b so far. */
static inline size_t gp_jb_bits_count(const gp_jb_bits *b) { return b->len * 8 + (size_t)b->nacc; }

/* Appends the Huffman codes of an MCU. pred holds the DC of each component
 * in the MCU before (0 at the start of the scan) and is updated. */
void gp_jb_encode_mcu(gp_jb_bits *b, const gp_jb_tables *t, const gp_jb_mcu *m, int pred[3]);

/* Ends a run: moves the pending bits into b's bytes, the last byte padded
 * with zero bits, and stores in *nbits the bits written since b was last
 * sealed or reset (the padding not counted). The next run starts at the
 * next byte, b->len, so one buffer holds many runs for
 * gp_jb_bits_append. */
void gp_jb_bits_seal(gp_jb_bits *b, size_t *nbits);
/* Appends nbits bits starting at data (a sealed run's first byte) to b, at
 * whatever bit b is. data must not point into b. */
void gp_jb_bits_append(gp_jb_bits *b, const uint8_t *data, size_t nbits);

/* Appends nbits bits of data starting at bit start_bit (counted from the
 * first byte's top bit) to b. data must hold 4 readable bytes past the last
 * byte the bits reach into. */
void gp_jb_bits_append_from(gp_jb_bits *b, const uint8_t *data, size_t start_bit, size_t nbits);

/* A whole file in memory: markers, the stuffed entropy data, EOI. */
typedef struct gp_jb_file {
    uint8_t *data;
    size_t len, cap;
} gp_jb_file;

void gp_jb_file_free(gp_jb_file *f);
/* Builds the file for a width x height page from all of scan (pads its
 * last byte with one bits, as JPEG asks; scan is finished afterwards). */
gp_status gp_jb_file_build(gp_jb_file *f, const gp_jb_tables *t, int width, int height, int dpi,
                           gp_jb_bits *scan, gp_error **err);

/* Encodes a whole RGB24 image surface's pixels the plain way, block by
 * block (one-colour blocks are transformed once per colour): for pages
 * that are mostly paper, such as divider sheets. stride in words. */
gp_status gp_jb_encode_pixels(const gp_jb_tables *t, const uint32_t *px, size_t stride, int width, int height,
                              gp_jb_bits *scan, gp_error **err);

/* The Exif APP1 body (after the marker and length) the photo-lab files
 * carry: X/YResolution in dots per inch and ColorSpace sRGB. */
#define GP_JPEG_EXIF_APP1_SIZE 126
void gp_jpeg_exif_app1(unsigned char buf[GP_JPEG_EXIF_APP1_SIZE], int dpi);

#endif
