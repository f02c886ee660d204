/* Templates: a page in millimetres (origin top-left, x right, y down) and the
 * elements placed on it. Loaded from XML checked against
 * templates/gradprint-template.rng; every element keeps its source line so
 * later errors can point back into the file. */
#ifndef GP_TEMPLATE_PRIVATE_H
#define GP_TEMPLATE_PRIVATE_H

#include "gradprint.h"
#include "pattern-private.h"

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

typedef enum gp_element_kind {
    GP_EL_PHOTO,      /* the student's photo, cropped to the box */
    GP_EL_TEXT,       /* one line of text with fields, in the box */
    GP_EL_QRCODE,     /* a QR code of a pattern, drawn as vectors, in a square box */
    GP_EL_LINE,       /* a straight line from (x, y) to (x + w, y + h) */
    GP_EL_CUT_GUIDES  /* cutting ticks in the gaps around every photo slot */
} gp_element_kind;

typedef struct gp_element {
    gp_element_kind kind;
    long line;              /* line in the template file */
    gp_box box;
    gp_text_style style;    /* TEXT */
    gp_pattern *content;    /* TEXT: the text; QRCODE: the data */
    char qr_level;          /* QRCODE: 'L', 'M', 'Q' or 'H' */
    char *size_name;        /* PHOTO: e.g. "two-inch", for reports and tests */
    double line_width_mm;   /* LINE, CUT_GUIDES */
    double guide_length_mm; /* CUT_GUIDES: tick length */
    double color[3];        /* LINE, CUT_GUIDES */
} gp_element;

struct gp_template {
    char *path;
    char *name;          /* the <template name=""> attribute */
    double page_w_mm, page_h_mm;
    int dpi;             /* default raster resolution */
    char *school;        /* default school name, or NULL */
    gp_element *elements;
    size_t count;
    char *kind;          /* the <template kind=""> attribute: "photo-sheet" or "certificate" */
    char *description;   /* the <description>, or NULL */
    gp_value_map *maps;  /* the <map>s, for "map:NAME" formatters */
    size_t nmaps;
};

/* Templates larger than this are refused unread. */
#define GP_TEMPLATE_MAX_BYTES (1024 * 1024)

/* gp_template_load for bytes already in memory (the fuzzer's way in). file
 * names the input in messages and becomes tpl->path. */
gp_status gp_template_parse_memory(gp_context *ctx, const char *data, size_t size, const char *file,
                                   gp_template **out, gp_error **err);

/* Fields a template may refer to besides the roster's canonical keys. */
#define GP_FIELD_SCHOOL "school"

#endif
