#include "template-private.h"

#include <stdlib.h>
#include <string.h>

#include "../base/context-private.h"
#include "../base/error-private.h"
#include "../base/fileio-private.h"
#include "../base/i18n-private.h"
#include "build-private.h"
#include "structure-private.h"
#include "xml-private.h"

#define SCHEMA_PATH "templates/gradprint-template.rng"

void gp_template_free(gp_template *tpl)
{
    if (tpl == NULL)
        return;
    for (size_t i = 0; i < tpl->count; i++) {
        gp_element *el = &tpl->elements[i];
        free(el->style.family);
        gp_pattern_free(el->content);
        free(el->size_name);
        free(el->src);
        free(el->id);
    }
    free(tpl->elements);
    for (size_t i = 0; i < tpl->nvalidators; i++)
        gp_validator_clear(&tpl->validators[i]);
    free(tpl->validators);
    for (size_t i = 0; i < tpl->nmaps; i++) {
        gp_value_map *map = &tpl->maps[i];
        for (size_t k = 0; k < map->count; k++) {
            free(map->entries[k].key);
            free(map->entries[k].value);
        }
        free(map->entries);
        free(map->name);
    }
    free(tpl->maps);
    free(tpl->path);
    free(tpl->name);
    free(tpl->kind);
    free(tpl->description);
    free(tpl->school);
    free(tpl);
}

double gp_template_page_width_mm(const gp_template *tpl) { return tpl->page_w_mm; }
double gp_template_page_height_mm(const gp_template *tpl) { return tpl->page_h_mm; }
int gp_template_default_dpi(const gp_template *tpl) { return tpl->dpi; }

/* ---- schema errors -------------------------------------------------- */

/* libxml2's RelaxNG messages say where, rarely what: "Element photo failed
 * to validate attributes". The element table knows each element's
 * attributes, so it names the missing or bad one; otherwise the message
 * gets the form the element (or its parent) should have. */
static bool has_child(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr c = parent->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return true;
    return false;
}

/* Where each child of <template> may stand: the schema's order. Children
 * of one rank may repeat only where the schema says so. */
typedef struct child_rank {
    const char *name;
    int rank;
    bool repeats;
} child_rank;

static const child_rank child_ranks[] = {
    {"description", 0, false}, {"page", 1, false},      {"school", 2, false},    {"map", 3, true},
    {"validate", 4, true},     {"background", 5, false}, {"cut-guides", 6, false}, {"photo", 7, true},
    {"text", 7, true},         {"paragraph", 7, true},   {"qrcode", 7, true},    {"image", 7, true},
    {"line", 7, true},
};

static const child_rank *rank_of(xmlNodePtr node)
{
    for (size_t i = 0; i < sizeof child_ranks / sizeof child_ranks[0]; i++)
        if (strcmp(child_ranks[i].name, (const char *)node->name) == 0)
            return &child_ranks[i];
    return NULL;
}

/* libxml2 says "extra content" or "did not expect" for a child out of
 * order or repeated, pointing at the parent; this names the child, its
 * line, and the one it clashes with. False when the order is fine. */
static bool order_error(xmlNodePtr root, const char *file, gp_status *st, gp_error **err)
{
    xmlNodePtr last = NULL;
    const child_rank *last_rank = NULL;
    for (xmlNodePtr c = root->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const child_rank *r = rank_of(c);
        if (r == NULL)
            continue;
        const gp_element_spec *spec = gp_element_spec_find(r->name);
        if (last_rank != NULL && r->rank < last_rank->rank) {
            *st = gp_error_set(err, GP_E_INVALID, file, xmlGetLineNo(c), _("<%s> comes after the <%s> on line %ld; %s"),
                               r->name, last_rank->name, xmlGetLineNo(last), _(spec->synopsis));
            return true;
        }
        if (last_rank != NULL && r == last_rank && !r->repeats) {
            *st = gp_error_set(err, GP_E_INVALID, file, xmlGetLineNo(c),
                               _("a second <%s>, after the one on line %ld; keep only one: %s"), r->name,
                               xmlGetLineNo(last), _(spec->synopsis));
            return true;
        }
        if (last_rank == NULL || r->rank > last_rank->rank || r == last_rank) {
            last = c;
            last_rank = r;
        }
    }
    return false;
}

