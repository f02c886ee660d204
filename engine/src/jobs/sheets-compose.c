/* Writing one sheet from the job's plan (see sheets-compose-private.h). */
#define _GNU_SOURCE /* sync_file_range */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error-private.h"
#include "base/fileio-private.h"
#include "base/i18n-private.h"
#include "photo/photo-private.h"
#include "sheets-plan-private.h"

/* Blocks transformed once a sheet and their rows, after each row's first
 * block, coded once: a size's blocks inside the photo, or a group's
 * bottom row. */
typedef struct tile {
    gp_jb_mcu *mcus;    /* rows x cols */
    size_t *row_offset; /* in the writer's tile_bits */
    size_t *row_bits;
} tile;

/* A group's partly covered blocks: the right column beside the size's
 * tile rows, and the bottom row (one coded row). */
typedef struct edges {
    gp_jb_mcu *right;   /* one per tile row */
    size_t *right_offset; /* in the writer's tile_bits: each coded after its tile row */
    size_t *right_bits;
    tile bottom;
} edges;

static bool tile_alloc(tile *t, int rows, int cols)
{
    t->mcus = malloc((size_t)(rows ? rows : 1) * (size_t)(cols ? cols : 1) * sizeof *t->mcus);
    t->row_offset = malloc((size_t)(rows ? rows : 1) * sizeof *t->row_offset);
    t->row_bits = malloc((size_t)(rows ? rows : 1) * sizeof *t->row_bits);
    return t->mcus != NULL && t->row_offset != NULL && t->row_bits != NULL;
}

static void tile_free(tile *t)
{
    free(t->mcus);
    free(t->row_offset);
    free(t->row_bits);
}

struct gp_sheet_writer {
    const gp_sheet_plan *plan;
    gp_render_env env;
    cairo_surface_t *region; /* the label region */
    cairo_surface_t **scaled; /* per plan size: this sheet's photo */
    tile *tiles;             /* per plan size */
    edges *edges;            /* per plan group */
    gp_jb_bits tile_bits;
    gp_jb_mcu *label;        /* plan->nlabel */
    bool *label_is_paper;    /* plan->nlabel: the block came out as paper */
    gp_jb_bits scan;
    gp_jb_file file;
};

gp_status gp_sheet_writer_new(const gp_sheet_plan *plan, gp_text_engine *text, gp_sheet_writer **out,
                              gp_error **err)
{
    *out = NULL;
    gp_sheet_writer *w = calloc(1, sizeof *w);
    if (w == NULL)
        return gp_error_nomem(err);
    w->plan = plan;
    gp_render_env_init(&w->env, text, true);
    gp_jb_bits_init(&w->tile_bits);
    gp_jb_bits_init(&w->scan);
    w->scaled = calloc(plan->nsizes ? (size_t)plan->nsizes : 1, sizeof *w->scaled);
    w->tiles = calloc(plan->nsizes ? (size_t)plan->nsizes : 1, sizeof *w->tiles);
    w->edges = calloc(plan->ngroups ? (size_t)plan->ngroups : 1, sizeof *w->edges);
    w->label = malloc((plan->nlabel ? plan->nlabel : 1) * sizeof *w->label);
    w->label_is_paper = malloc((plan->nlabel ? plan->nlabel : 1) * sizeof *w->label_is_paper);
    bool ok = w->scaled != NULL && w->tiles != NULL && w->edges != NULL && w->label != NULL &&
              w->label_is_paper != NULL;
    for (int z = 0; ok && z < plan->nsizes; z++)
        ok = !plan->sizes[z].tiled || tile_alloc(&w->tiles[z], plan->sizes[z].rows, plan->sizes[z].cols);
    for (int g = 0; ok && g < plan->ngroups; g++) {
        const plan_group *pg = &plan->groups[g];
        size_t rows = (size_t)(pg->rows ? pg->rows : 1);
        w->edges[g].right = malloc(rows * sizeof *w->edges[g].right);
        w->edges[g].right_offset = malloc(rows * sizeof *w->edges[g].right_offset);
        w->edges[g].right_bits = malloc(rows * sizeof *w->edges[g].right_bits);
        ok = w->edges[g].right != NULL && w->edges[g].right_offset != NULL && w->edges[g].right_bits != NULL &&
             tile_alloc(&w->edges[g].bottom, 1, pg->cols);
    }
    if (ok && !px_rect_empty(plan->region)) {
        w->region = cairo_image_surface_create(CAIRO_FORMAT_RGB24, plan->region.x1 - plan->region.x0,
                                               plan->region.y1 - plan->region.y0);
        ok = cairo_surface_status(w->region) == CAIRO_STATUS_SUCCESS;
    }
    if (!ok) {
        gp_sheet_writer_free(w);
        return gp_error_nomem(err);
    }
    *out = w;
    return GP_OK;
}

