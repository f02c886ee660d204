/* The constant part of a job's sheets (see sheets-compose-private.h):
 * slots moved onto the block grid, the paper drawn and coded once, and a
 * map saying for every 8x8 block where its coefficients come from. */
#include "sheets-plan-private.h"
#include "base/units-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/array-private.h"
#include "base/error-private.h"
#include "base/i18n-private.h"
#include "driver.h"

/* Room left around text, QR codes and paragraphs for ink past their boxes
 * (accents, a glyph's overhang); what is drawn still further out is found
 * when the sheet is checked, and that sheet is drawn the plain way. */
#define LABEL_MARGIN_MM 2.0

static px_rect rect_of(double x, double y, double w, double h, double k, double grow_mm)
{
    double x0 = fmin(x, x + w) - grow_mm, x1 = fmax(x, x + w) + grow_mm;
    double y0 = fmin(y, y + h) - grow_mm, y1 = fmax(y, y + h) + grow_mm;
    /* A pixel more on each side for antialiasing. */
    return (px_rect){(int)floor(x0 * k) - 1, (int)floor(y0 * k) - 1, (int)ceil(x1 * k) + 1, (int)ceil(y1 * k) + 1};
}

/* A photo's pixels exactly as the raster renderer places them: edges and
 * size rounded separately (render.c). */
static px_rect photo_rect(const gp_box *box, double k)
{
    int x = (int)floor(box->x * k + 0.5), y = (int)floor(box->y * k + 0.5);
    int w = (int)floor(box->w * k + 0.5), h = (int)floor(box->h * k + 0.5);
    return (px_rect){x, y, x + w, y + h};
}

px_rect gp_sheet_mark_rect(const gp_sheet_plan *plan, const gp_mark *mark)
{
    double k = plan->px_per_mm;
    const gp_box *b = &mark->box;
    switch (mark->kind) {
    case GP_MARK_PHOTO:
        return photo_rect(b, k);
    case GP_MARK_LINE:
        return rect_of(b->x, b->y, b->w, b->h, k, mark->line_width_mm / 2);
    case GP_MARK_IMAGE:
        return rect_of(b->x, b->y, b->w, b->h, k, 0);
    case GP_MARK_BACKGROUND:
        return (px_rect){0, 0, 0, 0}; /* drawn only in proofs */
    case GP_MARK_TEXT:
    case GP_MARK_QR:
    case GP_MARK_PARAGRAPH:
        break;
    }
    return rect_of(b->x, b->y, b->w, b->h, k, LABEL_MARGIN_MM);
}

/* ------------------------------------------------------------------ */
/* Slots onto the grid                                                 */

static bool overlaps_other(const px_rect *rects, int n, int self, px_rect r)
{
    for (int i = 0; i < n; i++)
        if (i != self && px_rect_meet(rects[i], r))
            return true;
    return false;
}

