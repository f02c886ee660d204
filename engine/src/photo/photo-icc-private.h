/* Embedded colour profiles, through Little CMS: is it sRGB in all but name,
 * and if not, its pixels converted to sRGB (what the web and the 学信网
 * viewer assume of a profile-less JPEG). Each gp_icc has its own lcms2
 * context, so nothing is shared between threads. */
#ifndef GP_PHOTO_ICC_PRIVATE_H
#define GP_PHOTO_ICC_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct gp_icc gp_icc;

/* NULL when the bytes are not an RGB ICC profile lcms2 can use. */
gp_icc *gp_icc_open(const unsigned char *profile, size_t size);
void gp_icc_free(gp_icc *icc);
/* The profile's description ("Adobe RGB (1998)"), or "" (never NULL). */
const char *gp_icc_description(const gp_icc *icc);
/* True when converting to sRGB changes no colour by more than one level. */
bool gp_icc_is_srgb(gp_icc *icc);
/* Converts n packed RGB pixels to sRGB in place (perceptual intent). */
bool gp_icc_to_srgb(gp_icc *icc, unsigned char *rgb, size_t n);

#endif