static void drop_scaled(gp_sheet_writer *w)
{
    for (int z = 0; z < w->plan->nsizes; z++)
        if (w->scaled[z] != NULL) {
            cairo_surface_destroy(w->scaled[z]);
            w->scaled[z] = NULL;
        }
}

void gp_sheet_writer_free(gp_sheet_writer *w)
{
    if (w == NULL)
        return;
    if (w->scaled != NULL)
        drop_scaled(w);
    for (int z = 0; w->tiles != NULL && z < w->plan->nsizes; z++)
        tile_free(&w->tiles[z]);
    for (int g = 0; w->edges != NULL && g < w->plan->ngroups; g++) {
        free(w->edges[g].right);
        free(w->edges[g].right_offset);
        free(w->edges[g].right_bits);
        tile_free(&w->edges[g].bottom);
    }
    free(w->scaled);
    free(w->tiles);
    free(w->edges);
    free(w->label);
    free(w->label_is_paper);
    if (w->region != NULL)
        cairo_surface_destroy(w->region);
    gp_render_env_free(&w->env);
    gp_jb_bits_free(&w->tile_bits);
    gp_jb_bits_free(&w->scan);
    gp_jb_file_free(&w->file);
    free(w);
}

/* Codes row r of t (its MCUs 1.. after the first, the DC chain starting
 * from the first's) into bits. */
static void code_row(gp_sheet_writer *w, tile *t, int r, int cols)
{
    const gp_jb_mcu *row = t->mcus + (size_t)r * (size_t)cols;
    int pred[3] = {row[0].c[0][0], row[0].c[1][0], row[0].c[2][0]};
    t->row_offset[r] = w->tile_bits.len;
    for (int c = 1; c < cols; c++)
        gp_jb_encode_mcu(&w->tile_bits, &w->plan->tables, &row[c], pred);
    gp_jb_bits_seal(&w->tile_bits, &t->row_bits[r]);
}

/* The photo scaled to each slot size, the blocks inside it transformed
 * and their rows coded; each group's partly covered blocks likewise. */
