/* Templates: a page in millimetres (origin top-left, x right, y down) and the
 * elements placed on it. Loaded from XML checked against
 * templates/gradprint-template.rng; every element keeps its source line so
 * later errors can point back into the file. */
#ifndef GP_TEMPLATE_PRIVATE_H
#define GP_TEMPLATE_PRIVATE_H

#include "gradprint.h"
#include "pattern-private.h"
#include "../base/drawing-private.h"
#include "../base/strbuf-private.h"

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

/* How a certificate number is built, when a template says so (scheme="").
 * Schools with another numbering leave it out and write a pattern. */
typedef enum gp_number_scheme {
    GP_SCHEME_NONE,
    /* 毕业证书编号 (学历证书电子注册号): school code 5 + 办学类型 1 + year 4
     * + 培养层次 2 + serial 6, 18 digits. */
    GP_SCHEME_CN_DIPLOMA,
    /* 学位证书编号 (国务院学位委员会, 2005): [C|Z|T] + unit code 5 + level 1
     * (2 博士, 3 硕士, 4 学士) + year 4 + [S|E|Z] + serial 6. */
    GP_SCHEME_CN_DEGREE
} gp_number_scheme;

/* A number taken apart by its scheme. */
typedef struct gp_number_parts {
    char school[6];   /* school (unit) code */
    char prefix[20];  /* everything before the serial: numbers sharing it count one series */
    long serial;
} gp_number_parts;

/* The record's values a scheme is checked against; NULL when absent. */
typedef struct gp_number_context {
    const char *grad_date; /* "YYYY-MM-DD": the year of graduation or award */
    const char *level;     /* the roster's 层次: 本科, 专科, 硕士 ... */
} gp_number_context;

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
    gp_number_scheme scheme; /* certificate number structure; implies unique */
    char school_code[6];     /* scheme: the school's code, or "" (then the run must agree on one) */
} gp_validator;

/* Checks value against v's scheme: true when it has the scheme's form and
 * agrees with ctx (year, level, school code); else false with what is
 * wrong and what to do appended to why. Fills parts when not NULL. */
bool gp_number_check(const gp_validator *v, const char *value, const gp_number_context *ctx, gp_number_parts *parts,
                     gp_strbuf *why);

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