gp_status gp_sheet_snap_template(const gp_template *tpl, int dpi, double page_w_mm, double page_h_mm,
                                 gp_snapped_template *out, gp_error **err)
{
    memset(out, 0, sizeof *out);
    out->elements = malloc((tpl->count ? tpl->count : 1) * sizeof *out->elements);
    if (out->elements == NULL)
        return gp_error_nomem(err);
    memcpy(out->elements, tpl->elements, tpl->count * sizeof *out->elements);
    out->tpl = *tpl;
    out->tpl.elements = out->elements;
    if (page_w_mm > 0 && page_h_mm > 0 && (page_w_mm != tpl->page_w_mm || page_h_mm != tpl->page_h_mm)) {
        double dx = (page_w_mm - tpl->page_w_mm) / 2, dy = (page_h_mm - tpl->page_h_mm) / 2;
        for (size_t i = 0; i < tpl->count; i++) {
            out->elements[i].box.x += dx;
            out->elements[i].box.y += dy;
        }
        out->tpl.page_w_mm = page_w_mm;
        out->tpl.page_h_mm = page_h_mm;
    }
    double k = dpi / 25.4;
    int page_w = gp_mm_to_px(out->tpl.page_w_mm, dpi), page_h = gp_mm_to_px(out->tpl.page_h_mm, dpi);
    int n = 0;
    for (size_t i = 0; i < tpl->count; i++)
        n += tpl->elements[i].kind == GP_EL_PHOTO;
    px_rect *rects = malloc((n ? (size_t)n : 1) * sizeof *rects);
    int *index = malloc((n ? (size_t)n : 1) * sizeof *index);
    if (rects == NULL || index == NULL) {
        free(rects);
        free(index);
        gp_sheet_snapped_free(out);
        return gp_error_nomem(err);
    }
    n = 0;
    for (size_t i = 0; i < tpl->count; i++)
        if (tpl->elements[i].kind == GP_EL_PHOTO) {
            index[n] = (int)i;
            rects[n++] = photo_rect(&tpl->elements[i].box, k);
        }
    for (int s = 0; s < n; s++) {
        px_rect r = rects[s];
        int w = r.x1 - r.x0, h = r.y1 - r.y0;
        if (w <= 0 || h <= 0)
            continue;
        if (r.x0 < 0 || r.y0 < 0)
            continue;
        bool overlapped = overlaps_other(rects, n, s, r);
        /* The nearest grid corner, at most 4 pixels away on each axis (a
         * tie tries both); a slot that cannot go there stays. */
        int rx = r.x0 % 8, ry = r.y0 % 8;
        int xs[2] = {rx <= 4 ? r.x0 - rx : r.x0 + 8 - rx, rx == 4 ? r.x0 + 4 : -1};
        int ys[2] = {ry <= 4 ? r.y0 - ry : r.y0 + 8 - ry, ry == 4 ? r.y0 + 4 : -1};
        bool moved = false;
        for (int a = 0; a < 2 && !moved; a++)
            for (int b = 0; b < 2 && !moved; b++) {
                if (xs[b] < 0 || ys[a] < 0)
                    continue;
                px_rect c = {xs[b], ys[a], xs[b] + w, ys[a] + h};
                if (c.x1 > page_w || c.y1 > page_h)
                    continue;
                if (!overlapped && overlaps_other(rects, n, s, c))
                    continue;
                rects[s] = c;
                moved = true;
            }
        if (moved) {
            gp_element *el = &out->elements[index[s]];
            el->box.x = rects[s].x0 / k;
            el->box.y = rects[s].y0 / k;
        }
    }
    free(rects);
    free(index);
    return GP_OK;
}

void gp_sheet_snapped_free(gp_snapped_template *s)
{
    free(s->elements);
    memset(s, 0, sizeof *s);
}

/* ------------------------------------------------------------------ */
/* The paper                                                           */

/* Draws mark i of layout alone onto cr. */
static gp_status draw_one(cairo_t *cr, const gp_layout *layout, size_t i, gp_render_env *env, gp_error **err)
{
    gp_layout one = {.page_w_mm = layout->page_w_mm, .page_h_mm = layout->page_h_mm,
                     .marks = &layout->marks[i], .count = 1, .cap = 1};
    return gp_render_layout(cr, &one, env, err);
}

static bool is_static(const gp_mark *m) { return m->kind == GP_MARK_LINE || m->kind == GP_MARK_IMAGE; }

/* Pixels past the page's right and bottom edges repeat the edge, as
 * libjpeg pads partial blocks. */
static void repeat_edges(uint32_t *px, size_t stride, int w, int h, int full_w, int full_h)
{
    for (int y = 0; y < h; y++)
        for (int x = w; x < full_w; x++)
            px[(size_t)y * stride + (size_t)x] = px[(size_t)y * stride + (size_t)(w - 1)];
    for (int y = h; y < full_h; y++)
        memcpy(px + (size_t)y * stride, px + (size_t)(h - 1) * stride, (size_t)full_w * 4);
}

static bool same_image(const gp_mark_image *a, const gp_mark_image *b)
{
    if (a->path == NULL || b->path == NULL)
        return a->path == b->path;
    return a->format == b->format && a->page == b->page && strcmp(a->path, b->path) == 0;
}

static bool same_mark(const gp_mark *a, const gp_mark *b)
{
    return a->kind == b->kind && a->source == b->source && same_image(&a->image, &b->image) && memcmp(&a->box, &b->box, sizeof a->box) == 0 &&
           a->line_width_mm == b->line_width_mm && memcmp(a->color, b->color, sizeof a->color) == 0;
}

