/* Explaining why a document fails the template schema in the template's own
 * terms. libxml2's RelaxNG messages are poor ("Element text failed to
 * validate attributes", "Did not expect element txt there"), untranslated
 * and sometimes without a line; so when validation fails, the document is
 * walked against the element table first: an unknown element or attribute
 * with the nearest right name, a value outside the allowed ones, text where
 * only elements belong, an element in the wrong parent or a namespace, each
 * with its line and the element's synopsis. */
#ifndef GP_STRUCTURE_PRIVATE_H
#define GP_STRUCTURE_PRIVATE_H

#include <stdbool.h>

#include <libxml/tree.h>

#include "gradprint.h"
#include "../base/strbuf-private.h"

/* Appends the first such problem in doc to why and sets *line; false when
 * the walk finds none. */
bool gp_structure_explain(xmlDocPtr doc, gp_strbuf *why, long *line);

#endif