/* The error for what (freed here), with how many more problems the schema
 * check found. */
static gp_status schema_message(gp_strbuf *what, const gp_xml_errors *e, const char *file, long line,
                                gp_error **err)
{
    if (e->count > 1)
        gp_strbuf_appendf(what, _(" (%zu more problem(s) after this one)"), e->count - 1);
    gp_status st = gp_strbuf_failed(what) ? gp_error_nomem(err)
                                          : gp_error_set(err, GP_E_INVALID, file, line > 0 ? line : 1, "%s",
                                                         what->data);
    gp_strbuf_free(what);
    return st;
}

static gp_status schema_error(const gp_xml_errors *e, xmlDocPtr doc, const char *file, gp_error **err)
{
    gp_strbuf what;
    gp_strbuf_init(&what);
    long line = 0;
    if (gp_structure_explain(doc, &what, &line))
        return schema_message(&what, e, file, line, err);
    gp_strbuf_free(&what);
    gp_strbuf_init(&what);
    /* libxml2 words a missing <page> as "did not expect" whatever follows. */
    xmlNodePtr root = xmlDocGetRootElement(doc);
    bool is_template = root != NULL && strcmp((const char *)root->name, "template") == 0;
    if (is_template && !has_child(root, "page"))
        return gp_error_set(err, GP_E_INVALID, file, xmlGetLineNo(root), _("<template> has no <page>; %s"),
                            _(gp_element_spec_find("page")->synopsis));
    gp_status order_st;
    if (is_template && order_error(root, file, &order_st, err))
        return order_st;
    xmlNodePtr node = e->node;
    if (node != NULL && node->type != XML_ELEMENT_NODE)
        node = node->parent;
    if (node != NULL && node->type != XML_ELEMENT_NODE)
        node = NULL;
    /* "Element template failed to validate attributes" can arrive pointing
     * at the template's first child: the element it names is the subject. */
    for (xmlNodePtr up = node; up != NULL && up->type == XML_ELEMENT_NODE && e->subject != NULL; up = up->parent) {
        if (strcmp((const char *)up->name, e->subject) == 0) {
            node = up;
            break;
        }
    }
    line = node != NULL ? xmlGetLineNo(node) : e->line;
    if (line <= 0 && root != NULL)
        line = xmlGetLineNo(root);
    const gp_element_spec *spec = node != NULL ? gp_element_spec_find((const char *)node->name) : NULL;
    if (spec == NULL && node != NULL && node->parent != NULL && node->parent->type == XML_ELEMENT_NODE)
        spec = gp_element_spec_find((const char *)node->parent->name);
    if (spec == NULL)
        spec = gp_element_spec_find("template");

    bool named = node != NULL && strcmp((const char *)node->name, spec->name) == 0;
    if (!named || gp_attrs_check(node, spec->attrs, _(spec->synopsis), &what)) {
        gp_strbuf_clear(&what);
        gp_strbuf_appendf(&what, _("this does not follow the template schema (libxml2 says: %s); %s"),
                          e->message != NULL ? e->message : "?", _(spec->synopsis));
    }
    return schema_message(&what, e, file, line, err);
}

/* ---- building ------------------------------------------------------- */

static gp_status parse_element(gp_builder *b, xmlNodePtr node, const gp_element_spec *spec, gp_error **err)
{
    gp_attrs attrs;
    gp_status st = gp_attrs_read(node, spec->attrs, _(spec->synopsis), b->file, &attrs, err);
    if (st == GP_OK)
        st = spec->parse(b, node, &attrs, err);
    gp_attrs_free(&attrs);
    return st;
}

static bool is_element(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0;
}