bool gp_sheet_plan_same_paper(const gp_sheet_plan *plan, const gp_layout *layout)
{
    size_t k = 0;
    for (size_t i = 0; i < layout->count; i++) {
        if (!is_static(&layout->marks[i]))
            continue;
        if (k == plan->npaper_marks || !same_mark(&layout->marks[i], &plan->paper_marks[k]))
            return false;
        k++;
    }
    return k == plan->npaper_marks;
}

static gp_status draw_paper(gp_sheet_plan *p, const gp_layout *sample, gp_text_engine *text, gp_error **err)
{
    for (size_t i = 0; i < sample->count; i++)
        p->npaper_marks += is_static(&sample->marks[i]);
    p->paper_marks = calloc(p->npaper_marks ? p->npaper_marks : 1, sizeof *p->paper_marks);
    if (p->paper_marks == NULL)
        return gp_error_nomem(err);
    for (size_t i = 0, k = 0; i < sample->count; i++)
        if (is_static(&sample->marks[i])) {
            /* Geometry only: the text and spans stay with the sample. */
            p->paper_marks[k] = sample->marks[i];
            p->paper_marks[k].text = NULL;
            p->paper_marks[k].spans = NULL;
            p->paper_marks[k++].nspans = 0;
        }

    p->paper_surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, p->bw * 8, p->bh * 8);
    if (cairo_surface_status(p->paper_surface) != CAIRO_STATUS_SUCCESS)
        return gp_error_nomem(err);
    cairo_t *cr = cairo_create(p->paper_surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_rectangle(cr, 0, 0, p->w, p->h);
    cairo_clip(cr);
    cairo_scale(cr, p->px_per_mm, p->px_per_mm);
    gp_render_env env;
    gp_render_env_init(&env, text, true);
    gp_status st = GP_OK;
    for (size_t i = 0; i < sample->count && st == GP_OK; i++)
        if (is_static(&sample->marks[i]))
            st = draw_one(cr, sample, i, &env, err);
    gp_render_env_free(&env);
    cairo_destroy(cr);
    if (st != GP_OK)
        return st;
    cairo_surface_flush(p->paper_surface);
    uint32_t *px = (uint32_t *)(void *)cairo_image_surface_get_data(p->paper_surface);
    p->paper_stride = (size_t)cairo_image_surface_get_stride(p->paper_surface) / 4;
    repeat_edges(px, p->paper_stride, p->w, p->h, p->bw * 8, p->bh * 8);
    cairo_surface_mark_dirty(p->paper_surface);
    p->paper = px;
    return GP_OK;
}

/* The paper's MCUs, equal ones stored once (a page is mostly white). */
static gp_status transform_paper(gp_sheet_plan *p, gp_error **err)
{
    size_t nblocks = (size_t)p->bw * (size_t)p->bh, cap = 64, nbuckets = 4096;
    p->paper_mcu = malloc(nblocks * sizeof *p->paper_mcu);
    p->unique = malloc(cap * sizeof *p->unique);
    int32_t *buckets = malloc(nbuckets * sizeof *buckets);
    int32_t *chain = malloc(cap * sizeof *chain);
    if (p->paper_mcu == NULL || p->unique == NULL || buckets == NULL || chain == NULL) {
        free(buckets);
        free(chain);
        return gp_error_nomem(err);
    }
    for (size_t i = 0; i < nbuckets; i++)
        buckets[i] = -1;
    gp_status st = GP_OK;
    uint32_t last_colour = 0;
    int32_t last_uniform = -1;
    for (size_t b = 0; b < nblocks && st == GP_OK; b++) {
        const uint32_t *px = p->paper + (b / (size_t)p->bw) * 8 * p->paper_stride + (b % (size_t)p->bw) * 8;
        bool uniform = gp_jb_block_uniform(px, p->paper_stride);
        if (uniform && last_uniform >= 0 && (px[0] & 0xFFFFFFu) == last_colour) {
            p->paper_mcu[b] = (uint32_t)last_uniform; /* the paper again */
            continue;
        }
        gp_jb_mcu m;
        gp_jb_fdct(&p->tables, px, p->paper_stride, &m);
        uint64_t hash = 1469598103934665603ull;
        const unsigned char *bytes = (const unsigned char *)&m;
        for (size_t i = 0; i < sizeof m; i++)
            hash = (hash ^ bytes[i]) * 1099511628211ull;
        size_t bucket = (size_t)(hash % nbuckets);
        int32_t found = buckets[bucket];
        while (found >= 0 && memcmp(&p->unique[found], &m, sizeof m) != 0)
            found = chain[found];
        if (found < 0) {
            if (p->nunique == cap) {
                cap *= 2;
                gp_jb_mcu *u = realloc(p->unique, cap * sizeof *u);
                int32_t *c = realloc(chain, cap * sizeof *c);
                if (u != NULL)
                    p->unique = u;
                if (c != NULL)
                    chain = c;
                if (u == NULL || c == NULL) {
                    st = gp_error_nomem(err);
                    break;
                }
            }
            found = (int32_t)p->nunique++;
            p->unique[found] = m;
            chain[found] = buckets[bucket];
            buckets[bucket] = found;
        }
        p->paper_mcu[b] = (uint32_t)found;
        if (uniform) {
            last_uniform = found;
            last_colour = px[0] & 0xFFFFFFu;
        }
    }
    free(buckets);
    free(chain);
    return st;
}

