/* Measuring a decoded photo: where the face, the eyes and the top of the
 * head are, what the background is, and whether the picture is sharp,
 * framed or grey. The same code looks at a 480x640 photo being checked and
 * at a reduced camera original being prepared, so everything here works in
 * the image's own pixels and scales with the face it finds. */
#ifndef GP_PHOTO_ANALYSIS_PRIVATE_H
#define GP_PHOTO_ANALYSIS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gradprint.h"
#include "photo-detect-private.h"

/* Packed 8-bit sRGB, row by row. */
typedef struct gp_rgb_image {
    const unsigned char *pixels;
    int width, height, stride;
} gp_rgb_image;

/* Reusable buffers of one thread's analyses. */
typedef struct gp_analysis_scratch {
    unsigned char *gray, *small;
    size_t gray_cap, small_cap;
} gp_analysis_scratch;

void gp_analysis_scratch_free(gp_analysis_scratch *s);

typedef struct gp_face_geometry {
    int faces;               /* faces found (a second one counts only when eyes confirm it) */
    gp_pixel_box face;             /* the largest */
    gp_pixel_box other;            /* the second face, when faces > 1 */
    bool eyes_found;
    double eye_lx, eye_ly, eye_rx, eye_ry; /* pupils, viewer's left first */
    double eye_line;         /* y between the pupils, or estimated from the face box */
    double tilt;             /* degrees, + when the right eye is lower; 0 without eyes */
    int face_left, face_right; /* x of the cheeks; -1 when not measured */
    int face_width;          /* cheek to cheek, across the face; -1 when not measured */
    int head_top;            /* -1 when not found */
    bool background_known;
    int background[3];       /* from the top corners */
} gp_face_geometry;

/* Finds the face (sides between min_face and max_face pixels), its eyes,
 * its width and the top of the head in img, looking inside a frame of
 * frame pixels along the edges. GP_E_NOMEM when memory ran out,
 * GP_E_INTERNAL when OpenCV failed (no error is set: callers say what it
 * means for them); no face is GP_OK with geometry->faces == 0. */
gp_status gp_locate_face(gp_face_detector *detector, gp_analysis_scratch *scratch, const gp_rgb_image *img,
                    int min_face, int max_face, int frame, gp_face_geometry *geometry);

/* The top of the head in the column band [x0, x1): the first of three rows
 * in a row that differ from bg over a quarter of the band, searched from
 * start_y down to stop_y. -1 when none. */
int gp_find_head_top(const gp_rgb_image *img, const int bg[3], int x0, int x1, int start_y, int stop_y);

/* The background's median colour over the area a conforming photo keeps
 * free (above the head and beside it down to the eye line, inside any
 * frame), and the share of that area that strays from it. */
void gp_measure_background(const gp_rgb_image *img, int head_top, double eye_line, int frame, int median[3],
                           double *stray);

/* A border along an edge: lines of one colour along the whole edge, unlike
 * what lies inside them. Dark clothing reaching the bottom edge is none,
 * since the clothing is not uniform along the whole edge or goes on
 * inward; neither is a plain background above the head, which goes on
 * far deeper than any border. */
typedef enum gp_edge { GP_EDGE_TOP, GP_EDGE_BOTTOM, GP_EDGE_LEFT, GP_EDGE_RIGHT } gp_edge;
typedef struct gp_frame {
    int width;   /* px, 0 when there is no border */
    gp_edge edge; /* the widest */
    bool dark;   /* black or nearly so */
} gp_frame;
void gp_measure_frame(const gp_rgb_image *img, gp_frame *out);

/* Variance of the 4-neighbour Laplacian of the grey image inside box. */
double gp_measure_sharpness(const gp_rgb_image *img, gp_pixel_box box);

/* True when fewer than 1 in 200 pixels carries any colour. */
bool gp_is_grey(const gp_rgb_image *img);

/* Per-channel histograms of the pixels in some rectangles, for medians. */
typedef struct gp_colour_histogram {
    long counts[3][256];
    long n;
} gp_colour_histogram;

/* Adds the pixels of [x0, x1) x [y0, y1) (clipped to img). */
void gp_histogram_add(gp_colour_histogram *h, const gp_rgb_image *img, int x0, int y0, int x1, int y1);
void gp_histogram_median(const gp_colour_histogram *h, int out[3]);

/* CIE76 delta E between two sRGB colours (D65). */
double gp_delta_e(const int a[3], const int b[3]);

#endif