static gp_status make_tiles(gp_sheet_writer *w, cairo_surface_t *photo, gp_error **err)
{
    const gp_sheet_plan *p = w->plan;
    gp_jb_bits_reset(&w->tile_bits);
    for (int z = 0; z < p->nsizes; z++) {
        const plan_size *ps = &p->sizes[z];
        /* Kept from sheet to sheet: no megabyte allocated and faulted in
         * again for every photo. */
        if (w->scaled[z] == NULL) {
            w->scaled[z] = cairo_image_surface_create(CAIRO_FORMAT_RGB24, ps->w, ps->h);
            if (cairo_surface_status(w->scaled[z]) != CAIRO_STATUS_SUCCESS) {
                cairo_surface_destroy(w->scaled[z]);
                w->scaled[z] = NULL;
                return gp_error_nomem(err);
            }
        }
        if (!gp_photo_scale_into(photo, w->scaled[z]))
            return gp_error_nomem(err);
        cairo_surface_flush(w->scaled[z]);
        if (!ps->tiled)
            continue;
        const uint32_t *px = (const uint32_t *)(const void *)cairo_image_surface_get_data(w->scaled[z]);
        size_t stride = (size_t)cairo_image_surface_get_stride(w->scaled[z]) / 4;
        tile *t = &w->tiles[z];
        for (int r = 0; r < ps->rows; r++) {
            for (int c = 0; c < ps->cols; c++)
                gp_jb_fdct(&p->tables, px + (size_t)r * 8 * stride + (size_t)c * 8, stride,
                           &t->mcus[(size_t)r * (size_t)ps->cols + (size_t)c]);
            if (ps->cols > 0)
                code_row(w, t, r, ps->cols);
        }
    }
    uint32_t block[64];
    for (int g = 0; g < p->ngroups; g++) {
        const plan_group *pg = &p->groups[g];
        const plan_size *ps = &p->sizes[pg->size];
        const plan_slot *rep = &p->slots[pg->rep];
        edges *e = &w->edges[g];
        int bx = rep->r.x0 / 8, by = rep->r.y0 / 8;
        for (int r = 0; ps->cols < pg->cols && r < ps->rows; r++) {
            gp_sheet_compose_block(p, bx + ps->cols, by + r, w->scaled[pg->size], block);
            gp_jb_fdct(&p->tables, block, 8, &e->right[r]);
            /* Coded after the tile row, whose last DC it follows. */
            int pred[3] = {0, 0, 0};
            if (ps->cols > 0) {
                const gp_jb_mcu *last = &w->tiles[pg->size].mcus[(size_t)r * (size_t)ps->cols + (size_t)ps->cols - 1];
                pred[0] = last->c[0][0], pred[1] = last->c[1][0], pred[2] = last->c[2][0];
            }
            e->right_offset[r] = w->tile_bits.len;
            gp_jb_encode_mcu(&w->tile_bits, &p->tables, &e->right[r], pred);
            gp_jb_bits_seal(&w->tile_bits, &e->right_bits[r]);
        }
        if (ps->rows < pg->rows) {
            for (int c = 0; c < pg->cols; c++) {
                gp_sheet_compose_block(p, bx + c, by + ps->rows, w->scaled[pg->size], block);
                gp_jb_fdct(&p->tables, block, 8, &e->bottom.mcus[c]);
            }
            code_row(w, &e->bottom, 0, pg->cols);
        }
    }
    return w->tile_bits.failed ? gp_error_nomem(err) : GP_OK;
}

static cairo_surface_t *scaled_for(gp_sheet_writer *w, const plan_slot *s) { return w->scaled[s->size]; }

/* Pastes a slot's photo into the region, as the renderer's pixel-exact
 * placement does. */
static void paste_photo(gp_sheet_writer *w, const plan_slot *s, uint32_t *region, size_t rstride)
{
    const px_rect g = w->plan->region;
    cairo_surface_t *photo = scaled_for(w, s);
    const uint32_t *src = (const uint32_t *)(const void *)cairo_image_surface_get_data(photo);
    size_t sstride = (size_t)cairo_image_surface_get_stride(photo) / 4;
    int x0 = s->r.x0 > g.x0 ? s->r.x0 : g.x0, x1 = s->r.x1 < g.x1 ? s->r.x1 : g.x1;
    int y0 = s->r.y0 > g.y0 ? s->r.y0 : g.y0, y1 = s->r.y1 < g.y1 ? s->r.y1 : g.y1;
    for (int y = y0; y < y1; y++)
        memcpy(region + (size_t)(y - g.y0) * rstride + (size_t)(x0 - g.x0),
               src + (size_t)(y - s->r.y0) * sstride + (size_t)(x0 - s->r.x0), (size_t)(x1 - x0) * 4);
}

typedef uint32_t v4u __attribute__((vector_size(16)));

/* Equal colours; the unused fourth byte of RGB24 may differ. */
static bool same_pixels(const uint32_t *a, size_t astride, const uint32_t *b, size_t bstride, int w, int h)
{
    if (w == 8 && h == 8) { /* a whole block: four vector compares a row, no branches */
        v4u diff = {0, 0, 0, 0};
        for (int y = 0; y < 8; y++) {
            v4u a0, a1, b0, b1;
            memcpy(&a0, a + (size_t)y * astride, 16);
            memcpy(&a1, a + (size_t)y * astride + 4, 16);
            memcpy(&b0, b + (size_t)y * bstride, 16);
            memcpy(&b1, b + (size_t)y * bstride + 4, 16);
            diff |= (a0 ^ b0) | (a1 ^ b1);
        }
        diff &= 0xFFFFFFu;
        return (diff[0] | diff[1] | diff[2] | diff[3]) == 0;
    }
    for (int y = 0; y < h; y++) {
        const uint32_t *ra = a + (size_t)y * astride, *rb = b + (size_t)y * bstride;
        if (memcmp(ra, rb, (size_t)w * 4) == 0)
            continue;
        for (int x = 0; x < w; x++)
            if (((ra[x] ^ rb[x]) & 0xFFFFFFu) != 0)
                return false;
    }
    return true;
}