/* ------------------------------------------------------------------ */
/* Which block is what                                                 */

static int block_lo(int px) { return px < 0 ? 0 : px / 8; }
static int block_hi(int px, int n) { return px <= 0 ? 0 : (px + 7) / 8 > n ? n : (px + 7) / 8; }

static gp_status find_slots(gp_sheet_plan *p, const gp_layout *sample, gp_error **err)
{
    int n = 0;
    for (size_t i = 0; i < sample->count; i++)
        n += sample->marks[i].kind == GP_MARK_PHOTO;
    p->slots = calloc(n ? (size_t)n : 1, sizeof *p->slots);
    p->sizes = calloc(n ? (size_t)n : 1, sizeof *p->sizes);
    p->groups = calloc(n ? (size_t)n : 1, sizeof *p->groups);
    if (p->slots == NULL || p->sizes == NULL || p->groups == NULL)
        return gp_error_nomem(err);
    for (size_t i = 0; i < sample->count; i++) {
        const gp_mark *m = &sample->marks[i];
        if (m->kind != GP_MARK_PHOTO)
            continue;
        px_rect r = photo_rect(&m->box, p->px_per_mm);
        if (px_rect_empty(r))
            continue;
        plan_slot *s = &p->slots[p->nslots++];
        s->source = m->source;
        s->r = r;
        s->on_grid = r.x0 >= 0 && r.y0 >= 0 && r.x0 % 8 == 0 && r.y0 % 8 == 0;
        int w = r.x1 - r.x0, h = r.y1 - r.y0, z = 0;
        while (z < p->nsizes && (p->sizes[z].w != w || p->sizes[z].h != h))
            z++;
        if (z == p->nsizes)
            p->sizes[p->nsizes++] = (plan_size){w, h, w / 8, h / 8, false};
        s->size = z;
        s->group = -1;
    }
    return GP_OK;
}

/* Whether slots a and b (same size, on the grid) have the same paper under
 * the blocks covering them. */
static bool same_paper(const gp_sheet_plan *p, const plan_slot *a, const plan_slot *b, int cols, int rows)
{
    for (int y = 0; y < rows * 8; y++) {
        if (a->r.y0 + y >= p->bh * 8 || b->r.y0 + y >= p->bh * 8)
            return a->r.y0 == b->r.y0;
        int w = cols * 8;
        if (a->r.x0 + w > p->bw * 8 || b->r.x0 + w > p->bw * 8)
            return false;
        if (memcmp(p->paper + (size_t)(a->r.y0 + y) * p->paper_stride + (size_t)a->r.x0,
                   p->paper + (size_t)(b->r.y0 + y) * p->paper_stride + (size_t)b->r.x0, (size_t)w * 4) != 0)
            return false;
    }
    return true;
}

static void group_slots(gp_sheet_plan *p)
{
    for (int i = 0; i < p->nslots; i++) {
        plan_slot *s = &p->slots[i];
        if (!s->on_grid)
            continue;
        const plan_size *z = &p->sizes[s->size];
        int cols = (z->w + 7) / 8, rows = (z->h + 7) / 8, g = 0;
        while (g < p->ngroups && !(p->groups[g].size == s->size &&
                                   same_paper(p, &p->slots[p->groups[g].rep], s, cols, rows)))
            g++;
        if (g == p->ngroups)
            p->groups[p->ngroups++] = (plan_group){s->size, i, cols, rows};
        s->group = g;
        p->sizes[s->size].tiled = true;
    }
}