/* Maps first, so the patterns of every later element can resolve
 * "map:NAME" against a map array that no longer moves. */
static gp_status build(gp_builder *b, xmlNodePtr root, gp_error **err)
{
    const gp_element_spec *top = gp_element_spec_find("template");
    if (!is_element(root, "template"))
        return gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(root), "%s", _(top->synopsis));
    gp_status st = parse_element(b, root, top, err);
    for (xmlNodePtr c = root->children; c != NULL && st == GP_OK; c = c->next)
        if (is_element(c, "map"))
            st = parse_element(b, c, gp_element_spec_find("map"), err);
    for (xmlNodePtr c = root->children; c != NULL && st == GP_OK; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is_element(c, "map"))
            continue;
        const gp_element_spec *spec = gp_element_spec_find((const char *)c->name);
        if (spec == NULL || spec->parse == NULL || spec == top)
            st = gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(c), _("<%s> does not belong here; %s"),
                              (const char *)c->name, _(top->synopsis));
        else
            st = parse_element(b, c, spec, err);
    }
    if (st == GP_OK && b->tpl->page_w_mm <= 0)
        st = gp_error_set(err, GP_E_INVALID, b->file, xmlGetLineNo(root), "%s",
                          _(gp_element_spec_find("page")->synopsis));
    return st;
}

static gp_status check_schema(gp_context *ctx, xmlDocPtr doc, const char *file, gp_error **err)
{
    char *schema = gp_path_join(gp_context_data_dir(ctx), SCHEMA_PATH);
    if (schema == NULL)
        return gp_error_nomem(err);
    bool valid;
    gp_xml_errors errors;
    gp_status st = gp_xml_validate(doc, schema, &valid, &errors, err);
    if (st == GP_OK && !valid)
        st = schema_error(&errors, doc, file, err);
    gp_xml_errors_free(&errors);
    free(schema);
    return st;
}

gp_status gp_template_parse_memory(gp_context *ctx, const char *data, size_t size, const char *file,
                                   gp_template **out, gp_error **err)
{
    *out = NULL;
    if (size > GP_TEMPLATE_MAX_BYTES)
        return gp_error_set(err, GP_E_INVALID, file, 0,
                            _("the template is %zu bytes, more than the %d a template may have"), size,
                            GP_TEMPLATE_MAX_BYTES);
    xmlDocPtr doc;
    gp_status st = gp_xml_read(data, size, file, &doc, err);
    if (st != GP_OK)
        return st;
    st = check_schema(ctx, doc, file, err);
    gp_builder b = {NULL, file, 0, 0, 0};
    if (st == GP_OK) {
        b.tpl = calloc(1, sizeof *b.tpl);
        if (b.tpl == NULL || (b.tpl->path = strdup(file)) == NULL)
            st = gp_error_nomem(err);
    }
    if (st == GP_OK)
        st = build(&b, xmlDocGetRootElement(doc), err);
    if (st == GP_OK)
        st = gp_template_check_relations(b.tpl, file, err);
    xmlFreeDoc(doc);
    if (st != GP_OK) {
        gp_template_free(b.tpl);
        return st;
    }
    *out = b.tpl;
    return GP_OK;
}

gp_status gp_template_load(gp_context *ctx, const char *path, gp_template **out, gp_error **err)
{
    *out = NULL;
    char *resolved;
    gp_status located = gp_context_locate_template(ctx, path, &resolved, err);
    if (located != GP_OK)
        return located;
    if (resolved == NULL)
        return gp_error_set(err, GP_E_IO, path, 0,
                            _("no such template; give the path of a template file or the name of one in %s/%s"),
                            gp_context_data_dir(ctx), "templates");
    unsigned char *data;
    size_t size;
    gp_status st = gp_read_file(resolved, GP_TEMPLATE_MAX_BYTES, &data, &size, err);
    if (st == GP_OK) {
        st = gp_template_parse_memory(ctx, (const char *)data, size, resolved, out, err);
        free(data);
    }
    free(resolved);
    return st;
}
