/* The inside of gp_sheet_plan, shared by sheets-plan.c (which builds it)
 * and sheets-compose.c (which writes sheets with it). */
#ifndef GP_SHEETS_PLAN_PRIVATE_H
#define GP_SHEETS_PLAN_PRIVATE_H

#include "sheets-compose-private.h"

/* What a block of the page is. */
enum {
    BLOCK_PAPER, /* the same on every sheet */
    BLOCK_TILE,  /* wholly inside one slot on the grid: from the slot size's tile */
    BLOCK_EDGE,  /* partly inside one slot: paper and photo, transformed per sheet */
    BLOCK_LABEL  /* inside the label region, where the record's text is drawn */
};

/* Pixel rectangle [x0, x1) x [y0, y1). */
typedef struct px_rect {
    int x0, y0, x1, y1;
} px_rect;

typedef struct plan_slot {
    const gp_element *el;
    px_rect r;
    int size;     /* index into plan->sizes */
    bool on_grid; /* r.x0, r.y0 multiples of 8 */
} plan_slot;

typedef struct plan_size {
    int w, h;
    int cols, rows; /* whole blocks inside */
    bool tiled;     /* some slot of this size takes blocks from the tile */
} plan_size;

typedef enum seg_kind {
    SEG_PAPER,    /* a run of paper blocks: first coded per sheet, the rest spliced */
    SEG_TILE_ROW, /* a slot's whole row of tile blocks: first coded, the rest spliced */
    SEG_BLOCKS    /* blocks coded one by one */
} seg_kind;

typedef struct plan_segment {
    seg_kind kind;
    int bx, n;
    uint32_t first;     /* PAPER: unique MCU of the first block */
    size_t tail_offset; /* PAPER: the coded rest in plan->paper_bits */
    size_t tail_bits;
    int last_dc[3];     /* PAPER: DC of the run's last block */
    int slot, tile_row; /* TILE_ROW */
} plan_segment;

struct gp_sheet_plan {
    gp_jb_tables tables;
    int dpi, w, h, bw, bh;
    double px_per_mm;
    cairo_surface_t *paper_surface; /* bw * 8 x bh * 8, edges repeated past the page */
    const uint32_t *paper;
    size_t paper_stride; /* words */
    uint8_t *kind;       /* per block */
    int16_t *slot_of;    /* per block: the slot of a TILE or EDGE block */
    bool *touches_photo; /* per block: some photo covers part of it */
    uint32_t *paper_mcu; /* per block: its paper MCU in unique */
    gp_jb_mcu *unique;
    size_t nunique;
    int32_t *label_index; /* per block: its place among the label MCUs, or -1 */
    size_t nlabel;
    px_rect region;       /* the label region in pixels (block aligned); empty when x1 <= x0 */
    plan_slot *slots;
    int nslots;
    plan_size *sizes;
    int nsizes;
    plan_segment *segments;
    size_t nsegments;
    size_t *row_first; /* segments of block row by: row_first[by] .. row_first[by + 1] */
    gp_jb_bits paper_bits;
    gp_sheet_plan_stats stats;
};

/* The pixels a mark may touch; empty for marks never drawn on sheets. */
px_rect gp_sheet_mark_rect(const gp_sheet_plan *plan, const gp_mark *mark);
static inline bool px_rect_empty(px_rect r) { return r.x1 <= r.x0 || r.y1 <= r.y0; }
static inline bool px_rect_meet(px_rect a, px_rect b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/* The slot a photo mark draws into, or NULL. */
const plan_slot *gp_sheet_plan_slot(const gp_sheet_plan *plan, const gp_mark *mark);

/* Block (bx, by) as paper with the photo of its slot over it (photo is that
 * slot size's scaled photo, or NULL), pixels past the page edge repeating
 * the edge: the 64 pixels of an EDGE block, and what a block outside the
 * label should look like. */
void gp_sheet_compose_block(const gp_sheet_plan *plan, int bx, int by, cairo_surface_t *photo, uint32_t out[64]);

#endif