static void mark_rect(gp_sheet_plan *p, px_rect r, bool *label)
{
    for (int by = block_lo(r.y0); by < block_hi(r.y1, p->bh); by++)
        for (int bx = block_lo(r.x0); bx < block_hi(r.x1, p->bw); bx++)
            label[(size_t)by * (size_t)p->bw + (size_t)bx] = true;
}

static gp_status classify(gp_sheet_plan *p, const gp_template *tpl, const gp_layout *sample, gp_error **err)
{
    size_t nblocks = (size_t)p->bw * (size_t)p->bh;
    p->kind = calloc(nblocks, 1);
    p->slot_of = malloc(nblocks * sizeof *p->slot_of);
    p->touches_photo = calloc(nblocks, sizeof *p->touches_photo);
    p->label_index = malloc(nblocks * sizeof *p->label_index);
    bool *label = calloc(nblocks, sizeof *label);
    uint8_t *photos = calloc(nblocks, 1);
    if (p->kind == NULL || p->slot_of == NULL || p->touches_photo == NULL || p->label_index == NULL ||
        label == NULL || photos == NULL) {
        free(label);
        free(photos);
        return gp_error_nomem(err);
    }
    /* Whatever changes from record to record: the template's text, QR
     * codes and paragraphs (from the template, since a record's layout may
     * leave an empty text out). */
    for (size_t i = 0; i < tpl->count; i++) {
        const gp_element *el = &tpl->elements[i];
        if (el->kind == GP_EL_TEXT || el->kind == GP_EL_QRCODE || el->kind == GP_EL_PARAGRAPH)
            mark_rect(p, rect_of(el->box.x, el->box.y, el->box.w, el->box.h, p->px_per_mm, LABEL_MARGIN_MM), label);
    }
    /* Paper drawn over a photo is drawn with the label, in order. */
    for (size_t i = 0; i < sample->count; i++) {
        const gp_mark *m = &sample->marks[i];
        if (!is_static(m))
            continue;
        px_rect r = gp_sheet_mark_rect(p, m);
        for (size_t j = 0; j < i; j++) {
            const plan_slot *s = gp_sheet_plan_slot(p, &sample->marks[j]);
            if (s != NULL && px_rect_meet(r, s->r))
                mark_rect(p, (px_rect){r.x0 > s->r.x0 ? r.x0 : s->r.x0, r.y0 > s->r.y0 ? r.y0 : s->r.y0,
                                       r.x1 < s->r.x1 ? r.x1 : s->r.x1, r.y1 < s->r.y1 ? r.y1 : s->r.y1},
                          label);
        }
    }
    for (int s = 0; s < p->nslots; s++) {
        px_rect r = p->slots[s].r;
        for (int by = block_lo(r.y0); by < block_hi(r.y1, p->bh); by++)
            for (int bx = block_lo(r.x0); bx < block_hi(r.x1, p->bw); bx++) {
                size_t b = (size_t)by * (size_t)p->bw + (size_t)bx;
                if (photos[b] < 2)
                    photos[b]++;
                p->slot_of[b] = (int16_t)s;
                p->touches_photo[b] = true;
            }
    }
    for (size_t b = 0; b < nblocks; b++) {
        int bx = (int)(b % (size_t)p->bw), by = (int)(b / (size_t)p->bw);
        if (label[b] || photos[b] > 1) { /* two photos in a block: drawn in order too */
            p->kind[b] = BLOCK_LABEL;
            continue;
        }
        if (photos[b] == 0) {
            p->kind[b] = BLOCK_PAPER;
            continue;
        }
        const plan_slot *s = &p->slots[p->slot_of[b]];
        /* On the grid, every block the photo touches is one of the slot's
         * group's tile; past the page edge JPEG repeats the edge, which
         * the tile would not. */
        bool in_page = bx * 8 + 8 <= p->w && by * 8 + 8 <= p->h;
        p->kind[b] = s->group >= 0 && in_page ? BLOCK_TILE : BLOCK_EDGE;

    }
    free(label);
    free(photos);
    /* The label region: around every label block, a block more for the
     * check that nothing was drawn past it. */
    px_rect reg = {p->w, p->h, 0, 0};
    for (size_t b = 0; b < nblocks; b++) {
        p->label_index[b] = -1;
        if (p->kind[b] != BLOCK_LABEL)
            continue;
        int bx = (int)(b % (size_t)p->bw), by = (int)(b / (size_t)p->bw);
        p->label_index[b] = (int32_t)p->nlabel++;
        reg.x0 = bx * 8 - 8 < reg.x0 ? bx * 8 - 8 : reg.x0;
        reg.y0 = by * 8 - 8 < reg.y0 ? by * 8 - 8 : reg.y0;
        reg.x1 = bx * 8 + 16 > reg.x1 ? bx * 8 + 16 : reg.x1;
        reg.y1 = by * 8 + 16 > reg.y1 ? by * 8 + 16 : reg.y1;
    }
    if (p->nlabel > 0) {
        reg.x0 = reg.x0 < 0 ? 0 : reg.x0;
        reg.y0 = reg.y0 < 0 ? 0 : reg.y0;
        reg.x1 = reg.x1 > p->bw * 8 ? p->bw * 8 : reg.x1;
        reg.y1 = reg.y1 > p->bh * 8 ? p->bh * 8 : reg.y1;
        p->region = reg;
    } else {
        p->region = (px_rect){0, 0, 0, 0};
    }
    return GP_OK;
}

