/* Where to crop: the scale and the corner that put the head top, the eye
 * line and the face width inside the profile's bands and the face in the
 * middle. With the scale fixed, the face width is fixed and the head top
 * and eye line move together, so the search is over the scale only: for
 * each, the best vertical position is a weighted mean clamped into what
 * the bands and the original's edges allow. */
#include <math.h>

#include "photo-prepare-private.h"

/* Aim inside the bands by this share of their width on each side first,
 * so a measurement a few pixels off still lands inside. */
#define SAFETY 0.15
/* A little enlargement is allowed (the sharpness check still applies);
 * more than this is blur and refused. */
#define MAX_ENLARGEMENT 1.2
#define STEPS 400

typedef struct bands {
    double top_lo, top_hi, eye_lo, eye_hi, face_lo, face_hi;
} bands;

static bands profile_bands(const gp_photo_profile *p, double safety)
{
    double top_lo = p->head_top.min > p->head_top_margin ? p->head_top.min : p->head_top_margin;
    double top_hi = p->head_top.max;
    if (top_lo > top_hi)
        top_lo = p->head_top.min;
    double ts = (top_hi - top_lo) * safety, es = (p->eyes.max - p->eyes.min) * safety;
    double fs = (p->face_width.max - p->face_width.min) * safety;
    return (bands){top_lo + ts, top_hi - ts, p->eyes.min + es, p->eyes.max - es, p->face_width.min + fs,
                   p->face_width.max - fs};
}

typedef struct attempt {
    bool found;
    double cost, scale, t, x0;
    /* Which limits emptied the range, counted over the scales tried. */
    int top, bottom, sides, bands;
} attempt;

static void try_scale(const gp_photo_profile *p, const gp_face_facts *f, const bands *b, double s, bool edges,
                      attempt *a)
{
    double gap = (f->eye_line - f->head_top) * s;
    double lo = fmax(b->top_lo, b->eye_lo - gap), hi = fmin(b->top_hi, b->eye_hi - gap);
    if (lo > hi) {
        a->bands++;
        return;
    }
    double out_w = p->width, out_h = p->height;
    double x0 = f->centre_x - out_w / 2.0 / s;
    if (edges) {
        /* Room above the head and below the crop's bottom edge. */
        double top_room = f->head_top * s, bottom_need = (f->head_top - f->height) * s + out_h;
        if (top_room < lo) {
            a->top++;
            return;
        }
        if (bottom_need > hi) {
            a->bottom++;
            return;
        }
        lo = fmax(lo, bottom_need);
        hi = fmin(hi, top_room);
        if (lo > hi) {
            a->top++;
            return;
        }
        /* Sideways the face may move off the middle by a little. */
        double slack = 0.4 * p->centre_tolerance / s;
        double max_x0 = f->width - out_w / s;
        if (max_x0 < 0.0 || x0 < -slack || x0 > max_x0 + slack) {
            a->sides++;
            return;
        }
        x0 = fmin(fmax(x0, 0.0), max_x0);
    }
    double top_mid = (b->top_lo + b->top_hi) / 2, top_half = (b->top_hi - b->top_lo) / 2 + 1;
    double eye_mid = (b->eye_lo + b->eye_hi) / 2, eye_half = (b->eye_hi - b->eye_lo) / 2 + 1;
    double face_mid = (b->face_lo + b->face_hi) / 2, face_half = (b->face_hi - b->face_lo) / 2 + 1;
    double wa = 1.0 / (top_half * top_half), wb = 1.0 / (eye_half * eye_half);
    double t = (wa * top_mid + wb * (eye_mid - gap)) / (wa + wb);
    t = fmin(fmax(t, lo), hi);
    double dt = (t - top_mid) / top_half, de = (t + gap - eye_mid) / eye_half;
    double df = (f->face_width * s - face_mid) / face_half;
    double cost = dt * dt + de * de + df * df;
    if (!a->found || cost < a->cost) {
        a->found = true;
        a->cost = cost;
        a->scale = s;
        a->t = t;
        a->x0 = x0;
    }
}

static attempt search(const gp_photo_profile *p, const gp_face_facts *f, double safety, bool edges)
{
    bands b = profile_bands(p, safety);
    attempt a = {0};
    double s_lo = b.face_lo / f->face_width, s_hi = fmin(b.face_hi / f->face_width, MAX_ENLARGEMENT);
    for (int i = 0; i <= STEPS && s_lo <= s_hi; i++)
        try_scale(p, f, &b, s_lo + (s_hi - s_lo) * i / STEPS, edges, &a);
    return a;
}

gp_plan_problem gp_plan_crop(const gp_photo_profile *p, const gp_face_facts *f, gp_crop_plan *plan)
{
    if (!(f->face_width > 0.0) || !(f->eye_line > f->head_top))
        return GP_PLAN_PROPORTIONS;
    if (p->face_width.min / f->face_width > MAX_ENLARGEMENT)
        return GP_PLAN_SMALL;
    attempt a = search(p, f, SAFETY, true);
    if (!a.found)
        a = search(p, f, 0.0, true);
    if (!a.found) {
        /* Why: the bands alone, or the original's edges? */
        attempt free_edges = search(p, f, 0.0, false);
        if (!free_edges.found)
            return GP_PLAN_PROPORTIONS;
        if (a.top >= a.bottom && a.top >= a.sides)
            return GP_PLAN_TOP;
        return a.bottom >= a.sides ? GP_PLAN_BOTTOM : GP_PLAN_SIDES;
    }
    plan->scale = a.scale;
    plan->x = a.x0;
    plan->y = f->head_top - a.t / a.scale;
    plan->head_top = a.t;
    plan->eyes = a.t + (f->eye_line - f->head_top) * a.scale;
    plan->face_width = f->face_width * a.scale;
    plan->centre = (f->centre_x - a.x0) * a.scale;
    return GP_PLAN_OK;
}
