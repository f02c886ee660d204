/* The printer's error from where its marks landed. A printer profile can
 * only move and stretch (calibration-profile.c: every mark goes to
 * offset + scale * position, about the blank's top-left corner), so x and y
 * are each fitted as m = a + b * t by least squares; an affine fit of both
 * together measures the rotation (feed skew) the profile cannot take out. */
#include <math.h>

#include "calibration-scan-private.h"

/* Least squares m = a + b * t; false when t does not vary. */
static bool line_fit(const double *t, const double *m, size_t n, double *a, double *b)
{
    double st = 0, sm = 0;
    for (size_t i = 0; i < n; i++) {
        st += t[i];
        sm += m[i];
    }
    double mt = st / n, mm = sm / n, stt = 0, stm = 0;
    for (size_t i = 0; i < n; i++) {
        stt += (t[i] - mt) * (t[i] - mt);
        stm += (t[i] - mt) * (m[i] - mm);
    }
    if (!(stt > 1e-9))
        return false;
    *b = stm / stt;
    *a = mm - *b * mt;
    return true;
}

/* Solves the 3 x 3 system a x = r by Cramer's rule; false when singular. */
static bool solve3(const double a[3][3], const double r[3], double x[3])
{
    double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
                 a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    if (!(fabs(det) > 1e-12))
        return false;
    for (int k = 0; k < 3; k++) {
        double m[3][3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                m[i][j] = j == k ? r[i] : a[i][j];
        x[k] = (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])) /
               det;
    }
    return true;
}

/* m = c0 + c1 * tx + c2 * ty by least squares (the normal equations). */
static bool plane_fit(const double *tx, const double *ty, const double *m, size_t n, double c[3])
{
    double a[3][3] = {{0}}, r[3] = {0};
    for (size_t i = 0; i < n; i++) {
        double v[3] = {1, tx[i], ty[i]};
        for (int j = 0; j < 3; j++) {
            r[j] += v[j] * m[i];
            for (int k = 0; k < 3; k++)
                a[j][k] += v[j] * v[k];
        }
    }
    return solve3(a, r, c);
}

bool gp_calibration_fit_marks(const double *tx, const double *ty, const double *mx, const double *my, size_t n,
                              gp_calibration_fit *fit, double *res_x, double *res_y)
{
    if (n < 3 || !line_fit(tx, mx, n, &fit->a_x, &fit->b_x) || !line_fit(ty, my, n, &fit->a_y, &fit->b_y))
        return false;
    double cx[3], cy[3];
    if (!plane_fit(tx, ty, mx, n, cx) || !plane_fit(tx, ty, my, n, cy))
        return false;
    /* The affine part [cx1 cx2; cy1 cy2]: its rotation is the mean of how
     * far it turns the x and the y axis (y points down, so + is clockwise). */
    fit->rotation_deg = atan2(cy[1] - cx[2], cx[1] + cy[2]) * 180.0 / acos(-1.0);
    double sb = 0, sa = 0, saf = 0, mb = 0, ma = 0;
    for (size_t i = 0; i < n; i++) {
        double before = hypot(mx[i] - tx[i], my[i] - ty[i]);
        double rx = mx[i] - (fit->a_x + fit->b_x * tx[i]), ry = my[i] - (fit->a_y + fit->b_y * ty[i]);
        double after = hypot(rx, ry);
        double affine = hypot(mx[i] - (cx[0] + cx[1] * tx[i] + cx[2] * ty[i]),
                              my[i] - (cy[0] + cy[1] * tx[i] + cy[2] * ty[i]));
        sb += before * before;
        sa += after * after;
        saf += affine * affine;
        mb = fmax(mb, before);
        ma = fmax(ma, after);
        if (res_x != NULL)
            res_x[i] = rx;
        if (res_y != NULL)
            res_y[i] = ry;
    }
    fit->rms_before_mm = sqrt(sb / n);
    fit->max_before_mm = mb;
    fit->rms_after_mm = sqrt(sa / n);
    fit->max_after_mm = ma;
    fit->rms_affine_mm = sqrt(saf / n);
    return true;
}

/* The page was drawn at o + s * t and the printer put that at a' + k * q,
 * so marks landed at (a' + k * o) + k * s * t = a + b * t: k = b / s and
 * a' = a - k * o. The profile that lands every t on t is s' = 1 / k and
 * o' = -a' / k. */
void gp_calibration_correct(const gp_calibration *printed, const gp_calibration_fit *fit, gp_calibration *out)
{
    *out = *printed;
    double kx = fit->b_x / printed->scale_x, ky = fit->b_y / printed->scale_y;
    double ex = fit->a_x - kx * printed->offset_x_mm, ey = fit->a_y - ky * printed->offset_y_mm;
    out->scale_x = 1.0 / kx;
    out->scale_y = 1.0 / ky;
    out->offset_x_mm = -ex / kx;
    out->offset_y_mm = -ey / ky;
}