/* Each region row's paper as one coded run (see label_paper_bits). */
static gp_status code_label_paper(gp_sheet_plan *p, gp_error **err)
{
    if (px_rect_empty(p->region))
        return GP_OK;
    int bx0 = p->region.x0 / 8, bx1 = p->region.x1 / 8, by0 = p->region.y0 / 8, by1 = p->region.y1 / 8;
    size_t wide = (size_t)(bx1 - bx0) + 1;
    p->label_paper_at = malloc(wide * (size_t)(by1 - by0) * sizeof *p->label_paper_at);
    if (p->label_paper_at == NULL)
        return gp_error_nomem(err);
    for (int by = by0; by < by1; by++) {
        size_t *at = p->label_paper_at + (size_t)(by - by0) * wide;
        size_t row_start = p->label_paper_bits.len; /* each row starts on a byte (sealed) */
        const gp_jb_mcu *first = &p->unique[p->paper_mcu[(size_t)by * (size_t)p->bw + (size_t)bx0]];
        int pred[3] = {first->c[0][0], first->c[1][0], first->c[2][0]};
        for (int bx = bx0; bx < bx1; bx++) {
            at[bx - bx0] = gp_jb_bits_count(&p->label_paper_bits);
            gp_jb_encode_mcu(&p->label_paper_bits, &p->tables,
                             &p->unique[p->paper_mcu[(size_t)by * (size_t)p->bw + (size_t)bx]], pred);
        }
        size_t nbits;
        gp_jb_bits_seal(&p->label_paper_bits, &nbits);
        at[bx1 - bx0] = row_start * 8 + nbits;
    }
    /* Room for the reader's look-ahead past the last bit. */
    if (p->label_paper_bits.failed || p->label_paper_bits.cap - p->label_paper_bits.len < 8)
        return gp_error_nomem(err);
    memset(p->label_paper_bits.data + p->label_paper_bits.len, 0, 8);
    return GP_OK;
}

/* ------------------------------------------------------------------ */
/* Runs                                                                */

static bool add_segment(gp_sheet_plan *p, size_t *cap, plan_segment seg)
{
    if (!GP_ARRAY_ROOM(p->segments, p->nsegments, *cap))
        return false;
    p->segments[p->nsegments++] = seg;
    return true;
}

/* How many blocks from bx on in row by are a spliceable row of their
 * slot: its blocks inside the photo (TILE_ROW) or its partly covered
 * bottom row (EDGE_ROW); 0 when they are not. */
