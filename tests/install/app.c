/* A program embedding gradprint through its one public header, as the
 * install test builds it: with pkg-config and with find_package. It loads
 * a bundled template through a context that finds the installed data by
 * itself, and prints where that data is. */
#include <stdio.h>
#include <stdlib.h>

#include <gradprint.h>

int main(void)
{
    gp_context *ctx = NULL;
    gp_error *err = NULL;
    if (gp_context_new(NULL, &ctx, &err) != GP_OK) {
        fprintf(stderr, "app: %s\n", gp_error_message(err));
        gp_error_free(err);
        return 1;
    }
    char *path = gp_context_find_template(ctx, "diploma-bachelor");
    gp_template *tpl = NULL;
    int code = 0;
    if (path == NULL || gp_template_load(ctx, path, &tpl, &err) != GP_OK) {
        fprintf(stderr, "app: %s\n", err != NULL ? gp_error_message(err) : "no diploma-bachelor template");
        code = 1;
    } else {
        printf("gradprint %s\ndata %s\npage %g x %g mm\n", gp_version(), gp_context_data_dir(ctx),
               gp_template_page_width_mm(tpl), gp_template_page_height_mm(tpl));
    }
    gp_error_free(err);
    gp_template_free(tpl);
    free(path);
    gp_context_free(ctx);
    return code;
}
