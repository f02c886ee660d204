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
    GP_EL_CUT_GUIDES, /* cutting ticks in the gaps around every photo slot */
    GP_EL_PARAGRAPH,  /* flowing text with fields, wrapped and justified in the box; overflow is an error */
    GP_EL_IMAGE,      /* a fixed image (signature, logo): PNG, JPEG or a PDF page, scaled into the box */
    GP_EL_BACKGROUND  /* the blank itself (scan or PDF), covering the page, drawn only in proofs */
} gp_element_kind;

typedef enum gp_image_format { GP_IMAGE_PNG, GP_IMAGE_JPEG, GP_IMAGE_PDF } gp_image_format;

typedef struct gp_paragraph_style {
    double line_height_mm;    /* baseline to baseline */
    double first_indent_mm;   /* indent of the first line (two characters in Chinese usage) */
    bool justify;             /* full lines stretch to the box width, between characters for CJK */
    bool underline_fields;    /* text that came from fields is underlined */
    double underline_width_mm;
} gp_paragraph_style;

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
    gp_paragraph_style para;    /* PARAGRAPH (font, size, colour in style) */
    char *src;                  /* IMAGE, BACKGROUND: absolute path, resolved against the template's directory */
    gp_image_format src_format; /* IMAGE, BACKGROUND */
    int src_page;               /* IMAGE, BACKGROUND from a PDF: 1-based page */
    char *id;                   /* optional id="" naming the element on the calibration page, or NULL */
} gp_element;

/* A check a template declares on a field: <validate field="diploma_no"
 * required="true" pattern="[0-9]{18}" unique="true" message="..."/>. Runs in
 * certificate preflight, once per selected record. */
typedef struct gp_validator {
    char *field;       /* canonical key */
    long line;
    bool required;
    char *pattern;     /* POSIX extended regex the whole value must match, or NULL */
    void *compiled;    /* the compiled pattern (regex_t), owned; NULL without pattern */
    int min_chars;     /* characters, not bytes; 0 = no limit */
    int max_chars;
    bool unique;       /* no two selected records may share the value */
    char *message;     /* what a valid value looks like, for findings; NULL = generic */
} gp_validator;

/* True when value (not NULL) satisfies v's pattern and length limits. */
bool gp_validator_accepts(const gp_validator *v, const char *value);

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
    gp_validator *validators;
    size_t nvalidators;
};

/* Templates larger than this are refused unread. */
#define GP_TEMPLATE_MAX_BYTES (1024 * 1024)

/* gp_template_load for bytes already in memory (the fuzzer's way in). file
 * names the input in messages and becomes tpl->path. */
gp_status gp_template_parse_memory(gp_context *ctx, const char *data, size_t size, const char *file,
                                   gp_template **out, gp_error **err);

/* Fields a template may refer to besides the roster's canonical keys. */
#define GP_FIELD_SCHOOL "school"
/* Certificates: the gender, from the roster or else from the ID number's
 * 17th digit (odd 男, even 女), is looked up under the canonical "gender". */

#endif
