/* Helpers the photo and JPEG driver tests share: drawing test photos with
 * cairo, encoding them with turbojpeg, editing JPEG bytes, reading pixels. */
#ifndef TEST_PHOTO_UTIL_H
#define TEST_PHOTO_UTIL_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct tp_rgb { int r, g, b; } tp_rgb;

/* A fresh directory under $TMPDIR or /tmp (malloc'd path). */
char *tp_make_tmpdir(const char *tag);
/* Removes dir and the files directly in it. */
void tp_remove_tree(const char *dir);
/* Number of entries in dir other than . and .. */
int tp_count_entries(const char *dir);

/* An asymmetric test photo: a vertical grey-blue gradient, a red marker in
 * the top-left corner (w/8 x h/16), a blue band over the right eighth and a
 * black line 4 pixels wide centred at x = w/2. */
cairo_surface_t *tp_draw_photo(int w, int h);
/* One flat colour. */
cairo_surface_t *tp_draw_flat(int w, int h, tp_rgb colour);
/* Alternating one-pixel black and white columns (the worst case for aliasing). */
cairo_surface_t *tp_draw_stripes(int w, int h);

/* Encodes an RGB24 surface with turbojpeg (subsamp TJSAMP_*); pixel_format
 * other than TJPF_BGRX converts the pixels first (TJPF_CMYK, TJPF_GRAY). */
unsigned char *tp_encode(cairo_surface_t *s, int quality, int subsamp, int pixel_format, size_t *size);
/* Inserts a segment (marker 0xFFxx, body of len bytes) right after SOI. */
unsigned char *tp_insert_segment(const unsigned char *jpeg, size_t size, int marker, const void *body, size_t len,
                                 size_t *out_size);
/* Pads a JPEG with COM segments after SOI to exactly target bytes (target >= size + 4). */
unsigned char *tp_pad_to(const unsigned char *jpeg, size_t size, size_t target, size_t *out_size);
/* An Exif APP1 body holding only IFD0 Orientation, in either byte order. */
size_t tp_exif_orientation_body(unsigned char *buf, int orientation, bool little_endian);
/* Offset of the first marker 0xFFxx (a SOFn, DHT, SOS ...) at or after 2, or 0. */
size_t tp_find_marker(const unsigned char *jpeg, size_t size, int marker);

bool tp_write_file(const char *path, const void *data, size_t size);
unsigned char *tp_read_file(const char *path, size_t *size);
/* dir/name, malloc'd. */
char *tp_join(const char *dir, const char *name);

tp_rgb tp_pixel(cairo_surface_t *s, int x, int y);
int tp_luma(tp_rgb c);
bool tp_near(tp_rgb a, tp_rgb b, int tolerance);

double tp_now_ms(void);

#endif
