/* Colour profiles with lcms2. The test for "is sRGB" is behavioural: many
 * profiles are sRGB under another name (camera makers ship their own copy),
 * so a grid of colours goes through the transform and the profile counts as
 * sRGB when none moves by more than a level. */
#include "photo-icc-private.h"

#include <lcms2.h>
#include <stdlib.h>
#include <string.h>

struct gp_icc {
    cmsContext ctx;
    cmsHPROFILE profile;
    cmsHTRANSFORM to_srgb;
    char description[128];
};

gp_icc *gp_icc_open(const unsigned char *profile, size_t size)
{
    if (profile == NULL || size < 128 || size > 0x7FFFFFFF)
        return NULL;
    gp_icc *icc = calloc(1, sizeof *icc);
    if (icc == NULL)
        return NULL;
    /* A private context: lcms2's default one is process-wide, and its
     * default error handler is silent, which is what a library wants. */
    icc->ctx = cmsCreateContext(NULL, NULL);
    if (icc->ctx == NULL) {
        free(icc);
        return NULL;
    }
    cmsSetLogErrorHandlerTHR(icc->ctx, NULL);
    icc->profile = cmsOpenProfileFromMemTHR(icc->ctx, profile, (cmsUInt32Number)size);
    if (icc->profile == NULL || cmsGetColorSpace(icc->profile) != cmsSigRgbData) {
        gp_icc_free(icc);
        return NULL;
    }
    cmsHPROFILE srgb = cmsCreate_sRGBProfileTHR(icc->ctx);
    if (srgb != NULL)
        icc->to_srgb = cmsCreateTransformTHR(icc->ctx, icc->profile, TYPE_RGB_8, srgb, TYPE_RGB_8,
                                             INTENT_PERCEPTUAL, cmsFLAGS_BLACKPOINTCOMPENSATION);
    cmsCloseProfile(srgb);
    if (icc->to_srgb == NULL) {
        gp_icc_free(icc);
        return NULL;
    }
    cmsGetProfileInfoASCII(icc->profile, cmsInfoDescription, "en", "US", icc->description,
                           sizeof icc->description);
    icc->description[sizeof icc->description - 1] = '\0';
    return icc;
}

void gp_icc_free(gp_icc *icc)
{
    if (icc == NULL)
        return;
    if (icc->to_srgb != NULL)
        cmsDeleteTransform(icc->to_srgb);
    if (icc->profile != NULL)
        cmsCloseProfile(icc->profile);
    cmsDeleteContext(icc->ctx);
    free(icc);
}

const char *gp_icc_description(const gp_icc *icc) { return icc->description; }

bool gp_icc_is_srgb(gp_icc *icc)
{
    enum { STEPS = 6, N = STEPS * STEPS * STEPS };
    unsigned char in[N * 3], out[N * 3];
    size_t k = 0;
    for (int r = 0; r < STEPS; r++)
        for (int g = 0; g < STEPS; g++)
            for (int b = 0; b < STEPS; b++) {
                in[k++] = (unsigned char)(r * 51);
                in[k++] = (unsigned char)(g * 51);
                in[k++] = (unsigned char)(b * 51);
            }
    cmsDoTransform(icc->to_srgb, in, out, N);
    for (size_t i = 0; i < sizeof in; i++)
        if (abs((int)in[i] - (int)out[i]) > 1)
            return false;
    return true;
}

bool gp_icc_to_srgb(gp_icc *icc, unsigned char *rgb, size_t n)
{
    /* lcms2 counts pixels in a cmsUInt32Number. */
    while (n > 0) {
        size_t chunk = n > 0x1000000 ? 0x1000000 : n;
        cmsDoTransform(icc->to_srgb, rgb, rgb, (cmsUInt32Number)chunk);
        rgb += chunk * 3;
        n -= chunk;
    }
    return true;
}
