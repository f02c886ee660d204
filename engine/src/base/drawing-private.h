/* What a drawn thing is, as plain values: where (a box in millimetres), in
 * which text and paragraph style, from which kind of image file, and which
 * bytes of a text came from fields. The template parses into these, layout
 * copies them into its marks, the text engine and render draw from them.
 * They live at the bottom so that none of those modules needs another's
 * internals for a type: render draws marks without knowing templates. */
#ifndef GP_DRAWING_PRIVATE_H
#define GP_DRAWING_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct gp_box {
    double x, y, w, h; /* mm */
} gp_box;

typedef enum gp_align { GP_ALIGN_LEFT, GP_ALIGN_CENTER, GP_ALIGN_RIGHT } gp_align;

typedef struct gp_text_style {
    char *family;        /* logical family: "song", "sans" or "kai" */
    double size_pt;
    double min_size_pt;  /* shrink-to-fit floor; equal to size_pt when the text may not shrink */
    bool bold;
    gp_align align;
    double letter_spacing_pt;
    double color[3];     /* RGB 0..1 */
} gp_text_style;

typedef struct gp_paragraph_style {
    double line_height_mm;    /* baseline to baseline */
    double first_indent_mm;   /* indent of the first line (two characters in Chinese usage) */
    bool justify;             /* full lines stretch to the box width, between characters for CJK */
    bool underline_fields;    /* text that came from fields is underlined */
    double underline_width_mm;
} gp_paragraph_style;

typedef enum gp_image_format { GP_IMAGE_PNG, GP_IMAGE_JPEG, GP_IMAGE_PDF } gp_image_format;

/* Where the text of each field landed in an expansion: byte offsets into
 * the output, for underlining filled-in fields in a paragraph. */
typedef struct gp_span {
    size_t start, end;
} gp_span;

#endif
