/* Building a gp_template from a validated document: the element table the
 * loader dispatches on, the helpers every element's parse function shares,
 * and the checks that run once everything is read. */
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
    size_t validator_cap;
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

/* ---- helpers for parse functions (build.c) ---- */

/* An element's text without the indentation around it: leading and trailing
 * blanks go, and a run of blanks holding a line break becomes one space.
 * Spaces typed on one line stay. NULL on allocation failure. */
char *gp_build_node_text(xmlNodePtr node);

/* The text of a <paragraph>: blanks at either end go, and every run of
 * blanks inside shrinks. A run holding a line break vanishes when the
 * character on either side of it is wide (Chinese needs no space between
 * words, so re-wrapping a sentence in the XML changes nothing); otherwise a
 * run becomes one space. A field's brace is looked through: "，\n{name}"
 * joins, "{a}\n{b}" keeps one space. NULL on allocation failure. */
char *gp_build_paragraph_text(const char *raw);

/* "<name attr="raw">: why" at node's line. */
gp_status gp_build_bad_value(gp_builder *b, xmlNodePtr node, const char *name, const gp_attr_value *v,
                             const char *why, gp_error **err);

/* The number of a present attribute checked against [min, max]; min_open
 * makes min itself invalid ("more than 0"). */
gp_status gp_build_number(gp_builder *b, xmlNodePtr node, const gp_attrs *a, const char *name, double min,
                          bool min_open, double max, double *out, gp_error **err);

/* x, y, width, height. */
gp_status gp_build_box(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_box *box, gp_error **err);

/* color="#rrggbb", black when absent. */
void gp_build_color(const gp_attrs *a, double rgb[3]);

/* font, size, min-size (at most size; default size), bold and color. */
gp_status gp_build_text_style(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_text_style *style,
                              gp_error **err);

/* src as a pattern whose fields all exist (canonical keys and "school");
 * an empty src is an error naming the element. */
gp_status gp_build_pattern(gp_builder *b, xmlNodePtr node, const char *src, gp_pattern **out, gp_error **err);

/* id="..." when present: a name without blanks, for the calibration page
 * (uniqueness is checked with the rest, in gp_template_check). */
gp_status gp_build_id(gp_builder *b, xmlNodePtr node, const gp_attrs *a, char **out, gp_error **err);

/* ---- files an element draws (source.c) ---- */

/* src (and page) of an <image> or <background>: resolved against the
 * template's directory into el->src (absolute, symbolic links resolved),
 * the file a readable regular file, el->src_format from its first bytes
 * (never the name), el->src_page within a PDF's pages. */
gp_status gp_build_source(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_element *el, gp_error **err);

/* ---- the certificate elements (elements-cert.c) ---- */

gp_status gp_parse_paragraph(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err);
gp_status gp_parse_image(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err);
gp_status gp_parse_background(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err);
gp_status gp_parse_validate(gp_builder *b, xmlNodePtr node, const gp_attrs *a, gp_error **err);

/* ---- validators (validator.c) ---- */

/* Compiles v->pattern anchored as ^(...)$ into v->compiled; a pattern
 * regcomp refuses is an error at v->line with regerror's text. */
gp_status gp_validator_compile(gp_validator *v, const char *file, gp_error **err);
/* Frees what v owns and zeroes it. */
void gp_validator_clear(gp_validator *v);

/* Relations between elements: every box inside the page, photo slots apart,
 * ink (text, paragraphs, images, QR codes) off the photos, QR codes square,
 * paragraphs at least one line high, at most one background, ids unique. */
gp_status gp_template_check_relations(const gp_template *tpl, const char *file, gp_error **err);

#endif