static int slot_row(const gp_sheet_plan *p, int bx, int by, seg_kind *kind, bool *with_edge)
{
    *with_edge = false;
    size_t b = (size_t)by * (size_t)p->bw + (size_t)bx;
    const plan_slot *s = &p->slots[p->slot_of[b]];
    if (p->kind[b] != BLOCK_TILE || s->group < 0 || bx * 8 != s->r.x0)
        return 0;
    const plan_size *z = &p->sizes[s->size];
    const plan_group *g = &p->groups[s->group];
    int r = (by * 8 - s->r.y0) / 8, n;
    if (r < z->rows) {
        *kind = SEG_TILE_ROW;
        n = z->cols;
    } else {
        *kind = SEG_EDGE_ROW;
        n = g->cols;
    }
    if (n == 0 || bx + n > p->bw)
        return 0;
    for (int c = 0; c < n; c++)
        if (p->kind[b + (size_t)c] != BLOCK_TILE || p->slot_of[b + (size_t)c] != p->slot_of[b])
            return 0;
    /* The block after a tile row, partly covered, is coded once a sheet
     * per group too. */
    if (*kind == SEG_TILE_ROW && z->cols < g->cols && bx + n < p->bw && p->kind[b + (size_t)n] == BLOCK_TILE &&
        p->slot_of[b + (size_t)n] == p->slot_of[b]) {
        *with_edge = true;
        n++;
    }
    return n;
}

static gp_status plan_runs(gp_sheet_plan *p, gp_error **err)
{
    size_t cap = 0;
    p->row_first = malloc(((size_t)p->bh + 1) * sizeof *p->row_first);
    if (p->row_first == NULL)
        return gp_error_nomem(err);
    for (int by = 0; by < p->bh; by++) {
        p->row_first[by] = p->nsegments;
        int bx = 0;
        while (bx < p->bw) {
            size_t b = (size_t)by * (size_t)p->bw + (size_t)bx;
            plan_segment seg = {.bx = bx, .n = 1};
            if (p->kind[b] == BLOCK_PAPER) {
                seg.kind = SEG_PAPER;
                while (bx + seg.n < p->bw && p->kind[b + (size_t)seg.n] == BLOCK_PAPER)
                    seg.n++;
                seg.first = p->paper_mcu[b];
                /* The rest of the run, coded once, its DC chain starting
                 * from the first block's. */
                const gp_jb_mcu *first = &p->unique[seg.first];
                int pred[3] = {first->c[0][0], first->c[1][0], first->c[2][0]};
                seg.tail_offset = p->paper_bits.len;
                for (int i = 1; i < seg.n; i++)
                    gp_jb_encode_mcu(&p->paper_bits, &p->tables, &p->unique[p->paper_mcu[b + (size_t)i]], pred);
                gp_jb_bits_seal(&p->paper_bits, &seg.tail_bits);
                memcpy(seg.last_dc, pred, sizeof pred);
                p->stats.paper_runs++;
            } else if ((seg.n = slot_row(p, bx, by, &seg.kind, &seg.with_edge)) > 0) {
                seg.slot = p->slot_of[b];
                seg.tile_row = (by * 8 - p->slots[seg.slot].r.y0) / 8;
            } else {
                seg.kind = SEG_BLOCKS;
                seg.n = 1;
                seg_kind other;
                bool other_edge;
                while (bx + seg.n < p->bw && p->kind[b + (size_t)seg.n] != BLOCK_PAPER &&
                       slot_row(p, bx + seg.n, by, &other, &other_edge) == 0)
                    seg.n++;
            }
            if (!add_segment(p, &cap, seg))
                return gp_error_nomem(err);
            bx += seg.n;
        }
    }
    p->row_first[p->bh] = p->nsegments;
    return p->paper_bits.failed ? gp_error_nomem(err) : GP_OK;
}

/* ------------------------------------------------------------------ */

const plan_slot *gp_sheet_plan_slot(const gp_sheet_plan *plan, const gp_mark *mark)
{
    if (mark->kind != GP_MARK_PHOTO)
        return NULL;
    for (int s = 0; s < plan->nslots; s++)
        if (plan->slots[s].source == mark->source)
            return &plan->slots[s];
    return NULL;
}