/* Draws the record's marks that reach into the label region, in layout
 * order on fresh paper, exactly as the whole page would get them; checks
 * that the blocks around the label came out as the plan has them; and
 * transforms the label's blocks that differ from the paper. */
static gp_status draw_label(gp_sheet_writer *w, const gp_layout *layout, bool *fits, gp_error **err)
{
    const gp_sheet_plan *p = w->plan;
    const px_rect g = p->region;
    *fits = gp_sheet_plan_same_paper(p, layout);
    for (size_t i = 0; i < layout->count && *fits; i++) {
        const gp_mark *m = &layout->marks[i];
        if (m->kind != GP_MARK_TEXT && m->kind != GP_MARK_QR && m->kind != GP_MARK_PARAGRAPH)
            continue;
        px_rect r = gp_sheet_mark_rect(p, m);
        r.x0 = r.x0 < 0 ? 0 : r.x0;
        r.y0 = r.y0 < 0 ? 0 : r.y0;
        r.x1 = r.x1 > p->bw * 8 ? p->bw * 8 : r.x1;
        r.y1 = r.y1 > p->bh * 8 ? p->bh * 8 : r.y1;
        if (!px_rect_empty(r) && (r.x0 < g.x0 || r.y0 < g.y0 || r.x1 > g.x1 || r.y1 > g.y1)) {
            *fits = false; /* a box the plan did not know */
            return GP_OK;
        }
    }
    if (w->region == NULL || !*fits)
        return GP_OK;
    cairo_t *cr = cairo_create(w->region);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_translate(cr, -g.x0, -g.y0);
    cairo_scale(cr, p->px_per_mm, p->px_per_mm);
    uint32_t *px = (uint32_t *)(void *)cairo_image_surface_get_data(w->region);
    size_t stride = (size_t)cairo_image_surface_get_stride(w->region) / 4;
    gp_status st = GP_OK;
    for (size_t i = 0; i < layout->count && st == GP_OK; i++) {
        const gp_mark *m = &layout->marks[i];
        px_rect r = gp_sheet_mark_rect(p, m);
        if (px_rect_empty(r) || !px_rect_meet(r, g))
            continue;
        if (m->kind == GP_MARK_PHOTO) {
            const plan_slot *s = gp_sheet_plan_slot(p, m);
            if (s == NULL) {
                *fits = false;
                break;
            }
            cairo_surface_flush(w->region);
            paste_photo(w, s, px, stride);
            cairo_surface_mark_dirty(w->region);
            continue;
        }
        gp_layout one = {.page_w_mm = layout->page_w_mm, .page_h_mm = layout->page_h_mm,
                         .marks = &layout->marks[i], .count = 1, .cap = 1};
        st = gp_render_layout(cr, &one, &w->env, err);
    }
    gp_render_env_reset(&w->env);
    cairo_destroy(cr);
    if (st != GP_OK || !*fits)
        return st;
    cairo_surface_flush(w->region);

    uint32_t block[64];
    for (int by = g.y0 / 8; by < g.y1 / 8 && *fits; by++)
        for (int bx = g.x0 / 8; bx < g.x1 / 8; bx++) {
            size_t b = (size_t)by * (size_t)p->bw + (size_t)bx;
            uint32_t *at = px + (size_t)(by * 8 - g.y0) * stride + (size_t)(bx * 8 - g.x0);
            int vw = p->w - bx * 8 < 8 ? p->w - bx * 8 : 8, vh = p->h - by * 8 < 8 ? p->h - by * 8 : 8;
            if (p->kind[b] != BLOCK_LABEL) {
                const plan_slot *s = p->kind[b] == BLOCK_PAPER ? NULL : &p->slots[p->slot_of[b]];
                gp_sheet_compose_block(p, bx, by, s ? scaled_for(w, s) : NULL, block);
                if (!same_pixels(at, stride, block, 8, vw, vh)) {
                    *fits = false; /* ink outside the label region */
                    break;
                }
                continue;
            }
            const uint32_t *paper = p->paper + (size_t)by * 8 * p->paper_stride + (size_t)bx * 8;
            gp_jb_mcu *out = &w->label[p->label_index[b]];
            w->label_is_paper[p->label_index[b]] =
                !p->touches_photo[b] && same_pixels(at, stride, paper, p->paper_stride, vw, vh);
            if (w->label_is_paper[p->label_index[b]]) {
                *out = p->unique[p->paper_mcu[b]];
                continue;
            }
            if (vw < 8 || vh < 8) {
                for (int y = 0; y < 8; y++)
                    for (int x = 0; x < 8; x++)
                        block[y * 8 + x] = at[(size_t)(y < vh ? y : vh - 1) * stride + (size_t)(x < vw ? x : vw - 1)];
                gp_jb_fdct(&p->tables, block, 8, out);
            } else {
                gp_jb_fdct(&p->tables, at, stride, out);
            }
        }
    return GP_OK;
}

