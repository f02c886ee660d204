/* Building a gp_template from a validated document: the element table the
 * loader dispatches on, and the checks that run once everything is read. */
#ifndef GP_BUILD_PRIVATE_H
#define GP_BUILD_PRIVATE_H

#include <libxml/tree.h>

#include "attrs-private.h"
#include "template-private.h"

typedef struct gp_builder {
    gp_template *tpl;
    const char *file;
    size_t element_cap;
    size_t map_cap;
} gp_builder;

typedef gp_status (*gp_element_parse_fn)(gp_builder *b, xmlNodePtr node, const gp_attrs *attrs, gp_error **err);

/* One XML element a template may hold. Adding an element to templates is one
 * row here, its parse function, and its <define> in the schema. */
typedef struct gp_element_spec {
    const char *name;
    const gp_attr_spec *attrs;
    const char *synopsis; /* untranslated (N_): the element's form, for messages */
    gp_element_parse_fn parse;
} gp_element_spec;

/* NULL for names templates do not use. */
const gp_element_spec *gp_element_spec_find(const char *name);

/* Limits that keep the pairwise checks and lookups cheap on hostile input;
 * real templates stay far below them. */
#define GP_TEMPLATE_MAX_ELEMENTS 2000
#define GP_TEMPLATE_MAX_MAPS 100
#define GP_MAP_MAX_ENTRIES 1000

/* Appends a zeroed element of kind at node's line to the template. */
gp_status gp_builder_add(gp_builder *b, gp_element_kind kind, xmlNodePtr node, gp_element **out, gp_error **err);

/* Relations between elements: every box inside the page, photo slots apart,
 * text and QR codes off the photos, QR codes square. */
gp_status gp_template_check(const gp_template *tpl, const char *file, gp_error **err);

#endif
