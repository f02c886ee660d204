/* Reading an element's attributes by a table: each element lists the
 * attributes it takes and their types once, and the same table both reads
 * the values and explains schema errors precisely ("<photo> needs the
 * attribute height") where libxml2 only says "failed to validate". */
#ifndef GP_ATTRS_PRIVATE_H
#define GP_ATTRS_PRIVATE_H

#include <stdbool.h>

#include <libxml/tree.h>

#include "gradprint.h"
#include "../base/strbuf-private.h"

typedef enum gp_attr_type {
    GP_ATTR_MM,     /* a decimal number of millimetres */
    GP_ATTR_PT,     /* a decimal number of points */
    GP_ATTR_INT,    /* a positive integer */
    GP_ATTR_CHOICE, /* one of spec.choices, "song|sans|kai" */
    GP_ATTR_BOOL,   /* true, false, 1 or 0 */
    GP_ATTR_COLOR,  /* #rrggbb */
    GP_ATTR_TEXT    /* anything */
} gp_attr_type;

typedef struct gp_attr_spec {
    const char *name; /* NULL ends a table */
    gp_attr_type type;
    bool required;
    const char *choices;
} gp_attr_spec;

#define GP_ATTRS_MAX 16

typedef struct gp_attr_value {
    bool present;
    double number;   /* MM, PT */
    long integer;    /* INT */
    int choice;      /* CHOICE: index into the choices */
    bool flag;       /* BOOL */
    double rgb[3];   /* COLOR, 0..1 */
    const char *raw; /* the value as written (all types); valid until gp_attrs_free */
} gp_attr_value;

typedef struct gp_attrs {
    const char *element;
    const gp_attr_spec *spec;
    size_t count;
    gp_attr_value values[GP_ATTRS_MAX];
    xmlChar *owned[GP_ATTRS_MAX];
} gp_attrs;

/* Checks node's attributes against spec: unknown names, missing required
 * ones, values that do not parse. On the first problem appends "what is
 * wrong; synopsis" to why (synopsis already translated) and returns false. */
bool gp_attrs_check(xmlNodePtr node, const gp_attr_spec *spec, const char *synopsis, gp_strbuf *why);

/* Reads node's attributes by spec into out; a problem is a GP_E_INVALID
 * error at the node's line of file. Free out with gp_attrs_free either way. */
gp_status gp_attrs_read(xmlNodePtr node, const gp_attr_spec *spec, const char *synopsis, const char *file,
                        gp_attrs *out, gp_error **err);
void gp_attrs_free(gp_attrs *attrs);

/* The value of an attribute named in the spec (present or not); NULL only
 * for names the spec does not have. */
const gp_attr_value *gp_attrs_get(const gp_attrs *attrs, const char *name);

/* An XML Schema decimal: [+-]digits[.digits], blanks around allowed, no
 * exponent, no locale. */
bool gp_parse_decimal(const char *s, double *out);
/* "#rrggbb" to RGB components 0..1. */
bool gp_parse_color(const char *s, double rgb[3]);

#endif
