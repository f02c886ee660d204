/* Cutting ticks for the photo lab: at each corner of each photo slot, two
 * short lines continue the slot's edges outward, so the cutter can line the
 * blade up with an edge. A tick stays in the free gap: it stops short of any
 * other slot (a tick printed across a photo would be cut into it) and of the
 * page edge, and starts a little off the corner so it never touches the
 * photo it marks. */
#include <math.h>
#include <stdlib.h>

#include "layout-build-private.h"

/* Gap between a tick and the corner it marks, and between a tick's end and
 * any other slot. */
#define GP_TICK_CLEARANCE_MM 0.3
/* Shorter than this, a tick is a dot the cutter cannot aim by. */
#define GP_TICK_MIN_MM 0.5

typedef struct slot {
    double x0, y0, x1, y1;
} slot;

typedef struct slots {
    slot *v;
    size_t n;
} slots;

static bool collect_slots(gp_layout_job *job, slots *s)
{
    const gp_template *tpl = job->tpl;
    size_t n = 0;
    for (size_t i = 0; i < tpl->count; i++)
        n += tpl->elements[i].kind == GP_EL_PHOTO;
    s->n = 0;
    s->v = n > 0 ? malloc(n * sizeof *s->v) : NULL;
    if (n > 0 && s->v == NULL) {
        gp_layout_nomem(job);
        return false;
    }
    for (size_t i = 0; i < tpl->count; i++) {
        const gp_element *el = &tpl->elements[i];
        if (el->kind != GP_EL_PHOTO)
            continue;
        s->v[s->n++] = (slot){fmin(el->box.x, el->box.x + el->box.w), fmin(el->box.y, el->box.y + el->box.h),
                              fmax(el->box.x, el->box.x + el->box.w), fmax(el->box.y, el->box.y + el->box.h)};
    }
    return true;
}

/* A ray from a corner along one axis: horizontal (along x) or vertical,
 * in direction dir (+1 or -1). at is the ray's fixed coordinate (y for a
 * horizontal ray), from its starting coordinate on the moving axis. */
typedef struct ray {
    bool horizontal;
    int dir;
    double at, from;
} ray;

/* How far the ray may run before it meets the page edge or comes within
 * half_width of a slot (its stroke's half width across, the clearance
 * along). Negative when the start itself is blocked. */
static double free_run(const ray *r, const slots *s, double page_w, double page_h, double half_width)
{
    double page_len = r->horizontal ? page_w : page_h;
    double page_across = r->horizontal ? page_h : page_w;
    if (r->at < 0 || r->at > page_across)
        return -1;
    double run = r->dir > 0 ? page_len - r->from : r->from;
    for (size_t i = 0; i < s->n; i++) {
        const slot *q = &s->v[i];
        double lo = r->horizontal ? q->y0 : q->x0, hi = r->horizontal ? q->y1 : q->x1;
        if (r->at + half_width < lo || r->at - half_width > hi)
            continue;
        double near = r->horizontal ? (r->dir > 0 ? q->x0 : q->x1) : (r->dir > 0 ? q->y0 : q->y1);
        double far = r->horizontal ? (r->dir > 0 ? q->x1 : q->x0) : (r->dir > 0 ? q->y1 : q->y0);
        double to_near = (near - r->from) * r->dir, to_far = (far - r->from) * r->dir;
        if (to_far <= 0)
            continue; /* behind the corner: the slot the tick marks, or one beyond it */
        double room = to_near - GP_TICK_CLEARANCE_MM;
        if (room < run)
            run = room;
    }
    return run;
}

static void add_tick(gp_layout_job *job, const gp_element *el, const slots *s, const ray *r)
{
    double half_width = el->line_width_mm > 0 ? el->line_width_mm / 2 : 0;
    double run = free_run(r, s, job->tpl->page_w_mm, job->tpl->page_h_mm, half_width);
    double len = fmin(el->guide_length_mm, run - GP_TICK_CLEARANCE_MM);
    if (!(len >= fmin(GP_TICK_MIN_MM, el->guide_length_mm)) || !(len > 0))
        return;
    gp_mark *m = gp_layout_add_mark(job, GP_MARK_LINE, el);
    if (m == NULL)
        return;
    double start = r->from + r->dir * GP_TICK_CLEARANCE_MM;
    if (r->horizontal)
        m->box = (gp_box){start, r->at, r->dir * len, 0};
    else
        m->box = (gp_box){r->at, start, 0, r->dir * len};
}

void gp_layout_cut_guides(gp_layout_job *job, const gp_element *el)
{
    slots s;
    if (!collect_slots(job, &s))
        return;
    for (size_t i = 0; i < s.n; i++) {
        const slot p = s.v[i];
        const double xs[2] = {p.x0, p.x1}, ys[2] = {p.y0, p.y1};
        for (int cy = 0; cy < 2; cy++) {
            for (int cx = 0; cx < 2; cx++) {
                int dx = cx == 0 ? -1 : 1, dy = cy == 0 ? -1 : 1;
                const ray along_x = {true, dx, ys[cy], xs[cx]};
                const ray along_y = {false, dy, xs[cx], ys[cy]};
                add_tick(job, el, &s, &along_x);
                add_tick(job, el, &s, &along_y);
            }
        }
    }
    free(s.v);
}
