/* Choosing a backend. A new driver is a file in this directory, a kind in
 * driver.h and a row in the table below; no job changes. */
#include "driver.h"

#include "base/error-private.h"

typedef gp_status (*open_backend)(const gp_driver_config *cfg, gp_driver **out, gp_error **err);

static gp_status open_pdf(const gp_driver_config *cfg, gp_driver **out, gp_error **err)
{
    if (cfg->path == NULL || cfg->path[0] == '\0')
        return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "%s", "gp_driver_open: a PDF driver needs a path");
    return gp_pdf_driver_new(cfg->path, out, err);
}

static gp_status open_jpeg(const gp_driver_config *cfg, gp_driver **out, gp_error **err)
{
    gp_status st = gp_jpeg_driver_new(cfg->dpi, cfg->quality, out, err);
    if (st == GP_OK && cfg->no_sync)
        st = gp_jpeg_driver_set_sync(*out, false, err);
    if (st != GP_OK) {
        gp_driver_free(*out);
        *out = NULL;
    }
    return st;
}

static const struct backend {
    gp_driver_kind kind;
    open_backend open;
} backends[] = {
    {GP_DRIVER_PDF, open_pdf},
    {GP_DRIVER_JPEG, open_jpeg},
};

gp_status gp_driver_open(const gp_driver_config *cfg, gp_driver **out, gp_error **err)
{
    *out = NULL;
    for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++)
        if (backends[i].kind == cfg->kind)
            return backends[i].open(cfg, out, err);
    return gp_error_set(err, GP_E_INTERNAL, NULL, 0, "gp_driver_open: no driver of kind %d in this build",
                        (int)cfg->kind);
}
