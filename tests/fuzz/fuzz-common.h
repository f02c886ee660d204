/* What the fuzzers that need a context share: one context for the whole
 * run, made in LLVMFuzzerInitialize (before the first input, so what the
 * libraries keep for themselves is not charged to an input as a leak), and
 * LeakSanitizer suppressions for the system libraries' own one-off blocks,
 * compiled in so that a fuzzer started by hand, without .ci/lsan.supp and
 * its slow unwinder, behaves as in CI. */
#ifndef GP_FUZZ_COMMON_H
#define GP_FUZZ_COMMON_H

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>

#include "gradprint.h"

/* fontconfig (2.14) and expat keep a few blocks from every configuration
 * parse; cairo 1.16 keeps one array per finished PDF surface and one
 * pattern per toy font face; Pango 1.50 drops a match its fontconfig
 * worker thread made when the font map goes first. Matched by library
 * (the fast unwinder sees the first frame inside it) and by function
 * (the slow one sees more). None of them is gradprint's code. */
#define GP_FUZZ_LSAN_SUPPRESSIONS                                                                              \
    "leak:libfontconfig.so\n"                                                                                  \
    "leak:libexpat.so\n"                                                                                       \
    "leak:XML_ParseBuffer\n"                                                                                   \
    "leak:cairo_surface_finish\n"                                                                              \
    "leak:cairo_select_font_face\n"                                                                            \
    "leak:FcFontSetMatch\n"                                                                                    \
    "leak:FcFontSetSort\n"

/* The context: GRADPRINT_DATADIR, else this source tree (a fuzzer started
 * by hand needs no environment). Aborts when there is none. */
static inline gp_context *gp_fuzz_context(const char *fuzzer)
{
    const char *dir = getenv("GRADPRINT_DATADIR");
    gp_context_options opts = {.data_dir = dir != NULL && *dir != '\0' ? dir : GP_SOURCE_DIR};
    gp_context *ctx = NULL;
    gp_error *err = NULL;
    if (gp_context_new(&opts, &ctx, &err) != GP_OK) {
        fprintf(stderr, "%s: %s (set GRADPRINT_DATADIR)\n", fuzzer, gp_error_message(err));
        abort();
    }
    return ctx;
}

/* Drawing goes to a recording surface: every call of the drawing code runs
 * and its status is checked, but no glyph is rasterised, which would cost
 * more than everything else an input does. */
static inline cairo_t *gp_fuzz_drawing(void)
{
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
    cairo_t *cr = cairo_create(rec);
    cairo_surface_destroy(rec);
    return cr;
}

/* Aborts when the drawing put cr or its target into an error state (a PDF
 * surface would be spoilt for every later page). */
static inline void gp_fuzz_finish_drawing(cairo_t *cr)
{
    cairo_status_t status = cairo_status(cr);
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status(cairo_get_target(cr));
    if (status != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "drawing failed: %s\n", cairo_status_to_string(status));
        abort();
    }
    cairo_destroy(cr);
}

#endif