void gp_sheet_compose_block(const gp_sheet_plan *plan, int bx, int by, cairo_surface_t *photo, uint32_t out[64])
{
    for (int y = 0; y < 8; y++)
        memcpy(out + y * 8, plan->paper + (size_t)(by * 8 + y) * plan->paper_stride + (size_t)bx * 8, 32);
    size_t b = (size_t)by * (size_t)plan->bw + (size_t)bx;
    if (photo != NULL && plan->touches_photo[b]) {
        const plan_slot *s = &plan->slots[plan->slot_of[b]];
        const uint32_t *src = (const uint32_t *)(const void *)cairo_image_surface_get_data(photo);
        size_t stride = (size_t)cairo_image_surface_get_stride(photo) / 4;
        for (int y = 0; y < 8; y++) {
            int py = by * 8 + y;
            if (py < s->r.y0 || py >= s->r.y1)
                continue;
            for (int x = 0; x < 8; x++) {
                int px = bx * 8 + x;
                if (px >= s->r.x0 && px < s->r.x1)
                    out[y * 8 + x] = src[(size_t)(py - s->r.y0) * stride + (size_t)(px - s->r.x0)];
            }
        }
    }
    /* Past the page edge, the edge again. */
    int vw = plan->w - bx * 8, vh = plan->h - by * 8;
    if (vw < 8 || vh < 8)
        repeat_edges(out, 8, vw < 8 ? vw : 8, vh < 8 ? vh : 8, 8, 8);
}

gp_status gp_sheet_plan_new(const gp_template *snapped, int dpi, int quality, const gp_layout *sample,
                            gp_text_engine *text, gp_sheet_plan **out, gp_error **err)
{
    *out = NULL;
    gp_sheet_plan *p = calloc(1, sizeof *p);
    if (p == NULL)
        return gp_error_nomem(err);
    gp_jb_bits_init(&p->paper_bits);
    gp_jb_bits_init(&p->label_paper_bits);
    p->dpi = dpi;
    p->px_per_mm = dpi / 25.4;
    p->w = gp_mm_to_px(snapped->page_w_mm, dpi);
    p->h = gp_mm_to_px(snapped->page_h_mm, dpi);
    p->bw = (p->w + 7) / 8;
    p->bh = (p->h + 7) / 8;
    gp_status st = GP_OK;
    if (p->w < 1 || p->h < 1 || p->w > 65535 || p->h > 65535)
        st = gp_error_set(err, GP_E_USAGE, snapped->path, 0,
                          _("a sheet of %g x %g mm at %d dpi cannot be made; use a smaller page or resolution"),
                          snapped->page_w_mm, snapped->page_h_mm, dpi);
    if (st == GP_OK)
        st = gp_jb_tables_init(&p->tables, quality, err);
    if (st == GP_OK)
        st = find_slots(p, sample, err);
    if (st == GP_OK)
        st = draw_paper(p, sample, text, err);
    if (st == GP_OK)
        st = transform_paper(p, err);
    if (st == GP_OK) {
        group_slots(p);
        st = classify(p, snapped, sample, err);
    }
    if (st == GP_OK)
        st = plan_runs(p, err);
    if (st == GP_OK)
        st = code_label_paper(p, err);
    if (st != GP_OK) {
        gp_sheet_plan_free(p);
        return st;
    }
    gp_sheet_plan_stats *ps = &p->stats;
    ps->width_px = p->w;
    ps->height_px = p->h;
    ps->blocks = (size_t)p->bw * (size_t)p->bh;
    for (size_t b = 0; b < ps->blocks; b++) {
        ps->tile_blocks += p->kind[b] == BLOCK_TILE;
        ps->edge_blocks += p->kind[b] == BLOCK_EDGE;
        ps->label_blocks += p->kind[b] == BLOCK_LABEL;
    }
    ps->slots = p->nslots;
    ps->groups = p->ngroups;
    for (int s = 0; s < p->nslots; s++)
        ps->slots_on_grid += p->slots[s].on_grid;
    *out = p;
    return GP_OK;
}

void gp_sheet_plan_free(gp_sheet_plan *p)
{
    if (p == NULL)
        return;
    if (p->paper_surface != NULL)
        cairo_surface_destroy(p->paper_surface);
    free(p->kind);
    free(p->slot_of);
    free(p->touches_photo);
    free(p->paper_mcu);
    free(p->unique);
    free(p->label_index);
    free(p->slots);
    free(p->sizes);
    free(p->groups);
    free(p->paper_marks);
    free(p->segments);
    free(p->row_first);
    gp_jb_bits_free(&p->paper_bits);
    gp_jb_bits_free(&p->label_paper_bits);
    free(p->label_paper_at);
    free(p);
}

void gp_sheet_plan_get_stats(const gp_sheet_plan *plan, gp_sheet_plan_stats *stats) { *stats = plan->stats; }
