/* What reached a printer, as ink on paper: decoders of the streams real
 * Debian drivers write (PostScript through Ghostscript, CUPS raster, Epson
 * ESC/P2 from Gutenprint, PDF), and the measurement of where the marks
 * landed against where they belong. Test code, independent of the engine:
 * it knows nothing of gradprint's plans, only of printer languages. */
#ifndef CHAIN_IMAGE_H
#define CHAIN_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A page as ink: ink[y * w + x] from 0 (paper) to 255 (full ink). Pixel
 * (0, 0)'s top-left corner lies origin_{x,y}_mm from the paper's top-left
 * corner; pixels are px_{x,y}_mm apart. */
typedef struct chain_image {
    int w, h;
    double px_x_mm, px_y_mm;
    double origin_x_mm, origin_y_mm;
    double paper_w_mm, paper_h_mm; /* the medium, as the stream says; 0 when it does not */
    uint8_t *ink;
} chain_image;

void chain_image_free(chain_image *img);
/* A whole file, NUL-terminated (not counted in *size); NULL when unreadable. */
uint8_t *chain_slurp(const char *path, size_t *size);

/* Page `page` (0-based) of a CUPS raster stream (v1 "RaSt", v2 "RaS2" with
 * its run-length coding, v3 "RaS3", either byte order; 1 or 8 bits,
 * gray, black, RGB or CMYK chunky). The raster covers the page's imaging
 * box, which the header gives. */
bool chain_decode_cups_raster(const char *path, int page, chain_image *img, char *why, size_t why_size);

/* Page `page` of an ESC/P2 stream as Gutenprint writes it (remote mode, ESC
 * ( U units, ESC ( c page format, ESC ( S paper size, ESC ( D nozzle
 * spacing, ESC ( v moves, ESC i raster in TIFF/PackBits, any bits per
 * dot, any colour). Horizontal 0 is the printer's left margin,
 * left_margin_pt from the paper's edge (Gutenprint logs it as "L:"). */
bool chain_decode_escp2(const char *path, int page, double left_margin_pt, chain_image *img, char *why,
                        size_t why_size);

/* Page `page` of a PostScript stream (PJL around it is fine), rendered by
 * Ghostscript at dpi. */
bool chain_decode_postscript(const char *path, int page, int dpi, const char *scratch_dir, chain_image *img,
                             char *why, size_t why_size);

/* Page `page` of a PDF, rendered by poppler at dpi. */
bool chain_decode_pdf(const char *path, int page, double dpi, chain_image *img, char *why, size_t why_size);
int chain_pdf_pages(const char *path);

/* A page printed turned (the blank's left edge along the medium's top),
 * turned back upright: the result is in the blank's frame. */
bool chain_turn_upright(const chain_image *in, chain_image *out);

/* Where the marks of `out` landed against those of `ref`, both in the
 * blank's frame: the scale and offset of the best fit out = s * ref + t
 * per axis, and how far each mark is from its place. */
typedef struct chain_fit {
    double scale_x, scale_y, offset_x_mm, offset_y_mm;
    double worst_mm;     /* the largest distance of a mark from its place */
    double worst_x_mm, worst_y_mm; /* where that mark is on the blank */
    size_t tiles, found; /* tiles of the reference with ink, and those found in the output */
    size_t ambiguous;    /* tiles left out: they would match as well elsewhere */
} chain_fit;

/* Measures over the blank (w_mm x h_mm). false when too few marks were
 * found to fit anything. */
bool chain_measure(const chain_image *ref, const chain_image *out, double w_mm, double h_mm, chain_fit *fit);

#endif
