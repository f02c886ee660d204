/* Test photos of a real face: the public-domain NASA portrait of astronaut
 * Eileen Collins that Debian's python3-skimage ships, cut out of its studio
 * backdrop and set onto any background at any scale and position. Nothing
 * of it is committed: every test photo is made here, from that file. */
#ifndef TEST_PHOTOS_FIXTURE_H
#define TEST_PHOTOS_FIXTURE_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#define TPF_ASTRONAUT_PNG "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"

/* Where things are in the 512x512 portrait, measured by eye on a 4x
 * enlargement (see tests/README in the commit that added this): the top of
 * the hair, the pupils, the cheeks at the height of the nose tip. */
#define TPF_HEAD_TOP 17.0
#define TPF_PUPIL_LX 204.0
#define TPF_PUPIL_LY 100.0
#define TPF_PUPIL_RX 246.0
#define TPF_PUPIL_RY 102.0
#define TPF_CHEEK_L 179.0
#define TPF_CHEEK_R 271.0
#define TPF_FACE_CX ((TPF_CHEEK_L + TPF_CHEEK_R) / 2.0)
#define TPF_EYE_Y ((TPF_PUPIL_LY + TPF_PUPIL_RY) / 2.0)
#define TPF_FACE_W (TPF_CHEEK_R - TPF_CHEEK_L)

/* How to place the portrait: scale in output pixels per portrait pixel,
 * where the top of the head and the middle of the face land, and a turn
 * in degrees (clockwise) about the face's middle. */
typedef struct tpf_place {
    int width, height;
    double background[3]; /* 0..1 */
    double scale;
    double head_top;
    double centre_x;
    double turn;
} tpf_place;

/* The standard's photo: 480x640, light blue, head top at 80, eyes at
 * about 262, face about 212 px wide. */
tpf_place tpf_standard(void);

/* The cut-out portrait (ARGB32, transparent around her); NULL when the
 * file is missing. Owned by the fixture, made once per process. */
cairo_surface_t *tpf_cutout(void);

/* The portrait placed on its background (RGB24). */
cairo_surface_t *tpf_compose(const tpf_place *place);

/* Where a portrait point lands. */
void tpf_map(const tpf_place *place, double sx, double sy, double *ox, double *oy);

/* A JPEG of s written with libjpeg: quality, chroma subsampled 2x2 or
 * not, JFIF density (units 0 aspect only, 1 dpi, 2 dpcm). */
unsigned char *tpf_encode(cairo_surface_t *s, int quality, bool subsample, int density_unit, int density,
                          size_t *size);
/* A one-component (greyscale) JPEG of the surface's luminance, 300 dpi. */
unsigned char *tpf_encode_grey(cairo_surface_t *s, int quality, size_t *size);
/* The highest quality (<= 95) whose file is at most max_bytes, 300 dpi, 4:2:0. */
unsigned char *tpf_encode_fit(cairo_surface_t *s, size_t max_bytes, int *quality, size_t *size);

/* A blur of radius r pixels (three box passes, about a Gaussian). */
void tpf_blur(cairo_surface_t *s, int r);

/* A valid ID number (GB 11643) made from a serial. */
void tpf_id(unsigned serial, char id[19]);

#endif