static const gp_jb_mcu *block_mcu(gp_sheet_writer *w, size_t b, gp_jb_mcu *scratch)
{
    const gp_sheet_plan *p = w->plan;
    int bx = (int)(b % (size_t)p->bw), by = (int)(b / (size_t)p->bw);
    switch (p->kind[b]) {
    case BLOCK_TILE: {
        const plan_slot *s = &p->slots[p->slot_of[b]];
        const plan_size *z = &p->sizes[s->size];
        int c = (bx * 8 - s->r.x0) / 8, r = (by * 8 - s->r.y0) / 8;
        if (r >= z->rows)
            return &w->edges[s->group].bottom.mcus[c];
        if (c >= z->cols)
            return &w->edges[s->group].right[r];
        return &w->tiles[s->size].mcus[(size_t)r * (size_t)z->cols + (size_t)c];
    }
    case BLOCK_EDGE: {
        uint32_t px[64];
        gp_sheet_compose_block(p, bx, by, scaled_for(w, &p->slots[p->slot_of[b]]), px);
        gp_jb_fdct(&p->tables, px, 8, scratch);
        return scratch;
    }
    case BLOCK_LABEL:
        return &w->label[p->label_index[b]];
    default:
        return &p->unique[p->paper_mcu[b]];
    }
}

/* How many label blocks from b on (at most max) came out as paper; 0
 * when b is not one. */
static int paper_run(const gp_sheet_writer *w, size_t b, int max)
{
    const gp_sheet_plan *p = w->plan;
    int n = 0;
    while (n < max && p->kind[b + (size_t)n] == BLOCK_LABEL && w->label_is_paper[p->label_index[b + (size_t)n]])
        n++;
    return n;
}

