/* The inside of gp_sheet_plan, shared by sheets-plan.c (which builds it)
 * and sheets-compose.c (which writes sheets with it). */
#ifndef GP_SHEETS_PLAN_PRIVATE_H
#define GP_SHEETS_PLAN_PRIVATE_H

#include "sheets-compose-private.h"

/* What a block of the page is. */
enum {
    BLOCK_PAPER, /* the same on every sheet */
    BLOCK_TILE,  /* covered by one slot on the grid: from its group's tile */
    BLOCK_EDGE,  /* partly inside a slot off the grid or at the page edge: transformed per sheet */
    BLOCK_LABEL  /* inside the label region, where the record's text is drawn */
};

/* Pixel rectangle [x0, x1) x [y0, y1). */
typedef struct px_rect {
    int x0, y0, x1, y1;
} px_rect;

typedef struct plan_slot {
    int source;   /* the photo mark's template element (gp_mark.source) */
    px_rect r;
    int size;     /* index into plan->sizes: the photo is scaled once per size */
    int group;    /* index into plan->groups, or -1 */
    bool on_grid; /* r.x0, r.y0 multiples of 8 */
} plan_slot;

/* A slot size: the photo is scaled to it once a sheet, and the blocks
 * wholly inside it (the tile) are transformed and coded once a sheet. */
typedef struct plan_size {
    int w, h;
    int cols, rows; /* blocks wholly inside */
    bool tiled;     /* some slot on the grid has this size */
} plan_size;

/* Slots on the grid of one size with the same paper under their partly
 * covered blocks (the right column, the bottom row): those blocks, the
 * photo's edge over that paper, are transformed once a sheet per group. */
typedef struct plan_group {
    int size;
    int rep;        /* the slot whose paper the edges are drawn on */
    int cols, rows; /* all blocks the photo touches */
} plan_group;

typedef enum seg_kind {
    SEG_PAPER,    /* a run of paper blocks: first coded per sheet, the rest spliced */
    SEG_TILE_ROW, /* a slot's row of blocks inside its photo: first coded, the rest spliced */
    SEG_EDGE_ROW, /* a slot's partly covered bottom row: first coded, the rest spliced */
    SEG_BLOCKS    /* blocks coded one by one */
} seg_kind;

typedef struct plan_segment {
    seg_kind kind;
    int bx, n;
    uint32_t first;     /* PAPER: unique MCU of the first block */
    size_t tail_offset; /* PAPER: the coded rest in plan->paper_bits */
    size_t tail_bits;
    int last_dc[3];     /* PAPER: DC of the run's last block */
    int slot, tile_row; /* TILE_ROW, EDGE_ROW */
    bool with_edge;     /* TILE_ROW: and the slot's partly covered block after it (its group's) */
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
    /* The paper of each block row of the region coded as one run, and
     * where each block's code starts in it (one more a row: its end): a
     * label block that came out as paper is spliced from here with those
     * after it that did too. */
    gp_jb_bits label_paper_bits;
    size_t *label_paper_at; /* (region blocks wide + 1) per region block row */
    plan_slot *slots;
    int nslots;
    plan_size *sizes;
    int nsizes;
    plan_group *groups;
    int ngroups;
    plan_segment *segments;
    size_t nsegments;
    size_t *row_first; /* segments of block row by: row_first[by] .. row_first[by + 1] */
    gp_jb_bits paper_bits;
    /* The paper's marks (lines, images) as the sample had them: a record
     * with other ones is not drawn from this plan. */
    gp_mark *paper_marks;
    size_t npaper_marks;
    gp_sheet_plan_stats stats;
};

/* Whether layout's lines and images are the plan's paper. */
bool gp_sheet_plan_same_paper(const gp_sheet_plan *plan, const gp_layout *layout);

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
