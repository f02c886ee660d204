/* Streaming certificate pages into one PDF: one record in memory at a time,
 * photos embedded as their original JPEG bytes, the calibration applied to
 * every mark. A PDF is one stream, so this runs on one thread; preflight has
 * already done the parallel work of measuring every text. */
#include <stdlib.h>
#include <time.h>

#include "base/error-private.h"
#include "base/i18n-private.h"
#include "certs-private.h"
#include "fields-private.h"
#include "driver.h"
#include "layout/layout-private.h"
#include "photo/photo-private.h"
#include "render/render-private.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static gp_status render_page(gp_certs_job *job, gp_driver *pdf, gp_render_env *env, gp_layout *layout,
                             gp_text_engine *text, const gp_record *r, bool turned, gp_photo **photo,
                             gp_error **err)
{
    gp_photo *previous = *photo;
    *photo = NULL;
    gp_status st = GP_OK;
    if (job->has_photo) {
        bool nomem;
        char *path = gp_photo_find_checked(job->opts->photos_dir, gp_record_key(r, GP_KEY_ID_NUMBER), &nomem);
        st = path     ? gp_photo_load(path, photo, err)
             : nomem ? gp_error_nomem(err)
                     : gp_error_set(err, GP_E_IO, job->opts->photos_dir, 0,
                                    _("the photo of graduate %s disappeared after preflight"),
                                    gp_record_key(r, GP_KEY_STUDENT_NO));
        free(path);
    }
    /* The env borrows the photo until the next one is set: free the old one after. */
    gp_render_env_set_photo(env, *photo, NULL);
    gp_photo_free(previous);
    if (st != GP_OK)
        return st;
    gp_job_fields fields = {r, job->school};
    gp_layout_clear(layout);
    gp_layout_build(job->tpl, gp_job_field, &fields, text, layout, NULL, NULL, 0, NULL);
    /* A layout cut short by memory lacks marks: never print it on a blank. */
    if ((st = gp_layout_status(layout, err)) != GP_OK)
        return st;
    gp_page_spec page = {job->tpl->page_w_mm, job->tpl->page_h_mm, NULL, turned};
    cairo_t *cr = NULL;
    st = gp_driver_begin_page(pdf, &page, &cr, err);
    if (st == GP_OK)
        st = gp_render_layout(cr, layout, env, err);
    if (st == GP_OK)
        st = gp_driver_end_page(pdf, err);
    return st;
}

gp_status gp_certs_job_render(gp_certs_job *job, const size_t *positions, size_t n, const gp_cert_page_setup *setup,
                              const char *path, gp_error **err)
{
    gp_text_engine *text = NULL;
    gp_driver *pdf = NULL;
    gp_status st = gp_text_engine_new(job->ctx, &text, err);
    if (st == GP_OK)
        st = gp_driver_open(&(gp_driver_config){.kind = GP_DRIVER_PDF, .path = path}, &pdf, err);
    if (st != GP_OK) {
        gp_text_engine_free(text);
        return st;
    }
    gp_layout layout;
    gp_layout_init(&layout);
    gp_render_env env;
    gp_render_env_init(&env, text, gp_driver_is_raster(pdf));
    env.proof = setup->proof;
    env.offset_x_mm = setup->calibration.offset_x_mm;
    env.offset_y_mm = setup->calibration.offset_y_mm;
    env.scale_x = setup->calibration.scale_x;
    env.scale_y = setup->calibration.scale_y;
    gp_photo *photo = NULL;
    double last_report = 0;
    for (size_t i = 0; st == GP_OK && i < n; i++) {
        const gp_record *r = gp_roster_record(job->roster, job->selected[positions[i]]);
        st = render_page(job, pdf, &env, &layout, text, r, setup->turned, &photo, err);
        if (job->opts->progress != NULL && (now_seconds() - last_report > 0.1 || i + 1 == n)) {
            last_report = now_seconds();
            job->opts->progress(job->opts->progress_user, GP_PHASE_RENDER, i + 1, n);
        }
    }
    if (st == GP_OK)
        st = gp_driver_finish(pdf, err);
    gp_render_env_free(&env);
    gp_photo_free(photo);
    gp_layout_free(&layout);
    gp_driver_free(pdf);
    gp_text_engine_free(text);
    return st;
}