static void assemble(gp_sheet_writer *w)
{
    const gp_sheet_plan *p = w->plan;
    gp_jb_bits_reset(&w->scan);
    int pred[3] = {0, 0, 0};
    gp_jb_mcu scratch;
    for (int by = 0; by < p->bh; by++) {
        for (size_t i = p->row_first[by]; i < p->row_first[by + 1]; i++) {
            const plan_segment *seg = &p->segments[i];
            size_t b = (size_t)by * (size_t)p->bw + (size_t)seg->bx;
            switch (seg->kind) {
            case SEG_PAPER:
                gp_jb_encode_mcu(&w->scan, &p->tables, &p->unique[seg->first], pred);
                if (seg->n > 1) {
                    gp_jb_bits_append(&w->scan, p->paper_bits.data + seg->tail_offset, seg->tail_bits);
                    memcpy(pred, seg->last_dc, sizeof pred);
                }
                break;
            case SEG_TILE_ROW:
            case SEG_EDGE_ROW: {
                const plan_slot *s = &p->slots[seg->slot];
                const tile *t = seg->kind == SEG_TILE_ROW ? &w->tiles[s->size] : &w->edges[s->group].bottom;
                int r = seg->kind == SEG_TILE_ROW ? seg->tile_row : 0, cols = seg->n - (seg->with_edge ? 1 : 0);
                const gp_jb_mcu *row = t->mcus + (size_t)r * (size_t)cols, *last = &row[cols - 1];
                gp_jb_encode_mcu(&w->scan, &p->tables, &row[0], pred);
                if (cols > 1)
                    gp_jb_bits_append(&w->scan, w->tile_bits.data + t->row_offset[r], t->row_bits[r]);
                if (seg->with_edge) {
                    const edges *e = &w->edges[s->group];
                    gp_jb_bits_append(&w->scan, w->tile_bits.data + e->right_offset[r], e->right_bits[r]);
                    last = &e->right[r];
                }
                pred[0] = last->c[0][0];
                pred[1] = last->c[1][0];
                pred[2] = last->c[2][0];
                break;
            }
            case SEG_BLOCKS:
                for (int k = 0; k < seg->n; k++) {
                    gp_jb_encode_mcu(&w->scan, &p->tables, block_mcu(w, b + (size_t)k, &scratch), pred);
                    int n = paper_run(w, b + (size_t)k, seg->n - k);
                    if (n > 1) { /* the label blocks after it that are paper too */
                        int bx = seg->bx + k, x0 = p->region.x0 / 8;
                        size_t wide = (size_t)(p->region.x1 / 8 - x0) + 1;
                        const size_t *at = p->label_paper_at + (size_t)(by - p->region.y0 / 8) * wide;
                        gp_jb_bits_append_from(&w->scan, p->label_paper_bits.data, at[bx + 1 - x0],
                                               at[bx + n - x0] - at[bx + 1 - x0]);
                        const gp_jb_mcu *last = &p->unique[p->paper_mcu[b + (size_t)k + (size_t)n - 1]];
                        pred[0] = last->c[0][0];
                        pred[1] = last->c[1][0];
                        pred[2] = last->c[2][0];
                        k += n - 1;
                    }
                }
                break;
            }
        }
    }
}

/* A sheet goes into the job's staging directory, which appears whole or
 * not at all, so it is created under its final name: no temporary name
 * and rename per file. Its write-back starts at once, so the sync of the
 * whole tree at the end has little left to do. */
static gp_status write_new_file(const char *path, const void *data, size_t size, gp_error **err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return gp_error_set(err, GP_E_IO, path, 0, _("cannot create the file: %s"), strerror(errno));
    const unsigned char *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            gp_status st = gp_error_set(err, GP_E_IO, path, 0, _("write failed: %s"), n < 0 ? strerror(errno) : "?");
            close(fd);
            unlink(path);
            return st;
        }
        p += n;
        size -= (size_t)n;
    }
    sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    if (close(fd) != 0) {
        gp_status st = gp_error_set(err, GP_E_IO, path, 0, _("write failed: %s"), strerror(errno));
        unlink(path);
        return st;
    }
    return GP_OK;
}

gp_status gp_sheet_writer_write(gp_sheet_writer *w, const gp_layout *layout, cairo_surface_t *photo,
                                const char *path, unsigned atomic_flags, bool *done, gp_error **err)
{
    *done = false;
    gp_status st = make_tiles(w, photo, err);
    bool fits = false;
    if (st == GP_OK)
        st = draw_label(w, layout, &fits, err);
    if (st == GP_OK && fits) {
        assemble(w);
        st = gp_jb_file_build(&w->file, &w->plan->tables, w->plan->w, w->plan->h, w->plan->dpi, &w->scan, err);
        if (st == GP_OK && (atomic_flags & GP_ATOMIC_NO_SYNC))
            st = write_new_file(path, w->file.data, w->file.len, err);
        else if (st == GP_OK)
            st = gp_write_file_atomic_flags(path, w->file.data, w->file.len, atomic_flags, err);
        *done = st == GP_OK;
    }
    return st;
}
