/* gradprint calibrate --scan: the printer profile measured from a scan or
 * photo of the calibration page printed on a blank. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "cmd-calibrate.h"

typedef struct scan_outcome {
    const gp_calibration_scan_options *o;
    const gp_calibration_scan_result *r;
    gp_calibration_scan_figures fig;
    bool ok;
} scan_outcome;

static void write_profile(cli_json *w, const void *data)
{
    const scan_outcome *s = data;
    if (!s->ok) {
        cli_json_null(w, NULL);
        return;
    }
    const cli_json_field fields[] = {
        CLI_JSON_NUMBER("offset_x_mm", s->fig.profile.offset_x_mm),
        CLI_JSON_NUMBER("offset_y_mm", s->fig.profile.offset_y_mm),
        CLI_JSON_NUMBER("scale_x", s->fig.profile.scale_x),
        CLI_JSON_NUMBER("scale_y", s->fig.profile.scale_y),
    };
    cli_json_object(w, NULL, fields, CLI_JSON_COUNT(fields));
}

static void write_marks(cli_json *w, const void *data)
{
    const scan_outcome *s = data;
    size_t n = s->r != NULL ? gp_calibration_scan_result_marks(s->r) : 0;
    cli_json_array_begin(w, NULL);
    for (size_t i = 0; i < n; i++) {
        gp_calibration_scan_mark m;
        gp_calibration_scan_result_mark(s->r, i, &m);
        const cli_json_field fields[] = {
            CLI_JSON_STRING("name", m.name),
            CLI_JSON_NUMBER("x_mm", m.x_mm),
            CLI_JSON_NUMBER("y_mm", m.y_mm),
            CLI_JSON_BOOL("found", m.found),
            m.found ? (cli_json_field)CLI_JSON_NUMBER("dx_mm", m.dx_mm) : (cli_json_field)CLI_JSON_NULL("dx_mm"),
            m.found ? (cli_json_field)CLI_JSON_NUMBER("dy_mm", m.dy_mm) : (cli_json_field)CLI_JSON_NULL("dy_mm"),
            m.found ? (cli_json_field)CLI_JSON_NUMBER("after_dx_mm", m.after_dx_mm)
                    : (cli_json_field)CLI_JSON_NULL("after_dx_mm"),
            m.found ? (cli_json_field)CLI_JSON_NUMBER("after_dy_mm", m.after_dy_mm)
                    : (cli_json_field)CLI_JSON_NULL("after_dy_mm"),
        };
        cli_json_object(w, NULL, fields, CLI_JSON_COUNT(fields));
    }
    cli_json_array_end(w);
}

static void scan_summary(const void *data)
{
    const scan_outcome *s = data;
    const gp_calibration_scan_figures *f = &s->fig;
    printf(_("%zu of %zu marks found; the scan is %.0f dpi over the blank, the page turned %.3f° on it\n"),
           f->marks_found, f->marks_expected, f->scan_dpi, f->rotation_deg);
    printf(_("now:          marks land %.2f mm RMS, %.2f mm at most, from their places\n"), f->rms_before_mm,
           f->max_before_mm);
    printf(_("with profile: %.2f mm RMS, %.2f mm at most\n"), f->rms_after_mm, f->max_after_mm);
    printf(_("profile: offset-x = %.3f, offset-y = %.3f, scale-x = %.6f, scale-y = %.6f\n"),
           f->profile.offset_x_mm, f->profile.offset_y_mm, f->profile.scale_x, f->profile.scale_y);
    if (s->o->profile_out != NULL)
        cli_say(stdout, _("printer profile -> %s\n"), s->o->profile_out);
    if (s->o->proof_out != NULL)
        cli_say(stdout, _("proof -> %s\n"), s->o->proof_out);
}

int cmd_calibrate_scan(const gp_calibration_scan_options *opts, bool overwrite, bool json)
{
    const char *outputs[2] = {opts->profile_out, opts->proof_out};
    for (int i = 0; i < 2; i++)
        if (outputs[i] != NULL && !overwrite && access(outputs[i], F_OK) == 0)
            return cli_usage_error("calibrate", _("%s already exists; pass --overwrite to replace it"), outputs[i]);
    int code;
    gp_context *ctx = cli_open_context("calibrate", &code);
    if (ctx == NULL)
        return code;
    for (int i = 0; i < 2; i++)
        if (outputs[i] != NULL)
            cli_interrupt_protect(outputs[i]);
    gp_calibration_scan_result *r = NULL;
    gp_error *err = NULL;
    gp_status st = gp_calibration_scan(ctx, opts, &r, &err);
    gp_context_free(ctx);
    scan_outcome s = {opts, r, {0}, st == GP_OK};
    if (r != NULL)
        gp_calibration_scan_result_figures(r, &s.fig);
    const gp_calibration_scan_figures *f = &s.fig;
    const cli_json_field fields[] = {
        CLI_JSON_STRING("template", opts->template_path),
        CLI_JSON_STRING("scan", opts->scan_path),
        CLI_JSON_STRING("profile_out", st == GP_OK ? opts->profile_out : NULL),
        CLI_JSON_STRING("proof_out", st == GP_OK ? opts->proof_out : NULL),
        CLI_JSON_SIZE("marks_expected", f->marks_expected),
        CLI_JSON_SIZE("marks_found", f->marks_found),
        CLI_JSON_LONG("inliers", f->inliers),
        CLI_JSON_NUMBER("registration_error_px", f->registration_error_px),
        CLI_JSON_NUMBER("similarity", f->similarity),
        CLI_JSON_NUMBER("scan_dpi", f->scan_dpi),
        CLI_JSON_NUMBER("rotation_deg", f->rotation_deg),
        CLI_JSON_NUMBER("rms_before_mm", f->rms_before_mm),
        CLI_JSON_NUMBER("max_before_mm", f->max_before_mm),
        CLI_JSON_NUMBER("rms_after_mm", f->rms_after_mm),
        CLI_JSON_NUMBER("max_after_mm", f->max_after_mm),
        CLI_JSON_CUSTOM("profile", write_profile, &s),
        CLI_JSON_CUSTOM("marks", write_marks, &s),
    };
    cli_outcome outcome = {"calibrate", st, err, r != NULL ? gp_calibration_scan_result_report(r) : NULL, fields,
                           CLI_JSON_COUNT(fields)};
    code = cli_finish_outcome(&outcome, json, false, scan_summary, &s);
    gp_calibration_scan_result_free(r);
    return code;
}
